"""The project's URL patterns are tried in the order of the pages asked most often (citedesmetiers/urls.py):
that order may change only because no two patterns match the same path, in any language."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import translation

from citedesmetiers.settings import LANGUAGES

SAMPLES = {"IntConverter": 7, "StringConverter": "abc", "SlugConverter": "abc", "PathConverter": "a/b"}


def named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.mark.parametrize("language", [code for code, _name in LANGUAGES])
def test_every_named_page_resolves_to_itself_whatever_the_order_of_the_patterns(language):
    seen = 0
    with translation.override(language):
        for name, pattern in named_patterns(get_resolver().url_patterns):
            arguments = {
                key: SAMPLES[type(value).__name__] for key, value in pattern.pattern.converters.items()
            }
            path = reverse(name, kwargs=arguments)
            assert resolve(path).view_name == name, path
            seen += 1
    assert seen > 150
