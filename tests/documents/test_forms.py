"""The forms: filled from the plan and the case, subsidy from keiei.subsidy, the programme's
bank step (受取書 for early, one 同意書 per lending bank for 405), blanks when no case."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from keiei.documents import build_consent, build_receipt, load_case, parse_case
from keiei.documents.forms import FORM_NOTE, build_forms
from keiei.errors import KeieiInputError
from keiei.finance import project
from keiei.money import format_thousand_yen
from keiei.plan import load_plan
from keiei.subsidy import compute_subsidy

ROOT = Path(__file__).parents[2]

MANUFACTURER = ROOT / "examples" / "405-manufacturer.yaml"
MANUFACTURER_CASE = ROOT / "examples" / "cases" / "405-manufacturer-case.yaml"
CAFE = Path(__file__).parent / "data" / "early-cafe.yaml"


def flat(text: str) -> str:
    """Text without white space: table cells wrap and titles are letter-spaced in the PDF."""
    return re.sub(r"\s+", "", text)


def test_every_form_says_it_is_modelled_on_public_descriptions() -> None:
    assert "公式の様式ファイルではありません" in FORM_NOTE and "公開資料の記述" in FORM_NOTE


def test_405_package_has_one_consent_per_bank(manufacturer_dir: Path) -> None:
    names = sorted(p.name for p in manufacturer_dir.glob("form-*.pdf"))
    assert names == [
        "form-1-application.pdf",
        "form-2-consent-1.pdf",
        "form-2-consent-2.pdf",
        "form-2-consent-3.pdf",
        "form-3-payment-claim.pdf",
        "form-4-monitoring-report.pdf",
    ]


def test_application_uses_the_subsidy_calculator(manufacturer_dir: Path, pdf_text: Callable[[Path], str]) -> None:
    case = load_case(MANUFACTURER_CASE)
    result = compute_subsidy("405", case.fees_by_item(), case.application_date)  # type: ignore[arg-type]
    text = flat(pdf_text(manufacturer_dir / "form-1-application.pdf"))
    for expected in (
        "利用申請書",
        "申請者の概要",
        "業務別見積明細書",
        "大阪府中小企業活性化協議会",  # from the company's postal code
        "なにわ経営会計事務所（架空）",
        "令和7年4月15日",
        f"{result.total_fee:,}円",
        f"{result.total_subsidy:,}円",
        f"{result.company_share:,}円",
        "財務デューデリジェンス",
        "公式の様式ファイルではありません",
    ):
        assert flat(expected) in text, expected
    assert result.total_subsidy == 1_712_000


def test_consents_carry_each_banks_figures(manufacturer_dir: Path, pdf_text: Callable[[Path], str]) -> None:
    projection = project(load_plan(MANUFACTURER))
    for i, bank in enumerate(projection.banks, 1):
        text = flat(pdf_text(manufacturer_dir / f"form-2-consent-{i}.pdf"))
        assert "同意書" in text and bank.name in text
        assert f"{bank.repayment[0]:,}円" in text and f"{bank.contractual_repayment[0]:,}円" in text
        assert "公式の様式ファイルではありません" in text


def test_payment_claim_and_monitoring_report(manufacturer_dir: Path, pdf_text: Callable[[Path], str]) -> None:
    claim = flat(pdf_text(manufacturer_dir / "form-3-payment-claim.pdf"))
    assert "支払申請書" in claim and "616,000円" in claim  # half of the plan subsidy (paid in two halves)
    assert "すべての取引金融機関の同意書" in claim and "ナニワケイエイカイケイジムシヨ" in claim
    report = flat(pdf_text(manufacturer_dir / "form-4-monitoring-report.pdf"))
    first = project(load_plan(MANUFACTURER)).plan_years[0]
    assert "伴走支援報告書" in report and format_thousand_yen(first.pl.sales) in report
    assert "不採算品目の価格改定" in report


def test_early_package_without_case(cafe_dir: Path, pdf_text: Callable[[Path], str]) -> None:
    assert sorted(p.name for p in cafe_dir.glob("form-*.pdf")) == [
        "form-1-application.pdf",
        "form-2-receipt.pdf",
        "form-3-payment-claim.pdf",
        "form-4-monitoring-report.pdf",
    ]
    receipt = flat(pdf_text(cafe_dir / "form-2-receipt.pdf"))
    assert "受取書" in receipt and "テスト信用金庫" in receipt and "丸の内支店" in receipt
    application = flat(pdf_text(cafe_dir / "form-1-application.pdf"))
    assert "早期経営改善計画策定支援" in application
    assert "案件ファイル（--case）に業務別の時間と単価を記入すると" in application  # blanks, not invented figures
    assert "150,000円" in application  # the plan item's cap under the rules of the day


def test_fee_item_outside_the_programme_is_an_input_error(tmp_path: Path) -> None:
    case = parse_case({"engagement": {"fees": [{"item": "dd", "task": "DD", "hours": 10, "rate": 10000}]}}, "c.yaml")
    with pytest.raises(KeieiInputError) as info:
        build_forms(load_plan(MANUFACTURER), case, tmp_path)
    assert "engagement.fees" in info.value.field and "dd" in info.value.message_ja


def test_single_form_builders_check_the_programme(tmp_path: Path) -> None:
    with pytest.raises(KeieiInputError):
        build_receipt(load_plan(MANUFACTURER), None, tmp_path / "r.pdf")
    with pytest.raises(KeieiInputError):
        build_consent(load_plan(CAFE), None, tmp_path / "c.pdf", bank=1)
