"""What each action does to a case: the only code that changes a case's state.

Every function here checks authorisation through keiei_web.access (PermissionDenied), checks
the state machine (WorkflowError with a Japanese message the views show as is), changes the
records in one transaction, and appends a CaseEvent with who, when, what, before and after.
Dates of business events (`on`) are passed in; only audit timestamps read keiei_web.clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keiei.case.schedule import monitoring_schedule
from keiei.dates import STORED_WINDOW
from keiei.errors import KeieiInputError
from keiei.money import format_yen
from keiei.rules import PROGRAM_LABELS, rules_for
from keiei_web import access, clock
from keiei_web.accounts.models import Company, Council
from keiei_web.cases import monitoringport
from keiei_web.cases.deadlines import lapse_deadline
from keiei_web.cases.documents import prepare_application_documents
from keiei_web.cases.models import (
    BankResponse,
    BankResponseKind,
    BankStatus,
    Case,
    CaseBank,
    CaseEvent,
    ClaimKind,
    ClaimStatus,
    MonitoringSession,
    PaymentClaim,
)
from keiei_web.cases.models.banks import AGREED_STATUSES, RESPONSE_STATUS
from keiei_web.cases.payments import PaymentError, monitoring_claim, plan_claim
from keiei_web.cases.planport import FrozenVersion, Purpose, plans
from keiei_web.cases.workflow import BY_NAME, PLAN_EDITABLE, State, Transition, state_label


class WorkflowError(Exception):
    """A refused action; `message` is the Japanese sentence shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(case: Case) -> dict[str, Any]:
    """The case fields the audit trail compares before and after an action."""
    return {
        "state": case.state,
        "applied_on": _d(case.applied_on),
        "accepted_on": _d(case.accepted_on),
        "bank_meeting_on": _d(case.bank_meeting_on),
        "agreed_on": _d(case.agreed_on),
        "monitoring_started_on": _d(case.monitoring_started_on),
        "closed_on": _d(case.closed_on),
        "monitoring_interval_months": case.monitoring_interval_months,
    }


def _bank_snapshot(case: Case) -> dict[str, Any]:
    return {cb.bank.name: cb.status for cb in case.banks.select_related("bank")}


#: Called with every event `record` appends, inside the event's transaction: the one place other
#: apps learn that a case changed (keiei_web.notices registers itself in its AppConfig.ready, so
#: this app never imports it and no view has to remember to notify).
EVENT_LISTENERS: list[Callable[[CaseEvent], None]] = []


def record(
    case: Case,
    user: Any,
    action: str,
    summary: str,
    *,
    from_state: str = "",
    to_state: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event to the case's audit trail — the one place events are created. CaseEvent.save
    chains it to the case's last event (keiei.auditchain) under the case's row lock."""
    event = CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor=user if getattr(user, "pk", None) else None,
        actor_name=user.display_name() if hasattr(user, "display_name") else "",
        actor_role=access.role_of(user),
        action=action,
        summary=summary,
        from_state=from_state,
        to_state=to_state,
        before=before or {},
        after=after or {},
    )
    for listener in EVENT_LISTENERS:
        listener(event)
    return event


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock, so two clicks cannot both pass the state check."""
    return Case.objects.select_for_update().select_related("company", "adviser_firm", "council").get(pk=case.pk)


def _rules_changed(case: Case) -> None:
    """The case's rules date changed: refuse it when no rules apply then (before the
    programme began), with the core's Japanese message; forget the rules read before."""
    case.__dict__.pop("rules", None)
    try:
        rules_for(case.program, case.rules_date)
    except KeieiInputError as exc:
        raise WorkflowError(exc.message_ja) from None


def check_event_date(day: dt.date | None, label: str) -> None:
    """Refuse a business date outside the span any stored date keeps (keiei.dates.STORED_WINDOW).

    The forms already hold events to the past (`forms.EventDateField`); this is the services'
    own guard for every caller, so nothing stored can break the pages computing from it.
    """
    if day is None:
        return
    reason = STORED_WINDOW.problem(day)
    if reason is not None:
        raise WorkflowError(_("%(field)s: %(reason)s") % {"field": label, "reason": reason})


def _not_before(day: dt.date, earlier: dt.date | None, what: str) -> None:
    if earlier is not None and day < earlier:
        raise WorkflowError(
            _("日付は%(what)s（%(date)s）以降にしてください。") % {"what": what, "date": earlier.isoformat()}
        )


# --- plan versions -------------------------------------------------------------------------------


def plan_document(case: Case) -> Any:
    """The case's working plan (`plans.PlanDocument`), through the plans app's port."""
    return plans().document(case)


def freeze_version(case: Case, user: Any, purpose: str, on: dt.date, banks: list[Any] | None = None) -> FrozenVersion:
    """Freeze the working plan as a version (or reuse the latest if unchanged) and record the submission."""
    return plans().freeze_version(case, user, purpose, on, banks)


#: How many problems a refusal names before "…ほかN件".
REFUSAL_LISTED = 5


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:REFUSAL_LISTED])
    if len(items) > REFUSAL_LISTED:
        shown += _("（ほか%(n)d件）") % {"n": len(items) - REFUSAL_LISTED}
    return shown


