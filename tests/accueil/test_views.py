"""The desk, the queue and the waiting-room screen through HTTP, for each role."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accueil.models import Duty, Ticket, TicketStatus, Visit
from accueil.views import QUEUE_LISTED
from citedesmetiers.models import AuditEntry, Theme
from citedesmetiers.roles import Role
from tests.factories import staff, visit

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def reference_letter(theme: str) -> str:
    return Theme.objects.get(code=theme).letter


def entry(**fields):
    form = {
        "key": str(uuid.uuid4()),
        "theme": "apprendre",
        "orientation": "advice",
        "language": "fr",
        "channel": "on_site",
        "count": "1",
    }
    form.update(fields)
    return form


# --- the desk -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Accueil"), ("nl", "Onthaal"), ("en", "Reception desk")]
)
def test_the_desk_for_a_reception_agent_in_each_language(client, login, language, title):
    login(Role.RECEPTION_AGENT)
    with translation.override(language):
        response = client.get(reverse("accueil:desk"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<h1 class="desk-title">{title}</h1>' in page
    assert page.count('class="theme-button theme-') == 6
    assert re.search(r'name="key" value="[0-9a-f-]{36}"', page)


def test_the_desk_asks_anonymous_visitors_to_sign_in_and_refuses_other_roles(client, login):
    response = client.get(reverse("accueil:desk"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    login(Role.ADVISER)
    assert client.get(reverse("accueil:desk")).status_code == 403
    assert client.post(reverse("accueil:desk"), entry()).status_code == 403
    assert not Visit.objects.exists()


def test_one_tap_records_a_visit_and_gives_a_ticket(client, login):
    user = login(Role.RECEPTION_AGENT)
    response = client.post(reverse("accueil:desk"), entry())
    assert response.status_code == 302
    recorded = Visit.objects.get()
    assert (recorded.theme_id, recorded.recorded_by, recorded.count) == ("apprendre", user, 1)
    assert recorded.ticket.label == "A001"
    page = client.get(response.url).content.decode()
    assert "Enregistré." in page
    assert "ticket A001" in page


def test_the_htmx_answer_brings_a_new_key_and_the_ticket_then_the_desk_refreshes(client, login):
    login(Role.RECEPTION_AGENT)
    form = entry()
    response = client.post(reverse("accueil:desk"), form, headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    fragment = response.content.decode()
    new_key = re.search(r'name="key" value="([0-9a-f-]{36})" id="id_key"', fragment).group(1)
    assert new_key != form["key"]
    assert "A001" in fragment
    refresh = client.get(reverse("accueil:desk_counters"), headers=HX).content.decode()
    assert '<div id="desk-recent" hx-swap-oob="innerHTML">' in refresh
    assert "ticket A001" in refresh


def test_a_desk_entry_costs_three_statements(client, login):
    """The session, the user, and one statement that writes the entry: for a visit to individual advice,
    the visit, the day's next number and the ticket together (the test's own transaction adds a savepoint
    around it, which the desk's autocommit request does not have)."""
    login(Role.RECEPTION_AGENT)
    client.post(reverse("accueil:desk"), entry(), headers=HX)  # warms the reference cache
    for fields in ({"theme": "travailler"}, {"orientation": "information"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("accueil:desk"), entry(**fields), headers=HX)
        assert response.status_code == 200
        statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
        assert len(statements) == 3, statements
    ticket = Ticket.objects.select_related("visit").get(theme="travailler")
    assert ticket.number == 2  # the day's second ticket, after the warm-up's
    assert ticket.visit.theme_id == "travailler"
    assert ticket.issued_at == ticket.visit.occurred_at
    assert ticket.letter == reference_letter("travailler")


def test_a_resent_entry_is_recorded_once_and_said_so(client, login):
    login(Role.RECEPTION_AGENT)
    form = entry()
    client.post(reverse("accueil:desk"), form, headers=HX)
    again = client.post(reverse("accueil:desk"), form, headers=HX)
    assert "Déjà enregistré" in again.content.decode()
    assert Visit.objects.count() == 1


def test_the_desk_does_not_offer_the_kiosks_channel(client, login):
    login(Role.RECEPTION_AGENT)
    page = client.get(reverse("accueil:desk")).content.decode()
    assert 'id="channel-on_site"' in page
    assert 'value="kiosk"' not in page


def test_channel_language_and_orientation_stay_on_the_device(client, login, settings):
    login(Role.RECEPTION_AGENT)
    client.post(reverse("accueil:desk"), entry(channel="phone", language="nl", orientation="information"))
    cookie = client.cookies["__Host-desk"]
    assert cookie.value == "phone|nl|information"
    assert cookie["httponly"]
    page = client.get(reverse("accueil:desk")).content.decode()
    assert re.search(r'value="phone" id="channel-phone" [^>]*checked', page)
    assert re.search(r'value="nl" id="language-nl" [^>]*checked', page)
    assert re.search(r'value="information" id="orientation-information" [^>]*checked', page)


def test_the_devices_choices_are_written_when_they_change_and_renewed_by_the_page(client, login):
    login(Role.RECEPTION_AGENT)
    assert "__Host-desk" not in client.get(reverse("accueil:desk")).cookies  # a new device: none yet
    phone = {"channel": "phone", "orientation": "information"}
    first = client.post(reverse("accueil:desk"), entry(**phone), headers=HX)
    assert first.cookies["__Host-desk"].value == "phone|fr|information"
    same = client.post(reverse("accueil:desk"), entry(**phone), headers=HX)
    assert "__Host-desk" not in same.cookies  # unchanged: not written again on every tap
    changed = client.post(reverse("accueil:desk"), entry(channel="on_site", orientation="information"))
    assert changed.cookies["__Host-desk"].value == "on_site|fr|information"
    page = client.get(reverse("accueil:desk"))
    assert page.cookies["__Host-desk"].value == "on_site|fr|information"
    assert page.cookies["__Host-desk"]["max-age"] == 365 * 24 * 3600  # a year from the last day of use


def test_a_group_and_a_profile_are_recorded_as_codes(client, login):
    login(Role.RECEPTION_AGENT)
    client.post(
        reverse("accueil:desk"),
        entry(
            orientation="activity", count="25", gender="woman", age_band="under-18", status="secondary_pupil"
        ),
    )
    recorded = Visit.objects.get()
    assert (recorded.count, recorded.gender_id, recorded.age_band_id) == (25, "woman", "under-18")
    assert not Ticket.objects.exists()


def test_an_entry_keyed_in_later_keeps_its_own_time(client, login):
    login(Role.RECEPTION_AGENT)
    yesterday = timezone.localtime() - timedelta(days=1)
    form = entry(keyed_date=yesterday.date().isoformat(), keyed_time="14:30")
    client.post(reverse("accueil:desk"), form)
    recorded = Visit.objects.get()
    assert timezone.localtime(recorded.occurred_at).strftime("%Y-%m-%d %H:%M") == f"{yesterday.date()} 14:30"
    assert not Ticket.objects.exists()  # that visit is over
    page = client.get(reverse("accueil:desk")).content.decode()
    assert 'name="keyed_date"' in page
    assert f'value="{yesterday.date().isoformat()}"' not in page  # the date does not stick


def test_an_entry_kept_offline_carries_the_time_of_its_tap(client, login, daytime):
    login(Role.RECEPTION_AGENT)
    tapped = timezone.now() - timedelta(minutes=20)  # the same day: a ticket is for a tap of today
    client.post(reverse("accueil:desk"), entry(queued_at=tapped.isoformat()), headers=HX)
    recorded = Visit.objects.get()
    assert abs(recorded.occurred_at - tapped) < timedelta(seconds=1)
    assert recorded.ticket.issued_at == recorded.occurred_at


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"theme": "general"}, "Pour un conseil individuel, choisissez"),
        ({"count": "0"}, "Nombre de personnes"),
        ({"language": "xx"}, "Langue"),
        ({"channel": "kiosk"}, "Canal"),  # the kiosk records its own visits
        ({"keyed_date": "2026-01-01"}, "date et son heure"),
        ({"queued_at": (timezone.now() + timedelta(hours=1)).isoformat()}, "dans le futur"),
        ({"keyed_date": "2020-01-01", "keyed_time": "10:00"}, "plus de 31 jours"),
    ],
)
def test_bad_input_gets_a_clear_message_and_records_nothing(client, login, fields, message):
    login(Role.RECEPTION_AGENT)
    response = client.post(reverse("accueil:desk"), entry(**fields), headers=HX)
    assert response.status_code == 422
    assert message in response.content.decode()
    page = client.post(reverse("accueil:desk"), entry(**fields))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Visit.objects.exists()


