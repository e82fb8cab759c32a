"""`plan check`: a plan's projection with every verdict, for the CLI and the document builders.

Why one function returns the whole result: the command line (`keiei plan check --json`), the
Excel/PDF builders and the web pages must show the same figures and the same verdicts, so they
all call `run_check` and read its dict (docs/criteria.md lists the keys). It is `to_dict` of
the projection (years, banks… unchanged) plus `criteria`, `findings`, `summary`, `rules`, a
scenario comparison (`scenarios`) and the 中小版GL figures (`guideline`).

The rules date: a plan file has no application date, so keiei uses the first day of plan
year 1 (the day after the base fiscal year ends), when the plan is drafted and applied for.
If that day is before the programme began, the programme's first day is used (and `rules`
says so). Callers that know the application date pass it as `on` (CLI: `--date`); a date
before the programme began is then an input error naming `--date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from keiei.criteria import (
    NUMERIC_IDS,
    SET_LABELS,
    Criterion,
    NumericParameters,
    evaluate,
    resolution_year,
    return_to_profit_year,
)
from keiei.dates import with_wareki
from keiei.errors import Finding, Severity
from keiei.finance import Projection, apply_scenario, get_scenario, project, to_dict, validate_plan
from keiei.finance.display import shown_value
from keiei.finance.guideline import liquidation_result, tax_loss_sentence, tax_loss_table
from keiei.finance.output import ratio
from keiei.plan import Plan
from keiei.rules import CONTENT_LABELS, GUIDELINE_LABELS, ProgramRules, program_start, rules_for

#: Scenarios compared with `base` when the caller names none (besides the plan's own).
DEFAULT_DOWNSIDES: tuple[str, ...] = ("sales_down_10",)
REFERENCE = "base"

DateBasis = Literal["given", "plan_start", "program_start"]


@dataclass(frozen=True)
class RulesDate:
    """The day whose rules judge the plan, and why that day (shown to the user)."""

    day: dt.date
    basis: DateBasis
    note: str


@dataclass(frozen=True)
class ScenarioCheck:
    """One scenario judged: the plan under it, its projection, findings and criteria."""

    plan: Plan
    projection: Projection
    findings: tuple[Finding, ...]
    criteria: tuple[Criterion, ...]


def plan_start(plan: Plan) -> dt.date:
    """The first day of plan year 1: the day after the base fiscal year ends."""
    first = plan.base_period.plus_months(1)
    return dt.date(first.year, first.month, 1)


def rules_date(plan: Plan, on: dt.date | None = None) -> RulesDate:
    """The date of the rules: `on` if given, else plan year 1's first day (not before the
    programme began)."""
    if on is not None:
        return RulesDate(on, "given", f"指定された日付 {with_wareki(on)}")
    start = plan_start(plan)
    began = program_start(plan.program)
    if start < began:
        return RulesDate(
            began,
            "program_start",
            f"計画1年目の期首 {start.isoformat()} は事業の開始前のため、事業の開始日 {with_wareki(began)}",
        )
    return RulesDate(start, "plan_start", f"計画1年目の期首 {with_wareki(start)}")


def check_scenario(plan: Plan, scenario: str, rules: ProgramRules) -> ScenarioCheck:
    """Project `plan` under `scenario` and judge it (unknown scenario: KeieiInputError)."""
    under = apply_scenario(plan, scenario)
    projection = project(under)
    findings = tuple(validate_plan(under))
    criteria = tuple(evaluate(under, projection, rules, findings))
    return ScenarioCheck(under, projection, findings, criteria)


def run_check(
    plan: Plan, scenario: str = "base", *, on: dt.date | None = None, compare: Sequence[str] | None = None
) -> dict[str, Any]:
    """Everything `keiei plan check --json` prints, as a JSON-ready dict.

    Keys: `program`, `company`, `years`, `banks` (and the rest of `to_dict`, unchanged) for
    `scenario`; `criteria` (list, each with `id`, `passed`, `message`, `severity`, `where`,
    `set`, `label`, `details`); `findings` (validate_plan); `summary`; `rules`; `scenarios`
    (the comparison of `base` with `scenario` and the downsides `compare`, default
    `sales_down_10` and the plan's own scenarios; see `compare_scenarios`).
    """
    date = rules_date(plan, on)
    rules = rules_for(plan.program, date.day)
    for name in (scenario, *(compare or ())):
        get_scenario(plan, name)  # an unknown name fails before any work
    names = _comparison_names(plan, compare, scenario)
    checks = {name: check_scenario(plan, name, rules) for name in names}
    chosen = checks[scenario]
    out = to_dict(chosen.projection)
    out["criteria"] = [c.as_dict() for c in chosen.criteria]
    out["findings"] = [f.as_dict() for f in chosen.findings]
    out["summary"] = summarize(chosen)
    out["rules"] = rules_summary(rules, date)
    out["scenarios"] = _comparison(checks)
    out["guideline"] = guideline_summary(chosen.plan, chosen.projection)
    return out


def guideline_summary(plan: Plan, projection: Projection) -> dict[str, Any]:
    """The 中小版GL block beside the criteria: 清算BS and recoveries, guarantors, the expert, and
    the tax-loss balance by plan year (for every programme: the carry-forward explains the tax
    line of any plan). Amounts in yen; documents read this, never recompute it."""
    g = plan.guideline
    liq = liquidation_result(plan, projection)
    rows = tax_loss_table(projection)
    expert = g.third_party_expert if g else None
    return {
        "liquidation": None
        if liq is None or g is None or g.liquidation is None
        else {
            "assets": [
                {"item": a.item, "book": a.book, "liquidation": a.liquidation, "note": a.note}
                for a in g.liquidation.assets
            ],
            "priority_claims": [
                {"item": c.item, "amount": c.amount, "note": c.note} for c in g.liquidation.priority_claims
            ],
            "note": g.liquidation.note,
            **liq.as_dict(),
        },
        "guarantors": [
            {
                "name": gr.name,
                "relation": gr.relation,
                "settlement": gr.settlement,
                "assets": [
                    {"item": a.item, "value": a.value, "kept": a.kept, "basis": a.basis, "note": a.note}
                    for a in gr.assets
                ],
                "guarantees": [
                    {"bank": x.bank, "amount": x.amount, "paid": x.paid, "forgiven": x.forgiven} for x in gr.guarantees
                ],
                "note": gr.note,
            }
            for gr in (g.guarantors if g else ())
        ],
        "no_guarantors": g.no_guarantors if g else None,
        "third_party_expert": None
        if expert is None
        else {
            "name": expert.name,
            "qualification": expert.qualification,
            "organization": expert.organization,
            "independent": expert.independent,
            "independence": expert.independence,
            "report_date": expert.report_date,
        },
        "tax_losses": [r.as_dict() for r in rows],
        "tax_loss_note": tax_loss_sentence(rows),
    }


def compare_scenarios(plan: Plan, names: Sequence[str] | None = None, *, on: dt.date | None = None) -> dict[str, Any]:
    """`base` and other scenarios side by side, with the verdicts that flip against `base`.

    `names` defaults to `sales_down_10` and the plan's own scenarios; `base` is always first
    (the reference). Returns `{"reference": "base", "scenarios": [...]}`; each scenario has
    `name`, `label`, `criteria` (id, label, passed, severity, message), `figures` (final-year
    figures, return and resolution years, lowest cash) and `flips` (criteria whose verdict
    differs from base: `id`, `label`, `base`, `scenario`, `message`).
    """
    date = rules_date(plan, on)
    rules = rules_for(plan.program, date.day)
    for name in names or ():
        get_scenario(plan, name)
    chosen = _comparison_names(plan, names, None)
    return _comparison({name: check_scenario(plan, name, rules) for name in chosen})


def _comparison_names(plan: Plan, names: Sequence[str] | None, extra: str | None) -> list[str]:
    wanted = list(names) if names else [*DEFAULT_DOWNSIDES, *(s.name for s in plan.scenarios)]
    if extra is not None:
        wanted.append(extra)
    return list(dict.fromkeys([REFERENCE, *wanted]))


def _comparison(checks: dict[str, ScenarioCheck]) -> dict[str, Any]:
    reference = {c.code: c for c in checks[REFERENCE].criteria}
    scenarios = []
    for name, check in checks.items():
        flips = [
            {
                "id": c.code,
                "label": c.label,
                "base": bool(reference[c.code].passed),
                "scenario": bool(c.passed),
                "message": c.message,
            }
            for c in check.criteria
            if c.code in reference and bool(reference[c.code].passed) != bool(c.passed)
        ]
        scenarios.append(
            {
                "name": name,
                "label": check.projection.scenario.label,
                "criteria": [
                    {
                        "id": c.code,
                        "label": c.label,
                        "passed": bool(c.passed),
                        "severity": c.severity.value,
                        "weight": c.weight.value,
                        "message": c.message,
                    }
                    for c in check.criteria
                ],
                "figures": key_figures(check.projection),
                "flips": flips,
            }
        )
    return {"reference": REFERENCE, "scenarios": scenarios}


def key_figures(projection: Projection) -> dict[str, Any]:
    """Final-year figures and the years the numeric criteria turn on, for the comparison."""
    years = projection.plan_years
    final = years[-1]
    base = projection.actual_years[-1]
    cash = [(y.bs.cash, y.period) for y in years if y.bs is not None]
    lowest = min(cash) if cash else (None, None)
    adjusted = [y.bs.adjusted_net_assets if y.bs else 0 for y in years]
    ret = return_to_profit_year([y.pl.ordinary_profit for y in years])
    res = resolution_year(adjusted)
    return {
        "final_period": final.period,
        "sales": final.pl.sales,
        "ordinary_profit": final.pl.ordinary_profit,
        "net_income": final.pl.net_income,
        "adjusted_net_assets": adjusted[-1],
        "debt_repayment_years": ratio(final.indicators.debt_repayment_years),
        "debt_repayment_years_shown": _shown_years(final.indicators.debt_repayment_years),
        "return_year": ret,
        "resolution_year": res,
        "already_profitable": base.pl.ordinary_profit > 0,
        "negative_at_base": base.bs is not None and base.bs.adjusted_net_assets < 0,
        "min_cash": lowest[0],
        "min_cash_period": lowest[1],
    }


def _shown_years(value: Decimal | None) -> float | None:
    """債務償還年数 as every face shows it (`keiei.finance.display`), for faces reading JSON."""
    shown = shown_value("debt_repayment_years", value)
    return None if shown is None else float(shown)


def summarize(check: ScenarioCheck) -> dict[str, Any]:
    """Counts of failed criteria by weight; `ok` = no failed error-weight criterion."""
    failed = [c for c in check.criteria if not c.passed]
    by = {s: sum(1 for c in failed if c.severity is s) for s in Severity}
    return {
        "criteria": len(check.criteria),
        "passed": len(check.criteria) - len(failed),
        "failed": [c.code for c in failed],
        "errors": by[Severity.ERROR],
        "warnings": by[Severity.WARNING],
        "info": by[Severity.INFO],
        "finding_errors": sum(1 for f in check.findings if f.severity is Severity.ERROR),
        "finding_warnings": sum(1 for f in check.findings if f.severity is Severity.WARNING),
        "ok": by[Severity.ERROR] == 0,
        "numeric_passed": all(c.passed for c in check.criteria if c.code in NUMERIC_IDS),
    }


def rules_summary(rules: ProgramRules, date: RulesDate) -> dict[str, Any]:
    """The rules that judged the plan, and the date they were taken on."""
    return {
        "program": rules.program,
        "label": rules.label,
        "as_of": date.day.isoformat(),
        "as_of_basis": date.basis,
        "as_of_note": date.note,
        "criteria": NumericParameters.from_rules(rules).as_dict(),
        "plan_period_years": list(rules.plan_period_years),
        "required_contents": [{"code": c, "label": CONTENT_LABELS.get(c, c)} for c in rules.required_contents],
        "financial_support": rules.financial_support,
        "guideline": [
            {"code": c, "label": GUIDELINE_LABELS.get(c, c), "kind": kind}
            for kind, codes in (
                ("requirement", rules.guideline_requirements),
                ("explanation", rules.guideline_explanations),
            )
            for c in codes
        ],
        "sets": dict(SET_LABELS),
    }
