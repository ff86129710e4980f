"""The queue's figures of closed days, kept whole (accueil.selectors.ticket_breakdowns, KEPT_QUEUE):
read in one statement once counted, and never different from a recount of the tickets — after a
back-dated ticket, a correction, a transfer, a cancellation, an undo, the queue closed the next morning,
a deletion and an adviser moved to another institution; today's tickets leave them alone; a span that
is not over is always counted; summarise_days prunes, verifies and forgets them."""

import io
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accueil import selectors, services
from accueil.models import Ticket
from citedesmetiers.models import FiguresGeneration, KeptFigures, Partner
from citedesmetiers.roles import Role
from citedesmetiers.services import audit_record
from tests.factories import staff

pytestmark = pytest.mark.django_db

SETS = [(), ("theme",), ("language",), ("hour",), ("weekday",), ("day",)]
BY_INSTITUTION = [("institution",), ("institution", "theme")]


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def ticket(user, when: datetime, **fields) -> Ticket:
    values = {"theme": "choisir", "orientation": "advice", "language": "fr", "channel": "on_site", **fields}
    return services.visit_create(
        key=uuid.uuid4(), user=user, occurred_at=when, now=when, **values
    ).entry.ticket


def generation() -> int:
    return FiguresGeneration.objects.get(kind="queue").value


def kept(**fields):
    return KeptFigures.objects.filter(kind="queue", **fields)


@pytest.fixture
def queue():
    """Three closed days of a queue: served, walked away and left waiting (closed the next morning)."""
    partner = Partner.objects.first()
    partner.themes.add("choisir", "apprendre")
    reception, adviser = staff(Role.RECEPTION_AGENT), staff(Role.ADVISER, partner=partner)
    adviser.languages.set(["fr", "nl"])
    for days_ago in (3, 2):
        for minute, theme, language in ((0, "choisir", "fr"), (7, "apprendre", "nl"), (13, "choisir", "nl")):
            ticket(reception, at(days_ago, 9, minute), theme=theme, language=language)
        for wait in (11, 29, 47):
            called = services.ticket_call_next(adviser=adviser, now=at(days_ago, 9, wait))
            services.ticket_start(ticket=called, adviser=adviser, now=at(days_ago, 9, wait + 1))
            services.ticket_end(ticket=called, adviser=adviser, now=at(days_ago, 10, wait))
    ticket(reception, at(1, 14))
    gone = ticket(reception, at(1, 14, 5), language="nl")
    services.ticket_walked_away(
        ticket=services.ticket_call_next(adviser=adviser, now=at(1, 14, 3)), adviser=adviser, now=at(1, 14, 9)
    )
    assert gone.pk
    return reception, adviser


def span(**kwargs) -> dict:
    return {
        "start": timezone.localdate() - timedelta(days=4),
        "end": timezone.localdate() - timedelta(days=1),
    }


def assert_as_recounted(sets=SETS, partner=None) -> dict:
    """ticket_breakdowns (kept or not) equals a recount of the tickets, and is kept at the generation."""
    found = selectors.ticket_breakdowns(**span(), sets=sets, partner=partner)
    groups = ";".join(",".join(group) for group in sets)
    assert found == selectors._counted(*span().values(), partner, groups)[0]
    assert kept(sets=groups, institution=partner).get().generation == generation()
    return found


def test_a_closed_span_is_counted_once_then_read_in_one_statement(queue, django_assert_num_queries):
    counted = assert_as_recounted()
    assert counted[()][0]["tickets"] == 8
    assert {row["day"] for row in counted[("day",)]} == {
        timezone.localdate() - timedelta(days=d) for d in (3, 2, 1)
    }
    with django_assert_num_queries(1):
        kept = selectors.ticket_breakdowns(**span(), sets=SETS)
    assert kept == counted  # the same types: timedeltas, days, hours as ints
    assert isinstance(kept[()][0]["waiting_median"], timedelta)
    assert {type(row["hour"]) for row in kept[("hour",)]} == {int}


def test_a_span_not_over_is_counted_every_time(queue, django_assert_num_queries):
    reception, _adviser = queue
    ticket(reception, timezone.now())
    today = timezone.localdate()
    for _ in range(2):
        with django_assert_num_queries(1):
            found = selectors.ticket_breakdowns(start=today - timedelta(days=4), end=today, sets=[()])
    assert found[()][0]["tickets"] == 9
    assert not kept().exists()


def test_todays_tickets_leave_the_kept_figures_alone(queue):
    reception, adviser = queue
    assert_as_recounted()
    before = generation()
    called = ticket(reception, timezone.now())
    services.ticket_call_next(adviser=adviser, now=timezone.now())
    services.ticket_start(ticket=called, adviser=adviser, now=timezone.now())
    assert generation() == before


