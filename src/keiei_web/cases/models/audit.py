"""The audit trail: who did what to a case, when, and the values before and after.

Events are append-only: saving an existing event, deleting one, updating, bulk-creating or
deleting them through a queryset raises, so the trail cannot be rewritten through the ORM (the
admin shows it read-only to everyone). A case cannot be deleted while it has events, nor a user
who acted on one (both PROTECT: deactivate a user instead).

Each event is a link of its case's hash chain (keiei.auditchain): `seq` numbers the case's
events 1, 2, 3…, `prev_hash` is the hash of the event before (the first: GENESIS) and `hash`
the SHA-256 of this event's fields with `prev_hash`. They are computed in `save`, the one way
events are created (keiei_web.cases.services.record calls it), under the case's row lock so
two events recorded at once cannot both follow the same predecessor; the unique (case, seq)
constraint refuses a fork even if the lock were bypassed. `keiei audit verify` recomputes the
chains.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keiei.auditchain import GENESIS, link_hash
from keiei_web.cases.auditchain import chain_fields
from keiei_web.cases.models.case import Case


class ImmutableError(Exception):
    """An attempt to change or delete a record that must never change."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError("case events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError("case events are append-only")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[CaseEvent]:
        raise ImmutableError("case events are created one by one (services.record), each chained to the last")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise ImmutableError("case events are append-only")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("番号"), editable=False)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    actor_role = models.CharField(_("役割"), max_length=16, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    summary = models.TextField(_("内容"))
    from_state = models.CharField(_("変更前の状態"), max_length=16, blank=True)
    to_state = models.CharField(_("変更後の状態"), max_length=16, blank=True)
    before = models.JSONField(_("変更前"), default=dict, blank=True)
    after = models.JSONField(_("変更後"), default=dict, blank=True)
    prev_hash = models.CharField(_("前の記録のハッシュ"), max_length=64, editable=False)
    hash = models.CharField(_("ハッシュ（SHA-256）"), max_length=64, editable=False)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作履歴")
        verbose_name_plural = _("操作履歴")
        ordering = ("at", "id")
        constraints = (models.UniqueConstraint(fields=["case", "seq"], name="caseevent_unique_seq"),)

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("case events are append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            _lock_case(self.case_id, using)
            last = (
                CaseEvent.objects.using(using)
                .filter(case_id=self.case_id)
                .order_by("-seq")
                .values_list("seq", "hash")
                .first()
            )
            self.seq, self.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
            # What is hashed must be what the database gives back: JSON values as JSON reads
            # them (tuples become lists, keys strings), the time as stored (aware, microseconds).
            self.before = json.loads(json.dumps(self.before or {}))
            self.after = json.loads(json.dumps(self.after or {}))
            self.summary = str(self.summary)
            if timezone.is_naive(self.at):
                self.at = timezone.make_aware(self.at)
            self.hash = link_hash(chain_fields(self), self.prev_hash)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("case events are append-only")


def _lock_case(case_id: int, using: str) -> None:
    """Hold the case's row lock until the transaction ends: the events of one case are chained one
    at a time. PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks: an UPDATE that changes
    nothing takes the database's write lock now, before the chain's head is read (keiei's own
    settings also begin every transaction IMMEDIATE)."""
    if connections[using].features.has_select_for_update:
        Case.objects.using(using).select_for_update().filter(pk=case_id).values_list("pk").first()
    else:
        Case.objects.using(using).filter(pk=case_id).update(consulted_on=models.F("consulted_on"))
