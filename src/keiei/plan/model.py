"""The plan as typed, immutable data: what the loader builds and the engine reads.

Why a separate model from the YAML: the file allows short forms (one value for every year,
days or months, omitted defaults); the loader expands them once, so the engine reads plain
per-year tuples and never re-interprets the file. Money is `int` yen, ratios are `Decimal`.
Every per-year tuple has exactly `Drivers.years` elements (plan year 1 first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from keiei.money import RoundingMode
from keiei.plan.periods import Period

Program = Literal["early", "405", "405-gl"]
BsLine = Literal[
    "cash",
    "receivables",
    "inventory",
    "other_current_assets",
    "fixed_assets",
    "payables",
    "interest_bearing_debt",
    "other_liabilities",
]
ASSET_LINES: tuple[BsLine, ...] = ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets")
LIABILITY_LINES: tuple[BsLine, ...] = ("payables", "interest_bearing_debt", "other_liabilities")

YenSeries = tuple[int, ...]
RatioSeries = tuple[Decimal, ...]

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Company:
    """会社概要表: the profile shown on the plan's first page."""

    name: str
    fiscal_year_end_month: int
    postal_code: str | None = None
    address: str | None = None
    industry: str | None = None
    employees: int | None = None
    founded: str | None = None
    capital: int | None = None
    representative: str | None = None  # the name only (役職 氏名), never a remark
    business: str | None = None
    shareholders: tuple[str, ...] = ()
    representative_note: str | None = None  # a remark on the representative (退任予定 …), printed apart


