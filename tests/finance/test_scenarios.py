"""Scenarios: built-in stresses and the plan's own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from keiei.errors import KeieiInputError
from keiei.finance import apply_scenario, project, scenario_names
from keiei.finance.scenarios import BUILTIN_SCENARIOS
from keiei.money import to_yen
from keiei.plan import load_plan
from keiei.plan.loader import BUILTIN_SCENARIOS as LOADER_RESERVED
from keiei.plan.model import Scenario

EXAMPLE = Path(__file__).parents[2] / "examples" / "405-manufacturer.yaml"


def test_loader_reserves_exactly_the_builtin_names() -> None:
    assert set(LOADER_RESERVED) == set(BUILTIN_SCENARIOS)


def test_sales_down_10_lowers_every_plan_year_by_ten_percent() -> None:
    plan = load_plan(EXAMPLE)
    base = project(plan).plan_years
    down = project(plan, "sales_down_10").plan_years
    for b, d in zip(base, down, strict=True):
        assert d.pl.sales < b.pl.sales
        assert abs(d.pl.sales - to_yen(Decimal(b.pl.sales) * Decimal("0.9"), "half_up")) <= 3  # segments round each
    assert project(plan, "sales_down_10").scenario.name == "sales_down_10"


def test_custom_scenario_from_the_file() -> None:
    plan = load_plan(EXAMPLE)
    assert scenario_names(plan) == ["base", "sales_down_10", "contractual", "cost_up"]
    base = project(plan).plan_years[0]
    stressed = project(plan, "cost_up").plan_years[0]
    assert stressed.pl.cost_of_sales > base.pl.cost_of_sales


def test_scenario_built_in_code() -> None:
    plan = load_plan(EXAMPLE)
    same = apply_scenario(plan, Scenario(name="flat", action_effect_share=Decimal(0)))
    assert project(same).plan_years[0].pl.sales < project(plan).plan_years[0].pl.sales


def test_unknown_scenario_is_an_input_error() -> None:
    with pytest.raises(KeieiInputError) as info:
        apply_scenario(load_plan(EXAMPLE), "nope")
    assert info.value.field == "scenario"
    assert "sales_down_10" in info.value.message_ja


def test_scenarios_do_not_stack() -> None:
    plan = load_plan(EXAMPLE)
    twice = apply_scenario(apply_scenario(plan, "sales_down_10"), "base")
    assert project(twice).plan_years[0].pl.sales == project(plan).plan_years[0].pl.sales
