"""The projection as a JSON-ready dict: the contract other tools read.

Stable keys (never renamed; new keys may be added beside them): `program`, `company`,
`years` (actual then plan, oldest first; each with `period`, `kind`, `pl`, `bs`, `cf`,
`indicators`), `banks`. Amounts are integer yen. Ratios are exact Decimals inside keiei and
become JSON numbers only here, rounded half-up to 4 decimals (`RATIO_PLACES`); undefined
values are null. Nothing here is float before this boundary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, getcontext
from operator import attrgetter, itemgetter
from typing import Any

from keiei.finance.cash import _rows as cash_rows
from keiei.finance.display import shown_value
from keiei.finance.indicators import REPAYMENT_YEARS_FORMULAS
from keiei.finance.projection import Projection
from keiei.finance.schedule import months_on_old_terms, terms_start
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
    return _ratio(value, _context(), places)


def _context() -> Context:
    """The caller's decimal context at 60 digits (what `localcontext` would give)."""
    ctx = getcontext().copy()
    ctx.prec = 60
    return ctx


def _ratio(value: Decimal | None, ctx: Context, places: int = RATIO_PLACES) -> float | None:
    if value is None:
        return None
    quantum = _QUANTUM if places == RATIO_PLACES else Decimal(1).scaleb(-places, ctx)
    return float(value.quantize(quantum, ROUND_HALF_UP, ctx))


def to_dict(projection: Projection, *, cash_table: bool = True) -> dict[str, Any]:
    """The projection as plain dicts, lists, str, int, float and None (json.dumps-able)."""
    plan = projection.plan
    c = plan.company
    periods = projection.plan_periods
    ctx = _context()
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
            "representative_note": c.representative_note,
            "business": c.business,
        },
        "years": [_year(y, ctx) for y in projection.years],
        "banks": [_bank(b, periods, ctx) for b in projection.banks],
        "scenario": {"name": projection.scenario.name, "label": projection.scenario.label},
        "debt_repayment_years_variant": {
            "name": projection.variant,
            "formula": REPAYMENT_YEARS_FORMULAS[projection.variant],
        },
        "base_period": str(plan.base_period),
        "display_unit": plan.display_unit,
        "share_basis": projection.share_basis,
        "other_interest_bearing_debt": projection.other_debt_opening,
        "financial_support": _support(projection, ctx),
        "interest_bearing_debt_bridge": _debt_bridge(projection),
    }
    for year, basis in zip(out["years"], net_assets_bases(projection), strict=True):
        year["net_assets_basis"] = basis
    if cash_table:
        out["cash_table"] = [
            dict(zip(CASH_KEYS, _cash_columns(row), strict=True)) for row, _ in cash_rows(plan, projection)
        ]
    return out


#: The cash table's keys and the CashRow columns they come from.
CASH_KEYS = ("month", "kind", "cash_begin", "operating_in", "operating_out", "operating", "investing", "financing",
             "cash_end")  # fmt: skip
_cash_columns = itemgetter(0, 1, 2, 3, 4, 5, 8, 11, 12)


def _support(projection: Projection, ctx: Context) -> dict[str, Any]:
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
            "capacity_share": _ratio(r.capacity_share, ctx),
            "deduct_maintenance_capex": r.deduct_maintenance_capex,
            "cap_at_contractual": r.cap_at_contractual,
            "share_timing": r.share_timing,
            "shares": {name: _ratio(v, ctx, 6) for name, v in r.shares} or None,
            "agreement_date": None if r.agreement_date is None else str(r.agreement_date),
            "terms_start": str(terms_start(projection.plan, r)),
            "months_before_agreement": months_on_old_terms(projection.plan, r),
            "before_agreement": r.before_agreement,
            "interest": r.interest,
            "reduced_rate": None if r.reduced_rate is None else _ratio(r.reduced_rate, ctx, 6),
        },
        "forgiveness": [
            {
                "bank": f.bank,
                "loan": f.loan,
                "amount": f.amount,
                "period": projection.plan_periods[f.year - 1],
                "allocation": FORGIVENESS_NAMED if f.loan is not None else FORGIVENESS_UNCOVERED_FIRST,
            }
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
        # Every new loan is a request to a lender (support or not): who, how much, what for, secured how.
        "new_loans": [
            {
                "bank": bank.name,
                "loan": loan.name,
                "amount": loan.amount,
                "period": projection.plan_periods[loan.year - 1],
                "purpose": loan.purpose,
                "guarantor": loan.guarantor,
                "collateral": loan.collateral,
                "covered": loan.covered,
                "support": loan.support,
            }
            for bank in projection.plan.banks
            for loan in bank.new_loans
        ],
        "cash_table_borrowing": [
            {"month": str(month.month), "label": label, "amount": amount}
            for month in projection.plan.cash_table.months
            if month.kind == "plan"
            for label, amount in month.financing_in
        ],
        "notes": fs.notes,
    }


