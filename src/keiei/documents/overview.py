"""The plan's descriptive tables: profile, 業績の推移, business model lists, action plan, the
plan at a glance and its milestones, the check's criteria and scenario comparison.

Same `Table` model as `keiei.documents.tables` (rendered by the workbook and the PDF alike).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from keiei.documents.figures import (
    Figures,
    amount_text,
    fiscal_label,
    founded_label,
    month_label,
    month_label_wareki,
    plan_span,
    yen_text,
)
from keiei.documents.tables import (
    BLANK,
    Cell,
    CellKind,
    Column,
    Format,
    Row,
    Table,
    by_kind,
    indicator_cell,
    period_columns,
    shown_indicator,
    shown_table,
    year_value,
)
from keiei.finance.display import indicator_text, net_assets_label
from keiei.plan.periods import Period, month_end


def criteria_table(f: Figures) -> Table | None:
    """The check's criteria (`keiei.plancheck`), or None when the check gives none."""
    criteria = f.criteria
    if not criteria:
        return None
    sets = (f.check.get("rules") or {}).get("sets") or {}
    cols = (
        Column("passed", ("判定",), fmt="text", width=6),
        Column("set", ("区分",), fmt="text", width=12),
        Column("weight", ("扱い",), fmt="text", width=7),
        Column("message", ("内容",), fmt="text", width=60, span=4),
    )
    rows = []
    for i, c in enumerate(criteria):
        passed = c.get("passed")
        mark = "○" if passed is True else "×" if passed is False else "－"
        weight = {"error": "必須", "warning": "目安", "info": "参考"}.get(str(c.get("weight")), "")
        rows.append(
            Row(
                f"crit.{i}",
                str(c.get("label") or c.get("id") or ""),
                (
                    Cell(mark, "text"),
                    Cell(str(sets.get(c.get("set"), c.get("set") or "")), "text"),
                    Cell(weight, "text"),
                    Cell(str(c.get("message") or ""), "text"),
                ),
            )
        )
    return Table("criteria", "計画の基準の確認", cols, tuple(rows), label_heading="基準", label_width=30)


def scenario_table(f: Figures) -> Table | None:
    """The check's scenario comparison: final-year figures and the verdicts that change."""
    scenarios = (f.check.get("scenarios") or {}).get("scenarios") or []
    if len(scenarios) < 2:
        return None
    periods = [y["period"] for y in f.plan_years]

    def year_text(index: int | None, never: str) -> str:
        if index is None:
            return never
        return f"計画{index}年目" if 1 <= index <= len(periods) else str(index)

    cols = (
        Column("sales", ("最終年度", "売上高"), fmt="yen"),
        Column("ordinary", ("最終年度", "経常利益"), fmt="yen"),
        Column("adjusted", ("最終年度", "実態純資産"), fmt="yen"),
        Column("years", ("最終年度", "債務償還年数"), fmt="ratio", width=10),
        Column("return", ("経常黒字化",), fmt="text", width=10),
        Column("resolution", ("実質債務超過", "の解消"), fmt="text", width=10),
        Column("cash", ("最低現預金",), fmt="yen"),
        Column("flips", ("基本計画と判定が", "変わる基準"), fmt="text", width=34, span=2),
    )
    rows = []
    for i, sc in enumerate(scenarios):
        fig = sc["figures"]
        flips = "、".join(fl["label"] for fl in sc.get("flips") or ()) or "なし"
        rows.append(
            Row(
                f"scen.{i}",
                str(sc.get("label") or sc["name"]),
                (
                    Cell(fig["sales"]),
                    Cell(fig["ordinary_profit"]),
                    Cell(fig["adjusted_net_assets"]),
                    indicator_cell(
                        "debt_repayment_years", fig.get("debt_repayment_years_shown", fig["debt_repayment_years"])
                    ),
                    Cell(
                        "黒字を維持"
                        if fig.get("already_profitable")
                        else year_text(fig.get("return_year"), "期間内になし"),
                        "text",
                    ),
                    Cell(
                        year_text(fig.get("resolution_year"), "期間内になし")
                        if fig.get("negative_at_base")
                        else "該当なし",
                        "text",
                    ),
                    BLANK if fig.get("min_cash") is None else Cell(fig["min_cash"]),
                    Cell(flips, "text"),
                ),
            )
        )
    table = Table(
        "scenarios",
        "シナリオ別の比較（感応度）",
        cols,
        tuple(rows),
        label_heading="シナリオ",
        note=f.unit_note,
        label_width=30,
    )
    return shown_table(table, f.unit)