def test_todays_counters_for_the_desk(client, login):
    login(Role.RECEPTION_AGENT)
    for theme in ("apprendre", "apprendre", "general"):
        client.post(reverse("accueil:desk"), entry(theme=theme, orientation="information", count="2"))
    with translation.override("en"):
        fragment = client.get(reverse("accueil:desk_counters"), headers=HX).content.decode()
    assert "<strong>6</strong> people in contact" in fragment
    assert re.search(r"Learn</th><td>4</td>", fragment)
    assert re.search(r"General information</th><td>2</td>", fragment)
    assert client.get(reverse("accueil:desk_counters")).status_code == 302  # the page, not a bare fragment


def test_undo_takes_back_ones_own_entry_only(client, login):
    login(Role.RECEPTION_AGENT)
    client.post(reverse("accueil:desk"), entry())
    mine = Visit.objects.get()
    response = client.post(reverse("accueil:desk_undo"), {"key": str(mine.key)}, headers=HX)
    assert "Encodage annulé." in response.content.decode()
    mine.refresh_from_db()
    assert mine.cancelled
    theirs = visit(theme="bouger")
    assert client.post(reverse("accueil:desk_undo"), {"key": str(theirs.key)}).status_code == 404
    assert client.get(reverse("accueil:desk_undo")).status_code == 405


