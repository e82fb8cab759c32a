"""Plan versions in the admin: read-only (versions are immutable)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from keiei_web.cases.admin import ScopedAdmin
from keiei_web.plans.models import PlanVersion


@admin.register(PlanVersion)
class PlanVersionAdmin(ScopedAdmin):
    list_display = ("case", "number", "short_hash", "created_at")
    readonly_fields = ("case", "number", "sha256", "data", "created_at", "created_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
