"""The 中小版GL tables (405-gl): the liquidation balance sheet and each lender's recoveries, the
guarantors and their settlement, the third-party expert, and the tax-loss balance by year.

A module of its own: these tables are read from the check's `guideline` block and have
nothing in common with the statements but the cell model of keiei.documents.tables.
"""

from __future__ import annotations

from typing import Any

from keiei.documents.figures import Figures, amount_text
from keiei.documents.tables import (
    BLANK,
    Cell,
    Column,
    Row,
    Table,
    Term,
    computed,
    period_columns,
    shown_table,
    shown_tables,
)
from keiei.finance.guideline import TaxLossYear, tax_loss_sentence

# --------------------------------------------------------------------------- 中小版GL (405-gl)
#
# Read from the check's `guideline` block (keiei.plancheck.guideline_summary), never recomputed:
# the 清算BS and each lender's recoveries, the guarantors, and the tax-loss balance by year.

KEPT_BASIS_LABELS = {
    "free_property": "自由財産",
    "living_expenses": "一定期間の生計費",
    "modest_home": "華美でない自宅",
    "other": "その他（債権者の同意）",
}
SETTLEMENT_LABELS = {"integrated": "一体整理", "separate": "単独整理"}
_NOTE = Column("note", ("備考",), fmt="text", width=40, span=3)


def _text(value: object) -> Cell:
    return Cell("" if value is None else str(value), "text")


def _sum(value: int, terms: list[Term], parts: list[int]) -> Cell:
    """A total as a formula over its parts when the check's figure is their sum (so it adds up
    when shown in 千円, `tables.shown_tables`), else the figure as it stands."""
    return Cell(value, "formula", tuple(terms)) if value == sum(parts) else Cell(value)


def guideline_block(f: Figures) -> dict[str, Any]:
    """The check's 中小版GL block (empty when the check has none, e.g. built without criteria)."""
    return dict(f.check.get("guideline") or {})


def liquidation_tables(f: Figures) -> tuple[Table, Table] | None:
    """清算貸借対照表 and 清算価値保障 (each lender: liquidation vs plan), or None without a 清算BS."""
    liq = guideline_block(f).get("liquidation")
    if not liq:
        return None
    cols = (Column("book", ("簿価",)), Column("liquidation", ("清算価値",)), _NOTE)
    rows = [
        Row(f"liq.a{i}", a["item"], (Cell(a["book"], "input"), Cell(a["liquidation"], "input"), _text(a.get("note"))))
        for i, a in enumerate(liq["assets"])
    ]
    assets = liq["assets"]
    rows.append(
        Row(
            "liq.total",
            "資産合計",
            (
                _sum(
                    liq["book_total"],
                    [(f"liq.a{i}", "book", 1) for i in range(len(assets))],
                    [a["book"] for a in assets],
                ),
                _sum(
                    liq["liquidation_total"],
                    [(f"liq.a{i}", "liquidation", 1) for i in range(len(assets))],
                    [a["liquidation"] for a in assets],
                ),
                _text(""),
            ),
            "total",
        )
    )
    rows += [
        Row(f"liq.p{i}", f"（控除）{c['item']}", (BLANK, Cell(-c["amount"], "input"), _text(c.get("note"))), indent=1)
        for i, c in enumerate(liq["priority_claims"])
    ]
    rows.append(
        Row("liq.collateral", "（控除）担保権による回収", (BLANK, Cell(-liq["collateral_total"]), _text("")), indent=1)
    )
    rate = f"清算配当率 {float(liq['dividend_rate']) * 100:.2f}%（一般債権 {amount_text(liq['general_claims'], f.unit)}{f.unit}に対して）"
    claims = liq["priority_claims"]
    pool = _sum(
        liq["pool"],
        [
            ("liq.total", "liquidation", 1),
            *((f"liq.p{i}", "liquidation", 1) for i in range(len(claims))),
            ("liq.collateral", "liquidation", 1),
        ],
        [liq["liquidation_total"], *(-c["amount"] for c in claims), -liq["collateral_total"]],
    )
    rows.append(Row("liq.pool", "一般債権者への配当原資", (BLANK, pool, _text(rate)), "total"))
    bs = Table(
        "liquidation",
        "清算貸借対照表（基準日に破産した場合）",
        cols,
        tuple(rows),
        label_heading="科目",
        note=f"{f.unit_note}　{liq.get('note') or ''}".rstrip(),
    )
    rcols = (
        Column("claim", ("債権額",)),
        Column("secured", ("担保・保証",)),
        Column("liq", ("清算時の回収",)),
        Column("repaid", ("計画期間の弁済",)),
        Column("remaining", ("計画期間末の残高",)),
        Column("plan", ("計画による回収",)),
        Column("meets", ("判定",), fmt="text", width=6),
    )
    rrows = tuple(
        Row(
            f"rec.{i}",
            x["bank"],
            (
                Cell(x["claim"]),
                Cell(x["secured"]),
                Cell(x["liquidation"], "input" if x["liquidation_basis"] == "stated" else "computed"),
                Cell(x["plan_repayments"]),
                Cell(x["plan_remaining"]),
                _sum(
                    x["plan"],
                    [(f"rec.{i}", "repaid", 1), (f"rec.{i}", "remaining", 1)],
                    [x["plan_repayments"], x["plan_remaining"]],
                ),
                _text("○" if x["meets"] else "×"),
            ),
        )
        for i, x in enumerate(liq["lenders"])
    )
    recovery = Table(
        "recovery",
        "清算価値保障（金融機関別の回収見込み）",
        rcols,
        rrows,
        label_heading="金融機関",
        note=f"{f.unit_note}　計画による回収 = 既存借入の計画期間の弁済 + 計画期間末の残高（債権額 − 債務免除）。判定 ○ は計画による回収 ≧ 清算時の回収",
    )
    bs, recovery = shown_tables([bs, recovery], f.unit)
    return bs, recovery


