"""The plan as an Excel workbook (XlsxWriter): the sheets the pamphlet's table asks for.

Every programme: ビジネスモデル俯瞰図, 資金実績・計画表 (資金予定表 when no month is actual),
計画損益計算書, アクションプラン. 405 and 405-gl add 会社概要表, 計画貸借対照表, 計画キャッシュフロー
計算書, 実態貸借対照表, 金融機関別返済計画 and 計画の基準と指標.

Cells hold exact yen (千円 is a display format, `#,##0,`), negatives show as △, totals are
formulas whose results are stored too (so viewers that never recalculate show the figures),
values taken from the plan file are filled light yellow (legend on every sheet), period
headers carry 西暦 and 和暦, headers are frozen, and every sheet prints on A4 landscape with
the company name in the header and page numbers in the footer.

Text from the plan is only ever text: the workbook is opened with `strings_to_formulas`,
`strings_to_urls` and `strings_to_numbers` off, every text goes through `Sheet.text` /
`write_string`, and a text a spreadsheet could read as a formula on re-entry (`=`, `+`, `-`,
`@`, …: `escape.formula_like`) gets Excel's quote prefix. The only formulas are the ones
`formula_text` writes from the table model, and the finished file is checked
(`safety.ensure_safe`: no external links, hyperlinks or foreign formulas) before it is written.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keiei.case.file import Case
from keiei.documents import bank_tables, diagram, guideline_tables, overview, tables
from keiei.documents.escape import formula_like, xlsx_header_text
from keiei.documents.figures import Figures, Unit, default_document_date, figures_for
from keiei.documents.fonts import EXCEL_FONT, EXCEL_FONT_SIZE, document_timestamp
from keiei.documents.overview import profile_rows
from keiei.documents.safety import ensure_safe
from keiei.documents.tables import Cell, Column, Row, Table, Term
from keiei.plan import Plan

INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#DCE6F1"
ACTUAL_HEADER_FILL = "#EDEDED"
TOTAL_FILL = "#F3F6FA"
BORDER_COLOR = "#A6A6A6"
#: Columns printed per page for wide tables (the monthly cash table).
PRINT_COLUMNS = 12
DEFAULT_WIDTH = 13.0

NUMBER_FORMATS: dict[str, dict[str, str]] = {
    "円": {"yen": '#,##0;"△"#,##0', "percent": '0.0%;"△"0.0%', "ratio": '0.00;"△"0.00', "count": "#,##0"},
    "千円": {"yen": '#,##0,;"△"#,##0,', "percent": '0.0%;"△"0.0%', "ratio": '0.00;"△"0.00', "count": "#,##0"},
}
LEGEND = "凡例：黄色のセル＝計画ファイルから転記した入力値（実績・前提）／白のセル＝keiei の計算結果／太字の合計・差引＝数式（計算結果も保存）"


def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (full-width = 2)."""
    total = 0
    for line in text.split("\n"):
        chars = sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)
        total += max(1, math.ceil(chars / max(width - 1, 1)))
    return total


def column_positions(columns: Sequence[Column]) -> list[int]:
    """The sheet column of each table column (column A holds the labels)."""
    out, col = [], 1
    for c in columns:
        out.append(col)
        col += c.span
    return out


def col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell_ref(row: int, col: int) -> str:
    return f"{col_name(col)}{row + 1}"


def formula_text(terms: Sequence[Term], refs: Mapping[tuple[str, str], tuple[int, int]]) -> str:
    """`=C5-C6+C7`, or `=SUM(C5:C9)` for three or more contiguous cells added together."""
    places = [(refs[(r, c)], sign) for r, c, sign in terms]
    if len(places) >= 3 and all(sign == 1 for _, sign in places):
        rows = [p[0] for p, _ in places]
        cols = [p[1] for p, _ in places]
        if len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows))):
            return f"=SUM({cell_ref(rows[0], cols[0])}:{cell_ref(rows[-1], cols[0])})"
        if len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols))):
            return f"=SUM({cell_ref(rows[0], cols[0])}:{cell_ref(rows[0], cols[-1])})"
    text = ""
    for (row, col), sign in places:
        ref = cell_ref(row, col)
        text += (f"-{ref}" if sign < 0 else f"+{ref}") if text or sign < 0 else ref
    return "=" + (text or "0")


