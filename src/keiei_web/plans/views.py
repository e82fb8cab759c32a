"""Plan pages: overview and versions, one version, the diff of two, the step-by-step editor
with its live panel, import and export of the plan file, and the JSON editor for experts.

A bank reads only the versions submitted to it (access.plan_versions_for); asking for another
version number answers 404, as if it did not exist. The working plan (the draft) is for the
people inside the case (access.VIEW_WORKING_PLAN); who may save which step is
access.plan_step_action, and which field inside it access.plan_field_action. Every editor form
(steps, JSON editor, import) carries the draft's revision: a save from an older form is merged
or refused with both values shown (drafts.save_draft, plans.merge). A version downloads as the documents the core builds from it (the
workbook, the plan PDF, the programme's forms), filled with what the web knows of the case
(keiei_web.plans.corecase); which forms a user may download is access.may_download_form.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keiei import limits
from keiei_web import access, clock
from keiei_web.accounts.choices import Role
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.viewutils import case_context, case_view, refused
from keiei_web.cases.workflow import PLAN_EDITABLE
from keiei_web.plans import doccache, drafts, exactjson, merge, panel, planfile, steps
from keiei_web.plans.formkit import Input, is_within, show
from keiei_web.plans.forms import PlanImportForm, PlanJsonForm, limit_message
from keiei_web.plans.models import PlanVersion
from keiei_web.plans.versioning import diff, flatten

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from keiei.case.file import Case as CoreCase
    from keiei.documents import FormDoc
    from keiei.plan import Plan


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
    evaluation = panel.evaluate(working.data, case.applied_on) if working and working.data else None
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
            "working_valid": evaluation is not None and evaluation.valid,
            "working_problems": len(evaluation.problems) if evaluation else 0,
        },
    )


@case_view(access.VIEW_PLAN)
def version_detail(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    return _version_page(request, case, _version(request, case, number))


def _version_page(
    request: HttpRequest, case: Case, version: PlanVersion, *, refusal: str = "", status: int = 200
) -> HttpResponse:
    """One version with the links to the documents this user may download from it."""
    user = request.user
    docs = _form_docs(version)
    ctx: dict[str, Any] = {
        **case_context(request, case),
        "version": version,
        "forms_readable": docs is not None,
        "forms": [d for d in docs or () if access.may_download_form(user, case, d.bank)],
        "forms_zip": docs is not None and access.may_download_all_forms(user, case),
        "bank_name": own.bank.name if (own := access.own_case_bank(user, case)) else "",
    }
    if refusal:
        ctx["refusal"] = refusal
    return render(request, "plans/version.html", ctx, status=status)


def _form_docs(version: PlanVersion) -> list[FormDoc] | None:
    """The programme's forms for the version's plan (unbuilt), None when it is not a plan file."""
    from keiei.documents import form_docs
    from keiei.plan import PlanInputError, parse_plan

    try:
        return form_docs(parse_plan(version.data, f"第{version.number}版"))
    except PlanInputError:
        return None


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
    """The whole draft as JSON. The form carries the draft's revision: a save from an older page
    is merged with what was saved since (by key path) or, when both changed the same key,
    refused with both values shown and the typed changes kept (keiei_web.plans.merge)."""
    doc = services.plan_document(case)
    form = PlanJsonForm(
        request.POST or None, initial={"data": planfile.editable_json(doc.data), "revision": doc.revision}
    )
    ctx: dict[str, Any] = {**case_context(request, case), "form": form, "document": doc}
    problem = planfile.export_problem(doc.data)
    if problem is not None and request.method != "POST":
        ctx["stored_problem"] = problem
    if case.state not in PLAN_EDITABLE:
        msg = _("「%(state)s」の案件の計画は編集できません。修正するときは「計画を修正する」で策定に戻してください。")
        return refused(request, "plans/edit_json.html", ctx, msg % {"state": case.state_label})
    if request.method == "POST" and form.is_valid():
        revision = form.cleaned_data["revision"]
        base = dict(doc.data) if revision == doc.revision else drafts.base_data(case, revision, empty_is_seed=False)
        mine = form.cleaned_data["data"]
        if base is not None:
            mine = merge.take_base(mine, base, _kept_stored(request))
        try:
            saved = drafts.save_draft(
                case,
                request.user,
                mine,
                action=access.EDIT_PLAN,
                summary=_("計画を保存しました（JSON）。"),
                base_revision=revision,
                base=base,
            )
        except drafts.EditConflict as exc:
            shown = exactjson.dumps(exc.merge.shown, indent=2, sort_keys=True)
            ctx["form"] = PlanJsonForm(initial={"data": shown, "revision": exc.revision})
            ctx["conflicts"] = conflict_rows(None, exc.merge.conflicts, exc.merge.shown)
            return refused(request, "plans/edit_json.html", ctx, exc.message)
        except services.WorkflowError as exc:
            return refused(request, "plans/edit_json.html", ctx, exc.message)
        messages.success(request, _saved_message(saved))
        return redirect("plans:overview", case_id=case.pk)
    return render(request, "plans/edit_json.html", ctx)


def _saved_message(saved: drafts.Saved) -> str:
    if saved.merged:
        return _("保存しました。このページを開いた後に保存された、ほかの項目の変更も残してあります。")
    return _("保存しました。") if saved.changed else _("変更はありません（保存済みです）。")


#: At most this many "keep the stored value" choices are read from one post.
MAX_KEPT = 1000


def _kept_stored(request: HttpRequest) -> list[merge.Path]:
    """The conflicts the user settled with the stored value (`_use_stored`: path tokens), each
    once (a value is copied per path: repeated tokens must not multiply the work)."""
    tokens = dict.fromkeys(request.POST.getlist("_use_stored")[:MAX_KEPT])
    return [p for p in (merge.parse_path_token(t) for t in tokens) if p is not None]


ROW_NAMES = ("name", "label", "measure", "month", "line", "period")


def _value_text(value: Any, kind: str) -> str:
    """A value of a conflict as the user reads it: as its input shows it; rows by their names."""
    if value is merge.ABSENT or value is None or value == "" or value == []:
        return _("（空欄）")
    if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
        names = [next((str(row[k]) for k in ROW_NAMES if row.get(k) not in (None, "")), "—") for row in value]
        text = _("%(n)d行: %(names)s") % {"n": len(value), "names": "、".join(names)}
    else:
        text = show(kind, value)
    return text if len(text) <= 400 else text[:400] + "…"


def conflict_rows(
    step: steps.Step | None, conflicts: list[merge.Conflict], shown: dict[str, Any]
) -> list[dict[str, str]]:
    """The conflicts as the page lists them: the field (its label when an input of the step
    shows it), my value, the stored value (as the input would show them), and the token the
    "keep the stored value" checkbox posts."""
    nodes = [n for n in steps.build(step, shown).nodes if n.path] if step is not None else []
    rows = []
    for c in conflicts:
        path = merge.path_text(c.path)
        node = max((n for n in nodes if is_within(path, n.path)), key=lambda n: len(n.path), default=None)
        exact = isinstance(node, Input) and node.path == path
        kind = node.kind if exact and isinstance(node, Input) else "text"
        label = (node.described or path) if node is not None else path
        rows.append(
            {
                "label": label,
                "path": path,
                "token": merge.path_token(c.path),
                "mine": _value_text(c.mine, kind),
                "stored": _value_text(c.theirs, kind),
            }
        )
    return rows


# --- the step-by-step editor ---------------------------------------------------------------------


@case_view(access.VIEW_WORKING_PLAN)
def editor(request: HttpRequest, case: Case) -> HttpResponse:
    return redirect("plans:editor_step", case_id=case.pk, step=steps.FIRST)


def _editor_page(
    request: HttpRequest,
    case: Case,
    step: steps.Step,
    data: dict[str, Any],
    *,
    revision: int,
    add: str = "",
    refusal: str = "",
    status: int = 200,
    conflicts: list[dict[str, str]] | None = None,
) -> HttpResponse:
    """A step page for `data`: its inputs with their problems, the step list and the panel.
    `revision` is the stored revision the form's next post builds on; with `conflicts` the page
    lists them (both values, a choice each) and does not autosave until they are settled."""
    user = request.user
    can_save = access.can_edit_plan_step(user, case, step.slug)
    editable = case.state in PLAN_EDITABLE
    evaluation = panel.evaluate(data, case.applied_on)
    page = steps.build(
        step,
        data,
        disabled=not (can_save and editable),
        add=add,
        may_edit=lambda path: access.may_edit_plan_field(user, case, path),
    )
    locked_inputs = can_save and editable and any(isinstance(n, Input) and n.disabled for n in page.nodes)
    general = panel.attach_to_page(page, step, evaluation)
    counts = panel.counts_by_step(evaluation)
    ctx = {
        **case_context(request, case),
        "step": step,
        "steps": [{"step": s, "count": counts[s.slug]} for s in steps.STEPS],
        "next": steps.next_step(step.slug),
        "page": page.data,
        "general_errors": general,
        "can_save": can_save and editable,
        "autosave": can_save and editable and not conflicts,
        "revision": revision,
        "conflicts": conflicts or [],
        "can_save_role": can_save,
        "editable": editable,
        "read_only_reason": _read_only_reason(request, case, step, can_save, editable),
        "locked_inputs": locked_inputs,
        "panel": panel.build_panel(case, data, show_money=access.can(user, access.VIEW_MONEY, case)),
        "document": services.plan_document(case),
        "can_import": access.can(user, access.EDIT_PLAN, case) and editable,
        "seeded": not services.plan_document(case).data,
    }
    if refusal:
        ctx["refusal"] = refusal
    return render(request, "plans/editor.html", ctx, status=status)


def _read_only_reason(request: HttpRequest, case: Case, step: steps.Step, can_save: bool, editable: bool) -> str:
    if not editable:
        return _(
            "「%(state)s」の案件の計画は表示のみです（修正するときは認定支援機関が「計画を修正する」で策定に戻します）。"
        ) % {"state": case.state_label}
    if not can_save:
        if access.role_of(request.user) == Role.COMPANY:
            return _("この手順は認定支援機関が入力します。事業者は「会社概要」を編集できます。")
        return _("表示のみです。計画は認定支援機関が入力します。")
    return ""


@case_view(access.VIEW_WORKING_PLAN)
def editor_step(request: HttpRequest, case: Case, step: str) -> HttpResponse:
    """One step: GET shows the draft; POST saves the step (also the autosave) and shows it again.

    After a save the page is fetched again (POST → redirect → GET), so what is shown is what
    was stored — every value typed, valid or not — with the problems next to the inputs.

    The form carries the revision it was built from (`_revision`). The post is read against the
    draft of that revision, and what it changed there is merged into the stored draft when
    someone saved in between (drafts.save_draft); when both changed the same field, nothing is
    stored and the page comes back (409) with both values and the typed values on screen.
    """
    current = steps.BY_SLUG.get(step)
    if current is None:
        raise Http404(_("この入力手順はありません。"))
    data, revision = drafts.draft(case)
    if request.method != "POST":
        return _editor_page(request, case, current, data, revision=revision, add=request.GET.get("add", ""))
    access.require(request.user, access.plan_step_action(current.slug), case)
    autosave = request.headers.get("X-Keiei-Autosave") == "1"

    def refuse(message: str, status: int, shown: dict[str, Any]) -> HttpResponse:
        if autosave:
            return JsonResponse({"ok": False, "message": message}, status=status)
        return _editor_page(request, case, current, shown, revision=revision, refusal=message, status=status)

    try:
        post = request.POST
    except (TooManyFieldsSent, RequestDataTooBig):
        return refuse(
            _("入力欄が多すぎて保存できません。月や行を減らすか、計画ファイルの読み込みを使ってください。"), 400, data
        )
    base_revision = drafts.parse_revision(post.get("_revision"))
    if post.get("_step") != current.slug or base_revision is None:
        # Every field of a step is posted together (an empty field clears its value), so a post
        # that is not this step's whole form must not touch the draft.
        if case.state not in PLAN_EDITABLE:
            return refuse(drafts.not_editable_message(case), 409, data)
        return refuse(_("入力内容を受け取れませんでした。ページを読み込み直してから入力してください。"), 400, data)
    base = data if base_revision == revision else drafts.base_data(case, base_revision)
    read_against = base if base is not None else data
    try:
        new, reader = drafts.apply_step(case, read_against, current, post, user=request.user)
    except limits.LimitError as exc:  # a hidden field beyond the limits: nothing of it is kept
        return refuse(limit_message(exc), 400, data)
    new = merge.take_base(new, read_against, _kept_stored(request))
    problem = drafts.limit_problem(new, current)
    if problem is not None:
        return refuse(limit_message(problem), 400, new)  # shown with what was typed
    try:
        saved = drafts.save_draft(
            case,
            request.user,
            new,
            action=access.plan_step_action(current.slug),
            summary=_("計画を保存しました（%(step)s）。") % {"step": current.label},
            base_revision=base_revision,
            base=base,
        )
    except drafts.EditConflict as exc:
        rows = conflict_rows(current, exc.merge.conflicts, exc.merge.shown)
        if autosave:
            listed = [{k: r[k] for k in ("label", "mine", "stored")} for r in rows]
            answer = {"ok": False, "conflict": True, "message": exc.message, "conflicts": listed}
            return JsonResponse(answer, status=409)
        return _editor_page(
            request,
            case,
            current,
            exc.merge.shown,
            revision=exc.revision,
            refusal=exc.message,
            status=409,
            conflicts=rows,
        )
    except services.WorkflowError as exc:
        return refuse(exc.message, 409, new)  # shown with what was typed
    if autosave:
        return JsonResponse(_autosave_answer(case, current, new, reader, saved))
    messages.success(request, _saved_message(saved))
    for note in reader.notes:
        messages.warning(request, note)
    add = request.POST.get("_add", "")
    if add:
        url = reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": current.slug})
        return redirect(f"{url}?{urlencode({'add': add})}#add-{add}")
    following = steps.next_step(current.slug)
    if request.POST.get("_next") and following is not None:
        return redirect("plans:editor_step", case_id=case.pk, step=following.slug)
    return redirect("plans:editor_step", case_id=case.pk, step=current.slug)


def _autosave_answer(
    case: Case, step: steps.Step, posted: dict[str, Any], reader: steps.Reader, saved: drafts.Saved
) -> dict[str, Any]:
    """What the autosave script needs: saved or not, the stored revision, counts per step, and —
    when the posted names still match the stored rows — the messages of each input, to update
    them in place. After a merge (someone else saved other fields meanwhile) the page is behind
    the stored draft: `values` gives the inputs whose stored value differs from the posted one,
    or `reload` when the rows differ; the script moves its revision on only once in step."""
    data = saved.data
    evaluation = panel.evaluate(data, case.applied_on)
    answer: dict[str, Any] = {
        "ok": True,
        "saved": saved.changed,
        "revision": saved.revision,
        "merged": saved.merged,
        "at": timezone.localtime(clock.now()).strftime("%H:%M:%S"),
        "counts": panel.counts_by_step(evaluation),
        "valid": evaluation.valid,
        "notes": reader.notes,
    }
    if saved.merged:
        before = {n.name: n.value for n in steps.build(step, posted).nodes if isinstance(n, Input) and n.name}
        after = {n.name: n.value for n in steps.build(step, data).nodes if isinstance(n, Input) and n.name}
        if reader.reindexed or before.keys() != after.keys():
            answer["reload"] = True
        else:
            answer["values"] = {name: value for name, value in after.items() if before[name] != value}
    if not reader.reindexed:
        page = steps.build(step, data)
        panel.attach_to_page(page, step, evaluation)
        answer["fields"] = {
            n.name: {"errors": n.errors, "warnings": n.warnings}
            for n in page.nodes
            if isinstance(n, Input) and n.name and (n.errors or n.warnings)
        }
    return answer


@case_view(access.VIEW_WORKING_PLAN)
def live_panel(request: HttpRequest, case: Case) -> HttpResponse:
    """The live panel alone (fetched by plan-editor.js after each autosave)."""
    data = drafts.draft_data(case)
    ctx = {
        "case": case,
        "panel": panel.build_panel(case, data, show_money=access.can(request.user, access.VIEW_MONEY, case)),
    }
    return render(request, "plans/_panel.html", ctx)


# --- import and export --------------------------------------------------------------------------


@case_view(access.EDIT_PLAN)
def plan_import(request: HttpRequest, case: Case) -> HttpResponse:
    """Upload a plan file: if it is a valid plan of the case's programme it becomes the draft;
    otherwise its problems are listed and the draft stays as it was."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    too_big = request.method == "POST" and (
        not length.isdigit() or int(length) > planfile.MAX_UPLOAD_BYTES + planfile.UPLOAD_OVERHEAD_BYTES
    )
    document = services.plan_document(case)
    form = PlanImportForm(
        None if too_big else request.POST or None,
        None if too_big else request.FILES or None,
        initial={"revision": document.revision},
    )
    ctx: dict[str, Any] = {
        **case_context(request, case),
        "form": form,
        "problems": [],
        "document": document,
    }
    if case.state not in PLAN_EDITABLE:
        return refused(request, "plans/import.html", ctx, drafts.not_editable_message(case))
    if too_big:  # refused before Django reads the body
        ctx["problems"] = [planfile.ImportProblem(planfile.too_large_message())]
        return render(request, "plans/import.html", ctx, status=400)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name or "plan.yaml").name
        try:
            data = planfile.read_upload(name, upload.read(planfile.MAX_UPLOAD_BYTES + 1))
            if str(data.get("program")) != case.program:
                raise planfile.ImportRefused(
                    [
                        planfile.ImportProblem(
                            _(
                                "この計画ファイルの事業区分（%(plan)s）は案件の事業区分（%(case)s：%(label)s）と違います。"
                            )
                            % {"plan": data.get("program"), "case": case.program, "label": case.program_label},
                            "program",
                        )
                    ]
                )
        except planfile.ImportRefused as exc:
            ctx["problems"] = exc.problems
            ctx["filename"] = name
            return render(request, "plans/import.html", ctx, status=200)
        try:
            drafts.import_draft(case, request.user, data, name, base_revision=form.cleaned_data["revision"])
        except drafts.StaleImport as exc:
            # the draft someone saved meanwhile would be replaced: say so; importing again confirms
            ctx["form"] = PlanImportForm(initial={"revision": exc.revision})
            return refused(request, "plans/import.html", ctx, exc.message)
        except services.WorkflowError as exc:
            return refused(request, "plans/import.html", ctx, exc.message)
        messages.success(request, _("計画ファイル「%(name)s」を読み込み、作成中の計画にしました。") % {"name": name})
        return redirect("plans:editor_step", case_id=case.pk, step=steps.FIRST)
    return render(request, "plans/import.html", ctx)


