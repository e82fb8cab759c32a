"""A frozen version downloads as the programme's forms the core builds, filled with the web
case's details (keiei_web.plans.corecase); banks get only the 受取書/同意書 addressed to them.

Building takes a noticeable fraction of a second: every test builds at most what it checks (one form
with `only=`, the ZIP once).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from keiei.documents import form_docs
from keiei.plan import parse_plan
from keiei.plan.references import rename_banks
from keiei_web import access
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans.corecase import core_case
from keiei_web.plans.models import PlanDocument, PlanVersion
from keiei_web.plans.views import zip_bytes

from .conftest import PASSWORD, PLAN_V1, STEP_DATES, World, advance, example_plan, new_case

#: The 405 example with its first two banks named as the web's banks of the case, as the
#: editor's seed names them (the third, 東大阪信用金庫, is not a user of keiei).
PLAN_NAMED = copy.deepcopy(PLAN_V1)
rename_banks(
    PLAN_NAMED, {PLAN_NAMED["banks"][0]["name"]: "メイン銀行", PLAN_NAMED["banks"][1]["name"]: "セカンド信用金庫"}
)

FORMS_405 = [
    "form-1-application.pdf",
    "form-2-consent-1.pdf",
    "form-2-consent-2.pdf",
    "form-2-consent-3.pdf",
    "form-3-payment-claim.pdf",
    "form-4-monitoring-report.pdf",
]
SUBMITTED_ON = STEP_DATES[State.BANK_MEETING]


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def case(world: World) -> Case:
    """A 405 case whose plan (version 1) was submitted to both its banks; the firm and the
    company have the details the forms print."""
    firm = world.firms["a"]
    firm.certification_number = "106112345678"
    firm.save()
    company = world.companies["a"]
    company.representative = "江井 一郎"
    company.postal_code = "530-0001"
    company.save()
    c = advance(world, new_case(world, "405"), State.DRAFTING)
    services.save_plan(c, world.user("adviser_a"), PLAN_NAMED)
    c = advance(world, c, State.BANK_MEETING)
    assert PlanVersion.objects.filter(case=c).count() == 1
    return c


def url(case: Case, fmt: str, number: int = 1) -> str:
    return reverse("plans:download", args=[case.pk, number, fmt])


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed: apt-get install poppler-utils")
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


# --- the core's case from the web's -------------------------------------------------------------


def test_core_case_carries_what_the_web_knows(case: Case) -> None:
    version = PlanVersion.objects.get(case=case, number=1)
    core = core_case(case, version)
    assert core.application_date == case.applied_on == STEP_DATES[State.APPLIED]
    assert core.plan_date == SUBMITTED_ON  # the day the version went to the banks
    assert core.council == "大阪府中小企業活性化協議会"
    assert core.applicant is not None and core.adviser is not None
    assert (core.applicant.name, core.applicant.representative, core.applicant.postal_code) == (
        "株式会社エー",
        "江井 一郎",
        "530-0001",
    )
    assert core.applicant.address is None and core.applicant.phone is None
    assert (core.adviser.name, core.adviser.registration_number) == ("A会計事務所", "106112345678")
    assert core.adviser.bank_account is None
    # The web's fee per item becomes one lump-sum line (一式) per item: no hours or rate invented.
    assert case.estimated_fees
    assert [(x.item, x.hours, x.rate, x.amount) for x in core.fees] == [
        (k, None, None, v) for k, v in case.estimated_fees.items() if v
    ]
    assert all(x.task.endswith("（一式）") for x in core.fees)
    assert core.acceptance_date == case.accepted_on and core.agreement_date == case.agreed_on
    assert core_case(case).plan_date is None


def test_blank_web_fields_are_unknown_to_the_core(world: World) -> None:
    c = new_case(world, "405")
    core = core_case(c)
    assert core.application_date is None and core.plan_date is None
    assert core.applicant is not None and core.applicant.representative is None and core.applicant.postal_code is None
    assert core.adviser is not None and core.adviser.registration_number is None


# --- downloads -------------------------------------------------------------------------------------


def test_forms_zip_holds_every_form_of_the_programme(case: Case) -> None:
    response = login("adviser_a").get(url(case, "forms"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    filename = f"{case.reference}-v1-様式.zip"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(filename)}"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == FORMS_405
        assert {info.date_time for info in archive.infolist()} == {(2025, 5, 31, 0, 0, 0)}
        assert all(archive.read(name).startswith(b"%PDF") for name in FORMS_405)


def test_one_form_is_a_pdf_filled_with_the_case(case: Case, tmp_path: Path) -> None:
    response = login("company_a").get(url(case, "form-1-application"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"filename*=UTF-8''{case.reference}-v1-form-1-application.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "株式会社エー",  # the web's company, not the plan file's name (株式会社浪速精密工業)
        "江井 一郎",
        "A会計事務所",
        "106112345678",
        "大阪府中小企業活性化協議会",
        "令和7年4月6日",  # applied_on
        "一式",  # the estimate: one lump-sum line per item the web holds
        *(f"{v:,}" for v in case.estimated_fees.values() if v),
    ):
        assert expected in text, expected


def test_the_payment_claim_carries_the_acceptance_and_agreement_dates(case: Case, tmp_path: Path) -> None:
    from keiei.dates import wareki

    response = login("adviser_a").get(url(case, "form-3-payment-claim"))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert case.accepted_on is not None and wareki(case.accepted_on) in text
    if case.agreed_on is not None:
        assert wareki(case.agreed_on) in text


def test_a_bank_gets_its_own_consent_and_nothing_else(case: Case, tmp_path: Path) -> None:
    bank = login("bank_second")
    response = bank.get(url(case, "form-2-consent-2"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "セカンド信用金庫" in text and "株式会社エー" in text and "令和7年5月31日" in text
    for other in ("form-2-consent-1", "form-2-consent-3", "form-1-application", "form-3-payment-claim", "forms"):
        assert bank.get(url(case, other)).status_code == 403, other


def test_who_may_download_which_form_is_decided_in_access(world: World, case: Case) -> None:
    docs = {d.key: d for d in form_docs(parse_plan(PLAN_NAMED))}
    main, second, other = world.user("bank_main"), world.user("bank_second"), world.user("bank_other")
    assert access.may_download_form(main, case, docs["form-2-consent-1"].bank)
    assert not access.may_download_form(main, case, docs["form-2-consent-2"].bank)
    assert not access.may_download_form(second, case, docs["form-2-consent-3"].bank)
    assert not access.may_download_form(other, case, docs["form-2-consent-1"].bank)  # not a lender
    assert not access.may_download_form(main, case, None)
    assert access.may_download_form(main, case, "メイン　銀行")  # full-width space: same name
    for inside in ("adviser_a", "company_a", "council_osaka"):
        user = world.user(inside)
        assert access.may_download_all_forms(user, case)
        assert all(access.may_download_form(user, case, d.bank) for d in docs.values())
    assert not access.may_download_all_forms(main, case)
    assert not access.may_download_all_forms(world.user("adviser_b"), case)
    assert not access.may_download_form(world.user("adviser_b"), case, None)


def test_early_receipt_is_for_the_main_bank(world: World) -> None:
    c = new_case(world, "early")
    plan = example_plan("early-restaurant.yaml")
    main = next(b for b in plan["banks"] if b.get("main"))
    main["name"] = "メイン銀行"
    docs = {d.key: d for d in form_docs(parse_plan(plan))}
    assert "form-2-receipt" in docs and not any(k.startswith("form-2-consent") for k in docs)
    receipt = docs["form-2-receipt"].bank
    assert access.may_download_form(world.user("bank_main"), c, receipt)
    assert not access.may_download_form(world.user("bank_second"), c, receipt)


def test_unknown_formats_are_404(case: Case) -> None:
    adviser, bank = login("adviser_a"), login("bank_second")
    for fmt in ("docx", "form-9-nothing", "form-2-receipt", "form-2-consent-4", "formsx"):
        assert adviser.get(url(case, fmt)).status_code == 404, fmt
        assert bank.get(url(case, fmt)).status_code == 404, fmt
    assert adviser.get(url(case, "forms", number=2)).status_code == 404  # no such version


def test_outsiders_get_404_for_the_forms(case: Case) -> None:
    for user in ("adviser_b", "company_b", "bank_other", "council_tokyo"):
        client = login(user)
        for fmt in ("forms", "form-1-application", "form-2-consent-1"):
            assert client.get(url(case, fmt)).status_code == 404, (user, fmt)


def test_a_bank_cannot_download_a_version_not_submitted_to_it(world: World, case: Case) -> None:
    """A version frozen for the council only (e.g. a later application) stays invisible to banks."""
    revised = copy.deepcopy(PLAN_NAMED)
    revised["action_plan"][1]["measure"] = "外注加工の内製化（前倒し）"
    PlanDocument.objects.filter(case=case).update(data=revised)
    services.freeze_version(case, world.user("adviser_a"), "application", SUBMITTED_ON + dt.timedelta(days=1))
    assert login("adviser_a").get(reverse("plans:version", args=[case.pk, 2])).status_code == 200
    assert login("bank_second").get(url(case, "form-2-consent-2", number=2)).status_code == 404


# --- the version page's links ----------------------------------------------------------------------


def form_links(client: Client, case: Case) -> set[str]:
    page = client.get(reverse("plans:version", args=[case.pk, 1]))
    assert page.status_code == 200
    html = page.content.decode()
    base = reverse("plans:download", args=[case.pk, 1, "x"])[: -len("x/")]
    return {
        fmt for fmt in ["forms", *(n.removesuffix(".pdf") for n in FORMS_405), "pdf", "xlsx"] if f"{base}{fmt}/" in html
    }


def test_the_version_page_links_the_documents_each_user_may_download(case: Case) -> None:
    everything = {"forms", "pdf", "xlsx", *(n.removesuffix(".pdf") for n in FORMS_405)}
    for inside in ("adviser_a", "company_a", "council_osaka"):
        assert form_links(login(inside), case) == everything, inside
    assert form_links(login("bank_main"), case) == {"pdf", "xlsx", "form-2-consent-1"}
    second = login("bank_second")
    assert form_links(second, case) == {"pdf", "xlsx", "form-2-consent-2"}
    html = second.get(reverse("plans:version", args=[case.pk, 1])).content.decode()
    assert ">同意書（セカンド信用金庫）</a>" in html and "様式一式（ZIP）" not in html


def test_a_bank_not_named_in_the_plan_sees_why_it_has_no_form(world: World) -> None:
    c = advance(world, new_case(world, "405"), State.BANK_MEETING)  # the example's bank names
    client = login("bank_main")
    assert form_links(client, c) == {"pdf", "xlsx"}
    html = client.get(reverse("plans:version", args=[c.pk, 1])).content.decode()
    assert "メイン銀行あての受取書・同意書がありません" in html


# --- the plan's documents get the case too; the ZIP is reproducible ------------------------------


def test_workbook_and_plan_pdf_are_built_with_the_case(
    case: Case, monkeypatch: pytest.MonkeyPatch, fresh_documents_cache: Any
) -> None:
    import xlsxwriter
    from pypdf import PdfWriter

    import keiei.documents

    seen: dict[str, Any] = {}
    # Tiny real documents: the download checks what it serves (an arbitrary b"built" is refused).
    pdf, xlsx = io.BytesIO(), io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(pdf)
    book = xlsxwriter.Workbook(xlsx)
    book.add_worksheet().write_string(0, 0, "built")
    book.close()
    built = {"xlsx": xlsx.getvalue(), "pdf": pdf.getvalue()}

    def fake(name: str) -> Any:
        def build(plan: Any, check: Any, out: Path, **kwargs: Any) -> Path:
            seen[name] = kwargs["case"]
            Path(out).write_bytes(built[name])
            return Path(out)

        return build

    monkeypatch.setattr(keiei.documents, "build_workbook", fake("xlsx"))
    monkeypatch.setattr(keiei.documents, "build_plan_pdf", fake("pdf"))
    client = login("bank_main")  # banks read the plan's documents of the versions sent to them
    for fmt in ("xlsx", "pdf"):
        response = client.get(url(case, fmt))
        assert response.status_code == 200 and response.content == built[fmt]
        core = seen[fmt]
        assert core.adviser.name == "A会計事務所" and core.applicant.name == "株式会社エー"
        assert core.application_date == STEP_DATES[State.APPLIED] and core.plan_date == SUBMITTED_ON


def test_zip_bytes_are_reproducible() -> None:
    files = [("form-1-application.pdf", b"%PDF-1 a"), ("form-3-payment-claim.pdf", b"%PDF-1 b" * 100)]
    day = dt.date(2025, 9, 30)
    first = zip_bytes(files, day)
    assert first == zip_bytes(files, day)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == [n for n, _ in files]
        assert archive.read("form-3-payment-claim.pdf") == b"%PDF-1 b" * 100
        assert {i.date_time for i in archive.infolist()} == {(2025, 9, 30, 0, 0, 0)}
