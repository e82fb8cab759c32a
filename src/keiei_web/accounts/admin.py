"""The admin for operators and council staff: organisations and users.

Every list, object page, choice and permission comes from keiei_web.access (the admin section,
`admin_queryset`, `admin_can`, `admin_choices`, `admin_may_save`), so the admin and the views
follow one rule. `AccessAdmin` is the base of every ModelAdmin keiei registers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Field, ForeignKey, ManyToManyField, Model, QuerySet
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from keiei_web import access
from keiei_web.accounts.choices import Role
from keiei_web.accounts.models import AdviserFirm, Bank, Company, Council, User

log = logging.getLogger("keiei_web.security")

if TYPE_CHECKING:
    # django-stubs makes the admin classes generic in their model; Django's own classes are not
    # subscriptable at run time (that would take django_stubs_ext.monkeypatch()), so only the type
    # checker sees the parameters.
    _ModelAdmin = admin.ModelAdmin[Any]
    _DjangoUserAdmin = DjangoUserAdmin[User]
else:
    _ModelAdmin = admin.ModelAdmin
    _DjangoUserAdmin = DjangoUserAdmin


def _related_model(db_field: RelatedField[Any, Any]) -> type[Model]:
    """The model a relation points at: a class once the apps are loaded (the stubs also allow the
    unresolved string "self", which the admin never sees)."""
    model = db_field.related_model
    if isinstance(model, str):
        raise TypeError(f"relation {db_field!r} is not resolved")
    return model


class AccessAdmin(_ModelAdmin):
    """Querysets, permissions (object-level too) and relation choices from keiei_web.access.

    ModelAdmin.get_object reads through `get_queryset`, so the change, history, delete and
    password pages of an object outside the user's scope answer as for one that does not exist;
    autocomplete, search and list filters start from the same queryset.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = access.admin_queryset(request.user, self.model)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.admin_can(request.user, access.ADMIN_VIEW, self.model)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.admin_can(request.user, access.ADMIN_VIEW, self.model, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.admin_can(request.user, access.ADMIN_ADD, self.model)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.admin_can(request.user, access.ADMIN_CHANGE, self.model, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.admin_can(request.user, access.ADMIN_DELETE, self.model, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        kwargs["queryset"] = access.admin_choices(request.user, _related_model(db_field))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        kwargs["queryset"] = access.admin_choices(request.user, _related_model(db_field))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm[Any], change: bool) -> None:
        """Last check, after the form's restricted choices: the object as saved stays in scope."""
        if not access.admin_may_save(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(Company)
class CompanyAdmin(AccessAdmin):
    list_display = ("name", "prefecture", "fiscal_year_end_month", "representative")
    list_filter = ("prefecture",)
    search_fields = ("name",)

    def formfield_for_choice_field(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        """Council staff put a company only in their own prefecture."""
        allowed = access.admin_prefectures(request.user)
        if db_field.name == "prefecture" and allowed is not None:
            kwargs["choices"] = [(p, p) for p in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


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


#: Fields council staff never edit on a user (a firm or a bank widens access to every prefecture).
NATIONAL_ORGANISATIONS = ("adviser_firm", "bank")


@admin.register(User)
class UserAdmin(AccessAdmin, _DjangoUserAdmin):
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

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        """Council staff's forms have no adviser firm or bank (they see them on read-only pages)."""
        fieldsets = super().get_fieldsets(request, obj)
        if access.is_operator(request.user) or (obj is not None and not self.has_change_permission(request, obj)):
            return fieldsets
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in NATIONAL_ORGANISATIONS)})
            for name, opts in fieldsets
        ]

    @admin.action(description=_("ログインのロックを解除する"))
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Forget the failed logins of the selected users (only users this admin may see)."""
        from keiei_web.accounts.lockout import unlock

        names = [u.username for u in queryset if self.has_change_permission(request, u)]
        for name in names:
            unlock(name)
        log.warning("login lockout lifted by %s for %s", request.user.get_username(), ", ".join(names))
        self.message_user(request, _("%(n)d人のログインのロックを解除しました。") % {"n": len(names)})

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fixed = ["last_login", "date_joined"]
        if not access.is_operator(request.user):
            fixed += ["is_staff", "is_superuser"]
        return fixed

    def formfield_for_choice_field(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        if db_field.name == "role":
            allowed = access.admin_roles(request.user)
            kwargs["choices"] = [("", "---------")] * ("" in allowed) + [
                (value, label) for value, label in Role.choices if value in allowed
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("所属"))
    def organisation_name(self, obj: User) -> str:
        return str(obj.organisation or "—")
