"""Several app servers (docs/deploy.md): /healthz, documents in the shared storage, document
builds as idempotent tasks retried when their worker dies, the council-wide re-check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import keiei.documents
from keiei_web import health
from keiei_web.cases.models import Case
from keiei_web.jobs import leases
from keiei_web.jobs.management.commands.keiei_worker import LeasedWorker, claim
from keiei_web.jobs.models import DocumentBuild, TaskLease
from keiei_web.plans import doccache
from keiei_web.plans.corecase import core_case
from keiei_web.plans.models import PlanVersion

from .test_form_downloads import case, login, url  # noqa: F401  (the fixture and helpers)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_healthz_answers_200_with_every_check_and_no_login(db: Any) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "migrations": True, "storage": True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_naming_the_failed_check_without_its_error(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> bool:
        raise OSError("/srv/keiei/files: Transport endpoint is not connected")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["checks"]["storage"] is False
    assert "/srv" not in response.content.decode()


def test_a_half_written_document_is_dropped_not_served(fresh_documents_cache: Any) -> None:
    store = fresh_documents_cache
    store.set("doc:abc", b"%PDF-1.7 whole")
    assert store.get("doc:abc") == b"%PDF-1.7 whole"
    name = store.name("doc:abc")
    whole = store.storage.open(name).read()
    store.storage.delete(name)
    store.storage.save(name, __import__("io").BytesIO(whole[:-5]))  # a worker killed while writing
    assert store.get("doc:abc") is None
    assert not store.storage.exists(name)


def _key(c: Case, fmt: str) -> str:
    version = PlanVersion.objects.get(case=c, number=1)
    return doccache.key(version.sha256, fmt, core_case(c, version))


@pytest.fixture
def queue(settings: Any, fresh_documents_cache: Any) -> None:
    """The database backend (the test settings run tasks immediately)."""
    settings.TASKS = DB_TASKS
    settings.KEIEI_TASK_LEASE_SECONDS = 6


def _worker() -> LeasedWorker:
    return LeasedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_a_document_is_asked_for_once_built_once_and_then_served(
    case: Case,  # noqa: F811
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[str] = []
    original = keiei.documents.build_forms

    def counting(*args: Any, **kwargs: Any) -> Any:
        builds.append("x")
        return original(*args, **kwargs)

    monkeypatch.setattr(keiei.documents, "build_forms", counting)
    adviser, company = login("adviser_a"), login("company_a")
    first = adviser.get(url(case, "form-1-application"))
    second = company.get(url(case, "form-1-application"))
    assert first.status_code == second.status_code == 202
    assert "作成しています" in first.content.decode() and first["Refresh"] == "3"
    assert DBTaskResult.objects.count() == 1 and DocumentBuild.objects.count() == 1
    status = adviser.get(url(case, "form-1-application") + "status/").json()
    assert status["status"] == "pending" and status["ready"] is False

    task = claim("test-worker")
    assert task is not None
    _worker().run_task(task)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert builds == ["x"]
    done = company.get(url(case, "form-1-application"))
    assert done.status_code == 200 and done.content.startswith(b"%PDF")
    assert adviser.get(url(case, "form-1-application") + "status/").json()["ready"] is True
    assert DBTaskResult.objects.count() == 1  # nothing enqueued again
    assert not TaskLease.objects.exists()

    # The task run again (a duplicate delivery) stores nothing new and builds nothing.
    from keiei_web.jobs import documents

    version = PlanVersion.objects.get(case=case, number=1)
    assert documents.run(_key(case, "form-1-application"), case.pk, version.number, "form-1-application") == "ready"
    assert builds == ["x"]


def test_the_task_of_a_killed_worker_is_retried_and_the_document_stored_once(
    case: Case,  # noqa: F811
    queue: None,
) -> None:
    client = login("adviser_a")
    assert client.get(url(case, "xlsx")).status_code == 202
    dead = claim("dead-worker")  # claimed, then the worker was killed: RUNNING, no lease renewed
    assert dead is not None
    leases.beat(str(dead.id), "dead-worker")
    assert leases.reap() == (0, 0)  # its lease is fresh: not touched
    later = timezone.now() + dt.timedelta(seconds=7)
    assert leases.reap(now=later) == (1, 0)
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.READY and row.worker_ids == ["dead-worker"]
    task = claim("test-worker")
    assert task is not None and task.id == row.id
    _worker().run_task(task)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["dead-worker", "test-worker"]
    key = _key(case, "xlsx")
    assert DocumentBuild.objects.get(key=key).status == DocumentBuild.Status.READY
    _dirs, files = doccache.store().storage.listdir(doccache.FOLDER)
    assert files == [key.removeprefix("doc:")]
    assert client.get(url(case, "xlsx")).status_code == 200


def test_a_task_whose_workers_keep_dying_fails_and_the_page_asks_again(
    case: Case,  # noqa: F811
    queue: None,
    settings: Any,
) -> None:
    settings.KEIEI_TASK_MAX_ATTEMPTS = 2
    client = login("adviser_a")
    assert client.get(url(case, "xlsx")).status_code == 202
    later = timezone.now() + dt.timedelta(seconds=7)
    claim("w1")
    assert leases.reap(now=later) == (1, 0)
    claim("w2")
    assert leases.reap(now=later) == (0, 1)
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    # The next request sees the task is over and asks for a new build.
    assert client.get(url(case, "xlsx")).status_code == 202
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_the_council_wide_recheck_judges_every_open_plan(case: Case) -> None:  # noqa: F811
    from keiei_web.jobs.tasks import recheck_open_plans

    result = recheck_open_plans.enqueue()  # immediate in the tests
    assert result.status == TaskResultStatus.SUCCESSFUL
    summary = result.return_value
    assert summary is not None and summary["checked"] == 1 and summary["invalid"] == []
