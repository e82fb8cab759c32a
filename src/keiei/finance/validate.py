"""Checks on a loaded plan whose figures pass the schema but cannot be right.

Why findings and not exceptions: a balance sheet that does not balance, a loan repaid below
zero or cover above the balance are things the adviser must fix, but they should see all of
them at once and still be able to look at the projection. Each check is a small function
returning findings (beancount's validation style); `validate_plan` runs them all.

Why it lives in `keiei.finance` and not beside the plan model: the checks recompute the
filed subtotals (`keiei.finance.subtotals`), replay the cash table and project the plan, so
they need the engine; with them here `keiei.plan` imports nothing from `keiei.finance` and
the two packages no longer import each other (tests/test_layering.py keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable

from keiei.errors import Finding, Severity
from keiei.finance.cash import cash_schedule, opening_cash
from keiei.finance.projection import Projection, project
from keiei.finance.schedule import first_month
from keiei.finance.subtotals import actual_balance_totals, actual_profit_chain
from keiei.money import format_yen
from keiei.plan import model as m
from keiei.plan.periods import Period

Check = Callable[[m.Plan], list[Finding]]
ProjectionCheck = Callable[[m.Plan, Projection], list[Finding]]


def _error(code: str, message: str, where: str, **details: object) -> Finding:
    return Finding(code, Severity.ERROR, message, where, None, dict(details))


def _warning(code: str, message: str, where: str, **details: object) -> Finding:
    return Finding(code, Severity.WARNING, message, where, None, dict(details))


def _info(code: str, message: str, where: str, **details: object) -> Finding:
    return Finding(code, Severity.INFO, message, where, None, dict(details))


# --------------------------------------------------------------------------- actuals


def check_actual_periods(plan: m.Plan) -> list[Finding]:
    out = []
    fy_month = plan.company.fiscal_year_end_month
    for k, year in enumerate(plan.actuals):
        where = f"actuals[{k}].period"
        if year.period.month != fy_month:
            out.append(
                _warning(
                    "PLAN_PERIOD_MONTH",
                    f"決算期 {year.period} の月が決算月（{fy_month}月）と違います",
                    where,
                    period=str(year.period),
                )
            )
        if k and year.period.index - plan.actuals[k - 1].period.index != 12:
            out.append(
                _warning(
                    "PLAN_PERIOD_GAP",
                    f"実績 {plan.actuals[k - 1].period} と {year.period} が1年ごとになっていません（変則決算・欠けた期）",
                    where,
                )
            )
    return out


def check_actual_statements(plan: m.Plan) -> list[Finding]:
    out = []
    for k, year in enumerate(plan.actuals):
        pl = year.pl
        derived = actual_profit_chain(pl)._asdict()
        for key, stated in pl.stated:
            if derived[key] != stated:
                out.append(
                    _error(
                        "PLAN_PL_MISMATCH",
                        f"{year.period} の {key} が内訳から計算した額と合いません"
                        f"（記載 {format_yen(stated)}、計算 {format_yen(derived[key])}）",
                        f"actuals[{k}].pl.{key}",
                        stated=stated,
                        derived=derived[key],
                    )
                )
        if pl.interest_expense > pl.non_operating_expenses:
            out.append(
                _error(
                    "PLAN_INTEREST_EXCEEDS",
                    f"{year.period} の支払利息が営業外費用を超えています（営業外費用は支払利息を含めて書きます）",
                    f"actuals[{k}].pl.interest_expense",
                )
            )
        if pl.depreciation > pl.cost_of_sales + pl.sga:
            out.append(
                _error(
                    "PLAN_DEPRECIATION_EXCEEDS",
                    f"{year.period} の減価償却費が売上原価と販管費の合計を超えています（内数で書きます）",
                    f"actuals[{k}].pl.depreciation",
                )
            )
        bs = year.bs
        if bs is not None and bs.stated_net_assets is not None:
            assets, liabilities, book = actual_balance_totals(bs)
            if book != bs.stated_net_assets:
                out.append(
                    _error(
                        "PLAN_BS_UNBALANCED",
                        f"{year.period} の貸借対照表が一致しません: 資産 {format_yen(assets)} − 負債 {format_yen(liabilities)}"
                        f" = {format_yen(book)}、記載の純資産 {format_yen(bs.stated_net_assets)}",
                        f"actuals[{k}].bs.net_assets",
                        difference=book - bs.stated_net_assets,
                    )
                )
        if bs is not None:
            for adj_index, adj in enumerate(year.adjustments):
                if adj.line in m.ASSET_LINES and getattr(bs, adj.line) + adj.amount < 0:
                    out.append(
                        _warning(
                            "PLAN_ADJUSTMENT_NEGATIVE_LINE",
                            f"実態BS修正「{adj.item}」で {adj.line} がマイナスになります",
                            f"actuals[{k}].adjustments[{adj_index}].amount",
                        )
                    )
        elif year.adjustments:
            out.append(
                _warning(
                    "PLAN_ADJUSTMENT_WITHOUT_BS",
                    f"{year.period} に貸借対照表がないため実態BS修正は使われません",
                    f"actuals[{k}].adjustments",
                )
            )
    return out


def check_segments(plan: m.Plan) -> list[Finding]:
    last = plan.actuals[-1]
    if not last.segments:
        return []
    total = sum(v for _, v in last.segments)
    if total == last.pl.sales:
        return []
    return [
        _warning(
            "PLAN_SEGMENT_BASE_MISMATCH",
            f"{last.period} の部門別売上高の合計 {format_yen(total)} が売上高 {format_yen(last.pl.sales)} と違います",
            f"actuals[{len(plan.actuals) - 1}].segments",
            difference=total - last.pl.sales,
        )
    ]


# --------------------------------------------------------------------------- banks and support


def check_loans(plan: m.Plan) -> list[Finding]:
    out = []
    base = plan.base_period
    for b, bank in enumerate(plan.banks):
        for j, loan in enumerate(bank.loans):
            where = f"banks[{b}].loans[{j}]"
            if loan.covered > loan.balance:
                out.append(
                    _error(
                        "PLAN_COVERED_EXCEEDS_BALANCE",
                        f"{bank.name}「{loan.name}」の保全額 {format_yen(loan.covered)} が残高 {format_yen(loan.balance)} を超えています",
                        f"{where}.covered",
                    )
                )
            if loan.maturity is not None and loan.maturity <= base and loan.balance > 0:
                out.append(
                    _warning(
                        "PLAN_MATURITY_PAST",
                        f"{bank.name}「{loan.name}」の最終期限 {loan.maturity} が基準期 {base} 以前なのに残高があります",
                        f"{where}.maturity",
                    )
                )
            if loan.schedule is not None and sum(loan.schedule) > loan.balance:
                out.append(
                    _error(
                        "PLAN_SCHEDULE_EXCEEDS_BALANCE",
                        f"{bank.name}「{loan.name}」の返済予定の合計 {format_yen(sum(loan.schedule))} が残高 {format_yen(loan.balance)} を超えています",
                        f"{where}.schedule",
                    )
                )
        for j, new in enumerate(bank.new_loans):
            if new.covered > new.amount:
                out.append(
                    _error(
                        "PLAN_COVERED_EXCEEDS_BALANCE",
                        f"{bank.name}「{new.name}」の保全額が借入額を超えています",
                        f"banks[{b}].new_loans[{j}].covered",
                    )
                )
    last_bs = plan.actuals[-1].bs
    if last_bs is not None and plan.banks:
        loans_total = sum(bank.balance for bank in plan.banks)
        gap = last_bs.interest_bearing_debt - loans_total
        where = f"actuals[{len(plan.actuals) - 1}].bs.interest_bearing_debt"
        if gap < 0:
            out.append(
                _error(
                    "PLAN_LOANS_EXCEED_DEBT",
                    f"金融機関別の借入残高の合計 {format_yen(loans_total)} が基準期の有利子負債 {format_yen(last_bs.interest_bearing_debt)} を超えています",
                    where,
                    difference=gap,
                )
            )
        elif gap > 0:
            out.append(
                _info(
                    "PLAN_OTHER_DEBT",
                    f"有利子負債のうち {format_yen(gap)} は金融機関別の借入にない残高（代表者借入金・リース等）として計画します",
                    where,
                    amount=gap,
                )
            )
    return out


def check_support(plan: m.Plan) -> list[Finding]:
    out = []
    fs = plan.financial_support
    if fs.forgiveness and plan.program != "405-gl":
        out.append(
            _error(
                "PLAN_FORGIVENESS_PROGRAM",
                "債務免除は 405事業 中小版GL枠（program: 405-gl）の計画でだけ扱えます",
                "financial_support.forgiveness",
            )
        )
    if fs.rescheduling is not None and plan.program == "early":
        out.append(
            _warning(
                "PLAN_RESCHEDULING_EARLY",
                "早期経営改善計画は返済条件の変更を必要としない事業者向けです（リスケが必要なら 405事業）",
                "financial_support.rescheduling",
            )
        )
    resched = fs.rescheduling
    if resched is not None:
        rescheduled = [x for bank in plan.banks for x in bank.loans if x.rescheduled]
        if not rescheduled:
            out.append(
                _warning(
                    "PLAN_RESCHEDULING_NO_LOANS",
                    "リスケの対象となる借入（rescheduled: true）がありません",
                    "financial_support.rescheduling",
                )
            )
        elif resched.basis == "uncovered" and sum(x.uncovered for x in rescheduled) == 0:
            out.append(
                _warning(
                    "PLAN_UNCOVERED_ZERO",
                    "非保全残高がないため、信用残高プロラタではなく残高プロラタで配分します",
                    "financial_support.rescheduling.basis",
                )
            )
    return out


# --------------------------------------------------------------------------- cash table


def check_cash_table(plan: m.Plan) -> list[Finding]:
    table = plan.cash_table
    if not table.months:
        return []
    out = []
    for k in range(1, len(table.months)):
        if table.months[k].month.index - table.months[k - 1].month.index != 1:
            out.append(
                _warning(
                    "PLAN_CASH_TABLE_GAP",
                    f"資金実績・計画表の {table.months[k - 1].month} と {table.months[k].month} の間に月の抜けがあります",
                    f"cash_table.months[{k}].month",
                )
            )
    actual_months = sum(1 for mo in table.months if mo.kind == "actual")
    if actual_months < 12:
        out.append(
            _warning(
                "PLAN_CASH_TABLE_ACTUAL_MONTHS",
                f"資金実績・計画表の実績は通常12か月分です（{actual_months} か月分あります）",
                "cash_table.months",
            )
        )
    if opening_cash(plan) is None:
        out.append(
            _warning(
                "PLAN_CASH_TABLE_OPENING",
                "資金実績・計画表の月初現預金が分からないため 0 円から計算します（opening_cash を指定してください）",
                "cash_table.opening_cash",
            )
        )
        return out
    bs_cash = {year.period: year.bs.cash for year in plan.actuals if year.bs is not None}
    for k, month in enumerate(cash_schedule(plan)):
        period = table.months[k].month
        if month.kind == "actual" and period in bs_cash and month.cash_end != bs_cash[period]:
            out.append(
                _warning(
                    "PLAN_CASH_TABLE_MISMATCH",
                    f"資金実績・計画表の {period} 末の現預金 {format_yen(month.cash_end)} が決算書の現預金 {format_yen(bs_cash[period])} と違います",
                    f"cash_table.months[{k}]",
                    difference=month.cash_end - bs_cash[period],
                )
            )
    return out


# --------------------------------------------------------------------------- projected figures


def check_projection(plan: m.Plan, projection: Projection) -> list[Finding]:
    out = []
    for bank in projection.banks:
        for loan in bank.loans:
            for period, balance in zip(projection.plan_periods, loan.closing_balance, strict=True):
                if balance < 0:
                    out.append(
                        _error(
                            "PLAN_LOAN_NEGATIVE",
                            f"{bank.name}「{loan.name}」の {period} 末残高が {format_yen(balance)} になります（返済・債務免除が残高を超えています）",
                            f"banks.{bank.name}.{loan.name}",
                            period=period,
                            balance=balance,
                        )
                    )
                    break
    for year in projection.plan_years:
        bs, details = year.bs, year.details
        if bs is None or details is None:
            continue
        if year.pl.sales < 0:
            out.append(
                _error(
                    "PLAN_SALES_NEGATIVE",
                    f"{year.period} の売上高がマイナスになります",
                    f"years.{year.period}.pl.sales",
                )
            )
        if bs.fixed_assets < 0:
            out.append(
                _error(
                    "PLAN_FIXED_ASSETS_NEGATIVE",
                    f"{year.period} の固定資産が {format_yen(bs.fixed_assets)} になります（減価償却費・減損が帳簿価額を超えています）",
                    f"years.{year.period}.bs.fixed_assets",
                )
            )
        if details.other_interest_bearing_debt < 0:
            out.append(
                _error(
                    "PLAN_OTHER_DEBT_NEGATIVE",
                    f"{year.period} のその他の有利子負債（代表者借入金等）がマイナスになります（返済が残高を超えています）",
                    "drivers.other_debt.repayment",
                )
            )
        if bs.cash < 0:
            out.append(
                _warning(
                    "PLAN_CASH_NEGATIVE",
                    f"{year.period} 末の現預金が {format_yen(bs.cash)} になります（資金不足）",
                    f"years.{year.period}.bs.cash",
                    period=year.period,
                    cash=bs.cash,
                )
            )
    support = plan.financial_support
    bank_names = {b.name for b in plan.banks}
    for i, f in enumerate(support.forgiveness):
        if f.bank in bank_names and not any(b.loans or b.new_loans for b in plan.banks if b.name == f.bank):
            out.append(
                _error(
                    "PLAN_FORGIVENESS_NO_LOAN",
                    f"{f.bank} に借入がないため債務免除を計上できません",
                    f"financial_support.forgiveness[{i}]",
                )
            )
    return out


# --------------------------------------------------------------------------- hidden premises


def _plan_year_one_months(plan: m.Plan) -> list[tuple[int, m.CashMonth]]:
    """The cash table's planned months inside plan year 1, with their index in the table."""
    first, last = plan.base_period.index + 1, plan.plan_periods[0].index
    return [
        (k, mo) for k, mo in enumerate(plan.cash_table.months) if mo.kind == "plan" and first <= mo.month.index <= last
    ]


