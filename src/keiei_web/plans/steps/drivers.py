"""The editor step: the plan drivers (計画の前提): sales, cost of sales, SG&A, capex, working capital, tax."""

from __future__ import annotations

import copy
from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    keep_of,
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    MAX_YEARS,
    PLACEHOLDER,
    Builder,
    Reader,
    as_dict,
    as_list,
    grid_cols,
    obj,
    read_series,
    series_cells,
    series_row,
    tr,
    year_labels,
)
from keiei_web.plans.steps.lines import (
    DRIVER_YEN_SERIES,
    TAX_FIELDS,
    WORKING_CAPITAL,
)

SALES_MODES = [("growth", "前期比の成長率"), ("amounts", "金額を直接入力"), ("segments", "部門別")]
SGA_KINDS = [("fixed", "固定費"), ("personnel", "人件費"), ("variable", "変動費（売上高比）")]
WC_UNITS = [("", "直近の回転期間を維持"), ("months", "月数"), ("days", "日数")]
WC_BASES = [("", "既定"), ("sales", "売上高"), ("cost_of_sales", "売上原価")]


def _sga_row(b: Builder, i: int | str, item: Any, cols: int) -> dict[str, Any]:
    row = f"drivers.sga[{i}]"
    item = as_dict(item)
    kind = item.get("kind") if item.get("kind") in {"fixed", "personnel", "variable"} else "fixed"
    key = "ratio" if kind == "variable" else "amount"
    ctx = tr("販管費 %(name)s") % {"name": item.get("name") or ""}
    series = series_row(
        b,
        name=row,
        path=f"{row}.{key}",
        value=item.get(key),
        kind="number" if key == "ratio" else "yen",
        cols=cols,
        label=tr("金額・比率"),
        cell_name=lambda y: f"{row}.v[{y}]",
        context=ctx,
    )
    b.node(row, "", ctx)
    series.head = [
        b.input(f"{row}.name", "text", item.get("name"), tr("科目名"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}.kind",
            "select",
            item.get("kind"),
            tr("区分"),
            choices=[(k, tr(v)) for k, v in SGA_KINDS],
            context=ctx,
        ),
    ]
    return {"series": series, "keep": keep_json(item, ["name", "kind", "amount", "ratio"]), "name": row}


def _segment_row(b: Builder, i: int | str, seg: Any, cols: int) -> dict[str, Any]:
    row = f"drivers.sales.segments[{i}]"
    seg = as_dict(seg)
    mode = "amounts" if "amounts" in seg and "growth" not in seg else "growth"
    ctx = tr("部門 %(name)s") % {"name": seg.get("name") or ""}
    series = series_row(
        b,
        name=row,
        path=f"{row}.{mode}",
        value=seg.get(mode),
        kind="yen" if mode == "amounts" else "number",
        cols=cols,
        label=tr("成長率・金額"),
        cell_name=lambda y: f"{row}.v[{y}]",
        context=ctx,
    )
    b.node(row, "", ctx)
    series.head = [
        b.input(f"{row}.name", "text", seg.get("name"), tr("部門名"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}._mode",
            "select",
            mode,
            tr("立て方"),
            path="",
            choices=[("growth", tr("成長率")), ("amounts", tr("金額"))],
        ),
    ]
    return {"series": series, "keep": keep_json(seg, ["name", "growth", "amounts"]), "name": row}


CAPEX_FIELDS = [
    ("name", "名称", "text"),
    ("year", "年度", "int"),
    ("amount", "金額（円）", "yen"),
    ("useful_life", "耐用年数", "int"),
    ("purpose", "目的", "select"),
]


def _capex_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"drivers.capex[{i}]"
    item = as_dict(item)
    inputs = []
    for key, label, kind in CAPEX_FIELDS:
        kw: dict[str, Any] = {}
        if key == "purpose":
            kw["choices"] = [("", tr("既定（維持更新）")), ("maintenance", tr("維持更新")), ("growth", tr("成長投資"))]
        if kind in {"int", "yen"}:
            kw["width"] = "num"
        inputs.append(b.input(f"{row}.{key}", kind, item.get(key), tr(label), required=key != "purpose", **kw))
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, [f[0] for f in CAPEX_FIELDS])}


