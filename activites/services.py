"""Writes of the activities app: the agenda, registrations and their waiting list, attendance, the purge.

Seats are given under a lock on the activity's row, so that an activity is never over capacity however
many people confirm at the same second; a freed seat goes to the first person on the waiting list.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from activites.emails import email_queue
from activites.models import (
    Activity,
    Admission,
    OutgoingEmail,
    PlaceKind,
    Registration,
    RegistrationAttempt,
    WalkIn,
)
from citedesmetiers import capture, limits, throttle
from citedesmetiers.models import attname
from citedesmetiers.services import audit_changes, audit_record

# --- activities ----------------------------------------------------------------------------------

FIELDS = Activity.EDITABLE_FIELDS
MAX_REPEAT_WEEKS = 52


def can_manage(*, user, activity: Activity | None = None, partner=None) -> bool:
    """Coordinators manage every activity; organisers those of their own institution."""
    partner_id = activity.partner_id if activity is not None else getattr(partner, "pk", None)
    if user.has_perm("activites.manage_all_activities"):
        return True
    return (
        user.has_perm("activites.manage_partner_activities")
        and user.partner_id is not None
        and (partner_id is None or partner_id == user.partner_id)
    )


def _check(activity: Activity, *, publish: bool) -> None:
    errors = {}
    if activity.place_kind == PlaceKind.ROOM:
        if activity.room is None:
            errors["room"] = _("Choose the room.")
        elif not activity.room.bookable:
            errors["room"] = _("This space cannot be booked for activities.")
        elif activity.room.capacity and activity.capacity and activity.capacity > activity.room.capacity:
            errors["capacity"] = _("This room holds %(count)d people at most.") % {
                "count": activity.room.capacity
            }
    elif activity.place_kind == PlaceKind.ADDRESS and not activity.address.strip():
        errors["address"] = _("Give the address.")
    elif activity.place_kind == PlaceKind.ONLINE and not activity.online_url:
        errors["online_url"] = _("Give the link to join online.")
    if activity.place_kind != PlaceKind.ROOM:
        activity.room = None
    if activity.admission == Admission.REGISTRATION and not activity.capacity:
        errors["capacity"] = _("An activity with registration needs a capacity.")
    if activity.ends_at <= activity.starts_at:
        errors["ends_at"] = _("The activity must end after it starts.")
    if publish:
        for name in ("title_fr", "title_nl", "description_fr", "description_nl"):
            if not getattr(activity, name).strip():
                errors[name] = _("Required to publish: the agenda is in French and in Dutch.")
    if not activity.audiences:
        errors["audiences"] = _("Choose at least one audience.")
    if errors:
        raise ValidationError(errors)


def _room_clashes(activity: Activity) -> list[Activity]:
    if activity.room_id is None or activity.status == Activity.Status.CANCELLED:
        return []
    return list(
        Activity.objects.filter(
            room_id=activity.room_id, starts_at__lt=activity.ends_at, ends_at__gt=activity.starts_at
        )
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk=activity.pk)[:3]
    )


def _clash_error(activity: Activity, clashes: list[Activity]) -> ValidationError:
    when = formats.date_format(timezone.localtime(activity.starts_at), "DATETIME_FORMAT")
    return ValidationError(
        {
            "room": _("%(room)s is already booked on %(when)s (%(other)s).")
            % {"room": activity.room, "when": when, "other": ", ".join(str(other.title) for other in clashes)}
        }
    )


def _save_checked(activity: Activity) -> None:
    """Saves, turning a booked room (found now, or by the database's exclusion constraint when two
    people book it at the same moment) into a message."""
    clashes = _room_clashes(activity)
    if clashes:
        raise _clash_error(activity, clashes)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError as error:
        if "activites_activity_room_free" in str(error):
            raise _clash_error(activity, _room_clashes(activity) or [activity]) from error
        raise


def activity_create(
    *,
    user,
    values: dict,
    languages,
    publish: bool,
    repeat_weeks: int = 1,
    key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> list[Activity]:
    """Creates an activity, or a weekly series of `repeat_weeks` sessions in one step (all or none), once
    per form `key`: the same form sent again (a double click, a reload, a resend) returns the sessions it
    scheduled, also when both arrive at the same moment."""
    if key is not None and (scheduled := _scheduled_by(key)):
        return scheduled
    try:
        return _activity_create(
            user=user,
            values=values,
            languages=languages,
            publish=publish,
            repeat_weeks=repeat_weeks,
            key=key,
            now=now,
        )
    except (IntegrityError, ValidationError):
        # The same form's other sending committed first: its sessions hold the key (or, for a room, the
        # room at that time).
        if key is not None and (scheduled := _scheduled_by(key)):
            return scheduled
        raise


def _scheduled_by(key: uuid.UUID) -> list[Activity]:
    return list(Activity.objects.filter(key=key).order_by("starts_at"))


def _activity_create(
    *, user, values: dict, languages, publish: bool, repeat_weeks: int, key: uuid.UUID | None, now
) -> list[Activity]:
    now = now or timezone.now()
    if not can_manage(user=user, partner=values["partner"]):
        raise ValidationError({"partner": _("You may only schedule the activities of your institution.")})
    if not 1 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError(
            {"repeat_weeks": _("Repeat for 1 to %(max)d weeks.") % {"max": MAX_REPEAT_WEEKS}}
        )
    series = uuid.uuid4() if repeat_weeks > 1 else None
    status = Activity.Status.PUBLISHED if publish else Activity.Status.DRAFT
    created = []
    with transaction.atomic():
        for week in range(repeat_weeks):
            shift = timedelta(weeks=week)
            activity = Activity(
                **values, series=series, key=key, status=status, created_at=now, created_by=user
            )
            # Weekly on the same local time, also across a daylight-saving change.
            activity.starts_at = _same_local_time(values["starts_at"], shift)
            activity.ends_at = _same_local_time(values["ends_at"], shift)
            _check(activity, publish=publish)
            _save_checked(activity)
            activity.languages.set(languages)
            audit_record(actor=user, action="activity.create", obj=activity, now=now)
            created.append(activity)
    return created


def _same_local_time(moment: datetime, shift: timedelta) -> datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(local.replace(tzinfo=None) + shift)


def _snapshot(activity: Activity) -> dict:
    """The activity's fields as the audit trail keeps them (codes, ids, ISO times, lists of codes)."""
    values = {}
    for name in FIELDS:
        value = getattr(activity, attname(Activity, name))
        values[name] = value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
    return values


