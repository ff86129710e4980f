"""Real gunicorn servers on the test database, for tests that cross process boundaries."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database as a URL for another process (it sees committed rows only)."""
    database = connection.settings_dict
    credentials = f"{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}"
    host = quote(str(database["HOST"]), safe="")
    return f"postgresql://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


@contextlib.contextmanager
def gunicorn_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn as `make run` starts it, with `env`, its output in `log`; yields its base URL."""
    port = free_port()
    command = [Path(sys.executable).parent / "gunicorn", "-c", "python:citedesmetiers.gunicorn_conf"]
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}", "citedesmetiers.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