def build(b: Builder) -> dict[str, Any]:
    d = as_dict(b.doc.get("drivers"))
    sales = as_dict(d.get("sales"))
    all_series = [
        sales.get("growth"),
        sales.get("amounts"),
        obj(d, "cost_of_sales", "ratio"),
        obj(d, "cost_of_sales", "fixed"),
        obj(d, "depreciation", "existing"),
        d.get("employees"),
        obj(d, "other_debt", "repayment"),
    ]
    all_series += [d.get(k) for k, _l in DRIVER_YEN_SERIES]
    all_series += [obj(s, "amount") for s in as_list(d.get("sga"))] + [obj(s, "ratio") for s in as_list(d.get("sga"))]
    all_series += [obj(s, "growth") for s in as_list(sales.get("segments"))] + [
        obj(s, "amounts") for s in as_list(sales.get("segments"))
    ]
    all_series += [obj(w, u) for w in as_dict(d.get("working_capital")).values() for u in ("months", "days")]
    cols = grid_cols(b.doc, *all_series)
    b.node("drivers", tr("計画の前提"))
    mode = next((m for m, _l in SALES_MODES if m in sales), "growth")
    b.node("drivers.sales", tr("売上高"))
    out: dict[str, Any] = {
        "cols": cols,
        "year_heads": year_labels(b.doc, cols),
        "years": b.input(
            "drivers.years",
            "int",
            d.get("years"),
            tr("計画年数"),
            widget="select",
            required=True,
            choices=[("", "—")] + [(str(n), tr("%(n)d年") % {"n": n}) for n in range(1, MAX_YEARS + 1)],
            help=tr(
                "変えると、年度ごとの値の数も合わせます（減らすと後ろを削り、増やすと最後の年の値を繰り返します）。"
            ),
        ),
        "sales_mode": b.input(
            "drivers.sales._mode",
            "select",
            mode,
            tr("売上高の立て方"),
            path="",
            choices=[(k, tr(v)) for k, v in SALES_MODES],
        ),
        "growth": series_row(
            b,
            name="drivers.sales.growth",
            path="drivers.sales.growth",
            value=sales.get("growth"),
            kind="number",
            cols=cols,
            label=tr("売上高の前期比成長率"),
            unit=tr("比率（0.03 = 3%増）"),
        ),
        "amounts": series_row(
            b,
            name="drivers.sales.amounts",
            path="drivers.sales.amounts",
            value=sales.get("amounts"),
            kind="yen",
            cols=cols,
            label=tr("売上高"),
            unit=tr("円"),
        ),
    }
    segments = as_list(sales.get("segments"))
    seg_rows = [_segment_row(b, i, s, cols) for i, s in enumerate(segments)]
    if b.wants_row("drivers.sales.segments") or (mode == "segments" and not seg_rows):
        seg_rows.append(_segment_row(b, len(segments), {}, cols))
    out["sales_lines"] = [{"mode": "growth", "row": out["growth"]}, {"mode": "amounts", "row": out["amounts"]}]
    out["segment_heads"] = [tr("部門名"), tr("立て方")]
    out["sga_heads"] = [tr("科目名"), tr("区分")]
    out["wc_heads"] = [tr("項目"), tr("回転期間"), tr("基準")]
    out["segments"] = {
        "rows": seg_rows,
        "template": _segment_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, cols),
        "next": len(seg_rows),
        "list": "drivers.sales.segments",
    }
    b.node("drivers.sales.segments", tr("部門別売上"))
    b.node("drivers.cost_of_sales", tr("売上原価"))
    out["cost_lines"] = [
        series_row(
            b,
            name="drivers.cost_of_sales.ratio",
            path="drivers.cost_of_sales.ratio",
            value=obj(d, "cost_of_sales", "ratio"),
            kind="number",
            cols=cols,
            label=tr("変動原価率（売上高比）"),
            unit=tr("比率"),
        ),
        series_row(
            b,
            name="drivers.cost_of_sales.fixed",
            path="drivers.cost_of_sales.fixed",
            value=obj(d, "cost_of_sales", "fixed"),
            kind="yen",
            cols=cols,
            label=tr("固定的な売上原価（減価償却費を除く）"),
            unit=tr("円"),
        ),
        series_row(
            b,
            name="drivers.depreciation.existing",
            path="drivers.depreciation.existing",
            value=obj(d, "depreciation", "existing"),
            kind="yen",
            cols=cols,
            label=tr("既存資産の減価償却費"),
            unit=tr("円"),
        ),
    ]
    sga = as_list(d.get("sga"))
    sga_rows = [_sga_row(b, i, s, cols) for i, s in enumerate(sga)]
    if b.wants_row("drivers.sga") or not sga_rows:
        sga_rows.append(_sga_row(b, len(sga), {}, cols))
    b.node("drivers.sga", tr("販管費"))
    out["sga"] = {
        "rows": sga_rows,
        "template": _sga_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, cols),
        "next": len(sga_rows),
        "list": "drivers.sga",
    }
    capex = as_list(d.get("capex"))
    capex_rows = [_capex_row(b, i, c) for i, c in enumerate(capex)]
    if b.wants_row("drivers.capex") or not capex_rows:
        capex_rows.append(_capex_row(b, len(capex), {}))
    b.node("drivers.capex", tr("設備投資"))
    out["capex"] = {
        "rows": capex_rows,
        "template": _capex_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
        "next": len(capex_rows),
        "list": "drivers.capex",
        "heads": [tr(f[1]) for f in CAPEX_FIELDS],
    }
    wc_rows = []
    b.node("drivers.working_capital", tr("運転資本"))
    for key, label, _basis in WORKING_CAPITAL:
        w = as_dict(obj(d, "working_capital", key))
        unit = "days" if "days" in w and "months" not in w else "months" if w else ""
        base = f"drivers.working_capital.{key}"
        series = series_row(
            b,
            name=base,
            path=f"{base}.{unit or 'months'}",
            value=w.get(unit) if unit else None,
            kind="number",
            cols=cols,
            label=tr(label),
            cell_name=lambda y, base=base: f"{base}.v[{y}]",
        )
        b.node(base, tr(label))
        series.head = [
            b.input(
                f"{base}._unit", "select", unit, tr("回転期間"), path="", choices=[(k, tr(v)) for k, v in WC_UNITS]
            ),
            b.input(f"{base}.basis", "select", w.get("basis"), tr("基準"), choices=[(k, tr(v)) for k, v in WC_BASES]),
        ]
        wc_rows.append({"series": series, "keep": keep_json(w, ["months", "days", "basis"]), "name": base})
    out["working_capital"] = wc_rows
    out["other_lines"] = [
        series_row(
            b,
            name=f"drivers.{key}",
            path=f"drivers.{key}",
            value=d.get(key),
            kind="yen",
            cols=cols,
            label=tr(label),
            unit=tr("円"),
        )
        for key, label in DRIVER_YEN_SERIES
    ]
    out["other_lines"].append(
        series_row(
            b,
            name="drivers.employees",
            path="drivers.employees",
            value=d.get("employees"),
            kind="int",
            cols=cols,
            label=tr("従業員数"),
            unit=tr("人"),
        )
    )
    b.node("drivers.other_debt", tr("金融機関以外の有利子負債"))
    out["other_debt_rate"] = b.input(
        "drivers.other_debt.rate",
        "number",
        obj(d, "other_debt", "rate"),
        tr("金融機関以外の有利子負債の利率"),
        width="num",
        help=tr("代表者借入金・リース債務など（banks にない有利子負債）。"),
    )
    out["other_debt_repayment"] = series_row(
        b,
        name="drivers.other_debt.repayment",
        path="drivers.other_debt.repayment",
        value=obj(d, "other_debt", "repayment"),
        kind="yen",
        cols=cols,
        label=tr("その返済額"),
        unit=tr("円"),
    )
    b.node("drivers.tax", tr("税金"))
    out["tax"] = [
        b.input(
            f"drivers.tax.{key}",
            kind,
            obj(d, "tax", key),
            tr(label),
            help=tr(help_text) if help_text else "",
            required=key == "rate",
            width="num",
        )
        for key, label, kind, help_text in TAX_FIELDS
    ]
    return out


