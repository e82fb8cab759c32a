"""The editor step: business model (ビジネスモデル俯瞰図): parties, flows, strengths and weaknesses."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
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
)
from keiei_web.plans.steps.lines import (
    FLOW_KINDS,
    PARTY_GROUPS,
)

PARTY_FIELDS = (
    Field("name", "名称", required=True),
    Field("role", "役割・取引内容"),
    Field("share", "構成比", "number", width="num"),
    Field("note", "備考"),
)
FLOW_FIELDS = (
    Field("from", "から", required=True, datalist="dl-parties"),
    Field("to", "へ", required=True, datalist="dl-parties"),
    Field("what", "内容", width="l"),
    Field("kind", "種類", "select", choices=tuple(FLOW_KINDS), counts=False),
)
STRENGTHS = Field("strengths", "強み（1行に1つ）", "lines")
WEAKNESSES = Field("weaknesses", "弱み（1行に1つ）", "lines")


def _party_row(b: Builder, group: str, i: int | str, party: Any) -> dict[str, Any]:
    row = f"business_model.{group}[{i}]"
    party = as_dict(party)
    b.node(row, tr("%(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {
        "name": row,
        "inputs": build_fields(b, row, party, PARTY_FIELDS),
        "keep": keep_json(party, keys_of(PARTY_FIELDS)),
    }


def _flow_row(b: Builder, i: int | str, flow: Any) -> dict[str, Any]:
    row = f"business_model.flows[{i}]"
    flow = as_dict(flow)
    inputs = build_fields(b, row, flow, FLOW_FIELDS)
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(flow, keys_of(FLOW_FIELDS))}


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
        "party_heads": heads_of(PARTY_FIELDS),
        "flows": {
            "list": "business_model.flows",
            "rows": flow_rows,
            "template": _flow_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
            "next": len(flow_rows),
        },
        "flow_heads": heads_of(FLOW_FIELDS),
        "party_names": [
            n
            for n in [obj(b.doc, "company", "name")]
            + [obj(p, "name") for k, _l in PARTY_GROUPS for p in as_list(bm.get(k))]
            if isinstance(n, str) and n
        ],
        "strengths": STRENGTHS.build(b, "business_model", bm),
        "weaknesses": WEAKNESSES.build(b, "business_model", bm),
    }


def read(r: Reader) -> dict[str, Any]:
    bm = as_dict(r.doc.get("business_model"))
    for key, _label in PARTY_GROUPS:
        set_or_drop(bm, key, r.kept_rows(f"business_model.{key}", read_row(r, PARTY_FIELDS)))
    set_or_drop(bm, "flows", r.kept_rows("business_model.flows", read_row(r, FLOW_FIELDS)))
    read_fields(r, "business_model", bm, (STRENGTHS, WEAKNESSES))
    return {"business_model": bm or None}
