"""Login throttling: per account and per address, a Japanese page, a log line, an admin unlock."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD, World


def attempt(client: Client, username: str, password: str, addr: str = "10.0.0.1") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_an_account_is_locked_after_five_wrong_passwords(world: World, caplog: Any) -> None:
    client = Client()
    for _ in range(4):
        response = attempt(client, "adviser_a", "wrong")
        assert response.status_code == 200 and "ユーザー名またはパスワードが違います" in response.content.decode()
    with caplog.at_level(logging.WARNING, logger="keiei_web.security"):
        response = attempt(client, "adviser_a", "wrong")
    assert response.status_code == 429
    assert "ログインを一時停止しています" in response.content.decode()
    assert any("login locked out" in r.getMessage() and "adviser_a" in r.getMessage() for r in caplog.records)
    # the right password no longer works, from anywhere, until the lock is lifted
    assert attempt(Client(), "adviser_a", PASSWORD, addr="10.9.9.9").status_code == 429
    # other accounts from the same address are not affected by one account's lock
    assert attempt(client, "adviser_b", PASSWORD).status_code == 302


def test_an_address_is_locked_after_thirty_failures_across_accounts(world: World) -> None:
    client = Client()
    names = [f"nobody{i}" for i in range(30)]
    codes = [attempt(client, name, "wrong", addr="10.0.0.7").status_code for name in names]
    assert codes[:29] == [200] * 29 and codes[29] == 429
    assert attempt(client, "adviser_b", PASSWORD, addr="10.0.0.7").status_code == 429
    assert attempt(Client(), "adviser_b", PASSWORD, addr="10.0.0.8").status_code == 302


def test_a_successful_login_forgets_earlier_failures(world: World) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "adviser_a", "wrong")
    assert attempt(client, "adviser_a", PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(Client(), "adviser_a", "wrong").status_code == 200


def test_council_staff_unlock_an_account_in_the_admin(world: World) -> None:
    for _ in range(5):
        attempt(Client(), "company_a", "wrong")
    assert attempt(Client(), "company_a", PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(world.user("council_osaka"))
    user = world.user("company_a")
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_logins", "_selected_action": [str(user.pk)]},
        follow=True,
    )
    assert response.status_code == 200 and "ロックを解除しました" in response.content.decode()
    assert attempt(Client(), "company_a", PASSWORD).status_code == 302


@pytest.mark.parametrize("setting", ["KEIEI_LOCKOUT_ACCOUNT_FAILURES"])
def test_the_account_limit_is_a_setting(world: World, settings: Any, setting: str) -> None:
    settings.KEIEI_LOCKOUT_ACCOUNT_FAILURES = 2
    attempt(Client(), "adviser_a", "wrong")
    assert attempt(Client(), "adviser_a", "wrong").status_code == 429