def activity_update(
    *, activity: Activity, user, values: dict, languages, publish: bool, now: datetime | None = None
) -> Activity:
    """Changes one session. A larger capacity gives the new seats to the waiting list; a capacity below
    the seats already given is refused."""
    now = now or timezone.now()
    if not can_manage(user=user, activity=activity) or not can_manage(user=user, partner=values["partner"]):
        raise ValidationError({"partner": _("You may only schedule the activities of your institution.")})
    if activity.cancelled:
        raise ValidationError(_("This activity is cancelled; it can no longer be changed."))
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        before = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        if publish:
            locked.status = Activity.Status.PUBLISHED
        _check(locked, publish=locked.status == Activity.Status.PUBLISHED)
        seated = locked.registrations.holding().count()
        if locked.capacity is not None and seated > locked.capacity:
            raise ValidationError(
                {
                    "capacity": _("%(count)d people already have a seat: the capacity cannot be lower.")
                    % {"count": seated}
                }
            )
        _save_checked(locked)
        locked.languages.set(languages)
        after = _snapshot(locked)
        changes = audit_changes(before, after)
        audit_record(actor=user, action="activity.update", obj=locked, changes=changes, now=now)
        if locked.status == Activity.Status.PUBLISHED and MOVED_FIELDS & changes.keys():
            _activity_moved(locked, now=now)
        _promote(locked, now=now)
    return locked


# A change of one of these tells the people registered or waiting, with the updated calendar entry.
MOVED_FIELDS = {"starts_at", "ends_at", "place_kind", "room", "address", "online_url"}


