"""Journal CSVs with a header (freee会計 仕訳帳, マネーフォワード クラウド会計 仕訳帳): parsed by
header name, so a user who unticked columns in the export (freee lets them) still gets read.

Why one reader for both: they differ only in which header names carry the voucher, the date,
each side's account and amount, the software's account group and the closing flag. A voucher
(freee `No`, MF `取引No` on the same 取引日) is summed while the file is read and added only
when its debits equal its credits; otherwise it is left out whole with a finding.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass

from keiei.errors import Finding, KeieiInputError, Severity
from keiei.monitoring.books import Books, account_key, month_of, parse_day, parse_yen
from keiei.monitoring.source import BookFile, decode_error
from keiei.monitoring.yayoi import Progress, _unbalanced


@dataclass(frozen=True, slots=True)
class JournalSpec:
    """Which header names a format uses (the first found of each tuple)."""

    format: str
    label: str
    voucher: tuple[str, ...]
    date: tuple[str, ...]
    debit_account: tuple[str, ...]
    debit_amount: tuple[str, ...]
    credit_account: tuple[str, ...]
    credit_amount: tuple[str, ...]
    debit_group: tuple[str, ...] = ()
    credit_group: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    #: True when a voucher is named by its number *and* its date (MF: 取引No restarts).
    voucher_by_date: bool = False


FREEE = JournalSpec(
    format="freee",
    label="freee会計 仕訳帳 CSV",
    voucher=("No", "仕訳番号"),
    date=("取引日", "発生日"),
    debit_account=("借方勘定科目",),
    debit_amount=("借方金額",),
    credit_account=("貸方勘定科目",),
    credit_amount=("貸方金額",),
    debit_group=("借方決算書表示名",),
    credit_group=("貸方決算書表示名",),
    closing=("決算整理仕訳", "決算整理"),
)
MF = JournalSpec(
    format="mf",
    label="マネーフォワード クラウド会計 仕訳帳 CSV",
    voucher=("取引No",),
    date=("取引日",),
    debit_account=("借方勘定科目",),
    debit_amount=("借方金額(円)", "借方金額"),
    credit_account=("貸方勘定科目",),
    credit_amount=("貸方金額(円)", "貸方金額"),
    closing=("決算整理仕訳",),
    voucher_by_date=True,
)


def normalise_header(cells: list[str]) -> list[str]:
    """Header names as compared: NFKC (full-width brackets folded), trimmed, BOM removed."""
    return [unicodedata.normalize("NFKC", cell).replace("\ufeff", "").strip() for cell in cells]


def matches(spec: JournalSpec, header: list[str]) -> bool:
    names = set(normalise_header(header))
    if spec is MF and "取引No" not in names:
        return False
    if spec is FREEE and "取引No" in names:
        return False
    return all(
        any(name in names for name in options)
        for options in (spec.date, spec.debit_account, spec.debit_amount, spec.credit_account, spec.credit_amount)
    )


def _index(spec: JournalSpec, header: list[str], options: tuple[str, ...], required: bool) -> int | None:
    names = normalise_header(header)
    for name in options:
        if name in names:
            return names.index(name)
    if required:
        raise KeieiInputError(
            f"FILE: 1 行目（見出し）・{options[0]}",
            f"{spec.label} に必要な列「{options[0]}」がありません（見出しの列: {'、'.join(n for n in names if n)[:300]}）",
            f"missing column {options[0]}",
        )
    return None


class _Open:
    """A voucher being summed: its first and last lines, totals, lines, and whether a line was refused."""

    __slots__ = ("bad", "credit", "debit", "first", "last", "lines")

    def __init__(self, line: int) -> None:
        self.first = self.last = line
        self.debit = self.credit = 0
        self.lines: list[tuple[str, str, str, int, int]] = []
        self.bad = False


def read(book: BookFile, spec: JournalSpec, progress: Progress | None = None) -> Books:
    """Read a journal CSV with a header (see module doc)."""
    out = Books(
        format=spec.format,
        kind="journal",
        encoding=book.encoding,
        sha256=book.sha256,
        file_name=book.path.name,
        size=book.size,
    )
    vouchers: dict[tuple[str, str], _Open] = {}
    rows = line = 0
    with book.text() as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader, None)
            if header is None:
                raise KeieiInputError("FILE", "見出しの行がありません", "no header")
            i_date = _index(spec, header, spec.date, True)
            i_da = _index(spec, header, spec.debit_account, True)
            i_dm = _index(spec, header, spec.debit_amount, True)
            i_ca = _index(spec, header, spec.credit_account, True)
            i_cm = _index(spec, header, spec.credit_amount, True)
            i_v = _index(spec, header, spec.voucher, False)
            i_dg = _index(spec, header, spec.debit_group, False) if spec.debit_group else None
            i_cg = _index(spec, header, spec.credit_group, False) if spec.credit_group else None
            i_cl = _index(spec, header, spec.closing, False) if spec.closing else None
            names = normalise_header(header)
            width = max(i for i in (i_date, i_da, i_dm, i_ca, i_cm, i_v, i_dg, i_cg, i_cl) if i is not None) + 1
            assert i_date is not None and i_da is not None and i_dm is not None and i_ca is not None
            assert i_cm is not None
            for row in reader:
                line = reader.line_num
                if not row or not any(cell.strip() for cell in row):
                    continue
                rows += 1
                if progress is not None and rows % 65_536 == 0:
                    progress(stream.buffer.tell())
                if len(row) < width:
                    out.reject(line, "", f"列の数が {len(row)} です（見出しは {len(header)} 列）")
                    continue
                key = _voucher_key(row, i_v, i_date, spec.voucher_by_date, line)
                date = row[i_date]
                month = month_of(date)
                if month is None:
                    out.reject(line, f"{i_date + 1}列目（{names[i_date]}）", str(parse_day(date)))
                    _spoil(vouchers, key, line)
                    continue
                amounts: list[int] = []
                for index in (i_dm, i_cm):
                    value = parse_yen(row[index], allow_negative=False)
                    if isinstance(value, str):
                        out.reject(line, f"{index + 1}列目（{names[index]}）", value)
                        break
                    amounts.append(value or 0)
                if len(amounts) < 2:
                    _spoil(vouchers, key, line)
                    continue
                debit, credit = amounts
                d_acc, c_acc = account_key(row[i_da]), account_key(row[i_ca])
                if (debit and not d_acc) or (credit and not c_acc):
                    index = i_da if debit and not d_acc else i_ca
                    out.reject(line, f"{index + 1}列目（{names[index]}）", "金額があるのに勘定科目が空です")
                    _spoil(vouchers, key, line)
                    continue
                if i_dg is not None and d_acc and row[i_dg].strip():
                    out.groups.setdefault(d_acc, row[i_dg].strip())
                if i_cg is not None and c_acc and row[i_cg].strip():
                    out.groups.setdefault(c_acc, row[i_cg].strip())
                if i_cl is not None and row[i_cl].strip() not in ("", "0", "FALSE", "false", "いいえ"):
                    out.closing_rows[month] = out.closing_rows.get(month, 0) + 1
                entry = vouchers.get(key)
                if entry is None:
                    entry = vouchers[key] = _Open(line)
                entry.last = line
                entry.debit += debit
                entry.credit += credit
                entry.lines.append((month, d_acc, c_acc, debit, credit))
        except UnicodeDecodeError as exc:
            raise decode_error(book, line + 1, exc) from None
        except csv.Error as exc:
            raise KeieiInputError(
                f"FILE: {line + 1} 行目", f"CSV として読めません（{exc}）", f"csv error at line {line + 1}: {exc}"
            ) from None
    used = 0
    for key, entry in vouchers.items():
        where = f"{entry.first} 行目" if entry.first == entry.last else f"{entry.first}〜{entry.last} 行目"
        if entry.bad:
            out.findings.append(_dropped(where, key))
            continue
        if entry.debit != entry.credit:
            _unbalanced(out, entry.first, entry.last, entry.debit, entry.credit)
            continue
        for month, d_acc, c_acc, debit, credit in entry.lines:
            if debit:
                out.add_move(month, d_acc, debit, 0)
            if credit:
                out.add_move(month, c_acc, 0, credit)
            used += 1
    out.rows_read, out.rows_used = rows, used
    out.finish()
    return out


def _voucher_key(row: list[str], i_v: int | None, i_date: int, by_date: bool, line: int) -> tuple[str, str]:
    """A voucher's key; a row without a voucher number is a voucher of its own."""
    if i_v is None or not row[i_v].strip():
        return ("", f"line:{line}")
    return (row[i_date].strip() if by_date else "", row[i_v].strip())


def _spoil(vouchers: dict[tuple[str, str], _Open], key: tuple[str, str], line: int) -> None:
    """A refused row spoils its voucher: the rest of it is left out too (never half a voucher)."""
    if key[0] == "" and key[1].startswith("line:"):
        return
    entry = vouchers.get(key)
    if entry is None:
        entry = vouchers[key] = _Open(line)
    entry.last = line
    entry.bad = True


def _dropped(where: str, key: tuple[str, str]) -> Finding:
    return Finding(
        "books.voucher_dropped",
        Severity.ERROR,
        f"{where}: 伝票 {key[1]} に使えない行があるため、この伝票は取り込みません",
        where,
        passed=False,
    )
