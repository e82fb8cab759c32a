"""Property tests for fair treatment of lenders and the loan-level schedule (issue 11).

Plans are the general generated plans of test_properties, with the lender features drawn on
top (negotiated shares, share timing, interest treatment, guarantee ratios, extensions), so the
new rules are checked together with the statement identities on plans never seen before.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keiei.finance import project, to_dict, validate_plan
from keiei.money import to_yen
from keiei.plan import parse_plan
from keiei.plan.periods import Period

# the generated plans and identity checks of test_properties (tests run with --import-mode=importlib)
_spec = importlib.util.spec_from_file_location("_lender_base", Path(__file__).with_name("test_properties.py"))
assert _spec is not None and _spec.loader is not None
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
plan_data = _base.plan_data
assert_identities = _base.assert_identities

LENDER_SETTINGS = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def lender_plan(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(plan_data())
    banks = data["banks"]
    for bank in banks:
        for loan in bank["loans"]:
            if draw(st.integers(0, 3)) == 0:
                loan.pop("covered", None)
                loan["guarantee_ratio"] = float(draw(st.sampled_from(["0.5", "0.8", "1"])))
            if "maturity" in loan and draw(st.booleans()):
                loan["extended_maturity"] = str(Period.parse(loan["maturity"]).plus_months(draw(st.integers(1, 60))))
    r = data["financial_support"].get("rescheduling")
    if r is not None:
        r["share_timing"] = draw(st.sampled_from(["after_forgiveness", "base_date"]))
        r["interest"] = draw(st.sampled_from(["paid", "reduced", "deferred"]))
        if r["interest"] == "reduced":
            r["reduced_rate"] = float(draw(st.sampled_from(["0", "0.005", "0.01"])))
        if draw(st.integers(0, 2)) == 0:
            cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(banks) - 1, max_size=len(banks) - 1)))
            bounds = [0, *cuts, 100]
            r["shares"] = {b["name"]: (bounds[k + 1] - bounds[k]) / 100 for k, b in enumerate(banks)}
    return data


def contractual_cap(loan: Any, new: Any, i: int, start: int) -> int:
    """The most a rescheduled loan may be repaid in plan year index i under cap_at_contractual."""
    if start <= 0:
        return 0
    if new is not None:
        return 0 if i + 1 < new.year + new.grace_years else min(start, new.annual_repayment)
    if loan.schedule is not None:
        return min(start, loan.schedule[i])
    return min(start, loan.annual_repayment or 0)


@LENDER_SETTINGS
@given(lender_plan())
def test_caps_shares_balances_and_maturities(data: dict[str, Any]) -> None:
    plan = parse_plan(data)
    projection = project(plan)
    assert_identities(plan, projection)
    to_dict(projection)  # the new keys serialise
    codes = {f.code for f in validate_plan(plan)}
    r = plan.financial_support.rescheduling
    periods = projection.plan_periods
    for bank, result in zip(plan.banks, projection.banks, strict=True):
        terms = {x.name: (x, None) for x in bank.loans} | {x.name: (None, x) for x in bank.new_loans}
        for i in range(len(periods)):
            lender_total = lender_cap = 0
            for x in result.loans:
                loan, new = terms[x.name]
                start = (x.closing_balance[i - 1] if i else x.balance) + x.borrowing[i] - x.forgiven[i]
                in_window = r is not None and x.rescheduled and r.from_year <= i + 1 <= r.until_year
                if in_window:
                    assert r is not None
                    # a rescheduled loan never goes below zero by its repayment
                    assert x.repayment[i] <= max(0, start)
                    if r.cap_at_contractual:
                        cap = contractual_cap(loan, new, i, start)
                        assert x.repayment[i] <= cap, (bank.name, x.name, periods[i])
                        lender_total += x.repayment[i]
                        lender_cap += cap
                if x.closing_balance[i] < 0:
                    assert "PLAN_LOAN_NEGATIVE" in codes
                if (
                    x.plan_maturity is not None
                    and x.closing_balance[i] > 0
                    and Period.parse(periods[i]).index >= Period.parse(x.plan_maturity).index
                ):
                    assert "PLAN_LOAN_PAST_MATURITY" in codes
            assert lender_total <= lender_cap
    # shares: exact Decimals (summed here at 28 digits), and the parts add up to the whole
    for i in range(len(periods)):
        shares = [b.shares[i] for b in projection.banks]
        if shares and all(s is not None for s in shares):
            assert abs(sum(s for s in shares if s is not None) - 1) < Decimal("1e-20")
        details = projection.plan_years[i].details
        assert details is not None
        rescheduled = sum(x.repayment[i] for b in projection.banks for x in b.loans if x.rescheduled)
        if r is not None and r.from_year <= i + 1 <= r.until_year:
            assert rescheduled == details.rescheduled_repayment
            assert sum(b.redistributed[i] for b in projection.banks) == 0
    if r is not None and r.shares:
        agreed = dict(r.shares)
        for b in projection.banks:
            assert b.share_basis == "negotiated"
            assert b.share == agreed.get(b.name, 0)


@LENDER_SETTINGS
@given(
    st.integers(10**7, 10**9),
    st.integers(1, 10**8),
    st.integers(0, 10**8),
    st.sampled_from(["balance", "uncovered"]),
    st.booleans(),
)
def test_equal_balances_after_forgiveness_get_equal_shares(
    uncovered: int, forgiven: int, covered: int, basis: str, named: bool
) -> None:
    """Bank A forgives `forgiven` of its claim, leaving exactly what bank B has: from that
    year on their shares are equal, and so (uncapped) are their repayments, within one yen."""
    debt = 2 * (uncovered + covered) + forgiven
    data: dict[str, Any] = {
        "program": "405-gl",
        "company": {"name": "テスト", "fiscal_year_end_month": 3},
        "actuals": [
            {
                "period": "2025-03",
                "pl": {"sales": 3_000_000_000, "cost_of_sales": 2_000_000_000, "sga": 700_000_000},
                "bs": {"cash": 500_000_000, "receivables": 100_000_000, "inventory": 0, "other_current_assets": 0,
                       "fixed_assets": debt + 500_000_000, "payables": 50_000_000, "interest_bearing_debt": debt,
                       "other_liabilities": 0},
            }
        ],
        "drivers": {
            "years": 3,
            "sales": {"growth": 0},
            "cost_of_sales": {"ratio": 0.65},
            "sga": [{"name": "経費", "kind": "fixed", "amount": 700_000_000}],
            "depreciation": {"existing": 0},
            "tax": {"rate": 0.3, "per_capita": 0},
        },
        "banks": [
            {"name": "A", "loans": [{"name": "a", "balance": uncovered + covered + forgiven, "rate": 0.01,
                                     "annual_repayment": 10**9, "covered": covered}]},
            {"name": "B", "loans": [{"name": "b", "balance": uncovered + covered, "rate": 0.01,
                                     "annual_repayment": 10**9, "covered": covered}]},
        ],
        "financial_support": {
            "rescheduling": {"basis": basis, "cap_at_contractual": False},
            "forgiveness": [{"bank": "A", "amount": forgiven, "year": 1, **({"loan": "a"} if named else {})}],
        },
    }  # fmt: skip
    projection = project(parse_plan(data))
    a, b = projection.banks
    for i in range(3):
        assert a.shares[i] == b.shares[i]
        if a.closing_balance[i] > 0 and b.closing_balance[i] > 0:
            assert abs(a.repayment[i] - b.repayment[i]) <= 1
    base_date = project(parse_plan({**data, "financial_support": {
        **data["financial_support"], "rescheduling": {"basis": basis, "share_timing": "base_date"}}}))  # fmt: skip
    assert base_date.banks[0].shares[0] is not None and base_date.banks[1].shares[0] is not None
    assert base_date.banks[0].shares[0] > base_date.banks[1].shares[0]


# --------------------------------------------------------------------------- examples

PLANS = Path(__file__).parents[1] / "data" / "plans"


def test_negotiated_shares_are_applied_and_shown_as_negotiated() -> None:
    from keiei.plan import load_plan

    plan = load_plan(PLANS / "405-negotiated.yaml")
    projection = project(plan)
    main, shinkin = projection.banks
    assert (main.share, shinkin.share) == (Decimal("0.6"), Decimal("0.4"))
    assert main.share_basis == "negotiated" == projection.share_basis
    assert main.covered == 16_000_000  # guarantee_ratio 0.8 of 20,000,000
    out = to_dict(projection)
    assert out["financial_support"]["rescheduling"]["shares"] == {"メイン銀行": 0.6, "第二信用金庫": 0.4}
    assert out["financial_support"]["rescheduling"]["terms_start"] == "2025-06"
    assert out["financial_support"]["notes"].startswith("返済シェアは")
    loan = out["banks"][0]["loans"][0]
    assert loan["interest_treatment"] == "reduced" and loan["plan_rate"] == 0.01
    # agreed in 2025-06, the third month of plan year 1: April and May on the old terms
    # (2 % interest, 6,000,000 a year → 1,000,000), the ten months after on the plan's
    assert loan["interest"]["2026-03"] == 233_333  # 20,000,000 × (2 % × 2 + 1 % × 10) ÷ 12
    old_terms = 1_000_000
    for y, p in enumerate(projection.plan_periods):
        before = old_terms if y == 0 else 0
        main_new, shinkin_new = main.repayment[y] - before, shinkin.repayment[y] - before
        capped = main.repayment[y] == 6_000_000 or shinkin.repayment[y] == 6_000_000
        if main_new + shinkin_new and not capped:
            assert abs(main_new - (main_new + shinkin_new) * Decimal("0.6")) <= 1, p
        months = 10 if y == 0 else 12
        assert loan["monthly_instalment"][p] == to_yen(Decimal(main_new) / months, "half_up"), p
    assert loan["monthly_instalment"]["2026-03"] == 424_300  # (5,243,000 − 1,000,000) ÷ 10


def test_negotiated_shares_must_sum_to_100_percent() -> None:
    import yaml

    from keiei.plan import PlanInputError

    data = yaml.safe_load((PLANS / "405-negotiated.yaml").read_text(encoding="utf-8"))
    data["financial_support"]["rescheduling"]["shares"] = {"メイン銀行": 0.6, "第二信用金庫": 0.3}
    try:
        parse_plan(data)
    except PlanInputError as exc:
        assert exc.field == "financial_support.rescheduling.shares"
        assert "financial_support.rescheduling.shares" in exc.message_ja and "100%" in exc.message_ja
    else:
        raise AssertionError("shares summing to 90 % were accepted")


def test_guarantee_ratio_and_covered_are_exclusive() -> None:
    import yaml

    from keiei.plan import PlanInputError

    data = yaml.safe_load((PLANS / "405-negotiated.yaml").read_text(encoding="utf-8"))
    data["banks"][0]["loans"][0]["covered"] = 1
    try:
        parse_plan(data)
    except PlanInputError as exc:
        assert "guarantee_ratio" in exc.message_ja
    else:
        raise AssertionError("covered and guarantee_ratio together were accepted")


def test_ryokan_shares_follow_the_forgiveness() -> None:
    from keiei.plan import load_plan

    projection = project(load_plan(Path(__file__).parents[2] / "examples" / "405gl-ryokan.yaml"))
    shares = [round(b.share * 1000) for b in projection.banks if b.share is not None]
    assert shares == [268, 366, 366]  # 66 : 90 : 90 after forgiveness (base date: 423 : 361 : 216)
    base = [round(b.base_share * 1000) for b in projection.banks if b.base_share is not None]
    assert base == [423, 361, 216]
    koko = projection.banks[2]
    assert all(r <= 10_800_000 for r in koko.repayment)  # never above its contract (900,000 × 12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=6),
    st.sampled_from(["truncate", "half_up"]),
)
def test_the_engines_inlined_monthly_instalments_are_the_one_rule(annual: list[int], rounding: str) -> None:
    """keiei.finance.schedule.monthly_instalments (the engine's loop) equals monthly_instalment
    (the one place the instalment is rounded) for every amount and rounding."""
    from keiei.finance.schedule import monthly_instalment, monthly_instalments

    assert monthly_instalments(annual, rounding) == tuple(monthly_instalment(a, rounding) for a in annual)  # type: ignore[arg-type]
