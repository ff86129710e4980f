"""The project's URL patterns are tried in the order of the pages asked most often (citedesmetiers/urls.py):
that order may change only because no two patterns match the same path, in any language."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from citedesmetiers.settings import LANGUAGES
from tests.urlwalk import route_patterns

SAMPLES = {"IntConverter": 7, "StringConverter": "abc", "SlugConverter": "abc", "PathConverter": "a/b"}


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
