"""The editor step: financial support (金融支援): rescheduling and forgiveness."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    keep_of,
    set_or_drop,
    show,
)
from keiei_web.plans.steps.kit import (
    PLACEHOLDER,
    YES_DEFAULT,
    Builder,
    Reader,
    as_dict,
    as_list,
    obj,
    tr,
)

RESCHEDULING_FIELDS: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    (
        "basis",
        "返済原資の配分",
        "select",
        [("", "既定（残高プロラタ）"), ("balance", "残高プロラタ"), ("uncovered", "信用残高プロラタ")],
        "",
    ),
    ("from_year", "開始する計画年度", "int", [], "省略時 1"),
    ("until_year", "終了する計画年度", "int", [], "省略時 最終年度"),
    ("minimum_cash", "手元に残す現預金（円）", "yen", [], ""),
    ("capacity_share", "返済原資のうち返済に充てる割合", "number", [], "省略時 1（全額）"),
    ("deduct_maintenance_capex", "維持更新投資を返済原資から控除", "bool3", YES_DEFAULT, ""),
    ("cap_at_contractual", "約定返済額を上限にする", "bool3", YES_DEFAULT, ""),
]
FORGIVENESS_FIELDS = [
    ("bank", "金融機関", "text"),
    ("loan", "借入（任意）", "text"),
    ("amount", "免除額（円）", "yen"),
    ("year", "計画年度", "int"),
]


def _forgiveness_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"financial_support.forgiveness[{i}]"
    item = as_dict(item)
    inputs = [
        b.input(
            f"{row}.{key}",
            kind,
            item.get(key),
            tr(label),
            required=key != "loan",
            width="num" if kind != "text" else "",
            datalist={"bank": "dl-banks", "loan": "dl-loans"}.get(key, ""),
        )
        for key, label, kind in FORGIVENESS_FIELDS
    ]
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, [f[0] for f in FORGIVENESS_FIELDS])}


def build(b: Builder) -> dict[str, Any]:
    fs = as_dict(b.doc.get("financial_support"))
    resch = fs.get("rescheduling")
    b.node("financial_support", tr("金融支援"))
    b.node("financial_support.rescheduling", tr("返済条件の変更（リスケ）"))
    fields = []
    for key, label, kind, choices, help_text in RESCHEDULING_FIELDS:
        fields.append(
            b.input(
                f"financial_support.rescheduling.{key}",
                kind,
                obj(resch, key),
                tr(label),
                choices=[(k, tr(v)) for k, v in choices],
                help=tr(help_text) if help_text else "",
                width="num" if kind in {"int", "yen", "number"} else "",
            )
        )
    forgiveness = as_list(fs.get("forgiveness"))
    rows = [_forgiveness_row(b, i, x) for i, x in enumerate(forgiveness)]
    if b.wants_row("financial_support.forgiveness"):
        rows.append(_forgiveness_row(b, len(forgiveness), {}))
    b.node("financial_support.forgiveness", tr("債務免除"))
    banks = as_list(b.doc.get("banks"))
    new_money = [
        {"bank": obj(bank, "name"), **as_dict(nl), "amount_text": show("yen", obj(nl, "amount"))}
        for bank in banks
        for nl in as_list(obj(bank, "new_loans"))
        if obj(nl, "support") is not False
    ]
    return {
        "rescheduling_on": b.input(
            "financial_support.rescheduling._on",
            "select",
            "yes" if isinstance(resch, dict) else "no",
            tr("返済条件の変更（リスケ）を依頼する"),
            path="",
            choices=[("no", tr("依頼しない")), ("yes", tr("依頼する"))],
        ),
        "rescheduling": fields,
        "forgiveness": {
            "rows": rows,
            "list": "financial_support.forgiveness",
            "next": len(rows),
            "template": _forgiveness_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
            "heads": [tr(f[1]) for f in FORGIVENESS_FIELDS],
        },
        "notes": b.input("financial_support.notes", "textarea", fs.get("notes"), tr("金融支援についての説明")),
        "bank_names": [obj(x, "name") for x in banks if obj(x, "name")],
        "loan_names": [
            obj(loan, "name")
            for x in banks
            for key in ("loans", "new_loans")
            for loan in as_list(obj(x, key))
            if obj(loan, "name")
        ],
        "new_money": new_money,
    }


def read(r: Reader) -> dict[str, Any]:
    fs = as_dict(r.doc.get("financial_support"))
    if r.raw("financial_support.rescheduling._on") == "yes":
        resch = as_dict(fs.get("rescheduling"))
        for key, _label, kind, _c, _h in RESCHEDULING_FIELDS:
            set_or_drop(resch, key, r.get(f"financial_support.rescheduling.{key}", kind))
        fs["rescheduling"] = resch  # {} = rescheduling with every default
    else:
        fs.pop("rescheduling", None)

    def forgiveness(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in FORGIVENESS_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    set_or_drop(fs, "forgiveness", r.kept_rows("financial_support.forgiveness", forgiveness))
    set_or_drop(fs, "notes", r.get("financial_support.notes", "textarea"))
    return {"financial_support": fs or None}
