"""keiei.limits: the structural bounds, checked without recursion, with one Japanese message."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from keiei.limits import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_NODES,
    MAX_STRING_LENGTH,
    LimitError,
    check_structure,
    loads_json,
    structure_problem,
)


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def test_the_limits_are_far_above_a_real_plan() -> None:
    assert (MAX_BYTES, MAX_DEPTH, MAX_NODES, MAX_ITEMS, MAX_STRING_LENGTH) == (
        2_000_000,
        20,
        50_000,
        1_000,
        10_000,
    )


def test_depth() -> None:
    assert structure_problem({"a": nested(MAX_DEPTH - 1)}) is None
    problem = structure_problem({"a": nested(MAX_DEPTH)})
    assert problem is not None and problem.message_ja == "入れ子が深すぎます（20 段まで）"
    assert problem.field.startswith("a[0][0]")
    # a million levels: no RecursionError, the same message
    problem = structure_problem({"a": nested(1_000_000)})
    assert problem is not None and "入れ子が深すぎます" in problem.message_ja


def test_strings_keys_items_nodes() -> None:
    name = structure_problem({"company": {"name": "あ" * 200_000}})
    assert name is not None and name.field == "company.name"
    assert name.message_ja == "文字列が長すぎます（200,000 文字。10,000 文字まで）"
    key = structure_problem({"k" * (MAX_STRING_LENGTH + 1): 1})
    assert key is not None and "項目名が長すぎます" in key.message_ja
    items = structure_problem({"banks": [{}] * (MAX_ITEMS + 1)})
    assert items is not None and items.field == "banks" and "1,000 件まで" in items.message_ja
    nodes = structure_problem({f"k{i}": list(range(900)) for i in range(60)})
    assert nodes is not None and nodes.message_ja == "値が多すぎます（50,000 個まで）"


def test_an_alias_bomb_counts_every_use() -> None:
    layer: Any = ["x"] * 10
    for _ in range(8):
        layer = [layer] * 10  # 10^9 uses of a few objects
    problem = structure_problem({"bomb": layer})
    assert problem is not None and "値が多すぎます" in problem.message_ja


@pytest.mark.parametrize(
    "value", [float("inf"), float("nan"), Decimal("NaN"), Decimal("1e400"), 10**40, -(10**40), {1, 2}, b"x"]
)
def test_numbers_and_types_that_cannot_be_stored(value: Any) -> None:
    problem = structure_problem({"x": [value]})
    assert problem is not None and problem.field == "x[0]"


def test_ordinary_values_pass() -> None:
    check_structure({"a": [1, 2.5, Decimal("0.505"), None, True, "text", 10**15, {"b": []}]})


def test_loads_json_refuses_within_its_limits() -> None:
    assert loads_json('{"a": [1, 2.5]}') == {"a": [1, 2.5]}
    with pytest.raises(json.JSONDecodeError):
        loads_json('{"a": [1, 2,]}')
    cases = {
        "[" * 100_000 + "]" * 100_000: "入れ子が深すぎます",
        "[" * 900 + "]" * 900: "入れ子が深すぎます",
        "[" + "1" * 5000 + "]": "数値の桁が多すぎます",
        "[NaN]": "無限大や NaN",
        "[1e400]": "無限大や NaN",
        '"' + "x" * (MAX_BYTES + 1) + '"': "大きすぎます",
    }
    for text, message in cases.items():
        with pytest.raises(LimitError) as info:
            loads_json(text)
        assert message in info.value.message_ja, text[:20]
