"""The three statements of one year, as frozen records whose subtotals are integer sums.

The subtotals themselves are defined in `keiei.finance.subtotals` (the one home of the
profit chain and the balance-sheet totals, shared with the plan checks and the web editor);
`make_pl` and `make_bs` store what it computes. Each input figure has been rounded once
(`keiei.money.to_yen`); every total and profit line is then plain integer addition, so the
PL chain and the balance-sheet totals hold exactly, in every year, for any input.

Sign conventions: every line is a positive amount in its natural direction (costs, losses
and taxes are positive numbers that are subtracted); profits and cash flows are signed.
`non_operating_expenses` *includes* `interest_expense` (支払利息 is an 営業外費用);
`depreciation` is a memo line included in cost of sales / SG&A, shown for cash flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal, TypeVar, cast

from keiei.finance.subtotals import balance_totals, profit_chain

YearKind = Literal["actual", "plan"]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PL:
    """損益計算書. Build with `PL.build` so the profit chain is derived, never typed in."""

    sales: int
    cost_of_sales: int
    gross_profit: int
    sga: int
    operating_profit: int
    non_operating_income: int
    non_operating_expenses: int
    interest_expense: int
    ordinary_profit: int
    extraordinary_income: int
    extraordinary_loss: int
    pretax_income: int
    income_taxes: int
    net_income: int
    depreciation: int

    @classmethod
    def build(
        cls,
        *,
        sales: int,
        cost_of_sales: int,
        sga: int,
        non_operating_income: int,
        non_operating_expenses: int,
        interest_expense: int,
        extraordinary_income: int,
        extraordinary_loss: int,
        income_taxes: int,
        depreciation: int,
    ) -> PL:
        return make_pl(
            sales,
            cost_of_sales,
            sga,
            non_operating_income,
            non_operating_expenses,
            interest_expense,
            extraordinary_income,
            extraordinary_loss,
            income_taxes,
            depreciation,
        )


@dataclass(frozen=True, slots=True)
class BS:
    """貸借対照表 on the five asset and three liability lines that partition the sheet.

    `net_assets` is passed in, not derived: for plan years it is rolled forward from last
    year (+ net income − dividends + equity issued), so `total_assets == total_liabilities +
    net_assets` is a property the engine must earn (and the tests check), not a definition.
    """

    cash: int
    receivables: int
    inventory: int
    other_current_assets: int
    fixed_assets: int
    total_assets: int
    payables: int
    interest_bearing_debt: int
    other_liabilities: int
    total_liabilities: int
    net_assets: int
    adjusted_net_assets: int

    @classmethod
    def build(
        cls,
        *,
        cash: int,
        receivables: int,
        inventory: int,
        other_current_assets: int,
        fixed_assets: int,
        payables: int,
        interest_bearing_debt: int,
        other_liabilities: int,
        net_assets: int | None,
        adjustment: int = 0,
    ) -> BS:
        """`net_assets=None` derives it (actual years); `adjustment` is the 実態BS effect."""
        return make_bs(
            cash,
            receivables,
            inventory,
            other_current_assets,
            fixed_assets,
            payables,
            interest_bearing_debt,
            other_liabilities,
            net_assets,
            adjustment,
        )

    def line(self, name: str) -> int:
        return int(getattr(self, name))


@dataclass(frozen=True, slots=True)
class CF:
    """キャッシュフロー計算書 (indirect): cash_end = cash_begin + operating + investing + financing.

    `financing` already contains −dividends and +equity_issued (shown separately too).
    Non-cash items taken out of operating: depreciation and asset write-downs added back,
    debt-forgiveness income (債務免除益) deducted (the debt falls without cash moving).
    """

    operating: int
    investing: int
    financing: int
    cash_begin: int
    cash_end: int
    dividends: int
    equity_issued: int
    net_income: int
    depreciation: int
    noncash_items: int
    working_capital_change: int
    capex: int
    borrowing: int
    repayment: int
    other_debt_repayment: int


@dataclass(frozen=True, slots=True)
class Indicators:
    """Indicators of one year; ratios are exact `Decimal` (rounded only for output).

    None means undefined (a zero or negative denominator, no previous year, no headcount).
    """

    normal_working_capital: int
    debt_repayment_years: Decimal | None
    debt_repayment_years_variant: str
    sales_growth: Decimal | None
    operating_margin: Decimal | None
    labor_productivity: int | None
    ebitda_debt_ratio: Decimal | None
    working_capital_months: Decimal | None
    equity_ratio: Decimal | None
    adjusted_equity_ratio: Decimal | None
    breakeven_sales: int | None
    fixed_costs: int
    variable_costs: int
    simple_cash_flow: int
    employees: int | None


@dataclass(frozen=True, slots=True)
class PlanDetails:
    """Plan-year detail lines beside the statements (for documents and the verdict layer)."""

    sales_by_segment: tuple[tuple[str, int], ...]
    sga_items: tuple[tuple[str, int], ...]
    variable_cost_of_sales: int
    loss_carryforward: int
    repayment_capacity: int | None
    rescheduled_repayment: int
    scheduled_repayment: int
    maintenance_capex: int
    forgiveness: int
    other_interest_bearing_debt: int
    #: Repayment capacity no rescheduled loan could take (all at their caps): stays as cash.
    kept_as_cash: int = 0
    #: Interest booked but not paid this year (rescheduling interest: deferred).
    deferred_interest: int = 0


@dataclass(frozen=True, slots=True)
class YearResult:
    """One fiscal year, actual or planned. `bs` is None for an actual year without a BS."""

    period: str
    kind: YearKind
    pl: PL
    bs: BS | None
    adjusted_bs: BS | None
    cf: CF | None
    indicators: Indicators
    details: PlanDetails | None = None


@dataclass(frozen=True, slots=True)
class LoanResult:
    """One loan through the plan years (tuples aligned with the plan years)."""

    name: str
    new: bool
    rescheduled: bool
    #: For a new loan: whether it is asked as financial support (new money).
    support: bool
    balance: int
    covered: int
    rate: Decimal
    guarantor: str | None
    borrowing: tuple[int, ...]
    forgiven: tuple[int, ...]
    interest: tuple[int, ...]
    repayment: tuple[int, ...]
    closing_balance: tuple[int, ...]
    contractual_repayment: tuple[int, ...]
    contractual_closing_balance: tuple[int, ...]
    # the loan-level schedule a consent form (同意書) quotes; see keiei.finance.schedule
    #: Contractual maturity and the maturity under the plan (extended_maturity, else the same).
    maturity: str | None = None
    plan_maturity: str | None = None
    #: The month the new terms start (rescheduled loans; None for loans on their contract).
    terms_start: str | None = None
    #: paid / reduced / deferred in the rescheduling years; the rate charged there.
    interest_treatment: str = "paid"
    plan_rate: Decimal | None = None
    #: Per plan year: the monthly instalment (repayment ÷ 12, keiei.finance.schedule) and the
    #: interest booked but not paid (deferred).
    monthly_instalment: tuple[int, ...] = ()
    deferred_interest: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class BankResult:
    """The per-bank table: base balance, cover, pro rata share, repayment by plan year."""

    name: str
    main: bool
    balance: int
    covered: int
    uncovered: int
    share: Decimal | None
    share_basis: str
    loans: tuple[LoanResult, ...]
    borrowing: tuple[int, ...]
    forgiven: tuple[int, ...]
    interest: tuple[int, ...]
    repayment: tuple[int, ...]
    closing_balance: tuple[int, ...]
    contractual_repayment: tuple[int, ...]
    contractual_closing_balance: tuple[int, ...]
    #: The share at the base date and per plan year (after a forgiveness, recomputed unless
    #: share_timing is base_date; negotiated shares stay as agreed); `share` is the share in
    #: the first rescheduling year.
    base_share: Decimal | None = None
    shares: tuple[Decimal | None, ...] = ()
    #: Per plan year: repayment above (+) or below (−) the bank's pro rata part of the total
    #: because a capped lender's excess went to the others.
    redistributed: tuple[int, ...] = ()


# --------------------------------------------------------------------------- construction
#
# The engine builds some sixty of these records per projection, thousands of projections per
# second in batch runs. A frozen dataclass's generated __init__ sets each field through
# `object.__setattr__(self, "name", value)`, a lookup by name per field; `_constructor`
# generates the same positional constructor writing each slot through its descriptor, about
# twice as fast. The record is the same in every respect (class, fields, equality, hash);
# tests/finance/test_statements.py checks each constructor against the class's own __init__.
# Only for these field-only records: none has defaults that matter, __post_init__ or InitVar.


def _constructor(cls: type[_T]) -> Callable[..., _T]:
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __post_init__: use its own __init__")
    args = ", ".join(names)
    body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
    exec(f"def new_{cls.__name__}({args}):\n    obj = _new(_cls)\n{body}    return obj\n", namespace)
    return cast(Callable[..., _T], namespace[f"new_{cls.__name__}"])


new_pl = _constructor(PL)
new_bs = _constructor(BS)
new_cf = _constructor(CF)
new_indicators = _constructor(Indicators)
new_details = _constructor(PlanDetails)
new_year = _constructor(YearResult)
new_loan_result = _constructor(LoanResult)
new_bank_result = _constructor(BankResult)


def make_pl(
    sales: int,
    cost_of_sales: int,
    sga: int,
    non_operating_income: int,
    non_operating_expenses: int,
    interest_expense: int,
    extraordinary_income: int,
    extraordinary_loss: int,
    income_taxes: int,
    depreciation: int,
) -> PL:
    """`PL.build` with positional arguments: the profit chain from `subtotals.profit_chain`."""
    gross, operating, ordinary, pretax, net = profit_chain(
        sales,
        cost_of_sales,
        sga,
        non_operating_income,
        non_operating_expenses,
        extraordinary_income,
        extraordinary_loss,
        income_taxes,
    )
    return new_pl(
        sales,
        cost_of_sales,
        gross,
        sga,
        operating,
        non_operating_income,
        non_operating_expenses,
        interest_expense,
        ordinary,
        extraordinary_income,
        extraordinary_loss,
        pretax,
        income_taxes,
        net,
        depreciation,
    )


def make_bs(
    cash: int,
    receivables: int,
    inventory: int,
    other_current_assets: int,
    fixed_assets: int,
    payables: int,
    interest_bearing_debt: int,
    other_liabilities: int,
    net_assets: int | None,
    adjustment: int = 0,
) -> BS:
    """`BS.build` with positional arguments: totals from `subtotals.balance_totals`."""
    assets, liabilities, book = balance_totals(
        cash,
        receivables,
        inventory,
        other_current_assets,
        fixed_assets,
        payables,
        interest_bearing_debt,
        other_liabilities,
    )
    equity = book if net_assets is None else net_assets
    return new_bs(
        cash,
        receivables,
        inventory,
        other_current_assets,
        fixed_assets,
        assets,
        payables,
        interest_bearing_debt,
        other_liabilities,
        liabilities,
        equity,
        equity + adjustment,
    )
