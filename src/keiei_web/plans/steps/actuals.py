"""The editor step: actual years (実績・決算書): PL, BS, segments, adjustments to the BS (実態BS)."""

from __future__ import annotations

from typing import Any

from keiei.finance import actual_subtotals
from keiei_web.plans.formkit import (
    deleted,
    keep_json,
    keep_of,
    normalise,
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    PLACEHOLDER,
    Builder,
    Field,
    Reader,
    as_dict,
    as_list,
    build_fields,
    heads_of,
    keys_of,
    obj,
    read_fields,
    read_row,
    tr,
    unique_label,
)
from keiei_web.plans.steps.lines import (
    BS_CHECKED,
    BS_LINES,
    PL_CHECKED,
    PL_LINES,
    PL_STATED,
)

PERIOD = Field("period", "決算期", "period", placeholder="2025-03", width="num")
EMPLOYEES = Field("employees", "期末従業員数", "int", width="num")
PL_FIELDS = tuple(Field(key, label, "yen", width="num") for key, label, _req in PL_LINES)
PL_CHECKED_FIELDS = tuple(Field(key, label, "yen", width="num") for key, label in PL_CHECKED)
BS_FIELDS = (
    *(Field(key, label, "yen", width="num") for key, label, _req in BS_LINES),
    *(Field(key, label, "yen", width="num") for key, label in BS_CHECKED),
)
SEGMENT_NAME = Field("name", "部門名")  # a row of the segments grid (its cells: one per actual year)
ADJ_FIELDS = (
    Field("item", "修正項目", required=True),
    Field("line", "修正する行", "select", required=True, choices=(("", "—"), *((k, v) for k, v, _r in BS_LINES))),
    Field("amount", "増減額（円）", "yen", required=True, width="num"),
    Field("reason", "理由", required=True, width="l"),
    Field("ends_year", "解消する計画年度", "int", width="num"),
)
ACTUAL_MANAGED = ("period", "employees", "pl", "bs", "segments", "adjustments")


