"""The editor step: banks and loans (金融機関・借入): existing loans and new loans per bank."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    keep_json,
    keep_of,
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    NO_DEFAULT,
    PLACEHOLDER,
    PLACEHOLDER2,
    YES_DEFAULT,
    Builder,
    Reader,
    as_dict,
    as_list,
    obj,
    tr,
)

LOAN_REPAY = [
    ("monthly_repayment", "月額"),
    ("annual_repayment", "年額"),
    ("schedule", "年度別"),
    ("", "なし（期日一括など）"),
]
NEW_LOAN_REPAY = [("term_years", "返済年数"), ("annual_repayment", "年間返済額"), ("", "なし")]
LOAN_TEXT = [
    ("maturity", "最終期限", "period"),
    ("covered", "保全額（円）", "yen"),
    ("guarantor", "保証", "text"),
    ("collateral", "担保", "text"),
    ("purpose", "資金使途", "text"),
]


def _loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].loans[{i}]"
    loan = as_dict(loan)
    repay = next((k for k, _l in LOAN_REPAY if k and k in loan), "monthly_repayment" if not loan else "")
    ctx = tr("借入 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        b.input(f"{row}.name", "text", loan.get("name"), tr("名称"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}.balance", "yen", loan.get("balance"), tr("残高（基準日）"), required=True, width="num", context=ctx
        ),
        b.input(
            f"{row}.rate",
            "number",
            loan.get("rate"),
            tr("年利"),
            required=True,
            width="num",
            placeholder="0.012",
            context=ctx,
        ),
        b.input(f"{row}._repay", "select", repay, tr("約定返済"), path="", choices=[(k, tr(v)) for k, v in LOAN_REPAY]),
        b.input(
            f"{row}.repay",
            "yen_list",
            loan.get(repay) if repay else None,
            tr("返済額"),
            path=f"{row}.{repay or 'monthly_repayment'}",
            width="num",
            context=ctx,
            help=tr("年度別は / で区切ります"),
        ),
    ]
    inputs += [
        b.input(
            f"{row}.{key}",
            kind,
            loan.get(key),
            tr(label),
            width="num" if kind != "text" else "l" if key == "collateral" else "",
            context=ctx,
        )
        for key, label, kind in LOAN_TEXT
    ]
    inputs.append(
        b.input(
            f"{row}.rescheduled",
            "bool3",
            loan.get("rescheduled"),
            tr("リスケの対象"),
            choices=[(k, tr(v)) for k, v in YES_DEFAULT],
            context=ctx,
        )
    )
    b.node(row, "", ctx)
    managed = ["name", "balance", "rate", "monthly_repayment", "annual_repayment", "schedule", "rescheduled"] + [
        k for k, _l, _k in LOAN_TEXT
    ]
    return {"name": row, "inputs": inputs, "keep": keep_json(loan, managed)}


def _new_loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].new_loans[{i}]"
    loan = as_dict(loan)
    repay = next((k for k, _l in NEW_LOAN_REPAY if k and k in loan), "term_years" if not loan else "")
    ctx = tr("新規融資 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        b.input(f"{row}.name", "text", loan.get("name"), tr("名称"), required=True, context=ctx, width="m"),
        b.input(f"{row}.year", "int", loan.get("year"), tr("実行年度"), required=True, width="num", context=ctx),
        b.input(f"{row}.amount", "yen", loan.get("amount"), tr("金額（円）"), required=True, width="num", context=ctx),
        b.input(f"{row}.rate", "number", loan.get("rate"), tr("年利"), required=True, width="num", context=ctx),
        b.input(f"{row}._repay", "select", repay, tr("返済"), path="", choices=[(k, tr(v)) for k, v in NEW_LOAN_REPAY]),
        b.input(
            f"{row}.repay",
            "yen",
            loan.get(repay) if repay else None,
            tr("年数・金額"),
            path=f"{row}.{repay or 'term_years'}",
            width="num",
            context=ctx,
        ),
        b.input(f"{row}.grace_years", "int", loan.get("grace_years"), tr("据置年数"), width="num", context=ctx),
    ]
    inputs += [
        b.input(
            f"{row}.{key}",
            kind,
            loan.get(key),
            tr(label),
            width="num" if kind != "text" else "l" if key == "collateral" else "",
            context=ctx,
        )
        for key, label, kind in LOAN_TEXT
        if key != "maturity"
    ]
    inputs.append(
        b.input(
            f"{row}.support",
            "bool3",
            loan.get("support"),
            tr("金融支援として依頼"),
            choices=[(k, tr(v)) for k, v in YES_DEFAULT],
            context=ctx,
        )
    )
    inputs.append(
        b.input(
            f"{row}.rescheduled",
            "bool3",
            loan.get("rescheduled"),
            tr("リスケの対象"),
            choices=[(k, tr(v)) for k, v in NO_DEFAULT],
            context=ctx,
        )
    )
    b.node(row, "", ctx)
    managed = [
        "name",
        "year",
        "amount",
        "rate",
        "term_years",
        "annual_repayment",
        "grace_years",
        "support",
        "rescheduled",
        "covered",
        "guarantor",
        "collateral",
        "purpose",
    ]
    return {"name": row, "inputs": inputs, "keep": keep_json(loan, managed)}


def _bank_row(b: Builder, i: int | str, bank: Any) -> dict[str, Any]:
    row = f"banks[{i}]"
    bank = as_dict(bank)
    ctx = str(bank.get("name") or tr("金融機関"))
    loans = as_list(bank.get("loans"))
    new_loans = as_list(bank.get("new_loans"))
    loan_rows = [_loan_row(b, i, j, x) for j, x in enumerate(loans)]
    if b.wants_row(f"{row}.loans") or not loan_rows:
        loan_rows.append(_loan_row(b, i, len(loans), {}))
    new_rows = [_new_loan_row(b, i, j, x) for j, x in enumerate(new_loans)]
    if b.wants_row(f"{row}.new_loans"):
        new_rows.append(_new_loan_row(b, i, len(new_loans), {}))
    b.node(row, "", ctx)
    b.node(f"{row}.loans", tr("借入"), ctx)
    b.node(f"{row}.new_loans", tr("新規融資"), ctx)
    tpl = Builder({}, disabled=b.disabled)
    total = sum(x["balance"] for x in loans if isinstance(obj(x, "balance"), int))
    return {
        "name": row,
        "index": i,
        "inputs": [
            b.input(f"{row}.name", "text", bank.get("name"), tr("金融機関名"), required=True, width="m", context=ctx),
            b.input(
                f"{row}.type",
                "text",
                bank.get("type"),
                tr("業態"),
                placeholder=tr("地方銀行・信用金庫など"),
                width="m",
                context=ctx,
            ),
            b.input(f"{row}.branch", "text", bank.get("branch"), tr("支店"), width="m", context=ctx),
            b.input(
                f"{row}.main",
                "bool3",
                bank.get("main"),
                tr("メインバンク"),
                choices=[(k, tr(v)) for k, v in NO_DEFAULT],
                context=ctx,
            ),
        ],
        "keep": keep_json(bank, ["name", "type", "branch", "main", "loans", "new_loans"]),
        "loans": {
            "rows": loan_rows,
            "list": f"{row}.loans",
            "next": len(loan_rows),
            "template": _loan_row(tpl, i, PLACEHOLDER2, {}),
        },
        "new_loans": {
            "rows": new_rows,
            "list": f"{row}.new_loans",
            "next": len(new_rows),
            "template": _new_loan_row(tpl, i, PLACEHOLDER2, {}),
        },
        "total": total,
    }


def build(b: Builder) -> dict[str, Any]:
    banks = as_list(b.doc.get("banks"))
    rows = [_bank_row(b, i, x) for i, x in enumerate(banks)]
    if b.wants_row("banks") or not rows:
        rows.append(_bank_row(b, len(banks), {}))
    b.node("banks", tr("金融機関"))
    actuals = as_list(b.doc.get("actuals"))
    debt = obj(actuals[-1], "bs", "interest_bearing_debt") if actuals else None
    total = sum(r["total"] for r in rows)
    tpl = Builder({}, disabled=b.disabled)
    return {
        "banks": {"rows": rows, "list": "banks", "next": len(rows), "template": _bank_row(tpl, PLACEHOLDER, {})},
        "loan_heads": [i.label for i in _loan_row(Builder({}), 0, 0, {})["inputs"]],
        "new_loan_heads": [i.label for i in _new_loan_row(Builder({}), 0, 0, {})["inputs"]],
        "total_balance": total,
        "base_debt": debt if isinstance(debt, int) else None,
        "other_debt": debt - total if isinstance(debt, int) else None,
    }


def read(r: Reader) -> dict[str, Any]:
    def loan(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, kind in [("name", "text"), ("balance", "yen"), ("rate", "number")] + [
            (k, kind) for k, _l, kind in LOAN_TEXT
        ]:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        repay = r.raw(f"{row}._repay")
        for key, _label in LOAN_REPAY:
            if key:
                out.pop(key, None)
        if repay in {"monthly_repayment", "annual_repayment", "schedule"}:
            value = r.get(f"{row}.repay", "yen_list" if repay == "schedule" else "yen")
            typed = typed or value is not None
            set_or_drop(out, repay, value)
        set_or_drop(out, "rescheduled", r.get(f"{row}.rescheduled", "bool3"))
        return out if typed else None

    def new_loan(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        fields = [("name", "text"), ("year", "int"), ("amount", "yen"), ("rate", "number"), ("grace_years", "int")]
        fields += [(k, kind) for k, _l, kind in LOAN_TEXT if k != "maturity"]
        for key, kind in fields:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        repay = r.raw(f"{row}._repay")
        out.pop("term_years", None)
        out.pop("annual_repayment", None)
        if repay in {"term_years", "annual_repayment"}:
            value = r.get(f"{row}.repay", "int" if repay == "term_years" else "yen")
            typed = typed or value is not None
            set_or_drop(out, repay, value)
        set_or_drop(out, "support", r.get(f"{row}.support", "bool3"))
        set_or_drop(out, "rescheduled", r.get(f"{row}.rescheduled", "bool3"))
        return out if typed else None

    def bank(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key in ("name", "type", "branch"):
            value = r.get(f"{row}.{key}", "text")
            typed = typed or value is not None
            set_or_drop(out, key, value)
        set_or_drop(out, "main", r.get(f"{row}.main", "bool3"))
        loans = r.kept_rows(f"{row}.loans", loan)
        new_loans = r.kept_rows(f"{row}.new_loans", new_loan)
        set_or_drop(out, "loans", loans)
        set_or_drop(out, "new_loans", new_loans)
        return out if (typed or loans or new_loans) else None

    return {"banks": r.kept_rows("banks", bank) or None}
