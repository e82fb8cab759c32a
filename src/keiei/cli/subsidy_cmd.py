"""`keiei subsidy`: what the council pays and what the company pays, to the yen."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import unicodedata
from typing import Any

from keiei.cli.output import emit_json
from keiei.dates import parse_date, with_wareki
from keiei.errors import KeieiInputError, Severity
from keiei.money import format_yen
from keiei.rules import PROGRAMS, check_program
from keiei.subsidy import compute_subsidy
from keiei.texttable import render_table

_AMOUNT = re.compile(r"^[0-9][0-9,_]*$")
_MARK = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "subsidy",
        help="補助額（2/3・上限）と事業者負担を計算する",
        description="専門家費用（税抜）から協議会の補助額と事業者負担を計算します。",
    )
    parser.add_argument("--program", required=True, metavar="{" + ",".join(PROGRAMS) + "}", help="事業区分")
    parser.add_argument(
        "--fee", action="append", default=[], metavar="ITEM=YEN", help="項目ごとの費用（税抜・円）。複数指定可"
    )
    parser.add_argument("--date", help="利用申請日 YYYY-MM-DD（既定: 今日）")
    parser.add_argument("--previous-subsidy", metavar="YEN", help="再度の利用のとき、前回までに受けた補助の累計（円）")
    parser.add_argument("--json", action="store_true", help="JSON で出力する")
    parser.set_defaults(handler=run)


def parse_amount(text: str, field: str) -> int:
    """Whole yen from user text: digits with optional thousands commas; full-width accepted."""
    norm = unicodedata.normalize("NFKC", text).strip().removesuffix("円")
    if not _AMOUNT.match(norm):
        raise KeieiInputError(
            field,
            f"金額は 0 以上の整数（円）で指定してください（指定値: {text!r}）",
            f"amount must be a non-negative whole number of yen, got {text!r}",
        )
    return int(norm.replace(",", "").replace("_", ""))


def parse_fees(pairs: list[str]) -> dict[str, int]:
    fees: dict[str, int] = {}
    for pair in pairs:
        key, sep, amount = unicodedata.normalize("NFKC", pair).partition("=")
        key = key.strip()
        if not sep or not key:
            raise KeieiInputError(
                "--fee", f"ITEM=YEN の形式で指定してください（指定値: {pair!r}）", f"expected ITEM=YEN, got {pair!r}"
            )
        if key in fees:
            raise KeieiInputError("--fee", f"項目 {key!r} が2回指定されています", f"item {key!r} given twice")
        fees[key] = parse_amount(amount, f"--fee {key}")
    return fees


def run(args: argparse.Namespace) -> int:
    check_program(args.program)
    on = parse_date(args.date) if args.date else dt.date.today()
    fees = parse_fees(args.fee)
    previous = parse_amount(args.previous_subsidy, "--previous-subsidy") if args.previous_subsidy else None
    result = compute_subsidy(args.program, fees, on, previous_subsidy=previous)
    if not fees:
        # Checked after the rules so the message can list the items of this programme and date.
        items = ", ".join(result.rules.items)
        raise KeieiInputError(
            "--fee",
            f"費用を1つ以上指定してください（選べる項目: {items}）",
            f"give at least one --fee; allowed items: {items}",
        )
    if args.json:
        emit_json(result.as_dict())
        return 0
    r = result.rules
    print(f"{r.label}　補助額の計算　規則の基準日: {with_wareki(r.as_of)}")
    print(
        f"補助率 {r.rate.numerator}/{r.rate.denominator}、上限合計 {format_yen(r.total_cap)}"
        "（経営者保証解除の加算を除く）、費用は税抜"
    )
    print()
    rows = [
        [
            i.label,
            format_yen(i.fee),
            format_yen(i.cap),
            format_yen(i.subsidy),
            {"item_cap": "項目上限", "total_cap": "合計上限", "cumulative_cap": "累計上限"}.get(i.limited_by or "", ""),
        ]
        for i in result.items
    ]
    rows.append(["合計", format_yen(result.total_fee), "", format_yen(result.total_subsidy), ""])
    print(render_table(["項目", "費用（税抜）", "上限", "補助額", "制限"], rows, [False, True, True, True, False]))
    print()
    print(f"協議会の補助額（認定支援機関へ支払）: {format_yen(result.total_subsidy)}")
    print(f"事業者の負担額（先に振込で支払）　　: {format_yen(result.company_share)}")
    if result.payment_schedule:
        print()
        print("支払の時期")
        for claim in result.payment_schedule:
            note = "（計画策定支援の残り半額を含む）" if "plan_deferred_half" in claim.items else ""
            print(f"  {claim.label}: {format_yen(claim.amount)}{note}")
    if result.warnings:
        print()
        for w in result.warnings:
            print(f"{_MARK[w.severity]} {w.message}")
    return 0
