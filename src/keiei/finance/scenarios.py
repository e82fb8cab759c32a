"""Named scenarios: the same plan under stressed drivers.

Why a scenario is a value on the plan rather than edited drivers: the stresses bankers ask
for ("what if sales are 10 % lower every year?") act on *computed* figures (sales after
growth and action effects), which no single driver holds. `apply_scenario` returns a new
`Plan` carrying the scenario; the engine reads every driver through it. Applying another
scenario replaces the first (they do not stack).

Built in: `base` (the plan as written), `sales_down_10` (sales × 0.9 in every plan year),
`contractual` (no financial support: contractual repayments, no forgiveness). A plan file
may declare more under `scenarios:`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from keiei.errors import KeieiInputError
from keiei.plan.model import BASE_SCENARIO, Plan, Scenario

BUILTIN_SCENARIOS: dict[str, Scenario] = {
    "base": BASE_SCENARIO,
    "sales_down_10": Scenario(name="sales_down_10", label="売上高10%減（各計画年度）", sales_factor=Decimal("0.9")),
    "contractual": Scenario(name="contractual", label="金融支援なし（約定どおり返済）", financial_support=False),
}


def scenario_names(plan: Plan) -> list[str]:
    """Every scenario the plan can be run under: the built-ins, then the plan's own."""
    return [*BUILTIN_SCENARIOS, *(s.name for s in plan.scenarios)]


def get_scenario(plan: Plan, name: str) -> Scenario:
    """The scenario called `name`, or a KeieiInputError listing the names there are."""
    if name in BUILTIN_SCENARIOS:
        return BUILTIN_SCENARIOS[name]
    for scenario in plan.scenarios:
        if scenario.name == name:
            return scenario
    names = ", ".join(scenario_names(plan))
    raise KeieiInputError(
        "scenario",
        f"シナリオ '{name}' はありません。選べる値: {names}",
        f"unknown scenario {name!r}; available: {names}",
    )


def apply_scenario(plan: Plan, scenario: str | Scenario) -> Plan:
    """The plan under `scenario` (a name, or a `Scenario` built in code)."""
    chosen = get_scenario(plan, scenario) if isinstance(scenario, str) else scenario
    if chosen == plan.scenario:
        return plan
    return dataclasses.replace(plan, scenario=chosen)
