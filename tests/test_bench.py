"""The benchmarks' code paths at a tiny scale, so that none of them can rot between two runs of `make bench`.

Each benchmark (bench/) fills a database of its own, then measures through gunicorn; here the code of each
that runs in Django or on the database (the data generators, what `harness.in_django` runs) runs on the
test database instead, with a few rows, and its output goes through the benchmark's printing code.
Gunicorn, the load generator's processes and the timings themselves are not tested.
"""

import json
from collections import Counter
from urllib.parse import quote

import pytest
from django.db import connection

from accueil.models import VisitDay
from bench import agenda, catalogue, dashboard, desk, export, harness, load, phone, report, restart
from bench.middleware import QUERIES_HEADER

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A hundredth of the report's rows on the two years it compares: hundreds to thousands of rows in every
# table (below scale 1 each opening hour's share is rounded at random, so the small tables are not empty).
REPORT_SCALE = 0.01
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
    # The daily summaries, as the scheduler would have written them: the figures below read them.
    harness._summarise()
    assert _printed(capsys)["seconds"] > 0
    assert VisitDay.objects.filter(day__year=2024).exists()

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

    # So does the dashboard's, for a director.
    harness._staff_create(
        [{"username": dashboard.USERNAME, "password": dashboard.PASSWORD, "role": "director"}]
    )
    capsys.readouterr()
    dashboard.measure(runs=1)
    figures = _printed(capsys)
    assert set(figures) == {name for name, _slug in dashboard.PERIODS}
    for measured in figures.values():
        assert measured["status"] == 200
        assert measured["statements"] > 0
    dashboard._print([(1, generated, figures)], REPORT_SCALE)
    printed = capsys.readouterr().out
    assert "1 years" in printed
    assert "quarter" in printed


def test_agenda(capsys, tmp_path):
    pages_file = tmp_path / "pages.json"
    agenda.prepare(str(pages_file), activities=12)
    figures = _printed(capsys)
    assert figures["rows"]["activities"] == 12
    for name in agenda.PAGES:
        assert figures[name]["bytes"] > 0
        assert figures[name]["queries"] > 0
    # The bare view returns the pages as captured.
    assert set(json.loads(pages_file.read_text())) == set(agenda.PAGES)
    agenda._print_pages(figures)
    assert figures["feed"]["path"] in capsys.readouterr().out


def test_catalogue(capsys, tmp_path):
    catalogue.prepare(str(tmp_path / "pages.json"), resources=40)
    figures = _printed(capsys)
    assert figures["rows"]["resources"] == 40
    # The search's test set ran on the demo catalogue, rolled back afterwards.
    test_set = figures["test_set"]
    assert test_set["searches"] > 0
    assert test_set["hits"] + len(test_set["misses"]) == test_set["searches"]
    assert test_set["resources"] > 40
    for name in catalogue.SEARCHES:
        assert figures[name]["results"] >= 0
        assert figures[name]["queries"] > 0
    assert figures["common"]["results"] > 0
    assert set(figures["plan"]) == {"chosen", "unguided"}
    catalogue._print_figures(figures)
    assert "hit rate" in capsys.readouterr().out


def test_phone(capsys, client):
    phone.prepare(phones=6, advisers=2)
    setup = _printed(capsys)
    assert setup["rows"]["waiting"] > 0
    assert setup["rows"]["called"] == 2
    assert setup["rows"]["served"] == 6
    # What the clients ask for answers, as htmx polls it and in full.
    polls = phone.Polls(setup["paths"]["phones"], phone.HTMX)
    state = polls.prepare(None)
    for _ in range(2):
        method, path, _body, headers = polls.request(state)
        assert client.generic(method, path, headers=headers).status_code == 200
    screen = client.get(setup["paths"]["screen"], headers=phone.HTMX)
    assert screen.status_code == 200


