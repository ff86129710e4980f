"""A database that cannot be reached: a clear 503 page in the person's language, then recovery.

The outage is real: the application's connection points at a socket where no server listens, so every
query fails as it does while PostgreSQL restarts. (The whole restart, under load, is `bench/restart.py`.)
"""

import pytest
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError
from django.urls import reverse
from django.utils import translation

from accueil.models import Visit
from citedesmetiers import views
from citedesmetiers.roles import Role
from tests.conftest import HttpsClient, database_down, desk_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # Exceptions become the pages people see, as in production, instead of being raised in the test.
    return HttpsClient(raise_request_exception=False)


@pytest.mark.parametrize(
    ("language", "title", "retry"),
    [
        ("fr", "De retour dans un instant", "Veuillez réessayer dans 10 secondes."),
        ("nl", "Zo terug", "Probeer het over 10 seconden opnieuw."),
        ("en", "Back in a moment", "Please try again in 10 seconds."),
    ],
)
def test_a_visitor_gets_a_503_page_in_their_language(client, language, title, retry):
    with translation.override(language):
        home = reverse("home")
    with database_down():
        response = client.get(home)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<title>{title} · {settings.SITE_NAMES[language]}</title>" in page
    assert retry in page


def test_the_page_shows_nothing_of_the_error(client):
    with database_down():
        page = client.get(reverse("home")).content.decode()
    for leak in ("Traceback", "OperationalError", "psycopg", "/nonexistent", "connection"):
        assert leak not in page


def test_a_desk_entry_during_the_outage_gets_a_503_and_its_resend_records_it_once(client, login):
    login(Role.RECEPTION_AGENT)
    entry = desk_entry()
    with database_down():
        refused = client.post(reverse("accueil:desk"), entry, headers={"HX-Request": "true"})
    # capture.js keeps an entry answered 5xx in the browser's outbox and sends it again, same key.
    assert refused.status_code == 503
    assert not Visit.objects.exists()
    for _attempt in range(2):
        assert client.post(reverse("accueil:desk"), entry, headers={"HX-Request": "true"}).status_code == 200
    assert Visit.objects.filter(key=entry["key"]).count() == 1


def test_the_app_recovers_by_itself_when_the_database_is_back(client, login):
    login(Role.RECEPTION_AGENT)
    with database_down():
        assert client.get(reverse("accueil:desk")).status_code == 503
    assert client.get(reverse("accueil:desk")).status_code == 200


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("server closed the connection"), 503),
        (InterfaceError("connection already closed"), 503),
        (RuntimeError("a bug"), 500),
        (IntegrityError("duplicate key"), 500),
    ],
)
def test_only_an_unreachable_database_is_a_503(rf, error, status):
    request = rf.get("/nl/")
    try:
        raise error
    except type(error):
        response = views.server_error(request)
    assert response.status_code == status
