"""The last seat under concurrency, on real PostgreSQL connections (one per thread)."""

import pytest

from activites import services
from activites.models import Registration
from tests.accueil.test_concurrency import run_together
from tests.factories import activity, registration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_eight_people_confirming_at_the_same_second_for_the_last_seat_never_overfill():
    workshop = activity(capacity=3)
    registration(workshop)
    registration(workshop)  # one seat left
    pending = [registration(workshop, confirm=False) for _ in range(8)]
    results = run_together(
        *[lambda person=person: services.registration_confirm(registration=person) for person in pending]
    )
    statuses = sorted(result.status for result in results)
    assert statuses.count(Registration.Status.CONFIRMED) == 1
    assert statuses.count(Registration.Status.WAITING) == 7
    assert workshop.registrations.seated().count() == 3


def test_the_same_address_sent_at_once_from_several_tabs_registers_once():
    workshop = activity()
    results = run_together(
        *[
            lambda: services.registration_create(
                activity=workshop, first_name="Alex", email="alex@example.org", language="fr"
            )
            for _ in range(6)
        ]
    )
    assert len({result.registration.pk for result in results}) == 1
    assert Registration.objects.count() == 1


def test_cancellations_and_confirmations_at_once_keep_the_capacity():
    workshop = activity(capacity=2)
    seated = [registration(workshop) for _ in range(2)]
    pending = [registration(workshop, confirm=False) for _ in range(6)]
    calls = [lambda person=person: services.registration_cancel(registration=person) for person in seated]
    calls += [lambda person=person: services.registration_confirm(registration=person) for person in pending]
    run_together(*calls)
    # A freed seat is given to someone confirming, or held for the first person waiting (offered).
    assert workshop.registrations.holding().count() == 2
    assert workshop.registrations.filter(status=Registration.Status.WAITING).count() == 4
