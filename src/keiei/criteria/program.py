"""Programme rules a plan must meet besides its numbers: plan period, financial support, and
the consistency of its figures (validate_plan's errors).

Why these weigh as they do:

* A plan **longer** than the programme allows (`plan_period_years` max) cannot be accepted:
  error. A plan **shorter** than the minimum is a warning, because the minimum for 405 is
  keiei's reading of "about 5 years" (docs/rules.md, unconfirmed).
* Financial support `required` (405, 405-gl): a plan that asks nothing of the banks belongs
  to another programme: error. `not_required` (early): no support is fine; asking for a
  rescheduling or forgiveness under early is a warning (the company should use 405).
* `figures_valid` passes when `validate_plan` found no error; the findings themselves are
  listed beside the criteria.
"""

from __future__ import annotations

from collections.abc import Sequence

from keiei.criteria.contents import SupportAsked
from keiei.criteria.model import FIGURES_VALID, FINANCIAL_SUPPORT, PLAN_PERIOD, Criterion, verdict
from keiei.errors import Finding, Severity
from keiei.plan import Plan
from keiei.plan.periods import period_text_label
from keiei.rules import ProgramRules


def plan_period_criterion(plan: Plan, rules: ProgramRules) -> Criterion:
    years = plan.drivers.years
    low, high = rules.plan_period_years
    periods = plan.plan_periods
    span = f"{period_text_label(periods[0])}〜{period_text_label(periods[-1])}"
    allowed = f"{rules.label}の計画期間は {low}〜{high}年"
    details: dict[str, object] = {"years": years, "min": low, "max": high}
    if years > high:
        return verdict(
            PLAN_PERIOD,
            False,
            f"計画期間 {years}年（{span}）が長すぎます（{allowed}）",
            label="計画期間",
            criteria_set="program",
            failed_severity=Severity.ERROR,
            where="drivers.years",
            details=details,
        )
    if years < low:
        return verdict(
            PLAN_PERIOD,
            False,
            f"計画期間 {years}年（{span}）が短すぎます（{allowed}）",
            label="計画期間",
            criteria_set="program",
            failed_severity=Severity.WARNING,
            where="drivers.years",
            details=details,
        )
    return verdict(
        PLAN_PERIOD,
        True,
        f"計画期間 {years}年（{span}）は範囲内です（{allowed}）",
        label="計画期間",
        criteria_set="program",
        failed_severity=Severity.ERROR,
        where="drivers.years",
        details=details,
    )


def financial_support_criterion(plan: Plan, rules: ProgramRules) -> Criterion:
    asked = SupportAsked.of(plan)
    details: dict[str, object] = {"rule": rules.financial_support, **asked.as_dict()}
    text = asked.text()
    if rules.financial_support == "required":
        if asked.any:
            return verdict(
                FINANCIAL_SUPPORT,
                True,
                f"金融支援を依頼しています: {text}",
                label="金融支援",
                criteria_set="program",
                failed_severity=Severity.ERROR,
                where="financial_support",
                details=details,
            )
        return verdict(
            FINANCIAL_SUPPORT,
            False,
            f"{rules.label}は金融支援（リスケ・新規融資・債務減免等）を伴う計画が対象ですが、計画に金融支援がありません",
            label="金融支援",
            criteria_set="program",
            failed_severity=Severity.ERROR,
            where="financial_support",
            details=details,
        )
    if asked.rescheduling or asked.forgiveness:
        return verdict(
            FINANCIAL_SUPPORT,
            False,
            f"{rules.label}は金融支援を必要としない事業者向けですが、計画に {text} があります（405事業の利用を検討してください）",
            label="金融支援",
            criteria_set="program",
            failed_severity=Severity.WARNING,
            where="financial_support",
            details=details,
        )
    extra = f"（計画にある支援: {text}）" if text else ""
    return verdict(
        FINANCIAL_SUPPORT,
        True,
        f"{rules.label}では金融支援は必要ありません{extra}",
        label="金融支援",
        criteria_set="program",
        failed_severity=Severity.WARNING,
        where="financial_support",
        details=details,
    )


def figures_criterion(findings: Sequence[Finding]) -> Criterion:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    details: dict[str, object] = {
        "errors": len(errors),
        "warnings": len(warnings),
        "codes": sorted({f.code for f in errors}),
    }
    if errors:
        first = errors[0]
        more = f"（ほか {len(errors) - 1}件）" if len(errors) > 1 else ""
        return verdict(
            FIGURES_VALID,
            False,
            f"計画の数値に誤りがあります: {first.message}{more}",
            label="数値の整合",
            criteria_set="figures",
            failed_severity=Severity.ERROR,
            where=first.where,
            details=details,
        )
    note = f"（注意 {len(warnings)}件）" if warnings else ""
    return verdict(
        FIGURES_VALID,
        True,
        f"決算書の内訳・貸借・借入残高などの数値に誤りはありません{note}",
        label="数値の整合",
        criteria_set="figures",
        failed_severity=Severity.ERROR,
        details=details,
    )
