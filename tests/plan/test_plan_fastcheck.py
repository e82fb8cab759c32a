"""The loader's fast schema check (keiei.plan.fastcheck) agrees with jsonschema.

It sits in front of jsonschema so that parsing plans by the thousand (benchmarks/plans.py, the
property tests here) stays cheap; it may only ever say "valid" when jsonschema says so. Checked
on the property tests' generated plans, on the same plans mutated at a random place, and on the
plan files in the repository.
"""

from __future__ import annotations

import copy
import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keiei.plan.fastcheck import compile_schema
from keiei.plan.loader import _fast_check, _read, _validator, plan_schema

ROOT = Path(__file__).parents[2]
_spec = importlib.util.spec_from_file_location(
    "_plan_strategies", Path(__file__).parent.parent / "finance" / "test_properties.py"
)
assert _spec is not None and _spec.loader is not None
_properties = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_properties)
plan_data = _properties.plan_data

SETTINGS = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ODD_VALUES = [None, True, False, 0, 1, -1, 7, 2**70, -(2**70), 1.5, 2.0, float("inf"), Decimal("0.5"), Decimal("-3"),
              Decimal("1E+20"), "", "x", "2025-03", "2025-13", "405", "variable", "sales", [], [1], [Decimal("0.1")] * 5,
              {}, {"name": "x"}]  # fmt: skip
EXTRA_KEYS = ["zzz", "amount", "ratio", "months", "days", "growth", "amounts", "segment", "item", "name", "balance"]


def fast(data: Any) -> bool:
    check = _fast_check()
    assert check is not None, "the plan schema should compile for the fast check"
    return check(data)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*prefix, index))
    return out


@SETTINGS
@given(plan_data())
def test_generated_plans_get_the_same_verdict(data: dict[str, Any]) -> None:
    assert fast(data) == _validator().is_valid(data)


@SETTINGS
@given(plan_data(), st.data())
def test_mutated_plans_get_the_same_verdict(data: dict[str, Any], draw: st.DataObject) -> None:
    mutated = copy.deepcopy(data)
    path = draw.draw(st.sampled_from(paths(mutated)[1:]))
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    action = draw.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace" or (action == "delete" and not isinstance(parent, dict)):
        parent[path[-1]] = draw.draw(st.sampled_from(ODD_VALUES))
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw.draw(st.sampled_from(EXTRA_KEYS))] = draw.draw(st.sampled_from(ODD_VALUES))
    else:
        parent.append(draw.draw(st.sampled_from(ODD_VALUES)))
    assert fast(mutated) == _validator().is_valid(mutated)


def test_plan_files_in_the_repository_pass_both() -> None:
    files = [*sorted((ROOT / "examples").glob("*.yaml")), *sorted((ROOT / "tests" / "data" / "plans").glob("*.yaml"))]
    assert files
    for path in files:
        data, _ = _read(path)
        if isinstance(data, dict) and data.get("program") == 405:
            data["program"] = "405"
        assert fast(data) == _validator().is_valid(data), path


def test_json_semantics_of_types_enum_and_const() -> None:
    check = compile_schema(
        {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "properties": {"n": {"type": "number"}, "e": {"enum": ["a", "b"]}, "c": {"const": 1}},
        }
    )
    assert check is not None
    assert check({"n": Decimal("1.5"), "e": "a", "c": 1, "x": 3, "y": 2.0})
    assert not check({"n": True})  # bool is not a number
    assert not check({"x": 2.5}) and not check({"x": Decimal(2)}) and not check({"x": False})
    assert check({"c": Decimal(1)}) and check({"c": 1.0})
    assert not check({"c": True}) and not check({"c": "1"}) and not check({"e": "c"})
    assert not check([])  # not an object


def test_keywords_it_does_not_implement_hand_over_to_jsonschema() -> None:
    for schema in ({"uniqueItems": True}, {"patternProperties": {"^a": {}}}, {"$ref": "other.json"}, {"enum": [1, 2]}):
        assert compile_schema(schema) is None
    assert compile_schema({"x-message-ja": "注記", "description": "d", "0": None}) is not None
    assert compile_schema(plan_schema()) is not None
