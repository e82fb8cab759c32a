"""The 中小版GL figures computed from a plan and its projection: each lender's recovery under
liquidation against its recovery under the plan (清算価値保障), and the tax-loss balance by year.

Why here and not in the engine: neither figure moves the projection, and the engine runs
thousands of times per plan; these run once per check, read only the finished projection and
the plan's `guideline` block, and give the criteria (`keiei.criteria.guideline`), the JSON and
the documents one set of numbers.

Liquidation (清算配当), at the base date:
    pool     = Σ liquidation values − Σ priority claims − Σ collateral recoveries (≥ 0)
    general  = Σ lenders' claims − Σ collateral recoveries + other general claims
    rate     = pool ÷ general (at most 1)
    lender   = its secured recovery (collateral and guarantee) + rate × (claim − secured)
A guaranteed part stays a general claim (the guarantor's, after paying the lender), so only
collateral leaves the pool. A recovery the DD report states (`stated_recovery`) replaces the
computed one. Under the plan a lender recovers, on its existing loans, every repayment of the
plan years plus the balance still owed at the end (nominal, undiscounted): the claim less
what it forgives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from keiei.finance.projection import Projection
from keiei.money import to_yen
from keiei.plan import model as m
from keiei.plan.periods import Period, period_label


@dataclass(frozen=True, slots=True)
class LenderRecovery:
    bank: str
    claim: int
    secured: int
    liquidation: int
    liquidation_basis: str  # "computed" or "stated"
    plan_repayments: int
    plan_remaining: int
    forgiven: int

    @property
    def plan(self) -> int:
        return self.plan_repayments + self.plan_remaining

    def as_dict(self) -> dict[str, object]:
        return {
            "bank": self.bank,
            "claim": self.claim,
            "secured": self.secured,
            "liquidation": self.liquidation,
            "liquidation_basis": self.liquidation_basis,
            "plan": self.plan,
            "plan_repayments": self.plan_repayments,
            "plan_remaining": self.plan_remaining,
            "forgiven": self.forgiven,
            "meets": self.plan >= self.liquidation,
        }


@dataclass(frozen=True, slots=True)
class LiquidationResult:
    book_total: int
    liquidation_total: int
    priority_total: int
    collateral_total: int
    pool: int
    general_claims: int
    other_general_claims: int
    dividend_rate: Decimal
    lenders: tuple[LenderRecovery, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "book_total": self.book_total,
            "liquidation_total": self.liquidation_total,
            "priority_total": self.priority_total,
            "collateral_total": self.collateral_total,
            "pool": self.pool,
            "general_claims": self.general_claims,
            "other_general_claims": self.other_general_claims,
            "dividend_rate": str(self.dividend_rate.quantize(Decimal("0.0001"))),
            "lenders": [x.as_dict() for x in self.lenders],
        }


def _secured(plan: m.Plan, liq: m.Liquidation) -> list[m.SecuredRecovery]:
    if liq.secured:
        return list(liq.secured)
    out = []
    for bank in plan.banks:
        for loan in bank.loans:
            cover = min(loan.covered, loan.balance)
            if cover > 0:
                source: m.SecuredSource = "guarantee" if loan.guarantor else "collateral"
                out.append(m.SecuredRecovery(bank.name, cover, source))
    return out


def _other_general_claims(plan: m.Plan) -> int:
    base = plan.actuals[-1]
    if base.bs is None:
        return 0
    amount = base.bs.payables + base.bs.other_liabilities
    amount += sum(a.amount for a in base.adjustments if a.line in ("payables", "other_liabilities"))
    return max(0, amount)


def liquidation_result(plan: m.Plan, projection: Projection) -> LiquidationResult | None:
    """Recovery under liquidation and under the plan for every lender; None without a 清算BS."""
    liq = plan.guideline.liquidation if plan.guideline else None
    if liq is None:
        return None
    secured = _secured(plan, liq)
    claims = {b.name: b.balance for b in plan.banks}
    by_bank: dict[str, int] = {}
    for s in secured:
        by_bank[s.bank] = by_bank.get(s.bank, 0) + s.amount
    collateral = sum(s.amount for s in secured if s.source == "collateral")
    liquidation_total = sum(a.liquidation for a in liq.assets)
    priority = sum(c.amount for c in liq.priority_claims)
    pool = max(0, liquidation_total - priority - collateral)
    other = liq.other_general_claims if liq.other_general_claims is not None else _other_general_claims(plan)
    general = max(0, sum(claims.values()) - collateral) + other
    rate = min(Decimal(1), Decimal(pool) / general) if general > 0 else Decimal(0)
    stated = dict(liq.stated_recovery)
    results = {b.name: b for b in projection.banks}
    lenders = []
    for bank in plan.banks:
        claim = claims[bank.name]
        sec = min(by_bank.get(bank.name, 0), claim)
        if bank.name in stated:
            value, basis = stated[bank.name], "stated"
        else:
            value, basis = sec + to_yen(rate * (claim - sec), "truncate"), "computed"
        result = results[bank.name]
        existing = [x for x in result.loans if not x.new]
        repayments = sum(sum(x.repayment) for x in existing)
        remaining = sum(x.closing_balance[-1] for x in existing if x.closing_balance)
        forgiven = sum(sum(x.forgiven) for x in existing)
        lenders.append(LenderRecovery(bank.name, claim, sec, value, basis, repayments, remaining, forgiven))
    return LiquidationResult(
        book_total=sum(a.book for a in liq.assets),
        liquidation_total=liquidation_total,
        priority_total=priority,
        collateral_total=collateral,
        pool=pool,
        general_claims=general,
        other_general_claims=other,
        dividend_rate=rate,
        lenders=tuple(lenders),
    )


@dataclass(frozen=True, slots=True)
class TaxLossYear:
    """繰越欠損金 through one plan year: opening, used against income, added by a loss, closing."""

    period: str
    pretax_income: int
    forgiveness_gain: int
    opening: int
    used: int
    added: int
    closing: int
    income_taxes: int
    per_capita: int

    def as_dict(self) -> dict[str, object]:
        return {
            "period": self.period,
            "pretax_income": self.pretax_income,
            "forgiveness_gain": self.forgiveness_gain,
            "opening": self.opening,
            "used": self.used,
            "added": self.added,
            "closing": self.closing,
            "income_taxes": self.income_taxes,
            "per_capita": self.per_capita,
            "per_capita_only": self.income_taxes == self.per_capita,
        }


def tax_loss_table(projection: Projection) -> tuple[TaxLossYear, ...]:
    """The carry-forward by plan year, read from the engine's closing balances (never recomputed
    differently): opening = the plan's stated balance, then each year's closing."""
    tax = projection.plan.drivers.tax
    opening = tax.loss_carryforward
    out = []
    for y in projection.plan_years:
        closing = y.details.loss_carryforward if y.details is not None else opening
        gain = y.details.forgiveness if y.details is not None else 0
        out.append(
            TaxLossYear(
                period=y.period,
                pretax_income=y.pl.pretax_income,
                forgiveness_gain=gain,
                opening=opening,
                used=max(0, opening - closing),
                added=max(0, closing - opening),
                closing=closing,
                income_taxes=y.pl.income_taxes,
                per_capita=tax.per_capita,
            )
        )
        opening = closing
    return tuple(out)


def _yen_text(value: int) -> str:
    return f"{value:,}円"


def tax_loss_sentence(rows: tuple[TaxLossYear, ...], money: Callable[[int], str] = _yen_text) -> str:
    """A sentence for the page: how the year of the forgiveness gain is taxed, from the figures.

    Empty when no plan year books a forgiveness gain. `money` formats an amount with its unit
    (the criteria pass 千円 text, the documents their own unit).
    """
    parts = []
    for r in rows:
        if r.forgiveness_gain <= 0:
            continue
        head = (
            f"{period_label(Period.parse(r.period))}の債務免除益 {money(r.forgiveness_gain)}を含む税引前当期純利益 {money(r.pretax_income)}は、"
            f"期首の繰越欠損金 {money(r.opening)}のうち {money(r.used)}と相殺され"
        )
        if r.income_taxes == r.per_capita:
            parts.append(
                f"{head}、法人税等は住民税均等割 {money(r.per_capita)}のみです（期末の繰越欠損金 {money(r.closing)}）。"
            )
        else:
            parts.append(
                f"{head}、残る所得に法人税等 {money(r.income_taxes)}（均等割 {money(r.per_capita)}を含む）がかかります"
                f"（期末の繰越欠損金 {money(r.closing)}）。"
            )
    return "".join(parts)
