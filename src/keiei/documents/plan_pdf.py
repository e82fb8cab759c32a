"""The plan as a PDF: cover, profile, business model diagram, overview and financial support,
action plan, the statements, per-bank repayment, cash table, charts, criteria and indicators.

Portrait pages for prose, landscape pages (`wide`) for the five-year tables, so no table is
squeezed below a readable size or clipped. The sections follow the pamphlet's plan contents
for the programme (early: PL and cash table; 405 / 405-gl: the three statements, 実態BS and the
per-bank tables as well).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from keiei.case.file import Case
from keiei.documents import bank_tables, diagram, guideline_tables, overview, tables
from keiei.documents.charts import charts_svg
from keiei.documents.figures import (
    PROGRAM_SUBTITLES,
    Figures,
    Unit,
    amount_text,
    date_label,
    default_document_date,
    figures_for,
    fiscal_label,
    plan_span,
    program_rules,
    text_or_unfilled,
)
from keiei.documents.fonts import FONT_FAMILY
from keiei.documents.render import chunks, document_meta, pairs, table_data, write_pdf
from keiei.plan import Plan
from keiei.rules import ProgramRules

FOOTER = "keiei で作成（様式は任意。金融機関・協議会の求めに応じて調整してください）"


def support_items(f: Figures) -> list[str]:
    """金融支援の内容 in sentences, from the projection's `financial_support`."""
    fs = f.check["financial_support"]
    out: list[str] = []
    periods = [y["period"] for y in f.plan_years]
    r = fs.get("rescheduling")
    if r:
        basis = {"uncovered": "信用残高プロラタ（非保全残高の割合）", "balance": "残高プロラタ（残高の割合）"}[
            r["basis"]
        ]
        span = f"計画{r['from_year']}年目～{r['until_year']}年目（{fiscal_label(periods[r['from_year'] - 1])}～{fiscal_label(periods[r['until_year'] - 1])}）"
        out.append(
            f"返済条件の変更: {span}、対象となる借入の元金返済を返済原資の範囲に減額し、{basis}により各金融機関に配分します。"
            f"手元資金として {amount_text(r['minimum_cash'], f.unit)}{f.unit} を確保します。"
        )
    for fg in fs.get("forgiveness") or ():
        loan = f"（{fg['loan']}）" if fg.get("loan") else ""
        out.append(
            f"債務免除: {fg['bank']}{loan} {amount_text(fg['amount'], f.unit)}{f.unit}（{fiscal_label(fg['period'])}）"
        )
    new_loans = fs.get("new_loans")
    for nm in fs.get("new_money") or () if new_loans is None else new_loans:  # older stored checks: new_money
        terms = [f"資金使途: {nm['purpose']}"] if nm.get("purpose") else []
        if nm.get("guarantor") or nm.get("collateral"):
            terms.append("保証・担保: " + "、".join(x for x in (nm.get("guarantor"), nm.get("collateral")) if x))
        asked = "" if nm.get("support", True) else "（金融支援としての依頼ではない通常の借入）"
        detail = f"。{'、'.join(terms)}" if terms else ""
        out.append(
            f"新規融資{asked}: {nm['bank']}「{nm['loan']}」 {amount_text(nm['amount'], f.unit)}{f.unit}"
            f"（{fiscal_label(nm['period'])}）{detail}"
        )
    return out


def criteria_note(c: Mapping[str, Any]) -> str:
    """What the numeric criteria mean for the programme (official requirement or a guide)."""
    guide = (
        f"経常黒字化 おおむね{c.get('ordinary_profit_within_years')}年以内、"
        f"実質債務超過の解消 おおむね{c.get('negative_net_worth_within_years')}年以内、"
        f"債務償還年数 おおむね{c.get('debt_repayment_years_max')}年以下"
    )
    applies = c.get("applies")
    if applies == "requirement":
        return f"中小企業の事業再生等に関するガイドライン第三部の計画の要件: {guide}。"
    if applies == "bank_expectation":
        return f"405事業に公式の数値基準はありませんが、金融機関は協議会・中小版GLと同じ目安（{guide}）で計画を見ます。"
    return f"早期経営改善計画に公式の数値基準はありません。協議会・金融機関の目安（{guide}）を参考として示します。"


