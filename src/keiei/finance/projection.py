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
and every total is integer addition (`keiei.finance.subtotals`), so the statement identities hold exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from keiei.finance import indicators as ind
from keiei.finance.allocation import prorata, prorata_capped
from keiei.finance.lenders import LoanState, bank_results, bank_weights, forgiveness_parts, loan_weight
from keiei.finance.rounding import decimal_rounder, yen_quotient
from keiei.finance.rounding import yen as _yen
from keiei.finance.scenarios import apply_scenario
from keiei.finance.schedule import months_on_old_terms
from keiei.finance.statements import (
    BS,
    BankResult,
    YearResult,
    make_bs,
    make_pl,
    new_cf,
    new_details,
    new_year,
)
from keiei.finance.subtotals import actual_balance_totals, pretax_income
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
        """The actual years (they come first in `years`, one per plan period after them)."""
        return self.years[: len(self.years) - len(self.plan_periods)]

    @property
    def plan_years(self) -> tuple[YearResult, ...]:
        return self.years[len(self.years) - len(self.plan_periods) :]


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
#
# Speed notes (the engine runs thousands of times per second in batch use, see benchmarks/):
# everything that does not depend on a year's dynamics is prepared once per run (per-year
# ratios, fixed SG&A, capex and depreciation, adjustment deltas, each loan's drawings and its
# normal contractual schedule); the yearly loop then does only what depends on the year
# before. Every Decimal expression is the one the docs describe, in the same order, and each
# result is rounded once by the plan's mode (`keiei.finance.rounding`, the rule of to_yen).


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
                if effect.from_year <= last:
                    self._add(effect, range(effect.from_year - 1, last), share, years)

    def _add(self, effect: m.Effect, indices: range, share: Decimal, years: int) -> None:
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
        for i in indices:
            if ratio is not None:
                ratios[i] += ratio
            if amount is not None:
                amounts[i] += amount

    def line(self, name: str, years: int) -> list[Decimal]:
        return self.amount.get(name) or [_ZERO] * years


def _series(values: Sequence[int], effect: list[Decimal], rounding: RoundingMode) -> list[int]:
    """Driver yen + effect yen for each year, rounded once per figure."""
    return [v if not e else _yen(v + e, rounding) for v, e in zip(values, effect, strict=True)]


#: An adjustment layer of one year: (per-line deltas in BS line order, or None when the
#: year has no adjustment at all; the effect on net assets).
_Adjust = tuple[tuple[int, int, int, int, int, int, int, int] | None, int]
_LINES = ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets", "payables",
          "interest_bearing_debt", "other_liabilities")  # fmt: skip


