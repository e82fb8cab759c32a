"""The subsidy calculator: properties over every programme and a spread of dates, plus the API.

The worked examples (exact yen on both sides of every effective date) are YAML cases in
tests/rules/cases/; here hypothesis checks what must hold for any fees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from keiei.errors import KeieiInputError
from keiei.rules import PROGRAMS, all_effective_dates, program_start, rules_for
from keiei.rules import programs as programs_mod
from keiei.subsidy import SubsidyResult, compute_subsidy

LAST_DAY = dt.date(2031, 12, 31)
#: Every effective date of every file, the day before it, and a few ordinary days.
NOTABLE_DATES = sorted(
    {d + dt.timedelta(days=k) for dates in all_effective_dates().values() for d in dates for k in (-1, 0)}
    | {dt.date(2019, 7, 1), dt.date(2023, 6, 30), dt.date(2026, 4, 1), LAST_DAY}
)


def dates_for(program: str) -> st.SearchStrategy[dt.date]:
    start = program_start(program)
    notable = [d for d in NOTABLE_DATES if d >= start]
    return st.one_of(st.sampled_from(notable), st.dates(min_value=start, max_value=LAST_DAY))


def fee_values(cap: int) -> st.SearchStrategy[int]:
    """Fees near the interesting points of a cap, small fees, and anything up to a large fee."""
    bind = cap * 3 // 2
    return st.one_of(
        st.integers(0, 20),
        st.sampled_from([bind - 1, bind, bind + 1, bind + 2, bind + 3, 2 * bind]),
        st.integers(0, 12_000_000),
    )


@st.composite
def scenarios(draw: st.DrawFn, *, with_previous: bool = False) -> tuple[str, dt.date, dict[str, int], int | None]:
    program = draw(st.sampled_from(PROGRAMS))
    on = draw(dates_for(program))
    rules = rules_for(program, on)
    fees: dict[str, int] = {}
    for key, item in rules.items.items():
        if draw(st.booleans()):
            fees[key] = draw(fee_values(item.cap))
    previous: int | None = None
    if with_previous and rules.repeat_use.get("policy") != "not_allowed" and draw(st.booleans()):
        previous = draw(st.one_of(st.integers(0, 3_500_000), st.sampled_from([0, 2_999_999, 3_000_000])))
    return program, on, fees, previous


def rounded_share(amount: int, fraction: Fraction, mode: str) -> int:
    """amount × p/q in whole yen, worked with integers only (not the engine's `to_yen`):
    truncate is floor(a·p/q); half_up is floor((2·a·p + q) / 2q), i.e. + 1/2 then floor."""
    p, q = fraction.numerator, fraction.denominator
    if mode == "truncate":
        return amount * p // q
    assert mode == "half_up", mode
    return (2 * amount * p + q) // (2 * q)


def check_invariants(result: SubsidyResult, previous: int | None = None) -> None:
    rules = result.rules
    counted = 0
    add_on = 0
    for item in result.items:
        rule = rules.items[item.item]
        assert 0 <= item.subsidy <= item.cap == rule.cap, item
        if rules.yen_rounding == "truncate":
            assert 3 * item.subsidy <= 2 * item.fee, item
        else:  # half_up may add less than half a yen: subsidy ≤ fee × 2/3 + 1/2
            assert 6 * item.subsidy <= 4 * item.fee + 3, item
        # Never more than fee × 2/3 rounded as the data says, and exactly that when no cap bound.
        assert item.two_thirds == rounded_share(item.fee, rules.rate, rules.yen_rounding)
        if rules.yen_rounding == "truncate":
            assert item.two_thirds == item.fee * 2 // 3
        if item.limited_by is None:
            assert item.subsidy == item.two_thirds, item
        else:
            assert item.subsidy < item.two_thirds, item
        if rule.counts_toward_total:
            counted += item.subsidy
        else:
            add_on += item.subsidy
    assert counted <= rules.total_cap
    assert result.total_subsidy <= rules.total_cap + rules.guarantee_release_cap()
    assert result.total_subsidy == counted + add_on
    assert result.total_fee == sum(i.fee for i in result.items)
    assert result.company_share == result.total_fee - result.total_subsidy >= 0
    assert sum(c.amount for c in result.payment_schedule) == result.total_subsidy
    assert all(c.amount >= 0 for c in result.payment_schedule)
    assert all(c.amount == sum(c.items.values()) for c in result.payment_schedule)
    if previous is not None and rules.cumulative_cap is not None:
        assert result.total_subsidy <= max(0, rules.cumulative_cap - previous)


@given(scenarios())
def test_caps_rate_share_and_schedule_hold_for_any_fees(scenario: tuple[Any, ...]) -> None:
    program, on, fees, _ = scenario
    check_invariants(compute_subsidy(program, fees, on))


@given(scenarios(with_previous=True))
def test_invariants_hold_for_repeat_use_too(scenario: tuple[Any, ...]) -> None:
    program, on, fees, previous = scenario
    check_invariants(compute_subsidy(program, fees, on, previous_subsidy=previous), previous)


@given(scenarios(with_previous=True), st.data())
def test_subsidy_never_decreases_as_one_fee_grows(scenario: tuple[Any, ...], data: st.DataObject) -> None:
    program, on, fees, previous = scenario
    assume(fees)
    key = data.draw(st.sampled_from(sorted(fees)))
    more = dict(fees)
    more[key] += data.draw(st.one_of(st.integers(1, 3), st.integers(1, 5_000_000)))
    before = compute_subsidy(program, fees, on, previous_subsidy=previous)
    after = compute_subsidy(program, more, on, previous_subsidy=previous)
    assert after.total_subsidy >= before.total_subsidy
    own_before = next(i.subsidy for i in before.items if i.item == key)
    own_after = next(i.subsidy for i in after.items if i.item == key)
    assert own_after >= own_before
    assert after.company_share >= before.company_share


@given(scenarios())
def test_the_plan_claim_gets_the_floor_half_when_the_plan_subsidy_is_split(scenario: tuple[Any, ...]) -> None:
    program, on, fees, _ = scenario
    result = compute_subsidy(program, fees, on)
    plan = next((i.subsidy for i in result.items if i.item == "plan"), 0)
    claims = {c.claim: c for c in result.payment_schedule}
    if not plan:
        assert all("plan_deferred_half" not in c.items for c in result.payment_schedule)
        return
    if result.rules.plan_split:
        half = rounded_share(plan, Fraction(1, 2), result.rules.yen_rounding)
        assert claims["plan"].items["plan"] == half
        if result.rules.yen_rounding == "truncate":
            assert half == plan // 2
        deferred = [c for c in result.payment_schedule if "plan_deferred_half" in c.items]
        assert len(deferred) == 1
        assert deferred[0].items["plan_deferred_half"] == plan - half
        assert deferred[0].claim != "plan"
    else:
        assert claims["plan"].items["plan"] == plan


@given(st.sampled_from(PROGRAMS), st.data())
def test_fees_at_one_and_a_half_times_every_cap_give_the_maximum(program: str, data: st.DataObject) -> None:
    on = data.draw(dates_for(program))
    rules = rules_for(program, on)
    fees = {key: item.cap * 3 // 2 for key, item in rules.items.items()}
    result = compute_subsidy(program, fees, on)
    assert result.total_subsidy == rules.max_subsidy(guarantee_release=True)


@given(st.sampled_from(PROGRAMS), st.data())
def test_an_unknown_item_is_refused_naming_fee_and_listing_the_items(program: str, data: st.DataObject) -> None:
    on = data.draw(dates_for(program))
    with pytest.raises(KeieiInputError) as caught:
        compute_subsidy(program, {"consulting": 1}, on)
    assert caught.value.field == "--fee"
    for key in rules_for(program, on).items:
        assert key in caught.value.message_ja


# --- the API directly ---------------------------------------------------------------------------


def test_the_result_as_dict_carries_the_spec_keys() -> None:
    result = compute_subsidy("early", {"plan": 225000, "monitoring_end": 75000}, dt.date(2026, 4, 1))
    data = result.as_dict()
    assert {
        "program",
        "as_of",
        "items",
        "total_fee",
        "total_subsidy",
        "company_share",
        "payment_schedule",
        "warnings",
    } <= set(data)
    assert data["program"] == "early"
    assert data["as_of"] == "2026-04-01"
    assert data["total_fee"] == 300000
    assert data["total_subsidy"] == 200000
    assert data["company_share"] == 100000
    assert [(i["item"], i["fee"], i["cap"], i["subsidy"]) for i in data["items"]] == [
        ("plan", 225000, 150000, 150000),
        ("monitoring_end", 75000, 50000, 50000),
    ]


@pytest.mark.parametrize("fee", [-1, 1.5, "100", True, None])
def test_a_fee_that_is_not_a_non_negative_integer_is_refused(fee: Any) -> None:
    with pytest.raises(KeieiInputError) as caught:
        compute_subsidy("405", {"plan": fee}, dt.date(2026, 4, 1))
    assert caught.value.field == "--fee"


def test_an_item_not_yet_available_says_when_it_begins() -> None:
    with pytest.raises(KeieiInputError) as caught:
        compute_subsidy("early", {"monitoring_mid": 30000}, dt.date(2021, 4, 1))
    assert caught.value.field == "--fee"
    assert "2022-04-01" in caught.value.message_ja
    assert "plan" in caught.value.message_ja and "monitoring_end" in caught.value.message_ja


def test_a_date_before_the_programme_names_date_and_the_start() -> None:
    with pytest.raises(KeieiInputError) as caught:
        compute_subsidy("405-gl", {"plan": 1}, dt.date(2022, 4, 14))
    assert caught.value.field == "--date"
    assert "2022-04-15" in caught.value.message_ja


def test_every_warning_names_where_it_applies() -> None:
    result = compute_subsidy(
        "405", {"plan": 3_000_003, "guarantee_release": 150_000}, dt.date(2026, 4, 1), previous_subsidy=100
    )
    codes = [w.code for w in result.warnings]
    assert {
        "item_cap_reached",
        "process_chart_required",
        "guarantee_release_evidence",
        "mandatory_item_missing",
        "plan_split_without_monitoring",
        "repeat_use_exception",
        "cumulative_cap",
    } <= set(codes)
    assert len(codes) == len(set(codes))
    for warning in result.warnings:
        assert warning.where and warning.message


def test_an_absurdly_large_fee_still_gets_the_cap() -> None:
    result = compute_subsidy("early", {"plan": 10**30}, dt.date(2026, 4, 1))
    assert result.total_subsidy == 150000


# --- the rounding comes from the data: dated test rules, truncate then half_up ----------------

ROUNDING_CHANGES = dt.date(2027, 1, 1)


@pytest.fixture
def half_up_from_2027(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A copy of the shipped rules whose yen rounding turns from truncate to half_up in 2027."""
    for name in [*PROGRAMS, "common"]:
        text = (programs_mod.data_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        if name == "common":
            marker = '        note: "円未満切り捨て。公式の端数処理規定は未確認です。"\n'
            assert marker in text
            text = text.replace(
                marker,
                marker + f"      {ROUNDING_CHANGES.isoformat()}:\n"
                "        value: half_up\n"
                '        reference: "test data: the rounding changes"\n',
                1,
            )
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(programs_mod, "data_dir", lambda: tmp_path)
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()
    yield
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()


@pytest.mark.usefixtures("half_up_from_2027")
def test_the_rate_and_the_plan_split_round_as_the_data_says_on_both_sides_of_its_date() -> None:
    before, after = ROUNDING_CHANGES - dt.timedelta(days=1), ROUNDING_CHANGES
    assert (rules_for("405", before).yen_rounding, rules_for("405", after).yen_rounding) == ("truncate", "half_up")
    # 2/3 of 1 yen: 0.67 → 0 truncated, 1 rounded half up.
    assert compute_subsidy("early", {"monitoring_end": 1}, before).total_subsidy == 0
    assert compute_subsidy("early", {"monitoring_end": 1}, after).total_subsidy == 1
    # 405 plan fee 100,001: subsidy 66,667.33 → 66,667 either way (odd), split into halves.
    fees = {"plan": 100_001, "monitoring": 30_000}
    for day, plan_claim, deferred in ((before, 33_333, 33_334), (after, 33_334, 33_333)):
        result = compute_subsidy("405", fees, day)
        claims = {c.claim: c.items for c in result.payment_schedule}
        assert claims["plan"]["plan"] == plan_claim, day
        assert claims["monitoring"]["plan_deferred_half"] == deferred, day
        assert claims["monitoring"]["monitoring"] == 20_000, day
        check_invariants(result)


@pytest.mark.usefixtures("half_up_from_2027")
@given(scenarios())
def test_invariants_hold_under_half_up_rounding_too(scenario: tuple[Any, ...]) -> None:
    program, on, fees, _ = scenario
    on = max(on, ROUNDING_CHANGES)
    fees = {k: v for k, v in fees.items() if k in rules_for(program, on).items}
    check_invariants(compute_subsidy(program, fees, on))
