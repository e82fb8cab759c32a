"""JSON for plan drafts with numbers kept exact: the CLI and the web project the same plan alike.

The core reads a plan file's decimals as `Decimal` from their text. The web used to turn every
decimal into a binary float (the form, the import, the JSON editor, storage), so a ratio with
more digits than a float holds (`0.1234567890123456789`) was rounded on its way to the draft
and the web's projection differed from `keiei plan check` on the same file.

The rule here, one function (`exact`): a decimal is stored as a float only when the float's
shortest text *is* that decimal (`0.1`, `0.07`, `1e-3` → `0.001`): then the core's reader
(`keiei.plan.builder._dec`, `Decimal(repr(f))`) gets back the very number typed. Any other
decimal stays a `Decimal` in the draft, is written to JSON with its exact digits (`dumps`) and
read back as a `Decimal` (`loads`). So most drafts are still plain JSON values (floats, as
before: the stored text and the version hashes of existing drafts do not change) and no digit
is ever lost.

Why hand-written rather than simplejson's `use_decimal=True`: loading is the standard library
already (`parse_float=`), so only writing a Decimal needs code (the writer below, run only for
data that holds one; otherwise it is `json.dumps` itself). simplejson's `use_decimal` reads
*every* decimal as a Decimal, so drafts would no longer be plain JSON values (floats) and the
web's tests, templates and JSON editor would all meet Decimals; and it writes `str(Decimal)`
(`0.10`, `1E-7`), not the float's text, so the canonical JSON — hence the SHA-256 of existing
versions — of an equal plan would change. It would also be a new dependency for one function.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any


def exact(value: Decimal) -> float | Decimal:
    """`value` as a float when the float's shortest text is exactly `value`, else `value`."""
    if not value.is_finite():
        return value  # refused by the callers (limits); never stored
    number = float(value)
    if not math.isfinite(number):
        return number  # beyond a float (1e400): as before, keiei.limits names it as infinite
    if Decimal(repr(number)) == value:
        return number
    return value


def exact_number(text: str) -> float | Decimal:
    """A JSON decimal's text → `exact(Decimal(text))` (a `parse_float` for json.loads)."""
    return exact(Decimal(text))


def number_text(value: Decimal | float) -> str:
    """The JSON text of a non-integer number: a float's shortest text, or the Decimal's digits.

    A Decimal that a float holds exactly is written as that float would be (`0.10` → `0.1`), so
    equal drafts give equal text (and equal version hashes) whichever way they were read.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return repr(value)
    if not value.is_finite():
        raise ValueError(f"Out of range decimal values are not JSON compliant: {value!r}")
    as_float = exact(value)
    return repr(as_float) if isinstance(as_float, float) and math.isfinite(as_float) else str(value)


def loads(text: str) -> Any:
    """`json.loads` with decimals read by `exact_number` (floats, or Decimals when needed)."""
    return json.loads(text, parse_float=exact_number)


class _HasDecimal(Exception):
    pass


def _refuse(value: Any) -> Any:
    if isinstance(value, Decimal):
        raise _HasDecimal
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(
    data: Any,
    *,
    ensure_ascii: bool = False,
    sort_keys: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
) -> str:
    """`json.dumps(…, allow_nan=False)` that also writes a Decimal as a number, exactly."""
    try:
        return json.dumps(
            data,
            ensure_ascii=ensure_ascii,
            sort_keys=sort_keys,
            indent=indent,
            separators=separators,
            allow_nan=False,
            default=_refuse,
        )
    except _HasDecimal:
        pass
    item_sep, key_sep = separators or ((", ", ": ") if indent is None else (",", ": "))
    string = encode_basestring_ascii if ensure_ascii else encode_basestring
    out: list[str] = []

    def write(value: Any, depth: int) -> None:
        if isinstance(value, str):
            out.append(string(value))
        elif value is None:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        elif isinstance(value, float | Decimal):
            out.append(number_text(value))
        elif isinstance(value, Mapping | list | tuple):
            is_map = isinstance(value, Mapping)
            items: list[Any] = (
                (sorted(value.items()) if sort_keys else list(value.items())) if is_map else list(value)  # type: ignore[union-attr]
            )
            opening, closing = ("{", "}") if is_map else ("[", "]")
            if not items:
                out.append(opening + closing)
                return
            out.append(opening)
            inner = "\n" + " " * (indent * (depth + 1)) if indent is not None else ""
            for i, item in enumerate(items):
                if i:
                    out.append(item_sep)
                out.append(inner)
                if is_map:
                    key, item = item
                    out.append(string(str(key)) + key_sep)
                write(item, depth + 1)
            if indent is not None:
                out.append("\n" + " " * (indent * depth))
            out.append(closing)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    write(data, 0)
    return "".join(out)
