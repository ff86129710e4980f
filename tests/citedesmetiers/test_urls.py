"""The project's URL patterns are tried in the order of the pages asked most often (citedesmetiers/urls.py):
that order may change only because no two patterns match the same path, in any language."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from citedesmetiers.settings import LANGUAGES
from tests.urlwalk import route_patterns

SAMPLES = {
    "IntConverter": 7,
    "StringConverter": "abc",
    "SlugConverter": "abc",
    "PathConverter": "a/b",
    "TokenConverter": "abc",
    "CodeConverter": "abc",
}


@pytest.mark.parametrize("language", [code for code, _name in LANGUAGES])
def test_every_named_page_resolves_to_itself_whatever_the_order_of_the_patterns(language):
    seen = 0
    with translation.override(language):
        for name, pattern in route_patterns():
            arguments = {
                key: SAMPLES[type(value).__name__] for key, value in pattern.pattern.converters.items()
            }
            path = reverse(name, kwargs=arguments)
            assert resolve(path).view_name == name, path
            seen += 1
    assert seen > 150


def test_what_an_address_resolves_to_is_remembered_per_language():
    from django.urls import Resolver404

    from citedesmetiers import routes

    routes._resolved.cache_clear()
    with translation.override("fr"):
        desk = reverse("accueil:desk")
        first, again = resolve(desk), resolve(desk)
    with translation.override("nl"):
        dutch = resolve(reverse("accueil:desk"))
        with pytest.raises(Resolver404):
            resolve(desk)  # the French address means nothing in Dutch, remembered or not
    assert first.view_name == again.view_name == dutch.view_name == "accueil:desk"
    assert first.route == again.route
    info = routes._resolved.cache_info()
    assert (info.hits, info.currsize) == (1, 2)  # the second French look-up; a 404 is not kept
    with translation.override("fr"):
        ticket = resolve(reverse("accueil:ticket", args=[7]))
    assert ticket.kwargs == {"pk": 7}
