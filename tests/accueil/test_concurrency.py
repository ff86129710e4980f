"""Races on real PostgreSQL connections: the same entry sent several times at once, advisers pressing
"call next" at the same moment, tickets numbered under load. Each thread has its own connection."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accueil import services
from accueil.models import Ticket, TicketStatus, Visit
from citedesmetiers.roles import Role
from tests.conftest import HttpsClient
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*calls):
    """Runs the calls in threads released at the same instant; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def advice(user, key, now):
    return lambda: services.visit_create(
        key=key,
        user=user,
        occurred_at=now,
        now=now,
        theme="choisir",
        orientation="advice",
        language="fr",
        channel="on_site",
    )


def test_the_same_entry_sent_eight_times_at_once_is_recorded_once():
    user = staff(Role.RECEPTION_AGENT)
    key, now = uuid.uuid4(), timezone.now()
    results = run_together(*[advice(user, key, now) for _ in range(8)])
    assert sum(result.created for result in results) == 1
    assert {result.entry.pk for result in results} == {Visit.objects.get().pk}
    assert Ticket.objects.count() == 1


def test_a_double_click_through_the_desk_records_one_visit():
    user = staff(Role.RECEPTION_AGENT)
    clients = [HttpsClient(), HttpsClient()]
    for client in clients:
        client.force_login(user)
    form = {
        "key": str(uuid.uuid4()),
        "theme": "travailler",
        "orientation": "advice",
        "language": "nl",
        "channel": "on_site",
        "count": "1",
    }
    responses = run_together(
        *[lambda client=client: client.post(reverse("accueil:desk"), form) for client in clients]
    )
    assert [response.status_code for response in responses] == [302, 302]
    assert Visit.objects.count() == 1
    assert Ticket.objects.get().language_id == "nl"


def waiting_tickets(count):
    user = staff(Role.RECEPTION_AGENT)
    start = timezone.now() - timedelta(minutes=count)
    for minute in range(count):
        advice(user, uuid.uuid4(), start + timedelta(minutes=minute))()


def adviser():
    user = staff(Role.ADVISER)
    user.languages.set(["fr"])
    return user


def test_two_advisers_calling_at_once_never_get_the_same_person(daytime):
    waiting_tickets(1)
    first, second = adviser(), adviser()
    results = run_together(
        lambda: services.ticket_call_next(adviser=first), lambda: services.ticket_call_next(adviser=second)
    )
    assert sorted(result is None for result in results) == [False, True]
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_six_advisers_calling_at_once_take_six_different_people(daytime):
    waiting_tickets(6)
    advisers = [adviser() for _ in range(6)]
    results = run_together(*[lambda who=who: services.ticket_call_next(adviser=who) for who in advisers])
    assert len({ticket.pk for ticket in results}) == 6
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 6
    assert {ticket.adviser_id for ticket in Ticket.objects.all()} == {who.pk for who in advisers}


def test_a_ticket_being_called_is_skipped_not_waited_for(daytime):
    """While one adviser's transaction still holds the oldest ticket, another gets the next one at once."""
    waiting_tickets(2)
    first, second = adviser(), adviser()
    holding, release = threading.Event(), threading.Event()
    taken = {}

    def slow_call():
        try:
            with transaction.atomic():
                taken["first"] = services.ticket_call_next(adviser=first)
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_call)
    thread.start()
    assert holding.wait(timeout=10)
    try:
        taken["second"] = run_together(lambda: services.ticket_call_next(adviser=second))[0]
    finally:
        release.set()
        thread.join(timeout=10)
    assert taken["first"].number == 1
    assert taken["second"].number == 2


def test_ticket_numbers_stay_unique_when_many_people_arrive_at_once():
    user = staff(Role.RECEPTION_AGENT)
    now = timezone.now()
    run_together(*[advice(user, uuid.uuid4(), now) for _ in range(10)])
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 11))
