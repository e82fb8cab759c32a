"""A bank's answer is tied to the plan version it read: the answer form carries the version's
number and SHA-256, and an answer to a version that is no longer the one submitted to the bank
is refused (the adviser revised and submitted again while the bank's form was open), with the
new version shown and the comment kept."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import BankResponse, BankStatus, Case
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanVersion

from .conftest import PASSWORD, PLAN_V2, STEP_DATES, World, advance, new_case
from .formparse import form_fields

ON = STEP_DATES[State.AGREED]


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def answer_url(case: Case) -> str:
    return reverse("cases:bank_response", args=[case.pk])


def answer_form(client: Client, case: Case) -> dict[str, str]:
    """What the bank's browser would post from the answer page (hidden fields included)."""
    page = client.get(answer_url(case))
    assert page.status_code == 200
    return {k: v for k, v in form_fields(page.content.decode(), "form").items() if k != "csrfmiddlewaretoken"}


def revise_and_resubmit(world: World, case: Case) -> PlanVersion:
    adviser = world.user("adviser_a")
    services.perform(case, "revise", adviser, on=ON, comment="意見を反映")
    services.save_plan(case, adviser, PLAN_V2)
    services.perform(case, "submit_to_banks", adviser, on=ON + dt.timedelta(days=1))
    return PlanVersion.objects.get(case=case, number=2)


def test_the_form_names_the_version_and_hash_it_answers(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    v1 = PlanVersion.objects.get(case=case, number=1)
    client = login("bank_main")
    page = client.get(answer_url(case)).content.decode()
    assert "回答する計画: 第1版" in page and v1.sha256 in page
    fields = answer_form(client, case)
    assert (fields.get("version"), fields.get("sha256")) == ("1", v1.sha256)


def test_a_consent_to_an_old_version_is_refused_and_the_new_one_shown(world: World) -> None:
    """Regression (issue 9 A): the bank opened the form on version 1, the adviser revised and
    submitted version 2, the bank posted its old form — the consent was recorded against
    version 2, which the bank never read."""
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    client = login("bank_main")
    old_form = answer_form(client, case)  # shows version 1
    v2 = revise_and_resubmit(world, case)
    posted = old_form | {
        "kind": "consent",
        "comment": "社内決裁済み。条件は別紙のとおり。",
        "on": str(ON + dt.timedelta(days=2)),
    }
    response = client.post(answer_url(case), posted)

    assert response.status_code == 409
    page = response.content.decode()
    assert "第1版）は最新ではありません" in page and "第2版を確認してから" in page
    assert not BankResponse.objects.filter(case_bank__case=case).exists()
    assert case.banks.get(bank__name="メイン銀行").status == BankStatus.PENDING
    # the new version is on the page (link and diff) and the form now answers it, comment kept
    assert reverse("plans:version", args=[case.pk, 2]) in page
    assert reverse("plans:diff", args=[case.pk, 1, 2]) in page
    assert v2.sha256 in page
    again = form_fields(page, "form")
    assert (again["version"], again["sha256"]) == ("2", v2.sha256)
    assert again["comment"] == "社内決裁済み。条件は別紙のとおり。"
    assert again["on"] == str(ON + dt.timedelta(days=2))
    assert "kind" not in again  # the answer is chosen again, for the version now read

    # answering again from the new form records the consent against version 2 and its hash
    again = {k: v for k, v in again.items() if k != "csrfmiddlewaretoken"}
    assert client.post(answer_url(case), again | {"kind": "consent"}).status_code == 302
    answer = BankResponse.objects.get(case_bank__case=case)
    assert (answer.version, answer.sha256, answer.kind) == (v2, v2.sha256, "consent")


def test_a_forged_or_missing_version_is_refused(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    client = login("bank_main")
    fields = answer_form(client, case) | {"kind": "consent", "on": str(ON)}
    wrong_hash = client.post(answer_url(case), fields | {"sha256": "a" * 64})
    assert wrong_hash.status_code == 409 and "内容は、提出されている第1版" in wrong_hash.content.decode()
    future = client.post(answer_url(case), fields | {"version": "7"})
    assert future.status_code == 409 and "最新ではありません" in future.content.decode()
    missing = client.post(answer_url(case), {k: v for k, v in fields.items() if k not in {"version", "sha256"}})
    assert missing.status_code == 200 and "どの版の計画への回答か分かりません" in missing.content.decode()
    assert not BankResponse.objects.filter(case_bank__case=case).exists()


def test_the_service_checks_the_version_too(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    v1 = PlanVersion.objects.get(case=case, number=1)
    revise_and_resubmit(world, case)
    bank = world.user("bank_main")
    try:
        services.bank_respond(case, bank, "consent", "", ON, version=1, sha256=v1.sha256)
    except services.StaleAnswer as exc:
        assert exc.current is not None and exc.current.number == 2
    else:
        raise AssertionError("an answer to version 1 was recorded while version 2 is asked")
    v2 = PlanVersion.objects.get(case=case, number=2)
    event = services.bank_respond(case, bank, "consent", "", ON + dt.timedelta(days=1), version=2, sha256=v2.sha256)
    assert event.after["plan_version"] == 2 and event.after["sha256"] == v2.sha256
