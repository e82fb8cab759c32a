"""千円 display (docs/documents.md, "千円の表示"): in every table of every example the parts
as shown add up to their totals as shown, every amount is within one 千円 of its exact
figure, and the workbook holds exactly what the PDF prints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from keiei.documents import bank_tables, guideline_tables, overview, tables
from keiei.documents.figures import Figures, figures_for
from keiei.documents.render import cell_text
from keiei.documents.tables import ROUNDING_NOTE, Table
from keiei.documents.workbook import build_workbook
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def every_table(f: Figures) -> Iterator[list[Table]]:
    """Every table group of the documents (the groups `shown_tables` saw together)."""
    yield [tables.pl_table(f)]
    yield [tables.assumptions_table(f)]
    yield [tables.cash_table(f)]
    yield [tables.indicator_table(f)]
    yield [overview.performance_table(f), overview.summary_table(f)]
    if f.full_program:
        yield [tables.bs_table(f)]
        yield [tables.cf_table(f)]
        yield list(tables.adjusted_bs_tables(f))
        if f.banks:
            yield bank_tables.bank_tables(f)
            yield [bank_tables.loan_terms_table(f)]
    yield list(guideline_tables.liquidation_tables(f) or ())
    yield guideline_tables.guarantor_tables(f)
    yield [t for t in (guideline_tables.tax_loss_table(f), overview.scenario_table(f)) if t is not None]


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def figures(request: pytest.FixtureRequest) -> Figures:
    plan = load_plan(request.param)
    return figures_for(plan)


def test_parts_add_up_to_totals_as_shown(figures: Figures) -> None:
    assert figures.unit == "千円"
    totals = 0
    for group in every_table(figures):
        cells = {
            (r.key, c.key): (cell, r, c)
            for t in group
            for r in t.rows
            for c, cell in zip(t.columns, r.cells, strict=True)
        }
        for t in group:
            for r in t.rows:
                for c, cell in zip(t.columns, r.cells, strict=True):
                    if (c.fmt or r.fmt) != "yen" or not isinstance(cell.value, int):
                        continue
                    assert cell.value % 1000 == 0, (t.key, r.key, c.key)
                    if cell.kind != "formula":
                        continue
                    parts = sum(sign * (cells[(row, col)][0].value or 0) for row, col, sign in cell.terms)  # type: ignore[operator]
                    assert cell.value == parts, (t.key, r.label, c.key)
                    totals += 1
            if any(c.kind == "formula" for r in t.rows for c in r.cells):
                assert ROUNDING_NOTE in t.note, t.key
    assert totals > 50


def test_amounts_stay_within_one_thousand_of_the_engine() -> None:
    """A part moves at most one 千円 from its exact figure; the PL chain's totals are the exact
    figures truncated, or one 千円 off where the chain crosses zero (truncation toward zero
    then asks for more than the parts' floors and ceilings can give)."""
    plan = load_plan(ROOT / "examples" / "405-manufacturer.yaml")
    a = tables.pl_table(figures_for(plan, unit="円"))
    b = tables.pl_table(figures_for(plan, unit="千円"))
    for ra, rb in zip(a.rows, b.rows, strict=True):
        for x, y in zip(ra.cells, rb.cells, strict=True):
            if isinstance(x.value, int):
                assert isinstance(y.value, int) and abs(y.value - x.value) < 1000, ra.label
    checked = exact = 0
    for key in ("pl.sales", "pl.gross_profit", "pl.operating_profit", "pl.ordinary_profit", "pl.net_income"):
        for x, y in zip(a.row(key).cells, b.row(key).cells, strict=True):
            assert isinstance(x.value, int) and isinstance(y.value, int)
            truncated = int(x.value / 1000) * 1000
            assert abs(y.value - truncated) <= 1000, key
            checked += 1
            exact += y.value == truncated
    assert exact >= checked - 3  # 37 of 40 in this example (its losses cross zero in year 1)


def _numbers(ws: openpyxl.worksheet.worksheet.Worksheet) -> Iterator[tuple[str, int]]:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and cell.number_format.startswith("#,##0,"):
                yield cell.coordinate, int(cell.value)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_workbook_holds_what_the_pdf_prints(example: Path, tmp_path: Path) -> None:
    """Every 千円 cell holds whole thousands, so Excel's `#,##0,` prints exactly the PDF's
    text of the same cell (cell_text truncates, which is exact on whole thousands)."""
    plan = load_plan(example)
    out = build_workbook(plan, None, tmp_path / "plan.xlsx")
    values = openpyxl.load_workbook(out, data_only=True)
    count = 0
    for ws in values.worksheets:
        for where, value in _numbers(ws):
            assert value % 1000 == 0, (ws.title, where, value)
            count += 1
    assert count > 100
    f = figures_for(plan)
    pl = tables.pl_table(f)
    ws = values["計画損益計算書"]
    shown = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    for r in pl.rows:
        for c, cell in zip(pl.columns, r.cells, strict=True):
            if isinstance(cell.value, int):
                assert str(cell.value) in shown or str(float(cell.value)) in shown
                text = cell_text(cell, r, c, f.unit)
                assert text == (f"△{abs(cell.value) // 1000:,}" if cell.value < 0 else f"{cell.value // 1000:,}")
