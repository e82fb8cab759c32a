"""The editor step: business model (ビジネスモデル俯瞰図): parties, flows, strengths and weaknesses."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    keep_of,
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
)
from keiei_web.plans.steps.lines import (
    FLOW_KINDS,
    PARTY_GROUPS,
)

PARTY_FIELDS = [
    ("name", "名称", "text", True),
    ("role", "役割・取引内容", "text", False),
    ("share", "構成比", "number", False),
    ("note", "備考", "text", False),
]
FLOW_FIELDS = [("from", "から", "text", True), ("to", "へ", "text", True), ("what", "内容", "text", False)]


def _party_row(b: Builder, group: str, i: int | str, party: Any) -> dict[str, Any]:
    row = f"business_model.{group}[{i}]"
    party = as_dict(party)
    b.node(row, tr("%(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {
        "name": row,
        "inputs": [
            b.input(
                f"{row}.{key}", kind, party.get(key), tr(label), required=req, width="num" if kind == "number" else ""
            )
            for key, label, kind, req in PARTY_FIELDS
        ],
        "keep": keep_json(party, [f[0] for f in PARTY_FIELDS]),
    }


def _flow_row(b: Builder, i: int | str, flow: Any) -> dict[str, Any]:
    row = f"business_model.flows[{i}]"
    flow = as_dict(flow)
    inputs = [
        b.input(
            f"{row}.{key}",
            kind,
            flow.get(key),
            tr(label),
            required=req,
            datalist="" if key == "what" else "dl-parties",
            width="l" if key == "what" else "",
        )
        for key, label, kind, req in FLOW_FIELDS
    ]
    inputs.append(
        b.input(f"{row}.kind", "select", flow.get("kind"), tr("種類"), choices=[(k, tr(v)) for k, v in FLOW_KINDS])
    )
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(flow, ["from", "to", "what", "kind"])}


def build(b: Builder) -> dict[str, Any]:
    bm = as_dict(b.doc.get("business_model"))
    b.node("business_model", tr("ビジネスモデル"))
    groups = []
    for key, label in PARTY_GROUPS:
        parties = as_list(bm.get(key))
        rows = [_party_row(b, key, i, p) for i, p in enumerate(parties)]
        if b.wants_row(f"business_model.{key}") or not rows:
            rows.append(_party_row(b, key, len(parties), {}))
        groups.append(
            {
                "key": key,
                "label": tr(label),
                "list": f"business_model.{key}",
                "rows": rows,
                "template": _party_row(Builder({}, disabled=b.disabled), key, PLACEHOLDER, {}),
                "next": len(rows),
                "node": b.node(f"business_model.{key}", tr(label)),
            }
        )
    flows = as_list(bm.get("flows"))
    flow_rows = [_flow_row(b, i, f) for i, f in enumerate(flows)]
    if b.wants_row("business_model.flows") or not flow_rows:
        flow_rows.append(_flow_row(b, len(flows), {}))
    return {
        "groups": groups,
        "party_heads": [tr(f[1]) for f in PARTY_FIELDS],
        "flows": {
            "list": "business_model.flows",
            "rows": flow_rows,
            "template": _flow_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
            "next": len(flow_rows),
        },
        "flow_heads": [tr(f[1]) for f in FLOW_FIELDS] + [tr("種類")],
        "party_names": [
            n
            for n in [obj(b.doc, "company", "name")]
            + [obj(p, "name") for k, _l in PARTY_GROUPS for p in as_list(bm.get(k))]
            if isinstance(n, str) and n
        ],
        "strengths": b.input("business_model.strengths", "lines", bm.get("strengths"), tr("強み（1行に1つ）")),
        "weaknesses": b.input("business_model.weaknesses", "lines", bm.get("weaknesses"), tr("弱み（1行に1つ）")),
    }


def read(r: Reader) -> dict[str, Any]:
    bm = as_dict(r.doc.get("business_model"))

    def party(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind, _req in PARTY_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    def flow(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind, _req in FLOW_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        set_or_drop(out, "kind", r.get(f"{row}.kind", "select"))
        return out if typed else None

    for key, _label in PARTY_GROUPS:
        set_or_drop(bm, key, r.kept_rows(f"business_model.{key}", party))
    set_or_drop(bm, "flows", r.kept_rows("business_model.flows", flow))
    set_or_drop(bm, "strengths", r.get("business_model.strengths", "lines"))
    set_or_drop(bm, "weaknesses", r.get("business_model.weaknesses", "lines"))
    return {"business_model": bm or None}
