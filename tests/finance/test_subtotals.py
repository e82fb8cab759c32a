"""keiei.finance.subtotals: the profit chain and the balance-sheet totals, defined once.

The expected figures below are worked by hand (the arithmetic is in the comments) or taken
from the subtotals *as filed* in the example plans, never recomputed with the functions under
test. The property tests state the identities in a different form from the code (the whole
chain as one signed sum, the effect of moving one line, assets = liabilities + net assets).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from keiei.finance import project
from keiei.finance.statements import make_bs, make_pl
from keiei.finance.subtotals import (
    BalanceTotals,
    ProfitChain,
    actual_balance_totals,
    actual_profit_chain,
    actual_subtotals,
    balance_totals,
    pretax_income,
    profit_chain,
)
from keiei.plan import load_plan
from keiei.plan.model import ActualBS, ActualPL

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# --------------------------------------------------------------------------- worked by hand

#: A profitable year. 売上高 120,000,000 − 売上原価 84,000,000 = 売上総利益 36,000,000;
#: − 販管費 30,500,000 = 営業利益 5,500,000; + 営業外収益 800,000 − 営業外費用 2,300,000
#: (支払利息 1,900,000 を含む) = 経常利益 4,000,000; + 特別利益 0 − 特別損失 1,200,000
#: = 税引前当期純利益 2,800,000; − 法人税等 840,000 = 当期純利益 1,960,000.
PROFIT = {
    "sales": 120_000_000,
    "cost_of_sales": 84_000_000,
    "sga": 30_500_000,
    "non_operating_income": 800_000,
    "non_operating_expenses": 2_300_000,
    "extraordinary_income": 0,
    "extraordinary_loss": 1_200_000,
    "income_taxes": 840_000,
}
PROFIT_CHAIN = ProfitChain(36_000_000, 5_500_000, 4_000_000, 2_800_000, 1_960_000)

#: An operating loss turned round by a one-off gain. 50,000,000 − 41,000,000 = 9,000,000;
#: − 12,000,000 = −3,000,000; + 500,000 − 1,500,000 = −4,000,000; + 債務免除益 6,000,000
#: − 500,000 = 1,500,000; − 均等割 70,000 = 1,430,000.
LOSS = {
    "sales": 50_000_000,
    "cost_of_sales": 41_000_000,
    "sga": 12_000_000,
    "non_operating_income": 500_000,
    "non_operating_expenses": 1_500_000,
    "extraordinary_income": 6_000_000,
    "extraordinary_loss": 500_000,
    "income_taxes": 70_000,
}
LOSS_CHAIN = ProfitChain(9_000_000, -3_000_000, -4_000_000, 1_500_000, 1_430_000)

#: 現預金 15,000,000 + 売上債権 20,000,000 + 棚卸資産 12,000,000 + その他流動 3,000,000
#: + 固定資産 50,000,000 = 資産 100,000,000; 仕入債務 10,000,000 + 有利子負債 70,000,000
#: + その他負債 5,000,000 = 負債 85,000,000; 純資産 15,000,000.
SOUND = {
    "cash": 15_000_000,
    "receivables": 20_000_000,
    "inventory": 12_000_000,
    "other_current_assets": 3_000_000,
    "fixed_assets": 50_000_000,
    "payables": 10_000_000,
    "interest_bearing_debt": 70_000_000,
    "other_liabilities": 5_000_000,
}
SOUND_TOTALS = BalanceTotals(100_000_000, 85_000_000, 15_000_000)

#: 債務超過: 2,000,000 + 5,000,000 + 3,000,000 + 0 + 20,000,000 = 30,000,000;
#: 4,000,000 + 35,000,000 + 1,000,000 = 40,000,000; 純資産 −10,000,000.
INSOLVENT = {
    "cash": 2_000_000,
    "receivables": 5_000_000,
    "inventory": 3_000_000,
    "other_current_assets": 0,
    "fixed_assets": 20_000_000,
    "payables": 4_000_000,
    "interest_bearing_debt": 35_000_000,
    "other_liabilities": 1_000_000,
}
INSOLVENT_TOTALS = BalanceTotals(30_000_000, 40_000_000, -10_000_000)


@pytest.mark.parametrize(("lines", "expected"), [(PROFIT, PROFIT_CHAIN), (LOSS, LOSS_CHAIN)], ids=["profit", "loss"])
def test_profit_chain_worked_by_hand(lines: dict[str, int], expected: ProfitChain) -> None:
    assert profit_chain(**lines) == expected
    without_tax = {k: v for k, v in lines.items() if k != "income_taxes"}
    assert pretax_income(**without_tax) == expected.pretax_income


@pytest.mark.parametrize(
    ("lines", "expected"), [(SOUND, SOUND_TOTALS), (INSOLVENT, INSOLVENT_TOTALS)], ids=["sound", "insolvent"]
)
def test_balance_totals_worked_by_hand(lines: dict[str, int], expected: BalanceTotals) -> None:
    assert balance_totals(**lines) == expected


def test_the_model_readers_take_the_same_lines() -> None:
    pl = ActualPL(**PROFIT, interest_expense=1_900_000, depreciation=3_000_000)  # memo lines: no effect
    assert actual_profit_chain(pl) == PROFIT_CHAIN
    bs = ActualBS(**INSOLVENT, stated_net_assets=123)  # the stated figure is only checked elsewhere
    assert actual_balance_totals(bs) == INSOLVENT_TOTALS


def test_the_statement_records_store_these_subtotals() -> None:
    pl = make_pl(120_000_000, 84_000_000, 30_500_000, 800_000, 2_300_000, 1_900_000, 0, 1_200_000, 840_000, 3_000_000)
    assert (pl.gross_profit, pl.operating_profit, pl.ordinary_profit, pl.pretax_income, pl.net_income) == PROFIT_CHAIN
    assert pl.interest_expense == 1_900_000 and pl.depreciation == 3_000_000
    bs = make_bs(*SOUND.values(), None, -4_000_000)
    assert (bs.total_assets, bs.total_liabilities, bs.net_assets) == SOUND_TOTALS
    assert bs.adjusted_net_assets == 11_000_000  # 15,000,000 − 4,000,000 of 実態BS write-downs
    rolled = make_bs(*SOUND.values(), 14_000_000)  # a plan year's rolled-forward net assets are kept
    assert rolled.net_assets == 14_000_000 and rolled.total_assets == 100_000_000


# --------------------------------------------------------------------------- actual_subtotals (the editor's preview)


def year(pl: dict[str, Any] | None = None, bs: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"period": "2025-03", **more}
    if pl is not None:
        out["pl"] = pl
    if bs is not None:
        out["bs"] = bs
    return out


def test_actual_subtotals_of_a_whole_year() -> None:
    adjustments = [
        {"item": "不良在庫", "line": "inventory", "amount": -3_000_000, "reason": "滞留在庫"},
        {"item": "未払退職金", "line": "other_liabilities", "amount": 2_500_000, "reason": "簿外債務"},
    ]
    # 実態純資産 = 15,000,000 − 3,000,000 (asset down) − 2,500,000 (liability up) = 9,500,000
    assert actual_subtotals(year(PROFIT, SOUND, adjustments=adjustments)) == {
        "gross_profit": 36_000_000,
        "operating_profit": 5_500_000,
        "ordinary_profit": 4_000_000,
        "net_income": 1_960_000,
        "total_assets": 100_000_000,
        "net_assets": 15_000_000,
        "adjusted_net_assets": 9_500_000,
    }


def test_actual_subtotals_counts_absent_optional_lines_as_zero() -> None:
    # 10,000,000 − 6,000,000 − 3,000,000 = 1,000,000 at every level; cash and fixed assets only
    pl = {"sales": 10_000_000, "cost_of_sales": 6_000_000, "sga": 3_000_000}
    bs = {"cash": 4_000_000, "fixed_assets": 6_000_000, "interest_bearing_debt": 7_000_000}
    assert actual_subtotals(year(pl, bs)) == {
        "gross_profit": 4_000_000,
        "operating_profit": 1_000_000,
        "ordinary_profit": 1_000_000,
        "net_income": 1_000_000,
        "total_assets": 10_000_000,
        "net_assets": 3_000_000,
    }


@pytest.mark.parametrize(
    "pl",
    [
        {"cost_of_sales": 6_000_000, "sga": 3_000_000},  # sales missing
        {"sales": "10,000,000", "cost_of_sales": 6_000_000, "sga": 3_000_000},  # not parsed yet
        {"sales": 10_000_000, "cost_of_sales": 6_000_000, "sga": 3_000_000, "income_taxes": None},
        {"sales": 10_000_000, "cost_of_sales": 6_000_000, "sga": 3_000_000, "extraordinary_loss": 1.5},
        {"sales": True, "cost_of_sales": 6_000_000, "sga": 3_000_000},
    ],
)
def test_actual_subtotals_leaves_out_the_profit_chain_when_a_figure_is_not_a_whole_number(pl: dict[str, Any]) -> None:
    out = actual_subtotals(year(pl, SOUND))
    assert set(out) == {"total_assets", "net_assets"}


def test_actual_subtotals_balance_sheet_cases() -> None:
    assert "total_assets" not in actual_subtotals(year(PROFIT, {}))  # an empty sheet shows nothing
    assert "total_assets" not in actual_subtotals(year(PROFIT))
    assert set(actual_subtotals(year(PROFIT, {**SOUND, "cash": "x"}))) == set(PROFIT_CHAIN._fields) - {"pretax_income"}
    bad_line = [{"item": "?", "line": "goodwill", "amount": 1, "reason": "?"}]
    bad_amount = [{"item": "?", "line": "cash", "amount": "1", "reason": "?"}]
    not_a_row = ["cash"]
    for adjustments in (bad_line, bad_amount, not_a_row, []):
        out = actual_subtotals(year(PROFIT, SOUND, adjustments=adjustments))
        assert out["net_assets"] == 15_000_000 and "adjusted_net_assets" not in out
    assert actual_subtotals(None) == {} and actual_subtotals({"pl": [], "bs": 3}) == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_actual_subtotals_agree_with_the_filed_figures_and_the_engine(path: Path) -> None:
    """The examples carry their statements' own subtotals as filed (ordinary_profit, net_income,
    net_assets…): the preview must show those, and what the engine puts in its actual years."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    projection = project(load_plan(path))
    checked = 0
    for raw, result in zip(data["actuals"], projection.actual_years, strict=True):
        out = actual_subtotals(raw)
        for key in ("gross_profit", "operating_profit", "ordinary_profit", "net_income"):
            if key in raw["pl"]:
                assert out[key] == raw["pl"][key], (path.name, raw["period"], key)
                checked += 1
            assert out[key] == getattr(result.pl, key)
        if "bs" in raw:
            assert result.bs is not None
            if "net_assets" in raw["bs"]:
                assert out["net_assets"] == raw["bs"]["net_assets"]
                checked += 1
            assert (out["total_assets"], out["net_assets"]) == (result.bs.total_assets, result.bs.net_assets)
            assert out.get("adjusted_net_assets", result.bs.adjusted_net_assets) == result.bs.adjusted_net_assets
    assert checked, "the example states no subtotal to compare with"


