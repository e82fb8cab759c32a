"""The data of the monitoring report (伴走支援レポート): everything a renderer (PDF, workbook,
web page) lays out, and nothing it has to compute.

Why a data function in the core: the report's contents are fixed by practice (the (interim)
closing in brief, plan against actual, each action's progress, the causes of the gaps and the
countermeasures, what is asked of the banks, with the trial balance attached — monitoring-
facts.md); every face must show the same figures, so they are computed once, here, from
`monitor_check`'s result. Amounts are integer yen; ratios are given as the JSON publishes them
and as text (`keiei.finance.display.percent_text`).

Keys of `report_data(...)`:
    title, company, program, as_of, through, files
    closing: {summary (the adviser's text or None), fiscal_year, months_actual, months_left,
              headline: [annual rows of sales, operating/ordinary profit, net income]}
    plan_vs_actual: {monthly, cumulative, annual}           as in `monitor check --json`
    chart: {months: [...], plan: {line: [...]}, actual: {line: [...]},
            cumulative_plan: {...}, cumulative_actual: {...}}   lines: sales, ordinary_profit
    actions: [{measure, owner, deadline, kpi, status, started, completed, evidence, note}]
    causes, countermeasures, asks_of_banks: [text]         the adviser's (monitoring.yaml)
    repayments: {banks, total, actual_by_bank, note}
    forecast: [...]                                         criteria on the rolling forecast
    flags: [finding dicts]; findings: [finding dicts]
    trial_balance: {month, basis, bs: {line: yen} | None, pl_to_date: {line: yen}, note}
"""

from __future__ import annotations

from typing import Any

from keiei.monitoring import lines
from keiei.monitoring.check import MonitorResult
from keiei.monitoring.compare import actual_pl
from keiei.plan.periods import Period

CHART_LINES = ("sales", "ordinary_profit")
HEADLINE = ("sales", "gross_profit", "operating_profit", "ordinary_profit", "net_income")


def _trial_balance(result: MonitorResult) -> dict[str, Any]:
    """The latest month-end balances: as stated by a trial balance, else the plan's opening
    balance sheet plus every movement since, when every month since the plan began is in."""
    periods = result.merged.periods
    if not periods:
        return {"month": None, "basis": None, "bs": None, "pl_to_date": {}, "note": "実績がありません"}
    last = periods[-1]
    latest = result.comparison.cumulative[-1]
    pl_to_date = {k: latest.actual[k] for k in (*lines.PL_KEYS, "ordinary_profit", "net_income") if k in latest.actual}
    if last.bs is not None:
        return {"month": str(last.last), "basis": "stated", "bs": dict(last.bs), "pl_to_date": pl_to_date,
                "note": "試算表に書かれた月末残高です"}  # fmt: skip
    plan = result.plan
    base = plan.actuals[-1].bs
    covered = {mo for p in periods for mo in p.months}
    start = plan.base_period.plus_months(1)
    every = [start.plus_months(k) for k in range(last.last.index - start.index + 1)]
    if base is None or any(mo not in covered for mo in every):
        return {"month": str(last.last), "basis": None, "bs": None, "pl_to_date": pl_to_date,
                "note": "仕訳帳には期首残高がなく、計画の期首から欠けた月があるため、残高は示せません"}  # fmt: skip
    bs = {key: int(getattr(base, key)) for key in lines.BS_KEYS if key != "net_assets"}
    bs["net_assets"] = sum(bs[k] for k in lines.ASSET_KEYS) - sum(bs[k] for k in lines.LIABILITY_KEYS)
    for p in periods:
        for key, value in p.bs_change.items():
            bs[key] = bs.get(key, 0) + value
        bs["net_assets"] += actual_pl(p)["net_income"]
    return {"month": str(last.last), "basis": "opening_plus_movements", "bs": bs, "pl_to_date": pl_to_date,
            "note": f"計画の期首貸借対照表（{plan.base_period}期末）に {len(every)} か月の増減を加えた残高です"}  # fmt: skip


def _chart(result: MonitorResult) -> dict[str, Any]:
    views = result.comparison.monthly
    cumulative = result.comparison.cumulative
    return {
        "months": [v.label for v in views],
        "plan": {k: [v.plan[k] for v in views] for k in CHART_LINES},
        "actual": {k: [v.actual[k] for v in views] for k in CHART_LINES},
        "cumulative_plan": {k: [v.plan[k] for v in cumulative] for k in CHART_LINES},
        "cumulative_actual": {k: [v.actual[k] for v in cumulative] for k in CHART_LINES},
    }


def report_data(result: MonitorResult) -> dict[str, Any]:
    """The monitoring report's contents (keys in the module doc)."""
    data = result.as_dict()
    progress = result.progress
    annual = result.comparison.annual[-1] if result.comparison.annual else None
    through = data["through"]
    return {
        "title": f"伴走支援レポート（{result.plan.company.name}、{through or '実績なし'} まで）",
        "company": result.plan.company.name,
        "program": result.plan.program,
        "as_of": data["as_of"],
        "through": through,
        "files": data["files"],
        "closing": {
            "summary": progress.closing if progress else None,
            "fiscal_year": annual.fiscal_year if annual else None,
            "months_actual": len(annual.months_actual) if annual else 0,
            "months_left": [str(Period.parse(str(mo))) for mo in annual.months_left] if annual else [],
            "headline": [c.as_dict() for c in annual.cells if c.key in HEADLINE] if annual else [],
        },
        "plan_vs_actual": {key: data[key] for key in ("monthly", "cumulative", "annual")},
        "chart": _chart(result),
        "actions": data["actions"],
        "causes": list(progress.causes) if progress else [],
        "countermeasures": list(progress.countermeasures) if progress else [],
        "asks_of_banks": list(progress.asks_of_banks) if progress else [],
        "repayments": data["repayments"],
        "forecast": data["forecast"],
        "flags": data["flags"],
        "findings": data["findings"],
        "trial_balance": _trial_balance(result),
    }