# --------------------------------------------------------------------------- text tables

FLOW_KINDS = {"goods": "モノ", "money": "お金", "service": "サービス", "information": "情報"}


def _text_cells(*values: str | None, kind: CellKind = "input") -> tuple[Cell, ...]:
    return tuple(Cell(v or "", kind) for v in values)


def _closed(period: str, day: dt.date) -> bool:
    """The fiscal year ending in `period` (YYYY-MM) had ended before `day`."""
    p = Period.parse(period)
    return month_end(p.year, p.month) < day


def closed_before(f: Figures, day: dt.date | None) -> list[dict[str, Any]]:
    """The actual years whose fiscal year had ended before `day` (all of them without a day).

    A form dated on `day` can only quote the statements of years closed by then: an
    application made before the base year's closing has no figures for that year yet.
    """
    if day is None:
        return f.actual_years
    return [y for y in f.actual_years if _closed(y["period"], day)]


def performance_table(f: Figures, *, known_on: dt.date | None = None, due_diligence: bool = True) -> Table:
    """業績推移 of the actual years (the company profile's numbers).

    For a form dated `known_on` (the 利用申請書's 別添1-1): only the years closed before that day
    and, with `due_diligence=False`, without 実態純資産 — the adjusted net assets are a result
    of the due diligence that follows the application, so an application cannot show them.
    """
    years = closed_before(f, known_on)
    cols = period_columns(years)
    spec: tuple[tuple[str, str, str], ...] = (
        ("pl", "sales", "売上高"),
        ("pl", "gross_profit", "売上総利益"),
        ("pl", "operating_profit", "営業利益"),
        ("pl", "ordinary_profit", "経常利益"),
        ("pl", "net_income", "当期純利益"),
        ("pl", "depreciation", "減価償却費"),
        ("bs", "total_assets", "総資産"),
        ("bs", "interest_bearing_debt", "有利子負債"),
        ("bs", "net_assets", "純資産（簿価）"),
        ("bs", "adjusted_net_assets", "実態純資産"),
    )
    if not due_diligence:
        spec = tuple(s for s in spec if s[1] != "adjusted_net_assets")
    rows = [
        Row(f"perf.{key}", label, by_kind(cols, [year_value(y, sec, key) for y in years])) for sec, key, label in spec
    ]
    rows.append(
        Row(
            "perf.employees",
            "従業員数（人）",
            by_kind(cols, [y["indicators"]["employees"] for y in years]),
            fmt="count",
        )
    )
    return shown_table(Table("performance", "業績の推移", cols, tuple(rows), note=f.unit_note), f.unit)


def party_table(key: str, title: str, parties: Sequence[Any]) -> Table:
    cols = (
        Column("role", ("取引の内容・役割",), fmt="text", width=34),
        Column("share", ("割合",), fmt="percent", width=10),
        Column("note", ("備考",), fmt="text", width=24),
    )
    rows = tuple(
        Row(
            f"{key}.{i}",
            p.name,
            (
                Cell(p.role or "", "input"),
                BLANK if p.share is None else Cell(float(p.share), "input"),
                Cell(p.note or "", "input"),
            ),
        )
        for i, p in enumerate(parties)
    )
    return Table(key, title, cols, rows, label_heading="名称", label_width=34)


def flow_table(f: Figures) -> Table:
    cols = (
        Column("to", ("相手",), fmt="text", width=34),
        Column("what", ("内容",), fmt="text", width=30),
        Column("kind", ("種類",), fmt="text", width=10),
    )
    rows = tuple(
        Row(f"flow.{i}", fl.source, _text_cells(fl.target, fl.what, FLOW_KINDS.get(fl.kind or "", fl.kind or "")))
        for i, fl in enumerate(f.plan.business_model.flows)
    )
    return Table("flows", "取引の流れ", cols, rows, label_heading="元", label_width=34)


def list_table(key: str, title: str, items: Sequence[str]) -> Table:
    cols = (Column("text", ("内容",), fmt="text", width=60),)
    rows = tuple(Row(f"{key}.{i}", f"{title}{i + 1}", _text_cells(text)) for i, text in enumerate(items))
    return Table(key, title, cols, rows, label_heading="No.", label_width=12)


