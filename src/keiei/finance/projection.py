"""The projection engine: actuals + drivers → PL, BS and CF for every plan year, and the
per-bank repayment table under the financial support asked.

Order of one plan year (why this order: nothing depends on a figure computed after it, so
there is no circularity and no iteration):

1. sales, cost of sales, SG&A (with depreciation) → operating profit;
2. loans: balance at the start of the year = last closing + new loans drawn (drawn at the
   start of the year) − debt forgiven this year; interest = that balance × rate, per loan;
3. ordinary profit → extraordinary items (債務免除益 included) → tax (carry-forward) → net income;
4. working capital and fixed assets → operating and investing cash flow;
5. repayments: contractual ones first; in rescheduling years the repayment capacity
   (返済原資 = net income + depreciation + non-cash items − maintenance capex, × capacity_share,
   less the contractual repayments still due, and never taking cash below the minimum) is
   shared among the banks pro rata by balance or uncovered balance at the base date;
6. financing cash flow; cash = cash begin + operating + investing + financing (cash is what
   balances); net assets roll forward: last + net income − dividends + equity issued.

Every figure is rounded once (`keiei.money.to_yen`, mode from the plan's `settings.rounding`),
and every total is integer addition, so the statement identities hold exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from keiei.finance import indicators as ind
from keiei.finance.allocation import prorata, prorata_capped
from keiei.finance.rounding import yen as _yen
from keiei.finance.rounding import yen_quotient
from keiei.finance.scenarios import apply_scenario
from keiei.finance.statements import BS, CF, PL, BankResult, LoanResult, PlanDetails, YearResult
from keiei.finance.tax import income_taxes
from keiei.money import RoundingMode
from keiei.plan import model as m

_ZERO = Decimal(0)
_ONE = Decimal(1)
#: Working precision (digits). A yen amount (≤ 10^23 after five years of the largest growth
#: the schema allows) times a ratio (≤ 28 significant digits) stays inside it, so every
#: product the engine rounds is the exact value; to_yen then rounds it once.
_PRECISION = 60


@dataclass(frozen=True, slots=True)
class Projection:
    """The result of projecting one plan under one scenario.

    `years` holds the actual years then the plan years, oldest first; `banks` the per-bank
    tables (tuples aligned with the plan years); `other_debt_opening` is the interest-bearing
    debt of the base BS not held by any listed bank (e.g. 代表者借入金), carried separately.
    """

    plan: m.Plan
    scenario: m.Scenario
    variant: ind.RepaymentYearsVariant
    years: tuple[YearResult, ...]
    banks: tuple[BankResult, ...]
    plan_periods: tuple[str, ...]
    other_debt_opening: int
    share_basis: str

    @property
    def actual_years(self) -> tuple[YearResult, ...]:
        return tuple(y for y in self.years if y.kind == "actual")

    @property
    def plan_years(self) -> tuple[YearResult, ...]:
        return tuple(y for y in self.years if y.kind == "plan")


def project(
    plan: m.Plan,
    scenario: str | m.Scenario | None = None,
    *,
    variant: ind.RepaymentYearsVariant = "ordinary",
) -> Projection:
    """Project `plan` (under `scenario`, default: the plan's own, normally `base`).

    Pure and fast: no validation against the schema here (that happened in `load_plan`), no
    I/O. `variant` picks the 債務償還年数 formula (see `keiei.finance.indicators`).
    """
    if scenario is not None:
        plan = apply_scenario(plan, scenario)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return _Engine(plan, variant).run()


# --------------------------------------------------------------------------- internals


class _Loan:
    """Mutable per-loan state inside one projection run (never leaves the engine)."""

    __slots__ = (
        "amount",
        "annual",
        "bank",
        "base",
        "borrowing",
        "c_balance",
        "c_closing",
        "c_repayment",
        "closing",
        "covered",
        "draw_year",
        "fg",
        "forgiven",
        "grace",
        "guarantor",
        "interest",
        "last",
        "maturity",
        "name",
        "new",
        "opening",
        "rate",
        "rep",
        "repayment",
        "rescheduled",
        "schedule",
        "support",
    )

    def __init__(self, bank: int, loan: m.Loan | m.NewLoan) -> None:
        self.bank = bank
        self.name = loan.name
        self.rate = loan.rate
        self.covered = loan.covered
        self.guarantor = loan.guarantor
        self.rescheduled = loan.rescheduled
        self.borrowing: list[int] = []
        self.forgiven: list[int] = []
        self.interest: list[int] = []
        self.repayment: list[int] = []
        self.closing: list[int] = []
        self.c_repayment: list[int] = []
        self.c_closing: list[int] = []
        self.rep = 0
        self.fg = 0
        self.support = False
        if isinstance(loan, m.NewLoan):
            self.new = True
            self.support = loan.support
            self.opening = 0
            self.amount = loan.amount
            self.draw_year = loan.year
            self.grace = loan.grace_years
            self.annual = loan.annual_repayment
            self.schedule: tuple[int, ...] | None = None
            self.maturity: int | None = None
        else:
            self.new = False
            self.opening = loan.balance
            self.amount = 0
            self.draw_year = 0
            self.grace = 0
            self.annual = loan.annual_repayment or 0
            self.schedule = loan.schedule
            self.maturity = None if loan.maturity is None else loan.maturity.index
        self.base = self.opening
        self.last = self.opening
        self.c_balance = self.opening

    def contractual(self, year: int, base: int, period_index: int, bullet: bool) -> int:
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
            return 0 if year < self.draw_year + self.grace else min(base, self.annual)
        if bullet and self.maturity is not None and self.maturity <= period_index:
            return base
        return min(base, self.annual)


class _Effects:
    """Action-plan effects summed per line and plan year, scaled by the scenario's share."""

    def __init__(self, actions: tuple[m.Action, ...], years: int, share: Decimal) -> None:
        zeros = [_ZERO] * years
        self.any_sales_total = False
        self.sales_ratio = list(zeros)
        self.sales_amount = list(zeros)
        self.segment_ratio: dict[str, list[Decimal]] = {}
        self.segment_amount: dict[str, list[Decimal]] = {}
        self.cost_ratio = list(zeros)
        self.cost_amount = list(zeros)
        self.sga_ratio: dict[str, list[Decimal]] = {}
        self.sga_amount: dict[str, list[Decimal]] = {}
        self.amount: dict[str, list[Decimal]] = {}
        for action in actions:
            for effect in action.effects:
                last = years if effect.until_year is None else min(effect.until_year, years)
                for year in range(effect.from_year, last + 1):
                    self._add(effect, year - 1, share, years)

    def _add(self, effect: m.Effect, i: int, share: Decimal, years: int) -> None:
        ratio = None if effect.ratio is None else effect.ratio * share
        amount = None if effect.amount is None else effect.amount * share
        line = effect.line
        if line == "sales":
            if effect.segment is None:
                self.any_sales_total = True
                ratios, amounts = self.sales_ratio, self.sales_amount
            else:
                ratios = self.segment_ratio.setdefault(effect.segment, [_ZERO] * years)
                amounts = self.segment_amount.setdefault(effect.segment, [_ZERO] * years)
        elif line == "cost_of_sales":
            ratios, amounts = self.cost_ratio, self.cost_amount
        elif line == "sga":
            item = effect.item or ""
            ratios = self.sga_ratio.setdefault(item, [_ZERO] * years)
            amounts = self.sga_amount.setdefault(item, [_ZERO] * years)
        else:
            amounts = self.amount.setdefault(line, [_ZERO] * years)
            ratios = amounts  # the loader refuses ratio on these lines
        if ratio is not None:
            ratios[i] += ratio
        if amount is not None:
            amounts[i] += amount

    def line(self, name: str, years: int) -> list[Decimal]:
        return self.amount.get(name) or [_ZERO] * years


def _series(values: m.YenSeries, effect: list[Decimal], rounding: RoundingMode) -> list[int]:
    """Driver yen + effect yen for each year, rounded once per figure."""
    return [v if not e else _yen(v + e, rounding) for v, e in zip(values, effect, strict=True)]


class _Engine:
    def __init__(self, plan: m.Plan, variant: ind.RepaymentYearsVariant) -> None:
        self.plan = plan
        self.variant: ind.RepaymentYearsVariant = variant
        self.rounding: RoundingMode = plan.rounding
        self.n = plan.drivers.years

    # ----------------------------------------------------------------- actual years

    def actual_results(self) -> list[YearResult]:
        plan = self.plan
        out: list[YearResult] = []
        previous_sales: int | None = None
        for k, year in enumerate(plan.actuals):
            a = year.pl
            pl = PL.build(
                sales=a.sales,
                cost_of_sales=a.cost_of_sales,
                sga=a.sga,
                non_operating_income=a.non_operating_income,
                non_operating_expenses=a.non_operating_expenses,
                interest_expense=a.interest_expense,
                extraordinary_income=a.extraordinary_income,
                extraordinary_loss=a.extraordinary_loss,
                income_taxes=a.income_taxes,
                depreciation=a.depreciation,
            )
            bs = adjusted = None
            if year.bs is not None:
                b = year.bs
                deltas, effect = _adjustment_deltas(year.adjustments)
                bs = BS.build(
                    cash=b.cash,
                    receivables=b.receivables,
                    inventory=b.inventory,
                    other_current_assets=b.other_current_assets,
                    fixed_assets=b.fixed_assets,
                    payables=b.payables,
                    interest_bearing_debt=b.interest_bearing_debt,
                    other_liabilities=b.other_liabilities,
                    net_assets=None,
                    adjustment=effect,
                )
                adjusted = _adjusted_bs(bs, deltas)
            employees = year.employees
            if employees is None and k == len(plan.actuals) - 1:
                employees = plan.company.employees
            variable = a.variable_costs if a.variable_costs is not None else a.cost_of_sales
            indicators = ind.compute(
                pl,
                bs,
                adjusted,
                previous_sales=previous_sales,
                employees=employees,
                variable_costs=variable,
                variant=self.variant,
                rounding=self.rounding,
            )
            out.append(YearResult(str(year.period), "actual", pl, bs, adjusted, None, indicators))
            previous_sales = a.sales
        return out

    # ----------------------------------------------------------------- plan years

    def run(self) -> Projection:
        plan = self.plan
        d = plan.drivers
        n = self.n
        rnd = self.rounding
        sc = plan.scenario
        support = sc.financial_support
        last = plan.actuals[-1]
        base = last.bs
        assert base is not None  # the loader requires a BS in the last actual year
        periods = plan.plan_periods
        fx = _Effects(plan.action_plan, n, sc.action_effect_share)
        results = self.actual_results()

        # ---- figures that do not depend on the year's dynamics, rounded once each
        cost_fixed = _series(d.cost_fixed, fx.cost_amount, rnd)
        sga_fixed: list[tuple[str, list[int]]] = []
        sga_variable: list[tuple[str, list[Decimal], list[Decimal]]] = []
        for item in d.sga:
            ratio_fx = fx.sga_ratio.get(item.name) or [_ZERO] * n
            amount_fx = fx.sga_amount.get(item.name) or [_ZERO] * n
            if item.kind == "variable":
                ratios = item.ratios or (_ZERO,) * n
                sga_variable.append((item.name, [r + e for r, e in zip(ratios, ratio_fx, strict=True)], amount_fx))
            else:
                amounts = item.amounts or (0,) * n
                values = []
                for v, r, e in zip(amounts, ratio_fx, amount_fx, strict=True):
                    if r == _ZERO and e == _ZERO and sc.sga_factor == _ONE:
                        values.append(v)
                    else:
                        values.append(_yen(v * sc.sga_factor * (_ONE + r) + e, rnd))
                sga_fixed.append((item.name, values))
        noi = _series(d.non_operating_income, fx.line("non_operating_income", n), rnd)
        noe = _series(d.non_operating_expenses, fx.line("non_operating_expenses", n), rnd)
        ext_income = _series(d.extraordinary_income, fx.line("extraordinary_income", n), rnd)
        ext_loss = _series(d.extraordinary_loss, fx.line("extraordinary_loss", n), rnd)
        capex, maintenance, depreciation = _capex_schedule(d, rnd)
        if any(a.ends_year is not None for a in last.adjustments):
            adjustments = [
                _adjustment_deltas(tuple(a for a in last.adjustments if a.ends_year is None or y < a.ends_year))
                for y in range(1, n + 1)
            ]
        else:
            adjustments = [_adjustment_deltas(last.adjustments)] * n
        cost_ratios = [r + sc.cost_of_sales_ratio_delta + e for r, e in zip(d.cost_ratio, fx.cost_ratio, strict=True)]
        period_index = [p.index for p in periods]
        writedowns = d.asset_writedowns
        other_rate = d.other_debt_rate

        # ---- loans
        loans: list[_Loan] = []
        bank_loans: list[list[_Loan]] = []
        for b, bank in enumerate(plan.banks):
            mine = [_Loan(b, loan) for loan in bank.loans] + [_Loan(b, loan) for loan in bank.new_loans]
            bank_loans.append(mine)
            loans.extend(mine)
        other_debt = base.interest_bearing_debt - sum(loan.opening for loan in loans)
        other_opening = other_debt
        resched = plan.financial_support.rescheduling if support else None
        weights, share_basis = _bank_weights(plan, resched)
        forgiveness_by_year: dict[int, list[m.Forgiveness]] = {}
        if support:
            for f in plan.financial_support.forgiveness:
                forgiveness_by_year.setdefault(f.year, []).append(f)
        bank_index = {bank.name: b for b, bank in enumerate(plan.banks)}

        # ---- running state
        cash = base.cash
        receivables, inventory, payables = base.receivables, base.inventory, base.payables
        other_ca, other_li = base.other_current_assets, base.other_liabilities
        fixed_assets = base.fixed_assets
        net_assets = BS.build(
            cash=base.cash,
            receivables=base.receivables,
            inventory=base.inventory,
            other_current_assets=base.other_current_assets,
            fixed_assets=base.fixed_assets,
            payables=base.payables,
            interest_bearing_debt=base.interest_bearing_debt,
            other_liabilities=base.other_liabilities,
            net_assets=None,
        ).net_assets
        carryforward = d.tax.loss_carryforward
        previous_sales = last.pl.sales

        # sales paths (unrounded, before action effects and the scenario factor)
        growth_delta = sc.growth_delta
        factor = sc.sales_factor
        segments = d.sales.segments
        seg_paths = [Decimal(s.base) for s in segments]
        total_path = Decimal(last.pl.sales)
        amount_growth = _ONE

        for y in range(1, n + 1):
            i = y - 1
            period = periods[i]

            # 1. sales
            sales_by_segment: list[tuple[str, int]] = []
            if segments:
                sales = 0
                path_sum = _ZERO
                for s_idx, seg in enumerate(segments):
                    if seg.growth is not None:
                        seg_paths[s_idx] *= _ONE + seg.growth[i] + growth_delta
                    else:
                        amounts = seg.amounts or (0,) * n
                        seg_paths[s_idx] = amounts[i] * (_ONE + growth_delta) ** y
                    path = seg_paths[s_idx]
                    path_sum += path
                    seg_ratio = fx.segment_ratio.get(seg.name)
                    seg_amount = fx.segment_amount.get(seg.name)
                    value = path
                    if seg_ratio is not None and seg_amount is not None:
                        value = path * (_ONE + seg_ratio[i]) + seg_amount[i]
                    figure = _yen(value * factor, rnd)
                    sales_by_segment.append((seg.name, figure))
                    sales += figure
                if fx.any_sales_total:
                    extra = _yen((path_sum * fx.sales_ratio[i] + fx.sales_amount[i]) * factor, rnd)
                    sales_by_segment.append(("施策効果（部門共通）", extra))
                    sales += extra
            else:
                if d.sales.growth is not None:
                    total_path *= _ONE + d.sales.growth[i] + growth_delta
                else:
                    amount_growth *= _ONE + growth_delta
                    total_path = (d.sales.amounts or (0,) * n)[i] * amount_growth
                value = total_path
                if fx.any_sales_total:
                    value = total_path * (_ONE + fx.sales_ratio[i]) + fx.sales_amount[i]
                sales = _yen(value * factor, rnd)

            # 2. cost of sales and SG&A
            variable_cos = _yen(sales * cost_ratios[i], rnd)
            cost_of_sales = variable_cos + cost_fixed[i]
            sga_items: list[tuple[str, int]] = []
            variable_sga = 0
            for name, item_ratios, amounts_fx in sga_variable:
                figure = _yen(sales * item_ratios[i] + amounts_fx[i], rnd)
                variable_sga += figure
                sga_items.append((name, figure))
            sga = variable_sga
            for name, values in sga_fixed:
                sga += values[i]
                sga_items.append((name, values[i]))
            dep = depreciation[i]
            sga_items.append(("減価償却費", dep))
            sga += dep

            # 3. loans at the start of the year, forgiveness, interest
            borrowing = 0
            for loan in loans:
                drawn = loan.amount if loan.draw_year == y else 0
                loan.borrowing.append(drawn)
                borrowing += drawn
                loan.base = loan.last + drawn
                loan.c_balance += drawn
                loan.fg = 0
            forgiven_total = 0
            for f in forgiveness_by_year.get(y, ()):
                # Shared among the bank's loans by balance; an amount larger than the balance
                # is still booked (the balance turns negative and validate_plan reports it).
                targets = [x for x in bank_loans[bank_index[f.bank]] if f.loan is None or x.name == f.loan]
                parts = prorata(f.amount, [max(0, x.base) for x in targets])
                if targets and sum(parts) < f.amount:
                    parts[0] += f.amount - sum(parts)
                for x, part in zip(targets, parts, strict=True):
                    x.base -= part
                    x.fg += part
                    forgiven_total += part
            interest = 0
            for loan in loans:
                loan.forgiven.append(loan.fg)
                charge = _yen(loan.base * loan.rate, rnd) if loan.base > 0 and loan.rate else 0
                loan.interest.append(charge)
                interest += charge
            if other_debt > 0 and other_rate:
                interest += _yen(other_debt * other_rate, rnd)

            # 4. PL
            taxes, carry_after = income_taxes(
                (sales - cost_of_sales - sga)
                + noi[i]
                - (interest + noe[i])
                + ext_income[i]
                + forgiven_total
                - ext_loss[i]
                - writedowns[i],
                carryforward,
                d.tax,
                rnd,
            )
            pl = PL.build(
                sales=sales,
                cost_of_sales=cost_of_sales,
                sga=sga,
                non_operating_income=noi[i],
                non_operating_expenses=interest + noe[i],
                interest_expense=interest,
                extraordinary_income=ext_income[i] + forgiven_total,
                extraordinary_loss=ext_loss[i] + writedowns[i],
                income_taxes=taxes,
                depreciation=dep,
            )
            carryforward = carry_after

            # 5. working capital, fixed assets, operating and investing cash flow
            new_receivables = _turnover(d.receivables, i, sales, cost_of_sales, rnd)
            new_inventory = _turnover(d.inventory, i, sales, cost_of_sales, rnd)
            new_payables = _turnover(d.payables, i, sales, cost_of_sales, rnd)
            new_other_ca = d.other_current_assets[i]
            new_other_li = d.other_liabilities[i]
            writedown = writedowns[i]
            wc_change = (
                (new_receivables - receivables)
                + (new_inventory - inventory)
                + (new_other_ca - other_ca)
                - (new_payables - payables)
                - (new_other_li - other_li)
            )
            noncash = writedown - forgiven_total
            operating = pl.net_income + dep + noncash - wc_change
            investing = -capex[i]
            fixed_assets = fixed_assets + capex[i] - dep - writedown

            # 6. repayments
            in_window = resched is not None and resched.from_year <= y <= resched.until_year
            after_start = resched is not None and y >= resched.from_year
            p_index = period_index[i]
            scheduled = 0
            for loan in loans:
                if in_window and loan.rescheduled:
                    loan.rep = 0
                    continue
                loan.rep = loan.contractual(y, loan.base, p_index, not (after_start and loan.rescheduled))
                scheduled += loan.rep
            other_repayment = d.other_debt_repayment[i]
            equity_in, dividends = d.equity_issued[i], d.dividends[i]
            capacity: int | None = None
            rescheduled_total = 0
            if in_window and resched is not None:
                capacity = pl.net_income + dep + noncash - (maintenance[i] if resched.deduct_maintenance_capex else 0)
                if resched.capacity_share != _ONE:
                    capacity = _yen(capacity * resched.capacity_share, rnd)
                cash_before = (
                    cash + operating + investing + borrowing + equity_in - dividends - scheduled - other_repayment
                )
                available = min(capacity - scheduled - other_repayment, cash_before - resched.minimum_cash)
                caps = [0] * len(plan.banks)
                contractual_due = 0
                for loan in loans:
                    if loan.rescheduled:
                        caps[loan.bank] += max(0, loan.base)
                        contractual_due += loan.contractual(y, loan.base, p_index, False)
                target = max(0, available)
                if resched.cap_at_contractual:
                    target = min(target, contractual_due)
                target = min(target, sum(caps))
                per_bank = prorata_capped(target, weights, caps)
                for b, amount in enumerate(per_bank):
                    mine = [x for x in bank_loans[b] if x.rescheduled]
                    for x, part in zip(mine, prorata(amount, [max(0, x.base) for x in mine]), strict=True):
                        x.rep = part
                        rescheduled_total += part
            repaid = scheduled + rescheduled_total
            for loan in loans:
                loan.repayment.append(loan.rep)
                loan.last = loan.base - loan.rep
                loan.closing.append(loan.last)
                c_due = loan.contractual(y, loan.c_balance, p_index, True)
                loan.c_repayment.append(c_due)
                loan.c_balance -= c_due
                loan.c_closing.append(loan.c_balance)
            other_debt -= other_repayment

            # 7. financing, cash, balance sheet
            financing = borrowing - repaid - other_repayment + equity_in - dividends
            cash_begin = cash
            cash = cash_begin + operating + investing + financing
            net_assets = net_assets + pl.net_income - dividends + equity_in
            debt = other_debt
            for loan in loans:
                debt += loan.last
            deltas, effect = adjustments[i]
            bs = BS.build(
                cash=cash,
                receivables=new_receivables,
                inventory=new_inventory,
                other_current_assets=new_other_ca,
                fixed_assets=fixed_assets,
                payables=new_payables,
                interest_bearing_debt=debt,
                other_liabilities=new_other_li,
                net_assets=net_assets,
                adjustment=effect,
            )
            adjusted = _adjusted_bs(bs, deltas)
            cf = CF(
                operating=operating,
                investing=investing,
                financing=financing,
                cash_begin=cash_begin,
                cash_end=cash,
                dividends=dividends,
                equity_issued=equity_in,
                net_income=pl.net_income,
                depreciation=dep,
                noncash_items=noncash,
                working_capital_change=wc_change,
                capex=capex[i],
                borrowing=borrowing,
                repayment=repaid,
                other_debt_repayment=other_repayment,
            )
            indicators = ind.compute(
                pl,
                bs,
                adjusted,
                previous_sales=previous_sales,
                employees=d.employees[i],
                variable_costs=variable_cos + variable_sga,
                variant=self.variant,
                rounding=rnd,
            )
            details = PlanDetails(
                sales_by_segment=tuple(sales_by_segment),
                sga_items=tuple(sga_items),
                variable_cost_of_sales=variable_cos,
                loss_carryforward=carryforward,
                repayment_capacity=capacity,
                rescheduled_repayment=rescheduled_total,
                scheduled_repayment=scheduled,
                maintenance_capex=maintenance[i],
                forgiveness=forgiven_total,
                other_interest_bearing_debt=other_debt,
            )
            results.append(YearResult(str(period), "plan", pl, bs, adjusted, cf, indicators, details))
            receivables, inventory, payables = new_receivables, new_inventory, new_payables
            other_ca, other_li = new_other_ca, new_other_li
            previous_sales = sales

        return Projection(
            plan=plan,
            scenario=sc,
            variant=self.variant,
            years=tuple(results),
            banks=_bank_results(plan, bank_loans, weights, share_basis),
            plan_periods=tuple(str(p) for p in periods),
            other_debt_opening=other_opening,
            share_basis=share_basis,
        )


def _turnover(t: m.Turnover, i: int, sales: int, cost_of_sales: int, rounding: RoundingMode) -> int:
    basis = sales if t.basis == "sales" else cost_of_sales
    return _yen(basis * t.factors[i], rounding)


def _capex_schedule(d: m.Drivers, rounding: RoundingMode) -> tuple[list[int], list[int], list[int]]:
    """Capex, maintenance capex and total depreciation per plan year.

    Straight line from the year of acquisition, a full year's charge in that year (simple and
    slightly conservative for profit); the last year of the useful life takes the remainder
    so the asset is written down to exactly zero.
    """
    n = d.years
    capex = [0] * n
    maintenance = [0] * n
    depreciation = list(d.existing_depreciation)
    for item in d.capex:
        capex[item.year - 1] += item.amount
        if item.maintenance:
            maintenance[item.year - 1] += item.amount
        charge = yen_quotient(item.amount, item.useful_life, rounding)
        for age in range(item.useful_life):
            y = item.year - 1 + age
            if y >= n:
                break
            depreciation[y] += charge if age < item.useful_life - 1 else item.amount - charge * (item.useful_life - 1)
    return capex, maintenance, depreciation


def _adjustment_deltas(adjustments: tuple[m.Adjustment, ...]) -> tuple[dict[str, int], int]:
    """Per-line adjustment totals and their effect on net assets."""
    deltas: dict[str, int] = {}
    effect = 0
    for adj in adjustments:
        deltas[adj.line] = deltas.get(adj.line, 0) + adj.amount
        effect += adj.net_assets_effect
    return deltas, effect


def _adjusted_bs(bs: BS, deltas: dict[str, int]) -> BS:
    """The 実態BS: book lines plus adjustments; its net assets equal bs.adjusted_net_assets."""
    if not deltas:
        return bs
    g = deltas.get
    return BS.build(
        cash=bs.cash + g("cash", 0),
        receivables=bs.receivables + g("receivables", 0),
        inventory=bs.inventory + g("inventory", 0),
        other_current_assets=bs.other_current_assets + g("other_current_assets", 0),
        fixed_assets=bs.fixed_assets + g("fixed_assets", 0),
        payables=bs.payables + g("payables", 0),
        interest_bearing_debt=bs.interest_bearing_debt + g("interest_bearing_debt", 0),
        other_liabilities=bs.other_liabilities + g("other_liabilities", 0),
        net_assets=bs.adjusted_net_assets,
    )


def _bank_weights(plan: m.Plan, resched: m.Rescheduling | None) -> tuple[list[int], str]:
    """Each bank's weight for sharing the repayment capacity, fixed at the base date.

    Weights are the bank's rescheduled loans' balances (残高プロラタ) or uncovered balances
    (信用残高プロラタ). With nothing uncovered anywhere, uncovered falls back to balance.
    """
    basis = resched.basis if resched is not None else "balance"

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


def _bank_results(
    plan: m.Plan, bank_loans: list[list[_Loan]], weights: list[int], share_basis: str
) -> tuple[BankResult, ...]:
    total_weight = sum(weights)
    out: list[BankResult] = []
    for b, bank in enumerate(plan.banks):
        loan_results = tuple(
            LoanResult(
                name=x.name,
                new=x.new,
                rescheduled=x.rescheduled,
                support=x.support,
                balance=x.opening,
                covered=min(x.covered, x.opening) if not x.new else min(x.covered, x.amount),
                rate=x.rate,
                guarantor=x.guarantor,
                borrowing=tuple(x.borrowing),
                forgiven=tuple(x.forgiven),
                interest=tuple(x.interest),
                repayment=tuple(x.repayment),
                closing_balance=tuple(x.closing),
                contractual_repayment=tuple(x.c_repayment),
                contractual_closing_balance=tuple(x.c_closing),
            )
            for x in bank_loans[b]
        )
        existing = [r for r in loan_results if not r.new]
        balance = sum(r.balance for r in existing)
        covered = sum(r.covered for r in existing)
        out.append(
            BankResult(
                name=bank.name,
                main=bank.main,
                balance=balance,
                covered=covered,
                uncovered=balance - covered,
                share=Decimal(weights[b]) / total_weight if total_weight > 0 else None,
                share_basis=share_basis,
                loans=loan_results,
                borrowing=_column_sum(loan_results, "borrowing", plan.drivers.years),
                forgiven=_column_sum(loan_results, "forgiven", plan.drivers.years),
                interest=_column_sum(loan_results, "interest", plan.drivers.years),
                repayment=_column_sum(loan_results, "repayment", plan.drivers.years),
                closing_balance=_column_sum(loan_results, "closing_balance", plan.drivers.years),
                contractual_repayment=_column_sum(loan_results, "contractual_repayment", plan.drivers.years),
                contractual_closing_balance=_column_sum(
                    loan_results, "contractual_closing_balance", plan.drivers.years
                ),
            )
        )
    return tuple(out)


def _column_sum(loans: tuple[LoanResult, ...], attribute: str, years: int) -> tuple[int, ...]:
    if not loans:
        return (0,) * years
    return tuple(map(sum, zip(*(getattr(loan, attribute) for loan in loans), strict=True)))