def plan_context(f: Figures, case: Case | None = None) -> dict[str, Any]:
    plan = f.plan
    full = f.full_program
    day = case.plan_date if case else None
    rules = program_rules(plan.program, case.rules_date(plan) if case else default_document_date(plan))
    sections = [
        ("s-profile", "企業概況"),
        ("s-bm", "ビジネスモデル俯瞰図"),
        ("s-overview", "計画の概要と金融支援"),
        ("s-actions", "実施計画（アクションプラン）"),
        ("s-numbers", "計数計画（損益・貸借対照表・キャッシュフロー）" if full else "計数計画（計画損益計算書）"),
    ]
    if full and f.banks:
        sections.append(("s-banks", "金融機関別返済計画"))
    liquidation = guideline_tables.liquidation_tables(f)
    guarantors = guideline_tables.guarantor_tables(f)
    expert = guideline_tables.expert_rows(f)
    has_gl = plan.program == "405-gl" or bool(liquidation or guarantors or expert)
    if has_gl:
        sections.append(("s-gl", "中小版GLの要件（清算価値保障・保証債務の整理・第三者支援専門家）"))
    cash = tables.cash_table(f)
    sections += [("s-cash", cash.title), ("s-charts", "グラフ"), ("s-criteria", "計画の基準と財務指標")]
    numbered = [(sid, f"{i}. {title}") for i, (sid, title) in enumerate(sections, 1)]
    layout = diagram.layout(plan)
    bm = plan.business_model
    has_bm = bool(bm.suppliers or bm.customers or bm.partners or bm.flows)
    return {
        "f": f,
        "title": f.title,
        "subtitle": PROGRAM_SUBTITLES[plan.program],
        "span": plan_span(plan),
        "date_text": date_label(day),
        # a missing name reads 未記入, never a placeholder in the name's place
        "adviser_name": text_or_unfilled(case.adviser.name if case and case.adviser else None),
        # the cover prints the name alone; the remark (退任予定 …) belongs to the profile only
        "representative_name": text_or_unfilled(plan.company.representative),
        "representative_remark": plan.company.representative_note,
        "footer": FOOTER,
        "scenario_label": None if f.scenario == "base" else f.check["scenario"]["label"] or f.scenario,
        "sections": numbered,
        "heading": dict(numbered),
        "profile": overview.profile_rows(f),
        "performance": overview.performance_table(f),
        "causes": plan.causes_of_distress,
        "policy": plan.basic_policy,
        "target_rows": overview.targets(f),
        "diagram_svg": diagram.to_svg(layout, font_family=FONT_FAMILY) if has_bm else None,
        "strengths": bm.strengths,
        "weaknesses": bm.weaknesses,
        "summary": overview.summary_table(f),
        "support": support_items(f),
        "adjusted": tables.adjusted_bs_tables(f) if full else None,
        "actions": overview.action_table(f),
        "pl": tables.pl_table(f),
        "assumptions": tables.assumptions_table(f),
        "bs": tables.bs_table(f) if full else None,
        "cf": tables.cf_table(f) if full else None,
        "banks": bank_tables.bank_tables(f) if full and f.banks else None,
        "cash": cash,
        "charts_svg": charts_svg(f),
        "repayment_formula": f.check["debt_repayment_years_variant"]["formula"],
        "criteria": overview.criteria_table(f),
        "criteria_note": criteria_note((f.check.get("rules") or {}).get("criteria") or rules.criteria),
        "scenarios": overview.scenario_table(f),
        "indicators": tables.indicator_table(f),
        "tax_losses": guideline_tables.tax_loss_table(f),
        "gl": {"liquidation": liquidation, "guarantors": guarantors, "expert": expert} if has_gl else None,
        "monitoring": monitoring_rows(f, case, rules) if full else None,
    }


def monitoring_rows(f: Figures, case: Case | None, rules: ProgramRules) -> list[tuple[str, str]]:
    """The monitoring arrangements of a 405 plan (issue 12 item 7), from the rules and the case.

    Why here and not in the plan file: cadence, period and who reports are the programme's
    rules (and the case's chosen interval); the plan file has no field for them, so nothing is
    invented beyond what the rules and the case say.
    """
    low, high = rules.monitoring_interval_months
    chosen = case.monitoring.interval_months if case and case.monitoring else None
    cadence = (
        f"{chosen}か月ごと（規則の範囲: {low}～{high}か月）"
        if chosen
        else f"{low}～{high}か月ごと（案件ファイルの monitoring.interval_months で定めます）"
    )
    adviser = case.adviser.name if case and case.adviser and case.adviser.name else None
    main = next((b["name"] for b in f.banks if b["main"]), None)
    banks = "、".join(b["name"] for b in f.banks) or "取引金融機関"
    start = case.monitoring.start_date if case and case.monitoring else None
    rows = [
        ("期間", f"計画成立後 おおむね{rules.monitoring_period_years}年間（{plan_span(f.plan)}のうち）"),
        ("頻度", cadence),
    ]
    if start:
        rows.append(("開始", date_label(start)))
    rows += [
        (
            "報告する者",
            f"事業者が試算表・資金繰り表で実績を示し、認定経営革新等支援機関"
            f"{'（' + adviser + '）' if adviser else ''}が計画との差異と原因、対策を伴走支援報告書にまとめます。",
        ),
        (
            "報告先",
            f"中小企業活性化協議会と取引金融機関（{banks}）",
        ),
        (
            "金融機関との会議",
            "計画の合意時にバンクミーティングで計画を説明し、伴走支援の結果は"
            + (f"メイン金融機関（{main}）を通じて" if main else "")
            + "すべての取引金融機関に共有します。計画と実績の乖離が大きいときは、対策を協議する会議を開きます。",
        ),
        ("比べる数値", "売上高・経常利益・返済額・有利子負債・現預金・実態純資産（計画1年目は伴走支援報告書のとおり）"),
    ]
    return rows