def _activity_moved(activity: Activity, *, now: datetime) -> int:
    """The activity changed time or place: its calendar entry gets a new revision (same UID, SEQUENCE
    one more) and every person with a seat, a seat offered or a place on the waiting list is told in
    their language. The caller holds the activity's lock."""
    activity.sequence += 1
    activity.save(update_fields=["sequence"])
    told = activity.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED, Registration.Status.WAITING]
    ).exclude(email="")
    count = 0
    for registration in told:
        registration.activity = activity
        email_queue(registration=registration, kind="activity_moved", now=now)
        count += 1
    return count


def activity_publish(*, activity: Activity, user, now: datetime | None = None) -> Activity:
    """Publishes a draft in the agenda: its French and Dutch title and description are required."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != Activity.Status.DRAFT:
            return locked
        _check(locked, publish=True)
        locked.status = Activity.Status.PUBLISHED
        _save_checked(locked)
        audit_record(actor=user, action="activity.publish", obj=locked, now=now)
    return locked


def activity_cancel(*, activity: Activity, user, now: datetime | None = None) -> Activity:
    """Cancels an activity; everyone registered or waiting is told by e-mail in their language."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.cancelled:
            return locked
        locked.status = Activity.Status.CANCELLED
        locked.cancelled_at = now
        locked.sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "sequence"])
        audit_record(actor=user, action="activity.cancel", obj=locked, now=now)
        live = locked.registrations.filter(
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITING,
                Registration.Status.OFFERED,
                Registration.Status.PENDING,
            ]
        ).exclude(email="")
        for registration in live.select_related("activity"):
            email_queue(registration=registration, kind="activity_cancelled", now=now)
    return locked


# --- registrations --------------------------------------------------------------------------------


def registration_open(activity: Activity, *, now: datetime | None = None) -> bool:
    """Whether the public may register: published, with registration, not started."""
    now = now or timezone.now()
    return (
        activity.status == Activity.Status.PUBLISHED
        and activity.admission == Admission.REGISTRATION
        and activity.starts_at > now
    )


def _address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


ATTEMPTS_WINDOW = timedelta(hours=1)


def _over_limit(digest: str, *, limit: int, now: datetime) -> bool:
    """Records one use under `digest` unless `limit` uses were recorded in the last hour
    (citedesmetiers.throttle, the sign-in's rule too)."""
    throttle.forget(RegistrationAttempt.objects.all(), window=ATTEMPTS_WINDOW, now=now)
    uses = RegistrationAttempt.objects.filter(address_hash=digest)
    if throttle.wait_seconds(uses, limit=limit, window=ATTEMPTS_WINDOW, now=now):
        return True
    RegistrationAttempt.objects.create(address_hash=digest, at=now)
    return False


def registration_throttled(*, address: str | None, now: datetime | None = None) -> bool:
    """Records one use of the registration form from `address`; True when it is over the hourly limit
    (REGISTRATIONS_PER_ADDRESS_PER_HOUR). The caller skips it on the centre's own networks."""
    if not address:
        return False
    return _over_limit(
        _address_hash(address), limit=settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR, now=now or timezone.now()
    )


def registration_email_throttled(*, email: str, now: datetime | None = None) -> bool:
    """Records one registration sent for `email` (any case); True when it is over the hourly limit
    (REGISTRATIONS_PER_EMAIL_PER_HOUR), so that nobody floods a mailbox with confirmation links."""
    email = email.strip().lower()
    if not email:
        return False
    return _over_limit(
        _address_hash(f"email:{email}"),
        limit=settings.REGISTRATIONS_PER_EMAIL_PER_HOUR,
        now=now or timezone.now(),
    )


@dataclass(frozen=True)
class Registered:
    registration: Registration
    created: bool


