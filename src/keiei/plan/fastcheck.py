"""A fast yes/no check of plan data against the plan schema, in front of jsonschema.

Why: `parse_plan` spends ~95 % of its time in jsonschema's general-purpose validator (several
milliseconds per plan), which matters when plans are parsed by the thousand (batch runs,
benchmarks/plans.py, the property tests) or on every save in the web app. Valid data is the
common case and needs no error messages, so the loader first asks this checker; only data it
does not accept goes through jsonschema, which then produces the errors (or, if the checker
was merely conservative, accepts the data after all). Results never change: the checker must
never accept what jsonschema refuses — and it may refuse more (that only costs time).

How: the schema is compiled once into nested closures, one per subschema, implementing the
Draft 2020-12 keywords the plan schema uses exactly as jsonschema does (its type checker:
`integer` includes integral floats, `number` is any `numbers.Number` but not bool; `enum` /
`const` with JSON equality; `pattern` with `re.search`; `additionalProperties` against
`properties`; `propertyNames`; `$ref` to `#/$defs/…`; `if`/`then`/`else`, `anyOf`, `oneOf`, `allOf`, `not`).
Keywords that are annotations or unknown to jsonschema are ignored, as jsonschema ignores
them. Any keyword jsonschema would apply but this module does not implement makes
`compile_schema` return None, and the loader then uses jsonschema alone.
tests/finance/test_plan_fastcheck.py compares the two on generated and mutated plans.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import Draft202012Validator

Check = Callable[[Any], bool]

#: Keywords jsonschema applies in Draft 2020-12; of these, the ones implemented here.
_APPLIED = frozenset(Draft202012Validator.VALIDATORS)
_IMPLEMENTED = frozenset(
    {
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "not",
        "oneOf",
        "pattern",
        "properties",
        "propertyNames",
        "required",
        "type",
    }
)


class Unsupported(Exception):
    """The schema uses something this checker does not implement."""


def _is_integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_number(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, numbers.Number)


_TYPES: dict[str, Check] = {
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": _is_integer,
    "null": lambda x: x is None,
    "number": _is_number,
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}


def _always(x: Any) -> bool:
    return True


def _never(x: Any) -> bool:
    return False


def _equals_json(value: Any) -> Check:
    """`x == value` as jsonschema's `equal` has it, for a string or a (non-bool) integer."""
    if isinstance(value, str):
        return lambda x: isinstance(x, str) and x == value
    if isinstance(value, int) and not isinstance(value, bool):
        # not a string, not True/False (which JSON keeps apart from 1/0), and numerically equal
        return lambda x: x is not True and x is not False and not isinstance(x, str) and x == value
    raise Unsupported(f"enum/const value {value!r}")


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        if not target.startswith("#/$defs/") or "/" in target[len("#/$defs/") :]:
            raise Unsupported(f"$ref {target!r}")
        name = target[len("#/$defs/") :].replace("~1", "/").replace("~0", "~")
        if name not in self.refs:
            compiled: list[Check] = []
            self.refs[name] = lambda x: compiled[0](x)  # recursion-safe: filled in below
            definitions = self.root.get("$defs") or {}
            if name not in definitions:
                raise Unsupported(f"$ref {target!r} not found")
            compiled.append(self.compile(definitions[name]))
        return self.refs[name]

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        if "$id" in schema and schema is not self.root:
            raise Unsupported("$id in a subschema")
        for keyword in schema:
            if keyword in _APPLIED and keyword not in _IMPLEMENTED:
                raise Unsupported(keyword)
        checks: list[Check] = []
        get = schema.get
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            try:
                tests = [_TYPES[name] for name in names]
            except KeyError as exc:
                raise Unsupported(f"type {exc}") from None
            checks.append(tests[0] if len(tests) == 1 else _combine("anyOf", tests))
        if "enum" in schema:
            values = schema["enum"]
            if not all(isinstance(v, str) for v in values):
                raise Unsupported("enum with non-string values")
            allowed = frozenset(values)
            checks.append(lambda x: isinstance(x, str) and x in allowed)
        if "const" in schema:
            checks.append(_equals_json(schema["const"]))
        checks.extend(self._numbers(schema))
        checks.extend(_sizes(schema, "minLength", "maxLength", str))
        if "pattern" in schema:
            regex = re.compile(schema["pattern"])
            checks.append(lambda x: not isinstance(x, str) or regex.search(x) is not None)
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda x: not isinstance(x, list) or all(item(v) for v in x))
        checks.extend(_sizes(schema, "minItems", "maxItems", list))
        checks.extend(self._objects(schema))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                checks.append(_combine(keyword, [self.compile(s) for s in schema[keyword]]))
        if "not" in schema:
            negated = self.compile(schema["not"])
            checks.append(lambda x: not negated(x))
        if "if" in schema:
            condition = self.compile(schema["if"])
            then = self.compile(get("then", True))
            otherwise = self.compile(get("else", True))
            checks.append(lambda x: then(x) if condition(x) else otherwise(x))
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(c(x) for c in checks)

    def _numbers(self, schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "minimum" in schema:
            low = schema["minimum"]
            out.append(lambda x: not _is_number(x) or not x < low)
        if "maximum" in schema:
            high = schema["maximum"]
            out.append(lambda x: not _is_number(x) or not x > high)
        if "exclusiveMinimum" in schema:
            xlow = schema["exclusiveMinimum"]
            out.append(lambda x: not _is_number(x) or not x <= xlow)
        if "exclusiveMaximum" in schema:
            xhigh = schema["exclusiveMaximum"]
            out.append(lambda x: not _is_number(x) or not x >= xhigh)
        return out

    def _objects(self, schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        properties: dict[str, Any] = schema.get("properties", {})
        if properties:
            compiled = [(name, self.compile(sub)) for name, sub in properties.items()]
            out.append(
                lambda x: not isinstance(x, dict) or all(check(x[name]) for name, check in compiled if name in x)
            )
        if "required" in schema:
            required = tuple(schema["required"])
            out.append(lambda x: not isinstance(x, dict) or all(name in x for name in required))
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            known = frozenset(properties)
            if extra is False:
                out.append(lambda x: not isinstance(x, dict) or all(k in known for k in x))
            elif isinstance(extra, dict):
                check_extra = self.compile(extra)
                out.append(
                    lambda x: not isinstance(x, dict) or all(check_extra(v) for k, v in x.items() if k not in known)
                )
            elif extra is not True:
                raise Unsupported(f"additionalProperties {extra!r}")
        if "propertyNames" in schema:
            check_name = self.compile(schema["propertyNames"])
            out.append(lambda x: not isinstance(x, dict) or all(check_name(k) for k in x))
        out.extend(_sizes(schema, "minProperties", "maxProperties", dict))
        return out


def _sizes(
    schema: dict[str, Any], low: str, high: str, kind: type[str] | type[list[Any]] | type[dict[Any, Any]]
) -> list[Check]:
    """min…/max… of a string's length, an array's items or an object's properties."""
    out: list[Check] = []
    if low in schema:
        least: int = schema[low]
        out.append(lambda x: not isinstance(x, kind) or len(x) >= least)
    if high in schema:
        most: int = schema[high]
        out.append(lambda x: not isinstance(x, kind) or len(x) <= most)
    return out


def _combine(keyword: str, parts: list[Check]) -> Check:
    if keyword == "allOf":
        return lambda x: all(p(x) for p in parts)
    if keyword == "anyOf":
        return lambda x: any(p(x) for p in parts)
    return lambda x: sum(1 for p in parts if p(x)) == 1  # oneOf: exactly one


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """`is_valid(data)` for `schema`, or None when the schema needs jsonschema itself.

    The predicate never raises: anything unexpected while checking counts as "not accepted"
    (jsonschema then decides, exactly as without this checker).
    """
    root = dict(schema)
    try:
        check = _Compiler(root).compile(root)
    except (Unsupported, re.error):
        return None

    def is_valid(data: Any) -> bool:
        try:
            return check(data)
        except Exception:  # e.g. comparing a Decimal NaN: let jsonschema decide, as before
            return False

    return is_valid
