"""Dated parameters read from YAML: the one small loader of programme rules.

Modelled on OpenFisca's parameters: every leaf has `values:` keyed by the date from which the
value holds, each with the `reference` it comes from and an optional `note`. The value in
force on a day is the newest entry on or before it; `value: null` ends a rule. Files are
checked strictly on load so that a malformed file fails naming the file and the dotted key,
rather than producing a wrong subsidy later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from keiei.errors import RulesDataError

#: Keys of a node that describe it rather than being children.
NODE_ATTRIBUTES = frozenset(
    {"description", "references", "label", "claim", "counts_toward_total", "unit", "unconfirmed", "metadata"}
)
ENTRY_KEYS = frozenset({"value", "reference", "note"})


@dataclass(frozen=True)
class Entry:
    """One dated value with its source."""

    since: dt.date
    value: Any
    reference: str
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A named rule whose value changes over time."""

    key: str
    description: str | None
    unit: str | None
    unconfirmed: bool
    entries: tuple[Entry, ...]

    def at(self, on: dt.date) -> Entry | None:
        """The entry in force on `on`, or None before the first one or after a `value: null`."""
        current: Entry | None = None
        for entry in self.entries:
            if entry.since > on:
                break
            current = entry
        if current is None or current.value is None:
            return None
        return current


@dataclass(frozen=True)
class ParameterFile:
    """All parameters of one YAML file, flattened to dotted keys, plus node attributes."""

    path: Path
    description: str
    parameters: dict[str, Parameter]
    attributes: dict[str, dict[str, Any]]

    def effective_dates(self) -> list[dt.date]:
        """Every date on which some value of this file changes (for tests on both sides)."""
        return sorted({e.since for p in self.parameters.values() for e in p.entries})


def _duplicate_key(node: yaml.Node | None, prefix: str = "") -> tuple[str, int] | None:
    """The dotted path and line of the first duplicate mapping key (YAML keeps the last silently)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            dotted = f"{prefix}.{key}" if prefix else key
            if key in seen:
                return dotted, key_node.start_mark.line + 1
            seen.add(key)
            found = _duplicate_key(value_node, dotted)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _duplicate_key(item, f"{prefix}[{index}]")
            if found:
                return found
    return None


def _yaml_error_line(exc: yaml.YAMLError) -> str:
    """One line for a YAML error: line number and the problem, without PyYAML's source excerpt."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or type(exc).__name__
    return f"{mark.line + 1}行目: {problem}" if mark is not None else str(problem)


def _fail(path: Path, key: str, ja: str, en: str) -> RulesDataError:
    return RulesDataError(f"{path}: {key or '(top)'}", ja, en)


def load_parameter_file(path: Path) -> ParameterFile:
    """Read and check one rules file; any defect raises RulesDataError naming file and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, "", "ファイルを読めません", f"cannot read file: {exc}") from None
    try:
        duplicate = _duplicate_key(yaml.compose(text, Loader=yaml.SafeLoader))
        if duplicate:
            key, line = duplicate
            raise _fail(path, key, f"キーが重複しています（{line}行目）", f"duplicate key on line {line}")
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = _yaml_error_line(exc)
        raise _fail(path, "", f"YAML の構文が正しくありません（{where}）", f"invalid YAML ({where})") from None
    if not isinstance(raw, dict):
        raise _fail(path, "", "最上位は対応表（mapping）である必要があります", "top level must be a mapping")
    parameters: dict[str, Parameter] = {}
    attributes: dict[str, dict[str, Any]] = {}
    _walk(path, raw, "", parameters, attributes)
    description = raw.get("description")
    return ParameterFile(path, str(description or path.stem), parameters, attributes)


def _walk(
    path: Path,
    node: dict[Any, Any],
    prefix: str,
    parameters: dict[str, Parameter],
    attributes: dict[str, dict[str, Any]],
) -> None:
    if "values" in node:
        parameters[prefix] = _parameter(path, prefix, node)
        return
    attrs = {k: v for k, v in node.items() if k in NODE_ATTRIBUTES and k != "references"}
    if attrs:
        attributes[prefix] = attrs
    for key, child in node.items():
        if key in NODE_ATTRIBUTES:
            continue
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if not isinstance(child, dict):
            raise _fail(
                path,
                dotted,
                "パラメータには values（日付ごとの値）が必要です",
                "a parameter needs 'values' keyed by date (or child parameters)",
            )
        _walk(path, child, dotted, parameters, attributes)


def _parameter(path: Path, key: str, node: dict[Any, Any]) -> Parameter:
    unknown = set(node) - NODE_ATTRIBUTES - {"values"}
    if unknown:
        raise _fail(path, key, f"不明な項目があります: {sorted(map(str, unknown))}", f"unknown keys {sorted(unknown)}")
    values = node["values"]
    if not isinstance(values, dict) or not values:
        raise _fail(path, f"{key}.values", "日付をキーとする値の一覧が必要です", "values must be a non-empty mapping")
    entries: list[Entry] = []
    for since, body in values.items():
        where = f"{key}.values.{since}"
        if isinstance(since, dt.datetime) or not isinstance(since, dt.date):
            raise _fail(path, where, "キーは YYYY-MM-DD 形式の日付にしてください", "keys must be dates YYYY-MM-DD")
        if not isinstance(body, dict) or "value" not in body:
            raise _fail(path, where, "value と reference を持つ対応表にしてください", "entry needs value and reference")
        extra = set(body) - ENTRY_KEYS
        if extra:
            raise _fail(path, where, f"不明な項目があります: {sorted(extra)}", f"unknown keys {sorted(extra)}")
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            raise _fail(path, where, "出典（reference）が必要です", "every value needs a non-empty reference")
        note = body.get("note")
        if note is not None and not isinstance(note, str):
            raise _fail(path, f"{where}.note", "注記は文字列にしてください", "note must be a string")
        entries.append(Entry(since, body["value"], reference, note))
    entries.sort(key=lambda e: e.since)
    return Parameter(
        key=key,
        description=_opt_str(node.get("description")),
        unit=_opt_str(node.get("unit")),
        unconfirmed=bool(node.get("unconfirmed", False)),
        entries=tuple(entries),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