#: How a forgiveness is charged to the loans (the `allocation` note of each forgiveness).
FORGIVENESS_NAMED = "指定された借入に充当"
FORGIVENESS_UNCOVERED_FIRST = (
    "借入の指定がないため、保全されていない部分（信用部分）から先に充当し、残りを保全部分に残高按分で充当"
)


_pl_values = attrgetter(*PL_KEYS)
_bs_values = attrgetter(*BS_KEYS)
_CF_ALL_KEYS = CF_KEYS + CF_DETAIL_KEYS
_cf_values = attrgetter(*_CF_ALL_KEYS)


def _pl(pl: PL) -> dict[str, int]:
    return dict(zip(PL_KEYS, _pl_values(pl), strict=True))


def _bs(bs: BS | None) -> dict[str, int] | None:
    return None if bs is None else dict(zip(BS_KEYS, _bs_values(bs), strict=True))


def _cf(cf: CF | None) -> dict[str, int] | None:
    return None if cf is None else dict(zip(_CF_ALL_KEYS, _cf_values(cf), strict=True))


def _indicators(ind: Indicators, ctx: Context) -> dict[str, Any]:
    q = _QUANTUM
    years, growth, margin = ind.debt_repayment_years, ind.sales_growth, ind.operating_margin
    ebitda, wc_months, equity = ind.ebitda_debt_ratio, ind.working_capital_months, ind.equity_ratio
    adjusted = ind.adjusted_equity_ratio
    return {
        "normal_working_capital": ind.normal_working_capital,
        "debt_repayment_years": None if years is None else float(years.quantize(q, ROUND_HALF_UP, ctx)),
        "sales_growth": None if growth is None else float(growth.quantize(q, ROUND_HALF_UP, ctx)),
        "operating_margin": None if margin is None else float(margin.quantize(q, ROUND_HALF_UP, ctx)),
        "labor_productivity": ind.labor_productivity,
        "ebitda_debt_ratio": None if ebitda is None else float(ebitda.quantize(q, ROUND_HALF_UP, ctx)),
        "working_capital_months": None if wc_months is None else float(wc_months.quantize(q, ROUND_HALF_UP, ctx)),
        "equity_ratio": None if equity is None else float(equity.quantize(q, ROUND_HALF_UP, ctx)),
        "breakeven_sales": ind.breakeven_sales,
        "debt_repayment_years_variant": ind.debt_repayment_years_variant,
        "debt_repayment_years_shown": _shown_float(shown_value("debt_repayment_years", years)),
        "adjusted_equity_ratio": None if adjusted is None else float(adjusted.quantize(q, ROUND_HALF_UP, ctx)),
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
        "kept_as_cash": d.kept_as_cash,
        "deferred_interest": d.deferred_interest,
    }


def _year(y: YearResult, ctx: Context) -> dict[str, Any]:
    return {
        "period": y.period,
        "kind": y.kind,
        "pl": _pl(y.pl),
        "bs": _bs(y.bs),
        "cf": _cf(y.cf),
        "indicators": _indicators(y.indicators, ctx),
        "adjusted_bs": _bs(y.adjusted_bs),
        "details": _details(y.details),
    }


