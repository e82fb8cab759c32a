"""A bank from its notification to its answer, in a real browser (phone and desktop): the bell
in the header, the notices list, the plan read as a plan (its own share and loans only), the
answer form, and the answer recorded. Screenshots in $KEIEI_SHOTS_DIR/{phone,desktop}/bank-*.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from keiei_web.cases.workflow import State
from keiei_web.notices.models import Notice

from .conftest import PASSWORD, World
from .test_bank_reading import SECOND_ONLY, submitted
from .test_browser_journey import CHROMIUM, browser_page, server_url
from .test_browser_public import PHONE, _axe

__all__ = ["browser_page", "server_url"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_bank_goes_from_its_notification_to_its_answer(
    world: World, server_url: str, browser_page: Any, tmp_path: Path, viewport: str
) -> None:
    page = browser_page
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    shots = Path(os.environ.get("KEIEI_SHOTS_DIR") or tmp_path) / viewport
    shots.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page.screenshot(path=str(shots / f"bank-{next(counter):02d}-{name}.png"), full_page=True)
        found = _axe(page)
        if found:
            problems[name] = found
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: page is {width}px wide"

    case = submitted(world)
    assert Notice.objects.filter(recipient=world.user("bank_main"), kind="plan_submitted").count() == 1

    page.goto(f"{server_url}/accounts/login/")
    page.fill("#id_username", "bank_main")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/bank/" in page.url
    bell = page.locator("header a.bell")
    assert "未読 1件" in bell.inner_text()
    check("dashboard-with-bell")

    bell.click()
    page.wait_for_load_state()
    assert "/notices/" in page.url
    body = page.inner_text("main")
    assert case.reference in body and "貴行の回答をお願いします" in body
    check("notices")

    page.click("ul.notices a.notice")
    page.wait_for_load_state()
    assert f"/cases/{case.pk}/plan/versions/1/read/" in page.url
    body = page.inner_text("main")
    assert "貴行の分担と返済" in body and "主な数値" in body and "基準の判定" in body
    assert "セカンド信用金庫" not in body and SECOND_ONLY not in body
    assert "未読" not in page.locator("header a.bell").inner_text()  # opening it read it
    check("read-plan")

    page.click("a.button.primary:has-text('回答する')")
    page.wait_for_load_state()
    assert "同意書（計画への同意）" in page.inner_text("main")
    page.check("input[name=kind][value=consent]")
    check("answer-form")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "回答を記録しました" in page.inner_text("main")
    check("answered")

    case.refresh_from_db()
    assert case.state == State.BANK_MEETING  # the second bank has not answered yet
    told = Notice.objects.filter(case=case, kind="bank_answered")
    assert {n.recipient.username for n in told} == {"adviser_a", "company_a"}
    assert not problems, problems
