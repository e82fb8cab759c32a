"""From a recorded case event to the notices it causes (who: keiei_web.access; what: here).

Called by `keiei_web.cases.services.record` for every event, inside the event's transaction.
Only four things are told: a plan submitted to the banks, a bank's answer, a change of the
case's state, and (from `keiei remind`) a deadline near or past. The words are composed here
from the event's kind, the case's reference, state names, bank names and dates — never from the
event's summary, which may carry amounts (a claim's subsidy), so no notice and no e-mail holds
a figure of the plan or of the money.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keiei.plan.glossary import institution_words
from keiei_web import access, clock
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import BankStatus, Case, CaseEvent
from keiei_web.cases.workflow import state_label
from keiei_web.notices.models import Notice, NoticeKind

log = logging.getLogger(__name__)

#: Events that are not a change of state even though they name one (the case's creation).
_NOT_A_CHANGE = frozenset({"created"})


def kind_of(event: CaseEvent) -> str:
    """The notice kind an event causes ("" for none)."""
    if event.action == "submit_to_banks":
        return NoticeKind.PLAN_SUBMITTED
    if event.action == "bank_response":
        return NoticeKind.BANK_ANSWERED
    if event.to_state and event.from_state and event.to_state != event.from_state:
        return "" if event.action in _NOT_A_CHANGE else NoticeKind.STATE_CHANGED
    return ""


def on_event(event: CaseEvent) -> None:
    kind = kind_of(event)
    if not kind:
        return
    case = event.case
    data: dict[str, Any] = {}
    after = event.after or {}
    if kind == NoticeKind.PLAN_SUBMITTED:
        data = {"version": after.get("plan_version")}
    elif kind == NoticeKind.BANK_ANSWERED:
        bank = getattr(event.actor, "bank", None) if event.actor is not None else None
        status = str(after.get("bank_status") or "")
        data = {
            "bank": bank.name if bank is not None else event.actor_name,
            "answer": str(BankStatus(status).label) if status in BankStatus.values else status,
            "version": after.get("plan_version"),
        }
    else:
        data = {
            "from": state_label(event.from_state, case.program),
            "to": state_label(event.to_state, case.program),
        }
    notify(case, kind, access.notice_recipients(case, kind, actor=event.actor), data)


def notify(case: Case, kind: str, recipients: Iterable[Any], data: dict[str, Any]) -> list[Notice]:
    """Write one notice per recipient (in the caller's transaction) and send their e-mails once
    it commits (a task: a slow mail server never holds a bank's answer)."""
    now = clock.now()
    made = [
        Notice.objects.create(
            recipient=user,
            kind=kind,
            case=case,
            title=title(case, kind, data, user),
            url=link(case, kind, data, user),
            data=data,
            created_at=now,
        )
        for user in recipients
    ]
    if made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: _enqueue(ids))
    return made


def _enqueue(ids: list[int]) -> None:
    """After the commit: a failure here must not turn a recorded action into an error page; the
    notices stay pending and the next `keiei remind` sends them (mail.send_pending)."""
    from keiei_web.notices.tasks import send_notice_mails

    try:
        send_notice_mails.enqueue(ids)
    except Exception as exc:
        log.warning("notices %s: e-mail task not enqueued (%s: %s)", ids, type(exc).__name__, exc)


def _address(user: Any) -> str:
    """A bank reads about itself in its own address word (貴行・貴庫・貴組合・貴公庫)."""
    bank = getattr(user, "bank", None) if access.role_of(user) == Role.BANK else None
    return institution_words(None, bank.name)[1] if bank is not None else ""


def title(case: Case, kind: str, data: dict[str, Any], user: Any) -> str:
    """The notice's one line (the list, the bell, the e-mail's subject): no figures."""
    head = f"{case.reference} {case.company.name}: "
    if kind == NoticeKind.PLAN_SUBMITTED:
        if access.role_of(user) == Role.BANK:
            return head + _("計画（第%(n)s版）が提出されました。%(you)sの回答をお願いします。") % {
                "n": data.get("version"),
                "you": _address(user),
            }
        return head + _("計画（第%(n)s版）が金融機関に提出されました。") % {"n": data.get("version")}
    if kind == NoticeKind.BANK_ANSWERED:
        return head + _("%(bank)sが回答しました（%(answer)s）。") % {
            "bank": data.get("bank"),
            "answer": data.get("answer"),
        }
    if kind == NoticeKind.STATE_CHANGED:
        return head + _("案件が「%(to)s」になりました（前の状態: %(from)s）。") % {
            "to": data.get("to"),
            "from": data.get("from"),
        }
    if kind == NoticeKind.DEADLINE_SOON:
        return head + _("%(label)sまであと%(days)s日です（期日 %(due)s）。") % data
    return head + _("%(label)sを過ぎています（期日 %(due)s）。") % data


def link(case: Case, kind: str, data: dict[str, Any], user: Any) -> str:
    """The page a notice opens: a bank asked to answer opens the plan to read; the rest the case."""
    if kind == NoticeKind.PLAN_SUBMITTED and access.role_of(user) == Role.BANK and data.get("version"):
        return reverse("plans:read", kwargs={"case_id": case.pk, "number": int(data["version"])})
    return reverse("cases:detail", kwargs={"case_id": case.pk})
