"""The plan's tables as plain data; the workbook and the PDF render the same rows.

Why one description for both: a total in the workbook is a formula over the cells above it, and
the PDF prints the same total; describing each cell once (its value, whether it is an input
from the plan file, an engine result or a formula over named cells) keeps the two documents
from drifting apart, and lets a test check every formula against the engine's numbers.

A `Cell` of kind `formula` lists its terms as (row key, column key, sign); row keys are unique
on a sheet, so a term may point into another table of the same sheet (the 実態BS adjustments).
The stored value is always the engine's figure, which the formula reproduces exactly (integer
yen, the engine's totals are integer sums too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from keiei.documents.figures import (
    Figures,
    fiscal_label,
    fiscal_label_wareki,
    month_label,
    month_label_wareki,
)
from keiei.finance import cash_schedule, project
from keiei.finance.display import net_assets_label
from keiei.money import apportion, in_units
from keiei.plan import glossary
from keiei.plan.model import CASH_GROUPS

CellKind = Literal["input", "computed", "formula", "blank", "text"]
Format = Literal["yen", "percent", "ratio", "count", "text"]
RowStyle = Literal["item", "total", "memo", "section"]

Term = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    lines: tuple[str, ...]
    kind: Literal["actual", "plan", "other"] = "other"
    fmt: Format | None = None
    width: float = 13.0
    #: Workbook columns the column spans (merged), so a wide text column does not widen
    #: the columns of the other tables on the same sheet.
    span: int = 1


@dataclass(frozen=True, slots=True)
class Cell:
    value: int | float | str | None
    kind: CellKind = "computed"
    terms: tuple[Term, ...] = ()


BLANK = Cell(None, "blank")


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    style: RowStyle = "item"
    fmt: Format = "yen"
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    label_heading: str = "科目"
    note: str = ""
    label_width: float = 30.0

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


# --------------------------------------------------------------------------- helpers


def period_columns(years: Iterable[dict[str, Any]]) -> tuple[Column, ...]:
    out: list[Column] = []
    n = 0
    for y in years:
        if y["kind"] == "plan":
            n += 1
        head = "実績" if y["kind"] == "actual" else f"計画{n}年目"
        out.append(Column(y["period"], (head, fiscal_label(y["period"]), fiscal_label_wareki(y["period"])), y["kind"]))
    return tuple(out)


def by_kind(columns: Sequence[Column], values: Sequence[int | float | None]) -> tuple[Cell, ...]:
    """Actual columns hold inputs from the plan file, plan columns the engine's results."""
    return tuple(
        BLANK if v is None else Cell(v, "input" if c.kind == "actual" else "computed")
        for c, v in zip(columns, values, strict=True)
    )


def computed(values: Sequence[int | float | None]) -> tuple[Cell, ...]:
    return tuple(BLANK if v is None else Cell(v) for v in values)


def shown_indicator(year: dict[str, Any], key: str) -> Any:
    """The indicator as published for display: `<key>_shown` where the JSON has one (債務償還年数,
    rounded up from the exact ratio), else the 4-decimal figure (older stored checks too)."""
    indicators = year["indicators"]
    return indicators.get(f"{key}_shown", indicators.get(key))


def indicator_cell(key: str, value: float | None) -> Cell:
    """An indicator cell, "－" when undefined. The value is the published figure (債務償還年数:
    the shown one, `shown_indicator`), so the workbook's number format and the PDF's text
    (`keiei.finance.display` via render.cell_text) print what the criteria and the CLI print."""
    return Cell("－", "text") if value is None else Cell(value)


def formula(value: int | float | None, terms: Iterable[Term]) -> Cell:
    return BLANK if value is None else Cell(value, "formula", tuple(terms))


def column_sum(
    columns: Sequence[Column], values: Sequence[int | None], parts: Sequence[tuple[str, int]]
) -> tuple[Cell, ...]:
    """Cells that are Σ sign × row in the same column, for every column with a value."""
    return tuple(formula(v, ((row, c.key, sign) for row, sign in parts)) for c, v in zip(columns, values, strict=True))


def year_value(year: dict[str, Any], section: str, key: str) -> Any:
    block = year.get(section)
    return None if block is None else block.get(key)


# --------------------------------------------------------------------------- PL

PL_LABELS = glossary.statement_labels(glossary.PL_INPUT_LINES + glossary.PL_SUBTOTALS + glossary.PL_MEMOS)


