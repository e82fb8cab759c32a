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
    Reader,
    as_dict,
    as_list,
    obj,
    tr,
    unique_label,
)
from keiei_web.plans.steps.lines import (
    BS_LINES,
    PL_LINES,
    PL_STATED,
)

ADJ_FIELDS = [
    ("item", "修正項目", "text"),
    ("line", "修正する行", "select"),
    ("amount", "増減額（円）", "yen"),
    ("reason", "理由", "text"),
    ("ends_year", "解消する計画年度", "int"),
]
ACTUAL_MANAGED = ("period", "employees", "pl", "bs", "segments", "adjustments")


def _adj_row(b: Builder, i: int | str, adj: Any, base: str) -> dict[str, Any]:
    row = f"adj[{i}]"
    adj = as_dict(adj)
    path = f"{base}.adjustments[{i}]" if base else ""
    inputs = []
    for key, label, kind in ADJ_FIELDS:
        kw: dict[str, Any] = {}
        if key == "line":
            kw["choices"] = [("", "—")] + [(k, tr(v)) for k, v, _r in BS_LINES]
        if kind in {"yen", "int"}:
            kw["width"] = "num"
        if key == "reason":
            kw["width"] = "l"
        inputs.append(
            b.input(
                f"{row}.{key}",
                kind,
                adj.get(key),
                tr(label),
                path=f"{path}.{key}" if path else "",
                required=key != "ends_year",
                **kw,
            )
        )
    if path:
        b.node(path, tr("実態BS修正 %(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {"name": row, "inputs": inputs, "keep": keep_json(adj, [f[0] for f in ADJ_FIELDS])}


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
            "period": b.input(
                f"{base}.period",
                "period",
                year.get("period"),
                tr("決算期"),
                placeholder="2025-03",
                width="num",
                context=ctx,
            ),
            "employees": b.input(
                f"{base}.employees", "int", year.get("employees"), tr("期末従業員数"), width="num", context=ctx
            ),
            "pl": {},
            "bs": {},
            "keep": keep_json(year, ACTUAL_MANAGED if k == len(actuals) - 1 else ACTUAL_MANAGED[:-1]),
            "pl_keep": keep_json(year.get("pl"), [x[0] for x in PL_LINES] + [x[0] for x in PL_STATED]),
            "bs_keep": keep_json(year.get("bs"), [x[0] for x in BS_LINES] + ["net_assets"]),
            "computed": _computed_actual(year),
        }
        pl, bs = as_dict(year.get("pl")), as_dict(year.get("bs"))
        b.node(f"{base}.pl", tr("損益計算書"), ctx)
        b.node(f"{base}.bs", tr("貸借対照表"), ctx)
        for key, label, _req in PL_LINES:
            col["pl"][key] = b.input(f"{base}.pl.{key}", "yen", pl.get(key), tr(label), width="num", context=ctx)
        for key, label in PL_STATED:
            col["pl"][key] = b.input(
                f"{base}.pl.{key}", "yen", pl.get(key), tr(label) + tr("（照合用）"), width="num", context=ctx
            )
        for key, label, _req in BS_LINES:
            col["bs"][key] = b.input(f"{base}.bs.{key}", "yen", bs.get(key), tr(label), width="num", context=ctx)
        col["bs"]["net_assets"] = b.input(
            f"{base}.bs.net_assets", "yen", bs.get("net_assets"), tr("純資産（照合用）"), width="num", context=ctx
        )
        columns.append(col)
    # segments: one row per name, one cell per actual year
    names: list[str] = []
    for seg in as_list(obj(b.doc, "drivers", "sales", "segments")):
        if isinstance(obj(seg, "name"), str) and seg["name"] not in names:
            names.append(seg["name"])
    for year in actuals:
        for name in as_dict(obj(year, "segments")):
            if name not in names:
                names.append(name)
    seg_rows = []
    for r, name in enumerate([*names, None] if (b.wants_row("seg") or not names) else names):
        cells = []
        for k in range(cols):
            value = obj(actuals[k], "segments", name) if (name is not None and k < len(actuals)) else None
            path = f"actuals[{k}].segments.{name}" if name is not None else ""
            cells.append(b.input(f"seg[{r}].v[{k}]", "yen", value, name or "", path=path, width="num"))
        seg_rows.append(
            {
                "name": f"seg[{r}]",
                "label": b.input(f"seg[{r}].name", "text", name, tr("部門名"), path=""),
                "cells": cells,
            }
        )
    seg_template = {
        "name": f"seg[{PLACEHOLDER}]",
        "label": Builder({}, disabled=b.disabled).input(
            f"seg[{PLACEHOLDER}].name", "text", None, tr("部門名"), path=""
        ),
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
            "heads": [tr(f[1]) for f in ADJ_FIELDS],
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
        name = r.get(f"{row}.name", "text")
        has_values = any(normalise(r.raw(f"{row}.v[{k}]")) for k in cols)
        if name is None and not has_values:
            continue
        seg_names[s] = unique_label(r, name, used, tr("（部門名なし）"))
    dropped = False
    for k in cols:
        base = f"actuals[{k}]"
        year = keep_of(r.post, base)
        typed = bool(year)
        for key, kind in (("period", "period"), ("employees", "int")):
            value = r.get(f"{base}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(year, key, value)
        pl = keep_of(r.post, f"{base}.pl")
        for key in [x[0] for x in PL_LINES] + [x[0] for x in PL_STATED]:
            set_or_drop(pl, key, r.get(f"{base}.pl.{key}", "yen"))
        bs = keep_of(r.post, f"{base}.bs")
        for key in [x[0] for x in BS_LINES] + ["net_assets"]:
            set_or_drop(bs, key, r.get(f"{base}.bs.{key}", "yen"))
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

    def adj(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in ADJ_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    adjustments = r.kept_rows("adj", adj)
    if years:
        set_or_drop(years[-1], "adjustments", adjustments)
    elif adjustments:
        years.append({"pl": {}, "adjustments": adjustments})
    return {"actuals": years or None}