# --------------------------------------------------------------------------- properties

YEN = st.integers(-(10**15), 10**15)
AMOUNT = st.integers(0, 10**15)
PL_KEYS = tuple(PROFIT)
BS_KEYS = tuple(SOUND)


@given(st.fixed_dictionaries(dict.fromkeys(PL_KEYS, AMOUNT)))
def test_net_income_is_the_signed_sum_of_every_line(lines: dict[str, int]) -> None:
    chain = profit_chain(**lines)
    incomes = lines["sales"] + lines["non_operating_income"] + lines["extraordinary_income"]
    charges = (
        lines["cost_of_sales"]
        + lines["sga"]
        + lines["non_operating_expenses"]
        + lines["extraordinary_loss"]
        + lines["income_taxes"]
    )
    assert chain.net_income == incomes - charges
    assert chain.gross_profit == lines["sales"] - lines["cost_of_sales"]
    assert all(isinstance(v, int) for v in chain) and type(chain) is ProfitChain


@given(st.fixed_dictionaries(dict.fromkeys(PL_KEYS, AMOUNT)), st.sampled_from(PL_KEYS), st.integers(1, 10**12))
def test_one_more_yen_of_a_line_moves_the_subtotals_below_it_only(lines: dict[str, int], key: str, more: int) -> None:
    """A line enters the chain at one level: subtotals above it stay, those from it down move
    by the amount, up for an income and down for a charge."""
    before = profit_chain(**lines)
    after = profit_chain(**{**lines, key: lines[key] + more})
    level = {
        "sales": 0,
        "cost_of_sales": 0,
        "sga": 1,
        "non_operating_income": 2,
        "non_operating_expenses": 2,
        "extraordinary_income": 3,
        "extraordinary_loss": 3,
        "income_taxes": 4,
    }[key]
    sign = 1 if key in {"sales", "non_operating_income", "extraordinary_income"} else -1
    for k, (old, new) in enumerate(zip(before, after, strict=True)):
        assert new - old == (sign * more if k >= level else 0), (key, ProfitChain._fields[k])


