"""The monthly cash table (資金実績・計画表): running balances month by month.

Why months are kept as the user wrote them: the table is evidence (actual months come from
the bank books) and a short-term plan the company manages by. The engine only adds the
running balance: cash end = cash begin + operating (in − out) + investing + financing.

When the file lists no planned month and a projection is given, the twelve months of plan
year 1 are derived from its cash-flow statement, each flow split evenly with the leftover
yen in the last month, so month 12 ends exactly on the plan-year-1 balance-sheet cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from keiei.plan import model as m
from keiei.plan.periods import Period

if TYPE_CHECKING:
    from keiei.finance.projection import Projection


@dataclass(frozen=True, slots=True)
class CashMonthResult:
    """One month with totals per group; `kind` is actual, plan, or derived (from the PL/CF)."""

    month: str
    kind: str
    cash_begin: int
    operating_in: int
    operating_out: int
    operating: int
    investing_in: int
    investing_out: int
    investing: int
    financing_in: int
    financing_out: int
    financing: int
    cash_end: int
    items: tuple[tuple[str, str, int], ...] = ()


def opening_cash(plan: m.Plan) -> int | None:
    """Cash at the start of the table: as written, else the BS cash of the month before."""
    table = plan.cash_table
    if table.opening_cash is not None:
        return table.opening_cash
    if not table.months:
        return None
    before = table.months[0].month.plus_months(-1)
    for year in plan.actuals:
        if year.period == before and year.bs is not None:
            return year.bs.cash
    return None


def cash_schedule(plan: m.Plan, projection: Projection | None = None) -> tuple[CashMonthResult, ...]:
    """Months of the table with running balances (opening unknown → 0; validate_plan says so)."""
    table = plan.cash_table
    cash = opening_cash(plan) or 0
    out: list[CashMonthResult] = []
    for month in table.months:
        totals = [sum(v for _, v in getattr(month, g)) for g in m.CASH_GROUPS]
        op_in, op_out, inv_in, inv_out, fin_in, fin_out = totals
        operating, investing, financing = op_in - op_out, inv_in - inv_out, fin_in - fin_out
        end = cash + operating + investing + financing
        items = tuple((g, label, v) for g in m.CASH_GROUPS for label, v in getattr(month, g))
        out.append(
            CashMonthResult(
                str(month.month),
                month.kind,
                cash,
                op_in,
                op_out,
                operating,
                inv_in,
                inv_out,
                investing,
                fin_in,
                fin_out,
                financing,
                end,
                items,
            )
        )
        cash = end
    if projection is not None and not any(mo.kind == "plan" for mo in table.months):
        out.extend(_derived_months(plan, projection))
    return tuple(out)


def _derived_months(plan: m.Plan, projection: Projection) -> list[CashMonthResult]:
    first = projection.plan_years[0] if projection.plan_years else None
    if first is None or first.cf is None:
        return []
    cf = first.cf
    start = plan.base_period.plus_months(1)
    cash = cf.cash_begin
    out: list[CashMonthResult] = []
    flows = [_split(cf.operating), _split(cf.investing), _split(cf.financing)]
    for k in range(12):
        operating, investing, financing = (f[k] for f in flows)
        end = cash + operating + investing + financing
        out.append(
            CashMonthResult(
                str(Period(start.year, start.month).plus_months(k)),
                "derived",
                cash,
                max(operating, 0),
                max(-operating, 0),
                operating,
                max(investing, 0),
                max(-investing, 0),
                investing,
                max(financing, 0),
                max(-financing, 0),
                financing,
                end,
            )
        )
        cash = end
    return out


def _split(amount: int) -> list[int]:
    """Twelve integer parts summing to `amount`; the last month takes the leftover."""
    part, left = divmod(amount, 12)
    return [part] * 11 + [part + left]
