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


# --------------------------------------------------------------------------- fields inside a step

PLAN_WIDE = {
    "display_unit": "円",
    "settings.rounding": "truncate",
    "notes": "事業者が書き換えた全体メモ",
    "company.fiscal_year_end_month": "9",
}


def test_the_field_rules_live_in_access() -> None:
    assert access.plan_field_action(("company", "representative")) == access.EDIT_PLAN_PROFILE
    assert access.plan_field_action(("company", "fiscal_year_end_month")) == access.EDIT_PLAN
    assert access.plan_field_action(("causes_of_distress",)) == access.EDIT_PLAN_PROFILE
    assert access.plan_field_action(("basic_policy",)) == access.EDIT_PLAN_PROFILE
    for key in ("display_unit", "settings", "notes", "program", "version", "drivers", "banks"):
        assert access.plan_field_action((key,)) == access.EDIT_PLAN, key
    assert access.plan_key_path("banks[1].loans[0].rate") == ("banks", "loans", "rate")
    # a step the company may save has fields it may change
    for step, action in access.PLAN_STEP_ACTIONS.items():
        assert any(a == action for a in access.PLAN_FIELD_ACTIONS.values()), step


def test_a_company_post_does_not_change_the_plan_wide_settings(world: World, case: Case) -> None:
    """Regression (issue 9 C): the company could change the display unit, the rounding, the
    plan's notes and the fiscal year end through the 会社概要 step."""
    case.plan.refresh_from_db()
    before = case.plan.data
    assert (before["display_unit"], before["settings"]["rounding"]) == ("千円", "half_up")
    client = login("company_a")
    page = client.get(step_url(case, "company")).content.decode()
    # a hand-made post (disabled inputs are not posted by a browser) with every value changed
    fields = form_fields(page) | PLAN_WIDE | {"company.representative": "代表取締役 エー太郎"}
    fields["causes_of_distress"] = "主要取引先の撤退"
    assert client.post(step_url(case, "company"), fields).status_code == 302
    case.plan.refresh_from_db()
    after = case.plan.data
    assert after["display_unit"] == before["display_unit"]
    assert after["settings"] == before["settings"]
    assert after.get("notes") == before.get("notes")
    assert after["company"]["fiscal_year_end_month"] == before["company"]["fiscal_year_end_month"]
    # what the company may change, it changed
    assert after["company"]["representative"] == "代表取締役 エー太郎"
    assert after["causes_of_distress"] == ["主要取引先の撤退"]
    # the page shows those inputs read-only
    page = client.get(step_url(case, "company")).content.decode()
    for name in PLAN_WIDE:
        assert re.search(rf'name="{re.escape(name)}"[^>]* disabled', page), name
    assert not re.search(r'name="company.representative"[^>]* disabled', page)
    assert "認定支援機関が設定します" in page
    # the autosave path keeps them too; a browser's post (disabled inputs absent) removes nothing
    browser = form_fields(client.get(step_url(case, "company")).content.decode())
    assert not set(PLAN_WIDE) & set(browser)
    autosave = client.post(step_url(case, "company"), browser | PLAN_WIDE, headers={"X-Keiei-Autosave": "1"})
    assert autosave.status_code == 200 and autosave.json()["ok"]
    assert client.post(step_url(case, "company"), browser).status_code == 302
    case.plan.refresh_from_db()
    assert case.plan.data["display_unit"] == "千円" and case.plan.data["settings"] == before["settings"]
    assert case.plan.data.get("notes") == before.get("notes")


def test_the_adviser_changes_the_plan_wide_settings(world: World, case: Case) -> None:
    client = login("adviser_a")
    page = client.get(step_url(case, "company")).content.decode()
    for name in PLAN_WIDE:
        assert not re.search(rf'name="{re.escape(name)}"[^>]* disabled', page), name
    assert "認定支援機関が設定します" not in page
    assert client.post(step_url(case, "company"), form_fields(page) | PLAN_WIDE).status_code == 302
    case.plan.refresh_from_db()
    data = case.plan.data
    assert (data["display_unit"], data["settings"]["rounding"], data["notes"]) == ("円", "truncate", PLAN_WIDE["notes"])
    assert data["company"]["fiscal_year_end_month"] == 9


def test_the_service_keeps_locked_fields_whatever_it_is_given(world: World, case: Case) -> None:
    case.plan.refresh_from_db()
    before = case.plan.data
    forged = dict(before) | {"display_unit": "円", "drivers": {"years": 1}}
    forged["company"] = {"name": "株式会社エー改"}  # fiscal_year_end_month dropped
    drafts.save_draft(case, world.user("company_a"), forged, action=access.EDIT_PLAN_PROFILE, summary="x")
    case.plan.refresh_from_db()
    data = case.plan.data
    assert data["display_unit"] == before["display_unit"] and data["drivers"] == before["drivers"]
    assert data["company"] == {
        "name": "株式会社エー改",
        "fiscal_year_end_month": before["company"]["fiscal_year_end_month"],
    }
