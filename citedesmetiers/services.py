"""Writes of the shared platform: role groups, sign-in failures, demo accounts, the purge of what has
expired."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from citedesmetiers import roles, throttle
from citedesmetiers.accounts import totp
from citedesmetiers.models import AuditEntry, JobRun, Language, LoginFailure, Partner, User, login_name


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
    )
    found = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise ImproperlyConfigured(f"roles.py names unknown permissions: {sorted(missing)}")
    return found


@transaction.atomic
def roles_sync(*, verbosity: int = 0) -> list[Group]:
    """Makes one group per role carry exactly the permissions of roles.PERMISSIONS; idempotent."""
    # Every app's permissions must exist first: post_migrate reaches the apps one at a time.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=verbosity)
    groups = []
    for role in roles.Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(roles.PERMISSIONS[role]))
        groups.append(group)
    return groups


@dataclass(frozen=True)
class Expired:
    sessions: int
    login_failures: int
    job_runs: int


def expired_purge(*, now: datetime | None = None) -> Expired:
    """Deletes staff sessions past their end, failed sign-ins past the throttling window and the
    scheduler's records older than JOB_RUN_RETENTION_DAYS; returns how many of each."""
    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    failures = throttle.forget(LoginFailure.objects.all(), window=window, now=now)
    kept = timedelta(days=settings.JOB_RUN_RETENTION_DAYS)
    runs, _ = JobRun.objects.filter(started_at__lt=now - kept).delete()
    return Expired(sessions=sessions, login_failures=failures, job_runs=runs)


def login_failure_record(*, username: str, address: str | None, now: datetime | None = None):
    """Records one failed sign-in and forgets those older than the throttling window."""
    now = now or timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    throttle.forget(LoginFailure.objects.all(), window=window, now=now)
    return LoginFailure.objects.create(username=login_name(username), address=address, at=now)


def login_failures_clear(*, username: str) -> None:
    """Forgets the failures of a user name after a successful sign-in."""
    LoginFailure.objects.filter(username=login_name(username)).delete()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: roles.Role
    first_name: str
    last_name: str
    partner_code: str | None = None
    languages: tuple[str, ...] = ()  # an adviser's: the queue offers them the people they can take


DEMO_PASSWORD = "cite-des-metiers"  # noqa: S105 (printed on purpose: demo mode only)
DEMO_ACCOUNTS = [
    DemoAccount("reception", roles.Role.RECEPTION_AGENT, "Nadia", "Accueil"),
    DemoAccount("steward", roles.Role.DIGITAL_STEWARD, "Tom", "Multimedia"),
    DemoAccount("adviser.actiris", roles.Role.ADVISER, "Sarah", "Conseil", "actiris", ("fr", "en")),
    DemoAccount("adviser.vdab", roles.Role.ADVISER, "Pieter", "Advies", "vdab-brussel", ("nl", "fr")),
    DemoAccount("lead.actiris", roles.Role.PARTNER_LEAD, "Karim", "Responsable", "actiris", ("fr", "nl")),
    DemoAccount("organiser.bf", roles.Role.ACTIVITY_ORGANISER, "Julie", "Ateliers", "bruxelles-formation"),
    DemoAccount("coordinator", roles.Role.COORDINATOR, "Marc", "Backoffice"),
    DemoAccount("director", roles.Role.DIRECTOR, "Catherine", "Direction"),
    DemoAccount("admin", roles.Role.ADMINISTRATOR, "Alex", "Admin"),
]


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, bool]]:
    """Creates the demo accounts (one per role) or keeps them; returns (account, created) pairs.

    Only in demo or dev mode: outside it, demo accounts could not sign in anyway (backends.py).
    """
    if not settings.DEMO_ACCOUNTS_ENABLED:
        raise ImproperlyConfigured("Demo accounts are only created with CDM_MODE=demo or dev.")
    groups = {group.name: group for group in roles_sync()}
    result = []
    for account in DEMO_ACCOUNTS:
        partner = Partner.objects.get(code=account.partner_code) if account.partner_code else None
        found = User.objects.filter(username__iexact=account.username).first()
        created = found is None
        user = found or User(username=account.username)
        if created:
            user.set_password(DEMO_PASSWORD)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.partner = partner
        user.is_demo = True
        user.is_active = True
        if account.role in roles.SECOND_FACTOR_ROLES and not user.totp_confirmed_at:
            # Set up already: in demo mode the sign-in page shows the current code of a demo account.
            user.totp_secret, user.totp_confirmed_at = totp.new_secret(), timezone.now()
        user.full_clean()
        user.save()
        user.groups.set([groups[account.role.value]])
        if account.languages and not user.languages.exists():  # a change made since is kept
            user.languages.set(Language.objects.filter(code__in=account.languages))
        result.append((account, created))
    return result


def audit_record(
    *, actor, action: str, obj=None, model=None, changes: dict | None = None, now: datetime | None = None
):
    """Appends one line to the audit trail: who (None for the system), what, on which record (`obj`),
    or on many records of a `model` at once (a list, an export: object id '*')."""
    label = (obj or model)._meta.label_lower
    return AuditEntry.objects.create(
        at=now or timezone.now(),
        actor=actor,
        action=action,
        object_type=label,
        object_id=str(obj.pk) if obj is not None else "*",
        changes=changes or {},
    )


def audit_changes(before: dict, after: dict) -> dict:
    """The audit trail's form of a change: {field: [before, after]} for each field of `after` whose value
    differs from `before` (both snapshots of the same fields, as JSON-ready values)."""
    return {name: [before[name], value] for name, value in after.items() if before[name] != value}


def audit_export_record(*, user, count: int, filters: dict, now: datetime | None = None):
    """Writes down an export of the audit trail: how many lines, with which filters."""
    return audit_record(
        actor=user,
        action="auditentry.export",
        model=AuditEntry,
        changes={"rows": count, "filters": filters},
        now=now,
    )


def user_languages_set(*, user: User, languages) -> User:
    """Sets the languages a staff member advises in."""
    user.languages.set(languages)
    return user


def second_factor_confirm(*, user: User, secret: str, step: int, now: datetime | None = None) -> User:
    """Sets up a person's second factor once a code from their app has proved the shared secret."""
    user.totp_secret = secret
    user.totp_confirmed_at = now or timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return user


def second_factor_use(*, user: User, step: int) -> bool:
    """Records the use of a code's time step; False when that step (or a later one) was already used.

    One conditional UPDATE: two sign-ins racing with the same code cannot both succeed."""
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    return User.objects.filter(fresh, pk=user.pk).update(totp_last_step=step) == 1


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, now: datetime | None = None) -> User:
    """An administrator clears a person's second factor: they set up a new one at their next sign-in."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=actor, action="user.second_factor_reset", obj=user, now=now)
    return user
