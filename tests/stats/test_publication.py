"""The publications of a year, attacked: a demo centre seeded from the opening to February 2019, and an
attacker (tests/stats/attacker.py) who holds every publication the interface offers for 2018 and 2019 —
the centre's report and every institution's, all their tables, key figures, queue tables and comparison
columns — and knows how their counts add up. It must work out no hidden count exactly, narrow no "<5"
within 1–4, and find no small count shown. Also: which outputs are publications, and a year published
twice (as "this year" and as "a year earlier") shows the same cells hidden."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from citedesmetiers.models import Partner
from conseil.models import Consultation
from stats import periods, report, selectors
from stats.selectors import AGE_GROUPS, Scope
from tests.stats.attacker import Knowledge, disclosures

pytestmark = pytest.mark.django_db

# Tables of two-way families: the centre's row of a code is the sum of the institutions' rows.
SUMMED = [
    "advice_theme",
    "advice_topic",
    "advice_language",
    "advice_mode",
    "advice_gender",
    "advice_age",
    "advice_age_band",
    "activities_theme",
    "participants_theme",
    "activities_kind",
    "activities_language",
    "activities_audience",
]
# What each table's total is, as its definition says.
TOTAL_OF = {
    "advice.sessions": [
        "advice_theme",
        "advice_language",
        "advice_mode",
        "advice_gender",
        "advice_age",
        "advice_age_band",
        "advice_partner",
    ],
    "activities.count": ["activities_theme", "activities_kind", "activities_partner"],
    "activities.participants": ["participants_theme"],
}
# Tables where an item counts under several rows: each row is at most the items counted.
MENTIONS = {
    "advice_topic": "advice.sessions",
    "activities_language": "activities.count",
    "activities_audience": "activities.count",
}
COUNTS = ["contacts.total", "contacts.services_total", "advice.sessions", "activities.count"]
COUNTS += ["activities.participants", "multimedia.entries", "online.emails_answered"]


def _scopes() -> list[tuple[str, Scope]]:
    scopes = [("centre", Scope())]
    for partner in Partner.objects.order_by("pk"):
        scopes.append(
            (
                str(partner.pk),
                Scope(partner=partner, consultations=Consultation.objects.filter(partner=partner)),
            )
        )
    return scopes


def _read(year: int) -> dict:
    """Every publication of a year as the interface gives it, and the same reports with exact counts."""
    period = periods.year(year)
    read = {}
    for key, scope in _scopes():
        published = report.report_context(period, scope=scope, output=report.PUBLICATION)
        exact = report.report_context(period, scope=scope, output=report.INTERNAL)
        read[key] = (published, exact)
    return read


def _knowledge(read: dict) -> tuple[Knowledge, dict]:
    """What a reader of all these publications knows, and the true counts behind it."""
    knows, truth = Knowledge(), {}
    partners = [key for key in read if key != "centre"]

    def see(key, shown, true):
        knows.see(key, shown)
        truth[key] = true

    for scope, (published, exact) in read.items():
        assert published["published"], "a closed calendar year is published"
        assert not exact["published"]
        figures = {row.code: row for row in published["key_figures"]}
        for row, true in zip(published["key_figures"], exact["key_figures"], strict=True):
            if row.code in COUNTS:
                see((scope, "kf", row.code), row.value, true.value)
        women = figures.get("gender.women_pct")
        assert women is None or women.value in (None, "x") or isinstance(women.value, float)
        for table, true in zip(published["tables"], exact["tables"], strict=True):
            if table.key == "team":
                continue  # staff, not people served
            codes = []
            true_values = {row.code: row.value for row in true.rows}
            for row in table.rows:  # a publication also shows the rows of hidden zeros
                see((scope, table.key, row.code), row.value, true_values.get(row.code, 0))
                codes.append((scope, table.key, row.code))
            see((scope, table.key, "*"), table.total.value, true.total.value)
            knows.sums.append(((scope, table.key, "*"), codes))
        for table, true in zip(published["queue_tables"], exact["queue_tables"], strict=True):
            for column, name in ((1, "tickets"), (2, "walkaways")):
                keys = []
                true_values = {code: row[column] for code, row in zip(true.codes, true.rows, strict=True)}
                for code, row in zip(table.codes, table.rows, strict=True):
                    key = (scope, "queue", name, table.key, code or "*")
                    see(key, row[column], true_values.get(code, 0))
                    if code is not None:
                        keys.append(key)
                    if name == "walkaways":
                        knows.at_most.append((key, (scope, "queue", "tickets", table.key, code or "*")))
                knows.sums.append(((scope, "queue", name, table.key, "*"), keys))
                knows.sums.append(
                    ((scope, "queue", name, "queue_theme", "*"), [(scope, "queue", name, table.key, "*")])
                )
        # The definitions: a table's total is the figure it breaks down; shared totals are equal.
        for figure, tables in TOTAL_OF.items():
            for table in tables:
                if (scope, table, "*") in knows.shown:
                    knows.sums.append(((scope, "kf", figure), [(scope, table, "*")]))
        for table, figure in MENTIONS.items():
            for key in [key for key in knows.shown if key[:2] == (scope, table) and key[2] != "*"]:
                knows.at_most.append((key, (scope, "kf", figure)))
        for group, bands in AGE_GROUPS.items():
            parts = [
                (scope, "advice_age_band", band)
                for band in bands
                if (scope, "advice_age_band", band) in knows.shown
            ]
            if (scope, "advice_age", group) in knows.shown:
                knows.sums.append(((scope, "advice_age", group), parts))
        if scope == "centre":
            for table in ("contacts_weekday", "contacts_hour", "contacts_theme"):
                knows.sums.append((("centre", "contacts_month", "*"), [("centre", table, "*")]))
            services = lambda code: ("centre", "services", code)  # noqa: E731
            knows.sums.append((services("advice"), [("centre", "kf", "advice.sessions")]))
            knows.sums.append(
                (services("activity_participants"), [("centre", "kf", "activities.participants")])
            )
            knows.sums.append((services("*"), [("centre", "kf", "contacts.services_total")]))
            knows.at_most.append(
                (("centre", "kf", "multimedia.entries"), services("multimedia_documentation"))
            )
            knows.at_most.append((("centre", "kf", "online.emails_answered"), services("remote")))
            knows.exists(("centre", "direct"))
            knows.sums.append(
                (
                    ("centre", "kf", "contacts.total"),
                    [("centre", "contacts_month", "*"), ("centre", "direct")],
                )
            )
    # Across the reports: the centre's row is the sum of the institutions' rows.
    for table in SUMMED:
        codes = {key[2] for key in knows.shown if key[1] == table}
        for code in codes:
            parts = []
            for partner in partners:
                key = (partner, table, code)
                if key not in knows.shown:
                    see(key, 0, 0)  # a row an institution does not show is a count of nothing
                parts.append(key)
            if ("centre", table, code) not in knows.shown:
                see(("centre", table, code), 0, 0)
            knows.sums.append((("centre", table, code), parts))
    for table, figure in (("advice_partner", "advice.sessions"), ("activities_partner", "activities.count")):
        for partner in partners:
            if ("centre", table, partner) in knows.shown and (partner, "kf", figure) in knows.shown:
                knows.sums.append((("centre", table, partner), [(partner, "kf", figure)]))
    for name in ("tickets", "walkaways"):
        for key in [key for key in knows.shown if key[:3] == ("centre", "queue", name)]:
            rest = ("rest", *key[1:])  # the tickets of no institution: in the centre's only
            knows.exists(rest)
            parts = [(partner, *key[1:]) for partner in partners if (partner, *key[1:]) in knows.shown]
            knows.sums.append((key, [*parts, rest]))
    return knows, truth


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """The demo centre from the opening to February 2019, and every publication of 2018 and 2019."""
    with django_db_blocker.unblock(), override_settings(DEMO_ACCOUNTS_ENABLED=True), transaction.atomic():
        assert connection.settings_dict["NAME"].startswith("test_"), "never seed a real database here"
        call_command("seed_demo", until="2019-02-28", seed=2018, stdout=io.StringIO())  # analysed by it
        result = {year: _read(year) for year in (2018, 2019)}
        result["dashboard"] = report.report_context(periods.year(2018), output=report.INTERNAL)
        result["offered"] = {
            slug: report.report_context(
                periods.parse(slug), output=report.PUBLICATION, today=date(2019, 6, 1)
            )["published"]
            for slug in ("2018", "2018-Q2", "2018-05", "first-year", "2018-03-05_2018-12-31", "2019")
        }
        result["selectors"] = selectors.report(periods.year(2018))
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("year", [2018, 2019])
def test_the_attacker_learns_nothing_from_a_years_publications(published, year):
    knowledge, truth = _knowledge(published[year])
    hidden = [key for key in knowledge.hidden() if knowledge.shown[key] is not None]
    assert len(hidden) > 20, "the demo centre has small counts to protect"
    found = disclosures(knowledge, truth)
    assert not found, "\n".join(found)


def test_a_year_published_twice_shows_the_same_cells(published):
    """2018 in its own report and as the comparison column of 2019's."""
    for scope, (this_year, _exact) in published[2019].items():
        own = {table.key: table for table in published[2018][scope][0]["tables"]}
        for table in this_year["tables"]:
            earlier = {row.code: row.value for row in own[table.key].rows} if table.key in own else {}
            for row in table.rows:
                code = row.code
                if table.key == "contacts_month":
                    code = f"{int(code[:4]) - 1}{code[4:]}"
                    if code < "2018-03":
                        assert row.previous is None  # before the opening: nothing to compare
                        continue
                assert row.previous == earlier.get(code, 0 if row.previous == 0 else row.previous), (
                    scope,
                    table.key,
                    row.code,
                )


def test_only_ended_calendar_years_are_published(published):
    assert published["offered"] == {
        "2018": True,
        "2018-Q2": False,
        "2018-05": False,
        "first-year": False,
        "2018-03-05_2018-12-31": False,
        "2019": False,  # still running on 1 June 2019
    }
    assert published["dashboard"]["internal"]


def test_the_published_counts_are_the_selectors_where_not_hidden(published):
    centre, _exact = published[2018]["centre"]
    figures = {row.code: row.value for row in centre["key_figures"]}
    assert figures["advice.sessions"] == published["selectors"]["advice"]["sessions"]
    assert figures["contacts.total"] == published["selectors"]["contacts"]["total"]
