"""`manage.py recheck_plans [--on YYYY-MM-DD] [--wait]`: judge every open plan again (a task).

After a rule file changes, an operator enqueues the council-wide re-check; a worker runs it
(keiei_web.jobs.checks) and its summary is the task's result. `--wait` polls until it is done
and prints the summary (JSON)."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from keiei_web.jobs.tasks import recheck_open_plans


class Command(BaseCommand):
    help = "Enqueue the re-check of every open case's plan (after a rule change)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--on", default=None, help="rules date (default: each case's application date)")
        parser.add_argument("--wait", action="store_true", help="wait for the result and print it")

    def handle(self, *args: Any, on: str | None, wait: bool, **options: Any) -> None:
        result = recheck_open_plans.enqueue(on)
        self.stdout.write(f"enqueued {result.id}\n")
        while wait and not result.is_finished:
            time.sleep(1)
            result.refresh()
        if wait:
            self.stdout.write(json.dumps(result.return_value, ensure_ascii=False, indent=1) + "\n")
