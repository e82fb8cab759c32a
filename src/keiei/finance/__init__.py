"""The projection engine: plan → statements, per-bank repayment table, indicators.

Public API (see docs/engine.md):
    project(plan, scenario=None, *, variant="ordinary") -> Projection
    to_dict(projection) -> dict                 the JSON-ready result (stable keys)
    apply_scenario(plan, name) -> Plan          base, sales_down_10, contractual, or the plan's own
    scenario_names(plan) -> list[str]
    cash_schedule(plan, projection=None)        the monthly cash table with running balances
    debt_repayment_years(pl, bs, variant)       債務償還年数 under any variant
    validate_plan(plan) -> list[Finding]        impossible figures that pass the schema
    profit_chain(...), balance_totals(...)      the statement subtotals, defined once
    actual_subtotals(year_data)                 the same for one actual year of (draft) plan data
"""

from keiei.finance.cash import CashMonthResult, cash_schedule
from keiei.finance.indicators import (
    REPAYMENT_YEARS_FORMULAS,
    VARIANTS,
    RepaymentYearsVariant,
    breakeven_sales,
    debt_repayment_years,
    normal_working_capital,
)
from keiei.finance.output import to_dict
from keiei.finance.projection import Projection, project
from keiei.finance.scenarios import BUILTIN_SCENARIOS, apply_scenario, get_scenario, scenario_names
from keiei.finance.statements import BS, CF, PL, BankResult, Indicators, LoanResult, PlanDetails, YearResult
from keiei.finance.subtotals import BalanceTotals, ProfitChain, actual_subtotals, balance_totals, profit_chain
from keiei.finance.validate import validate_plan

__all__ = [
    "BS",
    "BUILTIN_SCENARIOS",
    "CF",
    "PL",
    "REPAYMENT_YEARS_FORMULAS",
    "VARIANTS",
    "BalanceTotals",
    "BankResult",
    "CashMonthResult",
    "Indicators",
    "LoanResult",
    "PlanDetails",
    "ProfitChain",
    "Projection",
    "RepaymentYearsVariant",
    "YearResult",
    "actual_subtotals",
    "apply_scenario",
    "balance_totals",
    "breakeven_sales",
    "cash_schedule",
    "debt_repayment_years",
    "get_scenario",
    "normal_working_capital",
    "profit_chain",
    "project",
    "scenario_names",
    "to_dict",
    "validate_plan",
]
