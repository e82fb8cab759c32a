"""Each reader on its shipped sample: the same six months, the same figures, whatever the format."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from keiei.errors import Severity
from keiei.monitoring import import_books, load_actuals, load_mapping, write_actuals
from keiei.plan import Plan

from .conftest import BOOKS

JOURNALS = [
    ("yayoi-journal.csv", "yayoi", "cp932"),
    ("freee-journal.csv", "freee", "utf-8-sig"),
    ("mf-journal.csv", "mf", "utf-8"),
]


def test_samples_are_what_the_generator_writes(generator: ModuleType, tmp_path: Path) -> None:
    for path in generator.write_all(tmp_path):
        assert path.read_bytes() == (BOOKS / path.name).read_bytes(), path.name


@pytest.mark.parametrize(("name", "fmt", "encoding"), JOURNALS)
def test_journal_samples(plan: Plan, name: str, fmt: str, encoding: str) -> None:
    actuals = import_books(BOOKS / name, plan)
    assert actuals.source.format == fmt and actuals.source.encoding == encoding
    assert actuals.source.rows_read == actuals.source.rows_used > 0
    assert [p.month for p in actuals.periods] == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert not actuals.errors and not actuals.unmapped
    first = actuals.periods[0]
    assert first.pl["sales"] == 4_673_000  # plan 4,627,000 × 101 %, rounded to thousands
    assert first.pl["depreciation"] == 110_000 and first.pl["interest_expense"] == 26_000
    assert first.bs is None  # a journal states no balances
    reconciled = next(f for f in actuals.findings if f.code == "actuals.reconciled")
    assert reconciled.details["file_debit"] == reconciled.details["file_credit"] == reconciled.details["mapped_debit"]


def test_all_formats_agree(plan: Plan) -> None:
    mapping = load_mapping(BOOKS / "generic-mapping.yaml")
    results = [import_books(BOOKS / name, plan) for name, _, _ in JOURNALS]
    results.append(import_books(BOOKS / "generic-trial.csv", plan, mapping=mapping))
    reference = [(p.month, p.pl) for p in results[0].periods]
    for actuals in results[1:]:
        assert [(p.month, p.pl) for p in actuals.periods] == reference
    half_year = import_books(BOOKS / "freee-trial.json", plan)
    (span,) = half_year.periods
    assert (span.first, span.month) == ("2025-10", "2026-03")
    assert span.pl["sales"] == sum(p.pl["sales"] for p in results[0].periods)
    generic_last = results[-1].periods[-1]
    assert span.bs == generic_last.bs  # both state the same month-end balance sheet


def test_yayoi_closing_and_wareki(plan: Plan) -> None:
    actuals = import_books(BOOKS / "yayoi-journal.csv", plan)
    assert actuals.periods[0].month == "2025-10"  # R.07/10/05 read as 2025-10-05
    assert actuals.periods[-1].closing_rows == 1  # the 中決 accrual of March


def test_trial_balances_balance(plan: Plan) -> None:
    for actuals in (
        import_books(BOOKS / "freee-trial.json", plan),
        import_books(BOOKS / "generic-trial.csv", plan, mapping=load_mapping(BOOKS / "generic-mapping.yaml")),
    ):
        assert not actuals.errors, actuals.errors
        for period in actuals.periods:
            assert period.bs is not None
            assets = sum(
                period.bs[k] for k in ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets")
            )
            liabilities = sum(period.bs[k] for k in ("payables", "interest_bearing_debt", "other_liabilities"))
            assert assets == liabilities + period.bs["net_assets"]


def test_generic_total_row_is_named(plan: Plan) -> None:
    actuals = import_books(BOOKS / "generic-trial.csv", plan, mapping=load_mapping(BOOKS / "generic-mapping.yaml"))
    assert any(f.code == "books.total_row" and "資産合計" in f.message for f in actuals.findings)


def test_actuals_yaml_round_trip(plan: Plan, tmp_path: Path) -> None:
    actuals = import_books(BOOKS / "freee-trial.json", plan)
    path = tmp_path / "actuals.yaml"
    write_actuals(actuals, path)
    again = load_actuals(path)
    assert again.as_dict() == actuals.as_dict()
    assert again.source.sha256 == actuals.source.sha256


def test_unmapped_account_is_listed_with_its_amount(plan: Plan, tmp_path: Path) -> None:
    text = (BOOKS / "mf-journal.csv").read_text("utf-8").replace("雑費", "謎の費用")
    (tmp_path / "mf.csv").write_text(text, "utf-8")
    actuals = import_books(tmp_path / "mf.csv", plan)
    (unmapped,) = actuals.unmapped
    assert unmapped.account == "謎の費用" and unmapped.amount == 6 * 40_000
    assert any(f.code == "actuals.unmapped" and f.severity is Severity.WARNING for f in actuals.findings)
    override = tmp_path / "mapping.yaml"
    override.write_text("version: 1\naccounts:\n  謎の費用: sga\n", "utf-8")
    mapped = import_books(tmp_path / "mf.csv", plan, mapping=load_mapping(override))
    assert not mapped.unmapped
    assert [p.pl for p in mapped.periods] == [p.pl for p in import_books(BOOKS / "mf-journal.csv", plan).periods]
