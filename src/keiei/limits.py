"""Bounds on the shape of data people hand to keiei: bytes, nesting depth, values in all, items
per list or mapping, string length, digits of a number. The one place they are defined.

Why: a plan file, a case file or a post of the web's plan editor is hostile input like any
other. Without bounds, 100,000 nested brackets exhaust Python's recursion (a traceback), 900
of them save but break every later export, a 200,000-character name fills pages and documents,
and 500,000 tiny YAML values keep a worker busy for half a minute. These limits are far above
anything a real plan needs (the examples: ~900 values, 7 levels, strings under 200 characters,
at most 24 items in one list; see docs/plan-format.md) and far below what hurts.

What each front end does with them: the plan loader (`keiei.plan.loader`: CLI, case files,
the web's import) checks every file and every in-memory plan; the web checks the JSON editor's
text, each step's posted values and the autosave before anything is stored. The schema then
bounds what is meaningful per field (names 100 characters, one-line text 200, free text 4,000:
`keiei/plan/plan.schema.json`); these structural limits only stop what is hostile.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from keiei.errors import KeieiInputError

#: Bytes of one plan or case file (or of the JSON editor's text): 100 × the largest example
#: (24 KB). Checked before parsing.
MAX_BYTES = 2_000_000
#: Nested lists and mappings: the plan format needs 6 (cash_table.months[i].operating_in…).
MAX_DEPTH = 20
#: Values in one document, aliases counted each time they are used (YAML alias bombs): 50 × the
#: examples; a five-year plan with a 72-month cash table of 30 accounts per group stays below
#: 15,000. Counted while YAML is read, so 500,000 tiny values cost no more than 50,000.
MAX_NODES = 50_000
#: Items of one list or keys of one mapping: the longest list of a plan (cash-table months,
#: accounts) holds tens.
MAX_ITEMS = 1_000
#: Characters of any string (key or value). The schema limits meaningful text to 4,000.
MAX_STRING_LENGTH = 10_000
#: Digits of a number before (or zeros after) the decimal point. Yen stop at 10^15; Python
#: refuses integers of more than 4,300 digits with a ValueError of its own.
MAX_NUMBER_DIGITS = 30

_SCALARS = (str, bool, int, float, Decimal, type(None))


class LimitError(KeieiInputError):
    """Data beyond one of the limits; `field` is the path (`company.name`, or the whole)."""


def format_path(parts: tuple[str | int, ...], whole: str = "(ファイル全体)") -> str:
    """`banks[1].name` from ('banks', 1, 'name') (the same form as the plan's messages)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or whole


def too_large(field: str = "(ファイル全体)", size: int | None = None) -> LimitError:
    """The refusal of a text or file of more than `MAX_BYTES` bytes."""
    shown = f"{size:,} バイト。" if size is not None else ""
    return LimitError(
        field,
        f"大きすぎます（{shown}{MAX_BYTES // 1_000_000} MB まで）",
        f"more than {MAX_BYTES} bytes",
    )


def too_deep(field: str = "(ファイル全体)") -> LimitError:
    return LimitError(field, f"入れ子が深すぎます（{MAX_DEPTH} 段まで）", f"nested deeper than {MAX_DEPTH}")


def too_many_nodes(field: str = "(ファイル全体)") -> LimitError:
    return LimitError(field, f"値が多すぎます（{MAX_NODES:,} 個まで）", f"more than {MAX_NODES} values")


def _number_problem(value: Any) -> str | None:
    """Why a number cannot be used (infinite, NaN, too many digits), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, int):
        big = value >= 10**MAX_NUMBER_DIGITS or value <= -(10**MAX_NUMBER_DIGITS)
        return f"数値の桁が多すぎます（{MAX_NUMBER_DIGITS} 桁まで）" if big else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return "無限大や NaN は数値として使えません"
        value = Decimal(repr(value))
    if not value.is_finite():
        return "無限大や NaN は数値として使えません"
    if value and abs(value.adjusted()) >= MAX_NUMBER_DIGITS:
        return f"数値の桁が多すぎます（{MAX_NUMBER_DIGITS} 桁まで）"
    return None


def structure_problem(data: Any, whole: str = "(ファイル全体)") -> LimitError | None:
    """The first limit `data` breaks (as an error naming the path), or None.

    Iterative (an explicit stack), so it never recurses however deep the data is; it stops
    after `MAX_NODES` values, so its own cost is bounded too.
    """
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(data, 0, ())]
    nodes = 0
    while stack:
        value, depth, path = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return too_many_nodes(whole)
        if isinstance(value, dict):
            children: list[tuple[str | int, Any]] = []
            for key, child in value.items():
                if not isinstance(key, str):
                    key = str(key)
                if len(key) > MAX_STRING_LENGTH:
                    return _too_long(path, whole, len(key), "項目名", "key")
                children.append((key, child))
        elif isinstance(value, list | tuple):
            children = list(enumerate(value))
        else:
            if not isinstance(value, _SCALARS):
                where = format_path(path, whole)
                kind = type(value).__name__
                return LimitError(where, f"使えない種類の値です（{kind}）", f"unsupported value of type {kind}")
            if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
                return _too_long(path, whole, len(value), "文字列", "string")
            problem = _number_problem(value)
            if problem is not None:
                return LimitError(format_path(path, whole), problem, f"unusable number {value!r}")
            continue
        if depth + 1 > MAX_DEPTH:
            return too_deep(format_path(path, whole))
        if len(children) > MAX_ITEMS:
            where = format_path(path, whole)
            return LimitError(
                where,
                f"項目・行が多すぎます（{len(children):,} 件。{MAX_ITEMS:,} 件まで）",
                f"{len(children)} items, more than {MAX_ITEMS}",
            )
        stack.extend((child, depth + 1, (*path, key)) for key, child in reversed(children))
    return None


def _too_long(path: tuple[str | int, ...], whole: str, length: int, what: str, what_en: str) -> LimitError:
    return LimitError(
        format_path(path, whole),
        f"{what}が長すぎます（{length:,} 文字。{MAX_STRING_LENGTH:,} 文字まで）",
        f"{what_en} of {length} characters, more than {MAX_STRING_LENGTH}",
    )


def check_structure(data: Any, whole: str = "(ファイル全体)") -> None:
    """Raise the LimitError of the first limit `data` breaks (see `structure_problem`)."""
    problem = structure_problem(data, whole)
    if problem is not None:
        raise problem


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise LimitError("(ファイル全体)", f"数値の桁が多すぎます（{MAX_NUMBER_DIGITS} 桁まで）", "too many digits")
    return int(text)


def _reject_constant(name: str) -> Any:
    raise LimitError("(ファイル全体)", "無限大や NaN は数値として使えません", f"{name} is not a number")


def loads_json(text: str, *, parse_float: Callable[[str], Any] = float, whole: str = "(ファイル全体)") -> Any:
    """`json.loads` within the limits: size first, then the parse, then the structure.

    Raises `json.JSONDecodeError` for a syntax error (the caller names line and column) and
    `LimitError` for anything beyond a limit — never RecursionError or Python's own ValueError
    for a 5,000-digit integer.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise too_large(whole, size)
    try:
        data = json.loads(text, parse_float=parse_float, parse_int=_bounded_int, parse_constant=_reject_constant)
    except json.JSONDecodeError:
        raise
    except LimitError as exc:
        raise LimitError(whole, exc.message_ja, exc.message_en) from None
    except RecursionError:
        raise too_deep(whole) from None
    except (ValueError, ArithmeticError) as exc:  # e.g. a number Decimal cannot read
        raise LimitError(whole, f"JSON を読めません（{type(exc).__name__}）", f"invalid JSON: {exc}") from None
    check_structure(data, whole)
    return data
