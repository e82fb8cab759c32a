"""Monitoring sessions (伴走支援): the schedule the rules give, and each report.

The schedule is generated when the plan payment is approved (keiei.case.schedule); each
row is one visit/report due on a date, mandatory or optional (early: only the year-end one
is mandatory).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei.case.schedule import SESSION_KIND_LABELS
from keiei_web.cases.models.case import Case


class MonitoringSession(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="sessions")
    seq = models.PositiveSmallIntegerField(_("回"))
    kind = models.CharField(_("区分"), max_length=16)
    due_on = models.DateField(_("予定日"))
    mandatory = models.BooleanField(_("必須"), default=True)
    reported_on = models.DateField(_("報告日"), null=True, blank=True)
    summary = models.TextField(_("報告の要旨"), blank=True)

    class Meta:
        verbose_name = _("伴走支援")
        verbose_name_plural = _("伴走支援")
        ordering = ("case", "seq")
        constraints = (models.UniqueConstraint(fields=["case", "seq"], name="session_unique_seq"),)

    def __str__(self) -> str:
        return f"{self.case.reference} 第{self.seq}回"

    @property
    def kind_label(self) -> str:
        return str(SESSION_KIND_LABELS.get(self.kind, self.kind))
