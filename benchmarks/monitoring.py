"""Importing a large 弥生 journal: keiei's streaming reader beside pandas, on the same file.

Writes a CP932 弥生 import-format journal of `--rows` rows (default 1,000,000: about 90 MB)
into a temporary folder, then times, back to back:

- keiei: `keiei.monitoring.import_books(..., fmt="yayoi")` — encoding check, hash, every row's
  識別フラグ, date (和暦 too), amounts, voucher balance, then monthly totals by plan line;
- pandas: `read_csv(encoding="cp932", usecols=…)` + the date's month + the same account → line
  table + `groupby(["month", "line"]).sum()` — the shortest honest pandas version (no voucher
  check, 西暦 dates only).

Prints both times and the ratio (keiei / pandas; ≤ 1.0 meets the issue's aim) and checks the
two agree on the sales of every month. pandas is a benchmark tool only (`keiei[bench]`).

    .venv/bin/python benchmarks/monitoring.py            # 1,000,000 rows (two shared cores: run rarely)
    .venv/bin/python benchmarks/monitoring.py --rows 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from keiei.monitoring import import_books  # noqa: E402
from keiei.monitoring.mapping import DEFAULT_ACCOUNTS  # noqa: E402

PAIRS = [
    ("現金", "売上高"),
    ("売掛金", "売上高"),
    ("仕入高", "買掛金"),
    ("給料手当", "普通預金"),
    ("地代家賃", "普通預金"),
    ("水道光熱費", "普通預金"),
    ("消耗品費", "現金"),
    ("支払利息", "普通預金"),
    ("減価償却費", "工具器具備品"),
    ("普通預金", "売掛金"),
]


def write_journal(path: Path, rows: int) -> None:
    """One-line vouchers (2111) over twelve months, amounts varying, CP932."""
    days = [f"2025/{m:02d}/{d:02d}" for m in range(10, 13) for d in range(1, 29)]
    days += [f"2026/{m:02d}/{d:02d}" for m in range(1, 10) for d in range(1, 29)]
    with path.open("w", encoding="cp932", newline="") as out:
        chunk = []
        for number in range(1, rows + 1):
            debit, credit = PAIRS[number % len(PAIRS)]
            amount = 1_000 + (number * 7_919) % 250_000
            day = days[(number * len(days)) // (rows + 1)]
            chunk.append(
                f"2111,{number},,{day},{debit},,,対象外,{amount},0,{credit},,,対象外,{amount},0,摘要{number % 97},,,0,,,0,0,no\r\n"
            )
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk))


def keiei_sales(path: Path) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    actuals = import_books(path, None, "yayoi", max_bytes=1 << 40)
    elapsed = time.perf_counter() - start
    assert not actuals.errors, actuals.errors[:3]
    return elapsed, {p.month: p.pl.get("sales", 0) for p in actuals.periods}


def pandas_sales(path: Path) -> tuple[float, dict[str, int]]:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(
        path,
        encoding="cp932",
        header=None,
        usecols=[3, 4, 8, 10, 14],
        names=list(range(25)),
        dtype={3: str, 4: str, 10: str},
    )
    month = frame[3].str.slice(0, 7).str.replace("/", "-")
    debit = pd.DataFrame({"month": month, "line": frame[4].map(DEFAULT_ACCOUNTS), "debit": frame[8], "credit": 0})
    credit = pd.DataFrame({"month": month, "line": frame[10].map(DEFAULT_ACCOUNTS), "debit": 0, "credit": frame[14]})
    totals = pd.concat([debit, credit]).groupby(["month", "line"]).sum()
    elapsed = time.perf_counter() - start
    sales = totals.xs("sales", level="line")
    return elapsed, {str(m): int(row["credit"] - row["debit"]) for m, row in sales.iterrows()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "yayoi.csv"
        start = time.perf_counter()
        write_journal(path, args.rows)
        print(
            f"journal: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB CP932 (written in {time.perf_counter() - start:.1f} s)"
        )
        try:
            import pandas  # noqa: F401
        except ModuleNotFoundError:
            print("pandas is not installed: pip install 'keiei[bench]'")
            return 1
        pandas_time, pandas_result = pandas_sales(path)
        keiei_time, keiei_result = keiei_sales(path)
    assert keiei_result == pandas_result, (keiei_result, pandas_result)
    print(f"keiei  import_books (streaming, checked): {keiei_time:6.2f} s")
    print(f"pandas read_csv + groupby:                 {pandas_time:6.2f} s")
    print(f"ratio keiei / pandas: {keiei_time / pandas_time:.2f} (aim: ≤ 1.00); monthly sales agree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
