"""The demo's monitoring: the early case's first session imports the sample 弥生 journal.

`demo_books/yayoi-journal.csv` is a copy of examples/books/yayoi-journal.csv (made for the
early-restaurant plan the demo's early case uses; tests/web/test_monitoring_demo.py keeps them
equal). The file is read in the call, not by a task: the demo loads before any worker runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keiei_web.cases.models import Case, MonitoringSession
from keiei_web.monitoring import services, uploads
from keiei_web.monitoring.models import BooksUpload

SAMPLE = Path(__file__).resolve().parent / "demo_books" / "yayoi-journal.csv"


def import_sample(case: Case, session: MonitoringSession, user: Any) -> bool:
    """Upload, read and confirm the sample journal for `session`; whether it was confirmed."""
    name, sha, size = uploads.store_bytes([SAMPLE.read_bytes()])
    row = BooksUpload.objects.create(
        case=case, session=session, filename=SAMPLE.name, sha256=sha, size=size, storage_name=name, created_by=user
    )
    uploads.read_upload(row.pk)
    row.refresh_from_db()
    if row.status != BooksUpload.Status.READY or row.preview.get("blocking"):
        return False
    services.confirm(row, user)
    return True
