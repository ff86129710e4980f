"""Writes of the reception desk and the walk-in queue. Times are aware datetimes; days are local
(Europe/Brussels). Every function takes `now`, so that tests need no clock tricks."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accueil import selectors
from accueil.models import (
    ON_SITE_CHANNELS,
    OPEN_STATUSES,
    Duty,
    Orientation,
    Priority,
    Ticket,
    TicketCounter,
    TicketStatus,
    Visit,
)
from citedesmetiers import capture
from citedesmetiers.models import Partner, Theme, User
from citedesmetiers.selectors import reference_rows
from citedesmetiers.services import audit_changes, audit_record

CORRECTABLE = [
    "theme",
    "orientation",
    "language",
    "channel",
    "count",
    "gender",
    "age_band",
    "status",
    "residence",
]


def visit_create(
    *,
    key: uuid.UUID,
    user,
    occurred_at: datetime,
    theme: str | None,
    orientation: str,
    language: str,
    channel: str,
    count: int = 1,
    gender: str | None = None,
    age_band: str | None = None,
    status: str | None = None,
    residence: str | None = None,
    partner: int | None = None,
    now: datetime | None = None,
) -> capture.Captured:
    """Records a visit once per key (codes in, as the reference tables' primary keys).

    An on-site visit directed to individual advice, logged while it happens, gets a queue ticket in
    the same transaction (`partner`: the institution asked for, if any). A replayed key changes nothing.
    """
    now = now or timezone.now()
    ticketed = _needs_ticket(
        orientation=orientation, channel=channel, occurred_at=occurred_at, theme=theme, now=now
    )
    return capture.capture(
        Visit,
        key=key,
        user=user,
        occurred_at=occurred_at,
        now=now,
        # A visit is one INSERT; one to individual advice logged while it happens is one statement that
        # writes the visit, the day's next number and its ticket (_visit_with_ticket).
        insert=(lambda visit: _visit_with_ticket(visit, partner=partner, now=now)) if ticketed else None,
        theme_id=theme,
        orientation=orientation,
        language_id=language,
        channel_id=channel,
        count=count,
        gender_id=gender,
        age_band_id=age_band,
        status_id=status,
        residence_id=residence,
    )


def _needs_ticket(*, orientation: str, channel: str, occurred_at: datetime, theme, now: datetime) -> bool:
    """Whether a visit gets a queue ticket: on site, to individual advice (which has a theme), logged
    while it happens (today, not later than TICKET_MAX_DELAY_MINUTES)."""
    late = now - occurred_at > timedelta(minutes=settings.TICKET_MAX_DELAY_MINUTES)
    return (
        orientation == Orientation.ADVICE
        and channel in ON_SITE_CHANNELS
        and theme is not None
        and not late
        and timezone.localdate(occurred_at) == timezone.localdate(now)
    )


def _new_ticket(visit: Visit, *, partner: int | None, now: datetime) -> Ticket:
    """The unsaved ticket of a visit to individual advice (its number still to be given)."""
    if visit.theme_id is None:
        raise ValueError("A ticket is for individual advice, which always has a theme.")
    return Ticket(
        visit=visit,
        service_date=timezone.localdate(now),
        number=0,
        theme_id=visit.theme_id,
        letter=next(theme.letter for theme in reference_rows(Theme) if theme.code == visit.theme_id),
        language_id=visit.language_id,
        partner_id=partner,
        issued_at=visit.occurred_at,
    )


def _visit_with_ticket(visit: Visit, *, partner: int | None, now: datetime) -> None:
    """Writes a visit, the day's next ticket number and the ticket in ONE statement (the desk's advice
    tap: three statements in all with the session and the user). Atomic by itself: a key already used
    fails it whole, the day's counter unchanged."""
    ticket = _new_ticket(visit, partner=partner, now=now)
    visit_columns, visit_values = capture.insert_values(visit, connection=connection)
    columns, values = capture.insert_values(ticket, connection=connection)
    # The ticket's visit and number come from the statement's own first parts.
    placed = {connection.ops.quote_name("visit_id"): "v.id", connection.ops.quote_name("number"): "n.last"}
    select = [placed.get(column, "%s") for column in columns]
    values = [value for column, value in zip(columns, values, strict=True) if column not in placed]
    counter, visits, tickets = (
        TicketCounter._meta.db_table,
        Visit._meta.db_table,
        Ticket._meta.db_table,
    )
    sql = (
        f"WITH v AS (INSERT INTO {visits} ({', '.join(visit_columns)}) "  # noqa: S608 (names from the models)  # nosec B608
        f"VALUES ({', '.join(['%s'] * len(visit_values))}) RETURNING id), "
        f"n AS (INSERT INTO {counter} (service_date, last) VALUES (%s, 1) "
        f"ON CONFLICT (service_date) DO UPDATE SET last = {counter}.last + 1 RETURNING last) "
        f"INSERT INTO {tickets} ({', '.join(columns)}) SELECT {', '.join(select)} FROM v, n "
        "RETURNING visit_id, id, number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*visit_values, ticket.service_date, *values])
        visit.pk, ticket.pk, ticket.number = cursor.fetchone()
    visit._state.adding = ticket._state.adding = False
    ticket.visit = visit
    visit.ticket = ticket  # known at once: the desk's answer shows it without reading it back


@transaction.atomic
def visit_undo(*, visit: Visit, user, now: datetime | None = None) -> Visit:
    """Its author takes an entry back within CAPTURE_UNDO_MINUTES; its waiting ticket goes too."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.cancelled:
        return visit
    if not capture.undoable(visit, user=user, now=now):
        raise ValidationError(_("This entry can no longer be undone here: ask a coordinator to correct it."))
    capture.cancel(visit, user=user, now=now)
    _cancel_waiting_ticket(visit, now=now)
    audit_record(actor=user, action="visit.undo", obj=visit, now=now)
    return visit


def _cancel_waiting_ticket(visit: Visit, *, now: datetime) -> None:
    Ticket.objects.filter(visit=visit, status=TicketStatus.WAITING).update(
        status=TicketStatus.CANCELLED, ended_at=now
    )


def _as_code(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@transaction.atomic
def visit_correct(
    *,
    visit: Visit,
    user,
    now: datetime | None = None,
    occurred_at: datetime | None = None,
    cancelled=None,
    **fields,
) -> Visit:
    """A coordinator corrects an entry: given fields only, each change written to the audit trail."""
    now = now or timezone.now()
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        attribute = f"{name}_id" if Visit._meta.get_field(name).is_relation else name
        if getattr(visit, attribute) != value:
            changes[name] = [getattr(visit, attribute), value]
            setattr(visit, attribute, value)
    if occurred_at is not None and not capture.same_minute(visit.occurred_at, occurred_at):
        if occurred_at > now + capture.CLOCK_TOLERANCE:
            raise ValidationError({"occurred_at": _("This date and time are in the future.")})
        changes["occurred_at"] = [_as_code(visit.occurred_at), _as_code(occurred_at)]
        visit.occurred_at = occurred_at
    if cancelled is not None and cancelled != visit.cancelled:
        changes["cancelled"] = [visit.cancelled, cancelled]
        visit.cancelled_at, visit.cancelled_by = (now, user) if cancelled else (None, None)
        if cancelled:
            _cancel_waiting_ticket(visit, now=now)
    if not changes:
        return visit
    if visit.orientation == Orientation.ADVICE and visit.theme_id is None:
        raise ValidationError(_("Individual advice needs one of the five themes."))
    relations = [field.name for field in Visit._meta.fields if field.is_relation]
    visit.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    visit.save()
    audit_record(actor=user, action="visit.correct", obj=visit, changes=changes, now=now)
    return visit


def _own_ticket(ticket: Ticket, adviser, expected: list[str]) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.adviser_id != adviser.pk:
        raise ValidationError(_("This person was called by another adviser."))
    if ticket.status not in expected:
        raise ValidationError(_("Ticket %(ticket)s is no longer at that stage.") % {"ticket": ticket.label})
    return ticket


@transaction.atomic
def ticket_call_next(*, adviser, desk: str = "", now: datetime | None = None) -> Ticket | None:
    """Calls the oldest waiting ticket this adviser can take, or returns None when nobody waits.

    Two advisers calling at the same moment never get the same person: the row is locked and other
    callers skip it (SELECT ... FOR UPDATE SKIP LOCKED).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = selectors.adviser_current_ticket(adviser=adviser, day=today)
    if current is not None:
        raise ValidationError(
            _("You are still with %(ticket)s: end the consultation or mark it walked away first.")
            % {"ticket": current.label}
        )
    waiting = selectors.tickets_for_adviser(adviser=adviser, day=today)
    ticket = (
        waiting.select_for_update(skip_locked=True, of=("self",)).order_by(*selectors.QUEUE_ORDER).first()
    )
    if ticket is None:
        return None
    ticket.status = TicketStatus.CALLED
    ticket.called_at = ticket.announced_at = now
    ticket.calls = 1
    ticket.adviser = adviser
    ticket.desk = desk
    ticket.save(update_fields=["status", "called_at", "announced_at", "calls", "adviser", "desk"])
    return ticket


@transaction.atomic
def ticket_recall(*, ticket: Ticket, adviser, now: datetime | None = None) -> Ticket:
    """Calls the same person again (the screen shows the number anew)."""
    ticket = _own_ticket(ticket, adviser, [TicketStatus.CALLED])
    ticket.announced_at = now or timezone.now()
    ticket.calls += 1
    ticket.save(update_fields=["announced_at", "calls"])
    return ticket


def _advance(ticket: Ticket, adviser, *, expected: str, status: str, stamp: str, now) -> Ticket:
    """Moves the adviser's own ticket from the expected stage to the next, stamping when."""
    ticket = _own_ticket(ticket, adviser, [expected])
    ticket.status = status
    setattr(ticket, stamp, now or timezone.now())
    ticket.save(update_fields=["status", stamp])
    return ticket


@transaction.atomic
def ticket_walked_away(*, ticket: Ticket, adviser, now: datetime | None = None) -> Ticket:
    """The person called did not come: the ticket ends as walked away."""
    called, gone = TicketStatus.CALLED, TicketStatus.WALKED_AWAY
    return _advance(ticket, adviser, expected=called, status=gone, stamp="ended_at", now=now)


@transaction.atomic
def ticket_start(*, ticket: Ticket, adviser, now: datetime | None = None) -> Ticket:
    """The person has come to the desk: the consultation begins."""
    called, serving = TicketStatus.CALLED, TicketStatus.SERVING
    return _advance(ticket, adviser, expected=called, status=serving, stamp="served_at", now=now)


@transaction.atomic
def ticket_end(*, ticket: Ticket, adviser, now: datetime | None = None) -> Ticket:
    """The consultation is over."""
    serving, done = TicketStatus.SERVING, TicketStatus.DONE
    return _advance(ticket, adviser, expected=serving, status=done, stamp="ended_at", now=now)


@transaction.atomic
def ticket_recorded(*, ticket: Ticket, adviser, started_at: datetime, now: datetime | None = None) -> Ticket:
    """The person's consultation is recorded (conseil): their ticket ends, begun at `started_at` first if
    the adviser had only called them."""
    if ticket.status == TicketStatus.CALLED:
        ticket = ticket_start(ticket=ticket, adviser=adviser, now=started_at)
    return ticket_end(ticket=ticket, adviser=adviser, now=now)


def closing_time() -> time:
    hours, minutes = settings.QUEUE_CLOSING_TIME.split(":")
    return time(int(hours), int(minutes))


@transaction.atomic
def queue_close(*, now: datetime | None = None) -> int:
    """Closes the queue: tickets still waiting or called from earlier days, or from today once the
    closing time (QUEUE_CLOSING_TIME) has passed, end as not served; consultations left open on an
    earlier day end as served, with no end time; advisers still on duty go off duty. Returns the number
    of tickets not served."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_day = today if timezone.localtime(now).time() >= closing_time() else today - timedelta(days=1)
    Duty.objects.filter(service_date__lte=last_day, ended_at__isnull=True).update(ended_at=now)
    open_tickets = Ticket.objects.filter(service_date__lte=last_day, status__in=OPEN_STATUSES)
    open_tickets.filter(service_date__lt=today, status=TicketStatus.SERVING).update(status=TicketStatus.DONE)
    return open_tickets.exclude(status=TicketStatus.SERVING).update(
        status=TicketStatus.NOT_SERVED, ended_at=now
    )


# --- who is on duty, and reception's hand on the queue -------------------------------------------


@transaction.atomic
def duty_start(*, adviser, desk: str = "", now: datetime | None = None) -> Duty:
    """The adviser is at `desk`, ready to call people (a second start only moves the desk)."""
    now = now or timezone.now()
    duty = Duty.objects.select_for_update().filter(adviser=adviser, ended_at__isnull=True).first()
    if duty is not None and duty.service_date == timezone.localdate(now):
        duty.desk = desk
        duty.save(update_fields=["desk"])
        return duty
    if duty is not None:  # left open on an earlier day
        duty.ended_at = now
        duty.save(update_fields=["ended_at"])
    return Duty.objects.create(
        adviser=adviser, service_date=timezone.localdate(now), desk=desk, started_at=now
    )


@transaction.atomic
def duty_ensure(*, adviser, desk: str = "", now: datetime | None = None) -> Duty:
    """The adviser's duty of today, started at `desk` if they were not on duty (calling someone puts an
    adviser on duty; a desk already set stays)."""
    now = now or timezone.now()
    duty = selectors.open_duty(adviser=adviser, day=timezone.localdate(now))
    return duty or duty_start(adviser=adviser, desk=desk, now=now)


@transaction.atomic
def duty_end(*, adviser, now: datetime | None = None) -> int:
    """The adviser goes off duty (no longer counted for waiting times). Returns 1, or 0 if not on duty."""
    return Duty.objects.filter(adviser=adviser, ended_at__isnull=True).update(ended_at=now or timezone.now())


def _waiting_ticket(ticket: Ticket) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != TicketStatus.WAITING:
        raise ValidationError(_("Ticket %(ticket)s is no longer waiting.") % {"ticket": ticket.label})
    return ticket


def _ticket_audit(ticket: Ticket, user, action: str, before: dict, now: datetime) -> Ticket:
    after = {name: getattr(ticket, name) for name in before}
    audit_record(actor=user, action=action, obj=ticket, changes=audit_changes(before, after), now=now)
    return ticket


@transaction.atomic
def ticket_transfer(
    *, ticket: Ticket, user, theme: str, partner: int | None = None, now: datetime | None = None
) -> Ticket:
    """Moves a waiting ticket to another theme and/or institution (None: any), keeping its number,
    letter and time of issue, hence its place in the queue; audited."""
    now = now or timezone.now()
    letters = {row.code: row.letter for row in reference_rows(Theme)}
    if theme not in letters:
        raise ValidationError(_("Unknown theme."))
    if partner is not None and not Partner.objects.filter(pk=partner, active=True, themes=theme).exists():
        raise ValidationError(_("That institution does not advise on that theme."))
    ticket = _waiting_ticket(ticket)
    if (ticket.theme_id, ticket.partner_id) == (theme, partner):
        raise ValidationError(
            _("Ticket %(ticket)s is already in that theme and institution.") % {"ticket": ticket.label}
        )
    before = {"theme_id": ticket.theme_id, "partner_id": ticket.partner_id}
    # The number printed keeps the letter of the theme it was issued for.
    ticket.letter = ticket.letter or letters.get(ticket.theme_id, "")
    ticket.theme_id, ticket.partner_id = theme, partner
    ticket.save(update_fields=["theme", "partner", "letter"])
    return _ticket_audit(ticket, user, "ticket.transfer", before, now)


@transaction.atomic
def ticket_prioritise(*, ticket: Ticket, user, reason: str, now: datetime | None = None) -> Ticket:
    """Gives a waiting ticket priority for a reason code (Priority; "" takes it back); audited. A priority
    ticket is called before the others its advisers can take, oldest first among priorities."""
    now = now or timezone.now()
    if reason not in Priority.values:
        raise ValidationError(_("Unknown reason for priority."))
    ticket = _waiting_ticket(ticket)
    before = {"priority": ticket.priority}
    ticket.priority = reason
    ticket.save(update_fields=["priority"])
    return _ticket_audit(ticket, user, "ticket.priority", before, now)


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, user, now: datetime | None = None) -> Ticket:
    """Takes a waiting ticket out of the queue after the desk's undo window (the visit stays: the
    person came); audited. Cancelled tickets count in no waiting, service or walk-away figure."""
    now = now or timezone.now()
    ticket = _waiting_ticket(ticket)
    before = {"status": ticket.status}
    ticket.status, ticket.ended_at = TicketStatus.CANCELLED, now
    ticket.save(update_fields=["status", "ended_at"])
    return _ticket_audit(ticket, user, "ticket.cancel", before, now)


# --- the self-service kiosk (docs/reception.md, "The self-service kiosk") -----------------------------------

KIOSK_USERNAME = "kiosk"


def kiosk_user():
    """The system account that records the kiosk's visits (they need an author): created on first use,
    with an unusable password, no group and `is_active=False`, so nobody can ever sign in with it."""
    user = User.objects.filter(username__iexact=KIOSK_USERNAME).first()
    if user is None:
        user, _created = User.objects.get_or_create(
            username=KIOSK_USERNAME,
            defaults={"is_active": False, "password": make_password(None), "first_name": "Kiosk"},
        )
    return user


def kiosk_throttled(*, address: str | None, now: datetime | None = None) -> bool:
    """Counts one ticket asked for at the kiosk at `address`; True when that address already asked for
    RECEPTION_KIOSK_TICKETS_PER_MINUTE in this minute (counted in the cache, per server process with the
    default local-memory cache)."""
    now = now or timezone.now()
    key = f"accueil:kiosk:{address or '-'}:{now.replace(second=0, microsecond=0).isoformat()}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between the two calls: this is the first
        cache.set(key, 1, timeout=120)
        used = 1
    return used > settings.RECEPTION_KIOSK_TICKETS_PER_MINUTE
