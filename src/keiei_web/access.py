"""Authorisation: the ONE place that decides who sees which case and who may do what.

Two questions, answered only here:

- `cases_for(user)`: the cases a user may know exist. Company users: their company's cases.
  Certified advisers: the cases their firm serves. Council staff: the cases of their council's
  prefecture. Bank users: the cases in which their bank is a lending bank. Anyone else: none.
- `can(user, action, case)`: whether a user may do `action` on a case in that scope.

Views call `get_case(user, case_id)` (404 outside the scope, so a case's existence never leaks)
and then `require(user, action, case)` (403 for a visible case when the role may not act).
Whether the *state* allows an action is the state machine's business (a Japanese refusal, 409).

What a bank sees inside a visible case is limited too: only the plan versions submitted to it
(`plan_versions_for`), its own answer, and none of the fees, claims or audit trail.

The plan editor: the working plan (draft) is for the people inside the case (VIEW_WORKING_PLAN);
saving a step needs `plan_step_action(step)` — the adviser every step, the company its profile —
and inside a step each value needs `plan_field_action(path)` (PLAN_FIELD_ACTIONS): the company
changes its profile facts, causes of distress and basic policy, not the plan-wide settings.

Documents of a plan version (`plans:download`), for a user who may read the version: the
workbook and the plan PDF for everyone, banks included; the programme's forms for the people
inside the case (DOWNLOAD); a bank only the forms addressed to it — the 受取書 (early) or its
同意書 (405) — see `may_download_form`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.choices import Role
from keiei_web.cases.workflow import TRANSITIONS

if TYPE_CHECKING:
    from keiei_web.cases.models import Case, CaseBank
    from keiei_web.plans.models import PlanVersion

# --- actions -------------------------------------------------------------------------------------
VIEW = "view"  # the case page, deadlines, bank statuses (a bank: only its own)
VIEW_AUDIT = "view_audit"  # the full audit trail
VIEW_MONEY = "view_money"  # fees, subsidy, claims, the company's transfers
VIEW_PLAN = "view_plan"  # the plan page and versions (a bank: only versions submitted to it)
EDIT_PLAN = "edit_plan"  # change the working plan (state permitting): every step, import, JSON
VIEW_WORKING_PLAN = "view_working_plan"  # the unsubmitted plan: step pages read-only, live panel, export
EDIT_PLAN_PROFILE = "edit_plan_profile"  # the plan's company step (会社概要・窮境原因・基本方針)
BANK_RESPOND = "bank_respond"  # receipt / consent / decline with a comment
REPORT_MONITORING = "report_monitoring"  # a monitoring report and its claim
APPROVE_CLAIM = "approve_claim"  # approve a monitoring payment claim
DOWNLOAD = "download"  # the documents page and every form of a version (a bank: may_download_form)

ALL_ROLES = frozenset(Role)
INSIDE_ROLES = frozenset({Role.COMPANY, Role.ADVISER, Role.COUNCIL})

ACTION_ROLES: dict[str, frozenset[str]] = {
    VIEW: ALL_ROLES,
    VIEW_PLAN: ALL_ROLES,
    VIEW_AUDIT: INSIDE_ROLES,
    VIEW_MONEY: INSIDE_ROLES,
    DOWNLOAD: INSIDE_ROLES,
    EDIT_PLAN: frozenset({Role.ADVISER}),
    VIEW_WORKING_PLAN: INSIDE_ROLES,
    EDIT_PLAN_PROFILE: frozenset({Role.ADVISER, Role.COMPANY}),
    BANK_RESPOND: frozenset({Role.BANK}),
    REPORT_MONITORING: frozenset({Role.ADVISER}),
    APPROVE_CLAIM: frozenset({Role.COUNCIL}),
}

#: Who may perform each user transition of the state machine (keiei_web.cases.workflow).
#: The application is filed jointly (連名) by the company and its adviser, so either may file;
#: the council accepts, returns, approves payment, completes and declares a lapse; the adviser
#: drives the plan; anyone inside the case may withdraw it.
TRANSITION_ROLES: dict[str, frozenset[str]] = {
    "apply": frozenset({Role.ADVISER, Role.COMPANY}),
    "return_application": frozenset({Role.COUNCIL}),
    "accept": frozenset({Role.COUNCIL}),
    "start_drafting": frozenset({Role.ADVISER}),
    "submit_to_banks": frozenset({Role.ADVISER}),
    "revise": frozenset({Role.ADVISER}),
    "claim_plan_payment": frozenset({Role.ADVISER}),
    "return_claim": frozenset({Role.COUNCIL}),
    "approve_plan_payment": frozenset({Role.COUNCIL}),
    "complete": frozenset({Role.COUNCIL}),
    "withdraw": frozenset({Role.ADVISER, Role.COMPANY, Role.COUNCIL}),
    "lapse": frozenset({Role.COUNCIL}),
    "agree": frozenset(),  # automatic: the last bank's answer performs it
}
for _t in TRANSITIONS:
    ACTION_ROLES[_t.action] = TRANSITION_ROLES[_t.name]

#: The plan editor's steps (keiei_web.plans.steps) and the action each one needs to save.
#: The adviser writes the plan. The company may also correct its own profile — name, address,
#: representative, causes of distress, basic policy — because it knows those facts best and signs
#: the application jointly; the figures, banks, support asked and action plan stay with the
#: adviser, who answers for them to the council. The council reads every step but saves none.
#: A step not listed here needs EDIT_PLAN.
PLAN_STEP_ACTIONS: dict[str, str] = {"company": EDIT_PLAN_PROFILE}

#: Inside a step, who may change which part of the plan file: key paths (dict keys only, no row
#: numbers) → the action needed; the longest listed prefix decides, and a path not listed needs
#: EDIT_PLAN. Enforced where the posts are merged into the draft (keiei_web.plans.drafts: a
#: value the user may not change is taken from the stored draft whatever is posted) and shown
#: on the step page (those inputs are read-only).
#:
#: The company may change the facts about itself it knows best and signs for in the joint
#: application — its profile (`company`: name, postal code, address, industry, representative,
#: founding, capital, employees, business, shareholders, its memo) — and the plan's narrative of
#: why it is in distress and what it will do (`causes_of_distress`, `basic_policy`). Not:
#: - `company.fiscal_year_end_month`: the calendar of every figure (each actual year must end in
#:   it, the plan years and the cash table follow it); the figures are the adviser's;
#: - `display_unit`, `settings` (rounding): how the documents show and round every figure — a
#:   plan-wide choice the adviser answers for to the council and the banks;
#: - `notes`: the adviser's note on the whole plan (it travels with every frozen version);
#: - `program`, `version`: the case's programme and the file format, set by keiei.
PLAN_FIELD_ACTIONS: dict[tuple[str, ...], str] = {
    ("company",): EDIT_PLAN_PROFILE,
    ("company", "fiscal_year_end_month"): EDIT_PLAN,
    ("causes_of_distress",): EDIT_PLAN_PROFILE,
    ("basic_policy",): EDIT_PLAN_PROFILE,
}

#: Site-wide pages that are not about one case.
COUNCIL_REPORTS = "council_reports"
CREATE_CASE = "create_case"
SITE_ROLES: dict[str, frozenset[str]] = {
    COUNCIL_REPORTS: frozenset({Role.COUNCIL}),
    CREATE_CASE: frozenset({Role.ADVISER}),
}


def role_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", "") or "")


def cases_for(user: Any) -> QuerySet[Case]:
    """Every case `user` may know exists (the base queryset of every case view and the admin)."""
    from keiei_web.cases.models import Case

    role = role_of(user)
    cases = Case.objects.select_related("company", "adviser_firm", "council")
    if role == Role.COMPANY and user.company_id:
        return cases.filter(company_id=user.company_id)
    if role == Role.ADVISER and user.adviser_firm_id:
        return cases.filter(adviser_firm_id=user.adviser_firm_id)
    if role == Role.COUNCIL and user.council_id:
        return cases.filter(council_id=user.council_id)
    if role == Role.BANK and user.bank_id:
        return cases.filter(banks__bank_id=user.bank_id).distinct()
    return cases.none()


def in_scope(user: Any, case: Case) -> bool:
    """The same rule as `cases_for`, for one case already loaded."""
    role = role_of(user)
    if role == Role.COMPANY:
        return user.company_id is not None and case.company_id == user.company_id
    if role == Role.ADVISER:
        return user.adviser_firm_id is not None and case.adviser_firm_id == user.adviser_firm_id
    if role == Role.COUNCIL:
        return user.council_id is not None and case.council_id == user.council_id
    if role == Role.BANK:
        return user.bank_id is not None and case.banks.filter(bank_id=user.bank_id).exists()
    return False


def can(user: Any, action: str, case: Case) -> bool:
    """Whether `user` may do `action` on `case` (scope and role; not the case's state)."""
    if not in_scope(user, case):
        return False
    return role_of(user) in ACTION_ROLES.get(action, frozenset())


def can_site(user: Any, action: str) -> bool:
    return role_of(user) in SITE_ROLES.get(action, frozenset())


def get_case(user: Any, case_id: int) -> Case:
    """The case if `user` may see it, else 404 (the same answer as for a case that does not exist)."""
    case = cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise Http404(_("案件が見つかりません。"))
    return case


def require(user: Any, action: str, case: Case) -> None:
    """403 unless `user` may do `action` on `case` (call after get_case)."""
    if not can(user, action, case):
        raise PermissionDenied(_("この操作を行う権限がありません。"))


def require_site(user: Any, action: str) -> None:
    if not can_site(user, action):
        raise PermissionDenied(_("このページを見る権限がありません。"))


def own_case_bank(user: Any, case: Case) -> CaseBank | None:
    """The bank user's own row among the case's lending banks (None for other roles)."""
    if role_of(user) != Role.BANK or not user.bank_id:
        return None
    return case.banks.filter(bank_id=user.bank_id).select_related("bank").first()


def case_banks_for(user: Any, case: Case) -> QuerySet[CaseBank]:
    """The bank rows a user may see: all of them inside the case, only its own for a bank."""
    rows = case.banks.select_related("bank")
    if role_of(user) == Role.BANK:
        return rows.filter(bank_id=user.bank_id)
    return rows if in_scope(user, case) else rows.none()


def plan_versions_for(user: Any, case: Case) -> QuerySet[PlanVersion]:
    """The plan versions a user may read: all inside the case; for a bank, those submitted to it."""
    from keiei_web.plans.models import PlanVersion

    versions = PlanVersion.objects.filter(case=case).order_by("number")
    if not can(user, VIEW_PLAN, case):
        return versions.none()
    if role_of(user) == Role.BANK:
        return versions.filter(submissions__banks__id=user.bank_id).distinct()
    return versions


def bank_name_key(name: str) -> str:
    """A bank's name as compared between the plan file and the web's banks: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def may_download_all_forms(user: Any, case: Case) -> bool:
    """Every form of a version the user may read (and the ZIP of them): the people inside the case."""
    return can(user, DOWNLOAD, case)


def may_download_form(user: Any, case: Case, addressed_to: str | None) -> bool:
    """One form of a plan version the user may read (call after `plan_versions_for`).

    `addressed_to` is the name of the lending bank the form is addressed to in the version's
    plan (the 受取書 of the main bank, a bank's 同意書; `keiei.documents.FormDoc.bank`), None for
    the others. Inside the case: every form. A bank: only a form addressed to it, recognised by
    the plan's bank name being its own name (`bank_name_key`) — the plan names its banks by
    name only, and the editor seeds them with the web's names. A bank never gets another bank's
    consent nor the application, payment claim or monitoring report (fees, the adviser's account).
    """
    if may_download_all_forms(user, case):
        return True
    if addressed_to is None or not can(user, VIEW_PLAN, case):
        return False
    own, key = own_case_bank(user, case), bank_name_key(addressed_to)
    return own is not None and bool(key) and bank_name_key(own.bank.name) == key


def require_form(user: Any, case: Case, addressed_to: str | None) -> None:
    """403 unless `user` may download the form addressed to `addressed_to` (`may_download_form`)."""
    if not may_download_form(user, case, addressed_to):
        raise PermissionDenied(_("この様式をダウンロードする権限がありません。"))


def may_see_working_plan(user: Any, case: Case) -> bool:
    """The unsubmitted working plan is for the people writing and reviewing it, not the banks."""
    return can(user, VIEW_WORKING_PLAN, case)


def plan_step_action(step: str) -> str:
    """The action saving one step of the plan editor needs (PLAN_STEP_ACTIONS, else EDIT_PLAN)."""
    return PLAN_STEP_ACTIONS.get(step, EDIT_PLAN)


def can_edit_plan_step(user: Any, case: Case, step: str) -> bool:
    """Whether `user` may save `step` of the working plan (scope and role; not the case's state)."""
    return can(user, plan_step_action(step), case)


def plan_field_action(path: tuple[str, ...]) -> str:
    """The action changing the plan file's value at `path` needs (PLAN_FIELD_ACTIONS)."""
    for end in range(len(path), 0, -1):
        action = PLAN_FIELD_ACTIONS.get(path[:end])
        if action is not None:
            return action
    return EDIT_PLAN


def plan_key_path(path: str) -> tuple[str, ...]:
    """`banks[1].loans[0].rate` → ("banks", "loans", "rate"): the keys the rules are about."""
    return tuple(part for part in re.split(r"\.|\[\d+\]", path) if part)


def may_edit_plan_field(user: Any, case: Case, path: str) -> bool:
    """Whether `user` may change the plan's value at `path` (an editor input's path)."""
    return can(user, plan_field_action(plan_key_path(path)), case)


def may_edit_plan_subtree(user: Any, case: Case, path: tuple[str, ...]) -> bool | None:
    """Whether `user` may change everything under `path` (True), nothing (False), or it depends
    on the keys below (None: a rule names a deeper path with another answer)."""
    own = can(user, plan_field_action(path), case)
    deeper = {
        can(user, a, case) for p, a in PLAN_FIELD_ACTIONS.items() if len(p) > len(path) and p[: len(path)] == path
    }
    return own if deeper <= {own} else None


# --- the Django admin (council staff) -------------------------------------------------------------


def can_use_admin(user: Any) -> bool:
    """The admin is for council staff (and operators with a superuser account)."""
    if not role_of(user) and not getattr(user, "is_superuser", False):
        return False
    return bool(getattr(user, "is_superuser", False) or (role_of(user) == Role.COUNCIL and user.is_staff))


def admin_cases(user: Any) -> QuerySet[Case]:
    """Cases in the admin: a superuser sees all, council staff their prefecture's, as in the app."""
    from keiei_web.cases.models import Case

    if getattr(user, "is_superuser", False) and user.is_active:
        return Case.objects.all()
    return cases_for(user) if can_use_admin(user) else Case.objects.none()


def admin_users(user: Any) -> QuerySet[Any]:
    """Users council staff may manage: their prefecture's company users, advisers, banks, their own staff."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.all()
    if getattr(user, "is_superuser", False) and user.is_active:
        return users
    if not can_use_admin(user):
        return users.none()
    return users.filter(is_superuser=False).filter(
        Q(role=Role.COMPANY, company__prefecture=user.council.prefecture)
        | Q(role__in=[Role.ADVISER, Role.BANK])
        | Q(role=Role.COUNCIL, council_id=user.council_id)
    )


def admin_companies(user: Any) -> QuerySet[Any]:
    """Companies in the admin: council staff see those of their own prefecture (a company's
    presence in keiei says it is in a programme, so it is case information too)."""
    from keiei_web.accounts.models import Company

    if getattr(user, "is_superuser", False) and user.is_active:
        return Company.objects.all()
    if not can_use_admin(user):
        return Company.objects.none()
    return Company.objects.filter(prefecture=user.council.prefecture)
