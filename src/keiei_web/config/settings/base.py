"""Settings shared by every environment. Environment modules import * from here."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/keiei_web

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "keiei_web.accounts",
    "keiei_web.cases",
    "keiei_web.plans",
    "keiei_web.ui",
    "keiei_web.public",
    "keiei_web.notices",
]
# 伴走支援 with actual figures (issue 13): books uploads, plan against actual, the portfolio.
INSTALLED_APPS += ["keiei_web.monitoring"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keiei_web.config.urls"
WSGI_APPLICATION = "keiei_web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keiei_web.ui.context.navigation",
                "keiei_web.notices.context.unread",
            ],
        },
    },
]

# DATABASES is set per environment (base must not touch the disk when imported).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): every failed login is recorded (keiei_web.accounts.lockout).
# An account is locked after LOCKOUT_ACCOUNT_FAILURES failures, an address after
# LOCKOUT_ADDRESS_FAILURES (offices share one address, so it gets more room); both for
# LOCKOUT_MINUTES, or until council staff or an operator unlocks the account in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
KEIEI_LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("KEIEI_LOCKOUT_ACCOUNT_FAILURES", "5"))
KEIEI_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("KEIEI_LOCKOUT_ADDRESS_FAILURES", "30"))
KEIEI_LOCKOUT_MINUTES = int(os.environ.get("KEIEI_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "keiei_web.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = KEIEI_LOCKOUT_ADDRESS_FAILURES  # the handler scales account failures to it
AXES_COOLOFF_TIME = timedelta(minutes=KEIEI_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keiei_web.accounts.lockout.lockout_response"
AXES_VERBOSE = False  # keiei logs one English line per lockout itself
AXES_ENABLE_ADMIN = True
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]
# Behind the reverse proxy of a real deployment the client address is in X-Forwarded-For;
# on one's own machine (keiei serve on 127.0.0.1) REMOTE_ADDR is the client.
KEIEI_BEHIND_PROXY = os.environ.get("KEIEI_BEHIND_PROXY") == "1"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if KEIEI_BEHIND_PROXY else ("REMOTE_ADDR",)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ui:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Japanese is the language of every page; source strings are Japanese and pass through
# gettext_lazy so that another catalogue (e.g. English) can be added without touching code.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

# Idle sessions end: a session lasts KEIEI_SESSION_IDLE_MINUTES (default 30) after the last
# request (every request renews it), and always ends when the browser closes.
KEIEI_SESSION_IDLE_MINUTES = int(os.environ.get("KEIEI_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = KEIEI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Request bodies (deliberate, see docs/web.md "Limits"). A form post's body may hold the JSON
# editor's text of a plan of keiei.limits.MAX_BYTES (2 MB); URL-encoding triples the bytes of
# Japanese text, so 7 MB; Django refuses more (400) before parsing. File uploads do not count
# here: the import view refuses a body over the file limit before reading it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 7_000_000
# Fields of one post: the largest step form, the cash table, has one field per account and
# month (72 months × 100 accounts stay below); Django's default of 1,000 refused a two-year
# cash table of 40 accounts. The step views answer a larger post with a Japanese 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# "Today" for deadlines and default dates. None means the real date in TIME_ZONE; tests and
# demos may fix it (ISO date) so results never depend on when they run. See keiei_web.clock.
KEIEI_TODAY: str | None = None

# --- Several app servers (issue 15; docs/deploy.md) -------------------------------------------
# Nothing an app server keeps locally is needed by another: sessions and the cache live in the
# database (or Redis when KEIEI_REDIS_URL names one), built documents and uploads go through
# Django's storage API (`default`: a folder every app server shares — the data folder's `files/`
# or KEIEI_MEDIA_ROOT; S3-compatible through django-storages with KEIEI_STORAGE=s3), and slow
# work (document builds, council-wide re-checks) runs as tasks (keiei_web.jobs) in a queue that
# is a table of the same database. Kept in one block so other settings edits merge around it.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "keiei_web.jobs"]

KEIEI_REDIS_URL = os.environ.get("KEIEI_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = (  # Django's own type: each environment may add options
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": KEIEI_REDIS_URL}}
    if KEIEI_REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "keiei_cache"}}
)
# Sessions in the database (Django's default, said here because it is what makes a user's
# session survive the app server that created it); with Redis, read through the cache first.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if KEIEI_REDIS_URL else "django.contrib.sessions.backends.db"
)


def default_storage() -> dict[str, Any]:
    """The `default` storage: S3-compatible (KEIEI_STORAGE=s3, django-storages; the AWS_* /
    KEIEI_S3_* variables below) or a folder (KEIEI_MEDIA_ROOT, else `files/` in the data folder)
    that every app server and worker mounts. Files are private to the owner (0600/0700)."""
    if os.environ.get("KEIEI_STORAGE", "").lower() == "s3":
        options = {
            "bucket_name": os.environ.get("KEIEI_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("KEIEI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KEIEI_S3_REGION") or None,
            "location": os.environ.get("KEIEI_S3_PREFIX", "keiei"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    from keiei_web.config.datadir import data_dir

    location = os.environ.get("KEIEI_MEDIA_ROOT") or str(data_dir() / "files")
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}


STORAGES: dict[str, dict[str, Any]] = {
    "default": default_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_ROOT = STORAGES["default"].get("OPTIONS", {}).get("location", "")

#: Built documents of frozen plan versions are kept in the `default` storage
#: (keiei_web.plans.doccache); False keeps nothing (every download builds).
KEIEI_KEEP_DOCUMENTS = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
#: A running task's lease (keiei_web.jobs.leases): renewed every third of it; a task whose lease
#: is older is put back in the queue by any worker, at most KEIEI_TASK_MAX_ATTEMPTS times.
KEIEI_TASK_LEASE_SECONDS = int(os.environ.get("KEIEI_TASK_LEASE_SECONDS", "30"))
KEIEI_TASK_MAX_ATTEMPTS = int(os.environ.get("KEIEI_TASK_MAX_ATTEMPTS", "3"))
# --- end of the several-app-servers block ---------------------------------------------------

# --- E-mail of notices (keiei_web.notices; docs/deploy.md "E-mail") ---------------------------
# Printed to the console unless an SMTP host is given; the links in each e-mail start with
# KEIEI_SITE_URL (the address people open the site at). The body never holds plan figures.
KEIEI_SITE_URL = os.environ.get("KEIEI_SITE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("KEIEI_SMTP_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("KEIEI_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KEIEI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KEIEI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KEIEI_SMTP_TLS", "starttls") == "starttls"
EMAIL_USE_SSL = os.environ.get("KEIEI_SMTP_TLS", "starttls") == "ssl"
EMAIL_TIMEOUT = int(os.environ.get("KEIEI_SMTP_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("KEIEI_MAIL_FROM", "keiei <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, e.g. a bank opening another bank's consent) is an expected event:
    # one line, without the traceback Django attaches to it.
    "filters": {"no_403_traceback": {"()": "keiei_web.logfilters.DropTracebackOf403"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_403_traceback"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
