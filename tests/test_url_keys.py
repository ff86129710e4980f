"""A key in an address that reaches a text column: a NUL byte (%00), which PostgreSQL's text cannot
hold, answers 404, never 500 (citedesmetiers.converters)."""

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter
from django.utils import translation

from citedesmetiers.roles import Role
from tests.urlwalk import route_patterns

pytestmark = pytest.mark.django_db

PLACEHOLDER = "KEYPLACEHOLDER"
BACK_OFFICE = "admin:"  # Django's own pages, at the environment's path (citedesmetiers/urls.py)


def text_keyed() -> list[str]:
    """Every named path() whose arguments include one that is not a number."""
    return sorted(
        name
        for name, pattern in route_patterns()
        if any(not isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    )


def nul_path(name: str) -> str:
    [pattern] = [pattern for found, pattern in route_patterns() if found == name]
    kwargs = {
        key: 1 if isinstance(converter, IntConverter) else PLACEHOLDER
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs).replace(PLACEHOLDER, "%00")


def test_the_public_keys_found_by_the_walk_are_the_known_ones():
    public = {name for name in text_keyed() if not name.startswith(BACK_OFFICE)}
    assert public == {
        "accueil:ticket_phone",
        "activites:registration",
        "conseil:questionnaire",
        "questionnaire_short",
    }


@pytest.mark.parametrize(
    "address",
    ["/fr/ticket/%00/", "/nl/ticket/%00/", "/fr/inscription/%00/", "/fr/questionnaire/%00/", "/q/%00/"],
)
def test_the_reported_addresses_answer_404(client, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("name", text_keyed())
def test_a_nul_byte_in_a_key_is_a_404_for_visitors_and_staff(client, login, name, language):
    with translation.override(language):
        path = nul_path(name)
    assert client.get(path).status_code == 404
    login(Role.ADMINISTRATOR)
    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "confirm"}).status_code == 404
