"""The activities' services: scheduling, the waiting list, e-mails, the purge, attendance and figures."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activites import selectors, services
from activites.emails import emails_send
from activites.models import Activity, OutgoingEmail, Registration, WalkIn
from citedesmetiers.models import AuditEntry, Partner
from citedesmetiers.roles import Role
from tests.factories import activity, registration, staff

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


# --- scheduling -------------------------------------------------------------------------------------


def test_a_weekly_series_is_scheduled_in_one_step_at_the_same_local_time_across_daylight_saving():
    first = datetime(2026, 10, 6, 14, 0, tzinfo=BRUSSELS)  # a Tuesday; summer time ends on 25 October
    sessions = activity(starts_at=first, repeat_weeks=8, now=first - timedelta(days=30))
    assert len(sessions) == 8
    assert len({session.series for session in sessions}) == 1
    local = [timezone.localtime(session.starts_at) for session in sessions]
    assert {(moment.weekday(), moment.hour, moment.minute) for moment in local} == {(1, 14, 0)}
    assert local[-1].date() == first.date() + timedelta(weeks=7)


def test_a_room_cannot_be_booked_twice_at_once():
    start = timezone.now() + timedelta(days=3)
    activity(room="activites", starts_at=start)
    with pytest.raises(ValidationError) as refused:
        activity(room="activites", starts_at=start + timedelta(hours=1))
    assert "room" in refused.value.message_dict
    activity(room="activites", starts_at=start + timedelta(hours=2))  # right after: free


def test_a_series_that_meets_a_booked_room_is_refused_as_a_whole():
    start = timezone.now() + timedelta(days=3)
    activity(room="activites", starts_at=start + timedelta(weeks=2))
    with pytest.raises(ValidationError):
        activity(room="activites", starts_at=start, repeat_weeks=4)
    assert Activity.objects.count() == 1


def test_the_database_itself_refuses_a_double_booking():
    start = timezone.now() + timedelta(days=3)
    booked = activity(room="activites", starts_at=start)
    twin = Activity.objects.get(pk=booked.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_cancelled_activity_frees_its_room():
    start = timezone.now() + timedelta(days=3)
    booked = activity(room="activites", starts_at=start)
    services.activity_cancel(activity=booked, user=staff(Role.COORDINATOR))
    activity(room="activites", starts_at=start)


def test_publishing_needs_french_and_dutch_but_a_draft_does_not():
    draft = activity(title_nl="", description_nl="", publish=False)
    assert draft.status == Activity.Status.DRAFT
    with pytest.raises(ValidationError) as refused:
        services.activity_publish(activity=draft, user=staff(Role.COORDINATOR))
    assert set(refused.value.message_dict) == {"title_nl", "description_nl"}
    with pytest.raises(ValidationError):
        activity(title_nl="")


def test_an_organiser_schedules_for_their_own_institution_only():
    organiser = staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="actiris"))
    activity(user=organiser, partner="actiris")
    with pytest.raises(ValidationError):
        activity(user=organiser, partner="vdab-brussel")


def test_registration_needs_a_capacity_and_a_room_a_room():
    with pytest.raises(ValidationError) as refused:
        activity(capacity=None)
    assert "capacity" in refused.value.message_dict
    activity(capacity=None, admission="free")
    with pytest.raises(ValidationError):
        activity(place_kind="online", online_url="")


def test_a_change_is_audited_and_a_capacity_below_the_seats_given_is_refused():
    workshop = activity(capacity=2)
    registration(workshop)
    registration(workshop)
    coordinator = staff(Role.COORDINATOR)
    values = {name: getattr(workshop, name) for name in services.FIELDS}
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=workshop,
            user=coordinator,
            values=values | {"capacity": 1},
            languages=["fr"],
            publish=True,
        )
    services.activity_update(
        activity=workshop,
        user=coordinator,
        values=values | {"title_fr": "Atelier lettre"},
        languages=["fr"],
        publish=True,
    )
    entry = AuditEntry.objects.get(action="activity.update")
    assert entry.changes == {"title_fr": ["Atelier CV", "Atelier lettre"]}


# --- registrations and the waiting list --------------------------------------------------------------


def test_a_registration_is_pending_until_the_address_is_confirmed(deliver):
    workshop = activity(capacity=1)
    pending = registration(workshop, confirm=False)
    assert pending.status == Registration.Status.PENDING
    assert selectors.seats_left(workshop) == 1
    [message] = deliver()
    assert pending.token in message.body
    confirmed = services.registration_confirm(registration=pending)
    assert confirmed.status == Registration.Status.CONFIRMED
    assert services.registration_confirm(registration=pending).status == Registration.Status.CONFIRMED


def test_registering_twice_with_the_same_address_makes_one_registration():
    workshop = activity()
    first = services.registration_create(
        activity=workshop, first_name="Alex", email="a@example.org", language="fr"
    )
    again = services.registration_create(
        activity=workshop, first_name="Alex", email="A@Example.org", language="fr"
    )
    assert first.created
    assert not again.created
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1  # the link is not sent twice within a minute


def test_when_full_people_wait_and_a_freed_seat_is_offered_to_the_first_who_is_told(deliver, settings):
    settings.WAITING_LIST_OFFER_HOURS = 24
    workshop = activity(capacity=1)
    seated = registration(workshop, language="fr")
    first = registration(workshop, language="nl", first_name="Bram")
    second = registration(workshop, language="fr")
    assert (first.status, second.status) == (Registration.Status.WAITING, Registration.Status.WAITING)
    deliver()
    now = timezone.now()
    services.registration_cancel(registration=seated, now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.OFFERED
    assert first.offer_expires_at == now + timedelta(hours=24)
    assert second.status == Registration.Status.WAITING
    # The seat is held: the activity stays full and counts no seat given for it yet.
    assert selectors.seats_left(selectors.agenda_activity_get(pk=workshop.pk)) == 0
    assert selectors.figures(workshop).registered == 0
    offer = [message for message in deliver() if message.to == [first.email]][-1]
    assert offer.subject.startswith("Er is een plaats voor u") or "Bram" in offer.body
    assert first.token in offer.body  # the link that accepts it
    assert not offer.attachments
    accepted = services.registration_offer_accept(registration=first)
    assert accepted.status == Registration.Status.CONFIRMED
    assert selectors.figures(workshop).registered == 1
    confirmed = [message for message in deliver() if message.to == [first.email]][-1]
    assert confirmed.attachments  # the calendar file
    # Accepting twice changes nothing.
    assert services.registration_offer_accept(registration=first).status == Registration.Status.CONFIRMED


def test_an_offer_not_accepted_in_time_passes_to_the_next_person(deliver, settings):
    settings.WAITING_LIST_OFFER_HOURS = 24
    workshop = activity(capacity=1, starts_in=timedelta(days=7))
    seated = registration(workshop)
    first = registration(workshop, email="first@example.org")
    second = registration(workshop, email="second@example.org")
    now = timezone.now()
    services.registration_cancel(registration=seated, now=now)
    assert services.offers_expire(now=now + timedelta(hours=23)) == 0
    deliver()
    assert services.offers_expire(now=now + timedelta(hours=24, minutes=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert second.status == Registration.Status.OFFERED
    sent = {message.to[0]: message for message in deliver()}
    assert {"first@example.org", "second@example.org"} <= set(sent)
    with pytest.raises(ValidationError):
        services.registration_offer_accept(registration=first, now=now + timedelta(hours=25))
    assert selectors.seats_left(selectors.agenda_activity_get(pk=workshop.pk)) == 0


def test_an_offer_is_held_at_most_until_the_start_and_0_hours_gives_the_seat_at_once(settings):
    settings.WAITING_LIST_OFFER_HOURS = 24
    workshop = activity(capacity=1, starts_in=timedelta(hours=5))
    seated = registration(workshop)
    waiting = registration(workshop)
    services.registration_cancel(registration=seated)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == workshop.starts_at
    settings.WAITING_LIST_OFFER_HOURS = 0
    other = activity(capacity=1, starts_in=timedelta(days=3))
    seated = registration(other)
    waiting = registration(other)
    services.registration_cancel(registration=seated)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_a_larger_capacity_gives_its_seats_to_the_waiting_list():
    workshop = activity(capacity=1)
    registration(workshop)
    waiting = registration(workshop)
    values = {name: getattr(workshop, name) for name in services.FIELDS}
    services.activity_update(
        activity=workshop,
        user=staff(Role.COORDINATOR),
        values=values | {"capacity": 2},
        languages=["fr"],
        publish=True,
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED


def test_registration_closes_when_the_activity_starts_and_is_not_offered_for_free_entry():
    started = activity(starts_in=timedelta(days=7))
    with pytest.raises(ValidationError):
        services.registration_create(
            activity=started, first_name="A", email="a@example.org", language="fr", now=started.starts_at
        )
    free = activity(admission="free", capacity=None)
    with pytest.raises(ValidationError):
        registration(free)


def test_cancelling_an_activity_tells_everyone_in_their_language(deliver):
    workshop = activity(capacity=1)
    registration(workshop, language="fr", email="fr@example.org")
    registration(workshop, language="nl", email="nl@example.org")
    deliver()
    services.activity_cancel(activity=workshop, user=staff(Role.COORDINATOR))
    cancelled = [
        message for message in deliver() if message.subject.startswith(("Cancelled", "Annul", "Geannul"))
    ]
    assert {message.to[0] for message in cancelled} == {"fr@example.org", "nl@example.org"}
    assert "STATUS:CANCELLED" in cancelled[0].attachments[0][1]


def test_erasing_a_registration_frees_its_seat_and_keeps_no_personal_data():
    workshop = activity(capacity=1)
    mine = registration(workshop, first_name="Zoë", email="zoe@example.org")
    waiting = registration(workshop)
    erased = services.registration_erase(registration=mine)
    assert (erased.first_name, erased.email, erased.status) == ("", "", Registration.Status.CANCELLED)
    assert not OutgoingEmail.objects.filter(to="zoe@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED


# --- e-mail ---------------------------------------------------------------------------------------


class Down:
    """A mail backend whose server is unreachable."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_down_never_breaks_a_registration_and_the_message_is_retried(settings):
    settings.EMAIL_BACKEND = "tests.activites.test_services.Down"
    workshop = activity()
    pending = registration(workshop, confirm=False)
    assert emails_send() == (0, 1)
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert emails_send() == (0, 0)  # not due again yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send(now=timezone.now() + timedelta(minutes=2)) == (1, 0)
    assert Registration.objects.get().pk == pending.pk