def test_undo_after_the_window_explains_what_to_do(client, login, settings):
    user = login(Role.RECEPTION_AGENT)
    old = visit(user=user, now=timezone.now() - timedelta(minutes=settings.CAPTURE_UNDO_MINUTES + 1))
    response = client.post(reverse("accueil:desk_undo"), {"key": str(old.key)})
    assert response.status_code == 302
    assert "demandez à un coordinateur" in client.get(response.url).content.decode()


# --- tickets, entries and corrections --------------------------------------------------------------


def test_a_ticket_prints_in_both_languages(client, login):
    ticket = visit(theme="entreprendre").ticket
    login(Role.RECEPTION_AGENT)
    page = client.get(reverse("accueil:ticket", args=[ticket.pk]) + "?print").content.decode()
    assert ticket.label in page
    assert "Gardez ce ticket" in page
    assert "Houd dit ticket bij" in page
    assert "autoprint" in page


def test_tickets_need_a_role_that_sees_the_queue(client, login):
    ticket = visit().ticket
    url = reverse("accueil:ticket", args=[ticket.pk])
    assert client.get(url).status_code == 302
    login(Role.DIGITAL_STEWARD)
    assert client.get(url).status_code == 403


def test_a_coordinator_lists_and_corrects_entries_with_an_audit_trail(client, login):
    mistaken = visit(theme="bouger", orientation="multimedia")
    coordinator = login(Role.COORDINATOR)
    day = timezone.localdate(mistaken.occurred_at).isoformat()
    page = client.get(reverse("accueil:entries"), {"date": day}).content.decode()
    assert reverse("accueil:entry_correct", args=[mistaken.pk]) in page
    form = {
        "occurred_at": timezone.localtime(mistaken.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "theme": "apprendre",
        "orientation": "documentary",
        "language": "fr",
        "channel": "on_site",
        "count": "3",
    }
    response = client.post(reverse("accueil:entry_correct", args=[mistaken.pk]), form)
    assert response.status_code == 302
    mistaken.refresh_from_db()
    assert (mistaken.theme_id, mistaken.orientation, mistaken.count) == ("apprendre", "documentary", 3)
    audit = AuditEntry.objects.get(action="visit.correct")
    assert audit.actor == coordinator
    history = client.get(reverse("accueil:entry_correct", args=[mistaken.pk])).content.decode()
    assert "thématique Bouger (hors de Bruxelles) → Apprendre un métier" in history


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.ADVISER, Role.DIRECTOR])
def test_only_coordinators_correct_entries(client, login, role):
    target = visit()
    login(role)
    assert client.get(reverse("accueil:entries")).status_code == 403
    assert client.post(reverse("accueil:entry_correct", args=[target.pk]), {}).status_code == 403


