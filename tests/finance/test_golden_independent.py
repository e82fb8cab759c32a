"""The 405 example's golden projection, checked against an independent recomputation.

Why: tests/data/plans/405-manufacturer.projection.json was captured from the engine, so on its
own it only proves the engine still gives what it gave once. This test works the key figures
again from the plan file's inputs (read with plain `yaml.safe_load`, not `keiei.plan`) using
nothing but Decimal arithmetic written here, following the method in docs/engine.md — no
function of `keiei.finance` is called. Where the two disagree, the golden file (and the engine)
is wrong or the documented method is: investigate, never copy the engine's figure here.

Recomputed: every year's PL chain (sales by segment, cost of sales, gross profit, SG&A,
operating, interest, ordinary, taxes with the loss carry-forward, net income, depreciation);
the plan years' working capital, cash flow, repayment capacity, the rescheduled repayment and
its negotiated split among banks (信用残高プロラタ within each bank), interest-bearing debt, cash, fixed assets, net
assets and 実態純資産; and 債務償還年数, 正常運転資金, 営業利益率 and 自己資本比率 for every year.
Not recomputed here (still pinned by the golden file only): break-even sales, the contractual
(no-rescheduling) tables, the monthly cash table.
"""

from __future__ import annotations

import json
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[2]
PLAN = ROOT / "examples" / "405-manufacturer.yaml"
GOLDEN = ROOT / "tests" / "data" / "plans" / "405-manufacturer.projection.json"


def yen(x: Decimal) -> int:
    """Whole yen, half up (the plan's `settings.rounding: half_up`)."""
    return int(x.quantize(Decimal(1), ROUND_HALF_UP))


def dec(x: object) -> Decimal:
    return Decimal(str(x))


def ratio4(x: Decimal) -> Decimal:
    """A ratio as the golden file holds it: 4 decimals, half up."""
    return x.quantize(Decimal("0.0001"), ROUND_HALF_UP)


def per_year(value: Any, t: int) -> Decimal:
    """A driver that is either one value for all years or a list by plan year (t from 1)."""
    return dec(value[t - 1] if isinstance(value, list) else value)


