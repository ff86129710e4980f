"""No single request holds a worker past its limit.

gunicorn restarts a worker that has not answered within GUNICORN_TIMEOUT seconds (30): the person gets
a bare 502 and every request queued behind it waits. So the web process asks PostgreSQL to cancel any
statement that runs longer than REQUEST_STATEMENT_TIMEOUT (25 s by default, always below the workers'
limit): the person gets a page in their language that says to ask for less at once (a shorter period),
and the worker is free again. Management commands and the scheduler are not limited (wsgi.py alone
installs this); the long exports stream from one fast statement (citedesmetiers/exports.py).
"""

from django.conf import settings
from django.db.backends.signals import connection_created


def _limit_statements(sender, connection, **kwargs) -> None:
    milliseconds = int(settings.REQUEST_STATEMENT_TIMEOUT * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


def install() -> None:
    """Every database connection the web process opens cancels statements past the limit."""
    if settings.REQUEST_STATEMENT_TIMEOUT:
        connection_created.connect(_limit_statements, dispatch_uid="citedesmetiers.operations.timeouts")


def cancelled(error: BaseException | None) -> bool:
    """Whether `error` is a statement PostgreSQL cancelled at the limit (not a lost database)."""
    from psycopg import errors

    return isinstance(getattr(error, "__cause__", None), errors.QueryCanceled)
