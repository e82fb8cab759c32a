"""Property tests: the statement identities hold exactly, in integer yen, for any valid plan.

Plans are drawn as *file data* (what a user could write) and go through `parse_plan`, so the
schema, the loader and the engine are exercised together; every scenario is projected.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keiei.finance import project, scenario_names, to_dict, validate_plan
from keiei.finance.projection import Projection
from keiei.plan import parse_plan
from keiei.plan.model import Plan

PROPERTY_SETTINGS = settings(
    derandomize=True,
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SMALL = st.integers(0, 10**9)
ANY_SIZE = st.one_of(st.integers(0, 10**9), st.integers(0, 10**15))
SIGNED = st.integers(-(10**9), 10**9)


def ratio(low: str = "0", high: str = "2") -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=4, allow_nan=False, allow_infinity=False)


def series(draw: st.DrawFn, element: st.SearchStrategy[Any], years: int) -> Any:
    if draw(st.booleans()):
        return draw(element)
    return draw(st.lists(element, min_size=years, max_size=years))


def period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@st.composite
def plan_data(draw: st.DrawFn) -> dict[str, Any]:
    years = draw(st.integers(1, 5))
    month = draw(st.integers(1, 12))
    # Half the plans are shaped like a real company (profitable enough to repay, cash above
    # the reserve) so that rescheduling, caps and redistribution among banks are exercised.
    healthy = draw(st.booleans())
    n_actuals = draw(st.integers(1, 3))
    first_year = 2021
    segment_names = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=3))
    actuals = []
    for k in range(n_actuals):
        if healthy:
            size = draw(st.integers(10**9, 10**10))
            pl: dict[str, Any] = {
                "sales": size,
                "cost_of_sales": size * draw(st.integers(50, 80)) // 100,
                "sga": size * draw(st.integers(5, 20)) // 100,
                "non_operating_income": draw(st.integers(0, 10**6)),
                "non_operating_expenses": draw(st.integers(0, 10**7)),
            }
        else:
            pl = {
                "sales": draw(ANY_SIZE),
                "cost_of_sales": draw(SMALL),
                "sga": draw(SMALL),
                "non_operating_income": draw(SMALL),
                "non_operating_expenses": draw(SMALL),
                "interest_expense": draw(SMALL),
                "extraordinary_income": draw(SMALL),
                "extraordinary_loss": draw(SMALL),
                "income_taxes": draw(SIGNED),
                "depreciation": draw(SMALL),
            }
        actual: dict[str, Any] = {"period": period(first_year + k, month), "pl": pl}
        if k == n_actuals - 1 or draw(st.booleans()):
            if healthy:
                size = pl["sales"]
                actual["bs"] = {
                    "cash": size // draw(st.integers(4, 12)),
                    "receivables": size // draw(st.integers(4, 12)),
                    "inventory": size // draw(st.integers(6, 24)),
                    "other_current_assets": draw(st.integers(0, 10**7)),
                    "fixed_assets": size // draw(st.integers(2, 5)),
                    "payables": size // draw(st.integers(6, 24)),
                    "interest_bearing_debt": 0,
                    "other_liabilities": draw(st.integers(0, 10**7)),
                }
            else:
                actual["bs"] = {
                    "cash": draw(SMALL),
                    "receivables": draw(SMALL),
                    "inventory": draw(SMALL),
                    "other_current_assets": draw(SMALL),
                    "fixed_assets": draw(ANY_SIZE),
                    "payables": draw(SMALL),
                    "interest_bearing_debt": draw(SMALL),
                    "other_liabilities": draw(SMALL),
                }
            lines = ["cash", "receivables", "inventory", "other_current_assets", "fixed_assets", "payables",
                     "interest_bearing_debt", "other_liabilities"]  # fmt: skip
            actual["adjustments"] = [
                {
                    "item": f"adj{j}",
                    "line": draw(st.sampled_from(lines)),
                    "amount": draw(SIGNED),
                    "reason": "test",
                    **({"ends_year": draw(st.integers(1, years))} if draw(st.booleans()) else {}),
                }
                for j in range(draw(st.integers(0, 3)))
            ]
        if k == n_actuals - 1 and segment_names:
            actual["segments"] = {name: draw(st.integers(10**8, 10**9) if healthy else SMALL) for name in segment_names}
        actuals.append(actual)

    kind = draw(st.sampled_from(["growth", "amounts", "segments"] if segment_names else ["growth", "amounts"]))
    if kind == "growth":
        growth = ratio("-0.1", "0.2") if healthy else ratio("-1", "10")
        sales: dict[str, Any] = {"growth": series(draw, growth, years)}
    elif kind == "amounts":
        sales = {"amounts": series(draw, st.integers(10**9, 10**10) if healthy else ANY_SIZE, years)}
    else:
        sales = {
            "segments": [
                {"name": name, "growth": series(draw, ratio("-1", "1"), years)}
                if draw(st.booleans())
                else {"name": name, "amounts": series(draw, st.integers(10**8, 10**9) if healthy else SMALL, years)}
                for name in segment_names
            ]
        }
    sga_names = draw(st.lists(st.sampled_from(["人件費", "家賃", "運賃", "広告費", "雑費"]), unique=True, max_size=4))
    sga = []
    for name in sga_names:
        item_kind = draw(st.sampled_from(["fixed", "personnel", "variable"]))
        if item_kind == "variable":
            sga.append(
                {"name": name, "kind": item_kind, "ratio": series(draw, ratio("0", "0.05" if healthy else "1"), years)}
            )
        else:
            amount = st.integers(0, 10**7) if healthy else SMALL
            sga.append({"name": name, "kind": item_kind, "amount": series(draw, amount, years)})

    def turnover() -> dict[str, Any]:
        t: dict[str, Any] = (
            {"months": series(draw, ratio("0", "3" if healthy else "24"), years)}
            if draw(st.booleans())
            else {"days": series(draw, ratio("0", "90" if healthy else "400"), years)}
        )
        if draw(st.booleans()):
            t["basis"] = draw(st.sampled_from(["sales", "cost_of_sales"]))
        return t

    working_capital = {line: turnover() for line in ("receivables", "inventory", "payables") if draw(st.booleans())}
    tax: dict[str, Any] = {"rate": draw(ratio("0", "1")), "per_capita": draw(st.integers(0, 10**6))}
    if draw(st.booleans()):
        tax["loss_carryforward"] = draw(SMALL)
    if draw(st.booleans()):
        tax["offset_limit"] = draw(ratio("0", "1"))
    if draw(st.booleans()):
        tax["reduced_rate"] = draw(ratio("0", "1"))
        tax["reduced_limit"] = draw(st.integers(0, 10**8))
    drivers: dict[str, Any] = {
        "years": years,
        "sales": sales,
        "cost_of_sales": {
            "ratio": series(draw, ratio("0.3", "0.8") if healthy else ratio("0", "2"), years),
            "fixed": series(draw, st.integers(0, 10**7) if healthy else SMALL, years),
        },
        "sga": sga,
        "depreciation": {"existing": series(draw, st.integers(0, 10**7 if healthy else 10**8), years)},
        "capex": [
            {
                "name": f"capex{j}",
                "year": draw(st.integers(1, years)),
                "amount": draw(SMALL),
                "useful_life": draw(st.integers(1, 12)),
                "purpose": draw(st.sampled_from(["maintenance", "growth"])),
            }
            for j in range(draw(st.integers(0, 3)))
        ],
        "working_capital": working_capital,
        "tax": tax,
    }
    for key in ("other_current_assets", "other_liabilities", "non_operating_income", "non_operating_expenses",
                "extraordinary_income", "extraordinary_loss", "asset_writedowns", "dividends", "equity_issued"):  # fmt: skip
        if draw(st.booleans()):
            drivers[key] = series(draw, st.integers(0, 10**6 if healthy else 10**8), years)
    if draw(st.booleans()):
        drivers["other_debt"] = {
            "rate": draw(ratio("0", "0.2")),
            "repayment": series(draw, st.integers(0, 10**7), years),
        }
    if draw(st.booleans()):
        drivers["employees"] = series(draw, st.integers(0, 500), years)

    banks = []
    for b in range(draw(st.integers(0, 3))):
        loans = []
        for j in range(draw(st.integers(0, 3))):
            balance = draw(st.integers(10**7, 10**9) if healthy else SMALL)
            loan: dict[str, Any] = {
                "name": f"loan{j}",
                "balance": balance,
                "rate": draw(ratio("0", "0.03" if healthy else "0.2")),
                "covered": draw(st.integers(0, balance if healthy else balance + balance // 5)),
                "rescheduled": healthy or draw(st.booleans()),
            }
            modes = ["monthly", "annual"] if healthy else ["monthly", "annual", "schedule", "none"]
            mode = draw(st.sampled_from(modes))
            if mode == "monthly":
                loan["monthly_repayment"] = draw(st.integers(balance // 120 if healthy else 0, 10**7))
            elif mode == "annual":
                loan["annual_repayment"] = draw(st.integers(balance // 10 if healthy else 0, 10**8))
            elif mode == "schedule":
                loan["schedule"] = series(draw, st.integers(0, 10**8), years)
            if draw(st.booleans()):
                loan["maturity"] = period(
                    first_year + n_actuals - 1 + draw(st.integers(-1, 6)), draw(st.integers(1, 12))
                )
            loans.append(loan)
        new_loans = []
        for j in range(draw(st.integers(0, 2))):
            new: dict[str, Any] = {
                "name": f"new{j}",
                "year": draw(st.integers(1, years)),
                "amount": draw(st.integers(1, 10**9)),
                "rate": draw(ratio("0", "0.03" if healthy else "0.2")),
                "grace_years": draw(st.integers(0, 3)),
                "covered": draw(st.integers(0, 10**8)),
                "rescheduled": draw(st.booleans()),
            }
            if draw(st.booleans()):
                new["term_years"] = draw(st.integers(1, 15))
            else:
                new["annual_repayment"] = draw(st.integers(0, 10**8))
            new_loans.append(new)
        banks.append({"name": f"bank{b}", "main": b == 0, "loans": loans, "new_loans": new_loans})
    loans_total = sum(loan["balance"] for bank in banks for loan in bank["loans"])
    # Usually the BS debt covers the bank loans (plus other debt); sometimes not (a finding).
    actuals[-1]["bs"]["interest_bearing_debt"] = max(0, loans_total + draw(st.integers(-(10**7), 10**8)))

    support: dict[str, Any] = {}
    if banks and draw(st.booleans()):
        from_year = draw(st.integers(1, years))
        support["rescheduling"] = {
            "basis": draw(st.sampled_from(["balance", "uncovered"])),
            "from_year": from_year,
            "until_year": draw(st.integers(from_year, years)),
            "minimum_cash": draw(st.integers(0, 10**7 if healthy else 10**8)),
            "capacity_share": draw(ratio("0.5" if healthy else "0", "1")),
            "deduct_maintenance_capex": draw(st.booleans()),
            "cap_at_contractual": draw(st.booleans()),
        }
    if banks and draw(st.booleans()):
        support["forgiveness"] = [
            {
                "bank": f"bank{draw(st.integers(0, len(banks) - 1))}",
                "amount": draw(st.integers(1, 10**9)),
                "year": draw(st.integers(1, years)),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]

    actions = []
    for a in range(draw(st.integers(0, 3))):
        effects = []
        for _ in range(draw(st.integers(0, 3))):
            line = draw(st.sampled_from(["sales", "cost_of_sales", "sga", "non_operating_income", "non_operating_expenses",
                                         "extraordinary_income", "extraordinary_loss"]))  # fmt: skip
            if line == "sga" and not sga_names:
                line = "sales"
            from_year = draw(st.integers(1, years))
            effect: dict[str, Any] = {"line": line, "from_year": from_year}
            if draw(st.booleans()):
                effect["until_year"] = draw(st.integers(from_year, years))
            if line == "sga":
                effect["item"] = draw(st.sampled_from(sga_names))
            if line == "sales" and segment_names and kind == "segments" and draw(st.booleans()):
                effect["segment"] = draw(st.sampled_from(segment_names))
            if line in {"sales", "cost_of_sales", "sga"} and draw(st.booleans()):
                effect["ratio"] = draw(ratio("-0.5", "0.5"))
            else:
                effect["amount"] = draw(st.integers(-(10**7), 10**7))
            effects.append(effect)
        actions.append({"measure": f"action{a}", "effects": effects})

    data: dict[str, Any] = {
        "program": draw(st.sampled_from(["early", "405", "405-gl"])),
        "company": {"name": "テスト", "fiscal_year_end_month": month, "employees": draw(st.integers(0, 300))},
        "settings": {"rounding": draw(st.sampled_from(["half_up", "truncate"]))},
        "actuals": actuals,
        "drivers": drivers,
        "banks": banks,
        "financial_support": support,
        "action_plan": actions,
    }
    if draw(st.booleans()):
        data["scenarios"] = [
            {
                "name": "stress",
                "sales_factor": draw(ratio("0", "2")),
                "growth_delta": draw(ratio("-0.5", "0.5")),
                "cost_of_sales_ratio_delta": draw(ratio("-0.2", "0.2")),
                "sga_factor": draw(ratio("0", "2")),
                "action_effect_share": draw(ratio("0", "1")),
                "financial_support": draw(st.booleans()),
            }
        ]
    if draw(st.booleans()):
        data["cash_table"] = {
            "months": [
                {
                    "month": period(first_year + n_actuals - 1, 1 + k) if k < 12 else period(first_year + n_actuals, 1),
                    "kind": "actual" if k < 2 else "plan",
                    "operating_in": {"入金": draw(SMALL)},
                    "operating_out": {"出金": draw(SMALL)},
                    "financing_out": {"返済": draw(st.integers(0, 10**7))},
                }
                for k in range(draw(st.integers(0, 4)))
            ]
        }
    return data


def assert_identities(plan: Plan, projection: Projection) -> None:
    previous = None
    for year in projection.years:
        pl, bs = year.pl, year.bs
        # profit chain
        assert pl.gross_profit == pl.sales - pl.cost_of_sales
        assert pl.operating_profit == pl.gross_profit - pl.sga
        assert pl.ordinary_profit == pl.operating_profit + pl.non_operating_income - pl.non_operating_expenses
        assert pl.pretax_income == pl.ordinary_profit + pl.extraordinary_income - pl.extraordinary_loss
        assert pl.net_income == pl.pretax_income - pl.income_taxes
        for value in (pl.sales, pl.net_income, pl.income_taxes):
            assert type(value) is int
        if bs is not None:
            assets = bs.cash + bs.receivables + bs.inventory + bs.other_current_assets + bs.fixed_assets
            assert bs.total_assets == assets
            assert bs.total_liabilities == bs.payables + bs.interest_bearing_debt + bs.other_liabilities
            assert bs.total_assets == bs.total_liabilities + bs.net_assets
            adjusted = year.adjusted_bs
            assert adjusted is not None
            assert adjusted.net_assets == bs.adjusted_net_assets
            assert adjusted.total_assets == adjusted.total_liabilities + adjusted.net_assets
        if year.kind == "plan":
            cf, details = year.cf, year.details
            assert cf is not None and details is not None and bs is not None and previous is not None
            prev_bs = previous.bs
            assert prev_bs is not None
            assert cf.cash_begin == prev_bs.cash
            assert cf.cash_end == cf.cash_begin + cf.operating + cf.investing + cf.financing
            assert cf.cash_end == bs.cash
            assert bs.net_assets == prev_bs.net_assets + pl.net_income - cf.dividends + cf.equity_issued
            assert (
                cf.financing == cf.borrowing - cf.repayment - cf.other_debt_repayment + cf.equity_issued - cf.dividends
            )
            assert cf.investing == -cf.capex
            assert cf.repayment == details.scheduled_repayment + details.rescheduled_repayment
            assert details.rescheduled_repayment >= 0
            assert details.loss_carryforward >= 0
            assert pl.income_taxes >= plan.drivers.tax.per_capita
            if details.repayment_capacity is not None:
                room = details.repayment_capacity - details.scheduled_repayment - cf.other_debt_repayment
                assert details.rescheduled_repayment <= max(0, room)
                minimum = plan.financial_support.rescheduling.minimum_cash if plan.financial_support.rescheduling else 0
                if details.rescheduled_repayment > 0:
                    assert bs.cash >= minimum
        previous = year

    # The plan years' tax, by its bounds and the carry-forward's bookkeeping — not by restating
    # the formula (hand-worked amounts: tests/finance/test_tax.py).
    tax = plan.drivers.tax
    top_rate = max(tax.rate, tax.reduced_rate or tax.rate)
    carry = tax.loss_carryforward
    for year in projection.plan_years:
        assert year.details is not None
        pretax, after = year.pl.pretax_income, year.details.loss_carryforward
        if pretax <= 0:  # a loss: only 均等割, and the loss is carried forward in full
            assert year.pl.income_taxes == tax.per_capita
            assert after == carry - pretax
        else:  # a profit: the carry-forward is used, never beyond the allowed share of income
            used = carry - after
            assert 0 <= used <= pretax * tax.offset_limit
            assert tax.per_capita <= year.pl.income_taxes <= (pretax - used) * top_rate + tax.per_capita + 1
        carry = after

    # debt on the BS = banks' closing balances + other interest-bearing debt
    plan_years = projection.plan_years
    for i, year in enumerate(plan_years):
        assert year.bs is not None and year.details is not None
        banks_total = sum(bank.closing_balance[i] for bank in projection.banks)
        assert year.bs.interest_bearing_debt == banks_total + year.details.other_interest_bearing_debt
    for bank in projection.banks:
        opening = bank.balance + 0
        for loan in bank.loans:
            balance = loan.balance
            for i in range(len(plan_years)):
                balance = balance + loan.borrowing[i] - loan.forgiven[i] - loan.repayment[i]
                assert loan.closing_balance[i] == balance
        assert opening == sum(loan.balance for loan in bank.loans if not loan.new)
    shares = [bank.share for bank in projection.banks if bank.share is not None]
    if shares:
        assert abs(sum(shares) - 1) < Decimal("1e-20")


@PROPERTY_SETTINGS
@given(plan_data())
def test_identities_hold_exactly_for_any_valid_plan_and_scenario(data: dict[str, Any]) -> None:
    plan = parse_plan(data)
    for name in scenario_names(plan):
        projection = project(plan, name)
        assert_identities(projection.plan, projection)
    validate_plan(plan)  # never raises


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_data())
def test_json_output_has_the_contract_keys_and_only_json_types(data: dict[str, Any]) -> None:
    plan = parse_plan(data)
    out = to_dict(project(plan))
    assert {"program", "company", "years", "banks"} <= set(out)
    for year in out["years"]:
        assert {"period", "kind", "pl", "bs", "cf", "indicators"} <= set(year)
        assert all(type(v) is int for v in year["pl"].values())
        if year["bs"] is not None:
            assert all(type(v) is int for v in year["bs"].values())
        if year["kind"] == "plan":
            assert all(type(v) is int for v in year["cf"].values())
        for key in ("debt_repayment_years", "sales_growth", "operating_margin", "ebitda_debt_ratio",
                    "working_capital_months", "equity_ratio"):  # fmt: skip
            assert year["indicators"][key] is None or type(year["indicators"][key]) is float
        for key in ("normal_working_capital", "labor_productivity", "breakeven_sales"):
            assert year["indicators"][key] is None or type(year["indicators"][key]) is int
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out


@settings(derandomize=True, max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_data())
def test_projection_is_deterministic(data: dict[str, Any]) -> None:
    plan = parse_plan(data)
    assert to_dict(project(plan)) == to_dict(project(plan))
