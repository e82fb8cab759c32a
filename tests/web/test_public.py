"""The public pages (no login): the interview, the calculator, the councils, the consultation."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import TODAY, World, new_case
from tests.web.test_views import login

from keiei.cli import main as cli_main
from keiei.subsidy import compute_subsidy
from keiei_web.public.models import Consultation, ConsultationStatus
from keiei_web.public.views import CONSULTATIONS_PER_HOUR

pytestmark = pytest.mark.django_db

#: Answer sets (CLI flag values) covering each branch of the decision.
ANSWER_SETS: list[dict[str, str]] = [
    {"has_borrowing": "no", "used_before": "none", "succession_concern": "no"},
    {
        "has_borrowing": "yes",
        "needs_rescheduling": "yes",
        "needs_forgiveness_or_gl": "no",
        "has_main_bank": "yes",
        "single_bank_unguaranteed_only": "no",
        "wants_guarantee_release": "yes",
        "succession_concern": "yes",
        "used_before": "none",
        "postal_code": "540-0029",
    },
    {
        "has_borrowing": "yes",
        "needs_rescheduling": "yes",
        "needs_forgiveness_or_gl": "yes",
        "has_main_bank": "no",
        "single_bank_unguaranteed_only": "no",
        "wants_guarantee_release": "yes",
        "succession_concern": "no",
        "used_before": "405",
        "postal_code": "683-0823",
    },
    {
        "has_borrowing": "yes",
        "needs_rescheduling": "no",
        "has_main_bank": "yes",
        "wants_guarantee_release": "no",
        "succession_concern": "no",
        "used_before": "early",
    },
    {
        "has_borrowing": "yes",
        "needs_rescheduling": "yes",
        "needs_forgiveness_or_gl": "no",
        "has_main_bank": "yes",
        "single_bank_unguaranteed_only": "yes",
        "wants_guarantee_release": "no",
        "succession_concern": "no",
        "used_before": "none",
    },
]
FLAGS = {
    "has_borrowing": "--borrowing",
    "needs_rescheduling": "--reschedule",
    "needs_forgiveness_or_gl": "--forgiveness",
    "has_main_bank": "--main-bank",
    "single_bank_unguaranteed_only": "--single-bank-unguaranteed-only",
    "wants_guarantee_release": "--guarantee-release",
    "succession_concern": "--succession",
    "used_before": "--used-before",
    "postal_code": "--postal-code",
}


def _cli(answers: dict[str, str]) -> dict[str, Any]:
    argv = ["advise", "--json", "--date", TODAY.isoformat()]
    for key, value in answers.items():
        argv += [FLAGS[key], value]
    # Questions the web skips are not given to the CLI either: it must skip them the same way.
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(argv) == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.parametrize("answers", ANSWER_SETS)
def test_the_interview_decides_as_keiei_advise(answers: dict[str, str]) -> None:
    response = Client().get(reverse("public:advise") + "?" + urlencode(answers))
    assert response.status_code == 200
    advice = response.context["advice"]
    assert advice.as_dict() == _cli(answers)
    html = response.content.decode()
    assert "診断の結果" in html
    for reason in advice.reasons:
        assert reason in html


def _walk(client: Client, answers: dict[str, str]) -> Any:
    """Answer one question a page as a person does: the form's hidden fields plus the answer."""
    response = client.get(reverse("public:advise"))
    for _ in range(20):
        if "advice" in response.context:
            return response
        step = response.context["step"]
        params = dict(response.context["hidden"]) | {"at": step, step: answers.get(step, "")}
        response = client.get(reverse("public:advise") + "?" + urlencode(params))
        assert response.status_code == 200, response.context.get("error")
    raise AssertionError("the interview did not end")


def test_irrelevant_questions_are_skipped_one_page_at_a_time() -> None:
    client = Client()
    asked: list[str] = []
    response = client.get(reverse("public:advise"))
    answers = {"has_borrowing": "no", "succession_concern": "no", "used_before": "none", "postal_code": ""}
    while "advice" not in response.context:
        step = response.context["step"]
        asked.append(step)
        params = dict(response.context["hidden"]) | {"at": step, step: answers[step]}
        response = client.get(reverse("public:advise") + "?" + urlencode(params))
    assert asked == ["has_borrowing", "succession_concern", "used_before", "postal_code"]
    assert response.context["advice"].program == "early"


