"""The public agenda (anonymous), registration pages, and the organisers' pages by role and institution."""

import html
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import URLResolver, reverse
from django.utils import timezone, translation
from icalendar import Calendar

from activites import pages
from activites.models import Activity, AgendaStamp, Registration, WalkIn
from citedesmetiers.models import Partner, Space
from citedesmetiers.roles import Role
from tests.factories import activity, registration, staff

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- the public agenda ---------------------------------------------------------------------------


def test_the_agenda_lists_published_activities_by_day_for_anonymous_visitors(client):
    workshop = activity(title_fr="Atelier entretien d'embauche")
    activity(title_fr="Brouillon secret", publish=False)
    response = client.get(reverse("activites:agenda"))
    assert response.status_code == 200
    body = text(response)
    assert "Atelier entretien d'embauche" in body
    assert "Brouillon secret" not in body
    assert reverse("activites:agenda_activity", args=[workshop.pk]) in body
    assert response["Vary"].count("HX-Request")


def test_the_agenda_filters_are_a_query_string_and_htmx_gets_the_results_only(client):
    activity(theme="travailler", title_fr="Job dating logistique", kind="recruitment")
    activity(theme="bouger", title_fr="Travailler en Allemagne", languages=["nl"])
    page = text(client.get(reverse("activites:agenda"), {"theme": "travailler"}))
    assert "Job dating logistique" in page
    assert "Travailler en Allemagne" not in page
    assert "<html" in page
    fragment = text(client.get(reverse("activites:agenda"), {"language": "nl"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment
    assert "Travailler en Allemagne" in fragment
    assert "Job dating logistique" not in fragment
    by_kind = text(client.get(reverse("activites:agenda"), {"kind": "recruitment", "audience": "everyone"}))
    assert "Job dating logistique" in by_kind


def test_a_wrong_filter_value_is_said_and_the_others_still_apply(client):
    activity(theme="travailler", title_fr="Job dating logistique")
    response = client.get(reverse("activites:agenda"), {"theme": "nope", "start": "not-a-date"})
    assert response.status_code == 200
    assert "Job dating logistique" in text(response)


def test_the_agenda_has_a_helpful_empty_state(client):
    unfiltered = text(client.get(reverse("activites:agenda")))
    assert "Aucune activité n'est encore prévue" in unfiltered
    assert "Voir toutes les activités" not in unfiltered  # nothing to take away
    assert "Voir toutes les activités" in text(client.get(reverse("activites:agenda"), {"theme": "bouger"}))
    assert "Aucune activité ne correspond à ces filtres" in text(
        client.get(reverse("activites:agenda"), {"theme": "bouger"})
    )


def test_an_end_before_the_start_is_said_in_the_htmx_update_too(client):
    activity(starts_in=timedelta(days=3))
    filters = {"start": "2027-01-10", "end": "2026-12-20"}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        body = text(client.get(reverse("activites:agenda"), filters, **headers))
        assert "La date de fin précède la date de début." in body
    fragment = text(client.get(reverse("activites:agenda"), filters, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment
    assert 'role="alert"' in fragment


def test_the_dates_filter_selects_days(client):
    today = timezone.localdate()
    activity(starts_in=timedelta(days=3), title_fr="Dans trois jours")
    activity(starts_in=timedelta(days=20), title_fr="Dans vingt jours")
    start, end = today + timedelta(days=10), today + timedelta(days=30)
    body = text(client.get(reverse("activites:agenda"), {"start": start.isoformat(), "end": end.isoformat()}))
    assert "Dans vingt jours" in body
    assert "Dans trois jours" not in body


def test_the_activity_page_and_its_calendar_file(client):
    workshop = activity(title_fr="Atelier CV", address="Rue Royale 2, 1000 Bruxelles")
    page = client.get(reverse("activites:agenda_activity", args=[workshop.pk]))
    assert page.status_code == 200
    assert "Rue Royale 2" in text(page)
    response = client.get(reverse("activites:agenda_activity_ics", args=[workshop.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Atelier CV"
    assert event.decoded("DTSTART") == workshop.starts_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Rue Royale 2, 1000 Bruxelles"


@pytest.fixture
def centre():
    """The centre's practical information of the demo migration (a transactional test before may have
    emptied the table), read afresh."""
    import importlib

    from django.apps import apps

    from citedesmetiers.models import CentreInfo
    from citedesmetiers.selectors import reference_cache_clear

    CentreInfo.objects.all().delete()
    importlib.import_module("citedesmetiers.migrations.0010_practical_information_demo").load(apps, None)
    reference_cache_clear()
    yield
    reference_cache_clear()


@pytest.mark.parametrize(
    ("language", "address"),
    [
        ("fr", "Avenue de l'Astronomie 14, 1210 Saint-Josse-ten-Noode"),
        ("nl", "Sterrenkundelaan 14, 1210 Sint-Joost-ten-Node"),
    ],
)
def test_the_calendar_file_of_an_activity_at_the_centre_gives_its_street_address(
    client, centre, language, address
):
    workshop = activity(room="activites")
    with translation.override(language):
        response = client.get(reverse("activites:agenda_activity_ics", args=[workshop.pk]))
        page = client.get(reverse("activites:agenda_activity", args=[workshop.pk]))
        feed = client.get(reverse("activites:agenda_feed"))
        room = str(workshop.room)
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["LOCATION"]) == f"{room}, {address}"
    [in_feed] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(in_feed["LOCATION"]) == f"{room}, {address}"
    assert address in page.context["google_link"].replace("+", " ").replace("%27", "'").replace("%2C", ",")


def test_a_draft_has_no_public_page(client):
    draft = activity(publish=False)
    assert client.get(reverse("activites:agenda_activity", args=[draft.pk])).status_code == 404
    assert client.get(reverse("activites:agenda_activity_ics", args=[draft.pk])).status_code == 404


def test_the_subscribable_feed_follows_the_filter_and_parses(client):
    activity(theme="travailler", title_fr="Job dating, logistique; entrepôts")
    activity(theme="bouger", title_fr="Travailler en Allemagne")
    response = client.get(reverse("activites:agenda_feed"), {"theme": "travailler"})
    calendar = Calendar.from_ical(response.content)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == [
        "Job dating, logistique; entrepôts"
    ]


def test_the_feed_is_in_dutch_on_the_dutch_address(client):
    activity(title_nl="Workshop sollicitatiegesprek " + "lang " * 25)
    with translation.override("nl"):
        url = reverse("activites:agenda_feed")
    calendar = Calendar.from_ical(client.get(url).content)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Workshop sollicitatiegesprek")  # long lines are folded


# --- registration ---------------------------------------------------------------------------------


def register(client, workshop, **data):
    values = {"first_name": "Alex", "email": "alex@example.org", "consent": "on", "website": ""} | data
    return client.post(reverse("activites:agenda_activity", args=[workshop.pk]), values)


def test_registering_sends_a_confirmation_link_and_the_link_page_confirms(client, deliver):
    workshop = activity(capacity=5)
    response = register(client, workshop)
    assert response.status_code == 302
    assert response["Location"] == reverse("activites:agenda_registered", args=[workshop.pk])
    person = Registration.objects.get()
    assert (person.status, person.language) == (Registration.Status.PENDING, "fr")
    [message] = deliver()
    page = reverse("activites:registration", args=[person.token])
    assert page in message.body
    assert client.get(page).status_code == 200
    person.refresh_from_db()
    assert person.status == Registration.Status.PENDING  # opening the link changes nothing
    client.post(page, {"action": "confirm"})
    person.refresh_from_db()
    assert person.status == Registration.Status.CONFIRMED


def test_registering_in_dutch_gets_dutch_messages(client, deliver):
    workshop = activity()
    with translation.override("nl"):
        url = reverse("activites:agenda_activity", args=[workshop.pk])
    client.post(url, {"first_name": "Bram", "email": "bram@example.org", "consent": "on"})
    assert Registration.objects.get().language == "nl"
    [message] = deliver()
    assert "/nl/" in message.body
    assert "Workshop cv" in message.subject


def test_the_form_explains_what_is_missing(client):
    workshop = activity()
    response = register(client, workshop, email="not-an-address", consent="")
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_robot_filling_the_trap_field_registers_nobody(client):
    workshop = activity()
    assert register(client, workshop, website="http://spam.example").status_code == 302
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_get_a_clear_429(client, settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 2
    workshop = activity()
    for number in range(2):
        register(client, workshop, email=f"p{number}@example.org")
    response = register(client, workshop, email="p3@example.org")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Trop d'inscriptions" in text(response)
    assert Registration.objects.count() == 2


def test_sends_with_mistakes_do_not_count_toward_the_address_limit(client, settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 10
    settings.CENTRE_NETWORKS = []
    workshop = activity(capacity=30)
    for number in range(11):
        response = register(client, workshop, email=f"typo{number}@", consent="")
        assert response.status_code == 200
    assert register(client, workshop, email="right@example.org").status_code == 302
    assert Registration.objects.count() == 1


def test_the_address_limit_still_stops_the_eleventh_registration_in_the_hour(client, settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 10
    settings.CENTRE_NETWORKS = []
    workshop = activity(capacity=30)
    for number in range(10):
        assert register(client, workshop, email=f"p{number}@example.org").status_code == 302
    response = register(client, workshop, email="p10@example.org")
    assert response.status_code == 429
    assert response.context["throttled"] == "address"
    assert Registration.objects.count() == 10


def test_an_empty_send_puts_every_error_at_the_top_of_the_form_and_focuses_it(client):
    workshop = activity()
    response = register(client, workshop, first_name="", email="", consent="")
    body = text(response)
    summary = body[body.index('id="form-errors"') : body.index('id="id_first_name"')]
    assert '<div class="form-errors" role="alert" id="form-errors"' in body
    assert "autofocus" in summary
    assert 'href="#id_first_name"' in summary
    assert 'href="#id_email"' in summary
    assert 'href="#id_consent"' in summary
    assert "Ce champ est obligatoire." in summary
    assert body.index('id="form-errors"') < body.index('name="first_name"')


def test_the_centres_own_network_is_not_limited_by_address(client, settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 2
    settings.CENTRE_NETWORKS = ["127.0.0.0/8", "10.20.0.0/16"]  # the test client comes from 127.0.0.1
    workshop = activity(capacity=20)
    for number in range(5):
        assert register(client, workshop, email=f"p{number}@example.org").status_code == 302
    assert Registration.objects.count() == 5


def test_a_client_outside_the_centres_networks_is_limited(client, settings):
    settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR = 1
    settings.CENTRE_NETWORKS = ["10.20.0.0/16"]
    workshop = activity()
    register(client, workshop, email="p1@example.org")
    assert register(client, workshop, email="p2@example.org").status_code == 429


def test_one_e_mail_address_is_limited_wherever_it_comes_from(client, settings):
    settings.REGISTRATIONS_PER_EMAIL_PER_HOUR = 2
    settings.CENTRE_NETWORKS = ["127.0.0.0/8"]
    workshops = [activity(starts_in=timedelta(days=day)) for day in (3, 4, 5)]
    for workshop in workshops[:2]:
        assert register(client, workshop, email="Same@Example.org").status_code == 302
    response = register(client, workshops[2], email="same@example.org")
    assert response.status_code == 429
    assert response.context["throttled"] == "email"
    assert Registration.objects.count() == 2
    assert register(client, workshops[2], email="other@example.org").status_code == 302


def test_a_full_activity_offers_the_waiting_list(client):
    workshop = activity(capacity=1)
    registration(workshop)
    page = client.get(reverse("activites:agenda_activity", args=[workshop.pk]))
    assert "S'inscrire sur la liste d'attente" in text(page)
    assert page.context["seats_left"] == 0
    assert "place restante" not in text(page)
    with translation.override("en"):
        english = text(client.get(reverse("activites:agenda_activity", args=[workshop.pk])))
        agenda = text(client.get(reverse("activites:agenda")))
    assert "Full — join the waiting list" in english
    assert "Full — join the waiting list" in agenda


@pytest.mark.parametrize(
    ("language", "full", "zero"),
    [("fr", "Complet", "0 place"), ("nl", "Volzet", "nog 0 plaats"), ("en", "Full", "0 seat")],
)
def test_a_full_activity_says_full_never_zero_seats_left(client, language, full, zero):
    workshop = activity(capacity=1)
    registration(workshop)
    with translation.override(language):
        pages = [
            text(client.get(reverse("activites:agenda"))),
            text(client.get(reverse("activites:agenda_activity", args=[workshop.pk]))),
        ]
    for page in pages:
        assert full in page
        assert zero not in page
        assert "0 seat" not in page  # an untranslated plural neither


def test_cancel_and_erase_from_the_link(client):
    workshop = activity(capacity=1)
    mine = registration(workshop, first_name="Zoë")
    waiting = registration(workshop)
    page = reverse("activites:registration", args=[mine.token])
    assert "Zoë" in text(client.get(page))
    client.post(page, {"action": "cancel", "confirmed": "yes"})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    offered = text(client.get(reverse("activites:registration", args=[waiting.token])))
    assert 'value="accept"' in offered
    client.post(reverse("activites:registration", args=[waiting.token]), {"action": "accept"})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    client.post(page, {"action": "erase", "confirmed": "yes"})
    mine.refresh_from_db()
    assert (mine.first_name, mine.email) == ("", "")
    assert "Zoë" not in text(client.get(page))


@pytest.mark.parametrize("action", ["cancel", "erase"])
def test_cancelling_or_erasing_asks_for_a_confirmation_first(client, action):
    workshop = activity(capacity=1)
    mine = registration(workshop, first_name="Zoë")
    page = reverse("activites:registration", args=[mine.token])
    response = client.post(page, {"action": action})  # a stray tap
    assert response.status_code == 200
    assert response.context["confirming"] == action
    body = text(response)
    assert 'name="confirmed" value="yes"' in body
    assert f'href="{page}"' in body  # "No, keep my registration"
    mine.refresh_from_db()
    assert (mine.status, mine.first_name) == (Registration.Status.CONFIRMED, "Zoë")
    assert client.post(page, {"action": action, "confirmed": "yes"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED


@pytest.mark.parametrize(
    ("language", "days", "said"),
    [
        ("fr", 30, "30 jours après l'activité"),
        ("nl", 30, "30 dagen na de activiteit"),
        ("fr", 1, "1 jour après"),
    ],
)
def test_the_form_and_the_registration_page_say_the_purges_number_of_days(
    client, settings, language, days, said
):
    settings.REGISTRATION_RETENTION_DAYS = days
    workshop = activity()
    mine = registration(workshop)
    with translation.override(language):
        form = text(client.get(reverse("activites:agenda_activity", args=[workshop.pk])))
        page = text(client.get(reverse("activites:registration", args=[mine.token])))
    for body in (form, page):
        assert said in body
        assert "quelques jours" not in body
        assert "enkele dagen" not in body


def test_the_dutch_registration_page_says_status(client):
    mine = registration(activity())
    with translation.override("nl"):
        page = text(client.get(reverse("activites:registration", args=[mine.token])))
    assert "<dt>Status</dt>" in page
    assert "tatuut" not in page


def test_an_unknown_token_or_action_is_refused_cleanly(client):
    registration(activity())
    assert client.get(reverse("activites:registration", args=["nope"])).status_code == 404
    token = Registration.objects.get().token
    assert client.post(reverse("activites:registration", args=[token]), {"action": "x"}).status_code == 400


# --- the organisers' pages ------------------------------------------------------------------------

STAFF_PAGES = [
    "activites:activity",
    "activites:activity_edit",
    "activites:activity_cancel",
    "activites:activity_attendance",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_by_role_and_institution(client, name):
    workshop = activity(partner="actiris")
    url = reverse(name, args=[workshop.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="actiris")))
    assert client.get(url).status_code == 200
    client.force_login(staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="vdab-brussel")))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.ADVISER))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.COORDINATOR))
    assert client.get(url).status_code == 200


def test_the_list_shows_one_institutions_activities_and_flags_missing_attendance(client):
    now = timezone.now()
    activity(partner="actiris", title_fr="Atelier Actiris")
    activity(partner="vdab-brussel", title_fr="Workshop VDAB")
    activity(partner="actiris", title_fr="Oublié", starts_in=timedelta(days=1), now=now - timedelta(days=5))
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    body = text(client.get(reverse("activites:activities")))
    assert "Atelier Actiris" in body
    assert "Workshop VDAB" not in body
    assert "1 activité sans présences" in body
    assert "Oublié" in body
    client.force_login(staff(Role.ADVISER))
    assert client.get(reverse("activites:activities")).status_code == 403


def bookable_room() -> dict:
    """The form's fields for the centre's activity room, made bookable."""
    Space.objects.filter(code="activites").update(bookable=True)
    return {"place_kind": "room", "room": Space.objects.get(code="activites").pk}


def form_data(**overrides):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "title_fr": "Atelier LinkedIn",
        "title_nl": "Workshop LinkedIn",
        "description_fr": "Votre profil.",
        "description_nl": "Uw profiel.",
        "partner": Partner.objects.get(code="actiris").pk,
        "theme": "travailler",
        "kind": "workshop",
        "audiences": ["job_seekers"],
        "languages": ["fr", "nl"],
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "place_kind": "address",
        "address": "Rue Royale 2",
        "admission": "registration",
        "capacity": "12",
        "repeat_weeks": "1",
        "publish": "1",
        "key": str(uuid.uuid4()),
    }
    return data | overrides


def test_an_organiser_schedules_a_weekly_series_in_one_step(client):
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    response = client.post(reverse("activites:activity_new"), form_data(repeat_weeks="8"))
    assert response.status_code == 302
    sessions = Activity.objects.order_by("starts_at")
    assert sessions.count() == 8
    assert {session.status for session in sessions} == {"published"}
    assert set(sessions[0].languages.values_list("code", flat=True)) == {"fr", "nl"}


@pytest.mark.parametrize("in_a_room", [False, True])
def test_the_same_form_sent_twice_schedules_its_sessions_once(client, in_a_room):
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    data = form_data(repeat_weeks="3", **(bookable_room() if in_a_room else {}))
    first = client.post(reverse("activites:activity_new"), data)
    again = client.post(reverse("activites:activity_new"), data)  # a double click, a reload, a resend
    assert first.status_code == again.status_code == 302
    assert again.url == first.url  # the activity the first sending scheduled, not a booked room
    assert Activity.objects.count() == 3
    shown = client.get(reverse("activites:activity_new")).content.decode()
    assert data["key"] not in shown  # the next activity gets a form of its own


def test_an_organiser_cannot_schedule_for_another_institution(client):
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    vdab = Partner.objects.get(code="vdab-brussel").pk
    response = client.post(reverse("activites:activity_new"), form_data(partner=vdab))
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_publishing_without_dutch_is_explained_and_a_draft_is_kept(client):
    client.force_login(staff(Role.COORDINATOR))
    response = client.post(reverse("activites:activity_new"), form_data(title_nl=""))
    assert response.status_code == 200
    assert "Requis pour publier" in text(response)
    draft = form_data(title_nl="")
    draft.pop("publish")
    client.post(reverse("activites:activity_new"), draft)
    assert Activity.objects.get().status == "draft"


def test_a_booked_room_is_explained_on_the_form(client):
    # 10:00 in two weeks, whatever the hour the test runs (late in the evening the hour after ends tomorrow).
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=14), time(10)))
    booked = activity(room="activites", starts_at=start)
    local = timezone.localtime(booked.starts_at)
    client.force_login(staff(Role.COORDINATOR))
    data = form_data(
        place_kind="room",
        room=booked.room_id,
        date=local.date().isoformat(),
        start_time=local.strftime("%H:%M"),
        end_time=(local + timedelta(hours=1)).strftime("%H:%M"),
    )
    response = client.post(reverse("activites:activity_new"), data)
    assert response.status_code == 200
    assert "est déjà réservée" in text(response)


def test_editing_cancelling_and_publishing(client, deliver):
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    workshop = activity(publish=False)
    client.post(reverse("activites:activity_publish", args=[workshop.pk]))
    workshop.refresh_from_db()
    assert workshop.status == "published"
    data = form_data(title_fr="Nouveau titre")
    data.pop("repeat_weeks")
    assert client.post(reverse("activites:activity_edit", args=[workshop.pk]), data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.title_fr == "Nouveau titre"
    registration(workshop, email="fr@example.org")
    deliver()
    client.post(reverse("activites:activity_cancel", args=[workshop.pk]))
    workshop.refresh_from_db()
    assert workshop.cancelled
    assert deliver()[-1].to == ["fr@example.org"]
    assert client.get(reverse("activites:activity_edit", args=[workshop.pk])).status_code == 302


def test_the_check_in_page_ticks_counts_walk_ins_once_and_records_a_headcount(client):
    workshop = activity(starts_in=timedelta(minutes=20))
    person = registration(workshop, first_name="Alex", now=timezone.now() - timedelta(days=1))
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    url = reverse("activites:activity_attendance", args=[workshop.pk])
    assert "Alex est là" in text(client.get(url))
    client.post(url, {"action": "came", "registration": person.pk})
    person.refresh_from_db()
    assert person.attended is True
    key = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
    client.post(url, {"action": "walk_in", "key": key})
    fragment = client.post(url, {"action": "walk_in", "key": key}, HTTP_HX_REQUEST="true")
    assert WalkIn.objects.count() == 1
    assert "<html" not in fragment.content.decode()
    assert client.post(url, {"action": "headcount", "headcount": "-3"}).status_code == 400
    assert client.post(url, {"action": "came", "registration": 999999}).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Personnes inscrites"), ("nl", "Ingeschreven personen")]
)
def test_the_lists_of_people_registered_have_a_plural_heading(client, language, heading):
    workshop = activity(starts_in=timedelta(minutes=20))
    registration(workshop, first_name="Alex", now=timezone.now() - timedelta(days=1))
    client.force_login(staff(Role.COORDINATOR))
    with translation.override(language):
        detail = text(client.get(reverse("activites:activity", args=[workshop.pk])))
        check_in = text(client.get(reverse("activites:activity_attendance", args=[workshop.pk])))
    singular = "Inscrit·e" if language == "fr" else "Ingeschreven"
    for page in (detail, check_in):
        assert f">{heading}</h2>" in page
        assert f">{singular}</h2>" not in page


def test_the_check_in_page_waits_for_the_day(client):
    workshop = activity(starts_in=timedelta(days=3))
    client.force_login(staff(Role.COORDINATOR))
    url = reverse("activites:activity_attendance", args=[workshop.pk])
    assert "deux heures avant" in text(client.get(url))
    client.post(url, {"action": "walk_in", "key": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"})
    assert not WalkIn.objects.exists()


def test_htmx_restoring_history_gets_the_whole_page(client):
    response = client.get(
        reverse("activites:agenda"),
        {"theme": "travailler"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<h1>" in response.content.decode()


def test_an_organiser_moving_an_activity_tells_the_people_registered(client, deliver):
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    workshop = activity(partner="actiris")
    registration(workshop, email="nl@example.org", language="nl")
    deliver()
    data = form_data(
        title_fr=workshop.title_fr, title_nl=workshop.title_nl, start_time="14:00", end_time="16:00"
    )
    data.pop("repeat_weeks")
    assert client.post(reverse("activites:activity_edit", args=[workshop.pk]), data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    message = deliver()[-1]
    assert message.to == ["nl@example.org"]
    assert "SEQUENCE:1" in message.attachments[0][1]


def test_nobody_else_can_move_an_activity(client, deliver):
    workshop = activity(partner="actiris")
    registration(workshop)
    deliver()
    data = form_data(start_time="14:00", end_time="16:00")
    data.pop("repeat_weeks")
    url = reverse("activites:activity_edit", args=[workshop.pk])
    assert client.post(url, data)["Location"].startswith(reverse("login"))
    client.force_login(staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="vdab-brussel")))
    assert client.post(url, data).status_code == 404
    client.force_login(staff(Role.ADVISER))
    assert client.post(url, data).status_code == 404
    workshop.refresh_from_db()
    assert workshop.sequence == 0


def test_the_agenda_offers_a_real_subscription_and_each_activity_google_and_outlook_links(client):
    from urllib.parse import parse_qs, urlsplit

    workshop = activity(title_fr="Atelier CV", address="Rue Royale 2, 1000 Bruxelles")
    agenda = client.get(reverse("activites:agenda"), {"theme": "choisir"})
    feed = reverse("activites:agenda_feed") + "?theme=choisir"
    assert agenda.context["feed_webcal"] == f"webcal://testserver{feed}"
    assert agenda.context["feed_https"] == f"https://testserver{feed}"  # tests run behind HTTPS
    assert f'href="webcal://testserver{feed}"' in text(agenda)
    page = client.get(reverse("activites:agenda_activity", args=[workshop.pk]))
    google = parse_qs(urlsplit(page.context["google_link"]).query)
    start = workshop.starts_at.astimezone(UTC)
    assert google["text"] == ["Atelier CV"]
    assert google["dates"][0].startswith(start.strftime("%Y%m%dT%H%M%SZ/"))
    assert google["location"] == ["Rue Royale 2, 1000 Bruxelles"]
    outlook = parse_qs(urlsplit(page.context["outlook_link"]).query)
    assert outlook["startdt"] == [start.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert outlook["body"] == [
        f"https://testserver{reverse('activites:agenda_activity', args=[workshop.pk])}"
    ]
    body = text(page)
    assert "calendar.google.com" in body
    assert "outlook.live.com" in body


def test_public_calendar_links_never_hold_the_link_to_join_online(client):
    online = activity(place_kind="online", address="", online_url="https://meet.example.org/secret")
    page = client.get(reverse("activites:agenda_activity", args=[online.pk]))
    assert "meet.example.org" not in page.context["google_link"] + page.context["outlook_link"]


def test_the_door_tablet_offers_the_headcount_only_on_a_free_entry_session(client):
    fair = activity(admission="free", capacity=None, starts_in=timedelta(minutes=20), partner="actiris")
    url = reverse("activites:activity_attendance", args=[fair.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(staff(Role.ACTIVITY_ORGANISER, partner=Partner.objects.get(code="vdab-brussel")))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.ADVISER))
    assert client.post(url, {"action": "headcount", "headcount": "12"}).status_code == 404
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    with translation.override("en"):
        url = reverse("activites:activity_attendance", args=[fair.pk])
        page = text(client.get(url))
    assert 'id="headcount-record"' in page
    assert 'id="walk-in"' not in page
    assert 'id="attendance-close"' not in page
    for wording in ("Checked in", "did not come", "Did not come", "+1 walk-in"):
        assert wording not in page
    client.post(url, {"action": "walk_in", "key": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"})
    assert not WalkIn.objects.exists()
    assert client.post(url, {"action": "headcount", "headcount": "12"}).status_code == 302
    fair.refresh_from_db()
    assert fair.headcount == 12


def test_a_session_with_registration_keeps_its_check_in_list_and_walk_ins(client):
    workshop = activity(starts_in=timedelta(minutes=20))
    registration(workshop, first_name="Alex", now=timezone.now() - timedelta(days=1))
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    page = text(client.get(reverse("activites:activity_attendance", args=[workshop.pk])))
    assert 'id="walk-in"' in page
    assert 'id="attendance-close"' in page
    assert 'id="headcount-record"' not in page


@pytest.mark.parametrize(
    ("language", "missing", "said"),
    [
        ("fr", 0, "Présences enregistrées : personne ne manque."),
        ("fr", 1, "Présences enregistrées ; 1 personne n'est pas venue."),
        ("nl", 0, "Aanwezigheid geregistreerd: niemand ontbreekt."),
    ],
)
def test_closing_the_attendance_says_who_is_missing_in_words_that_read(client, language, missing, said):
    """French's singular takes 0: "0 personne n'est pas venue" is not said."""
    workshop = activity(starts_in=timedelta(minutes=-20))
    if missing:
        registration(workshop, first_name="Alex", now=timezone.now() - timedelta(days=1))
    client.force_login(staff(Role.ACTIVITY_ORGANISER))
    with translation.override(language):
        url = reverse("activites:activity_attendance", args=[workshop.pk])
    page = text(client.post(url, {"action": "close"}, follow=True))
    assert said in page


# --- the agenda's dates (issue 15: never a 500 for a day it cannot show) ----------------------------


@pytest.mark.parametrize(
    "query", [{"end": "9999-12-31"}, {"start": "0001-01-01"}, {"start": "2024-02-30"}, {"end": "-1"}]
)
def test_the_agenda_answers_a_date_it_cannot_show_with_the_forms_message(client, query):
    coming = activity()
    with translation.override("fr"):
        response = client.get(reverse("activites:agenda"), query)
        feed = client.get(reverse("activites:agenda_feed"), query)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Indiquez une date entre" in page or "Saisissez une date valide" in page
    assert coming.title_fr in page  # the agenda as without the date
    assert feed.status_code == 200


# --- French shown on an English page is marked lang="fr" (issue 17) --------------------------------


def test_french_titles_and_descriptions_on_english_pages_are_marked_as_french(client):
    french_only = activity(title_fr="Atelier CV", description_fr="Un CV qui vous ressemble.")
    english = activity(title_fr="Atelier 2", title_en="CV workshop", description_en="A CV like you.")
    mine = registration(french_only)
    with translation.override("en"):
        agenda = text(client.get(reverse("activites:agenda")))
        page = text(client.get(reverse("activites:agenda_activity", args=[french_only.pk])))
        own = text(client.get(reverse("activites:agenda_activity", args=[english.pk])))
        link_page = text(client.get(reverse("activites:registration", args=[mine.token])))
        links = [reverse("activites:agenda_activity", args=[one.pk]) for one in (french_only, english)]
    assert f'{links[0]}" lang="fr">Atelier CV</a>' in agenda
    assert f'{links[1]}">CV workshop</a>' in agenda
    assert '<h1 lang="fr">Atelier CV</h1>' in page
    assert '<div class="activity-description" lang="fr">' in page
    assert "<h1>CV workshop</h1>" in own
    assert '<div class="activity-description">' in own
    assert '" lang="fr">Atelier CV</a>' in link_page
    with translation.override("fr"):
        french = text(client.get(reverse("activites:agenda_activity", args=[french_only.pk])))
    assert "<h1>Atelier CV</h1>" in french


# --- the agenda's pages kept for visitors (activites.pages) --------------------------------------------


def test_a_visitors_agenda_is_built_once_then_served_with_one_query(client, django_assert_num_queries):
    activity(title_fr="Atelier CV")
    first = client.get(reverse("activites:agenda"), {"theme": "travailler"})
    with django_assert_num_queries(1):  # the agenda's state; the page itself from the cache
        again = client.get(reverse("activites:agenda"), {"theme": "travailler"})
    assert again.content == first.content
    assert again["Vary"].count("HX-Request")
    fragment = client.get(reverse("activites:agenda"), HTTP_HX_REQUEST="true")
    assert "<html" not in text(fragment)  # the fragment and the page are kept apart
    assert "<html" in text(client.get(reverse("activites:agenda")))


def test_a_registration_changes_the_seats_shown_at_once(client):
    workshop = activity(capacity=3, title_fr="Atelier CV")
    with translation.override("fr"):
        assert "3 places restantes" in text(client.get(reverse("activites:agenda")))
        registration(workshop)
        assert "2 places restantes" in text(client.get(reverse("activites:agenda")))
        # A change made outside the services (a bulk update, the back office) too: the database says so.
        Activity.objects.filter(pk=workshop.pk).update(title_fr="Atelier CV et lettre")
        assert "Atelier CV et lettre" in text(client.get(reverse("activites:agenda")))
        Registration.objects.filter(activity=workshop).delete()
        assert "3 places restantes" in text(client.get(reverse("activites:agenda")))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as a request on a kept connection
def test_a_kept_page_is_one_round_trip_which_also_checks_the_connection(client, monkeypatch):
    activity(title_fr="Atelier CV")
    first = client.get(reverse("activites:agenda")).content
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append("SELECT 1") or True)
    connection.health_check_done = False  # the next request on the connection kept from this one
    assert client.get(reverse("activites:agenda")).content == first
    assert checks == []  # the agenda's state was the health check: no SELECT 1 before it
    assert connection.health_check_done
    # The database restarted meanwhile: the kept connection is dead, the page comes from a new one.
    connection.connection.close()
    connection.health_check_done = False
    assert client.get(reverse("activites:agenda")).content == first
    assert not connection.connection.closed
    assert f"FROM {AgendaStamp._meta.db_table} " in pages._VERSION_SQL


def test_a_kept_page_is_answered_before_its_address_is_resolved(client, monkeypatch):
    activity(title_fr="Atelier CV")
    first = client.get(reverse("activites:agenda"), {"theme": "travailler"})
    resolved = []
    real_resolve = URLResolver.resolve
    monkeypatch.setattr(URLResolver, "resolve", lambda *args: resolved.append(args) or real_resolve(*args))
    again = client.get(reverse("activites:agenda"), {"theme": "travailler"})
    assert resolved == []  # the kept_pages middleware answered: no URL resolved, no view called
    assert again.content == first.content
    assert again["Vary"].count("HX-Request")  # the view's own headers are kept with it
    assert again.wsgi_request.resolver_match.view_name == "activites:agenda"  # its route, for the logs
    # Anything else at that address still goes to its view: another query, a form sent to it.
    client.get(reverse("activites:agenda"), {"theme": "apprendre"})
    assert resolved
    assert client.post(reverse("activites:agenda")).status_code == 405


def test_the_calendar_feed_is_kept_and_follows_every_change_at_once(client, django_assert_num_queries):
    workshop = activity(title_fr="Atelier CV")
    with translation.override("fr"):
        first = client.get(reverse("activites:agenda_feed"))
        with django_assert_num_queries(1):
            again = client.get(reverse("activites:agenda_feed"))
        assert again.content == first.content
        assert again["Content-Type"] == "text/calendar; charset=utf-8"
        assert again["Content-Disposition"] == 'attachment; filename="agenda.ics"'
        Activity.objects.filter(pk=workshop.pk).update(title_fr="Atelier CV et lettre")
        assert "Atelier CV et lettre" in text(client.get(reverse("activites:agenda_feed")))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as a request on a kept connection
def test_the_agendas_state_is_a_statement_prepared_once_per_connection_and_again_when_gone(client):
    workshop = activity(title_fr="Atelier CV")

    def visit() -> str:
        connection.health_check_done = False  # each request as the next one on a kept connection
        return text(client.get(reverse("activites:agenda")))

    visit()
    visit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [pages._VERSION_STATEMENT.decode()]
        )
        assert cursor.fetchone() == (1,)
        cursor.execute("DEALLOCATE ALL")  # as a pooler or a server's reset would
    Activity.objects.filter(pk=workshop.pk).update(title_fr="Atelier CV et lettre")
    assert "Atelier CV et lettre" in visit()  # read through Django meanwhile: never a stale page
    Activity.objects.filter(pk=workshop.pk).update(title_fr="Atelier lettre")
    assert "Atelier lettre" in visit()  # prepared again
    assert connection.connection in pages._prepared_on


def test_staff_get_the_agenda_built_for_them(client, django_assert_max_num_queries):
    activity(title_fr="Atelier CV")
    client.get(reverse("activites:agenda"))  # kept for visitors
    client.force_login(staff(Role.COORDINATOR))
    page = text(client.get(reverse("activites:agenda")))
    assert "Atelier CV" in page
    assert "Se déconnecter" in page or "Log out" in page or "Afmelden" in page  # their own header