@dataclass(frozen=True, slots=True)
class ActualPL:
    """An actual income statement as filed; subtotals are derived, stated ones only checked.

    `non_operating_expenses` includes `interest_expense` (支払利息 is an 営業外費用);
    `depreciation` is a memo included in cost of sales and SG&A.
    """

    sales: int
    cost_of_sales: int
    sga: int
    non_operating_income: int = 0
    non_operating_expenses: int = 0
    interest_expense: int = 0
    extraordinary_income: int = 0
    extraordinary_loss: int = 0
    income_taxes: int = 0
    depreciation: int = 0
    variable_costs: int | None = None
    #: Subtotals as printed in the filed statement, for `validate_plan` to compare.
    stated: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ActualBS:
    """An actual balance sheet at book value; `stated_net_assets` is only checked."""

    cash: int
    receivables: int
    inventory: int
    fixed_assets: int
    payables: int
    interest_bearing_debt: int
    other_current_assets: int = 0
    other_liabilities: int = 0
    stated_net_assets: int | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One 実態BS adjustment: signed change of a BS line (assets: − is a write-down).

    Its effect on net assets is +amount for an asset line and −amount for a liability line.
    `ends_year` is the plan year from which the books have absorbed it (e.g. the stock was
    written off), so it no longer adjusts that year or later.
    """

    item: str
    line: BsLine
    amount: int
    reason: str
    ends_year: int | None = None

    @property
    def net_assets_effect(self) -> int:
        return net_assets_effect(self.line, self.amount)


def net_assets_effect(line: BsLine, amount: int) -> int:
    """The change of net assets when `line` changes by `amount`: + for an asset, − for a liability.

    One function so the typed plan and the editor's half-typed draft (via
    `keiei.finance.subtotals.actual_subtotals`) apply the same rule.
    """
    return amount if line in ASSET_LINES else -amount


@dataclass(frozen=True, slots=True)
class ActualYear:
    period: Period
    pl: ActualPL
    bs: ActualBS | None
    adjustments: tuple[Adjustment, ...] = ()
    employees: int | None = None
    segments: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """A sales segment: either a growth path from its last actual sales, or amounts."""

    name: str
    base: int
    growth: RatioSeries | None = None
    amounts: YenSeries | None = None


@dataclass(frozen=True, slots=True)
class SalesDriver:
    """Exactly one of growth (on total sales), segments, or amounts is set."""

    growth: RatioSeries | None = None
    amounts: YenSeries | None = None
    segments: tuple[Segment, ...] = ()


SgaKind = Literal["fixed", "personnel", "variable"]


@dataclass(frozen=True, slots=True)
class SgaItem:
    """An SG&A account: fixed/personnel carry yearly amounts, variable a ratio of sales."""

    name: str
    kind: SgaKind
    amounts: YenSeries | None = None
    ratios: RatioSeries | None = None


@dataclass(frozen=True, slots=True)
class Capex:
    """Planned investment, depreciated straight-line from its year (a full first year)."""

    name: str
    year: int
    amount: int
    useful_life: int
    maintenance: bool = True


TurnoverBasis = Literal["sales", "cost_of_sales"]


@dataclass(frozen=True, slots=True)
class Turnover:
    """A working-capital line as a share of yearly sales or cost of sales.

    `factors` are months ÷ 12 or days ÷ 365, so the balance is basis × factor.
    """

    factors: RatioSeries
    basis: TurnoverBasis


@dataclass(frozen=True, slots=True)
class Tax:
    """法人税、住民税及び事業税: effective rate, optional reduced rate, 均等割, carry-forward."""

    rate: Decimal
    per_capita: int = 70_000
    loss_carryforward: int = 0
    offset_limit: Decimal = ONE
    reduced_rate: Decimal | None = None
    reduced_limit: int = 0


@dataclass(frozen=True, slots=True)
class Drivers:
    """Everything that moves the plan years; each series has `years` elements."""

    years: int
    sales: SalesDriver
    cost_ratio: RatioSeries
    cost_fixed: YenSeries
    sga: tuple[SgaItem, ...]
    existing_depreciation: YenSeries
    capex: tuple[Capex, ...]
    receivables: Turnover
    inventory: Turnover
    payables: Turnover
    other_current_assets: YenSeries
    other_liabilities: YenSeries
    non_operating_income: YenSeries
    non_operating_expenses: YenSeries
    extraordinary_income: YenSeries
    extraordinary_loss: YenSeries
    asset_writedowns: YenSeries
    other_debt_rate: Decimal
    other_debt_repayment: YenSeries
    tax: Tax
    dividends: YenSeries
    equity_issued: YenSeries
    employees: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class Loan:
    """An existing loan at the base date (the last actual period end)."""

    name: str
    balance: int
    rate: Decimal
    annual_repayment: int | None = None
    schedule: YenSeries | None = None
    maturity: Period | None = None
    covered: int = 0
    guarantor: str | None = None
    collateral: str | None = None
    rescheduled: bool = True
    purpose: str | None = None
    #: The guarantee's share of the balance as entered (保証協会 80 % → 0.8); `covered` is then
    #: balance × ratio, rounded once by the plan's rule at load.
    guarantee_ratio: Decimal | None = None
    #: The maturity under the plan when it extends the contract (延長後の最終期限); without it
    #: the loan may not carry a balance past `maturity` (finding PLAN_LOAN_PAST_MATURITY).
    extended_maturity: Period | None = None

    @property
    def uncovered(self) -> int:
        return max(0, self.balance - self.covered)


@dataclass(frozen=True, slots=True)
class NewLoan:
    """A loan drawn at the start of plan year `year`; repaid yearly after `grace_years`."""

    name: str
    year: int
    amount: int
    rate: Decimal
    annual_repayment: int
    grace_years: int = 0
    covered: int = 0
    guarantor: str | None = None
    collateral: str | None = None
    support: bool = True
    rescheduled: bool = False
    purpose: str | None = None
    guarantee_ratio: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Bank:
    name: str
    loans: tuple[Loan, ...] = ()
    new_loans: tuple[NewLoan, ...] = ()
    main: bool = False
    type: str | None = None
    branch: str | None = None

    @property
    def balance(self) -> int:
        return sum(loan.balance for loan in self.loans)


ProRataBasis = Literal["balance", "uncovered"]
#: When the pro rata weights are taken: at the base date only, or recomputed from the year a
#: forgiveness takes effect on the balances it leaves (default; a forgiving bank then no
#: longer takes back through its share what it forgave).
ShareTiming = Literal["after_forgiveness", "base_date"]
BeforeAgreement = Literal["contract", "suspended"]
#: Interest on rescheduled loans in the rescheduling years: as contracted, at a reduced rate,
#: or deferred (booked as expense, not paid: it accrues as 未払利息 in other liabilities).
InterestTreatment = Literal["paid", "reduced", "deferred"]


@dataclass(frozen=True, slots=True)
class Rescheduling:
    """リスケ: in years from..until, rescheduled loans share the repayment capacity."""

    basis: ProRataBasis = "balance"
    from_year: int = 1
    until_year: int = 5
    minimum_cash: int = 0
    capacity_share: Decimal = ONE
    deduct_maintenance_capex: bool = True
    cap_at_contractual: bool = True
    share_timing: ShareTiming = "after_forgiveness"
    #: Principal in the months of the first rescheduling year before the agreement month:
    #: "contract" (paid as contracted) or "suspended" (暫定リスケ while the plan is prepared).
    before_agreement: BeforeAgreement = "contract"
    #: Negotiated shares per bank (exact, summing to 1); empty: pro rata by `basis`.
    shares: tuple[tuple[str, Decimal], ...] = ()
    #: The month the new terms start (from the agreement); None: the first month of from_year.
    agreement_date: Period | None = None
    interest: InterestTreatment = "paid"
    reduced_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Forgiveness:
    """債務免除 by one bank in one plan year (booked as 債務免除益)."""

    bank: str
    amount: int
    year: int
    loan: str | None = None


@dataclass(frozen=True, slots=True)
class FinancialSupport:
    rescheduling: Rescheduling | None = None
    forgiveness: tuple[Forgiveness, ...] = ()
    #: The plan's own words on the support (金融支援の補足), carried to every output.
    notes: str | None = None


EffectLine = Literal[
    "sales",
    "cost_of_sales",
    "sga",
    "non_operating_income",
    "non_operating_expenses",
    "extraordinary_income",
    "extraordinary_loss",
]


@dataclass(frozen=True, slots=True)
class Effect:
    """How an action moves a PL line, per plan year from `from_year` to `until_year`.

    `amount` is yen added to the line. `ratio` means: for sales, a fraction of the base
    sales (of `segment`, or of all sales); for cost_of_sales, a change of the variable cost
    ratio; for a variable SG&A item, a change of its ratio; for a fixed or personnel SG&A
    item, a fraction of its amount.
    """

    line: EffectLine
    from_year: int = 1
    until_year: int | None = None
    amount: int | None = None
    ratio: Decimal | None = None
    item: str | None = None
    segment: str | None = None

    def active(self, year: int) -> bool:
        """Whether the effect applies in plan year `year` (1-based)."""
        return self.from_year <= year and (self.until_year is None or year <= self.until_year)


@dataclass(frozen=True, slots=True)
class Action:
    measure: str
    owner: str | None = None
    deadline: str | None = None
    detail: str | None = None
    kpi: str | None = None
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    role: str | None = None
    share: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    source: str
    target: str
    what: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class BusinessModel:
    suppliers: tuple[Party, ...] = ()
    customers: tuple[Party, ...] = ()
    partners: tuple[Party, ...] = ()
    flows: tuple[Flow, ...] = ()
    strengths: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()


CashGroup = Literal["operating_in", "operating_out", "investing_in", "investing_out", "financing_in", "financing_out"]
CASH_GROUPS: tuple[CashGroup, ...] = (
    "operating_in",
    "operating_out",
    "investing_in",
    "investing_out",
    "financing_in",
    "financing_out",
)


@dataclass(frozen=True, slots=True)
class CashMonth:
    """One month of the 資金実績・計画表; each group is (label, yen ≥ 0) pairs."""

    month: Period
    kind: Literal["actual", "plan"]
    operating_in: tuple[tuple[str, int], ...] = ()
    operating_out: tuple[tuple[str, int], ...] = ()
    investing_in: tuple[tuple[str, int], ...] = ()
    investing_out: tuple[tuple[str, int], ...] = ()
    financing_in: tuple[tuple[str, int], ...] = ()
    financing_out: tuple[tuple[str, int], ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CashTable:
    opening_cash: int | None = None
    months: tuple[CashMonth, ...] = ()
    #: Twelve non-negative weights for the months of plan year 1 (seasonality), used when the
    #: months are derived from the plan; None (or all zero): even months.
    seasonality: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named stress on the drivers; the neutral values leave the plan unchanged."""

    name: str
    label: str = ""
    sales_factor: Decimal = ONE
    growth_delta: Decimal = ZERO
    cost_of_sales_ratio_delta: Decimal = ZERO
    sga_factor: Decimal = ONE
    action_effect_share: Decimal = ONE
    financial_support: bool = True


