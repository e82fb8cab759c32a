"""The 中小版GL's own requirements (405-gl): verdicts beyond the numeric three.

Why separate criteria (`set: guideline`, ids `gl_<code>`): the guideline asks a plan with debt
forgiveness to prove things no statement shows — every lender recovers at least what it would in
liquidation (清算価値保障), the guarantors' debts are settled with what they keep stated
(保証債務の整理), and an independent expert reviewed the plan (第三者支援専門家). Which codes
apply comes from the dated rules (`guideline.requirements`: failed = error;
`guideline.explanations`: failed = warning), so other programmes get none of these verdicts.
The figures come from `keiei.finance.guideline`, the one place they are computed.
"""

from __future__ import annotations

from collections.abc import Callable

from keiei.criteria.model import Criterion, verdict
from keiei.criteria.numeric import sen
from keiei.errors import Severity
from keiei.finance import Projection
from keiei.finance.guideline import liquidation_result, tax_loss_sentence, tax_loss_table
from keiei.plan import Plan
from keiei.plan.periods import period_text_label
from keiei.rules import GUIDELINE_LABELS, ProgramRules

GUIDELINE_PREFIX = "gl_"
#: (passed, Japanese message, where, details)
Outcome = tuple[bool, str, str, dict[str, object]]
GuidelineCheck = Callable[[Plan, Projection, ProgramRules], Outcome]

SETTLEMENT_LABELS = {"integrated": "一体整理", "separate": "単独整理"}
KEPT_LABELS = {
    "free_property": "自由財産",
    "living_expenses": "一定期間の生計費",
    "modest_home": "華美でない自宅",
    "other": "その他（債権者の同意）",
}


def _forgiveness(plan: Plan) -> int:
    return sum(f.amount for f in plan.financial_support.forgiveness)


def liquidation_value(plan: Plan, projection: Projection, rules: ProgramRules) -> Outcome:
    result = liquidation_result(plan, projection)
    where = "guideline.liquidation"
    if result is None:
        if not _forgiveness(plan):
            return True, "債務減免を求めない計画のため、清算価値との比較は求められません", where, {}
        return (
            False,
            "債務減免を求める計画に清算貸借対照表（guideline.liquidation）がなく、各金融機関の回収が清算した場合を上回ることを示せません",
            where,
            {},
        )
    details: dict[str, object] = result.as_dict()
    short = [x for x in result.lenders if x.plan < x.liquidation]
    if short:
        names = "、".join(f"{x.bank}（計画 {sen(x.plan)} ＜ 清算 {sen(x.liquidation)}）" for x in short)
        return False, f"計画による回収が清算した場合の回収を下回る金融機関があります: {names}", where, details
    rate = result.dividend_rate * 100
    lines = "、".join(f"{x.bank} 計画 {sen(x.plan)} ≧ 清算 {sen(x.liquidation)}" for x in result.lenders)
    return (
        True,
        f"清算配当率 {rate:.2f}%（清算価値 {sen(result.liquidation_total)}）で、すべての金融機関が清算した場合以上を回収します: {lines}",
        where,
        details,
    )


def guarantor_settlement(plan: Plan, projection: Projection, rules: ProgramRules) -> Outcome:
    g = plan.guideline
    where = "guideline.guarantors"
    if g is None or not g.guarantors:
        if g is not None and g.no_guarantors:
            return True, f"保証人はいません: {g.no_guarantors}", "guideline.no_guarantors", {"guarantors": 0}
        return (
            False,
            "保証人（通常は代表者）の資産・残存資産・保証債務の整理方法（guideline.guarantors）がありません。"
            "保証人がいない場合は guideline.no_guarantors にその旨を書いてください",
            where,
            {"guarantors": 0},
        )
    guides = rules.guideline_kept_assets
    problems: list[str] = []
    notes: list[str] = []
    rows: list[dict[str, object]] = []
    texts: list[str] = []
    for gr in g.guarantors:
        value = sum(a.value for a in gr.assets)
        kept = sum(a.kept for a in gr.assets)
        released = sum(max(0, a.value - a.kept) for a in gr.assets)
        paid = sum(x.paid for x in gr.guarantees)
        forgiven = sum(x.forgiven for x in gr.guarantees)
        amount = sum(x.amount for x in gr.guarantees)
        rows.append(
            {
                "name": gr.name,
                "settlement": gr.settlement,
                "assets": value,
                "kept": kept,
                "released": released,
                "guaranteed": amount,
                "paid": paid,
                "forgiven": forgiven,
            }
        )
        if not gr.assets:
            problems.append(f"{gr.name}の資産（assets）がありません")
        if not gr.guarantees:
            problems.append(f"{gr.name}の保証債務（guarantees）がありません")
        for a in gr.assets:
            if a.kept > a.value:
                problems.append(f"{gr.name}「{a.item}」の残す額 {sen(a.kept)} が評価額 {sen(a.value)} を超えています")
            if a.kept > 0 and a.basis is None:
                problems.append(f"{gr.name}「{a.item}」を残す根拠（basis）がありません")
        for x in gr.guarantees:
            if x.paid + x.forgiven > x.amount:
                problems.append(
                    f"{gr.name}の{x.bank}への保証: 弁済 {sen(x.paid)} と免除 {sen(x.forgiven)} の合計が保証債務 {sen(x.amount)} を超えています"
                )
        if paid < released:
            problems.append(
                f"{gr.name}の弁済額 {sen(paid)} が、残存資産以外の資産 {sen(released)} に足りません（残す資産を増やすか弁済額を見直してください）"
            )
        for basis, key in (("free_property", "free_property"), ("living_expenses", "living_expenses_max")):
            cap = guides.get(key)
            total = sum(a.kept for a in gr.assets if a.basis == basis)
            if isinstance(cap, int) and total > cap:
                notes.append(f"{gr.name}の{KEPT_LABELS[basis]} {sen(total)} は目安 {sen(cap)} を超えます（要確認）")
        texts.append(
            f"{gr.name}（{SETTLEMENT_LABELS[gr.settlement]}: 資産 {sen(value)}、残存資産 {sen(kept)}、"
            f"弁済 {sen(paid)}、保証債務の免除 {sen(forgiven)}）"
        )
    details: dict[str, object] = {"guarantors": rows, "kept_asset_guides": dict(guides)}
    if problems:
        return False, "保証債務の整理に不足があります: " + "。".join(problems), where, details
    text = "、".join(texts)
    suffix = f"。{'。'.join(notes)}" if notes else ""
    return True, f"保証債務の整理: {text}{suffix}", where, details


