"""The consultations' export on the report benchmark's synthetic centre: a million rows, streamed.

The data are those of `bench.report` (ten synthetic years at about 500,000 advice sessions a year,
with their topics, institutions and tickets), generated the same way in a database of its own. Then,
in-process and in the same run, for one year (about 500,000 rows) and for two years (about a million):
- the export as a coordinator gets it (`conseil:consultation_export` through Django's test client:
  permission, wall, audit, then PostgreSQL writing the CSV in one COPY statement, streamed), the whole
  body read: its time, rows, megabytes, and the memory the Python process grew by meanwhile;
- the raw floor: the same columns written by a hand-made COPY statement straight to a file, with no
  Django at all — what the database has to do anyway;
- the previous export (rows turned into model objects, prefetched topics and partners, written by
  Python's csv module), timed on one month and scaled to the same number of rows: what the export cost
  before, a row at a time (it got a 500 at 30.9 s on an institution's whole history).
The ratios say what the export costs beyond the database, and what streaming saved. The absolute times
depend on the machine's other work: read the ratios.
"""

import json
import sys
import time

import psycopg

from bench import harness, report

RAW_COPY = """
COPY (
    SELECT to_char(c.occurred_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD'),
           to_char(c.occurred_at AT TIME ZONE 'Europe/Brussels', 'HH24:MI'),
           p.code, u.username, c.theme_id,
           array_to_string(ARRAY(SELECT t.topic_id FROM conseil_consultation_topics t
                                 WHERE t.consultation_id = c.id ORDER BY t.topic_id), '|'),
           c.mode, c.language_id, c.duration_minutes,
           coalesce(c.gender_id, ''), coalesce(c.age_band_id, ''), coalesce(c.status_id, ''),
           coalesce(c.education_level_id, ''),
           CASE c.foreign_diploma WHEN true THEN 'yes' WHEN false THEN 'no' ELSE '' END,
           coalesce(c.residence_id, ''),
           array_to_string(ARRAY(SELECT rp.code FROM conseil_consultation_referred_partners r
                                 JOIN citedesmetiers_partner rp ON rp.id = r.partner_id
                                 WHERE r.consultation_id = c.id ORDER BY rp.code), '|'),
           c.referred_to_activity::int, c.referred_to_resource::int, c.follow_up::int,
           coalesce((SELECT k.letter || lpad(k.number::text, 3, '0') FROM accueil_ticket k
                     WHERE k.id = c.ticket_id), '')
    FROM conseil_consultation c
    JOIN citedesmetiers_partner p ON p.id = c.partner_id
    JOIN citedesmetiers_user u ON u.id = c.recorded_by_id
    WHERE c.occurred_at >= %(since)s AND c.occurred_at < %(until)s AND c.cancelled_at IS NULL
    ORDER BY c.occurred_at DESC, c.id DESC
) TO STDOUT WITH (FORMAT csv, DELIMITER ';')
"""

PERIODS = [("one year", "2024-01-01", "2024-12-31"), ("two years", "2023-01-01", "2024-12-31")]
MONTH = ("2024-03-01", "2024-03-31")


def measure() -> None:
    """Runs in Django (`manage.py shell`): each period's export through the view, its raw COPY, and the
    previous export on one month. Prints the figures as JSON (its last line)."""
    import resource

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from citedesmetiers.models import User
    from citedesmetiers.roles import Role
    from stats import periods

    coordinator = User.objects.filter(groups__name=Role.COORDINATOR).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    with translation.override("fr"):
        url = reverse("conseil:consultation_export")
    figures = {"periods": [], "previous": None}
    for label, start, end in PERIODS:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        response = client.get(url, {"start": start, "end": end})
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        seconds = time.perf_counter() - began
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        first = periods.Period(start=_day(start), end=_day(end))
        began = time.perf_counter()
        raw_size = 0
        bounds = {"since": first.since, "until": first.until}
        with connection.connection.cursor() as cursor, cursor.copy(RAW_COPY, bounds) as copy:
            for chunk in copy:
                raw_size += len(chunk)
        raw_seconds = time.perf_counter() - began
        figures["periods"].append(
            {
                "label": label,
                "status": response.status_code,
                "rows": rows - 1,
                "megabytes": size / 1e6,
                "seconds": seconds,
                "raw_seconds": raw_seconds,
                "raw_megabytes": raw_size / 1e6,
                "memory_grown_mb": grown / 1024,
            }
        )
    figures["previous"] = _previous(*MONTH)
    print(json.dumps(figures))


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)


def _previous(start: str, end: str) -> dict:
    """The export as it was before streaming: model objects, prefetches, Python's csv; its time a row."""
    from citedesmetiers.exports import csv_bytes
    from citedesmetiers.models import User
    from citedesmetiers.roles import Role
    from conseil import selectors

    coordinator = User.objects.filter(groups__name=Role.COORDINATOR).first()
    selection = selectors.consultation_list(user=coordinator, start=_day(start), end=_day(end))
    selection = selection.prefetch_related("topics", "referred_partners").select_related("ticket__theme")
    began = time.perf_counter()
    rows = []
    for item in selection:
        rows.append(
            [
                item.occurred_at.date().isoformat(),
                item.partner.code,
                item.recorded_by.get_username(),
                "|".join(topic.code for topic in item.topics.all()),
                "|".join(partner.code for partner in item.referred_partners.all()),
                item.ticket.label if item.ticket_id else "",
            ]
        )
    csv_bytes(["date", "institution", "adviser", "topics", "referred_partners", "ticket"], rows)
    return {"rows": len(rows), "seconds": time.perf_counter() - began}


def main() -> None:
    with harness.bench_database("export") as url:
        generated = report.generate(url)
        with psycopg.connect(url) as connection:
            consultations = connection.execute("SELECT count(*) FROM conseil_consultation").fetchone()[0]
        took = generated["seconds"]
        print(f"Consultations' export — {consultations:,} consultations generated in {took:.0f} s")
        sys.stdout.flush()
        figures = harness.in_django(harness.production_env(url), "from bench import export; export.measure()")
    _print_measures(figures)


def _print_measures(figures: dict) -> None:
    previous = figures["previous"]
    per_row_before = previous["seconds"] / max(previous["rows"], 1)
    print(f"{'period':<10} {'rows':>10} {'MB':>7} {'export s':>9} {'raw COPY s':>11} {'ratio':>6} "
          f"{'memory +MB':>11} {'before s (est.)':>16} {'speed-up':>9}")  # fmt: skip
    for period in figures["periods"]:
        before, seconds = per_row_before * period["rows"], period["seconds"]
        print(
            f"{period['label']:<10} {period['rows']:>10,} {period['megabytes']:>7.1f} {seconds:>9.2f} "
            f"{period['raw_seconds']:>11.2f} {seconds / period['raw_seconds']:>5.2f}× "
            f"{period['memory_grown_mb']:>11.1f} {before:>16.1f} {before / seconds:>8.1f}×"
        )
    print(
        f"(before: the previous export, model objects and Python's csv, timed on {previous['rows']:,} rows "
        f"of one month: {per_row_before * 1e6:.1f} µs a row; the worker's limit is 30 s)"
    )
