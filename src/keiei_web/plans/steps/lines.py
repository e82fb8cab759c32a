"""The plan lines and labels the editor's steps show (from keiei.plan.glossary)."""

from __future__ import annotations

from keiei.plan import glossary

PL_LINES: list[tuple[str, str, bool]] = [(x.key, x.entry_label, x.required) for x in glossary.PL_INPUT_LINES]
PL_STATED: list[tuple[str, str]] = [(x.key, x.entry_label) for x in glossary.PL_SUBTOTALS]
# the inputs of the figures typed only to be checked: 売上総利益（照合用）, 純資産（照合用）
PL_CHECKED: list[tuple[str, str]] = [(x.key, glossary.checked_label(x)) for x in glossary.PL_SUBTOTALS]
BS_CHECKED: list[tuple[str, str]] = [(x.key, glossary.checked_label(x)) for x in glossary.BS_TOTALS]
BS_LINES: list[tuple[str, str, bool]] = [(x.key, x.entry_label, x.required) for x in glossary.BS_LINES]

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
CASH_GROUPS: list[tuple[str, str]] = [(x.key, x.entry_label) for x in glossary.CASH_GROUPS]
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
