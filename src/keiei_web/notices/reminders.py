"""Deadline reminders (`keiei remind`): each case's deadlines from the core, told once per stage.

The deadlines and their status (near: within `keiei.case.deadlines.SOON_DAYS`, or past) are the
core's (`keiei.case.deadlines`, through `keiei_web.cases.deadlines.deadlines_for`), the same the
case page and `keiei case due` show. A reminder is recorded as a `Reminder` row unique per
(case, deadline, due date, stage): a second run — the next cron tick, or two hosts at once —
finds the row and sends nothing. A deadline moved to another date is a new deadline and is told
again; one that was near and is now past is told at each stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from keiei_web import access, clock
from keiei_web.cases.deadlines import deadlines_for
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import TERMINAL
from keiei_web.notices.events import notify
from keiei_web.notices.mail import send_pending
from keiei_web.notices.models import NoticeKind, Reminder, ReminderStage

_STAGE = {"soon": ReminderStage.SOON, "overdue": ReminderStage.OVERDUE}
_KIND = {ReminderStage.SOON: NoticeKind.DEADLINE_SOON, ReminderStage.OVERDUE: NoticeKind.DEADLINE_PASSED}


@dataclass
class RemindReport:
    on: dt.date
    reminders: int = 0
    notices: int = 0
    already: int = 0
    mails: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "reminders": self.reminders,
            "notices": self.notices,
            "already_sent": self.already,
            "mails": self.mails,
            "items": self.items,
        }

    def line(self) -> str:
        return (
            f"{self.on.isoformat()} の期限の通知: 新しく {self.reminders}件（通知 {self.notices}件、メール {self.mails}通）、"
            f"送信済みのため送らなかったもの {self.already}件。"
        )


def remind(on: dt.date | None = None) -> RemindReport:
    """Tell every open case's near and past deadlines that were not told yet; then send the
    e-mails still pending (this runs from cron, so it needs no worker)."""
    today = on or clock.today()
    report = RemindReport(today)
    cases = Case.objects.exclude(state__in=TERMINAL).select_related("company").order_by("pk")
    for case in cases:
        for deadline in deadlines_for(case):
            stage = _STAGE.get(deadline.status(today))
            if stage is None:
                continue
            with transaction.atomic():
                _row, created = Reminder.objects.get_or_create(
                    case=case,
                    deadline=deadline.code,
                    due=deadline.due,
                    stage=stage,
                    defaults={"sent_at": clock.now()},
                )
                if not created:
                    report.already += 1
                    continue
                kind = _KIND[stage]
                days = abs(deadline.days_left(today))
                data = {"label": deadline.label, "due": deadline.due.isoformat(), "days": days, "code": deadline.code}
                made = notify(case, kind, access.notice_recipients(case, kind), data)
            report.reminders += 1
            report.notices += len(made)
            report.items.append({"case": case.reference, "deadline": deadline.code, "due": data["due"], "stage": stage})
    report.mails = send_pending()
    return report
