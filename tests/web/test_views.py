"""Pages over HTTP: dashboards per role, transitions with refusals, nothing typed lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State

from .conftest import PASSWORD, World, advance, give_report, new_case
from .formparse import form_fields


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def test_login_page_is_japanese() -> None:
    response = Client().get(reverse("login"))
    text = response.content.decode()
    assert response.status_code == 200 and 'lang="ja"' in text and "ログイン" in text and "パスワード" in text


def test_dashboards_per_role(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    adviser = login("adviser_a").get(reverse("ui:dashboard")).content.decode()
    assert "担当している案件" in adviser and case.company.name in adviser and "新しい案件を登録する" in adviser
    company = login("company_a").get(reverse("ui:dashboard")).content.decode()
    assert "自社の案件" in company and case.company.name in company
    assert login("company_b").get(reverse("ui:dashboard")).content.decode().count(case.company.name) == 0
    council = login("council_osaka").get(reverse("ui:dashboard"), follow=True)
    assert council.redirect_chain[-1][0] == reverse("council:dashboard")
    assert "受理待ちの利用申請" in council.content.decode() and case.company.name in council.content.decode()
    bank = login("bank_main").get(reverse("ui:dashboard"), follow=True)
    assert bank.redirect_chain[-1][0] == reverse("banks:dashboard") and case.company.name in bank.content.decode()


def test_case_detail_shows_dates_with_wareki_and_money_with_commas(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.ACCEPTED)
    text = login("adviser_a").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "2025-04-11（令和7年4月11日）" in text
    assert "1,600,000円" in text  # estimate: 2/3 of 2,400,000
    assert "利用申請の失効日" in text


def test_overdue_deadlines_are_highlighted(world: World, settings: object) -> None:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    settings.KEIEI_TODAY = "2027-05-01"  # type: ignore[attr-defined]
    text = login("council_osaka").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "dl-row dl-overdue" in text and "期限超過" in text
    council = login("council_osaka").get(reverse("council:dashboard")).content.decode()
    assert "dl-row dl-overdue" in council


def test_a_transition_over_http_and_its_audit_line(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    client = login("council_osaka")
    url = reverse("cases:transition", args=[case.pk, "accept"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"on": "2025-04-20", "comment": ""})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.accepted_on == dt.date(2025, 4, 20)
    history = client.get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "利用申請を受理しました" in history and "council_osaka" in history


def test_an_invalid_transition_is_refused_in_japanese_not_a_traceback(world: World) -> None:
    case = new_case(world, "405")
    response = login("council_osaka").post(reverse("cases:transition", args=[case.pk, "accept"]), {"on": "2025-04-20"})
    assert response.status_code == 409
    assert "この案件は「相談」のため、「受理する」はできません。" in response.content.decode()


def test_a_refusal_by_the_services_keeps_what_was_typed(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.APPLIED)
    response = login("council_osaka").post(
        reverse("cases:transition", args=[case.pk, "return_application"]), {"on": "2025-04-01", "comment": "   "}
    )
    assert response.status_code == 200  # form error: comment is required
    text = response.content.decode()
    assert "このフィールドは必須です" in text and 'value="2025-04-01"' in text


def test_a_plan_claim_that_fails_keeps_every_input(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.AGREED)
    data = {
        "fee_plan": "2400000",
        "fee_guarantee_release": "150000",
        "transfer_on": "2025-06-09",
        "transfer_amount": "12345",
        "monitoring_interval_months": "4",
        "on": "2025-06-10",
        "comment": "初回の請求です",
    }
    response = login("adviser_a").post(reverse("cases:transition", args=[case.pk, "claim_plan_payment"]), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "に足りません" in text
    for value in ("2400000", "150000", "2025-06-09", "12345", "2025-06-10", "初回の請求です"):
        assert value in text, value
    assert '<option value="4" selected>' in text
    case.refresh_from_db()
    assert case.state == State.AGREED


def test_invalid_json_keeps_the_text_and_names_the_line(world: World) -> None:
    case = new_case(world, "405")
    text = '{\n  "pl": {"sales": [1, 2,]}\n}'
    response = login("adviser_a").post(reverse("plans:edit_json", args=[case.pk]), {"data": text})
    body = response.content.decode()
    assert response.status_code == 200 and "2行目" in body and "[1, 2,]" in body
    plan = {"data": '{"pl": {"sales": [1, 2]}}', "revision": "0"}
    ok = login("adviser_a").post(reverse("plans:edit_json", args=[case.pk]), plan)
    assert ok.status_code == 302
    case.plan.refresh_from_db()
    assert case.plan.data == {"pl": {"sales": [1, 2]}}


def test_bank_response_over_http(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    bank = login("bank_second")
    url = reverse("cases:bank_response", args=[case.pk])
    page = bank.get(url).content.decode()
    assert "同意する" in page and "第1版" in page
    refused = bank.post(url, {"kind": "decline", "comment": "", "on": "2025-06-05"})
    assert refused.status_code == 200 and "理由・意見を入力してください" in refused.content.decode()
    shown = {k: v for k, v in form_fields(page, "form").items() if k in {"version", "sha256"}}  # the version read
    answer = {"kind": "decline", "comment": "返済計画に無理がある", "on": "2025-06-05"}
    assert bank.post(url, answer | shown).status_code == 302
    again = bank.get(url)
    assert again.status_code == 409 and "回答済み" in again.content.decode()
    detail = bank.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "返済計画に無理がある" in detail and "メイン銀行" not in detail  # only its own row


def test_plan_pages_diff_between_versions(world: World, rich_case: Case) -> None:
    client = login("bank_main")
    overview = client.get(reverse("plans:overview", args=[rich_case.pk])).content.decode()
    assert "第1版" in overview and "第2版" in overview and "作成中の計画" not in overview
    diff = client.get(reverse("plans:diff", args=[rich_case.pk, 1, 2])).content.decode()
    assert "drivers.sales.segments[1].growth[1]" in diff and "action_plan[1].measure" in diff
    version = client.get(reverse("plans:version", args=[rich_case.pk, 2])).content.decode()
    assert rich_case.plan_versions.get(number=2).sha256 in version


def test_creating_a_case(world: World) -> None:
    client = login("adviser_b")
    data = {
        "company_name": "株式会社シー",
        "prefecture": "大阪府",
        "fiscal_year_end_month": "6",
        "program": "early",
        "consulted_on": "2025-09-01",
        "main_bank": str(world.banks["main"].pk),
        "other_banks": [str(world.banks["second"].pk)],
        "plan_fee": "240000",
    }
    missing = client.post(reverse("cases:create"), {**data, "company_name": ""})
    assert missing.status_code == 200 and "新しい事業者名を入力してください" in missing.content.decode()
    assert 'value="240000"' in missing.content.decode()
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 302
    case = Case.objects.get(company__name="株式会社シー")
    assert case.council == world.councils["osaka"] and case.adviser_firm == world.firms["b"]
    assert case.banks.get(is_main=True).bank == world.banks["main"]
    nowhere = client.post(reverse("cases:create"), {**data, "company_name": "沖縄の会社", "prefecture": "沖縄県"})
    assert nowhere.status_code == 409 and "沖縄県の協議会が登録されていません" in nowhere.content.decode()


def test_monitoring_report_and_claim_approval_over_http(world: World, settings: Any) -> None:
    case = advance(world, new_case(world, "405"), State.MONITORING)
    settings.KEIEI_TODAY = "2026-01-10"  # the report and approval below happen before this day
    adviser = login("adviser_a")
    url = reverse("cases:monitoring_report", args=[case.pk, 1])
    give_report(case.sessions.get(seq=1))
    need_transfer = adviser.post(url, {"on": "2025-12-20", "summary": "順調", "fee": "150000"})
    assert need_transfer.status_code == 200 and "支払申請するときは入力してください" in need_transfer.content.decode()
    ok = adviser.post(
        url,
        {
            "on": "2025-12-20",
            "summary": "順調",
            "fee": "150000",
            "transfer_on": "2025-12-19",
            "transfer_amount": "50000",
        },
    )
    assert ok.status_code == 302
    claim = case.claims.get(kind="monitoring")
    council = login("council_osaka")
    assert (
        council.post(reverse("cases:claim_approve", args=[case.pk, claim.pk]), {"on": "2025-12-25"}).status_code == 302
    )
    claim.refresh_from_db()
    assert claim.status == "approved"
    again = council.get(reverse("cases:claim_approve", args=[case.pk, claim.pk]))
    assert again.status_code == 409


def test_static_css_is_served_without_collectstatic(client: Client) -> None:
    response = client.get("/static/keiei/style.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_error_pages_are_japanese(world: World) -> None:
    assert "ページが見つかりません" in login("adviser_a").get("/cases/999999/").content.decode()
    assert "権限がありません" in login("adviser_a").get(reverse("council:dashboard")).content.decode()


def test_password_change(world: World) -> None:
    client = login("company_a")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-Passphrase-9",
            "new_password2": "a-much-longer-Passphrase-9",
        },
    )
    assert response.status_code == 302
    assert Client().login(username="company_a", password="a-much-longer-Passphrase-9")


def test_the_compare_form_redirects_to_the_diff(world: World, rich_case: Case) -> None:
    response = login("adviser_a").get(reverse("plans:overview", args=[rich_case.pk]), {"old": "1", "new": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:diff", args=[rich_case.pk, 1, 2])
