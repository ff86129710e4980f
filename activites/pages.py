"""The public agenda's pages kept for anonymous visitors: built once per state of the agenda and served
from the cache until an activity or a registration changes (activites.models.AgendaStamp, raised by the
database itself), the day changes, or PAGE_SECONDS pass (what depends on the clock alone: an activity
that has just ended, a registration deadline). Staff, a visitor with a message to show and anything but
a plain GET get the page built for them."""

import functools

import psycopg
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

PAGE_SECONDS = 60


_VERSION_SQL = "SELECT version FROM activites_agendastamp WHERE id = 1"  # AgendaStamp's table


def agenda_version() -> int:
    """The agenda's current state: one query (0 before the first change, should the row be gone: the
    next change writes it again). Written once as SQL: building it with the ORM on every visit cost
    more than running it. On a connection kept from an earlier request it is also the connection's
    health check, sent on psycopg's connection itself: Django's query hooks (CaptureQueriesContext,
    execute_wrapper, the debug log) do not see it there."""
    if _is_first_query_on_a_kept_connection():
        try:
            with connection.connection.cursor() as cursor:
                row = cursor.execute(_VERSION_SQL).fetchone()
        except psycopg.Error:
            if connection.connection.broken or connection.connection.closed:
                connection.close()  # as the health check does: Django's cursor below opens a new one
        else:
            connection.health_check_done = True
            return row[0] if row else 0
    # Anything else (no connection yet, inside a transaction, an error on a live connection): through
    # Django, which checks the connection first and turns an error into its own.
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def _is_first_query_on_a_kept_connection() -> bool:
    """Whether Django would first send its health check (CONN_HEALTH_CHECKS: a SELECT 1 on a connection
    kept from an earlier request; Django 5.2's BaseDatabaseWrapper.close_if_health_check_failed, whose
    flags these are): the version's query then serves as that check, one round trip instead of two on
    every kept page."""
    return (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )


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