# --- the queue ---------------------------------------------------------------------------------------


@pytest.fixture
def adviser(login):
    user = login(Role.ADVISER)
    user.languages.set(["fr"])
    return user


def test_an_adviser_sees_and_calls_the_people_they_can_take(client, adviser):
    mine = visit(theme="travailler").ticket
    visit(theme="apprendre")  # not an Actiris theme
    page = client.get(reverse("accueil:queue")).content.decode()
    assert "1 personne vous attend" in page
    client.post(reverse("accueil:queue_desk"), {"desk": "7"})
    response = client.post(reverse("accueil:queue_call"), headers=HX)
    assert f"Vous avez appelé {mine.label}." in response.content.decode()
    mine.refresh_from_db()
    assert (mine.status, mine.desk, mine.adviser) == (TicketStatus.CALLED, "7", adviser)
    for action, status in [("recall", "called"), ("start", "serving"), ("end", "done")]:
        client.post(reverse("accueil:queue_ticket", args=[mine.pk]), {"action": action}, headers=HX)
        mine.refresh_from_db()
        assert mine.status == status


def test_a_long_queue_is_counted_in_full_and_listed_up_to_twenty(
    client, adviser, django_assert_max_num_queries
):
    tickets = [visit(theme="travailler").ticket for _ in range(QUEUE_LISTED + 3)]
    with django_assert_max_num_queries(14):
        page = client.get(reverse("accueil:queue"), headers=HX).content.decode()
    assert "23 personnes vous attendent" in page
    assert tickets[QUEUE_LISTED - 1].label in page
    assert tickets[QUEUE_LISTED].label not in page
    # Once under the people waiting for this adviser, once under everyone in the queue.
    assert page.count("Et 3 autres personnes, arrivées plus tard.") == 2


def test_an_adviser_cannot_act_on_another_advisers_ticket(client, adviser):
    other = staff(Role.ADVISER)
    other.languages.set(["fr"])
    ticket = visit(theme="choisir").ticket
    from accueil import services

    services.ticket_call_next(adviser=other)
    response = client.post(reverse("accueil:queue_ticket", args=[ticket.pk]), {"action": "walked_away"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_call_next_with_nobody_waiting_says_so(client, adviser):
    client.post(reverse("accueil:queue_desk"), {"desk": "3"})
    response = client.post(reverse("accueil:queue_call"))
    assert response.status_code == 302
    assert "Personne n&#x27;attend pour vos thématiques" in client.get(response.url).content.decode()


def test_an_adviser_without_languages_is_told_what_to_do(client, adviser):
    adviser.languages.clear()
    page = client.get(reverse("accueil:queue")).content.decode()
    assert reverse("profile") in page


def test_coordinators_and_reception_see_the_whole_queue_without_calling(client, login):
    visit(theme="choisir")
    login(Role.COORDINATOR)
    page = client.get(reverse("accueil:queue")).content.decode()
    assert "C001" in page
    assert reverse("accueil:queue_call") not in page
    assert client.post(reverse("accueil:queue_call")).status_code == 403


def test_the_queue_is_closed_to_anonymous_visitors_and_stewards(client, login):
    assert client.get(reverse("accueil:queue")).status_code == 302
    login(Role.DIGITAL_STEWARD)
    assert client.get(reverse("accueil:queue")).status_code == 403


def test_the_queue_panel_refreshes_as_a_fragment(client, adviser):
    response = client.get(reverse("accueil:queue"), headers=HX)
    assert response.content.decode().lstrip().startswith('<div id="queue-panel"')


def test_advisers_set_their_languages_in_their_profile(client, adviser):
    page = client.get(reverse("profile")).content.decode()
    assert "Les langues dans lesquelles vous conseillez" in page
    assert "cette personne" not in page
    response = client.post(reverse("profile"), {"languages": ["nl", "en"]})
    assert response.status_code == 302
    assert set(adviser.languages.values_list("code", flat=True)) == {"nl", "en"}


# --- the waiting-room screen ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Salle d'attente · Cité des métiers"),
        ("nl", "Wachtzaal · Beroepenpunt"),
        ("en", "Waiting room · Cité"),
    ],
)
def test_the_waiting_room_screens_tab_names_the_page_then_the_centre(client, language, title):
    with translation.override(language):
        page = client.get(reverse("accueil:waiting_room")).content.decode()
    assert f"<title>{title}" in page


