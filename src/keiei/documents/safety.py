"""Checks of built documents before anyone gets them: nothing attached, nothing external.

Why a check after escaping and the renderer's fetcher (`render.LocalOnlyFetcher`) already
prevent it: a document goes to banks and councils, and one that carries a server file as an
attachment or a link to a remote or local resource is a leak whatever the cause — a template
that forgot an escape, a new engine (Typst, a later issue) with other ways in, a library that
starts honouring a new tag. These checks look at the finished bytes, not at how they were
made, so they hold for every engine:

- `check_pdf`: every object of the PDF (object streams included, via pypdf) is searched for
  embedded files (`/EmbeddedFiles`, `/EmbeddedFile`, `/EF`, `/Filespec`), file attachment and
  multimedia annotations, and actions other than an internal `/GoTo` (`/URI` — remote or
  `file:` —, `/Launch`, `/GoToR`, `/GoToE`, `/JavaScript`, `/JS`, `/SubmitForm`,
  `/ImportData`, additional actions `/AA`, …). The documents only link inside themselves (the
  table of contents), so any of these is a finding.
- `check_xlsx`: external links (`xl/externalLinks/`), any relationship with
  `TargetMode="External"` (hyperlinks, linked images, OLE), hyperlinks, macros, embedded
  objects, data connections, and every formula must be one the workbook writes itself: a sum
  of a range or cell references added and subtracted (`=SUM(C5:C9)`, `=C5-C6+C7`), never a
  function call or text taken from the plan.
- `check_document` picks the check by the bytes (PDF, xlsx, or a ZIP of documents such as the
  web app's forms download, each member checked).

`ensure_safe` raises `DocumentSafetyError` (a `KeieiInputError`: the CLI and the web app show
its Japanese message, the English one goes to the log); the builders call it before writing a
file, the web app before caching and before serving.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from keiei.errors import KeieiInputError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Hazard:
    """One thing a document must not hold (not a plan check `keiei.errors.Finding`): `kind` (short English code), where, what."""

    kind: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} at {self.where}: {self.detail}"


class DocumentSafetyError(KeieiInputError):
    """A built document holds an attachment or an external reference; it is not written."""


# --------------------------------------------------------------------------- PDF

#: Action types (`/S`) a document may not carry: external, executable or form-submitting ones.
_BAD_ACTIONS = frozenset(
    {
        "/URI",
        "/Launch",
        "/GoToR",
        "/GoToE",
        "/JavaScript",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/Hide",
        "/GoTo3DView",
        "/RichMediaExecute",
        "/SetOCGState",
        "/Trans",
        "/Thread",
    }
)
#: Annotation subtypes that embed or play something.
_BAD_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})
#: Dictionary keys that only appear to attach, script or reach outside.
_BAD_KEYS = {
    "/EmbeddedFiles": "embedded-file",
    "/EF": "embedded-file",
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "additional-actions",
    "/URI": "uri",
    "/XFA": "xfa-form",
    "/RichMediaContent": "rich-media",
}
_MAX_DETAIL = 120


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _scan_pdf_object(obj: Any, where: str, out: list[Hazard], depth: int = 0) -> None:
    """Search one object and the direct objects inside it (indirect ones are visited on their own)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 64 or isinstance(obj, IndirectObject):
        return
    if isinstance(obj, DictionaryObject):
        kind_type = obj.get("/Type")
        if kind_type in ("/Filespec", "/EmbeddedFile"):
            out.append(Hazard("embedded-file", where, f"/Type {kind_type}"))
        if obj.get("/Subtype") in _BAD_ANNOTATIONS and (kind_type in (None, "/Annot") or "/Rect" in obj):
            out.append(Hazard("annotation", where, f"/Subtype {obj.get('/Subtype')}"))
        action = obj.get("/S")
        if action in _BAD_ACTIONS and (kind_type in (None, "/Action")):
            target = obj.get("/URI") or obj.get("/F") or obj.get("/JS") or ""
            out.append(Hazard("action", where, f"/S {action} {_short(target)}".rstrip()))
        elif kind_type == "/Action" and action not in ("/GoTo", "/Named"):
            out.append(Hazard("action", where, f"/S {action}"))
        for key, kind in _BAD_KEYS.items():
            if key in obj and not (key == "/URI" and action == "/URI"):  # the action itself is reported above
                out.append(Hazard(kind, where, f"{key} {_short(obj.get(key))}"))
        for key, value in obj.items():
            _scan_pdf_object(value, f"{where}{key}", out, depth + 1)
    elif isinstance(obj, ArrayObject):
        for i, value in enumerate(obj):
            _scan_pdf_object(value, f"{where}[{i}]", out, depth + 1)


