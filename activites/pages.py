"""The public agenda's pages kept for anonymous visitors: built once per state of the agenda and served
from the cache until an activity or a registration changes (activites.models.AgendaStamp, raised by the
database itself), the day changes, or PAGE_SECONDS pass (what depends on the clock alone: an activity
that has just ended, a registration deadline). Staff, a visitor with a message to show and anything but
a plain GET get the page built for them."""

import functools

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from activites.models import AgendaStamp

PAGE_SECONDS = 60


def agenda_version() -> int:
    """The agenda's current state: one query (0 before the first change, should the row be gone: the
    next change writes it again)."""
    return AgendaStamp.objects.values_list("version", flat=True).filter(pk=1).first() or 0


def _key(request: HttpRequest, version: int) -> str:
    fragment = bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request
    return ":".join(
        (
            "agenda-page",
            str(version),
            timezone.localdate().isoformat(),
            translation.get_language(),
            "fragment" if fragment else "page",
            request.get_full_path(),
        )
    )


def cached_for_visitors(view):
    """Serves a public page's bytes from the cache for anonymous visitors (see the module)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated or messages.get_messages(request):
            return view(request, *args, **kwargs)
        key = _key(request, agenda_version())
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        return response

    return wrapped
