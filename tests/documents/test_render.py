"""The Typst renderer reads nothing it wasn't given, shows data as text, and fails on a missing font.

(keiei.documents.render.) The templates here are raw Typst, not keiei's: they are what a
template mistake would let through, so the root, the fonts and the data path are tested on
their own. A plan's text never becomes Typst source (it is JSON data), so the hostile strings
are tested through the real templates as well.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import typst
from pypdf import PdfReader

from keiei.documents import render
from keiei.documents.tables import Cell, Column, Row, Table

DAY = dt.date(2025, 9, 30)
META = render.document_meta("題", "著者", DAY)


@pytest.fixture()
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A templates folder of our own (lib.typ copied), used by `render.compile_pdf`."""
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copyfile(render.TEMPLATES / render.LIBRARY, folder / render.LIBRARY)
    monkeypatch.setattr(render, "TEMPLATES", folder)
    return folder


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    "way",
    [
        '#read("/etc/passwd")',
        '#read("../../../../../../../../etc/passwd")',
        '#image("/etc/passwd")',
        '#read("' + "../" * 3 + 'secret.txt")',  # the test's own file beside the templates folder
        '#read("/secret.txt")',
        '#json("/templates/lib.typ")',  # the templates folder itself is not the root
    ],
)
def test_no_file_outside_the_compile_root_can_be_read(templates: Path, tmp_path: Path, way: str) -> None:
    (tmp_path / "secret.txt").write_text("SECRET-CONTENT-1234")
    (templates / "t.typ").write_text('#import "lib.typ": *\n' + way + "\n")
    with pytest.raises(typst.TypstError) as info:
        render.compile_pdf("t.typ", {"meta": META}, day=DAY)
    assert "SECRET" not in str(info.value)


def test_the_root_holds_only_the_library_and_the_template(templates: Path) -> None:
    (templates / "other.typ").write_text("other")
    (templates / "t.typ").write_text('#import "lib.typ": *\n#read("other.typ")\n')
    with pytest.raises(typst.TypstError):
        render.compile_pdf("t.typ", {"meta": META}, day=DAY)


def test_keiei_templates_import_no_package() -> None:
    """Typst downloads `@preview/…` packages from the network: no template may name one."""
    for path in render.TEMPLATES.glob("*.typ"):
        assert "@preview" not in path.read_text() and "@local" not in path.read_text(), path.name


def test_an_unknown_font_fails_the_build_with_a_japanese_message(templates: Path) -> None:
    (templates / "t.typ").write_text(
        '#import "lib.typ": *\n#show: setup.with(data.meta)\n#text(font: "No Such Font")[x]\n'
    )
    with pytest.raises(render.DocumentFontError) as info:
        render.compile_pdf("t.typ", {"meta": META}, day=DAY)
    assert "フォント" in info.value.message_ja and "fonts-noto-cjk" in info.value.message_ja
    assert "no such font" in info.value.message_en.lower()


def test_the_fonts_are_only_noto_cjk() -> None:
    families = set(render._fonts().families())
    assert "Noto Sans CJK JP" in families
    assert all("CJK" in name for name in families), families  # no system font, no embedded default


HOSTILE = (
    '#import "x": *',
    "$x^2$ ] [ #{ 1 + 1 }",
    "\\ \\\\ back\\slash",
    "@label <label> #label",
    '#read("/etc/passwd")',
    "*bold* _em_ `raw` = heading",
    "// comment /* block */",
)


def test_typst_markup_in_data_prints_literally(templates: Path) -> None:
    """Strings with Typst markup (`#`, `$`, `]`, `\\`, `@`, `<`) print as typed: they are data."""
    column = Column("c", ("見出し",), fmt="text", width=60)
    table = Table("t", "表", (column,), tuple(Row(f"r{i}", s, (Cell(s),), fmt="text") for i, s in enumerate(HOSTILE)))
    (templates / "t.typ").write_text(
        '#import "lib.typ": *\n#show: setup.with(data.meta)\n#ktable(data.table)\n#kv(data.pairs)\n#items(data.list)\n'
    )
    pdf = render.compile_pdf(
        "t.typ",
        {
            "meta": META,
            "table": render.table_data(table, "円"),
            "pairs": [[s, s] for s in HOSTILE],
            "list": list(HOSTILE),
        },
        day=DAY,
    )
    text = "".join(_text(pdf).split())
    for s in HOSTILE:
        assert text.count("".join(s.split())) >= 5, s  # label and cell of the table, both of kv, the list


def test_the_real_templates_print_markup_in_plan_text_literally(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed: apt-get install poppler-utils")
    from keiei.documents import build_plan_pdf
    from keiei.plan import parse_plan, read_plan_data

    from .conftest import CAFE

    data = read_plan_data(CAFE)
    data["company"]["name"] = "#株式会社 $x$ ] \\ @a <b>"
    data["causes_of_distress"] = list(HOSTILE)
    out = build_plan_pdf(parse_plan(data, "hostile"), None, tmp_path / "plan.pdf")
    text = "".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "#株式会社$x$]\\@a<b>" in text
    for s in HOSTILE:
        assert "".join(s.split()) in text, s


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    from keiei.documents import build_plan_pdf
    from keiei.plan import load_plan

    from .conftest import CAFE

    plan = load_plan(CAFE)
    a = build_plan_pdf(plan, None, tmp_path / "a.pdf").read_bytes()
    b = build_plan_pdf(plan, None, tmp_path / "b.pdf").read_bytes()
    assert a == b
    assert b"/CreationDate" in a and b"/Tagged" not in a  # fixed date; untagged on purpose (docs)


def test_iso_months_read_as_seireki_and_wareki() -> None:
    from keiei.dates import month_text

    assert month_text("2025-09") == "2025年9月（令和7年9月）"
    assert month_text("2019-04-30") == "2019年4月30日（平成31年4月30日）"
    assert month_text("来期中") == "来期中"
    assert month_text("2025-13") == "2025-13"


def test_the_405_plan_has_a_monitoring_section_and_no_iso_month(manufacturer_dir: Path, pdf_text: object) -> None:
    import re

    text = "".join(_text((manufacturer_dir / "plan.pdf").read_bytes()).split())
    assert "モニタリング（伴走支援）の体制" in text and "報告する者" in text and "金融機関との会議" in text
    report = "".join(_text((manufacturer_dir / "form-4-monitoring-report.pdf").read_bytes()).split())
    assert not re.search(r"20\d\d-\d\d", report), "an ISO month in the monitoring report"
    assert "2025年9月（令和7年9月）" in report
