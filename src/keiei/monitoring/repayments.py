"""Repayments made against the agreed schedule, per bank where the books allow it.

The schedule is the projection's (`keiei.finance`: `banks[].repayment` per plan year, the
agreed terms after any rescheduling), split evenly into months with `allocation.prorata` so the
months add up to the year; other interest-bearing debt (代表者借入金 …) is its own row.

The actual repayment is read from the books' interest-bearing debt:
- **per bank** when an account mapped to 有利子負債 names the bank (長期借入金（金沢北信用金庫）,
  or a bank's short name inside the account name): its net decrease over the imported files;
- otherwise only **in total**: the net decrease of 有利子負債 over the imported months.
Both are *net* movements: a new loan in the same months offsets repayments (said in the note).
The books' 補助科目 (sub-accounts) are not kept by the importers yet, so a bank named only in a
sub-account is not recognised (docs/monitoring.md, "left to do").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from keiei.finance import Projection
from keiei.finance.display import percent_text
from keiei.finance.output import ratio
from keiei.monitoring.actuals import Actuals
from keiei.monitoring.books import account_key
from keiei.monitoring.merge import Merged
from keiei.monitoring.planmonths import split, year_months
from keiei.plan import model as m

_EVEN = (1,) * 12


@dataclass(frozen=True)
class RepaymentRow:
    """One bank (or the total): scheduled and actual repayment over the imported months."""

    name: str
    scheduled: int
    actual: int | None
    monthly_instalment: int | None

    @property
    def shortfall(self) -> int | None:
        return None if self.actual is None else self.scheduled - self.actual

    @property
    def achievement(self) -> Decimal | None:
        if self.actual is None or self.scheduled <= 0:
            return None
        return Decimal(self.actual) / self.scheduled

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scheduled": self.scheduled,
            "actual": self.actual,
            "shortfall": self.shortfall,
            "achievement": ratio(self.achievement),
            "achievement_text": percent_text(self.achievement),
            "monthly_instalment": self.monthly_instalment,
        }


@dataclass(frozen=True)
class Repayments:
    banks: tuple[RepaymentRow, ...]
    total: RepaymentRow
    by_bank: bool
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "banks": [b.as_dict() for b in self.banks],
            "total": self.total.as_dict(),
            "actual_by_bank": self.by_bank,
            "note": self.note,
        }


def _scheduled(plan: m.Plan, amounts: Sequence[int], merged: Merged) -> int:
    """The schedule of the imported months, each year's amount split evenly into its months."""
    total = 0
    covered = {mo for p in merged.periods for mo in p.months}
    for index, amount in enumerate(amounts):
        parts = split(amount, _EVEN)
        for k, mo in enumerate(year_months(plan, index + 1)):
            if mo in covered:
                total += parts[k]
    return total


def _names(bank: m.Bank) -> tuple[str, ...]:
    """How the bank may appear in an account name: its name, and without the legal form."""
    name = account_key(bank.name)
    short = name
    for suffix in ("株式会社", "(株)", "銀行", "信用金庫", "信用組合"):
        short = short.replace(suffix, "")
    return tuple(n for n in {name, short} if len(n) >= 2)


def repayments(plan: m.Plan, projection: Projection, merged: Merged, files: Sequence[Actuals]) -> Repayments:
    """Scheduled against actual repayments over the merged months (module doc); `files` are the
    imported files whose months were used (their per-account totals name the banks)."""
    debt_accounts = [acc for actuals in files for acc in actuals.accounts if acc.line == "interest_bearing_debt"]
    found: dict[str, int] = {}
    for bank in plan.banks:
        keys = _names(bank)
        hits = [acc for acc in debt_accounts if any(k in account_key(acc.account) for k in keys)]
        if hits:
            found[bank.name] = -sum(acc.amount for acc in hits)
    by_bank = bool(plan.banks) and len(found) == len(plan.banks)
    rows: list[RepaymentRow] = []
    for result in projection.banks:
        instalment = sum(loan.monthly_instalment[0] for loan in result.loans if loan.monthly_instalment)
        rows.append(
            RepaymentRow(
                result.name,
                _scheduled(plan, result.repayment, merged),
                found.get(result.name) if by_bank else None,
                instalment or None,
            )
        )
    other = [y.cf.other_debt_repayment if y.cf is not None else 0 for y in projection.plan_years]
    if any(other):
        rows.append(RepaymentRow("その他の有利子負債（代表者借入金など）", _scheduled(plan, other, merged), None, None))
    moved = sum(p.bs_change.get("interest_bearing_debt", 0) for p in merged.periods)
    scheduled = sum(r.scheduled for r in rows)
    total = RepaymentRow("合計", scheduled, -moved, None)
    if by_bank:
        note = "金融機関別の実績は、金融機関名を含む借入金の勘定科目の増減（純額）から求めました。"
    else:
        note = (
            "金融機関別の実績は出せません（借入金の勘定科目に金融機関名がありません）。合計は有利子負債の"
            "増減（純額: 新たな借入があれば返済と相殺）です。"
        )
    return Repayments(tuple(rows), total, by_bank, note)
