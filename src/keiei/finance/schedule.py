"""The loan-level terms under the plan, as a consent form (同意書) quotes them.

Why a module of its own: the engine works in plan years, but a bank agrees to a monthly
instalment from a start month. The two figures that turn the yearly table into those terms
are defined here once, so the projection output, the documents and the checks quote the same
numbers: the monthly instalment is the year's repayment ÷ 12, rounded once by the plan's rule
(so 12 × monthly may differ from the year's repayment by under 12 yen, the last month settles
it), and the new terms start in the agreement month, by default the first month of the first
rescheduling year.
"""

from __future__ import annotations

from keiei.finance.rounding import yen_quotient
from keiei.money import RoundingMode
from keiei.plan import model as m
from keiei.plan.periods import Period

MONTHS = 12


def monthly_instalment(annual: int, rounding: RoundingMode) -> int:
    """The monthly instalment of a year's repayment: the one place it is rounded."""
    return yen_quotient(annual, MONTHS, rounding) if annual else 0


def monthly_instalments(annual: tuple[int, ...] | list[int], rounding: RoundingMode) -> tuple[int, ...]:
    """`monthly_instalment` of each year's repayment, with the arithmetic inlined for the
    engine's loop (repayments are never negative): the same rule, tested equal."""
    if rounding == "half_up":
        return tuple((a + 6) // 12 if a >= 0 else monthly_instalment(a, rounding) for a in annual)
    return tuple(a // 12 if a >= 0 else monthly_instalment(a, rounding) for a in annual)


def first_month(plan: m.Plan, year: int) -> Period:
    """The first month of plan year `year` (1-based)."""
    return plan.base_period.plus_months(12 * (year - 1) + 1)


def months_on_old_terms(plan: m.Plan, rescheduling: m.Rescheduling) -> int:
    """Months of the first rescheduling year before the agreement month (0–11).

    Why: a bank's consent takes effect from the agreement; the months before it were paid on
    the contract's terms, so that part of the year's repayment is contractual, and only the
    rest of the year is shared under the plan. An agreement month outside the year is a
    finding (PLAN_AGREEMENT_DATE_OUTSIDE) and counts as 0 here (or 11 when after the year).
    """
    if rescheduling.agreement_date is None:
        return 0
    months = rescheduling.agreement_date.index - first_month(plan, rescheduling.from_year).index
    return max(0, min(MONTHS - 1, months))


def first_year_instalment(repayment: int, old_terms: int, months_before: int, rounding: RoundingMode) -> int:
    """The new monthly instalment of the first rescheduling year: what is repaid under the new
    terms, spread over the months from the agreement (the months before paid `old_terms`)."""
    new_part = repayment - old_terms
    return yen_quotient(new_part, MONTHS - months_before, rounding) if new_part > 0 else 0


def terms_start(plan: m.Plan, rescheduling: m.Rescheduling) -> Period:
    """The month the new terms start: the agreement date, else the first rescheduling month."""
    if rescheduling.agreement_date is not None:
        return rescheduling.agreement_date
    return first_month(plan, rescheduling.from_year)
