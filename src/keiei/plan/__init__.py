"""The plan file: format (plan.schema.json, docs/plan-format.md), loader, typed model, checks.

Public API:
    load_plan(path) -> Plan              read + schema-check a YAML/JSON file (PlanInputError)
    parse_plan(data, source) -> Plan     the same for data already in memory
    read_plan_data(path)                 the file's data as read, before any check
    schema_path(), plan_schema()         the published JSON Schema

The checks of a plan's figures (`validate_plan`) need the projection engine, so they live in
`keiei.finance`: this package imports nothing from `keiei.finance` (tests/test_layering.py).
"""

from keiei.plan.loader import PlanInputError, load_plan, parse_plan, plan_schema, read_plan_data, schema_path
from keiei.plan.model import Plan
from keiei.plan.periods import Period

__all__ = [
    "Period",
    "Plan",
    "PlanInputError",
    "load_plan",
    "parse_plan",
    "plan_schema",
    "read_plan_data",
    "schema_path",
]
