"""Admin for council staff: cases of their prefecture, read-mostly.

State and dates are read-only here: they change only through the state machine
(keiei_web.cases.services), which writes the audit trail. The trail itself is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from keiei_web import access
from keiei_web.accounts.admin import AccessAdmin
from keiei_web.cases.models import Case, CaseBank, CaseEvent, MonitoringSession, PaymentClaim


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_use_admin(request.user)


class CaseBankInline(ReadOnlyInline):
    model = CaseBank
    fields = ("bank", "is_main", "balance", "status", "comment", "responded_on")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("at", "actor_name", "action", "summary", "from_state", "to_state")
    readonly_fields = fields


class ScopedAdmin(AccessAdmin):
    """Objects that belong to a case: only those of cases the user may see."""

    case_path = "case"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.case_path}__in": access.admin_cases(request.user)})

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ("reference", "company", "program", "state", "adviser_firm", "applied_on", "accepted_on")
    list_filter = ("program", "state")
    search_fields = ("company__name",)
    readonly_fields = (
        "company",
        "adviser_firm",
        "council",
        "program",
        "state",
        "consulted_on",
        "applied_on",
        "accepted_on",
        "bank_meeting_on",
        "agreed_on",
        "monitoring_started_on",
        "closed_on",
        "monitoring_interval_months",
        "estimated_fees",
    )
    fields = (*readonly_fields, "note")
    inlines = (CaseBankInline, EventInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access.admin_cases(request.user)


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdmin):
    list_display = ("at", "case", "actor_name", "action", "summary")
    list_filter = ("action",)
    readonly_fields = (
        "case",
        "at",
        "actor",
        "actor_name",
        "actor_role",
        "action",
        "summary",
        "from_state",
        "to_state",
        "before",
        "after",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PaymentClaim)
class PaymentClaimAdmin(ScopedAdmin):
    list_display = ("case", "kind", "claimed_on", "subsidy", "company_share", "status", "approved_on")
    list_filter = ("kind", "status")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonitoringSession)
class MonitoringSessionAdmin(ScopedAdmin):
    list_display = ("case", "seq", "kind", "due_on", "mandatory", "reported_on")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