def check_new_loans(plan: m.Plan, projection: Projection) -> list[Finding]:
    """A new loan is a request to a lender, whether or not it is called financial support.

    Why: a plan that draws a loan (in new_loans, or as a borrowing row of the monthly cash table)
    while saying it asks nothing of the banks hides the premise it stands on; the lender must see
    the loan, its amount, purpose and guarantee under 金融支援の内容.
    """
    out = []
    year_one = _plan_year_one_months(plan)
    borrowed = sum(v for _, mo in year_one for _, v in mo.financing_in)
    listed = sum(n.amount for b in plan.banks for n in b.new_loans if n.year == 1) + plan.drivers.equity_issued[0]
    if borrowed > listed:
        k = next(k for k, mo in year_one if mo.financing_in)
        out.append(
            _warning(
                "PLAN_CASH_BORROWING_UNLISTED",
                f"資金実績・計画表の計画1年目に借入等の入金 {format_yen(borrowed)} がありますが、"
                f"新規借入（banks の new_loans）と増資は {format_yen(listed)} です。借入は金融機関への依頼なので、"
                "貸し手・金額・資金使途・保証を new_loans に記入して金融支援の内容に載せてください",
                f"cash_table.months[{k}].financing_in",
                borrowed=borrowed,
                listed=listed,
            )
        )
    fs = plan.financial_support
    asked = (
        fs.rescheduling is not None or bool(fs.forgiveness) or any(n.support for b in plan.banks for n in b.new_loans)
    )
    if not asked:
        for b, bank in enumerate(plan.banks):
            for j, new in enumerate(bank.new_loans):
                out.append(
                    _warning(
                        "PLAN_NEW_LOAN_NOT_ASKED",
                        f"計画は {bank.name}「{new.name}」{format_yen(new.amount)}（計画{new.year}年目）の新規借入を前提にしていますが、"
                        "金融支援を何も依頼していない（「金融支援は求めません」）ことになっています。"
                        "新規借入は金融機関への依頼です: support: true として金融支援の内容に載せてください",
                        f"banks[{b}].new_loans[{j}].support",
                        bank=bank.name,
                        amount=new.amount,
                    )
                )
    return out


