"""The council overview, CSV export and the consultation requests from the public form, scoped by access.py."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from keiei.rules import PROGRAM_LABELS
from keiei_web import access, clock
from keiei_web.cases.deadlines import Deadline, deadlines_for, is_closed
from keiei_web.cases.models import Case, ClaimStatus, PaymentClaim
from keiei_web.cases.workflow import State
from keiei_web.council.reports import cases_csv, subsidy_by_fiscal_year
from keiei_web.public.models import ConsultationStatus


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
            "new_consultations": list(
                access.consultations_for(request.user).filter(status=ConsultationStatus.NEW)[:20]
            ),
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


class ConsultationForm(forms.Form):
    """What the council records on a request: where it stands, its note, the case it became."""

    status = forms.ChoiceField(label=_("状態"), choices=ConsultationStatus.choices)
    council_note = forms.CharField(
        label=_("協議会のメモ"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "「協議会のメモ」は4000文字以内で入力してください。"},
    )
    case = forms.ModelChoiceField(
        label=_("登録した案件"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("― まだ案件にしていない ―"),
        help_text=_("認定支援機関が案件を登録したら、ここで結び付けます。"),
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cases

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ConsultationStatus.CASE and not data.get("case"):
            self.add_error("case", "「案件に登録済み」にするには「登録した案件」を選んでください。")
        return data


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    access.require_site(request.user, access.HANDLE_CONSULTATIONS)
    rows = access.consultations_for(request.user).select_related("case")
    return render(request, "council/consultations.html", {"rows": rows})


@login_required
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    access.require_site(request.user, access.HANDLE_CONSULTATIONS)
    item = access.get_consultation(request.user, consultation_id)
    cases = access.cases_for(request.user).order_by("-id")
    if item.status == ConsultationStatus.NEW and request.method != "POST":
        # Opening a new request is reading it: it is no longer 新着 for the colleagues.
        item.status = ConsultationStatus.OPEN
        item.save(update_fields=["status"])
    initial = {"status": item.status, "council_note": item.council_note, "case": item.case_id}
    form = ConsultationForm(request.POST or None, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        item.status = form.cleaned_data["status"]
        item.council_note = form.cleaned_data["council_note"]
        item.case = form.cleaned_data["case"]
        item.save(update_fields=["status", "council_note", "case"])
        messages.success(request, _("相談 %(r)s を保存しました。") % {"r": item.receipt})
        return redirect("council:consultation", consultation_id=item.pk)
    return render(
        request,
        "council/consultation.html",
        {"c": item, "form": form, "program_label": PROGRAM_LABELS.get(item.program, "")},
        status=400 if form.errors else 200,
    )