class Styles:
    """XlsxWriter formats, created once per combination."""

    def __init__(self, workbook: Any, unit: Unit) -> None:
        self.workbook = workbook
        self.unit = unit
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._props: dict[int, dict[str, Any]] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            base = {"font_name": EXCEL_FONT, "font_size": EXCEL_FONT_SIZE, "valign": "top"}
            self._cache[key] = self.workbook.add_format({**base, **props})
            self._props[id(self._cache[key])] = props
        return self._cache[key]

    def for_text(self, fmt: Any, text: str) -> Any:
        """`fmt`, with Excel's quote prefix when `text` could be read as a formula.

        The cell is a string either way (`write_string`); the prefix keeps it a string when a
        user edits the cell and presses Enter, where Excel would otherwise parse `=…`.
        """
        if not formula_like(text):
            return fmt
        return self.get(**{**self._props[id(fmt)], "quote_prefix": True})

    def cell(self, cell: Cell, row: Row, column: Column) -> Any:
        fmt = column.fmt or row.fmt
        props: dict[str, Any] = {"border": 1, "border_color": BORDER_COLOR}
        if fmt == "text" or isinstance(cell.value, str):
            props.update(text_wrap=True)
            if isinstance(cell.value, str) and len(cell.value) <= 2:
                props.update(align="center")
        else:
            props.update(num_format=NUMBER_FORMATS[self.unit][fmt])
        if cell.kind == "input":
            props.update(bg_color=INPUT_FILL)
        elif row.style == "total":
            props.update(bg_color=TOTAL_FILL)
        if row.style == "total" or (cell.kind == "formula" and row.style != "memo"):
            props.update(bold=True)
        if row.style == "memo":
            props.update(font_color="#595959")
        return self.get(**props)

    def label(self, row: Row) -> Any:
        props: dict[str, Any] = {"border": 1, "border_color": BORDER_COLOR, "text_wrap": True, "indent": row.indent}
        if row.style in ("total", "section"):
            props.update(bold=True, bg_color=TOTAL_FILL if row.style == "total" else "#E7ECF3")
        if row.style == "memo":
            props.update(font_color="#595959")
        return self.get(**props)

    def header(self, kind: str) -> Any:
        fill = ACTUAL_HEADER_FILL if kind == "actual" else HEADER_FILL
        return self.get(
            bold=True,
            align="center",
            valign="vcenter",
            text_wrap=True,
            border=1,
            border_color=BORDER_COLOR,
            bg_color=fill,
        )


@dataclass
class Sheet:
    """One worksheet being filled top to bottom; `refs` maps (row key, column key) to cells."""

    ws: Any
    styles: Styles
    title: str
    row: int = 0
    refs: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    frozen: bool = False
    pages_wide: int = 1

    def text(self, row: int, col: int, text: str, fmt: Any) -> None:
        """Write `text` as a string cell (never a formula or a link), quote-prefixed if formula-like."""
        self.ws.write_string(row, col, text, self.styles.for_text(fmt, text))

    def heading(self, company: str, unit: Unit, legend: bool = True) -> None:
        self.text(0, 0, self.title, self.styles.get(bold=True, font_size=14))
        self.text(1, 0, f"{company}　（単位：{unit}）", self.styles.get())
        if legend:
            self.text(2, 0, "入力値", self.styles.get(bg_color=INPUT_FILL, border=1, border_color=BORDER_COLOR))
            self.text(2, 1, LEGEND, self.styles.get(font_color="#595959"))
        self.row = 4

    def width(self, col: int, value: float) -> None:
        self.widths[col] = max(self.widths.get(col, 0), value)

    def place(self, items: Sequence[Table | None]) -> list[tuple[Table, int]]:
        """Reserve rows for each table (title, note, header, body) and record every cell."""
        placed: list[tuple[Table, int]] = []
        row = self.row
        for t in items:
            if t is None or not t.rows:
                continue
            start = row
            header = start + 1
            positions = column_positions(t.columns)
            for i, r in enumerate(t.rows):
                for c, col in zip(t.columns, positions, strict=True):
                    self.refs[(r.key, c.key)] = (header + 1 + i, col)
            placed.append((t, start))
            row = header + 1 + len(t.rows) + 2
        return placed

    def write_tables(self, items: Sequence[Table | None], *, freeze: bool = True) -> None:
        """Write the tables one under the other. Frozen panes and repeated print rows are a
        sheet's, so they are set only when the sheet holds one table (else every later table
        would print under the first one's header); with several, each later table starts a
        printed page of its own, under its own header."""
        placed = self.place(items)
        if freeze and len(placed) > 1:
            self.ws.set_h_pagebreaks([start for _, start in placed[1:]])
        freeze = freeze and len(placed) == 1
        for t, start in placed:
            self.write_table(t, start, freeze=freeze and not self.frozen)
            self.frozen = self.frozen or freeze
        if placed:
            t, start = placed[-1]
            self.row = start + 2 + len(t.rows) + 2

    def write_table(self, t: Table, start: int, *, freeze: bool) -> None:
        ws, st = self.ws, self.styles
        self.text(start, 0, t.title, st.get(bold=True, font_size=11))
        if t.note:
            self.text(start, 1, t.note, st.get(font_color="#595959"))
        header = start + 1
        self.text(header, 0, t.label_heading, st.header("other"))
        lines = max((len([x for x in c.lines if x]) for c in t.columns), default=1)
        ws.set_row(header, 14 * max(lines, 1) + 2)
        positions = column_positions(t.columns)
        for c, col in zip(t.columns, positions, strict=True):
            text = "\n".join(x for x in c.lines if x)
            if c.span > 1:
                ws.merge_range(header, col, header, col + c.span - 1, "", st.header(c.kind))
                self.text(header, col, text, st.header(c.kind))
            else:
                self.text(header, col, text, st.header(c.kind))
                self.width(col, c.width)
        self.width(0, t.label_width)
        for i, r in enumerate(t.rows):
            row = header + 1 + i
            self.text(row, 0, r.label, st.label(r))
            tall = 1
            for c, col, cell in zip(t.columns, positions, r.cells, strict=True):
                fmt = st.cell(cell, r, c)
                if c.span > 1:
                    ws.merge_range(row, col, row, col + c.span - 1, "", fmt)
                if cell.kind == "formula":
                    ws.write_formula(row, col, formula_text(cell.terms, self.refs), fmt, cell.value)
                elif cell.value is None or cell.kind == "blank":
                    ws.write_blank(row, col, None, fmt)
                elif isinstance(cell.value, str):
                    self.text(row, col, cell.value, fmt)
                    tall = max(tall, text_lines(cell.value, c.width if c.span == 1 else DEFAULT_WIDTH * c.span))
                else:
                    ws.write_number(row, col, cell.value, fmt)
            tall = max(tall, text_lines(r.label, t.label_width + r.indent * 2))
            if tall > 1:
                ws.set_row(row, 14 * tall + 2)
        if freeze:
            ws.freeze_panes(header + 1, 1)
            ws.repeat_rows(header)
            if len(t.columns) > PRINT_COLUMNS:  # print 12 columns a page, the labels on each
                ws.repeat_columns(0)
                ws.set_v_pagebreaks(list(range(1 + PRINT_COLUMNS, 1 + len(t.columns), PRINT_COLUMNS)))
                self.pages_wide = math.ceil(len(t.columns) / PRINT_COLUMNS)

    def finish(self, company: str) -> None:
        ws = self.ws
        ws.set_column(1, 60, DEFAULT_WIDTH)
        for col, width in sorted(self.widths.items()):
            ws.set_column(col, col, width)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        ws.set_header(f"&L&9{xlsx_header_text(company)}&R&9{xlsx_header_text(self.title)}", {"margin": 0.3})
        ws.set_footer("&C&9&P / &N", {"margin": 0.3})
        ws.fit_to_pages(self.pages_wide, 0)
        ws.hide_gridlines(2)


