"""Opening a books file: size bounds, SHA-256, encoding detection, a text stream of its lines.

Why one module: every reader (弥生, freee, Money Forward, a trial balance) must refuse an
empty or oversized file before reading it, name the encoding it found rather than guess, and
hash the bytes (the web detects the same file imported twice by this hash). Streams, never
whole files: a 1,000,000-row 弥生 journal is ~90 MB, read once as it is hashed.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from keiei.errors import KeieiInputError

#: Bytes of one books file. A 1,000,000-row 弥生 journal is about 90 MB; a larger file is
#: refused before it is read (a 12-month SME journal is a few MB).
MAX_BOOK_BYTES: Final = 100 * 1024 * 1024
#: Bytes read to decide the encoding; the rest is checked as it is decoded.
SNIFF_BYTES: Final = 1024 * 1024

UTF8_BOM: Final = codecs.BOM_UTF8
#: How each encoding is named to a user.
ENCODING_LABELS: Final = {"utf-8-sig": "UTF-8（BOM付き）", "utf-8": "UTF-8", "cp932": "Shift_JIS（CP932）"}


@dataclass(frozen=True, slots=True)
class BookFile:
    """A books file as found: where, how big, its hash and its encoding."""

    path: Path
    size: int
    sha256: str
    #: "utf-8-sig" (UTF-8 with a BOM), "utf-8" or "cp932".
    encoding: str

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @contextmanager
    def text(self) -> Iterator[TextIO]:
        """The file as text lines in its encoding (strict: a bad byte raises, see `decode_error`)."""
        with self.path.open("r", encoding=self.encoding, newline="", errors="strict") as stream:
            yield stream


def open_book(path: str | Path, *, max_bytes: int = MAX_BOOK_BYTES, field: str = "FILE") -> BookFile:
    """Check size and encoding and hash the file (one pass over the bytes); never decodes it all."""
    where = Path(path)
    try:
        if not where.is_file():
            raise KeieiInputError(field, f"ファイルが見つかりません: {where}", f"not a file: {where}")
        size = where.stat().st_size
    except OSError as exc:
        raise KeieiInputError(field, f"ファイルを読めません（{exc.strerror}）", f"cannot read: {exc}") from None
    if size == 0:
        raise KeieiInputError(field, f"ファイルが空です（0 バイト）: {where.name}", "empty file")
    if size > max_bytes:
        raise KeieiInputError(
            field,
            f"ファイルが大きすぎます（{size:,} バイト。{max_bytes // (1024 * 1024)} MB まで）: {where.name}",
            f"file of {size} bytes, more than {max_bytes}",
        )
    digest = hashlib.sha256()
    with where.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        digest.update(head)
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return BookFile(where, size, digest.hexdigest(), detect_encoding(head, complete=size <= SNIFF_BYTES, field=field))


def detect_encoding(head: bytes, *, complete: bool, field: str = "FILE") -> str:
    """UTF-8 with a BOM, UTF-8, or CP932 — from the first bytes; an error when none fits.

    UTF-8 is tried first: Japanese text in CP932 is almost never valid UTF-8, while UTF-8 text
    often decodes as (wrong) CP932. A multi-byte character cut at the end of the sample is
    allowed (`final=not complete`). Bytes beyond the sample are checked as they are read.
    """
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            decoder.decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    raise KeieiInputError(
        field,
        "文字コードを判定できません（UTF-8・Shift_JIS（CP932）のどちらでもありません）。"
        "会計ソフトから UTF-8 か Shift_JIS で書き出し直してください",
        "neither UTF-8 nor CP932",
    )


def decode_error(book: BookFile, line: int, exc: UnicodeDecodeError, field: str = "FILE") -> KeieiInputError:
    """The error for a byte the detected encoding cannot read, later in the file.

    Text is decoded in blocks ahead of the CSV reader, so the line the reader had reached is
    not where the byte is: the file is read again as bytes, line by line, to name the line
    (only on this error path).
    """
    found = _first_bad_line(book) or line
    return KeieiInputError(
        f"{field}: {found} 行目",
        f"{book.encoding_label} として読めない文字があります（{exc.reason}）。"
        "ファイル全体を同じ文字コードで書き出し直してください",
        f"undecodable bytes for {book.encoding} at line {found}: {exc}",
    )


def _first_bad_line(book: BookFile) -> int | None:
    decoder = codecs.getincrementaldecoder(book.encoding)("strict")
    with book.path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None


def text_of(data: bytes, encoding: str) -> io.StringIO:
    """A text stream over bytes already in memory (small files: JSON, mapping files)."""
    return io.StringIO(data.decode(encoding))
