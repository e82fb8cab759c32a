"""validate_plan (keiei.finance.validate): impossible figures that pass the schema come back as findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from keiei.errors import Severity
from keiei.finance import validate_plan
from keiei.plan import load_plan, parse_plan

ROOT = Path(__file__).parents[2]
MINIMAL = ROOT / "tests" / "data" / "plans" / "minimal.yaml"


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    return data


def codes(data: dict[str, Any]) -> dict[str, Severity]:
    return {f.code: f.severity for f in validate_plan(parse_plan(data))}


def test_the_example_has_no_errors_or_warnings() -> None:
    findings = validate_plan(load_plan(ROOT / "examples" / "405-manufacturer.yaml"))
    # information only: the other debt outside the banks' table, and the four rescheduled
    # loans whose balance at the plan's end their maturity cannot take at the last year's pace
    assert [f.code for f in findings] == ["PLAN_OTHER_DEBT"] + ["PLAN_BALANCE_AFTER_PLAN_EXCEEDS_TERM"] * 4
    assert {f.severity for f in findings} == {Severity.INFO}


def test_minimal_plan_is_clean() -> None:
    assert codes(minimal()) == {}


def test_covered_above_balance() -> None:
    data = minimal()
    data["banks"][0]["loans"][0]["covered"] = 60_000_000
    assert codes(data)["PLAN_COVERED_EXCEEDS_BALANCE"] == Severity.ERROR


def test_unbalanced_balance_sheet_and_wrong_subtotal() -> None:
    data = minimal()
    data["actuals"][0]["bs"]["net_assets"] = 21_000_000
    data["actuals"][0]["pl"]["ordinary_profit"] = 4_000_001
    found = codes(data)
    assert found["PLAN_BS_UNBALANCED"] == Severity.ERROR
    assert found["PLAN_PL_MISMATCH"] == Severity.ERROR


def test_schedule_driving_a_loan_below_zero() -> None:
    data = minimal()
    loan = data["banks"][0]["loans"][0]
    del loan["annual_repayment"]
    loan["schedule"] = [30_000_000, 30_000_000]
    found = codes(data)
    assert found["PLAN_LOAN_NEGATIVE"] == Severity.ERROR
    assert found["PLAN_SCHEDULE_EXCEEDS_BALANCE"] == Severity.ERROR


def test_forgiveness_outside_405_gl_and_above_the_balance() -> None:
    data = minimal()
    data["financial_support"] = {"forgiveness": [{"bank": "テスト銀行", "amount": 60_000_000, "year": 1}]}
    found = codes(data)
    assert found["PLAN_FORGIVENESS_PROGRAM"] == Severity.ERROR
    assert found["PLAN_LOAN_NEGATIVE"] == Severity.ERROR


def test_rescheduling_in_early_is_a_warning() -> None:
    data = minimal()
    data["program"] = "early"
    data["financial_support"] = {"rescheduling": {}}
    assert codes(data)["PLAN_RESCHEDULING_EARLY"] == Severity.WARNING


def test_loans_above_the_balance_sheet_debt() -> None:
    data = minimal()
    data["banks"][0]["loans"][0]["balance"] = 60_000_000
    assert codes(data)["PLAN_LOANS_EXCEED_DEBT"] == Severity.ERROR


def test_cash_shortfall_and_negative_fixed_assets() -> None:
    data = minimal()
    data["drivers"]["depreciation"] = {"existing": 40_000_000}
    data["drivers"]["dividends"] = 30_000_000
    found = codes(data)
    assert found["PLAN_FIXED_ASSETS_NEGATIVE"] == Severity.ERROR
    assert found["PLAN_CASH_NEGATIVE"] == Severity.WARNING


def test_cash_table_gaps_and_unknown_opening() -> None:
    data = minimal()
    data["cash_table"] = {
        "months": [
            {"month": "2025-05", "kind": "plan", "operating_in": {"売上": 1}},
            {"month": "2025-07", "kind": "plan"},
        ]
    }
    found = codes(data)
    assert {"PLAN_CASH_TABLE_GAP", "PLAN_CASH_TABLE_OPENING", "PLAN_CASH_TABLE_ACTUAL_MONTHS"} <= set(found)


def test_period_month_differs_from_fiscal_year_end() -> None:
    data = minimal()
    data["company"]["fiscal_year_end_month"] = 12
    assert codes(data)["PLAN_PERIOD_MONTH"] == Severity.WARNING


def test_findings_serialise() -> None:
    data = minimal()
    data["banks"][0]["loans"][0]["covered"] = 60_000_000
    finding = validate_plan(parse_plan(data))[0]
    assert finding.as_dict()["where"] == "banks[0].loans[0].covered"