def _adj_row(b: Builder, i: int | str, adj: Any, base: str) -> dict[str, Any]:
    row = f"adj[{i}]"
    adj = as_dict(adj)
    path = f"{base}.adjustments[{i}]" if base else ""
    inputs = build_fields(b, row, adj, ADJ_FIELDS, path=path)
    if path:
        b.node(path, tr("実態BS修正 %(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {"name": row, "inputs": inputs, "keep": keep_json(adj, keys_of(ADJ_FIELDS))}


def _computed_actual(year: Any) -> dict[str, Any]:
    """Subtotals of one actual year from the numbers typed (keiei.finance.subtotals, the one home)."""
    return dict(actual_subtotals(year))


def build(b: Builder) -> dict[str, Any]:
    actuals = as_list(b.doc.get("actuals"))
    cols = max(3, len(actuals))
    b.node("actuals", tr("実績"))
    columns = []
    for k in range(cols):
        year = as_dict(actuals[k]) if k < len(actuals) else {}
        base = f"actuals[{k}]"
        ctx = tr("実績 %(p)s") % {"p": year.get("period") or tr("%(n)d列目") % {"n": k + 1}}
        b.node(base, "", ctx)
        col: dict[str, Any] = {
            "index": k,
            "period": PERIOD.build(b, base, year, context=ctx),
            "employees": EMPLOYEES.build(b, base, year, context=ctx),
            "pl": {},
            "bs": {},
            "keep": keep_json(year, ACTUAL_MANAGED if k == len(actuals) - 1 else ACTUAL_MANAGED[:-1]),
            "pl_keep": keep_json(year.get("pl"), keys_of(PL_FIELDS + PL_CHECKED_FIELDS)),
            "bs_keep": keep_json(year.get("bs"), keys_of(BS_FIELDS)),
            "computed": _computed_actual(year),
        }
        pl, bs = as_dict(year.get("pl")), as_dict(year.get("bs"))
        b.node(f"{base}.pl", tr("損益計算書"), ctx)
        b.node(f"{base}.bs", tr("貸借対照表"), ctx)
        for f in PL_FIELDS + PL_CHECKED_FIELDS:
            col["pl"][f.key] = f.build(b, f"{base}.pl", pl, context=ctx)
        for f in BS_FIELDS:
            col["bs"][f.key] = f.build(b, f"{base}.bs", bs, context=ctx)
        columns.append(col)
    # segments: one row per name, one cell per actual year
    names: list[str] = []
    for seg in as_list(obj(b.doc, "drivers", "sales", "segments")):
        if isinstance(obj(seg, "name"), str) and seg["name"] not in names:
            names.append(seg["name"])
    for year in actuals:
        for typed_name in as_dict(obj(year, "segments")):
            if typed_name not in names:
                names.append(typed_name)
    rows: list[str | None] = [*names]
    if b.wants_row("seg") or not names:
        rows.append(None)  # a new row
    seg_rows = []
    for r, name in enumerate(rows):
        cells = []
        for k in range(cols):
            value = obj(actuals[k], "segments", name) if (name is not None and k < len(actuals)) else None
            path = f"actuals[{k}].segments.{name}" if name is not None else ""
            cells.append(b.input(f"seg[{r}].v[{k}]", "yen", value, name or "", path=path, width="num"))
        seg_rows.append(
            {
                "name": f"seg[{r}]",
                "label": SEGMENT_NAME.build(b, f"seg[{r}]", {"name": name}, path=""),
                "cells": cells,
            }
        )
    seg_template = {
        "name": f"seg[{PLACEHOLDER}]",
        "label": SEGMENT_NAME.build(Builder({}, disabled=b.disabled), f"seg[{PLACEHOLDER}]", {}, path=""),
        "cells": [
            Builder({}, disabled=b.disabled).input(f"seg[{PLACEHOLDER}].v[{k}]", "yen", None, path="", width="num")
            for k in range(cols)
        ],
    }
    # adjustments of the last actual year
    last = len(actuals) - 1
    base = f"actuals[{last}]" if last >= 0 else ""
    adjustments = as_list(obj(actuals[last], "adjustments")) if last >= 0 else []
    adj_rows = [_adj_row(b, i, a, base) for i, a in enumerate(adjustments)]
    if b.wants_row("adj") or not adj_rows:
        adj_rows.append(_adj_row(b, len(adjustments), {}, ""))
    if base:
        b.node(f"{base}.adjustments", tr("実態BS修正"))
    return {
        "columns": columns,
        "pl_lines": [(k, tr(label), req) for k, label, req in PL_LINES],
        "pl_stated": [(k, tr(label)) for k, label in PL_STATED],
        "bs_lines": [(k, tr(label), req) for k, label, req in BS_LINES],
        "segments": {"rows": seg_rows, "template": seg_template, "next": len(seg_rows), "list": "seg"},
        "adjustments": {
            "rows": adj_rows,
            "template": _adj_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, ""),
            "next": len(adj_rows),
            "list": "adj",
            "heads": heads_of(ADJ_FIELDS),
        },
        "last_period": obj(actuals[last], "period") if last >= 0 else "",
    }


def read(r: Reader) -> dict[str, Any]:
    years: list[dict[str, Any]] = []
    cols = r.rows("actuals")
    seg_rows = r.rows("seg")
    seg_names: dict[int, str] = {}
    used: set[str] = set()
    for s in seg_rows:
        row = f"seg[{s}]"
        if deleted(r.post, row):
            continue
        name = SEGMENT_NAME.read(r, row)
        has_values = any(normalise(r.raw(f"{row}.v[{k}]")) for k in cols)
        if name is None and not has_values:
            continue
        seg_names[s] = unique_label(r, name, used, tr("（部門名なし）"))
    dropped = False
    for k in cols:
        base = f"actuals[{k}]"
        year = keep_of(r.post, base)
        kept = bool(year)
        typed = read_fields(r, base, year, (PERIOD, EMPLOYEES)) or kept
        pl = keep_of(r.post, f"{base}.pl")
        read_fields(r, f"{base}.pl", pl, PL_FIELDS + PL_CHECKED_FIELDS)
        bs = keep_of(r.post, f"{base}.bs")
        read_fields(r, f"{base}.bs", bs, BS_FIELDS)
        segments = {}
        for s, name in seg_names.items():
            value = r.get(f"seg[{s}].v[{k}]", "yen")
            if value is not None:
                segments[name] = value
        typed = typed or bool(pl) or bool(bs) or bool(segments)
        if not typed:
            dropped = True
            continue
        if dropped:
            r.reindexed = True
        year["pl"] = pl  # required: an empty pl is named by the schema
        set_or_drop(year, "bs", bs)
        set_or_drop(year, "segments", segments)
        years.append(year)

    adjustments = r.kept_rows("adj", read_row(r, ADJ_FIELDS))
    if years:
        set_or_drop(years[-1], "adjustments", adjustments)
    elif adjustments:
        years.append({"pl": {}, "adjustments": adjustments})
    return {"actuals": years or None}
