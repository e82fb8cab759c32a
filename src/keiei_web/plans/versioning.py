"""Canonical JSON, its SHA-256, and a key-path diff between two plan versions.

Pure functions (no Django): the hash must be reproducible by anyone holding the JSON — a bank
can check that the plan it consented to is the one on file — so the canonical form is fixed
here: keys sorted, no insignificant whitespace, UTF-8, non-ASCII kept as is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

_MISSING = object()


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
    """Leaf values by key path: `pl.sales[0]`, `company.name`. Empty containers are leaves."""
    out: dict[str, Any] = {}
    if isinstance(data, dict) and data:
        for key in data:
            out.update(flatten(data[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and data:
        for i, item in enumerate(data):
            out.update(flatten(item, f"{prefix}[{i}]"))
    else:
        out[prefix or "$"] = data
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