def test_messages_are_in_the_persons_language_as_text_and_html(deliver):
    workshop = activity()
    registration(workshop, language="nl", first_name="Bram", confirm=False)
    registration(workshop, language="fr", first_name="Léa", confirm=False)
    dutch, french = deliver()
    assert "Bram" in dutch.body
    assert dutch.alternatives[0].mimetype == "text/html"
    assert 'lang="nl"' in dutch.alternatives[0].content
    assert "Workshop cv" in dutch.subject
    assert "Atelier CV" in french.subject
    assert "/nl/" in dutch.body
    assert "/fr/" in french.body


def test_a_reminder_leaves_once_a_few_days_before_with_the_calendar_file(deliver, settings):
    settings.REMINDER_DAYS_BEFORE = 2
    now = timezone.now()
    soon = activity(starts_in=timedelta(days=1, hours=12), now=now)
    later = activity(starts_in=timedelta(days=5), now=now)
    registration(soon, now=now - timedelta(days=1))
    registration(later, now=now - timedelta(days=1))
    deliver()
    assert services.reminders_queue(now=now) == 1
    assert services.reminders_queue(now=now) == 0
    reminder = deliver()[-1]
    assert reminder.attachments[0][0] == "activity.ics"


# --- the purge ------------------------------------------------------------------------------------


