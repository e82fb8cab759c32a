"""`keiei serve`: first-start demo load, the printed logins, the command line (no server started)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from keiei.cli import build_parser, main
from keiei_web import demo, server
from keiei_web.accounts.models import User
from keiei_web.cases.models import Case, CaseEvent
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanVersion

DEMO_DAY = dt.date(2026, 5, 15)


@pytest.mark.django_db
def test_first_start_loads_the_demo_once(settings: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    assert demo.needs_demo()
    assert demo.load_if_empty() is True
    assert demo.load_if_empty() is False  # second start: nothing added
    assert User.objects.count() == len(demo.DEMO_USERS)
    assert sorted(set(User.objects.values_list("role", flat=True))) == ["adviser", "bank", "company", "council"]
    states = dict(Case.objects.values_list("company__name", "state"))
    assert states == {
        "株式会社あおば食品": State.MONITORING,
        "浪速精工株式会社": State.BANK_MEETING,
        "有限会社みなと運送": State.APPLIED,
    }
    naniwa = Case.objects.get(company__name="浪速精工株式会社")
    assert list(PlanVersion.objects.filter(case=naniwa).values_list("number", flat=True)) == [1, 2]
    assert CaseEvent.objects.filter(case=naniwa, action="bank_response").count() == 3
    # events carry the business dates of the replayed history, not the load time
    first = CaseEvent.objects.filter(case=naniwa).order_by("at").first()
    assert first is not None and first.at.date() == DEMO_DAY - dt.timedelta(days=760)


@pytest.mark.django_db
def test_every_demo_login_works_and_lands_on_its_dashboard(settings: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    demo.load(DEMO_DAY)
    for login in demo.logins():
        client = Client()
        assert client.login(username=login.username, password=login.password), login.username
        response = client.get("/", follow=True)
        assert response.status_code == 200, login.username


@pytest.mark.django_db
def test_the_banner_prints_every_role_with_username_and_password(settings: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    demo.load(DEMO_DAY)
    out = io.StringIO()
    server.banner(8123, True, out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    for role in ("協議会", "認定支援機関", "事業者", "金融機関"):
        assert role in text
    for username, *_ in demo.DEMO_USERS:
        assert username in text
    assert demo.DEMO_PASSWORD in text


@pytest.mark.django_db
def test_prepare_migrates_and_loads(settings: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    assert server.prepare(load_demo=False) is False
    assert not Case.objects.exists()
    assert server.prepare(load_demo=True) is True
    assert Case.objects.count() == 3


@pytest.mark.django_db
def test_the_demo_is_loaded_by_default_only_on_the_sqlite_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert server.demo_by_default() is (connection_vendor() == "sqlite")
    monkeypatch.setenv("DATABASE_URL", "postgresql://keiei@db.example/keiei")
    assert server.demo_by_default() is False
    assert server.prepare() is False  # a first start on a named database loads no demo accounts
    assert not User.objects.exists()


@pytest.mark.django_db
def test_production_settings_refuse_demo_accounts(settings: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    settings.KEIEI_REFUSE_DEMO_USERS = True
    assert server.prepare(load_demo=False) is False  # no demo account: starts
    with pytest.raises(demo.DemoUsersPresent) as refused:
        server.prepare(load_demo=True)
    assert "council" in refused.value.names and "本番の設定では起動しません" in refused.value.message_ja
    for user in User.objects.filter(username__in=refused.value.names):  # they acted on cases: rename them
        user.username = f"renamed-{user.username}"
        user.set_password("a-new-private-password")
        user.save()
    server.prepare(load_demo=False)  # no demo account left: starts again


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def test_serve_is_a_subcommand_with_a_port() -> None:
    args = build_parser().parse_args(["serve", "--port", "8765", "--no-demo"])
    assert (args.command, args.port, args.no_demo, args.demo) == ("serve", 8765, True, False)
    assert build_parser().parse_args(["serve", "--demo"]).demo is True


def test_a_bad_port_is_one_japanese_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("エラー: --port:") and err.count("\n") == 1


def test_the_core_cli_does_not_import_django() -> None:
    import subprocess
    import sys

    code = "import sys, keiei.cli; keiei.cli.build_parser(); print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
