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
from keiei.errors import KeieiInputError
from keiei.money import RoundingMode, to_yen
from keiei.plan import model as m
from keiei.plan.fastcheck import compile_schema
from keiei.plan.messages import format_path, is_unknown_key_message, sort_key, translate
from keiei.plan.periods import Period

#: Reserved names of the built-in scenarios (see keiei.finance.scenarios).
BUILTIN_SCENARIOS = ("base", "sales_down_10", "contractual")
#: The structural limits (keiei.limits), named here too for the loader's readers.
MAX_NODES = limits.MAX_NODES
MAX_BYTES = limits.MAX_BYTES


class PlanInputError(KeieiInputError):
    """A plan file that cannot be used. `field` is the path (`banks[1].loans[0].balance`).

    Beyond the base class: `source` (the file), `line` (1-based, when known) and `problems`,
    every (path, Japanese reason) found, so a front end can list them all at once.
    """

    def __init__(
        self,
        field: str,
        message_ja: str,
        message_en: str,
        *,
        source: str | None = None,
        line: int | None = None,
        problems: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(field, message_ja, message_en)
        self.source = source
        self.line = line
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or ((field, message_ja),)


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
        raise _limit_error(exc, where, _line_of(node, _path_parts(data, exc.field))) from None
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


def _line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node along `path` that exists in the YAML tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


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
        problems.append((path, message, _line_of(node, path)))
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
                problems.append((path, reason, _line_of(node, path)))
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
        return _Builder(data, source, node).plan()
    except PlanInputError:
        raise
    except (ArithmeticError, ValueError, TypeError, KeyError, IndexError) as exc:  # defensive: never a traceback
        raise PlanInputError(
            "(ファイル全体)",
            f"計画を読み取れません（{type(exc).__name__}）",
            f"cannot build plan: {exc!r}",
            source=source,
        ) from None


# --------------------------------------------------------------------------- building


def _dec(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(int(value))


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


class _Builder:
    """Turns schema-valid data into the typed model, checking cross-references on the way."""

    def __init__(self, data: dict[str, Any], source: str, node: yaml.Node | None) -> None:
        self.data = data
        self.source = source
        self.node = node
        self.rounding: RoundingMode = (data.get("settings") or {}).get("rounding", "half_up")
        self.years = int(data["drivers"]["years"])

    def fail(self, path: Sequence[str | int], ja: str, en: str) -> PlanInputError:
        field = format_path(path)
        return PlanInputError(field, ja, f"{field}: {en}", source=self.source, line=_line_of(self.node, path))

    # ---- series

    def yen_series(self, value: Any, path: Sequence[str | int], default: int = 0) -> m.YenSeries:
        if value is None:
            return (default,) * self.years
        if isinstance(value, list):
            self._check_length(value, path)
            return tuple(int(v) for v in value)
        return (int(value),) * self.years

    def ratio_series(self, value: Any, path: Sequence[str | int]) -> m.RatioSeries:
        if isinstance(value, list):
            self._check_length(value, path)
            return tuple(_dec(v) for v in value)
        return (_dec(value),) * self.years

    def _check_length(self, value: list[Any], path: Sequence[str | int]) -> None:
        if len(value) != self.years:
            raise self.fail(
                path,
                f"計画年数（drivers.years = {self.years}）と同じ {self.years} 件の値を指定してください（{len(value)} 件あります）",
                f"series needs {self.years} values, got {len(value)}",
            )

    def plan_year(self, value: Any, path: Sequence[str | int]) -> int:
        year = int(value)
        if year > self.years:
            raise self.fail(
                path,
                f"計画年数（{self.years} 年）を超えています。1〜{self.years} を指定してください",
                f"plan year {year} beyond {self.years} plan years",
            )
        return year

    # ---- whole plan

    def plan(self) -> m.Plan:
        d = self.data
        actuals = self.actuals()
        drivers = self.drivers(actuals)
        banks = self.banks()
        action_plan = self.actions(drivers)
        return m.Plan(
            program=d["program"],
            company=self.company(),
            actuals=actuals,
            drivers=drivers,
            banks=banks,
            financial_support=self.financial_support(banks),
            action_plan=action_plan,
            causes_of_distress=tuple(d.get("causes_of_distress") or ()),
            basic_policy=tuple(d.get("basic_policy") or ()),
            display_unit=d.get("display_unit", "円"),
            rounding=self.rounding,
            business_model=self.business_model(),
            cash_table=self.cash_table(),
            scenarios=self.scenarios(),
            guideline=self.guideline(banks),
            source=self.source,
        )

    def company(self) -> m.Company:
        c = self.data["company"]
        return m.Company(
            name=c["name"],
            fiscal_year_end_month=int(c["fiscal_year_end_month"]),
            postal_code=_opt_str(c.get("postal_code")),
            address=_opt_str(c.get("address")),
            industry=_opt_str(c.get("industry")),
            employees=None if c.get("employees") is None else int(c["employees"]),
            founded=_opt_str(c.get("founded")),
            capital=None if c.get("capital") is None else int(c["capital"]),
            representative=_opt_str(c.get("representative")),
            business=_opt_str(c.get("business")),
            shareholders=tuple(str(s) for s in c.get("shareholders") or ()),
        )

    def actuals(self) -> tuple[m.ActualYear, ...]:
        out: list[m.ActualYear] = []
        for i, a in enumerate(self.data["actuals"]):
            period = Period.parse(a["period"])
            if out and period <= out[-1].period:
                raise self.fail(
                    ["actuals", i, "period"],
                    "実績の決算期は古い順に並べてください（同じ期は2度書けません）",
                    "actual periods must be strictly ascending",
                )
            pl = a["pl"]
            stated_keys = ("gross_profit", "operating_profit", "ordinary_profit", "pretax_income", "net_income")
            actual_pl = m.ActualPL(
                sales=int(pl["sales"]),
                cost_of_sales=int(pl["cost_of_sales"]),
                sga=int(pl["sga"]),
                non_operating_income=int(pl.get("non_operating_income", 0)),
                non_operating_expenses=int(pl.get("non_operating_expenses", 0)),
                interest_expense=int(pl.get("interest_expense", 0)),
                extraordinary_income=int(pl.get("extraordinary_income", 0)),
                extraordinary_loss=int(pl.get("extraordinary_loss", 0)),
                income_taxes=int(pl.get("income_taxes", 0)),
                depreciation=int(pl.get("depreciation", 0)),
                variable_costs=None if pl.get("variable_costs") is None else int(pl["variable_costs"]),
                stated=tuple((k, int(pl[k])) for k in stated_keys if k in pl),
            )
            bs = a.get("bs")
            actual_bs = None
            if bs is not None:
                actual_bs = m.ActualBS(
                    cash=int(bs["cash"]),
                    receivables=int(bs["receivables"]),
                    inventory=int(bs["inventory"]),
                    fixed_assets=int(bs["fixed_assets"]),
                    payables=int(bs["payables"]),
                    interest_bearing_debt=int(bs["interest_bearing_debt"]),
                    other_current_assets=int(bs.get("other_current_assets", 0)),
                    other_liabilities=int(bs.get("other_liabilities", 0)),
                    stated_net_assets=None if bs.get("net_assets") is None else int(bs["net_assets"]),
                )
            adjustments = tuple(
                m.Adjustment(
                    item=adj["item"],
                    line=adj["line"],
                    amount=int(adj["amount"]),
                    reason=adj["reason"],
                    ends_year=None
                    if adj.get("ends_year") is None
                    else self.plan_year(adj["ends_year"], ["actuals", i, "adjustments", j, "ends_year"]),
                )
                for j, adj in enumerate(a.get("adjustments") or ())
            )
            out.append(
                m.ActualYear(
                    period=period,
                    pl=actual_pl,
                    bs=actual_bs,
                    adjustments=adjustments,
                    employees=None if a.get("employees") is None else int(a["employees"]),
                    segments=tuple((str(k), int(v)) for k, v in (a.get("segments") or {}).items()),
                )
            )
        if out[-1].bs is None:
            raise self.fail(
                ["actuals", len(out) - 1, "bs"],
                "直近の実績年度（計画の基準となる期）には貸借対照表（bs）が必要です",
                "the last actual year needs a balance sheet",
            )
        return tuple(out)

    def drivers(self, actuals: tuple[m.ActualYear, ...]) -> m.Drivers:
        d = self.data["drivers"]
        p = ["drivers"]
        last = actuals[-1]
        bs = cast(m.ActualBS, last.bs)
        tax = d["tax"]
        wc = d.get("working_capital") or {}
        sga = tuple(self.sga_item(item, [*p, "sga", i]) for i, item in enumerate(d.get("sga") or ()))
        self._unique([s.name for s in sga], [*p, "sga"], "販管費の科目名")
        company_employees = self.data["company"].get("employees")
        default_employees = last.employees if last.employees is not None else company_employees
        employees_raw = d.get("employees")
        employees: tuple[int | None, ...]
        if employees_raw is None:
            employees = (None if default_employees is None else int(default_employees),) * self.years
        else:
            employees = self.yen_series(employees_raw, [*p, "employees"])
        other_debt = d.get("other_debt") or {}
        return m.Drivers(
            years=self.years,
            sales=self.sales(d["sales"], [*p, "sales"], last),
            cost_ratio=self.ratio_series(d["cost_of_sales"]["ratio"], [*p, "cost_of_sales", "ratio"]),
            cost_fixed=self.yen_series(d["cost_of_sales"].get("fixed"), [*p, "cost_of_sales", "fixed"]),
            sga=sga,
            existing_depreciation=self.yen_series(
                (d.get("depreciation") or {}).get("existing"), [*p, "depreciation", "existing"]
            ),
            capex=tuple(
                m.Capex(
                    name=c["name"],
                    year=self.plan_year(c["year"], [*p, "capex", i, "year"]),
                    amount=int(c["amount"]),
                    useful_life=int(c["useful_life"]),
                    maintenance=c.get("purpose", "maintenance") == "maintenance",
                )
                for i, c in enumerate(d.get("capex") or ())
            ),
            receivables=self.turnover(
                wc.get("receivables"), [*p, "working_capital", "receivables"], "sales", bs.receivables, last
            ),
            inventory=self.turnover(
                wc.get("inventory"), [*p, "working_capital", "inventory"], "cost_of_sales", bs.inventory, last
            ),
            payables=self.turnover(
                wc.get("payables"), [*p, "working_capital", "payables"], "cost_of_sales", bs.payables, last
            ),
            other_current_assets=self.yen_series(
                d.get("other_current_assets"), [*p, "other_current_assets"], default=bs.other_current_assets
            ),
            other_liabilities=self.yen_series(
                d.get("other_liabilities"), [*p, "other_liabilities"], default=bs.other_liabilities
            ),
            non_operating_income=self.yen_series(d.get("non_operating_income"), [*p, "non_operating_income"]),
            non_operating_expenses=self.yen_series(d.get("non_operating_expenses"), [*p, "non_operating_expenses"]),
            extraordinary_income=self.yen_series(d.get("extraordinary_income"), [*p, "extraordinary_income"]),
            extraordinary_loss=self.yen_series(d.get("extraordinary_loss"), [*p, "extraordinary_loss"]),
            asset_writedowns=self.yen_series(d.get("asset_writedowns"), [*p, "asset_writedowns"]),
            other_debt_rate=_dec(other_debt.get("rate", 0)),
            other_debt_repayment=self.yen_series(other_debt.get("repayment"), [*p, "other_debt", "repayment"]),
            tax=m.Tax(
                rate=_dec(tax["rate"]),
                per_capita=int(tax.get("per_capita", 70_000)),
                loss_carryforward=int(tax.get("loss_carryforward", 0)),
                offset_limit=_dec(tax.get("offset_limit", 1)),
                reduced_rate=None if tax.get("reduced_rate") is None else _dec(tax["reduced_rate"]),
                reduced_limit=int(tax.get("reduced_limit", 0)),
            ),
            dividends=self.yen_series(d.get("dividends"), [*p, "dividends"]),
            equity_issued=self.yen_series(d.get("equity_issued"), [*p, "equity_issued"]),
            employees=employees,
        )

    def sales(self, s: dict[str, Any], path: list[str | int], last: m.ActualYear) -> m.SalesDriver:
        if "growth" in s:
            return m.SalesDriver(growth=self.ratio_series(s["growth"], [*path, "growth"]))
        if "amounts" in s:
            return m.SalesDriver(amounts=self.yen_series(s["amounts"], [*path, "amounts"]))
        actual_segments = dict(last.segments)
        segments: list[m.Segment] = []
        for i, seg in enumerate(s["segments"]):
            where = [*path, "segments", i]
            if "growth" in seg and "amounts" in seg:
                raise self.fail(
                    where, "growth と amounts のどちらか一方を指定してください", "segment needs growth xor amounts"
                )
            name = str(seg["name"])
            base = actual_segments.get(name)
            if "growth" in seg and base is None:
                raise self.fail(
                    [*where, "name"],
                    f"成長率で計画する部門 '{name}' の基準売上高がありません。直近の実績年度の segments に同じ名前で売上高を書いてください",
                    f"segment {name!r} has no actual sales in the last actual year",
                )
            segments.append(
                m.Segment(
                    name=name,
                    base=base or 0,
                    growth=self.ratio_series(seg["growth"], [*where, "growth"]) if "growth" in seg else None,
                    amounts=self.yen_series(seg["amounts"], [*where, "amounts"]) if "amounts" in seg else None,
                )
            )
        self._unique([seg.name for seg in segments], [*path, "segments"], "部門名")
        return m.SalesDriver(segments=tuple(segments))

    def sga_item(self, item: dict[str, Any], path: list[str | int]) -> m.SgaItem:
        if item["kind"] == "variable":
            return m.SgaItem(item["name"], "variable", ratios=self.ratio_series(item["ratio"], [*path, "ratio"]))
        return m.SgaItem(item["name"], item["kind"], amounts=self.yen_series(item["amount"], [*path, "amount"]))

    def turnover(
        self,
        t: dict[str, Any] | None,
        path: list[str | int],
        default_basis: m.TurnoverBasis,
        balance: int,
        last: m.ActualYear,
    ) -> m.Turnover:
        basis: m.TurnoverBasis = (t or {}).get("basis", default_basis)
        if t is None:
            # Default: keep the last actual turnover (balance ÷ yearly basis).
            amount = last.pl.sales if basis == "sales" else last.pl.cost_of_sales
            factor = Decimal(balance) / Decimal(amount) if amount > 0 else m.ZERO
            return m.Turnover((factor,) * self.years, basis)
        if "months" in t:
            months = self.ratio_series(t["months"], [*path, "months"])
            return m.Turnover(tuple(v / 12 for v in months), basis)
        days = self.ratio_series(t["days"], [*path, "days"])
        return m.Turnover(tuple(v / 365 for v in days), basis)

    def banks(self) -> tuple[m.Bank, ...]:
        out: list[m.Bank] = []
        for i, b in enumerate(self.data.get("banks") or ()):
            where: list[str | int] = ["banks", i]
            loans = []
            for j, loan in enumerate(b.get("loans") or ()):
                annual: int | None = None
                if "monthly_repayment" in loan:
                    annual = int(loan["monthly_repayment"]) * 12
                elif "annual_repayment" in loan:
                    annual = int(loan["annual_repayment"])
                loans.append(
                    m.Loan(
                        name=loan["name"],
                        balance=int(loan["balance"]),
                        rate=_dec(loan["rate"]),
                        annual_repayment=annual,
                        schedule=self.yen_series(loan["schedule"], [*where, "loans", j, "schedule"])
                        if "schedule" in loan
                        else None,
                        maturity=Period.parse(loan["maturity"]) if "maturity" in loan else None,
                        covered=self.covered(loan, int(loan["balance"])),
                        guarantor=_opt_str(loan.get("guarantor")),
                        collateral=_opt_str(loan.get("collateral")),
                        rescheduled=bool(loan.get("rescheduled", True)),
                        purpose=_opt_str(loan.get("purpose")),
                        guarantee_ratio=_dec(loan["guarantee_ratio"]) if "guarantee_ratio" in loan else None,
                        extended_maturity=Period.parse(loan["extended_maturity"])
                        if "extended_maturity" in loan
                        else None,
                    )
                )
            new_loans = []
            for j, nl in enumerate(b.get("new_loans") or ()):
                amount = int(nl["amount"])
                if "term_years" in nl:
                    annual_new = to_yen(Decimal(amount) / int(nl["term_years"]), self.rounding)
                else:
                    annual_new = int(nl.get("annual_repayment", 0))
                new_loans.append(
                    m.NewLoan(
                        name=nl["name"],
                        year=self.plan_year(nl["year"], [*where, "new_loans", j, "year"]),
                        amount=amount,
                        rate=_dec(nl["rate"]),
                        annual_repayment=annual_new,
                        grace_years=int(nl.get("grace_years", 0)),
                        covered=self.covered(nl, amount),
                        guarantor=_opt_str(nl.get("guarantor")),
                        collateral=_opt_str(nl.get("collateral")),
                        support=bool(nl.get("support", True)),
                        rescheduled=bool(nl.get("rescheduled", False)),
                        purpose=_opt_str(nl.get("purpose")),
                        guarantee_ratio=_dec(nl["guarantee_ratio"]) if "guarantee_ratio" in nl else None,
                    )
                )
            names = [loan.name for loan in loans] + [nl.name for nl in new_loans]
            self._unique(names, [*where, "loans"], "借入の名称")
            out.append(
                m.Bank(
                    name=b["name"],
                    loans=tuple(loans),
                    new_loans=tuple(new_loans),
                    main=bool(b.get("main", False)),
                    type=_opt_str(b.get("type")),
                    branch=_opt_str(b.get("branch")),
                )
            )
        self._unique([b.name for b in out], ["banks"], "金融機関名")
        return tuple(out)

    def covered(self, loan: Mapping[str, Any], balance: int) -> int:
        """保全額: the amount as entered, or the guarantee's ratio of the balance (the schema
        allows one of them), rounded once by the plan's rule."""
        if "guarantee_ratio" in loan:
            return to_yen(balance * _dec(loan["guarantee_ratio"]), self.rounding)
        return int(loan.get("covered", 0))

    def shares(
        self, r: Mapping[str, Any], banks: tuple[m.Bank, ...], where: list[str | int]
    ) -> tuple[tuple[str, Decimal], ...]:
        """Negotiated shares: every bank named in `banks`, exact, summing to 100 %."""
        raw = r.get("shares") or {}
        names = {b.name for b in banks}
        out: list[tuple[str, Decimal]] = []
        for name, value in raw.items():
            if name not in names:
                raise self.fail(
                    [*where, "rescheduling", "shares", name],
                    f"金融機関 '{name}' は banks にありません",
                    f"unknown bank {name!r}",
                )
            out.append((name, _dec(value)))
        total = sum((v for _, v in out), Decimal(0))
        if out and total != 1:
            raise self.fail(
                [*where, "rescheduling", "shares"],
                f"financial_support.rescheduling.shares（交渉による返済シェア）の合計は100%にしてください（現在 {total * 100:f}%）",
                f"shares sum to {total}, not 1",
            )
        return tuple(out)

    def financial_support(self, banks: tuple[m.Bank, ...]) -> m.FinancialSupport:
        fs = self.data.get("financial_support") or {}
        where: list[str | int] = ["financial_support"]
        rescheduling = None
        r = fs.get("rescheduling")
        if r is not None:
            from_year = self.plan_year(r.get("from_year", 1), [*where, "rescheduling", "from_year"])
            until_year = self.plan_year(r.get("until_year", self.years), [*where, "rescheduling", "until_year"])
            if until_year < from_year:
                raise self.fail(
                    [*where, "rescheduling", "until_year"],
                    "until_year は from_year 以上にしてください",
                    "until_year before from_year",
                )
            rescheduling = m.Rescheduling(
                basis=r.get("basis", "balance"),
                from_year=from_year,
                until_year=until_year,
                minimum_cash=int(r.get("minimum_cash", 0)),
                capacity_share=_dec(r.get("capacity_share", 1)),
                deduct_maintenance_capex=bool(r.get("deduct_maintenance_capex", True)),
                cap_at_contractual=bool(r.get("cap_at_contractual", True)),
                share_timing=r.get("share_timing", "after_forgiveness"),
                shares=self.shares(r, banks, where),
                agreement_date=Period.parse(r["agreement_date"]) if "agreement_date" in r else None,
                interest=r.get("interest", "paid"),
                reduced_rate=_dec(r["reduced_rate"]) if "reduced_rate" in r else None,
            )
            if rescheduling.interest == "reduced" and rescheduling.reduced_rate is None:
                raise self.fail(
                    [*where, "rescheduling", "reduced_rate"],
                    "interest が reduced のときは減免後の金利（reduced_rate）を指定してください",
                    "reduced interest needs reduced_rate",
                )
        by_name = {b.name: b for b in banks}
        forgiveness = []
        for i, f in enumerate(fs.get("forgiveness") or ()):
            bank = by_name.get(f["bank"])
            if bank is None:
                raise self.fail(
                    [*where, "forgiveness", i, "bank"],
                    f"金融機関 '{f['bank']}' は banks にありません",
                    f"unknown bank {f['bank']!r}",
                )
            loan = f.get("loan")
            if loan is not None and loan not in {x.name for x in bank.loans} | {x.name for x in bank.new_loans}:
                raise self.fail(
                    [*where, "forgiveness", i, "loan"],
                    f"借入 '{loan}' は {bank.name} の loans・new_loans にありません",
                    f"unknown loan {loan!r}",
                )
            forgiveness.append(
                m.Forgiveness(
                    bank=bank.name,
                    amount=int(f["amount"]),
                    year=self.plan_year(f["year"], [*where, "forgiveness", i, "year"]),
                    loan=loan,
                )
            )
        return m.FinancialSupport(
            rescheduling=rescheduling, forgiveness=tuple(forgiveness), notes=_opt_str(fs.get("notes"))
        )

    def actions(self, drivers: m.Drivers) -> tuple[m.Action, ...]:
        sga_names = {s.name for s in drivers.sga}
        segment_names = {s.name for s in drivers.sales.segments}
        out: list[m.Action] = []
        for i, a in enumerate(self.data.get("action_plan") or ()):
            effects: list[m.Effect] = []
            for j, e in enumerate(a.get("effects") or ()):
                where: list[str | int] = ["action_plan", i, "effects", j]
                line = e["line"]
                item, segment = e.get("item"), e.get("segment")
                if line == "sga":
                    if item is None:
                        raise self.fail(
                            [*where, "item"],
                            "line が sga のときは科目名（item）を指定してください",
                            "sga effect needs item",
                        )
                    if item not in sga_names:
                        raise self.fail(
                            [*where, "item"],
                            f"販管費の科目 '{item}' は drivers.sga にありません",
                            f"unknown SG&A item {item!r}",
                        )
                elif item is not None:
                    raise self.fail([*where, "item"], "item は line が sga のときだけ指定できます", "item only for sga")
                if segment is not None:
                    if line != "sales":
                        raise self.fail(
                            [*where, "segment"],
                            "segment は line が sales のときだけ指定できます",
                            "segment only for sales",
                        )
                    if segment not in segment_names:
                        raise self.fail(
                            [*where, "segment"],
                            f"部門 '{segment}' は drivers.sales.segments にありません",
                            f"unknown segment {segment!r}",
                        )
                if "ratio" in e and line not in {"sales", "cost_of_sales", "sga"}:
                    raise self.fail(
                        [*where, "ratio"],
                        "ratio は line が sales・cost_of_sales・sga のときだけ使えます。amount（円）を指定してください",
                        "ratio only for sales, cost_of_sales, sga",
                    )
                from_year = self.plan_year(e.get("from_year", 1), [*where, "from_year"])
                until_year = None
                if e.get("until_year") is not None:
                    until_year = self.plan_year(e["until_year"], [*where, "until_year"])
                    if until_year < from_year:
                        raise self.fail(
                            [*where, "until_year"], "until_year は from_year 以上にしてください", "until before from"
                        )
                effects.append(
                    m.Effect(
                        line=line,
                        from_year=from_year,
                        until_year=until_year,
                        amount=None if "amount" not in e else int(e["amount"]),
                        ratio=None if "ratio" not in e else _dec(e["ratio"]),
                        item=item,
                        segment=segment,
                    )
                )
            out.append(
                m.Action(
                    measure=a["measure"],
                    owner=_opt_str(a.get("owner")),
                    deadline=_opt_str(a.get("deadline")),
                    detail=_opt_str(a.get("detail")),
                    kpi=_opt_str(a.get("kpi")),
                    effects=tuple(effects),
                )
            )
        return tuple(out)

    def business_model(self) -> m.BusinessModel:
        bm = self.data.get("business_model") or {}

        def parties(key: str) -> tuple[m.Party, ...]:
            return tuple(
                m.Party(
                    name=p["name"],
                    role=_opt_str(p.get("role")),
                    share=None if p.get("share") is None else _dec(p["share"]),
                    note=_opt_str(p.get("note")),
                )
                for p in bm.get(key) or ()
            )

        return m.BusinessModel(
            suppliers=parties("suppliers"),
            customers=parties("customers"),
            partners=parties("partners"),
            flows=tuple(
                m.Flow(source=f["from"], target=f["to"], what=_opt_str(f.get("what")), kind=_opt_str(f.get("kind")))
                for f in bm.get("flows") or ()
            ),
            strengths=tuple(str(s) for s in bm.get("strengths") or ()),
            weaknesses=tuple(str(s) for s in bm.get("weaknesses") or ()),
        )

    def cash_table(self) -> m.CashTable:
        ct = self.data.get("cash_table") or {}
        months: list[m.CashMonth] = []
        for i, mo in enumerate(ct.get("months") or ()):
            month = Period.parse(mo["month"])
            if months and month <= months[-1].month:
                raise self.fail(
                    ["cash_table", "months", i, "month"],
                    "月は古い順に並べてください（同じ月は2度書けません）",
                    "cash table months must be strictly ascending",
                )
            groups = {g: tuple((str(k), int(v)) for k, v in (mo.get(g) or {}).items()) for g in m.CASH_GROUPS}
            months.append(
                m.CashMonth(
                    month=month,
                    kind=mo["kind"],
                    operating_in=groups["operating_in"],
                    operating_out=groups["operating_out"],
                    investing_in=groups["investing_in"],
                    investing_out=groups["investing_out"],
                    financing_in=groups["financing_in"],
                    financing_out=groups["financing_out"],
                    note=_opt_str(mo.get("note")),
                )
            )
        opening = ct.get("opening_cash")
        season = ct.get("seasonality")
        return m.CashTable(
            opening_cash=None if opening is None else int(opening),
            months=tuple(months),
            seasonality=None if season is None else tuple(int(w) for w in season),
        )

    def scenarios(self) -> tuple[m.Scenario, ...]:
        out: list[m.Scenario] = []
        for i, s in enumerate(self.data.get("scenarios") or ()):
            if s["name"] in BUILTIN_SCENARIOS:
                raise self.fail(
                    ["scenarios", i, "name"],
                    f"'{s['name']}' は組み込みのシナリオ名です。別の名前にしてください",
                    "built-in scenario name",
                )
            out.append(
                m.Scenario(
                    name=s["name"],
                    label=str(s.get("label", s["name"])),
                    sales_factor=_dec(s.get("sales_factor", 1)),
                    growth_delta=_dec(s.get("growth_delta", 0)),
                    cost_of_sales_ratio_delta=_dec(s.get("cost_of_sales_ratio_delta", 0)),
                    sga_factor=_dec(s.get("sga_factor", 1)),
                    action_effect_share=_dec(s.get("action_effect_share", 1)),
                    financial_support=bool(s.get("financial_support", True)),
                )
            )
        self._unique([s.name for s in out], ["scenarios"], "シナリオ名")
        return tuple(out)

    def guideline(self, banks: tuple[m.Bank, ...]) -> m.Guideline | None:
        """The 中小版GL block; lender names must be banks of the plan (figures are judged later,
        by keiei.criteria.guideline, so an inconsistent figure is a verdict, not a load error)."""
        g = self.data.get("guideline")
        if g is None:
            return None
        names = {b.name for b in banks}
        where: list[str | int] = ["guideline"]

        def bank(name: str, path: list[str | int]) -> str:
            if name not in names:
                raise self.fail(path, f"金融機関 '{name}' は banks にありません", f"unknown bank {name!r}")
            return name

        liquidation = None
        lq = g.get("liquidation")
        if lq is not None:
            lw = [*where, "liquidation"]
            liquidation = m.Liquidation(
                assets=tuple(
                    m.LiquidationAsset(str(a["item"]), int(a["book"]), int(a["liquidation"]), _opt_str(a.get("note")))
                    for a in lq["assets"]
                ),
                priority_claims=tuple(
                    m.PriorityClaim(str(c["item"]), int(c["amount"]), _opt_str(c.get("note")))
                    for c in lq.get("priority_claims") or ()
                ),
                secured=tuple(
                    m.SecuredRecovery(
                        bank(s["bank"], [*lw, "secured", i, "bank"]),
                        int(s["amount"]),
                        s.get("source", "collateral"),
                        _opt_str(s.get("note")),
                    )
                    for i, s in enumerate(lq.get("secured") or ())
                ),
                other_general_claims=None
                if lq.get("other_general_claims") is None
                else int(lq["other_general_claims"]),
                stated_recovery=tuple(
                    (bank(str(k), [*lw, "stated_recovery", str(k)]), int(v))
                    for k, v in (lq.get("stated_recovery") or {}).items()
                ),
                note=_opt_str(lq.get("note")),
            )
        guarantors = []
        for i, gr in enumerate(g.get("guarantors") or ()):
            gw = [*where, "guarantors", i]
            guarantors.append(
                m.Guarantor(
                    name=str(gr["name"]),
                    settlement=gr["settlement"],
                    relation=_opt_str(gr.get("relation")),
                    assets=tuple(
                        m.GuarantorAsset(
                            str(a["item"]),
                            int(a["value"]),
                            int(a.get("kept", 0)),
                            a.get("basis"),
                            _opt_str(a.get("note")),
                        )
                        for a in gr.get("assets") or ()
                    ),
                    guarantees=tuple(
                        m.Guarantee(
                            bank(x["bank"], [*gw, "guarantees", j, "bank"]),
                            int(x["amount"]),
                            int(x.get("paid", 0)),
                            int(x.get("forgiven", 0)),
                        )
                        for j, x in enumerate(gr.get("guarantees") or ())
                    ),
                    note=_opt_str(gr.get("note")),
                )
            )
        e = g.get("third_party_expert")
        expert = (
            None
            if e is None
            else m.ThirdPartyExpert(
                name=str(e["name"]),
                qualification=str(e["qualification"]),
                independent=bool(e["independent"]),
                independence=_opt_str(e.get("independence")),
                organization=_opt_str(e.get("organization")),
                report_date=_opt_str(e.get("report_date")),
            )
        )
        return m.Guideline(
            liquidation=liquidation,
            guarantors=tuple(guarantors),
            no_guarantors=_opt_str(g.get("no_guarantors")),
            third_party_expert=expert,
        )

    def _unique(self, names: list[str], path: list[str | int], what: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise self.fail([*path, i], f"{what} '{name}' が重複しています", f"duplicate name {name!r}")
            seen.add(name)