def test_the_waiting_room_screen_is_public_and_shows_no_one(client, login):
    from accueil import services

    reception = staff(Role.RECEPTION_AGENT, first_name="Nadia", last_name="Secret")
    ticket = visit(user=reception, theme="choisir").ticket
    visit(user=reception, theme="travailler", language="nl")
    advising = staff(Role.ADVISER, first_name="Sarah", last_name="Hidden")
    advising.languages.set(["fr"])
    services.ticket_call_next(adviser=advising, desk="3")
    response = client.get(reverse("accueil:waiting_room"))
    assert response.status_code == 200
    page = response.content.decode()
    assert ticket.label in page
    assert "Appel en cours" in page
    assert "Nu aan de beurt" in page
    assert "Now calling" in page
    assert "Secret" not in page
    assert "Hidden" not in page
    assert "Nadia" not in page
    fragment = client.get(reverse("accueil:waiting_room"), headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="board"')
    assert 'hx-trigger="every 3s"' in fragment


@pytest.mark.parametrize(
    ("role", "method", "name"),
    [
        (Role.ADVISER, "get", "accueil:desk_counters"),
        (Role.DIGITAL_STEWARD, "post", "accueil:desk_undo"),
        (Role.RECEPTION_AGENT, "post", "accueil:queue_desk"),
        (Role.COORDINATOR, "post", "accueil:queue_desk"),
    ],
)
def test_other_roles_are_refused(client, login, role, method, name):
    login(role)
    response = getattr(client, method)(reverse(name), {"key": str(uuid.uuid4()), "desk": "1"}, headers=HX)
    assert response.status_code == 403


# --- the adviser's "on duty" switch and the waiting room's honest waits (issue 16) -------------------


def test_an_adviser_goes_on_and_off_duty_with_or_without_javascript(client, adviser):
    from accueil.models import Duty

    response = client.get(reverse("accueil:queue"))
    assert reverse("accueil:queue_duty") not in response.content.decode()  # off duty: no "go off duty"
    response = client.post(reverse("accueil:queue_desk"), {"desk": "4"})
    assert response.status_code == 302  # without JavaScript: back to the queue page
    duty = Duty.objects.get(adviser=adviser, ended_at__isnull=True)
    assert duty.desk == "4"
    page = client.get(reverse("accueil:queue")).content.decode()
    assert reverse("accueil:queue_duty") in page
    assert 'value="4"' in page
    fragment = client.post(reverse("accueil:queue_desk"), {"desk": "5"}, headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="queue-panel"')
    assert Duty.objects.get(adviser=adviser, ended_at__isnull=True).desk == "5"  # the desk moved
    fragment = client.post(reverse("accueil:queue_duty"), {"on": "0"}, headers=HX).content.decode()
    assert not Duty.objects.filter(adviser=adviser, ended_at__isnull=True).exists()
    assert reverse("accueil:queue_duty") not in fragment
    # Back on duty at the session's desk, without JavaScript.
    assert client.post(reverse("accueil:queue_duty"), {"on": "1"}).status_code == 302
    assert Duty.objects.get(adviser=adviser, ended_at__isnull=True).desk == "5"


def test_calling_the_next_person_puts_the_adviser_on_duty(client, adviser):
    from accueil.models import Duty

    visit(theme="travailler")
    client.post(reverse("accueil:queue_desk"), {"desk": "4"})
    client.post(reverse("accueil:queue_duty"), {"on": "0"})
    client.post(reverse("accueil:queue_call"), headers=HX)
    assert Duty.objects.filter(adviser=adviser, ended_at__isnull=True).get().desk == "4"
    client.post(reverse("accueil:queue_call"), headers=HX)  # already on duty: still one duty
    assert Duty.objects.filter(adviser=adviser, ended_at__isnull=True).count() == 1


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_nobody_is_called_before_the_adviser_gives_a_desk(client, adviser, language):
    """The waiting-room screen shows the desk beside the number called: without one, the person would not
    know where to go."""
    ticket = visit(theme="travailler").ticket
    with translation.override(language):
        hint = gettext(
            "Give your desk before calling: the waiting-room screen shows it next to the number you call."
        )
        page = client.get(reverse("accueil:queue")).content.decode()
        assert escape(hint) in page
        assert reverse("accueil:queue_call") not in page
        response = client.post(reverse("accueil:queue_call"), headers=HX)
    assert escape(hint) in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.adviser) == (TicketStatus.WAITING, None)
    assert not Duty.objects.filter(adviser=adviser).exists()


def test_a_desk_given_earlier_today_is_the_one_called_to(client, adviser):
    """A new session (another browser, signed in again) keeps calling to the desk of the day's duty."""
    from accueil import services

    services.duty_start(adviser=adviser, desk="B2")
    ticket = visit(theme="travailler").ticket
    assert "Appeler la personne suivante" in client.get(reverse("accueil:queue")).content.decode()
    client.post(reverse("accueil:queue_call"), headers=HX)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.desk) == (TicketStatus.CALLED, "B2")


