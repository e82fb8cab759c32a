"""`manage.py reap_tasks`: requeue the tasks of dead workers now (keiei_web.jobs.leases).

Every `keiei_worker` does this between tasks; the command is for an operator (or cron) when no
worker is running, or to see what was reaped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from keiei_web.jobs import leases


class Command(BaseCommand):
    help = "Requeue tasks whose worker died (lease expired); fail them after the last attempt."

    def handle(self, *args: Any, **options: Any) -> None:
        requeued, failed = leases.reap()
        self.stdout.write(f"requeued {requeued}, failed {failed}\n")
