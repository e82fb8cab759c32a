"""`manage.py send_reminders [--on YYYY-MM-DD] [--json]`: what `keiei remind` runs (cron-safe)."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keiei_web.notices.reminders import remind


class Command(BaseCommand):
    help = "Notify near and past deadlines once per stage, then send pending notice e-mails."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--on", default=None, help="the day to judge deadlines on (default: today)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args: Any, on: str | None, as_json: bool, **options: Any) -> None:
        day = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"--on: 日付は YYYY-MM-DD で指定してください（{on}）") from None
        report = remind(day)
        if as_json:
            self.stdout.write(_dumps(report.as_dict()) + "\n")
        else:
            self.stdout.write(report.line() + "\n")


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
