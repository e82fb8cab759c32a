"""The 中小版GL's own requirements (set `guideline`, ids `gl_<code>`): a 405-gl plan without them
fails each with a reason; the ryokan example passes each; the figures behind them add up."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

from keiei.criteria import evaluate
from keiei.finance import project
from keiei.finance.guideline import liquidation_result, tax_loss_sentence, tax_loss_table
from keiei.plan import Plan, load_plan, parse_plan, read_plan_data
from keiei.plancheck import run_check
from keiei.rules import rules_for

RYOKAN = Path(__file__).resolve().parents[2] / "examples" / "405gl-ryokan.yaml"
GL_IDS = ("gl_liquidation_value", "gl_guarantor_settlement", "gl_third_party_expert", "gl_tax_loss_carryforward")


def ryokan_data() -> dict[str, Any]:
    return copy.deepcopy(read_plan_data(RYOKAN))


def gl(plan: Plan) -> dict[str, Any]:
    """The guideline criteria of `plan`, by id, as JSON."""
    return {c["id"]: c for c in run_check(plan)["criteria"] if c["set"] == "guideline"}


def test_the_ryokan_example_passes_every_guideline_requirement() -> None:
    found = gl(load_plan(RYOKAN))
    assert tuple(found) == GL_IDS
    assert all(c["passed"] for c in found.values()), {k: c["message"] for k, c in found.items()}
    assert "清算配当率 1.09%" in found["gl_liquidation_value"]["message"]
    assert "住民税均等割 180千円のみ" in found["gl_tax_loss_carryforward"]["message"]


def test_a_gl_plan_without_the_guideline_block_fails_each_with_a_reason() -> None:
    data = ryokan_data()
    del data["guideline"]
    data["drivers"]["tax"].pop("loss_carryforward")
    found = gl(parse_plan(data))
    assert {k: c["passed"] for k, c in found.items()} == dict.fromkeys(GL_IDS, False)
    assert [found[k]["severity"] for k in GL_IDS] == ["error", "error", "error", "warning"]
    assert "清算貸借対照表" in found["gl_liquidation_value"]["message"]
    assert "guideline.guarantors" in found["gl_guarantor_settlement"]["message"]
    assert "第三者支援専門家" in found["gl_third_party_expert"]["message"]
    assert "債務免除益 170,000千円" in found["gl_tax_loss_carryforward"]["message"]
    summary = run_check(parse_plan(data))["summary"]
    assert not summary["ok"]
    assert set(GL_IDS) <= set(summary["failed"])


def test_a_lender_below_its_liquidation_recovery_is_named_with_both_figures() -> None:
    data = ryokan_data()
    # The DD says 吾妻信用金庫 would recover 160,000千円 in liquidation; the plan gives 150,000千円.
    data["guideline"]["liquidation"]["stated_recovery"] = {"吾妻信用金庫": 160_000_000}
    c = gl(parse_plan(data))["gl_liquidation_value"]
    assert not c["passed"]
    assert "吾妻信用金庫（計画 150,000千円 ＜ 清算 160,000千円）" in c["message"]
    lender = next(x for x in c["details"]["lenders"] if x["bank"] == "吾妻信用金庫")
    assert lender["liquidation_basis"] == "stated"
    assert lender["meets"] is False


def test_liquidation_recovery_is_secured_plus_the_dividend_on_the_rest() -> None:
    plan = load_plan(RYOKAN)
    result = liquidation_result(plan, project(plan))
    assert result is not None
    # pool = 321.2M − 56.2M priority − 259M collateral; general = 780M − 259M + 29M
    assert (result.liquidation_total, result.priority_total, result.collateral_total) == (
        321_200_000,
        56_200_000,
        259_000_000,
    )
    assert result.pool == 6_000_000
    assert result.general_claims == 550_000_000
    by = {x.bank: x for x in result.lenders}
    joumo = by["上毛中央銀行"]
    assert joumo.secured == 294_000_000
    assert joumo.liquidation == 294_000_000 + (6_000_000 * (460_000_000 - 294_000_000)) // 550_000_000
    # under the plan: claim − forgiveness (repayments + remaining balance)
    for x in result.lenders:
        assert x.plan == x.claim - x.forgiven


def test_guarantor_keeping_more_than_paying_fails_with_the_figures() -> None:
    data = ryokan_data()
    data["guideline"]["guarantors"][0]["guarantees"][0]["paid"] = 0
    c = gl(parse_plan(data))["gl_guarantor_settlement"]
    assert not c["passed"]
    assert "弁済額 1,910千円 が、残存資産以外の資産 5,410千円 に足りません" in c["message"]


def test_no_guarantors_passes_only_when_said() -> None:
    data = ryokan_data()
    del data["guideline"]["guarantors"]
    data["guideline"]["no_guarantors"] = "代表者は保証していない（経営者保証なしの融資のみ）"
    assert gl(parse_plan(data))["gl_guarantor_settlement"]["passed"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"independent": False}, "独立していません"), ({"independence": None}, "独立性の説明")],
)
def test_third_party_expert_must_be_independent_and_say_why(change: dict[str, Any], expected: str) -> None:
    data = ryokan_data()
    expert = data["guideline"]["third_party_expert"]
    for key, value in change.items():
        if value is None:
            expert.pop(key)
        else:
            expert[key] = value
    c = gl(parse_plan(data))["gl_third_party_expert"]
    assert not c["passed"]
    assert expected in c["message"]


def test_tax_loss_table_follows_the_engine_and_explains_year_1() -> None:
    plan = load_plan(RYOKAN)
    projection = project(plan)
    rows = tax_loss_table(projection)
    assert rows[0].opening == plan.drivers.tax.loss_carryforward
    for r, y in zip(rows, projection.plan_years, strict=True):
        assert y.details is not None and r.closing == y.details.loss_carryforward
        assert r.closing == r.opening - r.used + r.added
    for a, b in itertools.pairwise(rows):
        assert b.opening == a.closing
    assert rows[0].forgiveness_gain == 170_000_000
    assert rows[0].income_taxes == rows[0].per_capita
    assert "法人税等は住民税均等割 180,000円のみです" in tax_loss_sentence(rows)


def test_other_programmes_get_no_guideline_criteria() -> None:
    data = ryokan_data()
    data["program"] = "405"
    plan = parse_plan(data)
    projection = project(plan)
    criteria = evaluate(plan, projection, rules_for("405", dt.date(2025, 4, 1)))
    assert not [c for c in criteria if c.criteria_set == "guideline"]


def test_unknown_lender_in_the_guideline_block_is_an_input_error() -> None:
    from keiei.plan import PlanInputError

    data = ryokan_data()
    data["guideline"]["guarantors"][0]["guarantees"][0]["bank"] = "架空銀行"
    with pytest.raises(PlanInputError) as err:
        parse_plan(data)
    assert err.value.field == "guideline.guarantors[0].guarantees[0].bank"
