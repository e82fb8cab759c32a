"""Scoping: who sees which case (cases_for), who may do what (can), what a bank may read."""

from __future__ import annotations

import pytest

from keiei_web import access
from keiei_web.accounts.models import User
from keiei_web.cases.workflow import State

from .conftest import World, advance, new_case


@pytest.fixture
def cases(world: World) -> dict[str, object]:
    return {
        "a405": new_case(world, "405", company="a", adviser="adviser_a", banks=("main", "second")),
        "b_early": new_case(world, "early", company="b", adviser="adviser_b", banks=("second",)),
        "t405": new_case(world, "405", company="t", adviser="adviser_a", banks=("other",)),
    }


EXPECTED = {
    "company_a": {"a405"},
    "company_b": {"b_early"},
    "adviser_a": {"a405", "t405"},
    "adviser_b": {"b_early"},
    "council_osaka": {"a405", "b_early"},
    "council_tokyo": {"t405"},
    "bank_main": {"a405"},
    "bank_second": {"a405", "b_early"},
    "bank_other": {"t405"},
}


@pytest.mark.parametrize("user_name", sorted(EXPECTED))
def test_cases_for_each_role(world: World, cases: dict[str, object], user_name: str) -> None:
    user = world.user(user_name)
    ids = {name for name, case in cases.items() if access.cases_for(user).filter(pk=case.pk).exists()}  # type: ignore[attr-defined]
    assert ids == EXPECTED[user_name]
    for name, case in cases.items():
        assert access.in_scope(user, case) == (name in EXPECTED[user_name])  # type: ignore[arg-type]


def test_users_without_a_role_or_inactive_see_nothing(world: World, cases: dict[str, object]) -> None:
    nobody = User.objects.create_user("nobody", password="x")
    assert not access.cases_for(nobody).exists()
    adviser = world.user("adviser_a")
    adviser.is_active = False
    assert not access.cases_for(adviser).exists()


def test_can_checks_role_and_scope(world: World, cases: dict[str, object]) -> None:
    a405 = cases["a405"]
    assert access.can(world.user("adviser_a"), "transition:apply", a405)  # type: ignore[arg-type]
    assert access.can(world.user("company_a"), "transition:apply", a405)  # type: ignore[arg-type]
    assert not access.can(world.user("adviser_b"), "transition:apply", a405)  # type: ignore[arg-type]
    assert access.can(world.user("council_osaka"), "transition:accept", a405)  # type: ignore[arg-type]
    assert not access.can(world.user("council_tokyo"), "transition:accept", a405)  # type: ignore[arg-type]
    assert not access.can(world.user("bank_main"), access.VIEW_MONEY, a405)  # type: ignore[arg-type]
    assert access.can(world.user("bank_main"), access.BANK_RESPOND, a405)  # type: ignore[arg-type]
    assert not access.can(world.user("adviser_a"), "no-such-action", a405)  # type: ignore[arg-type]


def test_a_bank_reads_only_the_versions_submitted_to_it(world: World) -> None:
    # early: only the main bank gets the plan; the second bank lends but is not asked
    case = advance(world, new_case(world, "early", banks=("main", "second")), State.BANK_MEETING)
    assert [v.number for v in access.plan_versions_for(world.user("bank_main"), case)] == [1]
    assert list(access.plan_versions_for(world.user("bank_second"), case)) == []
    assert access.in_scope(world.user("bank_second"), case)
    assert [v.number for v in access.plan_versions_for(world.user("adviser_a"), case)] == [1]
    assert not access.may_see_working_plan(world.user("bank_main"), case)


def test_a_bank_sees_only_its_own_row(world: World) -> None:
    case = new_case(world, "405", banks=("main", "second"))
    rows = access.case_banks_for(world.user("bank_second"), case)
    assert [cb.bank.name for cb in rows] == ["セカンド信用金庫"]
    assert access.case_banks_for(world.user("council_osaka"), case).count() == 2
    assert access.case_banks_for(world.user("council_tokyo"), case).count() == 0


def test_site_pages(world: World) -> None:
    assert access.can_site(world.user("council_osaka"), access.COUNCIL_REPORTS)
    assert not access.can_site(world.user("adviser_a"), access.COUNCIL_REPORTS)
    assert access.can_site(world.user("adviser_a"), access.CREATE_CASE)
    assert not access.can_site(world.user("company_a"), access.CREATE_CASE)
    assert access.can_use_admin(world.user("council_osaka"))
    assert not access.can_use_admin(world.user("bank_main"))
