"""The centre's peak hour at ten times its 2019 rate: the desk, the queue, the agenda and the dashboard
together, as people would feel them on that day, and how far the same mix goes before the server is full.

A database of its own holds the demo centre's history since 2018, seeded as `make run` seeds it
(`create_demo_accounts`, `seed_demo`: every year's visits, tickets, consultations and activities, so that
the dashboard has figures), and the agenda's year ahead (bench/agenda.py). gunicorn serves it with
production settings and 2 workers. Each client process holds one share of the centre: a reception desk,
an adviser and the director, each signed in through the sign-in page (the adviser and the director with
their second factor), and the public (the waiting-room screen, visitors of the agenda). In the same run:
- at the target rate (open loop): each kind of request arrives at its rate from the mix below (Poisson
  arrivals, whatever the answers' speed); a latency runs from the moment a request was due, so that a
  slow answer delays the next ones as it would on the day;
- at saturation (closed loop): the same mix, in the same proportions, sent back to back: the rate the
  server reaches, and the headroom (saturated rate / target rate);
- each kind alone at saturation (the desk's entries with the advisers' POSTs that serve their tickets),
  against the floor of the stack (`/healthz`), as in the other benchmarks: what each one costs.
Every request's number of SQL statements comes back in a header (bench/middleware.py). The queue works
for real: the desk's advice entries issue tickets, which the advisers call, start and end.
"""

import http.client
import itertools
import json
import multiprocessing
import queue
import random
import re
import statistics
import subprocess
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import psycopg

from bench import harness
from bench.desk import PASSWORD, DeskEntry
from bench.middleware import QUERIES_HEADER
from citedesmetiers.accounts import totp

CLIENTS = 5
OPEN_SECONDS = 30.0
SATURATION_SECONDS = 15.0
ALONE_SECONDS = 2.0
FLOOR_SECONDS = 5.0
TIMEOUT = 30.0
# One adviser per client process. Actiris advises on choisir, travailler and bouger, efp on apprendre
# and entreprendre: together the five themes, in the proportions of the desk's tickets (3 to 2).
ADVISER_PARTNERS = ["actiris", "actiris", "actiris", "efp", "efp"]
ADVISER_LANGUAGES = ["fr", "nl", "en"]

# --- the mix: the peak hour of a busy day at ten times the centre's 2019 rate -------------------------
#
# 2019: about 56,000 contacts, the centre open on about 250 weekdays, 9:00 to 17:00 (224 a day). A busy
# day, a Monday of October, has 1.25 / 1.02 (weekday) x 1.2 / 0.98 (month) = 1.5 times the average day;
# its busiest hour, 10:00 to 11:00, 1.25 / 7.8 = 16 % of the day's visits (stats/demo.py: WEEKDAY, MONTH,
# VISIT_HOURS). So a yearly count N makes N x 10 x 1.5 x 0.16 / 250 in that hour at ten times the rate.
PEAK_PER_YEAR = 10 * 1.5 * 0.16 / 250 / 3600  # requests a second in the peak hour, per yearly event
# Every contact is logged at the desk (the participants of activities the desk did not send are counted
# at the door: this overestimates a little): 56,000 x 10 x 1.5 x 0.16 / 250 = 538 entries in the hour.
DESK_ENTRIES = 56_000 * PEAK_PER_YEAR  # 0.149/s
# A third of them directed to individual advice, each with a ticket: 179 in the hour. An adviser calls
# each ticket, starts the consultation and ends it: three POSTs.
TICKETS = DESK_ENTRIES / 3  # 0.050/s
# Staffing at 10x. Desks: 538 entries in the hour, one every 67 s at each of 10 desks.
DESKS = 10
# Advisers: 19,569 advice sessions in the first ten months of 2018, about 25,000 in 2019: at 10x, 240
# in the peak hour, 24 minutes each (median face to face): 96 advisers busy, 100 on the floor. The desk's
# tickets are the walk-ins among those sessions: an adviser who is free calls, and about one call in two
# finds nobody waiting for their themes and languages.
ADVISERS = 100
# One waiting-room screen per waiting area: 10.
SCREENS = 10
# The public agenda: the website had 175,690 page views in 2018, all counted here as the agenda's (an
# upper bound), on weekdays: 175,690 x 10 x 1.5 x 0.16 / 250 = 1,687 in the hour, 0.47/s; half the first
# page, a fifth filtered, the rest an activity's page.
AGENDA_VIEWS = 175_690 * PEAK_PER_YEAR
# The dashboard is rare but heavy: the director, coordinators and partner leads of a centre ten times
# larger, some 30 people, each opening the figures every 5 minutes in the peak hour: 0.1/s.
DASHBOARD = 30 / 300

