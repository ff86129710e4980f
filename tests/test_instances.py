"""Several app instances behind a load balancer: nothing lives in one process or on its disk.

Two gunicorn servers, each with its own folder for local files, share the test database. A reception
agent signs in on one, works on the other, changes language, and signs out: each request goes to the
other instance, as a load balancer without sticky sessions would send it, and nobody notices.
"""

from django.urls import reverse
from django.utils import translation

from accueil.models import Visit
from citedesmetiers.roles import Role
from tests.conftest import desk_entry
from tests.servers import Browser, csrf_token, staff_signing_in


def test_a_person_moves_between_two_instances_without_noticing(instances):
    first, second = instances.urls
    agent = staff_signing_in(Role.RECEPTION_AGENT, first_name="Amina", last_name="Desk")
    with translation.override("fr"):
        sign_in, desk, staff_home = reverse("login"), reverse("accueil:desk"), reverse("staff_home")
    with translation.override("nl"):
        desk_nl = reverse("accueil:desk")
    browser = Browser()

    # Signs in on the first instance...
    status, headers, _ = browser.sign_in(first, agent)
    assert (status, headers["Location"]) == (302, staff_home)

    # ...is signed in on the second, and records a visit there with the token the first gave.
    status, _, page = browser.request(second, desk)
    assert status == 200
    assert "Amina" in page
    entry = desk_entry(csrfmiddlewaretoken=csrf_token(page))
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
