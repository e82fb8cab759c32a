"""The monitoring app's task (django-tasks): reading an uploaded books file for its preview.

Why a task: a journal of 100,000 rows or more takes seconds to read; the request stores the
bytes and answers at once with the 「処理中」 page, which reloads until the preview is there
(the same pattern as keiei_web.jobs' document builds). Idempotent: a retried task finds the
preview already stored, or reads the same stored bytes again.
"""

from __future__ import annotations

from django_tasks import task


@task()
def read_books_upload(upload_id: int) -> str:
    from keiei_web.monitoring.uploads import read_upload

    return read_upload(upload_id)
