"""Settings for every environment, driven by environment variables (documented in docs/configuration.md).

CDM_MODE chooses the defaults: `production` (the default: nothing is assumed, TLS on), `demo`
(`make run`: demo accounts, a generated secret key kept under var/) or `dev` (`make dev`).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from citedesmetiers import proxy
from citedesmetiers.operations import localdb
from citedesmetiers.operations.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


BOOLEANS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def env_bool(name: str, default: bool) -> bool:
    """Reads a yes/no variable: 1, true, yes, on mean yes; 0, false, no, off mean no (any case); anything
    else is refused at start-up, so that a typo (`HTTPS=ture`) cannot silently turn a protection off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word not in BOOLEANS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(BOOLEANS)}, not {value!r}.")
    return BOOLEANS[word]


def env_secret(name: str, default: str = "") -> str:
    """A secret from the variable NAME, or from the file that NAME_FILE names (container secrets)."""
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return os.environ.get(name, default)
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read: {path}") from error


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


MODES = {"production", "demo", "dev"}
MODE = os.environ.get("CDM_MODE", "production").strip().lower()
if MODE not in MODES:
    raise ImproperlyConfigured(f"CDM_MODE must be one of {sorted(MODES)}, not {MODE!r}.")
DEMO_MODE = MODE == "demo"
LOCAL_MODE = MODE in {"demo", "dev"}
# Demo accounts (known passwords) exist and may sign in only on a local demo or dev machine.
DEMO_ACCOUNTS_ENABLED = LOCAL_MODE

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if not LOCAL_MODE:
        raise ImproperlyConfigured("SECRET_KEY must be set (only CDM_MODE=demo or dev generate one).")
    # Demo and dev keep one generated key under var/, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

# HTTPS: the site is served behind TLS. It turns on secure `__Host-` cookies, HSTS and the redirect.
HTTPS = env_bool("HTTPS", not LOCAL_MODE)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL_MODE else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# The proxies whose X-Forwarded-For, -Proto and -Host are believed (addresses or networks, `*` for any):
# the first middleware drops these headers from every other peer. gunicorn reads the same variable.
FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips(os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

INSTALLED_APPS = [
    "citedesmetiers",
    "accueil",
    "conseil",
    "activites",
    "ressources",
    "stats",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
]

MIDDLEWARE = [
    # First of all: X-Forwarded-* only from a trusted proxy (FORWARDED_ALLOW_IPS), before anything reads them.
    "citedesmetiers.proxy.forwarded_headers",
    # Outermost: a request id and one log line for every request, static files and probes included.
    "citedesmetiers.operations.logs.request_logging",
    "django.middleware.security.SecurityMiddleware",
    "citedesmetiers.middleware.security_headers",
    "citedesmetiers.middleware.health_checks",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside the language redirect, so that it also marks redirects given to signed-in staff.
    "citedesmetiers.middleware.private_pages",
    "django.middleware.locale.LocaleMiddleware",
    "citedesmetiers.middleware.remember_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "citedesmetiers.middleware.session_timeouts",
    # Every view needs a sign-in unless marked @login_not_required: the public pages are an allow-list.
    "citedesmetiers.middleware.LoginRequired",  # Django's, answering htmx background refreshes
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Innermost: the agenda's pages kept for visitors, answered before their URL is resolved.
    "activites.pages.kept_pages",
]

ROOT_URLCONF = "citedesmetiers.urls"
WSGI_APPLICATION = "citedesmetiers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "citedesmetiers.context_processors.site",
            ],
        },
    },
]


def _database_url() -> str:
    url = env_secret("DATABASE_URL")
    if url:
        return url
    if not LOCAL_MODE:
        raise ImproperlyConfigured("DATABASE_URL must be set (postgres://user:password@host:5432/name).")
    # Demo and dev without DATABASE_URL: the embedded server under var/ (started by make run/dev).
    return localdb.running_url() or localdb.expected_url()


