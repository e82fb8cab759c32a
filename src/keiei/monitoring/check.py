"""`keiei monitor check`: the plan against the imported months, in one result other tools read.

One function assembles the steps (merge → monthly plan → views → forecast and criteria →
repayments → action progress → flags) so the CLI, the report data and the web get the same
figures and the same findings. The JSON contract is `MonitorResult.as_dict()` (docs/monitoring.md).

Flags compare the latest year-to-date figures of each plan year with the thresholds in force
on the session date (`keiei.rules.monitoring_flags`: dated, cited, marked unconfirmed); each
flag carries the threshold and its source in `details`, so a reader sees it is a practice
reading and not a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from keiei.errors import Finding, Severity
from keiei.finance import Projection, project
from keiei.finance.display import percent_text
from keiei.monitoring.actuals import Actuals
from keiei.monitoring.compare import Comparison, View, compare
from keiei.monitoring.forecast import ForecastVerdicts, forecast_verdicts
from keiei.monitoring.merge import Merged, merge_actuals
from keiei.monitoring.planmonths import plan_months
from keiei.monitoring.progress import Progress, progress_findings
from keiei.monitoring.repayments import Repayments, repayments
from keiei.plan import model as m
from keiei.rules import MonitoringFlags, monitoring_flags

VERSION = 1
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class MonitorResult:
    plan: m.Plan
    projection: Projection
    on: dt.date
    merged: Merged
    comparison: Comparison
    forecasts: tuple[ForecastVerdicts, ...]
    repayments: Repayments
    progress: Progress | None
    flags: MonitoringFlags | None
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def raised(self) -> tuple[Finding, ...]:
        """The flags raised (codes `monitor.flag.*`)."""
        return tuple(f for f in self.findings if f.code.startswith("monitor.flag."))

    def as_dict(self) -> dict[str, Any]:
        periods = self.merged.periods
        return {
            "version": VERSION,
            "company": self.plan.company.name,
            "program": self.plan.program,
            "as_of": self.on.isoformat(),
            "files": list(self.merged.files),
            "months": [p.label for p in periods],
            "through": str(periods[-1].last) if periods else None,
            "findings": [f.as_dict() for f in self.findings],
            "flags": [f.as_dict() for f in self.raised],
            "thresholds": [v.as_dict() for v in self.flags.values] if self.flags else [],
            **self.comparison.as_dict(),
            "forecast": [fv.as_dict() for fv in self.forecasts],
            "repayments": self.repayments.as_dict(),
            "actions": _actions(self.plan, self.progress),
        }


def _actions(plan: m.Plan, progress: Progress | None) -> list[dict[str, Any]]:
    status = {a.measure: a for a in progress.actions} if progress else {}
    out = []
    for action in plan.action_plan:
        item = status.get(action.measure)
        out.append(
            {
                "measure": action.measure,
                "owner": action.owner,
                "deadline": str(action.deadline) if action.deadline else None,
                "kpi": action.kpi,
                **(item.as_dict() if item else {"status": None}),
            }
        )
    return out


def _flag(code: str, message: str, where: str, flags: MonitoringFlags, name: str, **details: Any) -> Finding:
    source = flags.source(name)
    return Finding(
        f"monitor.flag.{code}",
        Severity.WARNING,
        message,
        where,
        passed=False,
        details={
            **details,
            "threshold_key": source.key,
            "threshold": str(source.value),
            "since": source.since.isoformat(),
            "reference": source.reference,
            "unconfirmed": source.unconfirmed,
        },
    )


def _share(value: Decimal) -> str:
    return percent_text(value)


def flag_findings(
    comparison: Comparison, forecasts: Sequence[ForecastVerdicts], paid: Repayments, flags: MonitoringFlags | None
) -> list[Finding]:
    """The flags raised by the latest year-to-date view of each plan year (module doc)."""
    if flags is None:
        return [
            Finding(
                "monitor.no_thresholds",
                Severity.INFO,
                "この日付に有効な伴走支援の目安（規則）がないため、注意の判定はしていません",
                passed=None,
            )
        ]
    out: list[Finding] = []
    latest: dict[int, View] = {}
    for view in comparison.cumulative:
        latest[view.plan_year] = view
    for view in latest.values():
        at = f"cumulative.{view.label}"
        sales = view.cell("sales")
        if sales.achievement is not None and sales.achievement < flags.sales_min_achievement:
            out.append(
                _flag("sales", f"{view.label} の売上高の累計は計画の {_share(sales.achievement)}（目安 "
                      f"{_share(flags.sales_min_achievement)} 以上）です", at, flags, "sales_min_achievement",
                      plan=sales.plan, actual=sales.actual)
            )  # fmt: skip
        net = view.cell("net_income")
        if net.plan > 0:
            if net.actual <= 0:
                out.append(
                    _flag("net_income", f"{view.label} の当期純利益の累計は計画が黒字（{net.plan:,} 円）なのに"
                          f" {net.actual:,} 円です", at, flags, "net_income_min_achievement",
                          plan=net.plan, actual=net.actual)
                )  # fmt: skip
            elif net.achievement is not None and net.achievement < flags.net_income_min_achievement:
                out.append(
                    _flag("net_income", f"{view.label} の当期純利益の累計は計画の {_share(net.achievement)}（目安 "
                          f"{_share(flags.net_income_min_achievement)} 以上）です", at, flags,
                          "net_income_min_achievement", plan=net.plan, actual=net.actual)
                )  # fmt: skip
        ordinary = view.cell("ordinary_profit")
        if flags.ordinary_profit_sign and ordinary.plan > 0 and ordinary.actual <= 0:
            out.append(
                _flag("ordinary_profit_sign", f"{view.label} の経常利益の累計は計画が黒字（{ordinary.plan:,} 円）"
                      f"なのに {ordinary.actual:,} 円です", at, flags, "ordinary_profit_sign",
                      plan=ordinary.plan, actual=ordinary.actual)
            )  # fmt: skip
    for annual in comparison.annual:
        cell = annual.cell("ordinary_profit")
        if flags.ordinary_profit_sign and cell.plan > 0 and cell.forecast <= 0:
            out.append(
                _flag("ordinary_profit_forecast", f"{annual.fiscal_year}期の経常利益は計画が黒字（{cell.plan:,} 円）"
                      f"ですが、見込みは {cell.forecast:,} 円です", f"annual.{annual.fiscal_year}", flags,
                      "ordinary_profit_sign", plan=cell.plan, forecast=cell.forecast)
            )  # fmt: skip
    for row in (*paid.banks, paid.total):
        if row.achievement is not None and row.achievement < flags.repayment_min_achievement:
            out.append(
                _flag("repayment", f"{row.name} への返済の実績 {row.actual:,} 円は約定 {row.scheduled:,} 円の "
                      f"{_share(row.achievement)} です", f"repayments.{row.name}", flags,
                      "repayment_min_achievement", scheduled=row.scheduled, actual=row.actual)
            )  # fmt: skip
    for forecast in forecasts:
        for p, f in zip(forecast.plan, forecast.forecast, strict=True):
            if p.passed and not f.passed:
                out.append(
                    Finding(
                        "monitor.flag.criteria_reversed",
                        Severity.WARNING,
                        f"見込み（{forecast.fiscal_year}期）では「{p.label}」を満たさなくなります: {f.message}",
                        f"forecast.{forecast.fiscal_year}.{p.id}",
                        passed=False,
                        details={"criterion": p.id},
                    )
                )
    if out:
        out.append(
            Finding(
                "monitor.consult_council",
                Severity.INFO,
                "計画との差が目安を超えています。原因と対策を事業者と話し合い、必要なら協議会に相談し、"
                "計画の見直し（keiei monitor replan）を検討してください",
                passed=None,
            )
        )
    return out


def monitor_check(
    plan: m.Plan, files: Sequence[tuple[str, Actuals]], *, on: dt.date, progress: Progress | None = None
) -> MonitorResult:
    """Everything `keiei monitor check` reports, for the imported `files` (name, actuals)."""
    projection = project(plan)
    merged = merge_actuals(plan, files)
    comparison = compare(plan, plan_months(plan, projection), merged)
    forecasts = tuple(forecast_verdicts(plan, projection, annual, on) for annual in comparison.annual)
    accepted = {p.file for p in merged.periods}
    paid = repayments(plan, projection, merged, [a for name, a in files if name in accepted])
    thresholds = monitoring_flags(on)
    through = str(merged.periods[-1].last) if merged.periods else None
    findings = [
        *merged.findings,
        *flag_findings(comparison, forecasts, paid, thresholds),
        *progress_findings(plan, progress, through),
    ]
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return MonitorResult(
        plan, projection, on, merged, comparison, forecasts, paid, progress, thresholds, tuple(findings)
    )
