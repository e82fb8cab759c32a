"""`keiei monitor check|replan PLAN ACTUALS...`: plan against actual (keiei.monitoring.check).

`check` prints the latest month's, the year-to-date and the annual view side by side, the
forecast's criteria, the repayments and the findings (`--json`: the contract in
docs/monitoring.md). Exit status 1 when a finding is an error (a month twice, another company's
file, months outside the plan), 0 otherwise: flags are results, not errors.
`replan` writes a new plan version from the actuals; it never writes over the agreed plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from keiei.cli.output import emit_json
from keiei.errors import Severity
from keiei.texttable import render_table

MARKS = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "ℹ"}
SHOWN = ("sales", "gross_profit", "sga", "operating_profit", "ordinary_profit", "net_income")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("monitor", help="伴走支援: 計画と実績を比べる・計画を見直す")
    monitor_sub = parser.add_subparsers(dest="monitor_command", metavar="SUBCOMMAND", parser_class=type(parser))
    check = monitor_sub.add_parser("check", help="計画と実績（actuals.yaml）を比べ、注意すべき点を示す")
    _common(check)
    check.add_argument(
        "--monitoring", metavar="FILE", help="施策の状況・原因と対策・金融機関への要請（monitoring.yaml）"
    )
    check.add_argument("--json", action="store_true", help="JSON で出力する")
    check.set_defaults(handler=run_check)
    replan = monitor_sub.add_parser("replan", help="実績から始まる見直しの計画（新しい版）を書き出す")
    _common(replan)
    replan.add_argument("-o", "--output", required=True, metavar="NEW_PLAN", help="新しい計画ファイル")
    replan.set_defaults(handler=run_replan)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="合意した計画ファイル")
    parser.add_argument("actuals", metavar="ACTUALS", nargs="+", help="keiei actuals import で作った実績ファイル")
    parser.add_argument("--date", help="伴走支援の日 YYYY-MM-DD（注意の目安の基準日。既定: 今日）")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _result(args: argparse.Namespace) -> Any:
    from keiei.dates import parse_date
    from keiei.monitoring.actuals import load_actuals
    from keiei.monitoring.check import monitor_check
    from keiei.monitoring.progress import load_progress
    from keiei.plan import load_plan

    plan = load_plan(args.plan)
    on = parse_date(args.date) if args.date else dt.date.today()
    files = [(path, load_actuals(path)) for path in args.actuals]
    progress = load_progress(args.monitoring, plan) if getattr(args, "monitoring", None) else None
    return monitor_check(plan, files, on=on, progress=progress)


def run_check(args: argparse.Namespace) -> int:
    result = _result(args)
    status = 1 if result.errors else 0
    if args.json:
        emit_json(result.as_dict())
        return status
    plan = result.plan
    print(f"{plan.company.name}　計画と実績（{', '.join(result.merged.files)}）")
    if result.comparison.monthly:
        month, cumulative = result.comparison.monthly[-1], result.comparison.cumulative[-1]
        annual = result.comparison.annual[-1]
        print(
            f"当月 {month.label}・年度累計 {cumulative.label}（{cumulative.months} か月）・年間 {annual.fiscal_year}期（単位: 円）"
        )
        headers = [
            "",
            "当月計画",
            "当月実績",
            "差異",
            "累計計画",
            "累計実績",
            "差異",
            "達成率",
            "年間計画",
            "残り",
            "見込",
        ]
        rows = []
        for key in SHOWN:
            m_, c_, a_ = month.cell(key), cumulative.cell(key), annual.cell(key)
            rows.append([
                _label(key), f"{m_.plan:,}", f"{m_.actual:,}", f"{m_.variance:,}", f"{c_.plan:,}", f"{c_.actual:,}",
                f"{c_.variance:,}", c_.as_dict()["achievement_text"], f"{a_.plan:,}", f"{a_.remaining:,}", f"{a_.forecast:,}",
            ])  # fmt: skip
        print(render_table(headers, rows, [False, *([True] * (len(headers) - 1))]))
    for forecast in result.forecasts:
        print()
        print(f"見込み（{forecast.fiscal_year}期: 実績 {forecast.months_actual} か月 + 計画）での数値基準:")
        for p, f in zip(forecast.plan, forecast.forecast, strict=True):
            print(f"  {p.label}: 計画 {'○' if p.passed else '×'} → 見込み {'○' if f.passed else '×'}　{f.message}")
    paid = result.repayments
    print()
    print("返済（約定と実績）:")
    for row in (*paid.banks, paid.total):
        actual = "－" if row.actual is None else f"{row.actual:,}"
        print(f"  {row.name}: 約定 {row.scheduled:,} 円・実績 {actual} 円")
    print(f"  {paid.note}")
    if result.findings:
        print()
        for finding in result.findings:
            print(f"{MARKS[finding.severity]} {finding.message}")
    return status


def _label(key: str) -> str:
    from keiei.monitoring.compare import label

    return label(key)


def run_replan(args: argparse.Namespace) -> int:
    from keiei.finance import validate_plan
    from keiei.monitoring.replan import write_replan
    from keiei.plan import load_plan

    result = _result(args)
    if result.errors:
        for finding in result.errors:
            print(f"{MARKS[finding.severity]} {finding.message}")
        print("実績ファイルに誤りがあるため、見直しの計画は書き出しません")
        return 1
    notes = write_replan(args.plan, result.projection, result.comparison.annual, args.output)
    new = load_plan(args.output)
    print(f"見直しの計画を書き出しました: {args.output}（元の計画 {args.plan} は変更していません）")
    for note in notes:
        print(f"  {note}")
    problems = [f for f in validate_plan(new) if f.severity is Severity.ERROR]
    for finding in problems:
        print(f"{MARKS[finding.severity]} {finding.message}")
    print(f"確認: keiei plan check {args.output}")
    return 1 if problems else 0
