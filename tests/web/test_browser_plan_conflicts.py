"""plan-editor.js with two people saving (chromium through Playwright, as the journey test):
the autosave of a page behind the stored draft takes in the other person's change to another
field and moves its revision on; an autosave of the same field stops with both values shown,
stores nothing, and 「保存する」 leads to the page where the user chooses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keiei_web.accounts.choices import Role
from keiei_web.cases import services
from keiei_web.cases.workflow import State
from keiei_web.plans import drafts
from keiei_web.plans.models import PlanDocument
from keiei_web.plans.planfile import read_upload

from . import test_browser_journey as journey
from .conftest import EXAMPLES, PASSWORD, STEP_DATES, World, advance, make_user, new_case

pytestmark = journey.pytestmark  # skipped without chromium
server_url = journey.server_url  # the live server and the browser of the journey test
browser_page = journey.browser_page


def other_saves(case: Any, user: Any, **company: Any) -> None:
    """Someone else saves a change to the company profile (from the revision stored now)."""
    data, revision = drafts.draft(case)
    data["company"] = {**data["company"], **company}
    drafts.save_draft(case, user, data, action="edit_plan", summary="x", base_revision=revision, base=data)


def test_autosave_merges_other_fields_and_stops_on_the_same_field(
    world: World, server_url: str, browser_page: Any, tmp_path: Path
) -> None:
    page, base = browser_page, server_url
    other = make_user("adviser_a2", Role.ADVISER, adviser_firm=world.firms["a"])
    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    services.perform(case, "start_drafting", world.user("adviser_a"), on=STEP_DATES[State.DRAFTING])
    plan = read_upload("p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes())
    drafts.import_draft(case, world.user("adviser_a"), plan, "p.yaml")

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "adviser_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/cases/{case.pk}/plan/edit/company/")
    revision = page.locator("input[name=_revision]")
    assert revision.input_value() == "1"

    # another field changed meanwhile: merged, shown in its input, the revision follows
    other_saves(case, other, address="堺市堺区（他の人）")
    page.locator('input[name="company.industry"]').fill("精密加工業")
    page.wait_for_function("document.querySelector('.autosave-status').textContent.includes('自動保存しました')")
    page.wait_for_function("document.querySelector('input[name=_revision]').value === '3'")
    assert page.locator('input[name="company.address"]').input_value() == "堺市堺区（他の人）"
    company = PlanDocument.objects.get(case=case).data["company"]
    assert (company["address"], company["industry"]) == ("堺市堺区（他の人）", "精密加工業")

    # the same field changed meanwhile: nothing stored, both values shown, autosave stops
    other_saves(case, other, name="株式会社ビー案")
    page.locator('input[name="company.name"]').fill("株式会社エー案")
    page.wait_for_selector(".conflicts.from-autosave")
    box = page.inner_text(".conflicts.from-autosave")
    assert "株式会社エー案" in box and "株式会社ビー案" in box
    assert PlanDocument.objects.get(case=case).data["company"]["name"] == "株式会社ビー案"
    assert page.locator('input[name="company.name"]').input_value() == "株式会社エー案"
    page.screenshot(path=str(tmp_path / "autosave-conflict.png"))

    # 保存する: the page to choose; keep the stored name
    page.click("form.plan-form button.primary")
    page.wait_for_load_state()
    assert "同じ項目が変更されているため" in page.inner_text("body")
    page.check("input[name=_use_stored]")
    page.click("form.plan-form button.primary")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert page.url.endswith("/plan/edit/company/") and "できませんでした" not in body and "同じ項目" not in body
    company = PlanDocument.objects.get(case=case).data["company"]
    assert (company["name"], company["industry"]) == ("株式会社ビー案", "精密加工業")
