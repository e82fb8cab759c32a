"""`keiei actuals import FILE --plan PLAN`: books → actual figures by plan line (keiei.monitoring).

Nothing is written unless the import is clean: rows not used, unbalanced vouchers or an
unbalanced trial balance (errors), or accounts mapped to no plan line (listed with their
amounts; `--allow-unmapped` accepts them), stop before `-o` is written, with exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from keiei.cli.output import emit_json
from keiei.errors import Severity
from keiei.monitoring import FORMATS, LABELS, import_books, load_mapping, write_actuals
from keiei.monitoring import lines as plan_lines
from keiei.monitoring.source import ENCODING_LABELS
from keiei.texttable import render_table

SHOWN_LINES = ("sales", "cost_of_sales", "sga", "non_operating_income", "non_operating_expenses", "depreciation")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("actuals", help="会計データ（仕訳帳・試算表）から実績を取り込む")
    actuals_sub = parser.add_subparsers(dest="actuals_command", metavar="SUBCOMMAND", parser_class=type(parser))
    imp = actuals_sub.add_parser(
        "import",
        help="仕訳帳・試算表を計画の行ごとの月次実績にする",
        description=(
            "弥生会計・freee会計・マネーフォワード クラウド会計の仕訳帳、freee の試算表 JSON、試算表 CSV を読み、"
            "計画の行（売上高・販管費・現預金…）ごとの月次実績にします。形式は docs/monitoring.md。"
        ),
    )
    imp.add_argument("file", metavar="FILE", help="会計ソフトから書き出したファイル")
    imp.add_argument("--plan", required=True, metavar="PLAN", help="計画ファイル（決算月と計画期間を読む）")
    imp.add_argument("--format", default="auto", choices=FORMATS, help="ファイルの形式（既定: auto で判定）")
    imp.add_argument("--mapping", metavar="FILE", help="会社ごとの対応表（勘定科目→計画の行、試算表の列）")
    imp.add_argument("-o", "--output", metavar="ACTUALS", help="実績ファイル（actuals.yaml）に書き出す")
    imp.add_argument("--allow-unmapped", action="store_true", help="計画の行に対応しない勘定科目があっても書き出す")
    imp.add_argument("--json", action="store_true", help="JSON で出力する")
    imp.set_defaults(handler=run_import)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


class _Progress:
    """A percentage on stderr, only on a terminal (a pipe or a log gets nothing)."""

    def __init__(self, size: int) -> None:
        self.size = max(size, 1)
        self.shown = False

    def __call__(self, done: int) -> None:
        sys.stderr.write(f"\r読み込み中… {min(100, done * 100 // self.size):3d}%")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 24 + "\r")


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from keiei.plan import load_plan

    plan = load_plan(args.plan)
    mapping = load_mapping(args.mapping) if args.mapping else None
    progress = None
    if sys.stderr.isatty():
        try:
            progress = _Progress(Path(args.file).stat().st_size)
        except OSError:
            progress = None
    try:
        actuals = import_books(args.file, plan, args.format, mapping, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    blocked = bool(actuals.errors) or (bool(actuals.unmapped) and not args.allow_unmapped)
    written = None
    if args.output and not blocked:
        write_actuals(actuals, args.output)
        written = args.output
    if args.json:
        emit_json({**actuals.as_dict(), "written": written, "blocked": blocked})
        return 1 if blocked else 0
    src = actuals.source
    print(
        f"{LABELS.get(src.format, src.format)}　{src.file}（{ENCODING_LABELS.get(src.encoding, src.encoding)}、{src.rows_read:,} 行のうち {src.rows_used:,} 行を使用）"
    )
    print(f"計画: {actuals.plan_company}（{actuals.fiscal_year_end_month}月決算）")
    print()
    headers = ["期間", *(plan_lines.label(key) for key in SHOWN_LINES), "当期純利益"]
    rows = [
        [
            p.month if p.first == p.month else f"{p.first}〜{p.month}",
            *(f"{p.pl.get(key, 0):,}" for key in SHOWN_LINES),
            f"{p.net_income:,}",
        ]
        for p in actuals.periods
    ]
    print(render_table(headers, rows, [False, *([True] * (len(headers) - 1))]))
    if actuals.unmapped:
        print()
        print("計画の行に対応しない勘定科目（対応表の accounts: に書いてください）:")
        for account in actuals.unmapped:
            print(f"  {account.account}: {account.amount:,} 円（借方 {account.debit:,}・貸方 {account.credit:,}）")
    marks = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "ℹ"}
    shown = [f for f in actuals.findings if f.code != "actuals.unmapped"]
    if shown:
        print()
        for finding in shown:
            print(f"{marks[finding.severity]} {finding.message}")
    print()
    if written:
        print(f"書き出しました: {written}")
    elif blocked:
        print("取り込めない行・合わない数字・対応のない勘定科目があるため、実績ファイルは書き出していません。")
    return 1 if blocked else 0
