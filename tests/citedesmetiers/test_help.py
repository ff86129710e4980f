"""The staff's help: the guide to each of a person's roles, in their language, reached from the staff
home and from every staff page's header."""

import re

import pytest
from django.urls import reverse

from citedesmetiers.roles import Role
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def sections(page: str) -> list[str]:
    return re.findall(r'<section class="help-section" id="(\w+)"', page)


def test_the_help_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("staff_help"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert reverse("staff_help") not in client.get("/fr/").content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reads_its_own_guide_and_what_concerns_everyone(client, role):
    user = staff(role)
    client.force_login(user)
    page = client.get(reverse("staff_help")).content.decode()
    home = client.get(reverse("staff_home")).content.decode()
    # The questionnaire, for everyone who may show it.
    questionnaire = ["questionnaire"] if user.has_perm("conseil.add_questionnairecode") else []
    assert sections(page) == [role.value, *questionnaire, "everyone"]
    assert f"{reverse('staff_help')}#{role.value}" in home


def test_a_partner_lead_reads_the_advisers_part_too_and_each_part_once(client):
    client.force_login(staff(Role.PARTNER_LEAD))
    lead = client.get(reverse("staff_help")).content.decode()
    assert "Appeler la personne suivante" in lead
    assert "Les entretiens de votre institution" in lead
    client.force_login(
        UserFactory(roles=[Role.ADVISER, Role.PARTNER_LEAD], partner=staff(Role.ADVISER).partner)
    )
    both = client.get(reverse("staff_help")).content.decode()
    assert both.count("Commencer votre service") == 1
    assert sections(both) == ["adviser", "partner_lead", "questionnaire", "everyone"]


def test_several_roles_read_their_guides_in_the_order_of_the_roles(client):
    held = [Role.DIRECTOR, Role.RECEPTION_AGENT, Role.COORDINATOR]
    client.force_login(UserFactory(roles=held))
    page = client.get(reverse("staff_help")).content.decode()
    assert sections(page) == [role.value for role in Role if role in held] + ["questionnaire", "everyone"]


def test_an_account_without_a_role_is_told_why_it_reads_only_the_common_part(client):
    client.force_login(UserFactory(roles=[]))
    page = client.get(reverse("staff_help")).content.decode()
    assert sections(page) == ["everyone"]
    assert "n'a pas encore de rôle" in page


@pytest.mark.parametrize(
    ("path", "desk", "words"),
    [
        (
            "/fr/personnel/aide/",
            "/fr/accueil/",
            ["Aide", "Encoder un contact", "Détails (facultatifs, anonymes)"],
        ),
        (
            "/nl/personeel/handleiding/",
            "/nl/onthaal/",
            ["Handleiding", "Een contact registreren", "Details (optioneel, anoniem)"],
        ),
    ],
)
def test_the_guide_speaks_the_page_language_and_names_the_buttons_as_its_screen(client, path, desk, words):
    client.force_login(staff(Role.RECEPTION_AGENT))
    page = client.get(path).content.decode()
    assert all(word in page for word in words)
    assert f"<em>{words[2]}</em>" in page
    assert words[2] in client.get(desk).content.decode()
    assert "Log a contact" not in page


@pytest.mark.parametrize(("minutes", "said"), [(1, "pendant 1 minute sous"), (10, "pendant 10 minutes sous")])
def test_the_guide_gives_the_delays_the_centre_has_set(client, settings, minutes, said):
    settings.CAPTURE_UNDO_MINUTES = minutes
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT = 20 * 60, 8 * 3600
    settings.LOGIN_FAILURES_PER_USERNAME, settings.LOGIN_LOCKOUT_MINUTES = 4, 30
    client.force_login(staff(Role.RECEPTION_AGENT))
    page = client.get("/fr/personnel/aide/").content.decode()
    assert said in page
    assert "après 20 min sans activité et après 8 h en tout" in page
    assert "Après 4 mots de passe erronés en 30 min" in page


def test_every_staff_page_links_the_help_from_its_header(client):
    client.force_login(staff(Role.ADVISER))
    page = client.get(reverse("staff_home")).content.decode()
    assert f'<a href="{reverse("staff_help")}">' in page
    assert 'aria-current="page">' in client.get(reverse("staff_help")).content.decode()