def split(total: int, weights: list[Decimal]) -> list[int]:
    """Largest-remainder apportionment: floors of the exact shares, leftover yen to the largest
    remainders (earlier entry first on a tie), so the parts add up to `total`."""
    whole = sum(weights)
    exact = [Decimal(total) * w / whole for w in weights]
    parts = [int(e.to_integral_value(ROUND_FLOOR)) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def capped_split(total: int, weights: list[Decimal], caps: list[int]) -> list[int]:
    """`split`, no part above its cap: a full party's excess is split again among the others by
    their weights (docs/engine.md, "Caps"); here every part must find room."""
    parts = [0] * len(weights)
    active = [i for i, (w, c) in enumerate(zip(weights, caps, strict=True)) if w > 0 and c > 0]
    remaining = total
    while remaining > 0 and active:
        shares = split(remaining, [weights[i] for i in active])
        remaining = 0
        still = []
        for i, share in zip(active, shares, strict=True):
            take = min(share, caps[i] - parts[i])
            parts[i] += take
            remaining += share - take
            if parts[i] < caps[i]:
                still.append(i)
        active = still
    assert remaining == 0
    return parts


def recompute() -> dict[str, Any]:
    """The example's figures by hand-written arithmetic, keyed like the golden file."""
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    drivers, actuals = plan["drivers"], plan["actuals"]
    out: dict[str, Any] = {"years": {}, "banks": {}, "loans": {}}

    # --- Actual years: the subtotals of the statements and the adjusted (実態) BS --------------
    for a in actuals:
        pl, bs = a["pl"], a["bs"]
        gross = pl["sales"] - pl["cost_of_sales"]
        operating = gross - pl["sga"]
        ordinary = operating + pl["non_operating_income"] - pl["non_operating_expenses"]
        pretax = ordinary + pl.get("extraordinary_income", 0) - pl.get("extraordinary_loss", 0)
        net = pretax - pl["income_taxes"]
        assets = bs["cash"] + bs["receivables"] + bs["inventory"] + bs["other_current_assets"] + bs["fixed_assets"]
        liabilities = bs["payables"] + bs["interest_bearing_debt"] + bs["other_liabilities"]
        out["years"][a["period"]] = {
            "pl": {
                "sales": pl["sales"],
                "gross_profit": gross,
                "operating_profit": operating,
                "ordinary_profit": ordinary,
                "pretax_income": pretax,
                "income_taxes": pl["income_taxes"],
                "net_income": net,
                "depreciation": pl["depreciation"],
            },
            "bs": {
                "total_assets": assets,
                "total_liabilities": liabilities,
                "net_assets": assets - liabilities,
                "interest_bearing_debt": bs["interest_bearing_debt"],
                "cash": bs["cash"],
            },
            "nwc": bs["receivables"] + bs["inventory"] - bs["payables"],
        }
    base = actuals[-1]
    # An adjustment on an asset line changes 実態純資産 by its amount; on a liability line, by minus it.
    liability_lines = {"payables", "interest_bearing_debt", "other_liabilities"}
    adjustment = sum(-x["amount"] if x["line"] in liability_lines else x["amount"] for x in base["adjustments"])
    assert adjustment == -36_000_000  # -4.8 -11.5 -38 +2.3 (assets) -14 +30 (liabilities), in millions
    base_year = out["years"][base["period"]]
    base_year["bs"]["adjusted_net_assets"] = base_year["bs"]["net_assets"] + adjustment

    # --- Plan years ----------------------------------------------------------------------------
    segments = {s["name"]: s for s in drivers["sales"]["segments"]}
    path = {name: dec(base["segments"][name]) for name in segments}  # un-rounded growth paths
    effects = [e | {"measure": m["measure"]} for m in plan["action_plan"] for e in m.get("effects", [])]
    tax = drivers["tax"]
    carry = tax["loss_carryforward"]
    reschedule = plan["financial_support"]["rescheduling"]
    min_cash = reschedule["minimum_cash"]
    other_debt = -sum(x["amount"] for x in base["adjustments"] if x["line"] == "interest_bearing_debt")
    assert other_debt == 30_000_000  # the representative's loan: not a bank loan, rate 0, not repaid

    # Loans: existing ones are rescheduled; the new loan (drawn at the start of its year) pays its
    # contractual installment, amount ÷ term, from its first year (no grace years in the file).
    loans: list[dict[str, Any]] = []
    for bank in plan["banks"]:
        for loan in bank["loans"]:
            loans.append(
                {
                    "bank": bank["name"],
                    "name": loan["name"],
                    "balance": loan["balance"],
                    "rate": dec(loan["rate"]),
                    "uncovered": loan["balance"] - loan.get("covered", 0),
                    "installment": loan["monthly_repayment"] * 12,
                    "rescheduled": True,
                    "draw": None,
                }
            )
        for loan in bank.get("new_loans", []):
            loans.append(
                {
                    "bank": bank["name"],
                    "name": loan["name"],
                    "balance": 0,
                    "rate": dec(loan["rate"]),
                    "uncovered": 0,
                    "rescheduled": False,
                    "draw": (loan["year"], loan["amount"], yen(dec(loan["amount"]) / loan["term_years"])),
                }
            )
    banks = [b["name"] for b in plan["banks"]]
    # 信用残高プロラタ: each bank's weight is its rescheduled loans' uncovered balance at the base date.
    weights = [Decimal(sum(x["uncovered"] for x in loans if x["bank"] == b and x["rescheduled"])) for b in banks]
    assert weights == [59_000_000, 69_000_000, 30_000_000]  # (120-96)+(95-60); 65+(20-16); 55-25
    # The banks agreed shares by negotiation (35 : 45 : 20): between banks those weigh, within
    # a bank the loans still split by uncovered balance (the plan's basis).
    agreed = plan["financial_support"]["rescheduling"]["shares"]
    assert agreed == {"大阪中央銀行": 0.35, "なにわ銀行": 0.45, "東大阪信用金庫": 0.20}
    weights = [dec(agreed[b]) for b in banks]

    prev = {
        "sales": base["pl"]["sales"],
        "receivables": base["bs"]["receivables"],
        "inventory": base["bs"]["inventory"],
        "payables": base["bs"]["payables"],
        "cash": base["bs"]["cash"],
        "fixed": base["bs"]["fixed_assets"],
        "net_assets": base["bs"]["net_assets"],
    }
    year, month = map(int, base["period"].split("-"))
    for t in range(1, drivers["years"] + 1):
        period = f"{year + t}-{month:02d}"

        # 1. Sales: each segment's path grows; effects apply on top (ratio, then amount); rounded once.
        by_segment = {}
        for name, seg in segments.items():
            path[name] *= 1 + per_year(seg["growth"], t)
            mine = [e for e in effects if e["line"] == "sales" and e.get("segment") == name and t >= e["from_year"]]
            value = path[name] * (1 + sum(dec(e.get("ratio", 0)) for e in mine)) + sum(e.get("amount", 0) for e in mine)
            by_segment[name] = yen(value)
        sales = sum(by_segment.values())

        # 2. Cost of sales: variable ratio (+ ratio effects) × sales + fixed (+ amount effects).
        cos_effects = [e for e in effects if e["line"] == "cost_of_sales" and t >= e["from_year"]]
        cos_ratio = dec(drivers["cost_of_sales"]["ratio"]) + sum(dec(e.get("ratio", 0)) for e in cos_effects)
        variable_cos = yen(sales * cos_ratio)
        cost_of_sales = variable_cos + drivers["cost_of_sales"]["fixed"] + sum(e.get("amount", 0) for e in cos_effects)

        # 3. Depreciation: existing + each capex straight-line from its year (full first year).
        depreciation = int(per_year(drivers["depreciation"]["existing"], t))
        capex_items = drivers["capex"]
        for c in capex_items:
            if c["year"] <= t < c["year"] + c["useful_life"]:
                depreciation += yen(dec(c["amount"]) / c["useful_life"])  # all divide exactly here
        capex = sum(c["amount"] for c in capex_items if c["year"] == t)
        maintenance = sum(c["amount"] for c in capex_items if c["year"] == t and c["purpose"] == "maintenance")

        # SG&A: variable accounts on sales, fixed/personnel amounts with their effects, + depreciation.
        sga = depreciation
        for item in drivers["sga"]:
            if item["kind"] == "variable":
                sga += yen(sales * dec(item["ratio"]))
            else:
                sga += int(per_year(item["amount"], t)) + sum(
                    e["amount"]
                    for e in effects
                    if e["line"] == "sga" and e["item"] == item["name"] and t >= e["from_year"]
                )

        # 4. Loans at the start of the year; interest = opening balance × rate, rounded per loan.
        borrowing = 0
        for x in loans:
            if x["draw"] and x["draw"][0] == t:
                x["balance"] += x["draw"][1]
                borrowing += x["draw"][1]
        interest = sum(yen(x["balance"] * x["rate"]) for x in loans)  # other debt: rate 0

        # 5. Profits.
        gross = sales - cost_of_sales
        operating = gross - sga
        ordinary = operating + drivers["non_operating_income"] - drivers["non_operating_expenses"] - interest
        pretax = ordinary  # no extraordinary items in the plan years

        # 6. Tax: a loss adds to the carry-forward; a profit uses it (100 %, 中小法人) first, then
        #    reduced_rate on the first reduced_limit yen and rate above, plus 均等割.
        if pretax <= 0:
            carry += -pretax
            taxes = tax["per_capita"]
        else:
            used = min(carry, pretax)
            carry -= used
            taxed = pretax - used
            low = min(taxed, tax["reduced_limit"])
            taxes = yen(low * dec(tax["reduced_rate"]) + (taxed - low) * dec(tax["rate"])) + tax["per_capita"]
        net = pretax - taxes

        # 7. Working capital: months of the basis ÷ 12 (other current assets/liabilities unchanged).
        wc = drivers["working_capital"]
        receivables = yen(sales * per_year(wc["receivables"]["months"], t) / 12)
        inventory = yen(cost_of_sales * per_year(wc["inventory"]["months"], t) / 12)
        payables = yen(cost_of_sales * per_year(wc["payables"]["months"], t) / 12)

        # 8. Cash flow from operations and investing.
        operating_cf = (
            net
            + depreciation
            - (receivables - prev["receivables"])
            - (inventory - prev["inventory"])
            + (payables - prev["payables"])
        )

        # 9. Repayments. Contractual ones (the new loan) come first; the rescheduled loans share
        #    what is left of the capacity, keeping the minimum cash.
        scheduled = 0
        for x in loans:
            if not x["rescheduled"] and x["draw"] and t >= x["draw"][0]:
                pay = min(x["draw"][2], x["balance"])
                x["balance"] -= pay
                scheduled += pay
        capacity = net + depreciation - maintenance  # capacity_share 1.0, no non-cash items
        cash_before = prev["cash"] + operating_cf - capex + borrowing
        repaid = max(0, min(capacity - scheduled, cash_before - scheduled - min_cash))
        assert repaid < 66_000_000  # Σ yearly installments of the rescheduled loans: the cap never binds
        # Caps per loan (its installment, at most its balance) and so per bank; within a bank
        # by the same basis as between banks (uncovered balance at the base date).
        caps = {id(x): min(x["balance"], x["installment"]) for x in loans if x["rescheduled"]}
        bank_caps = [sum(caps[id(x)] for x in loans if x["bank"] == b and x["rescheduled"]) for b in banks]
        for bank, bank_part in zip(banks, capped_split(repaid, weights, bank_caps), strict=True):
            mine = [x for x in loans if x["bank"] == bank and x["rescheduled"]]
            loan_weights = [Decimal(x["uncovered"]) for x in mine]
            loan_caps = [caps[id(x)] for x in mine]
            for x, part in zip(mine, capped_split(bank_part, loan_weights, loan_caps), strict=True):
                x["balance"] -= part
                out["loans"].setdefault((bank, x["name"]), {})[period] = part
            out["banks"].setdefault(bank, {})[period] = bank_part + sum(
                (x["draw"][2] if x["draw"] and t >= x["draw"][0] else 0)
                for x in loans
                if x["bank"] == bank and not x["rescheduled"]
            )
        financing = borrowing - scheduled - repaid
        cash = cash_before - scheduled - repaid
        assert cash == prev["cash"] + operating_cf - capex + financing

        fixed = prev["fixed"] + capex - depreciation
        net_assets = prev["net_assets"] + net
        debt = sum(x["balance"] for x in loans) + other_debt
        other_ca, other_li = base["bs"]["other_current_assets"], base["bs"]["other_liabilities"]
        total_assets = cash + receivables + inventory + other_ca + fixed
        assert total_assets == payables + debt + other_li + net_assets, period  # the BS balances

        out["years"][period] = {
            "pl": {
                "sales": sales,
                "cost_of_sales": cost_of_sales,
                "gross_profit": gross,
                "sga": sga,
                "operating_profit": operating,
                "interest_expense": interest,
                "ordinary_profit": ordinary,
                "pretax_income": pretax,
                "income_taxes": taxes,
                "net_income": net,
                "depreciation": depreciation,
            },
            "bs": {
                "cash": cash,
                "receivables": receivables,
                "inventory": inventory,
                "payables": payables,
                "fixed_assets": fixed,
                "interest_bearing_debt": debt,
                "total_assets": total_assets,
                "net_assets": net_assets,
                "adjusted_net_assets": net_assets + adjustment,
            },
            "cf": {
                "operating": operating_cf,
                "investing": -capex,
                "financing": financing,
                "cash_end": cash,
                "borrowing": borrowing,
                "repayment": scheduled + repaid,
            },
            "details": {
                "sales_by_segment": by_segment,
                "loss_carryforward": carry,
                "repayment_capacity": capacity,
                "rescheduled_repayment": repaid,
                "scheduled_repayment": scheduled,
            },
            "nwc": receivables + inventory - payables,
        }
        prev = {
            "sales": sales,
            "receivables": receivables,
            "inventory": inventory,
            "payables": payables,
            "cash": cash,
            "fixed": fixed,
            "net_assets": net_assets,
        }
    return out


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def mine() -> dict[str, Any]:
    with localcontext() as ctx:
        ctx.prec = 60  # exact products of yen and ratios, as the method requires
        return recompute()


def test_every_year_is_recomputed(golden: dict[str, Any], mine: dict[str, Any]) -> None:
    assert [y["period"] for y in golden["years"]] == list(mine["years"])
    assert [y["period"] for y in golden["years"] if y["kind"] == "plan"] == [
        "2026-03",
        "2027-03",
        "2028-03",
        "2029-03",
        "2030-03",
    ]


@pytest.mark.parametrize("section", ["pl", "bs", "cf", "details"])
def test_statement_figures_agree(section: str, golden: dict[str, Any], mine: dict[str, Any]) -> None:
    for year in golden["years"]:
        expected = mine["years"][year["period"]].get(section)
        if expected is None:
            continue
        held = {k: year[section][k] for k in expected}
        assert held == expected, f"{year['period']} {section}"


def test_indicators_agree(golden: dict[str, Any], mine: dict[str, Any]) -> None:
    """債務償還年数 (ordinary) = (有利子負債 − 正常運転資金) ÷ (経常利益 + 減価償却費 − 法人税等);
    営業利益率 = 営業利益 ÷ 売上高; 自己資本比率 = 純資産 ÷ 総資産 (book)."""
    for year in golden["years"]:
        m = mine["years"][year["period"]]
        pl, bs, held = m["pl"], m["bs"], year["indicators"]
        assert held["normal_working_capital"] == m["nwc"]
        cash_flow = pl["ordinary_profit"] + pl["depreciation"] - pl["income_taxes"]
        assert cash_flow > 0
        years = ratio4(Decimal(max(bs["interest_bearing_debt"] - m["nwc"], 0)) / cash_flow)
        assert dec(held["debt_repayment_years"]) == years, year["period"]
        assert dec(held["operating_margin"]) == ratio4(Decimal(pl["operating_profit"]) / pl["sales"])
        assert dec(held["equity_ratio"]) == ratio4(Decimal(bs["net_assets"]) / bs["total_assets"])
        assert held["simple_cash_flow"] == pl["net_income"] + pl["depreciation"]


def test_bank_repayments_agree(golden: dict[str, Any], mine: dict[str, Any]) -> None:
    """Per bank and per loan (names repeat across banks): the negotiated split of each
    year's repayment between banks, capped per loan at its installment; within a bank by the same basis."""
    for bank in golden["banks"]:
        assert bank["repayment"] == mine["banks"][bank["name"]], bank["name"]
        for loan in bank["loans"]:
            if loan["rescheduled"]:
                assert loan["repayment"] == mine["loans"][bank["name"], loan["name"]], loan["name"]


def test_hand_worked_first_plan_year(golden: dict[str, Any]) -> None:
    """Plan year 1 (2026-03) by hand, so a reader can follow the chain without the code above.

    Sales: 自動車部品 318,000,000 × 0.98 × 1.03 (price revision) = 320,989,200;
      産業機械部品 151,000,000 × 1.04 = 157,040,000; 試作 52,000,000 × 1.08 = 56,160,000;
      total 534,189,200.
    Cost of sales: 534,189,200 × 0.505 = 269,765,546 + 161,000,000 − 4,000,000 (overtime) = 426,765,546.
    SG&A: 荷造運賃 534,189,200 × 0.022 = 11,752,162.4 → 11,752,162; 役員報酬 14,400,000 − 3,600,000;
      28,000,000 + 6,200,000 + 7,800,000 + 3,600,000 + 2,400,000 + 3,100,000 + 2,800,000 + 12,500,000;
      depreciation 19,500,000 + 4,000,000 ÷ 5 = 20,300,000 → 109,252,162.
    Interest: 120M×1.2% + 95M×1.6% + 65M×1.9% + 20M×1.4% + 55M×2.1%
      = 1,440,000 + 1,520,000 + 1,235,000 + 280,000 + 1,155,000 = 5,630,000.
    Ordinary: 107,423,654 − 109,252,162 + 2,400,000 − 500,000 − 5,630,000 = −5,558,508 (a loss:
      tax is 均等割 70,000 only; the carry-forward grows to 70,558,508).
    Cash: 38,500,000 + operating CF 15,180,426 − capex 4,000,000 = 49,680,426 before repayment;
      keeping 40,000,000 leaves 9,680,426 (< capacity −5,628,508 + 20,300,000 − 4,000,000 = 10,671,492).
    債務償還年数: (375,319,574 − 101,491,066) ÷ (−5,558,508 + 20,300,000 − 70,000) = 18.6640.
    """
    year = next(y for y in golden["years"] if y["period"] == "2026-03")
    assert year["pl"]["sales"] == 534_189_200
    assert year["pl"]["cost_of_sales"] == 426_765_546
    assert year["pl"]["sga"] == 109_252_162
    assert year["pl"]["interest_expense"] == 5_630_000
    assert year["pl"]["ordinary_profit"] == -5_558_508
    assert year["pl"]["net_income"] == -5_628_508
    assert year["details"]["loss_carryforward"] == 70_558_508
    assert year["cf"]["repayment"] == 9_680_426
    assert year["bs"]["cash"] == 40_000_000
    assert year["bs"]["interest_bearing_debt"] == 385_000_000 - 9_680_426
    assert year["indicators"]["debt_repayment_years"] == 18.664


def test_hand_worked_tax_in_the_last_year(golden: dict[str, Any]) -> None:
    """2030-03: pre-tax 35,193,492; carry-forward 9,476,960 used in full → taxed 25,716,532;
    8,000,000 × 25% = 2,000,000; 17,716,532 × 33.5% = 5,935,038.22 → 5,935,038; + 均等割 70,000
    = 8,005,038. (With 信用残高プロラタ shares instead of the negotiated 35 : 45 : 20: pre-tax
    35,183,265, tax 7,997,480 — the shares move repayment, so interest and profit move.)"""
    year = next(y for y in golden["years"] if y["period"] == "2030-03")
    assert year["pl"]["pretax_income"] == 35_193_492
    assert year["pl"]["income_taxes"] == 8_005_038
    assert year["details"]["loss_carryforward"] == 0
