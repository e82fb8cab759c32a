"""Cases in the admin: read-mostly, scoped by keiei_web.access like every admin page.

State and dates are read-only here: they change only through the state machine
(keiei_web.cases.services), which writes the audit trail. The records the services write — the
audit trail, payment claims, the monitoring schedule, frozen plan versions — are read-only for
everyone, superusers included (access.ADMIN_CASE_RECORDS), and no case is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from keiei_web import access
from keiei_web.accounts.admin import AccessAdmin
from keiei_web.cases.models import Case, CaseBank, CaseEvent, MonitoringSession, PaymentClaim

if TYPE_CHECKING:
    # Generic in (row model, parent model) for django-stubs only; not subscriptable at run time.
    _TabularInline = admin.TabularInline[Any, Case]
else:
    _TabularInline = admin.TabularInline


class ReadOnlyInline(_TabularInline):
    """Rows of a case shown on its page: readable by whoever may read the case (`obj`), never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return access.admin_can(request.user, access.ADMIN_VIEW, Case, obj)


class CaseBankInline(ReadOnlyInline):
    model = CaseBank
    fields = ("bank", "is_main", "balance", "status", "comment", "responded_on")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("seq", "at", "actor_name", "action", "summary", "from_state", "to_state")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(AccessAdmin):
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


@admin.register(CaseEvent)
class CaseEventAdmin(AccessAdmin):
    list_display = ("at", "case", "seq", "actor_name", "action", "summary")
    list_filter = ("action",)
    readonly_fields = (
        "case",
        "seq",
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
        "prev_hash",
        "hash",
    )


@admin.register(PaymentClaim)
class PaymentClaimAdmin(AccessAdmin):
    list_display = ("case", "kind", "claimed_on", "subsidy", "company_share", "status", "approved_on")
    list_filter = ("kind", "status")


@admin.register(MonitoringSession)
class MonitoringSessionAdmin(AccessAdmin):
    list_display = ("case", "seq", "kind", "due_on", "mandatory", "reported_on")
