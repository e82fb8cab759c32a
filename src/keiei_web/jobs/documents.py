"""Document builds as tasks: asked for once per document, built once, retried when a worker dies.

The download view calls `request(key, …)`: the first request for a document creates its
`DocumentBuild` row and enqueues `tasks.build_document`; every later request (any app server)
finds the row and only reports progress. The task (`run`) is idempotent: a document already in
storage is not built again, and a retried task (its worker killed mid-build) builds and stores
the same bytes under the same name — the stored file carries its own SHA-256, so a half-written
one from the dead worker is replaced, never served.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from keiei_web.jobs.models import DocumentBuild

log = logging.getLogger(__name__)
Status = DocumentBuild.Status


def queued() -> bool:
    """Whether documents are built by the queue (False: in the request, when nothing is kept)."""
    return bool(settings.KEIEI_KEEP_DOCUMENTS)


def request(key: str, case: Any, version: Any, fmt: str) -> DocumentBuild:
    """The build of `key`, enqueued if nobody asked for it yet (or its last attempt is over)."""
    from keiei_web.plans import doccache

    defaults = {"case_id": case.pk, "version_number": version.number, "fmt": fmt}
    try:
        job, created = DocumentBuild.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:  # another app server created it between our read and insert
        job, created = DocumentBuild.objects.get(key=key), False
    if not created:
        stale = job.status == Status.READY and doccache.store().get(key) is None  # storage emptied
        if job.status in (Status.PENDING, Status.BUILDING) and _task_is_over(job.task_id):
            stale = True  # its task ended without finishing the row (gave up after retries)
        if not stale:
            return job
        # Only one app server re-enqueues: the update that moves it back to PENDING wins.
        if not DocumentBuild.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id).update(
            status=Status.PENDING, error=""
        ):
            job.refresh_from_db()
            return job
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: DocumentBuild) -> None:
    from keiei_web.jobs.tasks import build_document

    result = build_document.enqueue(job.key, job.case_id or 0, job.version_number or 0, job.fmt)
    # An immediate backend has already run it; keep the id only when the row did not move on.
    DocumentBuild.objects.filter(pk=job.pk, task_id=job.task_id).update(task_id=str(result.id))


def _task_is_over(task_id: str) -> bool:
    if not task_id:
        return False
    from django_tasks import default_task_backend
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        result = default_task_backend.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    return result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def forget(job: DocumentBuild) -> None:
    """Drop a refused build once its reason was shown, so the next request tries again."""
    DocumentBuild.objects.filter(pk=job.pk, status=Status.FAILED).delete()


def status(key: str) -> dict[str, Any]:
    """The progress of `key` as JSON for scripts: status, label, attempts, ready."""
    from keiei_web.plans import doccache

    job = DocumentBuild.objects.filter(key=key).first()
    ready = doccache.store().get(key) is not None
    if job is None:
        return {"status": "ready" if ready else "none", "label": "", "attempts": 0, "ready": ready}
    return {
        "status": job.status,
        "label": str(job.get_status_display()),
        "attempts": job.attempts,
        "ready": ready,
        "error": job.error,
    }


def run(key: str, case_id: int, number: int, fmt: str) -> str:
    """Build and store the document of `key` unless it is stored already (the task's body)."""
    from keiei.documents.safety import DocumentSafetyError, ensure_safe
    from keiei.errors import KeieiInputError
    from keiei.plan import PlanInputError, parse_plan
    from keiei_web.plans import doccache
    from keiei_web.plans.corecase import core_case
    from keiei_web.plans.models import PlanVersion
    from keiei_web.plans.views import build_document, document_file

    DocumentBuild.objects.get_or_create(key=key, defaults={"case_id": case_id, "version_number": number, "fmt": fmt})
    version = PlanVersion.objects.select_related("case").filter(case_id=case_id, number=number).first()
    if version is None:
        return _fail(key, _("計画の版が見つかりません。"))
    case = version.case
    _content_type, filename = document_file(case, version, fmt)

    def check(body: bytes) -> None:
        ensure_safe(body, filename)

    try:
        if doccache.get(key, check=check) is not None:
            return _ready(key, doccache.store().get(key) or b"")
    except DocumentSafetyError:
        pass  # dropped by get: build it again
    with transaction.atomic():
        DocumentBuild.objects.filter(key=key).update(status=Status.BUILDING, attempts=F("attempts") + 1)
    try:
        plan = parse_plan(version.data, f"第{version.number}版")
        core = core_case(case, version)
        body = doccache.put(key, build_document(case, version, plan, fmt, core), check=check)
    except PlanInputError as exc:
        return _fail(key, _("この版は計画ファイルとして読めないため、書類を作れません: ") + exc.message_ja)
    except DocumentSafetyError as exc:
        log.error("download refused: case %s version %s format %s: %s", case.pk, number, fmt, exc.message_en)
        return _fail(key, _("この書類はダウンロードできません: ") + exc.message_ja)
    except KeieiInputError as exc:
        return _fail(key, _("この版から書類を作れませんでした: ") + exc.message_ja)
    except Exception:
        _fail(key, _("書類の作成中に問題が起きました。もう一度お試しください。"))
        raise
    return _ready(key, body)


def _ready(key: str, body: bytes) -> str:
    import hashlib

    DocumentBuild.objects.filter(key=key).update(
        status=Status.READY, sha256=hashlib.sha256(body).hexdigest(), size=len(body), error=""
    )
    return "ready"


def _fail(key: str, message: str) -> str:
    DocumentBuild.objects.filter(key=key).update(status=Status.FAILED, error=message)
    return "failed"
