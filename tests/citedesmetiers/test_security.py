"""Security headers on every URL for every role, cookies, HTTPS, and no inline script."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse

from citedesmetiers.roles import Role
from tests.factories import walkable_rows
from tests.urlwalk import all_paths, public_names

pytestmark = pytest.mark.django_db

EXTRA_PATHS = ["/healthz", "/readyz", "/", "/fr/no-such-page/", "/static/css/site.css"]
# Responses that hold nothing private and may be cached: static files, theme colours, probes.
SHAREABLE = re.compile(r"^/(static/|themes\.css|healthz|readyz)")
PHONE_PAGE = re.compile(r"^/(fr|nl|en)/ticket/[^/]+/$")


def assert_security_headers(response, path):
    where = f"{path} ({response.status_code})"
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, where
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff", where
    # The phone page's address is its only key: it is never sent on, even to the site itself.
    referrer = "no-referrer" if PHONE_PAGE.match(path) else "same-origin"
    assert response["Referrer-Policy"] == referrer, where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", where
    assert "camera=()" in response["Permissions-Policy"], where
    assert "Server" not in response, where


@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role or "anonymous")
def test_every_url_sends_the_security_headers_for_every_role(client, login, role):
    walkable_rows()  # the walk needs a row behind every object URL
    if role is not None:
        login(role)
    for path in all_paths() + EXTRA_PATHS:
        response = client.get(path)
        if response.streaming:  # static files: read to the end, which closes them
            b"".join(response.streaming_content)
        assert response.status_code < 500, path
        assert_security_headers(response, path)
        if role is not None and not SHAREABLE.match(path):
            assert "no-store" in response["Cache-Control"], path


def test_the_walk_covers_the_platform_and_the_back_office():
    walkable_rows()
    paths = all_paths()
    assert reverse("staff_home") in paths
    assert reverse("login") in paths
    assert any("/backoffice/citedesmetiers/partner/" in path and path.endswith("/change/") for path in paths)


def test_session_and_csrf_cookies_are_secure_host_cookies(client, settings):
    from tests.factories import PASSWORD, staff

    user = staff(Role.COORDINATOR)
    client.get(reverse("login"))
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert name.startswith("__Host-")
        cookie = client.cookies[name]
        assert cookie["secure"]
        assert cookie["httponly"]
        assert cookie["path"] == "/"
        assert not cookie["domain"]
        assert cookie["samesite"] == "Lax"


def test_plain_http_is_redirected_to_https_except_for_probes():
    plain = Client()
    response = plain.get("/fr/")
    assert response.status_code == 301
    assert response.url.startswith("https://")
    assert plain.get("/healthz").status_code == 200


def test_the_back_office_is_not_at_the_usual_address(client, login):
    login(Role.ADMINISTRATOR)
    assert client.get("/admin/").status_code == 404
    assert client.get("/fr/admin/").status_code == 404
    assert client.get(f"/fr/{settings.ADMIN_PATH}/").status_code == 200


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def test_pages_have_no_inline_script_or_style_that_the_policy_would_block(client, django_user_model):
    walkable_rows()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    for path in [*all_paths(), "/fr/no-such-page/"]:
        response = client.get(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), path
        if f"/{settings.ADMIN_PATH}/" not in path:  # Django's own admin keeps a few style attributes
            assert not INLINE_STYLE.search(html), path


# The pages anyone may open: everything else needs a sign-in (LoginRequiredMiddleware).
PUBLIC = {
    "home",
    "login",
    "second_factor",  # between the password and the code: the person is not signed in yet
    "theme_stylesheet",
    "session_status",
    "accueil:waiting_room",
    "accueil:ticket_phone",  # a person's own ticket on their phone, by its unguessable key
    # The self-service kiosk at the entrance: answers on the kiosk networks only (403 elsewhere).
    "accueil:kiosk",
    "accueil:kiosk_themes",
    "accueil:kiosk_ticket",
    # The anonymous questionnaire: a person answers on their own phone or on the exit tablet.
    "questionnaire_short",
    "conseil:questionnaire",
    "conseil:questionnaire_thanks",
    "conseil:questionnaire_kiosk",
    # The public agenda: activities, their calendar files, registration and the person's own page.
    "activites:agenda",
    "activites:agenda_feed",
    "activites:agenda_activity",
    "activites:agenda_activity_ics",
    "activites:agenda_registered",
    "activites:registration",
    # The documentation: search, a resource's page and its file.
    "ressources:catalogue",
    "ressources:resource",
    "ressources:resource_file",
}


def test_only_the_public_allow_list_opens_without_signing_in():
    assert public_names() == PUBLIC


def test_every_other_url_sends_anonymous_visitors_to_the_sign_in_page(client):
    walkable_rows()
    public_paths = {path for path in all_paths() if resolve(path).view_name in PUBLIC}
    for path in all_paths():
        if path in public_paths:
            continue
        response = client.get(path, follow=True)
        # The back office's views go through its own sign-in address, which leads to the same page.
        assert response.redirect_chain, path
        assert response.request["PATH_INFO"] == reverse("login"), path
