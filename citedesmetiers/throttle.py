"""One rule for every rate limit: at most `limit` events in a sliding `window`. The events are rows with
an `at` time, kept by their owner for the window only: failed sign-ins (citedesmetiers.models.
LoginFailure, per user name and per address) and uses of the public registration form (activites.models.
RegistrationAttempt, per keyed hash of an address or an e-mail)."""

from datetime import datetime, timedelta

from django.db.models import QuerySet


def wait_seconds(events: QuerySet, *, limit: int, window: timedelta, now: datetime) -> float:
    """Seconds before one more event is allowed: 0 while fewer than `limit` of `events` fall in the
    `window` ending `now`; else until the oldest of the last `limit` leaves it. One query."""
    times = list(events.filter(at__gte=now - window).order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0.0
    return max(0.0, (times[-1] + window - now).total_seconds())


def forget(events: QuerySet, *, window: timedelta, now: datetime) -> int:
    """Deletes the events older than the window (nobody needs them any more); how many."""
    deleted, _ = events.filter(at__lt=now - window).delete()
    return deleted