BASE_SCENARIO = Scenario(name="base", label="基本計画")


# --------------------------------------------------------------------------- 中小版GL (405-gl)
#
# What the 中小企業の事業再生等に関するガイドライン 第三部 asks of a plan beyond the numbers:
# the liquidation balance sheet (清算価値保障), the guarantors' settlement (保証債務の整理) and
# the independent reviewer (第三者支援専門家). Kept as one optional block of the plan so a plan
# of another programme never carries it by accident and the engine never reads it.

SecuredSource = Literal["collateral", "guarantee"]
Settlement = Literal["integrated", "separate"]
KeptBasis = Literal["free_property", "living_expenses", "modest_home", "other"]


@dataclass(frozen=True, slots=True)
class LiquidationAsset:
    """One line of the 清算貸借対照表: book value and value if the company were liquidated."""

    item: str
    book: int
    liquidation: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PriorityClaim:
    """優先債権 paid before the general creditors in liquidation (租税・労働債権・清算費用)."""

    item: str
    amount: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SecuredRecovery:
    """What a lender recovers outside the dividend: its collateral (別除権) or a guarantee."""

    bank: str
    amount: int
    source: SecuredSource = "collateral"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Liquidation:
    """清算BS at the base date. `secured` empty: each loan's `covered` (guarantee if the loan
    names a guarantor, else collateral). `other_general_claims` None: the base BS's payables and
    other liabilities with their 実態BS adjustments. `stated_recovery` (bank → yen) overrides
    the computed liquidation recovery when the DD report states it."""

    assets: tuple[LiquidationAsset, ...]
    priority_claims: tuple[PriorityClaim, ...] = ()
    secured: tuple[SecuredRecovery, ...] = ()
    other_general_claims: int | None = None
    stated_recovery: tuple[tuple[str, int], ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GuarantorAsset:
    """A guarantor's asset and the part kept (残存資産), with the ground for keeping it."""

    item: str
    value: int
    kept: int = 0
    basis: KeptBasis | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Guarantee:
    """One guarantee to one lender and how it is settled: paid from the guarantor's assets,
    the rest forgiven (保証債務の免除)."""

    bank: str
    amount: int
    paid: int = 0
    forgiven: int = 0


@dataclass(frozen=True, slots=True)
class Guarantor:
    name: str
    settlement: Settlement
    relation: str | None = None
    assets: tuple[GuarantorAsset, ...] = ()
    guarantees: tuple[Guarantee, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ThirdPartyExpert:
    """第三者支援専門家: who reviewed the plan, and why they are independent of the adviser."""

    name: str
    qualification: str
    independent: bool
    independence: str | None = None
    organization: str | None = None
    report_date: str | None = None


@dataclass(frozen=True, slots=True)
class Guideline:
    """The 中小版GL block of a plan (`guideline:` in the file)."""

    liquidation: Liquidation | None = None
    guarantors: tuple[Guarantor, ...] = ()
    no_guarantors: str | None = None
    third_party_expert: ThirdPartyExpert | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole improvement plan, as loaded and checked against the schema."""

    program: Program
    company: Company
    actuals: tuple[ActualYear, ...]
    drivers: Drivers
    banks: tuple[Bank, ...] = ()
    financial_support: FinancialSupport = field(default_factory=FinancialSupport)
    action_plan: tuple[Action, ...] = ()
    causes_of_distress: tuple[str, ...] = ()
    basic_policy: tuple[str, ...] = ()
    display_unit: Literal["円", "千円"] = "円"
    rounding: RoundingMode = "half_up"
    business_model: BusinessModel = field(default_factory=BusinessModel)
    cash_table: CashTable = field(default_factory=CashTable)
    scenarios: tuple[Scenario, ...] = ()
    #: 中小版GL content (liquidation BS, guarantors, third-party expert); None when not given.
    guideline: Guideline | None = None
    #: The scenario the drivers are under (set by `keiei.finance.apply_scenario`).
    scenario: Scenario = BASE_SCENARIO
    source: str = "<data>"

    @property
    def base_period(self) -> Period:
        """The last actual fiscal year end: the opening balance sheet of the plan."""
        return self.actuals[-1].period

    @property
    def plan_periods(self) -> tuple[Period, ...]:
        base = self.base_period
        return tuple(base.plus_years(i) for i in range(1, self.drivers.years + 1))
