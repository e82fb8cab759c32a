"""Three-way merge of plan drafts by key path: two people saving the same plan.

Why: a form (a step of the editor, the JSON editor) is built from the draft at some revision
(the *base*); by the time it is posted someone else may have saved (*theirs*, the stored draft).
Storing the post as it is would silently put back the base's values of everything the other
person changed. Instead the changes of each side are compared with the base:

- `changes(base, doc)` lists the *units* a side changed: the largest subtrees that differ
  (a changed value, an added or removed key), a list whose number of rows changed being one
  unit — rows are positional, so a row added on one side and a row edited on the other cannot
  be told apart from a shifted row; that is reported as a conflict rather than guessed.
- Two units *overlap* when one path is the other or contains it. Overlapping units whose
  results differ (compared at the shorter path) are a conflict; both sides having made the
  same change is not.
- Without a conflict, the merge is theirs with my units applied. With conflicts nothing is
  merged: the caller shows both values, and `shown` — theirs with my changes, mine winning the
  conflicts — is what stays on screen so that nothing typed is lost.

Pure functions (no Django). Paths are tuples of keys (str) and row numbers (int).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from keiei_web.plans.versioning import canonical_json

Path = tuple[str | int, ...]


class _Absent:
    """A value that is not there (a removed or never-added key)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
MAX_PATH = 32  # deeper than any plan file; a posted path longer than this is ignored


def _same(a: Any, b: Any) -> bool:
    if a is ABSENT or b is ABSENT:
        return a is b
    return canonical_json(a) == canonical_json(b)


def changes(base: Any, doc: Any) -> dict[Path, Any]:
    """The units `doc` changed from `base`: path → the value in `doc` (ABSENT: removed)."""
    out: dict[Path, Any] = {}

    def walk(path: Path, a: Any, b: Any) -> None:
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for key in [*a, *(k for k in b if k not in a)]:
                walk((*path, key), a.get(key, ABSENT), b.get(key, ABSENT))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk((*path, i), x, y)
        elif not _same(a, b):
            out[path] = b

    walk((), base, doc)
    return out


def get_at(doc: Any, path: Path) -> Any:
    """The value at `path`, ABSENT when any step of it is missing."""
    cur = doc
    for key in path:
        # Two tests, not one `or`: mypy narrows `key` to the index type of each container.
        if isinstance(key, int) and isinstance(cur, list) and 0 <= key < len(cur):
            cur = cur[key]
            continue
        if isinstance(key, str) and isinstance(cur, dict) and key in cur:
            cur = cur[key]
            continue
        return ABSENT
    return cur


class PathError(Exception):
    """`set_at` found no place for the path (the document's shape differs there)."""


def set_at(doc: Any, path: Path, value: Any) -> Any:
    """Put `value` at `path` in `doc` (in place; ABSENT removes the key); returns the document."""
    if not path:
        return copy.deepcopy(value) if value is not ABSENT else {}
    parent = get_at(doc, path[:-1])
    key = path[-1]
    if isinstance(key, str) and isinstance(parent, dict):
        if value is ABSENT:
            parent.pop(key, None)
        else:
            parent[key] = copy.deepcopy(value)
    elif isinstance(key, int) and isinstance(parent, list) and 0 <= key < len(parent) and value is not ABSENT:
        parent[key] = copy.deepcopy(value)
    else:
        raise PathError(path)
    return doc


@dataclass(frozen=True)
class Conflict:
    """Both sides changed `path` (or something inside it) to different results."""

    path: Path
    mine: Any
    theirs: Any


@dataclass
class Merge:
    merged: dict[str, Any] | None  # None when there are conflicts
    conflicts: list[Conflict] = field(default_factory=list)
    shown: dict[str, Any] = field(default_factory=dict)  # theirs + my changes, mine winning
    mine_changed: bool = False  # whether my side changed anything at all


def three_way(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merge:
    """Merge my changes (base → mine) into theirs (base → theirs), by key path."""
    my_units = changes(base, mine)
    their_units = changes(base, theirs)
    their_set = set(their_units)
    their_prefixes = {q[:i] for q in their_units for i in range(len(q))}
    conflicts: dict[Path, Conflict] = {}
    for p in my_units:
        shorter = next((p[:i] for i in range(len(p) + 1) if p[:i] in their_set), None)
        if shorter is None and p in their_prefixes:
            shorter = p
        if shorter is None:
            continue
        a, b = get_at(mine, shorter), get_at(theirs, shorter)
        if not _same(a, b):
            conflicts[shorter] = Conflict(shorter, a, b)
    shown: Any = copy.deepcopy(dict(theirs))
    for path, conflict in conflicts.items():
        shown = set_at(shown, path, conflict.mine)
    clean = [p for p in my_units if not any(p[: len(c)] == c for c in conflicts)]
    try:
        for p in clean:
            shown = set_at(shown, p, my_units[p])
    except PathError as exc:  # not expected (see the module docstring): be safe, call it a conflict
        bad = exc.args[0]
        conflicts[bad] = Conflict(bad, get_at(mine, bad), get_at(theirs, bad))
    result = dict(shown) if isinstance(shown, Mapping) else {}
    return Merge(
        merged=None if conflicts else result,
        conflicts=sorted(conflicts.values(), key=lambda c: path_text(c.path)),
        shown=result,
        mine_changed=bool(my_units),
    )


def all_conflicts(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merge:
    """No base to compare with (the form's revision is no longer kept): every difference
    between what was posted and what is stored is a conflict the user decides."""
    units = changes(theirs, mine)
    conflicts = [Conflict(p, v, get_at(theirs, p)) for p, v in units.items()]
    return Merge(
        merged=None if conflicts else dict(theirs),
        conflicts=sorted(conflicts, key=lambda c: path_text(c.path)),
        shown=copy.deepcopy(dict(mine)),
        mine_changed=bool(units),
    )


def path_text(path: Path) -> str:
    """("banks", 1, "loans", 0, "rate") → `banks[1].loans[0].rate` (the editor's input paths)."""
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out or "$"


def path_token(path: Path) -> str:
    """A path as the text of a form value (JSON), read back by `parse_path_token`."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def parse_path_token(token: str) -> Path | None:
    """A posted path token, or None when it is not one (hostile input: ignored)."""
    if len(token) > 2000:
        return None
    try:
        value = json.loads(token)
    except ValueError:
        return None
    if not isinstance(value, list) or not value or len(value) > MAX_PATH:
        return None
    if not all(isinstance(k, str) or (isinstance(k, int) and not isinstance(k, bool) and k >= 0) for k in value):
        return None
    return tuple(value)


def take_base(doc: dict[str, Any], base: Mapping[str, Any], paths: Sequence[Path]) -> dict[str, Any]:
    """`doc` with the base's value at each of `paths` ("keep the stored value": no change there)."""
    out = copy.deepcopy(doc)
    for path in paths:
        try:
            out = set_at(out, path, get_at(base, path))
        except PathError:
            continue  # the row is gone from the form: nothing to keep there
    return out