class _Engine:
    def __init__(self, plan: m.Plan, variant: ind.RepaymentYearsVariant) -> None:
        self.plan = plan
        self.variant: ind.RepaymentYearsVariant = variant
        self.rounding: RoundingMode = plan.rounding
        self.n = plan.drivers.years

    # ----------------------------------------------------------------- actual years

    def actual_results(self) -> list[YearResult]:
        plan = self.plan
        variant = self.variant
        rounding = self.rounding
        out: list[YearResult] = []
        previous_sales: int | None = None
        last_k = len(plan.actuals) - 1
        for k, year in enumerate(plan.actuals):
            a = year.pl
            pl = make_pl(
                a.sales,
                a.cost_of_sales,
                a.sga,
                a.non_operating_income,
                a.non_operating_expenses,
                a.interest_expense,
                a.extraordinary_income,
                a.extraordinary_loss,
                a.income_taxes,
                a.depreciation,
            )
            bs = adjusted = None
            if year.bs is not None:
                b = year.bs
                deltas, effect = _adjustment_layer(year.adjustments)
                bs = make_bs(
                    b.cash,
                    b.receivables,
                    b.inventory,
                    b.other_current_assets,
                    b.fixed_assets,
                    b.payables,
                    b.interest_bearing_debt,
                    b.other_liabilities,
                    None,
                    effect,
                )
                adjusted = bs if deltas is None else _adjusted_line_bs(bs, deltas)
            employees = year.employees
            if employees is None and k == last_k:
                employees = plan.company.employees
            variable = a.variable_costs if a.variable_costs is not None else a.cost_of_sales
            indicators = ind.compute(
                pl,
                bs,
                adjusted,
                previous_sales=previous_sales,
                employees=employees,
                variable_costs=variable,
                variant=variant,
                rounding=rounding,
            )
            out.append(new_year(str(year.period), "actual", pl, bs, adjusted, None, indicators, None))
            previous_sales = a.sales
        return out

    # ----------------------------------------------------------------- plan years

    def run(self) -> Projection:
        plan = self.plan
        d = plan.drivers
        n = self.n
        rnd = self.rounding
        yen = decimal_rounder(rnd)
        variant = self.variant
        sc = plan.scenario
        support = sc.financial_support
        last = plan.actuals[-1]
        base = last.bs
        assert base is not None  # the loader requires a BS in the last actual year
        periods = plan.plan_periods
        period_names = tuple(str(p) for p in periods)
        fx = _Effects(plan.action_plan, n, sc.action_effect_share) if plan.action_plan else None
        results = self.actual_results()

        # ---- figures that do not depend on the year's dynamics, rounded once each
        cost_fixed: m.YenSeries | list[int] = d.cost_fixed
        cost_ratios: list[Decimal] | m.RatioSeries = d.cost_ratio
        cos_delta = sc.cost_of_sales_ratio_delta
        if fx is not None:
            cost_fixed = _series(d.cost_fixed, fx.cost_amount, rnd)
            cost_ratios = [r + cos_delta + e for r, e in zip(d.cost_ratio, fx.cost_ratio, strict=True)]
        elif cos_delta:
            cost_ratios = [r + cos_delta + _ZERO for r in d.cost_ratio]
        sga_fixed: list[tuple[str, m.YenSeries | list[int]]] = []
        sga_variable: list[tuple[str, Sequence[Decimal], list[Decimal] | None]] = []
        sga_factor = sc.sga_factor
        for item in d.sga:
            ratio_fx = fx.sga_ratio.get(item.name) if fx is not None else None
            amount_fx = fx.sga_amount.get(item.name) if fx is not None else None
            if item.kind == "variable":
                ratios: Sequence[Decimal] = item.ratios or (_ZERO,) * n
                if ratio_fx is not None:
                    ratios = [r + e for r, e in zip(ratios, ratio_fx, strict=True)]
                sga_variable.append((item.name, ratios, amount_fx))
            else:
                amounts = item.amounts or (0,) * n
                if ratio_fx is None and sga_factor == _ONE:
                    sga_fixed.append((item.name, amounts))
                    continue
                ratio_fx = ratio_fx or [_ZERO] * n
                amount_fx = amount_fx or [_ZERO] * n
                values = []
                for v, r, e in zip(amounts, ratio_fx, amount_fx, strict=True):
                    if r == _ZERO and e == _ZERO and sga_factor == _ONE:
                        values.append(v)
                    else:
                        values.append(yen(v * sga_factor * (_ONE + r) + e))
                sga_fixed.append((item.name, values))
        sga_fixed_total = [sum(values[i] for _, values in sga_fixed) for i in range(n)]
        sga_fixed_items = [[(name, values[i]) for name, values in sga_fixed] for i in range(n)]
        noi: m.YenSeries | list[int] = d.non_operating_income
        noe: m.YenSeries | list[int] = d.non_operating_expenses
        ext_income: m.YenSeries | list[int] = d.extraordinary_income
        ext_loss: m.YenSeries | list[int] = d.extraordinary_loss
        if fx is not None and fx.amount:
            noi = _series(noi, fx.line("non_operating_income", n), rnd)
            noe = _series(noe, fx.line("non_operating_expenses", n), rnd)
            ext_income = _series(ext_income, fx.line("extraordinary_income", n), rnd)
            ext_loss = _series(ext_loss, fx.line("extraordinary_loss", n), rnd)
        capex, maintenance, depreciation = _capex_schedule(d, rnd)
        adjustments = _adjustment_layers(last.adjustments, n)
        period_index = [p.index for p in periods]
        writedowns = d.asset_writedowns
        other_rate = d.other_debt_rate
        receivables_t, inventory_t, payables_t = d.receivables, d.inventory, d.payables
        receivables_sales = receivables_t.basis == "sales"
        inventory_sales = inventory_t.basis == "sales"
        payables_sales = payables_t.basis == "sales"
        tax = d.tax
        employees = d.employees
        other_debt_repayment, equity_issued, dividends_paid = d.other_debt_repayment, d.equity_issued, d.dividends
        other_ca_series, other_li_series = d.other_current_assets, d.other_liabilities

        # ---- loans
        loans: list[LoanState] = []
        bank_loans: list[list[LoanState]] = []
        for b, bank in enumerate(plan.banks):
            mine = [LoanState(b, loan, period_index) for loan in bank.loans]
            mine += [LoanState(b, loan, period_index) for loan in bank.new_loans]
            bank_loans.append(mine)
            loans.extend(mine)
        rescheduled_by_bank = [[x for x in mine if x.rescheduled] for mine in bank_loans]
        rescheduled_loans = [x for x in loans if x.rescheduled]
        n_banks = len(bank_loans)
        borrowing_by_year = [sum(loan.borrowing[i] for loan in loans) for i in range(n)]
        other_debt = base.interest_bearing_debt - sum(loan.opening for loan in loans)
        other_opening = other_debt
        resched = plan.financial_support.rescheduling if support else None
        weights, share_basis = bank_weights(plan, resched)
        base_weights = weights
        # the basis each loan is weighed on (within a bank, and between banks unless negotiated)
        weight_basis = "uncovered" if share_basis == "uncovered" else "balance"
        if share_basis == "negotiated" and resched is not None:
            weight_basis = resched.basis
            if weight_basis == "uncovered" and not any(
                x.uncovered for b in plan.banks for x in b.loans if x.rescheduled
            ):
                weight_basis = "balance"
        recompute_weights = resched is not None and resched.share_timing == "after_forgiveness"
        recompute_bank = recompute_weights and share_basis != "negotiated"
        weight_history: list[list[int]] = []
        kept_as_cash = [0] * n
        redistributed = [[0] * n for _ in range(n_banks)]
        deferred_interest = 0
        loan_weights: list[list[int]] = []
        weights_stale = True
        interest_mode = resched.interest if resched is not None else "paid"
        reduced_rate = (resched.reduced_rate if resched is not None else None) or _ZERO
        forgiveness_by_year: dict[int, list[m.Forgiveness]] = {}
        if support:
            for f in plan.financial_support.forgiveness:
                forgiveness_by_year.setdefault(f.year, []).append(f)
        bank_index = {bank.name: b for b, bank in enumerate(plan.banks)}
        if resched is not None:
            r_from, r_until = resched.from_year, resched.until_year
            deduct_maintenance = resched.deduct_maintenance_capex
            capacity_share = resched.capacity_share
            minimum_cash = resched.minimum_cash
            cap_at_contractual = resched.cap_at_contractual
            old_terms_months = months_on_old_terms(plan, resched)
            suspended_before = resched.before_agreement == "suspended"
        else:
            suspended_before = False
            old_terms_months = 0
            r_from, r_until = n + 1, 0

        # ---- running state
        cash = base.cash
        receivables, inventory, payables = base.receivables, base.inventory, base.payables
        other_ca, other_li = base.other_current_assets, base.other_liabilities
        fixed_assets = base.fixed_assets
        # the base BS's own net assets (assets − liabilities), as make_bs derives them
        net_assets = actual_balance_totals(base).net_assets
        carryforward = tax.loss_carryforward
        previous_sales = last.pl.sales

        # sales paths (unrounded, before action effects and the scenario factor)
        growth_delta = sc.growth_delta
        factor = sc.sales_factor
        scaled = factor != _ONE
        segments = d.sales.segments
        seg_paths = [Decimal(s.base) for s in segments]
        seg_ratios = [fx.segment_ratio.get(s.name) if fx is not None else None for s in segments]
        seg_amounts = [fx.segment_amount.get(s.name) if fx is not None else None for s in segments]
        sales_total_fx = fx is not None and fx.any_sales_total
        total_path = Decimal(last.pl.sales)
        amount_growth = _ONE
        sales_growth = d.sales.growth
        sales_amounts = d.sales.amounts or (0,) * n

        for i in range(n):
            y = i + 1

            # 1. sales
            sales_by_segment: tuple[tuple[str, int], ...] = ()
            if segments:
                sales = 0
                path_sum = _ZERO
                by_segment: list[tuple[str, int]] = []
                for s_idx, seg in enumerate(segments):
                    if seg.growth is not None:
                        seg_paths[s_idx] *= _ONE + seg.growth[i] + growth_delta
                    else:
                        amounts = seg.amounts or (0,) * n
                        seg_paths[s_idx] = amounts[i] * (_ONE + growth_delta) ** y
                    path = seg_paths[s_idx]
                    path_sum += path
                    seg_ratio = seg_ratios[s_idx]
                    seg_amount = seg_amounts[s_idx]
                    value = path
                    if seg_ratio is not None and seg_amount is not None:
                        value = path * (_ONE + seg_ratio[i]) + seg_amount[i]
                    figure = yen(value * factor if scaled else value)
                    by_segment.append((seg.name, figure))
                    sales += figure
                if sales_total_fx and fx is not None:
                    extra = yen((path_sum * fx.sales_ratio[i] + fx.sales_amount[i]) * factor)
                    by_segment.append(("施策効果（部門共通）", extra))
                    sales += extra
                sales_by_segment = tuple(by_segment)
            else:
                if sales_growth is not None:
                    total_path *= _ONE + sales_growth[i] + growth_delta
                else:
                    amount_growth *= _ONE + growth_delta
                    total_path = sales_amounts[i] * amount_growth
                value = total_path
                if sales_total_fx and fx is not None:
                    value = total_path * (_ONE + fx.sales_ratio[i]) + fx.sales_amount[i]
                sales = yen(value * factor if scaled else value)

            # 2. cost of sales and SG&A
            variable_cos = yen(sales * cost_ratios[i])
            cost_of_sales = variable_cos + cost_fixed[i]
            sga_items: list[tuple[str, int]] = []
            variable_sga = 0
            for name, item_ratios, amounts_fx in sga_variable:
                figure = yen(
                    sales * item_ratios[i] + amounts_fx[i] if amounts_fx is not None else sales * item_ratios[i]
                )
                variable_sga += figure
                sga_items.append((name, figure))
            dep = depreciation[i]
            sga_items += sga_fixed_items[i]
            sga_items.append(("減価償却費", dep))
            sga = variable_sga + sga_fixed_total[i] + dep

            # 3. loans at the start of the year, forgiveness, interest; contractual repayments
            #    (they depend on the balances only, not on this year's profit)
            for loan in loans:
                loan.base = loan.last + loan.borrowing[i]
            borrowing = borrowing_by_year[i]
            forgiven_total = 0
            forgiveness_now = forgiveness_by_year.get(y, ())
            for f in forgiveness_now:
                # On the named loan, or charged to the bank's uncovered parts first (a creditor
                # forgives its unsecured claim, not what its collateral or guarantee covers), then
                # to the covered parts by balance; an amount larger than the balance is still
                # booked (the balance turns negative and validate_plan reports it).
                targets = [x for x in bank_loans[bank_index[f.bank]] if f.loan is None or x.name == f.loan]
                parts = forgiveness_parts(f.amount, targets)
                for x, part in zip(targets, parts, strict=True):
                    x.base -= part
                    x.forgiven[i] += part
                    forgiven_total += part
            if forgiveness_now and recompute_bank:
                weights = [sum(loan_weight(x, weight_basis, True, i) for x in mine if not x.new and x.rescheduled)
                           for mine in bank_loans]  # fmt: skip
            weight_history.append(weights)
            in_window = r_from <= y <= r_until
            if forgiveness_now or borrowing_by_year[i]:
                weights_stale = True  # the loans' weights change only with these
            after_start = y >= r_from
            interest = 0
            scheduled = 0
            deferred_now = 0
            for loan in loans:
                balance = loan.base
                if loan.rescheduled and in_window and interest_mode != "paid":
                    rate = reduced_rate if interest_mode == "reduced" else loan.rate
                    if y == r_from and old_terms_months and balance > 0:
                        # before the agreement month: the contract's rate, paid; after it, the plan's
                        # (one division each, of exact products: rounded once)
                        after = balance * rate * (12 - old_terms_months)
                        charge = yen((balance * (loan.rate or _ZERO) * old_terms_months + after) / 12)
                        new_terms = yen(after / 12)
                        loan.interest[i] = charge
                        interest += charge
                        if interest_mode == "deferred":
                            loan.deferred[i] = new_terms
                            deferred_now += new_terms
                    elif balance > 0 and rate:
                        charge = yen(balance * rate)
                        loan.interest[i] = charge
                        interest += charge
                        if interest_mode == "deferred":
                            loan.deferred[i] = charge
                            deferred_now += charge
                elif balance > 0 and loan.rate:
                    charge = yen(balance * loan.rate)
                    loan.interest[i] = charge
                    interest += charge
                if loan.rescheduled and in_window:
                    loan.rep = 0
                    loan.old_due = 0
                    if y == r_from and old_terms_months and balance > 0:
                        # the months before the agreement: the contract's instalments for them,
                        # paid (before_agreement: contract) or suspended while the plan is made
                        due = loan.contractual(y, balance, True)
                        loan.old_due = min(balance, yen_quotient(due * old_terms_months, 12, rnd))
                        loan.rep = loan.old_terms = 0 if suspended_before else loan.old_due
                        scheduled += loan.old_terms
                    continue
                rep = loan.contractual(y, balance, not (after_start and loan.rescheduled))
                loan.rep = rep
                scheduled += rep
            if other_debt > 0 and other_rate:
                interest += yen(other_debt * other_rate)

            # 4. PL
            ext_income_y = ext_income[i] + forgiven_total
            ext_loss_y = ext_loss[i] + writedowns[i]
            noi_y = noi[i]
            noe_y = interest + noe[i]
            taxes, carry_after = income_taxes(
                pretax_income(sales, cost_of_sales, sga, noi_y, noe_y, ext_income_y, ext_loss_y), carryforward, tax, rnd
            )
            pl = make_pl(
                sales,
                cost_of_sales,
                sga,
                noi_y,
                noe_y,
                interest,
                ext_income_y,
                ext_loss_y,
                taxes,
                dep,
            )
            net_income = pl.net_income
            carryforward = carry_after

            # 5. working capital, fixed assets, operating and investing cash flow
            new_receivables = yen((sales if receivables_sales else cost_of_sales) * receivables_t.factors[i])
            new_inventory = yen((sales if inventory_sales else cost_of_sales) * inventory_t.factors[i])
            new_payables = yen((sales if payables_sales else cost_of_sales) * payables_t.factors[i])
            new_other_ca = other_ca_series[i]
            deferred_interest += deferred_now
            new_other_li = other_li_series[i] + deferred_interest  # 未払利息 (interest: deferred)
            writedown = writedowns[i]
            wc_change = (
                (new_receivables - receivables)
                + (new_inventory - inventory)
                + (new_other_ca - other_ca)
                - (new_payables - payables)
                - (new_other_li - other_li)
            )
            noncash = writedown - forgiven_total
            operating = net_income + dep + noncash - wc_change
            capex_y = capex[i]
            investing = -capex_y
            fixed_assets = fixed_assets + capex_y - dep - writedown

            # 6. repayments: in a rescheduling year, the capacity shared among the banks
            other_repayment = other_debt_repayment[i]
            equity_in, dividends = equity_issued[i], dividends_paid[i]
            capacity: int | None = None
            rescheduled_total = 0
            if in_window and resched is not None:
                capacity = net_income + dep + noncash - (maintenance[i] if deduct_maintenance else 0)
                if capacity_share != _ONE:
                    capacity = yen(capacity * capacity_share)
                cash_before = (
                    cash + operating + investing + borrowing + equity_in - dividends - scheduled - other_repayment
                )
                available = min(capacity - scheduled - other_repayment, cash_before - minimum_cash)
                # Caps per loan (its balance, and with cap_at_contractual its contractual
                # instalment) and so per bank: nobody is repaid above its contract; what a capped
                # bank or loan cannot take goes to the others by the same weights, and what no
                # one can take stays as cash (kept_as_cash).
                caps = [0] * n_banks
                for loan in rescheduled_loans:
                    # before the agreement month: `rep` paid on the old terms, `old_due` the
                    # contract's part for those months (the new terms cover only the rest)
                    cap = max(0, loan.base - loan.rep)
                    if cap_at_contractual:
                        cap = max(0, min(cap, loan.contractual(y, loan.base, False) - loan.old_due))
                    loan.cap = cap
                    caps[loan.bank] += cap
                offered = max(0, available)
                target = min(offered, sum(caps))
                kept_as_cash[i] = offered - target
                if target > 0:
                    # the plain pro rata split, unless a cap binds (then prorata_capped moves
                    # the excess; with no weight anywhere the split is by room, nothing moves)
                    per_bank = fair_split = prorata(target, weights)
                    if sum(fair_split) != target or any(
                        f > c or (w > 0 and c == 0) for f, c, w in zip(fair_split, caps, weights, strict=True)
                    ):
                        per_bank = prorata_capped(target, weights, caps)
                        if sum(weights):
                            for b, fair in enumerate(fair_split):
                                redistributed[b][i] = per_bank[b] - fair
                    if weights_stale:
                        weights_stale = False
                        loan_weights = [
                            [loan_weight(x, weight_basis, recompute_weights, i) for x in mine]
                            for mine in rescheduled_by_bank
                        ]
                    for b, amount in enumerate(per_bank):
                        if amount <= 0:
                            continue  # prorata gives nothing (rep is already 0)
                        mine = rescheduled_by_bank[b]
                        if len(mine) == 1:  # the bank's cap is its one loan's cap
                            mine[0].rep += amount
                            rescheduled_total += amount
                            continue
                        parts = prorata_capped(amount, loan_weights[b], [x.cap for x in mine])
                        for x, part in zip(mine, parts, strict=True):
                            x.rep += part
                            rescheduled_total += part
            repaid = scheduled + rescheduled_total
            debt = other_debt = other_debt - other_repayment
            for loan in loans:
                rep = loan.rep
                loan.repayment[i] = rep
                loan.last = closing = loan.base - rep
                loan.closing[i] = closing
                debt += closing

            # 7. financing, cash, balance sheet
            financing = borrowing - repaid - other_repayment + equity_in - dividends
            cash_begin = cash
            cash = cash_begin + operating + investing + financing
            net_assets = net_assets + net_income - dividends + equity_in
            deltas, effect = adjustments[i]
            bs = make_bs(
                cash,
                new_receivables,
                new_inventory,
                new_other_ca,
                fixed_assets,
                new_payables,
                debt,
                new_other_li,
                net_assets,
                effect,
            )
            adjusted = bs if deltas is None else _adjusted_line_bs(bs, deltas)
            cf = new_cf(
                operating,
                investing,
                financing,
                cash_begin,
                cash,
                dividends,
                equity_in,
                net_income,
                dep,
                noncash,
                wc_change,
                capex_y,
                borrowing,
                repaid,
                other_repayment,
            )
            indicators = ind.compute(
                pl,
                bs,
                adjusted,
                previous_sales=previous_sales,
                employees=employees[i],
                variable_costs=variable_cos + variable_sga,
                variant=variant,
                rounding=rnd,
                forgiveness_gain=forgiven_total,
            )
            details = new_details(
                sales_by_segment,
                tuple(sga_items),
                variable_cos,
                carryforward,
                capacity,
                rescheduled_total,
                scheduled,
                maintenance[i],
                forgiven_total,
                other_debt,
                kept_as_cash[i],
                deferred_now,
            )
            results.append(new_year(period_names[i], "plan", pl, bs, adjusted, cf, indicators, details))
            receivables, inventory, payables = new_receivables, new_inventory, new_payables
            other_ca, other_li = new_other_ca, new_other_li
            previous_sales = sales

        return Projection(
            plan=plan,
            scenario=sc,
            variant=variant,
            years=tuple(results),
            banks=bank_results(plan, bank_loans, base_weights, share_basis, weight_history, redistributed, resched),
            plan_periods=period_names,
            other_debt_opening=other_opening,
            share_basis=share_basis,
        )


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


