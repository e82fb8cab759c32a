"""Who may do what in the plan editor (keiei_web.access): the adviser edits every step; the
company may edit its profile (the company step) and read the rest; the council reads; banks
see neither the draft nor its panel, only the versions submitted to them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keiei_web import access
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import Case
from keiei_web.plans import drafts
from keiei_web.plans.planfile import read_upload

from .conftest import PASSWORD, World, new_case
from .formparse import form_fields
from .test_no_case_leaks import case_patterns

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STEPS = ("company", "business", "actuals", "drivers", "banks", "support", "actions", "cash")


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def case(world: World) -> Case:
    c = new_case(world, "405")
    drafts.import_draft(
        c, world.user("adviser_a"), read_upload("p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes()), "p.yaml"
    )
    return c


def step_url(case: Case, step: str) -> str:
    return reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": step})


def test_the_leak_test_enumerates_the_new_plan_urls() -> None:
    names = {name for name, _args in case_patterns()}
    assert {"plans:editor", "plans:editor_step", "plans:panel", "plans:import", "plans:export"} <= names


def test_the_rules_live_in_access() -> None:
    assert access.ACTION_ROLES[access.EDIT_PLAN] == {Role.ADVISER}
    assert access.ACTION_ROLES[access.EDIT_PLAN_PROFILE] == {Role.ADVISER, Role.COMPANY}
    assert access.ACTION_ROLES[access.VIEW_WORKING_PLAN] == {Role.ADVISER, Role.COMPANY, Role.COUNCIL}
    assert access.plan_step_action("company") == access.EDIT_PLAN_PROFILE
    assert all(access.plan_step_action(s) == access.EDIT_PLAN for s in STEPS[1:])


@pytest.mark.parametrize("user", ["bank_main", "bank_second"])
def test_banks_see_no_draft(world: World, case: Case, user: str) -> None:
    client = login(user)
    for step in STEPS:
        assert client.get(step_url(case, step)).status_code == 403
        assert client.post(step_url(case, step), {"company.name": "x"}).status_code == 403
    assert client.get(reverse("plans:editor", args=[case.pk])).status_code == 403
    assert client.get(reverse("plans:panel", args=[case.pk])).status_code == 403
    assert client.get(reverse("plans:import", args=[case.pk])).status_code == 403
    assert client.get(reverse("plans:export", args=[case.pk]) + "?format=yaml").status_code == 403
    listing = client.get(reverse("plans:export", args=[case.pk]))
    assert listing.status_code == 200 and "作成中の計画" not in listing.content.decode()


def test_the_company_edits_its_profile_only(world: World, case: Case) -> None:
    client = login("company_a")
    page = client.get(step_url(case, "company")).content.decode()
    assert "data-autosave" in page and not re.search(r'name="company.name"[^>]* disabled', page)
    fields = form_fields(page)
    fields["company.representative"] = "代表取締役 エー太郎"
    assert client.post(step_url(case, "company"), fields).status_code == 302
    case.plan.refresh_from_db()
    assert case.plan.data["company"]["representative"] == "代表取締役 エー太郎"
    for step in STEPS[1:]:
        shown = client.get(step_url(case, step))
        assert shown.status_code == 200 and "認定支援機関が入力します" in shown.content.decode()
        assert "data-autosave" not in shown.content.decode()
        assert client.post(step_url(case, step), {}).status_code == 403, step
    assert client.get(reverse("plans:import", args=[case.pk])).status_code == 403
    upload = {"file": SimpleUploadedFile("p.yaml", b"program: '405'\n")}
    assert client.post(reverse("plans:import", args=[case.pk]), upload).status_code == 403
    assert client.get(reverse("plans:export", args=[case.pk]) + "?format=json").status_code == 200


def test_the_council_reads_every_step_and_saves_none(world: World, case: Case) -> None:
    client = login("council_osaka")
    for step in STEPS:
        page = client.get(step_url(case, step))
        assert page.status_code == 200
        body = page.content.decode()
        assert "表示のみです" in body and "data-autosave" not in body and "保存する</button>" not in body
        assert client.post(step_url(case, step), {}).status_code == 403
    assert "経常黒字化" in client.get(reverse("plans:panel", args=[case.pk])).content.decode()
    assert client.get(reverse("plans:import", args=[case.pk])).status_code == 403


def test_a_refused_post_changes_nothing(world: World, case: Case) -> None:
    case.plan.refresh_from_db()
    before = dict(case.plan.data)
    assert before
    for user, step in (("council_osaka", "company"), ("company_a", "drivers"), ("bank_main", "company")):
        login(user).post(step_url(case, step), {"company.name": "乗っ取り", "drivers.years": "1"})
    case.plan.refresh_from_db()
    assert case.plan.data == before


@pytest.mark.parametrize("user", ["adviser_b", "company_b", "council_tokyo", "bank_other"])
def test_outsiders_get_404_with_autosave_too(world: World, case: Case, user: str) -> None:
    client = login(user)
    response: Any = client.post(step_url(case, "company"), {"company.name": "x"}, headers={"X-Keiei-Autosave": "1"})
    assert response.status_code == 404