def pl_table(f: Figures) -> Table:
    years = f.years
    cols = period_columns(years)
    plan = f.plan

    def line(key: str) -> list[int | None]:
        return [year_value(y, "pl", key) for y in years]

    rows: list[Row] = []
    segments = [s.name for s in plan.drivers.sales.segments]
    last_actual_segments = dict(plan.actuals[-1].segments)
    seg_keys: list[tuple[str, int]] = []
    for i, name in enumerate(segments):
        key = f"pl.segment.{i}"
        values: list[int | None] = []
        for y in years:
            if y["kind"] == "plan":
                values.append(y["details"]["sales_by_segment"].get(name))
            elif y["period"] == years[len(plan.actuals) - 1]["period"]:
                values.append(last_actual_segments.get(name))
            else:
                values.append(None)
        rows.append(Row(key, name, by_kind(cols, values), indent=1))
        seg_keys.append((key, 1))
    sales = line("sales")
    sales_cells = list(by_kind(cols, sales))
    if seg_keys:
        for i, c in enumerate(cols):
            if c.kind == "plan":
                sales_cells[i] = formula(sales[i], ((k, c.key, 1) for k, _ in seg_keys))
    rows.append(Row("pl.sales", PL_LABELS["sales"], tuple(sales_cells), style="total" if seg_keys else "item"))
    rows.append(Row("pl.cost_of_sales", PL_LABELS["cost_of_sales"], by_kind(cols, line("cost_of_sales"))))
    rows.append(
        Row(
            "pl.gross_profit",
            PL_LABELS["gross_profit"],
            column_sum(cols, line("gross_profit"), [("pl.sales", 1), ("pl.cost_of_sales", -1)]),
            style="total",
        )
    )
    items: list[str] = []
    for y in f.plan_years:
        for name in y["details"]["sga_items"]:
            if name not in items:
                items.append(name)
    item_keys = [f"pl.sga.{i}" for i in range(len(items))]
    for key, name in zip(item_keys, items, strict=True):
        values = [y["details"]["sga_items"].get(name, 0) if y["kind"] == "plan" else None for y in years]
        rows.append(Row(key, name, by_kind(cols, values), indent=1))
    sga = line("sga")
    sga_cells = list(by_kind(cols, sga))
    for i, c in enumerate(cols):
        if c.kind == "plan" and item_keys:
            sga_cells[i] = formula(sga[i], ((k, c.key, 1) for k in item_keys))
    rows.append(Row("pl.sga", PL_LABELS["sga"], tuple(sga_cells), style="total" if item_keys else "item"))
    rows.append(
        Row(
            "pl.operating_profit",
            PL_LABELS["operating_profit"],
            column_sum(cols, line("operating_profit"), [("pl.gross_profit", 1), ("pl.sga", -1)]),
            style="total",
        )
    )
    rows.append(
        Row("pl.non_operating_income", PL_LABELS["non_operating_income"], by_kind(cols, line("non_operating_income")))
    )
    rows.append(
        Row(
            "pl.non_operating_expenses",
            PL_LABELS["non_operating_expenses"],
            by_kind(cols, line("non_operating_expenses")),
        )
    )
    rows.append(
        Row(
            "pl.interest_expense",
            PL_LABELS["interest_expense"],
            by_kind(cols, line("interest_expense")),
            "memo",
            indent=1,
        )
    )
    rows.append(
        Row(
            "pl.ordinary_profit",
            PL_LABELS["ordinary_profit"],
            column_sum(
                cols,
                line("ordinary_profit"),
                [("pl.operating_profit", 1), ("pl.non_operating_income", 1), ("pl.non_operating_expenses", -1)],
            ),
            style="total",
        )
    )
    rows.append(
        Row("pl.extraordinary_income", PL_LABELS["extraordinary_income"], by_kind(cols, line("extraordinary_income")))
    )
    rows.append(
        Row("pl.extraordinary_loss", PL_LABELS["extraordinary_loss"], by_kind(cols, line("extraordinary_loss")))
    )
    rows.append(
        Row(
            "pl.pretax_income",
            PL_LABELS["pretax_income"],
            column_sum(
                cols,
                line("pretax_income"),
                [("pl.ordinary_profit", 1), ("pl.extraordinary_income", 1), ("pl.extraordinary_loss", -1)],
            ),
            style="total",
        )
    )
    rows.append(Row("pl.income_taxes", PL_LABELS["income_taxes"], by_kind(cols, line("income_taxes"))))
    rows.append(
        Row(
            "pl.net_income",
            PL_LABELS["net_income"],
            column_sum(cols, line("net_income"), [("pl.pretax_income", 1), ("pl.income_taxes", -1)]),
            style="total",
        )
    )
    rows.append(Row("pl.depreciation", PL_LABELS["depreciation"], by_kind(cols, line("depreciation")), "memo"))
    # 簡易CF excludes the non-cash gain of a forgiveness (keiei.finance.indicators.compute)
    gains = [(y.get("details") or {}).get("forgiveness", 0) or 0 if y["kind"] == "plan" else None for y in years]
    cf_parts = [("pl.net_income", 1), ("pl.depreciation", 1)]
    if any(gains):
        rows.append(Row("pl.forgiveness_gain", "うち債務免除益（非資金）", computed(gains), "memo"))
        cf_parts.append(("pl.forgiveness_gain", -1))
    rows.append(
        Row(
            "pl.simple_cash_flow",
            PL_LABELS["simple_cash_flow"],
            column_sum(cols, [y["indicators"]["simple_cash_flow"] for y in years], cf_parts),
            "memo",
        )
    )
    return shown_table(Table("pl", "計画損益計算書", cols, tuple(rows), note=f.unit_note), f.unit)


