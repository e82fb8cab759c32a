"""The advisor picks the programme the pamphlet's flow gives, with caps from the dated rules."""

from __future__ import annotations

import datetime as dt

import pytest

from keiei.advisor import Answers, advise

TODAY = dt.date(2026, 11, 27)


def answers(**overrides: object) -> Answers:
    base: dict[str, object] = {
        "has_borrowing": True,
        "needs_rescheduling": False,
        "needs_forgiveness_or_gl": False,
        "has_main_bank": True,
        "single_bank_unguaranteed_only": False,
        "used_before": "none",
        "wants_guarantee_release": False,
    }
    base.update(overrides)
    return Answers(**base)  # type: ignore[arg-type]


def test_no_change_of_terms_needed_gives_early_with_its_250000_cap_and_receipt() -> None:
    advice = advise(answers(), TODAY)
    assert advice.program == "early"
    assert advice.max_subsidy == 250_000
    assert advice.bank_step is not None and "受取書" in advice.bank_step
    assert "アクションプラン" in advice.plan_contents
    assert any("事前相談書" in d for d in advice.documents)


def test_early_with_guarantee_release_adds_100000() -> None:
    advice = advise(answers(wants_guarantee_release=True), TODAY)
    assert advice.max_subsidy == 350_000
    assert any(i["item"] == "guarantee_release" for i in advice.subsidy_items)


def test_rescheduling_gives_405_with_consent_of_every_bank() -> None:
    advice = advise(answers(needs_rescheduling=True), TODAY)
    assert advice.program == "405"
    assert advice.max_subsidy == 3_000_000
    assert advice.bank_step is not None and "同意書" in advice.bank_step
    assert any("工程表" in d for d in advice.documents)


def test_debt_forgiveness_gives_405_gl_without_guarantee_add_on() -> None:
    advice = advise(answers(needs_rescheduling=True, needs_forgiveness_or_gl=True, wants_guarantee_release=True), TODAY)
    assert advice.program == "405-gl"
    assert advice.max_subsidy == 7_000_000
    assert any("加算はありません" in c for c in advice.cautions)


def test_gl_frame_did_not_exist_before_2022_04_15() -> None:
    before = advise(answers(needs_rescheduling=True, needs_forgiveness_or_gl=True), dt.date(2022, 4, 14))
    on = advise(answers(needs_rescheduling=True, needs_forgiveness_or_gl=True), dt.date(2022, 4, 15))
    assert before.program is None
    assert on.program == "405-gl"


def test_single_bank_unguaranteed_only_is_not_eligible_for_405() -> None:
    advice = advise(answers(needs_rescheduling=True, single_bank_unguaranteed_only=True), TODAY)
    assert advice.program is None
    assert any(r.name == "よろず支援拠点" for r in advice.referrals)
    assert any("対象外" in r for r in advice.reasons)


def test_second_use_of_early_is_refused_from_2024_04_01_only() -> None:
    assert advise(answers(used_before="early"), dt.date(2024, 4, 1)).program is None
    earlier = advise(answers(used_before="early"), dt.date(2024, 3, 31))
    assert earlier.program == "early"
    assert earlier.cautions


def test_second_use_of_405_is_an_exception_with_a_cumulative_cap() -> None:
    advice = advise(answers(needs_rescheduling=True, used_before="405", wants_guarantee_release=True), TODAY)
    assert advice.program == "405"
    assert advice.max_subsidy == 3_000_000  # 3,100,000 with the add-on, limited by the cumulative cap
    assert any("原則" in c for c in advice.cautions)


def test_early_before_2022_had_a_200000_total() -> None:
    assert advise(answers(), dt.date(2021, 6, 1)).max_subsidy == 200_000


def test_no_borrowing_still_allows_early_through_the_settlement_bank() -> None:
    advice = advise(answers(has_borrowing=False, has_main_bank=False), TODAY)
    assert advice.program == "early"
    assert any("決済口座" in r for r in advice.reasons)


def test_no_borrowing_cannot_use_rescheduling_or_forgiveness() -> None:
    assert advise(answers(has_borrowing=False, needs_rescheduling=True), TODAY).program is None
    assert advise(answers(has_borrowing=False, needs_forgiveness_or_gl=True), TODAY).program is None


def test_borrowing_without_main_bank_is_cautioned() -> None:
    advice = advise(answers(has_main_bank=False), TODAY)
    assert any("メイン金融機関" in c for c in advice.cautions)


def test_succession_concern_refers_to_the_succession_centre() -> None:
    advice = advise(answers(succession_concern=True), TODAY)
    assert any(r.name == "事業承継・引継ぎ支援センター" for r in advice.referrals)


@pytest.mark.parametrize("used", ["x", "406"])
def test_unknown_used_before_is_an_input_error(used: str) -> None:
    from keiei.errors import KeieiInputError

    with pytest.raises(KeieiInputError) as info:
        advise(answers(used_before=used), TODAY)
    assert info.value.field == "--used-before"
