"""Indicators: formulas, undefined cases, and the repayment-years variants."""

from __future__ import annotations

from decimal import Decimal

from keiei.finance import BS, PL, breakeven_sales, debt_repayment_years, normal_working_capital
from keiei.finance.indicators import compute


def pl(**kw: int) -> PL:
    base = dict(
        sales=120_000_000, cost_of_sales=80_000_000, sga=30_000_000, non_operating_income=1_000_000,
        non_operating_expenses=3_000_000, interest_expense=2_000_000, extraordinary_income=0,
        extraordinary_loss=0, income_taxes=2_000_000, depreciation=5_000_000,
    )  # fmt: skip
    base.update(kw)
    return PL.build(**base)


def bs(**kw: int) -> BS:
    base = dict(
        cash=10_000_000, receivables=20_000_000, inventory=10_000_000, other_current_assets=0,
        fixed_assets=60_000_000, payables=10_000_000, interest_bearing_debt=80_000_000, other_liabilities=0,
    )  # fmt: skip
    base.update(kw)
    return BS.build(**base, net_assets=None)


def test_normal_working_capital() -> None:
    assert normal_working_capital(bs()) == 20_000_000


def test_repayment_years_default_and_variants() -> None:
    # ordinary = 10M − 2M + 1M... ordinary profit = 120 − 80 − 30 + 1 − 3 = 8M
    p, b = pl(), bs()
    assert p.ordinary_profit == 8_000_000
    assert debt_repayment_years(p, b) == Decimal(60_000_000) / 11_000_000  # (80 − 20) ÷ (8 + 5 − 2)
    assert debt_repayment_years(p, b, "ordinary_less_cash") == Decimal(50_000_000) / 11_000_000
    assert debt_repayment_years(p, b, "net_income") == Decimal(60_000_000) / (p.net_income + 5_000_000)
    assert debt_repayment_years(p, b, "operating") == Decimal(60_000_000) / (p.operating_profit + 5_000_000)


def test_repayment_years_is_none_when_cash_flow_is_not_positive_and_zero_without_net_debt() -> None:
    assert debt_repayment_years(pl(sga=50_000_000), bs()) is None
    assert debt_repayment_years(pl(), bs(interest_bearing_debt=15_000_000)) == 0


def test_breakeven_sales() -> None:
    assert breakeven_sales(100, 60, 20, "half_up") == 50
    assert breakeven_sales(100, 100, 20, "half_up") is None
    assert breakeven_sales(0, 0, 20, "half_up") is None
    assert breakeven_sales(100, 60, -5, "half_up") == 0


def test_local_benchmark_six() -> None:
    p, b = pl(), bs()
    ind = compute(p, b, b, previous_sales=100_000_000, employees=10, variable_costs=80_000_000,
                  variant="ordinary", rounding="half_up")  # fmt: skip
    assert ind.sales_growth == Decimal("0.2")
    assert ind.operating_margin == Decimal(10_000_000) / 120_000_000
    assert ind.labor_productivity == 1_000_000
    assert ind.ebitda_debt_ratio == Decimal(70_000_000) / 15_000_000
    assert ind.working_capital_months == Decimal(20_000_000 * 12) / 120_000_000
    assert ind.equity_ratio == Decimal(b.net_assets) / b.total_assets
    # fixed = 80 + 30 − 80 + 3 − 1 = 32M; breakeven = 32M ÷ (1 − 80/120) = 96M
    assert ind.fixed_costs == 32_000_000
    assert ind.breakeven_sales == 96_000_000


def test_undefined_indicators_are_none() -> None:
    p = pl(sales=0, cost_of_sales=0)
    ind = compute(
        p, bs(), None, previous_sales=None, employees=0, variable_costs=0, variant="ordinary", rounding="half_up"
    )
    assert ind.sales_growth is None and ind.operating_margin is None and ind.labor_productivity is None
    assert ind.working_capital_months is None and ind.breakeven_sales is None