# --------------------------------------------------------------------------- BS

BS_ASSETS = glossary.statement_labels(glossary.BS_ASSET_LINES)
BS_LIABILITIES = glossary.statement_labels(glossary.BS_LIABILITY_LINES)
BS_LABELS = {**BS_ASSETS, **BS_LIABILITIES}


def bs_table(f: Figures) -> Table:
    years = f.years
    cols = period_columns(years)

    def line(key: str) -> list[int | None]:
        return [year_value(y, "bs", key) for y in years]

    rows: list[Row] = [Row("bs.assets", "【資産の部】", tuple(BLANK for _ in cols), "section")]
    for key, label in BS_ASSETS.items():
        rows.append(Row(f"bs.{key}", label, by_kind(cols, line(key)), indent=1))
    rows.append(
        Row(
            "bs.total_assets",
            "資産合計",
            column_sum(cols, line("total_assets"), [(f"bs.{k}", 1) for k in BS_ASSETS]),
            "total",
        )
    )
    rows.append(Row("bs.liabilities", "【負債・純資産の部】", tuple(BLANK for _ in cols), "section"))
    for key, label in BS_LIABILITIES.items():
        rows.append(Row(f"bs.{key}", label, by_kind(cols, line(key)), indent=1))
    rows.append(
        Row(
            "bs.total_liabilities",
            "負債合計",
            column_sum(cols, line("total_liabilities"), [(f"bs.{k}", 1) for k in BS_LIABILITIES]),
            "total",
        )
    )
    net = line("net_assets")
    net_cells = tuple(
        formula(v, [("bs.total_assets", c.key, 1), ("bs.total_liabilities", c.key, -1)])
        if c.kind == "actual"
        else (BLANK if v is None else Cell(v))
        for c, v in zip(cols, net, strict=True)
    )
    rows.append(Row("bs.net_assets", "純資産", net_cells, "total"))
    both = [None if y["bs"] is None else y["bs"]["total_liabilities"] + y["bs"]["net_assets"] for y in years]
    rows.append(
        Row(
            "bs.total_liabilities_net_assets",
            "負債・純資産合計",
            column_sum(cols, both, [("bs.total_liabilities", 1), ("bs.net_assets", 1)]),
            "total",
        )
    )
    rows.append(Row("bs.adjusted_net_assets", "（参考）実態純資産", computed(line("adjusted_net_assets")), "memo"))
    return shown_table(Table("bs", "計画貸借対照表", cols, tuple(rows), note=f.unit_note), f.unit)


# --------------------------------------------------------------------------- CF


