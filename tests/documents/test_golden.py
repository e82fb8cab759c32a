"""Golden snapshots: every workbook cell (value, formula, number format, input fill) and the
text of every PDF, compared with the reviewed files under tests/documents/snapshots/.

Regenerate after an intended change: `KEIEI_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -p no:django
tests/documents`. That run rewrites the changed files and fails (tests/snapshots.py) until you
have reviewed the diff (git diff tests/documents/snapshots) and run again without the variable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from .. import snapshots

SNAPSHOTS = Path(__file__).parent / "snapshots"


def dump_workbook(path: Path) -> str:
    """One line per non-empty cell: sheet!cell, value or formula, stored result, format, fill."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    lines: list[str] = []
    for ws in formulas.worksheets:
        cached = values[ws.title]
        setup = ws.page_setup
        lines.append(
            f"== {ws.title} | freeze={ws.freeze_panes} | print_titles={ws.print_title_rows} | "
            f"orientation={setup.orientation} paper={setup.paperSize} | header={ws.oddHeader.left.text}"
            f"/{ws.oddHeader.right.text} | footer={ws.oddFooter.center.text} | images={len(ws._images)}"
        )
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                stored = cached[cell.coordinate].value
                fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else ""
                text = repr(cell.value) if not isinstance(cell.value, str) else cell.value.replace("\n", "\\n")
                result = "" if stored == cell.value else f" -> {stored!r}"
                lines.append(f"{cell.coordinate}\t{text}{result}\t{cell.number_format}\t{fill}")
    return "\n".join(lines) + "\n"


def check_snapshot(name: str, text: str) -> None:
    snapshots.check_snapshot(SNAPSHOTS / name, text)


@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_workbook_snapshot(package: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(package)
    check_snapshot(f"{package.removesuffix('_dir')}.xlsx.txt", dump_workbook(out / "plan.xlsx"))


@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_pdf_text_snapshots(package: str, request: pytest.FixtureRequest, pdf_text: Callable[[Path], str]) -> None:
    out: Path = request.getfixturevalue(package)
    snapshots.check_snapshots(
        (SNAPSHOTS / f"{package.removesuffix('_dir')}.{pdf.stem}.txt", pdf_text(pdf))
        for pdf in sorted(out.glob("*.pdf"))
    )


def page_outline(pdf: Path) -> str:
    """Per page of the plan PDF: its size (portrait/landscape) and the headings and table titles on it.

    A golden of the rendered pages that survives font hinting (unlike hashed images): which
    section starts on which page, which pages are landscape, and the page count. A table or
    heading that moves to another page, or a near-blank page, shows up here.
    """
    import io
    import re

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    contents = reader.pages[1].extract_text() or ""
    sections = {m.group(1) for m in re.finditer(r"^(\d+\. .+?) \d+$", contents, re.M)}
    lines = [f"pages: {len(reader.pages)}"]
    for n, page in enumerate(reader.pages, 1):
        box = page.mediabox
        shape = "landscape" if box.width > box.height else "portrait"
        text = page.extract_text() or ""
        marks = [line.strip() for line in text.splitlines() if line.strip() in sections | set(KNOWN_TITLES)]
        lines.append(f"{n:>2} {shape:<9} {len(text.split()):>4} words | " + " / ".join(dict.fromkeys(marks)))
    return "\n".join(lines) + "\n"


#: Table and section titles the page golden looks for (besides the numbered section headings).
KNOWN_TITLES = (
    "会社概要",
    "業績と財務の状況",
    "窮境原因",
    "経営改善の基本方針",
    "計画の目標",
    "金融支援の内容",
    "実態純資産の推移",
    "モニタリング（伴走支援）の体制",
    "計画損益計算書",
    "計画の前提（主な入力）",
    "計画貸借対照表",
    "計画キャッシュフロー計算書",
)


@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_plan_pages_snapshot(package: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(package)
    check_snapshot(f"{package.removesuffix('_dir')}.plan.pages.txt", page_outline(out / "plan.pdf"))
