"""The monitoring (伴走支援) schedule a case's rules give.

- 405 / 405-gl: a session every N months (N within the rules' 1–12) for the rules' period
  (3 years); every session is mandatory (`monitoring` is a mandatory item).
- early: optional 期中 sessions every N months before the first fiscal year end after the
  start, and the mandatory 期末 session at that year end, due two months after it (when the
  決算 figures exist; keiei's assumption, see docs/web.md), within the one-year period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from keiei.rules import ProgramRules
from keiei_web.periods import add_months, month_end

#: Months after the fiscal year end by which the year-end report is due (決算確定・申告の時期).
YEAR_END_REPORT_LAG_MONTHS = 2


@dataclass(frozen=True)
class PlannedSession:
    seq: int
    kind: str
    due_on: dt.date
    mandatory: bool


def first_fiscal_year_end(start: dt.date, fiscal_year_end_month: int) -> dt.date:
    """The first fiscal year end (a month end) strictly after `start`."""
    candidate = month_end(start.year, fiscal_year_end_month)
    return candidate if candidate > start else month_end(start.year + 1, fiscal_year_end_month)


def monitoring_schedule(
    rules: ProgramRules, start: dt.date, interval_months: int, fiscal_year_end_month: int
) -> list[PlannedSession]:
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
        due = add_months(year_end, YEAR_END_REPORT_LAG_MONTHS)
        due = month_end(due.year, due.month)
        out.append(PlannedSession(len(out) + 1, "monitoring_end", due, "monitoring_end" in rules.monitoring_mandatory))
        return out
    mandatory = "monitoring" in rules.monitoring_mandatory
    return [
        PlannedSession(k, "monitoring", add_months(start, k * interval_months), mandatory)
        for k in range(1, period_months // interval_months + 1)
    ]
