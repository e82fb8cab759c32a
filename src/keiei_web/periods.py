"""Calendar arithmetic the web app needs: months, month ends, the Japanese fiscal year (年度).

Pure functions, no Django, so they are trivially testable and could move to the core.
"""

from __future__ import annotations

import calendar
import datetime as dt

from keiei.dates import wareki_year


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the month's last day when it has none.

    Saturates at the first and last dates Python knows (0001-01-01, 9999-12-31) instead of
    failing: the forms and services keep stored dates within keiei.dates.STORED_WINDOW, but a
    page must still show a row stored before they did (its deadline then reads 9999-12-31).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
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


def fiscal_year_label(year: int) -> str:
    """2025年度（令和7年度）; 西暦 only for a year without an April 1st in Python's calendar."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"{year}年度"
    return f"{year}年度（{wareki_year(dt.date(year, 4, 1))}度）"
