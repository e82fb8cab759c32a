"""HTML templates (Jinja2) to PDF (WeasyPrint), reproducibly and reading nothing it wasn't given.

Why a single place: every PDF carries the same fixed metadata (creation date from the plan or
the case, never the clock), the same fonts and the same table rendering. Several documents can
be laid out in one WeasyPrint pass and written as separate files (`write_parts`): layout of a
small form costs little, but each pass has a fixed cost (stylesheets, fonts), and the forms are
many small documents.

Safety (docs/documents.md, "安全のために / Safety"): the templates autoescape HTML and take
the helpers of `keiei.documents.escape` for other contexts; WeasyPrint gets
`LocalOnlyFetcher`, which reads only files inside the package's templates folder and refuses
every other URL (network, other files, `data:`); and every PDF is checked by
`keiei.documents.safety` before it is written.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from keiei.documents.escape import css_string, html_lines
from keiei.documents.figures import Unit, amount_text
from keiei.documents.fonts import CSS_FONT_STACK, document_timestamp
from keiei.documents.safety import ensure_safe
from keiei.documents.tables import Cell, Column, Row, Table
from keiei.finance.display import percent_text, ratio_text

# WeasyPrint logs a warning for every presentation property inside matplotlib's inline SVG
# (fill, stroke, text-anchor: drawn correctly by its SVG renderer, "unknown" to its CSS
# parser). Hundreds of such lines would bury the one line a user should read.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
log = logging.getLogger(__name__)

TEMPLATES = Path(str(resources.files("keiei.documents").joinpath("templates")))
GENERATOR = "keiei"


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
    """CSS class of a cell: n (numbers, right), c (short marks, centred), t (text)."""
    if isinstance(cell.value, str):
        return "c" if len(cell.value) <= 2 else "t"
    return "n"


def col_widths(table: Table, start: int = 0, stop: int | None = None) -> list[str]:
    """Percent widths of the label column and the selected columns (fixed table layout)."""
    widths = [table.label_width, *(c.width for c in table.columns[start:stop])]
    total = sum(widths)
    return [f"{w / total * 100:.2f}" for w in widths]


def chunks(columns: Sequence[Any], size: int) -> list[tuple[int, int]]:
    """(start, stop) ranges splitting the columns into as few, even pieces of at most `size`."""
    n = len(columns)
    pieces = max(1, -(-n // size))
    step = -(-n // pieces)
    return [(i, min(i + step, n)) for i in range(0, n, step)] or [(0, 0)]


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        align=align,
        cell_text=cell_text,
        chunks=chunks,
        col_widths=col_widths,
        css_string=css_string,
        # keiei's own constant (fonts.py), not user text: Markup so templates need no `| safe`.
        font_stack=Markup(CSS_FONT_STACK),
    )
    env.filters["nl2br"] = html_lines
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    return environment().get_template(template).render(**context)


@dataclass(frozen=True)
class Part:
    """A page range of one rendered document written as its own file."""

    path: Path
    title: str
    first_page: int
    last_page: int


#: URL schemes the renderer may read, and from where: only files inside the templates folder.
#: The templates need none today (base.css is included by Jinja, fonts come from fontconfig,
#: the diagram and charts are inline SVG); the folder stays readable so a template may use a
#: stylesheet or image shipped beside it. `data:` is refused: nothing keiei writes uses it.
ALLOWED_ROOTS: tuple[Path, ...] = (TEMPLATES,)


def allowed_local_file(url: str) -> Path | None:
    """The file `url` names when the renderer may read it, else None.

    Allowed: a `file:` URL (no host, or `localhost`) whose real path — symlinks and `..`
    resolved — is a regular file inside one of `ALLOWED_ROOTS`. Everything else is refused:
    other files, `http(s):`, `ftp:`, `//host` (resolved against the `file:` base, so a host),
    `data:`, any other scheme.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    for root in ALLOWED_ROOTS:
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path
    return None


@cache
def _fetcher_class() -> type[Any]:
    import weasyprint  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcherResponse  # type: ignore[import-untyped]

    class LocalOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher, reduced to `allowed_local_file`; every refusal is logged.

        Why: WeasyPrint fetches whatever a document names — stylesheets, images, SVG
        `<image>`, `@import`, `url()`, and `<link rel=attachment>`, which it embeds in the PDF
        — from `file:` and the network. A document of keiei is built from user text; even
        escaped, the renderer must not be able to read a server file or reach a host.
        """

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = allowed_local_file(url)
            if path is None:
                log.warning("document renderer refused to fetch %r (only files in the templates folder)", url[:200])
                raise PermissionError(f"keiei refuses to fetch {url[:200]!r}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return LocalOnlyFetcher


def url_fetcher() -> Any:
    """A new `LocalOnlyFetcher` (WeasyPrint's fetchers keep per-request state)."""
    return _fetcher_class()()


def _html(html: str) -> Any:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=url_fetcher())


def _meta(document: Any, title: str, day: dt.date, author: str) -> None:
    stamp = document_timestamp(day).isoformat().replace("+00:00", "Z")
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.generator = GENERATOR
    document.metadata.created = stamp
    document.metadata.modified = stamp


def write_pdf(html: str, out_path: Path, *, title: str, day: dt.date, author: str = "") -> int:
    """Lay out `html` and write it to `out_path`; returns the number of pages.

    The PDF is checked (`safety.ensure_safe`) before it is written: a bad one is never on disk.
    """
    document = _html(html).render()
    _meta(document, title, day, author)
    data = document.write_pdf()
    ensure_safe(data, out_path.name)
    out_path.write_bytes(data)
    return len(document.pages)


def write_parts(html: str, parts: Sequence[tuple[Path, str, str]], *, day: dt.date, author: str = "") -> list[Part]:
    """Lay out one HTML holding several documents and write each as its own PDF.

    `parts` are (path, title, anchor id); a document runs from the page holding its anchor to
    the page before the next document's anchor. Each document's page numbers restart at 1
    (the templates reset the page counter where a document begins).
    """
    document = _html(html).render()
    starts: list[int] = []
    for _, _, anchor in parts:
        page = next((i for i, p in enumerate(document.pages) if anchor in p.anchors), None)
        if page is None:
            raise ValueError(f"anchor {anchor!r} not found in the rendered forms")
        starts.append(page)
    out: list[Part] = []
    built: list[bytes] = []
    for k, (path, title, _) in enumerate(parts):
        first = starts[k]
        last = starts[k + 1] - 1 if k + 1 < len(parts) else len(document.pages) - 1
        piece = document.copy(document.pages[first : last + 1])
        piece.metadata = copy.copy(document.metadata)
        _meta(piece, title, day, author)
        data = piece.write_pdf()
        ensure_safe(data, path.name)  # every part checked before any is written
        built.append(data)
        out.append(Part(path, title, first, last))
    for part, data in zip(out, built, strict=True):
        part.path.write_bytes(data)
    return out
