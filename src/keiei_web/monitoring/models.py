"""The records of monitoring with actual figures.

- `BooksUpload`: a books file uploaded at a session and read for the preview. It is *not*
  actuals: nothing reads it but the preview and the confirmation. The bytes live in the
  `default` storage keyed by their SHA-256 (`storage_name`), so the confirmation (or a retried
  task) reads the very bytes that were previewed.
- `ActualsImport`: a confirmed import — the core's `Actuals` as JSON, numbered per case,
  immutable (a correction is a new version in the same session; earlier ones stay). The same
  file (SHA-256) is confirmed at most once per case.
- `SessionReport`: one per session: the adviser's words (the core's monitoring.yaml structure,
  validated by `keiei.monitoring.progress.progress_from_dict`), the report data computed when
  an import is confirmed or the words change (`keiei.monitoring.report.report_data`, stored so
  every reader sees the figures of the confirmation), and the summary figures the council's
  portfolio lists (achievement rates, flags), so the portfolio is one query.
- `CaseMonitoring`: the latest report's summary per case (the portfolio's row).
- `ReportReading`: a bank's acknowledgement or comment on a session's report.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.models import Bank
from keiei_web.cases.models import Case, MonitoringSession


class ImmutableError(Exception):
    """A confirmed import is never changed nor deleted (a correction is a new version)."""


class BooksUpload(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        READING = "reading", _("読み込み中")
        READY = "ready", _("確認待ち")
        FAILED = "failed", _("読み込めませんでした")
        CONFIRMED = "confirmed", _("確定済み")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="books_uploads")
    session = models.ForeignKey(MonitoringSession, on_delete=models.CASCADE, related_name="books_uploads")
    filename = models.CharField(_("ファイル名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    #: The format asked for ("auto" or a key of keiei.monitoring.FORMATS).
    fmt = models.CharField(_("形式"), max_length=16, default="auto")
    #: The company's mapping file as uploaded (YAML text; empty: the default mapping).
    mapping = models.TextField(_("対応表"), blank=True)
    allow_unmapped = models.BooleanField(default=False)
    #: Where the bytes are in the `default` storage (keyed by SHA-256).
    storage_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    #: What the preview page shows (keiei_web.monitoring.imports.read_upload).
    preview = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    #: A Japanese sentence when the file could not be read at all.
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会計データのアップロード")
        verbose_name_plural = _("会計データのアップロード")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class ActualsImport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actuals_imports")
    session = models.ForeignKey(MonitoringSession, on_delete=models.PROTECT, related_name="actuals_imports")
    #: 1, 2, … per case, in the order of confirmation.
    number = models.PositiveIntegerField(_("版"))
    filename = models.CharField(_("ファイル名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    fmt = models.CharField(_("形式"), max_length=16)
    mapping = models.TextField(_("対応表"), blank=True)
    #: keiei.monitoring.Actuals.as_dict() (actuals.yaml as JSON; integer yen).
    actuals = models.JSONField(encoder=DjangoJSONEncoder)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("確定日時"))

    class Meta:
        verbose_name = _("取り込んだ実績")
        verbose_name_plural = _("取り込んだ実績")
        ordering = ("case", "number")
        constraints = (
            models.UniqueConstraint(fields=["case", "number"], name="actualsimport_unique_number"),
            models.UniqueConstraint(fields=["case", "sha256"], name="actualsimport_unique_file"),
        )

    def __str__(self) -> str:
        return f"{self.case.reference} 実績 第{self.number}版"

    @property
    def months(self) -> list[str]:
        return [str(p.get("month")) for p in self.actuals.get("periods", [])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("confirmed imports are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("confirmed imports are immutable")


class SessionReport(models.Model):
    session = models.OneToOneField(MonitoringSession, on_delete=models.CASCADE, related_name="report")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="session_reports")
    #: The adviser's words: monitoring.yaml's structure (version, as_of, closing, actions,
    #: causes, countermeasures, asks_of_banks).
    progress = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    #: keiei.monitoring.report.report_data of the imports up to this session (empty: none yet).
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    #: The plan version the figures were compared with.
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    through = models.CharField(_("実績の最終月"), max_length=7, blank=True)
    sales_achievement = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    ordinary_achievement = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    flag_codes = models.CharField(max_length=300, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("伴走支援レポート")
        verbose_name_plural = _("伴走支援レポート")

    def __str__(self) -> str:
        return f"{self.session} レポート"

    @property
    def has_figures(self) -> bool:
        return bool(self.data)


class CaseMonitoring(models.Model):
    """The latest session report's figures of a case, for the council's portfolio (one row per case)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="monitoring_summary")
    report = models.ForeignKey(SessionReport, null=True, on_delete=models.SET_NULL, related_name="+")
    session_seq = models.PositiveSmallIntegerField(null=True)
    through = models.CharField(max_length=7, blank=True)
    sales_achievement = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    ordinary_achievement = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    flag_count = models.PositiveIntegerField(default=0, db_index=True)
    flag_codes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("伴走支援の状況")
        verbose_name_plural = _("伴走支援の状況")


class ReportReading(models.Model):
    """A bank's reading of a session's report: acknowledged, with an optional comment (one per bank)."""

    report = models.ForeignKey(SessionReport, on_delete=models.CASCADE, related_name="readings")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    acknowledged = models.BooleanField(_("確認しました"), default=False)
    comment = models.TextField(_("意見・コメント"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("金融機関の確認")
        verbose_name_plural = _("金融機関の確認")
        constraints = (models.UniqueConstraint(fields=["report", "bank"], name="reading_unique_bank"),)
