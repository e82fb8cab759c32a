"""The deadlines of a case, from its rules, and whether each is met, near or overdue.

- early: the plan payment claim within `plan_claim_months_after_application` (12) months of
  the application.
- 405 / 405-gl: the application lapses `application_lapse_months_after_acceptance` (24) months
  after acceptance unless extended; met once the plan payment is claimed.
- every monitoring session: its due date; met once reported (optional ones are shown, never
  marked overdue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from keiei_web.cases.models import Case, ClaimKind, ClaimStatus
from keiei_web.cases.workflow import TERMINAL
from keiei_web.periods import add_months

#: A deadline within this many days is highlighted as near.
SOON_DAYS = 30


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


def plan_claim_on(case: Case) -> dt.date | None:
    claim = case.claims.filter(kind=ClaimKind.PLAN).exclude(status=ClaimStatus.RETURNED).order_by("claimed_on").first()
    return claim.claimed_on if claim else None


def lapse_deadline(case: Case) -> Deadline | None:
    """The programme's main deadline: early plan claim, or 405 application lapse."""
    deadlines = case.rules.deadlines
    months = deadlines.get("plan_claim_months_after_application")
    if months is not None and case.applied_on:
        return Deadline(
            "plan_claim",
            _("計画策定支援の支払申請の期限"),
            add_months(case.applied_on, months),
            plan_claim_on(case),
            _("利用申請日から%(months)dか月") % {"months": months},
        )
    months = deadlines.get("application_lapse_months_after_acceptance")
    if months is not None and case.accepted_on:
        return Deadline(
            "application_lapse",
            _("利用申請の失効日（支払申請まで）"),
            add_months(case.accepted_on, months),
            plan_claim_on(case),
            _("受理日から%(months)dか月（延長可）") % {"months": months},
        )
    return None


def deadlines_for(case: Case) -> list[Deadline]:
    out: list[Deadline] = []
    main = lapse_deadline(case)
    if main is not None:
        out.append(main)
    for session in case.sessions.all():
        label = _("伴走支援 第%(seq)d回（%(kind)s）") % {"seq": session.seq, "kind": session.kind_label}
        basis = _("必須") if session.mandatory else _("任意")
        out.append(
            Deadline(f"session_{session.seq}", label, session.due_on, session.reported_on, basis, session.mandatory)
        )
    return out


def is_closed(case: Case) -> bool:
    return case.state in TERMINAL


def overdue(case: Case, today: dt.date) -> list[Deadline]:
    closed = is_closed(case)
    return [d for d in deadlines_for(case) if d.status(today, closed) == "overdue"]
