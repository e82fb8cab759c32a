"""Hostile strings in every free-text field of a plan and its case file, through the whole package.

Two examples (the 405 manufacturer and the early restaurant, each with its case file) get
every free-text string replaced by an attack (tests/documents/hostile.py: closing `</style>`
with `<link rel=attachment href=file:///etc/passwd>`, script and image tags, Jinja, Typst and
TeX syntax, spreadsheet formulas, URLs, control and bidi characters, a long string). Each is
built once (module-scoped; a package takes seconds) with `build_package`, then:

- the build succeeds and writes every file a normal build writes;
- the renderer asked for no URL at all (nothing refused: the escaping stopped it first);
- `check_document` finds nothing (no attachment, no external reference, no foreign formula);
- the PDF text shows the payloads literally (escaped, not interpreted);
- no workbook cell is a formula made from user text; formula-like text is a string with
  Excel's quote prefix, URLs are plain strings.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from keiei.documents import build_package, parse_case
from keiei.documents.escape import formula_like
from keiei.documents.safety import check_document
from keiei.plan import parse_plan, read_plan_data

from .conftest import MANUFACTURER, MANUFACTURER_CASE, ROOT
from .hostile import hostile_case, hostile_plan

#: matplotlib warns that control characters have no glyph in the diagram image: expected here.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")

RESTAURANT = ROOT / "examples" / "early-restaurant.yaml"
RESTAURANT_CASE = ROOT / "examples" / "cases" / "early-restaurant-case.yaml"

#: Payloads whose text pdftotext gives back as typed (no control or bidi characters).
LITERAL = (
    "</style><link rel=attachment href=file:///etc/passwd><style>",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% if 1 %}jinja{% endif %}",
    '#import "x": *\\ ] #{',
    "=1+1",
    "$\\frac{1}{$ $x^2$ &amp; &lt;b&gt;",
    "http://example.invalid/?q=<b>",
)


@dataclass
class Built:
    out: Path
    plan: dict[str, object]
    case: dict[str, object]
    plan_map: dict[str, str]
    case_map: dict[str, str]
    asked: list[str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build(tmp: Path, plan_file: Path, case_file: Path) -> Built:
    plan_data, plan_map = hostile_plan(read_plan_data(plan_file))
    case_data, case_map = hostile_case(read_plan_data(case_file))
    handler = _Collect()
    logger = logging.getLogger("keiei.documents.render")
    logger.addHandler(handler)
    try:
        build_package(parse_plan(plan_data, "hostile"), tmp, case=parse_case(case_data))
    finally:
        logger.removeHandler(handler)
    return Built(tmp, plan_data, case_data, plan_map, case_map, [m for m in handler.messages if "fetch" in m])


@pytest.fixture(scope="module")
def manufacturer(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("hostile-405"), MANUFACTURER, MANUFACTURER_CASE)


@pytest.fixture(scope="module")
def restaurant(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("hostile-early"), RESTAURANT, RESTAURANT_CASE)


@pytest.fixture(params=["manufacturer", "restaurant"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed: apt-get install poppler-utils")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    """Text without whitespace (pdftotext breaks long lines where the layout wrapped them)."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- the variants


def test_every_free_text_field_is_hostile(manufacturer: Built, restaurant: Built) -> None:
    """The variants really replaced the fields that reach the documents (guards the generator)."""
    for b in (manufacturer, restaurant):
        plan = b.plan
        company = plan["company"]
        assert isinstance(company, dict)
        for key in ("name", "representative", "address", "business"):
            assert company[key] in b.plan_map.values(), key
        assert all(c in b.plan_map.values() for c in plan["causes_of_distress"])  # type: ignore[attr-defined]
        assert len(b.case_map) >= 10
    assert len(manufacturer.plan_map) > 90 and len(restaurant.plan_map) > 60


# --------------------------------------------------------------------------- every file


def test_the_package_is_complete(manufacturer: Built, restaurant: Built) -> None:
    assert sorted(p.name for p in manufacturer.out.iterdir()) == sorted(
        [
            "plan.xlsx",
            "plan.pdf",
            "form-1-application.pdf",
            "form-2-consent-1.pdf",
            "form-2-consent-2.pdf",
            "form-2-consent-3.pdf",
            "form-3-payment-claim.pdf",
            "form-4-monitoring-report.pdf",
        ]
    )
    assert sorted(p.name for p in restaurant.out.iterdir()) == sorted(
        [
            "plan.xlsx",
            "plan.pdf",
            "form-1-application.pdf",
            "form-2-receipt.pdf",
            "form-3-payment-claim.pdf",
            "form-4-monitoring-report.pdf",
        ]
    )


def test_the_renderer_was_asked_for_nothing(built: Built) -> None:
    assert built.asked == []


def test_no_file_holds_an_attachment_a_link_or_a_foreign_formula(built: Built) -> None:
    for path in sorted(built.out.iterdir()):
        assert check_document(path.read_bytes(), path.name) == [], path.name


# --------------------------------------------------------------------------- the PDF text


def test_the_plan_pdf_shows_the_payloads_as_text(built: Built) -> None:
    text = _flat(_text(built.out / "plan.pdf"))
    company = built.plan["company"]
    assert isinstance(company, dict)
    assert _flat(company["name"]) in text  # cover, and the @page header (a CSS string)
    shown = [p for p in LITERAL if _flat(p) in text]
    assert len(shown) == len(LITERAL), set(LITERAL) - set(shown)
    assert "49" not in re.findall(r"\{\{.{0,8}\}\}|49jinja", text)  # the Jinja payload was not evaluated
    assert "jinja{%endif%}" in text


def test_the_forms_show_plan_and_case_payloads_as_text(built: Built) -> None:
    text = _flat(_text(built.out / "form-1-application.pdf"))
    company = built.plan["company"]
    assert isinstance(company, dict)
    assert _flat(company["name"]) in text
    adviser = built.case["case"]["adviser"]["name"]  # type: ignore[index]
    assert adviser in built.case_map.values()
    assert _flat(adviser) in text
    claim = _flat(_text(built.out / "form-3-payment-claim.pdf"))
    assert _flat(adviser) in claim


# --------------------------------------------------------------------------- the workbook


def _cells(path: Path) -> Iterator[tuple[str, openpyxl.cell.cell.Cell]]:
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def test_no_workbook_cell_is_a_formula_or_link_from_user_text(built: Built) -> None:
    payloads = set(built.plan_map.values())
    formulas = 0
    texts: list[str] = []
    for sheet, cell in _cells(built.out / "plan.xlsx"):
        if cell.data_type == "f":
            formulas += 1
            assert re.fullmatch(r"=(SUM\([A-Z]+\d+:[A-Z]+\d+\)|-?[A-Z]+\d+([+-][A-Z]+\d+)*)", str(cell.value)), (
                sheet,
                cell.coordinate,
                cell.value,
            )
        elif isinstance(cell.value, str):
            texts.append(cell.value)
            assert cell.hyperlink is None, (sheet, cell.coordinate)
            if formula_like(cell.value):
                assert cell.quotePrefix, (sheet, cell.coordinate, cell.value)
    assert formulas > 50  # the workbook's own formulas are still there
    on_sheets = "\n".join(texts)
    for p in ("=1+1", "@SUM(A1)", "-2+3", "+HYPERLINK", "http://example.invalid/?q=<b>", "external:c:"):
        if any(v.startswith(p) for v in payloads):
            assert p in on_sheets, f"{p} was not written as text"
