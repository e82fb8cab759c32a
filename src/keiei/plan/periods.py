"""Fiscal periods as year and month ("YYYY-MM"), and the month arithmetic on calendar days.

A plan never needs days: a fiscal year is named by the month it ends in, and the monthly cash
table by its month. Keeping one small value type avoids string arithmetic on "2025-03".
A case does need days (deadlines N months after a date, a report due at a month end), so the
day functions (`add_months`, `month_end`, `fiscal_year`) live here too: one home for months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from keiei.dates import wareki_year


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month; as a fiscal year it is the month the year ends in."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse "YYYY-MM" (the schema has already checked the shape)."""
        year, month = text.split("-")[:2]
        return cls(int(year), int(month))

    @property
    def index(self) -> int:
        """Months since year 0: makes gaps and ordering plain integer arithmetic."""
        return self.year * 12 + self.month - 1

    def plus_months(self, months: int) -> Period:
        index = self.index + months
        return Period(index // 12, index % 12 + 1)

    def plus_years(self, years: int) -> Period:
        return Period(self.year + years, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# ---- calendar days: the one home of month arithmetic ---------------------------------------------
# Periods above never need days; the case's deadlines and monitoring schedule do (a date plus
# N months, a month's last day, the 年度). They live here, beside `Period`, so there is one
# place that adds months (the web app and keiei.case use these).


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the month's last day when it has none.

    Saturates at the first and last dates Python knows (0001-01-01, 9999-12-31) instead of
    failing: callers keep stored dates within keiei.dates.STORED_WINDOW, but a page must still
    show a row stored before they did (its deadline then reads 9999-12-31).
    """
    year, month = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> dt.date:
    """The last day of the month; saturating like `add_months` for years Python has no dates for."""
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year(day: dt.date) -> int:
    """年度: April to March; 2026-03-31 is in 2025年度."""
    return day.year if day.month >= 4 else day.year - 1


def period_label(period: Period) -> str:
    """The fiscal year a period ends: 2025年3月期 (the one way documents and sentences write it)."""
    return f"{period.year}年{period.month}月期"


def period_text_label(period: Period | str) -> str:
    """`period_label` of a Period or of its "YYYY-MM" text (the projection's JSON names periods so)."""
    return period_label(Period.parse(period) if isinstance(period, str) else period)


def fiscal_year_label(year: int) -> str:
    """2025年度（令和7年度）; 西暦 only for a year without an April 1st in Python's calendar."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"{year}年度"
    return f"{year}年度（{wareki_year(dt.date(year, 4, 1))}度）"
