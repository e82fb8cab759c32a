"""An owner with no account in a real browser: front page → interview → result → consultation,
which the council then opens; every public page checked by axe-core for WCAG 2.1 A/AA, on a
phone-sized and a desktop viewport, with screenshots ($KEIEI_SHOTS_DIR, default tmp_path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from keiei_web.public.models import Consultation, ConsultationStatus

from .conftest import PASSWORD, World
from .test_browser_journey import CHROMIUM, browser_page, server_url

__all__ = ["browser_page", "server_url"]  # fixtures shared with the main journey

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}


def _axe(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each (empty: none)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_owner_reaches_the_council_from_the_front_page(
    world: World, server_url: str, browser_page: Any, tmp_path: Path, viewport: str
) -> None:
    page = browser_page
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    base = server_url
    shots = Path(os.environ.get("KEIEI_SHOTS_DIR") or tmp_path) / viewport
    shots.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page.screenshot(path=str(shots / f"{next(counter):02d}-{name}.png"), full_page=True)
        found = _axe(page)
        if found:
            problems[name] = found
        if viewport == "phone":
            # nothing wider than the screen: no sideways scrolling on a phone
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: page is {width}px wide"

    page.goto(f"{base}/")
    assert "/guide/" in page.url
    check("front")
    page.click("a.case-card[href$='/advise/']")
    page.wait_for_load_state()
    answers = {
        "has_borrowing": "はい",
        "needs_rescheduling": "はい",
        "needs_forgiveness_or_gl": "いいえ",
        "has_main_bank": "はい",
        "single_bank_unguaranteed_only": "いいえ",
        "wants_guarantee_release": "いいえ",
        "succession_concern": "いいえ",
    }
    first = True
    for label in answers.values():
        page.check(f"label.choice:has-text('{label}') input")
        if first:
            check("question-1")
            first = False
        page.click("button:has-text('次へ')")
    # one step back and forward again: the answer is still chosen
    page.click("text=← 前の質問")
    assert page.is_checked("label.choice:has-text('いいえ') input")
    page.click("button:has-text('次へ')")
    page.check("label.choice:has-text('利用したことはない') input")
    page.click("button:has-text('次へ')")
    page.fill("input[name=postal_code]", "540-0029")
    check("question-postal")
    page.click("button:has-text('次へ')")
    body = page.inner_text("body")
    assert "経営改善計画策定支援（405事業）" in body and "大阪府中小企業活性化協議会" in body
    check("advice")

    page.click("text=見積りの金額で補助額と自己負担を計算する")
    page.fill("input[name=plan]", "3,000,000")
    page.fill("input[name=monitoring]", "900000")
    page.click("button:has-text('計算する')")
    assert "事業者の負担額" in page.inner_text("body")
    check("subsidy")

    page.goto(f"{base}/guide/councils/?q=683-0823")
    assert "鳥取県中小企業活性化協議会" in page.inner_text("body")
    check("councils")
    page.goto(f"{base}/guide/privacy/")
    check("privacy")

    page.goto(
        f"{base}/guide/advise/?has_borrowing=yes&needs_rescheduling=yes&needs_forgiveness_or_gl=no"
        "&has_main_bank=yes&single_bank_unguaranteed_only=no&wants_guarantee_release=no"
        "&succession_concern=no&used_before=none&postal_code=540-0029"
    )
    page.click("text=協議会に相談を申し込む")
    assert page.input_value("#id_postal_code") == "540-0029"
    # an error first: nothing typed is lost
    page.fill("#id_company_name", "株式会社ブラウザ工業")
    page.fill("#id_contact_name", "鈴木 花子")
    page.fill("#id_phone", "06-1234")
    page.fill("#id_message", "リスケの相談をしたいです。")
    page.check("#id_agree")
    page.click("button:has-text('申し込む')")
    assert "「電話番号」は 0 から始まる10〜11桁" in page.inner_text("body")
    assert page.input_value("#id_company_name") == "株式会社ブラウザ工業"
    check("consult-error")
    page.fill("#id_phone", "06-1234-5678")
    page.check("#id_agree")
    page.click("button:has-text('申し込む')")
    consultation = Consultation.objects.get()
    assert consultation.receipt in page.inner_text("body")
    check("received")

    # the council opens it
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "council_osaka")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click(f"text={consultation.receipt}")
    assert "06-1234-5678" in page.inner_text("body")
    page.screenshot(path=str(shots / f"{next(counter):02d}-council-opens.png"), full_page=True)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN

    assert not problems, "\n".join(f"{k}: {line}" for k, v in problems.items() for line in v)