def registration_create(
    *, activity: Activity, first_name: str, email: str, language: str, now: datetime | None = None
) -> Registered:
    """Registers an address for an activity, pending its confirmation by the link sent to it.

    Registering the same address again finds the first registration (and resends its link when it is
    still pending): a double click or a second try never makes two.
    """
    now = now or timezone.now()
    if not registration_open(activity, now=now):
        raise ValidationError(_("Registration for this activity is closed."), code="closed")
    email = email.strip()
    live = Q(activity=activity, email__iexact=email) & Q(
        status__in=[
            Registration.Status.PENDING,
            Registration.Status.CONFIRMED,
            Registration.Status.WAITING,
            Registration.Status.OFFERED,
        ]
    )
    existing = Registration.objects.filter(live).first()
    if existing is None:
        registration = Registration(
            activity=activity, first_name=first_name.strip(), email=email, language=language, created_at=now
        )
        # Uniqueness was just looked up and the database enforces it: no third check here.
        registration.full_clean(
            exclude=["activity", "token"], validate_unique=False, validate_constraints=False
        )
        try:
            with transaction.atomic():
                registration.save(force_insert=True)
                email_queue(registration=registration, kind="confirm_address", now=now)
            return Registered(registration, created=True)
        except IntegrityError:
            existing = Registration.objects.filter(live).first()
            if existing is None:
                raise
    if existing.status == Registration.Status.PENDING:
        recent = existing.emails.filter(kind="confirm_address", created_at__gte=now - timedelta(minutes=1))
        if not recent.exists():
            email_queue(registration=existing, kind="confirm_address", now=now)
    return Registered(existing, created=False)


def _seats_free(activity: Activity) -> int:
    """Seats neither given nor held for someone offered one from the waiting list."""
    return max(0, (activity.capacity or 0) - activity.registrations.holding().count())


def _promote(activity: Activity, *, now: datetime) -> list[Registration]:
    """Offers the free seats to the waiting list, first come first served: each seat is held for its
    person WAITING_LIST_OFFER_HOURS (at most until the start), who accepts it by the link in the e-mail;
    with 0 hours the seat is given at once. The caller holds the activity's lock."""
    if activity.status != Activity.Status.PUBLISHED or activity.starts_at <= now:
        return []
    free = _seats_free(activity)
    if free <= 0:
        return []
    promoted = list(
        activity.registrations.filter(status=Registration.Status.WAITING).order_by("waiting_since", "pk")[
            :free
        ]
    )
    hours = settings.WAITING_LIST_OFFER_HOURS
    for registration in promoted:
        if hours > 0:
            registration.status = Registration.Status.OFFERED
            registration.offer_expires_at = min(now + timedelta(hours=hours), activity.starts_at)
            kind = "offered"
        else:
            registration.status = Registration.Status.CONFIRMED
            kind = "promoted"
        registration.save(update_fields=["status", "offer_expires_at"])
        registration.activity = activity
        if registration.email:
            email_queue(registration=registration, kind=kind, now=now)
    return promoted


def registration_offer_accept(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Takes the seat offered from the waiting list, while the offer holds; accepting again changes
    nothing. An expired offer is refused (the seat went to the next person)."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.OFFERED:
            if current.status == Registration.Status.CONFIRMED:
                return current
            raise ValidationError(_("This seat is no longer offered to you."), code="expired")
        expired = current.offer_expires_at is None or current.offer_expires_at <= now
        if expired or not registration_open(activity, now=now):
            raise ValidationError(
                _("The time to accept this seat has passed: it goes to the next person waiting."),
                code="expired",
            )
        current.status = Registration.Status.CONFIRMED
        current.save(update_fields=["status"])
        current.activity = activity
        email_queue(registration=current, kind="confirmed", now=now)
    return current


def offers_expire(*, now: datetime | None = None) -> int:
    """Ends the waiting-list offers not accepted in time (the person is told) and offers their seats to
    the next people waiting; returns the offers ended. Run by the scheduler with `send_emails`."""
    now = now or timezone.now()
    expired = 0
    activity_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .order_by()
        .values_list("activity_id", flat=True)
        .distinct()
    )
    for activity_id in list(activity_ids):
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=activity_id)
            due = Registration.objects.select_for_update().filter(
                activity=activity, status=Registration.Status.OFFERED, offer_expires_at__lte=now
            )
            for registration in due:
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = now
                registration.save(update_fields=["status", "cancelled_at"])
                registration.activity = activity
                held = activity.status == Activity.Status.PUBLISHED and activity.starts_at > now
                if registration.email and held:
                    email_queue(registration=registration, kind="offer_expired", now=now)
                expired += 1
            _promote(activity, now=now)
    return expired


