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

from markupsafe import Markup

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
from keiei.documents.fonts import CSS_FONT_STACK
from keiei.documents.render import render_html, write_pdf
from keiei.plan import Plan

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
        "diagram_svg": Markup(diagram.to_svg(layout, font_family=CSS_FONT_STACK.replace('"', "'"))) if has_bm else None,
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
        "charts_svg": Markup(charts_svg(f)),
        "repayment_formula": f.check["debt_repayment_years_variant"]["formula"],
        "criteria": overview.criteria_table(f),
        "criteria_note": criteria_note((f.check.get("rules") or {}).get("criteria") or rules.criteria),
        "scenarios": overview.scenario_table(f),
        "indicators": tables.indicator_table(f),
        "tax_losses": guideline_tables.tax_loss_table(f),
        "gl": {"liquidation": liquidation, "guarantors": guarantors, "expert": expert} if has_gl else None,
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
    html = render_html("plan.html", plan_context(f, case))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    day = case.document_date(plan) if case else default_document_date(plan)
    write_pdf(html, out, title=f"{f.title}（{plan.company.name}）", day=day, author=plan.company.name)
    return out
