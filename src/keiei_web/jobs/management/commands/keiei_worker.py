"""`python -m keiei_web.manage keiei_worker`: run queued tasks (django-tasks-db) with leases.

django-tasks-db's own `db_worker` plus what a deployment needs (keiei_web.jobs.leases):
- each task runs under a lease renewed by a heartbeat thread, and between tasks the worker puts
  back in the queue the tasks of workers that died (kill -9, a lost machine);
- a database that goes away (PostgreSQL restarted) stops the worker's loop, not the worker:
  it waits and starts polling again, so a restart needs nothing restarted.
`keiei serve` starts one beside the web processes; a deployment runs one or more (docs/deploy.md).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from keiei_web.jobs import leases

log = logging.getLogger("keiei_web.jobs")


class LeasedWorker(Worker):
    """django-tasks-db's worker, each task run under a lease (the loop is Command.handle)."""

    reap_every = 5.0

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        with leases.held(str(db_task_result.id), self.worker_id):
            super().run_task(db_task_result)


class Command(BaseCommand):
    help = "Run queued tasks (documents, re-checks) with leases; requeues the tasks of dead workers."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--worker-id", default="", help="unique per worker (default: host-pid)")
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="lower the CPU priority (beside web processes: builds wait, pages do not)",
        )

    def handle(self, *args: Any, interval: float, batch: bool, worker_id: str, nice: int, **options: Any) -> None:
        if nice > 0 and hasattr(os, "nice"):
            os.nice(nice)
        worker_id = (worker_id or f"{socket.gethostname()}-{os.getpid()}")[:64]
        worker = LeasedWorker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        log.info("worker %s started", worker_id)
        reaped_at = 0.0
        while worker.running:
            try:
                if time.monotonic() - reaped_at >= worker.reap_every:
                    # Also on start: a worker started after a crash picks up what the dead one held.
                    leases.reap()
                    reaped_at = time.monotonic()
                close_old_connections()
                claimed = claim(worker_id)
                if claimed is not None:
                    worker.run_task(claimed)
                elif batch:
                    return
                else:
                    time.sleep(interval)
            except (DatabaseError, InterfaceError) as exc:
                if isinstance(exc, OperationalError) and is_locked_database_exception(exc):
                    continue
                log.warning("worker %s: database unavailable (%s); retrying", worker_id, type(exc).__name__)
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                time.sleep(min(5.0, max(0.5, interval)))


def claim(worker_id: str) -> DBTaskResult[Any, Any] | None:
    """The next ready task, marked RUNNING for this worker (as django-tasks-db's worker does)."""
    tasks = DBTaskResult.objects.ready().filter(backend_name="default")
    with exclusive_transaction(tasks.db):
        task_result = tasks.get_locked()
        if task_result is not None:
            task_result.claim(worker_id)
    return task_result
