"""The application's logs: one line per event, a request id on every line, no personal data.

`LOG_FORMAT=json` (the default in production) writes one JSON object per line for a log collector;
`text` writes the same fields for a person at a terminal. Every line of a request carries its id (taken
from the reverse proxy's `X-Request-ID` when it sends a sensible one, else made here, and sent back in
the response), so one request can be followed across the app's lines and the proxy's.

Personal data never reach a log: requests are logged by their route (`agenda/inscription/<token>/`),
not by the address typed, without query strings or bodies, and anything shaped like an e-mail address
is masked in every message and traceback, whatever wrote it.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What a proxy's request id may look like (nginx's $request_id, a UUID, a trace id); anything else is
# replaced, so that a client cannot write what it likes into the logs.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_EMAIL = re.compile(r"[\w.!#$%&'*+=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MASK = "[e-mail]"

# Attributes every LogRecord has: the others were passed in `extra` and become fields of the line.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
# Passed by Django's own loggers as `extra`: objects, never written out.
_OBJECTS = {"request", "server_time", "status_code"}

_PROBES = {"/healthz", "/readyz"}

access_log = logging.getLogger("citedesmetiers.requests")


def mask(text: str) -> str:
    """The text with every e-mail address replaced by a mark."""
    return _EMAIL.sub(EMAIL_MASK, text)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class _Formatter(logging.Formatter):
    def fields(self, record: logging.LogRecord) -> dict:
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "message": self.message(record),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in _OBJECTS:
                fields[name] = mask(value) if isinstance(value, str) else value
        if record.exc_info:
            fields["exception"] = mask(self.formatException(record.exc_info))
        elif record.exc_text:
            fields["exception"] = mask(record.exc_text)
        return fields

    @staticmethod
    def message(record: logging.LogRecord) -> str:
        message = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):  # Django's "Internal Server Error: /path"
            message = message.replace(request.path, route_of(request))
        return mask(message)


class JsonFormatter(_Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.fields(record), ensure_ascii=False, default=str)


class TextFormatter(_Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = self.fields(record)
        head = " ".join(str(fields.pop(key)) for key in ("time", "level", "logger", "request_id", "message"))
        exception = fields.pop("exception", None)
        extra = " ".join(f"{key}={value}" for key, value in fields.items())
        return "\n".join(filter(None, [f"{head} {extra}".rstrip(), exception]))


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: everything to standard error, in JSON or text, with request ids."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # SQL is logged only with DEBUG on; its parameters could hold anything.
            "django.db.backends": {"level": "INFO"},
            # One line per request is written by `request_logging`; Django's own would repeat it.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
        },
    }


def route_of(request) -> str:
    """The URL pattern a request matched, its tokens and codes left as names; static files by their
    path; anything else `-` (a mistyped address may hold anything)."""
    from django.urls import Resolver404, resolve  # here: settings import this module

    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            static = request.path_info.startswith(settings.STATIC_URL) or request.path_info in _PROBES
            return request.path_info if static else "-"
    return "/" + match.route


def request_logging(get_response):
    """Outermost middleware: gives the request its id, answers with it, and logs one line for it."""

    def middleware(request):
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id.set(incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = get_response(request)
            response["X-Request-ID"] = request_id.get()
            if access_log.isEnabledFor(logging.INFO):  # not with LOG_LEVEL=WARNING: no route to find
                route = route_of(request)
                access_log.info(
                    "%s %s %s",
                    request.method,
                    route,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id.reset(token)

    return middleware
