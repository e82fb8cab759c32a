"""Reading a plan file: YAML or JSON → schema check → typed `Plan`. The one entry point.

Why validate here and only here: the engine runs thousands of times per plan (scenarios,
benchmarks), so jsonschema runs once at load and the engine trusts the typed model. Every
problem becomes a `PlanInputError` (a `KeieiInputError`) naming the field path, with a
Japanese reason; YAML syntax errors name the file and line. No input produces a traceback.

Numbers: YAML floats are read as `Decimal` from their text (no float ever exists), JSON
likewise via `parse_float`; dates stay strings so "2025-03-31" is not turned into a date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml
from jsonschema import Draft202012Validator

from keiei import limits
from keiei.dates import FOUNDED_WINDOW, PLAN_WINDOW, DateWindow, text_problem
from keiei.plan import model as m
from keiei.plan.builder import BUILTIN_SCENARIOS as BUILTIN_SCENARIOS
from keiei.plan.builder import Builder, line_of
from keiei.plan.errors import PlanInputError as PlanInputError
from keiei.plan.fastcheck import compile_schema
from keiei.plan.messages import format_path, is_unknown_key_message, sort_key, translate

#: The structural limits (keiei.limits), named here too for the loader's readers.
MAX_NODES = limits.MAX_NODES
MAX_BYTES = limits.MAX_BYTES


# --------------------------------------------------------------------------- reading


class _PlanLoader(yaml.SafeLoader):
    """SafeLoader with Decimal floats, dates kept as text, duplicate keys refused, and the
    structural limits applied while the document is composed (depth and number of nodes), so
    a hostile file stops being read as soon as it passes them (keiei.limits)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._nodes += 1
        self._depth += 1
        try:
            if self._nodes > limits.MAX_NODES:
                raise _LimitMark(limits.too_many_nodes(), self._next_mark())
            if self._depth > limits.MAX_DEPTH + 1:  # + 1: the scalars inside the deepest list
                raise _LimitMark(limits.too_deep(), self._next_mark())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _next_mark(self) -> yaml.Mark:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        return cast(yaml.Mark, event.start_mark)


class _LimitMark(Exception):
    """A limit passed while composing YAML, with where in the file."""

    def __init__(self, error: limits.LimitError, mark: yaml.Mark) -> None:
        super().__init__(error.message_en)
        self.error = error
        self.mark = mark


_PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_decimal(loader: _PlanLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "").strip().lower()
    if text.lstrip("+-") in {".inf", ".nan"}:
        raise yaml.constructor.ConstructorError(None, None, "無限大や NaN は数値として使えません", node.start_mark)
    if ":" in text:  # YAML 1.1 base-60 floats ("1:30.5"): rare; go through the default reader
        return Decimal(repr(loader.construct_yaml_float(node)))
    try:
        return Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(
            None, None, f"数値として読めません: {text!r}", node.start_mark
        ) from None


