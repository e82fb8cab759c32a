"""The kit of the plan editor's steps: building inputs, reading posts, series across plan years.


Each step owns some top-level keys of the plan file (`company`, `actuals`, `drivers`…).
`build(doc)` turns those keys into inputs (keiei_web.plans.formkit) grouped for its template;
`read(post, doc)` turns what was posted back into those keys, keeping everything the form does
not show: unknown keys of a row travel in a hidden `<row>._keep` field, unknown keys of an
object are taken from the stored draft. Reading never fails — a value that is not a number yet
is stored as typed and the schema names it — so a draft always saves (nothing typed is lost).

Conventions of the posted names (shared with plan-editor.js):
- `<list>[i]…` rows; a row with nothing typed is dropped; `<row>._delete` drops it on purpose;
- `<series>[i]` the value of plan year i+1; only year 1 typed = the same every year (one value);
  blank later years repeat the year before;
- `<row>.v[i]` the same for a series whose key depends on a select in the row (sga kind…);
- `<x>._mode`, `<x>._unit`, `<x>._repay`: which key of the file a value goes to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from keiei.plan.periods import Period, period_label
from keiei_web.plans.formkit import (
    Input,
    Node,
    deleted,
    keep_of,
    normalise,
    parse,
    row_indexes,
    set_or_drop,
    show,
)

MAX_YEARS = 5
PLACEHOLDER = "__0__"  # row number in <template> rows (plan-editor.js replaces it)
PLACEHOLDER2 = "__1__"
# the choices of a yes/no whose default the plan file fixes (bool3 inputs)
YES_DEFAULT = [("", "既定（はい）"), ("true", "はい"), ("false", "いいえ")]
NO_DEFAULT = [("", "既定（いいえ）"), ("true", "はい"), ("false", "いいえ")]


def tr(text: str) -> str:
    """The text in the user's language, now (labels are lazy translations until shown)."""
    return str(_(text))


# --------------------------------------------------------------------------- context


@dataclass
class Page:
    """What a step's template gets: its groups of inputs, and every node for attaching problems."""

    nodes: list[Node] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


class Builder:
    """Makes inputs for one step and remembers them (the nodes problems attach to)."""

    def __init__(
        self,
        doc: Mapping[str, Any],
        *,
        disabled: bool = False,
        add: str = "",
        may_edit: Callable[[str], bool] | None = None,
    ) -> None:
        self.doc = doc
        self.disabled = disabled
        self.add = add
        self.may_edit = may_edit  # by input path: False → read-only (access.may_edit_plan_field)
        self.nodes: list[Node] = []

    def input(self, name: str, kind: str, value: Any, label: str = "", *, path: str | None = None, **kw: Any) -> Input:
        item = Input(
            path=name if path is None else path,
            label=label,
            name=name,
            kind=kind,
            value=show(kind, value),
            disabled=self.disabled,
            **kw,
        )
        if self.may_edit is not None and not item.disabled and not self.may_edit(item.path):
            item.disabled = True
        item.widget = item.widget or _widget(kind)
        if item.widget == "select" and item.value and item.value not in {v for v, _l in item.choices}:
            # a stored value the choices do not know (from a file or the JSON editor): keep it
            item.choices = [*item.choices, (item.value, tr("%(v)s（不明な値）") % {"v": item.value})]
        self.nodes.append(item)
        return item

    def node(self, path: str, label: str = "", context: str = "") -> Node:
        item = Node(path=path, label=label, context=context)
        self.nodes.append(item)
        return item

    def wants_row(self, list_name: str) -> bool:
        """The no-JavaScript "add a row" button asked for one more row in `list_name`."""
        return self.add == list_name


def _widget(kind: str) -> str:
    if kind in {"textarea", "lines"}:
        return "textarea"
    if kind in {"select", "bool3"}:
        return "select"
    return "input"


