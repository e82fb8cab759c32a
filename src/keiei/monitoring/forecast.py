"""The rolling forecast (actual to date + plan for the rest of the year) and the plan's numeric
criteria re-evaluated on it: would the plan still return to ordinary profit, clear negative
net worth, meet the repayment years?

How (kept simple, and said in the result's `notes`): the projection of the agreed plan is
copied with the forecast year's income statement replaced by the forecast (`PL.build`: the
profit chain from `keiei.finance.subtotals`), and the difference in net income carried into
cash and (adjusted) net assets of that year and every later year (the plan's later years are
otherwise unchanged: same sales, costs, repayments). Taxes of later years and loss carry-
forwards are not recomputed; the cash-flow statements are left as planned. The 債務償還年数
of the changed years is recomputed (`keiei.finance.debt_repayment_years`). The criteria are
then the very functions `plan check` uses (`keiei.criteria.numeric_criteria`), so a forecast
verdict means what a plan verdict means.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from keiei.criteria import Criterion, NumericParameters, numeric_criteria
from keiei.finance import BS, PL, Projection, YearResult, debt_repayment_years
from keiei.money import format_thousand_yen
from keiei.monitoring.compare import Annual
from keiei.plan import model as m
from keiei.rules import rules_for


def _shift(bs: BS | None, delta: int) -> BS | None:
    if bs is None or delta == 0:
        return bs
    return BS.build(
        cash=bs.cash + delta,
        receivables=bs.receivables,
        inventory=bs.inventory,
        other_current_assets=bs.other_current_assets,
        fixed_assets=bs.fixed_assets,
        payables=bs.payables,
        interest_bearing_debt=bs.interest_bearing_debt,
        other_liabilities=bs.other_liabilities,
        net_assets=bs.net_assets + delta,
        adjustment=bs.adjusted_net_assets - bs.net_assets,
    )


def forecast_pl(annual: Annual) -> PL:
    f = annual.forecast
    return PL.build(
        sales=f["sales"],
        cost_of_sales=f["cost_of_sales"],
        sga=f["sga"],
        non_operating_income=f["non_operating_income"],
        non_operating_expenses=f["non_operating_expenses"],
        interest_expense=f["interest_expense"],
        extraordinary_income=f["extraordinary_income"],
        extraordinary_loss=f["extraordinary_loss"],
        income_taxes=f["income_taxes"],
        depreciation=f["depreciation"],
    )


def forecast_projection(projection: Projection, annual: Annual) -> Projection:
    """The projection with plan year `annual.plan_year` replaced by its forecast (module doc)."""
    offset = len(projection.actual_years)
    index = offset + annual.plan_year - 1
    delta = annual.forecast["net_income"] - projection.years[index].pl.net_income
    years = list(projection.years)
    for i in range(index, len(years)):
        year = years[i]
        pl = forecast_pl(annual) if i == index else year.pl
        bs = _shift(year.bs, delta)
        indicators = year.indicators
        if bs is not None:
            indicators = dataclasses.replace(
                indicators, debt_repayment_years=debt_repayment_years(pl, bs, projection.variant)
            )
        years[i] = YearResult(
            year.period, year.kind, pl, bs, _shift(year.adjusted_bs, delta), year.cf, indicators, year.details
        )
    return dataclasses.replace(projection, years=tuple(years))


@dataclass(frozen=True)
class ForecastVerdicts:
    """The numeric criteria on the agreed plan and on the forecast, side by side."""

    plan_year: int
    fiscal_year: str
    months_actual: int
    net_income_change: int
    cash_end: int | None
    plan: tuple[Criterion, ...]
    forecast: tuple[Criterion, ...]
    notes: tuple[str, ...]

    @property
    def reversed(self) -> tuple[str, ...]:
        """Ids of criteria the agreed plan passes and the forecast fails."""
        return tuple(p.id for p, f in zip(self.plan, self.forecast, strict=True) if p.passed and not f.passed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_year": self.plan_year,
            "fiscal_year": self.fiscal_year,
            "months_actual": self.months_actual,
            "net_income_change": self.net_income_change,
            "cash_end": self.cash_end,
            "criteria": [
                {
                    "id": p.id,
                    "label": p.label,
                    "plan_passed": p.passed,
                    "forecast_passed": f.passed,
                    "reversed": bool(p.passed and not f.passed),
                    "plan_message": p.message,
                    "forecast_message": f.message,
                }
                for p, f in zip(self.plan, self.forecast, strict=True)
            ],
            "notes": list(self.notes),
        }


def forecast_verdicts(plan: m.Plan, projection: Projection, annual: Annual, on: dt.date) -> ForecastVerdicts:
    """Re-evaluate the numeric criteria on the rolling forecast of `annual`'s plan year."""
    params = NumericParameters.from_rules(rules_for(plan.program, on))
    changed = forecast_projection(projection, annual)
    index = len(projection.actual_years) + annual.plan_year - 1
    delta = changed.years[index].pl.net_income - projection.years[index].pl.net_income
    bs = changed.years[index].bs
    notes = [
        f"計画{annual.plan_year}年目（{annual.fiscal_year}期）は実績 {len(annual.months_actual)} か月 + 計画 "
        f"{len(annual.months_left)} か月の見込みです。",
        f"見込みの当期純利益は計画との差 {format_thousand_yen(delta)}千円。その差を現預金と純資産（実態純資産）に"
        "加え、以後の年度にも引き継いでいます。以後の年度の売上・費用・返済は計画のまま、税金と繰越欠損金は"
        "計算し直していません。",
    ]
    if bs is not None and bs.cash < 0:
        notes.append(
            f"見込みでは {annual.fiscal_year}期末の現預金が {format_thousand_yen(bs.cash)}千円で、資金が不足します。"
        )
    return ForecastVerdicts(
        annual.plan_year,
        annual.fiscal_year,
        len(annual.months_actual),
        delta,
        bs.cash if bs is not None else None,
        tuple(numeric_criteria(projection, params)),
        tuple(numeric_criteria(changed, params)),
        tuple(notes),
    )
