"""The demo centre (`seed_demo`): the figures of the 2018 annual report, exactly, through the report's own
selectors; the same seed gives the same centre, whether the demo accounts exist or not; a second run writes
nothing; visits, consultations and registrations look like the real thing.

The history is seeded once for the module (twice, in fact: once without the demo accounts, rolled back, and
once with them) inside a transaction rolled back at the end; the tests read what was measured then."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.test import override_settings

from accueil.models import Visit
from activites.models import Registration
from citedesmetiers import services
from citedesmetiers.models import User
from conseil.models import Consultation
from stats import demo, periods, selectors

# The mark makes pytest-django set up the test database, which the module's fixture needs as well.
pytestmark = pytest.mark.django_db

UNTIL = "2018-12-31"
TABLES = [*demo.ANALYZED, User]  # the history's tables, and the accounts
EXACT_2018 = [
    ("contacts.total", 38_167),
    ("advice.sessions", 19_569),
    ("activities.count", 766),
    ("activities.participants", 13_316),
    ("multimedia.entries", 10_000),
    ("gender.women_pct", 53.2),
    ("gender.men_pct", 46.8),
    ("online.facebook_followers", 770),
    ("online.twitter_followers", 69),
    ("online.web_page_views", 175_690),
    ("online.emails_answered", 2_020),
    ("team.back_office", 10),
    ("team.advisers", 55),
    ("team.reception_and_stewards", 8),
]
THEMES = {"choisir", "apprendre", "bouger", "entreprendre", "travailler"}


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", until=UNTIL, seed=2018, stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    figures = selectors.report(periods.year(2018))
    for activity in figures["activities"]["missing_attendance"]:
        activity.pop("id")  # row ids go on from one run to the next
    return {"figures": figures, "rows": {model.__name__: model.objects.count() for model in TABLES}}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEMO_ACCOUNTS_ENABLED=True), transaction.atomic():
        assert connection.settings_dict["NAME"].startswith("test_"), "never seed a real database here"
        with transaction.atomic():
            _seed()
            without_demo_accounts = _snapshot()
            transaction.set_rollback(True)
        services.demo_accounts_create()
        output = _seed()
        measured = _snapshot()
        again = _seed()
        visits = Visit.objects.annotate(
            weekday=ExtractIsoWeekDay("occurred_at"), hour=ExtractHour("occurred_at")
        )
        demo_accounts = User.objects.filter(
            username__in=[account.username for account in services.DEMO_ACCOUNTS]
        )
        result = {
            **measured,
            "without_demo_accounts": without_demo_accounts,
            "output": output,
            "again": again,
            "rows_again": {model.__name__: model.objects.count() for model in TABLES},
            "visits": visits.count(),
            "visits_off_hours": visits.exclude(weekday__lte=5, hour__gte=9, hour__lt=17).count(),
            "topics_of_another_theme": Consultation.topics.through.objects.exclude(
                topic__theme=F("consultation__theme")
            ).count(),
            "consultations_of_another_partner": Consultation.objects.exclude(
                partner=F("recorded_by__partner")
            ).count(),
            "registrations_kept": Registration.objects.exclude(first_name="", email="")
            .exclude(erased_at__isnull=False)
            .count(),
            "demo_accounts_usable": [user.has_usable_password() for user in demo_accounts],
            "seeded_accounts_usable": sum(
                user.has_usable_password() for user in User.objects.filter(username__startswith="demo.")
            ),
        }
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize(("figure", "expected"), EXACT_2018)
def test_the_figures_of_the_2018_annual_report(seeded, figure, expected):
    section, name = figure.split(".")
    assert seeded["figures"][section][name] == expected
    assert seeded["without_demo_accounts"]["figures"][section][name] == expected


def test_the_contacts_add_up(seeded):
    contacts = seeded["figures"]["contacts"]
    directed = contacts["by_orientation"]["activity"]
    assert contacts["on_site_visits"] + seeded["figures"]["activities"]["participants"] - directed == 38_167
    assert 0 < directed < contacts["on_site_visits"]


def test_same_seed_same_centre_with_or_without_the_demo_accounts(seeded):
    assert seeded["figures"] == seeded["without_demo_accounts"]["figures"]
    assert seeded["rows"] == seeded["without_demo_accounts"]["rows"]


def test_a_second_run_writes_nothing(seeded):
    assert seeded["output"].startswith("Demo centre 2018-03-05 to 2018-12-31:")
    assert "already" in seeded["again"]
    assert seeded["rows_again"] == seeded["rows"]


def test_advice_covers_the_five_themes(seeded):
    by_theme = seeded["figures"]["advice"]["by_theme"]
    assert set(by_theme) == THEMES
    assert all(sessions > 0 for sessions in by_theme.values())
    assert sum(by_theme.values()) == 19_569


def test_visits_on_weekdays_within_opening_hours(seeded):
    assert seeded["visits"] > 25_000
    assert seeded["visits_off_hours"] == 0


def test_topics_of_the_consultation_theme_by_advisers_of_their_institution(seeded):
    assert seeded["rows"]["Consultation_topics"] > 15_000
    assert seeded["topics_of_another_theme"] == 0
    assert seeded["consultations_of_another_partner"] == 0


def test_queue_and_attendance_look_real(seeded):
    queue = seeded["figures"]["advice"]["queue"]
    assert 15 <= queue["waiting_median_minutes"] <= 25
    assert 0 < queue["walked_away"] < queue["served"] < queue["tickets"]
    activities = seeded["figures"]["activities"]
    assert len(activities["missing_attendance"]) == activities["count"] - activities["recorded"] == 4
    assert activities["outreach"]["count"] == 4


def test_personal_data_erased_and_passwords(seeded):
    assert seeded["registrations_kept"] == 0  # every 2018 registration is past its retention
    assert seeded["demo_accounts_usable"] == [True] * 9
    assert seeded["seeded_accounts_usable"] == 0


def test_refused_in_production_mode(settings):
    settings.DEMO_ACCOUNTS_ENABLED = False
    with pytest.raises(CommandError, match="CDM_MODE=demo or dev"):
        call_command("seed_demo", until=UNTIL)