def linked_groups(items: Sequence[Table | None]) -> list[list[Table]]:
    """The tables in groups that must share a sheet: a formula may only point into its own
    sheet (tables.py), so tables whose cells refer to each other stay together."""
    present = [t for t in items if t is not None and t.rows]
    owner = {r.key: i for i, t in enumerate(present) for r in t.rows}
    group = list(range(len(present)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, t in enumerate(present):
        for r in t.rows:
            for cell in r.cells:
                for row, _, _ in cell.terms:
                    j = owner.get(row, i)
                    group[root(j)] = root(i)
    out: dict[int, list[Table]] = {}
    for i, t in enumerate(present):
        out.setdefault(root(i), []).append(t)
    return sorted(out.values(), key=lambda g: present.index(g[0]))


def sheet_name(title: str) -> str:
    """A table title as a sheet name: Excel's forbidden characters dropped, 31 characters."""
    return "".join(ch for ch in title if ch not in "[]:*?/\\").strip("'")[:31]


def _kv(sheet: Sheet, rows: Sequence[tuple[str, str]], title: str) -> None:
    ws, st = sheet.ws, sheet.styles
    sheet.text(sheet.row, 0, title, st.get(bold=True, font_size=11))
    sheet.row += 1
    label = st.get(bold=True, bg_color="#E7ECF3", border=1, border_color=BORDER_COLOR, text_wrap=True)
    value = st.get(bg_color=INPUT_FILL, border=1, border_color=BORDER_COLOR, text_wrap=True)
    for k, v in rows:
        sheet.text(sheet.row, 0, k, label)
        ws.merge_range(sheet.row, 1, sheet.row, 5, "", value)
        sheet.text(sheet.row, 1, v, value)
        lines = text_lines(v, sum(sheet.widths.get(c, 13.0) for c in range(1, 6)))
        if lines > 1:
            ws.set_row(sheet.row, 14 * lines)
        sheet.row += 1
    sheet.row += 1


def _diagram_sheet(sheet: Sheet, f: Figures) -> None:
    bm = f.plan.business_model
    if bm.suppliers or bm.customers or bm.partners or bm.flows:
        layout = diagram.layout(f.plan)
        png = diagram.to_png(layout)
        scale = 0.62
        sheet.ws.insert_image(
            sheet.row,
            0,
            "business_model.png",
            {"image_data": io.BytesIO(png), "x_scale": scale, "y_scale": scale, "object_position": 3},
        )
        height_px = layout.height * 1.5 * scale  # the PNG is 150 dpi for 100 units per inch
        sheet.row += int(height_px / 20) + 3
    else:
        sheet.text(sheet.row, 0, "計画ファイルに business_model がありません。", sheet.styles.get())
        sheet.row += 2
    sheet.write_tables(overview.business_model_tables(f), freeze=False)


SHEET_NAMES = {
    "bm": "ビジネスモデル俯瞰図",
    "profile": "会社概要表",
    "pl": "計画損益計算書",
    "bs": "計画貸借対照表",
    "cf": "計画キャッシュフロー計算書",
    "adjusted": "実態貸借対照表",
    "banks": "金融機関別返済計画",
    "actions": "アクションプラン",
    "criteria": "計画の基準と指標",
    "gl": "中小版GLの要件",
}


def build_workbook(
    plan: Plan,
    check: Mapping[str, Any] | None,
    out_path: str | Path,
    *,
    unit: Unit | None = None,
    case: Case | None = None,
    scenario: str = "base",
) -> Path:
    """Write the workbook to `out_path` and return the path."""
    import xlsxwriter  # type: ignore[import-untyped]

    f = figures_for(plan, check, unit=unit, scenario=scenario, on=case.application_date if case else None)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    day = case.document_date(plan) if case else default_document_date(plan)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "default_format_properties": {"font_name": EXCEL_FONT, "font_size": EXCEL_FONT_SIZE},
            # Text is text: XlsxWriter's `write()` would otherwise store "=…" as a formula,
            # "http://…" or "external:…" as a hyperlink and "1e3" as a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {
            "title": f"{f.title}（{plan.company.name}）",
            "subject": f.program_label,
            "author": "keiei",
            "company": plan.company.name,
            "created": document_timestamp(day),
            "comments": "keiei plan build で作成",
        }
    )
    styles = Styles(workbook, f.unit)
    company = plan.company.name
    cash = tables.cash_table(f)
    sheets: list[Sheet] = []

    def sheet(key: str, title: str | None = None, legend: bool = True) -> Sheet:
        name = title or SHEET_NAMES[key]
        s = Sheet(workbook.add_worksheet(name[:31]), styles, name)
        s.heading(company, f.unit, legend)
        sheets.append(s)
        return s

    _diagram_sheet(sheet("bm"), f)
    if f.full_program:
        profile = sheet("profile")
        _kv(profile, profile_rows(f), "会社概要")
        profile.write_tables([overview.performance_table(f)], freeze=False)
        if plan.causes_of_distress:
            _kv(profile, [(f"窮境原因{i}", c) for i, c in enumerate(plan.causes_of_distress, 1)], "窮境原因")
        if plan.basic_policy:
            _kv(profile, [(f"基本方針{i}", p) for i, p in enumerate(plan.basic_policy, 1)], "経営改善の基本方針")

    def sheets_of(key: str, items: Sequence[Table | None]) -> None:
        """The first group of tables on the sheet `key`, each further group on a sheet named
        after its first table: each table prints under its own header (issue 12)."""
        for i, group in enumerate(linked_groups(items)):
            sheet(key, None if i == 0 else sheet_name(group[0].title)).write_tables(group)

    sheet("cash", cash.title).write_tables([cash])
    sheets_of("pl", [tables.pl_table(f), tables.assumptions_table(f)])
    if f.full_program:
        sheet("bs").write_tables([tables.bs_table(f)])
        sheets_of("cf", [tables.cf_table(f), guideline_tables.tax_loss_table(f)])
        sheets_of("adjusted", tables.adjusted_bs_tables(f))
        if f.banks:
            sheets_of("banks", bank_tables.bank_tables(f))
    liquidation = guideline_tables.liquidation_tables(f)
    guarantors = guideline_tables.guarantor_tables(f)
    expert = guideline_tables.expert_rows(f)
    if plan.program == "405-gl" or liquidation or guarantors or expert:
        gl = sheet("gl")
        gl.write_tables([*(liquidation or ()), *guarantors], freeze=False)
        if expert:
            _kv(gl, expert, "第三者支援専門家")
    sheet("actions").write_tables([overview.action_table(f)])
    if f.full_program:
        sheet("criteria").write_tables(
            [overview.criteria_table(f), overview.scenario_table(f), tables.indicator_table(f)], freeze=False
        )
    for s in sheets:
        s.finish(company)
    workbook.close()
    data = buffer.getvalue()
    ensure_safe(data, out.name)
    out.write_bytes(data)
    return out