def _adjustment_layer(adjustments: tuple[m.Adjustment, ...]) -> _Adjust:
    """Adjustments as per-line deltas in BS line order (None when there are none) and their
    effect on net assets."""
    deltas, effect = _adjustment_deltas(adjustments)
    if not deltas:
        return None, effect
    g = deltas.get
    c, r, i, o, f, p, d, li = (g(line, 0) for line in _LINES)
    return (c, r, i, o, f, p, d, li), effect


def _adjustment_layers(adjustments: tuple[m.Adjustment, ...], years: int) -> list[_Adjust]:
    """The base year's adjustments as they apply in each plan year (until their ends_year)."""
    if not adjustments:
        return [(None, 0)] * years
    if any(a.ends_year is not None for a in adjustments):
        return [
            _adjustment_layer(tuple(a for a in adjustments if a.ends_year is None or y < a.ends_year))
            for y in range(1, years + 1)
        ]
    return [_adjustment_layer(adjustments)] * years


def _adjusted_line_bs(bs: BS, deltas: tuple[int, int, int, int, int, int, int, int]) -> BS:
    """The 実態BS: book lines plus adjustments (deltas in BS line order); its net assets equal
    bs.adjusted_net_assets."""
    c, r, i, o, f, p, d, li = deltas
    return make_bs(
        bs.cash + c,
        bs.receivables + r,
        bs.inventory + i,
        bs.other_current_assets + o,
        bs.fixed_assets + f,
        bs.payables + p,
        bs.interest_bearing_debt + d,
        bs.other_liabilities + li,
        bs.adjusted_net_assets,
    )
