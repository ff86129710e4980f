"""Staff sessions: their idle and absolute time limits, kept as two timestamps in the session itself,
and the session store.

Times are Unix seconds (UTC). A request marked `X-Session-Passive: 1` (a status poll, a live counter)
does not count as activity, so a screen left open does not keep its session alive forever.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

STARTED = "cdm_started_at"
ACTIVE = "cdm_active_at"
PASSIVE_HEADER = "X-Session-Passive"
# Writing the session on every request costs a database write; a minute of slack is invisible.
TOUCH_GRANULARITY = 60


@dataclass(frozen=True)
class Remaining:
    idle: int
    absolute: int

    @property
    def seconds(self) -> int:
        """Seconds before the session ends, whichever limit comes first."""
        return max(0, min(self.idle, self.absolute))

    @property
    def expired(self) -> bool:
        return self.seconds <= 0

    @property
    def extendable(self) -> bool:
        """Whether activity can push the end further (it cannot past the absolute limit)."""
        return self.idle < self.absolute


def session_start(session, *, now: float) -> None:
    """Marks the beginning of a signed-in session."""
    session[STARTED] = int(now)
    session[ACTIVE] = int(now)


def session_touch(session, *, now: float, force: bool = False) -> None:
    """Records activity, at most once a minute unless forced ("Stay signed in")."""
    if force or int(now) - session.get(ACTIVE, 0) >= TOUCH_GRANULARITY:
        session[ACTIVE] = int(now)


def session_remaining(session, *, now: float) -> Remaining:
    """Seconds left before the idle and the absolute limits; a session never started is started now."""
    if STARTED not in session:
        session_start(session, now=now)
    idle = session[ACTIVE] + settings.SESSION_IDLE_TIMEOUT - now
    absolute = session[STARTED] + settings.SESSION_ABSOLUTE_TIMEOUT - now
    return Remaining(idle=int(idle), absolute=int(absolute))


# Between the password and the second factor, the person is not signed in: the session only holds
# who is on the way, for a few minutes.
PENDING = "cdm_pending_sign_in"
PENDING_SECRET = "cdm_pending_totp_secret"  # noqa: S105 (a session key, not a secret)
PENDING_SECONDS = 300


def sign_in_pending_set(session, *, user, backend: str, next_url: str, now: float) -> None:
    session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "until": int(now) + PENDING_SECONDS,
    }


def sign_in_pending(session, *, now: float) -> dict | None:
    """The sign-in waiting for its second factor, if it has not expired."""
    pending = session.get(PENDING)
    return pending if pending and pending["until"] >= now else None


def sign_in_pending_clear(session) -> None:
    session.pop(PENDING, None)
    session.pop(PENDING_SECRET, None)


def is_passive(request) -> bool:
    return request.headers.get(PASSIVE_HEADER) == "1"


class SessionStore(db.SessionStore):
    """Django's database sessions, read with one plain SQL statement (SESSION_ENGINE points here).

    Every staff request reads its session; building the ORM query cost more than running it."""

    def _get_session_from_db(self):
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 (the model's table name)  # nosec B608
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
