"""The monthly cash table: running balances, and months derived from plan year 1."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.errors import KeieiInputError
from keiei.finance import cash_schedule, project
from keiei.finance.cash import CashMonthResult
from keiei.plan import load_plan, parse_plan

ROOT = Path(__file__).parents[2]


def test_example_table_runs_from_the_opening_to_the_year_end_cash() -> None:
    plan = load_plan(ROOT / "examples" / "405-manufacturer.yaml")
    months = cash_schedule(plan, project(plan))
    assert len(months) == 24
    assert months[0].cash_begin == 44_100_000
    assert all(m.cash_begin == p.cash_end for p, m in itertools.pairwise(months))
    assert months[11].month == "2025-03" and months[11].cash_end == 38_500_000  # the 2025-03 BS cash
    for m in months:
        assert m.cash_end == m.cash_begin + m.operating + m.investing + m.financing


def test_months_are_derived_from_plan_year_one_when_none_are_planned() -> None:
    data = yaml.safe_load((ROOT / "tests" / "data" / "plans" / "minimal.yaml").read_text(encoding="utf-8"))
    plan = parse_plan(copy.deepcopy(data))
    projection = project(plan)
    months = cash_schedule(plan, projection)
    assert [m.kind for m in months] == ["derived"] * 12
    assert months[0].month == "2025-04" and months[-1].month == "2026-03"
    first = projection.plan_years[0]
    assert first.bs is not None and first.cf is not None
    assert months[0].cash_begin == first.cf.cash_begin
    assert months[-1].cash_end == first.bs.cash
    assert sum(m.operating for m in months) == first.cf.operating


def _minimal(**cash_table: object) -> dict[str, object]:
    data = yaml.safe_load((ROOT / "tests" / "data" / "plans" / "minimal.yaml").read_text(encoding="utf-8"))
    if cash_table:
        data["cash_table"] = cash_table
    return data  # type: ignore[no-any-return]


def _line(months: tuple[CashMonthResult, ...], label: str) -> list[int]:
    """One line of the table, month by month (0 where a month lacks it)."""
    return [sum(v for _, lab, v in m.items if lab == label) for m in months]


def test_derived_months_are_shaped_from_the_plan_lines_not_one_net_figure() -> None:
    """Sales receipts and purchases by month, SG&A, interest and repayments monthly, the year's
    tax in month 2: the low point of cash shows (it was one even net inflow, 0 outgoings)."""
    plan = parse_plan(_minimal())
    projection = project(plan)
    months = cash_schedule(plan, projection)
    first = projection.plan_years[0]
    assert first.cf is not None and first.bs is not None
    assert all(m.operating_out > 0 for m in months)  # outgoings are shown, not netted away
    labels = {lab for m in months for _, lab, _ in m.items}
    assert {"売上代金の入金", "仕入・外注費の支払", "販売費・一般管理費の支払（減価償却費を除く）"} <= labels
    taxes = _line(months, "法人税等の納付")
    assert sum(taxes) == first.pl.income_taxes and all(t == 0 for k, t in enumerate(taxes) if k != 1)
    # every group sums to the year's statement, and month 12 ends on the BS cash
    assert sum(m.operating for m in months) == first.cf.operating
    assert sum(m.investing for m in months) == first.cf.investing
    assert sum(m.financing for m in months) == first.cf.financing
    assert months[-1].cash_end == first.bs.cash
    for m in months:
        for group in (
            "operating_in",
            "operating_out",
            "investing_in",
            "investing_out",
            "financing_in",
            "financing_out",
        ):
            assert getattr(m, group) == sum(v for g, _, v in m.items if g == group)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=12, max_size=12))
def test_any_seasonality_keeps_the_year_exact_and_follows_the_weights(weights: list[int]) -> None:
    base = _minimal()
    plan = parse_plan({**base, "cash_table": {"seasonality": weights}})
    projection = project(plan)
    months = cash_schedule(plan, projection)
    first = projection.plan_years[0]
    assert first.cf is not None and first.bs is not None
    assert months[-1].cash_end == first.bs.cash
    assert sum(m.operating for m in months) == first.cf.operating
    receipts = _line(months, "売上代金の入金")
    if sum(weights) > 0 and sum(receipts) > 0:
        # a month with twice the weight gets twice the receipts, to the yen of rounding
        for w, r in zip(weights, receipts, strict=True):
            assert abs(r * sum(weights) - sum(receipts) * w) <= sum(weights)
    if sum(weights) == 0:
        assert max(receipts) - min(receipts) <= 1  # even months


def test_seasonality_must_be_twelve_non_negative_whole_numbers() -> None:
    for bad in ([1] * 11, [1] * 13, [-1] + [1] * 11, [0.5] * 12):
        try:
            parse_plan(_minimal(seasonality=bad))
        except KeieiInputError as exc:
            assert "cash_table.seasonality" in exc.field
        else:
            raise AssertionError(f"accepted {bad}")


def test_the_worked_example_of_plan_format_md() -> None:
    """docs/plan-format.md: 12,000,000 with weights 2, 1 × 11 → 1,846,153 and 923,077 × 11."""
    from keiei.finance.allocation import prorata

    assert prorata(12_000_000, [2] + [1] * 11) == [1_846_153] + [923_077] * 11


@given(
    st.lists(
        st.tuples(
            st.integers(-(10**12), 10**12),
            st.one_of(st.none(), st.integers(0, 11)),
            st.one_of(st.none(), st.lists(st.integers(0, 50), min_size=12, max_size=12).map(tuple)),
        ),
        max_size=8,
    )
)
def test_group_totals_equal_the_lines_split_month_by_month(
    raw: list[tuple[int, int | None, tuple[int, ...] | None]],
) -> None:
    """The shortcut `_totals12` (used on every plan without a table) against the plain sum."""
    from keiei.finance.cash import _EVEN, _months_of, _totals12

    lines = [(f"line {k}", amount, weights or _EVEN, month) for k, (amount, month, weights) in enumerate(raw)]
    expected = [0] * 12
    for line in lines:
        expected = [a + b for a, b in zip(expected, _months_of(line), strict=True)]
    assert _totals12(lines) == expected
    assert sum(expected) == sum(amount for _, amount, _, _ in lines)