def read(r: Reader) -> dict[str, Any]:
    d = copy.deepcopy(as_dict(r.doc.get("drivers")))
    set_or_drop(d, "years", r.get("drivers.years", "int"))
    mode = r.raw("drivers.sales._mode") or "growth"
    sales: dict[str, Any] = {}
    if mode == "growth":
        set_or_drop(sales, "growth", read_series(r, series_cells(r, "drivers.sales.growth"), "number"))
    elif mode == "amounts":
        set_or_drop(sales, "amounts", read_series(r, series_cells(r, "drivers.sales.amounts"), "yen"))
    else:

        def segment(row: str) -> dict[str, Any] | None:
            out = keep_of(r.post, row)
            name = r.get(f"{row}.name", "text")
            seg_mode = r.raw(f"{row}._mode") or "growth"
            values = read_series(r, series_cells(r, f"{row}.v"), "yen" if seg_mode == "amounts" else "number")
            if name is None and values is None:
                return None
            set_or_drop(out, "name", name)
            set_or_drop(out, seg_mode if seg_mode in {"growth", "amounts"} else "growth", values)
            return out

        sales["segments"] = r.kept_rows("drivers.sales.segments", segment)
    d["sales"] = sales
    cost = as_dict(d.get("cost_of_sales"))
    set_or_drop(cost, "ratio", read_series(r, series_cells(r, "drivers.cost_of_sales.ratio"), "number"))
    set_or_drop(cost, "fixed", read_series(r, series_cells(r, "drivers.cost_of_sales.fixed"), "yen"))
    d["cost_of_sales"] = cost
    dep = as_dict(d.get("depreciation"))
    set_or_drop(dep, "existing", read_series(r, series_cells(r, "drivers.depreciation.existing"), "yen"))
    set_or_drop(d, "depreciation", dep)

    def sga(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        name = r.get(f"{row}.name", "text")
        kind = r.get(f"{row}.kind", "select") or "fixed"
        values = read_series(r, series_cells(r, f"{row}.v"), "number" if kind == "variable" else "yen")
        if name is None and values is None:
            return None
        set_or_drop(out, "name", name)
        out["kind"] = kind
        set_or_drop(out, "ratio" if kind == "variable" else "amount", values)
        return out

    set_or_drop(d, "sga", r.kept_rows("drivers.sga", sga))

    def capex(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in CAPEX_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or (value is not None and key != "purpose")
            set_or_drop(out, key, value)
        return out if typed else None

    set_or_drop(d, "capex", r.kept_rows("drivers.capex", capex))
    wc = as_dict(d.get("working_capital"))
    for key, _label, _basis in WORKING_CAPITAL:
        base = f"drivers.working_capital.{key}"
        unit = r.raw(f"{base}._unit")
        if unit not in {"months", "days"}:
            wc.pop(key, None)
            continue
        w = {k: v for k, v in as_dict(wc.get(key)).items() if k not in {"months", "days", "basis"}}
        set_or_drop(w, unit, read_series(r, series_cells(r, f"{base}.v"), "number"))
        set_or_drop(w, "basis", r.get(f"{base}.basis", "select"))
        wc[key] = w
    set_or_drop(d, "working_capital", wc)
    for key, _label in DRIVER_YEN_SERIES:
        set_or_drop(d, key, read_series(r, series_cells(r, f"drivers.{key}"), "yen"))
    set_or_drop(d, "employees", read_series(r, series_cells(r, "drivers.employees"), "int"))
    other = as_dict(d.get("other_debt"))
    set_or_drop(other, "rate", r.get("drivers.other_debt.rate", "number"))
    set_or_drop(other, "repayment", read_series(r, series_cells(r, "drivers.other_debt.repayment"), "yen"))
    set_or_drop(d, "other_debt", other)
    tax = as_dict(d.get("tax"))
    for key, _label, kind, _help in TAX_FIELDS:
        set_or_drop(tax, key, r.get(f"drivers.tax.{key}", kind))
    d["tax"] = tax
    return {"drivers": d}