@pytest.fixture
def bench_server(settings):
    """The benchmark server's settings (bench/settings.py): its bare views and its query counter."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.query_count", *settings.MIDDLEWARE]


def _send(client, request) -> object:
    """Sends one request of a load generator's scenario (method, path, body, headers) through Django's
    test client, which keeps the session's cookies itself."""
    method, path, body, headers = request
    headers = {name: value for name, value in headers.items() if name not in ("Cookie", "Content-Length")}
    content_type = headers.pop("Content-Type", "application/octet-stream")
    return client.generic(method, path, body or "", content_type=content_type, headers=headers)


def test_desk(capsys, client, bench_server, monkeypatch):
    account = {"username": desk.USERNAME, "password": desk.PASSWORD, "role": "reception_agent"}
    harness._staff_create([account])
    user_id = _printed(capsys)[desk.USERNAME]
    monkeypatch.setenv("BENCH_USER_ID", str(user_id))

    bare = _send(client, desk.BareInsert().request(None))
    assert bare.status_code == 200
    assert bare[QUERIES_HEADER] == "1"
    assert client.login(username=desk.USERNAME, password=desk.PASSWORD)
    page = client.get("/fr/accueil/")
    token = harness.csrf_token(page.content.decode())
    insert = desk.SignedInInsert(desk.USERNAME)
    assert _send(client, insert.request(insert.state({}, token))).status_code == 200
    entry = desk.DeskEntry(desk.USERNAME, advice_share=2)
    state = entry.state({}, token)
    for _ in range(2):  # an information entry, then one directed to advice (with a ticket)
        assert _send(client, entry.request(state)).status_code == 200

    from accueil.models import Ticket, Visit

    assert Visit.objects.count() == 4
    assert Ticket.objects.count() == 1
    # The restart benchmark reads the desk's table afterwards: every key once, the ticket numbered.
    stored = restart._stored(_database_url())
    assert sorted(stored["rows"].values()) == [1, 1, 1, 1]
    assert stored["duplicated"] == []
    assert list(stored["tickets"].values()) == [1]
    assert [row[1:] for row in stored["numbering"]] == [(1, 1, 1)]


def test_load(capsys):
    # The demo centre's first days, as `make run` seeds it.
    load._seed(harness.production_env(_database_url()), until="2018-03-07")
    accounts = load._accounts()
    harness._staff_create(accounts)
    assert len(_printed(capsys)) == len(accounts)
    load.prepare(activities=6)
    setup = _printed(capsys)
    assert setup["rows"]["visits"] > 0
    assert setup["rows"]["ahead"] == 6
    assert len(setup["paths"]["activities"]) == 6
    assert "{}" in setup["paths"]["ticket"]
    # The printing code, with a request of each kind in each phase.
    setup["seeded"] = 0.0
    setup["tickets_today"] = load._tickets_today(_database_url())
    outcomes = [load.Outcome(kind, 0.01, True, "200", "/", 3) for kind in load.RATES]
    phases = {
        phase: {"seconds": 1.0, "outcomes": outcomes, "events": Counter()}
        for phase in ["open", "closed", *load.ALONE]
    }
    floor = harness.Result("GET /healthz (the floor)", 10, 0, 1.0, [0.001] * 10)
    load._print(setup, phases, floor)
    assert "headroom" in capsys.readouterr().out


def test_measures_taken_in_turns_are_combined_round_by_round(monkeypatch):
    calls = []

    def load(name, base, scenario, *, seconds):
        calls.append(name)
        return harness.Result(name, len(calls) * 10, 0, seconds, [0.001] * len(calls))

    monkeypatch.setattr(harness, "load", load)
    rounds = harness.in_turns("http://127.0.0.1:1", [("a", None), ("b", None)], rounds=3, seconds=2.0)
    assert calls == ["a", "b", "a", "b", "a", "b"]
    first = harness.combined(rounds[0])
    assert (first.name, first.requests, first.seconds, len(first.latencies)) == ("a", 90, 6.0, 9)
    assert [result.requests for result in rounds[1]] == [20, 40, 60]
