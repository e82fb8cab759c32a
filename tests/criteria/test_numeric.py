"""The three numeric criteria on tiny plans, on both sides of every threshold."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from keiei.criteria import (
    DEBT_REPAYMENT_YEARS,
    NEGATIVE_NET_WORTH,
    ORDINARY_PROFIT,
    Criterion,
    NumericParameters,
    numeric_criteria,
    resolution_year,
    return_to_profit_year,
)
from keiei.errors import RulesDataError, Severity
from keiei.finance import project
from keiei.plan import Plan
from keiei.rules import rules_for

M = 1_000_000
DAY = dt.date(2025, 4, 1)


def judge(plan: Plan, **criteria: Any) -> dict[str, Criterion]:
    rules = rules_for(plan.program, DAY)
    if criteria:
        rules = dataclasses.replace(rules, criteria={**rules.criteria, **criteria})
    return {c.code: c for c in numeric_criteria(project(plan), NumericParameters.from_rules(rules))}


# --- the year rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3], 1),
        ([-1, -1, 1], 3),
        ([-1, -1, -1, 1, 1], 4),
        ([1, -1, 5, 5, 5], 3),  # a profit that falls back does not count
        ([5, 5, 0, 0, 0], 1),  # zero afterwards still "stays ≥ 0"
        ([-5, 5, 0, 0, 0], 2),
        ([5, 5, 0, 0, -1], None),
        ([0, 0, 0], None),  # never above zero
        ([-5, -4, -3], None),
    ],
)
def test_return_to_profit_year(values: list[int], expected: int | None) -> None:
    assert return_to_profit_year(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3], 1),
        ([-3, -1, 0, 2], 3),  # exactly zero is no longer 債務超過
        ([-3, -1, -1], None),
        ([1, -1, 1], 3),
        ([0], 1),
    ],
)
def test_resolution_year(values: list[int], expected: int | None) -> None:
    assert resolution_year(values) == expected


# --- return to ordinary profit -------------------------------------------------------------------


def test_profit_turning_positive_in_year_3_passes(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-3 * M, -1 * M, 1, 2 * M, 2 * M]))[ORDINARY_PROFIT]
    assert c.passed is True and c.severity is Severity.INFO
    assert c.details["return_year"] == 3 and c.details["return_period"] == "2028-03"
    assert "計画3年目（2028年3月期）に黒字化" in c.message
    assert c.where == "years.2028-03.pl.ordinary_profit"


def test_profit_turning_positive_in_year_4_fails(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-3 * M, -2 * M, -1, 2 * M, 2 * M]))[ORDINARY_PROFIT]
    assert c.passed is False and c.severity is Severity.WARNING  # 405: bank expectation
    assert c.details["return_year"] == 4
    assert "計画4年目" in c.message and "計画3年目までの黒字化に間に合いません" in c.message
    assert c.where == "years.2028-03.pl.ordinary_profit"  # the figure of year N


def test_profit_that_falls_back_into_loss_does_not_count(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, -1, -1, -1, 5 * M]))[ORDINARY_PROFIT]
    assert c.passed is False and c.details["return_year"] == 5


def test_profit_never_sustained(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 2 * M, -1]))[ORDINARY_PROFIT]
    assert c.passed is False and c.details["return_year"] is None
    assert "赤字に戻り" in c.message


def test_never_profitable(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-3 * M, -2 * M, -1 * M]))[ORDINARY_PROFIT]
    assert c.passed is False and "黒字化しません" in c.message and "△1,000千円" in c.message


def test_already_profitable_company_passes_with_a_message_saying_so(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 1 * M, 1 * M], base_ordinary=3 * M))[ORDINARY_PROFIT]
    assert c.passed is True and c.details["already_profitable"] is True
    assert c.message.startswith("基準期（2025年3月期）から経常黒字（3,000千円）")


def test_already_profitable_but_loss_in_plan_is_judged_normally(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-1 * M, -1 * M, -1 * M, 1 * M, 1 * M], base_ordinary=3 * M))[ORDINARY_PROFIT]
    assert c.passed is False and c.details["return_year"] == 4


def test_short_plan_must_show_profit_within_its_years(tiny_plan: Callable[..., Plan]) -> None:
    assert judge(tiny_plan([-1 * M, 1 * M], program="early"))[ORDINARY_PROFIT].passed is True
    c = judge(tiny_plan([-2 * M, -1 * M], program="early"))[ORDINARY_PROFIT]
    assert c.passed is False and c.where == "years.2027-03.pl.ordinary_profit"


# --- adjusted negative net worth -----------------------------------------------------------------


def test_negative_net_worth_resolved_in_year_5_passes(tiny_plan: Callable[..., Plan]) -> None:
    # base −10M; +2M a year → −8, −6, −4, −2, 0: exactly zero in year 5 is resolved
    c = judge(tiny_plan([2 * M] * 5, net_assets=-10 * M))[NEGATIVE_NET_WORTH]
    assert c.passed is True and c.details["resolution_year"] == 5
    assert c.where == "years.2030-03.bs.adjusted_net_assets"


def test_negative_net_worth_one_yen_short_in_year_5_fails(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([2 * M, 2 * M, 2 * M, 2 * M, 2 * M - 1], net_assets=-10 * M))[NEGATIVE_NET_WORTH]
    assert c.passed is False and c.details["resolution_year"] is None
    assert "解消しません" in c.message and "△0千円" not in c.message


def test_adjustments_make_the_book_positive_company_negative(tiny_plan: Callable[..., Plan]) -> None:
    plan = tiny_plan([1 * M] * 5, net_assets=5 * M, adjustment=-8 * M)  # 実態 −3M
    c = judge(plan)[NEGATIVE_NET_WORTH]
    assert c.details["base_adjusted_net_assets"] == -3 * M and c.details["negative_at_base"] is True
    assert c.passed is True and c.details["resolution_year"] == 3


def test_no_negative_net_worth_at_base_passes_with_a_message_saying_so(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-1 * M, 1 * M, 1 * M], net_assets=10 * M))[NEGATIVE_NET_WORTH]
    assert c.passed is True and "実質債務超過はなく" in c.message


def test_falling_into_negative_net_worth_during_the_plan_is_judged(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([-3 * M, -3 * M, -3 * M], net_assets=5 * M))[NEGATIVE_NET_WORTH]
    assert c.passed is False


# --- debt repayment years ----------------------------------------------------------------------


def test_debt_repayment_years_exactly_10_passes(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 5 * M], debt=50 * M))[DEBT_REPAYMENT_YEARS]
    assert c.passed is True and c.details["value"] == 10.0
    assert "10.00年" in c.message and "以内" in c.message


def test_debt_repayment_years_10_01_fails(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 5 * M], debt=50_050_000))[DEBT_REPAYMENT_YEARS]
    assert c.passed is False and c.details["value"] == 10.01
    assert "10.01年" in c.message and "超えます" in c.message


def test_a_hair_above_10_fails_and_is_not_shown_as_10(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 5 * M], debt=50_000_001))[DEBT_REPAYMENT_YEARS]
    assert c.passed is False and "10.01年" in c.message  # rounded up, never "10.00"


def test_debt_repayment_years_undefined_fails(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([5 * M, -1 * M]))[DEBT_REPAYMENT_YEARS]
    assert c.passed is False and c.details["value"] is None and "算定できません" in c.message


def test_no_net_debt_passes_with_zero_years(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 1 * M], debt=0))[DEBT_REPAYMENT_YEARS]
    assert c.passed is True and c.details["value"] == 0.0


def test_only_the_final_year_counts(tiny_plan: Callable[..., Plan]) -> None:
    c = judge(tiny_plan([1 * M, 1 * M, 10 * M], debt=50 * M))[DEBT_REPAYMENT_YEARS]
    assert c.passed is True and c.details["by_year"] == {"2026-03": 50.0, "2027-03": 50.0, "2028-03": 5.0}


# --- weight by programme -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "severity"),
    [("early", Severity.INFO), ("405", Severity.WARNING), ("405-gl", Severity.ERROR)],
)
def test_failed_numeric_criteria_weigh_as_the_programme_applies_them(
    tiny_plan: Callable[..., Plan], program: str, severity: Severity
) -> None:
    verdicts = judge(tiny_plan([-3 * M, -3 * M, -3 * M], program=program, net_assets=-1 * M))
    assert all(c.passed is False for c in verdicts.values())
    assert {c.severity for c in verdicts.values()} == {severity}
    assert {c.weight for c in verdicts.values()} == {severity}
    applies = {"early": "reference_only", "405": "bank_expectation", "405-gl": "requirement"}[program]
    assert {c.details["applies"] for c in verdicts.values()} == {applies}


def test_passed_criteria_are_info_but_keep_their_weight(tiny_plan: Callable[..., Plan]) -> None:
    verdicts = judge(tiny_plan([1 * M] * 3, program="405-gl", debt=5 * M))
    assert {c.severity for c in verdicts.values()} == {Severity.INFO}
    assert {c.weight for c in verdicts.values()} == {Severity.ERROR}


# --- parameters are rules, ids do not change -----------------------------------------------------


def test_changed_periods_keep_the_ids_and_show_the_parameter(tiny_plan: Callable[..., Plan]) -> None:
    plan = tiny_plan([-1 * M, -1 * M, 3 * M, 1 * M], net_assets=-1 * M)  # 実態 −2, −3, 0, 1
    default = judge(plan)
    assert default[ORDINARY_PROFIT].passed is True and default[NEGATIVE_NET_WORTH].passed is True
    strict = judge(plan, ordinary_profit_within_years=2, negative_net_worth_within_years=2)
    assert set(strict) == {ORDINARY_PROFIT, NEGATIVE_NET_WORTH, DEBT_REPAYMENT_YEARS}
    assert strict[ORDINARY_PROFIT].passed is False and strict[ORDINARY_PROFIT].details["within_years"] == 2
    assert strict[ORDINARY_PROFIT].label == "経常黒字化（2年以内）"
    assert "計画2年目" in strict[ORDINARY_PROFIT].message
    assert strict[NEGATIVE_NET_WORTH].passed is False and strict[NEGATIVE_NET_WORTH].details["within_years"] == 2
    assert strict[NEGATIVE_NET_WORTH].label == "実質債務超過の解消（2年以内）"


def test_changed_ceiling_keeps_the_id(tiny_plan: Callable[..., Plan]) -> None:
    plan = tiny_plan([1 * M, 5 * M], debt=50 * M)  # 10 years
    c = judge(plan, debt_repayment_years_max=8)[DEBT_REPAYMENT_YEARS]
    assert c.passed is False and c.details["max"] == 8 and "8年" in c.label
    c = judge(plan, debt_repayment_years_max=12.5)[DEBT_REPAYMENT_YEARS]
    assert c.passed is True and c.details["max"] == 12.5 and "12.5年" in c.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("applies", "sometimes"),
        ("ordinary_profit_within_years", 0),
        ("ordinary_profit_within_years", "3"),
        ("negative_net_worth_within_years", True),
        ("debt_repayment_years_max", -1),
        ("debt_repayment_years_max", "ten"),
        ("debt_repayment_years_max", None),
    ],
)
def test_bad_rule_parameters_are_one_rules_error_naming_the_key(key: str, value: Any) -> None:
    rules = rules_for("405", DAY)
    bad = dataclasses.replace(rules, criteria={**rules.criteria, key: value})
    with pytest.raises(RulesDataError) as info:
        NumericParameters.from_rules(bad)
    assert info.value.field == f"405.yaml: criteria.{key}"