def cf_table(f: Figures) -> Table:
    years = f.plan_years
    cols = period_columns(years)
    cfs = [y["cf"] for y in years]

    def line(key: str, sign: int = 1) -> list[int | None]:
        return [sign * cf[key] for cf in cfs]

    rows = [
        Row("cf.section.operating", "Ⅰ 営業活動によるキャッシュフロー", tuple(BLANK for _ in cols), "section"),
        Row("cf.net_income", "当期純利益", computed(line("net_income")), indent=1),
        Row("cf.depreciation", "減価償却費", computed(line("depreciation")), indent=1),
        Row("cf.noncash_items", "非資金損益（減損・除却、債務免除益）", computed(line("noncash_items")), indent=1),
        Row("cf.working_capital", "運転資本の増減（増加は△）", computed(line("working_capital_change", -1)), indent=1),
        Row(
            "cf.operating",
            "営業活動によるキャッシュフロー",
            column_sum(
                cols,
                line("operating"),
                [("cf.net_income", 1), ("cf.depreciation", 1), ("cf.noncash_items", 1), ("cf.working_capital", 1)],
            ),
            "total",
        ),
        Row("cf.section.investing", "Ⅱ 投資活動によるキャッシュフロー", tuple(BLANK for _ in cols), "section"),
        Row("cf.capex", "設備投資による支出", computed(line("capex", -1)), indent=1),
        Row(
            "cf.investing",
            "投資活動によるキャッシュフロー",
            column_sum(cols, line("investing"), [("cf.capex", 1)]),
            "total",
        ),
        Row("cf.section.financing", "Ⅲ 財務活動によるキャッシュフロー", tuple(BLANK for _ in cols), "section"),
        Row("cf.borrowing", "借入れによる収入", computed(line("borrowing")), indent=1),
        Row("cf.repayment", "借入金の返済による支出", computed(line("repayment", -1)), indent=1),
        Row("cf.other_debt_repayment", "その他有利子負債の返済", computed(line("other_debt_repayment", -1)), indent=1),
        Row("cf.equity_issued", "増資による収入", computed(line("equity_issued")), indent=1),
        Row("cf.dividends", "配当金の支払", computed(line("dividends", -1)), indent=1),
        Row(
            "cf.financing",
            "財務活動によるキャッシュフロー",
            column_sum(
                cols,
                line("financing"),
                [
                    ("cf.borrowing", 1),
                    ("cf.repayment", 1),
                    ("cf.other_debt_repayment", 1),
                    ("cf.equity_issued", 1),
                    ("cf.dividends", 1),
                ],
            ),
            "total",
        ),
        Row(
            "cf.change",
            "現預金の増減",
            column_sum(
                cols,
                [cf["operating"] + cf["investing"] + cf["financing"] for cf in cfs],
                [("cf.operating", 1), ("cf.investing", 1), ("cf.financing", 1)],
            ),
            "total",
        ),
    ]
    begin: list[Cell] = []
    for i, cf in enumerate(cfs):
        begin.append(
            Cell(cf["cash_begin"]) if i == 0 else formula(cf["cash_begin"], [("cf.cash_end", cols[i - 1].key, 1)])
        )
    rows.append(Row("cf.cash_begin", "現預金の期首残高", tuple(begin)))
    rows.append(
        Row(
            "cf.cash_end",
            "現預金の期末残高",
            column_sum(cols, line("cash_end"), [("cf.cash_begin", 1), ("cf.change", 1)]),
            "total",
        )
    )
    return shown_table(Table("cf", "計画キャッシュフロー計算書", cols, tuple(rows), note=f.unit_note), f.unit)


# --------------------------------------------------------------------------- 実態BS


