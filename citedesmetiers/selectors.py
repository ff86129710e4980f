"""Reads of the shared platform: reference data for pages, roles of a user, sign-in throttling."""

import math
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from citedesmetiers import roles
from citedesmetiers.models import LoginFailure, Partner, Space, Theme, User

# Reference rows change a few times a year; the desk and its forms read them on every request.
REFERENCE_TTL = 60.0
_reference_cache: dict[type, tuple[float, list]] = {}


def reference_rows(model) -> list:
    """The active rows of a reference table (themes, languages, partners...) in display order, kept a
    minute in this process. Integrity does not depend on it: rows store codes behind foreign keys."""
    now = time.monotonic()
    cached = _reference_cache.get(model)
    if cached is not None and now - cached[0] < REFERENCE_TTL:
        return cached[1]
    rows = list(model.objects.filter(active=True).order_by(*model._meta.ordering))
    _reference_cache[model] = (now, rows)
    return rows


def reference_cache_clear() -> None:
    """Forgets the cached reference rows (tests, and after a change in the back office)."""
    _reference_cache.clear()


def theme_list() -> QuerySet[Theme]:
    """The active themes in display order."""
    return Theme.objects.filter(active=True).order_by("position", "code")


def partner_list(*, circle: int | None = None) -> QuerySet[Partner]:
    """The active partner institutions, promoters first, optionally of one circle."""
    partners = Partner.objects.filter(active=True)
    if circle is not None:
        partners = partners.filter(circle=circle)
    return partners.order_by("circle", "-promoter", "position", "name_fr")


def space_list() -> QuerySet[Space]:
    """The active spaces of the centre in display order."""
    return Space.objects.filter(active=True).order_by("position", "name_fr")


def user_roles(user: User) -> list[roles.Role]:
    """The roles a user holds, in the order of roles.Role."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in roles.Role if role.value in names]


def login_lockout_seconds(*, username: str, address: str | None, now: datetime | None = None) -> int:
    """Seconds before this user name (or this address) may try to sign in again; 0 if it may now."""
    now = now or timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=now - window)
    checks = [(recent.filter(username=username.strip().casefold()), settings.LOGIN_FAILURES_PER_USERNAME)]
    if address:
        checks.append((recent.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS))
    wait = 0.0
    for failures, limit in checks:
        times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            # Allowed again once the oldest of the last `limit` failures leaves the window.
            wait = max(wait, (times[-1] + window - now).total_seconds())
    return math.ceil(wait)
