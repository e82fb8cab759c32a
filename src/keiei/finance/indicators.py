"""Indicators banks read from a plan: 債務償還年数, ローカルベンチマーク, 損益分岐点.

Why the repayment-years formula is a parameter: banks and councils use several variants
(program-facts.md, "Numeric tests"); a figure means nothing without its variant, so every
result carries the variant's name. Ratios stay exact `Decimal`; output rounds them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from keiei.finance.rounding import quotient_rounder, yen_quotient
from keiei.finance.statements import BS, PL, Indicators, new_indicators
from keiei.money import RoundingMode

RepaymentYearsVariant = Literal["ordinary", "ordinary_less_cash", "net_income", "operating"]

#: The formula of each variant, as shown to users beside the figure.
REPAYMENT_YEARS_FORMULAS: dict[str, str] = {
    "ordinary": "(有利子負債 − 正常運転資金) ÷ (経常利益 + 減価償却費 − 法人税等)",
    "ordinary_less_cash": "(有利子負債 − 正常運転資金 − 現預金) ÷ (経常利益 + 減価償却費 − 法人税等)",
    "net_income": "(有利子負債 − 正常運転資金) ÷ (当期純利益 + 減価償却費)",
    "operating": "(有利子負債 − 正常運転資金) ÷ (営業利益 + 減価償却費)",
}
VARIANTS: tuple[RepaymentYearsVariant, ...] = ("ordinary", "ordinary_less_cash", "net_income", "operating")

_ZERO = Decimal(0)


def normal_working_capital(bs: BS) -> int:
    """正常運転資金 = 売上債権 + 棚卸資産 − 仕入債務."""
    return bs.receivables + bs.inventory - bs.payables


def repayment_cash_flow(pl: PL, variant: RepaymentYearsVariant = "ordinary") -> int:
    """The denominator of 債務償還年数 under `variant`."""
    if variant == "net_income":
        return pl.net_income + pl.depreciation
    if variant == "operating":
        return pl.operating_profit + pl.depreciation
    return pl.ordinary_profit + pl.depreciation - pl.income_taxes


def debt_repayment_years(pl: PL, bs: BS, variant: RepaymentYearsVariant = "ordinary") -> Decimal | None:
    """債務償還年数 under `variant`: None when the cash flow is not positive, 0 when the debt
    (after deducting normal working capital, and cash for `ordinary_less_cash`) is not positive.
    """
    cash_flow = repayment_cash_flow(pl, variant)
    if cash_flow <= 0:
        return None
    debt = bs.interest_bearing_debt - normal_working_capital(bs)
    if variant == "ordinary_less_cash":
        debt -= bs.cash
    if debt <= 0:
        return _ZERO
    return Decimal(debt) / cash_flow


def breakeven_sales(sales: int, variable_costs: int, fixed_costs: int, rounding: RoundingMode) -> int | None:
    """損益分岐点売上高 = 固定費 ÷ (1 − 変動費率), on the ordinary-profit basis.

    None when there are no sales or the contribution margin is not positive (no sales level
    breaks even); 0 when fixed costs are not positive (any sales level breaks even).
    """
    margin = sales - variable_costs
    if sales <= 0 or margin <= 0:
        return None
    if fixed_costs <= 0:
        return 0
    return yen_quotient(fixed_costs * sales, margin, rounding)


def compute(
    pl: PL,
    bs: BS | None,
    adjusted: BS | None,
    *,
    previous_sales: int | None,
    employees: int | None,
    variable_costs: int,
    variant: RepaymentYearsVariant,
    rounding: RoundingMode,
    forgiveness_gain: int = 0,
) -> Indicators:
    """All indicators of one year.

    簡易キャッシュフロー = 当期純利益 + 減価償却費 − 債務免除益: the gain of a forgiveness is in net
    income but brings no cash, so a forgiveness year's simple cash flow would otherwise show
    the forgiven amount as cash the company earned (issue 12).

    Fixed costs = everything between sales and ordinary profit that is not variable:
    cost of sales + SG&A − variable costs + non-operating expenses − non-operating income.
    """
    sales = pl.sales
    operating = pl.operating_profit
    fixed = pl.cost_of_sales + pl.sga - variable_costs + pl.non_operating_expenses - pl.non_operating_income
    simple_cf = pl.net_income + pl.depreciation - forgiveness_gain
    growth = None
    if previous_sales is not None and previous_sales > 0:
        growth = Decimal(sales) / previous_sales - 1
    margin = Decimal(operating) / sales if sales > 0 else None
    productivity = quotient_rounder(rounding)(operating, employees) if employees else None
    nwc = 0
    years = ebitda = wc_months = equity = adjusted_equity = None
    if bs is not None:
        nwc = normal_working_capital(bs)
        years = debt_repayment_years(pl, bs, variant)
        ebitda_base = operating + pl.depreciation
        if ebitda_base > 0:
            ebitda = Decimal(bs.interest_bearing_debt - bs.cash) / ebitda_base
        if sales > 0:
            wc_months = Decimal(nwc * 12) / sales
        if bs.total_assets > 0:
            equity = Decimal(bs.net_assets) / bs.total_assets
        if adjusted is not None and adjusted.total_assets > 0:
            adjusted_equity = Decimal(adjusted.net_assets) / adjusted.total_assets
    return new_indicators(
        nwc,
        years,
        variant,
        growth,
        margin,
        productivity,
        ebitda,
        wc_months,
        equity,
        adjusted_equity,
        breakeven_sales(sales, variable_costs, fixed, rounding),
        fixed,
        variable_costs,
        simple_cf,
        employees,
    )
