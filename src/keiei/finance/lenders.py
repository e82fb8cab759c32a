"""The lenders' side of a projection: each loan's state through the run, the banks' weights
(残高 / 信用残高プロラタ, negotiated shares, recomputed after a forgiveness), how a forgiveness
is charged to a bank's loans, and the per-bank and per-loan results with their schedules.

Kept apart from the yearly loop in keiei.finance.projection, which drives these pieces year by
year: the rules of fair treatment between lenders (docs/engine.md) read here in one place.
"""

from __future__ import annotations

from decimal import Decimal

from keiei.finance.allocation import prorata_capped
from keiei.finance.schedule import first_year_instalment, monthly_instalments, months_on_old_terms, terms_start
from keiei.finance.statements import BankResult, new_bank_result, new_loan_result
from keiei.money import RoundingMode
from keiei.plan import model as m
from keiei.plan.periods import Period

_ZERO = Decimal(0)


class LoanState:
    """Mutable per-loan state inside one projection run (never leaves the engine)."""

    __slots__ = (
        "amount",
        "annual",
        "bank",
        "base",
        "borrowing",
        "bullet_year",
        "c_closing",
        "c_repayment",
        "cap",
        "closing",
        "covered",
        "deferred",
        "due_from",
        "extended",
        "forgiven",
        "guarantor",
        "interest",
        "last",
        "maturity",
        "name",
        "new",
        "old_due",
        "old_terms",
        "opening",
        "rate",
        "rep",
        "repayment",
        "rescheduled",
        "schedule",
        "support",
    )

    def __init__(self, bank: int, loan: m.Loan | m.NewLoan, period_index: list[int]) -> None:
        n = len(period_index)
        self.bank = bank
        self.name = loan.name
        self.rate = loan.rate
        self.covered = loan.covered
        self.guarantor = loan.guarantor
        self.rescheduled = loan.rescheduled
        self.maturity: Period | None = None
        self.extended: Period | None = None
        self.borrowing = [0] * n
        self.forgiven = [0] * n
        self.interest = [0] * n
        self.repayment = [0] * n
        self.closing = [0] * n
        #: Interest booked but not paid (interest: deferred), per plan year.
        self.deferred = [0] * n
        self.rep = 0
        #: Repaid on the contract's terms in the first rescheduling year, before the agreement month.
        self.old_terms = 0
        #: The contract's instalments for those months (= old_terms unless they were suspended).
        self.old_due = 0
        self.cap = 0
        self.support = False
        #: First plan year (1-based) whose period contains the maturity: from then on the
        #: whole balance falls due (n + 1: never within the plan).
        self.bullet_year = n + 1
        if isinstance(loan, m.NewLoan):
            self.new = True
            self.support = loan.support
            self.opening = 0
            self.amount = loan.amount
            self.due_from = loan.year + loan.grace_years
            self.annual = loan.annual_repayment
            self.schedule: tuple[int, ...] | None = None
            self.borrowing[loan.year - 1] = loan.amount
        else:
            self.new = False
            self.opening = loan.balance
            self.amount = 0
            self.due_from = 0
            self.annual = loan.annual_repayment or 0
            self.schedule = loan.schedule
            self.maturity = loan.maturity
            self.extended = loan.extended_maturity
            if loan.maturity is not None:
                maturity = loan.maturity.index
                for i, index in enumerate(period_index):
                    if maturity <= index:
                        self.bullet_year = i + 1
                        break
        self.base = self.opening
        self.last = self.opening
        # the normal contractual case beside the plan (installments, maturity, no support)
        # depends on nothing the plan years compute, so it is laid out here at once
        self.c_repayment = [0] * n
        self.c_closing = [0] * n
        balance = self.opening
        for i in range(n):
            balance += self.borrowing[i]
            due = self.contractual(i + 1, balance, True)
            self.c_repayment[i] = due
            balance -= due
            self.c_closing[i] = balance

    def contractual(self, year: int, base: int, bullet: bool) -> int:
        """The repayment due in plan year `year` under the loan's own terms.

        An explicit schedule is taken as written (it may exceed the balance: a finding, not
        a silent cap). Installments stop when the balance is repaid; the whole balance falls
        due in the year that contains the maturity, unless the loan is under rescheduling.
        """
        if self.schedule is not None:
            return self.schedule[year - 1]
        if base <= 0:
            return 0
        if self.new:
            return 0 if year < self.due_from else min(base, self.annual)
        if bullet and year >= self.bullet_year:
            return base
        return min(base, self.annual)


def bank_weights(plan: m.Plan, resched: m.Rescheduling | None) -> tuple[list[int], str]:
    """Each bank's weight for sharing the repayment capacity at the base date.

    Weights are the bank's rescheduled loans' balances (残高プロラタ) or uncovered balances
    (信用残高プロラタ). With nothing uncovered anywhere, uncovered falls back to balance.
    Negotiated shares (exact decimals summing to 1) become integer weights by one common
    power of ten, so the split stays exact integer apportionment.
    """
    basis = resched.basis if resched is not None else "balance"
    if resched is not None and resched.shares:
        agreed = dict(resched.shares)
        places = max(-min(0, int(v.as_tuple().exponent)) for v in agreed.values())
        return [int(agreed.get(bank.name, _ZERO).scaleb(places)) for bank in plan.banks], "negotiated"

    def weigh(kind: str) -> list[int]:
        out = []
        for bank in plan.banks:
            loans = [x for x in bank.loans if x.rescheduled or resched is None]
            out.append(sum(x.balance if kind == "balance" else x.uncovered for x in loans))
        return out

    weights = weigh(basis)
    if basis == "uncovered" and sum(weights) == 0:
        return weigh("balance"), "balance"
    return weights, basis


