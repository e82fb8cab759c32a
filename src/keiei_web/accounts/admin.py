"""Admin for council staff: organisations and users. Permissions come from keiei_web.access."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from keiei_web import access
from keiei_web.accounts.models import AdviserFirm, Bank, Company, Council, User

log = logging.getLogger("keiei_web.security")


class AccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Council staff may view, add and change; only a superuser deletes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.can_use_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_use_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Company)
class CompanyAdmin(AccessAdmin):
    list_display = ("name", "prefecture", "fiscal_year_end_month", "representative")
    list_filter = ("prefecture",)
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access.admin_companies(request.user)


@admin.register(AdviserFirm)
class AdviserFirmAdmin(AccessAdmin):
    list_display = ("name", "certification_number")
    search_fields = ("name",)


@admin.register(Bank)
class BankAdmin(AccessAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Council)
class CouncilAdmin(AccessAdmin):
    list_display = ("name", "prefecture", "operator")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(User)
class UserAdmin(AccessAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = ("username", "last_name", "first_name", "role", "organisation_name", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("氏名・連絡先"), {"fields": ("last_name", "first_name", "email")}),
        (_("役割と所属"), {"fields": ("role", "company", "adviser_firm", "council", "bank")}),
        (_("権限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("役割と所属"), {"fields": ("role", "company", "adviser_firm", "council", "bank")}),
    )

    actions = ("unlock_logins",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access.admin_users(request.user)

    @admin.action(description=_("ログインのロックを解除する"))
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Forget the failed logins of the selected users (only users this admin may see)."""
        from keiei_web.accounts.lockout import unlock

        names = [u.username for u in queryset]
        for name in names:
            unlock(name)
        log.warning("login lockout lifted by %s for %s", request.user.get_username(), ", ".join(names))
        self.message_user(request, _("%(n)d人のログインのロックを解除しました。") % {"n": len(names)})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            fixed += ["is_staff", "is_superuser"]
        return fixed

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Council staff attach users to companies of their prefecture and to their own council only."""
        if not request.user.is_superuser:
            if db_field.name == "council":
                kwargs["queryset"] = Council.objects.filter(pk=getattr(request.user, "council_id", None))
            elif db_field.name == "company":
                kwargs["queryset"] = access.admin_companies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("所属"))
    def organisation_name(self, obj: User) -> str:
        return str(obj.organisation or "—")