@case_view(access.VIEW_PLAN)
def plan_export(request: HttpRequest, case: Case) -> HttpResponse:
    """The draft or a version as a plan file (`?format=yaml|json`, `&version=N`), or the list
    of what this user may export. Banks: only the versions submitted to them."""
    fmt = request.GET.get("format", "")
    number = request.GET.get("version", "")
    versions = list(access.plan_versions_for(request.user, case))
    may_draft = access.may_see_working_plan(request.user, case)
    if not fmt:
        return render(
            request,
            "plans/export.html",
            {
                **case_context(request, case),
                "versions": versions,
                "may_draft": may_draft,
                "document": services.plan_document(case) if may_draft else None,
            },
        )
    if fmt not in {"yaml", "json"}:
        raise Http404(_("この形式では書き出せません。"))
    stamp = timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")
    if number:
        if not number.isdigit():
            raise Http404(_("計画の版が見つかりません。"))
        version = _version(request, case, int(number))
        data, stem = version.data, f"{case.reference}-v{version.number}"
        header = _("keiei 計画ファイル %(ref)s %(company)s 第%(n)d版（SHA-256 %(hash)s）\n書き出し %(at)s") % {
            "ref": case.reference,
            "company": case.company.name,
            "n": version.number,
            "hash": version.sha256,
            "at": stamp,
        }
    else:
        access.require(request.user, access.VIEW_WORKING_PLAN, case)
        data, stem = services.plan_document(case).data or {}, f"{case.reference}-draft"
        header = _("keiei 計画ファイル %(ref)s %(company)s 作成中の計画\n書き出し %(at)s") % {
            "ref": case.reference,
            "company": case.company.name,
            "at": stamp,
        }
    problem = planfile.export_problem(data)
    if problem is not None:
        return refused(
            request,
            "plans/export.html",
            {
                **case_context(request, case),
                "versions": versions,
                "may_draft": may_draft,
                "document": services.plan_document(case) if may_draft else None,
            },
            _(
                "この計画は上限を超える値を含むため書き出せません（%(problem)s）。計画ファイルを読み込み直すか、JSON エディタで入力し直してください。"
            )
            % {"problem": problem},
        )
    if fmt == "json":
        body, content_type = planfile.to_json(data), "application/json; charset=utf-8"
    else:
        body, content_type = planfile.to_yaml(data, header), "application/yaml; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


