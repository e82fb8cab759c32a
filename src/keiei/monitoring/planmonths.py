"""The plan month by month: each plan year's projected income statement split into its twelve
months, so that a month of the books can be set beside a month of the plan.

Why the split lives here and not in the plan: the agreed plan states years (and, at most, a
cash table). A monthly comparison needs a monthly plan that adds up *exactly* to the agreed
year, so every line is split with `keiei.finance.allocation.prorata` (largest remainders):
Σ months = the year, to the yen. The year figures come from the projection (`keiei.finance`),
never recomputed here; the subtotals of a month (gross, operating, ordinary profit, …) come
from `keiei.finance.subtotals.profit_chain`, the one home of the profit chain.

The shape of the months (weights), per line:
- sales, cost of sales and variable costs follow the season: the plan's
  `cash_table.seasonality` (twelve weights, first month of the fiscal year first) when given;
  else the receipts (`operating_in`) of the cash table's twelve `plan` months of that year;
  else those of the first plan year that has them (the same calendar months); else even;
- 法人税等 is booked at the year end (決算月), as the books book it;
- every other line is even (salaries, rent, depreciation, interest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keiei.finance import Projection
from keiei.finance.allocation import prorata
from keiei.finance.subtotals import profit_chain
from keiei.plan import model as m
from keiei.plan.periods import Period

#: The income-statement lines compared (the import's keys, `keiei.monitoring.lines.PL_KEYS`).
PL_LINES: tuple[str, ...] = (
    "sales",
    "cost_of_sales",
    "sga",
    "non_operating_income",
    "non_operating_expenses",
    "interest_expense",
    "extraordinary_income",
    "extraordinary_loss",
    "income_taxes",
    "depreciation",
)
SEASONAL: frozenset[str] = frozenset({"sales", "cost_of_sales", "variable_costs"})
YEAR_END: frozenset[str] = frozenset({"income_taxes"})
#: The profit chain's subtotals, derived per month by `profit_chain`.
SUBTOTALS: tuple[str, ...] = ("gross_profit", "operating_profit", "ordinary_profit", "pretax_income", "net_income")

_EVEN = (1,) * 12


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """Twelve parts of `amount` (either sign) by `weights`, summing exactly to it."""
    weights = weights if any(weights) else _EVEN
    parts = prorata(abs(amount), weights)
    return parts if amount >= 0 else [-p for p in parts]


def year_months(plan: m.Plan, plan_year: int) -> tuple[Period, ...]:
    """The twelve months of plan year `plan_year` (1-based)."""
    start = plan.base_period.plus_months(12 * (plan_year - 1) + 1)
    return tuple(start.plus_months(k) for k in range(12))


def season(plan: m.Plan, plan_year: int) -> tuple[tuple[int, ...], str]:
    """The weights of the seasonal lines in plan year `plan_year`, and where they came from."""
    table = plan.cash_table
    if table.seasonality and any(table.seasonality):
        return tuple(table.seasonality), "cash_table.seasonality"
    planned = {mo.month: sum(v for _, v in mo.operating_in) for mo in table.months if mo.kind == "plan"}

    def of_year(year: int) -> tuple[int, ...] | None:
        months = year_months(plan, year)
        if all(mo in planned for mo in months):
            weights = tuple(planned[mo] for mo in months)
            return weights if any(weights) else None
        return None

    own = of_year(plan_year)
    if own is not None:
        return own, "cash_table.months"
    for year in range(1, plan.drivers.years + 1):
        other = of_year(year)
        if other is not None:
            return other, f"cash_table.months（計画{year}年目の月の形）"
    return _EVEN, "even"


@dataclass(frozen=True)
class PlanMonths:
    """Every plan month's figures per line (income statement), with where the shape came from."""

    months: dict[Period, dict[str, int]]
    seasons: dict[int, str]

    def over(self, months: Sequence[Period]) -> dict[str, int]:
        """The plan of several months: each line summed, subtotals from the summed lines."""
        total = dict.fromkeys(PL_LINES, 0)
        for mo in months:
            figures = self.months[mo]
            for line in PL_LINES:
                total[line] += figures[line]
        return with_subtotals(total)


def with_subtotals(pl: dict[str, int]) -> dict[str, int]:
    """The lines plus the profit chain (`keiei.finance.subtotals.profit_chain`)."""
    get = pl.get
    chain = profit_chain(
        get("sales", 0),
        get("cost_of_sales", 0),
        get("sga", 0),
        get("non_operating_income", 0),
        get("non_operating_expenses", 0),
        get("extraordinary_income", 0),
        get("extraordinary_loss", 0),
        get("income_taxes", 0),
    )
    out = {line: get(line, 0) for line in PL_LINES}
    out.update(zip(SUBTOTALS, chain, strict=True))
    return out


def plan_months(plan: m.Plan, projection: Projection) -> PlanMonths:
    """Split each plan year of `projection` into months (module doc)."""
    months: dict[Period, dict[str, int]] = {}
    seasons: dict[int, str] = {}
    for index, year in enumerate(projection.plan_years):
        plan_year = index + 1
        weights, origin = season(plan, plan_year)
        seasons[plan_year] = origin
        per_line: dict[str, list[int]] = {}
        for line in PL_LINES:
            amount = int(getattr(year.pl, line))
            if line in YEAR_END:
                per_line[line] = [0] * 11 + [amount]
            else:
                per_line[line] = split(amount, weights if line in SEASONAL else _EVEN)
        for k, mo in enumerate(year_months(plan, plan_year)):
            months[mo] = {line: per_line[line][k] for line in PL_LINES}
    return PlanMonths(months, seasons)
