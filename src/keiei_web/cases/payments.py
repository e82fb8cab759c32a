"""The subsidy of each payment claim of a stored case: the claims from the database, the
figures from the core (keiei.case.payments), and the core's input errors as `PaymentError`
for the services to show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from keiei.case import payments as core
from keiei.case.payments import ClaimFigures
from keiei.errors import KeieiInputError
from keiei_web.cases.models import Case, ClaimStatus

__all__ = ["ClaimFigures", "PaymentError", "monitoring_claim", "plan_claim", "plan_item_keys"]

T = TypeVar("T")


class PaymentError(Exception):
    """Fees the core refuses (unknown item, negative amount); `message` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refusing(compute: Callable[[], T]) -> T:
    try:
        return compute()
    except KeieiInputError as exc:
        raise PaymentError(exc.message_ja) from None


def plan_item_keys(case: Case) -> list[str]:
    """Subsidy items claimed with the plan (計画策定, DD, 保証解除交渉), in the rules' order."""
    return core.plan_item_keys(case.rules)


def plan_claim(case: Case, fees: Mapping[str, int | None]) -> ClaimFigures:
    return _refusing(lambda: core.plan_claim(case.program, case.rules_date, fees))


def monitoring_claim(case: Case, item: str, fee: int) -> ClaimFigures:
    """Figures for one monitoring report's claim of `fee` on subsidy item `item`."""
    prior = [core.PriorClaim(c.fees, c.subsidy) for c in case.claims.exclude(status=ClaimStatus.RETURNED)]
    return _refusing(lambda: core.monitoring_claim(case.program, case.rules_date, prior, item, fee))
