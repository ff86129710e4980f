"""The director's dashboard on one, five and ten years of history at a million contacts a year.

For each length of history, a database of its own is filled by the report benchmark's generator
(bench/report.py: every table, in the demo centre's rhythm, ending with 2025), then, in-process (the view
called through Django's test client, as a signed-in director opens it; no HTTP server):
- the dashboard of the year 2025, of its second quarter and of May 2025: the server's time for the whole
  view (figures, template) and its number of SQL statements, counted (the first request after a row of a
  closed day changed: the kept figures of the period, the queue's, reception's changes, the activities'
  and the multimedia space's, counted from their rows and kept, see citedesmetiers.summaries.Kept),
  cold (the first request after a restart: no cached reference rows, the kept figures still in the
  database; best of 3, each after the reference rows were forgotten) and warm (best of 5 after it);
- beside each, the goals of issue 19: 0.2 s and 15 statements whatever the length of the history, and the
  first request within 2 times a warm one.
`BENCH_SCALE` (default 1) scales the rows a year (0.1: a tenth, for a quicker run).
"""

import json
import os
import time

from bench import harness
from bench import report as generator

HISTORIES = (1, 5, 10)
LAST = 2025
GOAL_SECONDS, GOAL_STATEMENTS, GOAL_COLD = 0.2, 15, 2.0
RUNS = 5
COLD_RUNS = 3
PASSWORD = "bench-password-0123456789"
USERNAME = "bench-director"
PERIODS = (("year", f"{LAST}"), ("quarter", f"{LAST}-Q2"), ("month", f"{LAST}-05"))


def _once(client, path: str) -> tuple[float, int, int]:
    """One request of the dashboard: seconds, SQL statements, status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - start
    return seconds, len(queries.captured_queries), response.status_code


def measure(runs: int = RUNS) -> None:
    """Runs in Django (`manage.py shell`): the dashboard of each period, counted (the kept figures
    forgotten), cold (best of 3, the reference rows forgotten before each) then best of `runs` warm, for
    the director USERNAME, after one request to load the process; prints the figures as JSON (its last
    line)."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from citedesmetiers import summaries
    from citedesmetiers.models import User
    from citedesmetiers.selectors import reference_cache_clear

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USERNAME))
    with translation.override("fr"):
        dashboard = reverse("stats:dashboard")
    _once(client, f"{dashboard}?period={PERIODS[-1][1]}")  # the templates and the URLs loaded
    figures = {}
    for name, slug in PERIODS:
        path = f"{dashboard}?period={slug}"
        for kept in summaries.registered("kept_figures"):  # every kind
            kept.forget()
        counted, counted_statements, _status = _once(client, path)
        colds = []
        for _ in range(COLD_RUNS):  # each after the reference rows were forgotten, as after a restart
            reference_cache_clear()
            colds.append(_once(client, path))
        cold, cold_statements, status = min(colds, key=lambda measured: measured[0])
        warm = min((_once(client, path) for _ in range(runs)), key=lambda measured: measured[0])
        figures[name] = {
            "status": status,
            "counted": counted,
            "counted_statements": counted_statements,
            "cold": cold,
            "cold_statements": cold_statements,
            "warm": warm[0],
            "statements": warm[1],
        }
    print(json.dumps(figures))


def _print(results: list[tuple[int, dict, dict]], scale: float) -> None:
    print(
        f"\nDashboard (in-process, production settings, a director signed in): synthetic centre at scale "
        f"{scale:g} (about {1_100_000 * scale:,.0f} contacts a year), histories ending in {LAST}"
    )
    print(
        f"  {'history':<10} {'period':<8} {'rows':>11} {'warm s':>8} {'goal':>6} {'SQL':>5} {'goal':>5} "
        f"{'cold s':>8} {'cold/warm':>10} {'goal':>5} {'counted s':>10} {'SQL':>5}"
    )
    for history, generated, figures in results:
        rows = sum(generated["rows"].values())
        for name, _slug in PERIODS:
            measured = figures[name]
            ratio = measured["cold"] / measured["warm"] if measured["warm"] else 0.0
            print(
                f"  {f'{history} years':<10} {name:<8} {rows:>11,} {measured['warm']:>8.3f} "
                f"{GOAL_SECONDS:>6.1f} {measured['statements']:>5} {GOAL_STATEMENTS:>5} "
                f"{measured['cold']:>8.3f} {ratio:>10.2f} {GOAL_COLD:>5.1f} {measured['counted']:>10.3f} "
                f"{measured['counted_statements']:>5}"
            )
    print(
        "  counted: the first request after a row of a closed day changed (every kind of kept figures of "
        "the period counted again and kept); cold: best of 3, the reference rows forgotten before each"
    )
    for history, generated, _figures in results:
        if "summarised" in generated:
            print(f"  daily summaries of {history} years written in {generated['summarised']:.1f} s")


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    results = []
    for history in HISTORIES:
        with harness.bench_database(f"dashboard{history}") as url:
            generated = generator.generate(url, scale=scale, years=range(LAST - history + 1, LAST + 1))
            env = harness.production_env(url)
            harness.collect_static(env)  # the dashboard's page names its static files
            generated["summarised"] = harness.summarise(env)
            harness.staff(env, [{"username": USERNAME, "password": PASSWORD, "role": "director"}])
            figures = harness.in_django(env, "from bench import dashboard; dashboard.measure()")
            results.append((history, generated, figures))
            print(f"  ({history} years generated and measured)", flush=True)
    _print(results, scale)


if __name__ == "__main__":
    main()
