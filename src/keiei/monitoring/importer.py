"""One entry point: a books file → `Actuals`, the format detected or named, never guessed.

Detection reads the first line only: a 弥生 row (25 columns and a 識別フラグ), a freee or MF
journal header, a freee trial-balance JSON; a generic trial balance only with the columns named
in the mapping file. Anything else is a `KeieiInputError` asking for `--format`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Final

from keiei.errors import KeieiInputError
from keiei.monitoring import freee_json, generic, journal_csv, yayoi
from keiei.monitoring.actuals import Actuals, build_actuals
from keiei.monitoring.books import Books
from keiei.monitoring.mapping import Mapping
from keiei.monitoring.source import MAX_BOOK_BYTES, BookFile, decode_error, open_book
from keiei.monitoring.yayoi import Progress
from keiei.plan.model import Plan

FORMATS: Final = ("auto", "yayoi", "freee", "freee-json", "mf", "generic")
LABELS: Final = {
    "yayoi": "弥生会計 仕訳日記帳（弥生インポート形式）",
    "freee": journal_csv.FREEE.label,
    "freee-json": "freee会計 API 試算表（trial_bs・trial_pl）JSON",
    "mf": journal_csv.MF.label,
    "generic": "試算表 CSV（列の対応を指定）",
}


def detect_format(book: BookFile, mapping: Mapping | None = None) -> str:
    """The format of `book` from its first line (see the module doc)."""
    with book.text() as stream:
        try:
            head = stream.read(4096)
        except UnicodeDecodeError as exc:
            raise decode_error(book, 1, exc) from None
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = freee_json.load(book)
        except KeieiInputError:
            data = None
        if data is not None and freee_json.looks_like(data):
            return "freee-json"
    lines = [line for line in head.splitlines() if line.strip() and not line.startswith("#")]
    if lines:
        first = next(csv.reader([lines[0]]), [])
        if yayoi.looks_like(first):
            return "yayoi"
        if journal_csv.matches(journal_csv.MF, first):
            return "mf"
        if journal_csv.matches(journal_csv.FREEE, first):
            return "freee"
    if mapping is not None and mapping.columns is not None:
        return "generic"
    raise KeieiInputError(
        "--format",
        "ファイルの形式を判定できません。--format で yayoi・freee・freee-json・mf・generic のどれかを指定してください"
        "（試算表は対応表の columns: に列名を書いて --format generic）",
        "format not detected",
    )


def read_books(
    path: str | Path,
    fmt: str = "auto",
    mapping: Mapping | None = None,
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_BOOK_BYTES,
) -> Books:
    """Read a books file into per-account figures (no mapping yet)."""
    if fmt not in FORMATS:
        raise KeieiInputError("--format", f"形式 {fmt!r} はありません（{', '.join(FORMATS)}）", f"unknown format {fmt}")
    book = open_book(path, max_bytes=max_bytes)
    if fmt == "auto":
        fmt = detect_format(book, mapping)
    if fmt == "yayoi":
        with book.text() as stream:
            try:
                first = next((row for row in csv.reader(stream) if row and not row[0].startswith("#")), [])
            except UnicodeDecodeError as exc:
                raise decode_error(book, 1, exc) from None
        if not yayoi.looks_like(first):
            raise KeieiInputError(
                "--format",
                f"弥生インポート形式ではありません（1行目が {len(first)} 列・識別フラグ {first[0] if first else ''!r}）",
                "not yayoi",
            )
        return yayoi.read(book, progress)
    if fmt in ("freee", "mf"):
        return journal_csv.read(book, journal_csv.FREEE if fmt == "freee" else journal_csv.MF, progress)
    if fmt == "freee-json":
        try:
            return freee_json.read(book)
        except json.JSONDecodeError as exc:  # pragma: no cover - load() translates it
            raise KeieiInputError("FILE", f"JSON として読めません（{exc.msg}）", str(exc)) from None
    if mapping is None or mapping.columns is None:
        raise KeieiInputError(
            "--mapping",
            "試算表（generic）は、対応表ファイルの columns: に列名（account・closing など）を書いて --mapping で指定してください",
            "generic needs columns",
        )
    return generic.read(book, mapping.columns)


def plan_months(plan: Plan) -> tuple[str, str]:
    """The months of the plan years: the first after the last actual year to the last plan year's end."""
    return (str(plan.base_period.plus_months(1)), str(plan.plan_periods[-1]))


def import_books(
    path: str | Path,
    plan: Plan | None = None,
    fmt: str = "auto",
    mapping: Mapping | None = None,
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_BOOK_BYTES,
) -> Actuals:
    """A books file → actual figures by plan line, with every finding (the CLI's and web's call)."""
    mapping = mapping or Mapping()
    books = read_books(path, fmt, mapping, progress=progress, max_bytes=max_bytes)
    return build_actuals(
        books,
        mapping,
        fiscal_year_end_month=plan.company.fiscal_year_end_month if plan is not None else None,
        plan_company=plan.company.name if plan is not None else None,
        plan_months=plan_months(plan) if plan is not None else None,
    )