def require_submittable(case: Case) -> None:
    """Refuse (WorkflowError) a working plan that is not a valid plan file or fails an error criterion.

    Judged like the editor's panel (`plans.panel.evaluate`: `parse_plan`, then `run_check` on the
    case's rules date). Failed criteria of error severity block; warnings and findings do not.
    A plan written for another programme than the case's is refused too: its criteria, caps and
    forms would be the other programme's (the panel only warns while the plan is being written).
    """
    doc = plan_document(case)
    evaluation = plans().evaluate(doc.data, case.applied_on)
    if not evaluation.valid:
        items = [f"{path}: {message}" if path else message for path, message in evaluation.problems]
        raise WorkflowError(
            _("計画に入力の誤りが%(n)d件あるため提出できません。計画の編集画面で直してください: %(items)s")
            % {"n": len(items), "items": _listed(items)}
        )
    program = doc.data.get("program") if isinstance(doc.data, dict) else None
    if program != case.program:
        raise WorkflowError(
            _(
                "計画の事業区分（%(plan)s）が案件の事業区分（%(case)s）と違うため提出できません。"
                "計画の「会社概要」で事業区分を直してください。"
            )
            % {"plan": PROGRAM_LABELS.get(str(program), str(program)), "case": case.program_label}
        )
    if evaluation.check is None:
        raise WorkflowError(
            _("計画をチェックできないため提出できません: %(reason)s") % {"reason": evaluation.check_error or "—"}
        )
    failed = [c for c in evaluation.check.get("criteria") or [] if not c.get("passed") and c.get("severity") == "error"]
    if failed:
        items = [str(c.get("label") or c.get("id")) for c in failed]
        raise WorkflowError(
            _("計画が要件を満たしていないため提出できません（満たしていない要件: %(items)s）。")
            % {"items": _listed(items)}
        )


def save_plan(case: Case, user: Any, data: dict[str, Any]) -> CaseEvent:
    access.require(user, access.EDIT_PLAN, case)
    if not isinstance(data, dict):
        raise WorkflowError(_("計画は JSON のオブジェクト（{ … }）で入力してください。"))
    with transaction.atomic():
        case = _locked(case)
        if case.state not in PLAN_EDITABLE:
            raise WorkflowError(
                _("「%(state)s」の案件の計画は編集できません。修正するときは「計画を修正する」で策定に戻してください。")
                % {"state": case.state_label}
            )
        doc = plan_document(case)
        before = {"sha256": doc.sha256}
        doc.store(data, user)
        return record(case, user, "plan_saved", _("計画を保存しました。"), before=before, after={"sha256": doc.sha256})


# --- creating a case -----------------------------------------------------------------------------


