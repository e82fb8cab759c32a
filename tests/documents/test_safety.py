"""The checks of built documents (keiei.documents.safety) and the builders' refusal to write a bad one.

Every bad document here is made on purpose (pypdf, XlsxWriter, Typst with raw source), so
each check is shown to find what it is for; the clean ones show it finds nothing in keiei's
own documents.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import pickle
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from keiei.documents import build_plan_pdf, build_workbook, render, workbook
from keiei.documents.safety import DocumentSafetyError, check_document, check_pdf, check_xlsx, ensure_safe
from keiei.plan import load_plan

from .conftest import CAFE

DAY = dt.date(2025, 1, 1)


def _typst(source: str) -> bytes:
    """Raw Typst source compiled with the documents' fonts (a page a template mistake could make)."""
    import typst

    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text('#set text(font: "Noto Sans CJK JP", lang: "ja")\n' + source)
        compiler = typst.Compiler(root=tmp, font_paths=render._fonts(), ignore_system_fonts=True)
        return bytes(compiler.compile(input=str(main), format="pdf"))


def _templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> None:
    """Point the renderer at a templates folder holding lib.typ and `name` with `source`."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(render.TEMPLATES / render.LIBRARY, folder / render.LIBRARY)
    (folder / name).write_text('#import "lib.typ": *\n' + source)
    monkeypatch.setattr(render, "TEMPLATES", folder)


def _link_in_object_stream(url: str) -> bytes:
    """A one-page PDF whose link annotation lives in a compressed object stream (/ObjStm), as
    some writers (WeasyPrint, qpdf) store them; written by hand since pypdf writes none."""
    import struct
    import zlib

    annot = f"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI ({url}) >> >>".encode()
    objstm_body = b"5 0 " + annot
    first = len(b"5 0 ")
    packed = zlib.compress(objstm_body)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (first, len(packed))
        + packed
        + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    for num, body in objects.items():
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [struct.pack(">BIH", 2, 4, 0), struct.pack(">BIH", 1, offsets[6], 0)]
    xref = b"".join(rows)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(xref)
        + xref
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def _blank_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _kinds(data: bytes) -> set[str]:
    return {h.kind for h in check_pdf(data)}


# --------------------------------------------------------------------------- PDF


def test_a_plain_document_with_internal_links_is_clean() -> None:
    data = _typst("= 見出し <a>\n#link(<a>)[目次へ]\n#outline()")
    assert check_pdf(data) == []


def test_the_built_plan_pdfs_are_clean(cafe_dir: Path) -> None:
    for pdf in sorted(cafe_dir.glob("*.pdf")):
        assert check_pdf(pdf.read_bytes()) == [], pdf.name


def test_an_embedded_file_is_found() -> None:
    writer = _blank_writer()
    writer.add_attachment("passwd", b"root:x:0:0")
    assert {"embedded-file"} <= _kinds(_bytes(writer))


def test_a_file_attachment_annotation_is_found() -> None:
    writer = _blank_writer()
    spec = DictionaryObject(
        {NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("passwd")}
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)]),
            NameObject("/FS"): spec,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    assert {"annotation", "embedded-file"} <= _kinds(_bytes(writer))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "https://example.invalid/x", "//example.invalid/x"])
def test_a_uri_link_is_found(url: str) -> None:
    writer = _blank_writer()
    writer.add_annotation(0, Link(rect=(0, 0, 10, 10), url=url))
    findings = check_pdf(_bytes(writer))
    assert [h.kind for h in findings] == ["action"]
    assert url in findings[0].detail


def test_a_link_inside_an_object_stream_is_found() -> None:
    """Some writers put annotations into compressed object streams: the check reads them."""
    data = _link_in_object_stream("https://example.invalid/")
    reader = PdfReader(io.BytesIO(data))
    in_streams = {n for n in reader.xref_objStm if reader.get_object(n).get("/Subtype") == "/Link"}
    assert in_streams, "expected the link annotation inside an object stream"
    findings = check_pdf(data)
    assert [h.kind for h in findings] == ["action"]
    assert "https://example.invalid/" in findings[0].detail


def test_javascript_and_launch_actions_are_found() -> None:
    writer = _blank_writer()
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("/bin/sh"),
        }
    )
    data = _bytes(writer)
    details = " ".join(h.detail for h in check_pdf(data))
    assert {"action", "javascript", "additional-actions"} <= _kinds(data)
    assert "/Launch" in details and "/JavaScript" in details


def test_a_remote_goto_is_found() -> None:
    writer = _blank_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/GoToR"), NameObject("/F"): TextStringObject("http://example.invalid/a.pdf")}
    )
    assert "action" in _kinds(_bytes(writer))


def test_an_encrypted_or_foreign_file_is_not_passed() -> None:
    writer = _blank_writer()
    writer.encrypt("secret")
    assert _kinds(_bytes(writer)) == {"encrypted"}
    assert _kinds(b"<html>not a pdf</html>") == {"not-pdf"}
    assert _kinds(b"%PDF-1.7\n%garbage") == {"unreadable"}


# --------------------------------------------------------------------------- xlsx


def _xlsx(fill: object) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("s")
    fill(sheet)  # type: ignore[operator]
    book.close()
    return buffer.getvalue()


def test_the_built_workbook_is_clean(cafe_dir: Path) -> None:
    assert check_xlsx((cafe_dir / "plan.xlsx").read_bytes()) == []


def test_keiei_formulas_pass() -> None:
    def fill(s: object) -> None:
        s.write_number("A1", 1)  # type: ignore[attr-defined]
        s.write_formula("A2", "=SUM(A1:A1)", None, 1)  # type: ignore[attr-defined]
        s.write_formula("A3", "=A1-A2+$A$1", None, 1)  # type: ignore[attr-defined]
        s.write_formula("A4", "=-A1", None, -1)  # type: ignore[attr-defined]
        s.write_string("A5", "=1+1")  # type: ignore[attr-defined]

    assert check_xlsx(_xlsx(fill)) == []


@pytest.mark.parametrize(
    "formula",
    ['=HYPERLINK("http://example.invalid","x")', "=1+1", "=cmd|' /C calc'!A0", "='[other.xlsx]Sheet1'!A1", "=SUM(A1)"],
)
def test_a_foreign_formula_is_found(formula: str) -> None:
    findings = check_xlsx(_xlsx(lambda s: s.write_formula("A1", formula)))
    assert [h.kind for h in findings] == ["formula"]


@pytest.mark.parametrize("url", ["http://example.invalid/", "file:///etc/passwd", "external:c:\\secret.xlsx"])
def test_a_hyperlink_is_found(url: str) -> None:
    findings = check_xlsx(_xlsx(lambda s: s.write_url("A1", url)))
    assert {"hyperlink", "relationship"} <= {h.kind for h in findings}


def test_an_external_link_part_is_found() -> None:
    clean = _xlsx(lambda s: s.write_string("A1", "x"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(clean)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    assert [h.kind for h in check_xlsx(buffer.getvalue())] == ["part"]


# --------------------------------------------------------------------------- any document


def test_check_document_reads_a_zip_of_documents_member_by_member() -> None:
    good = _typst("ok")
    writer = _blank_writer()
    writer.add_attachment("passwd", b"root")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("form-1.pdf", good)
        archive.writestr("form-2.pdf", _bytes(writer))
    findings = check_document(buffer.getvalue(), "forms.zip")
    assert findings and all(h.where.startswith("forms.zip/form-2.pdf") for h in findings)
    assert check_document(good) == []
    assert [h.kind for h in check_document(b"plain text")] == ["unknown-format"]


def test_ensure_safe_raises_with_a_japanese_message_and_logs_english(caplog: pytest.LogCaptureFixture) -> None:
    writer = _blank_writer()
    writer.add_attachment("passwd", b"root")
    with caplog.at_level(logging.ERROR, logger="keiei.documents.safety"), pytest.raises(DocumentSafetyError) as info:
        ensure_safe(_bytes(writer), "plan.pdf")
    assert info.value.field == "plan.pdf"
    assert "添付ファイル" in info.value.message_ja
    assert "forbidden" in info.value.message_en
    assert any("refused document plan.pdf" in r.getMessage() for r in caplog.records)


def test_the_refusal_survives_pickling() -> None:
    """The plan PDF may be built in a forked worker (`build_package(parallel=True)`): its
    refusal must reach the parent as itself, not as a TypeError from unpickling."""
    error = pickle.loads(pickle.dumps(DocumentSafetyError("plan.pdf", "日本語", "english")))
    assert isinstance(error, DocumentSafetyError)
    assert (error.field, error.message_ja, error.message_en) == ("plan.pdf", "日本語", "english")


# --------------------------------------------------------------------------- the builders refuse


def test_the_plan_pdf_builder_refuses_to_write_a_document_with_an_attachment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template that attached a file Typst may read (inside its root) is still refused: the
    check, not the root, is the last line."""
    _templates(tmp_path, monkeypatch, "plan.typ", '#pdf.attach("lib.typ")\n計画')
    out = tmp_path / "plan.pdf"
    with pytest.raises(DocumentSafetyError):
        build_plan_pdf(load_plan(CAFE), None, out)
    assert not out.exists()


def test_write_parts_writes_no_part_when_one_is_bad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _templates(tmp_path, monkeypatch, "forms.typ", '#if data.bad { link("https://example.invalid/")[二] } else [一]')
    parts = [(tmp_path / "one.pdf", "一", {"bad": False}), (tmp_path / "two.pdf", "二", {"bad": True})]
    with pytest.raises(DocumentSafetyError):
        render.write_parts("forms.typ", parts, day=DAY)
    assert not any(p.exists() for p, _, _ in parts)


def test_the_workbook_builder_refuses_a_foreign_formula(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "formula_text", lambda terms, refs: '=HYPERLINK("http://example.invalid")')
    out = tmp_path / "plan.xlsx"
    with pytest.raises(DocumentSafetyError):
        build_workbook(load_plan(CAFE), None, out)
    assert not out.exists()
