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
