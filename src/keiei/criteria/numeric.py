"""The three numeric criteria of the 協議会 / 中小版GL set, on a projected plan.

Definitions (docs/criteria.md has the same in Japanese and with examples):

* Plan year 1 is the first plan year; "within N years" means plan year N counts.
* **Return to ordinary profit** (`ordinary_profit_within_3y`): the return year is the
  earliest plan year t whose ordinary profit is > 0 and after which it never falls below 0
  (≥ 0 in every later plan year). Passed when such a t exists and t ≤ N. A company already
  profitable at the base (last actual year) that stays so has return year 1 and passes with a
  message saying it was already profitable. A profit in year 2 followed by a loss in year 3 does
  not count: the return year is the one from which the profit holds.
* **Adjusted negative net worth resolved** (`negative_net_worth_within_5y`): on the 実態BS
  (`bs.adjusted_net_assets`); 債務超過 means adjusted net assets < 0. The resolution year is the
  earliest plan year t from which adjusted net assets are ≥ 0 in every plan year. Passed when
  t ≤ N; a company without adjusted negative net worth at the base that stays so passes with a
  message saying so.
* **Debt repayment years** (`debt_repayment_years_le_10`): the final plan year's 債務償還年数
  under the projection's variant (default `ordinary`), compared exactly (10 passes, 10.0001
  fails); undefined (cash flow ≤ 0) fails. Shown as every face shows it
  (`keiei.finance.display`: the exact value rounded *up* to 0.01 years), so a shown value never
  contradicts the verdict.

A plan shorter than N years must show the result inside its own years.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from keiei.criteria.model import (
    APPLIES_LABELS,
    DEBT_REPAYMENT_YEARS,
    NEGATIVE_NET_WORTH,
    ORDINARY_PROFIT,
    Criterion,
    failure_severity,
    verdict,
)
from keiei.criteria.parameters import NumericParameters
from keiei.finance import REPAYMENT_YEARS_FORMULAS, Projection, YearResult, debt_repayment_years
from keiei.finance.display import indicator_text
from keiei.finance.indicators import repayment_cash_flow
from keiei.finance.output import ratio
from keiei.money import format_thousand_yen
from keiei.plan.periods import period_text_label


def sen(amount: int) -> str:
    """千円 with △ for negatives, as bank documents show amounts."""
    return f"{format_thousand_yen(amount)}千円"


def years_text(value: Decimal) -> str:
    """Repayment years as every face prints them (`keiei.finance.display`: up to 0.01)."""
    return indicator_text("debt_repayment_years", value)


def ceiling_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def return_to_profit_year(values: Sequence[int]) -> int | None:
    """1-based plan year from which ordinary profit is > 0 and never negative again."""
    for t, value in enumerate(values):
        if value > 0 and all(later >= 0 for later in values[t + 1 :]):
            return t + 1
    return None


def resolution_year(values: Sequence[int]) -> int | None:
    """1-based plan year from which adjusted net assets stay ≥ 0 to the end of the plan."""
    for t in range(len(values)):
        if all(v >= 0 for v in values[t:]):
            return t + 1
    return None


def numeric_criteria(projection: Projection, params: NumericParameters) -> list[Criterion]:
    """The three numeric verdicts; their severity when failed follows `params.applies`."""
    return [
        ordinary_profit_criterion(projection, params),
        negative_net_worth_criterion(projection, params),
        debt_repayment_years_criterion(projection, params),
    ]


def _common(params: NumericParameters) -> dict[str, object]:
    return {"applies": params.applies, "applies_label": APPLIES_LABELS[params.applies]}


def ordinary_profit_criterion(projection: Projection, params: NumericParameters) -> Criterion:
    n = params.ordinary_profit_within_years
    base = projection.actual_years[-1]
    years = projection.plan_years
    values = [y.pl.ordinary_profit for y in years]
    ret = return_to_profit_year(values)
    passed = ret is not None and ret <= n
    rule = f"基準: 計画{n}年目までに経常黒字化"
    if ret is not None:
        year = years[ret - 1]
        if ret == 1 and base.pl.ordinary_profit > 0:
            message = (
                f"基準期（{period_text_label(base.period)}）から経常黒字（{sen(base.pl.ordinary_profit)}）で、"
                f"計画期間中も黒字を維持します（{rule}）"
            )
        elif passed:
            message = (
                f"経常利益は計画{ret}年目（{period_text_label(year.period)}）に黒字化し（{sen(year.pl.ordinary_profit)}）、"
                f"以後も黒字を維持します（{rule}）"
            )
        else:
            message = f"経常黒字化は計画{ret}年目（{period_text_label(year.period)}）で、計画{n}年目までの黒字化に間に合いません"
        where = f"years.{year.period}.pl.ordinary_profit" if passed else _where_n(years, n, "pl.ordinary_profit")
    else:
        positive = [t + 1 for t, v in enumerate(values) if v > 0]
        last = years[-1]
        if positive:
            message = (
                f"経常利益は計画{positive[0]}年目に黒字になりますが、その後に赤字に戻り、黒字が定着しません（{rule}）"
            )
        else:
            message = f"計画期間中に経常黒字化しません（最終年度 {period_text_label(last.period)} の経常利益 {sen(last.pl.ordinary_profit)}、{rule}）"
        where = _where_n(years, n, "pl.ordinary_profit")
    return verdict(
        ORDINARY_PROFIT,
        passed,
        message,
        label=f"経常黒字化（{n}年以内）",
        criteria_set="numeric",
        failed_severity=failure_severity(params.applies),
        where=where,
        details={
            **_common(params),
            "within_years": n,
            "base_period": base.period,
            "base_ordinary_profit": base.pl.ordinary_profit,
            "already_profitable": base.pl.ordinary_profit > 0,
            "return_year": ret,
            "return_period": years[ret - 1].period if ret else None,
            "ordinary_profit": {y.period: y.pl.ordinary_profit for y in years},
        },
    )


def negative_net_worth_criterion(projection: Projection, params: NumericParameters) -> Criterion:
    n = params.negative_net_worth_within_years
    base = projection.actual_years[-1]
    years = projection.plan_years
    values = [y.bs.adjusted_net_assets if y.bs else 0 for y in years]
    base_value = base.bs.adjusted_net_assets if base.bs else 0
    resolved = resolution_year(values)
    passed = resolved is not None and resolved <= n
    rule = f"基準: 計画{n}年目までに解消"
    if resolved is not None:
        year = years[resolved - 1]
        if resolved == 1 and base_value >= 0:
            message = (
                f"基準期（{period_text_label(base.period)}）に実質債務超過はなく（実態純資産 {sen(base_value)}）、"
                f"計画期間中も債務超過になりません（{rule}）"
            )
        elif passed:
            message = (
                f"実質債務超過（基準期 {period_text_label(base.period)} {sen(base_value)}）は計画{resolved}年目（{period_text_label(year.period)}）に"
                f"解消します（実態純資産 {sen(values[resolved - 1])}、{rule}）"
            )
        else:
            message = f"実質債務超過の解消は計画{resolved}年目（{period_text_label(year.period)}）で、計画{n}年目までの解消に間に合いません"
        where = (
            f"years.{year.period}.bs.adjusted_net_assets" if passed else _where_n(years, n, "bs.adjusted_net_assets")
        )
    else:
        last = years[-1]
        message = f"計画期間中に実質債務超過が解消しません（最終年度 {period_text_label(last.period)} の実態純資産 {sen(values[-1])}、{rule}）"
        where = _where_n(years, n, "bs.adjusted_net_assets")
    return verdict(
        NEGATIVE_NET_WORTH,
        passed,
        message,
        label=f"実質債務超過の解消（{n}年以内）",
        criteria_set="numeric",
        failed_severity=failure_severity(params.applies),
        where=where,
        details={
            **_common(params),
            "within_years": n,
            "base_period": base.period,
            "base_adjusted_net_assets": base_value,
            "negative_at_base": base_value < 0,
            "resolution_year": resolved,
            "resolution_period": years[resolved - 1].period if resolved else None,
            "adjusted_net_assets": {y.period: v for y, v in zip(years, values, strict=True)},
        },
    )


def debt_repayment_years_criterion(projection: Projection, params: NumericParameters) -> Criterion:
    ceiling = params.debt_repayment_years_max
    final = projection.plan_years[-1]
    value = final.indicators.debt_repayment_years
    variant = projection.variant
    rule = f"基準: 最終年度 {ceiling_text(ceiling)}年以内"
    cash_flow = repayment_cash_flow(final.pl, variant)
    if value is None:
        passed = False
        message = (
            f"最終年度（{period_text_label(final.period)}）の債務償還年数は算定できません"
            f"（返済原資となるキャッシュフロー {sen(cash_flow)} がゼロ以下、{rule}）"
        )
    elif value == 0:
        passed = True
        message = f"最終年度（{period_text_label(final.period)}）の有利子負債は正常運転資金以下で、債務償還年数は 0 年です（{rule}）"
    else:
        passed = value <= ceiling
        relation = "以内です" if passed else "を超えます"
        message = (
            f"最終年度（{period_text_label(final.period)}）の債務償還年数は {years_text(value)}年で、"
            f"基準の {ceiling_text(ceiling)}年{relation}"
        )
    adjusted = debt_repayment_years(final.pl, final.adjusted_bs, variant) if final.adjusted_bs is not None else None
    bs = final.bs
    return verdict(
        DEBT_REPAYMENT_YEARS,
        passed,
        message,
        label=f"債務償還年数（最終年度 {ceiling_text(ceiling)}年以内）",
        criteria_set="numeric",
        failed_severity=failure_severity(params.applies),
        where=f"years.{final.period}.indicators.debt_repayment_years",
        details={
            **_common(params),
            "max": params.as_dict()["debt_repayment_years_max"],
            "period": final.period,
            "value": ratio(value),
            "variant": variant,
            "formula": REPAYMENT_YEARS_FORMULAS[variant],
            "interest_bearing_debt": bs.interest_bearing_debt if bs else None,
            "normal_working_capital": final.indicators.normal_working_capital,
            "cash_flow": cash_flow,
            "adjusted_bs_value": ratio(adjusted),
            "by_year": {y.period: ratio(y.indicators.debt_repayment_years) for y in projection.plan_years},
        },
    )


def _where_n(years: Sequence[YearResult], n: int, field: str) -> str:
    """The figure of plan year N (or the last plan year of a shorter plan)."""
    return f"years.{years[min(n, len(years)) - 1].period}.{field}"
