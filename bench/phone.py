"""Hundreds of visitors' phones polling their tickets' page, against the waiting-room screen's own cost.

A database of its own holds a busy morning: PHONES people waiting with a ticket (the five themes, French,
Dutch and English, a few priorities, some asking for an institution), ADVISERS advisers on duty who have
called and served people in the last hour (so that the waits have a pace) and each have someone called.
All run in the same gunicorn (production settings, 2 workers), in the same run:
- each request alone at saturation (closed loop, 4 client processes): the phone page's fragment as htmx
  polls it (each request another ticket's), the phone page in full (opened from the QR code), and the
  waiting-room screen's fragment as the screen polls it; against the floor of the stack (`/healthz`).
  The ratios say what one phone's poll costs against one screen's;
- the room as it would be (open loop, Poisson arrivals, latency from the moment a request was due):
  PHONES phones polling every PHONE_POLL_SECONDS and one screen every SCREEN_POLL_SECONDS, together: the
  latency of each (p50, p95), and the share of the server's capacity that each takes (its rate over the
  rate it reaches alone);
- the SQL statements of each request (X-Bench-Queries, bench/middleware.py): mean and most.
"""

import http.client
import json
import random
import statistics
import threading
import time
from urllib.parse import urlsplit

from bench import harness
from bench.middleware import QUERIES_HEADER

SECONDS = 5.0
OPEN_SECONDS = 20.0
PHONES = 300
ADVISERS = 5
PHONE_POLL_SECONDS = 10  # accueil.views.PHONE_POLL_SECONDS
SCREEN_POLL_SECONDS = 3  # templates/accueil/partials/waiting_room_board.html
THREADS = 12  # client threads of the open loop, each with its own connection
HTMX = {"HX-Request": "true"}
THEMES = ["choisir", "apprendre", "bouger", "entreprendre", "travailler"]
# Actiris advises on choisir, travailler and bouger, efp on apprendre and entreprendre.
ADVISER_PARTNERS = ["actiris", "actiris", "actiris", "efp", "efp"]


