"""Idle and absolute session limits, the passive requests, and the expiry warning's endpoints."""

import time

import pytest
from django.urls import reverse

from citedesmetiers.accounts import sessions
from citedesmetiers.roles import Role

pytestmark = pytest.mark.django_db


def set_clock(client, *, started_ago: int, active_ago: int | None = None) -> None:
    """Moves the session's two timestamps into the past (rather than moving the clock forward)."""
    session = client.session
    now = int(time.time())
    session[sessions.STARTED] = now - started_ago
    session[sessions.ACTIVE] = now - (started_ago if active_ago is None else active_ago)
    session.save()


def expire(client, settings) -> None:
    """A session idle for twice the limit."""
    set_clock(client, started_ago=settings.SESSION_IDLE_TIMEOUT * 2)


def test_an_idle_session_ends_with_an_explanation(client, login, settings):
    login(Role.RECEPTION_AGENT)
    set_clock(
        client, started_ago=settings.SESSION_IDLE_TIMEOUT + 60, active_ago=settings.SESSION_IDLE_TIMEOUT + 1
    )
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    page = client.get(response.url).content.decode()
    assert "Votre session a pris fin pour votre sécurité." in page
    assert client.get(reverse("staff_home")).status_code == 302


def test_an_active_session_still_ends_at_the_absolute_limit(client, login, settings):
    login(Role.ADVISER)
    set_clock(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 1, active_ago=5)
    assert client.get(reverse("staff_home")).status_code == 302


def test_activity_pushes_the_idle_limit_but_passive_requests_do_not(client, login):
    login(Role.ADVISER)
    set_clock(client, started_ago=600, active_ago=300)
    client.get(reverse("session_status"), headers={sessions.PASSIVE_HEADER: "1"})
    assert time.time() - client.session[sessions.ACTIVE] >= 300
    client.get(reverse("staff_home"))
    assert time.time() - client.session[sessions.ACTIVE] < 5


def test_activity_is_written_at_most_once_a_minute(client, login):
    login(Role.ADVISER)
    set_clock(client, started_ago=100, active_ago=10)
    before = client.session[sessions.ACTIVE]
    client.get(reverse("staff_home"))
    assert client.session[sessions.ACTIVE] == before


def test_status_tells_the_seconds_left_and_whether_they_can_be_extended(client, login, settings):
    login(Role.DIRECTOR)
    set_clock(client, started_ago=100, active_ago=40)
    data = client.get(reverse("session_status"), headers={sessions.PASSIVE_HEADER: "1"}).json()
    assert data["signed_in"] is True
    assert data["extendable"] is True
    assert settings.SESSION_IDLE_TIMEOUT - 45 <= data["remaining"] <= settings.SESSION_IDLE_TIMEOUT - 40
    set_clock(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT - 60, active_ago=1)
    data = client.get(reverse("session_status"), headers={sessions.PASSIVE_HEADER: "1"}).json()
    assert data["extendable"] is False
    assert data["remaining"] <= 60


def test_status_for_an_anonymous_visitor_says_signed_out(client):
    response = client.get(reverse("session_status"))
    assert response.status_code == 401
    assert response.json()["signed_in"] is False


def test_status_after_expiry_answers_json_to_the_script(client, login, settings):
    login(Role.DIRECTOR)
    expire(client, settings)
    response = client.get(reverse("session_status"), headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["signed_in"] is False


def test_staying_signed_in_resets_the_idle_limit(client, login, settings):
    login(Role.COORDINATOR)
    set_clock(
        client, started_ago=settings.SESSION_IDLE_TIMEOUT, active_ago=settings.SESSION_IDLE_TIMEOUT - 30
    )
    response = client.post(
        reverse("session_keepalive"), headers={"X-Requested-With": "fetch", "Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["remaining"] >= settings.SESSION_IDLE_TIMEOUT - 2
    assert client.get(reverse("session_keepalive")).status_code == 405


def test_staying_signed_in_without_javascript_returns_to_the_page(client, login):
    login(Role.COORDINATOR)
    target = reverse("password_change")
    response = client.post(reverse("session_keepalive"), {"next": target})
    assert response.status_code == 302
    assert response.url == target


def test_an_expired_htmx_request_is_sent_to_the_sign_in_page(client, login, settings):
    login(Role.RECEPTION_AGENT)
    expire(client, settings)
    response = client.get(reverse("staff_home"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_staff_pages_carry_the_warning_and_public_pages_do_not(client, login, settings):
    page = client.get(reverse("home")).content.decode()
    assert "session-dialog" not in page
    assert "data-session-remaining" not in page
    login(Role.RECEPTION_AGENT)
    page = client.get(reverse("home")).content.decode()
    assert 'id="session-dialog"' in page
    assert f'data-session-warning="{settings.SESSION_WARNING_SECONDS}"' in page
    assert "X-CSRFToken" in page


def test_a_form_sent_after_expiry_returns_to_its_page_after_signing_in(client, login, settings):
    login(Role.COORDINATOR)
    expire(client, settings)
    form_page = reverse("password_change")
    response = client.post(
        reverse("session_keepalive"), headers={"Referer": f"https://testserver{form_page}"}
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={form_page}"
    login(Role.COORDINATOR)
    expire(client, settings)
    response = client.post(reverse("session_keepalive"), headers={"Referer": "https://elsewhere.example/x"})
    assert response.url == f"{reverse('login')}?next={reverse('staff_home')}"


@pytest.mark.parametrize(
    "target", ["0000-00-00", "staff_home", "https://evil.example/", "a\x00b", "ｓｔａｆｆ"]
)
def test_staying_signed_in_with_a_return_address_that_is_no_path_of_the_site_goes_home(
    client, login, settings, target
):
    login(Role.COORDINATOR)
    response = client.post(reverse("session_keepalive"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