def adjusted_bs_tables(f: Figures) -> tuple[Table, Table, Table]:
    """The base year's book BS, adjustments and 実態BS; the adjustments; net assets by year."""
    base = f.actual_years[-1]
    adjustments = f.plan.actuals[-1].adjustments
    detail_cols = (
        Column("line", ("科目",), fmt="text", width=22),
        Column("amount", ("修正額",), fmt="yen"),
        Column("effect", ("純資産への影響",), fmt="yen"),
        Column("reason", ("理由・根拠",), fmt="text", width=44, span=3),
    )
    detail_rows = tuple(
        Row(
            f"adj.{i}",
            a.item,
            (
                Cell(BS_LABELS[a.line], "text"),
                Cell(a.amount, "input"),
                Cell(a.net_assets_effect),
                Cell(a.reason + (f"（計画{a.ends_year}年目から解消）" if a.ends_year else ""), "text"),
            ),
        )
        for i, a in enumerate(adjustments)
    )
    detail = Table(
        "adjustments", "実態修正の内容", detail_cols, detail_rows, label_heading="修正項目", note=f.unit_note
    )

    book_bs = base["bs"]
    real_bs = base["adjusted_bs"]
    cols = (
        Column("book", ("簿価",), fmt="yen"),
        Column("adjustment", ("実態修正",), fmt="yen"),
        Column("real", ("実態",), fmt="yen"),
    )

    def amounts(key: str) -> dict[str, int]:
        return {"book": book_bs[key], "adjustment": real_bs[key] - book_bs[key], "real": real_bs[key]}

    def line_row(key: str, label: str) -> Row:
        terms = [(f"adj.{i}", "amount", 1) for i, a in enumerate(adjustments) if a.line == key]
        values = amounts(key)
        return Row(
            f"abs.{key}",
            label,
            (
                Cell(values["book"], "input"),
                formula(values["adjustment"], terms) if terms else Cell(values["adjustment"]),
                formula(values["real"], [(f"abs.{key}", "book", 1), (f"abs.{key}", "adjustment", 1)]),
            ),
            indent=1,
        )

    def total_row(key: str, label: str, parts: Sequence[tuple[str, int]]) -> Row:
        values = amounts(key)
        cells = tuple(formula(values[c.key], [(f"abs.{p}", c.key, sign) for p, sign in parts]) for c in cols)
        return Row(f"abs.{key}", label, cells, "total")

    rows: list[Row] = [Row("abs.assets", "【資産の部】", (BLANK, BLANK, BLANK), "section")]
    rows.extend(line_row(k, v) for k, v in BS_ASSETS.items())
    rows.append(total_row("total_assets", "資産合計", [(k, 1) for k in BS_ASSETS]))
    rows.append(Row("abs.liabilities", "【負債・純資産の部】", (BLANK, BLANK, BLANK), "section"))
    rows.extend(line_row(k, v) for k, v in BS_LIABILITIES.items())
    rows.append(total_row("total_liabilities", "負債合計", [(k, 1) for k in BS_LIABILITIES]))
    rows.append(total_row("net_assets", "純資産（実態純資産）", [("total_assets", 1), ("total_liabilities", -1)]))
    main = Table(
        "adjusted_bs",
        f"実態貸借対照表（{fiscal_label(base['period'])}末）",
        cols,
        tuple(rows),
        note=f.unit_note,
    )

    years = [y for y in f.years if y["bs"] is not None]
    pcols = period_columns(years)
    book = [y["bs"]["net_assets"] for y in years]
    real = [y["bs"]["adjusted_net_assets"] for y in years]
    trend = Table(
        "adjusted_trend",
        "実態純資産の推移",
        pcols,
        (
            Row("trend.book", "簿価純資産", computed(book)),
            Row("trend.adjustment", "実態修正", computed([r - b for r, b in zip(real, book, strict=True)])),
            Row(
                "trend.real",
                "実態純資産",
                column_sum(pcols, real, [("trend.book", 1), ("trend.adjustment", 1)]),
                "total",
            ),
        ),
        note=f.unit_note,
    )
    main, detail, trend = shown_tables([main, detail, trend], f.unit)
    return main, detail, trend


# --------------------------------------------------------------------------- cash table

CASH_GROUP_LABELS = glossary.statement_labels(glossary.CASH_GROUPS)


def cash_table(f: Figures) -> Table:
    """The monthly 資金実績・計画表 with running balances (month k begins where k−1 ended)."""
    plan = f.plan
    months = cash_schedule(plan, project(plan, f.scenario))
    cols = tuple(
        Column(
            mo.month,
            (
                {"actual": "実績", "plan": "計画"}.get(mo.kind, "計画（試算）"),
                month_label(mo.month),
                month_label_wareki(mo.month),
            ),
            "actual" if mo.kind == "actual" else "plan",
            width=11.5,
        )
        for mo in months
    )
    labels: dict[str, list[str]] = {g: [] for g in CASH_GROUPS}
    for mo in months:
        for group, label, _ in mo.items:
            if label not in labels[group]:
                labels[group].append(label)
    amounts = [{(g, label): v for g, label, v in mo.items} for mo in months]
    derived = [mo.kind == "derived" for mo in months]
    # lines of the derived months only (売上代金の入金…) stay blank in the months the user wrote,
    # and the user's own lines blank in the derived months: neither was a 0 there
    written = {key for a, d in zip(amounts, derived, strict=True) if not d for key in a}

    rows: list[Row] = []
    begin: list[Cell] = []
    for i, mo in enumerate(months):
        if i == 0:
            begin.append(Cell(mo.cash_begin, "input" if plan.cash_table.opening_cash is not None else "computed"))
        else:
            begin.append(formula(mo.cash_begin, [("cash.end", cols[i - 1].key, 1)]))
    rows.append(Row("cash.begin", "前月繰越（月初現預金）", tuple(begin), "total"))

    totals = {
        "operating_in": [m.operating_in for m in months],
        "operating_out": [m.operating_out for m in months],
        "investing_in": [m.investing_in for m in months],
        "investing_out": [m.investing_out for m in months],
        "financing_in": [m.financing_in for m in months],
        "financing_out": [m.financing_out for m in months],
    }

    def group_rows(group: str) -> str:
        keys = []
        for j, label in enumerate(labels[group]):
            key = f"cash.{group}.{j}"
            keys.append(key)
            cells = tuple(
                (Cell(a[(group, label)]) if (group, label) in a else BLANK)
                if d
                else (Cell(a.get((group, label), 0), "input") if (group, label) in written else BLANK)
                for a, d in zip(amounts, derived, strict=True)
            )
            rows.append(Row(key, label, cells, indent=1))
        total_key = f"cash.{group}"
        cells = tuple(
            Cell(v) if not keys else formula(v, [(k, c.key, 1) for k in keys])
            for c, v in zip(cols, totals[group], strict=True)
        )
        rows.append(Row(total_key, f"{CASH_GROUP_LABELS[group]} 計", cells, "total" if keys else "item"))
        return total_key

    net_rows: list[str] = []
    for kind, label in (("operating", "経常収支"), ("investing", "設備等収支"), ("financing", "財務収支")):
        k_in = group_rows(f"{kind}_in")
        k_out = group_rows(f"{kind}_out")
        key = f"cash.{kind}"
        values = [getattr(m, kind) for m in months]
        rows.append(Row(key, label, column_sum(cols, values, [(k_in, 1), (k_out, -1)]), "total"))
        net_rows.append(key)
    rows.append(
        Row(
            "cash.end",
            "翌月繰越（月末現預金）",
            column_sum(cols, [m.cash_end for m in months], [("cash.begin", 1)] + [(k, 1) for k in net_rows]),
            "total",
        )
    )
    has_actual = any(m.kind == "actual" for m in months)
    title = "資金実績・計画表" if has_actual else "資金予定表"
    note = f.unit_note
    if any(derived):
        season = "季節変動の比" if plan.cash_table.seasonality else "毎月均等"
        note += (
            "　「計画（試算）」の月は計画1年目の損益・CFを月別に配分した目安"
            f"（売上入金・仕入支払は{season}、新規借入は期首月、法人税等は2か月目、配当は3か月目、その他は毎月均等）"
        )
    return shown_table(Table("cash", title, cols, tuple(rows), label_heading="項目", note=note, label_width=26), f.unit)


