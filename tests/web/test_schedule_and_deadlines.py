"""Calendar helpers, the monitoring schedule from the rules, and deadline highlighting."""

from __future__ import annotations

import datetime as dt

import pytest

from keiei.rules import rules_for
from keiei_web.cases.deadlines import Deadline, deadlines_for, overdue
from keiei_web.cases.schedule import first_fiscal_year_end, monitoring_schedule
from keiei_web.cases.workflow import State
from keiei_web.periods import add_months, fiscal_year, fiscal_year_label

from .conftest import World, advance, new_case


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert add_months(dt.date(2025, 3, 15), -3) == dt.date(2024, 12, 15)


def test_fiscal_year_runs_april_to_march() -> None:
    assert fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert fiscal_year(dt.date(2026, 4, 1)) == 2026
    assert fiscal_year_label(2025) == "2025年度（令和7年度）"


def test_405_schedule_every_n_months_for_three_years() -> None:
    rules = rules_for("405", dt.date(2025, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2025, 6, 30), 12, 3)
    assert [s.due_on for s in sessions] == [dt.date(2026, 6, 30), dt.date(2027, 6, 30), dt.date(2028, 6, 30)]
    assert len(monitoring_schedule(rules, dt.date(2025, 6, 30), 1, 3)) == 36
    with pytest.raises(ValueError):
        monitoring_schedule(rules, dt.date(2025, 6, 30), 13, 3)


def test_early_schedule_mid_sessions_then_the_mandatory_year_end() -> None:
    rules = rules_for("early", dt.date(2025, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2025, 5, 15), 3, 12)
    assert [(s.kind, s.due_on, s.mandatory) for s in sessions] == [
        ("monitoring_mid", dt.date(2025, 8, 15), False),
        ("monitoring_mid", dt.date(2025, 11, 15), False),
        ("monitoring_end", dt.date(2026, 2, 28), True),
    ]
    assert first_fiscal_year_end(dt.date(2025, 3, 31), 3) == dt.date(2026, 3, 31)


def test_before_2022_04_early_had_no_interim_monitoring() -> None:
    rules = rules_for("early", dt.date(2021, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2021, 5, 15), 3, 12)
    assert [s.kind for s in sessions] == ["monitoring_end"]


def test_deadline_status() -> None:
    d = Deadline("x", "期限", dt.date(2025, 5, 1), None, "")
    assert d.status(dt.date(2025, 3, 1)) == "open"
    assert d.status(dt.date(2025, 4, 15)) == "soon"
    assert d.status(dt.date(2025, 5, 1)) == "soon"
    assert d.status(dt.date(2025, 5, 2)) == "overdue"
    assert d.status(dt.date(2025, 5, 2), closed=True) == "closed"
    optional = Deadline("y", "任意", dt.date(2025, 5, 1), None, "", enforced=False)
    assert optional.status(dt.date(2026, 1, 1)) == "open"
    met = Deadline("z", "済", dt.date(2025, 5, 1), dt.date(2025, 6, 1), "")
    assert met.status(dt.date(2026, 1, 1)) == "met"


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
