""" "Today" and "now" in one place, so deadlines, default dates and the audit trail can be fixed.

Every web-side use of the current date goes through `today()` / `now()`. They can be frozen
three ways, strongest first: `with frozen(day):` (the demo loader replays a case's history on
past dates this way), the KEIEI_TODAY setting, or the KEIEI_TODAY environment variable (ISO
dates). Business dates are still passed explicitly to the services; only defaults, highlighting
and audit timestamps read the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_frozen: ContextVar[dt.date | None] = ContextVar("keiei_frozen_today", default=None)

#: The time of day a frozen "now" reads (office hours, so audit trails look natural).
FROZEN_TIME = dt.time(10, 0)


def _fixed() -> dt.date | None:
    day = _frozen.get()
    if day is not None:
        return day
    text = getattr(settings, "KEIEI_TODAY", None) or os.environ.get("KEIEI_TODAY")
    return dt.date.fromisoformat(str(text)) if text else None


def today() -> dt.date:
    fixed = _fixed()
    return fixed if fixed is not None else timezone.localdate()


def now() -> dt.datetime:
    fixed = _fixed()
    if fixed is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(fixed, FROZEN_TIME))


@contextmanager
def frozen(day: dt.date) -> Iterator[None]:
    token = _frozen.set(day)
    try:
        yield
    finally:
        _frozen.reset(token)
