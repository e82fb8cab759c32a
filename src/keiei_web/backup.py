"""`keiei backup` and `keiei restore`: the whole installation in one file, and back.

What one backup file holds (a gzip-compressed tar, written 0600 because it holds password
hashes):

- `manifest.json`: the format, keiei's version, the database vendor it came from, the applied
  migrations, how many records of each model, and the SHA-256 of every other member;
- `database.json`: every record, as Django's `dumpdata` writes it (primary keys kept, so case
  numbers K-00012 stay the same; content types and permissions by natural key, since `migrate`
  recreates them). Sessions and login-failure records are left out: they are transient, and a
  restored installation starts with everyone logged out;
- `files/…`: the data folder (built documents, uploads) except the SQLite database itself and
  the generated secret key (a restored installation makes its own; only sessions depend on it).

Why `dumpdata` rather than the database's own dump: one format for SQLite and PostgreSQL, so a
backup of a laptop installation restores onto a PostgreSQL server and back. The dump is read
in one transaction (PostgreSQL: REPEATABLE READ, READ ONLY), so it is one consistent moment.

A restore goes onto an empty installation only (an empty data folder; a database with no
users and no cases), checks every member against the manifest before touching anything,
loads everything in one transaction, then checks that every frozen plan version's SHA-256
still matches its content (a mismatch rolls the restore back unless `allow_mismatch`) and
reports what was restored. The audit trail's hash chain is verified too (`keiei audit verify`);
a broken chain is reported (exit status 1), not rolled back: the trail is evidence as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "keiei-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.json"
FILES = "files/"
#: Left out of the dump: recreated by `migrate`, or transient.
EXCLUDED_MODELS = ("contenttypes", "auth.permission", "sessions", "axes")
#: Files of the data folder that are not copied: the SQLite database (it is in database.json)
#: and the local secret key.
SKIPPED_FILES = ("keiei.sqlite3", "keiei.sqlite3-wal", "keiei.sqlite3-shm", "keiei.sqlite3-journal", "secret_key")


class BackupError(Exception):
    """A backup or restore that cannot go on; `message_ja` is the one line a user reads."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_en} ({message_ja})")
        self.message_ja = message_ja
        self.message_en = message_en


@dataclass
class Report:
    """What a backup wrote or a restore loaded: counts by model, files, version checks."""

    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    versions_checked: int = 0
    version_mismatches: list[str] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        labels = {
            "accounts.user": "利用者",
            "cases.case": "案件",
            "cases.caseevent": "操作履歴",
            "plans.planversion": "計画の版",
            "cases.paymentclaim": "支払申請",
            "cases.monitoringsession": "伴走支援の回",
        }
        out = [f"{label}: {self.counts.get(key, 0):,}件" for key, label in labels.items()]
        out.append(f"レコード合計: {sum(self.counts.values()):,}件（{len(self.counts)}種類）")
        out.append(f"データフォルダのファイル: {self.files:,}個")
        ok = self.versions_checked - len(self.version_mismatches)
        out.append(f"計画の版の SHA-256: {ok:,}/{self.versions_checked:,} 件一致")
        out += [f"  不一致: {m}" for m in self.version_mismatches]
        out += [f"  操作履歴: {p}" for p in self.audit_problems]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": dict(sorted(self.counts.items())),
            "files": self.files,
            "versions_checked": self.versions_checked,
            "version_mismatches": self.version_mismatches,
            "audit_problems": self.audit_problems,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_files(root: Path, exclude: Path | None = None) -> Iterator[Path]:
    """Regular files of the data folder to copy, in a stable order (no symlinks followed)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.parent == root and path.name in SKIPPED_FILES:
            continue
        if exclude is not None and path.resolve() == exclude:
            continue
        yield path


def _applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"))


def _dump(out: Path) -> None:
    """dumpdata of every model but the excluded ones, in one consistent read."""
    from django.core.management import call_command
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            exclude=list(EXCLUDED_MODELS),
            natural_foreign=True,
            output=str(out),
            verbosity=0,
        )


def _counts(dump: Path) -> dict[str, int]:
    with dump.open(encoding="utf-8") as fh:
        return dict(Counter(str(obj["model"]) for obj in json.load(fh)))


def check_versions(report: Report) -> None:
    """Every frozen plan version's stored SHA-256 against its content (keiei_web.plans.versioning)."""
    from keiei_web.plans.models import PlanVersion
    from keiei_web.plans.versioning import sha256_of

    for version in PlanVersion.objects.select_related("case").order_by("case_id", "number"):
        report.versions_checked += 1
        if sha256_of(version.data) != version.sha256:
            report.version_mismatches.append(f"{version.case.reference} 第{version.number}版")


def _check_audit(report: Report) -> None:
    """The audit trail's hash chain of every case (keiei_web.cases.auditchain, `keiei audit verify`)."""
    from keiei_web.cases.auditchain import verify

    report.audit_problems = [p.line() for p in verify().problems]


