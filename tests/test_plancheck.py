"""`keiei.plancheck`: run_check's result, the rules date, scenario comparison, and the shipped
example plans (each loads, projects with the identities holding, and tells the story its
comment claims)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keiei import plancheck
from keiei.errors import KeieiInputError, Severity
from keiei.finance import Projection, project, scenario_names, to_dict, validate_plan
from keiei.plan import Plan, load_plan, parse_plan
from keiei.plancheck import compare_scenarios, rules_date, run_check
from keiei.rules import rules_for

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = Path(__file__).parent / "data" / "plans"
NUMERIC = ("ordinary_profit_within_3y", "negative_net_worth_within_5y", "debt_repayment_years_le_10")


def verdicts(result: dict[str, Any]) -> dict[str, bool]:
    return {c["id"]: c["passed"] for c in result["criteria"]}


@pytest.fixture(scope="module")
def manufacturer() -> Plan:
    return load_plan(ROOT / "examples" / "405-manufacturer.yaml")


# --- the result --------------------------------------------------------------------------------


def test_years_and_banks_are_exactly_to_dict(manufacturer: Plan) -> None:
    result = run_check(manufacturer)
    engine = to_dict(project(manufacturer))
    for key in ("program", "company", "years", "banks", "scenario", "cash_table", "financial_support"):
        assert result[key] == engine[key], key
    assert [y["kind"] for y in result["years"]] == ["actual"] * 3 + ["plan"] * 5
    assert [y["period"] for y in result["years"]] == sorted(y["period"] for y in result["years"])


def test_result_is_json_and_has_the_contract_keys(manufacturer: Plan) -> None:
    result = run_check(manufacturer)
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    assert {"program", "company", "years", "banks", "criteria", "findings", "summary", "rules", "scenarios"} <= set(
        result
    )
    ids = [c["id"] for c in result["criteria"]]
    assert ids[:5] == [*NUMERIC, "plan_period_within_range", "financial_support_required"]
    assert "contents_cash_table" in ids and ids[-1] == "figures_valid"
    for c in result["criteria"]:
        assert {"id", "passed", "message", "severity", "where", "set"} <= set(c)
        assert isinstance(c["passed"], bool) and c["message"]
    assert result["summary"]["ok"] is True and result["summary"]["failed"] == []


def test_the_scenario_judged_is_the_one_asked(manufacturer: Plan) -> None:
    result = run_check(manufacturer, "sales_down_10")
    assert result["scenario"]["name"] == "sales_down_10"
    assert result["years"] == to_dict(project(manufacturer, "sales_down_10"))["years"]
    failed = [c for c in result["criteria"] if not c["passed"]]
    assert [c["id"] for c in failed] == list(NUMERIC)
    assert {c["severity"] for c in failed} == {"warning"}  # 405: bank expectations
    assert result["summary"]["warnings"] == 3 and result["summary"]["ok"] is True


def test_unknown_scenario_is_an_input_error(manufacturer: Plan) -> None:
    with pytest.raises(KeieiInputError) as info:
        run_check(manufacturer, "boom")
    assert "sales_down_10" in info.value.message_ja
    with pytest.raises(KeieiInputError):
        compare_scenarios(manufacturer, ["boom"])


def test_validation_findings_are_included_and_decide_figures_valid() -> None:
    plan = load_plan(DATA / "bad" / "figures" / "impossible-figures.yaml")
    result = run_check(plan)
    codes = {f["code"] for f in result["findings"]}
    assert {"PLAN_BS_UNBALANCED", "PLAN_PL_MISMATCH", "PLAN_COVERED_EXCEEDS_BALANCE"} <= codes
    assert codes == {f.code for f in validate_plan(plan)}
    figures = next(c for c in result["criteria"] if c["id"] == "figures_valid")
    assert figures["passed"] is False and figures["severity"] == "error"
    assert result["summary"]["ok"] is False and result["summary"]["finding_errors"] == 4


# --- rules date --------------------------------------------------------------------------------


def test_rules_date_is_the_first_day_of_plan_year_1(manufacturer: Plan) -> None:
    date = rules_date(manufacturer)
    assert date.day == dt.date(2025, 4, 1) and date.basis == "plan_start"
    result = run_check(manufacturer)
    assert result["rules"]["as_of"] == "2025-04-01" and result["rules"]["as_of_basis"] == "plan_start"


def test_rules_date_given_wins(manufacturer: Plan) -> None:
    result = run_check(manufacturer, on=dt.date(2026, 4, 1))
    assert result["rules"]["as_of"] == "2026-04-01" and result["rules"]["as_of_basis"] == "given"


def test_plan_before_the_programme_began_uses_its_first_day() -> None:
    plan = parse_plan({**_gl_data(), "actuals": [{**_gl_data()["actuals"][0], "period": "2021-12"}]})
    date = rules_date(plan)
    assert date.day == dt.date(2022, 4, 15) and date.basis == "program_start"
    assert run_check(plan)["rules"]["as_of"] == "2022-04-15"


def test_given_date_before_the_programme_is_an_input_error_naming_date() -> None:
    plan = parse_plan(_gl_data())
    with pytest.raises(KeieiInputError) as info:
        run_check(plan, on=dt.date(2020, 1, 1))
    assert info.value.field == "--date"


def _gl_data() -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load((DATA / "405gl-forgiveness.yaml").read_text(encoding="utf-8"))
    return data


def test_rule_parameters_come_from_rules_for(monkeypatch: pytest.MonkeyPatch, manufacturer: Plan) -> None:
    real = rules_for

    def strict(program: str, day: dt.date) -> Any:
        rules = real(program, day)
        return dataclasses.replace(rules, criteria={**rules.criteria, "ordinary_profit_within_years": 1})

    monkeypatch.setattr(plancheck, "rules_for", strict)
    result = run_check(manufacturer)
    c = next(c for c in result["criteria"] if c["id"] == "ordinary_profit_within_3y")
    assert c["passed"] is False and c["label"] == "経常黒字化（1年以内）" and c["details"]["within_years"] == 1
    assert result["rules"]["criteria"]["ordinary_profit_within_years"] == 1


# --- scenarios ---------------------------------------------------------------------------------


def test_compare_scenarios_reports_the_flips(manufacturer: Plan) -> None:
    comparison = compare_scenarios(manufacturer)
    assert comparison["reference"] == "base"
    names = [s["name"] for s in comparison["scenarios"]]
    assert names == ["base", "sales_down_10", "cost_up"]
    base, down, cost_up = comparison["scenarios"]
    assert base["flips"] == [] and cost_up["flips"] == []
    assert [(f["id"], f["base"], f["scenario"]) for f in down["flips"]] == [(i, True, False) for i in NUMERIC]
    assert down["figures"]["return_year"] == 5 and down["figures"]["resolution_year"] is None
    assert base["figures"]["return_year"] == 2 and base["figures"]["resolution_year"] == 3


def test_compare_scenarios_takes_names_and_always_starts_with_base(manufacturer: Plan) -> None:
    comparison = compare_scenarios(manufacturer, ["contractual"])
    assert [s["name"] for s in comparison["scenarios"]] == ["base", "contractual"]
    result = run_check(manufacturer, "cost_up", compare=["contractual"])
    assert [s["name"] for s in result["scenarios"]["scenarios"]] == ["base", "contractual", "cost_up"]


# --- the shipped examples ----------------------------------------------------------------------

#: What each example's comment claims: base verdicts, and the numeric criteria that flip
#: under sales_down_10 (and the plan's own scenarios).
STORIES: dict[str, dict[str, Any]] = {
    "405-manufacturer.yaml": {
        "program": "405",
        "return_year": 2,
        "resolution_year": 3,
        "flips": {"sales_down_10": set(NUMERIC), "cost_up": set()},
    },
    "early-restaurant.yaml": {
        "program": "early",
        "return_year": 1,
        "resolution_year": 2,
        "flips": {"sales_down_10": set(NUMERIC), "customers_down": set(NUMERIC)},
    },
    "405gl-ryokan.yaml": {
        "program": "405-gl",
        "return_year": 1,
        "resolution_year": 4,
        "flips": {
            "sales_down_10": set(NUMERIC),
            "winter_slump": {"negative_net_worth_within_5y", "debt_repayment_years_le_10"},
        },
    },
    "early-supermarket.yaml": {
        "program": "early",
        "return_year": 1,
        "resolution_year": 1,
        "flips": {"sales_down_10": {"ordinary_profit_within_3y", "debt_repayment_years_le_10"}},
    },
}


def test_there_are_at_least_four_examples_and_each_has_a_story() -> None:
    assert len(EXAMPLES) >= 4
    assert {p.name for p in EXAMPLES} == set(STORIES)
    programs = {load_plan(p).program for p in EXAMPLES}
    assert programs == {"early", "405", "405-gl"}


def assert_identities(projection: Projection) -> None:
    previous = None
    for year in projection.years:
        pl, bs = year.pl, year.bs
        assert pl.gross_profit == pl.sales - pl.cost_of_sales
        assert pl.operating_profit == pl.gross_profit - pl.sga
        assert pl.ordinary_profit == pl.operating_profit + pl.non_operating_income - pl.non_operating_expenses
        assert pl.pretax_income == pl.ordinary_profit + pl.extraordinary_income - pl.extraordinary_loss
        assert pl.net_income == pl.pretax_income - pl.income_taxes
        if bs is not None:
            assert (
                bs.total_assets == bs.cash + bs.receivables + bs.inventory + bs.other_current_assets + bs.fixed_assets
            )
            assert bs.total_liabilities == bs.payables + bs.interest_bearing_debt + bs.other_liabilities
            assert bs.total_assets == bs.total_liabilities + bs.net_assets
        if year.kind == "plan":
            cf = year.cf
            assert cf is not None and bs is not None and previous is not None and previous.bs is not None
            assert cf.cash_begin == previous.bs.cash
            assert cf.cash_end == cf.cash_begin + cf.operating + cf.investing + cf.financing == bs.cash
            assert bs.net_assets == previous.bs.net_assets + pl.net_income - cf.dividends + cf.equity_issued
            assert year.details is not None
            i = projection.plan_years.index(year)
            banks = sum(b.closing_balance[i] for b in projection.banks)
            assert bs.interest_bearing_debt == banks + year.details.other_interest_bearing_debt
        previous = year


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_projects_with_identities_and_no_error_findings(path: Path) -> None:
    plan = load_plan(path)
    for name in scenario_names(plan):
        assert_identities(project(plan, name))
    findings = validate_plan(plan)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [f.code for f in findings if f.severity is Severity.WARNING] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_has_the_outcome_its_story_claims(path: Path) -> None:
    story = STORIES[path.name]
    plan = load_plan(path)
    assert plan.program == story["program"]
    result = run_check(plan)
    failed = [c["id"] for c in result["criteria"] if not c["passed"]]
    assert failed == [], failed  # every criterion passes in base, contents included
    comparison = result["scenarios"]["scenarios"]
    base = comparison[0]
    assert base["figures"]["return_year"] == story["return_year"]
    assert base["figures"]["resolution_year"] == story["resolution_year"]
    flips = {s["name"]: {f["id"] for f in s["flips"]} for s in comparison[1:]}
    assert flips == story["flips"]
    for s in comparison[1:]:
        assert all(f["base"] is True and f["scenario"] is False for f in s["flips"])


def test_gl_example_fails_with_errors_under_the_downside() -> None:
    plan = load_plan(ROOT / "examples" / "405gl-ryokan.yaml")
    result = run_check(plan, "sales_down_10")
    numeric = [c for c in result["criteria"] if c["set"] == "numeric"]
    assert {c["severity"] for c in numeric} == {"error"} and result["summary"]["ok"] is False


def test_early_examples_fail_only_as_reference_under_the_downside() -> None:
    for name in ("early-restaurant.yaml", "early-supermarket.yaml"):
        result = run_check(load_plan(ROOT / "examples" / name), "sales_down_10")
        failed = [c for c in result["criteria"] if not c["passed"]]
        assert failed and {c["severity"] for c in failed} == {"info"}
        assert result["summary"]["ok"] is True


# --- no input produces an exception ------------------------------------------------------------


@settings(max_examples=40)
@given(
    ordinary=st.lists(st.integers(-50_000_000, 50_000_000), min_size=1, max_size=5),
    net_assets=st.integers(-200_000_000, 200_000_000),
    debt=st.integers(0, 500_000_000),
    program=st.sampled_from(["early", "405", "405-gl"]),
)
def test_run_check_never_raises_on_a_valid_plan(ordinary: list[int], net_assets: int, debt: int, program: str) -> None:
    cash = 20_000_000
    fixed = max(0, debt + net_assets - cash)
    data = {
        "program": program,
        "company": {"name": "株式会社テスト", "fiscal_year_end_month": 3},
        "actuals": [
            {
                "period": "2025-03",
                "pl": {"sales": 100_000_000, "cost_of_sales": 0, "sga": 90_000_000},
                "bs": {
                    "cash": cash,
                    "receivables": 0,
                    "inventory": 0,
                    "fixed_assets": fixed,
                    "payables": 0,
                    "interest_bearing_debt": debt,
                },
            }
        ],
        "drivers": {
            "years": len(ordinary),
            "sales": {"amounts": [100_000_000 + o for o in ordinary]},
            "cost_of_sales": {"ratio": 0},
            "sga": [{"name": "経費", "kind": "fixed", "amount": 100_000_000}],
            "tax": {"rate": 0.3},
        },
    }
    result = run_check(parse_plan(data))
    json.dumps(result)
    assert len(result["criteria"]) >= 8
