"""Sessions end when idle; a refused request is one log line without a traceback."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from keiei_web.cases.models import Case
from keiei_web.logfilters import DropTracebackOf403

from .conftest import World, advance, new_case


def test_sessions_end_after_thirty_idle_minutes_and_every_request_renews_them() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_is_logged_out(world: World) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    client.force_login(world.user("adviser_a"))
    assert client.get(reverse("cases:list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # 30 minutes passed
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_403_is_logged_as_one_line_without_a_traceback(world: World, caplog: Any) -> None:
    case: Case = advance(world, new_case(world, "405"), "drafting")
    client = Client()
    client.force_login(world.user("bank_main"))
    handler = logging.StreamHandler()
    handler.addFilter(DropTracebackOf403())
    records: list[str] = []
    handler.emit = lambda record: records.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        assert client.get(reverse("cases:history", kwargs={"case_id": case.pk})).status_code == 403
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1 and records[0].startswith("Forbidden")
    assert "Traceback" not in records[0] and "\n" not in records[0]


def test_the_settings_put_the_filter_on_the_console_handler() -> None:
    console = settings.LOGGING["handlers"]["console"]
    assert "no_403_traceback" in console["filters"]