DATABASES = {
    "default": dj_database_url.parse(
        _database_url(),
        # Persistent connections: opening one per request divides write throughput by 3 to 6.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        # ...checked before reuse, so a restarted database is reconnected instead of failing.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "citedesmetiers.User"
AUTHENTICATION_BACKENDS = ["citedesmetiers.accounts.backends.StaffBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in throttling, by user name first: a whole reception desk shares one IP address.
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 50)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

# Sessions: stored in the database (shared by every app instance), ended after idle and absolute limits.
SESSION_ENGINE = "citedesmetiers.accounts.sessions"  # Django's database sessions, read in plain SQL
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "citedesmetiers.views.csrf_failure"
if HTTPS:
    # `__Host-` cookies are only accepted over TLS, for this exact host, on every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style, no eval: htmx is vendored and configured with allowEval off.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        *(["upgrade-insecure-requests"] if HTTPS else []),
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# While the database cannot be reached, pages answer 503 and ask to come back after this many seconds.
RETRY_AFTER_SECONDS = env_int("RETRY_AFTER_SECONDS", 10)
# Seconds after which the web process's database statements are cancelled
# (citedesmetiers/operations/timeouts.py): below gunicorn's GUNICORN_TIMEOUT, so a request asking too
# much gets a page, not a killed worker.
REQUEST_STATEMENT_TIMEOUT = env_int("REQUEST_STATEMENT_TIMEOUT", max(1, env_int("GUNICORN_TIMEOUT", 30) - 5))

# Idempotent capture (reception desk, multimedia space): undo window, oldest entry that may be keyed in.
CAPTURE_UNDO_MINUTES = env_int("CAPTURE_UNDO_MINUTES", 5)
CAPTURE_MAX_AGE_DAYS = env_int("CAPTURE_MAX_AGE_DAYS", 31)

# The catalogue's uploaded files: outside the static files, served by ressources.views.resource_file.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served as such: files go through a view that checks them
RESOURCE_MAX_UPLOAD_MB = env_int("RESOURCE_MAX_UPLOAD_MB", 20)
# Larger uploads go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Database backups (`manage.py backup`): the folder of the default ones, and how many of them are kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
# The scheduler (`run_scheduler`) also writes a backup this often; 0: only when someone runs `backup`.
BACKUP_EVERY_HOURS = env_int("BACKUP_EVERY_HOURS", 0)
# The scheduler's record of its runs is kept this many days.
JOB_RUN_RETENTION_DAYS = env_int("JOB_RUN_RETENTION_DAYS", 90)
# The walk-in queue: leftover tickets are closed at this time (local), and a visit logged more than
# this many minutes after it happened (a resend, a paper backlog) gets no ticket: the moment has passed.
QUEUE_CLOSING_TIME = os.environ.get("QUEUE_CLOSING_TIME", "18:00")
TICKET_MAX_DELAY_MINUTES = env_int("TICKET_MAX_DELAY_MINUTES", 60)

# Consultations: their adviser corrects them for this many days. Questionnaire codes stay valid this
# many days; the exit tablets' page makes codes only for these networks (comma-separated CIDR).
CONSULTATION_CORRECTION_DAYS = env_int("CONSULTATION_CORRECTION_DAYS", 7)
QUESTIONNAIRE_CODE_DAYS = env_int("QUESTIONNAIRE_CODE_DAYS", 7)
QUESTIONNAIRE_KIOSK_NETWORKS = env_list(
    "QUESTIONNAIRE_KIOSK_NETWORKS", ["127.0.0.0/8", "::1/128"] if LOCAL_MODE else []
)
# The self-service kiosk at the entrance answers only from these networks (comma-separated CIDR, like
# QUESTIONNAIRE_KIOSK_NETWORKS), and issues at most this many tickets a minute per kiosk address (more:
# "please ask at reception").
RECEPTION_KIOSK_NETWORKS = env_list(
    "RECEPTION_KIOSK_NETWORKS", ["127.0.0.0/8", "::1/128"] if LOCAL_MODE else []
)
RECEPTION_KIOSK_TICKETS_PER_MINUTE = env_int("RECEPTION_KIOSK_TICKETS_PER_MINUTE", 6)

# The public address of the site, for the links in e-mails and calendar files.
SITE_URL = os.environ.get(
    "SITE_URL",
    "http://127.0.0.1:8000" if LOCAL_MODE else f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "",
).rstrip("/")

# E-mail: SMTP configured by the environment. Demo and dev write each message to a file under var/mail/
# (never into the server's log: a message holds a registration's secret links). Messages go through an
# outbox (activites.emails): sent in the background after the commit, retried by send_emails.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if LOCAL_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Cité des métiers <noreply@citedesmetiers.brussels>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SEND_IN_BACKGROUND = env_bool("EMAIL_SEND_IN_BACKGROUND", True)

# Registrations: unconfirmed ones are deleted after this many hours; names and addresses are erased
# this many days after the activity; reminders leave this many days before; the public form accepts
# this many uses per hour from one client address.
REGISTRATION_CONFIRM_HOURS = env_int("REGISTRATION_CONFIRM_HOURS", 48)
REGISTRATION_RETENTION_DAYS = env_int("REGISTRATION_RETENTION_DAYS", 30)
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 2)
REGISTRATIONS_PER_ADDRESS_PER_HOUR = env_int("REGISTRATIONS_PER_ADDRESS_PER_HOUR", 10)
# The centre's own networks (comma-separated CIDR, like QUESTIONNAIRE_KIOSK_NETWORKS): its 45 computers
# and 20 tablets share one address, so the limit per client address does not apply there. The limit per
# e-mail address applies everywhere.
CENTRE_NETWORKS = env_list("CENTRE_NETWORKS", [])
REGISTRATIONS_PER_EMAIL_PER_HOUR = env_int("REGISTRATIONS_PER_EMAIL_PER_HOUR", 5)
# A seat that frees up is offered to the first person waiting and held this many hours (at most until
# the activity starts) before it passes to the next; 0 gives it at once.
WAITING_LIST_OFFER_HOURS = env_int("WAITING_LIST_OFFER_HOURS", 24)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "citedesmetiers" / "locale"]
USE_I18N = True
# English dates as Brussels writes them (citedesmetiers/formats/en): "5 March 2018".
FORMAT_MODULE_PATH = ["citedesmetiers.formats"]
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]


