"""The editor step: the action plan (アクションプラン): measures and their effects on the figures."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    keep_of,
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    PLACEHOLDER,
    PLACEHOLDER2,
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
    EFFECT_LINES,
)

ACTION_FIELDS = (
    Field("measure", "施策", required=True, width="l"),
    Field("owner", "担当"),
    Field("deadline", "期限", "date"),
    Field("kpi", "指標（KPI）"),
)
DETAIL = Field("detail", "具体的な内容", "textarea")
EFFECT_FIELDS = (
    Field("line", "効果が及ぶ行", "select", choices=(("", "—"), *EFFECT_LINES), counts=False),
    Field("item", "販管費の科目", datalist="dl-sga"),
    Field("segment", "部門", datalist="dl-segments"),
    Field("amount", "金額（円・年額）", "yen", width="num"),
    Field("ratio", "比率", "number", width="num"),
    Field("from_year", "開始年度", "int", width="num"),
    Field("until_year", "終了年度", "int", width="num"),
)


def _effect_row(b: Builder, a: int | str, i: int | str, effect: Any) -> dict[str, Any]:
    row = f"action_plan[{a}].effects[{i}]"
    effect = as_dict(effect)
    inputs = build_fields(b, row, effect, EFFECT_FIELDS)
    b.node(row, tr("効果"))
    return {"name": row, "inputs": inputs, "keep": keep_json(effect, keys_of(EFFECT_FIELDS))}


def _action_row(b: Builder, i: int | str, action: Any) -> dict[str, Any]:
    row = f"action_plan[{i}]"
    action = as_dict(action)
    ctx = tr("施策 %(name)s") % {"name": action.get("measure") or (i + 1 if isinstance(i, int) else "")}
    effects = as_list(action.get("effects"))
    effect_rows = [_effect_row(b, i, j, e) for j, e in enumerate(effects)]
    if b.wants_row(f"{row}.effects"):
        effect_rows.append(_effect_row(b, i, len(effects), {}))
    b.node(row, "", ctx)
    b.node(f"{row}.effects", tr("数値への効果"), ctx)
    return {
        "name": row,
        "index": i,
        "inputs": build_fields(b, row, action, ACTION_FIELDS, context=ctx),
        "detail": DETAIL.build(b, row, action, context=ctx),
        "keep": keep_json(action, [*keys_of(ACTION_FIELDS), "detail", "effects"]),
        "effects": {
            "rows": effect_rows,
            "list": f"{row}.effects",
            "next": len(effect_rows),
            "template": _effect_row(Builder({}, disabled=b.disabled), i, PLACEHOLDER2, {}),
        },
    }


def build(b: Builder) -> dict[str, Any]:
    actions = as_list(b.doc.get("action_plan"))
    rows = [_action_row(b, i, a) for i, a in enumerate(actions)]
    if b.wants_row("action_plan") or not rows:
        rows.append(_action_row(b, len(actions), {}))
    b.node("action_plan", tr("アクションプラン"))
    d = as_dict(b.doc.get("drivers"))
    return {
        "actions": {
            "rows": rows,
            "list": "action_plan",
            "next": len(rows),
            "template": _action_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
        },
        "effect_heads": heads_of(EFFECT_FIELDS),
        "sga_names": [obj(s, "name") for s in as_list(d.get("sga")) if obj(s, "name")],
        "segment_names": [obj(s, "name") for s in as_list(obj(d, "sales", "segments")) if obj(s, "name")],
    }


def read(r: Reader) -> dict[str, Any]:
    def action(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = read_fields(r, row, out, ACTION_FIELDS)
        detail = DETAIL.read(r, row)
        set_or_drop(out, "detail", detail)
        effects = r.kept_rows(f"{row}.effects", read_row(r, EFFECT_FIELDS))
        set_or_drop(out, "effects", effects)
        return out if (typed or detail or effects) else None

    return {"action_plan": r.kept_rows("action_plan", action) or None}
