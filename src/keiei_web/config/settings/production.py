"""Production: behind a TLS-terminating proxy, PostgreSQL via DATABASE_URL.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma separated). Static files
are collected (`collectstatic`) and served by whitenoise with hashed names. Passes
`manage.py check --deploy` (tests/web/test_deploy_check.py).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from keiei_web.config.datadir import data_dir, database_config
from keiei_web.config.settings.base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production settings.")
    return value


DEBUG = False
DATABASES = {"default": database_config()}
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# The load balancer asks each app server directly over plain HTTP (docs/deploy.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True


STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or str(data_dir() / "static")
STORAGES = {
    **STORAGES,  # noqa: F405  (default: the shared folder or S3, base.default_storage)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    **LOGGING,  # noqa: F405  (the 403 filter)
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

#: Production refuses to start while a demo account exists (keiei_web.demo.refuse_demo_users):
#: their password is published in the README.
KEIEI_REFUSE_DEMO_USERS = True
