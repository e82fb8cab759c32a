"""The deadlines of a case, from its rules, and whether each is met, near or overdue.

- early: the plan payment claim within `plan_claim_months_after_application` (12) months of
  the application.
- 405 / 405-gl: the application lapses `application_lapse_months_after_acceptance` (24) months
  after acceptance unless extended; met once the plan payment is claimed.
- every monitoring session: its due date; met once reported (optional ones are shown, never
  marked overdue).

Pure functions of dates and rules, so the web app (from its models) and `keiei case due`
(from a case file) give the same deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from keiei.case.schedule import SESSION_KIND_LABELS
from keiei.plan.periods import add_months
from keiei.rules import ProgramRules

#: A deadline within this many days is highlighted as near. A display choice of keiei, not a
#: programme rule (no public source sets it), so it is a constant here, not rules data.
SOON_DAYS = 30

#: Every status `Deadline.status` returns, with the Japanese a user reads.
STATUS_LABELS: dict[str, str] = {
    "met": "済",
    "overdue": "期限超過",
    "soon": "期限間近",
    "open": "未了",
    "closed": "終了",
}


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: dt.date
    met_on: dt.date | None
    basis: str
    enforced: bool = True  # False for optional sessions: shown, never overdue

    def status(self, today: dt.date, closed: bool = False) -> str:
        """met / overdue / soon / open / closed (a withdrawn or lapsed case's open deadlines)."""
        if self.met_on is not None:
            return "met"
        if closed:
            return "closed"
        if not self.enforced:
            return "open"
        if today > self.due:
            return "overdue"
        if (self.due - today).days <= SOON_DAYS:
            return "soon"
        return "open"

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def main_deadline(
    rules: ProgramRules,
    applied_on: dt.date | None,
    accepted_on: dt.date | None,
    plan_claimed_on: dt.date | None,
) -> Deadline | None:
    """The programme's main deadline: early plan claim, or 405 application lapse (None before
    the date it counts from)."""
    months = rules.deadlines.get("plan_claim_months_after_application")
    if months is not None and applied_on:
        return Deadline(
            "plan_claim",
            "計画策定支援の支払申請の期限",
            add_months(applied_on, months),
            plan_claimed_on,
            f"利用申請日から{months}か月",
        )
    months = rules.deadlines.get("application_lapse_months_after_acceptance")
    if months is not None and accepted_on:
        return Deadline(
            "application_lapse",
            "利用申請の失効日（支払申請まで）",
            add_months(accepted_on, months),
            plan_claimed_on,
            f"受理日から{months}か月（延長可）",
        )
    return None


def session_deadline(seq: int, kind: str, due_on: dt.date, mandatory: bool, reported_on: dt.date | None) -> Deadline:
    """One monitoring session as a deadline; an optional one is shown but never overdue."""
    label = f"伴走支援 第{seq}回（{SESSION_KIND_LABELS.get(kind, kind)}）"
    return Deadline(f"session_{seq}", label, due_on, reported_on, "必須" if mandatory else "任意", mandatory)


@dataclass(frozen=True)
class SessionState:
    """A planned session and the day it was reported (None while not reported)."""

    seq: int
    kind: str
    due_on: dt.date
    mandatory: bool
    reported_on: dt.date | None = None


def case_deadlines(
    rules: ProgramRules,
    applied_on: dt.date | None,
    accepted_on: dt.date | None,
    plan_claimed_on: dt.date | None,
    sessions: Iterable[SessionState] = (),
) -> list[Deadline]:
    """The main deadline (if it has started) then every session, in order."""
    out: list[Deadline] = []
    main = main_deadline(rules, applied_on, accepted_on, plan_claimed_on)
    if main is not None:
        out.append(main)
    out.extend(session_deadline(s.seq, s.kind, s.due_on, s.mandatory, s.reported_on) for s in sessions)
    return out
