"""`keiei serve` and `python -m keiei_web.manage` on one's own machine.

DEBUG stays off unless KEIEI_DEBUG=1, because `keiei serve` is what users run and a user must
never see a traceback. Static files come straight from the apps through whitenoise's finders,
so no collectstatic step is needed.
"""

from __future__ import annotations

import os

from keiei_web.config.datadir import database_config, local_secret_key
from keiei_web.config.settings.base import *  # noqa: F403

DEBUG = os.environ.get("KEIEI_DEBUG", "") in ("1", "true", "yes")
DATABASES = {"default": database_config()}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
