"""The main journey in a real browser (chromium through Playwright) against a live server.

adviser: opens a case in 計画策定, imports examples/405-manufacturer.yaml, changes one field in
a step form, sees the live panel's ✔ criteria and submits to the banks; each bank consents;
the adviser files the plan payment claim with the company's 1/3 transfer; the council approves
it. Screenshots of each main page go to $KEIEI_SHOTS_DIR (default: the test's tmp_path).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.payments import plan_claim
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanVersion

from .conftest import EXAMPLES, PASSWORD, PLAN_FEES, STEP_DATES, World, advance, new_case

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--lang=ja-JP",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def server_url(transactional_db: Any, settings: Any) -> Any:
    """A live server of the test database for this test only, stopped with its request threads
    when the test ends (the browser, set up after it, is closed first)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    # the staticfiles handler finds the CSS and scripts in the apps (the test one serves
    # STATIC_ROOT, which tests do not collect into: every stylesheet was a 500 and the
    # screenshots showed unstyled pages)
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        httpd = getattr(thread, "httpd", None)
        thread.terminate()
        # request threads (one per browser connection, kept alive) close their database
        # connections when the browser, closed before this, drops its sockets: wait for them
        for t in threading.enumerate():
            if getattr(getattr(t, "_target", None), "__self__", None) is httpd and httpd is not None:
                t.join(timeout=10)


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between page actions are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        # Headless Chromium draws date inputs as mm/dd/yyyy whatever --lang, LANG or the
        # context locale say; a Japanese desktop browser shows 年/月/日. The value sent is ISO.
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # ORM calls made while Playwright's loop runs use their own connection (Django's
            # connections are context-local): close it here, or PostgreSQL cannot drop the
            # test database at the end of the session
            connections.close_all()


def test_the_main_journey_in_a_browser(world: World, server_url: str, browser_page: Any, tmp_path: Path) -> None:
    page = browser_page
    base = server_url
    shots = Path(os.environ.get("KEIEI_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))
    broken: list[str] = []  # stylesheets, scripts and images that did not load
    page.on(
        "response",
        lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url else None,
    )

    def shot(name: str, full_page: bool = True) -> None:
        # the editor's save bar and live panel are sticky: a full-page capture would paint them
        # over the form, so editor pages are captured as the viewport shows them
        page.screenshot(path=str(shots / f"{next(counter):02d}-{name}.png"), full_page=full_page)

    def login(username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{username} could not log in"

    def text() -> str:
        return str(page.inner_text("body"))

    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    services.perform(case, "start_drafting", world.user("adviser_a"), on=STEP_DATES[State.DRAFTING])
    case_url = f"{base}/cases/{case.pk}/"

    # --- the adviser opens the case in 計画策定 ---------------------------------------------------
    login("adviser_a")
    page.goto(case_url)
    assert case.reference in text() and "計画策定" in text() and "株式会社エー" in text()
    shot("adviser-case")

    # --- imports the example plan file -----------------------------------------------------------
    page.goto(f"{case_url}plan/import/")
    assert "計画ファイルを読み込む" in text()
    page.set_input_files("input[type=file]", str(EXAMPLES / "405-manufacturer.yaml"))
    shot("import")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "読み込めませんでした" not in text()
    case.refresh_from_db()
    assert case.plan.data["company"]["name"] == "株式会社浪速精密工業"

    # --- changes one field in the 会社概要 step and saves -----------------------------------------
    page.goto(f"{case_url}plan/edit/company/")
    employees = page.locator('input[name="company.employees"]')
    assert employees.input_value() == "32"
    employees.fill("33")
    page.click("form.plan-form button.primary")
    page.wait_for_load_state()
    assert page.locator('input[name="company.employees"]').input_value() == "33"
    case.refresh_from_db()
    assert case.plan.data["company"]["employees"] == 33
    # the live panel beside the form: a valid plan, its criteria ticked
    body = text()
    assert "✔" in body and "計画期間" in body and "アクションプラン" in body
    shot("editor-company", full_page=False)

    # --- checks it: the panel beside the plan drivers ---------------------------------------------------------------
    page.goto(f"{case_url}plan/edit/drivers/")
    body = text()
    assert "✔" in body and "経常黒字化" in body and "債務償還年数" in body
    shot("editor-drivers", full_page=False)

    # --- submits to the banks ------------------------------------------------------------------------
    page.goto(f"{case_url}do/submit_to_banks/")
    assert "計画を金融機関に提出する" in text()
    page.fill("textarea[name=comment]", "第1回バンクミーティング")
    shot("submit-to-banks")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    body = text()
    assert "バンクミーティング" in body and "を行いました" in body, body[:500]
    shot("case-bank-meeting")
    case.refresh_from_db()
    assert case.state == State.BANK_MEETING
    assert PlanVersion.objects.get(case=case).data["company"]["employees"] == 33

    # --- each bank logs in and consents --------------------------------------------------------------
    for bank in ("bank_main", "bank_second"):
        login(bank)
        assert "/bank/" in page.url
        assert "株式会社エー" in text()
        if bank == "bank_main":
            shot("bank-dashboard")
        page.goto(f"{case_url}bank-response/")
        assert "同意書（計画への同意）" in text() and "第1版" in text()
        page.check("input[name=kind][value=consent]")
        if bank == "bank_main":
            shot("bank-response")
        page.click("form.form button[type=submit]")
        page.wait_for_load_state()
        assert "回答を記録しました" in text()
    case.refresh_from_db()
    assert case.state == State.AGREED
    shot("case-agreed")

    # --- the adviser files the plan payment claim, after the company's 1/3 transfer -------------------
    share = plan_claim(case, PLAN_FEES["405"]).company_share
    login("adviser_a")
    page.goto(f"{case_url}do/claim_plan_payment/")
    assert "計画策定支援の支払申請をする" in text() and "事業者負担分（1/3）の振込日" in text()
    page.fill("input[name=fee_plan]", str(PLAN_FEES["405"]["plan"]))
    page.fill("input[name=transfer_on]", "2025-09-30")
    page.fill("input[name=transfer_amount]", str(share))
    shot("claim")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    body = text()
    assert "を行いました" in body and "支払申請" in body, body[:500]
    case.refresh_from_db()
    assert case.state == State.PAYMENT_CLAIM

    # --- the council accepts the claim: monitoring starts --------------------------------------------
    login("council_osaka")
    assert "株式会社エー" in text()
    shot("council-dashboard")
    page.goto(f"{case_url}do/approve_plan_payment/")
    assert "支払を承認し伴走支援を始める" in text()
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    body = text()
    assert "を行いました" in body and "伴走支援" in body
    shot("case-monitoring")
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.MONITORING and case.sessions.exists()
    assert not broken, broken
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # keiei/style.css applied (default 8px)