#: The plan's documents: format → (content type, file name stem). Every reader of the version.
DOWNLOADS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "計画書"),
    "pdf": ("application/pdf", "計画書"),
}
#: Every form of the programme in one ZIP; one form is its key (`form-1-application`, …).
FORMS_ZIP = "forms"
FORM_PREFIX = "form-"


@case_view(access.VIEW_PLAN)
def download(request: HttpRequest, case: Case, number: int, fmt: str) -> HttpResponse:
    """A frozen version as a document built by the core: the workbook (`xlsx`), the plan PDF
    (`pdf`), every form of the programme as a ZIP (`forms`) or one form by its key (the file
    stem `build_forms` writes: `form-1-application`, `form-2-consent-2`, …).

    Built on demand from the version's immutable data (the same builders as `keiei plan
    build`), so what a bank downloads is exactly the version it was sent, and kept
    (`doccache`: the next download of the same file is immediate); the case's details
    (applicant, adviser, council, dates) come from `corecase.core_case`. Who may download which
    form: access.may_download_form (a bank: only the 受取書/同意書 addressed to it).
    """
    version = _version(request, case, number)
    if fmt not in DOWNLOADS and fmt != FORMS_ZIP and not fmt.startswith(FORM_PREFIX):
        raise Http404(_("この形式はありません。"))
    from keiei.documents import form_docs
    from keiei.documents.safety import DocumentSafetyError, ensure_safe
    from keiei.errors import KeieiInputError
    from keiei.plan import PlanInputError, parse_plan
    from keiei_web.plans.corecase import core_case

    try:
        plan = parse_plan(version.data, f"第{version.number}版")
    except PlanInputError as exc:
        message = _("この版は計画ファイルとして読めないため、書類を作れません: ") + exc.message_ja
        return _version_page(request, case, version, refusal=message, status=409)
    if fmt == FORMS_ZIP:
        access.require(request.user, access.DOWNLOAD, case)
    elif fmt not in DOWNLOADS:
        doc = next((d for d in form_docs(plan) if d.key == fmt), None)
        if doc is None:
            raise Http404(_("この版にはこの様式がありません。"))
        access.require_form(request.user, case, doc.bank)
    core = core_case(case, version)
    content_type, filename = document_file(case, version, fmt)
    cache_key = doccache.key(version.sha256, fmt, core)

    def check(body: bytes) -> None:
        ensure_safe(body, filename)

    from keiei_web.jobs import documents as jobs

    try:
        body = doccache.get(cache_key, check=check)
        if body is None and not jobs.queued():
            body = doccache.put(cache_key, build_document(case, version, plan, fmt, core), check=check)
    except DocumentSafetyError as exc:
        log.error("download refused: case %s version %s format %s: %s", case.pk, version.number, fmt, exc.message_en)
        message = _("この書類はダウンロードできません: ") + exc.message_ja
        return _version_page(request, case, version, refusal=message, status=409)
    except KeieiInputError as exc:
        message = _("この版から書類を作れませんでした: ") + exc.message_ja
        return _version_page(request, case, version, refusal=message, status=409)
    if body is None:
        # Built by a worker (keiei_web.jobs): asked for once per document whoever asks, then
        # the page refreshes itself until the file is there. With the test settings' immediate
        # backend the task has already run here.
        job = jobs.request(cache_key, case, version, fmt)
        try:
            body = doccache.get(cache_key, check=check)
        except DocumentSafetyError as exc:
            log.error(
                "download refused: case %s version %s format %s: %s", case.pk, version.number, fmt, exc.message_en
            )
            return _version_page(
                request, case, version, refusal=_("この書類はダウンロードできません: ") + exc.message_ja, status=409
            )
        if body is None:
            if job.status == job.Status.FAILED:
                jobs.forget(job)  # shown once; the next click builds again
                return _version_page(request, case, version, refusal=job.error, status=409)
            return _document_pending(request, case, version, fmt, filename, job)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