def plan_data(ctx: Mapping[str, Any], f: Figures, day: Any) -> dict[str, Any]:
    """The JSON the plan template reads: every table already formatted (render.table_data)."""
    unit = f.unit

    def t(table: Any) -> dict[str, Any] | None:
        return None if table is None else table_data(table, unit)

    cash = ctx["cash"]
    adjusted = ctx["adjusted"]
    gl = ctx["gl"]
    note = f"金額の単位は{unit}です{'（千円未満切り捨て）' if unit == '千円' else ''}。負の数は △ で示します。"
    note += f"期は決算期（{f.plan.company.fiscal_year_end_month}月決算）で、西暦と和暦を併記します。"
    if ctx["scenario_label"]:
        note += f"数値は「{ctx['scenario_label']}」のシナリオによります。"
    return {
        "meta": document_meta(f"{f.title}（{f.plan.company.name}）", f.plan.company.name, day),
        "title": ctx["title"],
        "subtitle": ctx["subtitle"],
        "span": ctx["span"],
        "company": f.plan.company.name,
        "representative": f.plan.company.representative or "",
        "date_text": ctx["date_text"],
        "adviser_name": ctx["adviser_name"],
        "footer": ctx["footer"],
        "toc_note": note,
        "heading": ctx["heading"],
        "profile": pairs(ctx["profile"]),
        "performance": t(ctx["performance"]),
        "causes": list(ctx["causes"]),
        "policy": list(ctx["policy"]),
        "target_rows": pairs(ctx["target_rows"]),
        "strengths": list(ctx["strengths"]),
        "weaknesses": list(ctx["weaknesses"]),
        "summary": t(ctx["summary"]),
        "support": ctx["support"],
        "adjusted_trend": t(adjusted[2]) if adjusted else None,
        "monitoring": pairs(ctx["monitoring"]) if ctx.get("monitoring") else None,
        "actions": t(ctx["actions"]),
        "pl": t(ctx["pl"]),
        "assumptions": t(ctx["assumptions"]),
        "bs": t(ctx["bs"]),
        "cf": t(ctx["cf"]),
        "tax_losses": t(ctx["tax_losses"]),
        "adjusted": [t(adjusted[0])] + ([t(adjusted[1])] if adjusted[1].rows else []) if adjusted else None,
        "banks": [t(b) for b in ctx["banks"]] if ctx["banks"] else None,
        "gl": {
            "liquidation": [t(x) for x in gl["liquidation"] or ()],
            "guarantors": [t(x) for x in gl["guarantors"]],
            "expert": pairs(gl["expert"] or ()),
        }
        if gl
        else None,
        "cash": [table_data(cash, unit, a, b) for a, b in chunks(cash.columns, 12)],
        "charts_note": f"灰色は実績、青は計画、赤はマイナスの年度です。債務償還年数 = {ctx['repayment_formula']}。",
        "criteria": t(ctx["criteria"]),
        "criteria_note": ctx["criteria_note"],
        "scenarios": t(ctx["scenarios"]),
        "indicators": t(ctx["indicators"]),
    }


def build_plan_pdf(
    plan: Plan,
    check: Mapping[str, Any] | None,
    out_path: str | Path,
    *,
    case: Case | None = None,
    unit: Unit | None = None,
    scenario: str = "base",
) -> Path:
    """Write the plan PDF to `out_path` and return the path."""
    f = figures_for(plan, check, unit=unit, scenario=scenario, on=case.application_date if case else None)
    ctx = plan_context(f, case)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    day = case.document_date(plan) if case else default_document_date(plan)
    images = {"charts": ctx["charts_svg"]}
    if ctx["diagram_svg"]:
        images["diagram"] = ctx["diagram_svg"]
    write_pdf("plan.typ", plan_data(ctx, f, day), out, day=day, images=images)
    return out