def test_the_purge_deletes_unconfirmed_registrations_after_48_hours_and_erases_past_ones(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    now = timezone.now()
    past = activity(starts_in=timedelta(days=1), now=now - timedelta(days=40))
    kept = registration(past, now=now - timedelta(days=40), email="kept@example.org")
    services.attendance_mark(
        activity=past,
        registration_id=kept.pk,
        attended=True,
        user=staff(Role.COORDINATOR),
        now=past.starts_at,
    )
    coming = activity(now=now)
    stale = registration(coming, confirm=False, now=now - timedelta(hours=49))
    fresh = registration(coming, confirm=False, now=now - timedelta(hours=47))
    purged = services.registrations_purge(now=now)
    assert purged.unconfirmed == 1
    assert purged.erased == 1
    assert not Registration.objects.filter(pk=stale.pk).exists()
    assert Registration.objects.filter(pk=fresh.pk).exists()
    kept.refresh_from_db()
    assert (kept.first_name, kept.email) == ("", "")
    assert kept.attended is True
    assert selectors.figures(past).checked_in == 1  # the counts stay
    assert not OutgoingEmail.objects.filter(to="kept@example.org").exists()


def test_the_purge_counts_every_e_mail_it_deletes(settings, deliver):
    settings.REGISTRATION_RETENTION_DAYS = 30
    now = timezone.now()
    past = activity(starts_in=timedelta(days=1), now=now - timedelta(days=40))
    for _ in range(3):
        registration(past, now=now - timedelta(days=40))  # "confirm your address" and "registered"
    registration(activity(now=now), confirm=False, now=now - timedelta(hours=49))  # its link only
    deliver()  # sent or not, a person's e-mails go with their data
    before = OutgoingEmail.objects.count()
    purged = services.registrations_purge(now=now)
    assert (purged.unconfirmed, purged.erased) == (1, 3)
    assert purged.emails == before - OutgoingEmail.objects.count() == 7
    assert services.registrations_purge(now=now).emails == 0


# --- attendance and figures -------------------------------------------------------------------------


def test_attendance_participants_fill_and_show_rates():
    workshop = activity(capacity=4, starts_in=timedelta(hours=1))
    coordinator = staff(Role.COORDINATOR)
    came = [registration(workshop, now=timezone.now() - timedelta(days=1)) for _ in range(3)]
    assert selectors.figures(workshop).participants is None  # not recorded: unknown, not zero
    for person in came[:2]:
        services.attendance_mark(
            activity=workshop, registration_id=person.pk, attended=True, user=coordinator
        )
    key = uuid.uuid4()
    services.walk_in_add(activity=workshop, key=key, user=coordinator)
    services.walk_in_add(activity=workshop, key=key, user=coordinator)  # a double tap: once
    services.walk_in_add(activity=workshop, key=uuid.uuid4(), user=coordinator)
    services.walk_in_undo(activity=workshop, user=coordinator)
    assert services.attendance_close(activity=workshop, user=coordinator) == 1
    figures = selectors.figures(workshop)
    assert (figures.registered, figures.checked_in, figures.no_shows, figures.walk_ins) == (3, 2, 1, 1)
    assert figures.participants == 3
    assert figures.fill_rate == 0.75
    assert figures.show_rate == pytest.approx(2 / 3)
    assert WalkIn.objects.count() == 2


def test_a_free_entry_activity_counts_its_headcount_only():
    fair = activity(admission="free", capacity=None, starts_in=timedelta(minutes=30))
    services.headcount_set(activity=fair, headcount=120, user=staff(Role.COORDINATOR))
    with pytest.raises(ValidationError):  # everyone there is a walk-in: the headcount counts them
        services.walk_in_add(activity=fair, key=uuid.uuid4(), user=staff(Role.COORDINATOR))
    assert selectors.figures(fair).participants == 120
    assert not WalkIn.objects.exists()


def test_attendance_opens_two_hours_before_the_start():
    workshop = activity(starts_in=timedelta(days=2))
    with pytest.raises(ValidationError):
        services.walk_in_add(activity=workshop, key=uuid.uuid4(), user=staff(Role.COORDINATOR))


def test_activities_whose_attendance_was_never_recorded_are_flagged_not_counted_as_zero():
    now = timezone.now()
    # Both on the same day, whatever the hour the test runs: 10:00 and 13:00 two days ago.
    ten = timezone.make_aware(datetime.combine(timezone.localdate(now) - timedelta(days=2), time(10)))
    forgotten = activity(starts_in=timedelta(days=1), now=ten - timedelta(days=1))
    recorded = activity(starts_in=timedelta(days=1, hours=3), now=ten - timedelta(days=1))
    services.headcount_set(
        activity=recorded, headcount=4, user=staff(Role.COORDINATOR), now=recorded.starts_at
    )
    coordinator = staff(Role.COORDINATOR)
    assert list(selectors.missing_attendance(user=coordinator, now=now)) == [forgotten]
    vdab = staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="vdab-brussel"))
    assert list(selectors.missing_attendance(user=vdab, now=now)) == []
    day = timezone.localdate(forgotten.starts_at)
    rows = {row["pk"]: row for row in selectors.activity_rows(spans=[(day, day)], ended_by=now)[0]}
    assert rows[forgotten.pk]["participants"] is None
    assert rows[recorded.pk]["participants"] == 4


