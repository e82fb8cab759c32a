"""What every reader produces: figures per period and account, before any mapping to plan lines.

Why an intermediate form: the readers know their file (columns, vouchers, encodings); the
mapping knows the plan's lines. Between them sit per-account totals, which a human can check
against the accounting software's own trial balance, and which stay small (accounts × months)
however long the journal is. Two kinds of figures:

- a journal gives debits and credits per month and account (`moves`): exact, no opening
  balances;
- a trial balance states figures per account for a span of months (`stated`): opening,
  debit, credit, closing as printed, each possibly absent; balances in the account's own
  natural sign (a liability's balance positive), as Japanese 試算表 print them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final, Literal

from keiei.dates import PLAN_WINDOW, wareki_year
from keiei.errors import Finding, Severity

Kind = Literal["journal", "trial_balance"]

#: Row findings kept in full; beyond this many, one summary finding counts the rest (a file
#: with 1,000,000 bad rows must not produce 1,000,000 messages).
MAX_ROW_FINDINGS: Final = 200


@dataclass(slots=True)
class Stated:
    """One account's figures for one span as a trial balance prints them (None: no column)."""

    opening: int | None = None
    debit: int | None = None
    credit: int | None = None
    closing: int | None = None


@dataclass
class Books:
    """A books file read: per-account figures, where they came from, and every row not used."""

    format: str
    kind: Kind
    encoding: str = ""
    sha256: str = ""
    file_name: str = ""
    size: int = 0
    rows_read: int = 0
    rows_used: int = 0
    #: (month "YYYY-MM", account) → [debit, credit] (journals).
    moves: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: (first month, last month, account) → figures (trial balances).
    stated: dict[tuple[str, str, str], Stated] = field(default_factory=dict)
    #: True when a trial balance's month columns hold one figure per month: a flow for a
    #: profit-and-loss account, a month-end balance for a balance-sheet account.
    month_columns: bool = False
    #: account → the group the software itself files it under (freee's 決算書表示名 or category).
    groups: dict[str, str] = field(default_factory=dict)
    #: month → rows of closing entries (弥生 中決/本決, MF 決算整理仕訳), included in that month.
    closing_rows: dict[str, int] = field(default_factory=dict)
    company: str | None = None
    company_id: str | None = None
    fiscal_year: str | None = None
    findings: list[Finding] = field(default_factory=list)
    _row_findings: int = 0

    def add_move(self, month: str, account: str, debit: int, credit: int) -> None:
        pair = self.moves.get((month, account))
        if pair is None:
            self.moves[(month, account)] = [debit, credit]
        else:
            pair[0] += debit
            pair[1] += credit

    def reject(self, line: int, column: str, reason: str, code: str = "books.row") -> None:
        """A row not used: its line number, the column at fault and why (in Japanese)."""
        self._row_findings += 1
        if self._row_findings <= MAX_ROW_FINDINGS:
            where = f"{line} 行目" + (f"・{column}" if column else "")
            self.findings.append(
                Finding(code, Severity.ERROR, f"{where}: {reason}（この行は取り込みません）", where, passed=False)
            )

    def finish(self) -> None:
        """Close the row findings: one line counting those not listed."""
        hidden = self._row_findings - MAX_ROW_FINDINGS
        if hidden > 0:
            self.findings.append(
                Finding(
                    "books.rows_not_listed",
                    Severity.ERROR,
                    f"ほかに {hidden:,} 行を取り込めませんでした（最初の {MAX_ROW_FINDINGS} 件だけを表示）",
                    passed=False,
                    details={"count": hidden},
                )
            )

    @property
    def rows_rejected(self) -> int:
        return self._row_findings

    def months(self) -> list[str]:
        """Every month figures exist for, in order."""
        found = {month for month, _ in self.moves} | {last for _, last, _ in self.stated}
        return sorted(found)

    def accounts(self) -> list[str]:
        found = {account for _, account in self.moves} | {account for _, _, account in self.stated}
        return sorted(found)


# ---- cells ---------------------------------------------------------------------------------------

_ERAS: Final[dict[str, tuple[str, int]]] = {
    # letter → (kanji, Gregorian year of the era's first year); the day an era begins is
    # checked against japanera (keiei.dates.wareki_year), so R.01/04/30 is refused.
    "R": ("令和", 2019),
    "H": ("平成", 1989),
    "S": ("昭和", 1926),
    "令和": ("令和", 2019),
    "平成": ("平成", 1989),
}
_WAREKI = re.compile(r"^(R|H|S|令和|平成)\.?(\d{1,2})[/.年-](\d{1,2})[/.月-](\d{1,2})日?$")
_SEIREKI = re.compile(r"^(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@lru_cache(maxsize=4096)
def parse_day(text: str) -> dt.date | str:
    """A journal date (20190701, 2019/07/01, 2019/7/1, 2019-07-01, R.01/07/01, R01/7/1) or
    the Japanese reason it cannot be read. Cached: a journal repeats a few hundred dates."""
    clean = unicodedata.normalize("NFKC", text).strip().upper()
    if not clean:
        return "日付が空です"
    match = _WAREKI.match(clean)
    if match:
        kanji, first = _ERAS[match.group(1)]
        year = first + int(match.group(2)) - 1
        month, day_ = int(match.group(3)), int(match.group(4))
    else:
        match = _SEIREKI.match(clean) or _COMPACT.match(clean)
        if not match:
            return f"日付として読めません（{text!r}。2025/10/01・20251001・R.07/10/01 の形）"
        kanji = ""
        year, month, day_ = (int(part) for part in match.groups())
    try:
        day = dt.date(year, month, day_)
    except ValueError:
        return f"存在しない日付です（{text!r}）"
    if kanji and not wareki_year(day).startswith(kanji):
        return f"{kanji}にない日付です（{text!r} は {day.isoformat()}）"
    if day not in PLAN_WINDOW:
        return f"{PLAN_WINDOW.describe()}の日付にしてください（{text!r}）"
    return day


def month_of(text: str) -> str | None:
    """ "YYYY-MM" of a journal date, or None (then `parse_day` says why)."""
    day = parse_day(text)
    return None if isinstance(day, str) else f"{day.year:04d}-{day.month:02d}"


_NEGATIVE_MARKS: Final = ("△", "▲", "-", "−", "－")


def parse_yen(text: str, *, allow_negative: bool = True) -> int | str | None:
    """Integer yen from a cell: None when blank; the Japanese reason when it is not a whole
    number of yen. Thousands separators, full-width digits, △/▲ and (…) negatives accepted."""
    clean = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("円", "").replace("¥", "")
    if not clean:
        return None
    negative = False
    if clean.startswith("(") and clean.endswith(")"):
        clean, negative = clean[1:-1].strip(), True
    for mark in _NEGATIVE_MARKS:
        if clean.startswith(mark):
            clean, negative = clean[len(mark) :].strip(), True
            break
    if not clean.isdigit() or not clean.isascii():
        if re.fullmatch(r"\d+\.\d*", clean):
            return f"円未満の端数がある金額です（{text!r}）"
        return f"金額として読めません（{text!r}）"
    if len(clean) > 15:
        return f"金額の桁が多すぎます（{text!r}。15 桁まで）"
    if negative and not allow_negative:
        return f"マイナスの金額は使えません（{text!r}）"
    return -int(clean) if negative else int(clean)


def account_key(text: str) -> str:
    """An account name as compared: NFKC (full-width letters, digits and spaces folded), no spaces."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()
