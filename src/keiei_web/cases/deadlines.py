"""The deadlines of a stored case: its dates and sessions from the database, the rules and
arithmetic from the core (keiei.case.deadlines), so the CLI's `keiei case due` agrees."""

from __future__ import annotations

import datetime as dt

from keiei.case.deadlines import SOON_DAYS, Deadline, SessionState, case_deadlines, main_deadline
from keiei_web.cases.models import Case, ClaimKind, ClaimStatus
from keiei_web.cases.workflow import TERMINAL

__all__ = ["SOON_DAYS", "Deadline", "deadlines_for", "is_closed", "lapse_deadline", "overdue", "plan_claim_on"]


def plan_claim_on(case: Case) -> dt.date | None:
    claim = case.claims.filter(kind=ClaimKind.PLAN).exclude(status=ClaimStatus.RETURNED).order_by("claimed_on").first()
    return claim.claimed_on if claim else None


def lapse_deadline(case: Case) -> Deadline | None:
    """The programme's main deadline: early plan claim, or 405 application lapse."""
    return main_deadline(case.rules, case.applied_on, case.accepted_on, plan_claim_on(case))


def deadlines_for(case: Case) -> list[Deadline]:
    sessions = [SessionState(s.seq, s.kind, s.due_on, s.mandatory, s.reported_on) for s in case.sessions.all()]
    return case_deadlines(case.rules, case.applied_on, case.accepted_on, plan_claim_on(case), sessions)


def is_closed(case: Case) -> bool:
    return case.state in TERMINAL


def overdue(case: Case, today: dt.date) -> list[Deadline]:
    closed = is_closed(case)
    return [d for d in deadlines_for(case) if d.status(today, closed) == "overdue"]
