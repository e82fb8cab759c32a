"""The plan file: format (plan.schema.json, docs/plan-format.md), loader, typed model, checks.

Public API:
    load_plan(path) -> Plan              read + schema-check a YAML/JSON file (PlanInputError)
    parse_plan(data, source) -> Plan     the same for data already in memory
    read_plan_data(path)                 the file's data as read, before any check
    validate_plan(plan) -> list[Finding] impossible figures that pass the schema
    schema_path(), plan_schema()         the published JSON Schema
"""

from keiei.plan.loader import PlanInputError, load_plan, parse_plan, plan_schema, read_plan_data, schema_path
from keiei.plan.model import Plan
from keiei.plan.periods import Period
from keiei.plan.validate import validate_plan

__all__ = [
    "Period",
    "Plan",
    "PlanInputError",
    "load_plan",
    "parse_plan",
    "plan_schema",
    "read_plan_data",
    "schema_path",
    "validate_plan",
]
