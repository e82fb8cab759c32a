"""Notifications: who is told of what (access.notice_recipients), in the app and by e-mail, from
the services (never the views); `keiei remind` sends each deadline reminder once; e-mails carry
no plan figure, only a link; each user may turn e-mail off."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from keiei.cli import main
from keiei_web.cases.deadlines import lapse_deadline
from keiei_web.cases.workflow import State
from keiei_web.notices.models import Notice, NoticePreference, Reminder
from keiei_web.plans import panel
from keiei_web.plans.versioning import flatten

from .conftest import PLAN_V1, STEP_DATES, World, advance, bank_answer, new_case
from .test_views import login

pytestmark = pytest.mark.django_db

OUTSIDERS = ("bank_other", "adviser_b", "company_b", "council_tokyo")


@pytest.fixture
def mailed(world: World) -> World:
    """Every user has an e-mail address (name@example.jp)."""
    for user in world.users.values():
        user.email = f"{user.username}@example.jp"
        user.save(update_fields=["email"])
    return world


def kinds_by_user(world: World) -> dict[str, list[str]]:
    return {
        name: list(Notice.objects.filter(recipient=u).order_by("id").values_list("kind", flat=True))
        for name, u in world.users.items()
    }


def test_a_submission_tells_the_council_the_company_and_the_banks_asked(
    mailed: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    case = advance(mailed, new_case(mailed, "405"), State.DRAFTING)
    Notice.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advance(mailed, case, State.BANK_MEETING)
    told = {n.recipient.username: n for n in Notice.objects.filter(kind="plan_submitted")}
    assert set(told) == {"council_osaka", "company_a", "bank_main", "bank_second"}  # not the adviser who did it
    assert "貴行の回答をお願いします" in told["bank_main"].title
    assert "貴庫の回答をお願いします" in told["bank_second"].title  # a 信用金庫
    assert told["bank_main"].url == reverse("plans:read", kwargs={"case_id": case.pk, "number": 1})
    assert told["company_a"].url == reverse("cases:detail", kwargs={"case_id": case.pk})
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"{u}@example.jp" for u in told)
    mail = next(m for m in mailoutbox if m.to == ["bank_main@example.jp"])
    assert mail.subject == f"[keiei] {case.reference} 計画（第1版）が提出されました"
    assert "http://127.0.0.1:8000" + told["bank_main"].url in mail.body
    assert "計画の数値を載せていません" in mail.body


def test_an_answer_tells_the_adviser_and_the_company_and_the_agreement_every_party(
    mailed: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    case = advance(mailed, new_case(mailed, "405"), State.BANK_MEETING)
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        bank_answer(case, mailed.user("bank_main"), "consent", "", STEP_DATES[State.AGREED])
    answered = Notice.objects.filter(kind="bank_answered")
    assert {n.recipient.username for n in answered} == {"adviser_a", "company_a"}
    assert all("メイン銀行が回答しました（同意）" in n.title for n in answered)
    with django_capture_on_commit_callbacks(execute=True):
        bank_answer(case, mailed.user("bank_second"), "consent", "", STEP_DATES[State.AGREED])
    changed = {n.recipient.username for n in Notice.objects.filter(kind="state_changed")}
    # the agreement (recorded as the last bank's act) tells every party but that bank
    assert changed == {"adviser_a", "company_a", "council_osaka", "bank_main"}
    assert "全行同意" in Notice.objects.filter(kind="state_changed").first().title  # type: ignore[union-attr]


def test_a_bank_not_on_the_case_and_other_parties_get_nothing(
    mailed: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(mailed, new_case(mailed, "405"), State.MONITORING, revise_once=True)
        call_command("send_reminders", "--on", (lapse_deadline(case).due - dt.timedelta(days=3)).isoformat())  # type: ignore[union-attr]
    kinds = kinds_by_user(mailed)
    for name in OUTSIDERS:
        assert kinds[name] == [], name
        assert not [m for m in mailoutbox if m.to == [f"{name}@example.jp"]], name
    assert kinds["bank_main"] and kinds["company_a"] and kinds["council_osaka"]


def test_early_asks_only_the_main_bank(mailed: World, django_capture_on_commit_callbacks: Any) -> None:
    case = advance(mailed, new_case(mailed, "early"), State.BANK_MEETING)
    told = {n.recipient.username for n in Notice.objects.filter(case=case, kind="plan_submitted")}
    assert "bank_main" in told and "bank_second" not in told


def _figures() -> set[int]:
    """Every whole number of the plan and of its projection of five digits or more."""
    check = panel.evaluate(PLAN_V1).check
    assert check is not None
    found = set()
    for data in (PLAN_V1, check):
        for value in flatten(data).values():
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
                found.add(abs(value))
    return found


def test_no_e_mail_carries_a_figure_of_the_plan(
    mailed: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(mailed, new_case(mailed, "405"), State.MONITORING, revise_once=True)
        call_command("send_reminders", "--on", (case.sessions.get(seq=1).due_on + dt.timedelta(days=1)).isoformat())
    assert len(mailoutbox) > 15
    figures = _figures()
    assert len(figures) > 500
    for mail in mailoutbox:
        text = mail.subject + "\n" + mail.body
        numbers = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)}
        thousands = {int(n.replace(",", "")) * 1000 for n in re.findall(r"\d{1,3}(?:,\d{3})+", text)}
        assert not (numbers & figures), (mail.subject, numbers & figures)
        assert not {t for t in thousands if any(abs(f - t) < 500 for f in figures)}, mail.subject
        assert "円" not in text and "千円" not in text


def test_a_user_may_turn_e_mail_off_and_still_reads_the_notices(
    mailed: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    client = login("company_a")
    page = client.get(reverse("notices:settings"))
    assert page.status_code == 200 and "company_a@example.jp" in page.content.decode()
    assert client.post(reverse("notices:settings"), {}).status_code == 302  # checkbox unticked: off
    assert NoticePreference.objects.get(user=mailed.user("company_a")).email is False
    with django_capture_on_commit_callbacks(execute=True):
        advance(mailed, new_case(mailed, "405"), State.ACCEPTED)
    assert Notice.objects.filter(recipient=mailed.user("company_a"), kind="state_changed").exists()
    assert not [m for m in mailoutbox if m.to == ["company_a@example.jp"]]
    assert [m for m in mailoutbox if m.to == ["adviser_a@example.jp"]]
    client.post(reverse("notices:settings"), {"email": "on"})
    assert NoticePreference.objects.get(user=mailed.user("company_a")).email is True


def test_the_bell_the_list_and_opening_a_notice(mailed: World) -> None:
    case = advance(mailed, new_case(mailed, "405"), State.ACCEPTED)
    mine = Notice.objects.filter(recipient=mailed.user("company_a"))
    assert mine.count() == 2  # 利用申請 (filed by the adviser), 受理
    client = login("company_a")
    home = client.get(reverse("cases:list")).content.decode()
    assert "未読 2件" in home and reverse("notices:list") in home
    listing = client.get(reverse("notices:list")).content.decode()
    assert case.reference in listing and "受理" in listing
    first = mine.first()
    assert first is not None
    answer = client.get(reverse("notices:open", kwargs={"notice_id": first.pk}))
    assert answer.status_code == 302 and answer["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    assert "未読 1件" in client.get(reverse("cases:list")).content.decode()
    # another user's notice does not exist for this one
    other = Notice.objects.filter(recipient=mailed.user("adviser_a")).first()
    assert (
        other is None
        or login("company_b").get(reverse("notices:open", kwargs={"notice_id": first.pk})).status_code == 404
    )
    assert login("adviser_b").get(reverse("notices:open", kwargs={"notice_id": first.pk})).status_code == 404
    client.post(reverse("notices:read_all"))
    assert not mine.filter(read_at__isnull=True).exists()


def test_remind_sends_each_reminder_once_per_stage(
    mailed: World, mailoutbox: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    case = advance(mailed, new_case(mailed, "405"), State.DRAFTING)
    due = lapse_deadline(case)
    assert due is not None
    soon = (due.due - dt.timedelta(days=10)).isoformat()
    Notice.objects.all().delete()
    mailoutbox.clear()
    assert main(["remind", "--on", soon, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["reminders"] == 1 and first["notices"] == 3 and first["mails"] == 3
    told = Notice.objects.filter(kind="deadline_soon")
    assert {n.recipient.username for n in told} == {"company_a", "adviser_a", "council_osaka"}
    assert "あと10日" in told[0].title
    # a second run (the next cron tick) sends nothing
    assert main(["remind", "--on", soon]) == 0
    assert "新しく 0件" in capsys.readouterr().out
    assert Notice.objects.count() == 3 and len(mailoutbox) == 3
    # past the due date: the next stage, once
    late = (due.due + dt.timedelta(days=2)).isoformat()
    call_command("send_reminders", "--on", late)
    call_command("send_reminders", "--on", late)
    assert Notice.objects.filter(kind="deadline_passed").count() == 3
    assert Reminder.objects.filter(case=case).count() == 2
    assert "期限を過ぎています" in mailoutbox[-1].subject
    assert main(["remind", "--on", "そのうち"]) == 2


def test_the_services_notify_not_the_views(mailed: World) -> None:
    """A transition through the service alone tells the parties (no request involved)."""
    case = new_case(mailed, "405")
    from keiei_web.cases import services

    services.perform(case, "apply", mailed.user("adviser_a"), on=STEP_DATES[State.APPLIED])
    assert {n.recipient.username for n in Notice.objects.filter(case=case)} == {"company_a", "council_osaka"}
