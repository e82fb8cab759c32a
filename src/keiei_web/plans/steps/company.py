"""The editor step: company profile (会社概要): the company, program settings, causes of distress, policy."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.formkit import (
    set_or_drop,
)
from keiei_web.plans.steps.kit import (
    Builder,
    Reader,
    as_dict,
    obj,
    tr,
)

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


def build(b: Builder) -> dict[str, Any]:
    company = as_dict(b.doc.get("company"))
    fields = []
    for key, label, kind, kw in COMPANY_FIELDS:
        kw = dict(kw)
        if key == "fiscal_year_end_month":
            kw["choices"] = MONTHS
        fields.append(b.input(f"company.{key}", kind, company.get(key), tr(label), **kw))
    b.node("company", tr("会社概要"))
    b.node("program", tr("事業区分"))
    b.node("version", tr("計画ファイル形式の版"))
    b.node("settings", tr("計算の設定"))
    return {
        "company_fields": fields,
        "display_unit": b.input(
            "display_unit",
            "select",
            b.doc.get("display_unit"),
            tr("帳票の表示単位"),
            choices=[("", tr("既定（円）")), ("円", "円"), ("千円", "千円")],
            help=tr("計算は常に円単位です。"),
        ),
        "rounding": b.input(
            "settings.rounding",
            "select",
            obj(b.doc, "settings", "rounding"),
            tr("円未満の端数"),
            choices=[("", tr("既定（四捨五入）")), ("half_up", tr("四捨五入")), ("truncate", tr("切り捨て"))],
        ),
        "causes": b.input(
            "causes_of_distress",
            "lines",
            b.doc.get("causes_of_distress"),
            tr("窮境原因"),
            help=tr("1行に1つ。なぜ今の状況になったかを具体的に書きます。"),
        ),
        "policy": b.input(
            "basic_policy",
            "lines",
            b.doc.get("basic_policy"),
            tr("経営改善の基本方針"),
            help=tr("1行に1つ。"),
        ),
        "notes": b.input("notes", "textarea", b.doc.get("notes"), tr("計画全体のメモ（計算には使いません）")),
    }


def read(r: Reader) -> dict[str, Any]:
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
