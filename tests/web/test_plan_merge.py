"""keiei_web.plans.merge: the three-way merge by key path behind concurrent plan edits."""

from __future__ import annotations

import copy
from typing import Any

from keiei_web.plans.merge import (
    ABSENT,
    all_conflicts,
    changes,
    parse_path_token,
    path_text,
    path_token,
    take_base,
    three_way,
)

BASE: dict[str, Any] = {
    "company": {"name": "A", "address": "大阪"},
    "display_unit": "千円",
    "banks": [{"name": "X", "loans": [{"rate": 0.01}]}, {"name": "Y"}],
    "drivers": {"years": 3, "sales": {"growth": [0.01, 0.02, 0.03]}},
}


def edited(**paths: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for dotted, value in paths.items():
        keys = dotted.split("__")
        cur = doc
        for k in keys[:-1]:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        last = keys[-1]
        if value is ABSENT:
            del cur[last]
        elif last.isdigit():
            cur[int(last)] = value
        else:
            cur[last] = value
    return doc


def test_changes_are_the_largest_differing_subtrees() -> None:
    assert changes(BASE, BASE) == {}
    assert changes(BASE, edited(company__name="B")) == {("company", "name"): "B"}
    assert changes(BASE, edited(display_unit=ABSENT)) == {("display_unit",): ABSENT}
    assert changes(BASE, edited(banks__0__loans__0__rate=0.02)) == {("banks", 0, "loans", 0, "rate"): 0.02}
    grown = edited(banks=[*BASE["banks"], {"name": "Z"}])
    assert changes(BASE, grown) == {("banks",): grown["banks"]}  # the number of rows: the list


def test_disjoint_changes_merge() -> None:
    mine = edited(company__name="B", drivers__sales__growth=[0.05, 0.02, 0.03])
    theirs = edited(company__address="堺", display_unit="円")
    result = three_way(BASE, mine, theirs)
    assert not result.conflicts and result.mine_changed
    assert result.merged == edited(
        company__name="B", company__address="堺", display_unit="円", drivers__sales__growth=[0.05, 0.02, 0.03]
    )


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    mine = edited(company__name="B")
    result = three_way(BASE, mine, edited(company__name="B", display_unit="円"))
    assert not result.conflicts and result.merged == edited(company__name="B", display_unit="円")


def test_overlapping_changes_conflict_and_show_mine_with_theirs_elsewhere() -> None:
    mine = edited(company__name="B", display_unit="円")
    theirs = edited(company__name="C", company__address="堺")
    result = three_way(BASE, mine, theirs)
    assert result.merged is None
    assert [(c.path, c.mine, c.theirs) for c in result.conflicts] == [(("company", "name"), "B", "C")]
    assert result.shown == edited(company__name="B", company__address="堺", display_unit="円")


def test_a_change_inside_a_list_whose_rows_changed_is_a_conflict_at_the_list() -> None:
    mine = edited(banks__0__loans__0__rate=0.02)
    theirs = edited(banks=[*BASE["banks"], {"name": "Z"}])
    result = three_way(BASE, mine, theirs)
    assert [c.path for c in result.conflicts] == [("banks",)]
    assert result.shown["banks"] == mine["banks"]


def test_a_removed_object_against_an_edit_inside_it_is_a_conflict() -> None:
    result = three_way(BASE, edited(company=ABSENT), edited(company__name="C"))
    assert [(c.path, c.mine) for c in result.conflicts] == [(("company",), ABSENT)]
    assert "company" not in result.shown


def test_without_a_base_every_difference_is_a_conflict() -> None:
    result = all_conflicts(edited(company__name="B"), edited(display_unit="円"))
    assert {c.path for c in result.conflicts} == {("company", "name"), ("display_unit",)}
    assert result.shown == edited(company__name="B")
    assert all_conflicts(BASE, BASE).merged == BASE


def test_taking_the_base_value_undoes_my_change_there() -> None:
    mine = edited(company__name="B", display_unit=ABSENT)
    kept = take_base(mine, BASE, [("company", "name"), ("display_unit",), ("banks", 9, "name")])
    assert kept == BASE


def test_path_tokens_round_trip_and_hostile_ones_are_ignored() -> None:
    path = ("banks", 1, "loans", 0, "rate")
    assert parse_path_token(path_token(path)) == path
    assert path_text(path) == "banks[1].loans[0].rate"
    for bad in (
        "",
        "x",
        "{}",
        "[]",
        "[true]",
        "[-1]",
        "[1.5]",
        '[["a"]]',
        "[" + ",".join(["1"] * 40) + "]",
        "[" * 3000,
    ):
        assert parse_path_token(bad) is None, bad
