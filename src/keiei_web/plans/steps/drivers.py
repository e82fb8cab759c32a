"""The editor step: the plan drivers (計画の前提): sales, cost of sales, SG&A, capex, working capital, tax.

Every input is declared once in the tables below (`Field` for one value, `Series` for a line of
plan years); the hand-written code is the real mode switches: how sales are planned (growth,
amounts or segments), a segment's growth or amounts, an SG&A item's kind (amount or ratio) and
a working-capital item's unit (months or days) — each decides which key of the file its cells
go to.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
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
    Field,
    Reader,
    Series,
    as_dict,
    as_list,
    build_fields,
    build_series,
    grid_cols,
    heads_of,
    keys_of,
    obj,
    read_fields,
    read_row,
    read_series,
    series_cells,
    series_row,
    tr,
    year_labels,
)
from keiei_web.plans.steps.lines import (
    DRIVER_YEN_SERIES,
    WORKING_CAPITAL,
)

SALES_MODES = [("growth", "前期比の成長率"), ("amounts", "金額を直接入力"), ("segments", "部門別")]
SGA_KINDS = (("fixed", "固定費"), ("personnel", "人件費"), ("variable", "変動費（売上高比）"))
WC_UNITS = [("", "直近の回転期間を維持"), ("months", "月数"), ("days", "日数")]
WC_BASES = (("", "既定"), ("sales", "売上高"), ("cost_of_sales", "売上原価"))

YEARS = Field(
    "years",
    "計画年数",
    "int",
    required=True,
    widget="select",
    choices=(("", "—"), *((str(n), f"{n}年") for n in range(1, MAX_YEARS + 1))),
    help="変えると、年度ごとの値の数も合わせます（減らすと後ろを削り、増やすと最後の年の値を繰り返します）。",
)
# drivers.sales: one of the two lines, or segments (the mode switch)
SALES_SERIES = (
    Series("growth", "売上高の前期比成長率", "number", "比率（0.03 = 3%増）"),
    Series("amounts", "売上高", "yen", "円"),
)
SEGMENT_NAME = Field("name", "部門名", required=True, width="m")
SEGMENT_MODE_LABEL = "立て方"
COST_SERIES = (  # drivers.cost_of_sales
    Series("ratio", "変動原価率（売上高比）", "number", "比率"),
    Series("fixed", "固定的な売上原価（減価償却費を除く）", "yen", "円"),
)
DEPRECIATION_SERIES = (Series("existing", "既存資産の減価償却費", "yen", "円"),)  # drivers.depreciation
SGA_HEAD = (  # drivers.sga[i]; its amount or ratio follows the kind
    Field("name", "科目名", required=True, width="m"),
    Field("kind", "区分", "select", choices=SGA_KINDS),
)
CAPEX_FIELDS = (
    Field("name", "名称", required=True),
    Field("year", "年度", "int", required=True, width="num"),
    Field("amount", "金額（円）", "yen", required=True, width="num"),
    Field("useful_life", "耐用年数", "int", required=True, width="num"),
    Field(
        "purpose",
        "目的",
        "select",
        choices=(("", "既定（維持更新）"), ("maintenance", "維持更新"), ("growth", "成長投資")),
        counts=False,
    ),
)
WC_BASIS = Field("basis", "基準", "select", choices=WC_BASES)  # drivers.working_capital.<item>
WC_UNIT_LABEL = "回転期間"
OTHER_SERIES = (  # keys of drivers itself
    *(Series(key, label, "yen", "円") for key, label in DRIVER_YEN_SERIES),
    Series("employees", "従業員数", "int", "人"),
)
OTHER_DEBT_RATE = Field(
    "rate",
    "金融機関以外の有利子負債の利率",
    "number",
    width="num",
    help="代表者借入金・リース債務など（banks にない有利子負債）。",
)
OTHER_DEBT_SERIES = (Series("repayment", "その返済額", "yen", "円"),)
TAX_FIELDS = (  # drivers.tax
    Field("rate", "実効税率", "number", required=True, width="num", help="例 0.335（33.5%）"),
    Field("reduced_rate", "軽減税率", "number", width="num", help="所得のうち軽減税率の適用上限まで"),
    Field("reduced_limit", "軽減税率の適用上限", "yen", width="num", help="中小法人は 8,000,000"),
    Field("per_capita", "住民税均等割", "yen", width="num", help="省略時 70,000（赤字でも負担）"),
    Field("loss_carryforward", "繰越欠損金（計画開始時）", "yen", width="num"),
    Field("offset_limit", "繰越欠損金の控除限度", "number", width="num", help="中小法人は 1（省略時 1）"),
)


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
    series.head = build_fields(b, row, item, SGA_HEAD, context=ctx)
    return {"series": series, "keep": keep_json(item, [*keys_of(SGA_HEAD), "amount", "ratio"]), "name": row}


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
        SEGMENT_NAME.build(b, row, seg, context=ctx),
        b.input(
            f"{row}._mode",
            "select",
            mode,
            tr(SEGMENT_MODE_LABEL),
            path="",
            choices=[("growth", tr("成長率")), ("amounts", tr("金額"))],
        ),
    ]
    return {"series": series, "keep": keep_json(seg, ["name", "growth", "amounts"]), "name": row}


def _capex_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"drivers.capex[{i}]"
    item = as_dict(item)
    inputs = build_fields(b, row, item, CAPEX_FIELDS)
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, keys_of(CAPEX_FIELDS))}


def _wc_row(b: Builder, key: str, label: str, d: dict[str, Any], cols: int) -> dict[str, Any]:
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
        cell_name=lambda y: f"{base}.v[{y}]",
    )
    b.node(base, tr(label))
    series.head = [
        b.input(f"{base}._unit", "select", unit, tr(WC_UNIT_LABEL), path="", choices=[(k, tr(v)) for k, v in WC_UNITS]),
        WC_BASIS.build(b, base, w),
    ]
    return {"series": series, "keep": keep_json(w, ["months", "days", WC_BASIS.key]), "name": base}


def _columns(d: dict[str, Any], doc: Mapping[str, Any]) -> int:
    """The grids' columns: the plan years, or more when a stored list is longer."""
    sales = as_dict(d.get("sales"))
    found: list[Any] = [s.value(sales) for s in SALES_SERIES]
    found += [s.value(as_dict(d.get("cost_of_sales"))) for s in COST_SERIES]
    found += [s.value(as_dict(d.get("depreciation"))) for s in DEPRECIATION_SERIES]
    found += [s.value(d) for s in OTHER_SERIES]
    found += [s.value(as_dict(d.get("other_debt"))) for s in OTHER_DEBT_SERIES]
    found += [obj(s, key) for s in as_list(d.get("sga")) for key in ("amount", "ratio")]
    found += [obj(s, key) for s in as_list(sales.get("segments")) for key in ("growth", "amounts")]
    found += [obj(w, u) for w in as_dict(d.get("working_capital")).values() for u in ("months", "days")]
    return grid_cols(doc, *found)