def test_going_back_keeps_every_answer_and_a_change_takes_effect() -> None:
    client = Client()
    result = _walk(client, ANSWER_SETS[1])
    assert result.context["advice"].program == "405"
    # 「変更」 on the rescheduling question shows it with the answer given.
    link = next(q for step, _l, _t, q in result.context["summary"] if step == "needs_rescheduling")
    page = client.get(reverse("public:advise") + "?" + link)
    assert page.context["step"] == "needs_rescheduling" and page.context["current"] == "yes"
    hidden = dict(page.context["hidden"])
    assert hidden["postal_code"] == "540-0029" and hidden["wants_guarantee_release"] == "yes"
    # Changing it to no: the next page is the next question that still matters, its answer kept.
    nxt = client.get(
        reverse("public:advise") + "?" + urlencode(hidden | {"at": "needs_rescheduling", "needs_rescheduling": "no"})
    )
    assert nxt.context["step"] == "has_main_bank" and nxt.context["current"] == "yes"
    # The previous-question link goes back without losing anything.
    back = client.get(reverse("public:advise") + "?" + nxt.context["previous_query"])
    assert back.context["step"] == "needs_rescheduling" and back.context["current"] == "no"
    final = client.get(
        reverse("public:advise")
        + "?"
        + urlencode(dict(nxt.context["hidden"]) | {"at": "postal_code", "postal_code": "540-0029"})
    )
    assert final.context["advice"].program == "early"


def test_a_question_left_unanswered_is_asked_again_with_its_name() -> None:
    response = Client().get(reverse("public:advise") + "?at=has_borrowing")
    assert response.status_code == 400
    assert "「借入金」に答えてください。" in response.content.decode()
    bad = Client().get(reverse("public:advise") + "?" + urlencode(ANSWER_SETS[0] | {"postal_code": "999-9999"}))
    assert bad.status_code == 400 and bad.context["step"] == "postal_code"
    assert "本社の郵便番号" in bad.context["error"]


def test_the_subsidy_calculator_shows_items_share_and_payment_times() -> None:
    client = Client()
    page = client.get(reverse("public:subsidy") + "?program=early")
    html = page.content.decode()
    assert "計画策定" in html and "計算する" in html
    result = client.get(reverse("public:subsidy") + "?program=early&plan=240,000円&monitoring_end=６００００")
    assert result.status_code == 200
    r = result.context["result"]
    same = compute_subsidy("early", {"plan": 240_000, "monitoring_end": 60_000}, TODAY)
    assert r.as_dict() == same.as_dict()
    html = result.content.decode()
    assert (
        f"{same.total_subsidy:,}円" in html and f"{same.company_share:,}円" in html and "補助が支払われる時期" in html
    )
    bad = client.get(reverse("public:subsidy") + "?program=early&plan=abc")
    assert bad.status_code == 400
    assert "abc" in bad.content.decode() and "は 0 以上の整数（円）で入力してください" in bad.content.decode()


def test_councils_by_postal_code_and_prefecture() -> None:
    client = Client()
    html = client.get(reverse("public:councils") + "?q=540-0029").content.decode()
    assert "大阪府中小企業活性化協議会" in html and "電話" in html
    tottori = client.get(reverse("public:councils") + "?prefecture=鳥取県").content.decode()
    assert tottori.count('class="office"') == 2
    bad = client.get(reverse("public:councils") + "?q=999-9999")
    assert bad.status_code == 400 and "999-9999" in bad.content.decode()


def _consult_data(**over: str) -> dict[str, str]:
    return {
        "company_name": "株式会社テスト製作所",
        "contact_name": "山田 太郎",
        "prefecture": "大阪府",
        "postal_code": "540-0029",
        "phone": "06-1234-5678",
        "email": "yamada@example.jp",
        "program": "405",
        "message": "返済が苦しく、リスケの相談をしたいです。",
        "agree": "on",
        "website": "",
    } | over


