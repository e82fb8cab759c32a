"""Dates: parsing user input, the windows a date must fall in, and 和暦 beside 西暦 (japanera).

Why windows: a date is typed by people (web forms, plan files, case files, `--date`) and then
computed with (deadlines add months, schedules add years, 和暦 names the era, ZIP entries carry
the date). A date such as 9999-12-31 is a valid `datetime.date` yet breaks all of these, and
once stored it would break every page that shows it. So every date input is checked against
one of the named windows below, with a Japanese message naming the field; and the display
helpers here never fail on a date outside them (an old row may still hold one).

The windows (documented in docs/plan-format.md and docs/web.md):

- **business events** (`event_window(today)`): things that happened — consultation,
  application, acceptance, bank meeting, consent or receipt, claims, transfers, reports,
  approvals, completion. From `EVENT_EARLIEST` to today plus `EVENT_FUTURE_TOLERANCE`: an
  event is recorded after it happens, and the web's today is Japan's date. Each programme's own
  start is checked by its rules (`keiei.rules.rules_for`), and the order of the steps by the
  web's state machine.
- **plan dates** (`PLAN_WINDOW`): fiscal periods of actuals, loan maturities, the months of the
  cash table, action-plan deadlines, and the case file's dates (application, plan, acceptance,
  agreement: documents are often prepared before the day they carry, so these are not bounded
  by today — and the core does not read the clock).
- **rules dates** (`RULES_WINDOW`): the date whose rules apply (`--date` of the CLI).
- **founding dates** (`FOUNDED_WINDOW`): `company.founded` of a plan file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from japanera import EraDate

from keiei.errors import KeieiInputError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: The earliest date of a business event keiei records. Neither programme existed before (405事業
#: began in 2013, 早期 in 2017: rules/data); a round floor well below both, which the rules'
#: own start dates then narrow per programme.
EVENT_EARLIEST = dt.date(2000, 1, 1)
#: How far after today an event may be dated: none. Events are recorded once they happened, and
#: "today" is the date in Japan (keiei_web.clock), where the users are.
EVENT_FUTURE_TOLERANCE = dt.timedelta(days=0)
#: Plan files and case files: 2000-01 to 2100-12. A plan covers up to three actual years and five
#: plan years, loans run for decades; 2100 leaves room for all of that and keeps every date in the
#: range where month arithmetic, 和暦 and file formats (ZIP: up to 2107) work.
PLAN_EARLIEST = dt.date(2000, 1, 1)
PLAN_LATEST = dt.date(2100, 12, 31)
#: Rule lookup dates (`--date`): the same span; each programme's start narrows it from below.
RULES_EARLIEST = dt.date(2000, 1, 1)
RULES_LATEST = dt.date(2100, 12, 31)
#: A company's founding: older than the oldest Japanese company (金剛組, 578); no later than
#: the plan window allows.
FOUNDED_EARLIEST = dt.date(500, 1, 1)
#: 和暦 is shown from the day Japan adopted the Gregorian calendar (明治6年1月1日): before it,
#: the same day had another month and day in the 和暦 calendar, so only 西暦 is shown.
WAREKI_EARLIEST = dt.date(1873, 1, 1)


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The dates a field accepts: `earliest` to `latest`, both included."""

    earliest: dt.date
    latest: dt.date
    #: How the upper bound reads in a message (e.g. "今日"), when it is not just a date.
    latest_note: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.earliest <= day <= self.latest

    def describe(self) -> str:
        """2000-01-01 から 2100-12-31 まで (the upper bound's note in brackets)."""
        note = f"（{self.latest_note}）" if self.latest_note else ""
        return f"{self.earliest.isoformat()} から {self.latest.isoformat()}{note} まで"

    def problem(self, day: dt.date) -> str | None:
        """The Japanese reason `day` is refused, or None when it is inside the window."""
        if day in self:
            return None
        return f"{self.describe()}の日付にしてください（指定値: {day.isoformat()}）"

    def check(self, day: dt.date, field: str) -> dt.date:
        """`day`, or a KeieiInputError naming `field` when it is outside the window."""
        reason = self.problem(day)
        if reason is not None:
            raise KeieiInputError(
                field,
                reason,
                f"date {day.isoformat()} outside {self.earliest.isoformat()}..{self.latest.isoformat()}",
            )
        return day

    def clamp(self, day: dt.date) -> dt.date:
        """The nearest date inside the window (for computing with a stored out-of-window date)."""
        return min(max(day, self.earliest), self.latest)


PLAN_WINDOW = DateWindow(PLAN_EARLIEST, PLAN_LATEST)
#: The widest span a date keiei stores may take whatever its kind (the web's services refuse
#: anything else even when a caller skipped the forms): computing from it (a deadline 24 months
#: on, a schedule of 3 years) stays far inside what dates, 和暦 and ZIP files handle.
STORED_WINDOW = DateWindow(EVENT_EARLIEST, PLAN_LATEST)
RULES_WINDOW = DateWindow(RULES_EARLIEST, RULES_LATEST)
FOUNDED_WINDOW = DateWindow(FOUNDED_EARLIEST, PLAN_LATEST)


