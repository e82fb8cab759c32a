"""The plan's lines and their Japanese labels: one home, read by the editor, documents and CLI.

English identifiers follow ../shared/docs/glossary.md (the plan file's keys). Where two outputs
word the same line differently, both wordings are kept here under explicit names rather than
one replacing the other (a document's golden file would change):

- `statement`: the wording of a statement as printed (計画損益計算書, 貸借対照表, 資金繰り表);
- `entry`: the wording of the editor's input, which also says what to include (内数, 省略時…);
- `standalone`: the wording out of any table, as the plan schema describes the key, only where
  the entry's needs its table ("うち支払利息" is read under 営業外費用).

A memo line (`memo`) is printed in a statement as （参考）…, and a subtotal or balance stated in
an actual year only to be checked is labelled …（照合用） (`checked_label`): both are how a
table shows a line, kept here so the editor, the documents and the schema say it alike.

Pure data: no Django, no translation (the web translates when it shows a label).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One plan line: its key in the plan file, its statement and entry labels."""

    key: str
    statement: str
    entry: str = ""
    required: bool = False  # an actual year must state it (the editor marks it)
    memo: bool = False  # a statement prints it below the lines, as （参考）
    standalone: str = ""

    @property
    def entry_label(self) -> str:
        return self.entry or self.statement

    @property
    def statement_label(self) -> str:
        """The line as a statement prints it (a memo line marked （参考））."""
        return f"{MEMO}{self.statement}" if self.memo else self.statement

    @property
    def description(self) -> str:
        """The line standing alone (the plan schema's description of the key)."""
        return self.standalone or self.entry_label


MEMO = "（参考）"
CHECKED = "（照合用）"


def checked_label(line: Line) -> str:
    """A figure stated only to be checked against the computed one (売上総利益（照合用））."""
    return f"{line.entry_label}{CHECKED}"


# Profit and loss lines typed in an actual year (in the editor's order).
PL_INPUT_LINES: tuple[Line, ...] = (
    Line("sales", "売上高", required=True),
    Line("cost_of_sales", "売上原価", required=True),
    Line("sga", "販売費及び一般管理費", required=True),
    Line("non_operating_income", "営業外収益"),
    Line("non_operating_expenses", "営業外費用", "営業外費用（支払利息を含む）"),
    Line("interest_expense", "うち支払利息", standalone="支払利息（営業外費用の内数）"),
    Line("extraordinary_income", "特別利益"),
    Line("extraordinary_loss", "特別損失"),
    Line("income_taxes", "法人税、住民税及び事業税"),
    Line("depreciation", "減価償却費", "減価償却費（原価・販管費の内数）", memo=True),
    Line("variable_costs", "変動費", "変動費（損益分岐点用・省略時は売上原価）"),
)
# Subtotals: computed by keiei.finance, stated in an actual year only to be checked.
PL_SUBTOTALS: tuple[Line, ...] = (
    Line("gross_profit", "売上総利益"),
    Line("operating_profit", "営業利益"),
    Line("ordinary_profit", "経常利益"),
    Line("pretax_income", "税引前当期純利益"),
    Line("net_income", "当期純利益"),
)
# Memo lines of the profit and loss statement computed from others (not typed).
PL_MEMOS: tuple[Line, ...] = (Line("simple_cash_flow", "簡易キャッシュフロー", memo=True),)
# Balance-sheet lines (assets first), as typed in an actual year.
BS_ASSET_LINES: tuple[Line, ...] = (
    Line("cash", "現預金", required=True),
    Line("receivables", "売上債権（受取手形・売掛金）", required=True),
    Line("inventory", "棚卸資産", required=True),
    Line("other_current_assets", "その他の流動資産"),
    Line("fixed_assets", "固定資産", "固定資産（繰延資産を含む）", required=True),
)
BS_LIABILITY_LINES: tuple[Line, ...] = (
    Line("payables", "仕入債務（支払手形・買掛金）", required=True),
    Line("interest_bearing_debt", "有利子負債", required=True, standalone="有利子負債（借入金・社債・リース債務等）"),
    Line("other_liabilities", "その他の負債"),
)
BS_LINES: tuple[Line, ...] = BS_ASSET_LINES + BS_LIABILITY_LINES
# Balances computed by keiei.finance, stated in an actual year only to be checked.
BS_TOTALS: tuple[Line, ...] = (Line("net_assets", "純資産"),)
# The monthly cash table's groups of rows (資金繰り表).
CASH_GROUPS: tuple[Line, ...] = (
    Line("operating_in", "経常収入"),
    Line("operating_out", "経常支出"),
    Line("investing_in", "設備等の収入", "設備等の売却収入"),
    Line("investing_out", "設備等の支出", "設備投資"),
    Line("financing_in", "財務収入（借入等）", "借入・増資"),
    Line("financing_out", "財務支出（返済等）", "返済・配当"),
)


def statement_labels(lines: tuple[Line, ...]) -> dict[str, str]:
    """key → statement wording (memo lines marked)."""
    return {line.key: line.statement_label for line in lines}


def entry_labels(lines: tuple[Line, ...]) -> dict[str, str]:
    """key → entry wording (the statement's when the editor says nothing more)."""
    return {line.key: line.entry_label for line in lines}


#: A loan's interest during the plan (`banks[].loans[].interest` → the projection's
#: `interest_treatment`): paid as contracted, reduced (減免, with the plan's rate), or deferred.
INTEREST_TREATMENT_LABELS: dict[str, str] = {"paid": "約定どおり支払", "reduced": "減免", "deferred": "支払猶予"}

#: How an institution calls itself and how it is addressed, by the word that marks its kind
#: in its 業態 or name, first match wins: 公庫 before 金庫 (日本政策金融公庫), 金庫 before 組合
#: (商工組合中央金庫 calls itself 当金庫); anything else is a bank (当行 / 貴行).
INSTITUTION_WORDS: tuple[tuple[str, str, str], ...] = (
    ("公庫", "当公庫", "貴公庫"),
    ("金庫", "当金庫", "貴庫"),
    ("組合", "当組合", "貴組合"),
    ("協会", "当協会", "貴協会"),
)
BANK_WORDS = ("当行", "貴行")


def institution_words(kind: str | None, name: str = "") -> tuple[str, str]:
    """(its own word, the word to address it): 当行/貴行, 当金庫/貴庫, 当組合/貴組合, 当公庫/貴公庫.

    Why: a consent form reading "当行（当金庫・当組合）" is not a consent an institution signs as
    is. The plan's `banks[].type` (業態, free text such as 信用金庫) is read first, then the name.
    """
    for text in (kind or "", name):
        for mark, own, address in INSTITUTION_WORDS:
            if mark in text:
                return own, address
    return BANK_WORDS
