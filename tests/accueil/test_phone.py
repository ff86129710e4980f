"""The visitor's phone page (docs/reception.md, "The visitor's phone"): public by its secret address only,
for the day of the ticket, nothing about the person, cheap to poll; the QR code and short link on the
ticket; and `ticket_position`, the people before a ticket in the order advisers would call them."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accueil import selectors, services, views
from accueil.models import Ticket, TicketStatus
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from tests.factories import staff, visit

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fresh_estimates():
    """The estimates are shared between phones for a few seconds (in the cache): none from another test."""
    cache.clear()
    yield
    cache.clear()


def phone(ticket, language="fr") -> str:
    with translation.override(language):
        return reverse("accueil:ticket_phone", args=[ticket.token])


def estimates(monkeypatch, *groups):
    """wait_estimates answering these groups (theme, language, waiting, estimate_minutes)."""
    rows = [
        SimpleNamespace(theme=t, language=lang, waiting=w, estimate_minutes=m) for t, lang, w, m in groups
    ]
    monkeypatch.setattr(selectors, "wait_estimates", lambda *, day, now: rows)


def adviser(partner="actiris", languages=("fr", "nl")):
    person = staff(Role.ADVISER, partner=Partner.objects.get(code=partner))
    person.languages.set(languages)
    return person


# --- the page ------------------------------------------------------------------------------------


def test_anyone_with_the_address_sees_the_ticket_in_the_language_of_the_address(client, monkeypatch):
    estimates(monkeypatch, ("travailler", "fr", 3, 30))
    first, second = visit(theme="travailler").ticket, visit(theme="travailler").ticket
    third = visit(theme="travailler").ticket
    response = client.get(phone(third, "en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert third.label in page
    assert ">Work ·" in page  # the theme in the language of the address
    assert "2 people before you" in page
    assert "about 30 minutes" in page
    assert "back in about 15 minutes is fine" in page
    assert f'href="/fr/ticket/{third.token}/"' in page
    assert f'href="/nl/ticket/{third.token}/"' in page
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    assert 'hx-trigger="every 10s, phonerefresh"' in page
    assert first.label not in page
    assert second.label not in page
    with translation.override("nl"):
        dutch = client.get(phone(third, "nl")).content.decode()
        assert '<html lang="nl">' in dutch
        assert gettext("Your ticket") in dutch
        assert ">Werken ·" in dutch


def test_the_headers_keep_the_address_private(client):
    ticket = visit().ticket
    for headers in ({}, HX):
        response = client.get(phone(ticket), headers=headers)
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert "HX-Request" in response["Vary"]
        assert "sessionid" not in response.cookies
        assert "__Host-sessionid" not in response.cookies


def test_only_the_token_opens_a_ticket(client):
    ticket = visit().ticket
    assert client.get(phone(ticket).replace(ticket.token, ticket.token[:-1] + "x")).status_code == 404
    for guess in (str(ticket.pk), str(ticket.number), ticket.label, f"{ticket.number:03d}"):
        assert client.get(f"/fr/ticket/{guess}/").status_code == 404
    assert len(ticket.token) >= 22  # 128 random bits
    assert visit().ticket.token != ticket.token


def test_a_ticket_of_another_day_is_no_longer_valid(client):
    ticket = visit().ticket
    Ticket.objects.filter(pk=ticket.pk).update(service_date=ticket.service_date - timedelta(days=1))
    response = client.get(phone(ticket, "en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This ticket is no longer valid" in page
    assert ticket.label not in page
    assert "<h1" in page
    assert "hx-get" not in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.parametrize("end", ["cancel", "walked_away"])
def test_a_ticket_that_ended_without_a_consultation_is_no_longer_valid(client, end):
    ticket = visit().ticket
    if end == "cancel":
        services.ticket_cancel(ticket=ticket, user=staff(Role.COORDINATOR))
    else:
        person = adviser()
        services.ticket_call_next(adviser=person, desk="4")
        services.ticket_walked_away(ticket=ticket, adviser=person)
    page = client.get(phone(ticket, "en"), headers=HX).content.decode()
    assert "This ticket is no longer valid" in page
    assert "hx-get" not in page


def test_from_waiting_to_called_to_consultation_to_thank_you(client):
    ticket = visit(theme="travailler").ticket
    person = adviser()
    page = client.get(phone(ticket, "en"), headers=HX).content.decode()
    assert page.lstrip().startswith('<section id="phone-status"')
    assert 'data-phone-state="waiting"' in page
    assert "You are next" in page
    assert "ask at reception" in page  # no estimate: nobody's pace to go by
    services.ticket_call_next(adviser=person, desk="4")
    page = client.get(phone(ticket, "en"), headers=HX).content.decode()
    assert 'data-phone-state="called"' in page
    assert 'data-phone-calls="1"' in page
    assert "Your turn: desk 4" in page
    with translation.override("nl"):
        dutch = client.get(phone(ticket, "nl"), headers=HX).content.decode()
        assert gettext("Your turn: desk %(desk)s") % {"desk": "4"} in dutch
    services.ticket_recall(ticket=ticket, adviser=person)
    assert 'data-phone-calls="2"' in client.get(phone(ticket), headers=HX).content.decode()
    services.ticket_start(ticket=ticket, adviser=person)
    assert "In consultation" in client.get(phone(ticket, "en"), headers=HX).content.decode()
    services.ticket_end(ticket=ticket, adviser=person)
    page = client.get(phone(ticket, "en"), headers=HX).content.decode()
    assert "Thank you for your visit" in page
    assert "hx-get" not in page  # the phone stops asking


def test_nothing_about_the_person(client, monkeypatch):
    estimates(monkeypatch, ("choisir", "fr", 1, 10))
    reception = staff(Role.RECEPTION_AGENT, first_name="Nadia", last_name="Secret")
    efp = Partner.objects.get(code="efp")
    ticket = visit(
        user=reception, theme="choisir", gender="woman", count=1, partner=efp.pk, age_band="under-18"
    ).ticket
    person = staff(Role.ADVISER, partner=efp, first_name="Sarah", last_name="Hidden")
    person.languages.set(["fr"])
    for page in (client.get(phone(ticket)), client.get(phone(ticket), headers=HX)):
        text = page.content.decode()
        for secret in ("Nadia", "Secret", "Sarah", "Hidden", efp.name, str(ticket.visit.key)):
            assert secret not in text
        assert not re.search(r"[Ff]emme|[Vv]rouw|[Ww]oman", text)


def test_the_estimate_of_the_persons_own_group(client, monkeypatch):
    actiris = Partner.objects.get(code="actiris")
    rows = [
        SimpleNamespace(theme="choisir", language="fr", partner=None, waiting=1, estimate_minutes=20),
        SimpleNamespace(theme="choisir", language="fr", partner=actiris, waiting=1, estimate_minutes=60),
    ]
    monkeypatch.setattr(selectors, "wait_estimates", lambda *, day, now: rows)
    anyone, for_actiris = visit().ticket, visit(partner=actiris.pk).ticket
    page = client.get(phone(anyone, "en"), headers=HX).content.decode()
    assert "about 20 minutes" in page
    assert "step out" not in page  # the next person: called whenever an adviser is free
    # Institution-split groups: its own; else its theme and language's (wait_estimates may not split).
    page = client.get(phone(for_actiris, "en"), headers=HX).content.decode()
    assert "about 60 minutes" in page


def test_a_poll_costs_two_queries_at_most(client, django_assert_max_num_queries):
    for _ in range(30):
        visit(theme="bouger")
    ticket = visit(theme="bouger").ticket
    # The first phone in a few seconds reads the estimates that all share (wait_estimates' queries);
    # then each poll: the ticket and the people before it, whatever the length of the queue.
    client.get(phone(ticket), headers=HX)
    with django_assert_max_num_queries(2):
        assert client.get(phone(ticket), headers=HX).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(phone(ticket)).status_code == 200
    services.ticket_call_next(adviser=adviser(), desk="4")
    called = Ticket.objects.get(status=TicketStatus.CALLED)
    with django_assert_max_num_queries(1):
        assert client.get(phone(called), headers=HX).status_code == 200


def test_only_get(client):
    ticket = visit().ticket
    assert client.post(phone(ticket)).status_code in (403, 405)


@pytest.mark.parametrize(
    ("before", "waiting", "estimate", "minutes", "away"),
    [
        (0, 1, None, None, None),
        (0, 4, 40, 10, None),
        (1, 4, 40, 20, 10),
        (3, 4, 40, 40, 20),
        (5, 4, 40, 40, 20),  # estimates read a few seconds earlier: never more than the group's
        (0, 1, 5, 5, None),
    ],
)
def test_each_persons_share_of_the_groups_wait(before, waiting, estimate, minutes, away):
    assert views.phone_wait(before=before, waiting=waiting, estimate=estimate) == minutes
    assert views.phone_away(minutes) == away


# --- the QR code and the short link on the ticket ---------------------------------------------------


def test_the_printed_ticket_carries_the_phone_page_in_the_visits_language(client, login):
    login(Role.RECEPTION_AGENT)
    dutch = visit(language="nl").ticket
    page = client.get(reverse("accueil:ticket", args=[dutch.pk])).content.decode()
    assert "<svg" in page
    assert 'class="qr"' in page
    assert f"testserver/nl/ticket/<wbr>{dutch.token}/" in page
    assert "accueil/ticket" in page
    assert ".css" in page
    arabic = visit(language="ar").ticket
    with translation.override("nl"):
        url = reverse("accueil:ticket", args=[arabic.pk])
    page = client.get(url).content.decode()
    assert f"testserver/nl/ticket/<wbr>{arabic.token}/" in page  # the desk page's language


def test_the_desks_ticket_card_carries_the_qr_code(client, login):
    from tests.conftest import desk_entry

    login(Role.RECEPTION_AGENT)
    response = client.post(
        reverse("accueil:desk"), desk_entry(orientation="advice", language="en"), headers=HX
    )
    ticket = Ticket.objects.get()
    page = response.content.decode()
    assert f"/en/ticket/<wbr>{ticket.token}/" in page
    assert "<svg" in page


# --- ticket_position ---------------------------------------------------------------------------------


def test_position_counts_the_people_before_in_the_same_group():
    first, second, third = (visit(theme="choisir").ticket for _ in range(3))
    visit(theme="choisir", language="nl")
    visit(theme="travailler")
    assert [selectors.ticket_position(ticket=t) for t in (first, second, third)] == [0, 1, 2]
    services.ticket_call_next(adviser=adviser(languages=["fr"]))
    third.refresh_from_db()
    assert selectors.ticket_position(ticket=third, now=timezone.now()) == 1
    first.refresh_from_db()
    assert selectors.ticket_position(ticket=first) == 0  # called: nobody before any more


def test_position_puts_priorities_first():
    first, second = visit().ticket, visit().ticket
    later = visit().ticket
    services.ticket_prioritise(ticket=later, user=staff(Role.RECEPTION_AGENT), reason="mobility")
    later.refresh_from_db()
    assert selectors.ticket_position(ticket=later) == 0
    assert selectors.ticket_position(ticket=first) == 1
    assert selectors.ticket_position(ticket=second) == 2
    services.ticket_prioritise(ticket=first, user=staff(Role.RECEPTION_AGENT), reason="child")
    first.refresh_from_db()
    later.refresh_from_db()
    assert selectors.ticket_position(ticket=first) == 0  # among priorities, by time of issue
    assert selectors.ticket_position(ticket=later) == 1


def test_position_leaves_out_those_who_asked_for_another_institution():
    actiris, vdab = Partner.objects.get(code="actiris"), Partner.objects.get(code="vdab-brussel")
    for_vdab = visit(partner=vdab.pk).ticket
    anyone = visit().ticket
    for_actiris = visit(partner=actiris.pk).ticket
    assert selectors.ticket_position(ticket=for_actiris) == 1  # the one asking for any institution
    assert selectors.ticket_position(ticket=anyone) == 1  # whoever advises them may take for_vdab first
    assert selectors.ticket_position(ticket=for_vdab) == 0


def test_position_of_another_days_queue_is_its_own():
    earlier = visit().ticket
    Ticket.objects.filter(pk=earlier.pk).update(service_date=earlier.service_date - timedelta(days=1))
    assert selectors.ticket_position(ticket=visit().ticket) == 0