@given(st.fixed_dictionaries(dict.fromkeys(PL_KEYS, YEN)))
def test_pretax_income_does_not_depend_on_the_tax(lines: dict[str, int]) -> None:
    chain = profit_chain(**lines)
    assert pretax_income(**{k: v for k, v in lines.items() if k != "income_taxes"}) == chain.pretax_income
    assert chain.pretax_income - chain.net_income == lines["income_taxes"]


@given(st.fixed_dictionaries(dict.fromkeys(BS_KEYS, YEN)))
def test_assets_equal_liabilities_plus_net_assets(lines: dict[str, int]) -> None:
    totals = balance_totals(**lines)
    assert type(totals) is BalanceTotals
    assert totals.total_assets == totals.total_liabilities + totals.net_assets
    assert totals.total_assets == sum(lines[k] for k in BS_KEYS[:5])
    assert totals.total_liabilities == sum(lines[k] for k in BS_KEYS[5:])
    bs = make_bs(*(lines[k] for k in BS_KEYS), None, 0)
    assert bs.total_assets == bs.total_liabilities + bs.net_assets == bs.total_liabilities + bs.adjusted_net_assets


@given(
    st.fixed_dictionaries(dict.fromkeys(BS_KEYS, AMOUNT)),
    st.lists(st.tuples(st.sampled_from(BS_KEYS), YEN), max_size=5),
)
def test_the_adjusted_sheet_balances_too(lines: dict[str, int], adjustments: list[tuple[str, int]]) -> None:
    """実態純資産 from the preview = the totals of the sheet with every adjustment applied."""
    rows = [{"item": "x", "line": line, "amount": amount, "reason": "x"} for line, amount in adjustments]
    out = actual_subtotals({"pl": {}, "bs": lines, "adjustments": rows})
    adjusted = dict(lines)
    for line, amount in adjustments:
        adjusted[line] += amount
    totals = balance_totals(**adjusted)
    assert out.get("adjusted_net_assets", out["net_assets"]) == totals.total_assets - totals.total_liabilities
    assert ("adjusted_net_assets" in out) == bool(adjustments)