def registration_confirm(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Confirms the address: a seat if one is free, else the end of the waiting list (told by e-mail).
    Confirming again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # The activity's row lock makes every seat decision one at a time.
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.PENDING:
            return current
        if not registration_open(activity, now=now):
            raise ValidationError(_("Registration for this activity is closed."), code="closed")
        current.confirmed_at = now
        if _seats_free(activity) > 0:
            current.status = Registration.Status.CONFIRMED
            kind = "confirmed"
        else:
            current.status = Registration.Status.WAITING
            current.waiting_since = now
            kind = "waiting"
        current.save(update_fields=["status", "confirmed_at", "waiting_since"])
        current.activity = activity
        email_queue(registration=current, kind=kind, now=now)
    return current


def registration_cancel(
    *, registration: Registration, now: datetime | None = None, notify: bool = True
) -> Registration:
    """Cancels a registration; its seat goes to the first person waiting, who is told."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return current
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        current.activity = activity
        if notify and current.email:
            email_queue(registration=current, kind="cancelled", now=now)
        _promote(activity, now=now)
    return current


def registration_erase(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Erases a person's data at their request: cancelled first if it still holds a seat (the seat goes
    to the waiting list), then no name, no address, no e-mail kept."""
    now = now or timezone.now()
    with transaction.atomic():
        if registration.status != Registration.Status.CANCELLED and registration.activity.starts_at > now:
            registration = registration_cancel(registration=registration, now=now, notify=False)
        _erase(Registration.objects.filter(pk=registration.pk), now=now)
    registration.refresh_from_db()
    return registration


def _erase(registrations, *, now: datetime) -> tuple[int, int]:
    """Erases these registrations' name and address and deletes their e-mails; returns how many
    registrations were erased and how many e-mails deleted."""
    emails, _ = OutgoingEmail.objects.filter(registration__in=registrations).delete()
    erased = registrations.filter(erased_at__isnull=True).update(first_name="", email="", erased_at=now)
    return erased, emails


@dataclass(frozen=True)
class Purged:
    unconfirmed: int
    erased: int
    emails: int


def registrations_purge(*, now: datetime | None = None) -> Purged:
    """Deletes registrations never confirmed after REGISTRATION_CONFIRM_HOURS; erases the name and address
    of registrations REGISTRATION_RETENTION_DAYS after their activity (the counts stay); deletes sent
    e-mails after the same delay. `emails` counts every e-mail row deleted, the erased people's too."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = Registration.objects.filter(
            status=Registration.Status.PENDING,
            created_at__lt=now - timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS),
        )
        # Every e-mail row deleted is counted: those of the registrations deleted or erased, and the
        # sent ones past the delay (a registration's are deleted first, so none goes by cascade unseen).
        stale_emails, _ = OutgoingEmail.objects.filter(registration__in=stale).delete()
        _total, deleted = stale.delete()
        unconfirmed = deleted.get(Registration._meta.label, 0)
        past = Registration.objects.filter(
            activity__ends_at__lt=now - timedelta(days=settings.REGISTRATION_RETENTION_DAYS),
            erased_at__isnull=True,
        )
        erased, erased_emails = _erase(past, now=now)
        old_emails, _ = OutgoingEmail.objects.filter(
            sent_at__lt=now - timedelta(days=settings.REGISTRATION_RETENTION_DAYS)
        ).delete()
        emails = stale_emails + deleted.get(OutgoingEmail._meta.label, 0) + erased_emails + old_emails
        throttle.forget(RegistrationAttempt.objects.all(), window=ATTEMPTS_WINDOW, now=now)
    return Purged(unconfirmed=unconfirmed, erased=erased, emails=emails)


def reminders_queue(*, now: datetime | None = None) -> int:
    """Writes the reminder of every seat whose activity starts within REMINDER_DAYS_BEFORE days (once)."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = (
            Registration.objects.select_for_update(skip_locked=True)
            .select_related("activity")
            .filter(
                status=Registration.Status.CONFIRMED,
                reminded_at__isnull=True,
                activity__status=Activity.Status.PUBLISHED,
                activity__starts_at__gt=now,
                activity__starts_at__lte=now + timedelta(days=settings.REMINDER_DAYS_BEFORE),
            )
            .exclude(email="")
        )
        for registration in due:
            # Someone who registers the day before has just had their confirmation: no reminder.
            if registration.confirmed_at and registration.confirmed_at > now - timedelta(hours=12):
                continue
            email_queue(registration=registration, kind="reminder", now=now)
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            count += 1
    return count