def guarantor_tables(f: Figures) -> list[Table]:
    """One table per guarantor: assets with what is kept and why, then each guarantee settled."""
    out = []
    cols = (
        Column("value", ("評価額・保証債務",)),
        Column("kept", ("残存資産・弁済",)),
        Column("other", ("免除",)),
        _NOTE,
    )
    for i, g in enumerate(guideline_block(f).get("guarantors") or ()):
        rows = [Row(f"gr{i}.assets", "資産", (BLANK, BLANK, BLANK, BLANK), "section")]
        for j, a in enumerate(g["assets"]):
            basis = KEPT_BASIS_LABELS.get(str(a.get("basis")), "") if a.get("kept") else ""
            note = "　".join(x for x in (basis, a.get("note") or "") if x)
            rows.append(
                Row(
                    f"gr{i}.a{j}",
                    a["item"],
                    (Cell(a["value"], "input"), Cell(a["kept"], "input"), BLANK, _text(note)),
                    indent=1,
                )
            )
        rows.append(Row(f"gr{i}.g", "保証債務の整理", (BLANK, BLANK, BLANK, BLANK), "section"))
        for j, x in enumerate(g["guarantees"]):
            rows.append(
                Row(
                    f"gr{i}.g{j}",
                    x["bank"],
                    (Cell(x["amount"], "input"), Cell(x["paid"], "input"), Cell(x["forgiven"], "input"), _text("")),
                    indent=1,
                )
            )
        relation = f"（{g['relation']}）" if g.get("relation") else ""
        settlement = SETTLEMENT_LABELS.get(str(g.get("settlement")), "")
        out.append(
            Table(
                f"guarantor{i}",
                f"保証人 {g['name']}{relation}　{settlement}",
                cols,
                tuple(rows),
                label_heading="項目",
                note=f"{f.unit_note}　{g.get('note') or ''}".rstrip(),
            )
        )
    return shown_tables(out, f.unit)


def expert_rows(f: Figures) -> list[tuple[str, str]]:
    """第三者支援専門家 as label/value rows (empty when the plan names none)."""
    e = guideline_block(f).get("third_party_expert")
    if not e:
        return []
    return [
        ("氏名", str(e["name"])),
        ("資格", str(e["qualification"])),
        ("所属", str(e.get("organization") or "")),
        (
            "独立性",
            ("独立している" if e["independent"] else "独立していない")
            + (f"（{e['independence']}）" if e.get("independence") else ""),
        ),
        ("調査報告書の日付", str(e.get("report_date") or "")),
    ]


def tax_loss_table(f: Figures) -> Table | None:
    """繰越欠損金の推移 by plan year; None when no year has a carry-forward."""
    rows_in = guideline_block(f).get("tax_losses") or []
    if not any(r["opening"] or r["closing"] for r in rows_in):
        return None
    cols = period_columns(f.plan_years)
    keys = (
        ("opening", "期首の繰越欠損金"),
        ("pretax_income", "税引前当期純利益"),
        ("forgiveness_gain", "うち債務免除益"),
        ("used", "当期の控除額"),
        ("added", "当期の欠損金（加算）"),
        ("closing", "期末の繰越欠損金"),
        ("income_taxes", "法人税、住民税及び事業税"),
    )
    optional = ("forgiveness_gain", "added")  # shown only when some year has one
    rows = tuple(
        Row(f"tl.{key}", label, computed([r[key] for r in rows_in]), "total" if key == "closing" else "item")
        for key, label in keys
        if key not in optional or any(r[key] for r in rows_in)
    )
    return shown_table(
        Table(
            "tax_losses",
            "繰越欠損金の推移",
            cols,
            rows,
            label_heading="項目",
            note=f"{f.unit_note}　{tax_loss_note(f)}".rstrip(),
        ),
        f.unit,
    )


def tax_loss_note(f: Figures) -> str:
    """The sentence explaining the forgiveness year's tax, in the document's unit."""
    names = TaxLossYear.__dataclass_fields__
    rows = tuple(
        TaxLossYear(**{k: v for k, v in r.items() if k in names}) for r in guideline_block(f).get("tax_losses") or ()
    )
    return tax_loss_sentence(rows, lambda v: f"{amount_text(v, f.unit)}{f.unit}")