def test_only_advisers_go_on_duty(client, login):
    login(Role.RECEPTION_AGENT)
    assert client.post(reverse("accueil:queue_duty"), {"on": "1"}, headers=HX).status_code == 403


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_waiting_room_says_ask_at_reception_where_nobody_on_duty_can_serve(client, language):
    from accueil import services

    reception = staff(Role.RECEPTION_AGENT, first_name="Nadia", last_name="Secret")
    for _ in range(3):
        visit(user=reception, theme="travailler")
    visit(user=reception, theme="travailler", language="ar")
    on_duty = staff(Role.ADVISER, first_name="Sarah", last_name="Hidden")
    on_duty.languages.set(["fr", "nl"])
    services.duty_start(adviser=on_duty, desk="4")
    with translation.override(language):
        url = reverse("accueil:waiting_room")
    page = client.get(url).content.decode()  # anonymous
    # One row for the theme, its languages as chips: French with an estimate, Arabic "ask at reception".
    assert page.count('class="wr-theme ') == 1
    assert re.search(
        r'lang="fr">Français</span>\s*<strong class="wr-chip-people">3</strong>\s*'
        r'<span class="wr-chip-wait">≈ 60 min</span>',
        page,
    )
    arabic = page[page.index('lang="ar"') :]
    arabic = arabic[: arabic.index("</li>")]
    assert "wr-chip-wait" not in arabic
    assert '<span lang="fr" class="wr-l wr-l-fr">Demandez' in arabic or "Ask at reception" in arabic
    # French and Dutch side by side, the same size, on either address; English smaller.
    assert 'lang="fr" class="wr-l wr-l-fr">' in page
    assert 'lang="nl" class="wr-l wr-l-nl">' in page
    assert page.index('lang="fr" class="wr-l wr-l-fr">') < page.index('lang="nl" class="wr-l wr-l-nl">')
    for secret in ("Secret", "Hidden", "Nadia", "Sarah"):
        assert secret not in page
    assert "data-call-overlay" in page
    assert "waiting_room.js" in page
    assert "aria-live" in page


