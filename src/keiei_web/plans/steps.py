"""The steps of the plan editor: what each one shows from the plan file and how it reads back.

Each step owns some top-level keys of the plan file (`company`, `actuals`, `drivers`…).
`build(doc)` turns those keys into inputs (keiei_web.plans.formkit) grouped for its template;
`read(post, doc)` turns what was posted back into those keys, keeping everything the form does
not show: unknown keys of a row travel in a hidden `<row>._keep` field, unknown keys of an
object are taken from the stored draft. Reading never fails — a value that is not a number yet
is stored as typed and the schema names it — so a draft always saves (nothing typed is lost).

Conventions of the posted names (shared with plan-editor.js):
- `<list>[i]…` rows; a row with nothing typed is dropped; `<row>._delete` drops it on purpose;
- `<series>[i]` the value of plan year i+1; only year 1 typed = the same every year (one value);
  blank later years repeat the year before;
- `<row>.v[i]` the same for a series whose key depends on a select in the row (sga kind…);
- `<x>._mode`, `<x>._unit`, `<x>._repay`: which key of the file a value goes to.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from keiei_web.plans.formkit import (
    Input,
    Node,
    deleted,
    keep_json,
    keep_of,
    normalise,
    parse,
    row_indexes,
    set_or_drop,
    show,
)

MAX_YEARS = 5
PLACEHOLDER = "__0__"  # row number in <template> rows (plan-editor.js replaces it)
PLACEHOLDER2 = "__1__"

# --------------------------------------------------------------------------- labels

PL_LINES: list[tuple[str, str, bool]] = [
    ("sales", "売上高", True),
    ("cost_of_sales", "売上原価", True),
    ("sga", "販売費及び一般管理費", True),
    ("non_operating_income", "営業外収益", False),
    ("non_operating_expenses", "営業外費用（支払利息を含む）", False),
    ("interest_expense", "うち支払利息", False),
    ("extraordinary_income", "特別利益", False),
    ("extraordinary_loss", "特別損失", False),
    ("income_taxes", "法人税、住民税及び事業税", False),
    ("depreciation", "減価償却費（原価・販管費の内数）", False),
    ("variable_costs", "変動費（損益分岐点用・省略時は売上原価）", False),
]
PL_STATED: list[tuple[str, str]] = [
    ("gross_profit", "売上総利益"),
    ("operating_profit", "営業利益"),
    ("ordinary_profit", "経常利益"),
    ("pretax_income", "税引前当期純利益"),
    ("net_income", "当期純利益"),
]
BS_LINES: list[tuple[str, str, bool]] = [
    ("cash", "現預金", True),
    ("receivables", "売上債権（受取手形・売掛金）", True),
    ("inventory", "棚卸資産", True),
    ("other_current_assets", "その他の流動資産", False),
    ("fixed_assets", "固定資産（繰延資産を含む）", True),
    ("payables", "仕入債務（支払手形・買掛金）", True),
    ("interest_bearing_debt", "有利子負債", True),
    ("other_liabilities", "その他の負債", False),
]
ASSET_LINES = ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets")
BS_LABELS = {key: label for key, label, _req in BS_LINES}

DRIVER_YEN_SERIES: list[tuple[str, str]] = [
    ("non_operating_income", "営業外収益"),
    ("non_operating_expenses", "営業外費用（支払利息以外）"),
    ("extraordinary_income", "特別利益（現金収入）"),
    ("extraordinary_loss", "特別損失（現金支出）"),
    ("asset_writedowns", "固定資産の減損・除却（非資金）"),
    ("other_current_assets", "その他の流動資産（期末残高）"),
    ("other_liabilities", "その他の負債（期末残高）"),
    ("dividends", "配当"),
    ("equity_issued", "増資"),
]
WORKING_CAPITAL = [
    ("receivables", "売上債権", "sales"),
    ("inventory", "棚卸資産", "cost_of_sales"),
    ("payables", "仕入債務", "cost_of_sales"),
]
TAX_FIELDS: list[tuple[str, str, str, str]] = [
    ("rate", "実効税率", "number", "例 0.335（33.5%）"),
    ("reduced_rate", "軽減税率", "number", "所得のうち軽減税率の適用上限まで"),
    ("reduced_limit", "軽減税率の適用上限", "yen", "中小法人は 8,000,000"),
    ("per_capita", "住民税均等割", "yen", "省略時 70,000（赤字でも負担）"),
    ("loss_carryforward", "繰越欠損金（計画開始時）", "yen", ""),
    ("offset_limit", "繰越欠損金の控除限度", "number", "中小法人は 1（省略時 1）"),
]
CASH_GROUPS: list[tuple[str, str]] = [
    ("operating_in", "経常収入"),
    ("operating_out", "経常支出"),
    ("investing_in", "設備等の売却収入"),
    ("investing_out", "設備投資"),
    ("financing_in", "借入・増資"),
    ("financing_out", "返済・配当"),
]
EFFECT_LINES = [
    ("sales", "売上高"),
    ("cost_of_sales", "売上原価"),
    ("sga", "販管費（科目）"),
    ("non_operating_income", "営業外収益"),
    ("non_operating_expenses", "営業外費用"),
    ("extraordinary_income", "特別利益"),
    ("extraordinary_loss", "特別損失"),
]
PARTY_GROUPS = [("suppliers", "仕入先・外注先"), ("customers", "販売先"), ("partners", "協力先・支援機関")]
FLOW_KINDS = [("", "—"), ("goods", "商品・製品"), ("money", "代金"), ("service", "役務"), ("information", "情報")]


def _t(text: str) -> str:
    return str(_(text))


# --------------------------------------------------------------------------- context


@dataclass
class Page:
    """What a step's template gets: its groups of inputs, and every node for attaching problems."""

    nodes: list[Node] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


class Builder:
    """Makes inputs for one step and remembers them (the nodes problems attach to)."""

    def __init__(
        self,
        doc: Mapping[str, Any],
        *,
        disabled: bool = False,
        add: str = "",
        may_edit: Callable[[str], bool] | None = None,
    ) -> None:
        self.doc = doc
        self.disabled = disabled
        self.add = add
        self.may_edit = may_edit  # by input path: False → read-only (access.may_edit_plan_field)
        self.nodes: list[Node] = []

    def input(self, name: str, kind: str, value: Any, label: str = "", *, path: str | None = None, **kw: Any) -> Input:
        item = Input(
            path=name if path is None else path,
            label=label,
            name=name,
            kind=kind,
            value=show(kind, value),
            disabled=self.disabled,
            **kw,
        )
        if self.may_edit is not None and not item.disabled and not self.may_edit(item.path):
            item.disabled = True
        item.widget = item.widget or _widget(kind)
        if item.widget == "select" and item.value and item.value not in {v for v, _l in item.choices}:
            # a stored value the choices do not know (from a file or the JSON editor): keep it
            item.choices = [*item.choices, (item.value, _t("%(v)s（不明な値）") % {"v": item.value})]
        self.nodes.append(item)
        return item

    def node(self, path: str, label: str = "", context: str = "") -> Node:
        item = Node(path=path, label=label, context=context)
        self.nodes.append(item)
        return item

    def wants_row(self, list_name: str) -> bool:
        """The no-JavaScript "add a row" button asked for one more row in `list_name`."""
        return self.add == list_name


def _widget(kind: str) -> str:
    if kind in {"textarea", "lines"}:
        return "textarea"
    if kind in {"select", "bool3"}:
        return "select"
    return "input"


