"""Leases for running tasks, and the reaper that requeues the tasks of dead workers.

django-tasks-db claims a task by setting it RUNNING and never looks back: a worker killed with
`kill -9` (or a machine that lost power) leaves its task RUNNING forever and the document it was
building never appears. So the worker (`keiei_worker`) renews a `TaskLease` for the task it
runs every third of `KEIEI_TASK_LEASE_SECONDS`, from a heartbeat thread; `reap()` — run by every
worker between tasks, and by `manage.py reap_tasks` from cron if wanted — puts a RUNNING task
whose lease is older than that back to READY (the next worker runs it again: tasks are
idempotent), or marks it FAILED after `KEIEI_TASK_MAX_ATTEMPTS` attempts (counted by the worker
ids django-tasks-db records at each claim). A task that was claimed but never leased (killed in
the instant between) is judged by its start time.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from keiei_web.jobs.models import TaskLease

log = logging.getLogger(__name__)
LOST = "keiei_web.jobs.leases.WorkerLost"


def lease_seconds() -> float:
    return float(settings.KEIEI_TASK_LEASE_SECONDS)


def beat(task_id: str, worker_id: str) -> None:
    TaskLease.objects.update_or_create(task_id=task_id, defaults={"worker_id": worker_id, "beat_at": timezone.now()})


@contextmanager
def held(task_id: str, worker_id: str) -> Iterator[None]:
    """Hold the lease of `task_id` while the body runs (a heartbeat thread renews it)."""
    beat(task_id, worker_id)
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    beat(task_id, worker_id)
                except Exception:  # the database is restarting: try again next beat
                    log.warning("task %s: lease not renewed", task_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"lease-{task_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).delete()


def reap(now: dt.datetime | None = None) -> tuple[int, int]:
    """Requeue (or fail, after the last attempt) RUNNING tasks whose lease expired.

    Returns (requeued, failed)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    expired = now - dt.timedelta(seconds=lease_seconds())
    live = TaskLease.objects.filter(beat_at__gte=expired).values_list("task_id", flat=True)
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=expired)
    for row in running.exclude(id__in=[str(x) for x in live]).only("id", "worker_ids"):
        with transaction.atomic():
            if len(row.worker_ids) >= settings.KEIEI_TASK_MAX_ATTEMPTS:
                done = DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=LOST,
                    traceback=f"worker lost {len(row.worker_ids)} times: {', '.join(row.worker_ids)}",
                )
                failed += done
            else:
                # READY again: the next worker claims it (attempt len(worker_ids) + 1).
                requeued += DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None
                )
            TaskLease.objects.filter(task_id=str(row.id)).delete()
    if requeued or failed:
        log.warning("reaped tasks of lost workers: %d requeued, %d failed", requeued, failed)
    return requeued, failed
