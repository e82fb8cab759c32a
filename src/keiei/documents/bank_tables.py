"""The bank tables of the plan: repayment by bank, balances, the contract, financial support,
each loan's terms under the plan, and the bridge to the balance sheet's interest-bearing debt.

A module of its own because the lenders' rules (shares, caps, schedules) grew a family of
tables; they use the cell model and helpers of keiei.documents.tables like every table.
"""

from __future__ import annotations

from keiei.documents.figures import Figures, fiscal_label, fiscal_label_wareki
from keiei.documents.tables import (
    BLANK,
    Cell,
    Column,
    Row,
    Table,
    column_sum,
    computed,
    formula,
    period_columns,
    shown_table,
    shown_tables,
)
from keiei.plan.glossary import INTEREST_TREATMENT_LABELS

# --------------------------------------------------------------------------- banks


def bank_tables(f: Figures) -> list[Table]:
    """Per bank and loan: balance, cover, share and repayment by plan year; balances; contract."""
    periods = [y["period"] for y in f.plan_years]
    pcols = period_columns(f.plan_years)
    year_cols = tuple(Column(c.key, ("返済額", c.lines[0], c.lines[1], c.lines[2]), c.kind, "yen") for c in pcols)
    head_cols = (
        Column("balance", ("基準日残高", "", "", ""), fmt="yen"),
        Column("covered", ("保全", "（担保・保証）", "", ""), fmt="yen"),
        Column("uncovered", ("非保全", "", "", ""), fmt="yen"),
        Column("share", ("返済シェア", "", "", ""), fmt="percent", width=9),
    )
    total_col = Column("total", ("返済額計", "", "", ""), fmt="yen")
    cols = head_cols + year_cols + (total_col,)
    rows: list[Row] = []
    bank_keys: list[str] = []
    for bi, bank in enumerate(f.banks):
        bkey = f"bank.{bi}"
        bank_keys.append(bkey)
        loan_keys: list[str] = []
        existing: list[str] = []
        loan_rows: list[Row] = []
        for li, loan in enumerate(bank["loans"]):
            lkey = f"{bkey}.loan.{li}"
            loan_keys.append(lkey)
            reps = [loan["repayment"][p] for p in periods]
            if loan["new"]:
                drawn = [p for p in periods if loan["borrowing"][p]]
                label = f"{loan['name']}（新規 {fiscal_label(drawn[0]) if drawn else ''}）"
                head = (Cell(0), BLANK, BLANK, BLANK)
            else:
                existing.append(lkey)
                label = loan["name"]
                head = (Cell(loan["balance"], "input"), Cell(loan["covered"], "input"), Cell(loan["uncovered"]), BLANK)
            cells = (
                *head,
                *(Cell(r) for r in reps),
                formula(sum(reps), [(lkey, p, 1) for p in periods]),
            )
            loan_rows.append(Row(lkey, label, cells, indent=1))
        reps = [bank["repayment"][p] for p in periods]
        name = bank["name"] + ("（メイン）" if bank["main"] else "")
        share = bank["share"]
        bank_cells = (
            formula(bank["balance"], [(k, "balance", 1) for k in existing]),
            formula(bank["covered"], [(k, "covered", 1) for k in existing]),
            formula(bank["uncovered"], [(k, "uncovered", 1) for k in existing]),
            BLANK if share is None else Cell(share),
            *(formula(r, [(k, p, 1) for k in loan_keys]) for r, p in zip(reps, periods, strict=True)),
            formula(sum(reps), [(bkey, p, 1) for p in periods]),
        )
        rows.append(Row(bkey, name, bank_cells, "total"))
        rows.extend(loan_rows)
    banks = f.banks
    total_cells = (
        formula(sum(b["balance"] for b in banks), [(k, "balance", 1) for k in bank_keys]),
        formula(sum(b["covered"] for b in banks), [(k, "covered", 1) for k in bank_keys]),
        formula(sum(b["uncovered"] for b in banks), [(k, "uncovered", 1) for k in bank_keys]),
        formula(sum(b["share"] or 0 for b in banks), [(k, "share", 1) for k in bank_keys]),
        *(formula(sum(b["repayment"][p] for b in banks), [(k, p, 1) for k in bank_keys]) for p in periods),
        formula(sum(sum(b["repayment"].values()) for b in banks), [("bank.total", p, 1) for p in periods]),
    )
    rows.append(Row("bank.total", "合計", total_cells, "total"))
    basis = f.check.get("share_basis")
    basis_text = {
        "uncovered": "信用残高プロラタ（非保全残高の割合）",
        "balance": "残高プロラタ（残高の割合）",
        "negotiated": "金融機関と合意した返済シェア（交渉シェア）",
    }.get(str(basis), "－")
    basis_text += share_timing_note(f)
    repay = Table(
        "bank_repayment",
        "金融機関別返済計画",
        cols,
        tuple(rows),
        label_heading="金融機関・借入",
        note=f"{f.unit_note}　返済シェアの基準: {basis_text}",
        label_width=34,
    )

    base_period = f.plan.base_period
    bcols = (Column("base", ("基準日", fiscal_label(str(base_period)), fiscal_label_wareki(str(base_period)))), *pcols)
    bal_rows: list[Row] = []
    for bi, bank in enumerate(banks):
        values = [bank["balance"], *(bank["closing_balance"][p] for p in periods)]
        bal_rows.append(Row(f"bal.{bi}", bank["name"], computed(values)))
    totals = [sum(b["balance"] for b in banks), *(sum(b["closing_balance"][p] for b in banks) for p in periods)]
    bal_rows.append(
        Row("bal.total", "合計", column_sum(bcols, totals, [(f"bal.{i}", 1) for i in range(len(banks))]), "total")
    )
    balances = Table(
        "bank_balance", "金融機関別期末残高", bcols, tuple(bal_rows), label_heading="金融機関", note=f.unit_note
    )

    con_rows: list[Row] = []
    for bi, bank in enumerate(banks):
        con_rows.append(Row(f"con.{bi}", bank["name"], computed([bank["contractual_repayment"][p] for p in periods])))
    con_rows.append(
        Row(
            "con.total",
            "合計",
            column_sum(
                pcols,
                [sum(b["contractual_repayment"][p] for b in banks) for p in periods],
                [(f"con.{i}", 1) for i in range(len(banks))],
            ),
            "total",
        )
    )
    contract = Table(
        "bank_contractual",
        "（参考）約定どおりの返済額",
        pcols,
        tuple(con_rows),
        label_heading="金融機関",
        note=f"{f.unit_note}　返済条件を変更しない場合の返済額",
    )

    extra: list[Row] = []
    for bi, bank in enumerate(banks):
        if any(bank["borrowing"].values()):
            extra.append(
                Row(f"new.{bi}", f"{bank['name']} 新規融資", computed([bank["borrowing"][p] for p in periods]))
            )
        if any(bank["forgiven"].values()):
            extra.append(Row(f"fg.{bi}", f"{bank['name']} 債務免除", computed([bank["forgiven"][p] for p in periods])))
    details = [y["details"] for y in f.plan_years]
    extra.append(
        Row(
            "cap.capacity",
            "返済原資（税引後利益＋減価償却費等）",
            computed([d["repayment_capacity"] for d in details]),
            "memo",
        )
    )
    extra.append(
        Row(
            "cap.rescheduled",
            "条件変更後の返済額（プロラタ配分）",
            computed([d["rescheduled_repayment"] for d in details]),
        )
    )
    extra.append(
        Row("cap.scheduled", "約定どおり返済する借入の返済額", computed([d["scheduled_repayment"] for d in details]))
    )
    support = Table(
        "bank_support",
        "金融支援と返済原資",
        pcols,
        tuple(extra),
        label_heading="項目",
        note=f.unit_note,
    )
    out = [repay, balances, contract, support, loan_terms_table(f, shown=False)]
    bridge = f.check.get("interest_bearing_debt_bridge")
    if bridge and (bridge["base"]["other"] or any(v["other"] for v in bridge["by_year"].values())):
        points = [bridge["base"], *(bridge["by_year"][p] for p in periods)]
        bridge_rows = (
            Row(
                "ibd.banks", "金融機関別借入の合計", column_sum(bcols, [x["banks"] for x in points], [("bal.total", 1)])
            ),
            Row("ibd.other", bridge["other_label"], computed([x["other"] for x in points])),
            Row(
                "ibd.total",
                "有利子負債（貸借対照表）",
                column_sum(bcols, [x["total"] for x in points], [("ibd.banks", 1), ("ibd.other", 1)]),
                "total",
            ),
        )
        out.append(
            Table(
                "debt_bridge",
                "有利子負債の内訳（金融機関別借入から貸借対照表へ）",
                bcols,
                bridge_rows,
                label_heading="項目",
                note=f"{f.unit_note}　{bridge['note']}",
                label_width=38,
            )
        )
    return shown_tables(out, f.unit)


