"""Built documents of frozen plan versions, kept so the next download does not build them again.

Why: a package of documents takes about a second to build (the plan PDF a quarter of it), and a version is immutable — banks, the
council and the adviser download the same files again and again. The cache (Django's cache
alias `documents`: files in the data folder for `keiei serve` and production, nothing kept in
tests unless a test turns it on) maps a key to the file's bytes.

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

from django.core.cache import caches

ALIAS = "documents"
_SUFFIXES = {".py", ".html", ".css", ".yaml", ".yml", ".json"}


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


def get_or_build(cache_key: str, build: Callable[[], bytes], *, check: Callable[[bytes], None]) -> bytes:
    """The cached bytes for `cache_key`, else `build()` — stored only when it succeeds.

    `check(body)` raises on a body that must not be served; it runs on a cached body before it
    is returned (a failing one is deleted) and on a new one before it is stored.
    """
    store = caches[ALIAS]
    body = store.get(cache_key)
    if isinstance(body, bytes):
        try:
            check(body)
        except Exception:
            store.delete(cache_key)
            raise
        return body
    body = build()
    check(body)
    store.set(cache_key, body)
    return body
