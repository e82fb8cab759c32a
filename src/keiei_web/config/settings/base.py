"""Settings shared by every environment. Environment modules import * from here."""

from __future__ import annotations

from pathlib import Path

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
    "keiei_web.accounts",
    "keiei_web.cases",
    "keiei_web.plans",
    "keiei_web.ui",
]

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

#: `documents`: built documents of frozen plan versions (keiei_web.plans.doccache). Nothing is
#: kept unless an environment's settings give it a store (local and production: files).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "documents": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def document_cache(location: str) -> dict[str, object]:
    """Files in `location`, kept until evicted (the oldest third goes past MAX_ENTRIES)."""
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": location,
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