class Reader:
    """Reads one step's posted values; notes what the user should be told (renamed labels)."""

    def __init__(self, post: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
        self.post = post
        self.doc = doc
        self.notes: list[str] = []
        self.reindexed = False  # a row was dropped before another: posted names ≠ stored paths
        posted = parse("int", str(post.get("drivers.years", "")))
        valid = isinstance(posted, int) and 1 <= posted <= MAX_YEARS
        self.years: int | None = posted if valid else plan_years(doc)

    def get(self, name: str, kind: str = "text") -> Any:
        return parse(kind, str(self.post.get(name, "")))

    def raw(self, name: str) -> str:
        return str(self.post.get(name, ""))

    def rows(self, prefix: str) -> list[int]:
        return row_indexes(self.post, prefix)

    def kept_rows(self, prefix: str, read_row: Callable[[str], dict[str, Any] | None]) -> list[dict[str, Any]]:
        """Read every posted row of a list: deleted and empty rows dropped, order kept."""
        out: list[dict[str, Any]] = []
        indexes = self.rows(prefix)
        dropped = False
        for i in indexes:
            row = f"{prefix}[{i}]"
            value = None if deleted(self.post, row) else read_row(row)
            if value:
                if dropped:
                    self.reindexed = True
                out.append(value)
            else:
                dropped = True
        return out


def obj(doc: Mapping[str, Any], *keys: str | int) -> Any:
    """doc[k1][k2]… or None when any level is missing or of the wrong type."""
    cur: Any = doc
    for key in keys:
        if isinstance(key, int):
            if not isinstance(cur, list) or not -len(cur) <= key < len(cur):
                return None
            cur = cur[key]
        else:
            if not isinstance(cur, Mapping):
                return None
            cur = cur.get(key)
    return cur


def as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def plan_years(doc: Mapping[str, Any]) -> int | None:
    years = obj(doc, "drivers", "years")
    return years if isinstance(years, int) and not isinstance(years, bool) and 1 <= years <= MAX_YEARS else None


def base_period(doc: Mapping[str, Any]) -> tuple[int, int] | None:
    """The last actual period as (year, month), when it is a valid YYYY-MM."""
    actuals = as_list(doc.get("actuals"))
    if not actuals:
        return None
    period = obj(actuals[-1], "period")
    if isinstance(period, str) and len(period) == 7 and period[4] == "-" and period[:4].isdigit():
        month = period[5:]
        if month.isdigit() and 1 <= int(month) <= 12:
            return int(period[:4]), int(month)
    return None


def year_labels(doc: Mapping[str, Any], count: int) -> list[dict[str, str]]:
    """Column heads of the plan years: 計画1年目 and its period (2026-03期) when known."""
    base = base_period(doc)
    out = []
    for i in range(count):
        period = f"{base[0] + i + 1}-{base[1]:02d}期" if base else ""
        out.append({"title": _t("計画%(n)d年目") % {"n": i + 1}, "period": period})
    return out


# --------------------------------------------------------------------------- series


@dataclass
class SeriesRow:
    """One line of a per-plan-year grid: the line's node (series-level errors) and its cells."""

    node: Node
    cells: list[Input]
    head: list[Input] = field(default_factory=list)  # inputs before the cells (name, kind…)
    tail: list[Input] = field(default_factory=list)  # inputs after the cells (delete…)
    name: str = ""  # the row prefix (for templates and deletion)
    unit: str = ""


def series_row(
    b: Builder,
    *,
    name: str,
    path: str,
    value: Any,
    kind: str,
    cols: int,
    label: str,
    cell_name: Callable[[int], str] | None = None,
    unit: str = "",
    context: str = "",
) -> SeriesRow:
    """Cells for a series: a list shows each year; one value shows in year 1 (others greyed)."""
    node = b.node(path, label, context)
    cells = []
    values = value if isinstance(value, list) else [value] if value is not None else []
    scalar = value is not None and not isinstance(value, list)
    for i in range(max(cols, len(values))):
        v = values[i] if i < len(values) else None
        cell = b.input(
            cell_name(i) if cell_name else f"{name}[{i}]",
            kind,
            v,
            label,
            path=f"{path}[{i}]",
            width="num",
        )
        cell.context = context
        if scalar and i > 0:
            cell.placeholder = show(kind, value)
        cells.append(cell)
    return SeriesRow(node=node, cells=cells, name=name, unit=unit)


def read_series(r: Reader, names: list[str], kind: str) -> Any:
    """Posted cells → one value (only year 1 typed), a list (later blanks repeat the year
    before), or None (nothing typed). A list is as long as the plan years (or up to the last
    value typed beyond them, which the loader then names)."""
    texts = [normalise(r.raw(n)) for n in names]
    if not any(texts):
        return None
    if texts[0] and not any(texts[1:]):
        return parse(kind, texts[0])
    last_typed = max(i for i, t in enumerate(texts) if t)
    length = max(last_typed + 1, min(r.years or len(texts), len(texts)))
    values: list[Any] = []
    for i in range(length):
        if texts[i]:
            values.append(parse(kind, texts[i]))
        elif i == 0:
            values.append("")  # year 1 left empty: the schema names this cell
        else:
            values.append(values[-1])
    return values


def series_cells(r: Reader, prefix: str) -> list[str]:
    """The posted cell names `<prefix>[i]`, in year order."""
    return [f"{prefix}[{i}]" for i in r.rows(prefix)]


def grid_cols(doc: Mapping[str, Any], *series: Any) -> int:
    """Columns of a step's grids: the plan years, or more when a stored list is longer."""
    cols = plan_years(doc) or MAX_YEARS
    for value in series:
        if isinstance(value, list):
            cols = max(cols, len(value))
    return cols


def resize_series(doc: dict[str, Any], years: int) -> bool:
    """Make every per-year list `years` long (cut, or repeat the last value). True if any changed.

    Called when drivers.years changes, so lists typed for the old number of years stay valid.
    """
    changed = False

    def fix(holder: Any, key: str) -> None:
        nonlocal changed
        if isinstance(holder, dict) and isinstance(holder.get(key), list) and holder[key]:
            values = holder[key]
            if len(values) != years:
                holder[key] = values[:years] + [values[-1]] * max(0, years - len(values))
                changed = True

    drivers = doc.get("drivers")
    if isinstance(drivers, dict):
        sales = drivers.get("sales")
        if isinstance(sales, dict):
            fix(sales, "growth")
            fix(sales, "amounts")
            for seg in as_list(sales.get("segments")):
                fix(seg, "growth")
                fix(seg, "amounts")
        fix(drivers.get("cost_of_sales"), "ratio")
        fix(drivers.get("cost_of_sales"), "fixed")
        for item in as_list(drivers.get("sga")):
            fix(item, "amount")
            fix(item, "ratio")
        fix(drivers.get("depreciation"), "existing")
        for wc in as_dict(drivers.get("working_capital")).values():
            fix(wc, "months")
            fix(wc, "days")
        for key, _label in DRIVER_YEN_SERIES:
            fix(drivers, key)
        fix(drivers, "employees")
        fix(drivers.get("other_debt"), "repayment")
    for bank in as_list(doc.get("banks")):
        for loan in as_list(obj(bank, "loans")):
            fix(loan, "schedule")
    return changed


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    slug: str
    label: Any  # a lazy translation (read when a page is rendered, in the user's language)
    keys: tuple[str, ...]  # top-level keys of the plan file this step edits
    template: str
    build: Callable[[Builder], dict[str, Any]]
    read: Callable[[Reader], dict[str, Any]]
    help: str = ""


# ---- company -------------------------------------------------------------------------------------

COMPANY_FIELDS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("name", "商号", "text", {"required": True, "width": "l"}),
    ("fiscal_year_end_month", "決算月", "int", {"required": True, "widget": "select"}),
    ("postal_code", "郵便番号", "text", {"placeholder": "例 577-0065", "width": "s"}),
    ("address", "所在地", "text", {"width": "l"}),
    ("industry", "業種", "text", {"width": "l"}),
    ("representative", "代表者", "text", {"width": "m"}),
    ("founded", "設立", "date", {"placeholder": "例 1978-04-01", "width": "s"}),
    ("capital", "資本金（円）", "yen", {"width": "m"}),
    ("employees", "従業員数（基準期末）", "int", {"width": "s"}),
    ("business", "事業内容", "textarea", {}),
    ("shareholders", "主な株主（1行に1人）", "lines", {}),
    ("notes", "会社についてのメモ", "textarea", {}),
]
MONTHS = [("", "—")] + [(str(m), f"{m}月") for m in range(1, 13)]


def build_company(b: Builder) -> dict[str, Any]:
    company = as_dict(b.doc.get("company"))
    fields = []
    for key, label, kind, kw in COMPANY_FIELDS:
        kw = dict(kw)
        if key == "fiscal_year_end_month":
            kw["choices"] = MONTHS
        fields.append(b.input(f"company.{key}", kind, company.get(key), _t(label), **kw))
    b.node("company", _t("会社概要"))
    b.node("program", _t("事業区分"))
    b.node("version", _t("計画ファイル形式の版"))
    b.node("settings", _t("計算の設定"))
    return {
        "company_fields": fields,
        "display_unit": b.input(
            "display_unit",
            "select",
            b.doc.get("display_unit"),
            _t("帳票の表示単位"),
            choices=[("", _t("既定（円）")), ("円", "円"), ("千円", "千円")],
            help=_t("計算は常に円単位です。"),
        ),
        "rounding": b.input(
            "settings.rounding",
            "select",
            obj(b.doc, "settings", "rounding"),
            _t("円未満の端数"),
            choices=[("", _t("既定（四捨五入）")), ("half_up", _t("四捨五入")), ("truncate", _t("切り捨て"))],
        ),
        "causes": b.input(
            "causes_of_distress",
            "lines",
            b.doc.get("causes_of_distress"),
            _t("窮境原因"),
            help=_t("1行に1つ。なぜ今の状況になったかを具体的に書きます。"),
        ),
        "policy": b.input(
            "basic_policy",
            "lines",
            b.doc.get("basic_policy"),
            _t("経営改善の基本方針"),
            help=_t("1行に1つ。"),
        ),
        "notes": b.input("notes", "textarea", b.doc.get("notes"), _t("計画全体のメモ（計算には使いません）")),
    }


def read_company(r: Reader) -> dict[str, Any]:
    company = as_dict(r.doc.get("company"))
    for key, _label, kind, _kw in COMPANY_FIELDS:
        set_or_drop(company, key, r.get(f"company.{key}", kind))
    settings = as_dict(r.doc.get("settings"))
    set_or_drop(settings, "rounding", r.get("settings.rounding", "select"))
    return {
        "company": company or None,
        "display_unit": r.get("display_unit", "select"),
        "settings": settings or None,
        "causes_of_distress": r.get("causes_of_distress", "lines"),
        "basic_policy": r.get("basic_policy", "lines"),
        "notes": r.get("notes", "textarea"),
    }


# ---- business model ------------------------------------------------------------------------------

PARTY_FIELDS = [
    ("name", "名称", "text", True),
    ("role", "役割・取引内容", "text", False),
    ("share", "構成比", "number", False),
    ("note", "備考", "text", False),
]
FLOW_FIELDS = [("from", "から", "text", True), ("to", "へ", "text", True), ("what", "内容", "text", False)]


def _party_row(b: Builder, group: str, i: int | str, party: Any) -> dict[str, Any]:
    row = f"business_model.{group}[{i}]"
    party = as_dict(party)
    b.node(row, _t("%(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {
        "name": row,
        "inputs": [
            b.input(
                f"{row}.{key}", kind, party.get(key), _t(label), required=req, width="num" if kind == "number" else ""
            )
            for key, label, kind, req in PARTY_FIELDS
        ],
        "keep": keep_json(party, [f[0] for f in PARTY_FIELDS]),
    }


def _flow_row(b: Builder, i: int | str, flow: Any) -> dict[str, Any]:
    row = f"business_model.flows[{i}]"
    flow = as_dict(flow)
    inputs = [
        b.input(
            f"{row}.{key}",
            kind,
            flow.get(key),
            _t(label),
            required=req,
            datalist="" if key == "what" else "dl-parties",
            width="l" if key == "what" else "",
        )
        for key, label, kind, req in FLOW_FIELDS
    ]
    inputs.append(
        b.input(f"{row}.kind", "select", flow.get("kind"), _t("種類"), choices=[(k, _t(v)) for k, v in FLOW_KINDS])
    )
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(flow, ["from", "to", "what", "kind"])}