def check_cash_table_agrees(plan: m.Plan, projection: Projection) -> list[Finding]:
    """The planned months of plan year 1 must end where the projection ends.

    Why: the monthly table is the short-term plan the company manages by; if its year-end cash
    or its operating flows differ from the projected BS and cash-flow statement, one of the two
    plans is wrong, and the reader cannot tell which (a plan tried here differed by 1,031,253円).
    """
    year = projection.plan_years[0] if projection.plan_years else None
    months = _plan_year_one_months(plan)
    if year is None or year.bs is None or year.cf is None or not months or opening_cash(plan) is None:
        return []
    out = []
    rows = {r.month: r for r in cash_schedule(plan)}
    k, last = months[-1]
    if last.month == plan.plan_periods[0]:
        end = rows[str(last.month)].cash_end
        if end != year.bs.cash:
            out.append(
                _warning(
                    "PLAN_CASH_TABLE_YEAR_END",
                    f"資金実績・計画表の {last.month} 末の現預金 {format_yen(end)} が計画1年目の貸借対照表の現預金 "
                    f"{format_yen(year.bs.cash)} と違います（差 {format_yen(end - year.bs.cash)}）",
                    f"cash_table.months[{k}]",
                    table=end,
                    projection=year.bs.cash,
                    difference=end - year.bs.cash,
                )
            )
    if len(months) == 12:
        operating = sum(rows[str(mo.month)].operating for _, mo in months)
        if operating != year.cf.operating:
            out.append(
                _warning(
                    "PLAN_CASH_TABLE_OPERATING",
                    f"資金実績・計画表の計画1年目12か月の営業収支の合計 {format_yen(operating)} が計画キャッシュフロー計算書の"
                    f"営業活動によるキャッシュフロー {format_yen(year.cf.operating)} と違います"
                    f"（差 {format_yen(operating - year.cf.operating)}）",
                    f"cash_table.months[{months[0][0]}]",
                    table=operating,
                    projection=year.cf.operating,
                    difference=operating - year.cf.operating,
                )
            )
    return out


