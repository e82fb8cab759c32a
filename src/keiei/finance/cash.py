"""The monthly cash table (資金実績・計画表): running balances month by month.

Why months are kept as the user wrote them: the table is evidence (actual months come from
the bank books) and a short-term plan the company manages by. The engine only adds the
running balance: cash end = cash begin + operating (in − out) + investing + financing.

When the file lists no planned month and a projection is given, the twelve months of plan
year 1 are derived from the plan (`_derived_months`): collections from sales and payments for
purchases follow the plan's seasonality (`cash_table.seasonality`, else even months), SG&A,
interest and repayments are monthly, a new loan and new equity arrive in month 1, the year's
taxes are paid in month 2 (when the previous year's return is due) and dividends in month 3;
what the statements hold beyond these lines is one "other" row. Every line is split with
`allocation.prorata`, so the months sum exactly to the year and month 12 ends on the
plan-year-1 balance-sheet cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import add, itemgetter
from typing import TYPE_CHECKING

from keiei.finance.allocation import prorata
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
    return tuple(CashMonthResult(*row, items) for row, items in _rows(plan, projection, with_items=True))


#: One month of the table without its items: month, kind, cash_begin, operating_in,
#: operating_out, operating, investing_in, investing_out, investing, financing_in,
#: financing_out, financing, cash_end (the fields of CashMonthResult, in order).
CashRow = tuple[str, str, int, int, int, int, int, int, int, int, int, int, int]

_amount = itemgetter(1)


Items = tuple[tuple[str, str, int], ...]


def _rows(plan: m.Plan, projection: Projection | None, *, with_items: bool = False) -> list[tuple[CashRow, Items]]:
    """The table's months, each with its lines (group, label, amount) when `with_items`.

    Why optional: the projection's JSON (`to_dict`) needs only the totals, on every plan of a
    batch; listing every written month's lines there cost more than the projection itself.
    """
    table = plan.cash_table
    cash = opening_cash(plan) or 0
    out: list[tuple[CashRow, Items]] = []
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
        out.append((row, _items(month) if with_items else ()))
        cash = end
    if projection is not None and not any(mo.kind == "plan" for mo in table.months):
        out.extend(_derived_months(plan, projection, with_items))
    return out


def _items(month: m.CashMonth) -> tuple[tuple[str, str, int], ...]:
    return tuple((g, label, v) for g in m.CASH_GROUPS for label, v in getattr(month, g))


#: Months (0-based within the plan year) of the lines paid at one time.
NEW_MONEY_MONTH = 0  # a new loan or new equity: drawn at the start of the plan year
TAX_MONTH = 1  # 法人税等: the return and payment are due two months after the year end
DIVIDEND_MONTH = 2  # after the general meeting, about three months after the year end

_EVEN = (1,) * 12


def _spread(amount: int, weights: tuple[int, ...]) -> list[int]:
    """Twelve integer parts of `amount` (either sign) in proportion to `weights`, exactly.

    Even weights take a shortcut with the same result as `prorata` (equal remainders: the
    first months take the leftover yen), since every plan without a cash table comes here.
    """
    size = abs(amount)
    if weights is _EVEN or not any(weights):
        part, left = divmod(size, 12)
        parts = [part + 1] * left + [part] * (12 - left)
    else:
        parts = prorata(size, weights)
    return parts if amount >= 0 else [-p for p in parts]


def _at(amount: int, month: int) -> list[int]:
    parts = [0] * 12
    parts[month] = amount
    return parts


#: A derived line before it is split into months: label, the year's amount (either sign), and
#: either the month it falls in (lines paid at one time) or the weights it is spread by.
Line = tuple[str, int, tuple[int, ...], int | None]


def _months_of(line: Line) -> list[int]:
    """The line's twelve monthly amounts (exact: they sum to the year's amount)."""
    _, amount, weights, month = line
    return _at(amount, month) if month is not None else _spread(amount, weights)


def _totals12(lines: list[Line]) -> list[int]:
    """The twelve monthly totals of a group's lines, equal to summing `_months_of` line by line.

    Why not that sum: every plan without a cash table comes here in `to_dict`; an evenly spread
    line is its yen ÷ 12 in every month plus one yen in each of the first (yen mod 12) months,
    so the group adds those up directly instead of building and adding twelve-month lists.
    """
    acc = [0] * 12
    every = 0
    for line in lines:
        _, amount, weights, month = line
        if month is not None:
            acc[month] += amount
        elif weights is _EVEN:
            part, left = divmod(abs(amount), 12)
            sign = 1 if amount >= 0 else -1
            every += sign * part
            for j in range(left):
                acc[j] += sign
        else:
            acc = list(map(add, acc, _months_of(line)))
    return [a + every for a in acc] if every else acc


def _derived_months(plan: m.Plan, projection: Projection, with_items: bool = True) -> list[tuple[CashRow, Items]]:
    """Plan year 1 month by month, shaped from the plan's own lines (module docstring).

    Why not one net inflow a month: a bank reads the monthly table for the low point of cash
    (the month before a tax or dividend payment, the off season); an even net figure hides it.
    """
    years = projection.years
    k = next((i for i, y in enumerate(years) if y.kind == "plan"), None)
    if k is None or years[k].cf is None:
        return []
    year = years[k]
    pl, cf, bs = year.pl, year.cf, year.bs
    assert cf is not None
    before = years[k - 1].bs if k > 0 else None
    season = plan.cash_table.seasonality or _EVEN

    def change(line: str) -> int:
        if bs is None or before is None:
            return 0
        return int(getattr(bs, line)) - int(getattr(before, line))

    forgiven = year.details.forgiveness if year.details is not None else 0
    deferred = year.details.deferred_interest if year.details is not None else 0
    Lines = list[Line]
    operating_in: Lines = []
    operating_out: Lines = []
    investing_in: Lines = []
    investing_out: Lines = []
    financing_in: Lines = []
    financing_out: Lines = []

    def put(lines: Lines, label: str, amount: int, weights: tuple[int, ...] = _EVEN, month: int | None = None) -> int:
        """Add a line (none for 0: no row of zeros, and less work on every plan without a table)."""
        if amount:
            lines.append((label, amount, weights, month))
        return amount

    stated = put(operating_in, "売上代金の入金", pl.sales - change("receivables"), season)
    stated += put(operating_in, "営業外・特別の収入", pl.non_operating_income + pl.extraordinary_income - forgiven)
    stated -= put(
        operating_out, "仕入・外注費の支払", pl.cost_of_sales + change("inventory") - change("payables"), season
    )
    stated -= put(operating_out, "販売費・一般管理費の支払（減価償却費を除く）", pl.sga - pl.depreciation)
    stated -= put(operating_out, "支払利息等の営業外費用", pl.non_operating_expenses - deferred)
    stated -= put(operating_out, "法人税等の納付", pl.income_taxes, month=TAX_MONTH)
    _balance(operating_in, operating_out, cf.operating - stated, "その他の営業収支（運転資金・特別損益等）")
    put(investing_out, "設備投資", cf.capex)
    _balance(investing_in, investing_out, cf.investing + cf.capex, "その他の投資収支")
    stated = put(financing_in, "新規借入", cf.borrowing, month=NEW_MONEY_MONTH)
    stated += put(financing_in, "増資", cf.equity_issued, month=NEW_MONEY_MONTH)
    stated -= put(financing_out, "借入金の返済", cf.repayment)
    stated -= put(financing_out, "その他の有利子負債の返済", cf.other_debt_repayment)
    stated -= put(financing_out, "配当金の支払", cf.dividends, month=DIVIDEND_MONTH)
    _balance(financing_in, financing_out, cf.financing - stated, "その他の財務収支")
    groups = (
        ("operating_in", operating_in),
        ("operating_out", operating_out),
        ("investing_in", investing_in),
        ("investing_out", investing_out),
        ("financing_in", financing_in),
        ("financing_out", financing_out),
    )
    cash = cf.cash_begin
    # each group's twelve monthly totals, summed line by line
    totals = {g: _totals12(lines) for g, lines in groups}
    spread = [(g, [(line[0], _months_of(line)) for line in lines]) for g, lines in groups] if with_items else []
    out: list[tuple[CashRow, Items]] = []
    for j, name in enumerate(_months_after(plan.base_period)):
        op_in, op_out = totals["operating_in"][j], totals["operating_out"][j]
        inv_in, inv_out = totals["investing_in"][j], totals["investing_out"][j]
        fin_in, fin_out = totals["financing_in"][j], totals["financing_out"][j]
        operating, investing, financing = op_in - op_out, inv_in - inv_out, fin_in - fin_out
        end = cash + operating + investing + financing
        row = (name, "derived", cash, op_in, op_out, operating, inv_in, inv_out, investing, fin_in, fin_out, financing,
               end)  # fmt: skip
        items = tuple((g, label, v[j]) for g, months in spread for label, v in months if any(v)) if with_items else ()
        out.append((row, items))
        cash = end
    return out


def _balance(ins: list[Line], outs: list[Line], rest: int, label: str) -> None:
    """What the statements hold beyond the named lines: one row, on the side its sign says."""
    if rest > 0:
        ins.append((label, rest, _EVEN, None))
    elif rest < 0:
        outs.append((label, -rest, _EVEN, None))


@lru_cache(maxsize=256)
def _months_after(base: Period) -> tuple[str, ...]:
    """The twelve months of the fiscal year after `base`, as "YYYY-MM" (cached: pure)."""
    start = base.plus_months(1)
    return tuple(str(start.plus_months(k)) for k in range(12))