def loan_weight(x: LoanState, basis: str, after_forgiveness: bool, i: int) -> int:
    """One loan's pro rata weight in plan year index `i`: its base-date balance (a new loan:
    the amount once drawn), less what has been forgiven on it so far when shares follow the
    forgiveness, less its cover on the uncovered basis; never below 0."""
    amount = (x.amount if any(x.borrowing[: i + 1]) else 0) if x.new else x.opening
    if after_forgiveness:
        amount -= sum(x.forgiven[: i + 1])
    if basis == "uncovered":
        amount -= x.covered
    return max(0, amount)


def forgiveness_parts(amount: int, targets: list[LoanState]) -> list[int]:
    """A forgiveness split over `targets`: their uncovered parts first (by uncovered balance),
    then their covered parts (by covered balance); any rest on the first target."""
    if len(targets) == 1:
        return [amount]
    uncovered = [max(0, x.base - x.covered) for x in targets]
    first = prorata_capped(min(amount, sum(uncovered)), uncovered, uncovered)
    rest = amount - sum(first)
    if rest > 0:
        covered = [max(0, x.base) - u for x, u in zip(targets, uncovered, strict=True)]
        second = prorata_capped(min(rest, sum(covered)), covered, covered)
        first = [a + b for a, b in zip(first, second, strict=True)]
        rest = amount - sum(first)
    if targets and rest > 0:
        first[0] += rest
    return first


def _shares(weights: list[int]) -> list[Decimal | None]:
    total = sum(weights)
    return [Decimal(w) / total if total > 0 else None for w in weights]


def bank_results(
    plan: m.Plan,
    bank_loans: list[list[LoanState]],
    weights: list[int],
    share_basis: str,
    weight_history: list[list[int]],
    redistributed: list[list[int]],
    resched: m.Rescheduling | None,
) -> tuple[BankResult, ...]:
    zeros = (0,) * plan.drivers.years
    rounding = plan.rounding
    base_shares = _shares(weights)
    # one share list per distinct weight list (they change only in forgiveness years)
    cache: dict[int, list[Decimal | None]] = {}
    yearly = []
    for w in weight_history:
        got = cache.get(id(w))
        if got is None:
            got = cache[id(w)] = _shares(w)
        yearly.append(got)
    first = yearly[resched.from_year - 1] if resched is not None and yearly else base_shares
    start = str(terms_start(plan, resched)) if resched is not None else None
    treatment = resched.interest if resched is not None else "paid"
    months_before = months_on_old_terms(plan, resched) if resched is not None else 0
    out: list[BankResult] = []
    for b, bank in enumerate(plan.banks):
        balance = covered = 0
        loan_results = []
        rows: list[tuple[tuple[int, ...], ...]] = []
        for x in bank_loans[b]:
            row = (
                tuple(x.borrowing),
                tuple(x.forgiven),
                tuple(x.interest),
                tuple(x.repayment),
                tuple(x.closing),
                tuple(x.c_repayment),
                tuple(x.c_closing),
            )
            rows.append(row)
            loan_covered = min(x.covered, x.opening) if not x.new else min(x.covered, x.amount)
            under_plan = resched is not None and x.rescheduled
            maturity = None if x.maturity is None else str(x.maturity)
            plan_rate: Decimal | None = x.rate
            if under_plan and resched is not None and treatment == "reduced":
                plan_rate = resched.reduced_rate
            loan_results.append(
                new_loan_result(
                    x.name,
                    x.new,
                    x.rescheduled,
                    x.support,
                    x.opening,
                    loan_covered,
                    x.rate,
                    x.guarantor,
                    *row,
                    maturity,
                    str(x.extended) if x.extended is not None else maturity,
                    start if under_plan else None,
                    treatment if under_plan else "paid",
                    plan_rate,
                    _instalments(x, resched, months_before, rounding) if any(x.repayment) else zeros,
                    tuple(x.deferred),
                )
            )
            if not x.new:
                balance += x.opening
                covered += loan_covered
        if len(rows) == 1:
            columns = rows[0]
        elif rows:
            # column k of the bank = Σ over its loans of column k, year by year
            columns = tuple(tuple(map(sum, zip(*column, strict=True))) for column in zip(*rows, strict=True))
        else:
            columns = (zeros,) * 7
        out.append(
            new_bank_result(
                bank.name,
                bank.main,
                balance,
                covered,
                balance - covered,
                first[b],
                share_basis,
                tuple(loan_results),
                *columns,
                base_shares[b],
                tuple(shares[b] for shares in yearly),
                tuple(redistributed[b]),
            )
        )
    return tuple(out)


def _instalments(
    x: LoanState, resched: m.Rescheduling | None, months_before: int, rounding: RoundingMode
) -> tuple[int, ...]:
    """The loan's monthly instalment per plan year; in the first rescheduling year, when the
    agreement falls after its first month, the new terms' instalment over the months left."""
    out = monthly_instalments(x.repayment, rounding)
    if resched is None or not x.rescheduled or not months_before:
        return out
    k = resched.from_year - 1
    if not 0 <= k < len(out):
        return out
    first = first_year_instalment(x.repayment[k], x.old_terms, months_before, rounding)
    return (*out[:k], first, *out[k + 1 :])
