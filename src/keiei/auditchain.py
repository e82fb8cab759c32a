"""The hash chain of a case's audit trail: how a link is hashed, and how a chain is verified.

Each entry of a case's trail carries the SHA-256 of the entry before it (`prev_hash`; the first
entry: `GENESIS`) and its own `hash`, computed over every field that says what happened —
case, sequence number, previous hash, time, actor (id, name, role), action, summary, states
before and after, values before and after — as canonical JSON (keys sorted, no whitespace,
UTF-8, non-ASCII as is, format version `v`). Changing any of them, or removing an entry, breaks
the chain at that point; `verify_chain` names the first broken link.

One chain per case, not one for the whole installation: every event of a case is recorded while
the case's row is locked (the web's services do that already), so the chain needs no global lock
that would serialise every case; a case's trail — what its council or company may be shown —
verifies on its own, without anyone else's events; and the sequence number per case makes a
removed entry visible by its gap.

What a plain hash chain cannot show: someone able to write the database directly can rewrite
an entry and recompute every hash after it, or cut the last entries off. Recording the heads
(`keiei audit verify --json` prints each case's last sequence number and hash) somewhere the
database's writers cannot reach makes those visible too.

Pure: no Django, no I/O; the web turns its rows into `Link`s (keiei_web.cases.auditchain).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The `prev_hash` of a case's first entry.
GENESIS = "0" * 64
#: The hashed payload's format; a change of the fields or their encoding gets a new number.
FORMAT = 1
#: The fields of an entry that are hashed, besides `prev_hash`.
HASHED_FIELDS = (
    "case",
    "seq",
    "at",
    "actor",
    "actor_name",
    "actor_role",
    "action",
    "summary",
    "from_state",
    "to_state",
    "before",
    "after",
)


def canonical_json(value: Any) -> bytes:
    """The one byte form that is hashed: keys sorted, no whitespace, UTF-8, non-ASCII as is."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def link_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of one entry: its HASHED_FIELDS and the previous entry's hash."""
    missing = [name for name in HASHED_FIELDS if name not in fields]
    if missing:
        raise ValueError(f"audit entry lacks {missing}")
    payload = {"v": FORMAT, "prev_hash": prev_hash, **{name: fields[name] for name in HASHED_FIELDS}}
    return hashlib.sha256(canonical_json(payload)).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored entry: its row id, what was stored as prev_hash and hash, and the hashed fields."""

    event_id: int
    seq: int
    prev_hash: str
    hash: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ChainProblem:
    """The first broken link of one case's chain."""

    case_id: int
    case_label: str
    kind: str  # "empty" | "unchained" | "missing" | "duplicate" | "link" | "content"
    event_id: int | None = None
    seq: int | None = None
    expected: str = ""
    found: str = ""

    def line(self) -> str:
        """One Japanese line: the case, the event, what differs."""
        where = f"案件 {self.case_label}"
        if self.event_id is not None:
            where += f" の操作履歴 #{self.event_id}（第{self.seq}件）"
        reason = {
            "empty": "操作履歴が1件もありません（案件の登録の記録もありません）",
            "unchained": "ハッシュがありません（連鎖の外で記録されたか、書き換えられています）",
            "missing": f"第{self.expected}件がありません（削除された可能性があります）",
            "duplicate": f"第{self.expected}件のあとに第{self.found}件が重複しています（順序が書き換えられています）",
            "link": f"前の記録のハッシュと一致しません（前の記録 {_short(self.expected)}、この記録の前ハッシュ "
            f"{_short(self.found)}）。前の記録が書き換えられたか削除された可能性があります",
            "content": f"内容が記録時と異なります（記録時のハッシュ {_short(self.found)}、再計算 "
            f"{_short(self.expected)}）。日時・操作者・操作・内容・状態・変更前後のいずれかが書き換えられています",
        }[self.kind]
        return f"改ざんの疑い: {where}: {reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "case": self.case_label,
            "kind": self.kind,
            "event_id": self.event_id,
            "seq": self.seq,
            "expected": self.expected,
            "found": self.found,
            "message": self.line(),
        }


def _short(digest: str) -> str:
    return digest[:12] + "…" if len(digest) > 12 else digest or "（なし）"


@dataclass
class ChainReport:
    """The verification of every chain: problems (one per broken case) and each case's head."""

    cases: int = 0
    events: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    heads: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "cases": self.cases,
            "events": self.events,
            "problems": [p.as_dict() for p in self.problems],
            "heads": self.heads,
        }


def verify_chain(case_id: int, case_label: str, links: Sequence[Link]) -> ChainProblem | None:
    """The first broken link of one case's chain (entries in sequence order), None when intact."""

    def problem(kind: str, link: Link | None = None, expected: str = "", found: str = "") -> ChainProblem:
        return ChainProblem(
            case_id,
            case_label,
            kind,
            link.event_id if link else None,
            link.seq if link else None,
            expected,
            found,
        )

    if not links:
        return problem("empty")
    previous = GENESIS
    for expected_seq, link in enumerate(links, start=1):
        if not link.hash:
            return problem("unchained", link)
        if link.seq != expected_seq:
            kind = "missing" if link.seq > expected_seq else "duplicate"
            return problem(kind, link, str(expected_seq if kind == "missing" else expected_seq - 1), str(link.seq))
        if link.prev_hash != previous:
            return problem("link", link, previous, link.prev_hash)
        recomputed = link_hash(link.fields, link.prev_hash)
        if recomputed != link.hash:
            return problem("content", link, recomputed, link.hash)
        previous = link.hash
    return None


def add_chain(report: ChainReport, case_id: int, case_label: str, links: Sequence[Link]) -> None:
    """Verify one case's chain into `report` (its problem, or its head when intact)."""
    report.cases += 1
    report.events += len(links)
    found = verify_chain(case_id, case_label, links)
    if found is not None:
        report.problems.append(found)
    else:
        report.heads[case_label] = {"case_id": case_id, "seq": links[-1].seq, "hash": links[-1].hash}
