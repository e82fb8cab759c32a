"""Saving the draft plan: from a step's form, from an imported file; the first draft's seed.

Why a draft may be invalid: advisers type a plan over days, a step at a time, and the schema
only passes once the required parts exist. So a save stores the document as typed (a value
that is not a number yet is kept as text) and the pages show its problems; what is frozen for
the banks or the council is a version (keiei_web.cases.services.freeze_version).

Audit: every save changes PlanDocument and is recorded as a `plan_saved` CaseEvent with the
SHA-256 before and after — but not every few seconds: saves by the same person within
`SESSION` of their previous recorded save belong to that editing session (autosave would
otherwise fill the trail). An import is always recorded, with the file name.

Two people: every save stores the next revision of the draft (PlanDocument.revision, with a copy
of the last ones) and every editor form carries the revision it was built from. A save from an
older form is merged by key path with what was saved since when they changed different fields,
and refused (EditConflict) with both values when they changed the same one (plans.merge).
Inside a step, the values a user may not change stay as stored (keep_locked_fields).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keiei import limits
from keiei_web import access, clock
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.services import WorkflowError
from keiei_web.cases.workflow import PLAN_EDITABLE
from keiei_web.plans import steps
from keiei_web.plans.forms import WHOLE_PLAN
from keiei_web.plans.merge import Merge, all_conflicts, three_way
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
    case: Case, data: Mapping[str, Any], step: steps.Step, post: Mapping[str, Any], *, user: Any = None
) -> tuple[dict[str, Any], steps.Reader]:
    """The draft with `step`'s posted values in it (not saved). When the number of plan years
    changed, every per-year list is cut or extended to match (reader.notes says so). With
    `user`, values the user may not change (access.PLAN_FIELD_ACTIONS) stay as in `data`."""
    fragment, reader = steps.read(step, post, data)
    new = steps.merge(data, fragment)
    new.setdefault("program", case.program)
    old_years, new_years = steps.plan_years(data), steps.plan_years(new)
    if old_years and new_years and old_years != new_years and steps.resize_series(new, new_years):
        reader.notes.append(
            _("計画年数を %(old)d年 から %(new)d年 にしたため、年度ごとの値の数を合わせました。")
            % {"old": old_years, "new": new_years}
        )
    if user is not None:
        new = keep_locked_fields(user, case, data, new)
    return new, reader


def limit_problem(data: Mapping[str, Any], step: steps.Step) -> limits.LimitError | None:
    """The first structural limit (keiei.limits) the step's part of `data` breaks, or None.

    Only the step's own keys: they are what was posted; a stored draft beyond the limits (from
    before they existed) is named by the panel and must not block saving another step.
    """
    own = {key: data[key] for key in step.keys if key in data}
    return limits.structure_problem(own, whole=WHOLE_PLAN)


_ABSENT: Any = object()


def keep_locked_fields(user: Any, case: Case, old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """`new`, except that every value `user` may not change (access.may_edit_plan_subtree) is
    the one in `old` — present or absent as it was — whatever was posted. A disabled input is
    not posted at all, and a hand-made post may carry anything: neither changes those values."""

    def walk(path: tuple[str, ...], before: Any, after: Any) -> Any:
        verdict = access.may_edit_plan_subtree(user, case, path)
        if verdict is not None:
            return after if verdict else before
        if not isinstance(before, Mapping) and before is not _ABSENT:
            return before  # the stored value is not an object: nothing below it is the user's
        if not isinstance(after, Mapping):
            after = {}  # the post removed or replaced the object: only its editable keys go
        b = before if isinstance(before, Mapping) else {}
        out: dict[str, Any] = {}
        for key in [*after, *(k for k in b if k not in after)]:
            value = walk((*path, str(key)), b.get(key, _ABSENT), after.get(key, _ABSENT))
            if value is not _ABSENT:
                out[key] = value
        return out if out or before is not _ABSENT else _ABSENT

    result = walk((), dict(old), dict(new))
    return dict(result) if isinstance(result, Mapping) else {}


@dataclass
class Saved:
    """What a save did: whether the draft changed, its revision now, and whether changes made by
    others since the form's revision were kept in (a three-way merge)."""

    changed: bool
    revision: int
    data: dict[str, Any]
    merged: bool = False


class EditConflict(WorkflowError):
    """The form's revision is not the stored one and both sides changed the same fields.

    `merge.conflicts` lists them (my value, the stored value); `merge.shown` is the stored draft
    with the post's changes (the post winning the conflicts), shown again so nothing is lost;
    `revision` is the stored revision the next post should carry; `stored` the stored draft.
    """

    def __init__(self, message: str, merge: Merge, revision: int, stored: dict[str, Any]) -> None:
        super().__init__(message)
        self.merge = merge
        self.revision = revision
        self.stored = stored


def draft(case: Case) -> tuple[dict[str, Any], int]:
    """The stored draft (or the seed before the first save) and its revision, read together."""
    doc = services.plan_document(case)
    return (dict(doc.data) if doc.data else seed(case)), doc.revision