def prepare(phones: int = PHONES, advisers: int = ADVISERS) -> None:
    """Runs in Django (`manage.py shell`): today's queue, then prints (as its last line) the paths the
    clients ask for and how many tickets wait."""
    import uuid
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone, translation

    from accueil import services
    from accueil.models import Priority, Ticket, TicketStatus
    from citedesmetiers.models import Partner, User

    rng = random.Random(2026)
    now = timezone.now()
    reception = User.objects.create_user("bench-reception-phone")
    reception.groups.add(Group.objects.get(name="reception_agent"))
    partners = {code: Partner.objects.get(code=code) for code in set(ADVISER_PARTNERS)}
    staff = []
    for index in range(advisers):
        adviser = User.objects.create_user(f"bench-adviser-phone-{index}")
        adviser.groups.add(Group.objects.get(name="adviser"))
        adviser.partner = partners[ADVISER_PARTNERS[index % len(ADVISER_PARTNERS)]]
        adviser.save()
        adviser.languages.set(["fr", "nl", "en"])
        staff.append(adviser)
    # The people served in the last hour, then those waiting: a ticket every few seconds, oldest first.
    served, total = 3 * advisers, 3 * advisers + advisers + phones
    for number in range(total):
        at = now - timedelta(seconds=2 * (total - number))
        services.visit_create(
            key=uuid.uuid4(),
            user=reception,
            occurred_at=at,
            theme=THEMES[number % len(THEMES)],
            orientation="advice",
            language=rng.choices(["fr", "nl", "en"], weights=[6, 3, 1])[0],
            channel="on_site",
            partner=partners["actiris"].pk if rng.random() < 0.1 and number % 5 in (0, 2, 4) else None,
            now=at,
        )
    for index, adviser in enumerate(staff):
        desk = str(index + 1)
        services.duty_start(adviser=adviser, desk=desk, now=now)
        for _ in range(served // advisers):
            ticket = services.ticket_call_next(adviser=adviser, desk=desk)
            if ticket is not None:
                services.ticket_end(
                    ticket=services.ticket_start(ticket=ticket, adviser=adviser), adviser=adviser
                )
        services.ticket_call_next(adviser=adviser, desk=desk)
    waiting = list(Ticket.objects.filter(status=TicketStatus.WAITING).order_by("?")[: max(1, phones // 20)])
    for ticket in waiting:
        services.ticket_prioritise(ticket=ticket, user=reception, reason=Priority.REDUCED_MOBILITY)
    tokens = list(
        Ticket.objects.filter(service_date=timezone.localdate(now), status__in=["waiting", "called"])
        .order_by("issued_at")
        .values_list("token", flat=True)
    )
    with translation.override("fr"):
        paths = {
            "phones": [reverse("accueil:ticket_phone", args=[token]) for token in tokens],
            "screen": reverse("accueil:waiting_room"),
        }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = {
        "waiting": Ticket.objects.filter(status=TicketStatus.WAITING).count(),
        "called": Ticket.objects.filter(status=TicketStatus.CALLED).count(),
        "served": Ticket.objects.filter(status=TicketStatus.DONE).count(),
    }
    print(json.dumps({"paths": paths, "rows": rows}))


class Polls:
    """GETs of the given paths in turn (another ticket's page each time), as htmx sends them or not."""

    def __init__(self, paths: list[str], headers: dict[str, str]):
        self.paths = paths
        self.headers = {"Accept-Language": "fr", **headers}

    def prepare(self, connection) -> dict:
        return {"next": random.randrange(len(self.paths))}

    def request(self, state):
        state["next"] += 1
        return "GET", self.paths[state["next"] % len(self.paths)], None, self.headers


def _get(connection: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[bool, int]:
    connection.request("GET", path, headers={"Accept-Language": "fr", **headers})
    response = connection.getresponse()
    response.read()
    return response.status == 200, int(response.getheader(QUERIES_HEADER) or 0)


def open_loop(base: str, streams: dict[str, tuple[list[str], float, dict]], seconds: float) -> dict:
    """Each stream (name: paths, requests a second, headers) spread over client threads with Poisson
    arrivals; a latency runs from the moment its request was due. Returns, by stream, a Result and the
    statements each request ran."""
    target = urlsplit(base)
    outcomes = {name: ([], [], [0]) for name in streams}  # latencies, queries, errors
    start = time.perf_counter() + 0.2

    def client(name: str, paths: list[str], rate: float, headers: dict, seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        latencies, queries, errors = outcomes[name]
        due = start
        while (due := due + rng.expovariate(rate)) < start + seconds:
            time.sleep(max(0.0, due - time.perf_counter()))
            try:
                ok, count = _get(connection, rng.choice(paths), headers)
            except (OSError, http.client.HTTPException):
                ok, count = False, 0
                connection.close()
            latencies.append(time.perf_counter() - due)
            queries.append(count)
            errors[0] += not ok

    threads = []
    for name, (paths, rate, headers) in streams.items():
        count = max(1, min(THREADS, round(rate)))
        for index in range(count):
            seed = f"{name}:{index}"
            threads.append(threading.Thread(target=client, args=(name, paths, rate / count, headers, seed)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        name: (harness.Result(name, len(latencies), errors[0], seconds, latencies), queries)
        for name, (latencies, queries, errors) in outcomes.items()
    }


def _queries(base: str, paths: list[str], headers: dict, samples: int = 60) -> list[int]:
    """The statements of `samples` requests one after the other (another ticket's page each time)."""
    target = urlsplit(base)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    return [_get(connection, paths[index % len(paths)], headers)[1] for index in range(samples)]


def main() -> None:
    with harness.bench_database("phone") as url:
        env = harness.production_env(url, DJANGO_SETTINGS_MODULE="bench.settings")
        setup = harness.in_django(env, f"from bench import phone; phone.prepare({PHONES}, {ADVISERS})")
        phones, screen = setup["paths"]["phones"], setup["paths"]["screen"]
        with harness.gunicorn(env) as base:
            # Each worker reads its templates before anything is measured.
            for paths, headers in ((phones, HTMX), (phones, {}), ([screen], HTMX)):
                _queries(base, paths, headers, samples=8)
            floor = harness.load("GET /healthz (floor of the stack)", base, "/healthz", seconds=SECONDS)
            fragment = harness.load(
                "GET phone fragment (htmx poll)", base, Polls(phones, HTMX), seconds=SECONDS
            )
            full = harness.load(
                "GET phone page (opened from the QR)", base, Polls(phones, {}), seconds=SECONDS
            )
            board = harness.load(
                "GET screen fragment (htmx poll)", base, Polls([screen], HTMX), seconds=SECONDS
            )
            room = open_loop(
                base,
                {
                    "phones": (phones, PHONES / PHONE_POLL_SECONDS, HTMX),
                    "screen": ([screen], 1 / SCREEN_POLL_SECONDS, HTMX),
                },
                OPEN_SECONDS,
            )
            queries = {
                "phone fragment": _queries(base, phones, HTMX),
                "phone page": _queries(base, phones, {}),
                "screen fragment": _queries(base, [screen], HTMX),
            }
    rows = setup["rows"]
    harness.report(
        f"The visitor's phone: gunicorn, 2 workers, production settings; {rows['waiting']} people waiting, "
        f"{rows['called']} called, {rows['served']} served in the last hour",
        [floor, fragment, full, board],
        [
            # Rates the other way round: what one request costs against the other.
            ("one phone poll's cost / one screen poll's", board, fragment),
            ("phone page in full / phone poll", fragment, full),
            ("one phone poll's cost / the floor", floor, fragment),
        ],
    )
    print(
        f"\n  Together, open loop for {OPEN_SECONDS:.0f} s: {PHONES} phones every {PHONE_POLL_SECONDS} s "
        f"and 1 screen every {SCREEN_POLL_SECONDS} s"
    )
    print(f"  {'stream':<30} {'req/s':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'capacity':>9}")
    alone = {"phones": fragment, "screen": board}
    for name, label in (("phones", f"{PHONES} phones"), ("screen", "1 screen")):
        result, _ = room[name]
        share = result.rate / alone[name].rate if alone[name].rate else 0.0
        print(
            f"  {label:<30} {result.rate:>7.2f} {result.errors:>7} {result.p50:>8.1f} "
            f"{result.percentile(0.95):>8.1f} {share:>8.1%}"
        )
    phones_result, screen_result = room["phones"][0], room["screen"][0]
    if screen_result.requests:
        print(f"  {'p50 of a phone / of the screen':<30} {phones_result.p50 / screen_result.p50:>7.2f}")
    # What the phones ask of the server, in screens: their rate times a poll's cost, over one screen's.
    load = (PHONES / PHONE_POLL_SECONDS / fragment.rate) / (1 / SCREEN_POLL_SECONDS / board.rate)
    print(f"  {f'{PHONES} phones, in screens':<30} {load:>7.1f}")
    print(f"\n  {'SQL statements per request':<30} {'mean':>7} {'most':>7}")
    for name, counts in queries.items():
        print(f"  {name:<30} {statistics.mean(counts):>7.2f} {max(counts):>7}")


if __name__ == "__main__":
    main()
