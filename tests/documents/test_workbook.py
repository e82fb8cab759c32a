"""The workbook: formulas reproduce their stored results, the results are the engine's figures,
the sheets the programme asks for, inputs marked, 千円/円 and △ formats, print set-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from keiei.documents import build_workbook
from keiei.documents.workbook import HEADER_FILL, INPUT_FILL, formula_text
from keiei.finance import cash_schedule, project
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]
MANUFACTURER = ROOT / "examples" / "405-manufacturer.yaml"
CAFE = Path(__file__).parent / "data" / "early-cafe.yaml"

_REF = re.compile(r"([+-]?)([A-Z]+)([0-9]+)")
_SUM = re.compile(r"^=SUM\(([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)\)$")


def evaluate(formula: str, ws: Any) -> float:
    """The value of the workbook's formulas (`=A1-B2+C3`, `=SUM(A1:A9)`) from stored values."""
    m = _SUM.match(formula)
    if m:
        c1, r1, c2, r2 = column_index_from_string(m[1]), int(m[2]), column_index_from_string(m[3]), int(m[4])
        return sum(ws.cell(row=r, column=c).value or 0 for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    body = formula[1:]
    assert _REF.sub("", body) == "", f"unexpected formula {formula}"
    return sum((-1 if sign == "-" else 1) * (ws[f"{col}{row}"].value or 0) for sign, col, row in _REF.findall(body))


def books(path: Path) -> tuple[Any, Any]:
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def row_of(ws: Any, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return int(row[0].row)
    raise AssertionError(f"no row {label!r} on {ws.title}")


def column_of(ws: Any, header_fragment: str, header_row: int) -> int:
    for cell in ws[header_row]:
        if isinstance(cell.value, str) and header_fragment in cell.value:
            return int(cell.column)
    raise AssertionError(f"no column {header_fragment!r} on {ws.title}")


@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_every_formula_reproduces_its_stored_result(package: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(package)
    formulas, values = books(out / "plan.xlsx")
    count = 0
    for ws in formulas.worksheets:
        cached = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    count += 1
                    stored = cached[cell.coordinate].value
                    assert stored is not None, f"{ws.title}!{cell.coordinate} has no stored result"
                    assert evaluate(cell.value, cached) == pytest.approx(stored, abs=1e-6), (
                        f"{ws.title}!{cell.coordinate} {cell.value}"
                    )
    assert count > 100


def shown(figure: int) -> Any:
    """The engine's figure as a 千円 workbook holds it: whole thousands, its truncation or within
    one 千円 of it where the parts were made to add up (tables.shown_tables)."""

    class Near:
        def __eq__(self, value: object) -> bool:
            return isinstance(value, int) and value % 1000 == 0 and abs(value - int(figure / 1000) * 1000) <= 1000

        def __repr__(self) -> str:
            return f"≈{figure:,}"

    return Near()


def test_stored_results_are_the_engines_figures(manufacturer_dir: Path) -> None:
    plan = load_plan(MANUFACTURER)
    projection = project(plan)
    _, values = books(manufacturer_dir / "plan.xlsx")
    pl = values["計画損益計算書"]
    header = row_of(pl, "科目")
    for year in projection.years:
        col = column_of(pl, year.period.replace("-0", "年").replace("-", "年") + "月期", header)
        for label, figure in (
            ("売上高", year.pl.sales),
            ("売上総利益", year.pl.gross_profit),
            ("販売費及び一般管理費", year.pl.sga),
            ("営業利益", year.pl.operating_profit),
            ("経常利益", year.pl.ordinary_profit),
            ("税引前当期純利益", year.pl.pretax_income),
            ("当期純利益", year.pl.net_income),
        ):
            assert pl.cell(row=row_of(pl, label), column=col).value == shown(figure), (label, year.period)
    bs = values["計画貸借対照表"]
    header = row_of(bs, "科目")
    for year in projection.years:
        assert year.bs is not None
        col = column_of(bs, year.period.replace("-0", "年").replace("-", "年") + "月期", header)
        assert bs.cell(row=row_of(bs, "資産合計"), column=col).value == shown(year.bs.total_assets)
        assert bs.cell(row=row_of(bs, "純資産"), column=col).value == shown(year.bs.net_assets)
        assert bs.cell(row=row_of(bs, "負債・純資産合計"), column=col).value == shown(year.bs.total_assets)
    cf = values["計画キャッシュフロー計算書"]
    header = row_of(cf, "科目")
    for year in projection.plan_years:
        assert year.cf is not None
        col = column_of(cf, year.period.replace("-0", "年").replace("-", "年") + "月期", header)
        assert cf.cell(row=row_of(cf, "営業活動によるキャッシュフロー"), column=col).value == shown(year.cf.operating)
        assert cf.cell(row=row_of(cf, "現預金の期末残高"), column=col).value == shown(year.cf.cash_end)
    banks = values["金融機関別返済計画"]
    total = row_of(banks, "合計")
    for i in range(len(projection.plan_periods)):
        col = column_of(banks, f"計画{i + 1}年目", row_of(banks, "金融機関・借入"))
        assert banks.cell(row=total, column=col).value == shown(sum(b.repayment[i] for b in projection.banks))
    cash = values["資金実績・計画表"]
    months = cash_schedule(plan, projection)
    end = row_of(cash, "翌月繰越（月末現預金）")
    assert cash.cell(row=end, column=1 + len(months)).value == shown(months[-1].cash_end)


def test_sheets_follow_the_programme(manufacturer_dir: Path, cafe_dir: Path) -> None:
    assert openpyxl.load_workbook(manufacturer_dir / "plan.xlsx", read_only=True).sheetnames == [
        "ビジネスモデル俯瞰図",
        "会社概要表",
        "資金実績・計画表",
        "計画損益計算書",
        "計画の前提（主な入力値）",
        "計画貸借対照表",
        "計画キャッシュフロー計算書",
        "繰越欠損金の推移",
        "実態貸借対照表",
        "実態純資産の推移",
        "金融機関別返済計画",
        "金融機関別期末残高",
        "（参考）約定どおりの返済額",
        "金融支援と返済原資",
        "借入別の返済条件（計画）",
        "アクションプラン",
        "計画の基準と指標",
    ]
    assert openpyxl.load_workbook(cafe_dir / "plan.xlsx", read_only=True).sheetnames == [
        "ビジネスモデル俯瞰図",
        "資金実績・計画表",
        "計画損益計算書",
        "計画の前提（主な入力値）",
        "アクションプラン",
    ]


def test_inputs_marked_units_and_negatives(manufacturer_dir: Path, cafe_dir: Path) -> None:
    wb = openpyxl.load_workbook(manufacturer_dir / "plan.xlsx")
    pl = wb["計画損益計算書"]
    sales = row_of(pl, "売上高")
    header = row_of(pl, "科目")
    actual = pl.cell(row=sales, column=column_of(pl, "2025年3月期", header))
    planned = pl.cell(row=sales + 1, column=column_of(pl, "2026年3月期", header))
    yellow = "FF" + INPUT_FILL.lstrip("#").upper()
    assert actual.fill.fgColor.rgb == yellow and planned.fill.fgColor.rgb != yellow
    assert "入力値" in str(pl["A3"].value) and "黄色" in str(pl["B3"].value)
    assert actual.number_format == '#,##0,;"△"#,##0,'  # 千円 as the plan chooses, negatives as △
    assert "令和7年3月期" in str(pl.cell(row=header, column=actual.column).value)
    cafe_pl = openpyxl.load_workbook(cafe_dir / "plan.xlsx")["計画損益計算書"]
    assert cafe_pl.cell(row=row_of(cafe_pl, "売上高"), column=2).number_format == '#,##0;"△"#,##0'


def test_print_setup_and_frozen_headers(manufacturer_dir: Path) -> None:
    wb = openpyxl.load_workbook(manufacturer_dir / "plan.xlsx")
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9", ws.title
        assert "株式会社浪速精密工業" in (ws.oddHeader.left.text or ""), ws.title
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title
    pl = wb["計画損益計算書"]
    assert pl.freeze_panes == f"B{row_of(pl, '科目') + 1}"
    assert wb["ビジネスモデル俯瞰図"]._images, "the diagram is inserted as an image"


def test_workbook_is_reproducible(tmp_path: Path) -> None:
    plan = load_plan(CAFE)
    build_workbook(plan, None, tmp_path / "a.xlsx")
    build_workbook(plan, None, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_formula_text() -> None:
    refs = {("a", "x"): (4, 2), ("b", "x"): (5, 2), ("c", "x"): (6, 2), ("d", "x"): (4, 3)}
    assert formula_text([("a", "x", 1), ("b", "x", 1), ("c", "x", 1)], refs) == "=SUM(C5:C7)"
    assert formula_text([("a", "x", 1), ("b", "x", -1)], refs) == "=C5-C6"
    assert formula_text([("b", "x", -1), ("a", "x", 1)], refs) == "=-C6+C5"
    assert formula_text([("a", "x", 1), ("d", "x", 1), ("b", "x", 1)], refs) == "=C5+D5+C6"
    assert get_column_letter(3) == "C"


def test_text_from_the_plan_is_never_a_formula_or_a_link(tmp_path: Path) -> None:
    """XlsxWriter's write() stored '=…' as a formula and 'http://…' / 'external:…' as links
    (the profile and 窮境原因 boxes went through it); now text is text, quote-prefixed when a
    spreadsheet could read it as a formula on re-entry."""
    from keiei.plan import parse_plan, read_plan_data

    data = read_plan_data(MANUFACTURER)
    data["company"]["representative"] = '=HYPERLINK("http://example.invalid/","x")'
    data["company"]["business"] = "http://example.invalid/business"
    data["company"]["industry"] = "external:c:\\secret.xlsx"
    data["causes_of_distress"][0] = "@SUM(A1)"
    data["basic_policy"][0] = "-2+3"
    out = build_workbook(parse_plan(data, "hostile"), None, tmp_path / "plan.xlsx")
    ws = openpyxl.load_workbook(out)["会社概要表"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://example.invalid/","x")', "@SUM(A1)", "-2+3"):
        cell = cells[text]
        assert cell.data_type == "s" and cell.quotePrefix, text
    for text in ("http://example.invalid/business", "external:c:\\secret.xlsx"):
        assert cells[text].data_type == "s" and cells[text].hyperlink is None
    assert not ws._hyperlinks


@pytest.mark.parametrize("package", ["manufacturer_dir", "cafe_dir"])
def test_each_table_prints_under_its_own_header(package: str, request: pytest.FixtureRequest) -> None:
    """Issue 12: repeated print rows and frozen panes are a sheet's, so a sheet that has them
    holds one table; a sheet with several tables repeats and freezes nothing and starts each
    later table on a page of its own (計画の前提, 実態純資産の推移 and the bank tables used to
    print under the first table's header)."""
    out: Path = request.getfixturevalue(package)
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    header_fill = "FF" + HEADER_FILL.lstrip("#").upper()
    checked = 0
    for ws in wb.worksheets:
        headers = [c.row for c in ws["A"] if c.fill.fill_type == "solid" and c.fill.fgColor.rgb == header_fill]
        if ws.print_title_rows:
            assert len(headers) == 1, ws.title
            assert ws.print_title_rows == f"${headers[0]}:${headers[0]}", ws.title
            assert ws.freeze_panes == f"B{headers[0] + 1}", ws.title
            checked += 1
        elif len(headers) > 1 and ws.freeze_panes is None and ws.row_breaks.brk:
            # the break sits above each later table's title row (header row − 1)
            assert [b.id for b in ws.row_breaks.brk] == [h - 2 for h in headers[1:]], ws.title
    assert checked >= 4
