"""The editor step: banks and loans (金融機関・借入): existing loans and new loans per bank.

Every input is declared once in the tables below; the hand-written code is the repayment mode
switch of a loan (`_repay`: monthly, annual, by year or none; for a new loan a term or an
annual amount), which decides the key of the file the one `repay` input goes to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keiei_web.plans.formkit import (
    Input,
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
    Field,
    Reader,
    as_dict,
    as_list,
    build_fields,
    keys_of,
    obj,
    read_fields,
    tr,
)

BANK_FIELDS = (
    Field("name", "金融機関名", required=True, width="m"),
    Field("type", "業態", placeholder="地方銀行・信用金庫など", width="m"),
    Field("branch", "支店", width="m"),
    Field("main", "メインバンク", "bool3", choices=tuple(NO_DEFAULT), counts=False),
)
NAME = Field("name", "名称", required=True, width="m")
LOAN_FIELDS = (  # before the repayment switch
    NAME,
    Field("balance", "残高（基準日）", "yen", required=True, width="num"),
    Field("rate", "年利", "number", required=True, width="num", placeholder="0.012"),
)
LOAN_TEXT = (  # after it (a new loan has no maturity)
    Field("maturity", "最終期限", "period", width="num"),
    Field("covered", "保全額（円）", "yen", width="num"),
    Field("guarantor", "保証"),
    Field("collateral", "担保", width="l"),
    Field("purpose", "資金使途"),
)
LOAN_FLAGS = (Field("rescheduled", "リスケの対象", "bool3", choices=tuple(YES_DEFAULT), counts=False),)
NEW_LOAN_FIELDS = (
    NAME,
    Field("year", "実行年度", "int", required=True, width="num"),
    Field("amount", "金額（円）", "yen", required=True, width="num"),
    Field("rate", "年利", "number", required=True, width="num"),
)
NEW_LOAN_MORE = (
    Field("grace_years", "据置年数", "int", width="num"),
    *(f for f in LOAN_TEXT if f.key != "maturity"),
)
NEW_LOAN_FLAGS = (
    Field("support", "金融支援として依頼", "bool3", choices=tuple(YES_DEFAULT), counts=False),
    Field("rescheduled", "リスケの対象", "bool3", choices=tuple(NO_DEFAULT), counts=False),
)


@dataclass(frozen=True)
class Repay:
    """A loan's repayment switch: the select `_repay` says which key of the file (`kinds`, in
    the select's order; '' = none) the one input `repay` goes to and how it converts."""

    switch: str  # the select's label
    label: str  # the value's label
    kinds: tuple[tuple[str, str, str], ...]  # (key of the file, choice label, conversion)
    none: str  # the label of the choice "none of them"
    shown: str  # how the input shows its value (one kind whatever the switch: it changes in the browser)
    help: str = ""

    def keys(self) -> list[str]:
        return [key for key, _label, _kind in self.kinds]

    def build(self, b: Builder, row: str, loan: dict[str, Any], ctx: str) -> list[Input]:
        mode = next((k for k in self.keys() if k in loan), self.kinds[0][0] if not loan else "")
        choices = [*((k, tr(label)) for k, label, _kind in self.kinds), ("", tr(self.none))]
        return [
            b.input(f"{row}._repay", "select", mode, tr(self.switch), path="", choices=choices),
            b.input(
                f"{row}.repay",
                self.shown,
                loan.get(mode) if mode else None,
                tr(self.label),
                path=f"{row}.{mode or self.kinds[0][0]}",
                width="num",
                context=ctx,
                help=tr(self.help) if self.help else "",
            ),
        ]

    def read(self, r: Reader, row: str, out: dict[str, Any]) -> bool:
        """The switch's key set from `repay` (the other keys removed); True when one was typed."""
        mode = r.raw(f"{row}._repay")
        for key in self.keys():
            out.pop(key, None)
        kinds = {k: kd for k, _l, kd in self.kinds}
        if mode not in kinds:
            return False
        value = r.get(f"{row}.repay", kinds[mode])
        set_or_drop(out, mode, value)
        return value is not None


LOAN_REPAY = Repay(
    "約定返済",
    "返済額",
    (("monthly_repayment", "月額", "yen"), ("annual_repayment", "年額", "yen"), ("schedule", "年度別", "yen_list")),
    "なし（期日一括など）",
    "yen_list",
    help="年度別は / で区切ります",
)
NEW_LOAN_REPAY = Repay(
    "返済", "年数・金額", (("term_years", "返済年数", "int"), ("annual_repayment", "年間返済額", "yen")), "なし", "yen"
)


def _loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].loans[{i}]"
    loan = as_dict(loan)
    ctx = tr("借入 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        *build_fields(b, row, loan, LOAN_FIELDS, context=ctx),
        *LOAN_REPAY.build(b, row, loan, ctx),
        *build_fields(b, row, loan, LOAN_TEXT + LOAN_FLAGS, context=ctx),
    ]
    b.node(row, "", ctx)
    managed = [*keys_of(LOAN_FIELDS + LOAN_TEXT + LOAN_FLAGS), *LOAN_REPAY.keys()]
    return {"name": row, "inputs": inputs, "keep": keep_json(loan, managed)}


def _new_loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].new_loans[{i}]"
    loan = as_dict(loan)
    ctx = tr("新規融資 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        *build_fields(b, row, loan, NEW_LOAN_FIELDS, context=ctx),
        *NEW_LOAN_REPAY.build(b, row, loan, ctx),
        *build_fields(b, row, loan, NEW_LOAN_MORE + NEW_LOAN_FLAGS, context=ctx),
    ]
    b.node(row, "", ctx)
    managed = [*keys_of(NEW_LOAN_FIELDS + NEW_LOAN_MORE + NEW_LOAN_FLAGS), *NEW_LOAN_REPAY.keys()]
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
        "inputs": build_fields(b, row, bank, BANK_FIELDS, context=ctx),
        "keep": keep_json(bank, [*keys_of(BANK_FIELDS), "loans", "new_loans"]),
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
        typed = read_fields(r, row, out, LOAN_FIELDS + LOAN_TEXT)
        typed = LOAN_REPAY.read(r, row, out) or typed
        read_fields(r, row, out, LOAN_FLAGS)
        return out if typed else None

    def new_loan(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = read_fields(r, row, out, NEW_LOAN_FIELDS + NEW_LOAN_MORE)
        typed = NEW_LOAN_REPAY.read(r, row, out) or typed
        read_fields(r, row, out, NEW_LOAN_FLAGS)
        return out if typed else None

    def bank(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = read_fields(r, row, out, BANK_FIELDS)
        loans = r.kept_rows(f"{row}.loans", loan)
        new_loans = r.kept_rows(f"{row}.new_loans", new_loan)
        set_or_drop(out, "loans", loans)
        set_or_drop(out, "new_loans", new_loans)
        return out if (typed or loans or new_loans) else None

    return {"banks": r.kept_rows("banks", bank) or None}
