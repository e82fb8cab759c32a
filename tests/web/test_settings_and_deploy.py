"""Settings: production passes `check --deploy`, local keeps its data in the data dir, and the
migrations match the models. Each check runs `python -m keiei_web.manage` in a subprocess, as a
person would, with a temporary data dir (nothing is written to the checkout).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def manage(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")} | env
    return subprocess.run(
        [sys.executable, "-m", "keiei_web.manage", *args],
        env=full,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "keiei_web.config.settings.production",
        "DJANGO_SECRET_KEY": "x7#Lq9@vP2!rN5$kW8^zT3&mB6*hJ4(cF1)yD0_sG-eU+aQ=iO~nR]tY[wX}lK{pV|",
        "DJANGO_ALLOWED_HOSTS": "keiei.example.jp",
        "KEIEI_DATA_DIR": str(tmp_path / "data"),
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "keiei_web.config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "keiei.example.jp",
        "DJANGO_SECRET_KEY": "",
        "KEIEI_DATA_DIR": str(tmp_path / "data"),
    }
    result = manage("check", env=env, cwd=tmp_path)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_local_settings_keep_the_database_and_a_generated_key_in_the_data_dir(tmp_path: Path) -> None:
    env = {"KEIEI_DATA_DIR": str(tmp_path / "data"), "DJANGO_SECRET_KEY": ""}
    result = manage("migrate", "--noinput", "-v", "0", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert (data / "keiei.sqlite3").is_file()
    key = (data / "secret_key").read_text().strip()
    assert len(key) >= 50 and (data / "secret_key").stat().st_mode & 0o077 == 0
    again = manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env, cwd=tmp_path)
    assert again.stdout.strip().splitlines()[-1] == key  # the same key on the next start
    # the data dir and the database (password hashes, sessions) are the owner's only
    assert data.stat().st_mode & 0o077 == 0
    assert (data / "keiei.sqlite3").stat().st_mode & 0o077 == 0


def test_production_app_refuses_to_load_with_a_demo_account(tmp_path: Path) -> None:
    db = tmp_path / "prod.sqlite3"
    env = {
        "DJANGO_SETTINGS_MODULE": "keiei_web.config.settings.production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "keiei.example.jp",
        "KEIEI_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{db}",
    }
    assert manage("migrate", "--noinput", "-v", "0", env=env, cwd=tmp_path).returncode == 0
    load = "import keiei_web.config.wsgi; print('loaded')"
    full = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    ok = subprocess.run([sys.executable, "-c", load], env=full, cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0 and "loaded" in ok.stdout, ok.stderr
    make = "from keiei_web.accounts.models import User; User.objects.create(username='adviser1')"
    assert manage("shell", "-c", make, env=env, cwd=tmp_path).returncode == 0
    refused = subprocess.run([sys.executable, "-c", load], env=full, cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode != 0 and "loaded" not in refused.stdout
    assert "DemoUsersPresent" in refused.stderr and "adviser1" in refused.stderr


def test_local_data_dir_defaults_to_var_under_the_current_directory(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    env = {"DJANGO_SECRET_KEY": "k" * 60, "KEIEI_DATA_DIR": ""}
    result = manage("shell", "-c", code, env=env, cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "var" / "keiei.sqlite3"), result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
