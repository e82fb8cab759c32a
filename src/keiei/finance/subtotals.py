"""Statement subtotals: the profit chain and the balance-sheet totals, defined once.

Why one module: the same subtotals were computed by the statement records, the plan checks,
the engine's tax base and the web editor's preview of an actual year, each written out again.
A change of definition (say, where interest sits) then had to be found in four places. Every
caller now asks these functions, so the figures a user sees in the editor, the findings of
`validate_plan` and the projected statements cannot drift apart.

All figures are integer yen and every subtotal is plain integer arithmetic (no rounding
happens here: each input was rounded once before, see `keiei.money.to_yen`), so the
identities hold exactly for any input. Sign conventions are those of `keiei.finance.statements`:
costs, losses and taxes are positive amounts that are subtracted; `non_operating_expenses`
already includes `interest_expense`, which therefore takes no part in the chain.

The functions are on the engine's hot path (several calls per projected year), so they
return named tuples and do no checking; `actual_subtotals` is the tolerant reader for
half-typed input (the web editor's draft).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from keiei.plan import model as m

#: A named tuple built through `tuple.__new__` costs a quarter of its generated `__new__`
#: (these run for every statement the engine builds; see benchmarks/plans.py).
_new = tuple.__new__


class ProfitChain(NamedTuple):
    """The derived lines of a 損益計算書, in the order each is built from the one before."""

    gross_profit: int  # 売上総利益
    operating_profit: int  # 営業利益
    ordinary_profit: int  # 経常利益
    pretax_income: int  # 税引前当期純利益
    net_income: int  # 当期純利益


class BalanceTotals(NamedTuple):
    """The totals of a 貸借対照表 at book value, and the net assets they imply."""

    total_assets: int  # 資産合計
    total_liabilities: int  # 負債合計
    net_assets: int  # 純資産 (資産 − 負債)


def profit_chain(
    sales: int,
    cost_of_sales: int,
    sga: int,
    non_operating_income: int,
    non_operating_expenses: int,
    extraordinary_income: int,
    extraordinary_loss: int,
    income_taxes: int,
) -> ProfitChain:
    """売上高 → 売上総利益 → 営業利益 → 経常利益 → 税引前当期純利益 → 当期純利益."""
    gross = sales - cost_of_sales
    operating = gross - sga
    ordinary = operating + non_operating_income - non_operating_expenses
    pretax = ordinary + extraordinary_income - extraordinary_loss
    return _new(ProfitChain, (gross, operating, ordinary, pretax, pretax - income_taxes))


def pretax_income(
    sales: int,
    cost_of_sales: int,
    sga: int,
    non_operating_income: int,
    non_operating_expenses: int,
    extraordinary_income: int,
    extraordinary_loss: int,
) -> int:
    """税引前当期純利益 before the tax is known: the engine's tax base (the tax depends on it)."""
    return profit_chain(
        sales,
        cost_of_sales,
        sga,
        non_operating_income,
        non_operating_expenses,
        extraordinary_income,
        extraordinary_loss,
        0,
    ).pretax_income


def balance_totals(
    cash: int,
    receivables: int,
    inventory: int,
    other_current_assets: int,
    fixed_assets: int,
    payables: int,
    interest_bearing_debt: int,
    other_liabilities: int,
) -> BalanceTotals:
    """資産合計 over the five asset lines (`m.ASSET_LINES`), 負債合計 over the three liability
    lines (`m.LIABILITY_LINES`), and the book net assets (資産 − 負債).

    For an actual year the net assets are *defined* this way; for a plan year the engine
    rolls them forward instead and the equality is a property it must earn (tests check it).
    """
    assets = cash + receivables + inventory + other_current_assets + fixed_assets
    liabilities = payables + interest_bearing_debt + other_liabilities
    return _new(BalanceTotals, (assets, liabilities, assets - liabilities))


# --------------------------------------------------------------------------- the plan's actual years


def actual_profit_chain(pl: m.ActualPL) -> ProfitChain:
    """The profit chain of a filed income statement (its stated subtotals are not read)."""
    return profit_chain(
        pl.sales,
        pl.cost_of_sales,
        pl.sga,
        pl.non_operating_income,
        pl.non_operating_expenses,
        pl.extraordinary_income,
        pl.extraordinary_loss,
        pl.income_taxes,
    )


def actual_balance_totals(bs: m.ActualBS) -> BalanceTotals:
    """The totals of a filed balance sheet (its stated net assets are not read)."""
    return balance_totals(
        bs.cash,
        bs.receivables,
        bs.inventory,
        bs.other_current_assets,
        bs.fixed_assets,
        bs.payables,
        bs.interest_bearing_debt,
        bs.other_liabilities,
    )


_PL_OPTIONAL = (
    "non_operating_income",
    "non_operating_expenses",
    "extraordinary_income",
    "extraordinary_loss",
    "income_taxes",
)
_BS_LINES: tuple[m.BsLine, ...] = m.ASSET_LINES + m.LIABILITY_LINES


def _yen(data: Mapping[str, object], key: str, default: int | None) -> int | None:
    """The integer at `key`; `default` when the key is absent; None when present but not an int."""
    if key not in data:
        return default
    value = data[key]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def actual_subtotals(year: object) -> dict[str, int]:
    """The subtotals of one actual year as written in plan data (the file format, or the web
    editor's draft of it), for showing beside the figures while they are typed.

    Why it reads raw data and not `m.ActualYear`: a draft is half typed, so it cannot be
    parsed yet; each subtotal is given only when every figure it needs is a whole number
    (absent optional lines count as 0; sales, cost of sales and SG&A must be there).
    Keys: gross_profit, operating_profit, ordinary_profit, net_income (from `pl`);
    total_assets, net_assets (from a non-empty `bs`); adjusted_net_assets (実態純資産, when
    there are 実態BS adjustments and each has a whole-number amount and a known line).
    """
    data = _mapping(year)
    pl, bs = _mapping(data.get("pl")), _mapping(data.get("bs"))
    out: dict[str, int] = {}
    sales, cost, sga = _yen(pl, "sales", None), _yen(pl, "cost_of_sales", None), _yen(pl, "sga", None)
    parts = [_yen(pl, key, 0) for key in _PL_OPTIONAL]
    if sales is not None and cost is not None and sga is not None:
        noi, noe, ei, el, tax = parts
        if noi is not None and noe is not None and ei is not None and el is not None and tax is not None:
            chain = profit_chain(sales, cost, sga, noi, noe, ei, el, tax)
            out.update(
                gross_profit=chain.gross_profit,
                operating_profit=chain.operating_profit,
                ordinary_profit=chain.ordinary_profit,
                net_income=chain.net_income,
            )
    if bs:
        values = [_yen(bs, line, 0) for line in _BS_LINES]
        lines = [v for v in values if v is not None]
        if len(lines) == len(values):
            totals = balance_totals(*lines)
            out.update(total_assets=totals.total_assets, net_assets=totals.net_assets)
            adjustments = data.get("adjustments")
            if isinstance(adjustments, list) and adjustments:
                effect = 0
                for adj in adjustments:
                    entry = _mapping(adj)
                    amount, line = _yen(entry, "amount", None), entry.get("line")
                    if amount is None or not isinstance(line, str) or line not in _BS_LINES:
                        break
                    effect += m.net_assets_effect(line, amount)
                else:
                    out["adjusted_net_assets"] = totals.net_assets + effect
    return out
