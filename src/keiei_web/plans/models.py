"""The working plan of a case and its frozen versions.

PlanDocument holds the plan being written (one per case, editable while drafting).
PlanVersion is a frozen copy made at each submission to the banks or the council: immutable
(save of an existing row and delete raise), numbered per case, with the SHA-256 of its
canonical JSON. A later edit changes only the document; the next submission freezes a new
version. PlanSubmission records each submission; banks see only the versions submitted to them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.models import Bank
from keiei_web.cases.models import Case
from keiei_web.cases.models.audit import ImmutableError
from keiei_web.plans.fields import OrderedJSONField
from keiei_web.plans.versioning import sha256_of


class PlanDocument(models.Model):
    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="plan")
    data = OrderedJSONField(_("計画（計画ファイルの内容）"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("経営改善計画")
        verbose_name_plural = _("経営改善計画")

    def __str__(self) -> str:
        return f"{self.case.reference} の計画"

    @property
    def sha256(self) -> str:
        return sha256_of(self.data)


class Purpose(models.TextChoices):
    APPLICATION = "application", _("利用申請（協議会へ）")
    BANKS = "banks", _("金融機関へ提出")
    PAYMENT_CLAIM = "payment_claim", _("支払申請（協議会へ）")


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError("plan versions are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError("plan versions are immutable")


class PlanVersion(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="plan_versions")
    number = models.PositiveIntegerField(_("版"))
    data = OrderedJSONField(_("計画"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("計画の版")
        verbose_name_plural = _("計画の版")
        ordering = ("case", "number")
        constraints = (models.UniqueConstraint(fields=["case", "number"], name="planversion_unique_number"),)

    def __str__(self) -> str:
        return f"{self.case.reference} 第{self.number}版"

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("plan versions are immutable")
        self.sha256 = sha256_of(self.data)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("plan versions are immutable")


class PlanSubmission(models.Model):
    """One submission of a version: to the council, or to banks (the only versions a bank reads).

    Kept apart from PlanVersion so that submitting an unchanged plan again (e.g. to the council
    after the banks) records a new submission without touching the immutable version.
    """

    version = models.ForeignKey(PlanVersion, verbose_name=_("版"), on_delete=models.PROTECT, related_name="submissions")
    purpose = models.CharField(_("提出先"), max_length=16, choices=Purpose.choices)
    banks = models.ManyToManyField(Bank, verbose_name=_("提出先の金融機関"), blank=True, related_name="+")
    submitted_on = models.DateField(_("提出日"))
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("計画の提出")
        verbose_name_plural = _("計画の提出")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.version} {self.get_purpose_display()}"
