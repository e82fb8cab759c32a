"""Tiny plans whose criteria figures are set directly.

`tiny_plan(ordinary=[...])` builds a plan with no cost of sales, a fixed SG&A of 100,000,000
yen, no depreciation, no tax and one interest-free debt outside any bank, so in every plan
year: ordinary profit = net income = the value given; adjusted net assets = base net assets
(+ adjustments) + the running sum; debt repayment years = debt ÷ ordinary profit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from keiei.plan import Plan, parse_plan

FIXED = 100_000_000


def tiny_data(
    ordinary: list[int],
    *,
    program: str = "405",
    base_ordinary: int = -1_000_000,
    net_assets: int = 10_000_000,
    debt: int = 50_000_000,
    adjustment: int = 0,
) -> dict[str, Any]:
    cash = 20_000_000
    fixed_assets = debt + net_assets - cash
    # Assets cannot be negative (schema): when the sheet needs less than the cash, the rest is
    # another liability (net assets, debt and cash stay as given).
    other_liabilities = max(0, -fixed_assets)
    fixed_assets = max(0, fixed_assets)
    data: dict[str, Any] = {
        "program": program,
        "company": {"name": "株式会社テスト", "fiscal_year_end_month": 3},
        "actuals": [
            {
                "period": "2025-03",
                "pl": {"sales": FIXED, "cost_of_sales": 0, "sga": FIXED - base_ordinary},
                "bs": {
                    "cash": cash,
                    "receivables": 0,
                    "inventory": 0,
                    "fixed_assets": fixed_assets,
                    "payables": 0,
                    "interest_bearing_debt": debt,
                    **({"other_liabilities": other_liabilities} if other_liabilities else {}),
                    "net_assets": net_assets,
                },
            }
        ],
        "drivers": {
            "years": len(ordinary),
            "sales": {"amounts": [FIXED + o for o in ordinary]},
            "cost_of_sales": {"ratio": 0},
            "sga": [{"name": "経費", "kind": "fixed", "amount": FIXED}],
            "depreciation": {"existing": 0},
            "tax": {"rate": 0, "per_capita": 0},
            "other_debt": {"rate": 0, "repayment": 0},
        },
    }
    if adjustment:
        data["actuals"][0]["adjustments"] = [
            {"item": "含み損", "line": "fixed_assets", "amount": adjustment, "reason": "時価評価"}
        ]
    return data


def tiny(ordinary: list[int], **kwargs: Any) -> Plan:
    return parse_plan(tiny_data(ordinary, **kwargs))


@pytest.fixture
def tiny_plan() -> Callable[..., Plan]:
    return tiny


@pytest.fixture
def tiny_dict() -> Callable[..., dict[str, Any]]:
    return lambda *a, **k: copy.deepcopy(tiny_data(*a, **k))