RATES = {
    "entry": DESK_ENTRIES,
    # The desk page asks for its counters every 30 s and after each entry.
    "counters": DESKS / 30 + DESK_ENTRIES,
    "call": 2 * TICKETS,
    "start": TICKETS,
    "end": TICKETS,
    "queue": ADVISERS / 10,  # each adviser's queue panel refreshes every 10 s
    "screen": SCREENS / 3,  # each screen every 3 s
    "agenda": AGENDA_VIEWS * 0.5,
    "filtered": AGENDA_VIEWS * 0.2,
    "activity": AGENDA_VIEWS * 0.3,
    "dashboard": DASHBOARD,
}
LABELS = {
    "entry": ("desk: entry (POST, a third with a ticket)", f"{DESKS} desks"),
    "counters": ("desk: counters (every 30 s, after entries)", f"{DESKS} desks"),
    "call": ("queue: call the next person (POST)", f"{ADVISERS} advisers"),
    "start": ("queue: start the consultation (POST)", f"{ADVISERS} advisers"),
    "end": ("queue: end the consultation (POST)", f"{ADVISERS} advisers"),
    "queue": ("queue: adviser's panel (every 10 s)", f"{ADVISERS} advisers"),
    "screen": ("waiting-room screen (every 3 s)", f"{SCREENS} screens"),
    "agenda": ("agenda: first page", "the public"),
    "filtered": ("agenda: by theme and language", "the public"),
    "activity": ("agenda: an activity's page", "the public"),
    "dashboard": ("director's dashboard (this year)", "30 people"),
}
NAMES = {**{kind: label for kind, (label, _) in LABELS.items()}, "all": "all kinds"}
# What the clients send: a stream of requests each. The adviser's stream calls the next person, then
# starts and ends the consultation of the person called: at these rates, the queue stays short and the
# calls that find nobody make up the difference (per ticket: 2 calls, 1 start, 1 end).
STREAMS = {
    "entry": DESK_ENTRIES,
    "counters": RATES["counters"],
    "adviser": RATES["call"] + RATES["start"] + RATES["end"],
    **{name: RATES[name] for name in ("queue", "screen", "agenda", "filtered", "activity", "dashboard")},
}
# Each stream alone at saturation, what it costs against the floor; the desk's entries together with the
# advisers' POSTs that serve their tickets, in the mix's proportions, so that the queue stays as short as
# on the day (a long queue makes the adviser's every answer longer).
ALONE = {
    **{
        name: {name: 1.0}
        for name in ("queue", "screen", "counters", "agenda", "filtered", "activity", "dashboard")
    },
    "desk and queue": {"entry": STREAMS["entry"], "adviser": STREAMS["adviser"]},
}
HTMX = {"HX-Request": "true"}
POLL = {**HTMX, "X-Session-Passive": "1"}


# --- the data --------------------------------------------------------------------------------------


