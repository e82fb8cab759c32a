"""`/healthz` for a load balancer: 200 when this app server can serve, 503 otherwise.

Three checks, each named in the JSON answer (no authentication, and nothing in it that an
outsider could use: no host names, versions, paths or error texts — those go to the log):
- `database`: a `SELECT 1` on the default connection (with CONN_HEALTH_CHECKS a restarted
  PostgreSQL is reconnected by the next request; this proves it);
- `migrations`: no migration left to apply (an app server started with new code before
  `migrate` ran would write to tables that are not there yet). Checked until it passes once per
  process, since applied migrations do not come back;
- `storage`: the `default` storage takes a small file and deletes it (a shared folder that is
  not mounted, or a bucket without write access, fails here rather than on a user's download).
"""

from __future__ import annotations

import logging
import os
import socket
import time

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)
_migrated = False


def check_database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


def check_migrations() -> bool:
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def check_storage() -> bool:
    storage = storages["default"]
    name = f"healthz/{socket.gethostname()}-{os.getpid()}"
    saved = storage.save(name, ContentFile(b"ok"))
    storage.delete(saved)
    return True


CHECKS = {"database": check_database, "migrations": check_migrations, "storage": check_storage}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    results: dict[str, bool] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception as exc:
            log.warning("healthz: %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = False
        if name == "database" and not results[name]:
            results["migrations"] = False  # cannot be read without the database
            break
    ok = all(results.get(name, False) for name in CHECKS)
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": results,
        "ms": round((time.perf_counter() - started) * 1000),
    }
    return JsonResponse(body, status=200 if ok else 503)
