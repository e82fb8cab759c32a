"""A consultation request (相談の申込み) sent from the public form to a council.

Why a model of its own and not a Case: a case needs an adviser firm, a main bank and a
programme, and is created by the adviser who will serve it; a request from someone with no
account is none of that yet. The council reads it on its dashboard, contacts the applicant,
and links it to the case once one is registered (`case`).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.choices import prefecture_choices
from keiei_web.accounts.models import Council

#: The receipt number's alphabet: no 0/O, 1/I/L that people misread over the phone.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_receipt() -> str:
    """受付番号 like S-7KQ2-M9XD: random, so one number tells nothing about another."""
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"S-{body[:4]}-{body[4:]}"


class ConsultationStatus(models.TextChoices):
    NEW = "new", _("新着")
    OPEN = "open", _("対応中")
    CASE = "case", _("案件に登録済み")
    CLOSED = "closed", _("対応終了")


class Consultation(models.Model):
    receipt = models.CharField(_("受付番号"), max_length=16, unique=True, default=new_receipt, editable=False)
    council = models.ForeignKey(
        Council, verbose_name=_("協議会"), on_delete=models.PROTECT, related_name="consultations"
    )
    status = models.CharField(
        _("状態"), max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.NEW
    )
    company_name = models.CharField(_("事業者名"), max_length=100)
    contact_name = models.CharField(_("ご担当者名"), max_length=50)
    prefecture = models.CharField(_("都道府県"), max_length=8, choices=prefecture_choices)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20)
    email = models.EmailField(_("メールアドレス"), max_length=254, blank=True)
    program = models.CharField(_("診断で該当した事業"), max_length=8, blank=True)
    message = models.TextField(_("ご相談の内容"), max_length=2000)
    #: SHA-256 of the secret key and the client address: enough to count requests per address
    #: for the rate limit, without keeping anyone's address.
    client_hash = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("登録した案件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    council_note = models.TextField(_("協議会のメモ"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("相談の申込み")
        verbose_name_plural = _("相談の申込み")
        ordering = ("-created_at",)
        indexes = (models.Index(fields=["council", "status"]), models.Index(fields=["client_hash", "created_at"]))

    def __str__(self) -> str:
        return f"{self.receipt} {self.company_name}"