# --------------------------------------------------------------------------- indicators

INDICATOR_ROWS: tuple[tuple[str, str, Format], ...] = (
    ("sales_growth", "売上増加率", "percent"),
    ("operating_margin", "営業利益率", "percent"),
    ("labor_productivity", "労働生産性（営業利益÷従業員数）", "yen"),
    ("ebitda_debt_ratio", "EBITDA有利子負債倍率（倍）", "ratio"),
    ("working_capital_months", "営業運転資本回転期間（か月）", "ratio"),
    ("equity_ratio", "自己資本比率", "percent"),
    ("adjusted_equity_ratio", "実態自己資本比率", "percent"),
    ("normal_working_capital", "正常運転資金", "yen"),
    ("debt_repayment_years", "債務償還年数（年）", "ratio"),
    ("simple_cash_flow", "簡易キャッシュフロー（当期純利益＋減価償却費−債務免除益）", "yen"),
    ("breakeven_sales", "損益分岐点売上高", "yen"),
    ("employees", "従業員数（人）", "count"),
)


#: Indicators read from the balance sheet: "－" in a year without one.
BS_INDICATORS = frozenset({"normal_working_capital"})


def indicator_table(f: Figures) -> Table:
    years = f.years
    cols = period_columns(years)
    rows = []
    for key, label, fmt in INDICATOR_ROWS:
        values = [shown_indicator(y, key) for y in years]
        if key in BS_INDICATORS:  # a year without a BS has none (the engine's 0 is no figure)
            values = [None if y["bs"] is None else v for y, v in zip(years, values, strict=True)]
        cells = tuple(Cell(v) if fmt in ("yen", "count") and v is not None else indicator_cell(key, v) for v in values)
        rows.append(Row(f"ind.{key}", label, cells, fmt=fmt))
    rows.append(Row("ind.ordinary_profit", "経常利益", computed([y["pl"]["ordinary_profit"] for y in years])))
    rows.append(
        Row(
            "ind.interest_bearing_debt",
            "有利子負債",
            computed([year_value(y, "bs", "interest_bearing_debt") for y in years]),
        )
    )
    rows.append(
        Row(
            "ind.adjusted_net_assets",
            net_assets_label(y.get("net_assets_basis") for y in years),
            computed([year_value(y, "bs", "adjusted_net_assets") for y in years]),
        )
    )
    formula_text = f.check.get("debt_repayment_years_variant", {}).get("formula", "")
    return shown_table(
        Table(
            "indicators",
            "財務指標（ローカルベンチマーク等）",
            cols,
            tuple(rows),
            label_heading="指標",
            note=f"{f.unit_note}　債務償還年数 = {formula_text}",
            label_width=38,
        ),
        f.unit,
    )


# --------------------------------------------------------------------------- assumptions