INTEREST_LABELS = INTEREST_TREATMENT_LABELS  # (the glossary is the one home of labels)


def share_timing_note(f: Figures) -> str:
    """How the shares move after a forgiveness and where a capped lender's excess goes."""
    r = f.check["financial_support"].get("rescheduling")
    if r is None:
        return ""
    parts = []
    if f.check["financial_support"]["forgiveness"] and r["shares"] is None:
        if r["share_timing"] == "after_forgiveness":
            parts.append("債務免除の効力発生年度から、免除後の残高でシェアを再計算")
        else:
            parts.append("シェアは基準日の残高で固定（債務免除後も再計算しない）")
    if r["cap_at_contractual"]:
        parts.append(
            "各行・各借入とも約定返済額が上限で、上限を超える分は他行へ同じ基準で配分し、全行が上限のときは手元資金に残す"
        )
    return "。" + "。".join(parts) if parts else ""


def loan_terms_table(f: Figures, *, shown: bool = True) -> Table:
    """借入別の返済条件（計画）: what a consent form quotes for each loan — the month the new
    terms start, the interest, the maturity (contract and plan) and the monthly instalment
    per plan year (year's repayment ÷ 12, keiei.finance.schedule)."""
    periods = [y["period"] for y in f.plan_years]
    pcols = period_columns(f.plan_years)
    cols = (
        Column("start", ("適用開始",), fmt="text", width=10),
        Column("interest", ("利息",), fmt="text", width=12),
        Column("maturity", ("最終期限", "（約定）"), fmt="text", width=10),
        Column("plan_maturity", ("最終期限", "（計画）"), fmt="text", width=10),
        *(Column(c.key, ("月額返済", *c.lines[:2]), c.kind, "yen") for c in pcols),
    )
    rows: list[Row] = []
    for bi, bank in enumerate(f.banks):
        for li, loan in enumerate(bank["loans"]):
            treatment = INTEREST_LABELS.get(loan["interest_treatment"], loan["interest_treatment"])
            if loan["interest_treatment"] == "reduced" and loan["plan_rate"] is not None:
                treatment += f"（年{loan['plan_rate'] * 100:.2f}%）"
            extended = loan["plan_maturity"] is not None and loan["plan_maturity"] != loan["maturity"]
            cells = (
                Cell(loan["terms_start"] or "約定どおり", "text"),
                Cell(treatment, "text"),
                Cell(loan["maturity"] or "－", "text"),
                Cell((loan["plan_maturity"] or "－") + ("（延長）" if extended else ""), "text"),
                *computed([loan["monthly_instalment"][p] for p in periods]),
            )
            rows.append(Row(f"terms.{bi}.{li}", f"{bank['name']}　{loan['name']}", cells))
    notes = f.check["financial_support"].get("notes")
    table = Table(
        "loan_terms",
        "借入別の返済条件（計画）",
        cols,
        tuple(rows),
        label_heading="金融機関・借入",
        note="月額返済は各年度の返済額÷12（円未満は計画の端数処理、年度の差額は最終月で調整）"
        + f"。{f.unit_note}"
        + (f"　{notes}" if notes else ""),
        label_width=34,
    )
    return shown_table(table, f.unit) if shown else table
