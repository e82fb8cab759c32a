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
    Reader,
    as_dict,
    as_list,
    obj,
    tr,
)
from keiei_web.plans.steps.lines import (
    EFFECT_LINES,
)

ACTION_FIELDS = [
    ("measure", "施策", "text"),
    ("owner", "担当", "text"),
    ("deadline", "期限", "date"),
    ("kpi", "指標（KPI）", "text"),
]
EFFECT_FIELDS = [
    ("line", "効果が及ぶ行", "select"),
    ("item", "販管費の科目", "text"),
    ("segment", "部門", "text"),
    ("amount", "金額（円・年額）", "yen"),
    ("ratio", "比率", "number"),
    ("from_year", "開始年度", "int"),
    ("until_year", "終了年度", "int"),
]


def _effect_row(b: Builder, a: int | str, i: int | str, effect: Any) -> dict[str, Any]:
    row = f"action_plan[{a}].effects[{i}]"
    effect = as_dict(effect)
    inputs = []
    for key, label, kind in EFFECT_FIELDS:
        kw: dict[str, Any] = {}
        if key == "line":
            kw["choices"] = [("", "—")] + [(k, tr(v)) for k, v in EFFECT_LINES]
        if kind in {"yen", "int", "number"}:
            kw["width"] = "num"
        kw["datalist"] = {"item": "dl-sga", "segment": "dl-segments"}.get(key, "")
        inputs.append(b.input(f"{row}.{key}", kind, effect.get(key), tr(label), **kw))
    b.node(row, tr("効果"))
    return {"name": row, "inputs": inputs, "keep": keep_json(effect, [f[0] for f in EFFECT_FIELDS])}


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
        "inputs": [
            b.input(
                f"{row}.{key}",
                kind,
                action.get(key),
                tr(label),
                required=key == "measure",
                context=ctx,
                width="l" if key == "measure" else "",
            )
            for key, label, kind in ACTION_FIELDS
        ],
        "detail": b.input(f"{row}.detail", "textarea", action.get("detail"), tr("具体的な内容"), context=ctx),
        "keep": keep_json(action, [f[0] for f in ACTION_FIELDS] + ["detail", "effects"]),
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
        "effect_heads": [tr(f[1]) for f in EFFECT_FIELDS],
        "sga_names": [obj(s, "name") for s in as_list(d.get("sga")) if obj(s, "name")],
        "segment_names": [obj(s, "name") for s in as_list(obj(d, "sales", "segments")) if obj(s, "name")],
    }


def read(r: Reader) -> dict[str, Any]:
    def effect(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in EFFECT_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or (value is not None and key != "line")
            set_or_drop(out, key, value)
        return out if typed else None

    def action(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in ACTION_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        detail = r.get(f"{row}.detail", "textarea")
        set_or_drop(out, "detail", detail)
        effects = r.kept_rows(f"{row}.effects", effect)
        set_or_drop(out, "effects", effects)
        return out if (typed or detail or effects) else None

    return {"action_plan": r.kept_rows("action_plan", action) or None}
