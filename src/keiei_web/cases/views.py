"""Case pages: list, create, detail, history, transitions, monitoring reports, claims, documents.

Each view gets its case through `case_view` (scope 404, role 403); state refusals come back
from the services as WorkflowError and are shown in Japanese with the form as typed (409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from keiei.errors import KeieiInputError
from keiei.subsidy import compute_subsidy
from keiei_web import access, clock
from keiei_web.accounts.models import Company
from keiei_web.cases import services
from keiei_web.cases.deadlines import deadlines_for, is_closed
from keiei_web.cases.forms import (
    BankResponseForm,
    CaseCreateForm,
    ClaimApproveForm,
    MonitoringReportForm,
    transition_form,
)
from keiei_web.cases.models import BankStatus, Case, ClaimKind, ClaimStatus, MonitoringSession, PaymentClaim
from keiei_web.cases.viewutils import case_context, case_view, refused
from keiei_web.cases.workflow import BY_NAME, MAIN_LINE, TERMINAL, State, state_label, transitions_from


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = access.cases_for(request.user).order_by("-updated_at")
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    today = clock.today()
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = []
    for case in page:
        closed = is_closed(case)
        marks = [d.status(today, closed) for d in deadlines_for(case)]
        rows.append({"case": case, "overdue": marks.count("overdue"), "soon": marks.count("soon")})
    return render(
        request,
        "cases/list.html",
        {"page": page, "rows": rows, "state": state, "states": State.choices, "today": today},
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    access.require_site(request.user, access.CREATE_CASE)
    companies = Company.objects.filter(cases__in=access.cases_for(request.user)).distinct()
    form = CaseCreateForm(request.POST or None, companies=companies, initial={"consulted_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(
                request.user,
                company=form.company(),
                program=form.cleaned_data["program"],
                consulted_on=form.cleaned_data["consulted_on"],
                main_bank=form.cleaned_data["main_bank"],
                other_banks=list(form.cleaned_data["other_banks"]),
                estimated_fees=form.estimated_fees(),
                note=form.cleaned_data["note"],
            )
        except services.WorkflowError as exc:
            return refused(request, "cases/create.html", {"form": form}, exc.message)
        messages.success(request, _("案件 %(ref)s を登録しました。") % {"ref": case.reference})
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/create.html", {"form": form})


def _estimate(case: Case) -> Any:
    if not case.estimated_fees:
        return None
    try:
        return compute_subsidy(case.program, {k: int(v) for k, v in case.estimated_fees.items()}, case.rules_date)
    except KeieiInputError:
        return None


@case_view(access.VIEW)
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    user = request.user
    today = clock.today()
    closed = is_closed(case)
    ctx = case_context(request, case)
    progress = []
    current = MAIN_LINE.index(State(case.state)) if case.state in MAIN_LINE else -1
    for i, state in enumerate(MAIN_LINE):
        progress.append({"label": state_label(state, case.program), "done": i < current, "current": i == current})
    transitions = [t for t in transitions_from(case.state) if access.can(user, t.action, case)]
    own_bank = access.own_case_bank(user, case)
    ctx.update(
        {
            "today": today,
            "closed": closed,
            "progress": progress,
            "deadlines": [(d, d.status(today, closed), d.days_left(today)) for d in deadlines_for(case)],
            "banks": access.case_banks_for(user, case),
            "own_bank": own_bank,
            "can_respond": own_bank is not None
            and case.state == State.BANK_MEETING
            and own_bank.status == "pending"
            and access.can(user, access.BANK_RESPOND, case),
            "transitions": transitions,
            "versions": access.plan_versions_for(user, case),
            "sessions": case.sessions.all() if ctx["can_money"] else [],
            "can_report": access.can(user, access.REPORT_MONITORING, case) and case.state == State.MONITORING,
            "can_approve": access.can(user, access.APPROVE_CLAIM, case),
            "claims": case.claims.select_related("session") if ctx["can_money"] else [],
            "events": list(case.events.order_by("-at", "-id")[:8]) if ctx["can_audit"] else [],
            "estimate": _estimate(case) if ctx["can_money"] else None,
            "rules": case.rules,
            "terminal": case.state in TERMINAL,
        }
    )
    return render(request, "cases/detail.html", ctx)


@case_view(access.VIEW_AUDIT)
def case_history(request: HttpRequest, case: Case) -> HttpResponse:
    events = []
    for event in case.events.order_by("at", "id"):
        before_label, after_label = services.event_state_labels(event, case.program)
        keys = sorted(set(event.before) | set(event.after))
        changes = [
            (k, event.before.get(k), event.after.get(k)) for k in keys if event.before.get(k) != event.after.get(k)
        ]
        events.append({"event": event, "from": before_label, "to": after_label, "changes": changes})
    return render(request, "cases/history.html", {**case_context(request, case), "events": events})


@case_view(None)
def case_transition(request: HttpRequest, case: Case, transition: str) -> HttpResponse:
    t = BY_NAME.get(transition)
    if t is None or t.automatic:
        raise Http404(_("この操作はありません。"))
    access.require(request.user, t.action, case)
    form = transition_form(t, case, request.POST or None, initial={"on": clock.today()})
    ctx = {**case_context(request, case), "transition": t, "form": form}
    if case.state not in t.sources:
        return refused(
            request,
            "cases/transition.html",
            ctx,
            _("この案件は「%(state)s」のため、「%(action)s」はできません。")
            % {"state": case.state_label, "action": t.label},
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.perform(
                case,
                t.name,
                request.user,
                on=form.cleaned_data["on"],
                comment=form.cleaned_data.get("comment") or "",
                data=form.service_data(),
            )
        except services.WorkflowError as exc:
            return refused(request, "cases/transition.html", ctx, exc.message)
        messages.success(request, _("「%(action)s」を行いました。") % {"action": t.label})
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/transition.html", ctx)


@case_view(access.BANK_RESPOND)
def bank_response(request: HttpRequest, case: Case) -> HttpResponse:
    """The bank's answer to the version it is shown. The form carries that version's number and
    SHA-256; when the adviser has submitted another version meanwhile, the answer is refused and
    the page shows the new version (and its diff from the one read) with the comment kept."""
    own = access.own_case_bank(request.user, case)
    kinds = services.allowed_responses(case)
    answering = services.version_to_answer(case, request.user)
    initial: dict[str, Any] = {"on": clock.today()}
    if answering is not None:
        initial |= {"version": answering.number, "sha256": answering.sha256}
    form = BankResponseForm(request.POST or None, kinds=kinds, initial=initial)
    versions = access.plan_versions_for(request.user, case)
    ctx: dict[str, Any] = {**case_context(request, case), "form": form, "own_bank": own, "versions": versions}
    ctx["answering"] = _version_of_form(form, versions)
    if case.state != State.BANK_MEETING or own is None or own.status != BankStatus.PENDING:
        msg = _("現在、貴行に回答をお願いしている計画はありません（回答済みか、回答不要です）。")
        if case.state != State.BANK_MEETING:
            msg = _("この案件は「%(state)s」のため、回答を受け付けていません。") % {"state": case.state_label}
        return refused(request, "cases/bank_response.html", ctx, msg)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bank_respond(
                case,
                request.user,
                data["kind"],
                data["comment"],
                data["on"],
                version=data["version"],
                sha256=data["sha256"],
            )
        except services.StaleAnswer as exc:
            # A new form for the version asked about now: the comment and date as typed, the
            # answer itself chosen again (a consent is given to a version knowingly, not carried).
            answering = exc.current
            fresh = {"on": data["on"], "comment": data["comment"]}
            if answering is not None:
                fresh |= {"version": answering.number, "sha256": answering.sha256}
            ctx["form"] = BankResponseForm(kinds=kinds, initial=fresh)
            ctx["answering"] = _version_of_form(ctx["form"], versions)
            ctx["read_before"] = versions.filter(number=data["version"]).first()
            return refused(request, "cases/bank_response.html", ctx, exc.message)
        except services.WorkflowError as exc:
            return refused(request, "cases/bank_response.html", ctx, exc.message)
        messages.success(request, _("回答を記録しました。"))
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/bank_response.html", ctx)


def _version_of_form(form: BankResponseForm, versions: QuerySet[Any]) -> Any:
    """The version the answer form is about (its hidden number), as the page names it."""
    raw = form["version"].value()
    number = int(raw) if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit() and len(raw) < 8) else 0
    return versions.filter(number=number).first() if number else None


@case_view(access.REPORT_MONITORING)
def monitoring_report(request: HttpRequest, case: Case, seq: int) -> HttpResponse:
    session = get_object_or_404(MonitoringSession, case=case, seq=seq)
    form = MonitoringReportForm(request.POST or None, initial={"on": clock.today()})
    ctx = {**case_context(request, case), "form": form, "session": session}
    if case.state != State.MONITORING:
        msg = _("この案件は「%(state)s」のため、伴走支援の報告はできません。") % {"state": case.state_label}
        return refused(request, "cases/monitoring_report.html", ctx, msg)
    if session.reported_on is not None:
        return refused(
            request, "cases/monitoring_report.html", ctx, _("第%(seq)d回は報告済みです。") % {"seq": session.seq}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_monitoring(
                case,
                session,
                request.user,
                on=data["on"],
                summary=data["summary"],
                fee=data.get("fee"),
                transfer_on=data.get("transfer_on"),
                transfer_amount=data.get("transfer_amount"),
            )
        except services.WorkflowError as exc:
            return refused(request, "cases/monitoring_report.html", ctx, exc.message)
        messages.success(request, _("伴走支援 第%(seq)d回の報告を記録しました。") % {"seq": session.seq})
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/monitoring_report.html", ctx)


@case_view(access.APPROVE_CLAIM)
def claim_approve(request: HttpRequest, case: Case, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(PaymentClaim, case=case, pk=claim_id)
    form = ClaimApproveForm(request.POST or None, initial={"on": clock.today()})
    ctx = {**case_context(request, case), "form": form, "claim": claim}
    if claim.kind != ClaimKind.MONITORING or claim.status != ClaimStatus.SUBMITTED:
        msg = _("この支払申請はここでは承認できません（%(kind)s・%(status)s）。") % {
            "kind": claim.get_kind_display(),
            "status": claim.get_status_display(),
        }
        return refused(request, "cases/claim_approve.html", ctx, msg)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_claim(case, claim, request.user, on=form.cleaned_data["on"])
        except services.WorkflowError as exc:
            return refused(request, "cases/claim_approve.html", ctx, exc.message)
        messages.success(request, _("支払申請を承認しました。"))
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/claim_approve.html", ctx)


@case_view(access.DOWNLOAD)
def documents(request: HttpRequest, case: Case) -> HttpResponse:
    """The application documents the rules list; the forms download from a plan version's page."""
    return render(
        request,
        "cases/documents.html",
        {**case_context(request, case), "documents": case.rules.application_documents},
    )
