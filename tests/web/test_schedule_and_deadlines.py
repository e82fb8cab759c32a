"""Deadlines of a stored case (the core's functions without a database: tests/case/)."""

from __future__ import annotations

import datetime as dt

from keiei_web.cases.deadlines import deadlines_for, overdue
from keiei_web.cases.workflow import State

from .conftest import World, advance, new_case


def test_405_lapses_two_years_after_acceptance(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    [lapse] = deadlines_for(case)
    assert (lapse.code, lapse.due) == ("application_lapse", dt.date(2027, 4, 11))
    assert overdue(case, dt.date(2027, 4, 11)) == []
    assert [d.code for d in overdue(case, dt.date(2027, 4, 12))] == ["application_lapse"]


def test_early_plan_claim_within_a_year_of_the_application(world: World) -> None:
    case = advance(world, new_case(world, "early"), State.APPLIED)
    [claim] = deadlines_for(case)
    assert (claim.code, claim.due, claim.met_on) == ("plan_claim", dt.date(2026, 4, 6), None)
    case = advance(world, case, State.PAYMENT_CLAIM)
    assert deadlines_for(case)[0].met_on == dt.date(2025, 6, 10)


def test_no_deadline_before_the_application(world: World) -> None:
    assert deadlines_for(new_case(world, "early")) == []
