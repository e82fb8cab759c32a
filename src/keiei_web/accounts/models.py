"""Users and organisations.

A custom User from day one (changing AUTH_USER_MODEL later is painful). Each user has exactly
one role and belongs to exactly one organisation of the matching kind; a database constraint
holds that, so no code path can create a bank user who is also a company user. A user with no
role (e.g. a superuser created for operations) sees no case in the app.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keiei_web.accounts.choices import MONTH_CHOICES, ROLE_ORGANISATION_FIELD, Role, prefecture_choices


class Council(models.Model):
    """中小企業活性化協議会: one per prefecture; its staff see that prefecture's cases."""

    prefecture = models.CharField(_("都道府県"), max_length=8, unique=True, choices=prefecture_choices)
    name = models.CharField(_("名称"), max_length=100)
    operator = models.CharField(_("設置機関"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("協議会")
        verbose_name_plural = _("協議会")
        ordering = ("prefecture",)

    def __str__(self) -> str:
        return self.name


class AdviserFirm(models.Model):
    """認定経営革新等支援機関 (certified adviser): the firm that serves cases."""

    name = models.CharField(_("名称"), max_length=100)
    certification_number = models.CharField(_("認定番号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("認定支援機関")
        verbose_name_plural = _("認定支援機関")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Company(models.Model):
    """The SME (事業者) whose plan it is. Its prefecture decides which council handles it."""

    name = models.CharField(_("名称"), max_length=100)
    prefecture = models.CharField(_("都道府県"), max_length=8, choices=prefecture_choices)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    representative = models.CharField(_("代表者"), max_length=60, blank=True)
    fiscal_year_end_month = models.PositiveSmallIntegerField(_("決算月"), choices=MONTH_CHOICES, default=3)

    class Meta:
        verbose_name = _("事業者")
        verbose_name_plural = _("事業者")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Bank(models.Model):
    """A lending bank (金融機関). It sees only cases it lends to, and only what was shared."""

    name = models.CharField(_("名称"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("金融機関")
        verbose_name_plural = _("金融機関")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


def _role_matches_organisation() -> Q:
    """One Q per role: its own organisation set, every other one empty; or no role and none."""
    fields = list(ROLE_ORGANISATION_FIELD.values())
    allowed = Q(role="", **{f"{f}__isnull": True for f in fields})
    for role, own in ROLE_ORGANISATION_FIELD.items():
        allowed |= Q(role=role, **{f"{f}__isnull": f != own for f in fields})
    return allowed


class User(AbstractUser):
    role = models.CharField(_("役割"), max_length=16, choices=Role.choices, blank=True)
    company = models.ForeignKey(
        Company, verbose_name=_("事業者"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    adviser_firm = models.ForeignKey(
        AdviserFirm,
        verbose_name=_("認定支援機関"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("協議会"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    bank = models.ForeignKey(
        Bank, verbose_name=_("金融機関"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = (
            models.CheckConstraint(condition=_role_matches_organisation(), name="user_role_matches_organisation"),
        )

    @property
    def organisation(self) -> models.Model | None:
        field = ROLE_ORGANISATION_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self) -> None:
        super().clean()
        own = ROLE_ORGANISATION_FIELD.get(self.role)
        errors: dict[str, str] = {}
        for field in ROLE_ORGANISATION_FIELD.values():
            value = getattr(self, f"{field}_id")
            if field == own and value is None:
                errors[field] = str(_("この役割では所属を選んでください。"))
            elif field != own and value is not None:
                errors[field] = str(_("この役割では選べません。"))
        if errors:
            raise ValidationError(errors)

    def display_name(self) -> str:
        name = f"{self.last_name} {self.first_name}".strip()
        return name or self.username
