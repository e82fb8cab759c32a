"""The e-mail of a notice: Django's mail (console by default, SMTP from the settings;
docs/deploy.md "E-mail"), Japanese templates per kind, and only a link to the page.

The body holds what happened, to which case, and the link — never the plan's figures: e-mail
crosses servers nobody here controls, and the plan is read on the site after login, where
`access.py` decides who sees what.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from keiei_web import clock
from keiei_web.notices.models import MailStatus, Notice, NoticePreference

log = logging.getLogger(__name__)

#: `send_pending` retries notices no older than this (a mail server down for a weekend).
RETRY_DAYS = 3


def wants_email(user: Any) -> bool:
    """On unless the user turned it off (the profile page), and only with an address."""
    if not getattr(user, "email", ""):
        return False
    return not NoticePreference.objects.filter(user_id=user.pk, email=False).exists()


def site_url(path: str) -> str:
    return str(getattr(settings, "KEIEI_SITE_URL", "http://127.0.0.1:8000")).rstrip("/") + path


def render(notice: Notice) -> tuple[str, str]:
    """(subject, body) of a notice's e-mail, from `notices/email/<kind>.subject.txt` / `.body.txt`."""
    user = notice.recipient
    context = {
        "notice": notice,
        "data": notice.data,
        "case": notice.case,
        "name": user.display_name() if hasattr(user, "display_name") else user.get_username(),
        "url": site_url(notice.url),
        "settings_url": site_url(reverse("notices:settings")),
        "list_url": site_url(reverse("notices:list")),
    }
    subject = render_to_string(f"notices/email/{notice.kind}.subject.txt", context)
    body = render_to_string(f"notices/email/{notice.kind}.body.txt", context)
    return " ".join(subject.split()), body


def send(ids: Iterable[int]) -> int:
    """Send the e-mails of these notices that are still pending; returns how many were sent.

    Each notice is claimed (pending → sent) by one UPDATE before its mail goes, so a task run
    twice, or two workers, send it once; a mail server's refusal marks it failed for
    `send_pending` to retry.
    """
    sent = 0
    for notice in Notice.objects.filter(pk__in=list(ids)).select_related("recipient", "case__company"):
        if notice.mail not in (MailStatus.PENDING, MailStatus.FAILED):
            continue
        if not wants_email(notice.recipient):
            Notice.objects.filter(pk=notice.pk, mail=notice.mail).update(mail=MailStatus.SKIPPED)
            continue
        if not Notice.objects.filter(pk=notice.pk, mail=notice.mail).update(mail=MailStatus.SENT):
            continue  # another worker took it
        subject, body = render(notice)
        try:
            send_mail(subject, body, None, [notice.recipient.email])
        except Exception as exc:  # a mail server down must not lose the notice or break the caller
            log.warning("notice %s: e-mail not sent (%s: %s)", notice.pk, type(exc).__name__, exc)
            Notice.objects.filter(pk=notice.pk).update(mail=MailStatus.FAILED)
            continue
        sent += 1
    return sent


def send_pending() -> int:
    """Send what is still pending or failed from the last RETRY_DAYS (run by `keiei remind`)."""
    since = clock.now() - dt.timedelta(days=RETRY_DAYS)
    ids = Notice.objects.filter(Q(mail=MailStatus.PENDING) | Q(mail=MailStatus.FAILED), created_at__gte=since)
    return send(ids.values_list("pk", flat=True))
