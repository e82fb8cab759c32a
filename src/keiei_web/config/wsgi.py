"""WSGI entry point (waitress in `keiei serve`; any WSGI server in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keiei_web.config.settings.production")
application = get_wsgi_application()
