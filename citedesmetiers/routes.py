"""What an address resolves to, remembered per process.

Django resolves every request by walking the URL patterns in order, one regular expression each, the
translated ones looked up for the active language: about 0.15 ms for the desk's address, which comes
after the agenda's patterns, on every tap. What an address resolves to depends only on the address and
the language (the converters are pure functions of the path), so the language-prefixed patterns
remember it: a dictionary look-up the next time. An address that does not resolve (a 404) is not
remembered, and the memory is bounded (the least recently used addresses are forgotten first)."""

import functools

from django.urls import URLResolver
from django.utils.translation import get_language


class RememberingResolver(URLResolver):
    """A URLResolver that remembers what each address it has met resolves to, in each language."""

    def resolve(self, path):
        return _resolved(self, str(path), get_language())


@functools.lru_cache(maxsize=4096)
def _resolved(resolver: URLResolver, path: str, language: str | None):
    return URLResolver.resolve(resolver, path)


def remembering(patterns: list) -> list:
    """`patterns` (i18n_patterns' list, say) with each resolver made a RememberingResolver."""
    return [
        RememberingResolver(
            pattern.pattern, pattern.urlconf_name, pattern.default_kwargs, pattern.app_name, pattern.namespace
        )
        if type(pattern) is URLResolver
        else pattern
        for pattern in patterns
    ]
