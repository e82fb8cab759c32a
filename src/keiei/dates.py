"""Dates: parsing user input and showing 和暦 beside 西暦 (via japanera)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from japanera import EraDate

from keiei.errors import KeieiInputError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, field: str = "--date") -> dt.date:
    """Parse YYYY-MM-DD, or raise a KeieiInputError naming the field."""
    try:
        if not _ISO_DATE.match(text.strip()):
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise KeieiInputError(
            field,
            f"日付は YYYY-MM-DD の形式で指定してください（指定値: {text!r}）",
            f"expected a date as YYYY-MM-DD, got {text!r}",
        ) from None


def wareki(day: dt.date) -> str:
    """令和8年11月27日 style (first year shown as 元年)."""
    return f"{wareki_year(day)}{day.month}月{day.day}日"


@lru_cache(maxsize=8192)
def wareki_year(day: dt.date) -> str:
    """令和8年 style.

    Cached: japanera builds an era lookup for every call (about half a millisecond), and a web
    page shows dozens of dates; a date's era never changes.
    """
    era = EraDate.from_date(day)
    year = int(era.strftime("%-y"))
    return f"{era.strftime('%-K')}{'元' if year == 1 else year}年"


def with_wareki(day: dt.date) -> str:
    """2026-11-27（令和8年11月27日）: 西暦 with 和暦 beside it."""
    return f"{day.isoformat()}（{wareki(day)}）"
