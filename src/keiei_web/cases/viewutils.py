"""The one way a view gets its case: login, then scope (404), then the action (403).

Every view under /cases/<case_id>/ is wrapped by `case_view(action)`, so no view can forget
the scope check; the leak test (tests/web/test_no_case_leaks.py) checks them all anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keiei_web import access
from keiei_web.cases.models import Case
from keiei_web.cases.waiting import waiting_for

CaseView = Callable[..., HttpResponse]


def case_view(action: str | None) -> Callable[[CaseView], CaseView]:
    """Load the case for the user (404 outside scope) and require `action` (403); None: the view checks."""

    def decorate(view: CaseView) -> CaseView:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, case_id: int, **kwargs: Any) -> HttpResponse:
            case = access.get_case(request.user, case_id)
            if action is not None:
                access.require(request.user, action, case)
            return view(request, case, **kwargs)

        return wrapped

    return decorate


def refused(request: HttpRequest, template: str, context: dict[str, Any], message: str) -> HttpResponse:
    """A refusal by the state machine: the same page, the Japanese reason, the input kept (409)."""
    return render(request, template, {**context, "refusal": message}, status=409)


def case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What every case page's header needs (permissions decide the tabs shown)."""
    user = request.user
    return {
        "case": case,
        "can_money": access.can(user, access.VIEW_MONEY, case),
        "can_audit": access.can(user, access.VIEW_AUDIT, case),
        "can_edit_plan": access.can(user, access.EDIT_PLAN, case),
        "can_documents": access.can(user, access.DOWNLOAD, case),
        "waiting": waiting_for(case, user),
    }
