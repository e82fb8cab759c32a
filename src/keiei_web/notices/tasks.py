"""The e-mail of notices, as a task (django-tasks): sent by a worker, off the request."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notice_mails(ids: list[int]) -> int:
    """Send the e-mails of these notices (each at most once: see notices.mail.send)."""
    from keiei_web.notices import mail

    return mail.send(ids)
