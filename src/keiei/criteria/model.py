"""A criterion: one verdict on a plan, as a `Finding` with an id, a label and a set.

Why a `Finding` and not a new kind of result: the CLI, the web pages and the document
builders already list findings (code, severity, Japanese message, where); a criterion is the
same thing plus a verdict (`passed`, always set) and the set it belongs to, so every front end
can show validation findings and criteria side by side without a second code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from keiei.errors import Finding, Severity

#: The groups of criteria (the JSON key `set`).
CriteriaSet = Literal["numeric", "program", "contents", "guideline", "figures"]
#: How the programme applies the numeric criteria (`rules_for(...).criteria["applies"]`).
Applies = Literal["reference_only", "bank_expectation", "requirement"]

APPLIES: tuple[Applies, ...] = ("reference_only", "bank_expectation", "requirement")
APPLIES_LABELS: dict[str, str] = {
    "reference_only": "参考（公式の数値基準なし）",
    "bank_expectation": "金融機関の目安",
    "requirement": "中小版GLの要件",
}
SET_LABELS: dict[str, str] = {
    "numeric": "数値基準",
    "program": "事業の要件",
    "contents": "計画書の内容",
    "guideline": "中小版GLの要件",
    "figures": "数値の整合",
}

# Stable ids (other tools read them; they name the criterion, not the number in it).
ORDINARY_PROFIT = "ordinary_profit_within_3y"
NEGATIVE_NET_WORTH = "negative_net_worth_within_5y"
DEBT_REPAYMENT_YEARS = "debt_repayment_years_le_10"
PLAN_PERIOD = "plan_period_within_range"
FINANCIAL_SUPPORT = "financial_support_required"
FIGURES_VALID = "figures_valid"
CONTENTS_PREFIX = "contents_"


@dataclass(frozen=True)
class Criterion(Finding):
    """A verdict: `code` is the stable id, `passed` is always a bool.

    `severity` is the weight of the verdict: `info` when passed (and for failed criteria that
    are only a reference), `warning` or `error` when a failure matters. `weight` is the
    severity the criterion has *when failed*, whatever the verdict (a document that lists
    every criterion with its category — 必須 / 要確認 / 参考 — reads `weight`).
    """

    label: str = ""
    criteria_set: CriteriaSet = "numeric"
    weight: Severity = Severity.INFO

    @property
    def id(self) -> str:
        return self.code

    def as_dict(self) -> dict[str, object]:
        """The JSON form: `id`, `passed`, `message` (the contract) plus the rest."""
        return {
            "id": self.code,
            "label": self.label,
            "set": self.criteria_set,
            "passed": bool(self.passed),
            "severity": self.severity.value,
            "weight": self.weight.value,
            "message": self.message,
            "where": self.where,
            "details": dict(self.details),
        }


def failure_severity(applies: Applies) -> Severity:
    """How much a failed numeric criterion weighs under the programme's `applies`."""
    return {
        "reference_only": Severity.INFO,
        "bank_expectation": Severity.WARNING,
        "requirement": Severity.ERROR,
    }[applies]


def verdict(
    code: str,
    passed: bool,
    message: str,
    *,
    label: str,
    criteria_set: CriteriaSet,
    failed_severity: Severity,
    where: str = "",
    details: dict[str, object] | None = None,
) -> Criterion:
    """A criterion whose severity follows its verdict (info when passed)."""
    return Criterion(
        code=code,
        severity=Severity.INFO if passed else failed_severity,
        message=message,
        where=where,
        passed=passed,
        details=dict(details or {}),
        label=label,
        criteria_set=criteria_set,
        weight=failed_severity,
    )
