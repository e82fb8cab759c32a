"""Payment claims (支払申請): the plan claim and each monitoring claim, with the company's 1/3.

The subsidy of a claim is computed by the core (`keiei.subsidy.compute_subsidy`, see
keiei_web.cases.payments) when the claim is made and stored, so totals by fiscal year do not
change if the rules data is corrected later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei.plan.periods import fiscal_year
from keiei_web.cases.models.case import Case


class ClaimKind(models.TextChoices):
    PLAN = "plan", _("計画策定支援")
    MONITORING = "monitoring", _("伴走支援")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("申請中")
    APPROVED = "approved", _("支払承認済")
    RETURNED = "returned", _("差戻し")


class PaymentClaim(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(_("種類"), max_length=16, choices=ClaimKind.choices)
    session = models.ForeignKey(
        "cases.MonitoringSession",
        verbose_name=_("伴走支援の回"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    fees = models.JSONField(_("費用（項目別・税抜）"), default=dict)
    subsidy = models.BigIntegerField(_("今回の補助額（円）"))
    company_share = models.BigIntegerField(_("事業者負担額（円）"))
    transfer_on = models.DateField(_("事業者負担分の振込日"))
    transfer_amount = models.BigIntegerField(_("事業者負担分の振込額（円）"))
    claimed_on = models.DateField(_("申請日"))
    status = models.CharField(_("状況"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    approved_on = models.DateField(_("支払承認日"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("支払申請")
        verbose_name_plural = _("支払申請")
        ordering = ("claimed_on", "id")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.get_kind_display()} {self.claimed_on}"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.claimed_on)

    @property
    def total_fee(self) -> int:
        return sum(int(v) for v in self.fees.values())