# --- attendance ------------------------------------------------------------------------------------

ATTENDANCE_OPENS = timedelta(hours=2)


def attendance_open(activity: Activity, *, now: datetime | None = None) -> bool:
    """Attendance is recorded from two hours before the start, for a held activity."""
    now = now or timezone.now()
    return activity.status == Activity.Status.PUBLISHED and now >= activity.starts_at - ATTENDANCE_OPENS


def _attendance_check(activity: Activity, *, now: datetime) -> None:
    if not attendance_open(activity, now=now):
        raise ValidationError(_("Attendance is recorded from two hours before the activity starts."))


def _attendance_touched(activity: Activity, *, now: datetime) -> None:
    Activity.objects.filter(pk=activity.pk, attendance_recorded_at__isnull=True).update(
        attendance_recorded_at=now
    )


def attendance_mark(
    *, activity: Activity, registration_id: int, attended: bool | None, user, now: datetime | None = None
) -> Registration:
    """Ticks a registrant as come (True), not come (False) or not yet ticked (None)."""
    now = now or timezone.now()
    _attendance_check(activity, now=now)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(
            pk=registration_id, activity=activity, status=Registration.Status.CONFIRMED
        )
        registration.attended = attended
        registration.save(update_fields=["attended"])
        _attendance_touched(activity, now=now)
    return registration


def walk_in_add(
    *, activity: Activity, key: uuid.UUID, user, count: int = 1, now: datetime | None = None
) -> capture.Captured:
    """Counts people who came without registering: once per key, whatever is sent twice. Not on a
    free-entry session, where everyone comes without registering: its headcount alone counts them (a
    walk-in there would count the same person twice)."""
    now = now or timezone.now()
    _attendance_check(activity, now=now)
    if activity.admission == Admission.FREE:
        raise ValidationError(_("Free entry: record the headcount only."), code="free_entry")
    return capture.capture(
        WalkIn,
        key=key,
        user=user,
        occurred_at=now,
        now=now,
        then=lambda entry: _attendance_touched(activity, now=now),
        activity=activity,
        count=count,
    )


def walk_in_undo(*, activity: Activity, user, now: datetime | None = None) -> WalkIn | None:
    """Takes back this person's last walk-in of this activity, within the undo window."""
    now = now or timezone.now()
    last = (
        WalkIn.objects.active()
        .filter(activity=activity, recorded_by=user)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if last is None or not capture.undoable(last, user=user, now=now):
        return None
    return capture.cancel(last, user=user, now=now)


def headcount_set(
    *, activity: Activity, headcount: int | None, user, now: datetime | None = None
) -> Activity:
    """Records how many people came to a free-entry activity (counted at the door); refuses a count above
    its ceiling (citedesmetiers.limits: OVER_CAPACITY times the places, HEADCOUNT_MAX at most)."""
    now = now or timezone.now()
    _attendance_check(activity, now=now)
    ceiling = limits.headcount_ceiling(activity.places)
    if headcount is not None and not 0 <= headcount <= ceiling:
        raise ValidationError(
            {"headcount": _("At most %(ceiling)s people can be counted here.") % {"ceiling": ceiling}}
        )
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        audit_record(
            actor=user,
            action="activity.headcount",
            obj=locked,
            changes={"headcount": [locked.headcount, headcount]},
            now=now,
        )
        locked.headcount = headcount
        locked.attendance_recorded_at = locked.attendance_recorded_at or now
        locked.save(update_fields=["headcount", "attendance_recorded_at"])
    return locked


def attendance_close(*, activity: Activity, user, now: datetime | None = None) -> int:
    """Attendance is complete: every registrant not ticked did not come. Returns the no-shows marked."""
    now = now or timezone.now()
    _attendance_check(activity, now=now)
    with transaction.atomic():
        marked = activity.registrations.seated().filter(attended__isnull=True).update(attended=False)
        _attendance_touched(activity, now=now)
        audit_record(
            actor=user,
            action="activity.attendance",
            obj=activity,
            changes={"no_shows": [None, marked]},
            now=now,
        )
    return marked
