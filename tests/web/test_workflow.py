"""The case state machine through the services: the journey, the refusals, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from keiei_web import access
from keiei_web.cases import services
from keiei_web.cases.models import BankStatus, Case, CaseEvent, ClaimStatus
from keiei_web.cases.workflow import BY_NAME, TRANSITIONS, State, transitions_from
from keiei_web.plans.models import PlanVersion

from .conftest import D0, PLAN_V1, STEP_DATES, World, advance, bank_answer, give_report, new_case


def test_every_transition_has_roles_and_a_handler() -> None:
    for t in TRANSITIONS:
        assert t.name in access.TRANSITION_ROLES
        assert t.automatic or t.name in services.HANDLERS
        assert t.automatic == (access.TRANSITION_ROLES[t.name] == frozenset())


def test_withdraw_is_offered_in_every_active_state_and_nothing_leaves_a_terminal_state() -> None:
    for state in State:
        names = {t.name for t in transitions_from(state)}
        if state in (State.COMPLETED, State.WITHDRAWN, State.LAPSED):
            assert names == set()
        else:
            assert "withdraw" in names


def test_405_journey_from_consultation_to_completion(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.MONITORING)
    assert case.applied_on == STEP_DATES[State.APPLIED]
    assert case.accepted_on == STEP_DATES[State.ACCEPTED]
    assert case.agreed_on == STEP_DATES[State.AGREED]
    # every lending bank consented
    assert set(case.banks.values_list("status", flat=True)) == {BankStatus.CONSENTED}
    # 405: 2/3 of 2,400,000 = 1,600,000 (cap 2,000,000); half now, half with the first monitoring claim
    plan_claim = case.claims.get(kind="plan")
    assert (plan_claim.subsidy, plan_claim.company_share, plan_claim.status) == (800_000, 800_000, ClaimStatus.APPROVED)
    # monitoring every 6 months for 3 years, all mandatory
    sessions = list(case.sessions.all())
    assert [s.due_on for s in sessions][:2] == [dt.date(2025, 12, 20), dt.date(2026, 6, 20)]
    assert len(sessions) == 6 and all(s.mandatory for s in sessions)
    adviser, council = world.user("adviser_a"), world.user("council_osaka")
    with pytest.raises(services.WorkflowError, match="必須の伴走支援の報告が済んでいません"):
        services.perform(case, "complete", council, on=dt.date(2028, 7, 1))
    for s in sessions:
        give_report(s)
        services.report_monitoring(
            case, s, adviser, on=s.due_on, summary="報告", fee=200_000, transfer_on=s.due_on, transfer_amount=70_000
        )
    first = case.claims.filter(kind="monitoring").order_by("id").first()
    # the first monitoring claim carries the deferred half of the plan subsidy
    assert first is not None and first.subsidy == 133_333 + 800_000
    with pytest.raises(services.WorkflowError, match="承認していない支払申請"):
        services.perform(case, "complete", council, on=dt.date(2028, 7, 1))
    for claim in case.claims.filter(status=ClaimStatus.SUBMITTED):
        services.approve_claim(case, claim, council, on=dt.date(2028, 6, 30))
    services.perform(case, "complete", council, on=dt.date(2028, 7, 1))
    case.refresh_from_db()
    assert case.state == State.COMPLETED and case.closed_on == dt.date(2028, 7, 1)
    # plan 2/3 of 2,400,000 = 1,600,000; monitoring 2/3 of 6 x 200,000 = 800,000
    total = sum(c.subsidy for c in case.claims.all())
    assert total == 1_600_000 + 800_000


def test_early_needs_only_the_main_banks_receipt_and_has_one_mandatory_year_end_session(world: World) -> None:
    case = advance(world, new_case(world, "early"), State.BANK_MEETING)
    statuses = {cb.bank.name: cb.status for cb in case.banks.select_related("bank")}
    assert statuses == {"メイン銀行": BankStatus.PENDING, "セカンド信用金庫": BankStatus.NOT_REQUIRED}
    with pytest.raises(services.WorkflowError, match="回答をお願いしている計画はありません"):
        bank_answer(case, world.user("bank_second"), "receipt", "", STEP_DATES[State.AGREED])
    with pytest.raises(services.WorkflowError, match="選べない回答"):
        bank_answer(case, world.user("bank_main"), "consent", "", STEP_DATES[State.AGREED])
    case = advance(world, case, State.MONITORING)
    plan_claim = case.claims.get(kind="plan")
    # early: 2/3 of 240,000 = 160,000 -> cap 150,000; half paid now
    assert (plan_claim.subsidy, plan_claim.company_share) == (75_000, 90_000)
    sessions = list(case.sessions.all())
    kinds = [(s.kind, s.mandatory) for s in sessions]
    assert kinds[-1] == ("monitoring_end", True)
    assert all(k == ("monitoring_mid", False) for k in kinds[:-1])
    # started 2025-06-20; fiscal year ends in March -> year end 2026-03-31, report due 2026-05-31
    assert sessions[-1].due_on == dt.date(2026, 5, 31)
    # the optional mid sessions may be skipped: completing needs only the year-end report
    end = sessions[-1]
    services.report_monitoring(case, end, world.user("adviser_a"), on=end.due_on, summary="期末の報告")
    services.perform(case, "complete", world.user("council_osaka"), on=dt.date(2026, 6, 1))
    case.refresh_from_db()
    assert case.state == State.COMPLETED


def test_a_decline_keeps_the_case_in_the_bank_meeting_and_a_revision_makes_a_new_version(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    on = STEP_DATES[State.AGREED]
    bank_answer(case, world.user("bank_main"), "consent", "", on)
    with pytest.raises(services.WorkflowError, match="理由・意見"):
        bank_answer(case, world.user("bank_second"), "decline", "  ", on)
    bank_answer(case, world.user("bank_second"), "decline", "売上計画の根拠が弱い", on)
    case.refresh_from_db()
    assert case.state == State.BANK_MEETING
    assert case.banks.get(bank__name="セカンド信用金庫").comment == "売上計画の根拠が弱い"
    adviser = world.user("adviser_a")
    services.perform(case, "revise", adviser, on=on, comment="意見を反映")
    services.save_plan(case, adviser, PLAN_V1 | {"notes": "修正"})
    services.perform(case, "submit_to_banks", adviser, on=on + dt.timedelta(days=5))
    case.refresh_from_db()
    assert list(PlanVersion.objects.filter(case=case).values_list("number", flat=True)) == [1, 2]
    assert set(case.banks.values_list("status", flat=True)) == {BankStatus.PENDING}


def test_resubmitting_an_unchanged_plan_reuses_the_version(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    adviser = world.user("adviser_a")
    services.perform(case, "revise", adviser, on=STEP_DATES[State.AGREED], comment="日程の再調整")
    services.perform(case, "submit_to_banks", adviser, on=STEP_DATES[State.AGREED])
    versions = PlanVersion.objects.filter(case=case)
    assert versions.count() == 1
    assert versions.get().submissions.count() == 2


def test_invalid_transitions_are_refused_in_japanese(world: World) -> None:
    case = new_case(world, "405")
    council = world.user("council_osaka")
    with pytest.raises(services.WorkflowError) as exc:
        services.perform(case, "accept", council, on=D0)
    assert exc.value.message == "この案件は「相談」のため、「受理する」はできません。"
    services.perform(case, "apply", world.user("company_a"), on=D0)  # the company may file too
    with pytest.raises(services.WorkflowError, match="日付は利用申請日"):
        services.perform(case, "accept", council, on=D0 - dt.timedelta(days=1))
    with pytest.raises(services.WorkflowError, match="理由・コメント"):
        services.perform(case, "return_application", council, on=D0)
    case.refresh_from_db()
    assert case.state == State.APPLIED


def test_roles_are_refused_with_permission_denied(world: World) -> None:
    case = new_case(world, "405")
    with pytest.raises(PermissionDenied):
        services.perform(case, "apply", world.user("bank_main"), on=D0)
    services.perform(case, "apply", world.user("adviser_a"), on=D0)
    for name in ("adviser_a", "company_a", "bank_main", "council_tokyo"):
        with pytest.raises(PermissionDenied):
            services.perform(case, "accept", world.user(name), on=D0)
    with pytest.raises(PermissionDenied):
        bank_answer(case, world.user("bank_other"), "consent", "", D0)


def test_submitting_an_empty_plan_is_refused(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    services.perform(case, "start_drafting", world.user("adviser_a"), on=STEP_DATES[State.DRAFTING])
    with pytest.raises(services.WorkflowError, match="計画が空です"):
        services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])


def test_the_plan_cannot_be_edited_once_submitted(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    with pytest.raises(services.WorkflowError, match="計画は編集できません"):
        services.save_plan(case, world.user("adviser_a"), {"x": 1})


def test_the_plan_claim_needs_the_companys_share_transferred_first(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    on = STEP_DATES[State.PAYMENT_CLAIM]
    base = {"fees": {"plan": 2_400_000}, "transfer_on": on, "monitoring_interval_months": 6}
    with pytest.raises(services.WorkflowError, match="足りません"):
        services.perform(
            case, "claim_plan_payment", world.user("adviser_a"), on=on, data=base | {"transfer_amount": 799_999}
        )
    with pytest.raises(services.WorkflowError, match="振込日は申請日以前"):
        services.perform(
            case,
            "claim_plan_payment",
            world.user("adviser_a"),
            on=on,
            data=base | {"transfer_amount": 800_000, "transfer_on": on + dt.timedelta(days=1)},
        )
    with pytest.raises(services.WorkflowError, match="1～12か月"):
        services.perform(
            case,
            "claim_plan_payment",
            world.user("adviser_a"),
            on=on,
            data=base | {"transfer_amount": 800_000, "monitoring_interval_months": 13},
        )
    case.refresh_from_db()
    assert case.state == State.AGREED and not case.claims.exists()


def test_a_returned_claim_can_be_claimed_again(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.PAYMENT_CLAIM)
    services.perform(
        case, "return_claim", world.user("council_osaka"), on=STEP_DATES[State.MONITORING], comment="請求明細が不足"
    )
    case.refresh_from_db()
    assert case.state == State.AGREED
    assert case.claims.get().status == ClaimStatus.RETURNED


def test_lapse_only_after_the_deadline(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    council = world.user("council_osaka")
    lapse_day = dt.date(2027, 4, 11)  # accepted 2025-04-11 + 24 months
    with pytest.raises(services.WorkflowError, match="失効にできません"):
        services.perform(case, "lapse", council, on=lapse_day, comment="期限")
    services.perform(case, "lapse", council, on=lapse_day + dt.timedelta(days=1), comment="期限")
    case.refresh_from_db()
    assert case.state == State.LAPSED


def test_before_the_programme_started_the_core_refuses_in_japanese(world: World) -> None:
    with pytest.raises(services.WorkflowError, match="開始"):
        services.create_case(
            world.user("adviser_a"),
            company=world.companies["a"],
            program="405-gl",
            consulted_on=dt.date(2022, 4, 1),  # the GL frame began on 2022-04-15
            main_bank=world.banks["main"],
        )


def test_the_audit_trail_records_who_when_what_before_and_after(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert [e.action for e in events] == ["created", "apply", "accept"]
    accept = events[-1]
    assert accept.actor == world.user("council_osaka") and accept.actor_role == "council"
    assert (accept.from_state, accept.to_state) == ("applied", "accepted")
    assert accept.before["accepted_on"] is None and accept.after["accepted_on"] == "2025-04-11"
    assert "documents" in events[1].after and events[1].after["documents"]
    assert accept.at.date() == dt.date(2025, 10, 1)  # KEIEI_TODAY, not the real clock


def test_the_automatic_agreement_is_recorded_as_the_last_banks_doing(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    agree = CaseEvent.objects.filter(case=case, action="agree").get()
    assert agree.actor == world.user("bank_second")
    assert (agree.from_state, agree.to_state) == ("bank_meeting", "agreed")
    assert BY_NAME["agree"].automatic


def test_the_state_is_checked_under_a_fresh_read(world: World) -> None:
    """A stale object (another tab) cannot perform a transition the database state no longer allows."""
    case = new_case(world, "405")
    stale = Case.objects.get(pk=case.pk)
    services.perform(case, "apply", world.user("adviser_a"), on=D0)
    with pytest.raises(services.WorkflowError):
        services.perform(stale, "apply", world.user("adviser_a"), on=D0)


def test_a_monitoring_claim_beyond_the_cap_is_paid_by_the_company(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.MONITORING)
    adviser = world.user("adviser_a")
    first, second = case.sessions.order_by("seq")[:2]
    give_report(first)
    give_report(second)
    # 405 monitoring cap 1,000,000 = 2/3 of 1,500,000
    services.report_monitoring(
        case,
        first,
        adviser,
        on=first.due_on,
        summary="1",
        fee=1_200_000,
        transfer_on=first.due_on,
        transfer_amount=400_000,
    )
    with pytest.raises(services.WorkflowError, match="400,000円 に足りません"):
        services.report_monitoring(
            case,
            second,
            adviser,
            on=second.due_on,
            summary="2",
            fee=600_000,
            transfer_on=second.due_on,
            transfer_amount=200_000,
        )
    services.report_monitoring(
        case,
        second,
        adviser,
        on=second.due_on,
        summary="2",
        fee=600_000,
        transfer_on=second.due_on,
        transfer_amount=400_000,
    )
    claim = case.claims.filter(kind="monitoring").order_by("-id").first()
    assert claim is not None and (claim.subsidy, claim.company_share) == (200_000, 400_000)
