"""Built documents of frozen plan versions, kept so the next download does not build them again.

Why: a package of documents takes about a second to build, and a version is immutable — banks, the council and
the adviser download the same files again and again. Built files are kept in Django's
`default` storage (a folder every app server shares, or S3-compatible storage; see
docs/deploy.md) under `documents/<key>`, so a document built by one app server or worker is
served by every other; `KEIEI_KEEP_DOCUMENTS = False` keeps nothing.

Each stored file is the body followed by its SHA-256 (32 bytes): a file cut short by a worker
killed while writing it, or changed behind keiei's back, does not match and is dropped rather
than served — the storage API has no atomic rename, so the file checks itself.

The key holds everything the bytes depend on, so a hit is always the file a build would give:
- the version's SHA-256 (its plan data) and the format (`xlsx`, `pdf`, `forms`, a form key);
- the case's details as the core sees them (`repr` of `corecase.core_case`: applicant, adviser,
  council, dates — the application date the check uses among them — and fees);
- a stamp of the code and data that build documents: every source, template and rules file of
  the `keiei` package (its bytes, hashed once per process). Upgrading keiei or changing a rule
  file therefore never serves a stale document.

Every body is checked (`check`, in practice `keiei.documents.safety.ensure_safe`: no attached
file, no external reference) after a build before it is stored, and again when it is read
back before it is served: the files live in the data folder, and a body that fails is dropped
from the cache rather than served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

FOLDER = "documents"
_SUFFIXES = {".py", ".html", ".css", ".yaml", ".yml", ".json", ".typ"}
_DIGEST = 32


@cache
def code_stamp() -> str:
    """SHA-256 over the keiei package's sources, templates and rule files (path and bytes)."""
    root = Path(str(resources.files("keiei")))
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def key(version_sha256: str, fmt: str, *details: Any) -> str:
    parts = [code_stamp(), version_sha256, fmt, *(repr(d) for d in details)]
    return "doc:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class DocumentStore:
    """Built documents by key in the `default` storage (get, set, delete, clear)."""

    @property
    def storage(self) -> Storage:
        return storages["default"]

    def name(self, cache_key: str) -> str:
        return f"{FOLDER}/{cache_key.removeprefix('doc:')}"

    def get(self, cache_key: str) -> bytes | None:
        """The stored body, or None (missing, disabled, or a file that fails its own SHA-256)."""
        if not settings.KEIEI_KEEP_DOCUMENTS:
            return None
        name = self.name(cache_key)
        try:
            with self.storage.open(name, "rb") as fh:
                data = bytes(fh.read())
        except (FileNotFoundError, OSError):
            return None
        body, digest = data[:-_DIGEST], data[-_DIGEST:]
        if len(data) < _DIGEST or hashlib.sha256(body).digest() != digest:
            self.delete(cache_key)  # half-written (a killed worker) or changed: build again
            return None
        return body

    def set(self, cache_key: str, body: bytes) -> None:
        """Store `body` under `cache_key`, replacing what was there (the same bytes, or a broken file)."""
        if not settings.KEIEI_KEEP_DOCUMENTS:
            return
        name = self.name(cache_key)
        self.storage.delete(name)  # FileSystemStorage would otherwise save under another name
        saved = self.storage.save(name, ContentFile(body + hashlib.sha256(body).digest()))
        if saved != name:  # another process stored it between delete and save: keep one copy
            self.storage.delete(saved)

    def delete(self, cache_key: str) -> None:
        self.storage.delete(self.name(cache_key))

    def clear(self) -> None:
        """Remove every stored document (tests, and an operator making room)."""
        try:
            _dirs, files = self.storage.listdir(FOLDER)
        except (FileNotFoundError, OSError):
            return
        for name in files:
            self.storage.delete(f"{FOLDER}/{name}")


def store() -> DocumentStore:
    return DocumentStore()


def get(cache_key: str, *, check: Callable[[bytes], None]) -> bytes | None:
    """The stored, checked body for `cache_key`, or None when nothing is stored.

    `check(body)` raises on a body that must not be served; a failing body is deleted first.
    """
    documents = store()
    body = documents.get(cache_key)
    if body is None:
        return None
    try:
        check(body)
    except Exception:
        documents.delete(cache_key)
        raise
    return body


def put(cache_key: str, body: bytes, *, check: Callable[[bytes], None]) -> bytes:
    """Check a freshly built `body` and store it (nothing is stored when the check raises)."""
    check(body)
    store().set(cache_key, body)
    return body


def get_or_build(cache_key: str, build: Callable[[], bytes], *, check: Callable[[bytes], None]) -> bytes:
    """The stored bytes for `cache_key`, else `build()` — stored only when it passes `check`.

    Runs the build in the caller (the document tasks call it; see keiei_web.jobs.tasks).
    """
    body = get(cache_key, check=check)
    if body is not None:
        return body
    return put(cache_key, build(), check=check)
