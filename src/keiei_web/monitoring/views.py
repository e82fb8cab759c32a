"""Monitoring pages of a case: the sessions, a session's report, the books upload and its
preview, the adviser's progress, a bank's reading. Every view goes through `case_view` (scope
404, action 403); state refusals come back as WorkflowError and are shown in Japanese (409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from keiei_web import access, clock
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import Case, MonitoringSession, Program
from keiei_web.cases.services import WorkflowError
from keiei_web.cases.viewutils import case_context, case_view, refused
from keiei_web.monitoring import portfolio, reports, services, uploads
from keiei_web.monitoring.charts import line_chart
from keiei_web.monitoring.forms import ProgressForm, ReadingForm, UploadForm, progress_initial
from keiei_web.monitoring.models import ActualsImport, BooksUpload, ReportReading, SessionReport

#: Seconds between reloads of the 「処理中」 page (the HTTP Refresh header: no script needed).
PENDING_REFRESH_SECONDS = 2
#: The lines of the monthly table and the headline (the report data's keys).
TABLE_LINES = ("sales", "gross_profit", "operating_profit", "ordinary_profit", "net_income")


def _ctx(request: HttpRequest, case: Case, **more: Any) -> dict[str, Any]:
    user = request.user
    return {
        **case_context(request, case),
        "tab": "monitoring",
        "can_import": access.can(user, access.IMPORT_ACTUALS, case),
        "can_write": access.can(user, access.WRITE_MONITORING, case),
        "can_books": access.can(user, access.VIEW_BOOKS, case),
        **more,
    }


@case_view(access.VIEW_MONITORING)
def sessions(request: HttpRequest, case: Case) -> HttpResponse:
    rows = []
    reports_by_session = {r.session_id: r for r in SessionReport.objects.filter(case=case)}
    for session in case.sessions.all():
        rows.append({"session": session, "report": reports_by_session.get(session.pk)})
    imports = ActualsImport.objects.filter(case=case).select_related("session", "confirmed_by").order_by("-number")
    return render(
        request,
        "monitoring/sessions.html",
        _ctx(request, case, rows=rows, imports=imports if access.can(request.user, access.VIEW_BOOKS, case) else []),
    )


def _cells(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["key"]: line for line in view.get("lines", [])}


def _report_tables(data: dict[str, Any]) -> dict[str, Any]:
    """The report data arranged for the page's tables (nothing computed: the core's figures)."""
    pva = data.get("plan_vs_actual") or {}
    monthly = [{"label": v["label"], "cells": _cells(v)} for v in pva.get("monthly", [])]
    cumulative = pva.get("cumulative", [])
    latest = cumulative[-1] if cumulative else None
    chart = data.get("chart") or {}
    months = chart.get("months", [])
    return {
        "monthly": monthly,
        "latest": latest,
        "latest_lines": [line for line in (latest or {}).get("lines", []) if line["key"] in TABLE_LINES],
        "annual": [
            {**a, "rows": [line for line in a.get("lines", []) if line["key"] in TABLE_LINES]}
            for a in pva.get("annual", [])
        ],
        "chart_monthly": line_chart(
            months, chart.get("plan", {}).get("sales", []), chart.get("actual", {}).get("sales", []),
            title=_("売上高（月次）: 計画と実績"),
        ) if months else None,
        "chart_cumulative": line_chart(
            months, chart.get("cumulative_plan", {}).get("sales", []),
            chart.get("cumulative_actual", {}).get("sales", []), title=_("売上高（年度累計）: 計画と実績"),
        ) if months else None,
        "lines": TABLE_LINES,
    }  # fmt: skip


def _shown_data(row: SessionReport | None) -> dict[str, Any]:
    """The report data; before any import, the adviser's words as they are stored."""
    if row is None:
        return {}
    if row.has_figures:
        return dict(row.data)
    words = row.progress or {}
    return {
        "closing": {"summary": words.get("closing")},
        "actions": words.get("actions") or [],
        **{k: words.get(k) or [] for k in ("causes", "countermeasures", "asks_of_banks")},
    }


def _session(case: Case, seq: int) -> MonitoringSession:
    return get_object_or_404(MonitoringSession, case=case, seq=seq)


@case_view(access.VIEW_MONITORING)
def report(request: HttpRequest, case: Case, seq: int) -> HttpResponse:
    session = _session(case, seq)
    row = SessionReport.objects.filter(session=session).first()
    user = request.user
    own = access.own_case_bank(user, case)
    readings = ReportReading.objects.filter(report=row).select_related("bank") if row else ReportReading.objects.none()
    if access.role_of(user) == Role.BANK:
        readings = readings.filter(bank_id=own.bank_id) if own else readings.none()
    mine = readings.filter(bank_id=own.bank_id).first() if (own and row) else None
    form = ReadingForm(
        request.POST or None,
        initial={"acknowledged": mine.acknowledged, "comment": mine.comment} if mine else None,
    )
    can_read = bool(row and row.has_figures and access.can(user, access.ACKNOWLEDGE_REPORT, case))
    ctx = _ctx(
        request, case, session=session, report=row, readings=readings, form=form, can_read=can_read, mine=mine,
        **(_report_tables(row.data) if row and row.has_figures else {}),
        data=_shown_data(row),
        imports=ActualsImport.objects.filter(case=case, session=session).order_by("-number")
        if access.can(user, access.VIEW_BOOKS, case) else [],
    )  # fmt: skip
    if request.method == "POST":
        access.require(user, access.ACKNOWLEDGE_REPORT, case)
        if row is None:
            return refused(request, "monitoring/report.html", ctx, _("この回のレポートはまだありません。"))
        if form.is_valid():
            try:
                services.read_report(
                    row, user, acknowledged=form.cleaned_data["acknowledged"], comment=form.cleaned_data["comment"]
                )
            except WorkflowError as exc:
                return refused(request, "monitoring/report.html", ctx, exc.message)
            messages.success(request, _("レポートへの確認・意見を記録しました。"))
            return redirect("monitoring:report", case_id=case.pk, seq=seq)
    return render(request, "monitoring/report.html", ctx)


