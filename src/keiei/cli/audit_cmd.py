"""`keiei audit verify`: recompute every case's audit-trail hash chain and name the first broken link.

Django is imported only inside `run_verify` (through importlib, as `keiei serve` does), so the
core stays free of the web framework. The database is the web app's: `KEIEI_DATA_DIR` (SQLite,
default ./var) or `DATABASE_URL`. Exit status: 0 intact, 1 broken, 2 bad input or no database.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from typing import Any

from keiei.auditchain import ChainReport
from keiei.cli.output import emit_json
from keiei.errors import KeieiInputError

_CASE = re.compile(r"^(?:K-?)?0*(\d{1,12})$", re.IGNORECASE)


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="操作履歴（監査証跡）を確かめる（verify: ハッシュの連鎖の再計算）",
        description="Web アプリの操作履歴（案件ごとのハッシュの連鎖）を扱います。",
    )
    audit_sub = parser.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", parser_class=type(parser))
    verify = audit_sub.add_parser(
        "verify",
        help="操作履歴のハッシュの連鎖を再計算し、改ざん・削除を見つける",
        description=(
            "Web アプリのデータベース（KEIEI_DATA_DIR の SQLite、または DATABASE_URL）の操作履歴を案件ごとに"
            "再計算し、連鎖が切れている最初の記録を案件ごとに1行で表示します。"
            "終了コード: 0 問題なし、1 改ざん・欠落あり、2 指定・データベースの誤り。"
        ),
    )
    verify.add_argument(
        "--case", action="append", metavar="ID", help="確かめる案件（12 または K-00012）。複数指定可（既定: すべて）"
    )
    verify.add_argument("--json", action="store_true", help="JSON で出力する（各案件の最後の番号とハッシュも）")
    verify.set_defaults(handler=run_verify)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def case_ids(values: list[str] | None) -> list[int] | None:
    """`--case` values as case ids (`12`, `K-00012`), or None for every case."""
    if not values:
        return None
    ids = []
    for value in values:
        match = _CASE.match(value.strip())
        if match is None or int(match.group(1)) == 0:
            raise KeieiInputError("--case", f"案件番号は 12 や K-00012 の形で指定してください（{value}）", value)
        ids.append(int(match.group(1)))
    return ids


def run_verify(args: argparse.Namespace) -> int:
    wanted = case_ids(args.case)
    importlib.import_module("keiei_web.server").setup()
    report: ChainReport = importlib.import_module("keiei_web.cases.auditchain").verify_database(wanted)
    if args.json:
        emit_json(report.as_dict())
    else:
        for problem in report.problems:
            sys.stdout.write(problem.line() + "\n")
        if report.intact:
            sys.stdout.write(
                f"操作履歴の連鎖を確認しました: 案件 {report.cases}件・記録 {report.events}件、改ざん・欠落はありません。\n"
            )
        else:
            sys.stdout.write(
                f"案件 {report.cases}件のうち {len(report.problems)}件で操作履歴の連鎖が切れています"
                f"（記録 {report.events}件を確認）。\n"
            )
    return 0 if report.intact else 1
