"""`keiei plan build PLAN -o DIR`: the plan's workbook and PDF and the programme's forms.

Wired into `keiei plan` by `register_build(plan_subparsers)`; `run_build(args)` is the handler.
It needs the `keiei[documents]` extra, imported only when it runs, so `keiei plan check` works
without it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from keiei.extras import require


def register_build(plan_subparsers: Any) -> None:
    parser: argparse.ArgumentParser = plan_subparsers.add_parser(
        "build",
        help="計画書（Excel・PDF）と申請様式（PDF）を作成する",
        description=(
            "計画ファイルから、計画書の Excel ブックと PDF、事業区分に応じた様式（利用申請書・申請者の概要・"
            "業務別見積明細書、受取書または金融機関ごとの同意書、支払申請書、伴走支援報告書）を出力先フォルダに"
            "作成します。申請者・認定支援機関・日付・見積明細は案件ファイル（--case）から記入し、ない項目は空欄にします。"
        ),
    )
    parser.add_argument("plan", metavar="PLAN", help="計画ファイル（.yaml / .yml / .json）")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="出力先フォルダ（なければ作成）")
    parser.add_argument("--case", metavar="CASE.yaml", help="案件ファイル（docs/documents.md）")
    parser.add_argument("--unit", choices=["円", "千円"], help="金額の単位（既定: 計画ファイルの display_unit）")
    parser.add_argument(
        "--scenario", default="base", metavar="NAME", help="計画書に使うシナリオ（既定: base。様式は常に base）"
    )
    parser.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    require("documents")  # before anything is read or written: one line when the extra is missing
    from keiei.documents import build_package, load_case
    from keiei.errors import KeieiInputError
    from keiei.finance import get_scenario
    from keiei.plan import load_plan

    plan = load_plan(args.plan)
    try:
        get_scenario(plan, args.scenario)
    except KeieiInputError as exc:
        raise KeieiInputError("--scenario", exc.message_ja, exc.message_en) from None
    case = load_case(args.case) if args.case else None
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise KeieiInputError("--output", f"フォルダではありません: {out}", f"not a directory: {out}")
    files = build_package(plan, out, case=case, unit=args.unit, scenario=args.scenario, parallel=True)
    print(f"{len(files)} 件のファイルを作成しました（{out}）:")
    width = max(len(str(f.path)) for f in files)
    for f in files:
        print(f"  {f.path!s:<{width}}  {f.title}")
    if case is None:
        print("案件ファイル（--case）がないため、申請者・認定支援機関・日付・見積明細は空欄です。")
    return 0
