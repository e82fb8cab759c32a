"""A session's report: the core's comparison of the agreed plan with the confirmed imports.

Computed when an import is confirmed or the adviser's words change, and stored
(`SessionReport.data`): every reader — the company, each bank, the council — sees the figures of
that moment, a bank acknowledges what it read, and the pages and the portfolio read a row instead
of projecting the plan on every request.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max

from keiei.monitoring.check import MonitorResult, monitor_check
from keiei.monitoring.progress import Progress, progress_from_dict
from keiei.monitoring.report import report_data
from keiei.plan import parse_plan
from keiei.plan.model import Plan
from keiei_web import clock
from keiei_web.cases.models import Case, MonitoringSession
from keiei_web.monitoring.models import ActualsImport, CaseMonitoring, SessionReport


def agreed_plan(case: Case) -> tuple[Plan, int] | None:
    """The plan the banks agreed to (the case's latest frozen version) and its number."""
    from keiei_web.plans.models import PlanVersion

    version = PlanVersion.objects.filter(case=case).order_by("-number").first()
    if version is None:
        return None
    return parse_plan(version.data, f"第{version.number}版"), version.number


def latest_imports(case: Case, up_to_seq: int) -> list[ActualsImport]:
    """The latest confirmed import of each session up to `up_to_seq`, in session order."""
    latest = (
        ActualsImport.objects.filter(case=case, session__seq__lte=up_to_seq)
        .values("session_id")
        .annotate(last=Max("number"))
        .values_list("last", flat=True)
    )
    return list(
        ActualsImport.objects.filter(case=case, number__in=list(latest))
        .select_related("session")
        .order_by("session__seq")
    )


def progress_of(report: SessionReport | None, plan: Plan) -> Progress | None:
    if report is None or not report.progress:
        return None
    return progress_from_dict(report.progress, plan, f"第{report.session.seq}回")


def _jsonable(data: Any) -> Any:
    """Decimals and dates as text, as the stored JSON will hold them."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _as_of(report: SessionReport) -> dt.date:
    text = (report.progress or {}).get("as_of")
    if isinstance(text, str):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return clock.today()


def compute(session: MonitoringSession, report: SessionReport) -> MonitorResult | None:
    """The core's result for the session (None: no agreed plan or no import yet)."""
    from keiei_web.monitoring.uploads import actuals_of

    found = agreed_plan(session.case)
    imports = latest_imports(session.case, session.seq)
    if found is None or not imports:
        return None
    plan, _number = found
    files = [(f"第{imp.number}版 {imp.filename}", actuals_of(imp)) for imp in imports]
    return monitor_check(plan, files, on=_as_of(report), progress=progress_of(report, plan))


def refresh(session: MonitoringSession) -> SessionReport:
    """Recompute and store the session's report and the case's portfolio row."""
    report, _created = SessionReport.objects.get_or_create(session=session, defaults={"case": session.case})
    found = agreed_plan(session.case)
    result = compute(session, report)
    if result is None:
        report.data = {}
        report.through = ""
        report.sales_achievement = report.ordinary_achievement = None
        report.flag_count, report.flag_codes = 0, ""
    else:
        report.data = _jsonable(report_data(result))
        report.plan_version = found[1] if found else None
        latest = result.comparison.cumulative[-1] if result.comparison.cumulative else None
        report.through = str(result.merged.periods[-1].last) if result.merged.periods else ""
        report.sales_achievement = _ratio(latest.cell("sales").achievement) if latest else None
        report.ordinary_achievement = _ratio(latest.cell("ordinary_profit").achievement) if latest else None
        codes = sorted({f.code.removeprefix("monitor.flag.") for f in result.raised})
        report.flag_count = len(result.raised)
        report.flag_codes = ",".join(codes)[:300]
    report.computed_at = clock.now()
    report.save()
    _summarise(session.case)
    return report


def _ratio(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.0001")) if value is not None else None


def _summarise(case: Case) -> None:
    """The case's portfolio row: the latest session whose report has figures."""
    report = (
        SessionReport.objects.filter(case=case).exclude(data={}).select_related("session")
        .order_by("-session__seq").first()
    )  # fmt: skip
    fields: dict[str, Any] = {
        "report": report,
        "session_seq": report.session.seq if report else None,
        "through": report.through if report else "",
        "sales_achievement": report.sales_achievement if report else None,
        "ordinary_achievement": report.ordinary_achievement if report else None,
        "flag_count": report.flag_count if report else 0,
        "flag_codes": report.flag_codes if report else "",
    }
    CaseMonitoring.objects.update_or_create(case=case, defaults=fields)