def check_maturities(plan: m.Plan, projection: Projection) -> list[Finding]:
    """A loan may not carry a balance past its maturity unless the plan extends it explicitly.

    Why an error: a bank cannot sign terms that leave principal outstanding after the final
    date of its own contract; the plan must say so (`extended_maturity`), and then the
    extended date is checked the same way. Also: the agreement month should fall in the first
    rescheduling year, and an extension should be later than the contract.
    """
    out: list[Finding] = []
    periods = [Period.parse(p) for p in projection.plan_periods]
    for bank in projection.banks:
        for loan in bank.loans:
            if loan.plan_maturity is None:
                continue
            limit = Period.parse(loan.plan_maturity)
            for period, balance in zip(periods, loan.closing_balance, strict=True):
                if balance > 0 and period.index >= limit.index:
                    extended = loan.plan_maturity != loan.maturity
                    out.append(
                        _error(
                            "PLAN_LOAN_PAST_MATURITY",
                            f"{bank.name}「{loan.name}」は{'延長後の' if extended else ''}最終期限 {limit} を過ぎた {period} 末に"
                            f"残高 {format_yen(balance)} が残ります（"
                            + (
                                "延長後の期限をさらに見直してください）"
                                if extended
                                else "計画で延長する場合は extended_maturity を指定してください）"
                            ),
                            f"banks.{bank.name}.{loan.name}.maturity",
                            period=str(period),
                            balance=balance,
                            maturity=str(limit),
                        )
                    )
                    break
            if (
                loan.maturity is not None
                and loan.plan_maturity != loan.maturity
                and Period.parse(loan.plan_maturity).index <= Period.parse(loan.maturity).index
            ):
                out.append(
                    _warning(
                        "PLAN_EXTENDED_MATURITY_EARLY",
                        f"{bank.name}「{loan.name}」の延長後の最終期限 {loan.plan_maturity} が約定の最終期限 {loan.maturity} より後ではありません",
                        f"banks.{bank.name}.{loan.name}.extended_maturity",
                    )
                )
    r = plan.financial_support.rescheduling
    if r is not None and r.agreement_date is not None:
        start = first_month(plan, r.from_year)
        if not start.index <= r.agreement_date.index <= start.index + 11:
            out.append(
                _warning(
                    "PLAN_AGREEMENT_DATE_OUTSIDE",
                    f"合意日（新しい返済条件の開始月）{r.agreement_date} がリスケ開始年度（{start}〜{start.plus_months(11)}）の外にあります"
                    "（開始年度の期首から、または期末の前月から新条件として計算しています）",
                    "financial_support.rescheduling.agreement_date",
                )
            )
    return out


