"""The council's portfolio: every case of its prefecture in monitoring, with the latest report's
achievement rates (sales, ordinary profit), flags and overdue reports; filters, pages and CSV.

Why it reads stored figures: a council may have thousands of cases in monitoring, and projecting
each plan on every request would take minutes; the figures are computed when an import is
confirmed (keiei_web.monitoring.reports) and kept in `CaseMonitoring`, one row per case. The page
is one query (plus the pager's count): the cases in scope, their summary row joined, and the
number of overdue sessions as a correlated count (it depends on today, so it is not stored).

Every CSV cell goes through `keiei.documents.escape.csv_cell` (company and firm names are typed
by users), as the council's case CSV does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keiei.documents.escape import csv_cell
from keiei.finance.display import percent_text
from keiei_web import access
from keiei_web.cases.models import Case, MonitoringSession
from keiei_web.cases.workflow import State

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    program: str = ""
    flagged: bool = False
    overdue: bool = False
    #: Show only cases whose sales achievement (year to date) is below this share (e.g. 0.8).
    below: Decimal | None = None
    q: str = ""
    order: str = "sales"

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        below: Decimal | None = None
        raw = (params.get("below") or "").strip()
        if raw:
            try:
                below = Decimal(raw) / 100
            except InvalidOperation:
                below = None
            if below is not None and not (Decimal(0) < below <= Decimal(10)):
                below = None
        order = params.get("order") or "sales"
        return cls(
            program=params.get("program") or "",
            flagged=params.get("flagged") == "1",
            overdue=params.get("overdue") == "1",
            below=below,
            q=(params.get("q") or "").strip()[:100],
            order=order if order in ORDERS else "sales",
        )


ORDERS = {
    "sales": ("monitoring_summary__sales_achievement", "pk"),
    "ordinary": ("monitoring_summary__ordinary_achievement", "pk"),
    "flags": ("-monitoring_summary__flag_count", "pk"),
    "overdue": ("-overdue", "pk"),
    "reference": ("pk",),
}


def portfolio(user: Any, filters: Filters, today: dt.date) -> QuerySet[Case]:
    """The council's cases in monitoring with their summary row and overdue count (one query)."""
    overdue = (
        MonitoringSession.objects.filter(case=OuterRef("pk"), reported_on__isnull=True, due_on__lt=today)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = (
        access.cases_for(user)
        .filter(state=State.MONITORING)
        .select_related("monitoring_summary")
        .annotate(overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)))
    )
    if filters.program:
        cases = cases.filter(program=filters.program)
    if filters.flagged:
        cases = cases.filter(monitoring_summary__flag_count__gt=0)
    if filters.overdue:
        cases = cases.filter(overdue__gt=0)
    if filters.below is not None:
        cases = cases.filter(monitoring_summary__sales_achievement__lt=filters.below)
    if filters.q:
        cases = cases.filter(company__name__icontains=filters.q)
    return cases.order_by(*ORDERS[filters.order])


def rate(value: Decimal | None) -> str:
    return percent_text(value) if value is not None else "—"


FLAG_LABELS = {
    "sales": "売上高",
    "net_income": "当期純利益",
    "ordinary_profit_sign": "経常利益の符号",
    "ordinary_profit_forecast": "経常利益の見込み",
    "repayment": "返済",
    "criteria_reversed": "数値基準の反転",
}


def flag_words(codes: str) -> str:
    return "・".join(FLAG_LABELS.get(c, c) for c in codes.split(",") if c)


def csv_header() -> list[str]:
    return [
        _("案件番号"), _("事業者"), _("事業区分"), _("認定支援機関"), _("最新の回"), _("実績の最終月"),
        _("売上高の達成率（累計）"), _("経常利益の達成率（累計）"), _("注意の件数"), _("注意"), _("期限を過ぎた報告"),
    ]  # fmt: skip


def csv_row(case: Case) -> list[Any]:
    summary = getattr(case, "monitoring_summary", None)
    return [
        case.reference,
        case.company.name,
        case.program_label,
        case.adviser_firm.name,
        summary.session_seq if summary else None,
        summary.through if summary else "",
        summary.sales_achievement if summary else None,
        summary.ordinary_achievement if summary else None,
        summary.flag_count if summary else 0,
        flag_words(summary.flag_codes) if summary else "",
        int(getattr(case, "overdue", 0)),
    ]


def portfolio_csv(cases: Iterable[Case]) -> bytes:
    """UTF-8 with a BOM and CRLF line ends (Excel reads the Japanese), each cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in csv_header()])
    for case in cases:
        writer.writerow([csv_cell(v) for v in csv_row(case)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