def test_registrations_by_language():
    workshop = activity(capacity=5)
    registration(workshop, language="fr")
    registration(workshop, language="nl")
    registration(workshop, language="nl")
    assert selectors.registrations_by_language(activity=workshop) == {
        "fr": {"registered": 1, "checked_in": 0},
        "nl": {"registered": 2, "checked_in": 0},
    }


def test_the_public_form_is_rate_limited_per_address(settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 3
    results = [services.registration_throttled(address="203.0.113.9") for _ in range(4)]
    assert results == [False, False, False, True]
    assert services.registration_throttled(address="203.0.113.10") is False
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert services.registration_throttled(address="203.0.113.9", now=later) is False


def test_one_e_mail_address_has_its_own_hourly_limit_in_any_case(settings):
    settings.REGISTRATIONS_PER_EMAIL_PER_HOUR = 2
    results = [
        services.registration_email_throttled(email=email) for email in ("a@x.org", "A@X.org ", "a@x.org")
    ]
    assert results == [False, False, True]
    assert services.registration_email_throttled(email="b@x.org") is False
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert services.registration_email_throttled(email="a@x.org", now=later) is False


def _moved(workshop, **changes):
    values = {name: getattr(workshop, name) for name in services.FIELDS} | changes
    return services.activity_update(
        activity=workshop, user=staff(Role.COORDINATOR), values=values, languages=["fr"], publish=True
    )


def test_a_moved_activity_tells_everyone_with_the_same_calendar_entry_revised(deliver):
    from icalendar import Calendar

    workshop = activity(capacity=1)
    registration(workshop, language="fr", email="fr@example.org")
    registration(workshop, language="nl", email="nl@example.org")  # waiting
    pending = registration(workshop, language="fr", email="pending@example.org", confirm=False)
    deliver()
    first = Calendar.from_ical(services_calendar(workshop))
    later = workshop.starts_at + timedelta(days=1)
    moved = _moved(workshop, starts_at=later, ends_at=later + timedelta(hours=2))
    assert moved.sequence == 1
    sent = {
        message.to[0]: message for message in deliver() if "fr@" in message.to[0] or "nl@" in message.to[0]
    }
    assert set(sent) == {"fr@example.org", "nl@example.org"}
    assert not pending.emails.filter(kind="activity_moved").exists()  # not registered until confirmed
    assert sent["nl@example.org"].subject.startswith(("Gewijzigd", "Changed"))
    [(_name, ics, _type)] = sent["fr@example.org"].attachments
    [before] = first.walk("VEVENT")
    [after] = Calendar.from_ical(ics).walk("VEVENT")
    assert after["UID"] == before["UID"]
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert after.decoded("DTSTART") == later.replace(microsecond=0)


def services_calendar(workshop) -> str:
    from activites import calendar

    return calendar.calendar([workshop], name="x")


def test_a_change_of_text_only_tells_nobody_and_keeps_the_revision(deliver):
    workshop = activity()
    registration(workshop)
    deliver()
    count = len(deliver())
    assert _moved(workshop, title_fr="Atelier CV (nouveau titre)").sequence == 0
    assert len(deliver()) == count
    moved = _moved(workshop, place_kind="online", address="", online_url="https://meet.example.org/cv")
    assert moved.sequence == 1
    assert "https://meet.example.org/cv" in deliver()[-1].body  # a person with a seat gets the link
    services.activity_cancel(activity=moved, user=staff(Role.COORDINATOR))
    moved.refresh_from_db()
    assert moved.sequence == 2


def test_e_mails_come_from_the_centres_name_in_the_persons_language(deliver):
    workshop = activity()
    registration(workshop, language="nl", email="nl@example.org", confirm=False)
    registration(workshop, language="fr", email="fr@example.org", confirm=False)
    sent = {message.to[0]: message for message in deliver()}
    assert sent["nl@example.org"].from_email == "Beroepenpunt <noreply@citedesmetiers.brussels>"
    assert "Beroepenpunt" in sent["nl@example.org"].message()["From"]
    assert sent["fr@example.org"].from_email == "Cité des métiers <noreply@citedesmetiers.brussels>"


def test_links_in_e_mails_and_calendar_files_use_the_address_the_app_is_served_on(deliver, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    workshop = activity(capacity=3)
    person = registration(workshop, email="alex@example.org")
    [*_, confirmed] = deliver()
    assert f"http://127.0.0.1:8101/fr/inscription/{person.token}/" in confirmed.body
    ics = confirmed.attachments[0][1]
    assert f"URL:http://127.0.0.1:8101/fr/agenda/{workshop.pk}/" in ics
    assert "8000" not in confirmed.body + ics


def test_the_waiting_list_e_mail_says_how_long_an_offer_is_held(deliver, settings):
    settings.WAITING_LIST_OFFER_HOURS = 24
    workshop = activity(capacity=1)
    registration(workshop)
    registration(workshop, email="waiting@example.org", language="en")
    [waiting] = [message for message in deliver() if message.to == ["waiting@example.org"]][-1:]
    assert "hold it for you 24 hours" in waiting.body


def test_offers_of_a_cancelled_activity_end_without_telling_of_a_next_person(deliver, settings):
    settings.WAITING_LIST_OFFER_HOURS = 24
    workshop = activity(capacity=1)
    seated = registration(workshop)
    offered = registration(workshop, email="offered@example.org")
    services.registration_cancel(registration=seated)
    services.activity_cancel(activity=workshop, user=staff(Role.COORDINATOR))
    deliver()
    assert services.offers_expire(now=timezone.now() + timedelta(days=2)) == 1
    offered.refresh_from_db()
    assert offered.status == Registration.Status.CANCELLED
    assert not offered.emails.filter(kind="offer_expired").exists()
