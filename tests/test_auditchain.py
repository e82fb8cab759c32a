"""The core's audit hash chain: the hash covers every field, a chain verifies, each break is named."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from keiei.auditchain import (
    GENESIS,
    HASHED_FIELDS,
    ChainReport,
    Link,
    add_chain,
    canonical_json,
    link_hash,
    verify_chain,
)


def fields(seq: int, **changes: Any) -> dict[str, Any]:
    base = {
        "case": 7,
        "seq": seq,
        "at": f"2025-04-0{seq}T01:00:00.000000+00:00",
        "actor": 3,
        "actor_name": "支援 太郎",
        "actor_role": "adviser",
        "action": "apply",
        "summary": "利用申請しました。",
        "from_state": "consultation",
        "to_state": "applied",
        "before": {"state": "consultation"},
        "after": {"state": "applied", "fees": {"plan": 2_400_000}},
    }
    return base | changes


def chain(n: int) -> list[Link]:
    links, previous = [], GENESIS
    for seq in range(1, n + 1):
        f = fields(seq)
        digest = link_hash(f, previous)
        links.append(Link(100 + seq, seq, previous, digest, f))
        previous = digest
    return links


def test_the_hash_is_sha256_of_canonical_json_with_the_previous_hash() -> None:
    f = fields(1)
    payload = {"v": 1, "prev_hash": GENESIS, **f}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert link_hash(f, GENESIS) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_json({"b": 1, "a": "円"}) == '{"a":"円","b":1}'.encode()
    assert GENESIS == "0" * 64


@pytest.mark.parametrize("name", HASHED_FIELDS)
def test_every_field_changes_the_hash(name: str) -> None:
    f = fields(2)
    changed = {**f, name: {"changed": True}}
    assert link_hash(changed, GENESIS) != link_hash(f, GENESIS)
    assert link_hash(f, "1" * 64) != link_hash(f, GENESIS)


def test_a_missing_field_is_a_programming_error() -> None:
    f = fields(1)
    del f["summary"]
    with pytest.raises(ValueError, match="summary"):
        link_hash(f, GENESIS)


def test_an_intact_chain_verifies_and_gives_its_head() -> None:
    links = chain(4)
    assert verify_chain(7, "K-00007", links) is None
    report = ChainReport()
    add_chain(report, 7, "K-00007", links)
    assert report.intact and report.cases == 1 and report.events == 4
    assert report.heads == {"K-00007": {"case_id": 7, "seq": 4, "hash": links[-1].hash}}
    assert report.as_dict()["intact"] is True


def test_changed_content_is_found_at_its_event() -> None:
    links = chain(4)
    tampered = Link(links[1].event_id, 2, links[1].prev_hash, links[1].hash, fields(2, summary="書き換え"))
    problem = verify_chain(7, "K-00007", [links[0], tampered, *links[2:]])
    assert problem is not None and (problem.kind, problem.event_id, problem.seq) == ("content", 102, 2)
    assert problem.found == links[1].hash
    line = problem.line()
    assert line.startswith("改ざんの疑い: 案件 K-00007 の操作履歴 #102（第2件）") and "\n" not in line


def test_a_rehashed_change_breaks_the_next_link() -> None:
    links = chain(4)
    f = fields(2, summary="書き換え")
    rehashed = Link(links[1].event_id, 2, links[1].prev_hash, link_hash(f, links[1].prev_hash), f)
    problem = verify_chain(7, "K-00007", [links[0], rehashed, *links[2:]])
    assert problem is not None and (problem.kind, problem.seq) == ("link", 3)
    assert problem.expected == rehashed.hash and problem.found == links[1].hash


def test_a_deleted_entry_is_named_by_its_number() -> None:
    links = chain(5)
    problem = verify_chain(7, "K-00007", [*links[:2], *links[3:]])
    assert problem is not None and (problem.kind, problem.seq, problem.expected) == ("missing", 4, "3")
    assert "第3件がありません" in problem.line()
    first = verify_chain(7, "K-00007", links[1:])
    assert first is not None and (first.kind, first.expected) == ("missing", "1")
    renumbered = [links[0], *(Link(x.event_id, x.seq - 1, x.prev_hash, x.hash, x.fields) for x in links[2:])]
    problem = verify_chain(7, "K-00007", renumbered)
    assert problem is not None and problem.kind == "link"


def test_duplicates_empty_and_unchained() -> None:
    links = chain(3)
    duplicate = verify_chain(7, "K-00007", [links[0], links[1], links[1], links[2]])
    assert duplicate is not None and duplicate.kind == "duplicate"
    empty = verify_chain(7, "K-00007", [])
    assert empty is not None and empty.kind == "empty" and "1件もありません" in empty.line()
    bare = Link(101, 1, "", "", fields(1))
    unchained = verify_chain(7, "K-00007", [bare])
    assert unchained is not None and unchained.kind == "unchained"
