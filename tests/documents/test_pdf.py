"""The PDFs: fonts embedded, text searchable, wide tables on landscape pages, fixed metadata,
byte-for-byte reproducible."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from keiei.documents import build_payment_claim, load_case
from keiei.documents.charts import charts_svg
from keiei.documents.figures import figures_for
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]

MANUFACTURER = ROOT / "examples" / "405-manufacturer.yaml"
MANUFACTURER_CASE = ROOT / "examples" / "cases" / "405-manufacturer-case.yaml"


def flat(text: str) -> str:
    """Text without white space: table cells wrap and titles are letter-spaced in the PDF."""
    return re.sub(r"\s+", "", text)


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_every_font_is_embedded(package: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(package)
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) >= 5
    for pdf in pdfs:
        rows = run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, f"{pdf.name} has no fonts"
        for row in rows:
            # name type encoding emb sub uni object ID: the emb column is the 4th from the end
            assert row.split()[-4] == "yes", f"{pdf.name}: font not embedded: {row}"
        # WeasyPrint named the face Noto-Sans-CJK-JP, Typst NotoSansCJKjp: the same font
        assert any("notosanscjkjp" in row.replace("-", "").lower() for row in rows), pdf.name


def test_plan_text_is_searchable(manufacturer_dir: Path, pdf_text: Callable[[Path], str]) -> None:
    text = flat(pdf_text(manufacturer_dir / "plan.pdf"))
    for expected in (
        "経営改善計画書",
        "株式会社浪速精密工業",
        "窮境原因",
        "ビジネスモデル俯瞰図",
        "鋼材商社（2社）",  # diagram text is text, not a picture
        "金融支援の内容",
        "計画損益計算書",
        "計画貸借対照表",
        "計画キャッシュフロー計算書",
        "実態貸借対照表",
        "金融機関別返済計画",
        "なにわ銀行",
        "資金実績・計画表",
        "債務償還年数",  # chart labels are text too
        "経常黒字化（3年以内）",  # the criteria from keiei.plancheck
        "令和7年3月期",
        "△20,200",
    ):
        assert flat(expected) in text, expected


def test_wide_tables_are_on_landscape_pages(manufacturer_dir: Path, poppler: None) -> None:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(manufacturer_dir / "plan.pdf"))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    orientations = ["landscape" if float(w) > float(h) else "portrait" for w, h in sizes]
    assert orientations[:3] == ["portrait"] * 3  # cover, contents, profile
    assert orientations.count("landscape") >= 8
    texts = subprocess.run(
        ["pdftotext", "-layout", str(manufacturer_dir / "plan.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    for page, orientation in zip(texts, orientations, strict=False):
        if "計画損益計算書" in page and "売上総利益" in page:
            assert orientation == "landscape"


def test_metadata_is_fixed_and_output_reproducible(tmp_path: Path, poppler: None) -> None:
    plan, case = load_plan(MANUFACTURER), load_case(MANUFACTURER_CASE)
    build_payment_claim(plan, case, tmp_path / "a.pdf")
    build_payment_claim(plan, case, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    info = run("pdfinfo", "-isodates", str(tmp_path / "a.pdf"))
    assert "2025-09-30T00:00:00" in info  # the case's plan date, never the clock
    assert "支払申請書" in info


def test_charts_are_reproducible() -> None:
    f = figures_for(load_plan(MANUFACTURER))
    first, second = charts_svg(f), charts_svg(f)
    assert first == second and first.startswith("<svg") and 'width="100%"' in first[:300]
    assert "売上高（千円）" in first and "経常利益（千円）" in first