# --- reception's hand on the queue: minutes waited, coverage alerts, transfer, priority, cancel ------


@pytest.fixture
def english_urls():
    """These tests read the English source strings: the pages in /en/."""
    translation.activate("en")


def manage_url(name, ticket):
    return reverse(f"accueil:{name}", args=[ticket.pk])


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.COORDINATOR])
def test_reception_sees_minutes_waited_priority_and_who_nobody_on_duty_can_take(
    client, login, english_urls, role, daytime
):
    from accueil import services

    now = timezone.now()
    arabic = visit(theme="travailler", language="ar", now=now - timedelta(minutes=17)).ticket
    french = visit(theme="travailler", now=now - timedelta(minutes=3)).ticket
    on_duty = staff(Role.ADVISER)
    on_duty.languages.set(["fr"])
    services.duty_start(adviser=on_duty, desk="4")
    user = login(role)
    services.ticket_prioritise(ticket=french, user=user, reason="mobility")
    page = client.get(reverse("accueil:queue"), headers=HX).content.decode()
    assert "17 min" in page
    assert "3 min" in page
    assert "Priority" in page
    alert = f"Nobody on duty for Arabic / Work — ask an adviser. Waiting: {arabic.label}."
    assert alert in " ".join(page.split())
    assert page.count("Nobody on duty</span>") == 1  # only the Arabic ticket's row
    assert "Today: 0 cancelled · 0 transferred · 1 with priority." in " ".join(page.split())
    assert manage_url("queue_manage", arabic) in page


def test_advisers_see_the_queue_but_not_the_actions(client, adviser, english_urls):
    ticket = visit(theme="travailler").ticket
    page = client.get(reverse("accueil:queue")).content.decode()
    assert ticket.label in page
    assert manage_url("queue_manage", ticket) not in page
    assert "ask an adviser" not in page


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.COORDINATOR])
def test_reception_transfers_a_ticket_keeping_its_number(client, login, english_urls, role):
    ticket = visit(theme="apprendre").ticket
    login(role)
    form = client.get(manage_url("queue_manage", ticket), headers=HX).content.decode()
    assert form.lstrip().startswith('<section id="ticket-manage"')
    response = client.post(
        manage_url("queue_transfer", ticket), {"theme": "choisir", "partner": ""}, headers=HX
    )
    page = response.content.decode()
    assert f"{ticket.label} now waits for Choo" in page
    assert f"Its number stays {ticket.label}" in page
    ticket.refresh_from_db()
    assert (ticket.theme_id, ticket.label) == ("choisir", "A001")
    assert AuditEntry.objects.filter(action="ticket.transfer", object_id=str(ticket.pk)).exists()


def test_reception_gives_priority_with_a_reason_code_only(client, login, english_urls):
    ticket = visit().ticket
    login(Role.RECEPTION_AGENT)
    response = client.post(manage_url("queue_priority", ticket), {"reason": "pregnancy"})
    assert response.status_code == 302
    assert "has priority (Pregnancy)" in client.get(response.url).content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == "pregnancy"
    refused = client.post(manage_url("queue_priority", ticket), {"reason": "a nice lady"}, headers=HX)
    assert "Choose a reason from the list." in refused.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == "pregnancy"


