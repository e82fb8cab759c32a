"""The editor step: the monthly cash table (資金繰り表)."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    deleted,
    keep_json,
    keep_of,
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    PLACEHOLDER,
    Builder,
    Field,
    Reader,
    as_dict,
    as_list,
    base_period,
    build_fields,
    keys_of,
    obj,
    period_of,
    read_fields,
    tr,
    unique_label,
)
from keiei_web.plans.steps.lines import (
    CASH_GROUPS,
)

MONTH_FIELDS = (  # cash_table.months[j], one column each
    Field("month", "月", "period", placeholder="2025-04", width="num"),
    Field("kind", "実績・計画", "select", choices=(("actual", "実績"), ("plan", "計画"))),
)
OPENING = Field(
    "opening_cash",
    "最初の月の月初現預金（円）",
    "yen",
    width="num",
    help="省略すると、最初の月の前月末の貸借対照表の現預金を使います。",
)
ROW_LABEL = Field("label", "科目")  # a row of a group: its cells are months[j].<group>.<label>


def build(b: Builder) -> dict[str, Any]:
    ct = as_dict(b.doc.get("cash_table"))
    months = as_list(ct.get("months"))
    b.node("cash_table", tr("資金繰り表"))
    b.node("cash_table.months", tr("月"))
    shown = [as_dict(m) for m in months]
    if b.wants_row("cash_table.months") or not shown:
        # the month after the last column's, or after the last actual year for the first one
        last = period_of(obj(shown[-1], "month")) if shown else base_period(b.doc)
        shown.append({"month": str(last.plus_months(1)), "kind": "plan"} if last else {})
    heads = []
    for j, m in enumerate(shown):
        base = f"cash_table.months[{j}]"
        ctx = str(m.get("month") or tr("%(n)d列目") % {"n": j + 1})
        b.node(base, "", ctx)
        heads.append(
            {
                **dict(zip(keys_of(MONTH_FIELDS), build_fields(b, base, m, MONTH_FIELDS, context=ctx), strict=True)),
                "keep": keep_json(m, [*keys_of(MONTH_FIELDS), *[g for g, _l in CASH_GROUPS]]),
                "name": base,
            }
        )
    groups = []
    balance: list[int | None] = []
    opening = ct.get("opening_cash")
    running = opening if isinstance(opening, int) else None
    nets = [0 for _m in shown]
    for group, label in CASH_GROUPS:
        labels: list[str | None] = []
        for m in shown:
            for label_typed in as_dict(m.get(group)):
                if label_typed not in labels:
                    labels.append(label_typed)
        if b.wants_row(f"cash.{group}") or not labels:
            labels.append(None)  # a new row
        rows = []
        for r, name in enumerate(labels):
            cells = []
            for j, m in enumerate(shown):
                value = obj(m, group, name) if name is not None else None
                path = f"cash_table.months[{j}].{group}.{name}" if name is not None else ""
                cell = b.input(
                    f"cash.{group}[{r}].m[{j}]",
                    "yen",
                    value,
                    name or "",
                    path=path,
                    width="num",
                    context=str(m.get("month") or ""),
                )
                cells.append(cell)
                if isinstance(value, int):
                    nets[j] += value if group.endswith("_in") else -value
            rows.append(
                {
                    "name": f"cash.{group}[{r}]",
                    "label": ROW_LABEL.build(b, f"cash.{group}[{r}]", {"label": name}, path=""),
                    "cells": cells,
                }
            )
        b.node(f"cash.{group}", tr(label))
        tpl = Builder({}, disabled=b.disabled)
        template = {
            "name": f"cash.{group}[{PLACEHOLDER}]",
            "label": ROW_LABEL.build(tpl, f"cash.{group}[{PLACEHOLDER}]", {}, path=""),
            "cells": [
                tpl.input(f"cash.{group}[{PLACEHOLDER}].m[{j}]", "yen", None, path="", width="num")
                for j in range(len(shown))
            ],
        }
        groups.append(
            {
                "key": group,
                "label": tr(label),
                "rows": rows,
                "template": template,
                "next": len(rows),
                "list": f"cash.{group}",
            }
        )
    for j in range(len(shown)):
        if running is not None:
            running += nets[j]
        balance.append(running)
    return {
        "opening": OPENING.build(b, "cash_table", ct),
        "heads": heads,
        "groups": groups,
        "nets": nets,
        "balance": balance,
        "cols": len(shown),
    }


def read(r: Reader) -> dict[str, Any]:
    ct = as_dict(r.doc.get("cash_table"))
    read_fields(r, "cash_table", ct, (OPENING,))
    cols = r.rows("cash_table.months")
    months: dict[int, dict[str, Any]] = {}
    for j in cols:
        base = f"cash_table.months[{j}]"
        if deleted(r.post, base):
            continue
        m = keep_of(r.post, base)
        read_fields(r, base, m, MONTH_FIELDS)
        months[j] = m
    typed_cols: set[int] = set()
    for group, _label in CASH_GROUPS:
        used: set[str] = set()
        for i in r.rows(f"cash.{group}"):
            row = f"cash.{group}[{i}]"
            if deleted(r.post, row):
                continue
            name = ROW_LABEL.read(r, row)
            values = {j: r.get(f"{row}.m[{j}]", "yen") for j in months}
            values = {j: v for j, v in values.items() if v is not None}
            if not values:
                continue
            label = unique_label(r, name, used, tr("（科目名なし）"))
            for j, v in values.items():
                months[j].setdefault(group, {})[label] = v
                typed_cols.add(j)
    out = []
    dropped = False
    for j in cols:
        if j not in months:
            dropped = True
            continue
        m = months[j]
        has_text = any(k in m for k in ("month", "note")) or j in typed_cols
        if not has_text:
            dropped = True
            continue
        if dropped:
            r.reindexed = True
        out.append(m)
    set_or_drop(ct, "months", out)
    return {"cash_table": ct or None}