def _construct_mapping(loader: _PlanLoader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        name = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
        if name in out:
            raise yaml.constructor.ConstructorError(None, None, f"キー '{name}' が重複しています", key_node.start_mark)
        out[name] = loader.construct_object(value_node, deep=True)
    return out


def _construct_date_text(loader: _PlanLoader, node: yaml.ScalarNode) -> str:
    """`!!timestamp 2025-01-01` written out: dates stay text, as without the tag."""
    return str(loader.construct_scalar(node))


_PlanLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date_text)
_PlanLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: Path) -> tuple[Any, yaml.Node | None]:
    """The raw data of a plan file and, for YAML, its node tree (for line numbers)."""
    where = str(path)
    try:
        if not path.exists():
            raise PlanInputError(where, "ファイルが見つかりません", "file not found", source=where)
        if not path.is_file():
            raise PlanInputError(where, "ファイルではありません", "not a regular file", source=where)
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanInputError(
            where, f"ファイルを読めません（{exc.strerror}）", f"cannot read: {exc}", source=where
        ) from None
    if len(raw) > MAX_BYTES:
        size = limits.too_large(where, len(raw))
        raise PlanInputError(where, f"ファイルが{size.message_ja}", size.message_en, source=where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanInputError(
            where, "文字コードを UTF-8 にして保存してください", f"not UTF-8: {exc}", source=where
        ) from None
    if path.suffix.lower() == ".json":
        try:
            return limits.loads_json(text, parse_float=Decimal), None
        except json.JSONDecodeError as exc:
            raise PlanInputError(
                f"{where}:{exc.lineno}",
                f"{exc.lineno} 行目 {exc.colno} 列: JSON の構文が正しくありません（{exc.msg}）",
                f"invalid JSON at line {exc.lineno}: {exc.msg}",
                source=where,
                line=exc.lineno,
            ) from None
        except limits.LimitError as exc:
            raise _limit_error(exc, where) from None
    try:
        loader = _PlanLoader(text)  # the reader checks every character at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise PlanInputError(
            f"{where}:{line}",
            f"{line} 行目: YAML に使えない文字（#x{exc.character:04x}）が含まれています",
            f"character #x{exc.character:04x} not allowed in YAML (line {line})",
            source=where,
            line=line,
        ) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _LimitMark as exc:
        line = exc.mark.line + 1
        raise PlanInputError(
            f"{where}:{line}",
            f"{line} 行目: {exc.error.message_ja}",
            f"line {line}: {exc.error.message_en}",
            source=where,
            line=line,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "不明な誤り"
        if mark is None:
            raise PlanInputError(where, f"YAML の構文が正しくありません（{problem}）", str(exc), source=where) from None
        line, column = mark.line + 1, mark.column + 1
        raise PlanInputError(
            f"{where}:{line}",
            f"{line} 行目 {column} 列: YAML の構文が正しくありません（{problem}）",
            f"invalid YAML at line {line}, column {column}: {problem}",
            source=where,
            line=line,
        ) from None
    except RecursionError:
        raise _limit_error(limits.too_deep(), where) from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # the last four: PyYAML's own constructors on odd input (defensive: never a traceback)
        raise PlanInputError(
            where, f"YAML を読めません（{type(exc).__name__}）", f"invalid YAML: {exc}", source=where
        ) from None
    finally:
        loader.dispose()
    try:
        limits.check_structure(data)
    except limits.LimitError as exc:
        raise _limit_error(exc, where, line_of(node, _path_parts(data, exc.field))) from None
    return data, node


def _limit_error(exc: limits.LimitError, source: str, line: int | None = None) -> PlanInputError:
    """A LimitError as the loader's error: the path, the reason, the file (and line)."""
    return PlanInputError(exc.field, exc.message_ja, exc.message_en, source=source, line=line)


def _path_parts(data: Any, field: str) -> list[str | int]:
    """('banks', 1, 'name') from 'banks[1].name' (for the line of a limit's path)."""
    parts: list[str | int] = []
    for piece in field.replace("[", ".[").split("."):
        if piece.startswith("[") and piece.endswith("]") and piece[1:-1].isdigit():
            parts.append(int(piece[1:-1]))
        elif piece and not piece.startswith("("):
            parts.append(piece)
    return parts


# --------------------------------------------------------------------------- schema


def schema_path() -> Path:
    """The published JSON Schema of the plan file."""
    return Path(str(resources.files("keiei.plan").joinpath("plan.schema.json")))


@cache
def plan_schema() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(schema_path().read_text(encoding="utf-8")))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(plan_schema())


@cache
def _fast_check() -> Callable[[Any], bool] | None:
    return compile_schema(plan_schema())


def _schema_check(data: Any, source: str, node: yaml.Node | None) -> None:
    fast = _fast_check()
    if fast is not None and fast(data):
        return  # valid: jsonschema would find nothing (keiei.plan.fastcheck)
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    problems: list[tuple[list[str | int], str, int | None]] = []
    for error in errors:
        path, message = translate(error)
        problems.append((path, message, line_of(node, path)))
    problems.sort(key=lambda p: (p[2] or 0, not is_unknown_key_message(p[1]), sort_key(p[0])))
    path, message, line = problems[0]
    field = format_path(path)
    raise PlanInputError(
        field,
        message,
        f"schema violation at {field}: {errors[0].message}",
        source=source,
        line=line,
        problems=[(format_path(p), msg) for p, msg, _ in problems],
    )


