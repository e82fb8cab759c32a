"""Accounts onto plan lines: a default table of the standard 勘定科目, the software's own groups,
and the company's overrides (a YAML file saved with the case).

Order of resolution, first match wins:
1. the company's override (`accounts:` of its mapping file): the adviser's decision;
2. the default table by account name (`DEFAULT_ACCOUNTS`);
3. the group the file itself files the account under (freee's category or 決算書表示名, a
   trial balance's 区分 column): by `GROUP_LINES`, then by the default table;
4. otherwise unmapped — listed with its amount, never guessed.

Why names before groups: the plan splits what the software groups together (有利子負債 from
その他の負債 inside 流動負債; 販管費 vs 売上原価 for 外注費 differs by company), and the names
are precise where a group is not; groups catch the company's own accounts (研修費, …).

An account may also feed a memo line: 減価償却費 is in 販管費 *and* the memo 減価償却費;
支払利息 is in 営業外費用 *and* うち支払利息. Memo lines never count towards totals.
諸口 (the balancing account of compound vouchers) belongs to no line; it must total zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from keiei.errors import KeieiInputError
from keiei.monitoring import lines
from keiei.monitoring.books import account_key
from keiei.monitoring.generic import ColumnMap
from keiei.monitoring.yamlio import dump_yaml, load_yaml

#: Accounts of no plan line that must net to zero (a finding otherwise).
CLEARING_ACCOUNTS: Final[frozenset[str]] = frozenset({"諸口"})

_TABLE: Final[dict[str, tuple[str, ...]]] = {
    "cash": (
        "現金",
        "小口現金",
        "当座預金",
        "普通預金",
        "定期預金",
        "定期積金",
        "通知預金",
        "別段預金",
        "現金及び預金",
        "現金・預金",
    ),
    "receivables": ("売掛金", "受取手形", "電子記録債権", "クレジット売掛金", "売上債権"),
    "inventory": ("商品", "製品", "原材料", "仕掛品", "貯蔵品", "半製品", "棚卸資産", "商品及び製品"),
    "other_current_assets": (
        "前払費用",
        "前払金",
        "前渡金",
        "未収入金",
        "未収金",
        "立替金",
        "仮払金",
        "短期貸付金",
        "未収収益",
        "仮払消費税",
        "仮払消費税等",
        "仮払法人税等",
        "預け金",
        "有価証券",
        "貸倒引当金",
        "その他流動資産",
    ),
    "fixed_assets": (
        "建物",
        "建物附属設備",
        "構築物",
        "機械装置",
        "車両運搬具",
        "工具器具備品",
        "一括償却資産",
        "土地",
        "減価償却累計額",
        "建設仮勘定",
        "リース資産",
        "ソフトウェア",
        "電話加入権",
        "のれん",
        "投資有価証券",
        "出資金",
        "敷金",
        "保証金",
        "差入保証金",
        "長期貸付金",
        "長期前払費用",
        "保険積立金",
        "創立費",
        "開業費",
        "繰延資産",
        "有形固定資産",
        "無形固定資産",
        "投資その他の資産",
    ),
    "payables": ("買掛金", "支払手形", "電子記録債務", "仕入債務"),
    "interest_bearing_debt": (
        "短期借入金",
        "長期借入金",
        "1年以内返済長期借入金",
        "役員借入金",
        "代表者借入金",
        "社債",
        "リース債務",
        "長期未払金",
    ),
    "other_liabilities": (
        "未払金",
        "未払費用",
        "預り金",
        "前受金",
        "前受収益",
        "仮受金",
        "未払法人税等",
        "未払消費税",
        "未払消費税等",
        "仮受消費税",
        "仮受消費税等",
        "賞与引当金",
        "退職給付引当金",
        "未払配当金",
        "預り保証金",
    ),
    "net_assets": (
        "資本金",
        "資本準備金",
        "その他資本剰余金",
        "利益準備金",
        "別途積立金",
        "繰越利益剰余金",
        "自己株式",
        "新株予約権",
        "元入金",
        "事業主貸",
        "事業主借",
        "純資産",
        "株主資本",
    ),
    "sales": (
        "売上高",
        "売上",
        "売上値引高",
        "売上戻り高",
        "売上返品",
        "売上割戻し",
        "役務収益",
        "完成工事高",
        "売上収益",
    ),
    "cost_of_sales": (
        "仕入高",
        "仕入",
        "仕入値引高",
        "仕入戻し高",
        "仕入割戻し",
        "期首商品棚卸高",
        "期末商品棚卸高",
        "期首製品棚卸高",
        "期末製品棚卸高",
        "期首棚卸高",
        "期末棚卸高",
        "材料費",
        "材料仕入高",
        "労務費",
        "外注加工費",
        "製造経費",
        "当期製品製造原価",
        "売上原価",
        "他勘定振替高",
    ),
    "sga": (
        "役員報酬",
        "給料手当",
        "給与手当",
        "給料",
        "雑給",
        "賞与",
        "退職金",
        "法定福利費",
        "福利厚生費",
        "地代家賃",
        "賃借料",
        "リース料",
        "水道光熱費",
        "消耗品費",
        "事務用品費",
        "通信費",
        "旅費交通費",
        "広告宣伝費",
        "接待交際費",
        "交際費",
        "会議費",
        "保険料",
        "修繕費",
        "租税公課",
        "支払手数料",
        "荷造運賃",
        "運賃",
        "車両費",
        "燃料費",
        "減価償却費",
        "新聞図書費",
        "諸会費",
        "研修費",
        "教育研修費",
        "支払報酬",
        "支払報酬料",
        "外注費",
        "業務委託料",
        "販売促進費",
        "貸倒引当金繰入額",
        "貸倒損失",
        "寄付金",
        "長期前払費用償却",
        "雑費",
        "販売費及び一般管理費",
        "販売管理費",
    ),
    "non_operating_income": ("受取利息", "受取配当金", "有価証券利息", "雑収入", "為替差益", "受取家賃", "営業外収益"),
    "non_operating_expenses": ("支払利息", "支払利息割引料", "手形売却損", "雑損失", "為替差損", "営業外費用"),
    "extraordinary_income": (
        "固定資産売却益",
        "投資有価証券売却益",
        "前期損益修正益",
        "債務免除益",
        "保険差益",
        "特別利益",
    ),
    "extraordinary_loss": (
        "固定資産売却損",
        "固定資産除却損",
        "減損損失",
        "災害による損失",
        "前期損益修正損",
        "特別損失",
    ),
    "income_taxes": (
        "法人税、住民税及び事業税",
        "法人税,住民税及び事業税",
        "法人税住民税及び事業税",
        "法人税等",
        "法人税等調整額",
    ),
}
#: Default table: standard account name → its primary plan line.
DEFAULT_ACCOUNTS: Final[dict[str, str]] = {account_key(name): line for line, names in _TABLE.items() for name in names}
#: Memo lines an account also feeds (by name).
MEMOS: Final[dict[str, tuple[str, ...]]] = {
    "減価償却費": ("depreciation",),
    "支払利息": ("interest_expense",),
    "支払利息割引料": ("interest_expense",),
}
#: The software's own groups (freee's account categories, e.g.) onto plan lines. The freee
#: category names are those of its API's `account_category_name` [public schema; the full list
#: unconfirmed]; groups not here fall back to the default table by their own name.
GROUP_LINES: Final[dict[str, str]] = {
    "現金・預金": "cash",
    "売上債権": "receivables",
    "棚卸資産": "inventory",
    "他流動資産": "other_current_assets",
    "その他流動資産": "other_current_assets",
    "有形固定資産": "fixed_assets",
    "無形固定資産": "fixed_assets",
    "投資その他の資産": "fixed_assets",
    "繰延資産": "fixed_assets",
    "仕入債務": "payables",
    "その他流動負債": "other_liabilities",
    "株主資本": "net_assets",
    "資本金": "net_assets",
    "資本剰余金": "net_assets",
    "利益剰余金": "net_assets",
    "評価・換算差額等": "net_assets",
    "売上高": "sales",
    "売上原価": "cost_of_sales",
    "販売管理費": "sga",
    "販売費及び一般管理費": "sga",
    "営業外収益": "non_operating_income",
    "営業外費用": "non_operating_expenses",
    "特別利益": "extraordinary_income",
    "特別損失": "extraordinary_loss",
    "法人税等": "income_taxes",
}


@dataclass(frozen=True)
class Resolution:
    """Where one account goes: its primary line (None: unmapped), memo lines, and why."""

    line: str | None
    memos: tuple[str, ...] = ()
    #: "override", "default", "group" or "unmapped" (shown to the adviser and stored).
    source: str = "unmapped"


@dataclass
class Mapping:
    """The company's mapping file: account overrides and, for a generic trial balance, its columns."""

    accounts: dict[str, str] = field(default_factory=dict)
    memos: dict[str, tuple[str, ...]] = field(default_factory=dict)
    columns: ColumnMap | None = None
    path: Path | None = None

    def resolve(self, account: str, group: str | None = None) -> Resolution:
        key = account_key(account)
        memos = self.memos.get(key, MEMOS.get(key, ()))
        if key in self.accounts:
            return Resolution(self.accounts[key], memos, "override")
        if key in DEFAULT_ACCOUNTS:
            return Resolution(DEFAULT_ACCOUNTS[key], memos, "default")
        if group:
            group_key = account_key(group)
            line = GROUP_LINES.get(group_key) or DEFAULT_ACCOUNTS.get(group_key)
            if line is not None:
                return Resolution(line, memos, "group")
        return Resolution(None, memos)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1}
        if self.accounts:
            out["accounts"] = dict(self.accounts)
        if self.memos:
            out["memos"] = {name: list(keys) for name, keys in self.memos.items()}
        if self.columns is not None:
            out["columns"] = self.columns.as_dict()
        return out

    def save(self, path: str | Path) -> None:
        """Write the mapping file (the case keeps it; next month's import reads it again)."""
        Path(path).write_text(
            "# keiei の勘定科目の対応表（会社ごと）。形式は docs/monitoring.md\n" + dump_yaml(self.as_dict()),
            encoding="utf-8",
        )


