"""Reads of the shared platform: reference data for pages, roles of a user, sign-in throttling."""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from citedesmetiers import roles
from citedesmetiers.models import LoginFailure, Partner, Space, Theme, User


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
