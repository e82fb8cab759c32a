"""WSGI entry point (gunicorn in `keiei serve`; any WSGI server in production).

Under production settings the app refuses to load while a demo account (published password)
exists in the database (keiei_web.demo.refuse_demo_users). A database that cannot be reached at
load time is not a reason to refuse: the check runs again at the next load.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keiei_web.config.settings.production")
application = get_wsgi_application()

from keiei_web import demo  # noqa: E402  (needs the app registry loaded above)

try:
    demo.refuse_demo_users()
except DatabaseError as exc:  # pragma: no cover - depends on the database being down
    logging.getLogger("keiei_web.security").warning("demo account check skipped: database unavailable (%s)", exc)
