"""gunicorn settings: `gunicorn -c python:citedesmetiers.gunicorn_conf citedesmetiers.wsgi`.

Every value can be overridden by the usual GUNICORN_CMD_ARGS or by the variables read below.
"""

import multiprocessing
import os

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
accesslog = "-" if os.environ.get("ACCESS_LOG", "true").lower() in {"1", "true", "yes"} else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket: it would live in the home directory, which the container's user does not have.
control_socket_disable = True


def when_ready(server):
    host, _, port = server.cfg.bind[0].rpartition(":")  # the effective address, --bind included
    host = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 (printing, not binding)
    server.log.info("Serving the Cité des métiers on http://%s:%s/ (Ctrl-C to stop)", host, port)