def build_business(b: Builder) -> dict[str, Any]:
    bm = as_dict(b.doc.get("business_model"))
    b.node("business_model", _t("ビジネスモデル"))
    groups = []
    for key, label in PARTY_GROUPS:
        parties = as_list(bm.get(key))
        rows = [_party_row(b, key, i, p) for i, p in enumerate(parties)]
        if b.wants_row(f"business_model.{key}") or not rows:
            rows.append(_party_row(b, key, len(parties), {}))
        groups.append(
            {
                "key": key,
                "label": _t(label),
                "list": f"business_model.{key}",
                "rows": rows,
                "template": _party_row(Builder({}, disabled=b.disabled), key, PLACEHOLDER, {}),
                "next": len(rows),
                "node": b.node(f"business_model.{key}", _t(label)),
            }
        )
    flows = as_list(bm.get("flows"))
    flow_rows = [_flow_row(b, i, f) for i, f in enumerate(flows)]
    if b.wants_row("business_model.flows") or not flow_rows:
        flow_rows.append(_flow_row(b, len(flows), {}))
    return {
        "groups": groups,
        "party_heads": [_t(f[1]) for f in PARTY_FIELDS],
        "flows": {
            "list": "business_model.flows",
            "rows": flow_rows,
            "template": _flow_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
            "next": len(flow_rows),
        },
        "flow_heads": [_t(f[1]) for f in FLOW_FIELDS] + [_t("種類")],
        "party_names": [
            n
            for n in [obj(b.doc, "company", "name")]
            + [obj(p, "name") for k, _l in PARTY_GROUPS for p in as_list(bm.get(k))]
            if isinstance(n, str) and n
        ],
        "strengths": b.input("business_model.strengths", "lines", bm.get("strengths"), _t("強み（1行に1つ）")),
        "weaknesses": b.input("business_model.weaknesses", "lines", bm.get("weaknesses"), _t("弱み（1行に1つ）")),
    }


