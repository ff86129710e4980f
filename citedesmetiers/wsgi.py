"""WSGI entry point for gunicorn: `gunicorn citedesmetiers.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citedesmetiers.settings")

application = get_wsgi_application()

from citedesmetiers.operations import timeouts, warm_up  # noqa: E402 (needs the settings loaded above)

timeouts.install()
warm_up.load()
