"""Plan version hashing and the key-path diff (pure functions)."""

from __future__ import annotations

import hashlib

from keiei_web.plans.versioning import Change, canonical_json, diff, flatten, sha256_of


def test_canonical_json_sorts_keys_and_keeps_japanese() -> None:
    assert canonical_json({"b": 1, "a": {"y": "売上", "x": [1, 2]}}) == '{"a":{"x":[1,2],"y":"売上"},"b":1}'


def test_the_hash_ignores_key_order_and_whitespace_but_not_values() -> None:
    a = {"pl": {"sales": [1, 2]}, "name": "エー"}
    b = {"name": "エー", "pl": {"sales": [1, 2]}}
    assert sha256_of(a) == sha256_of(b)
    assert sha256_of(a) == hashlib.sha256('{"name":"エー","pl":{"sales":[1,2]}}'.encode()).hexdigest()
    assert sha256_of(a) != sha256_of({"name": "エー", "pl": {"sales": [1, 3]}})


def test_flatten_gives_key_paths() -> None:
    assert flatten({"a": {"b": [10, {"c": None}]}, "e": {}, "f": []}) == {
        "a.b[0]": 10,
        "a.b[1].c": None,
        "e": {},
        "f": [],
    }
    assert flatten(5) == {"$": 5}


def test_diff_lists_added_removed_and_changed_paths_in_order() -> None:
    old = {"pl": {"sales": [100, 110]}, "note": "x", "actions": [{"m": "値上げ"}]}
    new = {"pl": {"sales": [100, 105, 115]}, "actions": [{"m": "値上げ"}, {"m": "新規開拓"}]}
    assert diff(old, new) == [
        Change("actions[1].m", "added", None, "新規開拓"),
        Change("note", "removed", "x", None),
        Change("pl.sales[1]", "changed", 110, 105),
        Change("pl.sales[2]", "added", None, 115),
    ]
    assert diff(old, old) == []


def test_a_type_change_is_a_change() -> None:
    assert diff({"a": 1}, {"a": "1"}) == [Change("a", "changed", 1, "1")]
    assert diff({"a": 1}, {"a": True}) == [Change("a", "changed", 1, True)]