def create_case(
    user: Any,
    *,
    company: Company,
    program: str,
    consulted_on: dt.date,
    main_bank: Any,
    other_banks: list[Any] | None = None,
    estimated_fees: Mapping[str, int] | None = None,
    note: str = "",
) -> Case:
    """A new case in 相談, served by the adviser's firm, handled by the company's prefecture's council."""
    access.require_site(user, access.CREATE_CASE)
    check_event_date(consulted_on, _("相談日"))
    council = Council.objects.filter(prefecture=company.prefecture).first()
    if council is None:
        raise WorkflowError(
            _("%(pref)sの協議会が登録されていません。協議会に登録を依頼してください。") % {"pref": company.prefecture}
        )
    with transaction.atomic():
        if company.pk is None:
            company.save()
        case = Case(
            company=company,
            adviser_firm=user.adviser_firm,
            council=council,
            program=program,
            consulted_on=consulted_on,
            estimated_fees=dict(estimated_fees or {}),
            note=note,
        )
        _rules_changed(case)
        case.save()
        CaseBank.objects.create(case=case, bank=main_bank, is_main=True)
        for bank in other_banks or []:
            if bank.pk != main_bank.pk:
                CaseBank.objects.create(case=case, bank=bank)
        plans().create_document(case, user)
        record(
            case,
            user,
            "created",
            _("案件を登録しました（%(program)s）。") % {"program": case.program_label},
            to_state=case.state,
            after=snapshot(case) | {"banks": _bank_snapshot(case)},
        )
    return case


# --- transitions ---------------------------------------------------------------------------------

Handler = Callable[[Case, Any, dt.date, str, Mapping[str, Any]], tuple[str, dict[str, Any]]]


