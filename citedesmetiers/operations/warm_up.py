"""What every worker process would otherwise load on its first request, loaded once before gunicorn forks
its workers (`preload_app`): the URL patterns with every view and what the views import (the publications'
optimiser, scipy, among them) and the patterns and translations of each language. Each worker, and each
one that replaces a worker recycled after `max_requests`, then starts with them in memory, shared with
the others until written: its first request took about half a second more before, on every recycling
(measured with the desk benchmark: a dip of a third of a measure's entries when it fell inside one)."""

from django.conf import settings
from django.db import connections
from django.urls import get_resolver, reverse
from django.utils import translation


def load() -> None:
    get_resolver().url_patterns  # noqa: B018 (imports the URL configuration, hence every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")  # the patterns in that language, and its translations
    # Nothing above reads the database; should an import ever do, no connection is shared with the
    # workers forked from this process.
    connections.close_all()
