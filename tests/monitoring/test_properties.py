"""Property: for any balanced journal, mapped totals reconcile to the file and debits = credits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.monitoring import import_books
from keiei.monitoring.mapping import DEFAULT_ACCOUNTS

ACCOUNTS = [*sorted(DEFAULT_ACCOUNTS)[:40], "諸口", "謎の科目"]

voucher = st.tuples(
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.integers(1, 10**9)), min_size=1, max_size=4),
    st.sampled_from(ACCOUNTS),
)


def _rows(vouchers: list[tuple[object, list[tuple[str, int]], str]]) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    for number, (day, debits, credit_account) in enumerate(vouchers, start=1):
        date = str(day).replace("-", "/")
        total = sum(amount for _, amount in debits)
        lines = [(a, m, "", 0) for a, m in debits] + [("", 0, credit_account, total)]
        for index, (da, dm, ca, cm) in enumerate(lines):
            flag = "2110" if index == 0 else "2101" if index == len(lines) - 1 else "2100"
            out.writerow(
                [
                    flag,
                    number,
                    "",
                    date,
                    da,
                    "",
                    "",
                    "",
                    dm or "",
                    "",
                    ca,
                    "",
                    "",
                    "",
                    cm or "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.lists(voucher, min_size=1, max_size=30))
def test_balanced_journals_reconcile(vouchers: list[tuple[object, list[tuple[str, int]], str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "j.csv"
        path.write_bytes(_rows(vouchers).encode("cp932"))
        actuals = import_books(path, None, "yayoi")
    # 諸口 left over is the one error a balanced journal may have (it must net to zero).
    assert {f.code for f in actuals.errors} <= {"actuals.clearing_not_zero"}
    details = next(f for f in actuals.findings if f.code == "actuals.reconciled").details
    assert details["file_debit"] == details["file_credit"] == sum(sum(m for _, m in d) for _, d, _ in vouchers)
    assert details["mapped_debit"] + details["unmapped_debit"] == details["file_debit"]
    assert details["mapped_credit"] + details["unmapped_credit"] == details["file_credit"]
    for account in actuals.accounts:
        if account.line is None and account.source != "clearing":
            assert account.amount == account.debit - account.credit
    if not actuals.unmapped and not actuals.errors:  # every account mapped: the movements equal the period's profit
        for period in actuals.periods:
            bs = period.bs_change
            moved = sum(
                bs.get(k, 0) for k in ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets")
            )
            moved -= sum(bs.get(k, 0) for k in ("payables", "interest_bearing_debt", "other_liabilities", "net_assets"))
            assert moved == period.net_income
