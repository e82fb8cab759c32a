"""Models: role/organisation consistency, immutable versions and audit events, references."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from keiei_web.accounts.choices import Role
from keiei_web.accounts.models import User
from keiei_web.cases.models import CaseBank, CaseEvent
from keiei_web.cases.models.audit import ImmutableError
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanVersion
from keiei_web.plans.versioning import sha256_of

from .conftest import PLAN_V1, World, advance, new_case


def test_the_database_refuses_a_user_whose_organisation_does_not_match_the_role(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.BANK, company=world.companies["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=Role.BANK, bank=world.banks["main"], company=world.companies["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="z", role=Role.COUNCIL)


def test_full_clean_names_the_wrong_organisation_in_japanese(world: World) -> None:
    user = User(username="x", role=Role.ADVISER, bank=world.banks["main"])
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert set(exc.value.message_dict) >= {"adviser_firm", "bank"}
    assert "所属を選んでください" in exc.value.message_dict["adviser_firm"][0]


def test_a_case_has_one_main_bank_at_most(world: World) -> None:
    case = new_case(world, "405")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseBank.objects.create(case=case, bank=world.banks["other"], is_main=True)


def test_plan_versions_are_immutable_and_hashed(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    version = PlanVersion.objects.get(case=case)
    assert version.sha256 == sha256_of(PLAN_V1) and len(version.sha256) == 64
    version.data = {"changed": True}
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    with pytest.raises(ImmutableError):
        PlanVersion.objects.filter(case=case).update(data={})
    with pytest.raises(ImmutableError):
        PlanVersion.objects.filter(case=case).delete()
    assert PlanVersion.objects.get(case=case).data == PLAN_V1


def test_audit_events_are_append_only(world: World) -> None:
    case = new_case(world, "405")
    event = CaseEvent.objects.filter(case=case).first()
    assert event is not None
    event.summary = "書き換え"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        CaseEvent.objects.filter(case=case).delete()


def test_case_reference_and_labels(world: World) -> None:
    case = new_case(world, "early")
    assert case.reference == f"K-{case.pk:05d}"
    assert case.state_label == "相談"
    assert case.program_label == "早期経営改善計画策定支援"
    case.state = State.AGREED
    assert case.state_label == "受取書受領"
    case.program = "405"
    assert case.state_label == "全行同意"


def test_the_plan_comes_back_from_the_database_in_the_order_it_was_written(world: World) -> None:
    """PostgreSQL's jsonb would sort keys (shortest first); the cash table's rows must not move."""
    from keiei_web.plans.models import PlanDocument

    case = new_case(world, "405")
    rows = {"売上代金の回収": 1, "その他": 2, "仕入": 3, "a": 4, "人件費の支払": 5}
    data = {"zeta": {"cash": {"rows": rows}}, "alpha": [1, "二"], "m": None}
    document, _ = PlanDocument.objects.update_or_create(case=case, defaults={"data": data})
    document.refresh_from_db()
    assert list(document.data) == ["zeta", "alpha", "m"]
    assert list(document.data["zeta"]["cash"]["rows"]) == list(rows)
    assert document.data == data
    assert PlanDocument.objects.filter(pk=document.pk).values_list("data", flat=True).get() == data
