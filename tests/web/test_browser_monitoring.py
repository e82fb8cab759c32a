"""The monitoring pages in a real browser, with screenshots ($KEIEI_SHOTS_DIR, default tmp_path):
the adviser's upload → preview → confirm, the session report with its charts, the council's
portfolio."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from keiei_web.cases.workflow import State
from keiei_web.monitoring.models import ActualsImport

from .conftest import PASSWORD, World, advance, new_case
from .test_browser_journey import CHROMIUM, browser_page, server_url

__all__ = ["browser_page", "server_url"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
BOOKS = Path(__file__).resolve().parents[2] / "examples" / "books"


def test_upload_preview_confirm_report_and_portfolio(
    world: World, server_url: str, browser_page: Any, tmp_path: Path
) -> None:
    case = advance(world, new_case(world, "early"), State.MONITORING)
    page = browser_page
    shots = Path(os.environ.get("KEIEI_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def login(username: str) -> None:
        page.goto(f"{server_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")

    login("adviser_a")
    page.goto(f"{server_url}/cases/{case.pk}/monitoring/1/upload/")
    page.set_input_files("input[name=books]", str(BOOKS / "yayoi-journal.csv"))
    page.click("button.primary")
    page.wait_for_selector("text=計画の行ごとの対応")
    page.screenshot(path=str(shots / "monitoring-1-preview.png"), full_page=True)
    page.click("text=この内容で実績を確定する")
    page.wait_for_selector("svg.line-chart")
    page.screenshot(path=str(shots / "monitoring-2-report.png"), full_page=True)
    assert ActualsImport.objects.filter(case=case).count() == 1
    page.click("form[action='/accounts/logout/'] button")
    login("council_osaka")
    page.goto(f"{server_url}/council/monitoring/")
    page.wait_for_selector(f"text={case.reference}")
    page.screenshot(path=str(shots / "monitoring-3-portfolio.png"), full_page=True)
