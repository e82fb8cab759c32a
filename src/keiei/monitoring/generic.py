"""A generic trial balance CSV (e.g. a TKC 残高推移表 export) read through named columns.

No public layout exists for TKC and the like (../shared/docs/monitoring-facts.md,
unconfirmed), so keiei does not guess one: the user names the columns once, in the
`columns:` part of the company's mapping file (saved with the case, read again next month):

- `account` and either `closing` (with optional `opening`, `debit`, `credit`) for one span of
  months given by `period: {from: YYYY-MM, to: YYYY-MM}`;
- or `months: {YYYY-MM: column, …}`: one figure per month — a flow for a profit-and-loss
  account, the month-end balance for a balance-sheet account (how 残高推移表 print them).

Figures are in each account's natural sign (a liability's balance positive). Rows whose
account ends in 合計 or 計 are subtotals: skipped, each named in an information finding.
Excel files are not read here (no workbook library in the core): save the sheet as CSV.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from typing import Any

from keiei.errors import Finding, KeieiInputError, Severity
from keiei.monitoring.books import Books, Stated, account_key, parse_yen
from keiei.monitoring.journal_csv import normalise_header
from keiei.monitoring.source import BookFile, decode_error

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIELDS = ("account", "group", "opening", "debit", "credit", "closing")
_TOTAL = re.compile(r"(合計|小計|総計|計)$")


@dataclass(frozen=True)
class ColumnMap:
    """Which header names hold what (from the mapping file's `columns:`)."""

    account: str
    group: str | None = None
    opening: str | None = None
    debit: str | None = None
    credit: str | None = None
    closing: str | None = None
    months: dict[str, str] = field(default_factory=dict)
    first: str | None = None
    last: str | None = None
    header_row: int = 1

    @classmethod
    def parse(cls, data: Any, where: str) -> ColumnMap:
        if not isinstance(data, dict):
            raise KeieiInputError(where, "columns は 項目名: 列名 の対応にしてください", "columns must be a mapping")
        unknown = set(data) - {*FIELDS, "months", "period", "header_row"}
        if unknown:
            raise KeieiInputError(
                f"{where}.{sorted(unknown)[0]}",
                f"知らない項目です（使える項目: {', '.join((*FIELDS, 'months', 'period', 'header_row'))}）",
                "unknown key",
            )
        if not isinstance(data.get("account"), str):
            raise KeieiInputError(f"{where}.account", "勘定科目の列名（account）を指定してください", "account missing")
        months = data.get("months") or {}
        if not isinstance(months, dict) or not all(
            isinstance(k, str) and _MONTH.match(k) and isinstance(v, str) for k, v in months.items()
        ):
            raise KeieiInputError(f"{where}.months", "months は YYYY-MM: 列名 の対応にしてください", "bad months")
        period = data.get("period") or {}
        first = period.get("from") if isinstance(period, dict) else None
        last = period.get("to") if isinstance(period, dict) else None
        if not months:
            if not isinstance(data.get("closing"), str):
                raise KeieiInputError(
                    f"{where}.closing", "残高の列（closing）か月ごとの列（months）を指定してください", "closing missing"
                )
            if not (isinstance(first, str) and _MONTH.match(first) and isinstance(last, str) and _MONTH.match(last)):
                raise KeieiInputError(
                    f"{where}.period",
                    "試算表の期間を period: {from: YYYY-MM, to: YYYY-MM} で指定してください",
                    "period missing",
                )
        header_row = data.get("header_row", 1)
        if not isinstance(header_row, int) or not 1 <= header_row <= 50:
            raise KeieiInputError(f"{where}.header_row", "見出しの行番号は 1〜50 にしてください", "bad header_row")
        values = {name: data.get(name) for name in FIELDS}
        for name, value in values.items():
            if value is not None and not isinstance(value, str):
                raise KeieiInputError(f"{where}.{name}", "列名は文字列にしてください", "column name not a string")
        return cls(
            account=str(values["account"]),
            group=values["group"],
            opening=values["opening"],
            debit=values["debit"],
            credit=values["credit"],
            closing=values["closing"],
            months=dict(months),
            first=first,
            last=last,
            header_row=header_row,
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in FIELDS if getattr(self, name) is not None}
        if self.months:
            out["months"] = dict(self.months)
        else:
            out["period"] = {"from": self.first, "to": self.last}
        if self.header_row != 1:
            out["header_row"] = self.header_row
        return out


def read(book: BookFile, columns: ColumnMap) -> Books:
    out = Books(
        format="generic",
        kind="trial_balance",
        encoding=book.encoding,
        sha256=book.sha256,
        file_name=book.path.name,
        size=book.size,
        month_columns=bool(columns.months),
    )
    line = 0
    with book.text() as stream:
        reader = csv.reader(stream)
        try:
            header: list[str] | None = None
            for row in reader:
                line = reader.line_num
                if line >= columns.header_row:
                    header = row
                    break
            if header is None:
                raise KeieiInputError("FILE", f"見出しの行（{columns.header_row} 行目）がありません", "no header row")
            names = normalise_header(header)

            def index(name: str | None, what: str) -> int | None:
                if name is None:
                    return None
                wanted = normalise_header([name])[0]
                if wanted not in names:
                    raise KeieiInputError(
                        f"mapping: columns.{what}",
                        f"列「{name}」がファイルの見出しにありません（見出しの列: {'、'.join(n for n in names if n)[:300]}）",
                        f"unknown column {name!r}",
                    )
                return names.index(wanted)

            i_account = index(columns.account, "account")
            assert i_account is not None
            i_group = index(columns.group, "group")
            spans: list[tuple[str, str, dict[str, int | None]]] = []
            if columns.months:
                opening = index(columns.opening, "opening")
                for number, (month, name) in enumerate(sorted(columns.months.items())):
                    where_month = {"closing": index(name, f"months.{month}")}
                    if number == 0:
                        where_month["opening"] = opening
                    spans.append((month, month, where_month))
            else:
                assert columns.first is not None and columns.last is not None
                spans.append(
                    (
                        columns.first,
                        columns.last,
                        {f: index(getattr(columns, f), f) for f in ("opening", "debit", "credit", "closing")},
                    )
                )
            for row in reader:
                line = reader.line_num
                if not row or not any(cell.strip() for cell in row):
                    continue
                out.rows_read += 1
                if len(row) <= i_account or not row[i_account].strip():
                    out.reject(line, f"{i_account + 1}列目（{names[i_account]}）", "勘定科目が空です")
                    continue
                raw_name = row[i_account].strip()
                account = account_key(raw_name)
                if _TOTAL.search(account):
                    out.findings.append(
                        Finding(
                            "books.total_row",
                            Severity.INFO,
                            f"{line} 行目: 「{raw_name}」は合計行として読み飛ばしました",
                            f"{line} 行目",
                        )
                    )
                    continue
                parsed: list[tuple[str, str, Stated]] = []
                bad = False
                for first, last, where in spans:
                    values: dict[str, int | None] = {}
                    for name, column in where.items():
                        if column is None:
                            values[name] = None
                            continue
                        cell = row[column] if column < len(row) else ""
                        value = parse_yen(cell)
                        if isinstance(value, str):
                            out.reject(line, f"{column + 1}列目（{names[column]}）", value)
                            bad = True
                            break
                        values[name] = value
                    if bad:
                        break
                    parsed.append(
                        (
                            first,
                            last,
                            Stated(
                                values.get("opening"), values.get("debit"), values.get("credit"), values.get("closing")
                            ),
                        )
                    )
                if bad:
                    continue
                if any((first, last, account) in out.stated for first, last, _ in parsed):
                    out.reject(
                        line, f"{i_account + 1}列目（{names[i_account]}）", f"勘定科目「{raw_name}」が2回あります"
                    )
                    continue
                for first, last, stated in parsed:
                    out.stated[(first, last, account)] = stated
                if i_group is not None and i_group < len(row) and row[i_group].strip():
                    out.groups.setdefault(account, row[i_group].strip())
                out.rows_used += 1
        except UnicodeDecodeError as exc:
            raise decode_error(book, line + 1, exc) from None
        except csv.Error as exc:
            raise KeieiInputError(f"FILE: {line + 1} 行目", f"CSV として読めません（{exc}）", "csv error") from None
    out.finish()
    return out
