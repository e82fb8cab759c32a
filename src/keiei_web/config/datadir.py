"""Where keiei keeps its files: `KEIEI_DATA_DIR`, else `./var` under the current directory.

The SQLite database and the generated local SECRET_KEY live there, so one folder holds all
the state of a local installation (copy it to back up, delete it to start again).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_DIR = "var"
SQLITE_NAME = "keiei.sqlite3"
SECRET_FILE = "secret_key"


def data_dir() -> Path:
    return Path(os.environ.get("KEIEI_DATA_DIR") or Path.cwd() / DEFAULT_DIR).resolve()


def ensure_data_dir() -> Path:
    """The data dir, created readable by its owner only (0700): it holds the database with
    password hashes and sessions, the secret key and built documents of every case."""
    path = data_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, and make it readable and writable by its owner only.

    SQLite creates its -wal and -shm files with the database file's permissions, so making the
    database 0600 before the first connection keeps all three private.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


def local_secret_key() -> str:
    """A random key generated on first use and kept in the data dir (readable by the owner only).

    Sessions survive restarts, yet no key is ever committed or shared between installations.
    """
    path = ensure_data_dir() / SECRET_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def database_config(default_sqlite: Path | None = None) -> dict[str, object]:
    """`DATABASE_URL` when set (PostgreSQL in production), else SQLite in the data dir."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    path = default_sqlite or private_file(ensure_data_dir() / SQLITE_NAME)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Several worker processes with threads share the file (keiei_web.server). WAL lets
        # readers go on while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts, so two writers wait in turn (up to `timeout` seconds) instead of
        # one failing with "database is locked" halfway through.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "CONN_MAX_AGE": 600,  # a connection per worker thread, reused across requests
    }
