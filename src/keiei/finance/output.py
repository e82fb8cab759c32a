"""The projection as a JSON-ready dict: the contract other tools read.

Stable keys (never renamed; new keys may be added beside them): `program`, `company`,
`years` (actual then plan, oldest first; each with `period`, `kind`, `pl`, `bs`, `cf`,
`indicators`), `banks`. Amounts are integer yen. Ratios are exact Decimals inside keiei and
become JSON numbers only here, rounded half-up to 4 decimals (`RATIO_PLACES`); undefined
values are null. Nothing here is float before this boundary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from keiei.finance.cash import cash_schedule
from keiei.finance.indicators import REPAYMENT_YEARS_FORMULAS
from keiei.finance.projection import Projection
from keiei.finance.statements import BS, CF, PL, BankResult, Indicators, PlanDetails, YearResult

RATIO_PLACES = 4
_QUANTUM = Decimal(1).scaleb(-RATIO_PLACES)

PL_KEYS = (
    "sales",
    "cost_of_sales",
    "gross_profit",
    "sga",
    "operating_profit",
    "non_operating_income",
    "non_operating_expenses",
    "interest_expense",
    "ordinary_profit",
    "extraordinary_income",
    "extraordinary_loss",
    "pretax_income",
    "income_taxes",
    "net_income",
    "depreciation",
)
BS_KEYS = (
    "cash",
    "receivables",
    "inventory",
    "other_current_assets",
    "fixed_assets",
    "total_assets",
    "payables",
    "interest_bearing_debt",
    "other_liabilities",
    "total_liabilities",
    "net_assets",
    "adjusted_net_assets",
)
CF_KEYS = ("operating", "investing", "financing", "cash_begin", "cash_end", "dividends", "equity_issued")
CF_DETAIL_KEYS = (
    "net_income",
    "depreciation",
    "noncash_items",
    "working_capital_change",
    "capex",
    "borrowing",
    "repayment",
    "other_debt_repayment",
)
INDICATOR_KEYS = (
    "normal_working_capital",
    "debt_repayment_years",
    "sales_growth",
    "operating_margin",
    "labor_productivity",
    "ebitda_debt_ratio",
    "working_capital_months",
    "equity_ratio",
    "breakeven_sales",
)


def ratio(value: Decimal | None, places: int = RATIO_PLACES) -> float | None:
    """A ratio for JSON: half-up to `places` decimals, then float (the only float)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        return float(
            value.quantize(_QUANTUM if places == RATIO_PLACES else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        )


def to_dict(projection: Projection, *, cash_table: bool = True) -> dict[str, Any]:
    """The projection as plain dicts, lists, str, int, float and None (json.dumps-able)."""
    plan = projection.plan
    c = plan.company
    periods = projection.plan_periods
    out: dict[str, Any] = {
        "program": plan.program,
        "company": {
            "name": c.name,
            "postal_code": c.postal_code,
            "address": c.address,
            "industry": c.industry,
            "employees": c.employees,
            "fiscal_year_end_month": c.fiscal_year_end_month,
            "founded": c.founded,
            "capital": c.capital,
            "representative": c.representative,
            "business": c.business,
        },
        "years": [_year(y) for y in projection.years],
        "banks": [_bank(b, periods) for b in projection.banks],
        "scenario": {"name": projection.scenario.name, "label": projection.scenario.label},
        "debt_repayment_years_variant": {
            "name": projection.variant,
            "formula": REPAYMENT_YEARS_FORMULAS[projection.variant],
        },
        "base_period": str(plan.base_period),
        "display_unit": plan.display_unit,
        "share_basis": projection.share_basis,
        "other_interest_bearing_debt": projection.other_debt_opening,
        "financial_support": _support(projection),
    }
    if cash_table:
        out["cash_table"] = [
            {
                "month": mo.month,
                "kind": mo.kind,
                "cash_begin": mo.cash_begin,
                "operating_in": mo.operating_in,
                "operating_out": mo.operating_out,
                "operating": mo.operating,
                "investing": mo.investing,
                "financing": mo.financing,
                "cash_end": mo.cash_end,
            }
            for mo in cash_schedule(plan, projection)
        ]
    return out


def _support(projection: Projection) -> dict[str, Any]:
    """What is asked of the banks, as the scenario applies it (empty when support is off)."""
    fs = projection.plan.financial_support
    on = projection.scenario.financial_support
    r = fs.rescheduling if on else None
    return {
        "rescheduling": None
        if r is None
        else {
            "basis": r.basis,
            "from_year": r.from_year,
            "until_year": r.until_year,
            "minimum_cash": r.minimum_cash,
            "capacity_share": ratio(r.capacity_share),
            "deduct_maintenance_capex": r.deduct_maintenance_capex,
            "cap_at_contractual": r.cap_at_contractual,
        },
        "forgiveness": [
            {"bank": f.bank, "loan": f.loan, "amount": f.amount, "period": projection.plan_periods[f.year - 1]}
            for f in (fs.forgiveness if on else ())
        ],
        "new_money": [
            {
                "bank": bank.name,
                "loan": loan.name,
                "amount": loan.amount,
                "period": projection.plan_periods[loan.year - 1],
            }
            for bank in projection.plan.banks
            for loan in bank.new_loans
            if loan.support
        ],
    }


def _pl(pl: PL) -> dict[str, int]:
    return {k: getattr(pl, k) for k in PL_KEYS}


def _bs(bs: BS | None) -> dict[str, int] | None:
    return None if bs is None else {k: getattr(bs, k) for k in BS_KEYS}


def _cf(cf: CF | None) -> dict[str, int] | None:
    if cf is None:
        return None
    out = {k: getattr(cf, k) for k in CF_KEYS}
    out.update({k: getattr(cf, k) for k in CF_DETAIL_KEYS})
    return out


def _indicators(ind: Indicators) -> dict[str, Any]:
    return {
        "normal_working_capital": ind.normal_working_capital,
        "debt_repayment_years": ratio(ind.debt_repayment_years),
        "sales_growth": ratio(ind.sales_growth),
        "operating_margin": ratio(ind.operating_margin),
        "labor_productivity": ind.labor_productivity,
        "ebitda_debt_ratio": ratio(ind.ebitda_debt_ratio),
        "working_capital_months": ratio(ind.working_capital_months),
        "equity_ratio": ratio(ind.equity_ratio),
        "breakeven_sales": ind.breakeven_sales,
        "debt_repayment_years_variant": ind.debt_repayment_years_variant,
        "adjusted_equity_ratio": ratio(ind.adjusted_equity_ratio),
        "fixed_costs": ind.fixed_costs,
        "variable_costs": ind.variable_costs,
        "simple_cash_flow": ind.simple_cash_flow,
        "employees": ind.employees,
    }


def _details(d: PlanDetails | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "sales_by_segment": dict(d.sales_by_segment),
        "sga_items": dict(d.sga_items),
        "variable_cost_of_sales": d.variable_cost_of_sales,
        "loss_carryforward": d.loss_carryforward,
        "repayment_capacity": d.repayment_capacity,
        "rescheduled_repayment": d.rescheduled_repayment,
        "scheduled_repayment": d.scheduled_repayment,
        "maintenance_capex": d.maintenance_capex,
        "forgiveness": d.forgiveness,
        "other_interest_bearing_debt": d.other_interest_bearing_debt,
    }


def _year(y: YearResult) -> dict[str, Any]:
    return {
        "period": y.period,
        "kind": y.kind,
        "pl": _pl(y.pl),
        "bs": _bs(y.bs),
        "cf": _cf(y.cf),
        "indicators": _indicators(y.indicators),
        "adjusted_bs": _bs(y.adjusted_bs),
        "details": _details(y.details),
    }


def _by_period(values: tuple[int, ...], periods: tuple[str, ...]) -> dict[str, int]:
    return dict(zip(periods, values, strict=True))


def _bank(b: BankResult, periods: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": b.name,
        "main": b.main,
        "balance": b.balance,
        "covered": b.covered,
        "uncovered": b.uncovered,
        "share": ratio(b.share),
        "share_basis": b.share_basis,
        "repayment": _by_period(b.repayment, periods),
        "closing_balance": _by_period(b.closing_balance, periods),
        "contractual_repayment": _by_period(b.contractual_repayment, periods),
        "contractual_closing_balance": _by_period(b.contractual_closing_balance, periods),
        "borrowing": _by_period(b.borrowing, periods),
        "forgiven": _by_period(b.forgiven, periods),
        "interest": _by_period(b.interest, periods),
        "loans": [
            {
                "name": x.name,
                "new": x.new,
                "rescheduled": x.rescheduled,
                "support": x.support,
                "balance": x.balance,
                "covered": x.covered,
                "uncovered": x.balance - x.covered if not x.new else 0,
                "rate": ratio(x.rate, 6),
                "guarantor": x.guarantor,
                "repayment": _by_period(x.repayment, periods),
                "closing_balance": _by_period(x.closing_balance, periods),
                "contractual_repayment": _by_period(x.contractual_repayment, periods),
                "borrowing": _by_period(x.borrowing, periods),
                "forgiven": _by_period(x.forgiven, periods),
                "interest": _by_period(x.interest, periods),
            }
            for x in b.loans
        ],
    }