def _too_large(request: HttpRequest) -> int | None:
    """The request body's declared size when it is over the limit (checked before reading it)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length > uploads.MAX_UPLOAD_BYTES + uploads.MAX_MAPPING_BYTES + 64 * 1024 else None


@case_view(access.IMPORT_ACTUALS)
def upload(request: HttpRequest, case: Case, seq: int) -> HttpResponse:
    session = _session(case, seq)
    ctx = _ctx(request, case, session=session, max_mb=uploads.MAX_UPLOAD_BYTES // (1024 * 1024))
    if request.method == "POST":
        size = _too_large(request)
        if size is not None:
            # Said before Django reads the body: a 100 MB+ post is not stored anywhere.
            ctx["form"] = UploadForm()
            response = render(
                request, "monitoring/upload.html", {**ctx, "refusal": uploads.too_large_message(size)}, status=413
            )
            response["Connection"] = "close"
            return response
    form = UploadForm(request.POST or None, request.FILES or None)
    ctx["form"] = form
    if case.state not in services.OPEN_STATES:
        msg = _("この案件は「%(state)s」のため、伴走支援の実績は扱えません。") % {"state": case.state_label}
        return refused(request, "monitoring/upload.html", ctx, msg)
    if request.method == "POST" and form.is_valid():
        books = form.cleaned_data["books"]
        try:
            row = services.upload(
                case, session, request.user, filename=books.name, chunks=books.chunks(),
                fmt=form.cleaned_data["fmt"], mapping=form.cleaned_data["mapping"],
                allow_unmapped=form.cleaned_data["allow_unmapped"],
            )  # fmt: skip
        except WorkflowError as exc:
            return refused(request, "monitoring/upload.html", ctx, exc.message)
        return redirect("monitoring:preview", case_id=case.pk, upload_id=row.pk)
    return render(request, "monitoring/upload.html", ctx)


@case_view(access.IMPORT_ACTUALS)
def preview(request: HttpRequest, case: Case, upload_id: int) -> HttpResponse:
    row = get_object_or_404(BooksUpload.objects.select_related("session"), case=case, pk=upload_id)
    ctx = _ctx(request, case, upload=row, session=row.session, p=row.preview)
    if row.status in (BooksUpload.Status.PENDING, BooksUpload.Status.READING):
        response = render(request, "monitoring/pending.html", {**ctx, "refresh": PENDING_REFRESH_SECONDS}, status=202)
        response["Refresh"] = str(PENDING_REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if row.status == BooksUpload.Status.FAILED:
        return refused(request, "monitoring/preview.html", ctx, row.error)
    if request.method == "POST":
        try:
            imported = services.confirm(row, request.user)
        except WorkflowError as exc:
            row.refresh_from_db()
            return refused(request, "monitoring/preview.html", {**ctx, "upload": row}, exc.message)
        messages.success(
            request, _("実績 第%(n)d版として取り込みました。計画との比較を更新しました。") % {"n": imported.number}
        )
        return redirect("monitoring:report", case_id=case.pk, seq=row.session.seq)
    status = 409 if row.preview.get("blocking") else 200
    return render(request, "monitoring/preview.html", ctx, status=status)


@case_view(access.WRITE_MONITORING)
def progress(request: HttpRequest, case: Case, seq: int) -> HttpResponse:
    session = _session(case, seq)
    found = reports.agreed_plan(case)
    measures = [a.measure for a in found[0].action_plan] if found else []
    row = SessionReport.objects.filter(session=session).first()
    form = ProgressForm(
        request.POST or None, measures=measures, initial=progress_initial(row.progress if row else {}, measures)
    )
    ctx = _ctx(request, case, session=session, form=form)
    if request.method == "POST" and form.is_valid():
        data = services.progress_dict(form.cleaned_data, measures)
        try:
            services.save_progress(session, request.user, data)
        except WorkflowError as exc:
            return refused(request, "monitoring/progress.html", ctx, exc.message)
        messages.success(request, _("伴走支援 第%(seq)d回の記録を保存しました。") % {"seq": session.seq})
        return redirect("monitoring:report", case_id=case.pk, seq=seq)
    return render(request, "monitoring/progress.html", ctx)


@login_required
def portfolio_page(request: HttpRequest) -> HttpResponse:
    """The council's portfolio of its prefecture's cases in monitoring (keiei_web.monitoring.portfolio)."""
    access.require_site(request.user, access.MONITORING_PORTFOLIO)
    filters = portfolio.Filters.from_query(request.GET)
    cases = portfolio.portfolio(request.user, filters, clock.today())
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            portfolio.portfolio_csv(cases.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="keiei-monitoring-{clock.today():%Y%m%d}.csv"'
        return response
    page = Paginator(cases, portfolio.PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        summary = getattr(case, "monitoring_summary", None)
        case.flag_text = portfolio.flag_words(summary.flag_codes) if summary else ""  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "monitoring/portfolio.html",
        {
            "page": page,
            "filters": filters,
            "below_percent": int(filters.below * 100) if filters.below is not None else "",
            "programs": Program.choices,
            "query": query.urlencode(),
            "today": clock.today(),
        },
    )
