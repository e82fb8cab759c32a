"""What a plan leaves after its years, and the months of the first year on the old terms.

Why: a bank signs terms that start at the agreement, not at the fiscal year's first month, and
asks what is left when the plan ends (a balance its final date cannot take, interest it let
the company defer). Both were invisible while the engine worked only in whole plan years.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from keiei.finance import project, validate_plan
from keiei.finance.schedule import first_year_instalment, months_on_old_terms
from keiei.plan import load_plan
from keiei.plan.periods import Period

ROOT = Path(__file__).parents[2]
NEGOTIATED = ROOT / "tests" / "data" / "plans" / "405-negotiated.yaml"
MANUFACTURER = ROOT / "examples" / "405-manufacturer.yaml"


def _with_rescheduling(plan, **changes):  # type: ignore[no-untyped-def]
    r = dataclasses.replace(plan.financial_support.rescheduling, **changes)
    return dataclasses.replace(plan, financial_support=dataclasses.replace(plan.financial_support, rescheduling=r))


def test_months_on_old_terms_count_from_the_first_month_of_the_first_rescheduling_year() -> None:
    plan = load_plan(NEGOTIATED)  # base 2025-03, from_year 1, agreed 2025-06
    r = plan.financial_support.rescheduling
    assert months_on_old_terms(plan, r) == 2
    assert months_on_old_terms(plan, dataclasses.replace(r, agreement_date=Period(2025, 4))) == 0
    assert months_on_old_terms(plan, dataclasses.replace(r, agreement_date=None)) == 0
    # outside the year (a finding): clamped, never negative or a whole year
    assert months_on_old_terms(plan, dataclasses.replace(r, agreement_date=Period(2024, 12))) == 0
    assert months_on_old_terms(plan, dataclasses.replace(r, agreement_date=Period(2026, 9))) == 11


def test_first_year_instalment_spreads_the_new_part_over_the_months_left() -> None:
    assert first_year_instalment(5_243_000, 1_000_000, 2, "half_up") == 424_300
    assert first_year_instalment(1_000_000, 1_000_000, 2, "half_up") == 0
    assert first_year_instalment(1_000_001, 0, 1, "truncate") == 90_909  # 1,000,001 ÷ 11


def test_an_agreement_later_in_the_year_pays_the_months_before_on_the_contract() -> None:
    plan = load_plan(NEGOTIATED)
    at_start = project(_with_rescheduling(plan, agreement_date=Period(2025, 4)))
    later = project(plan)  # 2025-06: April and May on the old terms
    for early, late in zip(at_start.banks, later.banks, strict=True):
        old_terms = 6_000_000 * 2 // 12  # each loan's contract: 6,000,000 a year
        assert late.loans[0].repayment[0] >= old_terms
        assert late.loans[0].repayment[0] != early.loans[0].repayment[0]
    # interest: two months at the contract's 2 %, ten at the plan's 1 % (20,000,000 at the main bank)
    assert later.banks[0].loans[0].interest[0] == 233_333
    assert at_start.banks[0].loans[0].interest[0] == 200_000


def test_deferred_interest_left_at_the_end_is_a_warning_with_the_amount() -> None:
    plan = _with_rescheduling(load_plan(NEGOTIATED), interest="deferred", reduced_rate=None)
    projection = project(plan)
    deferred = sum(y.details.deferred_interest for y in projection.plan_years if y.details is not None)
    assert deferred > 0
    found = [f for f in validate_plan(plan) if f.code == "PLAN_DEFERRED_INTEREST_UNSETTLED"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert f"{deferred:,}円" in found[0].message
    assert not [f for f in validate_plan(load_plan(NEGOTIATED)) if f.code == "PLAN_DEFERRED_INTEREST_UNSETTLED"]


def test_a_balance_the_maturity_cannot_take_after_the_plan_is_stated_for_loans_under_the_plan() -> None:
    plan = load_plan(MANUFACTURER)
    found = [f for f in validate_plan(plan) if f.code == "PLAN_BALANCE_AFTER_PLAN_EXCEEDS_TERM"]
    assert found and all(f.severity == "info" for f in found)
    first = next(f for f in found if "証書貸付①（保証協会付）" in f.message)
    assert "2030-06 まで 3 か月" in first.message
    # the plan's new loan stays on its own contract: never reported
    assert not [f for f in found if "CNC" in f.message]
    # a loan on its contract (no rescheduling) is left to the contract
    early = load_plan(ROOT / "examples" / "early-supermarket.yaml")
    assert not [f for f in validate_plan(early) if f.code == "PLAN_BALANCE_AFTER_PLAN_EXCEEDS_TERM"]


def test_principal_suspended_before_the_agreement_is_not_paid_and_the_new_terms_cover_the_rest() -> None:
    plan = load_plan(NEGOTIATED)  # agreed 2025-06: April and May before it
    suspended = project(_with_rescheduling(plan, before_agreement="suspended"))
    paid = project(plan)
    for s_bank, p_bank in zip(suspended.banks, paid.banks, strict=True):
        s_loan, p_loan = s_bank.loans[0], p_bank.loans[0]
        # each loan's cap in the first year is its contract for the ten months from June:
        # 6,000,000 − 1,000,000, whether April and May were paid or suspended
        assert s_loan.repayment[0] <= 5_000_000
        assert p_loan.repayment[0] <= 6_000_000
        # the new instalment spreads what the new terms repay over the ten months
        assert s_loan.monthly_instalment[0] == (s_loan.repayment[0] + 5) // 10  # half up
    # suspended: nothing was scheduled on the old terms
    first = suspended.plan_years[0].details
    assert first is not None and first.scheduled_repayment == 0
    assert paid.plan_years[0].details is not None and paid.plan_years[0].details.scheduled_repayment == 2_000_000


def test_the_examples_start_the_new_terms_after_the_consents_with_principal_suspended_until_then() -> None:
    for name, start, months in (("405-manufacturer.yaml", "2025-11", 7), ("405gl-ryokan.yaml", "2025-08", 4)):
        plan = load_plan(ROOT / "examples" / name)
        r = plan.financial_support.rescheduling
        assert r is not None and r.before_agreement == "suspended"
        assert str(r.agreement_date) == start and months_on_old_terms(plan, r) == months