def third_party_expert(plan: Plan, projection: Projection, rules: ProgramRules) -> Outcome:
    e = plan.guideline.third_party_expert if plan.guideline else None
    where = "guideline.third_party_expert"
    if e is None:
        return False, "計画を調査する第三者支援専門家（guideline.third_party_expert）がありません", where, {}
    details: dict[str, object] = {
        "name": e.name,
        "qualification": e.qualification,
        "organization": e.organization,
        "independent": e.independent,
        "report_date": e.report_date,
    }
    if not e.independent:
        return (
            False,
            f"第三者支援専門家 {e.name}（{e.qualification}）が策定支援者等から独立していません",
            where,
            details,
        )
    if not e.independence:
        return (
            False,
            f"第三者支援専門家 {e.name}（{e.qualification}）の独立性の説明（independence）がありません",
            f"{where}.independence",
            details,
        )
    org = f"、{e.organization}" if e.organization else ""
    return True, f"第三者支援専門家 {e.name}（{e.qualification}{org}）が調査。独立性: {e.independence}", where, details


def tax_loss_carryforward(plan: Plan, projection: Projection, rules: ProgramRules) -> Outcome:
    rows = tax_loss_table(projection)
    details: dict[str, object] = {"years": [r.as_dict() for r in rows]}
    where = "drivers.tax.loss_carryforward"
    gain = sum(r.forgiveness_gain for r in rows)
    if gain <= 0:
        return True, "債務免除益を計上する年度がないため、繰越欠損金による相殺の説明は不要です", where, details
    if plan.drivers.tax.loss_carryforward <= 0:
        taxed = "、".join(
            f"{period_text_label(r.period)} 法人税等 {sen(r.income_taxes)}" for r in rows if r.forgiveness_gain > 0
        )
        return (
            False,
            f"債務免除益 {sen(gain)} を計上しますが、計画開始時の繰越欠損金（drivers.tax.loss_carryforward）がありません（{taxed}）。"
            "税務上の欠損金の残高を記入してください",
            where,
            details,
        )
    return True, tax_loss_sentence(rows, sen), where, details


GUIDELINE_CHECKS: dict[str, GuidelineCheck] = {
    "liquidation_value": liquidation_value,
    "guarantor_settlement": guarantor_settlement,
    "third_party_expert": third_party_expert,
    "tax_loss_carryforward": tax_loss_carryforward,
}


def guideline_criteria(plan: Plan, projection: Projection, rules: ProgramRules) -> list[Criterion]:
    """One criterion `gl_<code>` per requirement (error) and explanation (warning) in force."""
    out = []
    for codes, severity in (
        (rules.guideline_requirements, Severity.ERROR),
        (rules.guideline_explanations, Severity.WARNING),
    ):
        for code in codes:
            label = GUIDELINE_LABELS.get(code, code)
            check = GUIDELINE_CHECKS.get(code)
            if check is None:
                out.append(
                    verdict(
                        GUIDELINE_PREFIX + code,
                        False,
                        f"中小版GLの要件「{label}」は keiei では確認できません。計画書を手作業で確認してください",
                        label=label,
                        criteria_set="guideline",
                        failed_severity=Severity.WARNING,
                        details={"code": code},
                    )
                )
                continue
            passed, message, where, details = check(plan, projection, rules)
            out.append(
                verdict(
                    GUIDELINE_PREFIX + code,
                    passed,
                    message,
                    label=label,
                    criteria_set="guideline",
                    failed_severity=severity,
                    where=where,
                    details={"code": code, **details},
                )
            )
    return out
