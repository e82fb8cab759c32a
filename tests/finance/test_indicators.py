"""Indicators: formulas, undefined cases, and the repayment-years variants.

Every expected value is a number worked by hand (the working beside it), not the formula
restated in code: a test that computes its expectation the way the code does cannot fail.
"""

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


# The fixtures worked by hand once, for every test below:
#   PL  sales 120M − cost 80M = gross 40M; − SG&A 30M = operating 10M; + 1M − 3M (interest 2M
#       included) = ordinary 8M; − taxes 2M = net 6M; depreciation 5M.
#   BS  assets 10M cash + 20M receivables + 10M inventory + 60M fixed = 100M;
#       liabilities 10M payables + 80M debt = 90M; net assets 10M.


def q(x: Decimal | None) -> Decimal:
    """A ratio to 10 decimals, to compare with a hand-worked decimal expansion."""
    assert x is not None
    return x.quantize(Decimal("1e-10"))


def test_normal_working_capital() -> None:
    # 20M receivables + 10M inventory − 10M payables
    assert normal_working_capital(bs()) == 20_000_000


def test_repayment_years_default_and_variants() -> None:
    p, b = pl(), bs()
    assert p.ordinary_profit == 8_000_000  # 120 − 80 − 30 + 1 − 3
    assert p.net_income == 6_000_000 and p.operating_profit == 10_000_000
    # ordinary: (80M debt − 20M NWC) ÷ (8M ordinary + 5M depreciation − 2M taxes) = 60 ÷ 11
    assert q(debt_repayment_years(p, b)) == Decimal("5.4545454545")
    # ordinary_less_cash: (80 − 20 − 10 cash) ÷ 11 = 50 ÷ 11
    assert q(debt_repayment_years(p, b, "ordinary_less_cash")) == Decimal("4.5454545455")
    # net_income: 60 ÷ (6 net + 5 depreciation) = 60 ÷ 11
    assert q(debt_repayment_years(p, b, "net_income")) == Decimal("5.4545454545")
    # operating: 60 ÷ (10 operating + 5 depreciation) = 4 exactly
    assert debt_repayment_years(p, b, "operating") == 4


def test_repayment_years_is_none_when_cash_flow_is_not_positive_and_zero_without_net_debt() -> None:
    # SG&A 50M: ordinary −12M, + 5M depreciation − 2M taxes = −9M cash flow → undefined
    assert debt_repayment_years(pl(sga=50_000_000), bs()) is None
    # debt 15M below the 20M NWC: nothing to repay → 0
    assert debt_repayment_years(pl(), bs(interest_bearing_debt=15_000_000)) == 0


def test_breakeven_sales() -> None:
    assert breakeven_sales(100, 60, 20, "half_up") == 50  # 20 fixed ÷ (1 − 60/100 = 0.4)
    assert breakeven_sales(100, 100, 20, "half_up") is None  # no margin to cover fixed costs
    assert breakeven_sales(0, 0, 20, "half_up") is None  # no sales
    assert breakeven_sales(100, 60, -5, "half_up") == 0  # fixed costs ≤ 0: profitable from the first yen


def test_local_benchmark_six() -> None:
    p, b = pl(), bs()
    ind = compute(p, b, b, previous_sales=100_000_000, employees=10, variable_costs=80_000_000,
                  variant="ordinary", rounding="half_up")  # fmt: skip
    assert ind.sales_growth == Decimal("0.2")  # 120 ÷ 100 − 1
    assert q(ind.operating_margin) == Decimal("0.0833333333")  # 10 ÷ 120 = 1/12
    assert ind.labor_productivity == 1_000_000  # 10,000,000 operating ÷ 10 people
    assert q(ind.ebitda_debt_ratio) == Decimal("4.6666666667")  # (80 debt − 10 cash) ÷ (10 + 5) = 14/3
    assert ind.working_capital_months == 2  # 20M ÷ (120M ÷ 12 = 10M a month)
    assert ind.equity_ratio == Decimal("0.1")  # 10M net assets ÷ 100M assets
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


def test_simple_cash_flow_leaves_out_the_forgiveness_gain() -> None:
    """Issue 12: a forgiveness year's 簡易CF used to count the forgiven amount (a non-cash gain
    in net income) as cash earned."""
    from pathlib import Path

    from keiei.finance import project
    from keiei.plan import load_plan

    plan = load_plan(Path(__file__).parents[2] / "examples" / "405gl-ryokan.yaml")
    years = project(plan).plan_years
    assert any(y.details.forgiveness for y in years)
    for y in years:
        assert y.indicators.simple_cash_flow == y.pl.net_income + y.pl.depreciation - y.details.forgiveness
