"""The council overview and CSV export, scoped to the staff member's prefecture by access.py."""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keiei_web import access, clock
from keiei_web.cases.deadlines import Deadline, deadlines_for, is_closed
from keiei_web.cases.models import Case, ClaimStatus, PaymentClaim
from keiei_web.cases.workflow import State
from keiei_web.council.reports import cases_csv, subsidy_by_fiscal_year


class DeadlineAlert(TypedDict):
    """A deadline overdue or due soon, as the council dashboard lists it."""

    case: Case
    deadline: Deadline
    status: str  # "overdue" or "soon" (Deadline.status)
    days: int  # days left, negative when overdue


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require_site(request.user, access.COUNCIL_REPORTS)
    today = clock.today()
    cases = list(access.cases_for(request.user).prefetch_related("sessions", "claims", "banks__bank"))
    counts = {s: 0 for s in State.values}
    for case in cases:
        counts[case.state] += 1
    by_state = [(value, label, counts[value]) for value, label in State.choices]
    alerts: list[DeadlineAlert] = []
    for case in cases:
        closed = is_closed(case)
        for d in deadlines_for(case):
            status = d.status(today, closed)
            if status in ("overdue", "soon"):
                alerts.append({"case": case, "deadline": d, "status": status, "days": d.days_left(today)})
    alerts.sort(key=lambda a: a["deadline"].due)
    claims = PaymentClaim.objects.filter(case__in=access.cases_for(request.user)).select_related("case")
    waiting = {
        "applications": [c for c in cases if c.state == State.APPLIED],
        "plan_claims": [c for c in cases if c.state == State.PAYMENT_CLAIM],
        "monitoring_claims": [c for c in claims if c.status == ClaimStatus.SUBMITTED and c.kind == "monitoring"],
    }
    return render(
        request,
        "council/dashboard.html",
        {
            "today": today,
            "by_state": by_state,
            "total": len(cases),
            "alerts": alerts,
            "years": subsidy_by_fiscal_year(claims),
            "waiting": waiting,
        },
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    access.require_site(request.user, access.COUNCIL_REPORTS)
    today = clock.today()
    cases = access.cases_for(request.user).order_by("id").prefetch_related("sessions", "claims", "banks__bank")
    response = HttpResponse(cases_csv(cases, today), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="keiei-cases-{today:%Y%m%d}.csv"'
    return response