def load_mapping(path: str | Path, field_name: str = "--mapping") -> Mapping:
    """Read a company's mapping file; every line key is checked against the plan's lines."""
    data = load_yaml(path, field_name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KeieiInputError(field_name, "対応表は 項目: 値 の形にしてください", "mapping must be a mapping")
    unknown = set(data) - {"version", "accounts", "memos", "columns"}
    if unknown:
        raise KeieiInputError(
            f"{field_name}: {sorted(unknown)[0]}", "知らない項目です（accounts・memos・columns）", "unknown key"
        )
    accounts: dict[str, str] = {}
    raw_accounts = data.get("accounts") or {}
    if not isinstance(raw_accounts, dict):
        raise KeieiInputError(
            f"{field_name}: accounts", "accounts は 勘定科目: 計画の行 の対応にしてください", "bad accounts"
        )
    for name, line in raw_accounts.items():
        if line not in lines.ALL_KEYS or line in lines.MEMO_KEYS:
            raise KeieiInputError(
                f"{field_name}: accounts.{name}",
                f"計画の行 {line!r} はありません（使える行: {', '.join(k for k in lines.ALL_KEYS if k not in lines.MEMO_KEYS)}）",
                f"unknown plan line {line!r}",
            )
        accounts[account_key(str(name))] = str(line)
    memos: dict[str, tuple[str, ...]] = {}
    raw_memos = data.get("memos") or {}
    if not isinstance(raw_memos, dict):
        raise KeieiInputError(f"{field_name}: memos", "memos は 勘定科目: [行, …] の対応にしてください", "bad memos")
    for name, keys in raw_memos.items():
        items = keys if isinstance(keys, list) else [keys]
        for key in items:
            if key not in lines.MEMO_KEYS:
                raise KeieiInputError(
                    f"{field_name}: memos.{name}",
                    f"内数の行 {key!r} はありません（{', '.join(sorted(lines.MEMO_KEYS))}）",
                    f"unknown memo line {key!r}",
                )
        memos[account_key(str(name))] = tuple(str(key) for key in items)
    columns = ColumnMap.parse(data["columns"], f"{field_name}: columns") if data.get("columns") is not None else None
    return Mapping(accounts, memos, columns, Path(path))