class Reader:
    """Reads one step's posted values; notes what the user should be told (renamed labels)."""

    def __init__(self, post: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
        self.post = post
        self.doc = doc
        self.notes: list[str] = []
        self.reindexed = False  # a row was dropped before another: posted names ≠ stored paths
        posted = parse("int", str(post.get("drivers.years", "")))
        valid = isinstance(posted, int) and 1 <= posted <= MAX_YEARS
        self.years: int | None = posted if valid else plan_years(doc)

    def get(self, name: str, kind: str = "text") -> Any:
        return parse(kind, str(self.post.get(name, "")))

    def raw(self, name: str) -> str:
        return str(self.post.get(name, ""))

    def rows(self, prefix: str) -> list[int]:
        return row_indexes(self.post, prefix)

    def kept_rows(self, prefix: str, read_row: Callable[[str], dict[str, Any] | None]) -> list[dict[str, Any]]:
        """Read every posted row of a list: deleted and empty rows dropped, order kept."""
        out: list[dict[str, Any]] = []
        indexes = self.rows(prefix)
        dropped = False
        for i in indexes:
            row = f"{prefix}[{i}]"
            value = None if deleted(self.post, row) else read_row(row)
            if value:
                if dropped:
                    self.reindexed = True
                out.append(value)
            else:
                dropped = True
        return out


def obj(doc: Mapping[str, Any], *keys: str | int) -> Any:
    """doc[k1][k2]… or None when any level is missing or of the wrong type."""
    cur: Any = doc
    for key in keys:
        if isinstance(key, int):
            if not isinstance(cur, list) or not -len(cur) <= key < len(cur):
                return None
            cur = cur[key]
        else:
            if not isinstance(cur, Mapping):
                return None
            cur = cur.get(key)
    return cur


def as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def plan_years(doc: Mapping[str, Any]) -> int | None:
    years = obj(doc, "drivers", "years")
    return years if isinstance(years, int) and not isinstance(years, bool) and 1 <= years <= MAX_YEARS else None


def period_of(text: Any) -> Period | None:
    """The month of a "YYYY-MM" text (month 1 to 12); None for anything else (a draft may hold
    what the schema will name: the editor then suggests nothing rather than a wrong month)."""
    if isinstance(text, str) and len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        period = Period.parse(text)
        return period if 1 <= period.month <= 12 else None
    return None


def base_period(doc: Mapping[str, Any]) -> Period | None:
    """The last actual period, when it is a valid YYYY-MM."""
    actuals = as_list(doc.get("actuals"))
    return period_of(obj(actuals[-1], "period")) if actuals else None


def year_labels(doc: Mapping[str, Any], count: int) -> list[dict[str, str]]:
    """Column heads of the plan years: 計画1年目 and its period (2026年3月期) when known."""
    base = base_period(doc)
    out = []
    for i in range(count):
        period = period_label(base.plus_years(i + 1)) if base else ""
        out.append({"title": tr("計画%(n)d年目") % {"n": i + 1}, "period": period})
    return out


# --------------------------------------------------------------------------- series


@dataclass
class SeriesRow:
    """One line of a per-plan-year grid: the line's node (series-level errors) and its cells."""

    node: Node
    cells: list[Input]
    head: list[Input] = field(default_factory=list)  # inputs before the cells (name, kind…)
    tail: list[Input] = field(default_factory=list)  # inputs after the cells (delete…)
    name: str = ""  # the row prefix (for templates and deletion)
    unit: str = ""


def series_row(
    b: Builder,
    *,
    name: str,
    path: str,
    value: Any,
    kind: str,
    cols: int,
    label: str,
    cell_name: Callable[[int], str] | None = None,
    unit: str = "",
    context: str = "",
) -> SeriesRow:
    """Cells for a series: a list shows each year; one value shows in year 1 (others greyed)."""
    node = b.node(path, label, context)
    cells = []
    values = value if isinstance(value, list) else [value] if value is not None else []
    scalar = value is not None and not isinstance(value, list)
    for i in range(max(cols, len(values))):
        v = values[i] if i < len(values) else None
        cell = b.input(
            cell_name(i) if cell_name else f"{name}[{i}]",
            kind,
            v,
            label,
            path=f"{path}[{i}]",
            width="num",
        )
        cell.context = context
        if scalar and i > 0:
            cell.placeholder = show(kind, value)
        cells.append(cell)
    return SeriesRow(node=node, cells=cells, name=name, unit=unit)


def read_series(r: Reader, names: list[str], kind: str) -> Any:
    """Posted cells → one value (only year 1 typed), a list (later blanks repeat the year
    before), or None (nothing typed). A list is as long as the plan years (or up to the last
    value typed beyond them, which the loader then names)."""
    texts = [normalise(r.raw(n)) for n in names]
    if not any(texts):
        return None
    if texts[0] and not any(texts[1:]):
        return parse(kind, texts[0])
    last_typed = max(i for i, t in enumerate(texts) if t)
    length = max(last_typed + 1, min(r.years or len(texts), len(texts)))
    values: list[Any] = []
    for i in range(length):
        if texts[i]:
            values.append(parse(kind, texts[i]))
        elif i == 0:
            values.append("")  # year 1 left empty: the schema names this cell
        else:
            values.append(values[-1])
    return values


def series_cells(r: Reader, prefix: str) -> list[str]:
    """The posted cell names `<prefix>[i]`, in year order."""
    return [f"{prefix}[{i}]" for i in r.rows(prefix)]


def grid_cols(doc: Mapping[str, Any], *series: Any) -> int:
    """Columns of a step's grids: the plan years, or more when a stored list is longer."""
    cols = plan_years(doc) or MAX_YEARS
    for value in series:
        if isinstance(value, list):
            cols = max(cols, len(value))
    return cols


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    slug: str
    label: Any  # a lazy translation (read when a page is rendered, in the user's language)
    keys: tuple[str, ...]  # top-level keys of the plan file this step edits
    template: str
    build: Callable[[Builder], dict[str, Any]]
    read: Callable[[Reader], dict[str, Any]]
    help: str = ""


def unique_label(r: Reader, name: str | None, used: set[str], blank: str) -> str:
    """A mapping key for a row label: blank → a placeholder, a repeat → numbered (told to the user)."""
    label = name or blank
    if label in used:
        n = 2
        while f"{label}（{n}）" in used:
            n += 1
        new = f"{label}（{n}）"
        r.notes.append(tr("「%(a)s」が重複していたため「%(b)s」にしました。") % {"a": label, "b": new})
        label = new
    elif name is None:
        r.notes.append(tr("名前のない行を「%(b)s」として保存しました。名前を入力してください。") % {"b": label})
    used.add(label)
    return label


# --------------------------------------------------------------------------- field specs


@dataclass(frozen=True)
class Field:
    """One key of a plan-file object, declared once: the form's input and the post's reading
    are both made from it (`build_fields`, `read_fields`), so path, kind and label cannot
    disagree between the two. Who may edit it is not declared here: that is the path's rule in
    `keiei_web.access` (PLAN_FIELD_ACTIONS), applied by the Builder to every input it makes.

    `key` is the key in the object (and the last part of the input's name), `kind` the
    conversion (keiei_web.plans.formkit.PARSERS), `label` untranslated Japanese (translated
    when built, as are help and placeholder), `choices` the select's (value, label) pairs, `counts` whether a value typed here
    makes the row count as typed (a select with a default does not).
    """

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    width: str = ""
    widget: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    placeholder: str = ""
    datalist: str = ""
    counts: bool = True

    def build(
        self, b: Builder, prefix: str, data: Mapping[str, Any], *, path: str | None = None, context: str = ""
    ) -> Input:
        """The input `<prefix>.<key>` showing `data[key]` (its path `<path>.<key>`, or '' when
        `path` is '' — a row not yet in the file)."""
        kw: dict[str, Any] = {}
        for name in ("required", "width", "widget", "help", "placeholder", "datalist"):
            value = getattr(self, name)
            if value:
                kw[name] = tr(value) if name in {"help", "placeholder"} else value
        if self.choices:
            kw["choices"] = [(k, tr(v)) for k, v in self.choices]
        if context:
            kw["context"] = context
        if path is not None:
            kw["path"] = f"{path}.{self.key}" if path else ""
        return b.input(self.name(prefix), self.kind, data.get(self.key), tr(self.label), **kw)

    def name(self, prefix: str) -> str:
        """The posted name: `<prefix>.<key>`, or the key alone for a top-level key."""
        return f"{prefix}.{self.key}" if prefix else self.key

    def read(self, r: Reader, prefix: str) -> Any:
        return r.get(self.name(prefix), self.kind)


def build_fields(
    b: Builder,
    prefix: str,
    data: Mapping[str, Any],
    fields: tuple[Field, ...],
    *,
    path: str | None = None,
    context: str = "",
) -> list[Input]:
    """The inputs of `fields` for the object `data` posted under `prefix`."""
    return [f.build(b, prefix, data, path=path, context=context) for f in fields]


def read_fields(r: Reader, prefix: str, out: dict[str, Any], fields: tuple[Field | Series, ...]) -> bool:
    """Read `fields` (values or per-year lines) posted under `prefix` into `out` (an empty value
    removes the key); True when a field that counts was typed."""
    typed = False
    for f in fields:
        value = f.read(r, prefix)
        typed = typed or (value is not None and f.counts)
        set_or_drop(out, f.key, value)
    return typed


def keys_of(fields: tuple[Field, ...]) -> list[str]:
    """The keys `fields` manage (the rest of an object travels in `<row>._keep`)."""
    return [f.key for f in fields]


def heads_of(fields: tuple[Field, ...]) -> list[str]:
    """The column heads of a table of rows of `fields`, translated."""
    return [tr(f.label) for f in fields]


def read_row(r: Reader, fields: tuple[Field, ...]) -> Callable[[str], dict[str, Any] | None]:
    """A row reader for `Reader.kept_rows`: the row's kept keys plus `fields`; None when
    nothing that counts was typed."""

    def row(prefix: str) -> dict[str, Any] | None:
        out = keep_of(r.post, prefix)
        return out if read_fields(r, prefix, out, fields) else None

    return row


@dataclass(frozen=True)
class Series:
    """One per-plan-year line of a plan-file object, declared once like a `Field`: its grid
    row (`build`) and the reading of its cells (`read`) are made from the same key, kind,
    label and unit. The cells are posted as `<prefix>.<key>[i]` and the line's path is the
    same (series whose key a select in the row decides — sga kind, segment mode, working
    capital unit — are the steps' hand-written mode switches, with `series_row`).

    `unit` is untranslated Japanese shown beside the label ('' shows none).
    """

    key: str
    label: str
    kind: str = "yen"
    unit: str = ""
    counts: bool = True

    def name(self, prefix: str) -> str:
        return f"{prefix}.{self.key}" if prefix else self.key

    def value(self, data: Mapping[str, Any]) -> Any:
        return data.get(self.key)

    def build(self, b: Builder, prefix: str, data: Mapping[str, Any], cols: int, *, context: str = "") -> SeriesRow:
        name = self.name(prefix)
        return series_row(
            b,
            name=name,
            path=name,
            value=data.get(self.key),
            kind=self.kind,
            cols=cols,
            label=tr(self.label),
            unit=tr(self.unit) if self.unit else "",
            context=context,
        )

    def read(self, r: Reader, prefix: str) -> Any:
        return read_series(r, series_cells(r, self.name(prefix)), self.kind)


def build_series(
    b: Builder, prefix: str, data: Mapping[str, Any], specs: tuple[Series, ...], cols: int
) -> list[SeriesRow]:
    """The grid rows of `specs` for the object `data` posted under `prefix`."""
    return [s.build(b, prefix, data, cols) for s in specs]
