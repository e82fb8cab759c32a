"""The case file: schema, Japanese errors, fee lines → fee per item."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from keiei.documents import CaseInputError, load_case, parse_case
from keiei.documents.forms import council_name
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]
EXAMPLE_CASE = ROOT / "examples" / "cases" / "405-manufacturer-case.yaml"
CAFE = Path(__file__).parent / "data" / "early-cafe.yaml"


def test_example_case() -> None:
    case = load_case(EXAMPLE_CASE)
    assert case.application_date == dt.date(2025, 4, 15) and case.plan_date == dt.date(2025, 9, 30)
    assert case.adviser is not None and case.adviser.bank_account is not None
    assert case.adviser.registration_number == "000000000000"
    assert case.fees_by_item() == {"plan": 1_848_000, "monitoring": 720_000}


def test_fee_amount_is_truncated_to_whole_yen() -> None:
    case = parse_case({"engagement": {"fees": [{"item": "plan", "task": "分析", "hours": 1.5, "rate": 12_345}]}})
    assert case.fees[0].hours == Decimal("1.5") and case.fees[0].amount == 18_517  # 18,517.5 → 18,517


def test_a_lump_sum_line_has_no_hours_and_counts_its_amount() -> None:
    case = parse_case(
        {
            "engagement": {
                "fees": [
                    {"item": "plan", "task": "計画策定支援（一式）", "amount": 1_200_000},
                    {"item": "plan", "task": "分析", "hours": 10, "rate": 10_000},
                ]
            }
        }
    )
    assert case.fees[0].hours is None and case.fees[0].rate is None and case.fees[0].amount == 1_200_000
    assert case.fees_by_item() == {"plan": 1_300_000}


def test_a_fee_line_without_hours_or_lump_sum_is_refused() -> None:
    from keiei.case.file import FeeLine

    with pytest.raises(ValueError, match="lump sum"):
        FeeLine(item="plan", task="x", hours=Decimal(1))


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("case: {application_date: 2025-13-01}\n", "case.application_date", "YYYY-MM-DD"),
        ("case: {adviser: {nmae: x}}\n", "case.adviser.nmae", "name"),
        ("engagement: {fees: [{item: plan, task: x, hours: -1, rate: 1000}]}\n", "engagement.fees[0].hours", "0"),
        ("engagement: {fees: [{item: audit, task: x, hours: 1, rate: 1000}]}\n", "engagement.fees[0].item", "plan"),
        ("engagement: {fees: [{item: plan, task: x}]}\n", "engagement.fees[0]", "amount（一式の金額）"),
        ("engagement: {fees: [{item: plan, task: x, hours: 1, rate: 9, amount: 9}]}\n", "engagement.fees[0]", "hours"),
        ("engagement: {fees: [{item: plan, task: x, amount: -1}]}\n", "engagement.fees[0].amount", "0"),
        # issue 9: dates in their window, real days, bounded text and structure
        ("case: {application_date: 9999-12-31}\n", "case.application_date", "2000-01-01 から 2100-12-31 まで"),
        ("case: {plan_date: 2025-02-30}\n", "case.plan_date", "存在しない日付です"),
        ("case: {council: " + "あ" * 201 + "}\n", "case.council", "200 文字以内"),
        ("notes: " + "[" * 5000 + "]" * 5000 + "\n", "case.yaml", "入れ子が深すぎます（20 段まで）"),
        ("notes: " + "あ" * 200_000 + "\n", "notes", "文字列が長すぎます"),
    ],
)
def test_schema_errors_name_the_field(tmp_path: Path, text: str, where: str, message: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseInputError) as info:
        load_case(path)
    assert where in info.value.field and str(path) in info.value.field
    assert message in info.value.message_ja


def test_unreadable_case_file(tmp_path: Path) -> None:
    with pytest.raises(CaseInputError) as info:
        load_case(tmp_path / "missing.yaml")
    assert "見つかりません" in info.value.message_ja
    (tmp_path / "bad.yaml").write_text("case: [\n", encoding="utf-8")
    with pytest.raises(CaseInputError):
        load_case(tmp_path / "bad.yaml")


def test_council_from_the_postal_code() -> None:
    plan = load_plan(CAFE)
    assert council_name(plan, parse_case({})) == "東京都中小企業活性化協議会"
    assert council_name(plan, parse_case({"case": {"council": "某協議会"}})) == "某協議会"
