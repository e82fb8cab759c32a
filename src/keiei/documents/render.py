"""Typst templates to PDF, from data, reproducibly and reading nothing it wasn't given.

Why a single place: every PDF carries the same fixed metadata (creation date from the plan or
the case, never the clock), the same fonts and the same table rendering.

Why Typst (issue 12, docs/documents.md "Speed"): it lays the plan out natively in a fraction
of WeasyPrint's time, breaks Japanese lines with kinsoku (`lang: "ja"`), repeats table headers
and writes the same bytes on every run. The binding is pinned exactly (`typst==0.15.2`): the
PDF text snapshots depend on its layout.

Safety (docs/documents.md, "安全のために / Safety"):

- **Data, never source.** A template gets one JSON value (`sys.inputs.data`) and shows its
  strings as text: a string from a plan or case file is never parsed as Typst markup, so
  `#import`, `$…$`, `]`, `\\`, `@label`, `<label>` print as typed. No Typst source is
  generated from user text (`escape.typst_string` stays the tested helper should that change).
- **A root of its own.** Each compile gets a fresh temporary folder holding only copies of
  keiei's templates; Typst reads nothing outside its root, and images (the SVG diagram and
  charts) come as strings in `sys.inputs`, not as files. No package is ever fetched (the
  templates import none, and the package paths point into the empty root).
- **Fonts given, not found.** Only the Noto CJK folder (`fonts.cjk_font_dirs`), system fonts
  ignored; a font Typst cannot find ("unknown font family") fails the build with a Japanese
  message instead of printing tofu.
- Every PDF is checked by `keiei.documents.safety` before it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from keiei.documents.figures import Unit, amount_text
from keiei.documents.fonts import FONT_FAMILY, cjk_font_dirs, document_timestamp
from keiei.documents.safety import ensure_safe
from keiei.documents.tables import Cell, Column, Row, Table
from keiei.errors import KeieiInputError
from keiei.finance.display import percent_text, ratio_text

log = logging.getLogger(__name__)

TEMPLATES = Path(str(resources.files("keiei.documents").joinpath("templates")))
GENERATOR = "keiei"
#: The shared template every compile's root holds beside the document's own template.
LIBRARY = "lib.typ"
#: Untagged PDF (docs/documents.md "The plan PDF"): the documents are printed and filed, a
#: tagged PDF is 3.3 times larger (the 405 plan: 248 kB → 826 kB), and the text stays searchable and
#: extractable in reading order without tags.
PDF_TAGS = False


class DocumentFontError(KeieiInputError):
    """The Japanese font is missing: a PDF would print boxes instead of characters."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "fonts",
            f"PDF に使う日本語フォント（{FONT_FAMILY}）が見つかりません（{detail}）。"
            "Debian では apt-get install fonts-noto-cjk で入ります",
            f"font for the PDF not found ({detail}): install fonts-noto-cjk",
        )


def cell_text(cell: Cell, row: Row, column: Column, unit: Unit) -> str:
    """The text a table cell shows in the PDF (the workbook formats the same value itself)."""
    value = cell.value
    if value is None or cell.kind == "blank":
        return ""
    if isinstance(value, str):
        return value
    fmt = column.fmt or row.fmt
    if fmt == "percent":
        return percent_text(value)
    if fmt == "ratio":
        return ratio_text(value)  # indicator cells hold the figure as shown (tables.indicator_cell)
    if fmt == "count":
        return f"{int(value):,}"
    return amount_text(int(value), unit)


def align(cell: Cell, row: Row, column: Column) -> str:
    """Alignment of a cell: n (numbers, right), c (short marks, centred), t (text)."""
    if isinstance(cell.value, str):
        return "c" if len(cell.value) <= 2 else "t"
    return "n"


def col_widths(table: Table, start: int = 0, stop: int | None = None) -> list[float]:
    """Relative widths of the label column and the selected columns (shares of the width)."""
    widths = [table.label_width, *(c.width for c in table.columns[start:stop])]
    total = sum(widths)
    return [round(w / total, 4) for w in widths]


