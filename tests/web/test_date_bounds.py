"""Dates typed into the case pages stay in their window, and no page fails on a stored date.

Regression (issue 9): `on=9999-12-31` posted on a transition was stored, and from then on every
list page answered 500 for everyone (the deadline 24 months later does not exist, japanera has
no era for it); a bank could consent dated 2099.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import BankStatus, Case, MonitoringSession, PaymentClaim
from keiei_web.cases.workflow import State

from .conftest import PASSWORD, TODAY, World, advance, new_case

EXTREME = dt.date(9999, 12, 31)
ANCIENT = dt.date(1, 1, 1)


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def _state(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (case.state, case.applied_on, case.accepted_on, case.agreed_on, case.closed_on, case.events.count())


@pytest.mark.parametrize("day", ["9999-12-31", "2099-01-01", "1999-12-31", "0001-01-01"])
def test_a_transition_dated_outside_the_window_is_refused_and_changes_nothing(world: World, day: str) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    before = _state(case)
    client = login("council_osaka")
    response = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"on": day, "comment": ""})
    text = response.content.decode()
    assert response.status_code == 200  # the form again, with the reason next to the field
    assert "「受理日」は" in text and f"指定値: {day}" in text and TODAY.isoformat() in text
    assert f'value="{day}"' in text  # what was typed is shown again
    assert _state(case) == before
    # and every list page still works
    for name in ("council_osaka", "adviser_a", "company_a", "bank_main"):
        assert login(name).get(reverse("cases:list")).status_code == 200


def test_today_is_accepted_and_tomorrow_is_not(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    url = reverse("cases:transition", args=[case.pk, "accept"])
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert login("council_osaka").post(url, {"on": tomorrow}).status_code == 200
    assert _state(case)[0] == State.APPLIED
    assert login("council_osaka").post(url, {"on": TODAY.isoformat()}).status_code == 302
    assert _state(case)[0] == State.ACCEPTED


def test_a_bank_cannot_consent_dated_2099(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    url = reverse("cases:bank_response", args=[case.pk])
    response = login("bank_main").post(url, {"kind": "consent", "comment": "", "on": "2099-01-01"})
    assert response.status_code == 200
    assert "「回答日」は" in response.content.decode()
    main = case.banks.get(bank=world.banks["main"])
    assert main.status == BankStatus.PENDING and main.responded_on is None
    assert not main.responses.exists()


def test_a_plan_claim_with_a_transfer_dated_9999_is_refused(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    data = {
        "fee_plan": "2400000",
        "transfer_on": "9999-12-31",
        "transfer_amount": "800000",
        "monitoring_interval_months": "6",
        "on": "2025-06-10",
    }
    response = login("adviser_a").post(reverse("cases:transition", args=[case.pk, "claim_plan_payment"]), data)
    assert response.status_code == 200 and "「事業者負担分（1/3）の振込日」は" in response.content.decode()
    assert not case.claims.exists() and _state(case)[0] == State.AGREED


def test_a_new_case_consulted_in_2099_is_refused(world: World) -> None:
    data = {
        "existing_company": world.companies["a"].pk,
        "program": "405",
        "consulted_on": "2099-04-01",
        "main_bank": world.banks["main"].pk,
    }
    response = login("adviser_a").post(reverse("cases:create"), data)
    assert response.status_code == 200 and "「相談日」は" in response.content.decode()
    assert not Case.objects.exists()


def test_the_services_refuse_a_date_no_page_could_compute_with(world: World) -> None:
    """The forms hold events to the past; the services refuse what no stored date may be."""
    case = advance(world, new_case(world, "405"), State.APPLIED)
    with pytest.raises(services.WorkflowError, match="2100-12-31"):
        services.perform(case, "accept", world.user("council_osaka"), on=EXTREME)
    with pytest.raises(services.WorkflowError, match="2000-01-01"):
        services.perform(case, "accept", world.user("council_osaka"), on=ANCIENT)
    assert _state(case)[0] == State.APPLIED


def _store_extreme_dates(case: Case) -> None:
    """What an old row could hold: dates written straight to the database."""
    Case.objects.filter(pk=case.pk).update(
        consulted_on=ANCIENT, applied_on=EXTREME, accepted_on=EXTREME, bank_meeting_on=EXTREME, agreed_on=EXTREME
    )
    MonitoringSession.objects.filter(case=case).update(due_on=EXTREME)
    PaymentClaim.objects.filter(case=case).update(claimed_on=ANCIENT, transfer_on=EXTREME, approved_on=EXTREME)


def test_every_page_renders_with_extreme_stored_dates(world: World, rich_case: Case) -> None:
    case = rich_case
    _store_extreme_dates(case)
    early = advance(world, new_case(world, "early"), State.ACCEPTED)
    Case.objects.filter(pk=early.pk).update(applied_on=EXTREME, accepted_on=ANCIENT)
    pages = {
        "council_osaka": [
            reverse("cases:list"),
            reverse("cases:detail", args=[case.pk]),
            reverse("cases:detail", args=[early.pk]),
            reverse("cases:history", args=[case.pk]),
            reverse("council:dashboard"),
            reverse("council:export_csv"),
            reverse("plans:overview", args=[case.pk]),
        ],
        "adviser_a": [
            reverse("ui:dashboard"),
            reverse("cases:list"),
            reverse("cases:detail", args=[case.pk]),
            reverse("cases:documents", args=[case.pk]),
            reverse("cases:monitoring_report", args=[case.pk, 2]),
            reverse("plans:editor_step", args=[case.pk, "company"]),
            reverse("plans:version", args=[case.pk, 2]),
        ],
        "company_a": [reverse("ui:dashboard"), reverse("cases:detail", args=[case.pk])],
        "bank_main": [reverse("banks:dashboard"), reverse("cases:detail", args=[case.pk])],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user, url)
    detail = login("council_osaka").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "9999-12-31" in detail


def test_documents_of_a_version_build_with_extreme_stored_dates(world: World, rich_case: Case) -> None:
    _store_extreme_dates(rich_case)
    client = login("adviser_a")
    response = client.get(reverse("plans:download", args=[rich_case.pk, 2, "forms"]))
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    "typed", ["2025-10-01", "2025/10/1", "2025年10月1日", "令和7年10月1日", "R7.10.1", "令和７年１０月１日"]
)
def test_a_date_typed_in_any_of_the_usual_ways_is_understood(world: World, typed: str) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    url = reverse("cases:transition", args=[case.pk, "accept"])
    assert login("council_osaka").post(url, {"on": typed}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.accepted_on == TODAY


def test_a_date_that_cannot_be_read_is_named_and_kept(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    url = reverse("cases:transition", args=[case.pk, "accept"])
    response = login("council_osaka").post(url, {"on": "令和元年4月1日"})
    text = response.content.decode()
    assert response.status_code == 200 and "「受理日」は 2026-04-01、2026/4/1、令和8年4月1日 のように" in text
    assert 'value="令和元年4月1日"' in text
    assert _state(case)[0] == State.APPLIED
