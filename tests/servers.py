"""Real gunicorn servers on the test database, for tests that cross process boundaries: the production
settings, manage.py in a process of its own, and a browser that keeps cookies."""

import contextlib
import html
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

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
    command = [
        Path(sys.executable).parent / "gunicorn",
        "-c",
        "python:citedesmetiers.operations.gunicorn_conf",
    ]
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


PRODUCTION = {
    "PATH": os.environ["PATH"],
    "CDM_MODE": "production",
    "SECRET_KEY": "k7#Vq9!zR2@wL5$eN8%tY3^uI6&oP1*aS4(dF7)gH0_jK2+lZ5",
    "DATABASE_URL": "postgres://cdm:secret@db.internal:5432/citedesmetiers",
    "ALLOWED_HOSTS": "cdm.example.org",
}


def manage(*args, env, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, **kwargs
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies like a browser (the cookies are Secure and `__Host-`). Straight to an instance, it
    sends what the TLS proxy would add (X-Forwarded-Proto: https); through the proxy itself (`tls`, the
    context trusting its certificate, and `host`, the site's name), it speaks HTTPS."""

    def __init__(self, *, tls: ssl.SSLContext | None = None, host: str | None = None):
        self.cookies: dict[str, str] = {}
        self.host = host
        handlers = [NoRedirect] + ([urllib.request.HTTPSHandler(context=tls)] if tls else [])
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, base: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers=headers or {})
        if self.host:
            request.add_header("Host", self.host)
            request.add_header("Referer", f"https://{self.host}{path}")
        else:
            request.add_header("X-Forwarded-Proto", "https")
            request.add_header("Referer", base.replace("http://", "https://") + path)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=15)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, response.read().decode()

    def sign_in(self, base: str, user) -> tuple:
        """Signs `user` in through the sign-in page (their password must be PASSWORD); returns the
        answer to the form (status, headers, page)."""
        with translation.override("fr"):
            sign_in = reverse("login")
        status, _, page = self.request(base, sign_in)
        assert status == 200, page
        form = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)}
        return self.request(base, sign_in, form)


# The password of the staff that sign in on the servers; hashed cheaply (production settings verify
# any PBKDF2 hash, whatever its number of iterations).
PASSWORD = "correct horse battery staple 7"


def staff_signing_in(role, **fields):
    """A staff member who can sign in on the servers with PASSWORD."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests.factories import staff

    user = staff(role, **fields)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "serverssalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def csrf_token(page: str) -> str:
    return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
