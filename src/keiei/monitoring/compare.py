"""Plan against actual: monthly, cumulative (年度累計) and annual views of every income-statement
line, its subtotals and the margins, from the merged actuals and the monthly plan.

Definitions (docs/monitoring.md has them in Japanese):
- variance = actual − plan (yen); variance ratio = variance ÷ |plan| (None when plan is 0);
- achievement (達成率) = actual ÷ plan, only when plan > 0 (a ratio to a loss plan means nothing);
- remaining (年間目標までの残り) = annual plan − cumulative actual to date;
- favourable: whether the variance helps profit (more sales, less cost): None when 0.
The cumulative figure of a period is the sum of the monthly ones of its plan year up to it
(a property the tests check), and its plan is the plan of the same months (merge.py).

Ratios stay exact `Decimal` here; faces print them with `keiei.finance.display.percent_text`
and the JSON publishes them like `plan check` does (`keiei.finance.output.ratio`, 4 places).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from keiei.finance.display import percent_text
from keiei.finance.output import ratio
from keiei.monitoring import lines
from keiei.monitoring.merge import ImportedPeriod, Merged
from keiei.monitoring.planmonths import PL_LINES, SUBTOTALS, PlanMonths, with_subtotals, year_months
from keiei.plan import glossary
from keiei.plan import model as m
from keiei.plan.periods import Period

#: Rows of every view, in statement order: lines, then subtotals after the line they follow.
ROWS: tuple[str, ...] = (
    "sales",
    "cost_of_sales",
    "gross_profit",
    "sga",
    "depreciation",
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
)
#: Lines whose growth lowers profit (a positive variance is unfavourable).
COSTS: frozenset[str] = frozenset(
    {"cost_of_sales", "sga", "depreciation", "non_operating_expenses", "interest_expense", "extraordinary_loss",
     "income_taxes"}
)  # fmt: skip
LABELS: dict[str, str] = {
    **glossary.statement_labels(glossary.PL_INPUT_LINES),
    **glossary.statement_labels(glossary.PL_SUBTOTALS),
}
#: Margins (ratio to sales) shown as indicators: key → (numerator row, label).
MARGINS: dict[str, tuple[str, str]] = {
    "cost_ratio": ("cost_of_sales", "売上原価率"),
    "gross_margin": ("gross_profit", "売上総利益率"),
    "sga_ratio": ("sga", "販管費率"),
    "operating_margin": ("operating_profit", "売上高営業利益率"),
    "ordinary_margin": ("ordinary_profit", "売上高経常利益率"),
}


def label(key: str) -> str:
    return LABELS.get(key, lines.label(key))


@dataclass(frozen=True)
class Cell:
    """One row of one view: plan, actual and how far apart."""

    key: str
    plan: int
    actual: int
    remaining: int | None = None

    @property
    def variance(self) -> int:
        return self.actual - self.plan

    @property
    def variance_ratio(self) -> Decimal | None:
        return Decimal(self.variance) / abs(self.plan) if self.plan else None

    @property
    def achievement(self) -> Decimal | None:
        return Decimal(self.actual) / self.plan if self.plan > 0 else None

    @property
    def favourable(self) -> bool | None:
        if self.variance == 0:
            return None
        return (self.variance < 0) if self.key in COSTS else (self.variance > 0)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": label(self.key),
            "plan": self.plan,
            "actual": self.actual,
            "variance": self.variance,
            "variance_ratio": ratio(self.variance_ratio),
            "variance_ratio_text": percent_text(self.variance_ratio),
            "achievement": ratio(self.achievement),
            "achievement_text": percent_text(self.achievement),
            "favourable": self.favourable,
        }
        if self.remaining is not None:
            out["remaining"] = self.remaining
        return out


@dataclass(frozen=True)
class Margin:
    """A ratio to sales, plan and actual, and the difference in points (actual − plan)."""

    key: str
    plan: Decimal | None
    actual: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.plan is None or self.actual is None else self.actual - self.plan

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": MARGINS[self.key][1],
            "plan": ratio(self.plan),
            "actual": ratio(self.actual),
            "difference": ratio(self.difference),
            "plan_text": percent_text(self.plan),
            "actual_text": percent_text(self.actual),
            "difference_text": percent_text(self.difference),
        }


def margins(plan: dict[str, int], actual: dict[str, int]) -> tuple[Margin, ...]:
    def of(figures: dict[str, int], row: str) -> Decimal | None:
        sales = figures["sales"]
        return Decimal(figures[row]) / sales if sales > 0 else None

    return tuple(Margin(key, of(plan, row), of(actual, row)) for key, (row, _) in MARGINS.items())


@dataclass(frozen=True)
class View:
    """One period of one view (a month, a span, or the year to date)."""

    kind: str  # monthly | cumulative
    plan_year: int
    fiscal_year: str
    first: Period
    last: Period
    months: int
    plan: dict[str, int]
    actual: dict[str, int]
    cells: tuple[Cell, ...]
    margins: tuple[Margin, ...]

    @property
    def label(self) -> str:
        return str(self.last) if self.first == self.last else f"{self.first}〜{self.last}"

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_year": self.plan_year,
            "fiscal_year": self.fiscal_year,
            "first": str(self.first),
            "last": str(self.last),
            "label": self.label,
            "months": self.months,
            "lines": [c.as_dict() for c in self.cells],
            "indicators": [mg.as_dict() for mg in self.margins],
        }


@dataclass(frozen=True)
class AnnualCell:
    """One row of a plan year: the year's plan, the actual to date, the rolling forecast."""

    key: str
    plan: int
    actual_to_date: int
    plan_to_date: int
    forecast: int

    @property
    def progress(self) -> Decimal | None:
        """進捗率: the actual to date over the whole year's plan."""
        return Decimal(self.actual_to_date) / self.plan if self.plan > 0 else None

    @property
    def remaining(self) -> int:
        return self.plan - self.actual_to_date

    @property
    def forecast_variance(self) -> int:
        return self.forecast - self.plan

    def as_dict(self) -> dict[str, Any]:
        variance_ratio = Decimal(self.forecast_variance) / abs(self.plan) if self.plan else None
        achievement = Decimal(self.forecast) / self.plan if self.plan > 0 else None
        return {
            "key": self.key,
            "label": label(self.key),
            "plan": self.plan,
            "plan_to_date": self.plan_to_date,
            "actual_to_date": self.actual_to_date,
            "progress": ratio(self.progress),
            "progress_text": percent_text(self.progress),
            "remaining": self.remaining,
            "forecast": self.forecast,
            "forecast_variance": self.forecast_variance,
            "forecast_variance_ratio": ratio(variance_ratio),
            "forecast_variance_ratio_text": percent_text(variance_ratio),
            "forecast_achievement": ratio(achievement),
            "forecast_achievement_text": percent_text(achievement),
        }


