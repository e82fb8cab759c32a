"""The four roles. Which role may do what is decided in keiei_web.access, nowhere else."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei.councils.directory import prefectures


class Role(models.TextChoices):
    COMPANY = "company", _("事業者")
    ADVISER = "adviser", _("認定支援機関")
    COUNCIL = "council", _("協議会")
    BANK = "bank", _("金融機関")


#: The organisation field each role must have set (and the only one it may have).
ROLE_ORGANISATION_FIELD: dict[str, str] = {
    Role.COMPANY: "company",
    Role.ADVISER: "adviser_firm",
    Role.COUNCIL: "council",
    Role.BANK: "bank",
}


def prefecture_choices() -> list[tuple[str, str]]:
    """The 47 prefectures in the council directory's order (北海道 … 沖縄県)."""
    return [(p, p) for p in prefectures()]


MONTH_CHOICES = [(m, _("%(month)d月") % {"month": m}) for m in range(1, 13)]
