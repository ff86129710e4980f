"""The benchmarks' code paths at a tiny scale, so that none of them can rot between two runs of `make bench`.

Each benchmark (bench/) fills a database of its own, then measures through gunicorn; here the code of each
that runs in Django or on the database (the data generators, what `harness.in_django` runs) runs on the
test database instead, with a few rows, and its output goes through the benchmark's printing code.
Gunicorn, the load generator's processes and the timings themselves are not tested.
"""

import json
from urllib.parse import quote

import pytest
from django.db import connection

from bench import export, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A fortieth of the report's rows, on the two years it compares: a few thousand rows a table, and
# still some in every rhythm's busiest slots (activities included).
REPORT_SCALE = 0.015
REPORT_YEARS = range(2023, 2025)


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The benchmarks serve production settings over plain HTTP on the loopback (harness.production_env)."""
    settings.SECURE_SSL_REDIRECT = False


def _database_url() -> str:
    """The test database's URL, as the benchmarks' generators and commands take it."""
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    host = quote(str(settings["HOST"] or ""), safe="")
    return f"postgresql://{credentials}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _printed(capsys) -> dict:
    """The JSON object a function run by `harness.in_django` printed as its last line, as it reads it."""
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_report_and_export(capsys):
    generated = report.generate(_database_url(), scale=REPORT_SCALE, years=REPORT_YEARS)
    assert generated["years"] == [2023, 2024]
    for table in report.COUNTED:
        assert generated["rows"][table] > 0, table
    report._print_generation(generated)
    assert "2 synthetic years (2023–2024)" in capsys.readouterr().out

    report.measure(2024, runs=1)
    figures = _printed(capsys)
    assert figures["years"] == [2024, 2023]
    assert set(figures["sections"]) == {name for _, names, _ in report.SECTIONS for name in names}
    assert set(figures["families"]) == set(report.RAW)
    assert figures["slowest"]
    assert figures["plans"]
    # The report and the raw SQL agree on the headline figures, and there are some.
    for row in figures["headlines"]:
        assert row["report"] == row["raw"], row["label"]
    assert all(row["report"][0] > 0 for row in figures["headlines"])
    report._print_measures(figures)
    printed = capsys.readouterr().out
    assert "report / raw SQL" in printed
    assert "DISAGREE" not in printed

    # The export benchmark runs on the report's data.
    export.measure()
    figures = _printed(capsys)
    assert [period["label"] for period in figures["periods"]] == ["one year", "two years"]
    for period in figures["periods"]:
        assert period["status"] == 200
        assert period["rows"] > 0
        # The view and the raw COPY write the same rows (the view adds a header line).
        assert period["raw_megabytes"] > 0
    assert figures["previous"]["rows"] > 0
    export._print_measures(figures)
    assert "speed-up" in capsys.readouterr().out
