"""Verdicts on an improvement plan: the programme's numeric criteria, its rules and the plan
contents it requires, as a list of `Criterion` (a `Finding` with an id and a verdict).

Why findings and not exceptions: an adviser needs every verdict at once (which pass, which
fail, how much each failure weighs under the programme) and a failed criterion is a result,
not an error. The thresholds are rule parameters read from `rules_for(program, date)`; the
ids stay the same when a parameter changes (docs/criteria.md).

Public API:
    evaluate(plan, projection, rules, findings=()) -> list[Criterion]   every criterion, in order
    numeric_criteria(projection, NumericParameters.from_rules(rules))   the 協議会 / 中小版GL set
    content_criteria(plan, projection, rules)                           contents_<code>
    guideline_criteria(plan, projection, rules)                         gl_<code> (405-gl only)
    plan_period_criterion, financial_support_criterion, figures_criterion
    return_to_profit_year, resolution_year                              the year rules, reusable
"""

from __future__ import annotations

from collections.abc import Sequence

from keiei.criteria.contents import CONTENT_CHECKS, SupportAsked, content_criteria
from keiei.criteria.guideline import GUIDELINE_CHECKS, GUIDELINE_PREFIX, guideline_criteria
from keiei.criteria.model import (
    APPLIES_LABELS,
    CONTENTS_PREFIX,
    DEBT_REPAYMENT_YEARS,
    FIGURES_VALID,
    FINANCIAL_SUPPORT,
    NEGATIVE_NET_WORTH,
    ORDINARY_PROFIT,
    PLAN_PERIOD,
    SET_LABELS,
    Criterion,
    failure_severity,
)
from keiei.criteria.numeric import numeric_criteria, resolution_year, return_to_profit_year
from keiei.criteria.parameters import NumericParameters
from keiei.criteria.program import figures_criterion, financial_support_criterion, plan_period_criterion
from keiei.errors import Finding
from keiei.finance import Projection
from keiei.plan import Plan
from keiei.rules import ProgramRules

NUMERIC_IDS: tuple[str, ...] = (ORDINARY_PROFIT, NEGATIVE_NET_WORTH, DEBT_REPAYMENT_YEARS)


def evaluate(
    plan: Plan, projection: Projection, rules: ProgramRules, findings: Sequence[Finding] = ()
) -> list[Criterion]:
    """Every criterion: numeric (3), programme (period, support), contents, 中小版GL, figures.

    `projection` is the plan projected under the scenario being judged; `findings` are
    `validate_plan`'s on that same plan (they decide `figures_valid`).
    """
    return [
        *numeric_criteria(projection, NumericParameters.from_rules(rules)),
        plan_period_criterion(plan, rules),
        financial_support_criterion(plan, rules),
        *content_criteria(plan, projection, rules),
        *guideline_criteria(plan, projection, rules),
        figures_criterion(findings),
    ]


__all__ = [
    "APPLIES_LABELS",
    "CONTENTS_PREFIX",
    "CONTENT_CHECKS",
    "DEBT_REPAYMENT_YEARS",
    "FIGURES_VALID",
    "FINANCIAL_SUPPORT",
    "GUIDELINE_CHECKS",
    "GUIDELINE_PREFIX",
    "NEGATIVE_NET_WORTH",
    "NUMERIC_IDS",
    "ORDINARY_PROFIT",
    "PLAN_PERIOD",
    "SET_LABELS",
    "Criterion",
    "NumericParameters",
    "SupportAsked",
    "content_criteria",
    "evaluate",
    "failure_severity",
    "figures_criterion",
    "financial_support_criterion",
    "guideline_criteria",
    "numeric_criteria",
    "plan_period_criterion",
    "resolution_year",
    "return_to_profit_year",
]
