"""The subsidy of each payment claim of a case, from the core calculator (keiei.subsidy).

Why cumulative: caps apply to the totals of a programme (e.g. 405's 伴走支援 over three years)
and, since 2022-04, half of the plan subsidy is paid with the first monitoring claim. So a
monitoring claim's subsidy is "the calculator's total for every fee claimed so far, including
this one" minus what earlier claims already received; the plan claim gets what the
calculator's payment schedule assigns to the plan claim. `compute_subsidy` does all the
arithmetic (and the one rounding); this module only sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from keiei.rules import ProgramRules
from keiei.subsidy import MONITORING_CLAIMS, SubsidyResult, compute_subsidy

#: Claims of the calculator's schedule paid later, with monitoring, not with the plan claim.
LATER_CLAIMS = (*MONITORING_CLAIMS, "monitoring_first")


@dataclass(frozen=True)
class ClaimFigures:
    fees: dict[str, int]
    subsidy: int  # paid with this claim
    company_share: int  # the company's part of this claim's fees (at least 1/3)
    result: SubsidyResult  # the calculator's full answer, for display of caps and warnings


@dataclass(frozen=True)
class PriorClaim:
    """A claim already made (and not returned): its fees per item and the subsidy it got."""

    fees: Mapping[str, int]
    subsidy: int


def plan_item_keys(rules: ProgramRules) -> list[str]:
    """Subsidy items claimed with the plan (計画策定, DD, 保証解除交渉), in the rules' order."""
    return [k for k, item in rules.items.items() if item.claim not in MONITORING_CLAIMS]


def plan_claim(program: str, rules_date: dt.date, fees: Mapping[str, int | None]) -> ClaimFigures:
    """The plan payment claim: what the schedule pays now; raises KeieiInputError on bad fees."""
    clean = {k: int(v) for k, v in fees.items() if v is not None}
    result = compute_subsidy(program, clean, rules_date)
    now = sum(c.amount for c in result.payment_schedule if c.claim not in LATER_CLAIMS)
    return ClaimFigures(clean, now, result.total_fee - result.total_subsidy, result)


def claimed_fees(claims: Iterable[PriorClaim]) -> dict[str, int]:
    """Fees per item summed over `claims`."""
    total: dict[str, int] = {}
    for claim in claims:
        for key, value in claim.fees.items():
            total[key] = total.get(key, 0) + int(value)
    return total


def monitoring_claim(
    program: str, rules_date: dt.date, prior: Iterable[PriorClaim], item: str, fee: int
) -> ClaimFigures:
    """Figures for one monitoring report's claim of `fee` on subsidy item `item`, after `prior`."""
    prior = list(prior)
    before_fees = claimed_fees(prior)
    after_fees = dict(before_fees)
    after_fees[item] = after_fees.get(item, 0) + fee
    before = compute_subsidy(program, before_fees, rules_date)
    after = compute_subsidy(program, after_fees, rules_date)
    paid = sum(c.subsidy for c in prior)
    item_before = next((i.subsidy for i in before.items if i.item == item), 0)
    item_after = next((i.subsidy for i in after.items if i.item == item), 0)
    return ClaimFigures({item: fee}, after.total_subsidy - paid, fee - (item_after - item_before), after)
