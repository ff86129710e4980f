"""gunicorn settings: `gunicorn -c python:citedesmetiers.operations.gunicorn_conf citedesmetiers.wsgi`.

Every value can be overridden by the usual GUNICORN_CMD_ARGS or by the variables read below.
"""

import multiprocessing
import os

from citedesmetiers.operations.logs import logging_config
from citedesmetiers.proxy import forwarded_allow_ips as forwarded_allow_ips_from

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers and persistent database connections: one connection per worker process.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
preload_app = True
# The app logs one line per request (with its id, by route, never a query string): gunicorn's own
# access log would repeat it with the raw address; ACCESS_LOG=true brings it back.
_access = os.environ.get("ACCESS_LOG", "false").lower() in {"1", "true", "yes"}
accesslog = "-" if _access else None
# gunicorn's own lines (start, workers, timeouts) in the app's format.
_local = os.environ.get("CDM_MODE", "production") in {"demo", "dev"}
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT", "text" if _local else "json"), os.environ.get("LOG_LEVEL", "INFO")
)
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO" if _access else "CRITICAL", "propagate": False},
    }
)
# The proxies whose forwarded headers gunicorn believes: the app's own list, read by the same function
# (a typo stops the start here too).
forwarded_allow_ips = ",".join(forwarded_allow_ips_from(os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")))
# No control socket: it would live in the home directory, which the container's user does not have.
control_socket_disable = True


def when_ready(server):
    host, _, port = server.cfg.bind[0].rpartition(":")  # the effective address, --bind included
    host = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 (printing, not binding)  # nosec B104
    server.log.info("Serving the Cité des métiers on http://%s:%s/ (Ctrl-C to stop)", host, port)


def worker_exit(server, worker):
    """A worker replaced after max_requests leaves at once: its database connection closed and its log
    lines written, without the interpreter's own shutdown, which freed every object of the app one by
    one (about 0.2 s of CPU, during which gunicorn waits to start its replacement: measured, the pause
    of a replacement 300 ms before, 40-60 ms after). Any other exit (an error at boot, a signal) is left to
    gunicorn, whose exit codes tell the master what to do."""
    if not (worker.booted and worker.nr >= worker.max_requests):
        return
    import logging

    from django.db import connections

    connections.close_all()
    logging.shutdown()
    os._exit(0)