def test_cancelling_asks_for_a_confirmation_first(client, login, english_urls):
    ticket = visit().ticket
    login(Role.RECEPTION_AGENT)
    step = client.get(manage_url("queue_manage", ticket) + "?step=cancel").content.decode()
    assert f"Yes, cancel {ticket.label}" in step
    assert "<h1" in step  # the whole page, without JavaScript
    asked = client.post(manage_url("queue_cancel", ticket), headers=HX).content.decode()
    assert f"Yes, cancel {ticket.label}" in asked
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    response = client.post(manage_url("queue_cancel", ticket), {"confirm": "1"})
    assert response.status_code == 302
    assert f"{ticket.label} is cancelled" in client.get(response.url).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    assert AuditEntry.objects.filter(action="ticket.cancel", object_id=str(ticket.pk)).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("queue_transfer", {"theme": "travailler"}),
        ("queue_priority", {"reason": "child"}),
        ("queue_cancel", {"confirm": "1"}),
        ("queue_cancel", {}),
    ],
)
def test_a_ticket_no_longer_waiting_gets_a_message_not_an_error(client, login, english_urls, name, data):
    from accueil import services

    ticket = visit().ticket
    services.ticket_cancel(ticket=ticket, user=staff(Role.RECEPTION_AGENT))
    login(Role.RECEPTION_AGENT)
    response = client.post(manage_url(name, ticket), data, headers=HX)
    assert response.status_code == 200
    assert f"Ticket {ticket.label} is no longer waiting." in response.content.decode()
    shown = client.get(manage_url("queue_manage", ticket), follow=True)
    assert f"Ticket {ticket.label} is no longer waiting." in shown.content.decode()
    swapped = client.get(manage_url("queue_manage", ticket), headers=HX)
    assert swapped["HX-Retarget"] == "#queue-panel"
    assert f"Ticket {ticket.label} is no longer waiting." in swapped.content.decode()


@pytest.mark.parametrize("name", ["queue_transfer", "queue_priority", "queue_cancel"])
def test_managing_tickets_is_for_reception_and_coordinators_only(client, login, name):
    ticket = visit().ticket
    data = {"theme": "travailler", "reason": "child", "confirm": "1"}
    anonymous = client.post(manage_url(name, ticket), data)
    assert anonymous.status_code == 302
    assert "next=" in anonymous.url
    for role in (Role.ADVISER, Role.PARTNER_LEAD, Role.DIGITAL_STEWARD, Role.DIRECTOR):
        login(role)
        assert client.post(manage_url(name, ticket), data).status_code == 403
        assert client.get(manage_url("queue_manage", ticket)).status_code == 403
    login(Role.RECEPTION_AGENT)
    assert client.get(manage_url(name, ticket)).status_code == 405
    ticket.refresh_from_db()
    assert (ticket.status, ticket.theme_id, ticket.priority) == (TicketStatus.WAITING, "choisir", "")


def test_a_ticket_of_another_day_is_not_found(client, login):
    ticket = visit(now=timezone.now() - timedelta(days=1)).ticket
    login(Role.RECEPTION_AGENT)
    assert client.get(manage_url("queue_manage", ticket)).status_code == 404


def test_receptions_panel_costs_the_same_whatever_the_queue(client, login, django_assert_max_num_queries):
    """Polled every 10 s on reception's screen: listed up to QUEUE_LISTED, alerts in one query."""
    for index in range(QUEUE_LISTED + 5):
        visit(theme=["travailler", "apprendre"][index % 2], language=["fr", "ar"][index % 3 == 0])
    login(Role.RECEPTION_AGENT)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("accueil:queue"), headers=HX)
    assert response.status_code == 200


# --- the entries list's day (issue 15: never a 500 for a day it cannot show) ------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "Indiquez une date entre"),
        ("0001-01-01", "Indiquez une date entre"),
        ("2101-01-01", "Indiquez une date entre"),
        ("2024-02-30", "Saisissez une date valide"),
        ("a\x00b", "Saisissez une date valide"),
    ],
)
def test_the_entries_list_shows_today_for_a_day_it_cannot_show_and_says_why(client, login, day, message):
    today_visit = visit()
    login(Role.COORDINATOR)
    with translation.override("fr"):
        response = client.get(reverse("accueil:entries"), {"date": day})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert reverse("accueil:entry_correct", args=[today_visit.pk]) in page


def test_the_entries_list_shows_any_day_from_2000_to_2100(client, login):
    login(Role.COORDINATOR)
    for day in ("2000-01-01", "2100-12-31"):
        response = client.get(reverse("accueil:entries"), {"date": day})
        assert response.status_code == 200
        assert response.context["day"].isoformat() == day
        assert 'aria-invalid="true"' not in response.content.decode()
