"""Display filters: yen with commas, 西暦 with 和暦 beside it, deadline colours, JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from keiei.dates import wareki as wareki_text
from keiei.dates import with_wareki
from keiei.money import format_yen
from keiei_web.accounts.choices import Role
from keiei_web.plans import exactjson

register = template.Library()


@register.filter
def yen(value: Any) -> str:
    """1,234,567円 (negatives with △, as banks read them); blank for None."""
    if value is None or value == "":
        return "—"
    return format_yen(int(value))


@register.filter
def wareki(value: Any) -> str:
    """2026-11-27（令和8年11月27日）."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "—"
    return with_wareki(value)


@register.filter
def wareki_stack(value: Any) -> str:
    """西暦 on one line, 和暦 small beneath it: the same information for narrow table cells."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "—"
    return format_html('{}<br><small class="muted">{}</small>', value.isoformat(), wareki_text(value))


@register.filter
def plain_value(value: Any) -> str:
    """A JSON leaf for people: numbers with commas, text as is, anything else as JSON."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,}"
    if isinstance(value, Decimal):  # a plan decimal no float holds (keiei_web.plans.exactjson)
        return f"{value:,}"
    if isinstance(value, str):
        return value
    return short_json(value)


@register.filter
def role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


@register.filter
def pretty_json(value: Any) -> str:
    return exactjson.dumps(value, indent=2, sort_keys=True)


@register.filter
def short_json(value: Any) -> str:
    text = exactjson.dumps(value)
    return text if len(text) <= 80 else text[:77] + "…"


@register.simple_tag
def deadline_status(deadline: Any, today: dt.date, closed: bool = False) -> str:
    return str(deadline.status(today, closed))


@register.filter
def sen(value: Any) -> str:
    """Yen in thousands for narrow tables (千円, rounded half up; △ for negatives); — for None."""
    if value is None or value == "":
        return "—"
    number = int(value)
    thousands = (abs(number) + 500) // 1000
    text = f"{thousands:,}"
    return f"△{text}" if number < 0 and thousands else text


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping[key] in templates (for tables whose rows are keys)."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def yen_or_blank(value: Any) -> str:
    """1,234,567 (△ for negatives) without the 円, or blank: computed cells in input tables."""
    if value is None or value == "":
        return ""
    number = int(value)
    return f"△{abs(number):,}" if number < 0 else f"{number:,}"