def chunks(columns: Sequence[Any], size: int) -> list[tuple[int, int]]:
    """(start, stop) ranges splitting the columns into as few, even pieces of at most `size`."""
    n = len(columns)
    pieces = max(1, -(-n // size))
    step = -(-n // pieces)
    return [(i, min(i + step, n)) for i in range(0, n, step)] or [(0, 0)]


def table_data(t: Table, unit: Unit, start: int = 0, stop: int | None = None) -> dict[str, Any]:
    """A table as the templates' `grid` reads it: every cell already formatted as text."""
    cols = t.columns[start:stop]
    return {
        "title": t.title,
        "note": t.note,
        "label_heading": t.label_heading,
        "widths": col_widths(t, start, stop),
        "columns": [{"lines": [line for line in c.lines if line], "kind": c.kind} for c in cols],
        "rows": [
            {
                "label": r.label,
                "style": r.style,
                "indent": r.indent,
                "cells": [
                    [cell_text(cell, r, c, unit), align(cell, r, c)]
                    for cell, c in zip(r.cells[start:stop], cols, strict=True)
                ],
            }
            for r in t.rows
        ],
    }


def pairs(rows: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Label/value rows (profile, targets) as JSON lists."""
    return [[label, value] for label, value in rows]


@dataclass(frozen=True)
class Part:
    """One form written as its own file (`first_page`/`last_page`: 0-based, within the file)."""

    path: Path
    title: str
    first_page: int
    last_page: int


@cache
def _fonts() -> Any:
    import typst

    dirs = cjk_font_dirs()
    if not dirs:
        raise DocumentFontError("fonts-noto-cjk が入っていません")
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(d) for d in dirs])
    if FONT_FAMILY not in fonts.families():
        raise DocumentFontError(", ".join(str(d) for d in dirs))
    return fonts


_lock = threading.Lock()


def compile_pdf(
    template: str, data: Mapping[str, Any], *, day: dt.date, images: Mapping[str, str] | None = None
) -> bytes:
    """Compile `template` with `data` (JSON) and `images` (SVG text) as its only inputs.

    The root is a fresh temporary folder holding copies of keiei's templates and nothing
    else; fonts are the Noto CJK folder only. Any "unknown font" warning fails the build
    (`DocumentFontError`); other warnings are logged in English.
    """
    import typst

    inputs = {"data": json.dumps(data, ensure_ascii=False, separators=(",", ":"))}
    for name, svg in (images or {}).items():
        inputs[f"image-{name}"] = svg
    with tempfile.TemporaryDirectory(prefix="keiei-typst-") as tmp:
        root = Path(tmp)
        for name in (LIBRARY, template):
            shutil.copyfile(TEMPLATES / name, root / name)
        # The binding's compiler is not documented as thread-safe; the web app serves threads.
        with _lock:
            compiler = typst.Compiler(
                root=str(root),
                font_paths=_fonts(),
                ignore_system_fonts=True,
                package_path=str(root),
                package_cache_path=str(root),
            )
            result, warnings = compiler.compile_with_warnings(
                input=str(root / template),
                format="pdf",
                sys_inputs=inputs,
                timestamp=document_timestamp(day),
                pdf_tags=PDF_TAGS,
            )
    for w in warnings:
        message = str(getattr(w, "message", w))
        if "font" in message.lower():
            raise DocumentFontError(message)
        log.warning("typst warning in %s: %s", template, message)
    if not isinstance(result, bytes):
        raise TypeError("typst returned no PDF")
    return result


def page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def write_pdf(
    template: str,
    data: Mapping[str, Any],
    out_path: Path,
    *,
    day: dt.date,
    images: Mapping[str, str] | None = None,
) -> bytes:
    """Compile and write one PDF; checked (`safety.ensure_safe`) before it is written."""
    pdf = compile_pdf(template, data, day=day, images=images)
    ensure_safe(pdf, out_path.name)
    out_path.write_bytes(pdf)
    return pdf


def write_parts(template: str, parts: Sequence[tuple[Path, str, Mapping[str, Any]]], *, day: dt.date) -> list[Part]:
    """Compile one PDF per part `(path, title, data)`; write none unless every one is safe.

    Each form is its own compile (page numbers restart by construction); a compile of a form
    is a few milliseconds, so one pass split afterwards would save nothing.
    """
    built: list[tuple[Part, bytes]] = []
    for path, title, data in parts:
        pdf = compile_pdf(template, data, day=day)
        ensure_safe(pdf, path.name)  # every part checked before any is written
        built.append((Part(path, title, 0, page_count(pdf) - 1), pdf))
    for part, pdf in built:
        part.path.write_bytes(pdf)
    return [part for part, _ in built]


def document_meta(title: str, author: str, day: dt.date) -> dict[str, Any]:
    """The metadata every template sets with `set document(...)`: fixed, from the case."""
    return {"title": title, "author": author, "date": [day.year, day.month, day.day], "generator": GENERATOR}
