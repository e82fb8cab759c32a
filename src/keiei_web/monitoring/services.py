"""State changes of monitoring: an upload, its confirmation, the adviser's words, a bank's reading.

As in `keiei_web.cases.services`: each function checks the permission (`keiei_web.access`), the
case's state (a `WorkflowError` with a Japanese message), changes the records in one
transaction and appends an event to the case's audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from keiei.errors import KeieiInputError
from keiei.monitoring.progress import progress_from_dict
from keiei_web import access, clock
from keiei_web.cases.models import Case, MonitoringSession
from keiei_web.cases.services import WorkflowError, record
from keiei_web.cases.workflow import State
from keiei_web.monitoring import reports, uploads
from keiei_web.monitoring.models import ActualsImport, BooksUpload, ReportReading, SessionReport

#: Where books may be imported and words written: in monitoring, and after it (a late report).
OPEN_STATES = frozenset({State.MONITORING, State.COMPLETED})


def _check_state(case: Case) -> None:
    if case.state not in OPEN_STATES:
        raise WorkflowError(
            _("この案件は「%(state)s」のため、伴走支援の実績は扱えません。") % {"state": case.state_label}
        )


def upload(
    case: Case,
    session: MonitoringSession,
    user: Any,
    *,
    filename: str,
    chunks: Iterable[bytes],
    fmt: str = "auto",
    mapping: str = "",
    allow_unmapped: bool = False,
) -> BooksUpload:
    """Keep an uploaded books file (storage, by hash) and have it read for the preview (a task)."""
    from keiei_web.monitoring.tasks import read_books_upload

    access.require(user, access.IMPORT_ACTUALS, case)
    _check_state(case)
    name, sha, size = uploads.store_bytes(chunks)
    if size == 0:
        raise WorkflowError(_("ファイルが空です（0 バイト）: %(name)s") % {"name": filename})
    if size > uploads.MAX_UPLOAD_BYTES:
        raise WorkflowError(uploads.too_large_message(size))
    row = BooksUpload.objects.create(
        case=case,
        session=session,
        filename=filename[:255],
        sha256=sha,
        size=size,
        fmt=fmt,
        mapping=mapping,
        allow_unmapped=allow_unmapped,
        storage_name=name,
        created_by=user if getattr(user, "pk", None) else None,
    )
    result = read_books_upload.enqueue(row.pk)
    BooksUpload.objects.filter(pk=row.pk, task_id="").update(task_id=str(result.id))
    row.refresh_from_db()
    return row


def confirm(upload_row: BooksUpload, user: Any) -> ActualsImport:
    """Store the previewed figures as the case's next import version and recompute the report."""
    case = upload_row.case
    access.require(user, access.IMPORT_ACTUALS, case)
    _check_state(case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        row = BooksUpload.objects.select_for_update().get(pk=upload_row.pk, case=locked)
        if row.status == BooksUpload.Status.CONFIRMED:
            raise WorkflowError(_("このファイルは確定済みです。"))
        if row.status != BooksUpload.Status.READY:
            raise WorkflowError(_("まだ読み込みが終わっていないか、読み込めなかったファイルです。"))
        blocking = row.preview.get("blocking") or []
        if blocking:
            raise WorkflowError(_("取り込めません: ") + blocking[0])
        same = ActualsImport.objects.filter(case=locked, sha256=row.sha256).first()
        if same is not None:
            raise WorkflowError(_("同じファイルは第%(n)d版として取り込み済みです。") % {"n": same.number})
        number = (ActualsImport.objects.filter(case=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            imported = ActualsImport.objects.create(
                case=locked,
                session=row.session,
                number=number,
                filename=row.filename,
                sha256=row.sha256,
                size=row.size,
                fmt=row.preview.get("format", row.fmt),
                mapping=row.mapping,
                actuals=row.preview["actuals"],
                confirmed_by=user if getattr(user, "pk", None) else None,
                confirmed_at=clock.now(),
            )
        except IntegrityError:
            raise WorkflowError(_("同じファイルは取り込み済みです。")) from None
        row.status = BooksUpload.Status.CONFIRMED
        row.save(update_fields=["status"])
        reports.refresh(row.session)
        months = imported.months
        record(
            locked,
            user,
            "actuals_import",
            _(
                "伴走支援 第%(seq)d回: 会計データ「%(name)s」を実績 第%(n)d版として取り込みました（%(first)s〜%(last)s）。"
            )
            % {
                "seq": row.session.seq,
                "name": row.filename,
                "n": number,
                "first": months[0] if months else "",
                "last": months[-1] if months else "",
            },
            after={"session": row.session.seq, "import": number, "sha256": row.sha256, "months": months},
        )
    return imported


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def progress_dict(data: dict[str, Any], measures: Iterable[str]) -> dict[str, Any]:
    """monitoring.yaml's structure from the progress form's cleaned data (keiei_web.monitoring.forms)."""
    actions = []
    for index, measure in enumerate(measures):
        status = data.get(f"status_{index}") or ""
        if not status:
            continue
        item: dict[str, Any] = {"measure": measure, "status": status}
        for key in ("started", "completed", "evidence", "note"):
            value = (data.get(f"{key}_{index}") or "").strip()
            if value:
                item[key] = value
        actions.append(item)
    out: dict[str, Any] = {"version": 1}
    if data.get("as_of"):
        out["as_of"] = data["as_of"].isoformat()
    if (data.get("closing") or "").strip():
        out["closing"] = data["closing"].strip()
    out["actions"] = actions
    for key in ("causes", "countermeasures", "asks_of_banks"):
        out[key] = _lines(data.get(key) or "")
    return out


def save_progress(session: MonitoringSession, user: Any, progress: dict[str, Any]) -> SessionReport:
    """Store the adviser's words (validated by the core, as monitoring.yaml is) and recompute."""
    case = session.case
    access.require(user, access.WRITE_MONITORING, case)
    _check_state(case)
    found = reports.agreed_plan(case)
    if found is None:
        raise WorkflowError(_("合意した計画（提出した版）がありません。"))
    try:
        progress_from_dict(progress, found[0], "伴走支援の記録")
    except KeieiInputError as exc:
        raise WorkflowError(exc.message_ja) from None
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        report, _created = SessionReport.objects.get_or_create(session=session, defaults={"case": locked})
        before = dict(report.progress)
        report.progress = progress
        report.save(update_fields=["progress", "updated_at"])
        report = reports.refresh(session)
        record(
            locked,
            user,
            "monitoring_progress",
            _("伴走支援 第%(seq)d回: 原因・対策・アクションプランの進捗を記録しました。") % {"seq": session.seq},
            before={"progress": before},
            after={"progress": progress},
        )
    return report


def read_report(report: SessionReport, user: Any, *, acknowledged: bool, comment: str) -> ReportReading:
    """A bank acknowledges the session's report and/or comments on it (its own row, replaced)."""
    case = report.case
    access.require(user, access.ACKNOWLEDGE_REPORT, case)
    own = access.own_case_bank(user, case)
    if own is None:
        raise WorkflowError(_("この案件の金融機関ではありません。"))
    if not report.has_figures:
        raise WorkflowError(_("この回のレポートにはまだ実績がありません。"))
    if not acknowledged and not comment.strip():
        raise WorkflowError(_("「確認しました」を選ぶか、意見・コメントを入力してください。"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        reading, _created = ReportReading.objects.update_or_create(
            report=report,
            bank=own.bank,
            defaults={"acknowledged": acknowledged, "comment": comment.strip(), "user": user, "at": clock.now()},
        )
        text = _("%(bank)s が伴走支援 第%(seq)d回のレポートを%(what)s。") % {
            "bank": own.bank.name,
            "seq": report.session.seq,
            "what": _("確認しました") if acknowledged else _("読み、意見を寄せました"),
        }
        record(
            locked, user, "monitoring_reading", text, after={"session": report.session.seq, "comment": comment.strip()}
        )
    return reading


def claim_refusal(session: MonitoringSession) -> str | None:
    """A monitoring claim needs the session's report: at least one import compared with the plan."""
    report = SessionReport.objects.filter(session=session).first()
    if report is None or not report.has_figures:
        return _(
            "第%(seq)d回の伴走支援レポートがまだありません。会計データ（仕訳帳・試算表）を取り込み、"
            "計画と実績の比較を確定してから支払申請してください。"
        ) % {"seq": session.seq}
    return None
