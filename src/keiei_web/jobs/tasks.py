"""The tasks (django-tasks `@task`): small wrappers; the work lives in documents.py / checks.py.

Arguments are JSON (ids and keys, never model instances), so a task row means the same thing to
any worker on any machine.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def build_document(key: str, case_id: int, number: int, fmt: str) -> str:
    """Build one document of a plan version and store it (idempotent: see jobs.documents.run)."""
    from keiei_web.jobs import documents

    return documents.run(key, case_id, number, fmt)


@task()
def recheck_open_plans(on: str | None = None) -> dict[str, Any]:
    """Judge every open case's working plan again with the core's check (after a rule change)."""
    from keiei_web.jobs import checks

    return checks.recheck_open_plans(on)