def check_pdf(data: bytes) -> list[Hazard]:
    """What in the PDF `data` attaches a file or refers outside the document (empty: nothing).

    Walks every object the cross-reference tables list, those in object streams included, and
    the trailer; a PDF pypdf cannot read or one that is encrypted is itself a finding (it
    cannot be checked, so it is not served).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    if not data.startswith(b"%PDF-"):
        return [Hazard("not-pdf", "header", _short(data[:8]))]
    out: list[Hazard] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return [Hazard("encrypted", "trailer", "an encrypted PDF cannot be checked")]
        numbers: set[tuple[int, int]] = set()
        for generation, entries in reader.xref.items():
            numbers.update((number, generation) for number in entries)
        numbers.update((number, 0) for number in reader.xref_objStm)
        _scan_pdf_object(reader.trailer, "trailer", out)
        for number, generation in sorted(numbers):
            if number == 0:
                continue
            obj = reader.get_object(IndirectObject(number, generation, reader))
            _scan_pdf_object(obj, f"obj {number} {generation}", out)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        out.append(Hazard("unreadable", "pdf", f"{type(exc).__name__}: {_short(str(exc))}"))
    return out


# --------------------------------------------------------------------------- xlsx

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Parts a workbook of keiei never has: links out, macros, embedded programs, data sources.
_BAD_PARTS = (
    "xl/externalLinks/",
    "xl/vbaProject.bin",
    "xl/embeddings/",
    "xl/activeX/",
    "xl/connections.xml",
    "xl/queryTables/",
    "xl/ctrlProps/",
)
_REF = r"\$?[A-Z]{1,3}\$?[0-9]{1,7}"
#: The formulas the workbook writes (`workbook.formula_text`): a range sum, or references
#: added and subtracted, or 0. Anything else did not come from keiei's table model.
_OWN_FORMULA = re.compile(rf"SUM\({_REF}:{_REF}\)|-?{_REF}([+-]{_REF})*|0")
#: Bound on the parts read (a zip bomb must not exhaust memory while being checked).
_MAX_PART = 64 * 1024 * 1024


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    if info.file_size > _MAX_PART:
        return None
    return archive.read(info)


def check_xlsx(data: bytes) -> list[Hazard]:
    """What in the workbook `data` links outside it or computes something keiei did not write."""
    out: list[Hazard] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [Hazard("unreadable", "xlsx", str(exc))]
    with archive:
        for info in archive.infolist():
            name = info.filename
            if name.startswith(_BAD_PARTS) or name.lower().endswith((".bin", ".exe", ".dll")):
                out.append(Hazard("part", name, "external link, macro, embedded object or data connection"))
                continue
            if not name.endswith((".rels", ".xml")) or not (
                name.endswith(".rels") or name.startswith("xl/worksheets/")
            ):
                continue
            body = _read_part(archive, info)
            if body is None:
                out.append(Hazard("oversized", name, f"{info.file_size} bytes"))
                continue
            try:
                root = ElementTree.fromstring(body)
            except ElementTree.ParseError as exc:
                out.append(Hazard("unreadable", name, str(exc)))
                continue
            if name.endswith(".rels"):
                for rel in root.iter(f"{_REL_NS}Relationship"):
                    rel_type = rel.get("Type", "").rsplit("/", 1)[-1]
                    if rel.get("TargetMode") == "External" or rel_type in ("hyperlink", "externalLink", "oleObject"):
                        out.append(Hazard("relationship", name, f"{rel_type} -> {_short(rel.get('Target'))}"))
                continue
            for link in root.iter(f"{_MAIN_NS}hyperlink"):
                out.append(Hazard("hyperlink", name, f"{link.get('ref')} {_short(link.get('location') or '')}"))
            for cell in root.iter(f"{_MAIN_NS}c"):
                formula = cell.find(f"{_MAIN_NS}f")
                if formula is None:
                    continue
                text = (formula.text or "").strip()
                if formula.get("t") not in (None, "normal") or not _OWN_FORMULA.fullmatch(text):
                    out.append(Hazard("formula", f"{name}!{cell.get('r')}", _short(text)))
    return out


# --------------------------------------------------------------------------- any document


def _is_xlsx(archive: zipfile.ZipFile) -> bool:
    return "[Content_Types].xml" in archive.namelist() and any(n.startswith("xl/") for n in archive.namelist())


def check_document(data: bytes, name: str = "document") -> list[Hazard]:
    """`check_pdf` or `check_xlsx` by the bytes; a ZIP of documents is checked member by member."""
    if data.startswith(b"%PDF-"):
        return check_pdf(data)
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if _is_xlsx(archive):
                    return check_xlsx(data)
                out: list[Hazard] = []
                for info in archive.infolist():
                    body = _read_part(archive, info)
                    if body is None:
                        out.append(Hazard("oversized", f"{name}/{info.filename}", f"{info.file_size} bytes"))
                        continue
                    for f in check_document(body, f"{name}/{info.filename}"):
                        out.append(Hazard(f.kind, f"{name}/{info.filename}: {f.where}", f.detail))
                return out
        except zipfile.BadZipFile as exc:
            return [Hazard("unreadable", name, str(exc))]
    return [Hazard("unknown-format", name, _short(data[:8]))]


def ensure_safe(data: bytes, name: str) -> None:
    """Raise `DocumentSafetyError` when `check_document` finds anything in `data` (logged in English)."""
    findings = check_document(data, name)
    if not findings:
        return
    for f in findings[:20]:
        log.error("refused document %s: %s", name, f)
    raise DocumentSafetyError(
        name,
        "作成した書類に添付ファイルまたは外部への参照が含まれていたため、書類を出力しませんでした。"
        "計画の記入内容を確認し、解決しない場合は管理者に連絡してください。",
        f"built document {name} holds {len(findings)} forbidden item(s): {findings[0]}",
    )
