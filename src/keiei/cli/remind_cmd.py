"""`keiei remind [--on DATE] [--json]`: tell the parties of each open case about its near and
past deadlines (in the app and by e-mail), each reminder once — safe to run from cron.

The work is the web app's management command `send_reminders` (keiei_web.notices.reminders),
reached through importlib as `keiei audit` does, so the CLI never imports the web statically.
The database is the web app's (`KEIEI_DATA_DIR` or `DATABASE_URL`); the e-mail settings are
those of docs/deploy.md.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from keiei.dates import read_typed_date
from keiei.errors import KeieiInputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "remind",
        help="期限が近い・過ぎた案件を関係者に通知する（cron 向け。同じ通知は一度だけ）",
        description=(
            "Web アプリの各案件の期限（支払申請の期限・利用申請の失効日・伴走支援の各回）を調べ、期限が近い"
            "（30日以内）・過ぎたものを、案件の関係者（事業者・認定支援機関・協議会）に画面とメールで通知します。"
            "同じ案件・期限・段階の通知は一度だけ送るので、cron から何度実行しても二重には送りません。"
            "送れていない通知メールもこのとき送ります。"
        ),
    )
    parser.add_argument("--on", metavar="DATE", help="この日で判定する（既定: 今日。2026-04-01・令和8年4月1日 など）")
    parser.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    parser.set_defaults(handler=run_remind)


def run_remind(args: argparse.Namespace) -> int:
    day = None
    if args.on:
        day = read_typed_date(args.on)
        if day is None:
            raise KeieiInputError("--on", f"日付として読めません（{args.on}）", f"not a date: {args.on}")
    importlib.import_module("keiei_web.server").setup()
    command = ["send_reminders", *(["--on", day.isoformat()] if day else []), *(["--json"] if args.json else [])]
    importlib.import_module("django.core.management").call_command(*command)
    return 0
