"""Authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class TestClientLockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """For the test settings only: django-axes, except for Django's test `Client.login()`.

    `Client.login()` authenticates without a request, which axes refuses (it needs the address);
    tests that log in that way are about other things. Logins through the login page always
    carry the request, so throttling itself is tested exactly as in production.
    """

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kw: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kw)
