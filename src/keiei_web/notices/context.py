"""The header's bell: how many unread notices the signed-in user has."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keiei_web import access


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not access.role_of(user):
        return {}
    return {"notice_unread": access.notices_for(user).filter(read_at__isnull=True).count(), "notice_bell": True}
