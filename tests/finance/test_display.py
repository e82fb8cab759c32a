"""One display rule per indicator (`keiei.finance.display`), and every face prints the same
string for the same value: the criteria message, the CLI tables, the PDF's table cells and the
target text all call it, from the exact ratio or from the JSON that publishes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keiei.cli.plan_cmd import percent, years
from keiei.criteria.numeric import years_text
from keiei.finance.display import indicator_text, percent_text, ratio_text, shown_value
from keiei.finance.output import ratio


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        ("3.0901", "3.10"),
        ("3.09001", "3.10"),  # the JSON's 4 decimals (3.0900) alone would show 3.09
        ("10.0000002", "10.01"),  # a failing plan never shows 10.00
        ("10", "10.00"),
        ("0", "0.00"),
        ("387.6712", "387.68"),
    ],
)
def test_repayment_years_round_up_to_two_decimals_on_every_face(exact: str, shown: str) -> None:
    value = Decimal(exact)
    published = float(shown_value("debt_repayment_years", value) or 0)  # indicators.debt_repayment_years_shown
    assert indicator_text("debt_repayment_years", value) == shown
    assert years_text(value) == shown  # criteria message
    assert years(published) == shown  # CLI
    assert ratio_text(published) == shown  # PDF table cell (render.cell_text for "ratio")


@pytest.mark.parametrize(
    ("exact", "shown"),
    [("0.0255", "2.6%"), ("0.12345", "12.4%"), ("-0.0004", "0.0%"), ("-0.0123", "△1.2%"), ("1", "100.0%")],
)
def test_percentages_half_up_from_the_published_figure(exact: str, shown: str) -> None:
    """Two steps (4 decimals, then 0.1 %): the exact ratio and the JSON figure agree; binary
    float formatting used to show 0.0255 as 2.5 %."""
    value = Decimal(exact)
    assert indicator_text("equity_ratio", value) == shown
    assert percent_text(ratio(value)) == shown
    assert percent(ratio(value)) == shown


def test_undefined_is_a_dash() -> None:
    assert indicator_text("debt_repayment_years", None) == "－"
    assert years(None) == "—"  # the CLI's own dash


def test_plan_faces_agree_on_the_example() -> None:
    """The 405 example: the criterion, the JSON's shown figure, the CLI and the documents."""
    from keiei.documents.figures import figures_for
    from keiei.documents.overview import targets
    from keiei.documents.render import cell_text
    from keiei.documents.tables import indicator_table
    from keiei.plan import load_plan

    plan = load_plan("examples/405-manufacturer.yaml")
    f = figures_for(plan)
    final = f.plan_years[-1]["indicators"]
    text = years(final["debt_repayment_years_shown"])
    criterion = next(c for c in f.criteria if c["id"] == "debt_repayment_years_le_10")
    assert f"{text}年" in criterion["message"]
    assert dict(targets(f))["債務償還年数（計画最終年度）"] == f"{text}年"
    table = indicator_table(f)
    row = table.row("ind.debt_repayment_years")
    assert cell_text(row.cells[-1], row, table.columns[-1], f.unit) == text
