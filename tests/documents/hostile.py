"""Hostile variants of plans and case files: every free-text string replaced by an attack.

Used by tests/documents/test_hostile.py (the whole package) and tests/web (downloads). A string
is free text when the plan (or case) still validates with it replaced: identifiers that other
fields refer to (bank, loan, party and segment names) are replaced consistently everywhere,
mapping keys included; enums, dates, periods and postal codes keep their values.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

#: The attacks, one per context a plan string can land in (see keiei.documents.escape).
PAYLOADS: tuple[str, ...] = (
    "</style><link rel=attachment href=file:///etc/passwd><style>",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% if 1 %}jinja{% endif %}",
    '#import "x": *\\ ] #{',
    "=1+1",
    "@SUM(A1)",
    "-2+3",
    "\t=cmd|' /C calc'!A0",
    '+HYPERLINK("http://example.invalid")',
    '<svg><image href="file:///etc/passwd"/></svg><a href=file:///etc/passwd>x</a>',
    "url(file:///etc/passwd) @import 'file:///etc/passwd'; <iframe src=file:///etc/passwd></iframe>",
    "<object data=file:///etc/passwd></object><img src=../../../../etc/passwd><img src=//example.invalid/x>",
    "$\\frac{1}{$ $x^2$ &amp; &lt;b&gt;",
    "ctrl\x01\x07\x1b[31m\x7f end",
    "\u202eRTL override\u202c \u200f mark \u2028 line",
    "http://example.invalid/?q=<b>",
    "external:c:\\secret\\book.xlsx",
    "長い" * 150,
)


def _strings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, i))
    elif isinstance(node, str):
        yield path, node


def _replace(node: Any, mapping: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {mapping.get(k, k) if isinstance(k, str) else k: _replace(v, mapping) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace(v, mapping) for v in node]
    if isinstance(node, str):
        return mapping.get(node, node)
    return node


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def hostile_variant(
    data: dict[str, Any],
    errors: Callable[[Any], list[tuple[Any, ...]]],
    *,
    skip_keys: frozenset[str] = frozenset(),
    keep: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], dict[str, str]]:
    """`data` with every free-text string replaced by a payload; returns (data, original → payload).

    `errors(candidate)` returns the paths (in the candidate) of values that make it invalid;
    the original strings there are kept, and the search repeats until nothing fails. Each
    distinct string gets its own payload (payloads cycle, a counter keeps them distinct).
    `skip_keys`: keys whose values are never replaced (e.g. `version`); `keep`: strings never
    replaced (e.g. the bank names a web case must find in its plan).
    """
    originals: list[str] = []
    for path, value in _strings(data):
        if value not in originals and value not in keep and not (path and path[-1] in skip_keys):
            originals.append(value)
    mapping = {s: f"{PAYLOADS[i % len(PAYLOADS)]}〔{i}〕" for i, s in enumerate(originals)}
    for _ in range(200):
        candidate = _replace(copy.deepcopy(data), mapping)
        bad = errors(candidate)
        if not bad:
            return candidate, mapping
        reverse = {v: k for k, v in mapping.items()}
        dropped = False
        for path in bad:
            value = _at(candidate, path) if path else None
            if isinstance(value, str) and value in reverse:
                mapping.pop(reverse[value], None)
                dropped = True
            elif path and isinstance(path[-1], str) and path[-1] in reverse:  # a renamed key
                mapping.pop(reverse[path[-1]], None)
                dropped = True
        if not dropped:
            raise AssertionError(f"cannot make a valid hostile variant: {bad[:3]} {json.dumps(candidate)[:300]}")
    raise AssertionError("hostile variant did not converge")


def _parse_field(field: str) -> tuple[Any, ...]:
    """('banks', 1, 'name') from `banks[1].name` (the field of a PlanInputError)."""
    out: list[Any] = []
    for part in field.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]"):
            out.append(int(part[1:-1]))
        else:
            out.append(part)
    return tuple(out)


def plan_errors(candidate: Any) -> list[tuple[Any, ...]]:
    """Paths of the values that make `candidate` an invalid plan (schema first, then the loader)."""
    from keiei.plan import PlanInputError, parse_plan
    from keiei.plan.loader import _validator

    schema = [tuple(e.absolute_path) for e in _validator().iter_errors(candidate)]
    if schema:
        return schema
    try:
        parse_plan(candidate, "hostile")
    except PlanInputError as exc:
        return [_parse_field(exc.field.removeprefix("hostile: "))]
    return []


def case_errors(candidate: Any) -> list[tuple[Any, ...]]:
    """Paths of the values that make `candidate` an invalid case file."""
    from keiei.case.file import _validator

    return [tuple(e.absolute_path) for e in _validator().iter_errors(candidate)]


def hostile_plan(data: dict[str, Any], keep: frozenset[str] = frozenset()) -> tuple[dict[str, Any], dict[str, str]]:
    """A hostile variant of the plan data (see `hostile_variant`)."""
    return hostile_variant(data, plan_errors, skip_keys=frozenset({"version", "program", "display_unit"}), keep=keep)


def hostile_case(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A hostile variant of the case data."""
    return hostile_variant(data, case_errors, skip_keys=frozenset({"version"}))