def build(b: Builder) -> dict[str, Any]:
    d = as_dict(b.doc.get("drivers"))
    sales = as_dict(d.get("sales"))
    cols = _columns(d, b.doc)
    b.node("drivers", tr("計画の前提"))
    mode = next((m for m, _l in SALES_MODES if m in sales), "growth")
    b.node("drivers.sales", tr("売上高"))
    out: dict[str, Any] = {
        "cols": cols,
        "year_heads": year_labels(b.doc, cols),
        "years": YEARS.build(b, "drivers", d),
        "sales_mode": b.input(
            "drivers.sales._mode",
            "select",
            mode,
            tr("売上高の立て方"),
            path="",
            choices=[(k, tr(v)) for k, v in SALES_MODES],
        ),
    }
    growth, amounts = build_series(b, "drivers.sales", sales, SALES_SERIES, cols)
    out["growth"], out["amounts"] = growth, amounts
    segments = as_list(sales.get("segments"))
    seg_rows = [_segment_row(b, i, s, cols) for i, s in enumerate(segments)]
    if b.wants_row("drivers.sales.segments") or (mode == "segments" and not seg_rows):
        seg_rows.append(_segment_row(b, len(segments), {}, cols))
    out["sales_lines"] = [{"mode": "growth", "row": growth}, {"mode": "amounts", "row": amounts}]
    out["segment_heads"] = [*heads_of((SEGMENT_NAME,)), tr(SEGMENT_MODE_LABEL)]
    out["sga_heads"] = heads_of(SGA_HEAD)
    out["wc_heads"] = [tr("項目"), tr(WC_UNIT_LABEL), *heads_of((WC_BASIS,))]
    out["segments"] = {
        "rows": seg_rows,
        "template": _segment_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, cols),
        "next": len(seg_rows),
        "list": "drivers.sales.segments",
    }
    b.node("drivers.sales.segments", tr("部門別売上"))
    b.node("drivers.cost_of_sales", tr("売上原価"))
    out["cost_lines"] = [
        *build_series(b, "drivers.cost_of_sales", as_dict(d.get("cost_of_sales")), COST_SERIES, cols),
        *build_series(b, "drivers.depreciation", as_dict(d.get("depreciation")), DEPRECIATION_SERIES, cols),
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
        "heads": heads_of(CAPEX_FIELDS),
    }
    b.node("drivers.working_capital", tr("運転資本"))
    out["working_capital"] = [_wc_row(b, key, label, d, cols) for key, label, _basis in WORKING_CAPITAL]
    out["other_lines"] = build_series(b, "drivers", d, OTHER_SERIES, cols)
    b.node("drivers.other_debt", tr("金融機関以外の有利子負債"))
    other_debt = as_dict(d.get("other_debt"))
    out["other_debt_rate"] = OTHER_DEBT_RATE.build(b, "drivers.other_debt", other_debt)
    (out["other_debt_repayment"],) = build_series(b, "drivers.other_debt", other_debt, OTHER_DEBT_SERIES, cols)
    b.node("drivers.tax", tr("税金"))
    out["tax"] = build_fields(b, "drivers.tax", as_dict(d.get("tax")), TAX_FIELDS)
    return out


