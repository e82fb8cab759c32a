"""弥生会計の仕訳日記帳（弥生インポート形式）: 25 columns, no header, usually CP932.

Columns used (1-based, per ../shared/docs/monitoring-facts.md): 1 識別フラグ, 2 伝票No., 3 決算,
4 取引日付, 5 借方勘定科目, 9 借方金額, 11 貸方勘定科目, 15 貸方金額. Each row carries one debit and
one credit; 識別フラグ 2000 (single entry) and 2111 (one-line voucher) stand alone, 2110 / 2100 /
2101 open, continue and close a multi-line voucher. 決算 is blank, 中決 or 本決: closing entries
are counted per month and included in their date's month (the month a 弥生 user sees them in).

Why it streams: a year of a busy shop is tens of thousands of rows and the issue asks for
1,000,000 in no more time than pandas. Rows go straight from `csv.reader` into per-(month,
account) totals; only the lines of the voucher being read are held, so a voucher that does
not balance is left out whole (with a finding naming its lines and figures), never half-counted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import TextIO

from keiei.errors import Finding, Severity
from keiei.monitoring.books import Books, account_key, month_of, parse_day, parse_yen
from keiei.monitoring.source import BookFile, decode_error

COLUMNS = 25
SINGLE_FLAGS = frozenset({"2000", "2111"})
FIRST, MIDDLE, LAST = "2110", "2100", "2101"
FLAGS = SINGLE_FLAGS | {FIRST, MIDDLE, LAST}
CLOSINGS = frozenset({"", "中決", "本決"})
#: Column names as 弥生 calls them, for messages (1-based positions).
NAMES = {
    1: "識別フラグ",
    3: "決算",
    4: "取引日付",
    5: "借方勘定科目",
    9: "借方金額",
    11: "貸方勘定科目",
    15: "貸方金額",
}
#: Rows read at a time; a block of plain one-line vouchers is summed in bulk (`_bulk`).
CHUNK_ROWS = 4_096

Progress = Callable[[int], None]


def looks_like(first_row: list[str]) -> bool:
    """A 弥生 row: 25 columns (some exports add none) and a known 識別フラグ first."""
    return len(first_row) == COLUMNS and first_row[0].strip() in FLAGS


class _Voucher:
    """The multi-line voucher being read: its first line, its lines, whether a line was refused."""

    __slots__ = ("bad", "first", "lines")

    def __init__(self) -> None:
        self.first = 0
        self.lines: list[tuple[str, str, str, int, int]] = []
        self.bad = False

    @property
    def open(self) -> bool:
        return bool(self.lines) or self.bad

    def reset(self) -> None:
        self.first, self.lines, self.bad = 0, [], False


def read(book: BookFile, progress: Progress | None = None) -> Books:
    """Read a 弥生 import-format journal into monthly totals per account (see module doc)."""
    out = Books(
        format="yayoi",
        kind="journal",
        encoding=book.encoding,
        sha256=book.sha256,
        file_name=book.path.name,
        size=book.size,
    )
    months: dict[str, str | None] = {}
    accounts: dict[str, str] = {}
    moves = out.moves
    voucher = _Voucher()

    def refused(flag: str, line: int) -> None:
        """A refused row spoils the voucher it belongs to (left out whole, with a finding)."""
        if flag == FIRST:
            if voucher.open:
                _drop_voucher(out, voucher.first, line - 1, "最終行（2101）がないまま次の伝票が始まった")
            voucher.reset()
            voucher.first, voucher.bad = line, True
        elif flag == MIDDLE:
            voucher.bad = True
        elif flag == LAST:
            if voucher.open:
                _drop_voucher(out, voucher.first or line, line, "使えない行がある")
            voucher.reset()

    # The fast path: a one-line voucher with a date already seen, plain digits, both accounts
    # named, no closing flag, outside any open voucher — summed by (date, debit account,
    # credit account) as written; dates and names are resolved once per distinct key at the end.
    fast: dict[tuple[str, str, str], int] = {}
    quiet = True  # no multi-line voucher open
    skipped = used = line = slow = 0
    count = 0
    with book.text() as stream:
        try:
            for block, line_at, broken in _blocks(stream):
                # block: (plain lines, None) or (None, rows read by csv.reader)
                line = line_at
                if progress is not None:
                    progress(stream.buffer.tell())
                size = len(block[0] if block[0] is not None else block[1] or ())
                if not voucher.open and _bulk(block, months, fast):
                    count += size
                    line += size
                    continue
                rows = _split(block)
                for row in rows:
                    count += 1
                    line_at += 1 + _breaks(row) if broken else 1
                    if len(row) == COLUMNS and (quiet or (quiet := not voucher.open)):
                        flag = row[0]
                        if flag == "2111" or flag == "2000":
                            amount = row[8]
                            date = row[3]
                            if (
                                amount == row[14]
                                and not row[2]
                                and row[4]
                                and row[10]
                                and amount.isdecimal()  # what int() reads; full-width digits as parse_yen does
                                and months.get(date) is not None
                            ):
                                key3 = (date, row[4], row[10])
                                fast[key3] = fast.get(key3, 0) + int(amount)
                                continue
                    # ---- the slow path: every check, with the row's line number
                    quiet = False
                    slow += 1
                    line = line_at
                    if not row or (len(row) == 1 and not row[0].strip()):
                        skipped += 1
                        continue
                    flag = row[0]
                    if flag.startswith("#"):
                        skipped += 1
                        continue
                    flag = flag.strip()
                    if len(row) != COLUMNS:
                        out.reject(line, "", f"列の数が {len(row)} です（弥生インポート形式は {COLUMNS} 列）")
                        refused(flag, line)
                        continue
                    if flag not in FLAGS:
                        out.reject(
                            line,
                            "1列目（識別フラグ）",
                            f"識別フラグ {flag!r} は 2000・2111・2110・2100・2101 のどれでもありません",
                        )
                        voucher.bad = voucher.open
                        continue
                    date = row[3]
                    month = months.get(date, "")
                    if month == "":
                        month = months[date] = month_of(date)
                    if month is None:
                        out.reject(line, "4列目（取引日付）", str(parse_day(date)))
                        refused(flag, line)
                        continue
                    closing = row[2]
                    if closing not in CLOSINGS:
                        closing = closing.strip()
                        if closing not in CLOSINGS:
                            out.reject(
                                line, "3列目（決算）", f"決算の欄は 空欄・中決・本決 のどれかです（{closing!r}）"
                            )
                            refused(flag, line)
                            continue
                    debit_name, credit_name = row[4], row[10]
                    debit_text, credit_text = row[8], row[14]
                    debit = (
                        int(debit_text)
                        if debit_text.isdigit() and debit_text.isascii()
                        else _amount(out, line, 9, debit_text)
                    )
                    credit = (
                        int(credit_text)
                        if credit_text.isdigit() and credit_text.isascii()
                        else _amount(out, line, 15, credit_text)
                    )
                    if debit is None or credit is None:
                        refused(flag, line)
                        continue
                    if (debit and not debit_name.strip()) or (credit and not credit_name.strip()):
                        col = "5列目（借方勘定科目）" if debit and not debit_name.strip() else "11列目（貸方勘定科目）"
                        out.reject(line, col, "金額があるのに勘定科目が空です")
                        refused(flag, line)
                        continue
                    if closing:
                        out.closing_rows[month] = out.closing_rows.get(month, 0) + 1
                    d_acc = accounts.get(debit_name) or accounts.setdefault(debit_name, account_key(debit_name))
                    c_acc = accounts.get(credit_name) or accounts.setdefault(credit_name, account_key(credit_name))
                    if flag in SINGLE_FLAGS:
                        if voucher.open:
                            _drop_voucher(out, voucher.first, line - 1, "最終行（2101）がないまま次の伝票が始まった")
                            voucher.reset()
                        if debit != credit:
                            _unbalanced(out, line, line, debit, credit)
                            continue
                        key = (month, d_acc)
                        pair = moves.get(key)
                        if pair is None:
                            moves[key] = [debit, 0]
                        else:
                            pair[0] += debit
                        key = (month, c_acc)
                        pair = moves.get(key)
                        if pair is None:
                            moves[key] = [0, credit]
                        else:
                            pair[1] += credit
                        used += 1
                        continue
                    if flag == FIRST:
                        if voucher.open:
                            _drop_voucher(out, voucher.first, line - 1, "最終行（2101）がないまま次の伝票が始まった")
                        voucher.reset()
                        voucher.first = line
                    elif not voucher.open:
                        out.reject(
                            line, "1列目（識別フラグ）", f"伝票の最初の行（2110）がないのに {flag} の行があります"
                        )
                        continue
                    voucher.lines.append((month, d_acc, c_acc, debit, credit))
                    if flag == LAST:
                        if voucher.bad:
                            _drop_voucher(out, voucher.first, line, "使えない行がある")
                        else:
                            total_debit = sum(item[3] for item in voucher.lines)
                            total_credit = sum(item[4] for item in voucher.lines)
                            if total_debit != total_credit:
                                _unbalanced(out, voucher.first, line, total_debit, total_credit)
                            else:
                                for month_, d_acc_, c_acc_, debit_, credit_ in voucher.lines:
                                    if debit_:
                                        out.add_move(month_, d_acc_, debit_, 0)
                                    if credit_:
                                        out.add_move(month_, c_acc_, 0, credit_)
                                used += len(voucher.lines)
                        voucher.reset()
        except UnicodeDecodeError as exc:
            raise decode_error(book, line + 1, exc) from None
        except _CsvError as exc:
            raise _csv_error(exc.line, exc.error) from None
    if voucher.open:
        _drop_voucher(out, voucher.first, line, "最終行（2101）がないままファイルが終わった")
    for (date, debit_name, credit_name), total in fast.items():
        month = months[date]
        assert month is not None
        d_acc = accounts.get(debit_name) or accounts.setdefault(debit_name, account_key(debit_name))
        c_acc = accounts.get(credit_name) or accounts.setdefault(credit_name, account_key(credit_name))
        out.add_move(month, d_acc, total, 0)
        out.add_move(month, c_acc, 0, total)
    used += count - slow  # every row of the fast path is used
    out.rows_read, out.rows_used = count - skipped, used
    out.finish()
    return out


#: Characters read at a time while no row has quotes (about 10,000 rows of a typical journal).
BLOCK_CHARS = 1 << 20


class _CsvError(Exception):
    def __init__(self, line: int, error: csv.Error) -> None:
        self.line, self.error = line, error


Block = tuple[list[str], None] | tuple[None, list[list[str]]]


def _blocks(stream: TextIO) -> Iterator[tuple[Block, int, bool]]:
    """The file in blocks: (plain lines, or rows read by `csv.reader`; the line before the
    block; whether a quoted field in it holds a line break).

    Why two modes: a row without any `"` is exactly its line split at the commas, several
    times faster than `csv.reader`; 弥生 writes plain rows unless a field needs quoting. At the
    first block with a quote, the rest of the file (that block included) goes through
    `csv.reader`, so a quoted field spanning lines is read as one field.
    """
    line = 0
    lines: list[str] = []
    while lines := stream.readlines(BLOCK_CHARS):
        if '"' in "".join(lines):
            break
        yield (lines, None), line, False
        line += len(lines)
    if not lines:
        return
    reader = csv.reader(chain(lines, stream))
    before = line
    try:
        while rows := list(islice(reader, CHUNK_ROWS)):
            after = line + reader.line_num
            yield (None, rows), before, after - before != len(rows)
            before = after
    except csv.Error as exc:
        raise _CsvError(line + reader.line_num, exc) from None


#: 識別フラグ, 決算, 日付, 借方科目, 借方金額, 貸方科目, 貸方金額 (0-based), one getter each: a
#: block is read column by column.
_COLUMNS_USED = tuple(itemgetter(k) for k in (0, 2, 3, 4, 8, 10, 14))


def _breaks(row: list[str]) -> int:
    """Line breaks inside the row's quoted fields (each moves the file's line count on by one)."""
    return sum(f.count("\n") + f.count("\r") - f.count("\r\n") for f in row if "\n" in f or "\r" in f)


def _split(block: Block) -> list[list[str]]:
    """Rows of a block: plain lines split at their commas (no field is quoted), or as read."""
    lines, rows = block
    if lines is not None:
        return [text.rstrip("\r\n").split(",") for text in lines]
    return rows or []


def _bulk(block: Block, months: dict[str, str | None], fast: dict[tuple[str, str, str], int]) -> bool:
    """Sum a block into `fast` when every row is a plain one-line voucher; else change nothing.

    Why: a long journal is mostly such rows, and checking them column by column (C loops
    over whole columns) instead of row by row is what keeps the reader as fast as pandas.
    The conditions are the row-by-row fast path's: 25 columns, 識別フラグ 2111 or 2000, no
    closing flag, a date that reads, both accounts named, equal plain-digit amounts. Any
    other row sends the whole block through the row-by-row checks, with its line numbers.
    """
    lines, read = block
    if lines is not None:
        # 25 columns, and only the first 15 are needed: the rest of each line stays one string
        if set(map(str.count, lines, repeat(","))) != {COLUMNS - 1}:
            return False
        rows = [text.split(",", 15) for text in lines]
    else:
        rows = read or []
        if set(map(len, rows)) != {COLUMNS}:
            return False
    flags, closings, dates, debits, amounts, credits, amounts_credit = (list(map(g, rows)) for g in _COLUMNS_USED)
    if not SINGLE_FLAGS.issuperset(flags) or any(closings) or amounts != amounts_credit:
        return False
    if not all(map(str.strip, debits)) or not all(map(str.strip, credits)) or not all(map(str.isdecimal, amounts)):
        return False
    for date in set(dates):
        month = months.get(date, "")
        if month == "":
            month = months[date] = month_of(date)
        if month is None:
            return False
    for key, amount in zip(zip(dates, debits, credits, strict=True), map(int, amounts), strict=True):
        fast[key] = fast.get(key, 0) + amount
    return True


def _amount(out: Books, line: int, column: int, text: str) -> int | None:
    value = parse_yen(text, allow_negative=False)
    if value is None:
        return 0
    if isinstance(value, str):
        out.reject(line, f"{column}列目（{NAMES[column]}）", value)
        return None
    return value


def _unbalanced(out: Books, first: int, last: int, debit: int, credit: int) -> None:
    where = f"{first} 行目" if first == last else f"{first}〜{last} 行目"
    out.findings.append(
        Finding(
            "books.unbalanced",
            Severity.ERROR,
            f"{where}: 伝票の借方合計 {debit:,} 円と貸方合計 {credit:,} 円が一致しません"
            f"（差額 {debit - credit:,} 円。この伝票は取り込みません）",
            where,
            passed=False,
            details={"debit": debit, "credit": credit, "first_line": first, "last_line": last},
        )
    )


def _drop_voucher(out: Books, first: int, last: int, why: str) -> None:
    where = f"{first}〜{last} 行目"
    out.findings.append(
        Finding(
            "books.voucher_dropped",
            Severity.ERROR,
            f"{where}: 複数行の伝票に{why}ため、この伝票は取り込みません（1列目（識別フラグ）を確かめてください）",
            where,
            passed=False,
        )
    )


def _csv_error(line: int, exc: csv.Error) -> Exception:
    from keiei.errors import KeieiInputError

    return KeieiInputError(f"FILE: {line} 行目", f"CSV として読めません（{exc}）", f"csv error at line {line}: {exc}")
