"""`keiei backup` / `keiei restore`: one file, onto an empty installation, every version's hash checked."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from keiei_web import backup
from keiei_web.cases.models import Case, CaseEvent
from keiei_web.plans.models import PlanVersion

from .conftest import World, advance, new_case


def _snapshot() -> dict[str, object]:
    return {
        "cases": sorted(Case.objects.values_list("pk", "state", "company__name")),
        "events": CaseEvent.objects.count(),
        "versions": sorted(PlanVersion.objects.values_list("case_id", "number", "sha256")),
    }


@pytest.fixture
def installation(transactional_db: None, world: World, tmp_path: Path) -> Path:
    advance(world, new_case(world, "405"), "monitoring", revise_once=True)
    advance(world, new_case(world, "early", company="b"), "bank_meeting")
    data = tmp_path / "data"
    (data / "cache" / "documents").mkdir(parents=True)
    (data / "cache" / "documents" / "built.djcache").write_bytes(b"%PDF-1.7 built document")
    (data / "keiei.sqlite3").write_bytes(b"not copied: the database is in database.json")
    (data / "secret_key").write_text("not copied")
    return data


def test_a_backup_restores_onto_an_empty_installation(installation: Path, tmp_path: Path) -> None:
    before = _snapshot()
    target = tmp_path / "keiei.tar.gz"
    written = backup.backup(target, installation)
    assert target.stat().st_mode & 0o077 == 0
    assert written.versions_checked == 3 and not written.version_mismatches
    assert written.counts["cases.case"] == 2 and written.files == 1
    with tarfile.open(target) as tar:
        names = set(tar.getnames())
    assert names == {"manifest.json", "database.json", "files/cache/documents/built.djcache"}

    call_command("flush", interactive=False, verbosity=0)
    assert not Case.objects.exists()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    restored = backup.restore(target, fresh)
    assert _snapshot() == before
    assert restored.counts == written.counts and restored.files == 1
    assert restored.versions_checked == 3 and not restored.version_mismatches
    assert (fresh / "cache" / "documents" / "built.djcache").read_bytes() == b"%PDF-1.7 built document"
    assert "案件: 2件" in restored.lines()


def test_restore_refuses_a_folder_or_database_that_is_not_empty(installation: Path, tmp_path: Path) -> None:
    target = tmp_path / "keiei.tar.gz"
    backup.backup(target, installation)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with pytest.raises(backup.BackupError, match="データベース"):
        backup.restore(target, fresh)  # the cases are still there
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(backup.BackupError, match="データフォルダ"):
        backup.restore(target, installation)  # built documents already there
    assert not Case.objects.exists()


def test_a_changed_version_is_found_and_the_restore_rolled_back(installation: Path, tmp_path: Path) -> None:
    version = PlanVersion.objects.order_by("pk").first()
    assert version is not None
    with connection.cursor() as cursor:  # behind the ORM's back, as a tampered database would be
        cursor.execute(
            "UPDATE plans_planversion SET data = %s WHERE id = %s", [json.dumps({"program": "405"}), version.pk]
        )
    target = tmp_path / "keiei.tar.gz"
    written = backup.backup(target, installation)
    assert written.version_mismatches == [f"{version.case.reference} 第{version.number}版"]
    call_command("flush", interactive=False, verbosity=0)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with pytest.raises(backup.BackupError, match="SHA-256"):
        backup.restore(target, fresh)
    assert not Case.objects.exists() and not any(fresh.iterdir())
    allowed = backup.restore(target, fresh, allow_mismatch=True)
    assert allowed.version_mismatches == written.version_mismatches and Case.objects.count() == 2


def test_a_damaged_or_foreign_file_is_refused_before_anything_changes(installation: Path, tmp_path: Path) -> None:
    target = tmp_path / "keiei.tar.gz"
    backup.backup(target, installation)
    call_command("flush", interactive=False, verbosity=0)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    # a member changed after the backup was written
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(target) as src, tarfile.open(damaged, "w:gz") as out:
        for member in src.getmembers():
            body = src.extractfile(member)
            data = body.read() if body else b""
            if member.name == "database.json":
                data = data.replace(b"\\u682a\\u5f0f", b"XX") if b"\\u682a" in data else data + b" "
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    with pytest.raises(backup.BackupError, match="壊れています"):
        backup.restore(damaged, fresh)
    # a file with a path escaping the folder
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as out:
        manifest = json.dumps({"format": backup.FORMAT, "members": {"../escape": "0"}}).encode()
        for name, body in (("manifest.json", manifest), ("../escape", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            out.addfile(info, io.BytesIO(body))
    with pytest.raises(backup.BackupError):
        backup.restore(evil, fresh)
    assert not (tmp_path / "escape").exists()
    not_ours = tmp_path / "plain.tar.gz"
    not_ours.write_bytes(b"hello")
    with pytest.raises(backup.BackupError, match="開けません"):
        backup.restore(not_ours, fresh)
    assert not Case.objects.exists() and not any(fresh.iterdir())
    with pytest.raises(backup.BackupError, match="すでにあります"):
        backup.backup(target, installation)


def test_the_commands_round_trip_a_local_installation(tmp_path: Path) -> None:
    """`keiei backup` then `keiei restore` as a person runs them (SQLite data folders, demo data)."""
    import os
    import subprocess
    import sys

    def keiei(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        env |= {"KEIEI_DATA_DIR": str(data), "KEIEI_TODAY": "2026-05-15"}
        code = "import sys; from keiei.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300)

    source = tmp_path / "source"
    load = "from keiei_web import server; server.setup(); server.prepare(load_demo=True)"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    subprocess.run([sys.executable, "-c", load], env=env | {"KEIEI_DATA_DIR": str(source)}, check=True, timeout=300)
    made = keiei("backup", str(tmp_path / "b.tar.gz"), "--json", data=source)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["counts"]["cases.case"] == 3
    restored = keiei("restore", str(tmp_path / "b.tar.gz"), "--json", data=tmp_path / "target")
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout)
    assert report["counts"]["cases.case"] == 3 and report["versions_checked"] == 3 and not report["version_mismatches"]
    again = keiei("restore", str(tmp_path / "b.tar.gz"), data=tmp_path / "target")
    assert again.returncode == 2 and again.stderr.startswith("エラー: ") and again.stderr.count("\n") == 1
