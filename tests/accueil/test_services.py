"""Visits, tickets and the queue's life: the writes, with explicit times."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accueil import services
from accueil.models import Priority, Ticket, TicketStatus, Visit
from citedesmetiers.models import AuditEntry
from citedesmetiers.roles import Role
from tests.factories import staff

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def reception():
    return staff(Role.RECEPTION_AGENT)


@pytest.fixture
def adviser():
    """An Actiris adviser (themes: choisir, travailler, bouger) speaking French and Dutch."""
    user = staff(Role.ADVISER)
    user.languages.set(["fr", "nl"])
    return user


def record(user, *, key=None, now=MONDAY_10, **fields):
    defaults = {"theme": "choisir", "orientation": "advice", "language": "fr", "channel": "on_site"}
    return services.visit_create(
        key=key or uuid.uuid4(),
        user=user,
        occurred_at=fields.pop("occurred_at", now),
        now=now,
        **{**defaults, **fields},
    )


def test_advice_on_site_gets_the_next_ticket_of_the_day(reception):
    first = record(reception).entry
    second = record(reception, theme="travailler", now=MONDAY_10 + timedelta(minutes=1)).entry
    assert (first.ticket.number, first.ticket.label) == (1, "C001")
    assert (second.ticket.number, second.ticket.label) == (2, "T002")
    assert first.ticket.status == TicketStatus.WAITING
    assert first.ticket.issued_at == first.occurred_at


def test_numbers_start_again_each_day(reception):
    record(reception)
    tomorrow = record(reception, now=MONDAY_10 + timedelta(days=1)).entry
    assert tomorrow.ticket.number == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"orientation": "multimedia"},
        {"channel": "phone"},
        {"theme": None, "orientation": "information"},
        {"occurred_at": MONDAY_10 - timedelta(hours=2)},  # keyed in later: the moment has passed
    ],
)
def test_no_ticket_for_other_visits(reception, fields):
    result = record(reception, **fields)
    assert not Ticket.objects.filter(visit=result.entry).exists()


def test_a_replayed_key_records_nothing_more(reception):
    key = uuid.uuid4()
    first = record(reception, key=key)
    again = record(reception, key=key, theme="travailler", count=3)
    assert first.created
    assert not again.created
    assert again.entry.pk == first.entry.pk
    assert again.entry.theme_id == "choisir"
    assert Visit.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_a_group_is_one_entry_with_its_count(reception):
    group = record(reception, theme="apprendre", orientation="activity", count=25).entry
    assert group.count == 25


def test_the_database_refuses_advice_without_theme_and_empty_groups(reception):
    with pytest.raises(Exception, match="advice_has_theme"):
        record(reception, theme=None)
    with pytest.raises(ValidationError):
        record(reception, count=0)


def test_undo_within_the_window_cancels_the_visit_and_its_ticket(reception, settings):
    created = record(reception).entry
    services.visit_undo(visit=created, user=reception, now=MONDAY_10 + timedelta(minutes=4))
    created.refresh_from_db()
    assert created.cancelled
    assert created.ticket.status == TicketStatus.CANCELLED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("visit.undo", reception, str(created.pk))
    # Undoing twice changes nothing.
    services.visit_undo(visit=created, user=reception, now=MONDAY_10 + timedelta(minutes=4))
    assert AuditEntry.objects.count() == 1


def test_undo_is_refused_after_the_window_or_for_someone_else(reception, settings):
    created = record(reception).entry
    late = MONDAY_10 + timedelta(minutes=settings.CAPTURE_UNDO_MINUTES, seconds=1)
    with pytest.raises(ValidationError, match="coordinator"):
        services.visit_undo(visit=created, user=reception, now=late)
    with pytest.raises(ValidationError):
        services.visit_undo(visit=created, user=staff(Role.RECEPTION_AGENT), now=MONDAY_10)


def test_a_correction_changes_the_given_fields_and_writes_the_audit_trail(reception):
    coordinator = staff(Role.COORDINATOR)
    created = record(reception, orientation="multimedia").entry
    services.visit_correct(
        visit=created, user=coordinator, now=MONDAY_10, theme="bouger", count=2, language="fr", gender="woman"
    )
    created.refresh_from_db()
    assert (created.theme_id, created.count, created.gender_id) == ("bouger", 2, "woman")
    audit = AuditEntry.objects.get(action="visit.correct")
    assert audit.actor == coordinator
    assert audit.changes == {"theme": ["choisir", "bouger"], "count": [1, 2], "gender": [None, "woman"]}


def test_a_correction_can_cancel_and_move_in_time(reception):
    coordinator = staff(Role.COORDINATOR)
    created = record(reception).entry
    earlier = MONDAY_10 - timedelta(days=1)
    services.visit_correct(
        visit=created, user=coordinator, now=MONDAY_10, cancelled=True, occurred_at=earlier
    )
    created.refresh_from_db()
    assert created.cancelled
    assert created.occurred_at == earlier
    assert created.ticket.status == TicketStatus.CANCELLED
    assert set(AuditEntry.objects.get().changes) == {"cancelled", "occurred_at"}


def test_the_audit_trail_is_append_only(reception):
    created = record(reception).entry
    services.visit_undo(visit=created, user=reception, now=MONDAY_10)
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.update(action="tampered")


def test_call_next_takes_the_oldest_ticket_the_adviser_can_serve(reception, adviser):
    record(reception, theme="apprendre")  # not an Actiris theme
    record(reception, theme="travailler", language="ar")  # not a language of the adviser
    oldest = record(reception, theme="travailler", language="nl", now=MONDAY_10 + timedelta(minutes=1)).entry
    newer = record(reception, theme="choisir", now=MONDAY_10 + timedelta(minutes=2)).entry
    chosen = record(reception, theme="choisir", now=MONDAY_10 - timedelta(minutes=1)).entry
    called = services.ticket_call_next(adviser=adviser, desk="4", now=MONDAY_10 + timedelta(minutes=3))
    assert called == chosen.ticket
    assert (called.status, called.desk, called.adviser, called.calls) == (
        TicketStatus.CALLED,
        "4",
        adviser,
        1,
    )
    assert oldest.ticket.status == newer.ticket.status == TicketStatus.WAITING


def test_a_ticket_for_another_institution_is_not_offered(reception, adviser):
    from citedesmetiers.models import Partner

    vdab = Partner.objects.get(code="vdab-brussel")
    record(reception, theme="travailler", partner=vdab.pk)
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10) is None
    record(reception, theme="travailler", partner=adviser.partner_id, now=MONDAY_10 + timedelta(minutes=1))
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=2)) is not None


def test_nobody_is_offered_to_an_adviser_without_languages(reception, adviser):
    record(reception)
    adviser.languages.clear()
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10) is None


def test_one_visitor_at_a_time(reception, adviser):
    record(reception)
    record(reception, now=MONDAY_10 + timedelta(seconds=1))
    services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="still with C001"):
        services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=2))


def test_the_life_of_a_ticket_keeps_every_time(reception, adviser):
    ticket = record(reception).entry.ticket
    t = MONDAY_10
    services.ticket_call_next(adviser=adviser, desk="2", now=t + timedelta(minutes=5))
    services.ticket_recall(ticket=ticket, adviser=adviser, now=t + timedelta(minutes=7))
    services.ticket_start(ticket=ticket, adviser=adviser, now=t + timedelta(minutes=8))
    services.ticket_end(ticket=ticket, adviser=adviser, now=t + timedelta(minutes=28))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert ticket.calls == 2
    assert (ticket.called_at, ticket.announced_at) == (t + timedelta(minutes=5), t + timedelta(minutes=7))
    assert (ticket.served_at, ticket.ended_at) == (t + timedelta(minutes=8), t + timedelta(minutes=28))


def test_a_called_person_may_walk_away_and_actions_respect_the_stage(reception, adviser):
    ticket = record(reception).entry.ticket
    services.ticket_call_next(adviser=adviser, now=MONDAY_10)
    with pytest.raises(ValidationError):
        services.ticket_end(ticket=ticket, adviser=adviser, now=MONDAY_10)
    services.ticket_walked_away(ticket=ticket, adviser=adviser, now=MONDAY_10 + timedelta(minutes=3))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WALKED_AWAY
    with pytest.raises(ValidationError):
        services.ticket_recall(ticket=ticket, adviser=adviser, now=MONDAY_10)
    other = staff(Role.ADVISER)
    with pytest.raises(ValidationError, match="another adviser"):
        services.ticket_start(ticket=ticket, adviser=other, now=MONDAY_10)


def test_closing_the_queue_ends_leftover_tickets_as_not_served(reception, adviser, settings):
    settings.QUEUE_CLOSING_TIME = "18:00"
    yesterday = MONDAY_10 - timedelta(days=1)
    in_consultation = record(reception, now=yesterday).entry.ticket
    left_waiting = record(reception, now=yesterday + timedelta(minutes=1)).entry.ticket
    services.ticket_call_next(adviser=adviser, now=yesterday + timedelta(minutes=2))
    services.ticket_start(ticket=in_consultation, adviser=adviser, now=yesterday + timedelta(minutes=3))
    today = record(reception).entry.ticket

    assert services.queue_close(now=MONDAY_10) == 1
    assert services.queue_close(now=MONDAY_10) == 0  # running it again is harmless
    for ticket in (in_consultation, left_waiting, today):
        ticket.refresh_from_db()
    assert left_waiting.status == TicketStatus.NOT_SERVED
    assert in_consultation.status == TicketStatus.DONE
    assert in_consultation.ended_at is None  # its end is not known
    assert today.status == TicketStatus.WAITING  # before closing time, today's queue stays

    assert services.queue_close(now=MONDAY_10.replace(hour=18, minute=5)) == 1
    today.refresh_from_db()
    assert today.status == TicketStatus.NOT_SERVED


# --- reception's hand on the queue: transfer, priority, cancel (issue 16) ---------------------------


def test_a_transfer_keeps_the_number_letter_and_place_and_is_audited(reception, adviser):
    first = record(reception, theme="apprendre").entry.ticket  # A001, Actiris does not advise on it
    second = record(reception, theme="choisir", now=MONDAY_10 + timedelta(minutes=1)).entry.ticket
    moved = services.ticket_transfer(
        ticket=first, user=reception, theme="choisir", now=MONDAY_10 + timedelta(minutes=4)
    )
    assert (moved.theme_id, moved.label, moved.issued_at) == ("choisir", "A001", MONDAY_10)
    # Its place is its time of issue: the adviser now calls it before the later C002.
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=5)) == first
    second.refresh_from_db()
    assert second.status == TicketStatus.WAITING
    audit = AuditEntry.objects.get(action="ticket.transfer")
    assert (audit.actor, audit.object_id) == (reception, str(first.pk))
    assert audit.changes == {"theme_id": ["apprendre", "choisir"]}


def test_a_transfer_to_an_institution_that_does_not_offer_the_theme_is_refused(reception):
    from citedesmetiers.models import Partner

    ticket = record(reception, theme="choisir").entry.ticket
    actiris = Partner.objects.get(code="actiris")
    elsewhere = Partner.objects.filter(active=True).exclude(themes="choisir").first()
    with pytest.raises(ValidationError, match="does not advise"):
        services.ticket_transfer(ticket=ticket, user=reception, theme="choisir", partner=elsewhere.pk)
    with pytest.raises(ValidationError, match="Unknown theme"):
        services.ticket_transfer(ticket=ticket, user=reception, theme="nothing")
    with pytest.raises(ValidationError, match="already"):
        services.ticket_transfer(ticket=ticket, user=reception, theme="choisir")
    services.ticket_transfer(ticket=ticket, user=reception, theme="choisir", partner=actiris.pk)
    ticket.refresh_from_db()
    assert ticket.partner == actiris
    assert AuditEntry.objects.filter(action="ticket.transfer").count() == 1


def test_a_transfer_of_a_ticket_without_a_stored_letter_keeps_the_printed_one(reception):
    ticket = record(reception, theme="travailler").entry.ticket
    Ticket.objects.filter(pk=ticket.pk).update(letter="")  # issued before letters were stored
    moved = services.ticket_transfer(ticket=ticket, user=reception, theme="choisir")
    assert moved.label == "T001"


def test_priority_tickets_are_called_first_and_need_a_reason_code(reception, adviser):
    first = record(reception).entry.ticket
    second = record(reception, now=MONDAY_10 + timedelta(minutes=1)).entry.ticket
    third = record(reception, now=MONDAY_10 + timedelta(minutes=2)).entry.ticket
    with pytest.raises(ValidationError, match="Unknown reason"):
        services.ticket_prioritise(ticket=third, user=reception, reason="she is nice")
    services.ticket_prioritise(ticket=third, user=reception, reason=Priority.PREGNANCY)
    services.ticket_prioritise(ticket=second, user=reception, reason=Priority.REDUCED_MOBILITY)
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=5)) == second
    services.ticket_walked_away(ticket=second, adviser=adviser, now=MONDAY_10 + timedelta(minutes=7))
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=8)) == third
    services.ticket_walked_away(ticket=third, adviser=adviser, now=MONDAY_10 + timedelta(minutes=9))
    assert services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=10)) == first
    audit = AuditEntry.objects.filter(action="ticket.priority").order_by("id").first()
    assert audit.changes == {"priority": ["", "pregnancy"]}


def test_priority_can_be_taken_back(reception):
    ticket = record(reception).entry.ticket
    services.ticket_prioritise(ticket=ticket, user=reception, reason=Priority.WITH_CHILD)
    services.ticket_prioritise(ticket=ticket, user=reception, reason=Priority.NONE)
    ticket.refresh_from_db()
    assert ticket.priority == ""
    assert AuditEntry.objects.filter(action="ticket.priority").count() == 2


def test_cancel_takes_a_waiting_ticket_out_keeps_the_visit_and_is_audited(reception, adviser):
    entry = record(reception).entry
    later = MONDAY_10 + timedelta(minutes=12)
    cancelled = services.ticket_cancel(ticket=entry.ticket, user=reception, now=later)
    assert (cancelled.status, cancelled.ended_at) == (TicketStatus.CANCELLED, later)
    assert Visit.objects.filter(pk=entry.pk, cancelled_at__isnull=True).exists()
    assert services.ticket_call_next(adviser=adviser, now=later) is None
    audit = AuditEntry.objects.get(action="ticket.cancel")
    assert (audit.actor, audit.changes) == (reception, {"status": ["waiting", "cancelled"]})


@pytest.mark.parametrize("action", ["transfer", "priority", "cancel"])
def test_a_ticket_no_longer_waiting_cannot_be_managed(reception, adviser, action):
    ticket = record(reception).entry.ticket
    services.ticket_call_next(adviser=adviser, now=MONDAY_10 + timedelta(minutes=1))
    manage = {
        "transfer": lambda: services.ticket_transfer(ticket=ticket, user=reception, theme="travailler"),
        "priority": lambda: services.ticket_prioritise(ticket=ticket, user=reception, reason="mobility"),
        "cancel": lambda: services.ticket_cancel(ticket=ticket, user=reception),
    }[action]
    with pytest.raises(ValidationError, match="C001 is no longer waiting"):
        manage()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.theme_id, ticket.priority) == (TicketStatus.CALLED, "choisir", "")
    assert not AuditEntry.objects.filter(action__startswith="ticket.").exists()


def test_cancel_transfer_and_priority_keep_the_queue_figures_exact(reception, adviser):
    """ticket_times recounted from the raw rows: a cancelled ticket counts nowhere, a transferred one
    under its final theme, a priority one like any other."""
    from statistics import mean, median

    from accueil.selectors import ticket_times

    at = lambda minutes: MONDAY_10 + timedelta(minutes=minutes)  # noqa: E731
    served = record(reception).entry.ticket  # C001
    moved = record(reception, theme="apprendre", now=at(1)).entry.ticket  # A002 → choisir
    cancelled = record(reception, now=at(2)).entry.ticket  # C003
    gone = record(reception, now=at(3)).entry.ticket  # C004, walks away
    urgent = record(reception, now=at(4)).entry.ticket  # C005, priority
    services.ticket_transfer(ticket=moved, user=reception, theme="choisir", now=at(5))
    services.ticket_cancel(ticket=cancelled, user=reception, now=at(6))
    services.ticket_prioritise(ticket=urgent, user=reception, reason=Priority.REDUCED_MOBILITY, now=at(6))
    # Called in this order: the priority first, then by time of issue.
    steps = [(urgent, 10, 12, 30), (served, 31, 32, 50), (moved, 51, 52, 60), (gone, 61, None, 63)]
    for ticket, called, started, ended in steps:
        assert services.ticket_call_next(adviser=adviser, now=at(called)) == ticket
        if started is None:
            services.ticket_walked_away(ticket=ticket, adviser=adviser, now=at(ended))
        else:
            services.ticket_start(ticket=ticket, adviser=adviser, now=at(started))
            services.ticket_end(ticket=ticket, adviser=adviser, now=at(ended))

    rows = list(Ticket.objects.exclude(status=TicketStatus.CANCELLED))
    day = MONDAY_10.date()
    [total] = ticket_times(start=day, end=day)
    waits = [(t.called_at - t.issued_at) for t in rows if t.called_at]
    services_ = [(t.ended_at - t.served_at) for t in rows if t.served_at and t.ended_at]
    assert (total["tickets"], total["called"], total["served"], total["walked_away"]) == (4, 4, 3, 1)
    assert total["waiting_mean"] == sum(waits, timedelta()) / len(waits)
    assert total["waiting_median"] == median(waits)
    assert total["service_mean"] == sum(services_, timedelta()) / len(services_)
    assert total["service_count"] == 3
    assert total["waiting_mean"] == timedelta(minutes=mean([6, 31, 50, 58]))
    by_theme = {row["theme"]: row for row in ticket_times(start=day, end=day, by=["theme"])}
    assert set(by_theme) == {"choisir"}  # the transferred ticket counts under its final theme
    assert by_theme["choisir"]["tickets"] == 4
