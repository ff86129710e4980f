"""The multimedia space's figures of closed days, kept whole (ressources.selectors.space_counts,
KEPT_SPACE): read without counting once counted, and never different from a recount — after an entry, an
occupancy count or a digital help keyed in afterwards for a closed day, an undo, a correction, a
deletion and a help moved to another topic; today's taps leave them alone; a span not over yet is always
counted."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from citedesmetiers.models import FiguresGeneration, KeptFigures
from citedesmetiers.roles import Role
from citedesmetiers.summaries import kept_together
from ressources import selectors, services
from ressources.models import DigitalHelp, OccupancySweep, SpaceEntry
from tests.factories import staff

pytestmark = pytest.mark.django_db


def generation() -> int:
    return FiguresGeneration.objects.get(kind="space").value


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def span():
    return (timezone.localdate() - timedelta(days=6), timezone.localdate() - timedelta(days=1))


def entry(steward, moment: datetime, count: int = 1):
    return services.space_entry_add(
        key=uuid.uuid4(), user=steward, occurred_at=moment, count=count, now=moment
    ).entry


def sweep(steward, moment: datetime, computers: int):
    return services.occupancy_sweep_add(
        key=uuid.uuid4(),
        user=steward,
        occurred_at=moment,
        computers=computers,
        tablets=1,
        documentary=2,
        now=moment,
    ).entry


def helped(steward, moment: datetime, topic: str, minutes: int):
    return services.digital_help_add(
        key=uuid.uuid4(), user=steward, occurred_at=moment, topic=topic, duration_minutes=minutes, now=moment
    ).entry


@pytest.fixture
def steward():
    """A steward's taps on two closed days of the span and one just before it."""
    steward = staff(Role.DIGITAL_STEWARD)
    entry(steward, at(3, 10), count=3)
    entry(steward, at(2, 15))
    entry(steward, at(7, 10), count=9)  # before the span
    sweep(steward, at(3, 10), computers=4)
    sweep(steward, at(3, 10, 30), computers=8)
    sweep(steward, at(2, 14), computers=2)
    helped(steward, at(3, 11), "email_address", 10)
    helped(steward, at(2, 11), "email_address", 20)
    helped(steward, at(2, 16), "cv_tool", 30)
    return steward


def assert_as_recounted() -> selectors.SpaceCounts:
    [found] = selectors.space_counts(spans=[span()])
    counted, _generation = selectors._space_counted(*span(), None, "")
    assert found == counted
    assert KeptFigures.objects.get(kind="space").generation == generation()
    return found


def test_a_closed_span_is_counted_once_then_read_without_counting(steward, django_assert_num_queries):
    counted = assert_as_recounted()
    assert counted.entries == 4
    assert counted.occupancy == {10: (4 + 3 + 8 + 3, 2), 14: (2 + 3, 1)}
    assert counted.help == {"email_address": (2, 30), "cv_tool": (1, 30)}
    with django_assert_num_queries(1):
        assert selectors.space_counts(spans=[span()]) == [counted]


def test_every_change_to_a_closed_day_is_counted_again(steward, settings):
    assert_as_recounted()
    settings.CAPTURE_UNDO_MINUTES = 60 * 24 * 30
    changes = [
        ("an entry keyed in afterwards", lambda: entry(steward, at(4, 9), count=2)),
        ("an occupancy count keyed in afterwards", lambda: sweep(steward, at(4, 9), computers=5)),
        ("a digital help keyed in afterwards", lambda: helped(steward, at(4, 9), "cv_tool", 15)),
        (
            "an entry undone",
            lambda: services.space_undo(key=SpaceEntry.objects.get(count=3).key, user=steward),
        ),
        ("a count corrected", lambda: OccupancySweep.objects.filter(computers=8).update(computers=9)),
        (
            "a help moved to another topic",
            lambda: DigitalHelp.objects.filter(duration_minutes=10).update(topic="cv_tool"),
        ),
        ("a count deleted", lambda: OccupancySweep.objects.filter(computers=2).delete()),
        (
            "an entry moved out of the span",
            lambda: SpaceEntry.objects.filter(count=2).update(occurred_at=at(8, 9)),
        ),
    ]
    for label, change in changes:
        before = generation()
        change()
        assert generation() > before, label
        assert_as_recounted()
    assert assert_as_recounted() == selectors.SpaceCounts(
        1, {9: (5 + 3, 1), 10: (4 + 3 + 9 + 3, 2)}, {"email_address": (1, 20), "cv_tool": (3, 30 + 15 + 10)}
    )


def test_todays_taps_leave_the_kept_figures_alone(steward):
    assert_as_recounted()
    before = generation()
    now = timezone.now()
    entry(steward, now)
    sweep(steward, now, computers=1)
    helped(steward, now, "cv_tool", 5)
    assert generation() == before


def test_a_span_not_over_is_always_counted(steward, django_assert_num_queries):
    first = timezone.localdate() - timedelta(days=3)
    entry(steward, timezone.now(), count=5)
    with django_assert_num_queries(1):
        [found] = selectors.space_counts(spans=[(first, timezone.localdate())])
    assert found.entries == 3 + 1 + 5
    assert not KeptFigures.objects.filter(kind="space").exists()


def test_a_block_within_one_that_read_the_kept_figures_reads_nothing_more(steward, django_assert_num_queries):
    """A page's view opens kept_together around selectors that open it again: one statement in all."""
    counted = selectors.space_counts(spans=[span()])  # counted and kept
    with django_assert_num_queries(1), kept_together([span()]), kept_together([span()]):
        assert selectors.space_counts(spans=[span()]) == counted
