"""伴走支援 on the web (issue 13): upload → preview → confirm, versions and the same file twice,
bad input shown on the preview with nothing stored, who reads and acknowledges a report, the
claim guard, the council's portfolio and its CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keiei_web.cases import services as case_services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.monitoring import uploads
from keiei_web.monitoring.models import ActualsImport, BooksUpload, CaseMonitoring, ReportReading, SessionReport

from .conftest import PASSWORD, World, advance, new_case

BOOKS = Path(__file__).resolve().parents[2] / "examples" / "books"


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def early(world: World) -> Case:
    return advance(world, new_case(world, "early"), State.MONITORING)


def post_books(client: Client, case: Case, name: str, body: bytes, seq: int = 1, **extra: Any) -> Any:
    url = reverse("monitoring:upload", args=[case.pk, seq])
    return client.post(url, {"books": SimpleUploadedFile(name, body), "fmt": "auto", **extra})


def upload_and_preview(client: Client, case: Case, name: str, body: bytes, seq: int = 1) -> tuple[Any, BooksUpload]:
    response = post_books(client, case, name, body, seq)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = BooksUpload.objects.order_by("-pk").first()
    assert row is not None
    return client.get(response["Location"]), row


def yayoi() -> bytes:
    return (BOOKS / "yayoi-journal.csv").read_bytes()


def test_preview_then_confirm_stores_a_version_and_the_report(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    body = page.content.decode()
    assert page.status_code == 200, body[:3000]
    for text in ("弥生会計", "Shift_JIS", "計画の行ごとの対応", "売上高", "照合", "対応した科目", "2025-10"):
        assert text in body, text
    assert not ActualsImport.objects.exists() and not SessionReport.objects.exists()  # nothing before confirming
    confirmed = adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    assert confirmed.status_code == 302
    imp = ActualsImport.objects.get()
    assert imp.number == 1 and imp.months[0] == "2025-10" and imp.sha256 == row.sha256
    report = SessionReport.objects.get(session__seq=1, case=early)
    assert report.has_figures and report.through == "2026-03" and report.sales_achievement is not None
    summary = CaseMonitoring.objects.get(case=early)
    assert summary.sales_achievement == report.sales_achievement
    shown = adviser.get(confirmed["Location"]).content.decode()
    assert "<svg" in shown and "達成率" in shown and "年度累計" in shown
    assert early.events.filter(action="actuals_import").exists()


def test_the_same_file_twice_is_said_and_not_stored_again(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    again, row2 = upload_and_preview(adviser, early, "copy.csv", yayoi(), seq=2)
    assert again.status_code == 409
    assert "同じファイル" in again.content.decode() and "第1版" in again.content.decode()
    refused = adviser.post(reverse("monitoring:preview", args=[early.pk, row2.pk]))
    assert refused.status_code == 409 and ActualsImport.objects.count() == 1


def test_a_correction_is_a_new_version_and_the_earlier_one_stays(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    changed = yayoi().replace(b",630900,0,", b",640900,0,")  # one cash sale, both sides
    page, row2 = upload_and_preview(adviser, early, "yayoi-fixed.csv", changed)  # the same session
    assert page.status_code == 200, page.content.decode()[:3000]
    adviser.post(reverse("monitoring:preview", args=[early.pk, row2.pk]))
    assert list(ActualsImport.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("notes.csv", "これは会計データではありません\n".encode(), "形式を判定できません"),
        ("empty.csv", b"", "空"),
    ],
)
def test_unreadable_files_are_refused_in_japanese(
    world: World, early: Case, name: str, body: bytes, message: str
) -> None:
    adviser = login("adviser_a")
    response = post_books(adviser, early, name, body)
    if response.status_code == 302:
        response = adviser.get(response["Location"])
    assert response.status_code in (200, 409)
    assert message in response.content.decode()
    assert not ActualsImport.objects.exists()


def test_an_unbalanced_voucher_blocks_the_confirmation(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    unbalanced = yayoi().replace(b",630900,0,\x94\x84\x8f\xe3\x8d\x82", b",630901,0,\x94\x84\x8f\xe3\x8d\x82", 1)
    assert unbalanced != yayoi()
    page, row = upload_and_preview(adviser, early, "bad.csv", unbalanced)
    assert page.status_code == 409
    assert "取り込めません" in page.content.decode() and "借方" in page.content.decode()
    assert adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk])).status_code == 409
    assert not ActualsImport.objects.exists()


def test_a_month_imported_twice_with_other_figures_is_refused(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    changed = yayoi().replace(b",630900,0,", b",640900,0,")
    page, _row = upload_and_preview(adviser, early, "session2.csv", changed, seq=2)
    assert page.status_code == 409
    assert "両方にあり、数字が違います" in page.content.decode()
    assert ActualsImport.objects.count() == 1


def test_another_companys_file_is_refused(world: World, early: Case) -> None:
    other = advance(world, new_case(world, "early", company="b"), State.MONITORING)
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    page, _row = upload_and_preview(adviser, other, "yayoi-journal.csv", yayoi())
    assert page.status_code == 409 and "別の会社のファイル" in page.content.decode()
    # a file of other years (another company's, or another fiscal year's) is outside the plan
    old = yayoi().replace(b"R.07/", b"R.03/").replace(b"R.08/", b"R.04/")
    page, _row = upload_and_preview(adviser, other, "old.csv", old)
    assert page.status_code == 409 and "計画期間" in page.content.decode()
    assert not ActualsImport.objects.filter(case=other).exists()


def test_an_upload_over_the_limit_is_refused_before_reading(world: World, early: Case, monkeypatch: Any) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(uploads, "MAX_MAPPING_BYTES", 0)
    response = post_books(login("adviser_a"), early, "big.csv", b"x" * 200_000)
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not BooksUpload.objects.exists()


def test_who_reads_and_acknowledges(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    url = reverse("monitoring:report", args=[early.pk, 1])
    assert login("company_a").get(url).status_code == 200
    bank = login("bank_main")
    page = bank.get(url)
    assert page.status_code == 200 and "レポートを確認しました" in page.content.decode()
    assert bank.post(url, {"acknowledged": "on", "comment": "承知しました"}).status_code == 302
    reading = ReportReading.objects.get()
    assert reading.acknowledged and reading.bank == world.banks["main"]
    for outsider in ("bank_other", "council_tokyo", "adviser_b", "company_b"):
        assert login(outsider).get(url).status_code == 404, outsider
    # the files themselves stay inside the case; only a bank acknowledges
    assert bank.get(reverse("monitoring:upload", args=[early.pk, 1])).status_code == 403
    assert login("company_a").post(url, {"acknowledged": "on"}).status_code == 403
    assert bank.get(reverse("monitoring:preview", args=[early.pk, row.pk])).status_code == 403


def test_progress_is_validated_by_the_core_and_shown(world: World, early: Case) -> None:
    adviser = login("adviser_a")
    url = reverse("monitoring:progress", args=[early.pk, 1])
    bad = adviser.post(url, {"causes": "客数の減少", "status_0": "未着手", "started_0": "2025-10"})
    assert bad.status_code == 409 and "未着手" in bad.content.decode()
    ok = adviser.post(
        url,
        {"causes": "平日ランチの客数が計画を下回った", "countermeasures": "仕出しの案内", "status_0": "完了",
         "started_0": "2025-10", "completed_0": "2025-11", "evidence_0": "新メニュー表"},
    )  # fmt: skip
    assert ok.status_code == 302
    report = SessionReport.objects.get(session__seq=1, case=early)
    assert report.progress["causes"] == ["平日ランチの客数が計画を下回った"]
    assert report.progress["actions"][0]["status"] == "完了"
    assert (
        "平日ランチの客数" in login("company_a").get(reverse("monitoring:report", args=[early.pk, 1])).content.decode()
    )


def test_the_monitoring_claim_needs_the_sessions_report(world: World, early: Case) -> None:
    session = early.sessions.order_by("seq").first()
    assert session is not None
    adviser = world.user("adviser_a")
    kwargs: dict[str, Any] = {"on": dt.date(2025, 10, 1), "summary": "報告", "fee": 60_000,
                              "transfer_on": dt.date(2025, 10, 1), "transfer_amount": 20_000}  # fmt: skip
    with pytest.raises(case_services.WorkflowError, match="伴走支援レポートがまだありません"):
        case_services.report_monitoring(early, session, adviser, **kwargs)
    assert not early.claims.filter(kind="monitoring").exists()
    client = login("adviser_a")
    _page, row = upload_and_preview(client, early, "yayoi-journal.csv", yayoi())
    client.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    case_services.report_monitoring(early, session, adviser, **kwargs)
    assert early.claims.filter(kind="monitoring").count() == 1


def test_the_portfolio_lists_the_councils_cases_with_rates_and_escapes_the_csv(world: World, early: Case) -> None:
    early.company.name = "=HYPERLINK(1)"
    early.company.save()
    adviser = login("adviser_a")
    _page, row = upload_and_preview(adviser, early, "yayoi-journal.csv", yayoi())
    adviser.post(reverse("monitoring:preview", args=[early.pk, row.pk]))
    url = reverse("portfolio:portfolio")
    council = login("council_osaka")
    page = council.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and early.reference in body and "%" in body
    assert early.reference not in login("council_tokyo").get(url).content.decode()
    assert adviser.get(url).status_code == 403
    assert early.reference not in council.get(url, {"below": "10"}).content.decode()
    csv_body = council.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_body and early.reference in csv_body