def check_after_plan(plan: m.Plan, projection: Projection) -> list[Finding]:
    """What the plan leaves for after its last year: balances of loans under the plan that
    their (extended) maturity cannot absorb at the last year's pace, and interest deferred but
    never settled.

    Why: the checks on each plan year cannot see past the plan; a bank signing the terms asks
    whether the balance left at the end is repayable by the final date it agreed, and when the
    interest it let the company defer will be paid. The balance is information, not a fault:
    a 405 plan usually ends with terms to be agreed again (and the per-loan pace follows the
    share basis, so a covered loan repays slowly by design); loans on their contract are left
    to the contract. Unsettled deferred interest is a warning: the plan must say when.
    """
    out: list[Finding] = []
    if not projection.plan_periods:
        return out
    last = Period.parse(projection.plan_periods[-1])
    for bank in projection.banks:
        for loan in bank.loans:
            balance = loan.closing_balance[-1]
            if loan.plan_maturity is None or balance <= 0 or loan.terms_start is None:
                continue  # (terms_start is None: the loan stays on its contract)
            limit = Period.parse(loan.plan_maturity)
            months = limit.index - last.index
            if months <= 0:
                continue  # a balance at or past the maturity within the plan: check_maturities
            pace = loan.repayment[-1]
            needed = None if pace <= 0 else -(-balance * 12 // pace)  # months, rounded up
            if needed is None or needed > months:
                pace_text = (
                    f"最終年度の返済ペース（年 {format_yen(pace)}）では約 {needed} か月かかります"
                    if needed is not None
                    else "最終年度の返済がありません"
                )
                out.append(
                    _info(
                        "PLAN_BALANCE_AFTER_PLAN_EXCEEDS_TERM",
                        f"{bank.name}「{loan.name}」は計画最終年度末 {last} に残高 {format_yen(balance)} が残り、"
                        f"最終期限 {limit} まで {months} か月ですが、{pace_text}"
                        "（計画後の返済条件（期限の延長など）は計画終了までに協議が必要です）",
                        f"banks.{bank.name}.{loan.name}.maturity",
                        balance=balance,
                        maturity=str(limit),
                        months_left=months,
                        months_needed=needed,
                    )
                )
    deferred = sum(y.details.deferred_interest for y in projection.plan_years if y.details is not None)
    if deferred > 0:
        out.append(
            _warning(
                "PLAN_DEFERRED_INTEREST_UNSETTLED",
                f"据え置いた利息 {format_yen(deferred)} が計画最終年度末 {last} に未払利息として残ります"
                "（支払時期と方法を金融支援の内容に記載してください）",
                "financial_support.rescheduling.interest",
                deferred_interest=deferred,
            )
        )
    return out


PLAN_CHECKS: tuple[Check, ...] = (
    check_actual_periods,
    check_actual_statements,
    check_segments,
    check_loans,
    check_support,
    check_cash_table,
)
PROJECTION_CHECKS: tuple[ProjectionCheck, ...] = (
    check_projection,
    check_new_loans,
    check_cash_table_agrees,
    check_maturities,
    check_after_plan,
)


def validate_plan(plan: m.Plan) -> list[Finding]:
    """Every finding on the plan's figures, the projected ones included (under the plan's
    scenario). Never raises for a plan that `load_plan` accepted.
    """
    findings: list[Finding] = []
    for check in PLAN_CHECKS:
        findings.extend(check(plan))
    projection = project(plan)
    for projection_check in PROJECTION_CHECKS:
        findings.extend(projection_check(plan, projection))
    return findings
