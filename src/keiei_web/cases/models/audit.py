"""The audit trail: who did what to a case, when, and the values before and after.

Events are append-only: saving an existing event or deleting one raises, so the trail cannot
be rewritten through the ORM (the admin shows it read-only as well).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keiei_web.cases.models.case import Case


class ImmutableError(Exception):
    """An attempt to change or delete a record that must never change."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError("case events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError("case events are append-only")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    actor_role = models.CharField(_("役割"), max_length=16, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    summary = models.TextField(_("内容"))
    from_state = models.CharField(_("変更前の状態"), max_length=16, blank=True)
    to_state = models.CharField(_("変更後の状態"), max_length=16, blank=True)
    before = models.JSONField(_("変更前"), default=dict, blank=True)
    after = models.JSONField(_("変更後"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作履歴")
        verbose_name_plural = _("操作履歴")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("case events are append-only")
