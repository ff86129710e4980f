"""The cost of the platform under every page, measured through gunicorn on this machine.

- `/healthz` is answered by the first middleware: the floor of Django behind gunicorn.
- The public home page runs the whole stack: security headers, session, language, three queries,
  templates. Its ratio to the floor is what the platform costs a page.
- The same page with a new database connection per request (DB_CONN_MAX_AGE=0, Django's default)
  shows why the settings keep connections open, with health checks so that they survive a restart.
"""

from bench import harness

SECONDS = 5.0


def main() -> None:
    with harness.bench_database() as url:
        with harness.gunicorn(harness.production_env(url)) as base:
            floor = harness.load("GET /healthz (no database)", base, "/healthz", seconds=SECONDS)
            home = harness.load("GET /fr/ home, persistent connections", base, "/fr/", seconds=SECONDS)
        with harness.gunicorn(harness.production_env(url, DB_CONN_MAX_AGE="0")) as base:
            fresh = harness.load("GET /fr/ home, a connection per request", base, "/fr/", seconds=SECONDS)
    harness.report(
        "Platform: gunicorn, 2 workers, 4 client processes, production settings",
        [floor, home, fresh],
        [
            ("home page / floor (share of the floor's rate)", home, floor),
            ("persistent / per-request connections", home, fresh),
        ],
    )
