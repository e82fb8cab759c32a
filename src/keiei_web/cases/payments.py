"""The subsidy of each payment claim, from the core calculator (keiei.subsidy.compute_subsidy).

Why cumulative: caps apply to the totals of a programme (e.g. 405's 伴走支援 over three years)
and, since 2022-04, half of the plan subsidy is paid with the first monitoring claim. So a
monitoring claim's subsidy is "the core's total for every fee claimed so far, including this
one" minus what earlier claims already received; the plan claim gets what the core's payment
schedule assigns to the plan claim. The core does all arithmetic; this module only sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from keiei.errors import KeieiInputError
from keiei.subsidy import MONITORING_CLAIMS, SubsidyResult, compute_subsidy
from keiei_web.cases.models import Case, ClaimStatus, PaymentClaim

#: Claims of the core's schedule that are paid later, with monitoring, not with the plan claim.
_LATER_CLAIMS = (*MONITORING_CLAIMS, "monitoring_first")


class PaymentError(Exception):
    """Fees the core refuses (unknown item, negative amount); `message` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ClaimFigures:
    fees: dict[str, int]
    subsidy: int  # paid with this claim
    company_share: int  # the company's part of this claim's fees (at least 1/3)
    result: SubsidyResult  # the core's full answer, for display of caps and warnings


def plan_item_keys(case: Case) -> list[str]:
    """Subsidy items claimed with the plan (計画策定, DD, 保証解除交渉), in the rules' order."""
    return [k for k, item in case.rules.items.items() if item.claim not in MONITORING_CLAIMS]


def _compute(case: Case, fees: Mapping[str, int]) -> SubsidyResult:
    try:
        return compute_subsidy(case.program, fees, case.rules_date)
    except KeieiInputError as exc:
        raise PaymentError(exc.message_ja) from None


def plan_claim(case: Case, fees: Mapping[str, int]) -> ClaimFigures:
    clean = {k: int(v) for k, v in fees.items() if v is not None}
    result = _compute(case, clean)
    now = sum(c.amount for c in result.payment_schedule if c.claim not in _LATER_CLAIMS)
    return ClaimFigures(clean, now, result.total_fee - result.total_subsidy, result)


def _claimed_fees(claims: Iterable[PaymentClaim]) -> dict[str, int]:
    total: dict[str, int] = {}
    for claim in claims:
        for key, value in claim.fees.items():
            total[key] = total.get(key, 0) + int(value)
    return total


def monitoring_claim(case: Case, item: str, fee: int) -> ClaimFigures:
    """Figures for one monitoring report's claim of `fee` on subsidy item `item`."""
    prior = list(case.claims.exclude(status=ClaimStatus.RETURNED))
    before_fees = _claimed_fees(prior)
    after_fees = dict(before_fees)
    after_fees[item] = after_fees.get(item, 0) + fee
    before = _compute(case, before_fees)
    after = _compute(case, after_fees)
    paid = sum(c.subsidy for c in prior)
    item_before = next((i.subsidy for i in before.items if i.item == item), 0)
    item_after = next((i.subsidy for i in after.items if i.item == item), 0)
    return ClaimFigures({item: fee}, after.total_subsidy - paid, fee - (item_after - item_before), after)