def _read_sales(r: Reader) -> dict[str, Any]:
    """drivers.sales as the mode switch says: one of the two lines, or the segments."""
    mode = r.raw("drivers.sales._mode") or "growth"
    sales: dict[str, Any] = {}
    lines = {s.key: s for s in SALES_SERIES}
    if mode in lines:
        set_or_drop(sales, mode, lines[mode].read(r, "drivers.sales"))
        return sales

    def segment(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        name = SEGMENT_NAME.read(r, row)
        seg_mode = r.raw(f"{row}._mode") or "growth"
        values = read_series(r, series_cells(r, f"{row}.v"), "yen" if seg_mode == "amounts" else "number")
        if name is None and values is None:
            return None
        set_or_drop(out, SEGMENT_NAME.key, name)
        set_or_drop(out, seg_mode if seg_mode in {"growth", "amounts"} else "growth", values)
        return out

    sales["segments"] = r.kept_rows("drivers.sales.segments", segment)
    return sales


def read(r: Reader) -> dict[str, Any]:
    d = copy.deepcopy(as_dict(r.doc.get("drivers")))
    read_fields(r, "drivers", d, (YEARS,))
    d["sales"] = _read_sales(r)
    cost = as_dict(d.get("cost_of_sales"))
    read_fields(r, "drivers.cost_of_sales", cost, COST_SERIES)
    d["cost_of_sales"] = cost
    dep = as_dict(d.get("depreciation"))
    read_fields(r, "drivers.depreciation", dep, DEPRECIATION_SERIES)
    set_or_drop(d, "depreciation", dep)

    def sga(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        name_field, kind_field = SGA_HEAD
        name = name_field.read(r, row)
        kind = kind_field.read(r, row) or "fixed"
        values = read_series(r, series_cells(r, f"{row}.v"), "number" if kind == "variable" else "yen")
        if name is None and values is None:
            return None
        set_or_drop(out, name_field.key, name)
        out[kind_field.key] = kind
        set_or_drop(out, "ratio" if kind == "variable" else "amount", values)
        return out

    set_or_drop(d, "sga", r.kept_rows("drivers.sga", sga))
    set_or_drop(d, "capex", r.kept_rows("drivers.capex", read_row(r, CAPEX_FIELDS)))
    wc = as_dict(d.get("working_capital"))
    for key, _label, _basis in WORKING_CAPITAL:
        base = f"drivers.working_capital.{key}"
        unit = r.raw(f"{base}._unit")
        if unit not in {"months", "days"}:
            wc.pop(key, None)
            continue
        w = {k: v for k, v in as_dict(wc.get(key)).items() if k not in {"months", "days", WC_BASIS.key}}
        set_or_drop(w, unit, read_series(r, series_cells(r, f"{base}.v"), "number"))
        read_fields(r, base, w, (WC_BASIS,))
        wc[key] = w
    set_or_drop(d, "working_capital", wc)
    read_fields(r, "drivers", d, OTHER_SERIES)
    other = as_dict(d.get("other_debt"))
    read_fields(r, "drivers.other_debt", other, (OTHER_DEBT_RATE, *OTHER_DEBT_SERIES))
    set_or_drop(d, "other_debt", other)
    tax = as_dict(d.get("tax"))
    read_fields(r, "drivers.tax", tax, TAX_FIELDS)
    d["tax"] = tax
    return {"drivers": d}


def resize_series(doc: dict[str, Any], years: int) -> bool:
    """Make every per-year list `years` long (cut, or repeat the last value). True if any changed.

    Called when drivers.years changes, so lists typed for the old number of years stay valid.
    The lines are the `Series` tables above, the mode-switched series and the loans' schedule.
    """
    changed = False

    def fix(holder: Any, key: str) -> None:
        nonlocal changed
        if isinstance(holder, dict) and isinstance(holder.get(key), list) and holder[key]:
            values = holder[key]
            if len(values) != years:
                holder[key] = values[:years] + [values[-1]] * max(0, years - len(values))
                changed = True

    def fix_all(holder: Any, specs: tuple[Series, ...]) -> None:
        for spec in specs:
            fix(holder, spec.key)

    drivers = doc.get("drivers")
    if isinstance(drivers, dict):
        sales = drivers.get("sales")
        if isinstance(sales, dict):
            fix_all(sales, SALES_SERIES)
            for seg in as_list(sales.get("segments")):
                fix(seg, "growth")
                fix(seg, "amounts")
        fix_all(drivers.get("cost_of_sales"), COST_SERIES)
        for item in as_list(drivers.get("sga")):
            fix(item, "amount")
            fix(item, "ratio")
        fix_all(drivers.get("depreciation"), DEPRECIATION_SERIES)
        for wc in as_dict(drivers.get("working_capital")).values():
            fix(wc, "months")
            fix(wc, "days")
        fix_all(drivers, OTHER_SERIES)
        fix_all(drivers.get("other_debt"), OTHER_DEBT_SERIES)
    for bank in as_list(doc.get("banks")):
        for loan in as_list(obj(bank, "loans")):
            fix(loan, "schedule")
    return changed
