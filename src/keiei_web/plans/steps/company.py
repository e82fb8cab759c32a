"""The editor step: company profile (会社概要): the company, program settings, causes of distress, policy."""

from __future__ import annotations

from typing import Any

from keiei_web.plans.steps.kit import (
    Builder,
    Field,
    Reader,
    as_dict,
    build_fields,
    read_fields,
    tr,
)

MONTHS = (("", "—"), *((str(m), f"{m}月") for m in range(1, 13)))
COMPANY_FIELDS = (
    Field("name", "商号", required=True, width="l"),
    Field("fiscal_year_end_month", "決算月", "int", required=True, widget="select", choices=MONTHS),
    Field("postal_code", "郵便番号", placeholder="例 577-0065", width="s"),
    Field("address", "所在地", width="l"),
    Field("industry", "業種", width="l"),
    Field("representative", "代表者", width="m"),
    Field("founded", "設立", "date", placeholder="例 1978-04-01", width="s"),
    Field("capital", "資本金（円）", "yen", width="m"),
    Field("employees", "従業員数（基準期末）", "int", width="s"),
    Field("business", "事業内容", "textarea"),
    Field("shareholders", "主な株主（1行に1人）", "lines"),
    Field("notes", "会社についてのメモ", "textarea"),
)
DISPLAY_UNIT = Field(
    "display_unit",
    "帳票の表示単位",
    "select",
    choices=(("", "既定（円）"), ("円", "円"), ("千円", "千円")),
    help="計算は常に円単位です。",
)
ROUNDING = Field(
    "rounding",
    "円未満の端数",
    "select",
    choices=(("", "既定（四捨五入）"), ("half_up", "四捨五入"), ("truncate", "切り捨て")),
)
CAUSES = Field("causes_of_distress", "窮境原因", "lines", help="1行に1つ。なぜ今の状況になったかを具体的に書きます。")
POLICY = Field("basic_policy", "経営改善の基本方針", "lines", help="1行に1つ。")
NOTES = Field("notes", "計画全体のメモ（計算には使いません）", "textarea")


def build(b: Builder) -> dict[str, Any]:
    company = as_dict(b.doc.get("company"))
    fields = build_fields(b, "company", company, COMPANY_FIELDS)
    b.node("company", tr("会社概要"))
    b.node("program", tr("事業区分"))
    b.node("version", tr("計画ファイル形式の版"))
    b.node("settings", tr("計算の設定"))
    return {
        "company_fields": fields,
        "display_unit": DISPLAY_UNIT.build(b, "", b.doc),
        "rounding": ROUNDING.build(b, "settings", as_dict(b.doc.get("settings"))),
        "causes": CAUSES.build(b, "", b.doc),
        "policy": POLICY.build(b, "", b.doc),
        "notes": NOTES.build(b, "", b.doc),
    }


def read(r: Reader) -> dict[str, Any]:
    company = as_dict(r.doc.get("company"))
    read_fields(r, "company", company, COMPANY_FIELDS)
    settings = as_dict(r.doc.get("settings"))
    read_fields(r, "settings", settings, (ROUNDING,))
    return {
        "company": company or None,
        "display_unit": DISPLAY_UNIT.read(r, ""),
        "settings": settings or None,
        **{f.key: f.read(r, "") for f in (CAUSES, POLICY, NOTES)},
    }
