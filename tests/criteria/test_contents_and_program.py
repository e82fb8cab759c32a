"""Required contents, plan period, financial support and figures, on tiny plans."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from keiei.criteria import (
    FIGURES_VALID,
    FINANCIAL_SUPPORT,
    PLAN_PERIOD,
    Criterion,
    content_criteria,
    evaluate,
    figures_criterion,
    financial_support_criterion,
    plan_period_criterion,
)
from keiei.errors import Finding, Severity
from keiei.finance import project, validate_plan
from keiei.plan import Plan, parse_plan
from keiei.rules import rules_for

DAY = dt.date(2025, 4, 1)
M = 1_000_000

FULL: dict[str, Any] = {
    "company": {
        "address": "大阪府大阪市（架空）",
        "industry": "製造業",
        "representative": "代表取締役 テスト",
        "business": "部品の製造",
    },
    "business_model": {
        "suppliers": [{"name": "仕入先"}],
        "customers": [{"name": "販売先"}],
        "flows": [{"from": "株式会社テスト", "to": "販売先", "what": "製品", "kind": "goods"}],
    },
    "cash_table": {"months": [{"month": "2025-04", "kind": "plan", "operating_in": {"売上": 9 * M}}]},
    "action_plan": [{"measure": "値上げ", "owner": "社長", "deadline": "2025-09"}],
    "causes_of_distress": ["受注の減少"],
}


def build(tiny_dict: Callable[..., dict[str, Any]], program: str, **parts: Any) -> Plan:
    data = tiny_dict([1 * M, 1 * M, 1 * M], program=program, debt=5 * M)
    for key, value in parts.items():
        if key == "company":
            data["company"].update(value)
        elif key == "adjustments":
            data["actuals"][0]["adjustments"] = value
        else:
            data[key] = value
    return parse_plan(data)


def contents(plan: Plan) -> dict[str, Criterion]:
    return {c.code: c for c in content_criteria(plan, project(plan), rules_for(plan.program, DAY))}


def test_each_programme_asks_for_its_own_contents(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    assert list(contents(build(tiny_dict, "early", **FULL))) == [
        "contents_business_model_diagram",
        "contents_cash_table",
        "contents_pl",
        "contents_action_plan",
    ]
    assert len(contents(build(tiny_dict, "405", **FULL))) == 7
    assert list(contents(build(tiny_dict, "405-gl", **FULL)))[-4:] == [
        "contents_due_diligence",
        "contents_adjusted_bs",
        "contents_causes_of_distress",
        "contents_financial_support",
    ]


def test_a_complete_405_plan_has_every_content(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    verdicts = contents(build(tiny_dict, "405", **FULL))
    assert all(c.passed for c in verdicts.values()), [c.message for c in verdicts.values() if not c.passed]
    assert {c.severity for c in verdicts.values()} == {Severity.INFO}
    assert all(c.criteria_set == "contents" and c.label for c in verdicts.values())


def test_a_bare_plan_misses_what_the_file_does_not_hold(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    verdicts = contents(build(tiny_dict, "405"))
    missing = {code for code, c in verdicts.items() if not c.passed}
    assert missing == {
        "contents_business_model_diagram",
        "contents_company_profile",
        "contents_cash_table",
        "contents_action_plan",
    }
    assert {verdicts[code].severity for code in missing} == {Severity.ERROR}
    assert verdicts["contents_company_profile"].where == "company.address"
    assert verdicts["contents_cash_table"].where == "cash_table"
    # pl, bs and cf come from the actual statements and the projection
    assert verdicts["contents_bs"].passed and verdicts["contents_cf"].passed


@pytest.mark.parametrize(
    ("model", "where"),
    [
        ({"suppliers": [{"name": "a"}], "flows": [{"from": "a", "to": "b"}]}, "business_model.customers"),
        ({"customers": [{"name": "a"}], "flows": [{"from": "a", "to": "b"}]}, "business_model.suppliers"),
        ({"customers": [{"name": "a"}], "partners": [{"name": "p"}]}, "business_model.flows"),
    ],
)
def test_business_model_diagram_needs_customers_suppliers_and_flows(
    tiny_dict: Callable[..., dict[str, Any]], model: dict[str, Any], where: str
) -> None:
    c = contents(build(tiny_dict, "early", business_model=model))["contents_business_model_diagram"]
    assert c.passed is False and c.where == where


def test_partners_count_as_suppliers_for_the_diagram(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    model = {"customers": [{"name": "a"}], "partners": [{"name": "p"}], "flows": [{"from": "a", "to": "b"}]}
    assert contents(build(tiny_dict, "early", business_model=model))["contents_business_model_diagram"].passed


def test_action_plan_needs_an_owner_and_a_deadline_for_every_measure(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    actions = [{"measure": "値上げ", "owner": "社長", "deadline": "2025-09"}, {"measure": "経費削減", "owner": "部長"}]
    c = contents(build(tiny_dict, "early", action_plan=actions))["contents_action_plan"]
    assert c.passed is False and c.where == "action_plan[1].deadline" and "「経費削減」" in c.message


def test_company_profile_lists_what_is_missing(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = contents(build(tiny_dict, "405", company={"address": "x", "industry": "y"}))["contents_company_profile"]
    assert c.passed is False and c.details["missing"] == ["representative", "business"]
    assert "代表者、事業内容" in c.message


def test_gl_contents_come_from_adjustments_causes_and_support(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    bare = contents(build(tiny_dict, "405-gl", **FULL))
    assert bare["contents_due_diligence"].passed is False
    assert bare["contents_adjusted_bs"].where == "actuals[0].adjustments"
    assert bare["contents_financial_support"].passed is False
    full = contents(
        build(
            tiny_dict,
            "405-gl",
            **FULL,
            adjustments=[{"item": "在庫評価減", "line": "inventory", "amount": 0, "reason": "滞留"}],
            banks=[{"name": "A銀行", "loans": [{"name": "a", "balance": 5 * M, "rate": 0.01}]}],
            financial_support={"forgiveness": [{"bank": "A銀行", "amount": 1 * M, "year": 1}]},
        )
    )
    assert all(c.passed for c in full.values()), [c.message for c in full.values() if not c.passed]
    assert "債務免除 1,000千円（A銀行）" in full["contents_financial_support"].message


def test_new_money_alone_is_not_gl_financial_support(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    banks = [{"name": "A銀行", "loans": [], "new_loans": [{"name": "n", "year": 1, "amount": M, "rate": 0.01}]}]
    gl = contents(build(tiny_dict, "405-gl", banks=banks))["contents_financial_support"]
    assert gl.passed is False


def test_an_unknown_content_code_is_a_warning_to_check_by_hand(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    plan = build(tiny_dict, "early", **FULL)
    rules = dataclasses.replace(rules_for("early", DAY), required_contents=("pl", "swot_analysis"))
    out = content_criteria(plan, project(plan), rules)
    assert [c.code for c in out] == ["contents_pl", "contents_swot_analysis"]
    assert out[1].passed is False and out[1].severity is Severity.WARNING


# --- plan period ---------------------------------------------------------------------------------


def test_plan_period_inside_the_range_passes(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = plan_period_criterion(build(tiny_dict, "405"), rules_for("405", DAY))
    assert c.code == PLAN_PERIOD and c.passed is True and c.details == {"years": 3, "min": 3, "max": 5}


def test_plan_longer_than_the_programme_allows_is_an_error(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    rules = dataclasses.replace(rules_for("early", DAY), plan_period_years=(1, 2))
    c = plan_period_criterion(build(tiny_dict, "early"), rules)
    assert c.passed is False and c.severity is Severity.ERROR and "長すぎます" in c.message
    assert c.where == "drivers.years"


def test_plan_shorter_than_the_minimum_is_a_warning(tiny_plan: Callable[..., Plan]) -> None:
    c = plan_period_criterion(tiny_plan([1 * M, 1 * M], program="405"), rules_for("405", DAY))
    assert c.passed is False and c.severity is Severity.WARNING and "短すぎます" in c.message
    early = plan_period_criterion(tiny_plan([1 * M], program="early"), rules_for("early", DAY))
    assert early.passed is True


# --- financial support ---------------------------------------------------------------------------

BANKS = [{"name": "A銀行", "main": True, "loans": [{"name": "a", "balance": 5 * M, "rate": 0.01}]}]


def support(tiny_dict: Callable[..., dict[str, Any]], program: str, **parts: Any) -> Criterion:
    plan = build(tiny_dict, program, banks=BANKS, **parts)
    return financial_support_criterion(plan, rules_for(program, DAY))


def test_405_without_financial_support_is_an_error(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = support(tiny_dict, "405")
    assert c.code == FINANCIAL_SUPPORT and c.passed is False and c.severity is Severity.ERROR


def test_405_with_rescheduling_passes(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = support(tiny_dict, "405", financial_support={"rescheduling": {"basis": "balance"}})
    assert c.passed is True and "リスケ" in c.message


def test_405_with_new_money_only_passes(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    banks = [{**BANKS[0], "new_loans": [{"name": "n", "year": 1, "amount": 2 * M, "rate": 0.01}]}]
    plan = build(tiny_dict, "405", banks=banks)
    c = financial_support_criterion(plan, rules_for("405", DAY))
    assert c.passed is True and "新規融資 2,000千円" in c.message


def test_early_without_support_is_fine(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = support(tiny_dict, "early")
    assert c.passed is True and c.severity is Severity.INFO and "必要ありません" in c.message


def test_early_asking_for_rescheduling_is_a_warning(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    c = support(tiny_dict, "early", financial_support={"rescheduling": {}})
    assert c.passed is False and c.severity is Severity.WARNING and "405事業" in c.message


# --- figures and the whole list ------------------------------------------------------------------


def test_figures_valid_fails_on_an_error_finding() -> None:
    findings = [
        Finding("PLAN_CASH_NEGATIVE", Severity.WARNING, "資金不足", "years.2026-03.bs.cash"),
        Finding("PLAN_BS_UNBALANCED", Severity.ERROR, "貸借対照表が一致しません", "actuals[0].bs.net_assets"),
    ]
    c = figures_criterion(findings)
    assert c.code == FIGURES_VALID and c.passed is False and c.severity is Severity.ERROR
    assert c.where == "actuals[0].bs.net_assets" and c.details["codes"] == ["PLAN_BS_UNBALANCED"]
    assert figures_criterion(findings[:1]).passed is True


def test_evaluate_orders_numeric_program_contents_figures(tiny_dict: Callable[..., dict[str, Any]]) -> None:
    plan = build(tiny_dict, "405", **FULL)
    out = evaluate(plan, project(plan), rules_for("405", DAY), validate_plan(plan))
    assert [c.criteria_set for c in out] == ["numeric"] * 3 + ["program"] * 2 + ["contents"] * 7 + ["figures"]
    assert all(isinstance(c.passed, bool) for c in out)
    d = out[0].as_dict()
    assert list(d) == ["id", "label", "set", "passed", "severity", "weight", "message", "where", "details"]