def _seed(env: dict[str, str], until: str | None = None) -> float:
    """The demo centre's history, as `make run` writes it (demo mode for these commands only), up to
    yesterday or `until` (YYYY-MM-DD); returns how long it took, in seconds."""
    demo = {**env, "CDM_MODE": "demo"}
    started = time.perf_counter()
    for command in (["create_demo_accounts"], ["seed_demo", *(["--until", until] if until else [])]):
        subprocess.run(
            [harness.PYTHON, "manage.py", *command],
            cwd=harness.BASE_DIR,
            env=demo,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def prepare(activities: int | None = None) -> None:
    """Runs in Django (`manage.py shell`): adds the agenda's year ahead (agenda.ACTIVITIES activities
    unless told), then prints (as its last line) the paths the clients use and how much data there is."""
    from django.urls import reverse
    from django.utils import timezone, translation

    from accueil.models import Ticket, Visit
    from activites import selectors
    from activites.models import Activity
    from bench import agenda
    from conseil.models import Consultation

    agenda._populate(activities or agenda.ACTIVITIES)
    with translation.override("fr"):
        paths = {
            "counters": reverse("accueil:desk_counters"),
            "queue": reverse("accueil:queue"),
            "call": reverse("accueil:queue_call"),
            "adviser_desk": reverse("accueil:queue_desk"),
            "ticket": reverse("accueil:queue_ticket", args=[123456789]).replace("123456789", "{}"),
            "screen": reverse("accueil:waiting_room"),
            "agenda": reverse("activites:agenda"),
            "filtered": reverse("activites:agenda") + "?theme=travailler&language=nl",
            "activities": [
                reverse("activites:agenda_activity", args=[pk])
                for pk in selectors.agenda().values_list("pk", flat=True)[:20]
            ],
            "dashboard": reverse("stats:dashboard"),
        }
    now = timezone.now()
    rows = {
        "visits": Visit.objects.count(),
        "tickets": Ticket.objects.count(),
        "consultations": Consultation.objects.count(),
        "activities": Activity.objects.count(),
        "ahead": Activity.objects.published().filter(starts_at__gte=now).count(),
        "this_year": Visit.objects.filter(occurred_at__year=timezone.localdate(now).year).count(),
    }
    print(json.dumps({"paths": paths, "rows": rows}))


def _accounts() -> list[dict]:
    """One reception agent, one adviser and one director per client process, each with their own
    second factor: a code is accepted only once per person."""
    accounts = []
    for index, partner in enumerate(ADVISER_PARTNERS):
        accounts += [
            {"username": f"bench-desk-{index}", "role": "reception_agent"},
            {
                "username": f"bench-adviser-{index}",
                "role": "adviser",
                "partner": partner,
                "languages": ADVISER_LANGUAGES,
                "totp_secret": totp.new_secret(),
            },
            {"username": f"bench-director-{index}", "role": "director", "totp_secret": totp.new_secret()},
        ]
    return [{**account, "password": PASSWORD} for account in accounts]


# --- one client process: a share of the centre -------------------------------------------------------


@dataclass
class Outcome:
    """One request: its kind, latency (seconds), whether it was right, its status, SQL statements."""

    kind: str
    latency: float
    ok: bool
    status: str
    path: str
    queries: int | None


class Centre:
    """One client process's share of the centre: a desk, an adviser, the director and the public, each
    with its own session (cookie jar), shared by the threads that act for them."""

    def __init__(self, base: str, index: int, paths: dict, accounts: dict[str, dict]):
        self.target = urlsplit(base)
        self.index = index
        self.paths = paths
        self.accounts = accounts
        self.jars: dict[str, dict[str, str]] = {"public": {}}
        self.tokens: dict[str, str] = {}
        self.desk_entry = DeskEntry(accounts["desk"]["username"], advice_share=3)
        self.desk_state: dict = {}
        self.ticket: tuple[int, str] | None = None  # the adviser's current ticket and its stage
        self.events: Counter = Counter()  # tickets issued, calls that found nobody...
        self.activity = itertools.count(index)
        # The current ticket's forms in the adviser's panel (start, call again, end) give its id.
        self.called = re.compile('action="' + re.escape(paths["ticket"]).replace(r"\{\}", r"(\d+)"))

    def connection(self) -> http.client.HTTPConnection:
        """A connection of its own to the server (one per thread)."""
        return http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=TIMEOUT)

    def sign_in(self) -> None:
        """Signs the desk, the adviser and the director in through the sign-in page; the adviser sets
        their desk (the screen shows it)."""
        self.desk_state = self.desk_entry.prepare(self.connection())
        # DeskEntry cycles through 15 entries (five themes, one entry in three directed to advice): each
        # desk starts at its own point of the cycle, with an advice entry on a theme of its own.
        self.desk_state["count"] = 3 * self.index + 2
        self.jars["desk"] = self.desk_state["jar"]
        for role, then in (("adviser", self.paths["queue"]), ("director", self.paths["dashboard"])):
            browser = harness.Browser(self.connection())
            account = self.accounts[role]
            page = browser.sign_in(
                account["username"], PASSWORD, then=then, totp_secret=account["totp_secret"]
            )
            self.jars[role] = browser.jar
            if role == "adviser":
                self.tokens[role] = harness.csrf_token(page)
        desk = {"desk": f"B{self.index}"}
        outcome, _ = self._post(self.connection(), "adviser", "desk", self.paths["adviser_desk"], desk)
        if not outcome.ok:
            raise RuntimeError(f"setting the adviser's desk: {outcome.status}")

    def warm_up(self) -> None:
        """Each page twice (the dashboard was the director's first page), so that both workers have read
        their templates before anything is measured."""
        connection = self.connection()
        for stream in ("counters", "queue", "screen", "agenda", "filtered", "activity"):
            for _ in range(2):
                self.send(stream, connection)

    def _call(self, connection, role: str, kind: str, method: str, path: str, body=None, headers=None):
        """One request as `role`; returns its outcome (latency from now) and the answer's text."""
        started = time.perf_counter()
        try:
            response, text = harness.Browser(connection, self.jars[role]).call(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            outcome = Outcome(kind, time.perf_counter() - started, False, type(error).__name__, path, None)
            return outcome, ""
        queries = response.getheader(QUERIES_HEADER)
        latency = time.perf_counter() - started
        status = str(response.status)
        outcome = Outcome(
            kind, latency, response.status == 200, status, path, int(queries) if queries else None
        )
        return outcome, text

    def _post(self, connection, role: str, kind: str, path: str, fields: dict):
        """A form posted as htmx posts it: the CSRF token in the body and in its header."""
        token = self.tokens[role]
        headers = {**HTMX, **harness.FORM, "X-CSRFToken": token}
        body = urlencode({**fields, "csrfmiddlewaretoken": token})
        return self._call(connection, role, kind, "POST", path, body, headers)

    def send(self, stream: str, connection: http.client.HTTPConnection) -> Outcome:
        """Sends the stream's next request on `connection` and checks its answer."""
        if stream == "entry":
            method, path, body, headers = self.desk_entry.request(self.desk_state)
            # The desk's cookies as they are now (Browser.call sends its jar's), not as they were at sign-in.
            headers = {name: value for name, value in headers.items() if name != "Cookie"}
            outcome, text = self._call(connection, "desk", "entry", method, path, body, headers)
            if outcome.ok and 'id="desk-status"' not in text:
                outcome.ok, outcome.status = False, "200, not recorded"
            if outcome.ok and 'class="desk-ticket"' in text:
                self.events["tickets issued"] += 1
            return outcome
        if stream == "adviser":
            return self._adviser(connection)
        role, path, headers = {
            "counters": ("desk", self.paths["counters"], POLL),
            "queue": ("adviser", self.paths["queue"], POLL),
            "screen": ("public", self.paths["screen"], HTMX),
            "agenda": ("public", self.paths["agenda"], {}),
            "filtered": ("public", self.paths["filtered"], {}),
            "activity": ("public", self._activity_path(), {}),
            "dashboard": ("director", self.paths["dashboard"], {}),
        }[stream]
        return self._call(connection, role, stream, "GET", path, None, headers)[0]

    def _activity_path(self) -> str:
        """The next of the agenda's first activities, in turn."""
        activities = self.paths["activities"]
        return activities[next(self.activity) % len(activities)]

    def _adviser(self, connection) -> Outcome:
        """The adviser's next step: call the next person, start the consultation, end it."""
        if self.ticket is None:
            outcome, text = self._post(connection, "adviser", "call", self.paths["call"], {})
            called = self.called.search(text)
            if outcome.ok and called:
                self.ticket = (int(called.group(1)), "called")
                self.events["called"] += 1
            elif outcome.ok and 'id="queue-panel"' in text:
                self.events["calls that found nobody"] += 1
            elif outcome.ok:
                outcome.ok, outcome.status = False, "200, no queue"
            return outcome
        pk, stage = self.ticket
        path = self.paths["ticket"].format(pk)
        if stage == "called":
            outcome, text = self._post(connection, "adviser", "start", path, {"action": "start"})
            if outcome.ok and 'value="end"' in text:
                self.ticket = (pk, "serving")
                self.events["started"] += 1
            elif outcome.ok:
                outcome.ok, outcome.status = False, "200, not started"
            return outcome
        outcome, text = self._post(connection, "adviser", "end", path, {"action": "end"})
        if outcome.ok and f'action="{path}"' not in text:
            self.ticket = None
            self.events["ended"] += 1
        elif outcome.ok:
            outcome.ok, outcome.status = False, "200, not ended"
        return outcome

    def open_loop(self, seconds: float) -> list[Outcome]:
        """Each stream in a thread of its own, its requests due at Poisson arrivals at this process's
        share of its rate (the polls of many screens or pages, each regular, add up to the same); a
        latency runs from the moment the request was due."""
        outcomes: list[Outcome] = []
        start = time.perf_counter()

        def stream_thread(number: int, stream: str, rate: float) -> None:
            rng = random.Random(f"{self.index}:{number}")
            connection = self.connection()
            due = start
            while (due := due + rng.expovariate(rate / CLIENTS)) < start + seconds:
                time.sleep(max(0.0, due - time.perf_counter()))
                outcome = self.send(stream, connection)
                outcome.latency = time.perf_counter() - due
                outcomes.append(outcome)

        threads = [
            threading.Thread(target=stream_thread, args=(number, stream, rate))
            for number, (stream, rate) in enumerate(STREAMS.items())
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    def closed_loop(self, seconds: float, streams: dict[str, float]) -> list[Outcome]:
        """Requests one after the other, as fast as they are answered, each of a stream drawn in the
        proportions of `streams` (stream: weight)."""
        rng = random.Random(f"{self.index}:closed")
        connection = self.connection()
        names, weights = list(streams), list(streams.values())
        outcomes = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            outcomes.append(self.send(rng.choices(names, weights)[0], connection))
        return outcomes


def _client(base: str, index: int, paths: dict, accounts: dict, plan: dict, ready, out) -> None:
    """A client process: signs in, then each phase of the plan (phase: seconds) with the others: the
    open loop ("open"), the mix at saturation ("closed"), then each stream alone."""
    try:
        centre = Centre(base, index, paths, accounts)
        centre.sign_in()
        centre.warm_up()
        for phase, seconds in plan.items():
            ready.wait()
            centre.events.clear()
            if phase == "open":
                outcomes = centre.open_loop(seconds)
            else:
                outcomes = centre.closed_loop(seconds, STREAMS if phase == "closed" else ALONE[phase])
            out.put((phase, outcomes, dict(centre.events)))
    except Exception:
        out.put(("crash", traceback.format_exc(), {}))
        ready.abort()


def _measure(base: str, paths: dict, accounts: list[dict], plan: dict[str, float]) -> dict:
    """Runs the client processes through the phases of the plan (phase: seconds); returns their
    outcomes and events by phase."""
    by_name = {account["username"]: account for account in accounts}
    context = multiprocessing.get_context("spawn")
    ready, out = context.Barrier(CLIENTS), context.Queue()
    clients = []
    for index in range(CLIENTS):
        mine = {role: by_name[f"bench-{role}-{index}"] for role in ("desk", "adviser", "director")}
        clients.append(
            context.Process(target=_client, args=(base, index, paths, mine, plan, ready, out), daemon=True)
        )
    for client in clients:
        client.start()
    phases = {
        phase: {"seconds": seconds, "outcomes": [], "events": Counter()} for phase, seconds in plan.items()
    }
    for _ in range(len(plan) * CLIENTS):
        while True:
            try:
                phase, outcomes, events = out.get(timeout=5)
                break
            except queue.Empty:
                if any(client.exitcode for client in clients):
                    raise RuntimeError("a client process died") from None
        if phase == "crash":
            raise RuntimeError(f"a client process failed:\n{outcomes}")
        phases[phase]["outcomes"] += outcomes
        phases[phase]["events"].update(events)
    for client in clients:
        client.join()
    return phases


# --- figures --------------------------------------------------------------------------------------


def _results(phase: dict) -> dict[str, harness.Result]:
    """A Result by kind, and one for all of them ("all"); a wrong answer counts as an error."""
    by_kind = defaultdict(list)
    for outcome in phase["outcomes"]:
        by_kind[outcome.kind].append(outcome)
        by_kind["all"].append(outcome)
    return {
        kind: harness.Result(
            kind,
            len(items),
            sum(1 for outcome in items if not outcome.ok),
            phase["seconds"],
            [outcome.latency for outcome in items],
        )
        for kind, items in by_kind.items()
    }


def _tickets_today(url: str) -> dict[str, int]:
    """Today's tickets by status: all of them the benchmark's (the demo history ends yesterday)."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM accueil_ticket WHERE service_date = "
            "(now() AT TIME ZONE 'Europe/Brussels')::date GROUP BY status ORDER BY count(*) DESC"
        ).fetchall()
    return dict(rows)


def _rate(value: float) -> str:
    """A rate in requests a second: whole above 100, two decimals below."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


FIGURES = f"{'req/s':>7} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}"


def _figures(result: harness.Result | None) -> str:
    """A result's columns under FIGURES: rate, errors, p50 and p99 (dashes when nothing was measured)."""
    if result is None or not result.requests:
        return f"{_rate(0.0):>7} {0:>6} {'-':>8} {'-':>8}"
    return f"{_rate(result.rate):>7} {result.errors:>6} {result.p50:>8.1f} {result.percentile(0.99):>8.1f}"


def _by_kind(title: str, phase: dict, targets: dict[str, float] | None = None) -> dict[str, harness.Result]:
    """Prints a measure by kind and for all kinds (with the target rates, when given); returns its results."""
    results = _results(phase)
    print(f"\n  {title}")
    print(f"  {'kind':<44}" + (f" {'target':>7}" if targets else "") + f" {FIGURES} {'done':>6}")
    for kind in [*RATES, "all"]:
        result = results.get(kind)
        target = f" {targets[kind]:>7.3f}" if targets else ""
        print(f"  {NAMES[kind]:<44}{target} {_figures(result)} {result.requests if result else 0:>6}")
    return results


def _print(setup: dict, phases: dict, floor: harness.Result) -> None:
    """The setup, the mix, each measure and the queue's figures, in 100 columns."""
    rows = setup["rows"]
    target = {**RATES, "all": sum(RATES.values())}
    print("\nLoad: the desk, the queue, the agenda and the dashboard in the peak hour at 10x the 2019 rate")
    print(
        f"  gunicorn, 2 workers, {CLIENTS} client processes, production settings; {rows['visits']:,} visits "
        f"({rows['this_year']:,} this year),\n  {rows['tickets']:,} tickets, {rows['consultations']:,} "
        f"consultations, {rows['activities']:,} activities ({rows['ahead']} ahead); history seeded in "
        f"{setup['seeded']:.0f} s"
    )

    queries = defaultdict(list)
    for phase in phases.values():
        for outcome in phase["outcomes"]:
            if outcome.queries is not None:
                queries[outcome.kind].append(outcome.queries)
    print("\n  The mix: the peak hour of a busy day (the arithmetic is in bench/load.py)")
    print(f"  {'kind':<44} {'who':<13} {'req/s':>7} {'SQL/request':>12} {'max':>5}")
    for kind, rate in RATES.items():
        counts = queries.get(kind)
        sql = f"{statistics.median(counts):>12.0f} {max(counts):>5}" if counts else f"{'-':>12} {'-':>5}"
        print(f"  {NAMES[kind]:<44} {LABELS[kind][1]:<13} {rate:>7.3f} {sql}")
    print(f"  {NAMES['all']:<44} {'':<13} {target['all']:>7.2f}")
    print("  (SQL/request: the median number of statements, all measures)")

    seconds = phases["open"]["seconds"]
    _by_kind(
        f"At the target rate (open loop, {seconds:.0f} s, Poisson arrivals; latency from when due)",
        phases["open"],
        target,
    )
    print("  (the p99 of fewer than 100 requests is their slowest)")
    seconds = phases["closed"]["seconds"]
    saturated = _by_kind(
        f"At saturation (closed loop, {seconds:.0f} s, {CLIENTS} clients back to back, the same mix)",
        phases["closed"],
    )
    print(f"  {'headroom: saturated rate / target rate':<44} {saturated['all'].rate / target['all']:>7.1f}")

    print(
        f"\n  Each stream alone at saturation ({ALONE_SECONDS:.0f} s each, {CLIENTS} clients), against the "
        "floor of the stack"
    )
    print(f"  {'requests':<44} {FIGURES} {'/ floor':>8}")
    labels = {**NAMES, "desk and queue": "desk entries and the queue's POSTs", "closed": "the mix (as above)"}
    for phase in [*ALONE, "closed"]:
        result = _results(phases[phase])["all"]
        print(f"  {labels[phase]:<44} {_figures(result)} {result.rate / floor.rate:>8.3f}")
    print(f"  {floor.name:<44} {_figures(floor)}")

    print("\n  The queue: tickets issued at the desk, called, started and ended by the advisers")
    for phase, name in (
        ("open", "open loop"),
        ("closed", "saturation"),
        ("desk and queue", "desk and queue alone"),
    ):
        events = phases[phase]["events"]
        print(
            f"    {name}: {events['tickets issued']} issued, {events['called']} called "
            f"({events['calls that found nobody']} calls found nobody), {events['started']} started, "
            f"{events['ended']} ended"
        )
    statuses = ", ".join(f"{status} {count}" for status, count in setup["tickets_today"].items())
    print(f"    today's tickets in the database: {statuses}")

    errors = [(name, o) for name, phase in phases.items() for o in phase["outcomes"] if not o.ok]
    if errors:
        counts = Counter((outcome.kind, outcome.status) for _, outcome in errors)
        print(f"\n  ERRORS: {len(errors)}: " + ", ".join(f"{k} {s} x{n}" for (k, s), n in counts.items()))
        for phase, outcome in errors[:5]:
            print(f"    sample ({phase}): {outcome.kind}, {outcome.status}, {outcome.path}")


def main() -> None:
    """Seeds the database, serves it, measures and prints (about three minutes and a half)."""
    with harness.bench_database("load") as url:
        env = harness.production_env(url, DJANGO_SETTINGS_MODULE="bench.settings")
        seeded = _seed(env)
        accounts = _accounts()
        harness.staff(env, accounts)
        setup = harness.in_django(env, "from bench import load; load.prepare()")
        setup["seeded"] = seeded
        plan = {"open": OPEN_SECONDS, "closed": SATURATION_SECONDS, **dict.fromkeys(ALONE, ALONE_SECONDS)}
        with harness.gunicorn(env, workers=2) as base:
            phases = _measure(base, setup["paths"], accounts, plan)
            floor = harness.load(
                "GET /healthz (the floor)", base, "/healthz", seconds=FLOOR_SECONDS, concurrency=CLIENTS
            )
        setup["tickets_today"] = _tickets_today(url)
    _print(setup, phases, floor)
