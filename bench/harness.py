"""What every benchmark shares: a migrated database of its own and its staff accounts, gunicorn as
`make run` starts it, a browser that signs in through the sign-in page, a load generator in separate
processes, and a table of figures with their ratios.

Benchmarks compare things measured side by side in one run on one machine: read the ratios, not the
absolute numbers, which depend on the machine.
"""

import contextlib
import http.client
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import dj_database_url
import psycopg

from citedesmetiers.accounts import totp

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SIGN_IN = "/fr/personnel/connexion/"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _server_url(url: str, database: str) -> str:
    settings = dj_database_url.parse(url)
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    host = quote(str(settings["HOST"] or ""), safe="")
    return f"postgresql://{credentials}@{host}:{settings['PORT'] or 5432}/{database}"


@contextlib.contextmanager
def bench_database(suffix: str = "bench") -> Iterator[str]:
    """A fresh, migrated database next to the project's (DATABASE_URL), dropped afterwards."""
    base = os.environ["DATABASE_URL"]
    name = f"{dj_database_url.parse(base)['NAME']}_{suffix}"
    admin = psycopg.connect(_server_url(base, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = _server_url(base, name)
    try:
        migrate = [PYTHON, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=BASE_DIR, env=production_env(url), check=True)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings served over plain HTTP on the loopback (no TLS proxy in a benchmark)."""
    return {
        "PATH": os.environ["PATH"],
        "CDM_MODE": "production",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        "ACCESS_LOG": "false",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(BASE_DIR / "var" / "bench"),
        "STATIC_ROOT": str(BASE_DIR / "var" / "bench" / "static"),
        **overrides,
    }


def in_django(env: dict[str, str], code: str) -> dict:
    """Runs `code` in Django (`manage.py shell -c`) with the benchmark's environment; returns the JSON
    object it prints as its last line."""
    command = [PYTHON, "manage.py", "shell", "-c", code]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarise(env: dict[str, str]) -> float:
    """Writes the daily summaries of every closed day (`manage.py summarise_days`), as the scheduler
    would have over the years; returns its seconds."""
    return in_django(env, "from bench import harness; harness._summarise()")["seconds"]


def _summarise() -> None:
    """Runs in Django: summarise(); prints its seconds as JSON."""
    from io import StringIO

    from django.core.management import call_command

    begin = time.perf_counter()
    call_command("summarise_days", stdout=StringIO())
    print(json.dumps({"seconds": time.perf_counter() - begin}))


def staff(env: dict[str, str], accounts: list[dict]) -> dict[str, int]:
    """Creates staff accounts in the benchmark's database; returns their ids by user name. Each account:
    username, password and role (a group's name); optionally partner (an institution's code), languages
    (the codes they advise in) and totp_secret (a second factor already set up)."""
    return in_django(env, f"from bench import harness; harness._staff_create({accounts!r})")


def _staff_create(accounts: list[dict]) -> None:
    """Runs in Django: creates the accounts of staff() and prints their ids as JSON."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from citedesmetiers.models import Partner, User

    ids = {}
    for account in accounts:
        user = User.objects.create_user(account["username"], password=account["password"])
        user.groups.add(Group.objects.get(name=account["role"]))
        if "partner" in account:
            user.partner = Partner.objects.get(code=account["partner"])
        if "totp_secret" in account:
            user.totp_secret, user.totp_confirmed_at = account["totp_secret"], timezone.now()
        user.save()
        user.languages.set(account.get("languages", []))
        ids[user.get_username()] = user.pk
    print(json.dumps(ids))


def capture_pages(pages: dict[str, str], pages_file: str) -> dict[str, dict]:
    """Runs in Django: GETs each path anonymously in French, twice in-process as a running worker would
    (reference rows cached by the first), and counts the second one's SQL queries. Writes the pages into
    `pages_file` for the bare view (bench/views.py, BENCH_PAGES); returns each one's path, size and
    number of queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    captured, figures = {}, {}
    for name, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        captured[name] = {"content_type": response["Content-Type"], "body": response.content.decode()}
        figures[name] = {"path": path, "bytes": len(response.content), "queries": len(queries)}
    Path(pages_file).write_text(json.dumps(captured))
    return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def collect_static(env: dict[str, str]) -> None:
    """The static files in the benchmark's STATIC_ROOT: production pages name them from its manifest."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2) -> Iterator[str]:
    """gunicorn with the project's configuration; yields its base URL once /healthz answers."""
    port = _free_port()
    collect_static(env)
    command = [str(BIN / "gunicorn"), "-c", "python:citedesmetiers.operations.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    command.append("citedesmetiers.wsgi")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def keep_cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    """Keeps the cookies a response sets in `jar`, as a browser does."""
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def cookie_header(jar: dict[str, str]) -> str:
    """The Cookie header that sends the cookies of `jar` back."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Browser:
    """A person's browser on one connection: the cookies it was given go back with each request. Browsers
    on other connections (threads of a client process) may share one `jar`: one person's session."""

    def __init__(self, connection: http.client.HTTPConnection, jar: dict[str, str] | None = None):
        self.connection = connection
        self.jar = {} if jar is None else jar

    def call(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None):
        """Sends one request; returns the response (read) and its text."""
        headers = {"Accept-Language": "fr", "Cookie": cookie_header(self.jar), **(headers or {})}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        keep_cookies(response, self.jar)
        return response, text

    def sign_in(self, username: str, password: str, *, then: str, totp_secret: str = "") -> str:
        """Signs in through the sign-in page, then the second factor's page with the current code of
        `totp_secret` (a code is accepted once per person); returns the page `then`."""
        _, page = self.call("GET", SIGN_IN)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page)}
        response, _ = self.call("POST", SIGN_IN, urlencode(form), FORM)
        if response.status == 302 and totp_secret:
            second_factor = response.getheader("Location")
            _, page = self.call("GET", second_factor)
            code = totp.code_at(totp_secret, totp.step_of(time.time()))
            form = {"code": code, "csrfmiddlewaretoken": csrf_token(page)}
            response, _ = self.call("POST", second_factor, urlencode(form), FORM)
        if response.status != 302:
            raise RuntimeError(f"sign-in of {username} failed: {response.status}")
        response, page = self.call("GET", then)
        if response.status != 200:
            raise RuntimeError(f"{username} signed in, but {then} answered {response.status}")
        return page


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000


class Get:
    """A GET of one path, the same every time."""

    def __init__(self, path: str, headers: dict[str, str] | None = None):
        self.path = path
        self.headers = {"Accept-Language": "fr", **(headers or {})}

    def prepare(self, connection: http.client.HTTPConnection) -> None:
        return None

    def request(self, state) -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", self.path, None, self.headers


def _run(connection: http.client.HTTPConnection, scenario, state, seconds: float) -> tuple[list[float], int]:
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while (start := time.perf_counter()) < deadline:
        method, path, body, headers = scenario.request(state)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
        latencies.append(time.perf_counter() - start)
    return latencies, errors


def _client(base: str, scenario, warmup: float, seconds: float, ready, out) -> None:
    target = urlsplit(base)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    # Preparing (signing in: a slow password hash on purpose) happens before anybody measures.
    state = scenario.prepare(connection)
    ready.wait()
    _run(connection, scenario, state, warmup)
    ready.wait()
    out.put(_run(connection, scenario, state, seconds))


def load(name: str, base: str, scenario, *, seconds: float = 5.0, concurrency: int = 4) -> Result:
    """Runs the scenario (Get, or any picklable object with prepare() and request()) from
    `concurrency` client processes: all prepare, warm up for half a second, then measure together."""
    if isinstance(scenario, str):
        scenario = Get(scenario)
    context = multiprocessing.get_context("spawn")
    out, ready = context.Queue(), context.Barrier(concurrency)
    clients = [
        context.Process(target=_client, args=(base, scenario, 0.5, seconds, ready, out))
        for _ in range(concurrency)
    ]
    for client in clients:
        client.start()
    parts = [out.get() for _ in clients]
    for client in clients:
        client.join()
    latencies = [value for part, _ in parts for value in part]
    errors = sum(errors for _, errors in parts)
    # Each client measures for exactly `seconds`, all at the same time.
    return Result(name, len(latencies), errors, seconds, latencies)


def in_turns(
    base: str, scenarios: list[tuple[str, object]], *, rounds: int, seconds: float
) -> list[list[Result]]:
    """Loads the scenarios (name, scenario) one after the other, `rounds` times over, so that what drifts
    during a run (a table that grows, the disk's flushes, the machine's other work) weighs on each alike;
    returns each scenario's results, round by round (see combined)."""
    results: list[list[Result]] = [[] for _ in scenarios]
    for _round in range(rounds):
        for index, (name, scenario) in enumerate(scenarios):
            results[index].append(load(name, base, scenario, seconds=seconds))
    return results


def combined(results: list[Result]) -> Result:
    """One scenario's rounds as one measure: every request over every round's seconds."""
    return Result(
        results[0].name,
        sum(result.requests for result in results),
        sum(result.errors for result in results),
        sum(result.seconds for result in results),
        [latency for result in results for latency in result.latencies],
    )


def against_bare(
    base: str, figures: dict[str, dict], labels: list[tuple[str, str]], *, seconds: float, rounds: int = 1
) -> tuple[list[Result], list[tuple[str, Result, Result]]]:
    """Loads each captured page (name, label) and the bare view returning its bytes in turns, `rounds`
    times over (each measure `seconds` in all); returns the results and the ratios page / bare view, for
    report()."""
    results, ratios = [], []
    for name, label in labels:
        scenarios = [
            (f"GET bare view, {name} bytes", f"/bench/bare-page/{name}/"),
            (f"GET {label}", figures[name]["path"]),
        ]
        bare, page = (
            combined(each) for each in in_turns(base, scenarios, rounds=rounds, seconds=seconds / rounds)
        )
        results += [bare, page]
        ratios.append((f"{label} / bare view", page, bare))
    return results, ratios


def report(title: str, results: list[Result], ratios: list[tuple]) -> None:
    """Prints one line per measure, then the ratios that the benchmark is about: (label, numerator,
    denominator), or with a goal after them, printed beside the ratio with whether the run met it."""
    print(f"\n{title}")
    print(f"  {'measure':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for result in results:
        print(
            f"  {result.name:<44} {result.rate:>9.0f} {result.p50:>8.2f} "
            f"{result.percentile(0.99):>8.2f} {result.errors:>7}"
        )
    for label, numerator, denominator, *goal in ratios:
        ratio = numerator.rate / denominator.rate
        # Two decimals, or two significant digits for a ratio that two decimals would round to 0.0x.
        line = f"  {label:<44} {ratio:>9.2f}" if ratio >= 0.1 else f"  {label:<44} {ratio:>9.2g}"
        if goal:
            line += f"   goal >= {goal[0]:.2f}: {'met' if ratio >= goal[0] else 'below'}"
        print(line)
