"""Saving the draft plan: from a step's form, from an imported file; the first draft's seed.

Why a draft may be invalid: advisers type a plan over days, a step at a time, and the schema
only passes once the required parts exist. So a save stores the document as typed (a value
that is not a number yet is kept as text) and the pages show its problems; what is frozen for
the banks or the council is a version (keiei_web.cases.services.freeze_version).

Audit: every save changes PlanDocument and is recorded as a `plan_saved` CaseEvent with the
SHA-256 before and after — but not every few seconds: saves by the same person within
`SESSION` of their previous recorded save belong to that editing session (autosave would
otherwise fill the trail). An import is always recorded, with the file name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keiei import limits
from keiei_web import access, clock
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.services import WorkflowError
from keiei_web.cases.workflow import PLAN_EDITABLE
from keiei_web.plans import steps
from keiei_web.plans.forms import WHOLE_PLAN
from keiei_web.plans.versioning import canonical_json, sha256_of

SESSION = dt.timedelta(minutes=15)


def seed(case: Case) -> dict[str, Any]:
    """The start of a new plan from what the case already knows (shown until first saved)."""
    company: dict[str, Any] = {"name": case.company.name}
    if case.company.postal_code:
        company["postal_code"] = case.company.postal_code
    if case.company.representative:
        company["representative"] = case.company.representative
    company["fiscal_year_end_month"] = case.company.fiscal_year_end_month
    banks = [
        {"name": cb.bank.name, **({"main": True} if cb.is_main else {})}
        for cb in case.banks.select_related("bank").order_by("-is_main", "id")
    ]
    data: dict[str, Any] = {"version": 1, "program": case.program, "company": company}
    if banks:
        data["banks"] = banks
    return data


def draft_data(case: Case) -> dict[str, Any]:
    """The stored draft, or the seed when nothing was saved yet."""
    doc = services.plan_document(case)
    return dict(doc.data) if doc.data else seed(case)


def not_editable_message(case: Case) -> str:
    return _("「%(state)s」の案件の計画は編集できません。修正するときは「計画を修正する」で策定に戻してください。") % {
        "state": case.state_label
    }


def apply_step(
    case: Case, data: Mapping[str, Any], step: steps.Step, post: Mapping[str, Any]
) -> tuple[dict[str, Any], steps.Reader]:
    """The draft with `step`'s posted values in it (not saved). When the number of plan years
    changed, every per-year list is cut or extended to match (reader.notes says so)."""
    fragment, reader = steps.read(step, post, data)
    new = steps.merge(data, fragment)
    new.setdefault("program", case.program)
    old_years, new_years = steps.plan_years(data), steps.plan_years(new)
    if old_years and new_years and old_years != new_years and steps.resize_series(new, new_years):
        reader.notes.append(
            _("計画年数を %(old)d年 から %(new)d年 にしたため、年度ごとの値の数を合わせました。")
            % {"old": old_years, "new": new_years}
        )
    return new, reader


def limit_problem(data: Mapping[str, Any], step: steps.Step) -> limits.LimitError | None:
    """The first structural limit (keiei.limits) the step's part of `data` breaks, or None.

    Only the step's own keys: they are what was posted; a stored draft beyond the limits (from
    before they existed) is named by the panel and must not block saving another step.
    """
    own = {key: data[key] for key in step.keys if key in data}
    return limits.structure_problem(own, whole=WHOLE_PLAN)


def save_draft(case: Case, user: Any, data: dict[str, Any], *, action: str, summary: str) -> bool:
    """Store `data` as the draft (True) or do nothing when it is unchanged (False).

    Refuses (WorkflowError, Japanese) when the case's state does not allow editing; the caller
    checked `action` already, and it is checked again here (PermissionDenied).
    """
    access.require(user, action, case)
    if not isinstance(data, dict):
        raise WorkflowError(_("計画は JSON のオブジェクト（{ … }）で入力してください。"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("company").get(pk=case.pk)
        if locked.state not in PLAN_EDITABLE:
            raise WorkflowError(not_editable_message(locked))
        doc = services.plan_document(locked)
        if doc.data and canonical_json(doc.data) == canonical_json(data):
            return False
        before = sha256_of(doc.data) if doc.data else ""
        doc.data = data
        doc.updated_by = user
        doc.save()
        last = locked.events.order_by("-at", "-id").first()
        same_session = (
            last is not None
            and last.action == "plan_saved"
            and last.actor_id == getattr(user, "pk", None)
            and clock.now() - last.at < SESSION
        )
        if not same_session:
            services.record(
                locked, user, "plan_saved", summary, before={"sha256": before}, after={"sha256": doc.sha256}
            )
    return True


def import_draft(case: Case, user: Any, data: dict[str, Any], filename: str) -> None:
    """Replace the draft with an imported (already validated) plan file; always recorded."""
    access.require(user, access.EDIT_PLAN, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("company").get(pk=case.pk)
        if locked.state not in PLAN_EDITABLE:
            raise WorkflowError(not_editable_message(locked))
        doc = services.plan_document(locked)
        before = sha256_of(doc.data) if doc.data else ""
        doc.data = data
        doc.updated_by = user
        doc.save()
        services.record(
            locked,
            user,
            "plan_imported",
            _("計画ファイル「%(name)s」を読み込みました。") % {"name": filename},
            before={"sha256": before},
            after={"sha256": doc.sha256},
        )