def base_data(case: Case, revision: int, *, empty_is_seed: bool = True) -> dict[str, Any] | None:
    """What a form built from `revision` showed (None: that revision is not kept or not real).
    The step editor shows the seed for an empty draft (`empty_is_seed`), the JSON editor `{}`."""
    doc = services.plan_document(case)
    if revision > doc.revision:
        return None
    data = {} if revision == 0 else doc.data_at(revision)
    if data is None:
        return None
    return (data or seed(case)) if empty_is_seed else data


def parse_revision(value: Any) -> int | None:
    """A posted revision number (None: missing or not a number — the post is not a whole form)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _conflict_message(doc: Any, has_base: bool) -> str:
    who = doc.updated_by.display_name() if doc.updated_by is not None else _("他の利用者")
    at = timezone.localtime(doc.updated_at).strftime("%Y-%m-%d %H:%M")
    if not has_base:
        return _(
            "このページを開いた後に計画が何度も保存され（最後は %(who)s、%(at)s）、どの項目を変えたかを比べられません。"
            "保存されている値と違う項目を下に示します。項目ごとにどちらにするかを選んで、もう一度保存してください。"
        ) % {"who": who, "at": at}
    return _(
        "このページを開いた後に %(who)s が計画を保存しました（%(at)s）。同じ項目が変更されているため、保存していません。"
        "項目ごとに、あなたの入力と保存されている値のどちらにするかを選んで、もう一度保存してください"
        "（ほかの項目の変更は取り込んであります）。"
    ) % {"who": who, "at": at}


def save_draft(
    case: Case,
    user: Any,
    data: dict[str, Any],
    *,
    action: str,
    summary: str,
    base_revision: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> Saved:
    """Store `data` as the draft, or do nothing when it is unchanged.

    `base_revision` is the revision the form was built from and `base` the draft it showed
    (`base_data`). When another save came in between, the changes the form made to `base` are
    merged into the stored draft when they touch other fields (plans.merge.three_way), and the
    save is refused with EditConflict when both changed the same field — or, when `base` is no
    longer kept, when anything differs. Without `base_revision` (programmatic saves) the data is
    stored as given. Values the user may not change are kept as stored (keep_locked_fields).

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
        stored = dict(doc.data) if doc.data else seed(locked)
        merged = False
        if base_revision is not None and base_revision != doc.revision:
            known = base is not None and base_revision < doc.revision
            if known:
                assert base is not None
                outcome = three_way(base, keep_locked_fields(user, locked, base, data), stored)
            else:
                outcome = all_conflicts(keep_locked_fields(user, locked, stored, data), stored)
            if outcome.merged is None:
                raise EditConflict(_conflict_message(doc, known), outcome, doc.revision, stored)
            data, merged = outcome.merged, True
        data = keep_locked_fields(user, locked, stored, data)
        if doc.data and canonical_json(doc.data) == canonical_json(data):
            return Saved(False, doc.revision, dict(doc.data), merged)
        before = sha256_of(doc.data) if doc.data else ""
        doc.store(data, user)
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
    return Saved(True, doc.revision, data, merged)


class StaleImport(WorkflowError):
    """The draft changed after the import page was opened; `revision` is the stored one."""

    def __init__(self, message: str, revision: int) -> None:
        super().__init__(message)
        self.revision = revision


def import_draft(
    case: Case, user: Any, data: dict[str, Any], filename: str, *, base_revision: int | None = None
) -> None:
    """Replace the draft with an imported (already validated) plan file; always recorded.

    An import replaces the whole draft, so there is nothing to merge: when the draft was saved
    after the import page was opened (`base_revision`), it is refused (StaleImport) and the user
    confirms by importing again from the page, which then names the stored revision."""
    access.require(user, access.EDIT_PLAN, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("company").get(pk=case.pk)
        if locked.state not in PLAN_EDITABLE:
            raise WorkflowError(not_editable_message(locked))
        doc = services.plan_document(locked)
        if base_revision is not None and base_revision != doc.revision:
            who = doc.updated_by.display_name() if doc.updated_by is not None else _("他の利用者")
            at = timezone.localtime(doc.updated_at).strftime("%Y-%m-%d %H:%M")
            raise StaleImport(
                _(
                    "このページを開いた後に %(who)s が作成中の計画を保存しました（%(at)s）。読み込むと、その変更も含めて"
                    "作成中の計画全体が置き換わります。よければ、もう一度ファイルを選んで読み込んでください。"
                )
                % {"who": who, "at": at},
                doc.revision,
            )
        before = sha256_of(doc.data) if doc.data else ""
        doc.store(data, user)
        services.record(
            locked,
            user,
            "plan_imported",
            _("計画ファイル「%(name)s」を読み込みました。") % {"name": filename},
            before={"sha256": before},
            after={"sha256": doc.sha256},
        )