#: Where a plan file holds dates, and the window each must fall in (keiei.dates). `*` is every
#: item of a list. The schema has checked their shapes (YYYY-MM, or YYYY[-MM[-DD]]).
DATE_FIELDS: tuple[tuple[tuple[str, ...], DateWindow], ...] = (
    (("actuals", "*", "period"), PLAN_WINDOW),
    (("banks", "*", "loans", "*", "maturity"), PLAN_WINDOW),
    (("action_plan", "*", "deadline"), PLAN_WINDOW),
    (("cash_table", "months", "*", "month"), PLAN_WINDOW),
    (("company", "founded"), FOUNDED_WINDOW),
)


def _dates_at(data: Any, pattern: Sequence[str], path: list[str | int]) -> list[tuple[list[str | int], str]]:
    """(path, text) of every string at `pattern` in `data`."""
    if not pattern:
        return [(path, data)] if isinstance(data, str) else []
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = data if isinstance(data, list) else []
        return [found for i, item in enumerate(items) for found in _dates_at(item, rest, [*path, i])]
    if isinstance(data, Mapping) and head in data:
        return _dates_at(data[head], rest, [*path, head])
    return []


def _date_check(data: Mapping[str, Any], source: str, node: yaml.Node | None) -> None:
    """Refuse a date that does not exist (2025-02-30) or lies outside its window (9999-12)."""
    problems: list[tuple[list[str | int], str, int | None]] = []
    for pattern, window in DATE_FIELDS:
        for path, text in _dates_at(data, pattern, []):
            reason = text_problem(text, window)
            if reason is not None:
                problems.append((path, reason, line_of(node, path)))
    if not problems:
        return
    path, message, line = problems[0]
    field = format_path(path)
    raise PlanInputError(
        field,
        message,
        f"date out of range at {field}",
        source=source,
        line=line,
        problems=[(format_path(p), msg) for p, msg, _ in problems],
    )


# --------------------------------------------------------------------------- public


def read_plan_data(path: str | Path) -> Any:
    """The file's data as the loader reads it (Decimal numbers, dates kept as text), unchecked.

    For front ends that store what the user uploaded (the web import): the same reader as
    `load_plan`, so what is stored is exactly what was checked. Raises PlanInputError for a
    file that cannot be read or parsed.
    """
    data, _node = _read(Path(path))
    return data


def load_plan(path: str | Path) -> m.Plan:
    """Read, check and type a plan file (.yaml/.yml or .json). Raises `PlanInputError` only."""
    file = Path(path)
    data, node = _read(file)
    return _parse(data, str(file), node)


def parse_plan(data: Mapping[str, Any], source: str = "<data>") -> m.Plan:
    """Check and type plan data already in memory (e.g. from a web form or a test)."""
    return _parse(data, source, None)


def _parse(data: Any, source: str, node: yaml.Node | None) -> m.Plan:
    if not isinstance(data, Mapping):
        raise PlanInputError(
            "(ファイル全体)",
            "最上位は項目の対応表（mapping。program: などの行）にしてください",
            "top level must be a mapping",
            source=source,
            line=1 if node is not None else None,
        )
    problem = limits.structure_problem(data)
    if problem is not None:
        raise _limit_error(problem, source)
    data = dict(data)
    if data.get("program") == 405 and not isinstance(data.get("program"), bool):
        data["program"] = "405"  # `program: 405` unquoted is an integer in YAML
    _schema_check(data, source, node)
    _date_check(data, source, node)
    try:
        return Builder(data, source, node).plan()
    except PlanInputError:
        raise
    except (ArithmeticError, ValueError, TypeError, KeyError, IndexError) as exc:  # defensive: never a traceback
        raise PlanInputError(
            "(ファイル全体)",
            f"計画を読み取れません（{type(exc).__name__}）",
            f"cannot build plan: {exc!r}",
            source=source,
        ) from None