def assumptions_table(f: Figures) -> Table:
    """計画の前提: the plan file's drivers per plan year (all inputs), before action effects."""
    d = f.plan.drivers
    cols = period_columns(f.plan_years)

    def inputs(values: Sequence[Any]) -> tuple[Cell, ...]:
        return tuple(Cell(float(v) if not isinstance(v, int) else v, "input") for v in values)

    rows: list[Row] = []
    sales = d.sales
    if sales.growth is not None:
        rows.append(Row("as.growth", "売上高成長率", inputs(sales.growth), fmt="percent"))
    if sales.amounts is not None:
        rows.append(Row("as.sales", "売上高（金額）", inputs(sales.amounts)))
    for i, seg in enumerate(sales.segments):
        if seg.growth is not None:
            rows.append(Row(f"as.seg.{i}", f"成長率（{seg.name}）", inputs(seg.growth), fmt="percent"))
        elif seg.amounts is not None:
            rows.append(Row(f"as.seg.{i}", f"売上高（{seg.name}）", inputs(seg.amounts)))
    rows.append(Row("as.cost_ratio", "変動原価率", inputs(d.cost_ratio), fmt="percent"))
    if any(d.cost_fixed):
        rows.append(Row("as.cost_fixed", "固定的な売上原価（減価償却費を除く）", inputs(d.cost_fixed)))
    for i, item in enumerate(d.sga):
        if item.ratios is not None:
            rows.append(Row(f"as.sga.{i}", f"{item.name}（売上比）", inputs(item.ratios), fmt="percent"))
        elif item.amounts is not None:
            rows.append(Row(f"as.sga.{i}", item.name, inputs(item.amounts)))
    rows.append(Row("as.depreciation", "既存資産の減価償却費", inputs(d.existing_depreciation)))
    capex = [sum(c.amount for c in d.capex if c.year == y) for y in range(1, d.years + 1)]
    if any(capex):
        rows.append(Row("as.capex", "設備投資", inputs(capex)))
    for key, label, turnover in (
        ("receivables", "売上債権回転期間（か月）", d.receivables),
        ("inventory", "棚卸資産回転期間（か月）", d.inventory),
        ("payables", "仕入債務回転期間（か月）", d.payables),
    ):
        rows.append(Row(f"as.{key}", label, inputs([x * 12 for x in turnover.factors]), fmt="ratio"))
    for key, label, values in (
        ("non_operating_income", "営業外収益", d.non_operating_income),
        ("non_operating_expenses", "営業外費用（支払利息を除く）", d.non_operating_expenses),
        ("extraordinary_income", "特別利益", d.extraordinary_income),
        ("extraordinary_loss", "特別損失", d.extraordinary_loss),
        ("dividends", "配当", d.dividends),
    ):
        if any(values):
            rows.append(Row(f"as.{key}", label, inputs(values)))
    rows.append(Row("as.tax", "法人税等の実効税率", inputs([d.tax.rate] * d.years), fmt="percent"))
    note = (
        f"{f.unit_note}　施策の効果（アクションプラン）は含みません。計画の数値はこの前提に施策の効果を加えて計算します"
    )
    return shown_table(
        Table(
            "assumptions",
            "計画の前提（主な入力値）",
            cols,
            tuple(rows),
            label_heading="項目",
            note=note,
            label_width=34,
        ),
        f.unit,
    )


# --------------------------------------------------------------------------- 千円 display

ROUNDING_NOTE = "千円未満切捨て。内訳の合計が合計欄と一致するよう内訳の端数を調整"
TRUNCATION_NOTE = "千円未満切捨て"

Key = tuple[str, str]


def _is_money(cell: Cell, row: Row, column: Column) -> bool:
    fmt = column.fmt or row.fmt
    return fmt == "yen" and isinstance(cell.value, int) and not isinstance(cell.value, bool)


def _leads(parts: Mapping[Key, int], column_leaves: Sequence[Key], column: str) -> bool:
    """Whether the total's amounts in its own column are the column's first amounts."""
    own = {k for k in parts if k[1] == column}
    return own == set(column_leaves[: len(own)])


