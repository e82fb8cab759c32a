"""Required plan contents: for each code the programme requires, what in the plan file proves it.

Why a table of small checks: the rules (`rules_for(...).required_contents`) name the contents
the pamphlet lists (ビジネスモデル俯瞰図, 資金実績・計画表, …); each maps to the part of the plan
file from which keiei builds that page. A missing part means the document would be missing a
page the programme requires, so a failure is an error. A code keiei does not know (a future
rule) is a warning asking for a check by hand, never a crash.

| code | proved by |
|---|---|
| business_model_diagram | `business_model`: ≥ 1 customer, ≥ 1 supplier or partner, ≥ 1 flow |
| company_profile | `company`: address, industry, representative and business (事業内容) |
| cash_table | `cash_table.months`: at least one month (actual or plan) |
| pl | the plan years' PL (projected from the actual PL) |
| bs, cf | the base balance sheet (last actual year) and the projected plan years |
| action_plan | `action_plan`: ≥ 1 measure, each with an owner and a deadline |
| due_diligence, adjusted_bs | `adjustments` of the last actual year (実態BS修正) |
| causes_of_distress | `causes_of_distress`: ≥ 1 sentence |
| financial_support | 405-gl: forgiveness or rescheduling; others: rescheduling, forgiveness or new money |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from keiei.criteria.model import CONTENTS_PREFIX, Criterion, verdict
from keiei.criteria.numeric import sen
from keiei.errors import Severity
from keiei.finance import Projection
from keiei.plan import Plan
from keiei.plan.periods import period_text_label
from keiei.rules import CONTENT_LABELS, ProgramRules

#: (passed, Japanese message, where, details)
Outcome = tuple[bool, str, str, dict[str, object]]
ContentCheck = Callable[[Plan, Projection], Outcome]

PROFILE_REQUIRED: tuple[tuple[str, str], ...] = (
    ("address", "所在地"),
    ("industry", "業種"),
    ("representative", "代表者"),
    ("business", "事業内容"),
)
PROFILE_OPTIONAL: tuple[tuple[str, str], ...] = (
    ("employees", "従業員数"),
    ("founded", "設立"),
    ("capital", "資本金"),
)


def business_model_diagram(plan: Plan, projection: Projection) -> Outcome:
    bm = plan.business_model
    missing = []
    if not bm.customers:
        missing.append(("customers", "販売先（customers）"))
    if not bm.suppliers and not bm.partners:
        missing.append(("suppliers", "仕入先・外注先・協力先（suppliers / partners）"))
    if not bm.flows:
        missing.append(("flows", "商流・物流・資金の流れ（flows）"))
    counts: dict[str, object] = {
        "customers": len(bm.customers),
        "suppliers": len(bm.suppliers),
        "partners": len(bm.partners),
        "flows": len(bm.flows),
    }
    if missing:
        names = "、".join(label for _, label in missing)
        return False, f"ビジネスモデル俯瞰図に必要な {names} がありません", f"business_model.{missing[0][0]}", counts
    return (
        True,
        f"販売先 {len(bm.customers)}、仕入先・協力先 {len(bm.suppliers) + len(bm.partners)}、流れ {len(bm.flows)} があります",
        "business_model",
        counts,
    )


def company_profile(plan: Plan, projection: Projection) -> Outcome:
    c = plan.company
    missing = [(key, label) for key, label in PROFILE_REQUIRED if not getattr(c, key)]
    optional = [label for key, label in PROFILE_OPTIONAL if getattr(c, key) is None]
    details: dict[str, object] = {"missing": [k for k, _ in missing], "optional_missing": optional}
    if missing:
        names = "、".join(label for _, label in missing)
        return False, f"会社概要表に必要な {names} がありません", f"company.{missing[0][0]}", details
    note = f"（未記入: {'、'.join(optional)}）" if optional else ""
    return True, f"{c.name}の所在地・業種・代表者・事業内容があります{note}", "company", details


def cash_table(plan: Plan, projection: Projection) -> Outcome:
    months = plan.cash_table.months
    actual = sum(1 for mo in months if mo.kind == "actual")
    planned = len(months) - actual
    details: dict[str, object] = {"actual_months": actual, "plan_months": planned}
    if not months:
        return False, "資金実績・計画表（月次）がありません（cash_table.months）", "cash_table", details
    return (
        True,
        f"月次の資金繰り表があります（実績 {actual} か月、計画 {planned} か月、{months[0].month}〜{months[-1].month}）",
        "cash_table.months",
        details,
    )


def pl(plan: Plan, projection: Projection) -> Outcome:
    years = projection.plan_years
    details: dict[str, object] = {"plan_years": len(years), "actual_years": len(projection.actual_years)}
    if not years:
        return False, "計画年度がありません", "drivers.years", details
    return (
        True,
        f"実績 {len(projection.actual_years)}期と計画 {len(years)}期（{period_text_label(years[0].period)}〜{period_text_label(years[-1].period)}）の損益計算書があります",
        "drivers",
        details,
    )


def _statements(plan: Plan, projection: Projection, what: str, needs_cf: bool) -> Outcome:
    base = plan.actuals[-1]
    years = projection.plan_years
    with_bs = sum(1 for y in projection.actual_years if y.bs is not None)
    details: dict[str, object] = {"actual_years_with_bs": with_bs, "plan_years": len(years)}
    if base.bs is None:
        return (
            False,
            f"基準期（{period_text_label(base.period)}）の貸借対照表がないため{what}を作れません",
            f"actuals[{len(plan.actuals) - 1}].bs",
            details,
        )
    incomplete = [y.period for y in years if y.bs is None or (needs_cf and y.cf is None)]
    if not years or incomplete:
        return False, f"{what}を作れない計画年度があります（{'、'.join(incomplete)}）", "drivers", details
    return (
        True,
        f"基準期 {period_text_label(base.period)} の貸借対照表（実績 {with_bs}期分）から計画 {len(years)}期分の{what}を作成します",
        "drivers",
        details,
    )


def bs(plan: Plan, projection: Projection) -> Outcome:
    return _statements(plan, projection, "計画貸借対照表", needs_cf=False)


def cf(plan: Plan, projection: Projection) -> Outcome:
    return _statements(plan, projection, "計画キャッシュフロー計算書", needs_cf=True)


def action_plan(plan: Plan, projection: Projection) -> Outcome:
    actions = plan.action_plan
    no_owner = [i for i, a in enumerate(actions) if not a.owner]
    no_deadline = [i for i, a in enumerate(actions) if not a.deadline]
    with_effects = sum(1 for a in actions if a.effects)
    details: dict[str, object] = {
        "measures": len(actions),
        "with_effects": with_effects,
        "without_owner": no_owner,
        "without_deadline": no_deadline,
    }
    if not actions:
        return False, "アクションプラン（action_plan）がありません", "action_plan", details
    if no_owner or no_deadline:
        first = min(no_owner + no_deadline)
        field = "owner" if first in no_owner else "deadline"
        names = "、".join(f"「{actions[i].measure}」" for i in sorted(set(no_owner + no_deadline)))
        return (
            False,
            f"担当者（owner）または期限（deadline）のない施策があります: {names}",
            f"action_plan[{first}].{field}",
            details,
        )
    return (
        True,
        f"施策 {len(actions)}件（数値効果つき {with_effects}件）、すべてに担当者と期限があります",
        "action_plan",
        details,
    )


def _adjustments(plan: Plan, projection: Projection, what: str) -> Outcome:
    k = len(plan.actuals) - 1
    last = plan.actuals[-1]
    adjustments = last.adjustments
    effect = sum(a.net_assets_effect for a in adjustments)
    base = projection.actual_years[-1].bs
    details: dict[str, object] = {"adjustments": len(adjustments), "net_assets_effect": effect}
    if not adjustments:
        return (
            False,
            f"基準期（{period_text_label(last.period)}）の実態BS修正（adjustments）がなく、{what}の結果が計画にありません",
            f"actuals[{k}].adjustments",
            details,
        )
    adjusted = f"、実態純資産 {sen(base.adjusted_net_assets)}" if base is not None else ""
    return (
        True,
        f"基準期（{period_text_label(last.period)}）の実態BS修正 {len(adjustments)}件（純資産への影響 {sen(effect)}{adjusted}）があります",
        f"actuals[{k}].adjustments",
        details,
    )


def due_diligence(plan: Plan, projection: Projection) -> Outcome:
    return _adjustments(plan, projection, "DD（財務デューデリジェンス）")


def adjusted_bs(plan: Plan, projection: Projection) -> Outcome:
    return _adjustments(plan, projection, "実態貸借対照表")


def causes_of_distress(plan: Plan, projection: Projection) -> Outcome:
    causes = plan.causes_of_distress
    details: dict[str, object] = {"causes": len(causes)}
    if not causes:
        return False, "窮境原因（causes_of_distress）がありません", "causes_of_distress", details
    return True, f"窮境原因が {len(causes)}項目あります", "causes_of_distress", details


@dataclass(frozen=True)
class SupportAsked:
    """What the plan asks of the banks, as written (whatever scenario is projected)."""

    rescheduling: bool
    forgiveness: int
    forgiveness_banks: tuple[str, ...]
    new_money: int

    @classmethod
    def of(cls, plan: Plan) -> SupportAsked:
        fs = plan.financial_support
        return cls(
            rescheduling=fs.rescheduling is not None,
            forgiveness=sum(f.amount for f in fs.forgiveness),
            forgiveness_banks=tuple(dict.fromkeys(f.bank for f in fs.forgiveness)),
            new_money=sum(n.amount for b in plan.banks for n in b.new_loans if n.support),
        )

    @property
    def any(self) -> bool:
        return self.rescheduling or self.forgiveness > 0 or self.new_money > 0

    def text(self) -> str:
        """リスケ、債務免除 …千円（A銀行・B銀行）、新規融資 …千円; empty when nothing is asked."""
        parts = []
        if self.rescheduling:
            parts.append("返済条件の変更（リスケ）")
        if self.forgiveness:
            parts.append(f"債務免除 {sen(self.forgiveness)}（{'・'.join(self.forgiveness_banks)}）")
        if self.new_money:
            parts.append(f"新規融資 {sen(self.new_money)}")
        return "、".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "rescheduling": self.rescheduling,
            "forgiveness": self.forgiveness,
            "forgiveness_banks": list(self.forgiveness_banks),
            "new_money": self.new_money,
        }


def financial_support(plan: Plan, projection: Projection) -> Outcome:
    asked = SupportAsked.of(plan)
    if plan.program == "405-gl":
        ok = asked.forgiveness > 0 or asked.rescheduling
        missing = "債務減免等（forgiveness）または返済条件の変更（rescheduling）"
    else:
        ok = asked.any
        missing = "金融支援（リスケ・債務免除・新規融資）"
    if not ok:
        return False, f"金融支援の内容として {missing} がありません", "financial_support", asked.as_dict()
    return True, f"金融支援の内容: {asked.text()}", "financial_support", asked.as_dict()


CONTENT_CHECKS: dict[str, ContentCheck] = {
    "business_model_diagram": business_model_diagram,
    "company_profile": company_profile,
    "cash_table": cash_table,
    "pl": pl,
    "bs": bs,
    "cf": cf,
    "action_plan": action_plan,
    "due_diligence": due_diligence,
    "adjusted_bs": adjusted_bs,
    "causes_of_distress": causes_of_distress,
    "financial_support": financial_support,
}


def content_criteria(plan: Plan, projection: Projection, rules: ProgramRules) -> list[Criterion]:
    """One criterion `contents_<code>` per content the programme requires, in the rules' order."""
    out = []
    for code in rules.required_contents:
        label = CONTENT_LABELS.get(code, code)
        check = CONTENT_CHECKS.get(code)
        if check is None:
            out.append(
                verdict(
                    CONTENTS_PREFIX + code,
                    False,
                    f"必要な内容「{label}」は keiei では確認できません。計画書を手作業で確認してください",
                    label=label,
                    criteria_set="contents",
                    failed_severity=Severity.WARNING,
                    details={"code": code},
                )
            )
            continue
        passed, message, where, details = check(plan, projection)
        out.append(
            verdict(
                CONTENTS_PREFIX + code,
                passed,
                message,
                label=label,
                criteria_set="contents",
                failed_severity=Severity.ERROR,
                where=where,
                details={"code": code, **details},
            )
        )
    return out