def test_a_consultation_reaches_the_council_with_a_receipt(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("public:consult") + "?program=405&postal_code=540-0029")
    assert page.context["form"].initial["prefecture"] == "大阪府"
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("public:consult"), _consult_data(csrfmiddlewaretoken=token), follow=True)
    consultation = Consultation.objects.get()
    assert consultation.council == world.councils["osaka"] and consultation.status == ConsultationStatus.NEW
    html = response.content.decode()
    assert consultation.receipt in html and "このあとの流れ" in html
    assert len(consultation.client_hash) == 64 and "127.0.0.1" not in consultation.client_hash
    # Without the CSRF token nothing is stored.
    refused = Client(enforce_csrf_checks=True).post(reverse("public:consult"), _consult_data())
    assert refused.status_code == 403 and Consultation.objects.count() == 1


def test_errors_name_the_field_and_keep_what_was_typed(world: World) -> None:
    data = _consult_data(phone="12345", email="not-an-address", message="あ" * 2001, prefecture="東京都")
    response = Client().post(reverse("public:consult"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "「電話番号」は 0 から始まる10〜11桁" in html
    assert "「メールアドレス」の形式が正しくありません" in html
    assert "「ご相談の内容」は2000文字以内" in html
    assert "「本社の都道府県」が郵便番号（540-0029: 大阪府）と違います" in html
    assert "株式会社テスト製作所" in html and "not-an-address" in html
    missing = Client().post(reverse("public:consult"), {"agree": ""})
    text = missing.content.decode()
    assert "「事業者名」を入力してください。" in text and "「個人情報の取扱い」への同意が必要です。" in text
    assert Consultation.objects.count() == 0


def test_the_honeypot_and_the_rate_limit_refuse_without_storing(world: World) -> None:
    client = Client()
    trap = client.post(reverse("public:consult"), _consult_data(website="http://spam.example"))
    assert trap.status_code == 400 and Consultation.objects.count() == 0
    for _ in range(CONSULTATIONS_PER_HOUR):
        assert client.post(reverse("public:consult"), _consult_data()).status_code == 302
    limited = client.post(reverse("public:consult"), _consult_data(company_name="六件目"))
    assert limited.status_code == 429 and "六件目" in limited.content.decode()
    assert Consultation.objects.count() == CONSULTATIONS_PER_HOUR
    # Another address is not limited by the first one's requests.
    other = Client(REMOTE_ADDR="192.0.2.7").post(reverse("public:consult"), _consult_data())
    assert other.status_code == 302


def test_a_prefecture_whose_council_is_not_registered_is_given_its_phone(world: World) -> None:
    response = Client().post(reverse("public:consult"), _consult_data(prefecture="鳥取県", postal_code="683-0823"))
    assert response.status_code == 409
    assert "鳥取県中小企業活性化協議会" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_public_pages_need_no_login_and_the_front_page_is_the_door() -> None:
    client = Client()
    assert client.get("/").url == reverse("public:home")
    for name in ("home", "advise", "subsidy", "councils", "consult", "privacy"):
        response = client.get(reverse(f"public:{name}"))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="ja">' in html and 'name="viewport"' in html
    assert client.get(reverse("public:received")).url == reverse("public:consult")


def test_the_council_sees_the_request_opens_it_and_links_its_case(world: World) -> None:

    Client().post(reverse("public:consult"), _consult_data())
    consultation = Consultation.objects.get()
    council = login("council_osaka")
    dashboard = council.get(reverse("council:dashboard")).content.decode()
    assert consultation.receipt in dashboard and "株式会社テスト製作所" in dashboard
    page = council.get(reverse("council:consultation", args=[consultation.pk]))
    assert "06-1234-5678" in page.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    assert page.context["form"].initial["status"] == ConsultationStatus.OPEN
    # 案件に登録済み needs the case; the choices are the council's own cases.
    refused = council.post(reverse("council:consultation", args=[consultation.pk]), {"status": "case"})
    assert refused.status_code == 400 and "「登録した案件」を選んでください" in refused.content.decode()
    case = new_case(world)
    saved = council.post(
        reverse("council:consultation", args=[consultation.pk]),
        {"status": "case", "case": case.pk, "council_note": "A会計へ紹介"},
    )
    assert saved.status_code == 302
    consultation.refresh_from_db()
    assert consultation.case == case and consultation.status == ConsultationStatus.CASE
    # Nobody else reads it: another council, a company, an adviser, a bank — 404 or 403.
    for name in ("council_tokyo", "company_a", "adviser_a", "bank_main"):
        status = login(name).get(reverse("council:consultation", args=[consultation.pk])).status_code
        assert status in (403, 404), name
    assert Client().get(reverse("council:consultations")).status_code == 302
