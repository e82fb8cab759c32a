"""A bank reads a submitted version as a plan (`plans:read`): key figures, its own share and
loan-level schedule, the criteria, the documents, the diff from the version it was sent before —
and nothing of another bank's share, loans or changes."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans import panel
from keiei_web.ui.templatetags.keiei import sen

from .conftest import PLAN_V1, STEP_DATES, World, advance, new_case
from .test_views import login

pytestmark = pytest.mark.django_db

#: The example's banks under the test world's names (the plan names banks by name only).
RENAMED = {"大阪中央銀行": "メイン銀行", "なにわ銀行": "セカンド信用金庫"}
#: A loan only the second bank has, and the third bank (not a web bank of the case at all).
SECOND_ONLY = "証書貸付（保証協会付・セーフティネット）"
THIRD = "東大阪信用金庫"


def renamed(plan: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(plan, ensure_ascii=False)
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    data: dict[str, Any] = json.loads(text)
    return data


PLAN = renamed(PLAN_V1)


def submitted(world: World, plan: dict[str, Any] = PLAN) -> Case:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    services.save_plan(case, world.user("adviser_a"), plan)
    services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    return case


def read(user: str, case: Case, number: int = 1) -> str:
    response = login(user).get(reverse("plans:read", kwargs={"case_id": case.pk, "number": number}))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_bank_reads_the_key_figures_its_share_and_its_loans(world: World) -> None:
    case = submitted(world)
    page = read("bank_main", case)
    check = panel.evaluate(PLAN).check
    assert check is not None
    first_year = next(y for y in check["years"] if y["kind"] == "plan")
    for label in ("売上高", "経常利益", "純資産", "実態純資産", "債務償還年数", "貴行の分担と返済"):
        assert label in page, label
    assert sen(first_year["pl"]["sales"]) in page and sen(first_year["pl"]["ordinary_profit"]) in page
    last = check["years"][-1]["indicators"]["debt_repayment_years_shown"]
    assert f"{last:.2f}年" in page
    own = next(b for b in check["banks"] if b["name"] == "メイン銀行")
    assert "35.0%" in page  # its share
    for loan in own["loans"]:
        assert loan["name"] in page
        assert f"{loan['monthly_instalment'][first_year['period']]:,}" in page
        assert (loan["terms_start"] or "約定どおり") in page
    assert "約定どおり支払" in page  # the interest's treatment
    assert "経常黒字化（3年以内）" in page  # the criteria
    assert reverse("plans:download", kwargs={"case_id": case.pk, "number": 1, "fmt": "pdf"}) in page
    assert reverse("cases:bank_response", kwargs={"case_id": case.pk}) in page  # it may answer from here
    assert "貴行に初めて提出された版です" in page


def test_a_bank_sees_no_other_banks_share_or_loans(world: World) -> None:
    case = submitted(world)
    check = panel.evaluate(PLAN).check
    assert check is not None
    page = read("bank_main", case)
    assert "セカンド信用金庫" not in page and THIRD not in page and SECOND_ONLY not in page
    second = next(b for b in check["banks"] if b["name"] == "セカンド信用金庫")
    assert "45.0%" not in page
    for loan in second["loans"]:
        period = next(iter(loan["monthly_instalment"]))
        assert f"{loan['monthly_instalment'][period]:,}" not in page
    assert "ほかの金融機関 2 行の分担と返済は表示しません" in page
    page2 = read("bank_second", case)
    assert "貴庫の分担と返済" in page2 and SECOND_ONLY in page2 and "45.0%" in page2
    assert "メイン銀行" not in page2 and "証書貸付①（保証協会付）" not in page2
    # inside the case every bank is shown
    inside = read("adviser_a", case)
    assert "メイン銀行" in inside and "セカンド信用金庫" in inside and THIRD in inside


def test_the_diff_from_the_version_the_bank_saw_before_shows_only_its_own(world: World) -> None:
    case = submitted(world)
    adviser = world.user("adviser_a")
    services.perform(case, "revise", adviser, on=STEP_DATES[State.BANK_MEETING], comment="銀行の意見で修正")
    v2 = copy.deepcopy(PLAN)
    v2["drivers"]["sales"]["segments"][1]["growth"][1] = 0.03
    second = next(b for b in v2["banks"] if b["name"] == "セカンド信用金庫")
    second["loans"][1]["rate"] = 0.019
    v2["action_plan"][1]["measure"] = "外注加工の内製化（前倒し）"
    services.save_plan(case, adviser, v2)
    services.perform(case, "submit_to_banks", adviser, on=STEP_DATES[State.BANK_MEETING])
    page = read("bank_main", case, 2)
    assert "第1版からの変更" in page
    assert "drivers.sales.segments[1].growth[1]" in page and "外注加工の内製化（前倒し）" in page
    assert "0.019" not in page and "banks[1]" not in page
    page2 = read("bank_second", case, 2)
    assert "banks[1].loans[1].rate" in page2 and "0.019" in page2


def test_an_outsider_bank_cannot_read_and_links_lead_to_the_reading(world: World) -> None:
    case = submitted(world)
    url = reverse("plans:read", kwargs={"case_id": case.pk, "number": 1})
    assert login("bank_other").get(url).status_code == 404
    assert url in login("bank_main").get(reverse("banks:dashboard")).content.decode()
    assert url in login("bank_main").get(reverse("cases:bank_response", kwargs={"case_id": case.pk})).content.decode()
