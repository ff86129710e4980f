"""Several app instances behind a load balancer: nothing lives in one process or on its disk.

Two gunicorn servers, each with its own folder for local files, share the test database. A reception
agent signs in on one, works on the other, changes language, and signs out: each request goes to the
other instance, as a load balancer without sticky sessions would send it, and nobody notices.
"""

import html
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django.utils import translation

from accueil.models import Visit
from citedesmetiers.roles import Role
from tests.factories import staff
from tests.servers import database_url, gunicorn_server
from tests.test_project import PRODUCTION, manage

PASSWORD = "correct horse battery staple 7"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies like a browser behind the TLS proxy (the cookies are Secure and `__Host-`)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, base: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers=headers or {})
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", base.replace("http://", "https://") + path)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=15)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, response.read().decode()


def csrf_token(page: str) -> str:
    return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))


@pytest.fixture
def instances(transactional_db, django_db_serialized_rollback, tmp_path):
    """Two instances on one database; each has its own local folder, as separate machines would."""
    common = {**PRODUCTION, "DATABASE_URL": database_url(), "ALLOWED_HOSTS": "127.0.0.1"}
    common |= {"BEHIND_PROXY": "true", "WEB_CONCURRENCY": "1", "STATIC_ROOT": str(tmp_path / "static")}
    collected = manage("collectstatic", "--noinput", "-v0", env={**common, "VAR_DIR": str(tmp_path)})
    assert collected.returncode == 0, collected.stderr
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        gunicorn_server({**common, "VAR_DIR": str(tmp_path / "a")}, tmp_path / "a.log") as first,
        gunicorn_server({**common, "VAR_DIR": str(tmp_path / "b")}, tmp_path / "b.log") as second,
    ):
        yield first, second


def test_a_person_moves_between_two_instances_without_noticing(instances):
    first, second = instances
    agent = staff(Role.RECEPTION_AGENT, first_name="Amina", last_name="Desk")
    agent.password = PBKDF2PasswordHasher().encode(PASSWORD, "instancesalt", iterations=1000)
    agent.save(update_fields=["password"])
    with translation.override("fr"):
        sign_in, desk, staff_home = reverse("login"), reverse("accueil:desk"), reverse("staff_home")
    with translation.override("nl"):
        desk_nl = reverse("accueil:desk")
    browser = Browser()

    # Signs in on the first instance...
    status, _, page = browser.request(first, sign_in)
    assert status == 200
    form = {"username": agent.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)}
    status, headers, _ = browser.request(first, sign_in, form)
    assert (status, headers["Location"]) == (302, staff_home)

    # ...is signed in on the second, and records a visit there with the token the first gave.
    status, _, page = browser.request(second, desk)
    assert status == 200
    assert "Amina" in page
    entry = {"key": str(uuid.uuid4()), "theme": "apprendre", "orientation": "information"}
    entry |= {"language": "fr", "channel": "on_site", "count": "1", "csrfmiddlewaretoken": csrf_token(page)}
    status, _, _ = browser.request(first, desk, entry, headers={"HX-Request": "true"})
    assert status == 200
    # The same entry sent again to the other instance (a retry through the balancer) stays one visit.
    status, _, _ = browser.request(second, desk, entry, headers={"HX-Request": "true"})
    assert status == 200
    assert Visit.objects.filter(key=entry["key"], recorded_by=agent).count() == 1

    # Dutch chosen on one instance is kept on the other.
    assert browser.request(first, desk_nl)[0] == 200
    status, headers, _ = browser.request(second, "/")
    assert (status, headers["Location"]) == (302, "/nl/")

    # Signing out on one instance signs out everywhere.
    status, _, page = browser.request(second, desk)
    assert browser.request(second, reverse("logout"), {"csrfmiddlewaretoken": csrf_token(page)})[0] == 302
    status, headers, _ = browser.request(first, desk)
    assert status == 302
    assert headers["Location"].startswith(sign_in)
