"""The desk's counters, the queue lengths, the waiting-room estimates and the queue's time figures,
each against a small data set computed by hand."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accueil import selectors, services
from accueil.models import TicketStatus
from citedesmetiers import dates
from citedesmetiers.roles import Role
from tests.factories import staff

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def reception():
    return staff(Role.RECEPTION_AGENT)


def record(user, when, **fields):
    values = {"theme": "choisir", "orientation": "advice", "language": "fr", "channel": "on_site", **fields}
    return services.visit_create(key=uuid.uuid4(), user=user, occurred_at=when, now=when, **values).entry


def test_day_counts_sum_people_by_theme_orientation_and_channel(reception):
    day = date(2026, 5, 4)
    record(reception, at(day, 9), count=1)
    record(reception, at(day, 10), theme="apprendre", orientation="activity", count=25)
    record(reception, at(day, 11), theme=None, orientation="information", channel="phone")
    undone = record(reception, at(day, 12))
    services.visit_undo(visit=undone, user=reception, now=at(day, 12))
    record(reception, at(day, 23, 59))
    record(reception, at(day + timedelta(days=1), 0, 0))  # the next day
    record(reception, at(day, 0, 0) - timedelta(seconds=1))  # the day before

    counts = selectors.visit_counts(day=day)
    assert counts.total == 1 + 25 + 1 + 1
    assert counts.by_theme == {"choisir": 2, "apprendre": 25, None: 1}
    assert counts.by_orientation == {"advice": 2, "activity": 25, "information": 1}
    assert counts.by_channel == {"on_site": 27, "phone": 1}


def test_days_follow_brussels_time_across_the_daylight_saving_change(reception):
    change = date(2026, 3, 29)  # clocks go forward at 02:00: a day of 23 hours
    start, end = dates.day_bounds(change)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    record(reception, datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("UTC")))  # 00:30 in Brussels, the 29th
    record(reception, datetime(2026, 3, 29, 22, 30, tzinfo=ZoneInfo("UTC")))  # 00:30 the 30th (summer time)
    assert selectors.visit_counts(day=change).total == 1
    autumn_start, autumn_end = dates.day_bounds(date(2026, 10, 25))
    assert autumn_end.astimezone(UTC) - autumn_start.astimezone(UTC) == timedelta(hours=25)


def on_duty_adviser(day, languages=("fr",), desk="4"):
    adviser = staff(Role.ADVISER)
    adviser.languages.set(languages)
    services.duty_start(adviser=adviser, desk=desk, now=at(day, 8, 55))
    return adviser


def test_queue_lengths_and_honest_estimates_from_advisers_on_duty(reception):
    day = date(2026, 5, 4)
    for minute in range(4):  # four people for 'choisir' in French from 9:00
        record(reception, at(day, 9, minute))
    record(reception, at(day, 9, 10), theme="travailler", language="nl")

    assert selectors.queue_lengths(day=day) == [
        {"theme": "choisir", "language": "fr", "waiting": 4},
        {"theme": "travailler", "language": "nl", "waiting": 1},
    ]
    # Nobody on duty: no estimate anywhere.
    groups = {(g.theme, g.language): g for g in selectors.wait_estimates(day=day, now=at(day, 10))}
    assert groups["choisir", "fr"].estimate_minutes is None
    assert groups["choisir", "fr"].waiting == 4

    first = on_duty_adviser(day)
    # One adviser, no consultation ended yet: 4 people × the default 20 minutes.
    groups = {(g.theme, g.language): g for g in selectors.wait_estimates(day=day, now=at(day, 10))}
    assert timedelta(minutes=20) == selectors.DEFAULT_SERVICE
    assert groups["choisir", "fr"].estimate_minutes == 80
    assert groups["choisir", "fr"].advisers == 1
    assert groups["travailler", "nl"].estimate_minutes is None  # nobody on duty speaks Dutch

    # A 10-minute consultation sets the pace; a walk-away does not.
    ticket = services.ticket_call_next(adviser=first, now=at(day, 9, 20))
    services.ticket_start(ticket=ticket, adviser=first, now=at(day, 9, 21))
    services.ticket_end(ticket=ticket, adviser=first, now=at(day, 9, 31))
    ticket = services.ticket_call_next(adviser=first, now=at(day, 9, 32))
    services.ticket_walked_away(ticket=ticket, adviser=first, now=at(day, 9, 33))
    assert selectors.service_time(day=day) == timedelta(minutes=10)
    on_duty_adviser(day, languages=("fr", "nl"), desk="5")
    groups = {(g.theme, g.language): g for g in selectors.wait_estimates(day=day, now=at(day, 10))}
    # Two people left for two advisers at 10 minutes each: 10 minutes for the last of them.
    assert groups["choisir", "fr"].estimate_minutes == 10
    # Only one adviser speaks Dutch, and would call the two French speakers (older tickets) first: 3 × 10.
    assert groups["travailler", "nl"].estimate_minutes == 30
    assert groups["travailler", "nl"].advisers == 1


def test_no_estimate_where_nobody_on_duty_speaks_the_language(reception):
    day = date(2026, 5, 4)
    on_duty_adviser(day, languages=("fr", "nl"))
    record(reception, at(day, 9), language="ar")
    record(reception, at(day, 9, 1))
    groups = {(g.theme, g.language): g for g in selectors.wait_estimates(day=day, now=at(day, 10))}
    assert groups["choisir", "ar"].estimate_minutes is None  # "ask at reception", not "≈ 15 min"
    assert groups["choisir", "ar"].advisers == 0
    # The Arabic speaker is nobody's to call: the French one is not behind them.
    assert groups["choisir", "fr"].estimate_minutes == 20


def test_three_people_after_the_first_call_wait_a_sensible_time(reception):
    day = date(2026, 5, 4)
    adviser = on_duty_adviser(day)
    for minute in range(4):
        record(reception, at(day, 9, minute))
    services.ticket_call_next(adviser=adviser, now=at(day, 9, 20))  # the day's first call
    groups = selectors.wait_estimates(day=day, now=at(day, 9, 21))
    # Was 180 minutes (3 people ÷ 1 call in the last hour); now 3 × the default consultation.
    assert [(g.waiting, g.estimate_minutes, g.capped) for g in groups] == [(3, 60, False)]
    for minute in range(10):
        record(reception, at(day, 9, 30 + minute))
    (group,) = selectors.wait_estimates(day=day, now=at(day, 9, 45))
    assert (group.waiting, group.estimate_minutes, group.capped) == (13, selectors.WAIT_CAP_MINUTES, True)


def test_wait_estimates_cost_five_queries_whatever_the_queue(reception, django_assert_num_queries):
    day = date(2026, 5, 4)
    on_duty_adviser(day, languages=("fr", "nl"))
    on_duty_adviser(day, languages=("fr",), desk="6")
    for minute in range(12):
        record(reception, at(day, 9, minute), language=("fr", "nl", "ar")[minute % 3])
    with django_assert_num_queries(5):
        groups = selectors.wait_estimates(day=day, now=at(day, 10))
    assert sum(g.waiting for g in groups) == 12


def test_the_waiting_room_shows_the_latest_calls_first(reception):
    day = date(2026, 5, 4)
    adviser = staff(Role.ADVISER)
    adviser.languages.set(["fr"])
    first, second = record(reception, at(day, 9)).ticket, record(reception, at(day, 9, 1)).ticket
    services.ticket_call_next(adviser=adviser, desk="3", now=at(day, 9, 5))
    services.ticket_start(ticket=first, adviser=adviser, now=at(day, 9, 6))
    services.ticket_end(ticket=first, adviser=adviser, now=at(day, 9, 20))
    services.ticket_call_next(adviser=adviser, desk="3", now=at(day, 9, 21))
    called = selectors.called_tickets(day=day)
    assert [ticket.pk for ticket in called] == [second.pk]
    services.ticket_recall(ticket=second, adviser=adviser, now=at(day, 9, 23))
    assert selectors.called_tickets(day=day)[0].calls == 2


def test_queue_times_by_theme_and_hour(reception):
    """Waiting = first call - issue; service = end - start. Hand-computed means and medians."""
    day = date(2026, 5, 4)
    adviser = staff(Role.ADVISER)
    adviser.languages.set(["fr", "nl"])
    plan = [
        # issued, called after (min), start after call (min), service (min) or an outcome
        (at(day, 9, 0), 10, 1, 20),
        (at(day, 9, 5), 30, 2, 40),
        (at(day, 9, 10), 50, None, "walked_away"),
        (at(day, 10, 0), 20, 0, 30),
    ]
    tickets = [record(reception, issued).ticket for issued, *_ in plan]
    record(reception, at(day, 10, 30))  # never called: closed as not served
    for ticket, (issued, wait, start, outcome) in zip(tickets, plan, strict=True):
        called = issued + timedelta(minutes=wait)
        ticket = services.ticket_call_next(adviser=adviser, now=called)
        if outcome == "walked_away":
            services.ticket_walked_away(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=5))
            continue
        services.ticket_start(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=start))
        services.ticket_end(ticket=ticket, adviser=adviser, now=called + timedelta(minutes=start + outcome))
    services.queue_close(now=at(day, 19))

    [total] = selectors.ticket_times(start=day, end=day)
    assert (total["tickets"], total["served"], total["walked_away"], total["not_served"]) == (5, 3, 1, 1)
    assert total["waiting_mean"] == timedelta(minutes=(10 + 30 + 50 + 20) / 4)
    assert total["waiting_median"] == timedelta(minutes=25)
    assert total["service_mean"] == timedelta(minutes=30)
    assert total["service_median"] == timedelta(minutes=30)

    by_hour = {row["hour"]: row for row in selectors.ticket_times(start=day, end=day, by=["hour"])}
    assert set(by_hour) == {9, 10}  # local hours, not UTC
    assert by_hour[9]["waiting_mean"] == timedelta(minutes=30)
    assert by_hour[10]["tickets"] == 2


def test_queue_times_leave_out_cancelled_tickets_and_reject_unknown_groupings(reception):
    day = date(2026, 5, 4)
    cancelled = record(reception, at(day, 9))
    services.visit_undo(visit=cancelled, user=reception, now=at(day, 9))
    assert cancelled.ticket.status == TicketStatus.WAITING  # the instance in memory
    assert selectors.ticket_times(start=day, end=day) == []
    with pytest.raises(ValueError, match="colour"):
        selectors.ticket_times(start=day, end=day, by=["colour"])
