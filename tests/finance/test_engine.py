"""The engine on small plans whose results are worked out by hand."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from keiei.finance import project, to_dict
from keiei.plan import load_plan, parse_plan

DATA = Path(__file__).parents[1] / "data" / "plans"


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))
    return data


def test_minimal_plan_year_one_is_as_computed_by_hand() -> None:
    projection = project(load_plan(DATA / "minimal.yaml"))
    y1 = projection.plan_years[0]
    pl, bs, cf = y1.pl, y1.bs, y1.cf
    assert y1.period == "2026-03"
    assert pl.sales == 110_000_000  # 100M × 1.1
    assert pl.cost_of_sales == 77_000_000  # × 0.7
    assert pl.sga == 22_000_000  # 20M fixed + 2M depreciation
    assert pl.operating_profit == 11_000_000
    assert pl.interest_expense == 1_000_000  # opening balance 50M × 2 %
    assert pl.ordinary_profit == 10_000_000
    # carry-forward 3M offsets income; (10M − 3M) × 30 % + 均等割 70,000
    assert pl.income_taxes == 2_170_000
    assert pl.net_income == 7_830_000
    assert bs is not None and cf is not None
    assert bs.receivables == 11_000_000  # 110M × 1.2 / 12
    assert bs.inventory == 3_850_000  # 77M × 0.6 / 12
    assert bs.payables == 5_500_000  # last actual turnover kept: 5/70 of cost of sales
    assert cf.operating == 7_830_000 + 2_000_000 + 650_000  # net income + depreciation + WC released
    assert cf.financing == -10_000_000  # contractual annual repayment
    assert bs.cash == 10_000_000 + 10_480_000 - 10_000_000
    assert bs.interest_bearing_debt == 40_000_000
    assert bs.fixed_assets == 48_000_000
    assert bs.net_assets == 20_000_000 + 7_830_000
    assert bs.total_assets == bs.total_liabilities + bs.net_assets == 73_330_000
    y2 = projection.plan_years[1]
    assert y2.pl.interest_expense == 800_000  # 40M × 2 %
    assert y2.details is not None and y2.details.loss_carryforward == 0


def test_rescheduling_shares_capacity_by_uncovered_balance() -> None:
    data = minimal()
    data["banks"] = [
        {
            "name": "A銀行",
            "main": True,
            "loans": [
                {"name": "a", "balance": 30_000_000, "rate": 0, "annual_repayment": 6_000_000, "covered": 10_000_000}
            ],
        },
        {
            "name": "B銀行",
            "loans": [
                {"name": "b", "balance": 15_000_000, "rate": 0, "annual_repayment": 3_000_000, "covered": 5_000_000}
            ],
        },
        {
            "name": "C金庫",
            "loans": [
                {"name": "c", "balance": 5_000_000, "rate": 0, "annual_repayment": 1_000_000, "covered": 5_000_000}
            ],
        },
    ]
    data["financial_support"] = {"rescheduling": {"basis": "uncovered", "minimum_cash": 0, "cap_at_contractual": False}}
    projection = project(parse_plan(data))
    y1 = projection.plan_years[0]
    assert y1.details is not None
    # 返済原資 = net income + depreciation (no capex); interest 0 → ordinary 11M
    capacity = y1.pl.net_income + y1.pl.depreciation
    assert y1.details.repayment_capacity == capacity
    a, b, c = projection.banks
    assert (a.uncovered, b.uncovered, c.uncovered) == (20_000_000, 10_000_000, 0)
    assert a.share is not None and abs(a.share - Decimal(2) / 3) < Decimal("1e-20") and c.share == 0
    assert a.repayment[0] + b.repayment[0] == capacity
    assert c.repayment[0] == 0
    assert abs(a.repayment[0] - 2 * b.repayment[0]) <= 2
    # the contractual table is kept beside the rescheduled one
    assert a.contractual_repayment == (6_000_000, 6_000_000)


def test_rescheduling_by_balance_and_minimum_cash_and_cap_at_contractual() -> None:
    data = minimal()
    data["financial_support"] = {"rescheduling": {"basis": "balance", "minimum_cash": 15_000_000}}
    y1 = project(parse_plan(data)).plan_years[0]
    assert y1.bs is not None and y1.cf is not None and y1.details is not None
    # cash before repayment is 20.48M; keeping 15M leaves 5.48M to repay (< capacity, < 10M contractual)
    assert y1.details.rescheduled_repayment == 5_480_000
    assert y1.bs.cash == 15_000_000
    data["financial_support"]["rescheduling"]["minimum_cash"] = 0
    y1 = project(parse_plan(data)).plan_years[0]
    assert y1.details is not None
    assert y1.details.rescheduled_repayment == 9_830_000  # capacity: 7.83M + 2M
    data["drivers"]["sales"] = {"growth": 0.5}
    y1 = project(parse_plan(data)).plan_years[0]
    assert y1.details is not None
    assert y1.details.rescheduled_repayment == 10_000_000  # capped at the contractual 10M


def test_new_loan_is_drawn_at_the_start_of_its_year_and_repaid_after_grace() -> None:
    data = minimal()
    data["banks"][0]["new_loans"] = [
        {"name": "設備資金", "year": 1, "amount": 12_000_000, "rate": 0.01, "term_years": 6, "grace_years": 1}
    ]
    projection = project(parse_plan(data))
    bank = projection.banks[0]
    new = bank.loans[1]
    assert new.borrowing == (12_000_000, 0)
    assert new.interest == (120_000, 120_000)
    assert new.repayment == (0, 2_000_000)
    assert projection.plan_years[0].cf is not None
    assert projection.plan_years[0].cf.borrowing == 12_000_000


def test_maturity_makes_the_rest_due_unless_rescheduled() -> None:
    data = minimal()
    data["banks"][0]["loans"][0]["maturity"] = "2026-09"  # inside plan year 2 (2026-04..2027-03)
    projection = project(parse_plan(data))
    assert projection.banks[0].repayment == (10_000_000, 40_000_000)
    data["financial_support"] = {"rescheduling": {"from_year": 1, "until_year": 1}}
    projection = project(parse_plan(data))
    assert projection.banks[0].repayment[1] == 10_000_000  # after rescheduling: installments, no bullet


def test_forgiveness_is_income_reduces_debt_and_moves_no_cash() -> None:
    plan = load_plan(DATA / "405gl-forgiveness.yaml")
    projection = project(plan)
    y1 = projection.plan_years[0]
    assert y1.details is not None and y1.cf is not None and y1.bs is not None
    assert y1.details.forgiveness == 90_000_000
    assert y1.pl.extraordinary_income == 90_000_000
    assert y1.cf.noncash_items == -90_000_000
    first, second, _ = projection.banks
    assert first.forgiven[0] == 60_000_000 and second.forgiven[0] == 30_000_000
    # interest is charged on the balance after forgiveness
    assert first.interest[0] == 1_350_000  # 90M × 1.5 %
    # the carry-forward absorbs the gain: only 均等割
    assert y1.pl.income_taxes == 70_000
    # capacity excludes the non-cash gain
    assert y1.details.repayment_capacity == y1.pl.net_income + y1.pl.depreciation - 90_000_000
    assert y1.bs.adjusted_net_assets == y1.bs.net_assets - 10_000_000


def test_contractual_scenario_drops_support() -> None:
    plan = load_plan(DATA / "405gl-forgiveness.yaml")
    projection = project(plan, "contractual")
    y1 = projection.plan_years[0]
    assert y1.details is not None and y1.details.forgiveness == 0
    assert [b.repayment for b in projection.banks] == [b.contractual_repayment for b in projection.banks]


def test_action_effects_flow_into_the_lines() -> None:
    data = minimal()
    data["drivers"]["sga"].append({"name": "運賃", "kind": "variable", "ratio": 0.02})
    base = project(parse_plan(copy.deepcopy(data))).plan_years
    data["action_plan"] = [
        {
            "measure": "値上げ",
            "effects": [
                {"line": "sales", "ratio": 0.05, "from_year": 2},
                {"line": "cost_of_sales", "ratio": -0.01},
                {"line": "sga", "item": "その他経費", "amount": -1_000_000},
                {"line": "sga", "item": "運賃", "ratio": 0.01, "until_year": 1},
                {"line": "non_operating_income", "amount": 500_000},
            ],
        }
    ]
    after = project(parse_plan(data)).plan_years
    assert after[0].pl.sales == base[0].pl.sales
    assert after[1].pl.sales == base[1].pl.sales + 6_050_000  # 5 % of the base path 121M
    assert after[0].pl.cost_of_sales == base[0].pl.cost_of_sales - 1_100_000
    assert after[0].details is not None and base[0].details is not None
    items = dict(after[0].details.sga_items)
    assert items["その他経費"] == 19_000_000
    assert items["運賃"] == 3_300_000  # (2 % + 1 %) × 110M
    assert dict(after[1].details.sga_items if after[1].details else ())["運賃"] == 2_541_000  # 2 % × 127.05M
    assert after[0].pl.non_operating_income == 500_000


def test_capex_depreciates_straight_line_and_writes_down_to_zero() -> None:
    data = minimal()
    data["drivers"]["years"] = 5
    data["drivers"]["capex"] = [{"name": "機械", "year": 2, "amount": 1_000_000, "useful_life": 3}]
    data["drivers"]["depreciation"] = {"existing": 0}
    years = project(parse_plan(data)).plan_years
    assert [y.pl.depreciation for y in years] == [0, 333_333, 333_333, 333_334, 0]
    assert years[1].cf is not None and years[1].cf.investing == -1_000_000


def test_segments_sum_to_sales() -> None:
    data = minimal()
    data["actuals"][0]["segments"] = {"部品": 60_000_000, "修理": 40_000_000}
    data["drivers"]["sales"] = {
        "segments": [{"name": "部品", "growth": 0.1}, {"name": "修理", "amounts": [41_000_000, 42_000_000]}]
    }
    y1 = project(parse_plan(data)).plan_years[0]
    assert y1.details is not None
    assert dict(y1.details.sales_by_segment) == {"部品": 66_000_000, "修理": 41_000_000}
    assert y1.pl.sales == 107_000_000


def test_rounding_setting_is_used_for_every_figure() -> None:
    data = minimal()
    data["drivers"]["cost_of_sales"] = {"ratio": Decimal("0.33333335")}  # × 110M = 36,666,668.5
    data["settings"] = {"rounding": "truncate"}
    assert project(parse_plan(copy.deepcopy(data))).plan_years[0].pl.cost_of_sales == 36_666_668
    data["settings"] = {"rounding": "half_up"}
    assert project(parse_plan(data)).plan_years[0].pl.cost_of_sales == 36_666_669


def test_to_dict_contract_on_minimal_plan() -> None:
    out = to_dict(project(load_plan(DATA / "minimal.yaml")))
    assert out["program"] == "405"
    assert [y["kind"] for y in out["years"]] == ["actual", "plan", "plan"]
    assert out["years"][0]["cf"] is None
    assert out["years"][1]["cf"]["cash_end"] == out["years"][1]["bs"]["cash"]
    assert out["banks"][0]["repayment"] == {"2026-03": 10_000_000, "2027-03": 10_000_000}
    assert out["banks"][0]["closing_balance"] == {"2026-03": 40_000_000, "2027-03": 30_000_000}
    assert out["banks"][0]["share"] == 1.0
    assert out["years"][1]["indicators"]["sales_growth"] == 0.1
    assert out["debt_repayment_years_variant"]["name"] == "ordinary"


@pytest.mark.parametrize("variant", ["ordinary", "ordinary_less_cash", "net_income", "operating"])
def test_variant_is_recorded_on_every_year(variant: Any) -> None:
    projection = project(load_plan(DATA / "minimal.yaml"), variant=variant)
    assert {y.indicators.debt_repayment_years_variant for y in projection.years} == {variant}