def read_business(r: Reader) -> dict[str, Any]:
    bm = as_dict(r.doc.get("business_model"))

    def party(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind, _req in PARTY_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    def flow(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind, _req in FLOW_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        set_or_drop(out, "kind", r.get(f"{row}.kind", "select"))
        return out if typed else None

    for key, _label in PARTY_GROUPS:
        set_or_drop(bm, key, r.kept_rows(f"business_model.{key}", party))
    set_or_drop(bm, "flows", r.kept_rows("business_model.flows", flow))
    set_or_drop(bm, "strengths", r.get("business_model.strengths", "lines"))
    set_or_drop(bm, "weaknesses", r.get("business_model.weaknesses", "lines"))
    return {"business_model": bm or None}


# ---- actuals -------------------------------------------------------------------------------------

ADJ_FIELDS = [
    ("item", "修正項目", "text"),
    ("line", "修正する行", "select"),
    ("amount", "増減額（円）", "yen"),
    ("reason", "理由", "text"),
    ("ends_year", "解消する計画年度", "int"),
]
ACTUAL_MANAGED = ("period", "employees", "pl", "bs", "segments", "adjustments")


def _adj_row(b: Builder, i: int | str, adj: Any, base: str) -> dict[str, Any]:
    row = f"adj[{i}]"
    adj = as_dict(adj)
    path = f"{base}.adjustments[{i}]" if base else ""
    inputs = []
    for key, label, kind in ADJ_FIELDS:
        kw: dict[str, Any] = {}
        if key == "line":
            kw["choices"] = [("", "—")] + [(k, _t(v)) for k, v, _r in BS_LINES]
        if kind in {"yen", "int"}:
            kw["width"] = "num"
        if key == "reason":
            kw["width"] = "l"
        inputs.append(
            b.input(
                f"{row}.{key}",
                kind,
                adj.get(key),
                _t(label),
                path=f"{path}.{key}" if path else "",
                required=key != "ends_year",
                **kw,
            )
        )
    if path:
        b.node(path, _t("実態BS修正 %(n)s行目") % {"n": i + 1 if isinstance(i, int) else ""})
    return {"name": row, "inputs": inputs, "keep": keep_json(adj, [f[0] for f in ADJ_FIELDS])}


def _computed_actual(year: Any) -> dict[str, Any]:
    """Subtotals of one actual year from the numbers typed (None where something is not a number)."""
    pl, bs = as_dict(obj(year, "pl")), as_dict(obj(year, "bs"))

    def n(d: dict[str, Any], key: str, default: int | None = 0) -> int | None:
        v = d.get(key, default)
        return v if isinstance(v, int) and not isinstance(v, bool) else None if key in d else default

    out: dict[str, Any] = {}
    s, c, g = n(pl, "sales", None), n(pl, "cost_of_sales", None), n(pl, "sga", None)
    if None not in (s, c, g):
        gross = s - c  # type: ignore[operator]
        op = gross - g  # type: ignore[operator]
        parts = [
            n(pl, k)
            for k in (
                "non_operating_income",
                "non_operating_expenses",
                "extraordinary_income",
                "extraordinary_loss",
                "income_taxes",
            )
        ]
        if None not in parts:
            noi, noe, ei, el, tax = parts  # type: ignore[misc]
            ordinary = op + noi - noe
            out.update(
                gross_profit=gross, operating_profit=op, ordinary_profit=ordinary, net_income=ordinary + ei - el - tax
            )
    if bs:
        vals = {k: n(bs, k) for k, _l, _r in BS_LINES}
        if None not in vals.values():
            assets = sum(vals[k] for k in ASSET_LINES)  # type: ignore[misc]
            liabilities = sum(vals[k] for k in ("payables", "interest_bearing_debt", "other_liabilities"))  # type: ignore[misc]
            out.update(total_assets=assets, net_assets=assets - liabilities)
            effect = 0
            ok = True
            for adj in as_list(obj(year, "adjustments")):
                amount, line = obj(adj, "amount"), obj(adj, "line")
                if not isinstance(amount, int) or line not in BS_LABELS:
                    ok = False
                    break
                effect += amount if line in ASSET_LINES else -amount
            if ok and as_list(obj(year, "adjustments")):
                out["adjusted_net_assets"] = assets - liabilities + effect
    return out


def build_actuals(b: Builder) -> dict[str, Any]:
    actuals = as_list(b.doc.get("actuals"))
    cols = max(3, len(actuals))
    b.node("actuals", _t("実績"))
    columns = []
    for k in range(cols):
        year = as_dict(actuals[k]) if k < len(actuals) else {}
        base = f"actuals[{k}]"
        ctx = _t("実績 %(p)s") % {"p": year.get("period") or _t("%(n)d列目") % {"n": k + 1}}
        b.node(base, "", ctx)
        col: dict[str, Any] = {
            "index": k,
            "period": b.input(
                f"{base}.period",
                "period",
                year.get("period"),
                _t("決算期"),
                placeholder="2025-03",
                width="num",
                context=ctx,
            ),
            "employees": b.input(
                f"{base}.employees", "int", year.get("employees"), _t("期末従業員数"), width="num", context=ctx
            ),
            "pl": {},
            "bs": {},
            "keep": keep_json(year, ACTUAL_MANAGED if k == len(actuals) - 1 else ACTUAL_MANAGED[:-1]),
            "pl_keep": keep_json(year.get("pl"), [x[0] for x in PL_LINES] + [x[0] for x in PL_STATED]),
            "bs_keep": keep_json(year.get("bs"), [x[0] for x in BS_LINES] + ["net_assets"]),
            "computed": _computed_actual(year),
        }
        pl, bs = as_dict(year.get("pl")), as_dict(year.get("bs"))
        b.node(f"{base}.pl", _t("損益計算書"), ctx)
        b.node(f"{base}.bs", _t("貸借対照表"), ctx)
        for key, label, _req in PL_LINES:
            col["pl"][key] = b.input(f"{base}.pl.{key}", "yen", pl.get(key), _t(label), width="num", context=ctx)
        for key, label in PL_STATED:
            col["pl"][key] = b.input(
                f"{base}.pl.{key}", "yen", pl.get(key), _t(label) + _t("（照合用）"), width="num", context=ctx
            )
        for key, label, _req in BS_LINES:
            col["bs"][key] = b.input(f"{base}.bs.{key}", "yen", bs.get(key), _t(label), width="num", context=ctx)
        col["bs"]["net_assets"] = b.input(
            f"{base}.bs.net_assets", "yen", bs.get("net_assets"), _t("純資産（照合用）"), width="num", context=ctx
        )
        columns.append(col)
    # segments: one row per name, one cell per actual year
    names: list[str] = []
    for seg in as_list(obj(b.doc, "drivers", "sales", "segments")):
        if isinstance(obj(seg, "name"), str) and seg["name"] not in names:
            names.append(seg["name"])
    for year in actuals:
        for name in as_dict(obj(year, "segments")):
            if name not in names:
                names.append(name)
    seg_rows = []
    for r, name in enumerate([*names, None] if (b.wants_row("seg") or not names) else names):
        cells = []
        for k in range(cols):
            value = obj(actuals[k], "segments", name) if (name is not None and k < len(actuals)) else None
            path = f"actuals[{k}].segments.{name}" if name is not None else ""
            cells.append(b.input(f"seg[{r}].v[{k}]", "yen", value, name or "", path=path, width="num"))
        seg_rows.append(
            {
                "name": f"seg[{r}]",
                "label": b.input(f"seg[{r}].name", "text", name, _t("部門名"), path=""),
                "cells": cells,
            }
        )
    seg_template = {
        "name": f"seg[{PLACEHOLDER}]",
        "label": Builder({}, disabled=b.disabled).input(
            f"seg[{PLACEHOLDER}].name", "text", None, _t("部門名"), path=""
        ),
        "cells": [
            Builder({}, disabled=b.disabled).input(f"seg[{PLACEHOLDER}].v[{k}]", "yen", None, path="", width="num")
            for k in range(cols)
        ],
    }
    # adjustments of the last actual year
    last = len(actuals) - 1
    base = f"actuals[{last}]" if last >= 0 else ""
    adjustments = as_list(obj(actuals[last], "adjustments")) if last >= 0 else []
    adj_rows = [_adj_row(b, i, a, base) for i, a in enumerate(adjustments)]
    if b.wants_row("adj") or not adj_rows:
        adj_rows.append(_adj_row(b, len(adjustments), {}, ""))
    if base:
        b.node(f"{base}.adjustments", _t("実態BS修正"))
    return {
        "columns": columns,
        "pl_lines": [(k, _t(label), req) for k, label, req in PL_LINES],
        "pl_stated": [(k, _t(label)) for k, label in PL_STATED],
        "bs_lines": [(k, _t(label), req) for k, label, req in BS_LINES],
        "segments": {"rows": seg_rows, "template": seg_template, "next": len(seg_rows), "list": "seg"},
        "adjustments": {
            "rows": adj_rows,
            "template": _adj_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, ""),
            "next": len(adj_rows),
            "list": "adj",
            "heads": [_t(f[1]) for f in ADJ_FIELDS],
        },
        "last_period": obj(actuals[last], "period") if last >= 0 else "",
    }


def read_actuals(r: Reader) -> dict[str, Any]:
    years: list[dict[str, Any]] = []
    cols = r.rows("actuals")
    seg_rows = r.rows("seg")
    seg_names: dict[int, str] = {}
    used: set[str] = set()
    for s in seg_rows:
        row = f"seg[{s}]"
        if deleted(r.post, row):
            continue
        name = r.get(f"{row}.name", "text")
        has_values = any(normalise(r.raw(f"{row}.v[{k}]")) for k in cols)
        if name is None and not has_values:
            continue
        seg_names[s] = _unique_label(r, name, used, _t("（部門名なし）"))
    dropped = False
    for k in cols:
        base = f"actuals[{k}]"
        year = keep_of(r.post, base)
        typed = bool(year)
        for key, kind in (("period", "period"), ("employees", "int")):
            value = r.get(f"{base}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(year, key, value)
        pl = keep_of(r.post, f"{base}.pl")
        for key in [x[0] for x in PL_LINES] + [x[0] for x in PL_STATED]:
            set_or_drop(pl, key, r.get(f"{base}.pl.{key}", "yen"))
        bs = keep_of(r.post, f"{base}.bs")
        for key in [x[0] for x in BS_LINES] + ["net_assets"]:
            set_or_drop(bs, key, r.get(f"{base}.bs.{key}", "yen"))
        segments = {}
        for s, name in seg_names.items():
            value = r.get(f"seg[{s}].v[{k}]", "yen")
            if value is not None:
                segments[name] = value
        typed = typed or bool(pl) or bool(bs) or bool(segments)
        if not typed:
            dropped = True
            continue
        if dropped:
            r.reindexed = True
        year["pl"] = pl  # required: an empty pl is named by the schema
        set_or_drop(year, "bs", bs)
        set_or_drop(year, "segments", segments)
        years.append(year)

    def adj(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in ADJ_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    adjustments = r.kept_rows("adj", adj)
    if years:
        set_or_drop(years[-1], "adjustments", adjustments)
    elif adjustments:
        years.append({"pl": {}, "adjustments": adjustments})
    return {"actuals": years or None}


def _unique_label(r: Reader, name: str | None, used: set[str], blank: str) -> str:
    """A mapping key for a row label: blank → a placeholder, a repeat → numbered (told to the user)."""
    label = name or blank
    if label in used:
        n = 2
        while f"{label}（{n}）" in used:
            n += 1
        new = f"{label}（{n}）"
        r.notes.append(_t("「%(a)s」が重複していたため「%(b)s」にしました。") % {"a": label, "b": new})
        label = new
    elif name is None:
        r.notes.append(_t("名前のない行を「%(b)s」として保存しました。名前を入力してください。") % {"b": label})
    used.add(label)
    return label


# ---- drivers -------------------------------------------------------------------------------------

SALES_MODES = [("growth", "前期比の成長率"), ("amounts", "金額を直接入力"), ("segments", "部門別")]
SGA_KINDS = [("fixed", "固定費"), ("personnel", "人件費"), ("variable", "変動費（売上高比）")]
WC_UNITS = [("", "直近の回転期間を維持"), ("months", "月数"), ("days", "日数")]
WC_BASES = [("", "既定"), ("sales", "売上高"), ("cost_of_sales", "売上原価")]


def _sga_row(b: Builder, i: int | str, item: Any, cols: int) -> dict[str, Any]:
    row = f"drivers.sga[{i}]"
    item = as_dict(item)
    kind = item.get("kind") if item.get("kind") in {"fixed", "personnel", "variable"} else "fixed"
    key = "ratio" if kind == "variable" else "amount"
    ctx = _t("販管費 %(name)s") % {"name": item.get("name") or ""}
    series = series_row(
        b,
        name=row,
        path=f"{row}.{key}",
        value=item.get(key),
        kind="number" if key == "ratio" else "yen",
        cols=cols,
        label=_t("金額・比率"),
        cell_name=lambda y: f"{row}.v[{y}]",
        context=ctx,
    )
    b.node(row, "", ctx)
    series.head = [
        b.input(f"{row}.name", "text", item.get("name"), _t("科目名"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}.kind",
            "select",
            item.get("kind"),
            _t("区分"),
            choices=[(k, _t(v)) for k, v in SGA_KINDS],
            context=ctx,
        ),
    ]
    return {"series": series, "keep": keep_json(item, ["name", "kind", "amount", "ratio"]), "name": row}


def _segment_row(b: Builder, i: int | str, seg: Any, cols: int) -> dict[str, Any]:
    row = f"drivers.sales.segments[{i}]"
    seg = as_dict(seg)
    mode = "amounts" if "amounts" in seg and "growth" not in seg else "growth"
    ctx = _t("部門 %(name)s") % {"name": seg.get("name") or ""}
    series = series_row(
        b,
        name=row,
        path=f"{row}.{mode}",
        value=seg.get(mode),
        kind="yen" if mode == "amounts" else "number",
        cols=cols,
        label=_t("成長率・金額"),
        cell_name=lambda y: f"{row}.v[{y}]",
        context=ctx,
    )
    b.node(row, "", ctx)
    series.head = [
        b.input(f"{row}.name", "text", seg.get("name"), _t("部門名"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}._mode",
            "select",
            mode,
            _t("立て方"),
            path="",
            choices=[("growth", _t("成長率")), ("amounts", _t("金額"))],
        ),
    ]
    return {"series": series, "keep": keep_json(seg, ["name", "growth", "amounts"]), "name": row}


CAPEX_FIELDS = [
    ("name", "名称", "text"),
    ("year", "年度", "int"),
    ("amount", "金額（円）", "yen"),
    ("useful_life", "耐用年数", "int"),
    ("purpose", "目的", "select"),
]


def _capex_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"drivers.capex[{i}]"
    item = as_dict(item)
    inputs = []
    for key, label, kind in CAPEX_FIELDS:
        kw: dict[str, Any] = {}
        if key == "purpose":
            kw["choices"] = [("", _t("既定（維持更新）")), ("maintenance", _t("維持更新")), ("growth", _t("成長投資"))]
        if kind in {"int", "yen"}:
            kw["width"] = "num"
        inputs.append(b.input(f"{row}.{key}", kind, item.get(key), _t(label), required=key != "purpose", **kw))
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, [f[0] for f in CAPEX_FIELDS])}


def build_drivers(b: Builder) -> dict[str, Any]:
    d = as_dict(b.doc.get("drivers"))
    sales = as_dict(d.get("sales"))
    all_series = [
        sales.get("growth"),
        sales.get("amounts"),
        obj(d, "cost_of_sales", "ratio"),
        obj(d, "cost_of_sales", "fixed"),
        obj(d, "depreciation", "existing"),
        d.get("employees"),
        obj(d, "other_debt", "repayment"),
    ]
    all_series += [d.get(k) for k, _l in DRIVER_YEN_SERIES]
    all_series += [obj(s, "amount") for s in as_list(d.get("sga"))] + [obj(s, "ratio") for s in as_list(d.get("sga"))]
    all_series += [obj(s, "growth") for s in as_list(sales.get("segments"))] + [
        obj(s, "amounts") for s in as_list(sales.get("segments"))
    ]
    all_series += [obj(w, u) for w in as_dict(d.get("working_capital")).values() for u in ("months", "days")]
    cols = grid_cols(b.doc, *all_series)
    b.node("drivers", _t("計画の前提"))
    mode = next((m for m, _l in SALES_MODES if m in sales), "growth")
    b.node("drivers.sales", _t("売上高"))
    out: dict[str, Any] = {
        "cols": cols,
        "year_heads": year_labels(b.doc, cols),
        "years": b.input(
            "drivers.years",
            "int",
            d.get("years"),
            _t("計画年数"),
            widget="select",
            required=True,
            choices=[("", "—")] + [(str(n), _t("%(n)d年") % {"n": n}) for n in range(1, MAX_YEARS + 1)],
            help=_t(
                "変えると、年度ごとの値の数も合わせます（減らすと後ろを削り、増やすと最後の年の値を繰り返します）。"
            ),
        ),
        "sales_mode": b.input(
            "drivers.sales._mode",
            "select",
            mode,
            _t("売上高の立て方"),
            path="",
            choices=[(k, _t(v)) for k, v in SALES_MODES],
        ),
        "growth": series_row(
            b,
            name="drivers.sales.growth",
            path="drivers.sales.growth",
            value=sales.get("growth"),
            kind="number",
            cols=cols,
            label=_t("売上高の前期比成長率"),
            unit=_t("比率（0.03 = 3%増）"),
        ),
        "amounts": series_row(
            b,
            name="drivers.sales.amounts",
            path="drivers.sales.amounts",
            value=sales.get("amounts"),
            kind="yen",
            cols=cols,
            label=_t("売上高"),
            unit=_t("円"),
        ),
    }
    segments = as_list(sales.get("segments"))
    seg_rows = [_segment_row(b, i, s, cols) for i, s in enumerate(segments)]
    if b.wants_row("drivers.sales.segments") or (mode == "segments" and not seg_rows):
        seg_rows.append(_segment_row(b, len(segments), {}, cols))
    out["sales_lines"] = [{"mode": "growth", "row": out["growth"]}, {"mode": "amounts", "row": out["amounts"]}]
    out["segment_heads"] = [_t("部門名"), _t("立て方")]
    out["sga_heads"] = [_t("科目名"), _t("区分")]
    out["wc_heads"] = [_t("項目"), _t("回転期間"), _t("基準")]
    out["segments"] = {
        "rows": seg_rows,
        "template": _segment_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, cols),
        "next": len(seg_rows),
        "list": "drivers.sales.segments",
    }
    b.node("drivers.sales.segments", _t("部門別売上"))
    b.node("drivers.cost_of_sales", _t("売上原価"))
    out["cost_lines"] = [
        series_row(
            b,
            name="drivers.cost_of_sales.ratio",
            path="drivers.cost_of_sales.ratio",
            value=obj(d, "cost_of_sales", "ratio"),
            kind="number",
            cols=cols,
            label=_t("変動原価率（売上高比）"),
            unit=_t("比率"),
        ),
        series_row(
            b,
            name="drivers.cost_of_sales.fixed",
            path="drivers.cost_of_sales.fixed",
            value=obj(d, "cost_of_sales", "fixed"),
            kind="yen",
            cols=cols,
            label=_t("固定的な売上原価（減価償却費を除く）"),
            unit=_t("円"),
        ),
        series_row(
            b,
            name="drivers.depreciation.existing",
            path="drivers.depreciation.existing",
            value=obj(d, "depreciation", "existing"),
            kind="yen",
            cols=cols,
            label=_t("既存資産の減価償却費"),
            unit=_t("円"),
        ),
    ]
    sga = as_list(d.get("sga"))
    sga_rows = [_sga_row(b, i, s, cols) for i, s in enumerate(sga)]
    if b.wants_row("drivers.sga") or not sga_rows:
        sga_rows.append(_sga_row(b, len(sga), {}, cols))
    b.node("drivers.sga", _t("販管費"))
    out["sga"] = {
        "rows": sga_rows,
        "template": _sga_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}, cols),
        "next": len(sga_rows),
        "list": "drivers.sga",
    }
    capex = as_list(d.get("capex"))
    capex_rows = [_capex_row(b, i, c) for i, c in enumerate(capex)]
    if b.wants_row("drivers.capex") or not capex_rows:
        capex_rows.append(_capex_row(b, len(capex), {}))
    b.node("drivers.capex", _t("設備投資"))
    out["capex"] = {
        "rows": capex_rows,
        "template": _capex_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
        "next": len(capex_rows),
        "list": "drivers.capex",
        "heads": [_t(f[1]) for f in CAPEX_FIELDS],
    }
    wc_rows = []
    b.node("drivers.working_capital", _t("運転資本"))
    for key, label, _basis in WORKING_CAPITAL:
        w = as_dict(obj(d, "working_capital", key))
        unit = "days" if "days" in w and "months" not in w else "months" if w else ""
        base = f"drivers.working_capital.{key}"
        series = series_row(
            b,
            name=base,
            path=f"{base}.{unit or 'months'}",
            value=w.get(unit) if unit else None,
            kind="number",
            cols=cols,
            label=_t(label),
            cell_name=lambda y, base=base: f"{base}.v[{y}]",
        )
        b.node(base, _t(label))
        series.head = [
            b.input(
                f"{base}._unit", "select", unit, _t("回転期間"), path="", choices=[(k, _t(v)) for k, v in WC_UNITS]
            ),
            b.input(f"{base}.basis", "select", w.get("basis"), _t("基準"), choices=[(k, _t(v)) for k, v in WC_BASES]),
        ]
        wc_rows.append({"series": series, "keep": keep_json(w, ["months", "days", "basis"]), "name": base})
    out["working_capital"] = wc_rows
    out["other_lines"] = [
        series_row(
            b,
            name=f"drivers.{key}",
            path=f"drivers.{key}",
            value=d.get(key),
            kind="yen",
            cols=cols,
            label=_t(label),
            unit=_t("円"),
        )
        for key, label in DRIVER_YEN_SERIES
    ]
    out["other_lines"].append(
        series_row(
            b,
            name="drivers.employees",
            path="drivers.employees",
            value=d.get("employees"),
            kind="int",
            cols=cols,
            label=_t("従業員数"),
            unit=_t("人"),
        )
    )
    b.node("drivers.other_debt", _t("金融機関以外の有利子負債"))
    out["other_debt_rate"] = b.input(
        "drivers.other_debt.rate",
        "number",
        obj(d, "other_debt", "rate"),
        _t("金融機関以外の有利子負債の利率"),
        width="num",
        help=_t("代表者借入金・リース債務など（banks にない有利子負債）。"),
    )
    out["other_debt_repayment"] = series_row(
        b,
        name="drivers.other_debt.repayment",
        path="drivers.other_debt.repayment",
        value=obj(d, "other_debt", "repayment"),
        kind="yen",
        cols=cols,
        label=_t("その返済額"),
        unit=_t("円"),
    )
    b.node("drivers.tax", _t("税金"))
    out["tax"] = [
        b.input(
            f"drivers.tax.{key}",
            kind,
            obj(d, "tax", key),
            _t(label),
            help=_t(help_text) if help_text else "",
            required=key == "rate",
            width="num",
        )
        for key, label, kind, help_text in TAX_FIELDS
    ]
    return out


