"""The public agenda's pages kept for anonymous visitors: built once per state of the agenda and served
from the cache until an activity or a registration changes (activites.models.AgendaStamp, raised by the
database itself), the day changes, or PAGE_SECONDS pass (what depends on the clock alone: an activity
that has just ended, a registration deadline). Staff, a visitor with a message to show and anything but
a plain GET get the page built for them.

A view keeps its pages with `cached_for_visitors`; once a process has met one of its addresses, the
`kept_pages` middleware answers that address from the cache before the URL is even resolved (as Django's
own FetchFromCacheMiddleware does), with the headers the view gave it."""

import functools
import weakref

import psycopg
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils import timezone, translation
from psycopg import pq

PAGE_SECONDS = 60

# The addresses (path_info, without the query) of the views that keep their pages, as this process met
# them, with what they resolved to: a few per language, whatever the queries.
_kept_addresses: dict[str, ResolverMatch] = {}


_VERSION_SQL = "SELECT version FROM activites_agendastamp WHERE id = 1"  # AgendaStamp's table
_VERSION_STATEMENT = b"activites_agenda_version"
# The psycopg connections this process has prepared the statement on (one per worker, a new one after a
# reconnection).
_prepared_on: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()


def agenda_version() -> int:
    """The agenda's current state: one query (0 before the first change, should the row be gone: the
    next change writes it again). On a connection kept from an earlier request it is also the
    connection's health check, sent by libpq itself as a statement prepared once per connection
    (`_version_on_libpq`): Django's query hooks (CaptureQueriesContext, execute_wrapper, the debug log)
    do not see it there."""
    if _is_first_query_on_a_kept_connection():
        try:
            version = _version_on_libpq(connection.connection)
        except psycopg.Error:
            version = None
        if version is not None:
            connection.health_check_done = True
            return version
        if connection.connection.closed:
            connection.close()  # as the health check does: Django's cursor below opens a new one
    # Anything else (no connection yet, inside a transaction, an error): through Django, which checks the
    # connection first and turns an error into its own.
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def _version_on_libpq(kept: psycopg.Connection) -> int | None:
    """The state read through psycopg's libpq connection (`Connection.pgconn`), on a connection idle in
    autocommit: a prepared statement, one blocking call. On every page kept for visitors this is most of
    what separates it from sending bytes: measured with the agenda benchmark, it serves about 5 % more
    pages a second than a query through a psycopg cursor (its Python and its wait loop). None when it
    could not run (a dead connection; the statement gone, prepared again next time)."""
    libpq = kept.pgconn
    if kept not in _prepared_on:
        if libpq.prepare(_VERSION_STATEMENT, _VERSION_SQL.encode()).status != pq.ExecStatus.COMMAND_OK:
            return None
        _prepared_on.add(kept)
    result = libpq.exec_prepared(_VERSION_STATEMENT, [])
    if result.status != pq.ExecStatus.TUPLES_OK:
        _prepared_on.discard(kept)
        return None
    return int(result.get_value(0, 0)) if result.ntuples else 0


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


def _for_visitors(request: HttpRequest) -> bool:
    return (
        request.method == "GET" and not request.user.is_authenticated and not messages.get_messages(request)
    )


def _kept(request: HttpRequest, version: int) -> HttpResponse | None:
    kept = cache.get(_key(request, version))
    if kept is None:
        return None
    content, headers = kept
    return HttpResponse(content, headers=headers)


def kept_pages(get_response):
    """Middleware, the innermost: a visitor's GET of an address whose view keeps its pages is answered
    from the cache without resolving the URL or calling the view (the route is the one met before, for
    the logs); a page not kept yet goes on to its view with the agenda's state already read."""

    def middleware(request: HttpRequest) -> HttpResponse:
        match = _kept_addresses.get(request.path_info)
        if match is not None and _for_visitors(request):
            request.agenda_version = agenda_version()
            kept = _kept(request, request.agenda_version)
            if kept is not None:
                request.resolver_match = match
                return kept
        return get_response(request)

    return middleware


def cached_for_visitors(view):
    """Keeps a public view's pages for anonymous visitors (see the module). Put it above the view's
    other decorators: the headers they add (Vary, say) are kept with the page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _for_visitors(request):
            return view(request, *args, **kwargs)
        _kept_addresses.setdefault(request.path_info, request.resolver_match)
        version = getattr(request, "agenda_version", None)  # read by kept_pages, which found no page
        if version is None:
            version = agenda_version()
            if (kept := _kept(request, version)) is not None:
                return kept
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(_key(request, version), (response.content, dict(response.items())), PAGE_SECONDS)
        return response

    return wrapped