def s3_storage(
    bucket: str, *, endpoint_url: str | None = None, region: str | None = None, prefix: str = ""
) -> dict:
    """The default storage in an S3-compatible bucket, under `prefix`, as STORAGES expects it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "location": prefix.strip("/"),
            "default_acl": None,  # private objects; the app serves them through a checking view
            "querystring_auth": True,
            "file_overwrite": False,
            # Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or their *_FILE), else the machine's role.
            "access_key": env_secret("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
        },
    }


# Uploaded files: on local disk (MEDIA_ROOT), or in S3-compatible object storage when S3_BUCKET is set,
# so that several app instances share them (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or
# the machine's role; S3_ENDPOINT_URL for a provider other than AWS).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
DEFAULT_STORAGE = (
    s3_storage(
        S3_BUCKET,
        endpoint_url=os.environ.get("S3_ENDPOINT_URL"),
        region=os.environ.get("S3_REGION"),
        prefix=os.environ.get("S3_PREFIX", ""),
    )
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The back office (Django admin) is served under its own path, never /admin/.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "backoffice").strip("/")
if not ADMIN_PATH or ADMIN_PATH == "admin":
    raise ImproperlyConfigured("ADMIN_PATH must be set to a path other than 'admin'.")

SITE_NAMES = {"fr": "Cité des métiers", "nl": "Beroepenpunt", "en": "Cité des métiers"}
SITE_TAGLINE = _("Brussels career guidance centre: free, anonymous, no appointment")

# Logs on standard error: one JSON object per line in production, text on a developer machine; every
# line of a request carries its id; e-mail addresses masked (citedesmetiers/operations/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if LOCAL_MODE else "json")
LOGGING = logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