def read_drivers(r: Reader) -> dict[str, Any]:
    d = copy.deepcopy(as_dict(r.doc.get("drivers")))
    set_or_drop(d, "years", r.get("drivers.years", "int"))
    mode = r.raw("drivers.sales._mode") or "growth"
    sales: dict[str, Any] = {}
    if mode == "growth":
        set_or_drop(sales, "growth", read_series(r, series_cells(r, "drivers.sales.growth"), "number"))
    elif mode == "amounts":
        set_or_drop(sales, "amounts", read_series(r, series_cells(r, "drivers.sales.amounts"), "yen"))
    else:

        def segment(row: str) -> dict[str, Any] | None:
            out = keep_of(r.post, row)
            name = r.get(f"{row}.name", "text")
            seg_mode = r.raw(f"{row}._mode") or "growth"
            values = read_series(r, series_cells(r, f"{row}.v"), "yen" if seg_mode == "amounts" else "number")
            if name is None and values is None:
                return None
            set_or_drop(out, "name", name)
            set_or_drop(out, seg_mode if seg_mode in {"growth", "amounts"} else "growth", values)
            return out

        sales["segments"] = r.kept_rows("drivers.sales.segments", segment)
    d["sales"] = sales
    cost = as_dict(d.get("cost_of_sales"))
    set_or_drop(cost, "ratio", read_series(r, series_cells(r, "drivers.cost_of_sales.ratio"), "number"))
    set_or_drop(cost, "fixed", read_series(r, series_cells(r, "drivers.cost_of_sales.fixed"), "yen"))
    d["cost_of_sales"] = cost
    dep = as_dict(d.get("depreciation"))
    set_or_drop(dep, "existing", read_series(r, series_cells(r, "drivers.depreciation.existing"), "yen"))
    set_or_drop(d, "depreciation", dep)

    def sga(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        name = r.get(f"{row}.name", "text")
        kind = r.get(f"{row}.kind", "select") or "fixed"
        values = read_series(r, series_cells(r, f"{row}.v"), "number" if kind == "variable" else "yen")
        if name is None and values is None:
            return None
        set_or_drop(out, "name", name)
        out["kind"] = kind
        set_or_drop(out, "ratio" if kind == "variable" else "amount", values)
        return out

    set_or_drop(d, "sga", r.kept_rows("drivers.sga", sga))

    def capex(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in CAPEX_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or (value is not None and key != "purpose")
            set_or_drop(out, key, value)
        return out if typed else None

    set_or_drop(d, "capex", r.kept_rows("drivers.capex", capex))
    wc = as_dict(d.get("working_capital"))
    for key, _label, _basis in WORKING_CAPITAL:
        base = f"drivers.working_capital.{key}"
        unit = r.raw(f"{base}._unit")
        if unit not in {"months", "days"}:
            wc.pop(key, None)
            continue
        w = {k: v for k, v in as_dict(wc.get(key)).items() if k not in {"months", "days", "basis"}}
        set_or_drop(w, unit, read_series(r, series_cells(r, f"{base}.v"), "number"))
        set_or_drop(w, "basis", r.get(f"{base}.basis", "select"))
        wc[key] = w
    set_or_drop(d, "working_capital", wc)
    for key, _label in DRIVER_YEN_SERIES:
        set_or_drop(d, key, read_series(r, series_cells(r, f"drivers.{key}"), "yen"))
    set_or_drop(d, "employees", read_series(r, series_cells(r, "drivers.employees"), "int"))
    other = as_dict(d.get("other_debt"))
    set_or_drop(other, "rate", r.get("drivers.other_debt.rate", "number"))
    set_or_drop(other, "repayment", read_series(r, series_cells(r, "drivers.other_debt.repayment"), "yen"))
    set_or_drop(d, "other_debt", other)
    tax = as_dict(d.get("tax"))
    for key, _label, kind, _help in TAX_FIELDS:
        set_or_drop(tax, key, r.get(f"drivers.tax.{key}", kind))
    d["tax"] = tax
    return {"drivers": d}


# ---- banks ---------------------------------------------------------------------------------------

LOAN_REPAY = [
    ("monthly_repayment", "月額"),
    ("annual_repayment", "年額"),
    ("schedule", "年度別"),
    ("", "なし（期日一括など）"),
]
NEW_LOAN_REPAY = [("term_years", "返済年数"), ("annual_repayment", "年間返済額"), ("", "なし")]
LOAN_TEXT = [
    ("maturity", "最終期限", "period"),
    ("covered", "保全額（円）", "yen"),
    ("guarantor", "保証", "text"),
    ("collateral", "担保", "text"),
    ("purpose", "資金使途", "text"),
]
YES_DEFAULT = [("", "既定（はい）"), ("true", "はい"), ("false", "いいえ")]
NO_DEFAULT = [("", "既定（いいえ）"), ("true", "はい"), ("false", "いいえ")]


def _loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].loans[{i}]"
    loan = as_dict(loan)
    repay = next((k for k, _l in LOAN_REPAY if k and k in loan), "monthly_repayment" if not loan else "")
    ctx = _t("借入 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        b.input(f"{row}.name", "text", loan.get("name"), _t("名称"), required=True, context=ctx, width="m"),
        b.input(
            f"{row}.balance", "yen", loan.get("balance"), _t("残高（基準日）"), required=True, width="num", context=ctx
        ),
        b.input(
            f"{row}.rate",
            "number",
            loan.get("rate"),
            _t("年利"),
            required=True,
            width="num",
            placeholder="0.012",
            context=ctx,
        ),
        b.input(f"{row}._repay", "select", repay, _t("約定返済"), path="", choices=[(k, _t(v)) for k, v in LOAN_REPAY]),
        b.input(
            f"{row}.repay",
            "yen_list",
            loan.get(repay) if repay else None,
            _t("返済額"),
            path=f"{row}.{repay or 'monthly_repayment'}",
            width="num",
            context=ctx,
            help=_t("年度別は / で区切ります"),
        ),
    ]
    inputs += [
        b.input(
            f"{row}.{key}",
            kind,
            loan.get(key),
            _t(label),
            width="num" if kind != "text" else "l" if key == "collateral" else "",
            context=ctx,
        )
        for key, label, kind in LOAN_TEXT
    ]
    inputs.append(
        b.input(
            f"{row}.rescheduled",
            "bool3",
            loan.get("rescheduled"),
            _t("リスケの対象"),
            choices=[(k, _t(v)) for k, v in YES_DEFAULT],
            context=ctx,
        )
    )
    b.node(row, "", ctx)
    managed = ["name", "balance", "rate", "monthly_repayment", "annual_repayment", "schedule", "rescheduled"] + [
        k for k, _l, _k in LOAN_TEXT
    ]
    return {"name": row, "inputs": inputs, "keep": keep_json(loan, managed)}


def _new_loan_row(b: Builder, bank: int | str, i: int | str, loan: Any) -> dict[str, Any]:
    row = f"banks[{bank}].new_loans[{i}]"
    loan = as_dict(loan)
    repay = next((k for k, _l in NEW_LOAN_REPAY if k and k in loan), "term_years" if not loan else "")
    ctx = _t("新規融資 %(name)s") % {"name": loan.get("name") or ""}
    inputs = [
        b.input(f"{row}.name", "text", loan.get("name"), _t("名称"), required=True, context=ctx, width="m"),
        b.input(f"{row}.year", "int", loan.get("year"), _t("実行年度"), required=True, width="num", context=ctx),
        b.input(f"{row}.amount", "yen", loan.get("amount"), _t("金額（円）"), required=True, width="num", context=ctx),
        b.input(f"{row}.rate", "number", loan.get("rate"), _t("年利"), required=True, width="num", context=ctx),
        b.input(f"{row}._repay", "select", repay, _t("返済"), path="", choices=[(k, _t(v)) for k, v in NEW_LOAN_REPAY]),
        b.input(
            f"{row}.repay",
            "yen",
            loan.get(repay) if repay else None,
            _t("年数・金額"),
            path=f"{row}.{repay or 'term_years'}",
            width="num",
            context=ctx,
        ),
        b.input(f"{row}.grace_years", "int", loan.get("grace_years"), _t("据置年数"), width="num", context=ctx),
    ]
    inputs += [
        b.input(
            f"{row}.{key}",
            kind,
            loan.get(key),
            _t(label),
            width="num" if kind != "text" else "l" if key == "collateral" else "",
            context=ctx,
        )
        for key, label, kind in LOAN_TEXT
        if key != "maturity"
    ]
    inputs.append(
        b.input(
            f"{row}.support",
            "bool3",
            loan.get("support"),
            _t("金融支援として依頼"),
            choices=[(k, _t(v)) for k, v in YES_DEFAULT],
            context=ctx,
        )
    )
    inputs.append(
        b.input(
            f"{row}.rescheduled",
            "bool3",
            loan.get("rescheduled"),
            _t("リスケの対象"),
            choices=[(k, _t(v)) for k, v in NO_DEFAULT],
            context=ctx,
        )
    )
    b.node(row, "", ctx)
    managed = [
        "name",
        "year",
        "amount",
        "rate",
        "term_years",
        "annual_repayment",
        "grace_years",
        "support",
        "rescheduled",
        "covered",
        "guarantor",
        "collateral",
        "purpose",
    ]
    return {"name": row, "inputs": inputs, "keep": keep_json(loan, managed)}


def _bank_row(b: Builder, i: int | str, bank: Any) -> dict[str, Any]:
    row = f"banks[{i}]"
    bank = as_dict(bank)
    ctx = str(bank.get("name") or _t("金融機関"))
    loans = as_list(bank.get("loans"))
    new_loans = as_list(bank.get("new_loans"))
    loan_rows = [_loan_row(b, i, j, x) for j, x in enumerate(loans)]
    if b.wants_row(f"{row}.loans") or not loan_rows:
        loan_rows.append(_loan_row(b, i, len(loans), {}))
    new_rows = [_new_loan_row(b, i, j, x) for j, x in enumerate(new_loans)]
    if b.wants_row(f"{row}.new_loans"):
        new_rows.append(_new_loan_row(b, i, len(new_loans), {}))
    b.node(row, "", ctx)
    b.node(f"{row}.loans", _t("借入"), ctx)
    b.node(f"{row}.new_loans", _t("新規融資"), ctx)
    tpl = Builder({}, disabled=b.disabled)
    total = sum(x["balance"] for x in loans if isinstance(obj(x, "balance"), int))
    return {
        "name": row,
        "index": i,
        "inputs": [
            b.input(f"{row}.name", "text", bank.get("name"), _t("金融機関名"), required=True, width="m", context=ctx),
            b.input(
                f"{row}.type",
                "text",
                bank.get("type"),
                _t("業態"),
                placeholder=_t("地方銀行・信用金庫など"),
                width="m",
                context=ctx,
            ),
            b.input(f"{row}.branch", "text", bank.get("branch"), _t("支店"), width="m", context=ctx),
            b.input(
                f"{row}.main",
                "bool3",
                bank.get("main"),
                _t("メインバンク"),
                choices=[(k, _t(v)) for k, v in NO_DEFAULT],
                context=ctx,
            ),
        ],
        "keep": keep_json(bank, ["name", "type", "branch", "main", "loans", "new_loans"]),
        "loans": {
            "rows": loan_rows,
            "list": f"{row}.loans",
            "next": len(loan_rows),
            "template": _loan_row(tpl, i, PLACEHOLDER2, {}),
        },
        "new_loans": {
            "rows": new_rows,
            "list": f"{row}.new_loans",
            "next": len(new_rows),
            "template": _new_loan_row(tpl, i, PLACEHOLDER2, {}),
        },
        "total": total,
    }


def build_banks(b: Builder) -> dict[str, Any]:
    banks = as_list(b.doc.get("banks"))
    rows = [_bank_row(b, i, x) for i, x in enumerate(banks)]
    if b.wants_row("banks") or not rows:
        rows.append(_bank_row(b, len(banks), {}))
    b.node("banks", _t("金融機関"))
    actuals = as_list(b.doc.get("actuals"))
    debt = obj(actuals[-1], "bs", "interest_bearing_debt") if actuals else None
    total = sum(r["total"] for r in rows)
    tpl = Builder({}, disabled=b.disabled)
    return {
        "banks": {"rows": rows, "list": "banks", "next": len(rows), "template": _bank_row(tpl, PLACEHOLDER, {})},
        "loan_heads": [i.label for i in _loan_row(Builder({}), 0, 0, {})["inputs"]],
        "new_loan_heads": [i.label for i in _new_loan_row(Builder({}), 0, 0, {})["inputs"]],
        "total_balance": total,
        "base_debt": debt if isinstance(debt, int) else None,
        "other_debt": debt - total if isinstance(debt, int) else None,
    }


def read_banks(r: Reader) -> dict[str, Any]:
    def loan(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, kind in [("name", "text"), ("balance", "yen"), ("rate", "number")] + [
            (k, kind) for k, _l, kind in LOAN_TEXT
        ]:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        repay = r.raw(f"{row}._repay")
        for key, _label in LOAN_REPAY:
            if key:
                out.pop(key, None)
        if repay in {"monthly_repayment", "annual_repayment", "schedule"}:
            value = r.get(f"{row}.repay", "yen_list" if repay == "schedule" else "yen")
            typed = typed or value is not None
            set_or_drop(out, repay, value)
        set_or_drop(out, "rescheduled", r.get(f"{row}.rescheduled", "bool3"))
        return out if typed else None

    def new_loan(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        fields = [("name", "text"), ("year", "int"), ("amount", "yen"), ("rate", "number"), ("grace_years", "int")]
        fields += [(k, kind) for k, _l, kind in LOAN_TEXT if k != "maturity"]
        for key, kind in fields:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        repay = r.raw(f"{row}._repay")
        out.pop("term_years", None)
        out.pop("annual_repayment", None)
        if repay in {"term_years", "annual_repayment"}:
            value = r.get(f"{row}.repay", "int" if repay == "term_years" else "yen")
            typed = typed or value is not None
            set_or_drop(out, repay, value)
        set_or_drop(out, "support", r.get(f"{row}.support", "bool3"))
        set_or_drop(out, "rescheduled", r.get(f"{row}.rescheduled", "bool3"))
        return out if typed else None

    def bank(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key in ("name", "type", "branch"):
            value = r.get(f"{row}.{key}", "text")
            typed = typed or value is not None
            set_or_drop(out, key, value)
        set_or_drop(out, "main", r.get(f"{row}.main", "bool3"))
        loans = r.kept_rows(f"{row}.loans", loan)
        new_loans = r.kept_rows(f"{row}.new_loans", new_loan)
        set_or_drop(out, "loans", loans)
        set_or_drop(out, "new_loans", new_loans)
        return out if (typed or loans or new_loans) else None

    return {"banks": r.kept_rows("banks", bank) or None}


# ---- financial support ---------------------------------------------------------------------------

RESCHEDULING_FIELDS: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    (
        "basis",
        "返済原資の配分",
        "select",
        [("", "既定（残高プロラタ）"), ("balance", "残高プロラタ"), ("uncovered", "信用残高プロラタ")],
        "",
    ),
    ("from_year", "開始する計画年度", "int", [], "省略時 1"),
    ("until_year", "終了する計画年度", "int", [], "省略時 最終年度"),
    ("minimum_cash", "手元に残す現預金（円）", "yen", [], ""),
    ("capacity_share", "返済原資のうち返済に充てる割合", "number", [], "省略時 1（全額）"),
    ("deduct_maintenance_capex", "維持更新投資を返済原資から控除", "bool3", YES_DEFAULT, ""),
    ("cap_at_contractual", "約定返済額を上限にする", "bool3", YES_DEFAULT, ""),
]
FORGIVENESS_FIELDS = [
    ("bank", "金融機関", "text"),
    ("loan", "借入（任意）", "text"),
    ("amount", "免除額（円）", "yen"),
    ("year", "計画年度", "int"),
]


def _forgiveness_row(b: Builder, i: int | str, item: Any) -> dict[str, Any]:
    row = f"financial_support.forgiveness[{i}]"
    item = as_dict(item)
    inputs = [
        b.input(
            f"{row}.{key}",
            kind,
            item.get(key),
            _t(label),
            required=key != "loan",
            width="num" if kind != "text" else "",
            datalist={"bank": "dl-banks", "loan": "dl-loans"}.get(key, ""),
        )
        for key, label, kind in FORGIVENESS_FIELDS
    ]
    b.node(row)
    return {"name": row, "inputs": inputs, "keep": keep_json(item, [f[0] for f in FORGIVENESS_FIELDS])}


def build_support(b: Builder) -> dict[str, Any]:
    fs = as_dict(b.doc.get("financial_support"))
    resch = fs.get("rescheduling")
    b.node("financial_support", _t("金融支援"))
    b.node("financial_support.rescheduling", _t("返済条件の変更（リスケ）"))
    fields = []
    for key, label, kind, choices, help_text in RESCHEDULING_FIELDS:
        fields.append(
            b.input(
                f"financial_support.rescheduling.{key}",
                kind,
                obj(resch, key),
                _t(label),
                choices=[(k, _t(v)) for k, v in choices],
                help=_t(help_text) if help_text else "",
                width="num" if kind in {"int", "yen", "number"} else "",
            )
        )
    forgiveness = as_list(fs.get("forgiveness"))
    rows = [_forgiveness_row(b, i, x) for i, x in enumerate(forgiveness)]
    if b.wants_row("financial_support.forgiveness"):
        rows.append(_forgiveness_row(b, len(forgiveness), {}))
    b.node("financial_support.forgiveness", _t("債務免除"))
    banks = as_list(b.doc.get("banks"))
    new_money = [
        {"bank": obj(bank, "name"), **as_dict(nl), "amount_text": show("yen", obj(nl, "amount"))}
        for bank in banks
        for nl in as_list(obj(bank, "new_loans"))
        if obj(nl, "support") is not False
    ]
    return {
        "rescheduling_on": b.input(
            "financial_support.rescheduling._on",
            "select",
            "yes" if isinstance(resch, dict) else "no",
            _t("返済条件の変更（リスケ）を依頼する"),
            path="",
            choices=[("no", _t("依頼しない")), ("yes", _t("依頼する"))],
        ),
        "rescheduling": fields,
        "forgiveness": {
            "rows": rows,
            "list": "financial_support.forgiveness",
            "next": len(rows),
            "template": _forgiveness_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
            "heads": [_t(f[1]) for f in FORGIVENESS_FIELDS],
        },
        "notes": b.input("financial_support.notes", "textarea", fs.get("notes"), _t("金融支援についての説明")),
        "bank_names": [obj(x, "name") for x in banks if obj(x, "name")],
        "loan_names": [
            obj(loan, "name")
            for x in banks
            for key in ("loans", "new_loans")
            for loan in as_list(obj(x, key))
            if obj(loan, "name")
        ],
        "new_money": new_money,
    }


def read_support(r: Reader) -> dict[str, Any]:
    fs = as_dict(r.doc.get("financial_support"))
    if r.raw("financial_support.rescheduling._on") == "yes":
        resch = as_dict(fs.get("rescheduling"))
        for key, _label, kind, _c, _h in RESCHEDULING_FIELDS:
            set_or_drop(resch, key, r.get(f"financial_support.rescheduling.{key}", kind))
        fs["rescheduling"] = resch  # {} = rescheduling with every default
    else:
        fs.pop("rescheduling", None)

    def forgiveness(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in FORGIVENESS_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        return out if typed else None

    set_or_drop(fs, "forgiveness", r.kept_rows("financial_support.forgiveness", forgiveness))
    set_or_drop(fs, "notes", r.get("financial_support.notes", "textarea"))
    return {"financial_support": fs or None}


# ---- action plan ---------------------------------------------------------------------------------

ACTION_FIELDS = [
    ("measure", "施策", "text"),
    ("owner", "担当", "text"),
    ("deadline", "期限", "date"),
    ("kpi", "指標（KPI）", "text"),
]
EFFECT_FIELDS = [
    ("line", "効果が及ぶ行", "select"),
    ("item", "販管費の科目", "text"),
    ("segment", "部門", "text"),
    ("amount", "金額（円・年額）", "yen"),
    ("ratio", "比率", "number"),
    ("from_year", "開始年度", "int"),
    ("until_year", "終了年度", "int"),
]


def _effect_row(b: Builder, a: int | str, i: int | str, effect: Any) -> dict[str, Any]:
    row = f"action_plan[{a}].effects[{i}]"
    effect = as_dict(effect)
    inputs = []
    for key, label, kind in EFFECT_FIELDS:
        kw: dict[str, Any] = {}
        if key == "line":
            kw["choices"] = [("", "—")] + [(k, _t(v)) for k, v in EFFECT_LINES]
        if kind in {"yen", "int", "number"}:
            kw["width"] = "num"
        kw["datalist"] = {"item": "dl-sga", "segment": "dl-segments"}.get(key, "")
        inputs.append(b.input(f"{row}.{key}", kind, effect.get(key), _t(label), **kw))
    b.node(row, _t("効果"))
    return {"name": row, "inputs": inputs, "keep": keep_json(effect, [f[0] for f in EFFECT_FIELDS])}


def _action_row(b: Builder, i: int | str, action: Any) -> dict[str, Any]:
    row = f"action_plan[{i}]"
    action = as_dict(action)
    ctx = _t("施策 %(name)s") % {"name": action.get("measure") or (i + 1 if isinstance(i, int) else "")}
    effects = as_list(action.get("effects"))
    effect_rows = [_effect_row(b, i, j, e) for j, e in enumerate(effects)]
    if b.wants_row(f"{row}.effects"):
        effect_rows.append(_effect_row(b, i, len(effects), {}))
    b.node(row, "", ctx)
    b.node(f"{row}.effects", _t("数値への効果"), ctx)
    return {
        "name": row,
        "index": i,
        "inputs": [
            b.input(
                f"{row}.{key}",
                kind,
                action.get(key),
                _t(label),
                required=key == "measure",
                context=ctx,
                width="l" if key == "measure" else "",
            )
            for key, label, kind in ACTION_FIELDS
        ],
        "detail": b.input(f"{row}.detail", "textarea", action.get("detail"), _t("具体的な内容"), context=ctx),
        "keep": keep_json(action, [f[0] for f in ACTION_FIELDS] + ["detail", "effects"]),
        "effects": {
            "rows": effect_rows,
            "list": f"{row}.effects",
            "next": len(effect_rows),
            "template": _effect_row(Builder({}, disabled=b.disabled), i, PLACEHOLDER2, {}),
        },
    }


def build_actions(b: Builder) -> dict[str, Any]:
    actions = as_list(b.doc.get("action_plan"))
    rows = [_action_row(b, i, a) for i, a in enumerate(actions)]
    if b.wants_row("action_plan") or not rows:
        rows.append(_action_row(b, len(actions), {}))
    b.node("action_plan", _t("アクションプラン"))
    d = as_dict(b.doc.get("drivers"))
    return {
        "actions": {
            "rows": rows,
            "list": "action_plan",
            "next": len(rows),
            "template": _action_row(Builder({}, disabled=b.disabled), PLACEHOLDER, {}),
        },
        "effect_heads": [_t(f[1]) for f in EFFECT_FIELDS],
        "sga_names": [obj(s, "name") for s in as_list(d.get("sga")) if obj(s, "name")],
        "segment_names": [obj(s, "name") for s in as_list(obj(d, "sales", "segments")) if obj(s, "name")],
    }


def read_actions(r: Reader) -> dict[str, Any]:
    def effect(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in EFFECT_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or (value is not None and key != "line")
            set_or_drop(out, key, value)
        return out if typed else None

    def action(row: str) -> dict[str, Any] | None:
        out = keep_of(r.post, row)
        typed = False
        for key, _label, kind in ACTION_FIELDS:
            value = r.get(f"{row}.{key}", kind)
            typed = typed or value is not None
            set_or_drop(out, key, value)
        detail = r.get(f"{row}.detail", "textarea")
        set_or_drop(out, "detail", detail)
        effects = r.kept_rows(f"{row}.effects", effect)
        set_or_drop(out, "effects", effects)
        return out if (typed or detail or effects) else None

    return {"action_plan": r.kept_rows("action_plan", action) or None}


# ---- cash table ----------------------------------------------------------------------------------


def _next_month(period: Any) -> str:
    if isinstance(period, str) and len(period) == 7 and period[:4].isdigit() and period[5:].isdigit():
        y, m = int(period[:4]), int(period[5:])
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return f"{y}-{m:02d}"
    return ""


def build_cash(b: Builder) -> dict[str, Any]:
    ct = as_dict(b.doc.get("cash_table"))
    months = as_list(ct.get("months"))
    b.node("cash_table", _t("資金繰り表"))
    b.node("cash_table.months", _t("月"))
    shown = [as_dict(m) for m in months]
    if b.wants_row("cash_table.months") or not shown:
        base = base_period(b.doc)
        first = _next_month(f"{base[0]}-{base[1]:02d}") if base else ""
        suggestion = _next_month(obj(shown[-1], "month")) if shown else first
        shown.append({"month": suggestion, "kind": "plan"} if suggestion else {})
    heads = []
    for j, m in enumerate(shown):
        base = f"cash_table.months[{j}]"
        ctx = str(m.get("month") or _t("%(n)d列目") % {"n": j + 1})
        b.node(base, "", ctx)
        heads.append(
            {
                "month": b.input(
                    f"{base}.month", "period", m.get("month"), _t("月"), placeholder="2025-04", width="num", context=ctx
                ),
                "kind": b.input(
                    f"{base}.kind",
                    "select",
                    m.get("kind"),
                    _t("実績・計画"),
                    choices=[("actual", _t("実績")), ("plan", _t("計画"))],
                    context=ctx,
                ),
                "keep": keep_json(m, ["month", "kind", *[g for g, _l in CASH_GROUPS]]),
                "name": base,
            }
        )
    groups = []
    balance: list[int | None] = []
    opening = ct.get("opening_cash")
    running = opening if isinstance(opening, int) else None
    nets = [0 for _m in shown]
    for group, label in CASH_GROUPS:
        labels: list[str] = []
        for m in shown:
            for name in as_dict(m.get(group)):
                if name not in labels:
                    labels.append(name)
        rows = []
        for r, name in enumerate([*labels, None] if (b.wants_row(f"cash.{group}") or not labels) else labels):
            cells = []
            for j, m in enumerate(shown):
                value = obj(m, group, name) if name is not None else None
                path = f"cash_table.months[{j}].{group}.{name}" if name is not None else ""
                cell = b.input(
                    f"cash.{group}[{r}].m[{j}]",
                    "yen",
                    value,
                    name or "",
                    path=path,
                    width="num",
                    context=str(m.get("month") or ""),
                )
                cells.append(cell)
                if isinstance(value, int):
                    nets[j] += value if group.endswith("_in") else -value
            rows.append(
                {
                    "name": f"cash.{group}[{r}]",
                    "label": b.input(f"cash.{group}[{r}].label", "text", name, _t("科目"), path=""),
                    "cells": cells,
                }
            )
        b.node(f"cash.{group}", _t(label))
        tpl = Builder({}, disabled=b.disabled)
        template = {
            "name": f"cash.{group}[{PLACEHOLDER}]",
            "label": tpl.input(f"cash.{group}[{PLACEHOLDER}].label", "text", None, _t("科目"), path=""),
            "cells": [
                tpl.input(f"cash.{group}[{PLACEHOLDER}].m[{j}]", "yen", None, path="", width="num")
                for j in range(len(shown))
            ],
        }
        groups.append(
            {
                "key": group,
                "label": _t(label),
                "rows": rows,
                "template": template,
                "next": len(rows),
                "list": f"cash.{group}",
            }
        )
    for j in range(len(shown)):
        if running is not None:
            running += nets[j]
        balance.append(running)
    return {
        "opening": b.input(
            "cash_table.opening_cash",
            "yen",
            opening,
            _t("最初の月の月初現預金（円）"),
            width="num",
            help=_t("省略すると、最初の月の前月末の貸借対照表の現預金を使います。"),
        ),
        "heads": heads,
        "groups": groups,
        "nets": nets,
        "balance": balance,
        "cols": len(shown),
    }


def read_cash(r: Reader) -> dict[str, Any]:
    ct = as_dict(r.doc.get("cash_table"))
    set_or_drop(ct, "opening_cash", r.get("cash_table.opening_cash", "yen"))
    cols = r.rows("cash_table.months")
    months: dict[int, dict[str, Any]] = {}
    for j in cols:
        base = f"cash_table.months[{j}]"
        if deleted(r.post, base):
            continue
        m = keep_of(r.post, base)
        set_or_drop(m, "month", r.get(f"{base}.month", "period"))
        set_or_drop(m, "kind", r.get(f"{base}.kind", "select"))
        months[j] = m
    typed_cols: set[int] = set()
    for group, _label in CASH_GROUPS:
        used: set[str] = set()
        for i in r.rows(f"cash.{group}"):
            row = f"cash.{group}[{i}]"
            if deleted(r.post, row):
                continue
            name = r.get(f"{row}.label", "text")
            values = {j: r.get(f"{row}.m[{j}]", "yen") for j in months}
            values = {j: v for j, v in values.items() if v is not None}
            if not values:
                continue
            label = _unique_label(r, name, used, _t("（科目名なし）"))
            for j, v in values.items():
                months[j].setdefault(group, {})[label] = v
                typed_cols.add(j)
    out = []
    dropped = False
    for j in cols:
        if j not in months:
            dropped = True
            continue
        m = months[j]
        has_text = any(k in m for k in ("month", "note")) or j in typed_cols
        if not has_text:
            dropped = True
            continue
        if dropped:
            r.reindexed = True
        out.append(m)
    set_or_drop(ct, "months", out)
    return {"cash_table": ct or None}


# --------------------------------------------------------------------------- registry

STEPS: tuple[Step, ...] = (
    Step(
        "company",
        _t("会社概要"),
        ("program", "version", "company", "causes_of_distress", "basic_policy", "display_unit", "settings", "notes"),
        "plans/steps/company.html",
        build_company,
        read_company,
    ),
    Step(
        "business",
        _t("ビジネスモデル"),
        ("business_model",),
        "plans/steps/business.html",
        build_business,
        read_business,
    ),
    Step("actuals", _("実績（決算書）"), ("actuals",), "plans/steps/actuals.html", build_actuals, read_actuals),
    Step("drivers", _("計画の前提"), ("drivers",), "plans/steps/drivers.html", build_drivers, read_drivers),
    Step("banks", _("金融機関・借入"), ("banks",), "plans/steps/banks.html", build_banks, read_banks),
    Step("support", _("金融支援"), ("financial_support",), "plans/steps/support.html", build_support, read_support),
    Step("actions", _("アクションプラン"), ("action_plan",), "plans/steps/actions.html", build_actions, read_actions),
    Step("cash", _("資金繰り表"), ("cash_table",), "plans/steps/cash.html", build_cash, read_cash),
)
BY_SLUG = {s.slug: s for s in STEPS}
FIRST = STEPS[0].slug


def step_of_path(path: str) -> Step | None:
    """The step editing the plan file's key at the start of `path` (None: no step, e.g. scenarios)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    for step in STEPS:
        if head in step.keys:
            return step
    if path.startswith("(") or not head:
        return STEPS[0]
    return None


def next_step(slug: str) -> Step | None:
    for i, step in enumerate(STEPS):
        if step.slug == slug and i + 1 < len(STEPS):
            return STEPS[i + 1]
    return None


def build(
    step: Step,
    doc: Mapping[str, Any],
    *,
    disabled: bool = False,
    add: str = "",
    may_edit: Callable[[str], bool] | None = None,
) -> Page:
    """The step's inputs for `doc`; `may_edit(path)` False makes that input read-only."""
    b = Builder(doc, disabled=disabled, add=add, may_edit=may_edit)
    data = step.build(b)
    return Page(nodes=b.nodes, data=data)


def read(step: Step, post: Mapping[str, Any], doc: Mapping[str, Any]) -> tuple[dict[str, Any], Reader]:
    """The step's keys as posted (None = remove the key), and the reader's notes."""
    r = Reader(post, doc)
    return step.read(r), r


def merge(doc: Mapping[str, Any], fragment: Mapping[str, Any]) -> dict[str, Any]:
    """`doc` with the step's keys replaced (removed when empty); other keys untouched."""
    out = copy.deepcopy(dict(doc))
    for key, value in fragment.items():
        set_or_drop(out, key, value)
    return out
