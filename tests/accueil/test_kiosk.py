"""The self-service kiosk at the entrance: network, anonymous visitors, one ticket per key, throttle."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accueil import services
from accueil.models import Ticket, Visit
from citedesmetiers.requests import on_networks

pytestmark = pytest.mark.django_db

KIOSK = {"REMOTE_ADDR": "10.30.0.7"}
OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture(autouse=True)
def kiosk_network(settings):
    settings.RECEPTION_KIOSK_NETWORKS = ["10.30.0.0/16"]
    settings.RECEPTION_KIOSK_TICKETS_PER_MINUTE = 6
    cache.clear()
    yield
    cache.clear()


def themes_url(language: str = "fr") -> str:
    with translation.override(language):
        return reverse("accueil:kiosk_themes")


def key_of(response) -> str:
    return re.search(r'name="key" value="([0-9a-f-]{36})"', response.content.decode()).group(1)


def test_the_start_offers_each_language_in_its_own_language(client):
    response = client.get(reverse("accueil:kiosk"), **KIOSK)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    for language, name in [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]:
        assert f'href="{themes_url(language)}" data-kiosk-go lang="{language}" hreflang="{language}"' in html
        assert name in html
    assert "<input" not in html  # nothing asked


def test_the_themes_page_offers_the_five_themes_with_a_fresh_key(client):
    first = client.get(themes_url("nl"), **KIOSK)
    second = client.get(themes_url("nl"), **KIOSK)
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('name="theme"') == 5
    assert "Kiezen" in html
    assert "Werken" in html
    assert key_of(first) != key_of(second)


@pytest.mark.parametrize("name", ["accueil:kiosk", "accueil:kiosk_themes", "accueil:kiosk_ticket"])
def test_outside_the_kiosk_networks_every_page_is_refused_with_a_clear_page(client, name):
    with translation.override("en"):
        url = reverse(name)
    response = client.get(url, **OUTSIDE)
    assert response.status_code == 403
    assert "works only on the kiosk at the centre" in response.content.decode()


def test_outside_the_kiosk_networks_nothing_is_recorded(client):
    response = client.post(themes_url(), {"key": str(uuid.uuid4()), "theme": "choisir"}, **OUTSIDE)
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_no_network_configured_refuses_everyone(client, settings):
    settings.RECEPTION_KIOSK_NETWORKS = []
    assert client.get(reverse("accueil:kiosk"), **KIOSK).status_code == 403


def test_a_tap_records_a_kiosk_visit_and_its_ticket_in_the_chosen_language(client):
    key = str(uuid.uuid4())
    response = client.post(themes_url("nl"), {"key": key, "theme": "travailler"}, **KIOSK)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.channel_id, visit.orientation, visit.theme_id, visit.language_id, visit.count) == (
        "kiosk",
        "advice",
        "travailler",
        "nl",
        1,
    )
    assert str(visit.key) == key
    assert visit.recorded_by.username == services.KIOSK_USERNAME
    ticket = Ticket.objects.get(visit=visit)
    assert (ticket.theme_id, ticket.language_id, ticket.letter) == ("travailler", "nl", "T")
    page = client.get(response.url, **KIOSK)
    html = page.content.decode()
    assert page.status_code == 200
    assert ticket.label in html
    assert "autoprint" in html
    assert ticket.token in html  # the phone page's QR code and short link
    assert 'content="20;url=' in html  # back to the start without JavaScript


def test_a_replayed_key_gives_the_same_ticket_and_records_nothing_twice(client):
    key = str(uuid.uuid4())
    first = client.post(themes_url(), {"key": key, "theme": "choisir"}, **KIOSK)
    again = client.post(themes_url(), {"key": key, "theme": "choisir"}, **KIOSK)
    assert first.url == again.url
    assert Visit.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_a_replayed_key_is_not_throttled(client, settings):
    settings.RECEPTION_KIOSK_TICKETS_PER_MINUTE = 1
    key = str(uuid.uuid4())
    client.post(themes_url(), {"key": key, "theme": "choisir"}, **KIOSK)
    assert client.post(themes_url(), {"key": key, "theme": "choisir"}, **KIOSK).status_code == 302


def test_beyond_the_limit_a_minute_the_kiosk_says_to_ask_at_reception(client, settings):
    settings.RECEPTION_KIOSK_TICKETS_PER_MINUTE = 2
    for _ in range(2):
        assert (
            client.post(themes_url(), {"key": str(uuid.uuid4()), "theme": "bouger"}, **KIOSK).status_code
            == 302
        )
    refused = client.post(themes_url("en"), {"key": str(uuid.uuid4()), "theme": "bouger"}, **KIOSK)
    assert refused.status_code == 429
    assert "Please ask at reception" in refused.content.decode()
    assert Ticket.objects.count() == 2
    # Another kiosk (another address) is counted on its own.
    other = {"REMOTE_ADDR": "10.30.0.8"}
    assert (
        client.post(themes_url(), {"key": str(uuid.uuid4()), "theme": "bouger"}, **other).status_code == 302
    )


def test_an_unknown_theme_is_refused_and_records_nothing(client):
    response = client.post(themes_url(), {"key": str(uuid.uuid4()), "theme": "general"}, **KIOSK)
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_the_ticket_page_needs_a_recent_kiosk_key(client):
    assert client.get(reverse("accueil:kiosk_ticket"), **KIOSK).url == reverse("accueil:kiosk")
    unknown = f"{reverse('accueil:kiosk_ticket')}?key={uuid.uuid4()}"
    assert client.get(unknown, **KIOSK).status_code == 302


def test_a_signed_in_visitor_is_not_needed_and_staff_change_nothing(client, login):
    from citedesmetiers.roles import Role

    login(Role.RECEPTION_AGENT)
    client.post(themes_url(), {"key": str(uuid.uuid4()), "theme": "choisir"}, **KIOSK)
    assert Visit.objects.get().recorded_by.username == services.KIOSK_USERNAME


def test_the_kiosk_account_is_made_once_and_can_never_sign_in():
    user = services.kiosk_user()
    assert services.kiosk_user() == user
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.groups.exists()
    assert get_user_model().objects.filter(username__iexact="kiosk").count() == 1


def test_on_networks_reads_cidr_lists(rf):
    request = rf.get("/", REMOTE_ADDR="10.30.2.3")
    assert on_networks(request, ["10.30.0.0/16"])
    assert not on_networks(request, ["10.31.0.0/16"])
    assert not on_networks(request, [])
    assert not on_networks(rf.get("/", REMOTE_ADDR=""), ["0.0.0.0/0"])


def test_a_kiosk_advice_visit_gets_its_ticket_like_the_desk_and_a_remote_one_none():
    from tests.factories import visit

    kiosk = visit(user=services.kiosk_user(), channel="kiosk", theme="entreprendre")
    assert Ticket.objects.get(visit=kiosk).theme_id == "entreprendre"
    phone = visit(channel="phone", theme="entreprendre")
    assert not Ticket.objects.filter(visit=phone).exists()
