"""The monitoring (伴走支援) schedule a case's rules give.

- 405 / 405-gl: a session every N months (N within the rules' 1–12) for the rules' period
  (3 years); every session is mandatory (`monitoring` is a mandatory item).
- early: optional 期中 sessions every N months before the first fiscal year end after the
  start, and the mandatory 期末 session at that year end, due at the end of the month
  `deadlines.monitoring_end_months_after_fiscal_year_end` months after it (when the 決算
  figures exist; an unconfirmed rule in early.yaml, see docs/rules.md), within the one-year
  period.

Pure: the web app stores what this returns when the plan payment is approved, and
`keiei case due` computes it from a case file; both get the same dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from keiei.errors import RulesDataError
from keiei.plan.periods import add_months, month_end
from keiei.rules import ProgramRules

#: The rules key (under `deadlines:`) of the months from the fiscal year end to the 期末 report.
YEAR_END_LAG_KEY = "monitoring_end_months_after_fiscal_year_end"

#: How a session's kind reads on a page or in the CLI (期中 / 期末 / a 405 regular session).
SESSION_KIND_LABELS: dict[str, str] = {
    "monitoring_mid": "期中",
    "monitoring_end": "期末・決算期",
    "monitoring": "定期",
}


@dataclass(frozen=True)
class PlannedSession:
    seq: int
    kind: str
    due_on: dt.date
    mandatory: bool

    @property
    def kind_label(self) -> str:
        return SESSION_KIND_LABELS.get(self.kind, self.kind)


def first_fiscal_year_end(start: dt.date, fiscal_year_end_month: int) -> dt.date:
    """The first fiscal year end (a month end) strictly after `start`."""
    candidate = month_end(start.year, fiscal_year_end_month)
    return candidate if candidate > start else month_end(start.year + 1, fiscal_year_end_month)


def year_end_lag_months(rules: ProgramRules) -> int:
    """Months from the fiscal year end to the 期末 report, from the rules (never from code)."""
    lag = rules.deadlines.get(YEAR_END_LAG_KEY)
    if lag is None:
        raise RulesDataError(
            f"{rules.program}: deadlines.{YEAR_END_LAG_KEY}",
            f"{rules.as_of.isoformat()} 時点の期末の伴走支援の報告期限がありません",
            f"no year-end monitoring lag in force on {rules.as_of.isoformat()}",
        )
    return lag


def monitoring_schedule(
    rules: ProgramRules, start: dt.date, interval_months: int, fiscal_year_end_month: int
) -> list[PlannedSession]:
    """The sessions from `start` (the day the plan payment was approved) every `interval_months`."""
    low, high = rules.monitoring_interval_months
    if not low <= interval_months <= high:
        raise ValueError(f"interval {interval_months} outside {low}..{high}")
    period_months = rules.monitoring_period_years * 12
    if "monitoring_end" in rules.items:  # early: mid sessions, then the year-end one
        year_end = first_fiscal_year_end(start, fiscal_year_end_month)
        out: list[PlannedSession] = []
        if "monitoring_mid" in rules.items:
            k = 1
            while k * interval_months < period_months and add_months(start, k * interval_months) < year_end:
                out.append(
                    PlannedSession(len(out) + 1, "monitoring_mid", add_months(start, k * interval_months), False)
                )
                k += 1
        due = add_months(year_end, year_end_lag_months(rules))
        due = month_end(due.year, due.month)
        out.append(PlannedSession(len(out) + 1, "monitoring_end", due, "monitoring_end" in rules.monitoring_mandatory))
        return out
    mandatory = "monitoring" in rules.monitoring_mandatory
    return [
        PlannedSession(k, "monitoring", add_months(start, k * interval_months), mandatory)
        for k in range(1, period_months // interval_months + 1)
    ]
