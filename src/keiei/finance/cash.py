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
from functools import lru_cache
from operator import itemgetter
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
    out = [
        CashMonthResult(*row, _items(month)) if month is not None else CashMonthResult(*row)
        for row, month in _rows(plan, projection)
    ]
    return tuple(out)


#: One month of the table without its items: month, kind, cash_begin, operating_in,
#: operating_out, operating, investing_in, investing_out, investing, financing_in,
#: financing_out, financing, cash_end (the fields of CashMonthResult, in order).
CashRow = tuple[str, str, int, int, int, int, int, int, int, int, int, int, int]

_amount = itemgetter(1)


def _rows(plan: m.Plan, projection: Projection | None) -> list[tuple[CashRow, m.CashMonth | None]]:
    """The table's months (with the month they come from; None for derived months)."""
    table = plan.cash_table
    cash = opening_cash(plan) or 0
    out: list[tuple[CashRow, m.CashMonth | None]] = []
    for month in table.months:
        op_in = sum(map(_amount, month.operating_in))
        op_out = sum(map(_amount, month.operating_out))
        inv_in = sum(map(_amount, month.investing_in))
        inv_out = sum(map(_amount, month.investing_out))
        fin_in = sum(map(_amount, month.financing_in))
        fin_out = sum(map(_amount, month.financing_out))
        operating, investing, financing = op_in - op_out, inv_in - inv_out, fin_in - fin_out
        end = cash + operating + investing + financing
        row = (
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
        )
        out.append((row, month))
        cash = end
    if projection is not None and not any(mo.kind == "plan" for mo in table.months):
        out.extend((row, None) for row in _derived_months(plan, projection))
    return out


def _items(month: m.CashMonth) -> tuple[tuple[str, str, int], ...]:
    return tuple((g, label, v) for g in m.CASH_GROUPS for label, v in getattr(month, g))


def _derived_months(plan: m.Plan, projection: Projection) -> list[CashRow]:
    first = next((y for y in projection.years if y.kind == "plan"), None)
    if first is None or first.cf is None:
        return []
    cf = first.cf
    cash = cf.cash_begin
    out: list[CashRow] = []
    flows = zip(_split(cf.operating), _split(cf.investing), _split(cf.financing), strict=True)
    for name, (operating, investing, financing) in zip(_months_after(plan.base_period), flows, strict=True):
        end = cash + operating + investing + financing
        out.append(
            (
                name,
                "derived",
                cash,
                operating if operating > 0 else 0,
                -operating if operating < 0 else 0,
                operating,
                investing if investing > 0 else 0,
                -investing if investing < 0 else 0,
                investing,
                financing if financing > 0 else 0,
                -financing if financing < 0 else 0,
                financing,
                end,
            )
        )
        cash = end
    return out


@lru_cache(maxsize=256)
def _months_after(base: Period) -> tuple[str, ...]:
    """The twelve months of the fiscal year after `base`, as "YYYY-MM" (cached: pure)."""
    start = base.plus_months(1)
    return tuple(str(start.plus_months(k)) for k in range(12))


def _split(amount: int) -> list[int]:
    """Twelve integer parts summing to `amount`; the last month takes the leftover."""
    part, left = divmod(amount, 12)
    return [part] * 11 + [part + left]
