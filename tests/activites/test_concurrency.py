"""The last seat under concurrency, on real PostgreSQL connections (one per thread)."""

import uuid

import pytest

from activites import services
from activites.forms import ActivityCreateForm
from activites.models import Activity, Registration
from citedesmetiers.roles import Role
from tests.accueil.test_concurrency import run_together
from tests.activites.test_views import bookable_room, form_data
from tests.factories import activity, registration, staff

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


@pytest.mark.parametrize("in_a_room", [False, True])
def test_one_form_sent_several_times_at_once_schedules_its_sessions_once(in_a_room):
    organiser = staff(Role.ACTIVITY_ORGANISER)
    form = ActivityCreateForm(form_data(repeat_weeks="4", **(bookable_room() if in_a_room else {})))
    assert form.is_valid(), form.errors
    key = uuid.uuid4()

    def schedule():
        return services.activity_create(
            user=organiser,
            values=form.values(),
            languages=form.cleaned_data["languages"],
            publish=True,
            repeat_weeks=4,
            key=key,
        )

    results = run_together(*[schedule for _ in range(5)])
    assert Activity.objects.count() == 4
    assert {tuple(session.pk for session in result) for result in results} == {
        tuple(Activity.objects.order_by("starts_at").values_list("pk", flat=True))
    }
