"""The plan file in and out of the web app: YAML/JSON upload → draft, draft/version → YAML/JSON.

Why this module exists: the draft is stored as JSON (a Django JSONField), the plan file is
YAML, and the two must agree exactly — an exported file imported again gives the same
canonical JSON (so the same SHA-256, so no spurious new version). Three things make that hold:

- numbers: the core reads YAML/JSON decimals as `Decimal` (never a binary float); the draft
  keeps a Decimal as the float with the same shortest text when there is one (`0.505` stays
  `0.505`), else as the Decimal itself (`exactjson`), so the web projects what the CLI does;
  integers stay integers;
- reading goes through the core's own reader (`keiei.plan.loader`), so the web accepts exactly
  the files `keiei plan check` accepts, with the same Japanese messages and line numbers;
- writing orders keys as the JSON Schema lists them (PostgreSQL's jsonb does not keep key
  order), so an exported file reads like the examples in `examples/`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from keiei import limits
from keiei.plan import PlanInputError, load_plan, plan_schema, read_plan_data
from keiei_web.plans import exactjson

#: The core's limit (keiei.limits.MAX_BYTES), checked before the file is read.
MAX_UPLOAD_BYTES = limits.MAX_BYTES
#: A multipart body carries the file and a few headers and fields; a body longer than the file
#: limit plus this is refused before Django reads it (keiei_web.plans.views.plan_import).
UPLOAD_OVERHEAD_BYTES = 64_000
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class ImportProblem:
    """Why a file cannot become the draft: a Japanese message and, when known, path and line."""

    message: str
    path: str = ""
    line: int | None = None


class ImportRefused(Exception):
    """The file was not imported; `problems` say why (the previous draft is untouched)."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


# --------------------------------------------------------------------------- JSON values


def to_json_value(value: Any) -> Any:
    """Plan data as read by the core → draft values: Decimal → `exactjson.exact`, tuples → lists."""
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return exactjson.exact(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):  # defensive: the core keeps dates as text
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- reading


def read_upload(filename: str, content: bytes) -> dict[str, Any]:
    """Read and validate an uploaded plan file; the plan data (JSON values) or ImportRefused.

    The file is judged exactly as `keiei plan check` would judge it: syntax, schema, and the
    loader's cross-checks (series lengths, bank names, ascending periods…).
    """
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportRefused([ImportProblem("計画ファイル（.yaml・.yml・.json）を選んでください。")])
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportRefused([ImportProblem(too_large_message())])
    if not content.strip():
        raise ImportRefused([ImportProblem("ファイルが空です。")])
    with tempfile.TemporaryDirectory(prefix="keiei-import-") as tmp:
        path = Path(tmp) / f"plan{suffix}"
        path.write_bytes(content)
        data: Any = None
        try:
            # The core's reader: the same Decimal numbers, dates kept as text and refusals as
            # load_plan, so what is stored is what was checked.
            data = read_plan_data(path)
            load_plan(path)
        except PlanInputError as exc:
            raise ImportRefused(_problems(exc, tmp, data)) from None
    if not isinstance(data, Mapping):  # load_plan refuses this already; kept for type narrowing
        raise ImportRefused([ImportProblem("最上位は項目の対応表（mapping）にしてください。")])
    out: dict[str, Any] = to_json_value(data)
    if out.get("program") == 405:
        out["program"] = "405"
    return out


def too_large_message() -> str:
    """ファイルが大きすぎます（2 MB まで）。"""
    return f"ファイルが{limits.too_large().message_ja}。"


def export_problem(data: Any) -> str | None:
    """Why `data` cannot be written as a plan file (beyond keiei.limits: only a draft stored
    before the limits existed can be), or None. Writing is recursive, reading is bounded: a file
    we write must be one we would read."""
    problem = limits.structure_problem(data, whole="(計画全体)")
    return None if problem is None else f"{problem.field}: {problem.message_ja}"


def editable_json(data: Any) -> str:
    """The draft as indented JSON for the JSON editor; '' when it is beyond the limits (it
    could not be shown or saved again; the page says why)."""
    if export_problem(data) is not None:
        return ""
    return exactjson.dumps(data, indent=2, sort_keys=True)


def _problems(exc: PlanInputError, tmp: str, data: Any) -> list[ImportProblem]:
    """The error's problems for the user: plan paths as they are, the temporary file never named.

    A file-level error (syntax, encoding) names the temporary file in `field`; its message
    already says the line and column, so only the line is kept.
    """
    if exc.field.startswith(tmp):
        return [ImportProblem(exc.message_ja, "", exc.line)]
    problems = complete_required(data, list(exc.problems)) if isinstance(data, Mapping) else list(exc.problems)
    if len(problems) == 1:
        path, message = problems[0]
        return [ImportProblem(message, path, exc.line if path == exc.field else None)]
    return [ImportProblem(message, path) for path, message in problems]


def complete_required(data: Mapping[str, Any], problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`problems` without repeats (the core names each missing required key once)."""
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- writing


def _resolve(schema: Any) -> dict[str, Any]:
    root = plan_schema()
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 10:
        ref = schema["$ref"]
        schema = root["$defs"][ref.rsplit("/", 1)[-1]] if ref.startswith("#/$defs/") else {}
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _sub_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        out.extend(_resolve(s) for s in schema.get(key) or ())
    for key in ("then", "else"):
        if isinstance(schema.get(key), dict):
            out.append(_resolve(schema[key]))
    return out


def ordered(data: Any, schema: Any = None) -> Any:
    """`data` with object keys in the schema's order (unknown keys after, as they came)."""
    schema = _resolve(plan_schema() if schema is None else schema)
    parts = _sub_schemas(schema)
    if isinstance(data, Mapping):
        props: dict[str, Any] = {}
        extra: Any = None
        for part in parts:
            for key, sub in (part.get("properties") or {}).items():
                props.setdefault(key, sub)
            if extra is None and isinstance(part.get("additionalProperties"), dict):
                extra = part["additionalProperties"]
        keys = [k for k in props if k in data] + [k for k in data if k not in props]
        return {k: ordered(data[k], props.get(k, extra or {})) for k in keys}
    if isinstance(data, list):
        items: Any = {}
        for part in parts:
            if isinstance(part.get("items"), dict):
                items = part["items"]
                break
        return [ordered(v, items) for v in data]
    return data


class _Dumper(yaml.SafeDumper):
    """Block style for objects, flow style for short lists of numbers (years of a series)."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = bool(value) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_int(dumper: yaml.SafeDumper, value: int) -> yaml.Node:
    """Yen with `_` every three digits (52_000_000), as people write plan files by hand."""
    text = f"{value:_}" if abs(value) >= 10_000 else str(value)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    """A decimal no float holds, with its exact digits (the core reads it back as this Decimal)."""
    text = exactjson.number_text(value)
    if "." not in text and "e" not in text.lower():
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(int, _represent_int)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def to_yaml(data: Mapping[str, Any], header: str = "") -> str:
    """The plan as a YAML plan file (keys in schema order; Japanese as is; a comment header)."""
    body = yaml.dump(
        ordered(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + body


def to_json(data: Mapping[str, Any]) -> str:
    """The plan as a JSON plan file (keys in schema order, indented, non-ASCII as is)."""
    return exactjson.dumps(ordered(data), indent=2) + "\n"
