"""`keiei case due FILE`: what is due when for a case file (keiei.case.due does the work)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from keiei.case import case_due, load_case
from keiei.cli.output import emit_json
from keiei.dates import PLAN_WINDOW, parse_date, with_wareki
from keiei.texttable import render_table


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("case", help="案件ファイルの期限（支払申請・伴走支援）を表示する")
    case_sub = parser.add_subparsers(dest="case_command", metavar="SUBCOMMAND", parser_class=type(parser))
    due = case_sub.add_parser(
        "due",
        help="いつ何が期限かを表示する",
        description="案件ファイルから、支払申請・利用申請の失効・伴走支援の各回の期限と状況を表示します。",
    )
    due.add_argument("file", metavar="FILE", help="案件ファイル（.yaml/.yml/.json、形式は docs/documents.md）")
    due.add_argument("--on", help="基準日 YYYY-MM-DD（既定: 今日）")
    due.add_argument("--plan", metavar="PLAN", help="計画ファイル。案件ファイルにない事業区分・決算月をここから読む")
    due.add_argument("--json", action="store_true", help="JSON で出力する")
    due.set_defaults(handler=run_due)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_due(args: argparse.Namespace) -> int:
    on = parse_date(args.on, "--on", PLAN_WINDOW) if args.on else dt.date.today()
    case = load_case(args.file)
    program = fy_month = None
    if args.plan:
        from keiei.plan import load_plan

        plan = load_plan(args.plan)
        program, fy_month = plan.program, plan.company.fiscal_year_end_month
    report = case_due(case, on, program=program, fiscal_year_end_month=fy_month)
    if args.json:
        emit_json(report.as_dict())
        return 0
    print(f"{report.program_label}（{report.program}）　{with_wareki(on)} 時点")
    print(f"規則: 利用申請日 {with_wareki(report.rules_date)} の規則")
    print()
    if report.items:
        rows = [
            [
                i.deadline.label,
                i.deadline.due.isoformat(),
                _state(i.status, i.days_left, i.deadline.met_on, i.deadline.enforced),
                i.deadline.basis,
            ]
            for i in report.items
        ]
        print(render_table(["期限", "期日", "状況", "根拠"], rows, [False, False, False, False]))
    else:
        print("まだ期限はありません。")
    for note in report.notes:
        print(f"ℹ {note}")
    return 0


def _state(status: str, days_left: int, met_on: dt.date | None, enforced: bool) -> str:
    if status == "met" and met_on is not None:
        return f"済（{met_on.isoformat()}）"
    if not enforced:
        return "未了（任意）"
    if status == "overdue":
        return f"期限超過（{-days_left}日）"
    if status == "soon":
        return f"期限間近（あと{days_left}日）"
    return f"未了（あと{days_left}日）"
