"""Plan versions in the admin: read-only for everyone (versions are immutable), scoped by access."""

from __future__ import annotations

from django.contrib import admin

from keiei_web.accounts.admin import AccessAdmin
from keiei_web.plans.models import PlanVersion


@admin.register(PlanVersion)
class PlanVersionAdmin(AccessAdmin):
    list_display = ("case", "number", "short_hash", "created_at")
    readonly_fields = ("case", "number", "sha256", "data", "created_at", "created_by")
