"""`keiei plan check PLAN`: the plan's key figures, indicators and every verdict.

Why the text view is drawn from `run_check`'s dict and not from the engine's objects: the
JSON (`--json`), the documents and this summary must never disagree, so all three read the
same result. Amounts are shown in 千円 (truncated toward zero, △ for negatives), as banks read
plans; the JSON keeps whole yen.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from keiei.cli.output import emit_json
from keiei.cli.plan_build import register_build
from keiei.errors import KeieiInputError
from keiei.finance.display import indicator_text, net_assets_label, percent_text, ratio_text
from keiei.money import format_thousand_yen
from keiei.plan import glossary
from keiei.texttable import render_table

_SEVERITY_TAG = {"error": "〔エラー〕", "warning": "〔警告〕", "info": "〔参考〕"}
_FINDING_MARK = {"error": "✖", "warning": "⚠", "info": "ℹ"}
_DASH = "—"


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "plan",
        help="経営改善計画ファイルを扱う（check: 数値・基準の判定、build: Excel・PDF・様式の作成）",
        description="経営改善計画ファイル（YAML/JSON、docs/plan-format.md）を扱います。",
    )
    plan_sub = parser.add_subparsers(dest="plan_command", metavar="SUBCOMMAND", parser_class=type(parser))
    check = plan_sub.add_parser(
        "check",
        help="計画を計算し、数値基準・事業の要件・計画書の内容を判定する",
        description=(
            "計画ファイルから計画年度の損益・貸借・キャッシュフローと金融機関別の返済を計算し、"
            "数値基準（経常黒字化・実質債務超過の解消・債務償還年数）、計画期間、金融支援、"
            "必要な計画書の内容を判定します。売上高10%減などのシナリオとの比較も表示します。"
        ),
    )
    check.add_argument("plan", metavar="PLAN", help="計画ファイル（.yaml / .yml / .json）")
    check.add_argument("--json", action="store_true", help="JSON で出力する")
    check.add_argument("--scenario", default="base", metavar="NAME", help="判定するシナリオ（既定: base）")
    check.add_argument(
        "--compare",
        action="append",
        metavar="NAME",
        help="基本計画と比べるシナリオ。複数指定可（既定: sales_down_10 と計画ファイルのシナリオ）",
    )
    check.add_argument("--date", help="規則の基準日 YYYY-MM-DD（利用申請日。既定: 計画1年目の期首）")
    check.set_defaults(handler=run_check_command)
    register_build(plan_sub)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_check_command(args: argparse.Namespace) -> int:
    from keiei.dates import parse_date
    from keiei.finance import get_scenario
    from keiei.plan import load_plan
    from keiei.plancheck import run_check

    plan = load_plan(args.plan)
    on = parse_date(args.date) if args.date else None
    for flag, names in (("--scenario", [args.scenario]), ("--compare", args.compare or [])):
        for name in names:
            try:
                get_scenario(plan, name)
            except KeieiInputError as exc:
                raise KeieiInputError(flag, exc.message_ja, exc.message_en) from None
    result = run_check(plan, args.scenario, on=on, compare=args.compare)
    if args.json:
        emit_json(result)
    else:
        print(render_text(result))
    return 0


# --------------------------------------------------------------------------- text


def sen(amount: int | None) -> str:
    """千円, truncated toward zero, △ for negatives; — for none."""
    return _DASH if amount is None else format_thousand_yen(amount)


def percent(value: float | None) -> str:
    """A ratio in percent to 0.1 % (`keiei.finance.display`, as the documents print it)."""
    return percent_text(value, blank=_DASH)


def years(value: float | None) -> str:
    """Repayment years as every face prints them (up to 0.01); — when undefined."""
    return indicator_text("debt_repayment_years", value, blank=_DASH)


def times(value: float | None) -> str:
    return ratio_text(value, blank=_DASH)


def _line(years_: Sequence[dict[str, Any]], label: str, get: Callable[[dict[str, Any]], str]) -> list[str]:
    return [label, *(get(y) for y in years_)]


def _amount(part: str, key: str) -> Callable[[dict[str, Any]], str]:
    def get(year: dict[str, Any]) -> str:
        block = year.get(part)
        return sen(block[key]) if block else _DASH

    return get


def _indicator(key: str, fmt: Callable[[float | None], str]) -> Callable[[dict[str, Any]], str]:
    return lambda year: fmt(year["indicators"][key])


# The lines the years table shows, named as a statement names them (keiei.plan.glossary); the
# table is plain, so a memo line (減価償却費) goes without its （参考）.
PL_NAMES = {line.key: line.statement for line in glossary.PL_INPUT_LINES + glossary.PL_SUBTOTALS}
BS_NAMES = {line.key: line.statement for line in glossary.BS_LINES}
_PL_SHOWN = ("sales", "gross_profit", "operating_profit", "ordinary_profit", "net_income", "depreciation")


def years_table(result: dict[str, Any]) -> str:
    ys: list[dict[str, Any]] = result["years"]
    plan_no = {y["period"]: i for i, y in enumerate((y for y in ys if y["kind"] == "plan"), start=1)}
    kinds = ["実績" if y["kind"] == "actual" else f"計画{plan_no[y['period']]}年目" for y in ys]
    rows = [
        ["区分", *kinds],
        *(_line(ys, PL_NAMES[key], _amount("pl", key)) for key in _PL_SHOWN),
        _line(ys, "借入金返済額", _amount("cf", "repayment")),
        *(_line(ys, BS_NAMES[key], _amount("bs", key)) for key in ("cash", "interest_bearing_debt")),
        _line(ys, "純資産（簿価）", _amount("bs", "net_assets")),
        _line(ys, net_assets_label(y.get("net_assets_basis") for y in ys), _amount("bs", "adjusted_net_assets")),
    ]
    headers = ["決算期", *(y["period"] for y in ys)]
    return render_table(headers, rows, [False, *([True] * len(ys))])


def indicators_table(result: dict[str, Any]) -> str:
    ys: list[dict[str, Any]] = result["years"]
    rows = [
        _line(ys, "債務償還年数（年）", _indicator("debt_repayment_years_shown", years)),
        _line(ys, "売上増加率", _indicator("sales_growth", percent)),
        _line(ys, "営業利益率", _indicator("operating_margin", percent)),
        _line(ys, "自己資本比率（簿価）", _indicator("equity_ratio", percent)),
        _line(ys, "自己資本比率（実態）", _indicator("adjusted_equity_ratio", percent)),
        _line(ys, "EBITDA有利子負債倍率（倍）", _indicator("ebitda_debt_ratio", times)),
        _line(ys, "損益分岐点売上高（千円）", lambda y: sen(y["indicators"]["breakeven_sales"])),
    ]
    headers = ["指標", *(y["period"] for y in ys)]
    return render_table(headers, rows, [False, *([True] * len(ys))])


def banks_table(result: dict[str, Any]) -> str:
    banks: list[dict[str, Any]] = result["banks"]
    periods = [y["period"] for y in result["years"] if y["kind"] == "plan"]
    forgiveness = any(sum(b["forgiven"].values()) for b in banks)
    headers = ["金融機関", "基準期残高", "保全", "非保全", "シェア"]
    if forgiveness:
        headers.append("債務免除")
    headers += [f"返済 {p}" for p in periods] + ["最終期末残高"]
    rows = []
    for b in banks:
        share = indicator_text("share", b["share"], blank=_DASH)
        row = [
            b["name"] + ("（メイン）" if b["main"] else ""),
            sen(b["balance"]),
            sen(b["covered"]),
            sen(b["uncovered"]),
            share,
        ]
        if forgiveness:
            row.append(sen(sum(b["forgiven"].values())))
        row += [sen(b["repayment"][p]) for p in periods]
        row.append(sen(b["closing_balance"][periods[-1]]))
        rows.append(row)
    total = [
        "合計",
        sen(sum(b["balance"] for b in banks)),
        sen(sum(b["covered"] for b in banks)),
        sen(sum(b["uncovered"] for b in banks)),
        "",
    ]
    if forgiveness:
        total.append(sen(sum(sum(b["forgiven"].values()) for b in banks)))
    total += [sen(sum(b["repayment"][p] for b in banks)) for p in periods]
    total.append(sen(sum(b["closing_balance"][periods[-1]] for b in banks)))
    rows.append(total)
    return render_table(headers, rows, [False, *([True] * (len(headers) - 1))])


def criterion_line(c: dict[str, Any]) -> str:
    mark = "✔" if c["passed"] else f"✖ {_SEVERITY_TAG[c['severity']]}"
    return f"{mark} {c['label']}: {c['message']}"


def comparison_text(result: dict[str, Any]) -> str:
    comparison = result["scenarios"]
    scenarios: list[dict[str, Any]] = comparison["scenarios"]
    flipped = {f["id"] for s in scenarios for f in s["flips"]}
    reference = scenarios[0]
    numeric = {c["id"] for c in result["criteria"] if c["set"] == "numeric"}
    ids = [c["id"] for c in reference["criteria"] if c["id"] in numeric or c["id"] in flipped]
    headers = ["判定・数値", *(s["label"] or s["name"] for s in scenarios)]
    rows = []
    for cid in ids:
        label = next(c["label"] for c in reference["criteria"] if c["id"] == cid)
        cells = []
        for s in scenarios:
            c = next(x for x in s["criteria"] if x["id"] == cid)
            flip = any(f["id"] == cid for f in s["flips"])
            cells.append(("✔" if c["passed"] else "✖") + ("（反転）" if flip else ""))
        rows.append([label, *cells])

    def figure(label: str, get: Callable[[dict[str, Any]], str]) -> None:
        rows.append([label, *(get(s["figures"]) for s in scenarios)])

    figure("最終年度の売上高（千円）", lambda f: sen(f["sales"]))
    figure("最終年度の経常利益（千円）", lambda f: sen(f["ordinary_profit"]))
    figure("最終年度の実態純資産（千円）", lambda f: sen(f["adjusted_net_assets"]))
    figure("最終年度の債務償還年数（年）", lambda f: years(f["debt_repayment_years_shown"]))
    figure("経常黒字化の年度", _return_year)
    figure("実質債務超過の解消年度", _resolution_year)
    figure("最低の期末現預金（千円）", lambda f: sen(f["min_cash"]))
    lines = [render_table(headers, rows, [False, *([True] * len(scenarios))])]
    flips = [(s, f) for s in scenarios[1:] for f in s["flips"]]
    lines.append("")
    if flips:
        lines.append("判定が反転する項目:")
        for s, f in flips:
            arrow = "✔→✖" if f["base"] else "✖→✔"
            lines.append(f"  {s['label'] or s['name']}: {f['label']} {arrow}（{f['message']}）")
    else:
        lines.append("比べたシナリオで判定が反転する項目はありません。")
    return "\n".join(lines)


def _return_year(f: dict[str, Any]) -> str:
    if not f["return_year"]:
        return "なし"
    return "基準期から黒字" if f["return_year"] == 1 and f["already_profitable"] else f"計画{f['return_year']}年目"


def _resolution_year(f: dict[str, Any]) -> str:
    if not f["resolution_year"]:
        return "未解消"
    if f["resolution_year"] == 1 and not f["negative_at_base"]:
        return "債務超過なし"
    return f"計画{f['resolution_year']}年目"


def render_text(result: dict[str, Any]) -> str:
    """The readable Japanese summary of a `run_check` result."""
    company = result["company"]
    rules = result["rules"]
    plan_years = [y for y in result["years"] if y["kind"] == "plan"]
    scenario = result["scenario"]
    applies = rules["criteria"]["applies"]
    numeric = [c for c in result["criteria"] if c["set"] == "numeric"]
    other = [c for c in result["criteria"] if c["set"] != "numeric"]
    industry = f"（{company['industry']}）" if company.get("industry") else ""
    out = [
        "経営改善計画のチェック",
        f"会社　　: {company['name']}{industry}",
        f"事業区分: {rules['label']}（{result['program']}）",
        f"規則　　: {rules['as_of_note']} 時点の規則",
        f"シナリオ: {scenario['label']}（{scenario['name']}）",
        f"計画期間: {len(plan_years)}年（{plan_years[0]['period']}期〜{plan_years[-1]['period']}期）",
        "",
        "■ 主要な数値（単位: 千円、△はマイナス）",
        years_table(result),
        "",
        "■ 指標",
        indicators_table(result),
        f"債務償還年数の式: {result['debt_repayment_years_variant']['formula']}",
        "",
        f"■ 数値基準（{_APPLIES_TITLE.get(applies, applies)}）",
        *(criterion_line(c) for c in numeric),
        "",
        "■ 事業の要件・計画書の内容",
        *(criterion_line(c) for c in other),
    ]
    if result["banks"]:
        out += ["", "■ 金融機関別の返済計画（単位: 千円）", banks_table(result)]
        support = result["financial_support"]
        if support["rescheduling"]:
            basis = {"balance": "残高プロラタ", "uncovered": "信用残高プロラタ"}.get(
                support["rescheduling"]["basis"], support["rescheduling"]["basis"]
            )
            out.append(f"返済条件の変更: 返済原資を{basis}で配分")
    out += ["", "■ シナリオ比較（基本計画との比較）", comparison_text(result)]
    if result["findings"]:
        out += ["", "■ 数値の確認"]
        out += [
            f"{_FINDING_MARK.get(f['severity'], '・')} {f['message']}" + (f"（{f['where']}）" if f["where"] else "")
            for f in result["findings"]
        ]
    s = result["summary"]
    out += [
        "",
        f"判定: {s['criteria']}項目中 {s['passed']}項目が基準を満たします"
        f"（満たさない項目: エラー {s['errors']}件・警告 {s['warnings']}件・参考 {s['info']}件）",
    ]
    return "\n".join(out)


_APPLIES_TITLE = {
    "reference_only": "参考表示: 早期経営改善計画に公式の数値基準はありません",
    "bank_expectation": "金融機関の目安: 満たさない場合は警告",
    "requirement": "中小版GLの要件: 満たさない場合はエラー",
}