def shown_tables(items: Sequence[Table], unit: str) -> list[Table]:
    """The tables as shown in `unit`: in 千円, every amount a whole number of thousands (in yen,
    so the workbook's `#,##0,` format and the PDF's truncation both print it exactly) and every
    total the sum of its parts as shown.

    Why: each document used to round on its own (the PDF truncated, Excel's format rounded),
    so the same figure differed by 1 between them and totals missed their parts by 1–3千円.
    Now both documents print these values. The rule (docs/documents.md, "千円の表示"):

    * an amount that is no total is truncated (`keiei.money.in_units`) unless a total moves it;
    * a total (a `formula` cell) is the sum of its parts as shown, always;
    * totals are visited column by column, left to right, first those whose parts are the
      column's first amounts (the chain 売上高 → 売上総利益 → 営業利益 → … → 当期純利益, 資産合計,
      月末現預金), then the others, top to bottom; each asks for its own truncated exact figure
      and its parts not yet moved by an earlier total take their floor or ceiling, largest
      remainder first (`keiei.money.apportion`), to give it. A total whose parts were all
      settled by earlier totals (販管費 inside the chain, a row total of years) is their sum,
      within a few 千円 of its exact figure.

    `items` are the tables of one sheet or page: a term may point into another of them (the
    実態BS adjustments). In 円 the tables are returned unchanged.
    """
    if unit != "千円":
        return list(items)
    unit_yen = 1000
    where: dict[Key, tuple[int, int, int]] = {}
    money: set[Key] = set()
    for ti, t in enumerate(items):
        for ri, r in enumerate(t.rows):
            for ci, (c, cell) in enumerate(zip(t.columns, r.cells, strict=True)):
                where[(r.key, c.key)] = (ti, ri, ci)
                if _is_money(cell, r, c):
                    money.add((r.key, c.key))

    def cell_at(key: Key) -> Cell:
        ti, ri, ci = where[key]
        return items[ti].rows[ri].cells[ci]

    def is_total(key: Key) -> bool:
        return key in money and cell_at(key).kind == "formula"

    exact: dict[Key, int] = {}
    expansions: dict[Key, dict[Key, int]] = {}

    def expansion(key: Key) -> dict[Key, int]:
        """The total as Σ coefficient × amount that is no total (blank terms count 0)."""
        if key in expansions:
            return expansions[key]
        out: dict[Key, int] = {}
        for row, col, sign in cell_at(key).terms:
            term = (row, col)
            if is_total(term):
                for leaf, k in expansion(term).items():
                    out[leaf] = out.get(leaf, 0) + sign * k
            elif term in money:
                out[term] = out.get(term, 0) + sign
        expansions[key] = {k: v for k, v in out.items() if v}
        return expansions[key]

    leaves = {k for k in money if not is_total(k)}
    for k in leaves:
        exact[k] = int(cell_at(k).value)  # type: ignore[arg-type]
    shown: dict[Key, int] = {k: in_units(exact[k], unit_yen) for k in leaves}
    settled: set[Key] = set()

    order: list[Key] = []
    for t in items:
        for c in t.columns:
            column_leaves = [(r.key, c.key) for r in t.rows if (r.key, c.key) in leaves]
            totals = [(r.key, c.key) for r in t.rows if is_total((r.key, c.key))]
            firsts = [k for k in totals if _leads(expansion(k), column_leaves, c.key)]
            order += firsts + [k for k in totals if k not in firsts]
    for total in order:
        parts = expansion(total)
        target = in_units(sum(k * exact[leaf] for leaf, k in parts.items()), unit_yen)
        free = [leaf for leaf, k in parts.items() if leaf not in settled and abs(k) == 1]
        fixed = sum(k * shown[leaf] for leaf, k in parts.items() if leaf not in free)
        moved = apportion([parts[leaf] * exact[leaf] for leaf in free], unit_yen, target - fixed)
        for leaf, value in zip(free, moved, strict=True):
            shown[leaf] = parts[leaf] * value
        settled.update(free)

    def value_of(key: Key) -> int:
        if key in shown:
            return shown[key]
        if not is_total(key):
            return 0
        shown[key] = sum(sign * value_of((row, col)) for row, col, sign in cell_at(key).terms)
        return shown[key]

    out: list[Table] = []
    for t in items:
        rows = []
        any_money = any_total = False
        for r in t.rows:
            cells = []
            for c, cell in zip(t.columns, r.cells, strict=True):
                key = (r.key, c.key)
                if key in money:
                    any_money = True
                    any_total = any_total or cell.kind == "formula"
                    cell = Cell(value_of(key) * unit_yen, cell.kind, cell.terms)
                cells.append(cell)
            rows.append(replace(r, cells=tuple(cells)))
        note = t.note
        if any_money:
            note = f"{note}　{ROUNDING_NOTE if any_total else TRUNCATION_NOTE}".lstrip("　")
        out.append(replace(t, rows=tuple(rows), note=note))
    return out


def shown_table(table: Table, unit: str) -> Table:
    """One table as shown in `unit` (`shown_tables`)."""
    return shown_tables([table], unit)[0]
