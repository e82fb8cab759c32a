"""The editor step: financial support (金融支援): rescheduling and forgiveness."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    set_or_drop,
    show,
)
from keiei_web.plans.steps.kit import (
    PLACEHOLDER,
    YES_DEFAULT,
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

RESCHEDULING_FIELDS = (
    Field(
        "basis",
        "返済原資の配分",
        "select",
        choices=(("", "既定（残高プロラタ）"), ("balance", "残高プロラタ"), ("uncovered", "信用残高プロラタ")),
    ),
    Field("from_year", "開始する計画年度", "int", help="省略時 1", width="num"),
    Field("until_year", "終了する計画年度", "int", help="省略時 最終年度", width="num"),
    Field("minimum_cash", "手元に残す現預金（円）", "yen", width="num"),
    Field("capacity_share", "返済原資のうち返済に充てる割合", "number", help="省略時 1（全額）", width="num"),
    Field("deduct_maintenance_capex", "維持更新投資を返済原資から控除", "bool3", choices=tuple(YES_DEFAULT)),
    Field("cap_at_contractual", "約定返済額を上限にする", "bool3", choices=tuple(YES_DEFAULT)),
)
FORGIVENESS_FIELDS = (
    Field("bank", "金融機関", required=True, datalist="dl-banks"),
    Field("loan", "借入（任意）", datalist="dl-loans"),
    Field("amount", "免除額（円）", "yen", required=True, width="num"),
    Field("year", "計画年度", "int", required=True, width="num"),
)

NOTES = Field("notes", "金融支援についての説明", "textarea")


def _forgiveness_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"financial_support.forgiveness[{i}]"
    item = as_dict(item)
    inputs = build_fields(b, row, item, FORGIVENESS_FIELDS)
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, keys_of(FORGIVENESS_FIELDS))}


def build(b: Builder) -> dict[str, Any]:
    fs = as_dict(b.doc.get("financial_support"))
    resch = fs.get("rescheduling")
    b.node("financial_support", tr("金融支援"))
    b.node("financial_support.rescheduling", tr("返済条件の変更（リスケ）"))
    fields = build_fields(b, "financial_support.rescheduling", as_dict(resch), RESCHEDULING_FIELDS)
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
            "heads": heads_of(FORGIVENESS_FIELDS),
        },
        "notes": NOTES.build(b, "financial_support", fs),
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
        read_fields(r, "financial_support.rescheduling", resch, RESCHEDULING_FIELDS)
        fs["rescheduling"] = resch  # {} = rescheduling with every default
    else:
        fs.pop("rescheduling", None)

    set_or_drop(fs, "forgiveness", r.kept_rows("financial_support.forgiveness", read_row(r, FORGIVENESS_FIELDS)))
    read_fields(r, "financial_support", fs, (NOTES,))
    return {"financial_support": fs or None}
