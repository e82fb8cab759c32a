"""The subsidy of each payment claim of a case, without a database (the web's claims call these)."""

from __future__ import annotations

import datetime as dt

import pytest

from keiei.case.payments import PriorClaim, monitoring_claim, plan_claim, plan_item_keys
from keiei.errors import KeieiInputError
from keiei.rules import rules_for

DAY = dt.date(2025, 4, 1)


def test_the_plan_claim_gets_half_the_plan_subsidy_and_the_company_pays_a_third() -> None:
    figures = plan_claim("405", DAY, {"plan": 2_400_000, "guarantee_release": None})
    assert figures.fees == {"plan": 2_400_000}
    assert (figures.subsidy, figures.company_share) == (800_000, 800_000)


def test_a_monitoring_claim_gets_the_deferred_half_and_its_own_two_thirds() -> None:
    prior = [PriorClaim({"plan": 2_400_000}, 800_000)]
    figures = monitoring_claim("405", DAY, prior, "monitoring", 300_000)
    assert (figures.subsidy, figures.company_share) == (800_000 + 200_000, 100_000)
    later = monitoring_claim(
        "405", DAY, [*prior, PriorClaim({"monitoring": 300_000}, 1_000_000)], "monitoring", 300_000
    )
    assert (later.subsidy, later.company_share) == (200_000, 100_000)


def test_a_monitoring_claim_beyond_the_cap_is_paid_by_the_company() -> None:
    prior = [PriorClaim({"plan": 225_000}, 75_000), PriorClaim({"monitoring_end": 75_000}, 125_000)]
    figures = monitoring_claim("early", DAY, prior, "monitoring_mid", 90_000)
    assert (figures.subsidy, figures.company_share) == (50_000, 40_000)


def test_plan_items_are_those_not_paid_with_monitoring() -> None:
    assert plan_item_keys(rules_for("early", DAY)) == ["plan", "guarantee_release"]
    assert plan_item_keys(rules_for("405-gl", DAY)) == ["dd", "plan"]


def test_refused_fees_raise_the_cores_input_error() -> None:
    with pytest.raises(KeieiInputError):
        plan_claim("405", DAY, {"consulting": 1})
