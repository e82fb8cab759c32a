"""The state of slow work that another app server or worker must see: documents and leases.

`DocumentBuild` is the state of the build of one document (one per key: asked for, being
built, ready, refused), so a document is built and stored once however many people ask for it
on however many app servers, and the page can show progress. The bytes themselves live in the
`default` storage (keiei_web.plans.doccache), each file carrying its own SHA-256, so a file
left half-written by a killed worker is never served.

`TaskLease` is the heartbeat of a running task (keiei_web.jobs.leases): django-tasks-db marks
a task RUNNING when a worker claims it and never looks at it again, so a killed worker's task
would stay RUNNING forever without it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentBuild(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        BUILDING = "building", _("作成中")
        READY = "ready", _("作成済み")
        FAILED = "failed", _("作成できませんでした")

    #: keiei_web.plans.doccache.key: everything the bytes depend on.
    key = models.CharField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    #: SHA-256 and size of the stored body, set when READY.
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    #: The django-tasks result id of the build that was asked for (empty: built in the request).
    task_id = models.CharField(max_length=64, blank=True)
    #: Builds started for this key (a worker that died counts: the retry is the next attempt).
    attempts = models.PositiveIntegerField(default=0)
    #: A Japanese sentence for the user when the build was refused (safety check, bad version).
    error = models.TextField(blank=True)
    #: What the page asks about: the case and version the document belongs to (for progress).
    case_id = models.BigIntegerField(null=True, blank=True)
    version_number = models.PositiveIntegerField(null=True, blank=True)
    fmt = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("書類の作成")
        verbose_name_plural = _("書類の作成")

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class TaskLease(models.Model):
    """A running task's lease: renewed every few seconds by the worker running it."""

    task_id = models.CharField(max_length=64, primary_key=True)
    worker_id = models.CharField(max_length=64)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("実行中の作業")
        verbose_name_plural = _("実行中の作業")

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.worker_id}"