def backup(target: Path, data_dir: Path) -> Report:
    """Write the backup file `target` (refusing to overwrite one) and report what it holds."""
    if target.exists():
        raise BackupError(f"{target} はすでにあります。別の名前を指定してください", f"backup file exists: {target}")
    report = Report()
    with tempfile.TemporaryDirectory(prefix="keiei-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        _dump(dump)
        report.counts = _counts(dump)
        members: dict[str, str] = {DATABASE: _sha256(dump)}
        files = list(_data_files(data_dir, exclude=target.resolve()))
        for path in files:
            members[FILES + path.relative_to(data_dir).as_posix()] = _sha256(path)
        report.files = len(files)
        check_versions(report)
        from django.db import connection

        from keiei import __version__

        manifest = {
            "format": FORMAT,
            "keiei_version": __version__,
            "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "database_vendor": connection.vendor,
            "migrations": _applied_migrations(),
            "counts": dict(sorted(report.counts.items())),
            "members": members,
        }
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                tar.addfile(info, io.BytesIO(body))
                tar.add(dump, arcname=DATABASE, recursive=False)
                for path in files:
                    tar.add(path, arcname=FILES + path.relative_to(data_dir).as_posix(), recursive=False)
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return report


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        fh = tar.extractfile(member)
        manifest = json.loads(fh.read() if fh else b"")
    except (KeyError, ValueError) as exc:
        raise BackupError(
            "keiei のバックアップファイルではありません（manifest.json がありません）", str(exc)
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("keiei のバックアップファイルの形式が違います", f"unknown format: {manifest!r:.80}")
    return manifest


def _extract(source: Path, into: Path) -> dict[str, Any]:
    """Extract into `into` (a private temporary folder) after checking every member's SHA-256."""
    try:
        tar = tarfile.open(source, mode="r:gz")  # noqa: SIM115  (closed by the `with tar` below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"バックアップファイルを開けません（{exc}）", f"cannot open backup: {exc}") from None
    with tar:
        manifest = _read_manifest(tar)
        members: dict[str, str] = manifest.get("members") or {}
        names = {m.name for m in tar.getmembers()} - {MANIFEST}
        if names != set(members):
            raise BackupError(
                "バックアップファイルの中身が目録（manifest.json）と合いません",
                f"members differ: {sorted(names ^ set(members))[:5]}",
            )
        try:
            tar.extractall(into, filter="data")  # refuses absolute paths, "..", links out of `into`
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"バックアップファイルを展開できません（{exc}）", f"cannot extract: {exc}") from None
    for name, digest in members.items():
        if _sha256(into / name) != digest:
            raise BackupError(
                f"バックアップファイルが壊れています（{name} の SHA-256 が違います）", f"checksum mismatch: {name}"
            )
    return manifest


def _installation_is_empty(data_dir: Path) -> None:
    from django.contrib.auth import get_user_model

    from keiei_web.cases.models import Case

    leftovers = [p for p in _data_files(data_dir)]
    if leftovers:
        raise BackupError(
            f"復元先のデータフォルダ {data_dir} が空ではありません（{len(leftovers)}個のファイル）。空のフォルダに復元してください",
            f"data dir not empty: {data_dir}",
        )
    if get_user_model().objects.exists() or Case.objects.exists():
        raise BackupError(
            "復元先のデータベースにすでに利用者か案件があります。空のデータベースに復元してください",
            "database not empty",
        )


def restore(source: Path, data_dir: Path, *, allow_mismatch: bool = False) -> Report:
    """Restore `source` onto the empty installation at `data_dir` and the configured database."""
    from django.core.management import call_command
    from django.db import transaction

    if not source.is_file():
        raise BackupError(f"{source} が見つかりません", f"backup file not found: {source}")
    call_command("migrate", interactive=False, verbosity=0)
    _installation_is_empty(data_dir)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="keiei-restore-") as tmp:
        work = Path(tmp)
        _extract(source, work)
        report.counts = _counts(work / DATABASE)
        copied: list[Path] = []
        try:
            with transaction.atomic():
                call_command("loaddata", str(work / DATABASE), verbosity=0)
                check_versions(report)
                if report.version_mismatches and not allow_mismatch:
                    raise BackupError(
                        "計画の版の SHA-256 が内容と一致しないため、復元を取り消しました: "
                        + "、".join(report.version_mismatches[:5]),
                        f"plan version hash mismatch: {report.version_mismatches[:5]}",
                    )
                _check_audit(report)
                files_root = work / FILES
                for path in _data_files(files_root) if files_root.is_dir() else ():
                    dest = data_dir / path.relative_to(files_root)
                    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    shutil.copy2(path, dest)
                    copied.append(dest)
                report.files = len(copied)
        except BaseException:
            for dest in copied:
                dest.unlink(missing_ok=True)
            raise
    return report