def business_model_tables(f: Figures) -> list[Table]:
    bm = f.plan.business_model
    tables = [
        party_table("suppliers", "仕入先・外注先", bm.suppliers),
        party_table("customers", "販売先", bm.customers),
        party_table("partners", "協力先・支援機関", bm.partners),
        flow_table(f),
        list_table("strengths", "強み", bm.strengths),
        list_table("weaknesses", "弱み・課題", bm.weaknesses),
    ]
    return [t for t in tables if t.rows]


def _years_text(effect: Any, years: int) -> str:
    start, end = effect.from_year, effect.until_year
    if end is None or end >= years:
        return f"{start}年目から" if start > 1 else "1年目から"
    return f"{start}～{end}年目"


def effect_text(effect: Any, f: Figures) -> str:
    """One action effect in words: 売上高（自動車部品）＋3.0%（1年目から）."""
    unit = f.unit
    names = {
        "sales": "売上高",
        "cost_of_sales": "売上原価",
        "non_operating_income": "営業外収益",
        "non_operating_expenses": "営業外費用",
        "extraordinary_income": "特別利益",
        "extraordinary_loss": "特別損失",
    }
    target = effect.item if effect.line == "sga" else names[effect.line]
    if effect.line == "sales" and effect.segment:
        target += f"（{effect.segment}）"
    if effect.amount is not None:
        sign = "＋" if effect.amount >= 0 else "△"
        text = f"{target} {sign}{amount_text(abs(effect.amount), unit)}{unit}"
    else:
        ratio = float(effect.ratio)
        sign = "＋" if ratio >= 0 else "△"
        if effect.line == "cost_of_sales":
            text = f"変動原価率 {sign}{abs(ratio) * 100:.1f}ポイント"
        elif effect.line == "sga" and _sga_kind(f, effect.item) == "variable":
            text = f"{target}の売上比 {sign}{abs(ratio) * 100:.1f}ポイント"
        else:
            text = f"{target} {sign}{abs(ratio) * 100:.1f}%"
    return f"{text}（{_years_text(effect, f.plan.drivers.years)}）"


def _sga_kind(f: Figures, name: str | None) -> str | None:
    for item in f.plan.drivers.sga:
        if item.name == name:
            return item.kind
    return None


def action_table(f: Figures) -> Table:
    cols = (
        Column("detail", ("具体的な内容",), fmt="text", width=44),
        Column("owner", ("担当",), fmt="text", width=16),
        Column("deadline", ("期限",), fmt="text", width=16),
        Column("kpi", ("目標（KPI）",), fmt="text", width=24),
        Column("effects", ("計画数値への反映",), fmt="text", width=36),
    )
    rows = []
    for i, a in enumerate(f.plan.action_plan):
        deadline = ""
        if a.deadline:
            deadline = f"{month_label(a.deadline[:7])}（{month_label_wareki(a.deadline[:7])}）"
        effects = "\n".join(effect_text(e, f) for e in a.effects)
        rows.append(
            Row(
                f"action.{i}",
                f"{i + 1}. {a.measure}",
                (*_text_cells(a.detail, a.owner, deadline, a.kpi), Cell(effects, "computed" if effects else "blank")),
            )
        )
    return Table("action_plan", "アクションプラン", cols, tuple(rows), label_heading="施策", label_width=28)


# --------------------------------------------------------------------------- plan summary


def summary_table(f: Figures) -> Table:
    """The plan at a glance: the base year and every plan year."""
    years = [f.actual_years[-1], *f.plan_years]
    cols = period_columns(years)
    spec: tuple[tuple[str, str, str, Format], ...] = (
        ("pl", "sales", "売上高", "yen"),
        ("pl", "operating_profit", "営業利益", "yen"),
        ("pl", "ordinary_profit", "経常利益", "yen"),
        ("pl", "net_income", "当期純利益", "yen"),
        ("indicators", "simple_cash_flow", "簡易キャッシュフロー", "yen"),
        ("bs", "interest_bearing_debt", "有利子負債", "yen"),
        ("bs", "net_assets", "純資産（簿価）", "yen"),
        ("bs", "adjusted_net_assets", "実態純資産", "yen"),
        ("indicators", "debt_repayment_years", "債務償還年数（年）", "ratio"),
    )
    rows = []
    for sec, key, label, fmt in spec:
        values = [shown_indicator(y, key) if sec == "indicators" else year_value(y, sec, key) for y in years]
        cells = tuple(indicator_cell(key, v) if fmt == "ratio" else Cell(v) if v is not None else BLANK for v in values)
        if key == "adjusted_net_assets":
            label = net_assets_label(y.get("net_assets_basis") for y in years)
        rows.append(Row(f"sum.{key}", label, cells, fmt=fmt, style="total" if key == "ordinary_profit" else "item"))
    return shown_table(
        Table("summary", "計画の概要（基準年度と計画年度）", cols, tuple(rows), note=f.unit_note), f.unit
    )


