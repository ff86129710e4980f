"""The activities' figures of closed days, kept whole (activites.selectors.activity_breakdowns,
KEPT_ACTIVITIES): read without counting once counted, and never different from a recount — after a seat
ticked at the door afterwards, a walk-in, attendance recorded late, a language added, a cancellation, a
back-dated activity, a registration deleted and an activity moved; an activity of a closed span that is
not over yet keeps nothing; today's activities leave them alone; several kinds of kept figures for a
period and its comparison are read in one statement."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accueil.selectors import ticket_breakdowns
from activites import selectors, services
from activites.models import Activity, Registration
from citedesmetiers.models import FiguresGeneration, KeptFigures
from citedesmetiers.roles import Role
from citedesmetiers.summaries import kept_together
from tests.factories import activity, registration, staff

pytestmark = pytest.mark.django_db


def generation() -> int:
    return FiguresGeneration.objects.get(kind="activities").value


def at(days_ago: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(hour)))


def span():
    return (timezone.localdate() - timedelta(days=6), timezone.localdate() - timedelta(days=1))


@pytest.fixture
def held():
    """Two activities held on closed days, one with three seats (one ticked at the door)."""
    organiser = staff(Role.COORDINATOR)
    booked = activity(user=organiser, now=at(12, 9), starts_at=at(3, 10))
    seats = [registration(booked, now=at(12, 9)) for _ in range(3)]
    services.attendance_mark(
        activity=booked, registration_id=seats[0].pk, attended=True, user=organiser, now=at(3, 11)
    )
    talk = activity(
        user=organiser, now=at(12, 9), starts_at=at(2, 14), languages=("fr", "nl"), partner="vdab-brussel"
    )
    return organiser, booked, talk, seats


def assert_as_recounted(per_partner: bool = False) -> list:
    found = selectors.activity_breakdowns(spans=[span()], per_partner=per_partner)
    counted, _generation = selectors._breakdowns([span()], timezone.now(), None, per_partner)
    assert found == [selectors._titled(counted[0])]
    kept = KeptFigures.objects.get(kind="activities", sets="per_partner" if per_partner else "")
    assert kept.generation == generation()
    return found


def test_a_closed_span_is_counted_once_then_read_without_counting(held, django_assert_num_queries):
    counted = assert_as_recounted()
    assert counted[0][None][""][0]["activities"] == 2
    assert counted[0][None][""][0]["checked_in"] == 1
    assert {row["code"] for row in counted[0][None]["language"]} == {"fr", "nl"}
    with django_assert_num_queries(1):
        kept = selectors.activity_breakdowns(spans=[span()])
    assert kept == counted  # the same types: the starts of those without attendance as instants
    assert [row["title"] for row in kept[0][None]["missing"]] == ["Atelier CV"]


def test_every_change_to_a_closed_day_is_counted_again(held):
    organiser, booked, talk, seats = held
    assert_as_recounted()
    assert_as_recounted(per_partner=True)
    changes = [
        (
            "a seat ticked afterwards",
            lambda: Registration.objects.filter(pk=seats[1].pk).update(attended=True),
        ),
        (
            "a walk-in",
            lambda: services.walk_in_add(activity=booked, key=uuid.uuid4(), user=organiser, now=at(3, 11)),
        ),
        (
            "attendance recorded late",
            lambda: Activity.objects.filter(pk=talk.pk).update(attendance_recorded_at=timezone.now()),
        ),
        ("a language added", lambda: booked.languages.add("en")),
        ("a registration deleted", lambda: Registration.objects.filter(pk=seats[2].pk).delete()),
        ("a back-dated activity", lambda: activity(user=organiser, now=at(12, 9), starts_at=at(4, 10))),
        (
            "an activity moved",
            lambda: Activity.objects.filter(pk=talk.pk).update(starts_at=at(1, 9), ends_at=at(1, 11)),
        ),
        (
            "a cancellation",
            lambda: Activity.objects.filter(pk=talk.pk).update(status=Activity.Status.CANCELLED),
        ),
    ]
    for label, change in changes:
        before = generation()
        change()
        assert generation() > before, label
        assert_as_recounted()
        assert_as_recounted(per_partner=True)


def test_an_activity_of_a_closed_span_not_over_yet_keeps_nothing(held):
    organiser = held[0]
    activity(user=organiser, now=at(12, 9), starts_at=at(1, 22), duration=timedelta(days=2))
    found = selectors.activity_breakdowns(spans=[span()])
    assert found[0][None][""][0]["activities"] == 2  # held once it has ended
    assert not KeptFigures.objects.filter(kind="activities").exists()


def test_todays_activities_leave_the_kept_figures_alone(held):
    organiser = held[0]
    assert_as_recounted()
    before = generation()
    today = activity(user=organiser, starts_in=timedelta(hours=3))  # today or, late at night, tomorrow
    registration(today)
    assert generation() == before


def test_the_kept_figures_of_a_period_and_its_comparison_are_read_in_one_statement(
    held, django_assert_num_queries
):
    first, last = span()
    spans = [(first, last), (first - timedelta(days=7), last - timedelta(days=7))]
    selectors.activity_breakdowns(spans=spans)
    for first, last in spans:
        ticket_breakdowns(start=first, end=last, sets=[()])
    with django_assert_num_queries(1), kept_together(spans):
        selectors.activity_breakdowns(spans=spans)
        for first, last in spans:
            ticket_breakdowns(start=first, end=last, sets=[()])
