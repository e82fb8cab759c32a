"""Write the sample books of examples/books/ (one per format) for examples/early-restaurant.yaml.

The same six months of 株式会社こまち屋 (the first half of plan year 1, 2025-10 to 2026-03) as
each accounting package would export them: sales a little under the plan's monthly figures
(its cash table), costs near the plan's. Deterministic (no randomness, no clock), so the files
in the repository are exactly what this script writes: `python scripts/make_sample_books.py`.
Also imported by the tests and the benchmark (`vouchers()`, `yayoi_rows()`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "books"

#: A voucher: date (YYYY-MM-DD), debit lines, credit lines, memo, closing flag (""/中決/本決).
Voucher = tuple[str, list[tuple[str, int]], list[tuple[str, int]], str, str]

#: Plan year 1's monthly sales from the plan's cash table (現金売上 + カード・QR入金) and the
#: share of it actually reached (monitoring shows a small shortfall in the winter).
PLAN_SALES = {
    "2025-10": 4_627_000,
    "2025-11": 4_383_000,
    "2025-12": 5_600_000,
    "2026-01": 4_140_000,
    "2026-02": 4_140_000,
    "2026-03": 4_869_000,
}
REACHED = {"2025-10": 101, "2025-11": 97, "2025-12": 95, "2026-01": 92, "2026-02": 96, "2026-03": 98}

#: The opening balance sheet (2025-09, the plan's last actual year) per account, natural sign.
OPENING = {
    "現金": 500_000,
    "普通預金": 6_000_000,
    "売掛金": 900_000,
    "商品": 800_000,
    "前払費用": 500_000,
    "建物附属設備": 9_000_000,
    "工具器具備品": 3_200_000,
    "敷金": 1_800_000,
    "買掛金": 1_600_000,
    "長期借入金": 21_500_000,
    "役員借入金": 3_000_000,
    "未払金": 1_200_000,
    "未払費用": 700_000,
    "預り金": 300_000,
    "資本金": 3_000_000,
    "繰越利益剰余金": -8_600_000,
}
CREDIT_ACCOUNTS = {
    "買掛金",
    "長期借入金",
    "役員借入金",
    "未払金",
    "未払費用",
    "預り金",
    "資本金",
    "繰越利益剰余金",
    "売上高",
    "雑収入",
}
#: freee's categories (account_category_name) per account, for the trial-balance JSON.
CATEGORY = {
    "現金": "現金・預金",
    "普通預金": "現金・預金",
    "売掛金": "売上債権",
    "商品": "棚卸資産",
    "前払費用": "他流動資産",
    "建物附属設備": "有形固定資産",
    "工具器具備品": "有形固定資産",
    "敷金": "投資その他の資産",
    "買掛金": "仕入債務",
    "長期借入金": "固定負債",
    "役員借入金": "固定負債",
    "未払金": "その他流動負債",
    "未払費用": "その他流動負債",
    "預り金": "その他流動負債",
    "資本金": "資本金",
    "繰越利益剰余金": "利益剰余金",
    "売上高": "売上高",
    "仕入高": "売上原価",
    "雑収入": "営業外収益",
    "支払利息": "営業外費用",
}
BS_ORDER = list(OPENING)


def _round(value: int, unit: int = 1_000) -> int:
    return (value + unit // 2) // unit * unit


def vouchers() -> list[Voucher]:
    """The six months of vouchers, in date order."""
    out: list[Voucher] = []
    previous_card = 900_000
    previous_purchases = 1_600_000
    for month, plan in PLAN_SALES.items():
        sales = _round(plan * REACHED[month] // 100)
        card = _round(sales * 55 // 100)
        cash = sales - card
        purchases = _round(sales * 365 // 1000)
        d = f"{month}-{{:02d}}".format
        for day, share in ((5, 30), (15, 35), (25, 35)):
            part = cash * share // 100 if day != 25 else cash - cash * 65 // 100
            out.append((d(day), [("現金", part)], [("売上高", part)], "店頭売上（現金）", ""))
        out.append((d(10), [("売掛金", card // 2)], [("売上高", card // 2)], "カード・QR売上", ""))
        out.append((d(28), [("売掛金", card - card // 2)], [("売上高", card - card // 2)], "カード・QR売上", ""))
        fee = card * 2 // 100
        out.append(
            (
                d(12),
                [("普通預金", previous_card - fee), ("支払手数料", fee)],
                [("売掛金", previous_card)],
                "カード入金（手数料控除）",
                "",
            )
        )
        out.append((d(20), [("普通預金", cash - 150_000)], [("現金", cash - 150_000)], "売上金の預入", ""))
        out.append((d(8), [("仕入高", purchases // 2)], [("買掛金", purchases // 2)], "鮮魚・青果の仕入", ""))
        out.append(
            (
                d(22),
                [("仕入高", purchases - purchases // 2)],
                [("買掛金", purchases - purchases // 2)],
                "鮮魚・青果・酒類の仕入",
                "",
            )
        )
        out.append((d(26), [("買掛金", previous_purchases)], [("普通預金", previous_purchases)], "仕入代金の支払", ""))
        out.append(
            (
                d(25),
                [("給料手当", 600_000), ("雑給", 650_000), ("役員報酬", 500_000)],
                [("預り金", 125_000), ("普通預金", 1_625_000)],
                "給与の支払",
                "",
            )
        )
        out.append(
            (
                d(27),
                [("法定福利費", 150_000), ("預り金", 125_000)],
                [("普通預金", 275_000)],
                "社会保険料・源泉所得税の納付",
                "",
            )
        )
        out.append((d(27), [("地代家賃", 400_000)], [("普通預金", 400_000)], "店舗家賃", ""))
        out.append((d(18), [("水道光熱費", 240_000)], [("普通預金", 240_000)], "電気・ガス・水道", ""))
        out.append((d(14), [("消耗品費", 80_000)], [("現金", 80_000)], "消耗品", ""))
        out.append((d(16), [("広告宣伝費", 30_000)], [("普通預金", 30_000)], "グルメサイト掲載料", ""))
        out.append((d(19), [("雑費", 40_000)], [("現金", 40_000)], "雑費", ""))
        out.append((d(21), [("普通預金", 17_000)], [("雑収入", 17_000)], "自動販売機の手数料", ""))
        out.append(
            (
                d(30) if month != "2026-02" else d(27),
                [("長期借入金", 320_000), ("支払利息", 26_000)],
                [("普通預金", 346_000)],
                "借入金の返済（信用金庫・公庫）",
                "",
            )
        )
        last = {"2025-10": 31, "2025-11": 30, "2025-12": 31, "2026-01": 31, "2026-02": 28, "2026-03": 31}[month]
        out.append((d(last), [("減価償却費", 110_000)], [("工具器具備品", 110_000)], "減価償却（直接法）", ""))
        if month == "2026-03":
            out.append(
                (d(31), [("水道光熱費", 20_000)], [("未払費用", 20_000)], "中間決算: 3月分の電気代の未払計上", "中決")
            )
        previous_card, previous_purchases = card, purchases
    out.sort(key=lambda v: v[0])
    return out


def _wareki(day: str) -> str:
    """R.07/10/01: 令和 (2019 = 元年) as 弥生 writes it."""
    year, month, dd = day.split("-")
    return f"R.{int(year) - 2018:02d}/{month}/{dd}"


def yayoi_rows(items: list[Voucher]) -> Iterator[list[str]]:
    """25-column rows; one-line vouchers 2111, multi-line 2110/2100/2101; 和暦 for 2025, 西暦 after."""
    for number, (day, debits, credits, memo, closing) in enumerate(items, start=1):
        date = _wareki(day) if day < "2026-01-01" else day.replace("-", "/")
        count = max(len(debits), len(credits))
        for index in range(count):
            flag = "2111" if count == 1 else "2110" if index == 0 else "2101" if index == count - 1 else "2100"
            da, dm = debits[index] if index < len(debits) else ("", 0)
            ca, cm = credits[index] if index < len(credits) else ("", 0)
            yield [
                flag,
                str(number),
                closing,
                date,
                da,
                "",
                "",
                "対象外" if da else "",
                str(dm) if da else "",
                "0" if da else "",
                ca,
                "",
                "",
                "対象外" if ca else "",
                str(cm) if ca else "",
                "0" if ca else "",
                memo,
                "",
                "",
                "0",
                "",
                "",
                "0",
                "0",
                "no",
            ]


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _paired(items: list[Voucher]) -> Iterator[tuple[int, str, str, int, str, int, str, str]]:
    for number, (day, debits, credits, memo, closing) in enumerate(items, start=1):
        for index in range(max(len(debits), len(credits))):
            da, dm = debits[index] if index < len(debits) else ("", 0)
            ca, cm = credits[index] if index < len(credits) else ("", 0)
            yield number, day, da, dm, ca, cm, memo, closing


def freee_csv(items: list[Voucher]) -> str:
    header = [
        "No",
        "取引日",
        "管理番号",
        "借方勘定科目",
        "借方決算書表示名",
        "借方金額",
        "借方税区分",
        "借方税金額",
        "貸方勘定科目",
        "貸方決算書表示名",
        "貸方金額",
        "貸方税区分",
        "貸方税金額",
        "摘要",
    ]
    rows = [header]
    for number, day, da, dm, ca, cm, memo, _closing in _paired(items):
        rows.append(
            [
                str(number),
                day,
                "",
                da,
                da,
                str(dm) if da else "",
                "対象外" if da else "",
                "0" if da else "",
                ca,
                ca,
                str(cm) if ca else "",
                "対象外" if ca else "",
                "0" if ca else "",
                memo,
            ]
        )
    return _csv_text(rows)


MF_HEADER = [
    "取引No",
    "取引日",
    "借方勘定科目",
    "借方補助科目",
    "借方部門",
    "借方取引先",
    "借方税区分",
    "借方インボイス",
    "借方金額(円)",
    "借方税額",
    "貸方勘定科目",
    "貸方補助科目",
    "貸方部門",
    "貸方取引先",
    "貸方税区分",
    "貸方インボイス",
    "貸方金額(円)",
    "貸方税額",
    "摘要",
    "仕訳メモ",
    "タグ",
    "MF仕訳タイプ",
    "決算整理仕訳",
    "作成日時",
    "作成者",
    "最終更新日時",
    "最終更新者",
]


def mf_csv(items: list[Voucher]) -> str:
    rows = [MF_HEADER]
    for number, day, da, dm, ca, cm, memo, closing in _paired(items):
        y, m, dd = day.split("-")
        rows.append(
            [
                str(number),
                f"{y}/{int(m)}/{int(dd)}",
                da,
                "",
                "",
                "",
                "対象外" if da else "",
                "",
                str(dm) if da else "",
                "0" if da else "",
                ca,
                "",
                "",
                "",
                "対象外" if ca else "",
                "",
                str(cm) if ca else "",
                "0" if ca else "",
                memo,
                "",
                "",
                "インポート",
                "1" if closing else "",
                "2026/04/10 10:00",
                "小町 誠",
                "2026/04/10 10:00",
                "小町 誠",
            ]
        )
    return _csv_text(rows)


def _movements(items: list[Voucher]) -> dict[str, dict[str, list[int]]]:
    """month → account → [debit, credit]."""
    out: dict[str, dict[str, list[int]]] = {}
    for day, debits, credits, _memo, _closing in items:
        month = out.setdefault(day[:7], {})
        for account, amount in debits:
            month.setdefault(account, [0, 0])[0] += amount
        for account, amount in credits:
            month.setdefault(account, [0, 0])[1] += amount
    return out


def _natural(account: str, debit: int, credit: int) -> int:
    return credit - debit if account in CREDIT_ACCOUNTS else debit - credit


def freee_trial_json(items: list[Voucher]) -> str:
    """trial_bs and trial_pl for 2025-10..2026-03 as freee's API returns them (natural signs)."""
    moves: dict[str, list[int]] = {}
    for month in _movements(items).values():
        for account, (debit, credit) in month.items():
            pair = moves.setdefault(account, [0, 0])
            pair[0] += debit
            pair[1] += credit
    bs_rows, pl_rows = [], []
    for account in BS_ORDER + sorted(set(moves) - set(BS_ORDER)):
        debit, credit = moves.get(account, [0, 0])
        opening = OPENING.get(account, 0)
        row = {
            "account_item_name": account,
            "account_category_name": CATEGORY.get(account, "販売管理費"),
            "account_group_name": account,
            "hierarchy_level": 3,
            "total_line": False,
            "opening_balance": opening,
            "debit_amount": debit,
            "credit_amount": credit,
            "closing_balance": opening + _natural(account, debit, credit),
            "composition_ratio": 0,
        }
        (bs_rows if account in OPENING else pl_rows).append(row)
    common = {
        "company_id": 1234567,
        "fiscal_year": 2026,
        "start_month": 10,
        "end_month": 3,
        "start_date": "2025-10-01",
        "end_date": "2026-03-31",
        "up_to_date": True,
    }
    bs_rows.append(
        {
            "account_category_name": "資産",
            "total_line": True,
            "hierarchy_level": 1,
            "closing_balance": 0,
            "opening_balance": 0,
            "debit_amount": 0,
            "credit_amount": 0,
        }
    )
    data = {"trial_bs": {**common, "balances": bs_rows}, "trial_pl": {**common, "balances": pl_rows}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


GENERIC_MONTH_COLUMNS = {
    "2025-10": "10月",
    "2025-11": "11月",
    "2025-12": "12月",
    "2026-01": "1月",
    "2026-02": "2月",
    "2026-03": "3月",
}


def generic_csv(items: list[Voucher]) -> str:
    """A 残高推移表: PL rows the month's amount, BS rows the month-end balance, subtotal rows too."""
    monthly = _movements(items)
    accounts = BS_ORDER + sorted({a for m in monthly.values() for a in m} - set(BS_ORDER))
    rows = [["科目コード", "勘定科目", "前期繰越", *GENERIC_MONTH_COLUMNS.values()]]
    for code, account in enumerate(accounts, start=100):
        values, balance = [], OPENING.get(account, 0)
        for month in GENERIC_MONTH_COLUMNS:
            debit, credit = monthly[month].get(account, [0, 0])
            if account in OPENING:
                balance += _natural(account, debit, credit)
                values.append(balance)
            else:
                values.append(_natural(account, debit, credit))
        shown = [f"{v:,}" if v >= 0 else f"△{-v:,}" for v in values]
        opening = OPENING.get(account)
        rows.append([str(code), account, "" if opening is None else f"{opening:,}", *shown])
        if account == "敷金":
            rows.append(["", "資産合計", "", *["" for _ in values]])
    return _csv_text(rows)


GENERIC_MAPPING = (
    """# 株式会社こまち屋の勘定科目の対応表（案件と一緒に保存し、毎月の取り込みで使う）
version: 1
# 試算表（残高推移表）の列: 一度だけ指定する
columns:
  account: 勘定科目
  opening: 前期繰越
  months:
"""
    + "".join(f'    "{m}": {c}\n' for m, c in GENERIC_MONTH_COLUMNS.items())
    + """# 既定の対応と違う科目だけ書く（例: 役員借入金を有利子負債のまま、雑給を販管費に）
accounts:
  雑給: sga
"""
)


def write_all(out: Path = OUT) -> list[Path]:
    items = vouchers()
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "yayoi-journal.csv": (_csv_text(list(yayoi_rows(items))), "cp932"),
        "freee-journal.csv": (freee_csv(items), "utf-8-sig"),
        "freee-trial.json": (freee_trial_json(items), "utf-8"),
        "mf-journal.csv": (mf_csv(items), "utf-8"),
        "generic-trial.csv": (generic_csv(items), "cp932"),
        "generic-mapping.yaml": (GENERIC_MAPPING, "utf-8"),
    }
    written = []
    for name, (text, encoding) in files.items():
        path = out / name
        path.write_bytes(text.encode(encoding))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
