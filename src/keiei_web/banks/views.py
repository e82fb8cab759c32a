"""A bank's overview: only its cases (access.cases_for), only its own status in each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keiei.plan.glossary import institution_words
from keiei_web import access, clock
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import BankStatus
from keiei_web.cases.workflow import State


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if access.role_of(request.user) != Role.BANK:
        raise PermissionDenied(_("金融機関の利用者のページです。"))
    rows = []
    for case in access.cases_for(request.user).order_by("-updated_at"):
        own = access.own_case_bank(request.user, case)
        versions = access.plan_versions_for(request.user, case)
        rows.append(
            {
                "case": case,
                "own": own,
                "latest": versions.order_by("-number").first(),
                "waiting": own is not None and own.status == BankStatus.PENDING and case.state == State.BANK_MEETING,
            }
        )
    rows.sort(key=lambda r: not r["waiting"])
    # The 回答待ち tab lists only the cases waiting for this bank's answer; the default lists all.
    tab = "waiting" if request.GET.get("tab") == "waiting" else "all"
    waiting_count = sum(1 for r in rows if r["waiting"])
    shown = rows if tab == "all" else [r for r in rows if r["waiting"]]
    bank = getattr(request.user, "bank", None)
    _own, address = institution_words(None, bank.name if bank else "")
    return render(
        request,
        "banks/dashboard.html",
        {
            "rows": shown,
            "tab": tab,
            "waiting_count": waiting_count,
            "all_count": len(rows),
            "address_word": address,
            "today": clock.today(),
        },
    )