def _year_name(f: Figures, index: int) -> str:
    y = f.plan_years[index]
    return f"計画{index + 1}年目（{fiscal_label(y['period'])}）"


def targets(f: Figures) -> list[tuple[str, str]]:
    """The plan's numeric milestones in words (the verdict itself is the check's)."""
    base = f.actual_years[-1]
    plan_years = f.plan_years
    out: list[tuple[str, str]] = [("計画期間", plan_span(f.plan))]
    ordinary = [y["pl"]["ordinary_profit"] for y in plan_years]
    if base["pl"]["ordinary_profit"] > 0 and all(v > 0 for v in ordinary):
        out.append(("経常利益", "基準年度から黒字を維持します"))
    else:
        first = next((i for i in range(len(ordinary)) if all(v > 0 for v in ordinary[i:])), None)
        out.append(
            (
                "経常黒字化",
                f"{_year_name(f, first)}に経常黒字化" if first is not None else "計画期間内に経常黒字化に至りません",
            )
        )
    base_adjusted = year_value(base, "bs", "adjusted_net_assets")
    adjusted = [y["bs"]["adjusted_net_assets"] for y in plan_years]
    if base_adjusted is not None and base_adjusted < 0:
        first = next((i for i in range(len(adjusted)) if all(v >= 0 for v in adjusted[i:])), None)
        out.append(
            (
                "実質債務超過の解消",
                f"{_year_name(f, first)}に解消" if first is not None else "計画期間内に解消に至りません",
            )
        )
    elif base_adjusted is not None:
        out.append(("実質債務超過", "基準年度で実質資産超過です"))
    final = shown_indicator(plan_years[-1], "debt_repayment_years")
    out.append(
        (
            "債務償還年数（計画最終年度）",
            "算出できません（キャッシュフローがマイナス）"
            if final is None
            else f"{indicator_text('debt_repayment_years', final)}年",
        )
    )
    return out


def profile_rows(f: Figures, *, known_on: dt.date | None = None) -> list[tuple[str, str]]:
    """企業概況: the company's facts, and the lending banks with their balances.

    For a form dated `known_on` (the application): no remark on the representative (a
    retirement is the plan's outcome, not yet decided), and the banks without balances when
    the base year — whose closing balances these are — had not ended by that day.
    """
    c = f.plan.company
    at_application = known_on is not None
    rows: list[tuple[str, str]] = [("商号", c.name)]
    if c.representative:
        rows.append(("代表者", c.representative))
    if c.representative_note and not at_application:
        rows.append(("代表者（備考）", c.representative_note))
    address = " ".join(x for x in (f"〒{c.postal_code}" if c.postal_code else None, c.address) if x)
    if address:
        rows.append(("所在地", address))
    if c.industry:
        rows.append(("業種", c.industry))
    if c.business:
        rows.append(("事業内容", c.business))
    if c.founded:
        rows.append(("設立", founded_label(c.founded)))
    if c.capital is not None:
        rows.append(("資本金", yen_text(c.capital)))
    if c.employees is not None:
        rows.append(("従業員数", f"{c.employees}名"))
    rows.append(("決算期", f"{c.fiscal_year_end_month}月"))
    if c.shareholders:
        rows.append(("株主", "、".join(c.shareholders)))
    if f.plan.banks:
        base_known = known_on is None or _closed(str(f.plan.base_period), known_on)
        banks = []
        for bank, result in zip(f.plan.banks, f.banks, strict=True):
            name = " ".join(x for x in (bank.name, bank.branch) if x)
            balance = f"　借入残高 {amount_text(result['balance'], f.unit)}{f.unit}" if base_known else ""
            banks.append(f"{name}{'（メイン）' if bank.main else ''}{balance}")
        rows.append(("取引金融機関", "\n".join(banks)))
    return rows