#: Seconds between the reloads of the "作成中" page (the HTTP Refresh header: no script needed).
PENDING_REFRESH_SECONDS = 3


def _document_pending(
    request: HttpRequest, case: Case, version: PlanVersion, fmt: str, filename: str, job: Any
) -> HttpResponse:
    """202: the document is being built; the page reloads itself until it is served."""
    ctx = {
        **case_context(request, case),
        "version": version,
        "fmt": fmt,
        "filename": filename,
        "job": job,
        "refresh": PENDING_REFRESH_SECONDS,
        "status_url": reverse(
            "plans:download_status", kwargs={"case_id": case.pk, "number": version.number, "fmt": fmt}
        ),
    }
    response = render(request, "plans/document_pending.html", ctx, status=202)
    response["Refresh"] = str(PENDING_REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@case_view(access.VIEW_PLAN)
def download_status(request: HttpRequest, case: Case, number: int, fmt: str) -> HttpResponse:
    """JSON progress of one document of a version (scripts, the fault test): never builds.

    Same access as the download itself; a form's access is checked as there."""
    version = _version(request, case, number)
    if fmt not in DOWNLOADS and fmt != FORMS_ZIP and not fmt.startswith(FORM_PREFIX):
        raise Http404(_("この形式はありません。"))
    from keiei.documents import form_docs
    from keiei.plan import PlanInputError, parse_plan
    from keiei_web.jobs import documents as jobs
    from keiei_web.plans.corecase import core_case

    if fmt == FORMS_ZIP:
        access.require(request.user, access.DOWNLOAD, case)
    elif fmt not in DOWNLOADS:
        try:
            doc = next((d for d in form_docs(parse_plan(version.data, "")) if d.key == fmt), None)
        except PlanInputError:
            doc = None
        if doc is None:
            raise Http404(_("この版にはこの様式がありません。"))
        access.require_form(request.user, case, doc.bank)
    return JsonResponse(jobs.status(doccache.key(version.sha256, fmt, core_case(case, version))))


def document_file(case: Case, version: PlanVersion, fmt: str) -> tuple[str, str]:
    """The content type and file name of a version's document."""
    stem = f"{case.reference}-v{version.number}"
    if fmt in DOWNLOADS:
        content_type, name = DOWNLOADS[fmt]
        return content_type, f"{stem}-{name}.{fmt}"
    if fmt == FORMS_ZIP:
        return "application/zip", f"{stem}-様式.zip"
    return "application/pdf", f"{stem}-{fmt}.pdf"


def build_document(case: Case, version: PlanVersion, plan: Plan, fmt: str, core: CoreCase) -> bytes:
    """Build one document of a version with the core's builders (the request or a worker)."""
    from keiei.documents import build_forms, build_plan_pdf, build_workbook

    check = panel.evaluate(version.data, case.applied_on).check
    with tempfile.TemporaryDirectory(prefix="keiei-download-") as tmp:
        if fmt in DOWNLOADS:
            out = Path(tmp) / f"plan.{fmt}"
            if fmt == "xlsx":
                build_workbook(plan, check, out, case=core)
            else:
                build_plan_pdf(plan, check, out, case=core)
            return out.read_bytes()
        if fmt == FORMS_ZIP:
            parts = build_forms(plan, core, tmp, check=check)
            return zip_bytes([(p.path.name, p.path.read_bytes()) for p in parts], core.document_date(plan))
        return build_forms(plan, core, tmp, check=check, only=[fmt])[0].path.read_bytes()


def zip_bytes(files: Sequence[tuple[str, bytes]], day: dt.date) -> bytes:
    """A ZIP of `files` (name, content) in the given order, reproducible: every entry dated
    `day` at 00:00 (the documents' own date, never the clock), the same mode and compression.
    ZIP dates run from 1980 to 2107; a date outside is written as the nearest year."""
    stamp = (min(max(day.year, 1980), 2107), day.month, day.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
