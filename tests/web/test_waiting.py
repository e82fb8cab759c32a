"""Every case page says what the case waits for and from whom, for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from keiei_web.cases.waiting import waiting_for
from keiei_web.cases.workflow import State

from .conftest import STEP_DATES, World, advance, bank_answer, new_case
from .test_views import login

pytestmark = pytest.mark.django_db

ROLES = ("company_a", "adviser_a", "council_osaka", "bank_main", "bank_second")


def _lines(world: World, case: Any) -> dict[str, Any]:
    return {name: waiting_for(case, world.user(name)) for name in ROLES}


def test_each_state_names_who_is_waited_on_for_every_role(world: World) -> None:
    case = new_case(world, "405")
    lines = _lines(world, case)
    assert lines["company_a"].text == "事業者と認定支援機関の利用申請待ち" and lines["company_a"].mine
    case = advance(world, case, State.APPLIED)
    lines = _lines(world, case)
    assert {v.text for v in lines.values()} == {"協議会の受理待ち"}
    assert lines["council_osaka"].mine and not lines["company_a"].mine
    assert lines["company_a"].hint == "いまは対応は必要ありません。"
    case = advance(world, case, State.BANK_MEETING)
    lines = _lines(world, case)
    assert lines["company_a"].text == "メイン銀行・セカンド信用金庫の回答待ち"
    assert lines["bank_main"].text == "貴行の回答待ち" and lines["bank_main"].mine
    assert lines["bank_second"].text == "貴庫の回答待ち"  # a 信用金庫 is addressed as 貴庫
    bank_answer(case, world.user("bank_main"), "consent", "", STEP_DATES[State.AGREED])
    case.refresh_from_db()
    lines = _lines(world, case)
    assert lines["adviser_a"].text == "セカンド信用金庫の回答待ち"
    # a bank that has answered is not told which other bank is late
    assert lines["bank_main"].text == "ほかの金融機関の回答待ち" and "セカンド" not in lines["bank_main"].hint
    bank_answer(case, world.user("bank_second"), "consent", "", STEP_DATES[State.AGREED])
    case.refresh_from_db()
    assert waiting_for(case, world.user("adviser_a")).text == "認定支援機関の支払申請待ち"


def test_the_line_is_on_the_case_page_above_the_buttons(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    html = login("company_a").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "協議会の受理待ち" in html and "いまは対応は必要ありません。" in html
    assert html.index("協議会の受理待ち") < html.index("取り下げる")
    council = login("council_osaka").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "あなたの対応待ち: 協議会の受理待ち" in council


def test_the_banks_waiting_tab_lists_only_cases_waiting_for_its_answer(world: World) -> None:
    waiting = advance(world, new_case(world, "405"), State.BANK_MEETING)
    answered = advance(world, new_case(world, "405", company="b"), State.BANK_MEETING)
    bank_answer(answered, world.user("bank_main"), "consent", "", STEP_DATES[State.AGREED])
    client = login("bank_main")
    tab = client.get(reverse("banks:dashboard") + "?tab=waiting").content.decode()
    assert waiting.reference in tab and answered.reference not in tab
    assert "貴行の回答" in tab
    everything = client.get(reverse("banks:dashboard")).content.decode()
    assert waiting.reference in everything and answered.reference in everything
