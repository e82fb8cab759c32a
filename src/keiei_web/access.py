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

The Django admin (at the end of this module): `admin_queryset`, `admin_can`, `admin_choices`,
`admin_roles`, `admin_prefectures` and `admin_may_save` decide every list, object page, choice
and permission of every registered ModelAdmin (keiei_web.accounts.admin.AccessAdmin).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.choices import Role
from keiei_web.cases.workflow import TRANSITIONS

if TYPE_CHECKING:
    from keiei_web.cases.models import Case, CaseBank
    from keiei_web.plans.models import PlanVersion
    from keiei_web.public.models import Consultation

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
# 伴走支援 with actual figures (keiei_web.monitoring, issue 13):
VIEW_MONITORING = "view_monitoring"  # each session's report: plan against actual, progress, chart
VIEW_BOOKS = "view_books"  # the imported files, their accounts and mapping (not the banks)
IMPORT_ACTUALS = "import_actuals"  # upload a books file, preview, confirm
WRITE_MONITORING = "write_monitoring"  # the adviser's words: causes, countermeasures, actions, asks
ACKNOWLEDGE_REPORT = "acknowledge_report"  # a bank acknowledges or comments on a session's report

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
    # Each bank on the case reads the plan against actual (the reason it lends on the plan); the
    # files themselves, with every account, stay inside the case. Only the adviser imports and
    # writes (they answer for the figures to the council); each bank answers for itself.
    VIEW_MONITORING: ALL_ROLES,
    VIEW_BOOKS: INSIDE_ROLES,
    IMPORT_ACTUALS: frozenset({Role.ADVISER}),
    WRITE_MONITORING: frozenset({Role.ADVISER}),
    ACKNOWLEDGE_REPORT: frozenset({Role.BANK}),
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
#: Read and answer the consultation requests sent from the public form (keiei_web.public).
HANDLE_CONSULTATIONS = "handle_consultations"
#: The council's portfolio of its prefecture's cases in monitoring (keiei_web.monitoring).
MONITORING_PORTFOLIO = "monitoring_portfolio"
SITE_ROLES: dict[str, frozenset[str]] = {
    COUNCIL_REPORTS: frozenset({Role.COUNCIL}),
    MONITORING_PORTFOLIO: frozenset({Role.COUNCIL}),
    CREATE_CASE: frozenset({Role.ADVISER}),
    HANDLE_CONSULTATIONS: frozenset({Role.COUNCIL}),
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


def consultations_for(user: Any) -> QuerySet[Consultation]:
    """The consultation requests a user may read: council staff, those sent to their council.

    Why only the council: a request from the public form names a person and a phone number
    and says a company is in difficulty; until it becomes a case nobody else is involved.
    """
    from keiei_web.public.models import Consultation

    if role_of(user) == Role.COUNCIL and user.council_id:
        return Consultation.objects.filter(council_id=user.council_id)
    return Consultation.objects.none()


def get_consultation(user: Any, consultation_id: int) -> Consultation:
    """The request if `user` may read it, else 404 (as for one that does not exist)."""
    found = consultations_for(user).filter(pk=consultation_id).first()
    if found is None:
        raise Http404(_("相談の申込みが見つかりません。"))
    return found


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
    return is_own_plan_bank(user, case, addressed_to)


def require_form(user: Any, case: Case, addressed_to: str | None) -> None:
    """403 unless `user` may download the form addressed to `addressed_to` (`may_download_form`)."""
    if not may_download_form(user, case, addressed_to):
        raise PermissionDenied(_("この様式をダウンロードする権限がありません。"))


def is_own_plan_bank(user: Any, case: Case, plan_bank_name: str | None) -> bool:
    """Whether the plan's bank named `plan_bank_name` (banks[].name) is this bank user's own bank.

    The plan names its banks by name only (the editor seeds them with the web's names), so a
    bank recognises its rows by the name (`bank_name_key`). Used for the forms addressed to a
    bank and for the bank's reading of a version (its share and loans, never another bank's).
    """
    if not plan_bank_name:
        return False
    own = own_case_bank(user, case)
    key = bank_name_key(plan_bank_name)
    return own is not None and bool(key) and bank_name_key(own.bank.name) == key


def plan_banks_shown(user: Any, case: Case, names: list[str]) -> list[str]:
    """Which of a version's plan banks (by name) a user may read the share and loans of: every
    one inside the case; a bank only its own (another bank's position is that bank's business)."""
    if not can(user, VIEW_PLAN, case):
        return []
    if role_of(user) != Role.BANK:
        return list(names)
    return [n for n in names if is_own_plan_bank(user, case, n)]


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


# --- notifications -------------------------------------------------------------------------------
#
# Who is told of what happens on a case (keiei_web.notices): only parties of that case, each
# about its own cases; a bank only of what it was asked about. The notices app turns an event
# into a kind and asks `notice_recipients`; it never picks users itself.

NOTICE_PLAN_SUBMITTED = "plan_submitted"
NOTICE_BANK_ANSWERED = "bank_answered"
NOTICE_STATE_CHANGED = "state_changed"
NOTICE_DEADLINE_SOON = "deadline_soon"
NOTICE_DEADLINE_PASSED = "deadline_passed"

#: The roles told of each kind. Banks: for a submission, the banks asked to answer it; for a
#: state change, the banks that have been sent a version (they take part in the bank step and
#: must know when the case moves on, is revised, withdrawn or lapses). A bank answer goes to the
#: adviser (who drives the bank step) and the company (whose plan it is); deadlines to the
#: people who must act on them (adviser, company, council), never to banks (the deadlines are
#: the programme's, about claims and monitoring, not about the banks' answers).
NOTICE_ROLES: dict[str, frozenset[str]] = {
    NOTICE_PLAN_SUBMITTED: frozenset({Role.COMPANY, Role.ADVISER, Role.COUNCIL, Role.BANK}),
    NOTICE_BANK_ANSWERED: frozenset({Role.ADVISER, Role.COMPANY}),
    NOTICE_STATE_CHANGED: frozenset({Role.COMPANY, Role.ADVISER, Role.COUNCIL, Role.BANK}),
    NOTICE_DEADLINE_SOON: frozenset({Role.COMPANY, Role.ADVISER, Role.COUNCIL}),
    NOTICE_DEADLINE_PASSED: frozenset({Role.COMPANY, Role.ADVISER, Role.COUNCIL}),
}


def notice_recipients(case: Case, kind: str, *, actor: Any = None) -> list[Any]:
    """The active users told of `kind` on `case` (not `actor`, who did it), each checked once
    more against the case's scope (`in_scope`), so no notice reaches anyone outside the case."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from keiei_web.cases.models import BankStatus
    from keiei_web.plans.models import PlanSubmission

    roles = NOTICE_ROLES.get(kind, frozenset())
    wanted = Q(pk__in=[])
    if Role.COMPANY in roles:
        wanted |= Q(role=Role.COMPANY, company_id=case.company_id)
    if Role.ADVISER in roles:
        wanted |= Q(role=Role.ADVISER, adviser_firm_id=case.adviser_firm_id)
    if Role.COUNCIL in roles:
        wanted |= Q(role=Role.COUNCIL, council_id=case.council_id)
    if Role.BANK in roles:
        if kind == NOTICE_PLAN_SUBMITTED:
            bank_ids = set(case.banks.filter(status=BankStatus.PENDING).values_list("bank_id", flat=True))
        else:
            bank_ids = set(
                PlanSubmission.objects.filter(version__case=case).values_list("banks__id", flat=True)
            ) - {None}
        wanted |= Q(role=Role.BANK, bank_id__in=bank_ids)
    users = get_user_model()._default_manager.filter(wanted, is_active=True).order_by("pk")
    actor_pk = getattr(actor, "pk", None)
    return [u for u in users if u.pk != actor_pk and in_scope(u, case)]


def notices_for(user: Any) -> QuerySet[Any]:
    """The notices a user may read: its own, and only about cases it still sees (a bank taken
    off a case, a user moved to another firm, no longer reads what it was told before)."""
    from django.db.models import Q

    from keiei_web.notices.models import Notice

    if not role_of(user):
        return Notice.objects.none()
    visible = Q(case__isnull=True) | Q(case__in=cases_for(user).values("pk"))
    return Notice.objects.filter(visible, recipient_id=user.pk)


# --- the Django admin --------------------------------------------------------------------------
#
# The admin is for operators (active superusers) and council staff (role council, is_staff);
# Django's admin site turns away everyone else (not staff), and can_use_admin does too.
#
# The rule for council staff, and why. Adviser firms and banks are national: a user attached to
# one sees that firm's or bank's cases in every prefecture (`cases_for`). A council that could
# create or change an adviser or bank user — or rename a firm or bank — could therefore read, or
# let someone read, the cases of other prefectures. So council staff:
# - see their prefecture's cases and the records that hang off them; change only a case's note;
# - see and add their prefecture's companies, and change them within the prefecture;
# - see, read-only, the adviser firms serving and the banks lending to their prefecture's cases,
#   and those firms' and banks' users (who is acting on their cases), and their own council;
# - manage (add, change, set a password) the company users of their prefecture's companies and
#   their own council's staff — never is_staff / is_superuser, never a superuser;
# - delete nothing.
# Operators do the rest — except what nobody does in the admin: the records of a case that only
# keiei_web.cases.services writes (audit trail, frozen plan versions, payment claims, monitoring
# schedule) are read-only for everyone, and no case is deleted (its audit trail would go too).

ADMIN_VIEW, ADMIN_ADD, ADMIN_CHANGE, ADMIN_DELETE = "view", "add", "change", "delete"
_ALL_ADMIN = frozenset({ADMIN_VIEW, ADMIN_ADD, ADMIN_CHANGE, ADMIN_DELETE})
_READ_ONLY = frozenset({ADMIN_VIEW})

#: Records of a case only the services write: read-only in the admin for everyone.
ADMIN_CASE_RECORDS = frozenset(
    {"cases.caseevent", "cases.paymentclaim", "cases.monitoringsession", "plans.planversion"}
)

#: What each kind of admin user may do, by model (`app_label.model_name`); a model not listed: nothing.
ADMIN_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "operator": {
        "cases.case": frozenset({ADMIN_VIEW, ADMIN_CHANGE}),
        **{label: _READ_ONLY for label in ADMIN_CASE_RECORDS},
        "accounts.company": _ALL_ADMIN,
        "accounts.adviserfirm": _ALL_ADMIN,
        "accounts.bank": _ALL_ADMIN,
        "accounts.council": _ALL_ADMIN,
        "accounts.user": _ALL_ADMIN,
    },
    "council": {
        "cases.case": frozenset({ADMIN_VIEW, ADMIN_CHANGE}),
        **{label: _READ_ONLY for label in ADMIN_CASE_RECORDS},
        "accounts.company": frozenset({ADMIN_VIEW, ADMIN_ADD, ADMIN_CHANGE}),
        "accounts.adviserfirm": _READ_ONLY,
        "accounts.bank": _READ_ONLY,
        "accounts.council": _READ_ONLY,
        "accounts.user": frozenset({ADMIN_VIEW, ADMIN_ADD, ADMIN_CHANGE}),
    },
}


def is_operator(user: Any) -> bool:
    """An active superuser: the installation's operator (no role needed)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def is_council_staff(user: Any) -> bool:
    """Council staff with the admin: role council, a council, is_staff (and active)."""
    return role_of(user) == Role.COUNCIL and bool(user.is_staff) and user.council_id is not None


def can_use_admin(user: Any) -> bool:
    """The admin is for council staff and operators (superusers)."""
    return is_operator(user) or is_council_staff(user)


def _admin_kind(user: Any) -> str:
    if is_operator(user):
        return "operator"
    return "council" if is_council_staff(user) else ""


def _label(model: type[Model] | Model) -> str:
    return str(model._meta.label_lower)


def _has_case_field(model: type[Model]) -> bool:
    return any(f.name == "case" and f.is_relation for f in model._meta.get_fields())


def _prefecture(user: Any) -> str:
    return str(user.council.prefecture)


def admin_queryset(user: Any, model: type[Model]) -> QuerySet[Any]:
    """Every object of `model` the user may see in the admin (lists, choices, search, autocomplete,
    and every object page through ModelAdmin.get_object): operators all; council staff as above."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from keiei_web.cases.models import CaseBank

    everything: QuerySet[Any] = model._default_manager.all()
    kind, label = _admin_kind(user), _label(model)
    if kind == "operator":
        return everything
    if kind != "council" or label not in ADMIN_ACTIONS["council"]:
        return everything.none()
    cases = cases_for(user)
    if label == "cases.case":
        return cases
    if _has_case_field(model):
        return everything.filter(case__in=cases.values("pk"))
    firms = cases.values("adviser_firm_id")
    banks = CaseBank.objects.filter(case__in=cases.values("pk")).values("bank_id")
    if label == "accounts.company":
        return everything.filter(prefecture=_prefecture(user))
    if label == "accounts.adviserfirm":
        return everything.filter(pk__in=firms)
    if label == "accounts.bank":
        return everything.filter(pk__in=banks)
    if label == "accounts.council":
        return everything.filter(pk=user.council_id)
    if model is get_user_model():
        return admin_managed_users(user) | everything.filter(is_superuser=False).filter(
            Q(role=Role.ADVISER, adviser_firm_id__in=firms) | Q(role=Role.BANK, bank_id__in=banks)
        )
    return everything.none()


def admin_managed_users(user: Any) -> QuerySet[Any]:
    """The users whose details and password council staff may change: the company users of their
    prefecture's companies and their own council's staff (never a superuser). Operators: all."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model()._default_manager.all()
    kind = _admin_kind(user)
    if kind == "operator":
        return users
    if kind != "council":
        return users.none()
    return users.filter(is_superuser=False).filter(
        Q(role=Role.COMPANY, company__prefecture=_prefecture(user)) | Q(role=Role.COUNCIL, council_id=user.council_id)
    )


def admin_can(user: Any, action: str, model: type[Model], obj: Model | None = None) -> bool:
    """Whether the user may `action` (view/add/change/delete) objects of `model` in the admin — and,
    given `obj`, that object: it must lie in `admin_queryset` (users to change: `admin_managed_users`)."""
    kind = _admin_kind(user)
    if not kind or action not in ADMIN_ACTIONS[kind].get(_label(model), frozenset()):
        return False
    if obj is None or obj.pk is None or kind == "operator":
        return True
    from django.contrib.auth import get_user_model

    if model is get_user_model() and action != ADMIN_VIEW:
        return admin_managed_users(user).filter(pk=obj.pk).exists()
    return admin_queryset(user, model).filter(pk=obj.pk).exists()


def admin_choices(user: Any, model: type[Model]) -> QuerySet[Any]:
    """What an admin form may point at (foreign-key and many-to-many choices to `model`): operators
    anything; council staff their prefecture's companies and their own council, nothing else —
    never an adviser firm or a bank (a user attached to one would see other prefectures' cases)."""
    everything: QuerySet[Any] = model._default_manager.all()
    kind, label = _admin_kind(user), _label(model)
    if kind == "operator":
        return everything
    if kind == "council" and label in ("accounts.company", "accounts.council"):
        return admin_queryset(user, model)
    return everything.none()


def admin_roles(user: Any) -> list[str]:
    """The roles a user may give in the admin ("" = no role, for operators' own accounts)."""
    if is_operator(user):
        return ["", *Role.values]
    return [Role.COMPANY, Role.COUNCIL] if is_council_staff(user) else []


def admin_prefectures(user: Any) -> list[str] | None:
    """The prefectures a company may be put in from the admin (None: any)."""
    if is_operator(user):
        return None
    return [_prefecture(user)] if is_council_staff(user) else []


def admin_may_save(user: Any, obj: Model) -> bool:
    """Whether `obj`, as the admin is about to save it, stays inside what the user manages (checked
    again on save, after the form's choices: a council never creates or changes a user of another
    council, an adviser or bank user, a superuser, nor makes anyone staff)."""
    from django.contrib.auth import get_user_model

    from keiei_web.accounts.models import Company

    kind, label = _admin_kind(user), _label(obj)
    if kind == "operator":
        return True
    if kind != "council":
        return False
    action = ADMIN_CHANGE if obj.pk is not None else ADMIN_ADD
    if not admin_can(user, action, type(obj), obj):
        return False
    if type(obj) is Company:
        return str(obj.prefecture) == _prefecture(user)
    if type(obj) is get_user_model():
        was_staff = obj.pk is not None and type(obj)._default_manager.filter(pk=obj.pk, is_staff=True).exists()
        if obj.is_superuser or (obj.is_staff and not was_staff):
            return False
        if obj.role == Role.COMPANY:
            company = obj.company
            return company is not None and company.prefecture == _prefecture(user)
        return obj.role == Role.COUNCIL and obj.council_id == user.council_id
    return label == "cases.case"