@dataclass(frozen=True)
class Annual:
    """A plan year touched by the actuals: its plan, the months in, and the forecast."""

    plan_year: int
    fiscal_year: str
    months_actual: tuple[Period, ...]
    months_left: tuple[Period, ...]
    plan: dict[str, int]
    actual_to_date: dict[str, int]
    plan_to_date: dict[str, int]
    forecast: dict[str, int]
    cells: tuple[AnnualCell, ...]

    @property
    def complete(self) -> bool:
        return not self.months_left

    def cell(self, key: str) -> AnnualCell:
        return next(c for c in self.cells if c.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_year": self.plan_year,
            "fiscal_year": self.fiscal_year,
            "months_actual": len(self.months_actual),
            "months_left": [str(mo) for mo in self.months_left],
            "complete": self.complete,
            "lines": [c.as_dict() for c in self.cells],
            "indicators": [mg.as_dict() for mg in margins(self.plan, self.forecast)],
        }


@dataclass(frozen=True)
class Comparison:
    """Every view of plan against actual for the merged months."""

    monthly: tuple[View, ...]
    cumulative: tuple[View, ...]
    annual: tuple[Annual, ...]
    seasons: dict[int, str]

    @property
    def latest(self) -> View | None:
        return self.cumulative[-1] if self.cumulative else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "monthly": [v.as_dict() for v in self.monthly],
            "cumulative": [v.as_dict() for v in self.cumulative],
            "annual": [a.as_dict() for a in self.annual],
            "monthly_plan_shape": {str(k): v for k, v in self.seasons.items()},
        }


def actual_pl(period: ImportedPeriod) -> dict[str, int]:
    """The period's actual lines and subtotals (absent lines are 0)."""
    return with_subtotals({line: period.pl.get(line, 0) for line in PL_LINES})


def _sum(figures: Sequence[dict[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(PL_LINES, 0)
    for f in figures:
        for line in PL_LINES:
            total[line] += f[line]
    return with_subtotals(total)


def compare(plan: m.Plan, months: PlanMonths, merged: Merged) -> Comparison:
    """The three views (module doc)."""
    monthly: list[View] = []
    cumulative: list[View] = []
    annual: list[Annual] = []
    for plan_year, periods in sorted(merged.by_plan_year().items()):
        fiscal_year = str(plan.plan_periods[plan_year - 1])
        every = year_months(plan, plan_year)
        year_plan = months.over(every)
        plan_acc: list[dict[str, int]] = []
        actual_acc: list[dict[str, int]] = []
        covered: list[Period] = []
        for period in periods:
            p_plan, p_actual = months.over(period.months), actual_pl(period)
            plan_acc.append(p_plan)
            actual_acc.append(p_actual)
            covered.extend(period.months)
            n = len(period.months)
            monthly.append(
                View("monthly", plan_year, fiscal_year, period.first, period.last, n, p_plan, p_actual,
                     tuple(Cell(k, p_plan[k], p_actual[k]) for k in ROWS), margins(p_plan, p_actual))
            )  # fmt: skip
            c_plan, c_actual = _sum(plan_acc), _sum(actual_acc)
            cumulative.append(
                View("cumulative", plan_year, fiscal_year, every[0], period.last, len(covered), c_plan, c_actual,
                     tuple(Cell(k, c_plan[k], c_actual[k], year_plan[k] - c_actual[k]) for k in ROWS),
                     margins(c_plan, c_actual))
            )  # fmt: skip
        left = tuple(mo for mo in every if mo not in set(covered))
        to_date, plan_to_date = _sum(actual_acc), _sum(plan_acc)
        rest = months.over(left)
        forecast = _sum([to_date, rest])
        annual.append(
            Annual(plan_year, fiscal_year, tuple(covered), left, year_plan, to_date, plan_to_date, forecast,
                   tuple(AnnualCell(k, year_plan[k], to_date[k], plan_to_date[k], forecast[k]) for k in ROWS))
        )  # fmt: skip
    return Comparison(tuple(monthly), tuple(cumulative), tuple(annual), months.seasons)


__all__ = ["ROWS", "SUBTOTALS", "Annual", "AnnualCell", "Cell", "Comparison", "Margin", "View", "compare", "label"]
