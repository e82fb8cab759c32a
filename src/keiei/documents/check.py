"""The check documents show: `keiei.plancheck.run_check` (the JSON of `keiei plan check --json`).

One call gives the engine's figures for the scenario and every verdict (`criteria`, `summary`,
`rules`, the scenario comparison), so the documents, the CLI and the web pages agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keiei.plan import Plan
from keiei.plancheck import run_check


def plan_check(plan: Plan, scenario: str = "base", *, on: dt.date | None = None) -> dict[str, Any]:
    """The check of `plan` under `scenario`, judged by the rules in force on `on`."""
    return run_check(plan, scenario, on=on)