def text_problem(text: str, window: DateWindow) -> str | None:
    """Why a date written as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` is refused (no such day, or
    outside `window`), or None. A year or a month is inside when its first day is; the shape
    itself is the schema's to check (other text gives None)."""
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3 or len(parts[0]) != 4:
        return None
    try:
        day = dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return f"存在しない日付です（指定値: {text}）"
    if day in window:
        return None
    if len(parts) == 3:
        return window.problem(day)
    shape = "%Y-%m" if len(parts) == 2 else "%Y"
    unit = "年月" if len(parts) == 2 else "年"
    return (
        f"{window.earliest.strftime(shape)} から {window.latest.strftime(shape)} までの{unit}にしてください"
        f"（指定値: {text}）"
    )


def event_window(today: dt.date) -> DateWindow:
    """Business events: `EVENT_EARLIEST` to `today` (+ the tolerance, none)."""
    return DateWindow(EVENT_EARLIEST, today + EVENT_FUTURE_TOLERANCE, "今日")


def parse_date(text: str, field: str = "--date", window: DateWindow | None = RULES_WINDOW) -> dt.date:
    """Parse YYYY-MM-DD within `window` (rule dates by default), or raise a KeieiInputError naming the field."""
    try:
        if not _ISO_DATE.match(text.strip()):
            raise ValueError(text)
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise KeieiInputError(
            field,
            f"日付は YYYY-MM-DD の形式で指定してください（指定値: {text!r}）",
            f"expected a date as YYYY-MM-DD, got {text!r}",
        ) from None
    return window.check(day, field) if window is not None else day


#: The eras a person may type a date in (a business date is never before 昭和): name, first day.
_ERAS: tuple[tuple[str, dt.date], ...] = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
)
_ERA_INITIALS = {"R": "令和", "H": "平成", "S": "昭和"}
_TYPED_WESTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TYPED_ERA = re.compile(r"^(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)\s*[年./-]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def read_typed_date(text: str) -> dt.date | None:
    """A date as people type it — 2026-04-01, 2026/4/1, 2026年4月1日, 令和8年4月1日, 令和元年5月1日,
    R8.4.1, full-width digits — or None when the text is not a date (no such day, a year the
    era did not have, a day before the era began).

    Why here and not in a form: every place a person types a date (the web's forms, a future
    prompt of the CLI) must read the same text as the same day; the window checks stay with
    the caller, which knows which window applies.
    """
    norm = unicodedata.normalize("NFKC", text).strip().upper()
    try:
        if m := _TYPED_WESTERN.match(norm):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _TYPED_ERA.match(norm):
            era = _ERA_INITIALS.get(m[1], m[1])
            start = dict(_ERAS)[era]
            year = start.year + (1 if m[2] == "元" else int(m[2])) - 1
            day = dt.date(year, int(m[3]), int(m[4]))
            later = [s for _name, s in _ERAS if s > start]
            if day < start or (later and day >= min(later)):
                return None
            return day
    except ValueError:
        return None
    return None


def wareki(day: dt.date) -> str:
    """令和8年11月27日 style (first year shown as 元年); 西暦 for dates 和暦 cannot name."""
    return f"{wareki_year(day)}{day.month}月{day.day}日"


@lru_cache(maxsize=8192)
def wareki_year(day: dt.date) -> str:
    """令和8年 style; `西暦1850年` outside the span 和暦 can be shown for (never raises).

    Cached: japanera builds an era lookup for every call (about half a millisecond), and a web
    page shows dozens of dates; a date's era never changes. The year within the era is computed
    here from the era's start: japanera's `%y` is two digits (令和100年 would read 令和00年).
    """
    if day < WAREKI_EARLIEST:
        return f"西暦{day.year}年"
    try:
        era = EraDate.from_date(day).era
        start = era.since
    except (ValueError, OverflowError, AttributeError):  # japanera knows no era for the date
        return f"西暦{day.year}年"
    if start is None or not era.kanji:
        return f"西暦{day.year}年"
    year = day.year - start.year + 1
    return f"{era.kanji}{'元' if year == 1 else year}年"


def with_wareki(day: dt.date) -> str:
    """2026-11-27（令和8年11月27日）: 西暦 with 和暦 beside it."""
    return f"{day.isoformat()}（{wareki(day)}）"


_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def month_text(text: str) -> str:
    """`2025-09` → 2025年9月（令和7年9月）; `2025-09-30` → 2025年9月30日（令和7年9月30日).

    Why: plan files hold deadlines and maturities as ISO text; a document shows dates as 西暦
    with 和暦 beside them, never as "2025-09". Text that is not such a date is returned as is
    (a deadline may be written in words); an impossible month or day is shown as typed.
    """
    m = _ISO_MONTH.match(text.strip())
    if not m:
        return text
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        first = dt.date(year, month, int(day) if day else 1)
    except ValueError:
        return text
    if day:
        return f"{year}年{month}月{first.day}日（{wareki(first)}）"
    return f"{year}年{month}月（{wareki_year(first)}{month}月）"
