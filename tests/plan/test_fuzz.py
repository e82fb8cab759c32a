"""No input produces a traceback: mutated plan files load or fail with PlanInputError, and
whatever loads can be projected, checked and serialised.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keiei.finance import project, scenario_names, to_dict, validate_plan
from keiei.plan import PlanInputError, load_plan, parse_plan
from keiei.plan.loader import _read  # the raw reader, to mutate the example as a user could

ROOT = Path(__file__).parents[2]
SOURCES = [ROOT / "examples" / "405-manufacturer.yaml", ROOT / "tests" / "data" / "plans" / "405gl-forgiveness.yaml"]
BASES = [_read(path)[0] for path in SOURCES]

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
    st.text(max_size=8),
    st.lists(st.integers(-5, 5), max_size=6),
    st.dictionaries(st.text(max_size=4), st.integers(-3, 3), max_size=2),
    st.sampled_from(["2025-03", "405", "405-gl", "variable", "uncovered", "sales", "sga", 0, 1, 5, 6, -1]),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(paths(value, (*prefix, index)))
    return out


ALL_PATHS = [paths(base) for base in BASES]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    which = draw(st.integers(0, len(BASES) - 1))
    data = copy.deepcopy(BASES[which])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS[which][1:]))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete"]))
            if action == "delete" and isinstance(parent, dict):
                del parent[path[-1]]
            elif action == "delete" and isinstance(parent, list) and len(parent) > 1:
                parent.pop(path[-1])
            else:
                parent[path[-1]] = draw(JUNK)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    return data


@settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_plans_never_raise_anything_but_input_errors(data: dict[str, Any]) -> None:
    try:
        plan = parse_plan(data)
    except PlanInputError as exc:
        assert exc.field and exc.message_ja
        return
    validate_plan(plan)
    for name in scenario_names(plan):
        json.dumps(to_dict(project(plan, name)), ensure_ascii=False)


def test_whole_example_round_trips_through_json(tmp_path: Path) -> None:
    path = tmp_path / "example.json"
    path.write_text(json.dumps(BASES[0], ensure_ascii=False, default=str), encoding="utf-8")
    # Decimals became strings above; write them as JSON numbers instead
    text = json.dumps(BASES[0], ensure_ascii=False, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    path.write_text(text, encoding="utf-8")
    from_json = to_dict(project(load_plan(path)))
    from_yaml = to_dict(project(load_plan(SOURCES[0])))
    assert from_json == from_yaml
