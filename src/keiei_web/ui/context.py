"""Navigation for the page header: which links a role has (visibility only; access.py decides)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keiei_web import access
from keiei_web.accounts.choices import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = access.role_of(user)
    if not role:
        return {"nav_links": [], "nav_role": ""}
    links = [(reverse("ui:dashboard"), _("ホーム")), (reverse("cases:list"), _("案件一覧"))]
    if access.can_site(user, access.CREATE_CASE):
        links.append((reverse("cases:create"), _("新しい案件")))
    if access.can_site(user, access.COUNCIL_REPORTS):
        links.append((reverse("council:dashboard"), _("協議会の集計")))
    if access.can_site(user, access.MONITORING_PORTFOLIO):
        links.append((reverse("portfolio:portfolio"), _("伴走支援中の案件")))
    if access.can_site(user, access.HANDLE_CONSULTATIONS):
        links.append((reverse("council:consultations"), _("相談の申込み")))
    if role == Role.BANK:
        links.append((reverse("banks:dashboard") + "?tab=waiting", _("回答待ちの計画")))
    if access.can_use_admin(user):
        links.append((reverse("admin:index"), _("管理画面")))
    return {
        "nav_links": links,
        "nav_role": Role(role).label,
        "nav_organisation": str(getattr(user, "organisation", "") or ""),
    }
