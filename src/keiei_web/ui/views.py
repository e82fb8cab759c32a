"""The home page: one dashboard per role (council and banks have their own overview pages)."""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keiei_web import access, clock
from keiei_web.accounts.choices import Role
from keiei_web.cases.deadlines import Deadline, deadlines_for, is_closed
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import TERMINAL


class DashboardRow(TypedDict):
    """One case on the dashboard, as the template reads it."""

    case: Case
    next: Deadline | None  # the earliest deadline still to meet
    closed: bool


def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in home; someone not signed in is sent to the public front page (an owner
    looking for help must not meet a login page first)."""
    if not request.user.is_authenticated:
        return redirect("public:home")
    return _dashboard(request)


@login_required
def _dashboard(request: HttpRequest) -> HttpResponse:
    role = access.role_of(request.user)
    if role == Role.COUNCIL:
        return redirect("council:dashboard")
    if role == Role.BANK:
        return redirect("banks:dashboard")
    today = clock.today()
    rows: list[DashboardRow] = []
    for case in access.cases_for(request.user).order_by("-updated_at"):
        closed = is_closed(case)
        upcoming = [d for d in deadlines_for(case) if d.status(today, closed) in ("overdue", "soon", "open")]
        upcoming.sort(key=lambda d: d.due)
        rows.append({"case": case, "next": upcoming[0] if upcoming else None, "closed": closed})
    active = [r for r in rows if r["case"].state not in TERMINAL]
    finished = [r for r in rows if r["case"].state in TERMINAL]
    return render(
        request,
        "ui/dashboard.html",
        {"active": active, "finished": finished, "today": today, "role": role},
    )
