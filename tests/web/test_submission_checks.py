"""A plan is frozen for the banks or the council only when it is a valid plan file whose
error-severity criteria all pass (`keiei plan check`'s verdict); warnings never block."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import Case, CaseEvent
from keiei_web.cases.payments import plan_claim
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanDocument, PlanVersion

from .conftest import PASSWORD, PLAN_FEES, PLAN_V1, STEP_DATES, World, advance, new_case

#: Not a plan file: the schema names the missing and unknown keys.
BROKEN = {"company": {"name": "株式会社エー"}, "pl": {"sales": [100, 110, 120]}}


def missing_contents() -> dict[str, Any]:
    """A valid plan file without the business model diagram and the cash table (error criteria)."""
    plan = copy.deepcopy(PLAN_V1)
    del plan["business_model"], plan["cash_table"]
    return plan


def only_warnings() -> dict[str, Any]:
    """A valid plan whose numeric criteria (bank expectations, warning weight) fail."""
    plan = copy.deepcopy(PLAN_V1)
    plan["drivers"]["cost_of_sales"]["ratio"] = 0.6
    return plan


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def drafting_case(world: World, plan: dict[str, Any]) -> Case:
    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    services.perform(case, "start_drafting", world.user("adviser_a"), on=STEP_DATES[State.DRAFTING])
    services.save_plan(case, world.user("adviser_a"), plan)
    case.refresh_from_db()
    return case


def set_draft(case: Case, plan: dict[str, Any]) -> None:
    """Put a draft in place whatever the state (the editor refuses outside 相談…計画策定)."""
    PlanDocument.objects.filter(case=case).update(data=plan)


def assert_untouched(case: Case, state: str, versions: int, events: int) -> None:
    case.refresh_from_db()
    assert case.state == state
    assert PlanVersion.objects.filter(case=case).count() == versions
    assert CaseEvent.objects.filter(case=case).count() == events


# --- submit_to_banks -----------------------------------------------------------------------------


def test_submitting_a_plan_that_is_not_a_plan_file_is_refused_with_its_problems(world: World) -> None:
    case = drafting_case(world, BROKEN)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.WorkflowError) as exc:
        services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    assert "計画に入力の誤り" in exc.value.message and "提出できません" in exc.value.message
    assert "program" in exc.value.message and "必須の項目です" in exc.value.message
    assert_untouched(case, State.DRAFTING, 0, events)
    assert not case.banks.filter(status="pending").exists()


def test_submitting_a_plan_failing_error_criteria_names_them(world: World) -> None:
    case = drafting_case(world, missing_contents())
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.WorkflowError) as exc:
        services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    assert "要件を満たしていない" in exc.value.message
    assert "ビジネスモデル俯瞰図" in exc.value.message and "資金実績・計画表" in exc.value.message
    assert_untouched(case, State.DRAFTING, 0, events)


@pytest.mark.parametrize("program", ["early", "405-gl"])
def test_a_plan_written_for_another_programme_is_refused(world: World, program: str) -> None:
    plan = copy.deepcopy(PLAN_V1)
    plan["program"] = program
    case = drafting_case(world, plan)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.WorkflowError) as exc:
        services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    assert "事業区分" in exc.value.message and "案件の事業区分（経営改善計画策定支援" in exc.value.message
    assert_untouched(case, State.DRAFTING, 0, events)


def test_failed_warning_criteria_do_not_block_the_submission(world: World) -> None:
    case = drafting_case(world, only_warnings())
    services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    case.refresh_from_db()
    assert case.state == State.BANK_MEETING
    assert PlanVersion.objects.filter(case=case).count() == 1


def test_the_refused_submission_page_is_409_and_keeps_what_was_typed(world: World) -> None:
    case = drafting_case(world, missing_contents())
    url = reverse("cases:transition", args=[case.pk, "submit_to_banks"])
    response = login("adviser_a").post(url, {"on": "2025-05-31", "comment": "第1回バンクミーティング"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "要件を満たしていない" in text and "ビジネスモデル俯瞰図" in text
    assert "2025-05-31" in text and "第1回バンクミーティング" in text
    assert_untouched(case, State.DRAFTING, 0, CaseEvent.objects.filter(case=case).count())


# --- apply ---------------------------------------------------------------------------------------


def test_applying_with_an_invalid_plan_is_refused_and_without_a_plan_allowed(world: World) -> None:
    case = new_case(world, "405")
    company = world.user("company_a")
    set_draft(case, BROKEN)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.WorkflowError, match="計画に入力の誤り"):
        services.perform(case, "apply", company, on=STEP_DATES[State.APPLIED])
    assert_untouched(case, State.CONSULTATION, 0, events)
    case.refresh_from_db()
    assert case.applied_on is None
    response = login("adviser_a").post(
        reverse("cases:transition", args=[case.pk, "apply"]), {"on": "2025-04-06", "comment": "共同申請"}
    )
    assert response.status_code == 409
    assert "2025-04-06" in response.content.decode() and "共同申請" in response.content.decode()
    set_draft(case, {})
    services.perform(case, "apply", company, on=STEP_DATES[State.APPLIED])  # no plan yet: nothing to judge
    case.refresh_from_db()
    assert case.state == State.APPLIED and not PlanVersion.objects.filter(case=case).exists()


def test_applying_with_a_valid_plan_freezes_it(world: World) -> None:
    case = new_case(world, "405")
    set_draft(case, only_warnings())
    services.perform(case, "apply", world.user("adviser_a"), on=STEP_DATES[State.APPLIED])
    case.refresh_from_db()
    assert case.state == State.APPLIED and PlanVersion.objects.filter(case=case).count() == 1


# --- claim_plan_payment --------------------------------------------------------------------------


def claim_data(case: Case) -> dict[str, Any]:
    on = STEP_DATES[State.PAYMENT_CLAIM]
    share = plan_claim(case, PLAN_FEES["405"]).company_share
    return {
        "fees": PLAN_FEES["405"],
        "transfer_on": on - dt.timedelta(days=1),
        "transfer_amount": share,
        "monitoring_interval_months": 6,
    }


@pytest.mark.parametrize("plan", [BROKEN, missing_contents()], ids=["schema", "criteria"])
def test_the_plan_payment_claim_refuses_an_invalid_draft(world: World, plan: dict[str, Any]) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    set_draft(case, plan)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.WorkflowError, match="提出できません"):
        services.perform(
            case,
            "claim_plan_payment",
            world.user("adviser_a"),
            on=STEP_DATES[State.PAYMENT_CLAIM],
            data=claim_data(case),
        )
    assert_untouched(case, State.AGREED, 1, events)
    assert not case.claims.exists()


def test_the_refused_claim_page_keeps_every_input(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    set_draft(case, missing_contents())
    share = plan_claim(case, PLAN_FEES["405"]).company_share
    data = {
        "fee_plan": "2400000",
        "fee_guarantee_release": "0",
        "transfer_on": "2025-06-09",
        "transfer_amount": str(share),
        "monitoring_interval_months": "4",
        "on": "2025-06-10",
        "comment": "初回の請求です",
    }
    response = login("adviser_a").post(reverse("cases:transition", args=[case.pk, "claim_plan_payment"]), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "ビジネスモデル俯瞰図" in text
    for value in ("2400000", "2025-06-09", str(share), "2025-06-10", "初回の請求です"):
        assert value in text, value
    case.refresh_from_db()
    assert case.state == State.AGREED and not case.claims.exists()


def test_the_plan_payment_claim_of_a_valid_plan_goes_through(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.PAYMENT_CLAIM)
    assert case.claims.count() == 1 and PlanVersion.objects.filter(case=case).count() == 1
