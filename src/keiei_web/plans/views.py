"""Plan pages: overview and versions, one version, the diff of two, the interim JSON editor.

A bank reads only the versions submitted to it (access.plan_versions_for); asking for another
version number answers 404, as if it did not exist. The later phase's editor, import/export
and downloads have reserved URL names and a placeholder page.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from keiei_web import access
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.viewutils import case_context, case_view, refused
from keiei_web.cases.workflow import PLAN_EDITABLE
from keiei_web.plans.forms import PlanJsonForm
from keiei_web.plans.models import PlanVersion
from keiei_web.plans.versioning import diff, flatten


def _version(request: HttpRequest, case: Case, number: int) -> PlanVersion:
    version = access.plan_versions_for(request.user, case).filter(number=number).first()
    if version is None:
        raise Http404(_("計画の版が見つかりません。"))
    return version


@case_view(access.VIEW_PLAN)
def overview(request: HttpRequest, case: Case) -> HttpResponse:
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if old.isdigit() and new.isdigit():  # the "compare" form (works without JavaScript)
        return redirect("plans:diff", case_id=case.pk, old=int(old), new=int(new))
    versions = list(access.plan_versions_for(request.user, case).prefetch_related("submissions__banks"))
    working = services.plan_document(case) if access.may_see_working_plan(request.user, case) else None
    unsaved_changes = bool(working and versions and versions[-1].sha256 != working.sha256)
    return render(
        request,
        "plans/overview.html",
        {
            **case_context(request, case),
            "versions": versions,
            "working": working,
            "working_leaves": len(flatten(working.data)) if working and working.data else 0,
            "unsaved_changes": unsaved_changes,
            "editable": case.state in PLAN_EDITABLE,
        },
    )


@case_view(access.VIEW_PLAN)
def version_detail(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    version = _version(request, case, number)
    return render(request, "plans/version.html", {**case_context(request, case), "version": version})


@case_view(access.VIEW_PLAN)
def version_diff(request: HttpRequest, case: Case, old: int, new: int) -> HttpResponse:
    a, b = _version(request, case, old), _version(request, case, new)
    return render(
        request,
        "plans/diff.html",
        {**case_context(request, case), "old": a, "new": b, "changes": diff(a.data, b.data)},
    )


@case_view(access.EDIT_PLAN)
def edit_json(request: HttpRequest, case: Case) -> HttpResponse:
    doc = services.plan_document(case)
    initial = json.dumps(doc.data, ensure_ascii=False, indent=2, sort_keys=True)
    form = PlanJsonForm(request.POST or None, initial={"data": initial})
    ctx = {**case_context(request, case), "form": form, "document": doc}
    if case.state not in PLAN_EDITABLE:
        msg = _("「%(state)s」の案件の計画は編集できません。修正するときは「計画を修正する」で策定に戻してください。")
        return refused(request, "plans/edit_json.html", ctx, msg % {"state": case.state_label})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(case, request.user, form.cleaned_data["data"])
        except services.WorkflowError as exc:
            return refused(request, "plans/edit_json.html", ctx, exc.message)
        messages.success(request, _("計画を保存しました。"))
        return redirect("plans:overview", case_id=case.pk)
    return render(request, "plans/edit_json.html", ctx)


@case_view(access.EDIT_PLAN)
def later_editor(request: HttpRequest, case: Case, step: str = "") -> HttpResponse:
    return _later(request, case, _("計画の入力（手順ごとのフォーム・検証・グラフ）"))


@case_view(access.EDIT_PLAN)
def later_import(request: HttpRequest, case: Case) -> HttpResponse:
    return _later(request, case, _("計画ファイルの読み込み"))


@case_view(access.VIEW_PLAN)
def later_export(request: HttpRequest, case: Case) -> HttpResponse:
    return _later(request, case, _("計画ファイルの書き出し"))


@case_view(access.VIEW_PLAN)
def later_download(request: HttpRequest, case: Case, number: int, fmt: str) -> HttpResponse:
    _version(request, case, number)
    return _later(request, case, _("計画書（Excel・PDF・様式）のダウンロード"))


def _later(request: HttpRequest, case: Case, feature: str) -> HttpResponse:
    return render(request, "plans/later.html", {**case_context(request, case), "feature": feature})
