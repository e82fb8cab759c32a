"""Login throttling on django-axes: per account and per address, each with its own limit.

django-axes records every failed login (username, address, user agent, time) and refuses a
login while the recorded failures reach one limit. keiei wants two: an account is locked after
few failures (`KEIEI_LOCKOUT_ACCOUNT_FAILURES`, default 5), an address after many more
(`KEIEI_LOCKOUT_ADDRESS_FAILURES`, default 30) because an accounting office or a bank branch
sends all its staff through one address. The handler below keeps axes' records and scales the
account's count onto the address limit, so axes' single comparison applies both limits.

Each lockout is logged as one English line (`keiei_web.security`); the page the user sees is
`accounts/locked_out.html` (Japanese, HTTP 429). Council staff unlock an account of their
scope with the admin action 「ログインのロックを解除する」 (keiei_web.accounts.admin), operators
also through axes' own admin pages or `python -m keiei_web.manage axes_reset_username NAME`.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest

log = logging.getLogger("keiei_web.security")


def _failures(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler with a separate limit for the account and for the address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = self.get_user_attempts(request, credentials)
        account_limit = max(1, int(settings.KEIEI_LOCKOUT_ACCOUNT_FAILURES))
        address_limit = max(1, int(settings.KEIEI_LOCKOUT_ADDRESS_FAILURES))
        account = math.ceil(_failures(by_account) * address_limit / account_limit)
        return max(account, _failures(by_address))


@receiver(user_locked_out)
def _log_lockout(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kw: Any) -> None:
    log.warning(
        "login locked out: username=%r address=%s (account limit %s, address limit %s, %s minutes)",
        username,
        ip_address,
        settings.KEIEI_LOCKOUT_ACCOUNT_FAILURES,
        settings.KEIEI_LOCKOUT_ADDRESS_FAILURES,
        settings.KEIEI_LOCKOUT_MINUTES,
    )


def unlock(username: str) -> int:
    """Forget the recorded failures of one account (the admin's unlock); the number removed."""
    from axes.utils import reset

    return int(reset(username=username))


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> Any:
    """The Japanese page shown instead of the login form while locked out (HTTP 429)."""
    from django.shortcuts import render

    context = {"lockout_minutes": settings.KEIEI_LOCKOUT_MINUTES}
    return render(request, "accounts/locked_out.html", context, status=429)
