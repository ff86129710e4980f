"""Test settings: production settings (TLS on, demo accounts off) with a fast hasher.

The database comes from DATABASE_URL, which `make test` sets (the embedded server, or yours).
"""

import os

os.environ.setdefault("CDM_MODE", "production")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "true")

from citedesmetiers.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the source folders, as `runserver` does: no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = VAR_DIR / "static-tests"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_SEND_IN_BACKGROUND = False  # sent in the test's own thread, so tests read the outbox at once
SITE_URL = "https://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}
# Several test sessions at once (a helper's, a benchmark's) each need a test database of their own.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}  # noqa: F405
