"""Each figure keeps its written definition: one rounding rule (half up) and shares that add up to 100.0,
occupancy over every count of an hour, a mean over nothing left empty, remote contacts of every channel,
the direct participants never below zero, the online figures of whole periods only, and the queue by
theme, language, hour and weekday behind each institution's wall."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accueil import services as desk
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from ressources import services as space
from stats import periods, selectors
from stats.models import OnlineFigures, OnlineMonth
from stats.selectors import Scope
from tests.factories import staff, visit

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"women": 1, "men": 2}, {"women": 33.3, "men": 66.7}),
        ({"women": 2, "men": 1}, {"women": 66.7, "men": 33.3}),
        ({"women": 1, "men": 1}, {"women": 50.0, "men": 50.0}),
        ({"women": 10411, "men": 9158}, {"women": 53.2, "men": 46.8}),
        ({"a": 1, "b": 1, "c": 1}, {"a": 33.4, "b": 33.3, "c": 33.3}),
        ({"women": 0, "men": 0}, {"women": None, "men": None}),
    ],
)
def test_shares_add_up_to_a_hundred(parts, expected):
    shares = selectors.shares(parts)
    assert shares == expected
    if None not in shares.values():
        assert round(sum(shares.values()), 1) == 100.0


def test_one_rounding_rule_half_up():
    assert selectors.rounded(2.5) == 3
    assert selectors.rounded(0.125, 2) == 0.13
    assert selectors.mean(5, 2) == 3  # 2.5, where round() would give 2
    assert selectors.mean(163, 20, 1) == 8.2  # 8.15
    assert selectors.mean(7, 0) is None
    assert selectors.percent(1065, 2000) == 53.3


def test_occupancy_is_the_mean_over_every_count_of_the_hour():
    """Three counts on a Monday at 11 (8, 9, 10) and one on a Tuesday at 11 (5): 8.0 over the four,
    not 7.0 (the mean of the Monday's 9 and the Tuesday's 5)."""
    steward = staff(Role.DIGITAL_STEWARD)
    for moment, people in (
        (at(2024, 3, 4, 11, 5), 8),
        (at(2024, 3, 4, 11, 25), 9),
        (at(2024, 3, 4, 11, 45), 10),
        (at(2024, 3, 5, 11, 15), 5),
    ):
        space.occupancy_sweep_add(
            key=uuid.uuid4(), user=steward, occurred_at=moment, computers=people, tablets=0, documentary=0
        )
    [figures] = selectors.multimedia([periods.month(2024, 3)])
    assert figures["occupancy_by_hour"] == {"11": 8.0}


def test_a_topic_without_help_has_no_mean():
    [figures] = selectors.multimedia([periods.month(2024, 3)])
    assert figures["help_by_topic"]
    assert all(row["minutes_mean"] is None for row in figures["help_by_topic"].values())


def test_every_remote_channel_counts_even_other():
    reception = staff(Role.RECEPTION_AGENT)
    for channel in ("email", "phone", "other"):
        visit(user=reception, orientation="information", channel=channel, theme=None, now=at(2024, 3, 4, 10))
    contacts = selectors.report(periods.month(2024, 3))["contacts"]
    assert contacts["remote_by_channel"] == {"email": 1, "phone": 1, "other": 1}
    assert contacts["services_by_mode"]["remote"] == 3
    assert contacts["on_site_visits"] == 0


def test_direct_participants_never_below_zero_and_what_the_desk_directed_is_given():
    reception = staff(Role.RECEPTION_AGENT)
    visit(user=reception, orientation="activity", count=6, now=at(2024, 3, 4, 10))
    contacts = selectors.report(periods.month(2024, 3))["contacts"]
    assert contacts["directed_to_activity"] == 6
    assert contacts["direct_participants"] == 0  # 0 participants - 6 directed: none added
    assert contacts["total"] == 6


def test_online_figures_of_whole_periods_only():
    director = staff(Role.DIRECTOR)
    stamp = {"updated_at": at(2024, 1, 1), "updated_by": director}
    OnlineFigures.objects.create(
        year=2023, facebook_followers=500, twitter_followers=50, web_page_views=120_000, **stamp
    )
    for month in (1, 2, 3):
        OnlineMonth.objects.create(
            year=2024, month=month, facebook_followers=600 + month, web_page_views=1000 * month, **stamp
        )

    def online(period):
        return selectors.online([period], emails_answered=[0])[0]

    assert online(periods.year(2023))["web_page_views"] == 120_000
    assert online(periods.year(2023))["facebook_followers"] == 500
    quarter = online(periods.quarter(2024, 1))
    assert quarter["web_page_views"] == 6000  # summed over the months
    assert quarter["facebook_followers"] == 603  # at the end of March
    assert quarter["twitter_followers"] is None  # not entered
    assert online(periods.month(2024, 2))["web_page_views"] == 2000
    assert online(periods.quarter(2024, 2))["web_page_views"] is None  # April to June not entered
    assert online(periods.Period(date(2024, 1, 1), date(2024, 1, 1)))["web_page_views"] is None
    assert online(periods.month(2023, 5))["web_page_views"] is None  # only the year is known


@pytest.fixture
def queue():
    """March 2024: four tickets of Actiris's adviser (waits 10, 20, 40 and 50 minutes; one walked away),
    one ticket nobody called asked for VDAB, one nobody called and nobody asked for."""
    reception = staff(Role.RECEPTION_AGENT)
    adviser = staff(Role.ADVISER)  # Actiris
    adviser.languages.set(["fr", "nl"])
    day = at(2024, 3, 4, 9)
    for language in ("fr", "fr", "nl", "fr"):
        visit(user=reception, theme="travailler", language=language, now=day)
    for minutes, gone in ((10, False), (20, False), (40, False), (50, True)):
        called = day + timedelta(minutes=minutes)
        ticket = desk.ticket_call_next(adviser=adviser, now=called)
        if gone:
            desk.ticket_walked_away(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=3))
        else:
            desk.ticket_start(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=1))
            desk.ticket_end(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=31))
    vdab = Partner.objects.get(code="vdab-brussel")
    visit(user=reception, theme="apprendre", partner=vdab.pk, now=day)
    visit(user=reception, theme="choisir", now=day + timedelta(hours=2))
    return {"actiris": Partner.objects.get(code="actiris"), "vdab": vdab}


def test_the_queue_figures(queue):
    figures = selectors.report(periods.month(2024, 3))["advice"]["queue"]
    assert figures["tickets"] == 6
    assert figures["called"] == 4
    assert figures["walked_away"] == 1
    assert figures["waiting_median_minutes"] == 30.0
    assert figures["waiting_p90_minutes"] == 47.0  # 40 + 0.7 × 10, PostgreSQL's continuous percentile
    assert figures["long_waits"] == 2
    assert figures["waiting_over_30_pct"] == 50.0
    assert figures["service_median_minutes"] == 30.0
    assert figures["by_theme"]["travailler"]["tickets"] == 4
    assert figures["by_language"]["nl"]["waiting_median_minutes"] == 40.0
    assert figures["by_hour"]["9"]["tickets"] == 5
    assert figures["by_weekday"]["1"]["tickets"] == 6


def test_the_queue_of_an_institution_is_behind_its_wall(queue):
    actiris = selectors.report(periods.month(2024, 3), scope=Scope(partner=queue["actiris"]))
    vdab = selectors.report(periods.month(2024, 3), scope=Scope(partner=queue["vdab"]))
    assert actiris["advice"]["queue"]["tickets"] == 4  # called by its adviser
    assert vdab["advice"]["queue"]["tickets"] == 1  # asked for it, nobody called
    assert set(actiris["advice"]["queue"]["by_theme"]) == {"travailler"}


def test_every_institution_at_once_gives_what_each_report_gives(queue):
    period = periods.month(2024, 3)
    all_of_them = selectors.report_by_partner(period)
    for partner in (queue["actiris"], queue["vdab"]):
        alone = selectors.report(period, scope=Scope(partner=partner))
        together = all_of_them[str(partner.pk)]
        for name in ("sessions", "by_theme", "by_language", "by_gender", "by_age_group"):
            assert together["advice"][name] == alone["advice"][name]
        for name in ("tickets", "walked_away", "by_theme", "by_hour"):
            assert together["advice"]["queue"][name] == alone["advice"]["queue"][name]
        for name in ("count", "participants", "by_theme", "by_audience"):
            assert together["activities"][name] == alone["activities"][name]