def _apply(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    _not_before(on, case.consulted_on, _("相談日"))
    if not case.banks.filter(is_main=True).exists():
        raise WorkflowError(_("メイン金融機関を登録してから利用申請してください。"))
    case.applied_on = on
    _rules_changed(case)
    documents = prepare_application_documents(case)
    extra: dict[str, Any] = {"documents": documents}
    if plan_document(case).data:
        require_submittable(case)
        extra["plan_version"] = freeze_version(case, user, Purpose.APPLICATION, on).number
    return _("利用申請しました（申請日 %(date)s）。") % {"date": on.isoformat()}, extra


def _return_application(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    case.applied_on = None
    _rules_changed(case)
    return _("利用申請を差し戻しました: %(comment)s") % {"comment": comment}, {}


def _accept(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    _not_before(on, case.applied_on, _("利用申請日"))
    case.accepted_on = on
    return _("利用申請を受理しました（受理日 %(date)s）。") % {"date": on.isoformat()}, {}


def _start_drafting(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    return _("計画策定を始めました。"), {}


def required_banks(case: Case) -> list[CaseBank]:
    """Banks whose answer the bank step needs: the main bank (early) or every lending bank (405)."""
    rows = list(case.banks.select_related("bank"))
    if case.rules.bank_step.get("banks") == "main_bank":
        return [cb for cb in rows if cb.is_main]
    return rows


def _submit_to_banks(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    _not_before(on, case.accepted_on, _("受理日"))
    if not plan_document(case).data:
        raise WorkflowError(_("計画が空です。計画を入力してから提出してください。"))
    required = required_banks(case)
    if not required:
        raise WorkflowError(_("提出先の金融機関がありません。メイン金融機関を登録してください。"))
    require_submittable(case)
    version = freeze_version(case, user, Purpose.BANKS, on, banks=[cb.bank for cb in required])
    needed = {cb.pk for cb in required}
    for cb in case.banks.all():
        cb.status = BankStatus.PENDING if cb.pk in needed else BankStatus.NOT_REQUIRED
        cb.comment = ""
        cb.responded_on = None
        cb.save()
    case.bank_meeting_on = on
    case.agreed_on = None
    names = "、".join(cb.bank.name for cb in required)
    summary = _("計画（第%(n)d版）を金融機関に提出しました: %(banks)s") % {"n": version.number, "banks": names}
    if comment:
        summary += f"（{comment}）"
    return summary, {"plan_version": version.number, "sha256": version.sha256, "banks": _bank_snapshot(case)}


def _revise(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    for cb in case.banks.all():
        cb.status = BankStatus.NOT_SHARED
        cb.save()
    case.agreed_on = None
    return _("計画を修正するため策定に戻しました: %(comment)s") % {"comment": comment}, {"banks": _bank_snapshot(case)}


def _check_transfer(on: dt.date, transfer_on: dt.date, transfer_amount: int, company_share: int) -> None:
    if transfer_on > on:
        raise WorkflowError(_("事業者負担分の振込日は申請日以前にしてください（振込後に申請します）。"))
    if transfer_amount < company_share:
        raise WorkflowError(
            _("事業者負担分の振込額 %(paid)s が事業者負担額 %(share)s に足りません。")
            % {"paid": format_yen(transfer_amount), "share": format_yen(company_share)}
        )


def _claim_plan_payment(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    _not_before(on, case.agreed_on, _("受取書・同意取得日"))
    try:
        figures = plan_claim(case, data["fees"])
    except PaymentError as exc:
        raise WorkflowError(exc.message) from None
    if figures.result.total_fee <= 0:
        raise WorkflowError(_("計画策定支援の費用を入力してください。"))
    interval = int(data["monitoring_interval_months"])
    low, high = case.rules.monitoring_interval_months
    if not low <= interval <= high:
        raise WorkflowError(_("伴走支援の間隔は%(low)d～%(high)dか月で指定してください。") % {"low": low, "high": high})
    check_event_date(data["transfer_on"], _("事業者負担分の振込日"))
    _check_transfer(on, data["transfer_on"], int(data["transfer_amount"]), figures.company_share)
    if not plan_document(case).data:
        raise WorkflowError(_("計画が空です。計画を入力してから支払申請してください。"))
    require_submittable(case)
    version = freeze_version(case, user, Purpose.PAYMENT_CLAIM, on)
    claim = PaymentClaim.objects.create(
        case=case,
        kind=ClaimKind.PLAN,
        fees=figures.fees,
        subsidy=figures.subsidy,
        company_share=figures.company_share,
        transfer_on=data["transfer_on"],
        transfer_amount=int(data["transfer_amount"]),
        claimed_on=on,
        created_by=user,
    )
    case.monitoring_interval_months = interval
    summary = _("計画策定支援の支払申請をしました（補助 %(subsidy)s、事業者負担 %(share)s）。") % {
        "subsidy": format_yen(claim.subsidy),
        "share": format_yen(claim.company_share),
    }
    deadline = lapse_deadline(case)
    if deadline is not None and on > deadline.due:
        summary += _("期限（%(due)s）を過ぎています。") % {"due": deadline.due.isoformat()}
    return summary, {
        "claim": {"fees": claim.fees, "subsidy": claim.subsidy, "company_share": claim.company_share},
        "plan_version": version.number,
        "sha256": version.sha256,
    }


def _submitted_plan_claim(case: Case) -> PaymentClaim:
    claim = case.claims.filter(kind=ClaimKind.PLAN, status=ClaimStatus.SUBMITTED).order_by("-id").first()
    if claim is None:
        raise WorkflowError(_("申請中の計画策定支援の支払申請がありません。"))
    return claim


def _return_claim(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    claim = _submitted_plan_claim(case)
    claim.status = ClaimStatus.RETURNED
    claim.save()
    return _("支払申請を差し戻しました: %(comment)s") % {"comment": comment}, {"claim_status": claim.status}


def _approve_plan_payment(
    case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    claim = _submitted_plan_claim(case)
    _not_before(on, claim.claimed_on, _("支払申請日"))
    claim.status = ClaimStatus.APPROVED
    claim.approved_on = on
    claim.save()
    case.monitoring_started_on = on
    planned = monitoring_schedule(
        case.rules,
        on,
        case.monitoring_interval_months or case.rules.monitoring_interval_months[1],
        case.company.fiscal_year_end_month,
    )
    for p in planned:
        MonitoringSession.objects.create(case=case, seq=p.seq, kind=p.kind, due_on=p.due_on, mandatory=p.mandatory)
    summary = _("支払を承認しました（補助 %(subsidy)s）。伴走支援 %(n)d回を予定しました。") % {
        "subsidy": format_yen(claim.subsidy),
        "n": len(planned),
    }
    return summary, {"sessions": [[p.seq, p.kind, p.due_on.isoformat(), p.mandatory] for p in planned]}


def _complete(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    missing = [s for s in case.sessions.all() if s.mandatory and s.reported_on is None]
    if missing:
        seqs = "、".join(_("第%(seq)d回") % {"seq": s.seq} for s in missing)
        raise WorkflowError(_("必須の伴走支援の報告が済んでいません: %(seqs)s") % {"seqs": seqs})
    if case.claims.filter(status=ClaimStatus.SUBMITTED).exists():
        raise WorkflowError(_("承認していない支払申請があります。先に承認してください。"))
    case.closed_on = on
    return _("案件を完了しました。"), {}


def _withdraw(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    case.closed_on = on
    return _("案件を取り下げました: %(comment)s") % {"comment": comment}, {}


def _lapse(case: Case, user: Any, on: dt.date, comment: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    deadline = lapse_deadline(case)
    if deadline is None or on <= deadline.due:
        due = deadline.due.isoformat() if deadline else "—"
        raise WorkflowError(_("期限（%(due)s）を過ぎていないため失効にできません。") % {"due": due})
    case.closed_on = on
    return _("利用申請を失効にしました（期限 %(due)s）: %(comment)s") % {
        "due": deadline.due.isoformat(),
        "comment": comment,
    }, {}


HANDLERS: dict[str, Handler] = {
    "apply": _apply,
    "return_application": _return_application,
    "accept": _accept,
    "start_drafting": _start_drafting,
    "submit_to_banks": _submit_to_banks,
    "revise": _revise,
    "claim_plan_payment": _claim_plan_payment,
    "return_claim": _return_claim,
    "approve_plan_payment": _approve_plan_payment,
    "complete": _complete,
    "withdraw": _withdraw,
    "lapse": _lapse,
}


def check_state(case: Case, transition: Transition) -> None:
    if case.state not in transition.sources:
        raise WorkflowError(
            _("この案件は「%(state)s」のため、「%(action)s」はできません。")
            % {"state": case.state_label, "action": transition.label}
        )


def perform(
    case: Case, name: str, user: Any, *, on: dt.date, comment: str = "", data: Mapping[str, Any] | None = None
) -> CaseEvent:
    """Perform user transition `name` on `case` as `user` on date `on`."""
    transition = BY_NAME.get(name)
    if transition is None or transition.automatic:
        raise WorkflowError(_("この操作はありません。"))
    access.require(user, transition.action, case)
    check_event_date(on, _("日付"))
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(_("理由・コメントを入力してください。"))
    with transaction.atomic():
        case = _locked(case)
        check_state(case, transition)
        before = snapshot(case)
        summary, extra = HANDLERS[name](case, user, on, comment, data or {})
        case.state = transition.target
        case.save()
        return record(
            case,
            user,
            name,
            summary,
            from_state=before["state"],
            to_state=case.state,
            before=before,
            after=snapshot(case) | extra,
        )


# --- bank answers --------------------------------------------------------------------------------


def allowed_responses(case: Case) -> list[str]:
    """Receipt (early) or consent (405), and decline with a comment in either."""
    positive = BankResponseKind.RECEIPT if case.rules.bank_step.get("kind") == "receipt" else BankResponseKind.CONSENT
    return [positive, BankResponseKind.DECLINE]


class StaleAnswer(WorkflowError):
    """A bank answered a version that is no longer the one it is asked about; `current` is the
    version it is asked about now (None: none), shown so that it can read it and answer again."""

    def __init__(self, message: str, current: FrozenVersion | None) -> None:
        super().__init__(message)
        self.current = current


def version_to_answer(case: Case, user: Any) -> FrozenVersion | None:
    """The version a bank user's answer is about: the latest one submitted to its bank."""
    return access.plan_versions_for(user, case).order_by("-number").first()


def bank_respond(
    case: Case, user: Any, kind: str, comment: str, on: dt.date, *, version: int, sha256: str
) -> CaseEvent:
    """Record a bank's answer to the plan version it read (`version`, `sha256`: what its answer
    form showed). Refused (StaleAnswer) unless that is the latest version submitted to the bank
    and the bank is still asked: a consent must never attach to a version the bank has not seen
    (the adviser may revise and submit again while the bank's form is open)."""
    access.require(user, access.BANK_RESPOND, case)
    check_event_date(on, _("回答日"))
    comment = comment.strip()
    with transaction.atomic():
        case = _locked(case)
        if case.state != State.BANK_MEETING:
            raise WorkflowError(
                _("この案件は「%(state)s」のため、回答を受け付けていません。") % {"state": case.state_label}
            )
        own = access.own_case_bank(user, case)
        if own is None or own.status != BankStatus.PENDING:
            raise WorkflowError(_("現在、貴行に回答をお願いしている計画はありません（回答済みか、回答不要です）。"))
        current = version_to_answer(case, user)
        if current is None or current.number != version or current.sha256 != sha256:
            raise StaleAnswer(_stale_answer_message(version, current), current)
        if kind not in allowed_responses(case):
            raise WorkflowError(_("この事業では選べない回答です。"))
        if kind == BankResponseKind.DECLINE and not comment:
            raise WorkflowError(_("同意しない場合は、理由・意見をコメントに入力してください。"))
        _not_before(on, case.bank_meeting_on, _("バンクミーティング日"))
        before = snapshot(case) | {"bank_status": own.status}
        BankResponse.objects.create(
            case_bank=own,
            version_id=current.pk,
            sha256=current.sha256,
            kind=kind,
            comment=comment,
            responded_on=on,
            created_by=user,
        )
        own.status = RESPONSE_STATUS[kind]
        own.comment = comment
        own.responded_on = on
        own.save()
        label = BankResponseKind(kind).label
        summary = _("%(bank)s: %(answer)s") % {"bank": own.bank.name, "answer": label}
        if comment:
            summary += f"（{comment}）"
        event = record(
            case,
            user,
            "bank_response",
            summary,
            before=before,
            after=snapshot(case)
            | {"bank_status": own.status, "plan_version": current.number, "sha256": current.sha256},
        )
        needed = required_banks(case)
        if needed and all(cb.status in AGREED_STATUSES for cb in needed):
            agree = BY_NAME["agree"]
            prior = snapshot(case)
            case.state = agree.target
            case.agreed_on = on
            case.save()
            record(
                case,
                user,
                agree.name,
                _("必要な金融機関の%(doc)sがそろいました。") % {"doc": case.rules.bank_step.get("document", "")},
                from_state=prior["state"],
                to_state=case.state,
                before=prior,
                after=snapshot(case) | {"banks": _bank_snapshot(case)},
            )
        return event


def _stale_answer_message(number: int, current: FrozenVersion | None) -> str:
    if current is None:
        return _("貴行に回答をお願いしている計画がありません。")
    if number == current.number:  # the same number with another hash: not the version on file
        return _(
            "回答しようとした計画（第%(n)d版）の内容は、提出されている第%(n)d版（SHA-256 %(hash)s）と一致しません。"
            "提出されている版を確認してから、もう一度回答してください。"
        ) % {"n": number, "hash": current.short_hash}
    return _(
        "回答しようとした計画（第%(old)d版）は最新ではありません。その後、修正された第%(new)d版"
        "（SHA-256 %(hash)s）が提出されています。第%(new)d版を確認してから、もう一度回答してください。"
    ) % {"old": number, "new": current.number, "hash": current.short_hash}


# --- monitoring ----------------------------------------------------------------------------------


def report_monitoring(
    case: Case,
    session: MonitoringSession,
    user: Any,
    *,
    on: dt.date,
    summary: str,
    fee: int | None = None,
    transfer_on: dt.date | None = None,
    transfer_amount: int | None = None,
) -> CaseEvent:
    """Record a monitoring report and, when a fee is given, its payment claim."""
    access.require(user, access.REPORT_MONITORING, case)
    check_event_date(on, _("報告日"))
    check_event_date(transfer_on, _("事業者負担分の振込日"))
    with transaction.atomic():
        case = _locked(case)
        if case.state != State.MONITORING:
            raise WorkflowError(
                _("この案件は「%(state)s」のため、伴走支援の報告はできません。") % {"state": case.state_label}
            )
        session = MonitoringSession.objects.select_for_update().get(pk=session.pk, case=case)
        if session.reported_on is not None:
            raise WorkflowError(_("第%(seq)d回は報告済みです。") % {"seq": session.seq})
        _not_before(on, case.monitoring_started_on, _("伴走支援開始日"))
        if not summary.strip():
            raise WorkflowError(_("報告の要旨を入力してください。"))
        after: dict[str, Any] = {"session": session.seq, "reported_on": on.isoformat()}
        text = _("伴走支援 第%(seq)d回（%(kind)s）を報告しました。") % {"seq": session.seq, "kind": session.kind_label}
        if fee:
            if transfer_on is None or transfer_amount is None:
                raise WorkflowError(_("支払申請には事業者負担分の振込日と振込額が必要です。"))
            refusal = monitoringport.claim_refusal(session)
            if refusal is not None:
                raise WorkflowError(refusal)
            try:
                figures = monitoring_claim(case, session.kind, fee)
            except PaymentError as exc:
                raise WorkflowError(exc.message) from None
            _check_transfer(on, transfer_on, transfer_amount, figures.company_share)
            claim = PaymentClaim.objects.create(
                case=case,
                kind=ClaimKind.MONITORING,
                session=session,
                fees=figures.fees,
                subsidy=figures.subsidy,
                company_share=figures.company_share,
                transfer_on=transfer_on,
                transfer_amount=transfer_amount,
                claimed_on=on,
                created_by=user,
            )
            after["claim"] = {"fees": claim.fees, "subsidy": claim.subsidy, "company_share": claim.company_share}
            text += _("支払申請（補助 %(subsidy)s）も行いました。") % {"subsidy": format_yen(claim.subsidy)}
        session.reported_on = on
        session.summary = summary.strip()
        session.save()
        return record(
            case, user, "monitoring_report", text, before={"session": session.seq, "reported_on": None}, after=after
        )


def approve_claim(case: Case, claim: PaymentClaim, user: Any, *, on: dt.date) -> CaseEvent:
    """Approve a monitoring payment claim (the plan claim is approved by its transition)."""
    access.require(user, access.APPROVE_CLAIM, case)
    check_event_date(on, _("支払承認日"))
    with transaction.atomic():
        case = _locked(case)
        claim = PaymentClaim.objects.select_for_update().get(pk=claim.pk, case=case)
        if claim.kind != ClaimKind.MONITORING:
            raise WorkflowError(_("計画策定支援の支払申請は「支払を承認し伴走支援を始める」で承認します。"))
        if claim.status != ClaimStatus.SUBMITTED:
            raise WorkflowError(_("この支払申請は「%(status)s」です。") % {"status": claim.get_status_display()})
        _not_before(on, claim.claimed_on, _("支払申請日"))
        claim.status = ClaimStatus.APPROVED
        claim.approved_on = on
        claim.save()
        return record(
            case,
            user,
            "claim_approved",
            _("伴走支援の支払申請を承認しました（補助 %(subsidy)s）。") % {"subsidy": format_yen(claim.subsidy)},
            before={"claim": claim.pk, "status": ClaimStatus.SUBMITTED},
            after={"claim": claim.pk, "status": claim.status, "approved_on": on.isoformat()},
        )


def event_state_labels(event: CaseEvent, program: str) -> tuple[str, str]:
    return (
        state_label(event.from_state, program) if event.from_state else "",
        state_label(event.to_state, program) if event.to_state else "",
    )
