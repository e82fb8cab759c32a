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

from keiei_web import clock
from keiei_web.accounts.models import Bank
from keiei_web.cases.models import Case
from keiei_web.cases.models.audit import ImmutableError
from keiei_web.cases.planport import Purpose
from keiei_web.plans.fields import OrderedJSONField
from keiei_web.plans.versioning import sha256_of


class PlanDocument(models.Model):
    """The working plan. `revision` counts its stored changes: every editor form carries the
    revision it was built from, so a save from an older one is detected and merged or refused
    (keiei_web.plans.drafts, keiei_web.plans.merge) instead of reverting someone else's change.
    Revision 0 is the plan before its first save (the editor shows the seed)."""

    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="plan")
    data = OrderedJSONField(_("計画（計画ファイルの内容）"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("保存の回数"), default=0)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    #: How many past revisions are kept to merge a save from an older form; a form older than
    #: that is compared with the stored draft field by field instead (every difference shown).
    KEEP_REVISIONS = 100

    class Meta:
        verbose_name = _("経営改善計画")
        verbose_name_plural = _("経営改善計画")

    def __str__(self) -> str:
        return f"{self.case.reference} の計画"

    @property
    def sha256(self) -> str:
        return sha256_of(self.data)

    def store(self, data: dict[str, Any], user: Any) -> None:
        """Save `data` as the next revision and keep a copy of it (the base of later merges).
        Call inside a transaction holding the case's row lock (all savers take it)."""
        self.data = data
        self.revision += 1
        self.updated_by = user if getattr(user, "pk", None) else None
        self.save()
        PlanDraftRevision.objects.create(
            document=self,
            number=self.revision,
            data=data,
            saved_by=self.updated_by,
            saved_at=clock.now(),
        )
        PlanDraftRevision.objects.filter(document=self, number__lte=self.revision - self.KEEP_REVISIONS).delete()

    def data_at(self, revision: int) -> dict[str, Any] | None:
        """The draft as it was at `revision` (None: not kept, or not a revision of this plan)."""
        if revision == self.revision:
            return dict(self.data)
        row = PlanDraftRevision.objects.filter(document=self, number=revision).only("data").first()
        return dict(row.data) if row is not None else None


class PlanDraftRevision(models.Model):
    """A stored revision of the working plan (the last KEEP_REVISIONS of each): what an editor
    form built from that revision showed, to merge its post with what was saved since."""

    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("保存の回数"))
    data = OrderedJSONField(_("計画"))
    saved_at = models.DateTimeField(_("保存日時"), default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("作成中の計画の保存履歴")
        verbose_name_plural = _("作成中の計画の保存履歴")
        ordering = ("document", "number")
        constraints = (models.UniqueConstraint(fields=["document", "number"], name="plandraftrevision_unique_number"),)


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