def _bank(b: BankResult, periods: tuple[str, ...], ctx: Context) -> dict[str, Any]:
    return {
        "name": b.name,
        "main": b.main,
        "balance": b.balance,
        "covered": b.covered,
        "uncovered": b.uncovered,
        "share": _ratio(b.share, ctx),
        "share_basis": b.share_basis,
        "repayment": dict(zip(periods, b.repayment, strict=True)),
        "closing_balance": dict(zip(periods, b.closing_balance, strict=True)),
        "contractual_repayment": dict(zip(periods, b.contractual_repayment, strict=True)),
        "contractual_closing_balance": dict(zip(periods, b.contractual_closing_balance, strict=True)),
        "borrowing": dict(zip(periods, b.borrowing, strict=True)),
        "forgiven": dict(zip(periods, b.forgiven, strict=True)),
        "interest": dict(zip(periods, b.interest, strict=True)),
        "base_share": _ratio(b.base_share, ctx),
        "shares": _ratios_by_period(periods, b.shares, ctx),
        "redistributed": dict(zip(periods, b.redistributed, strict=True)),
        "loans": [
            {
                "name": x.name,
                "new": x.new,
                "rescheduled": x.rescheduled,
                "support": x.support,
                "balance": x.balance,
                "covered": x.covered,
                "uncovered": x.balance - x.covered if not x.new else 0,
                "rate": (rate := _ratio(x.rate, ctx, 6)),
                "guarantor": x.guarantor,
                "repayment": dict(zip(periods, x.repayment, strict=True)),
                "closing_balance": dict(zip(periods, x.closing_balance, strict=True)),
                "contractual_repayment": dict(zip(periods, x.contractual_repayment, strict=True)),
                "borrowing": dict(zip(periods, x.borrowing, strict=True)),
                "forgiven": dict(zip(periods, x.forgiven, strict=True)),
                "interest": dict(zip(periods, x.interest, strict=True)),
                "maturity": x.maturity,
                "plan_maturity": x.plan_maturity,
                "terms_start": x.terms_start,
                "interest_treatment": x.interest_treatment,
                "plan_rate": rate if x.plan_rate is x.rate else _ratio(x.plan_rate, ctx, 6),
                "monthly_instalment": dict(zip(periods, x.monthly_instalment, strict=True)),
                "deferred_interest": dict(zip(periods, x.deferred_interest, strict=True)),
            }
            for x in b.loans
        ],
    }


def _ratios_by_period(periods: tuple[str, ...], values: tuple[Decimal | None, ...], ctx: Context) -> dict[str, Any]:
    """A ratio per plan year; converted once per run of the same value (a bank's share changes
    only in a forgiveness year, so most years repeat the year before)."""
    out: dict[str, Any] = {}
    last: Decimal | None = None
    shown: float | None = None
    for k, (period, value) in enumerate(zip(periods, values, strict=True)):
        if k == 0 or value is not last:
            last, shown = value, _ratio(value, ctx)
        out[period] = shown
    return out


def _shown_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


#: Which 債務償還年数 variants count debt outside the per-bank table (all of them: each uses the
#: BS 有利子負債, which includes 代表者借入金 and other non-bank interest-bearing debt).
OTHER_DEBT_NOTE = (
    "債務償還年数（どの計算式でも）の有利子負債は貸借対照表の有利子負債で、"
    "金融機関別の借入のほか代表者借入金・リース等のその他の有利子負債を含みます"
)


def _debt_bridge(projection: Projection) -> dict[str, Any]:
    """From the per-bank balances to the BS 有利子負債, at the base date and each plan year end."""
    base = projection.actual_years[-1].bs
    banks = sum(b.balance for b in projection.banks)
    by_year = {}
    for k, year in enumerate(projection.plan_years):
        bank_total = sum(b.closing_balance[k] for b in projection.banks)
        other = year.details.other_interest_bearing_debt if year.details is not None else 0
        total = year.bs.interest_bearing_debt if year.bs is not None else bank_total + other
        by_year[year.period] = {"banks": bank_total, "other": other, "total": total}
    return {
        "base": {
            "banks": banks,
            "other": projection.other_debt_opening,
            "total": base.interest_bearing_debt if base is not None else banks + projection.other_debt_opening,
        },
        "by_year": by_year,
        "other_label": "代表者借入金・リース等（金融機関別の借入にない有利子負債）",
        "counted_in_debt_repayment_years": True,
        "note": OTHER_DEBT_NOTE,
    }


def net_assets_bases(projection: Projection) -> list[str]:
    """Per year, "adjusted" when a due diligence adjusts its net assets (実態純資産), else "book"
    (簿価純資産: the 実態BS equals the books, and calling it 実態 would claim a review never made).

    Actual years: the year's own adjustments (with a BS). Plan years: the base year's
    adjustments still in force (`ends_year` not reached).
    """
    plan = projection.plan
    base_adjustments = plan.actuals[-1].adjustments if plan.actuals[-1].bs is not None else ()
    if not base_adjustments and not any(y.adjustments for y in plan.actuals):
        return ["book"] * (len(plan.actuals) + len(projection.plan_years))
    out = ["adjusted" if y.adjustments and y.bs is not None else "book" for y in plan.actuals]
    for t in range(1, len(projection.plan_years) + 1):
        live = any(a.ends_year is None or a.ends_year > t for a in base_adjustments)
        out.append("adjusted" if live else "book")
    return out