def test_every_change_to_a_closed_day_is_counted_again(queue):
    reception, adviser = queue
    assert_as_recounted()
    assert_as_recounted(BY_INSTITUTION)
    yesterday = Ticket.objects.filter(service_date=timezone.localdate() - timedelta(days=1))
    changes = [
        ("a back-dated ticket", lambda: ticket(reception, at(2, 16), theme="bouger")),
        (
            "a correction of a call",
            lambda: Ticket.objects.filter(pk=yesterday.earliest("issued_at").pk).update(
                called_at=at(1, 15, 30)
            ),
        ),
        (
            "a transfer",
            lambda: Ticket.objects.filter(pk=yesterday.latest("issued_at").pk).update(theme_id="apprendre"),
        ),
        (
            "a cancellation",
            lambda: services.ticket_cancel(
                ticket=yesterday.latest("issued_at"), user=reception, now=at(1, 16)
            ),
        ),
        ("the queue closed the next morning", lambda: services.queue_close(now=timezone.now())),
        ("an adviser moved", lambda: type(adviser).objects.filter(pk=adviser.pk).update(partner=None)),
        ("a deletion", lambda: Ticket.objects.filter(service_date=at(3, 9).date()).first().delete()),
    ]
    for label, change in changes:
        before = generation()
        change()
        assert generation() > before, label
        assert_as_recounted()
        assert_as_recounted(BY_INSTITUTION)
        partner = Partner.objects.first()
        assert_as_recounted([(), ("theme",)], partner=partner.pk)


def test_an_undone_entry_of_a_closed_day_is_counted_again(queue):
    reception, _adviser = queue
    late = services.visit_create(
        key=uuid.uuid4(),
        user=reception,
        occurred_at=at(1, 17),
        now=at(1, 17),
        theme="choisir",
        orientation="advice",
        language="fr",
        channel="on_site",
    ).entry
    first = assert_as_recounted()
    services.visit_undo(visit=late, user=reception, now=at(1, 17))
    assert assert_as_recounted()[()][0]["tickets"] == first[()][0]["tickets"] - 1


def test_summarise_days_prunes_verifies_and_forgets_the_kept_figures(queue):
    assert_as_recounted()
    stale = kept().get()
    stale.pk, stale.sets, stale.generation = None, "theme", generation() - 1
    stale.save()
    out = io.StringIO()
    call_command("summarise_days", "--verify", stdout=out)
    assert "keptfigures (queue): 1 kept span(s) of an earlier generation deleted" in out.getvalue()
    assert "verified: 0 span(s) differ" in out.getvalue()
    tampered = kept().get()
    tampered.rows[0][1][0]["tickets"] += 1
    tampered.save()
    with pytest.raises(CommandError, match=r"keptfigures \(queue\) queue "):
        call_command("summarise_days", "--verify", stdout=io.StringIO())
    call_command("summarise_days", "--rebuild", stdout=io.StringIO())
    assert not kept().exists()
    assert_as_recounted()


def test_a_first_generation_is_started_and_no_row_is_not_kept():
    FiguresGeneration.objects.all().delete()  # as after a flush of the tables
    closed = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    assert selectors.ticket_breakdowns(**closed, sets=[("theme",)]) == {("theme",): []}
    assert not kept().exists()  # nothing counted: nothing to keep
    assert selectors.ticket_breakdowns(**closed, sets=[()])[()][0]["tickets"] == 0
    assert kept().get().generation == generation() == 0


def test_receptions_changes_of_closed_days_are_kept_and_counted_again(queue, django_assert_num_queries):
    """queue_changes (the dashboard's cancelled, priority and transferred tickets) of a closed span: kept,
    and counted again after each change — a ticket of a closed day given priority or cancelled, and a
    transfer written in the audit trail for a closed day (the audit trail's own trigger)."""
    reception, _adviser = queue

    def as_recounted() -> dict:
        found = selectors.queue_changes(**span())
        assert found == selectors._changes_counted(*span().values(), None, "")[0]
        kept = KeptFigures.objects.get(kind="reception")
        assert kept.generation == FiguresGeneration.objects.get(kind="reception").value
        return found

    assert as_recounted() == {"cancelled": 0, "priority": 0, "transferred": 0}
    with django_assert_num_queries(1):
        selectors.queue_changes(**span())
    waiting = Ticket.objects.get(service_date=at(1, 9).date(), status="waiting")
    changes = [
        ("priority given", lambda: Ticket.objects.filter(pk=waiting.pk).update(priority="mobility")),
        (
            "a transfer in the audit trail",
            lambda: audit_record(actor=reception, action="ticket.transfer", obj=waiting, now=at(1, 15)),
        ),
        ("a cancellation", lambda: services.ticket_cancel(ticket=waiting, user=reception, now=at(1, 16))),
    ]
    for label, change in changes:
        before = FiguresGeneration.objects.get(kind="reception").value
        change()
        assert FiguresGeneration.objects.get(kind="reception").value > before, label
        as_recounted()
    assert as_recounted() == {"cancelled": 1, "priority": 1, "transferred": 1}
    before = FiguresGeneration.objects.get(kind="reception").value
    audit_record(actor=reception, action="ticket.transfer", obj=waiting)  # today's: leaves it alone
    assert FiguresGeneration.objects.get(kind="reception").value == before
