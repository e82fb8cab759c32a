"""Canonical JSON, its SHA-256, and a key-path diff between two plan versions.

Pure functions (no Django): the hash must be reproducible by anyone holding the JSON — a bank
can check that the plan it consented to is the one on file — so the canonical form is fixed
here: keys sorted, no insignificant whitespace, UTF-8, non-ASCII kept as is; a number as its
shortest float text, or its exact digits when no float holds it (`exactjson.number_text`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from keiei_web.plans import exactjson

_MISSING = object()


def canonical_json(data: Any) -> str:
    try:
        return exactjson.dumps(data, sort_keys=True, separators=(",", ":"))
    except RecursionError:  # a draft stored before keiei.limits bounded its depth
        return _canonical_iterative(data)


def _canonical_iterative(data: Any) -> str:
    """The same text as `canonical_json`, written with an explicit stack (no recursion)."""
    out: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            keys = sorted(item)
            parts: list[Any] = [_Raw("{")]
            for i, key in enumerate(keys):
                parts += [_Raw(("," if i else "") + json.dumps(str(key), ensure_ascii=False) + ":"), item[key]]
            parts.append(_Raw("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list | tuple):
            parts = [_Raw("[")]
            for i, value in enumerate(item):
                parts += [_Raw(",")] if i else []
                parts.append(value)
            parts.append(_Raw("]"))
            stack.extend(reversed(parts))
        else:
            out.append(exactjson.dumps(item))
    return "".join(out)


@dataclass(frozen=True)
class _Raw:
    text: str


def sha256_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is added / removed / changed; values are JSON values."""

    path: str
    kind: str
    old: Any = None
    new: Any = None


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by key path: `pl.sales[0]`, `company.name`. Empty containers are leaves.

    Iterative (depth first, in document order), so a draft nested deeper than Python's
    recursion limit — stored before keiei.limits bounded it — still shows.
    """
    out: dict[str, Any] = {}
    stack: list[tuple[str, Any]] = [(prefix, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict) and value:
            stack.extend((f"{path}.{key}" if path else str(key), value[key]) for key in reversed(list(value)))
        elif isinstance(value, list) and value:
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
        else:
            out[path or "$"] = value
    return out


def diff(old: Any, new: Any) -> list[Change]:
    """Differences from `old` to `new` by key path, in the order of the paths."""
    a, b = flatten(old), flatten(new)
    changes: list[Change] = []
    for path in sorted(set(a) | set(b)):
        before, after = a.get(path, _MISSING), b.get(path, _MISSING)
        if before is _MISSING:
            changes.append(Change(path, "added", None, after))
        elif after is _MISSING:
            changes.append(Change(path, "removed", before, None))
        elif canonical_json(before) != canonical_json(after):
            changes.append(Change(path, "changed", before, after))
    return changes
