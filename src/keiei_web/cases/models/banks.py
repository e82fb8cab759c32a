"""The banks of a case: who lends, who is the main bank, and each bank's answer to the plan.

A bank sees a case only when it has a CaseBank row here (it lends); its answers are kept as
BankResponse rows so the history of receipts, consents and declines survives re-submissions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.models import Bank
from keiei_web.cases.models.case import Case


class BankStatus(models.TextChoices):
    NOT_SHARED = "not_shared", _("未提出")
    NOT_REQUIRED = "not_required", _("回答不要")
    PENDING = "pending", _("回答待ち")
    RECEIVED = "received", _("受取書発行済")
    CONSENTED = "consented", _("同意")
    DECLINED = "declined", _("不同意・意見あり")


#: Statuses that count as the bank's yes for the bank step.
AGREED_STATUSES = frozenset({BankStatus.RECEIVED, BankStatus.CONSENTED})


class BankResponseKind(models.TextChoices):
    RECEIPT = "receipt", _("受取書を発行する")
    CONSENT = "consent", _("同意する")
    DECLINE = "decline", _("同意しない・意見を返す")


RESPONSE_STATUS: dict[str, BankStatus] = {
    BankResponseKind.RECEIPT: BankStatus.RECEIVED,
    BankResponseKind.CONSENT: BankStatus.CONSENTED,
    BankResponseKind.DECLINE: BankStatus.DECLINED,
}


class CaseBank(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="banks")
    bank = models.ForeignKey(Bank, verbose_name=_("金融機関"), on_delete=models.PROTECT, related_name="case_links")
    is_main = models.BooleanField(_("メイン金融機関"), default=False)
    balance = models.BigIntegerField(_("借入残高（円）"), null=True, blank=True)
    status = models.CharField(_("回答状況"), max_length=16, choices=BankStatus.choices, default=BankStatus.NOT_SHARED)
    comment = models.TextField(_("金融機関のコメント"), blank=True)
    responded_on = models.DateField(_("回答日"), null=True, blank=True)

    class Meta:
        verbose_name = _("取引金融機関")
        verbose_name_plural = _("取引金融機関")
        ordering = ("-is_main", "bank__name")
        constraints = (
            models.UniqueConstraint(fields=["case", "bank"], name="casebank_unique_bank"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_main=True), name="casebank_one_main_bank"),
        )

    def __str__(self) -> str:
        return f"{self.case.reference} {self.bank.name}"


class BankResponse(models.Model):
    case_bank = models.ForeignKey(CaseBank, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(
        "plans.PlanVersion", verbose_name=_("計画の版"), null=True, on_delete=models.PROTECT, related_name="responses"
    )
    #: The SHA-256 of the version the bank was shown when it answered (the form carries it and
    #: the service checks it is the latest submitted to the bank), so the answer names the exact
    #: content it is about; blank for answers recorded before the hash was kept.
    sha256 = models.CharField(_("回答した版の SHA-256"), max_length=64, blank=True, default="")
    kind = models.CharField(_("回答"), max_length=16, choices=BankResponseKind.choices)
    comment = models.TextField(_("コメント"), blank=True)
    responded_on = models.DateField(_("回答日"))
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("金融機関の回答")
        verbose_name_plural = _("金融機関の回答")
        ordering = ("created_at", "id")
