"""pytest-django: fast hashing, in-memory SQLite unless DATABASE_URL is set, nothing on disk.

`DATABASE_URL=postgresql://…` runs the same tests on PostgreSQL (scripts/with-postgres.sh).

Built documents are really kept (the `default` storage is in memory, per test process): a built
PDF is kept for the rest of the run, so the many tests that download the same plan's files build each one once
instead of once per test (a document takes a noticeable fraction of a second). That is safe because the cache key
holds everything the bytes depend on (keiei_web.plans.doccache). A test that must see a build
— counting builds, replacing a builder, planting a bad cached body — asks for the
`fresh_documents_cache` fixture (tests/web/conftest.py), which empties it before and after.
"""

from __future__ import annotations

import os
from typing import Any

from keiei_web.config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-any-real-installation-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's own type (the django-stubs plugin reads this module): the two branches' dicts differ.
DATABASES: dict[str, dict[str, Any]]
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dict(dj_database_url.parse(os.environ["DATABASE_URL"]))}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Tasks run inside the request that enqueues them (the download answers with the document at
# once, as before the queue); tests of the queue itself use the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AUTHENTICATION_BACKENDS = [
    "keiei_web.accounts.backends.TestClientLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
