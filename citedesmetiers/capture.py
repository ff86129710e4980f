"""Idempotent capture: one mechanism for every tap-to-count screen (reception desk, multimedia space).

A key is minted when the form is shown and sent back with the entry; a unique constraint on it makes a
double click, a retry, a reload or a resend from the browser's outbox (static/js/capture.js) record the
entry once. An entry carries the time it happened: now, or the moment of the tap for an entry kept in
the browser while the server was out of reach, or a date and time typed in for an entry keyed in later.
Its author may undo it for a few minutes; later, a coordinator corrects it (and the audit trail says so).
"""

import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citedesmetiers import dates

# How far ahead of the server's clock a device's clock may run before its times are refused.
CLOCK_TOLERANCE = timedelta(minutes=5)


class CapturedQuerySet(models.QuerySet):
    def active(self):
        """Entries that count: not undone or cancelled."""
        return self.filter(cancelled_at__isnull=True)


class CapturedEntry(models.Model):
    """The columns every captured entry shares; each app's model adds what it counts."""

    key = models.UUIDField(_("capture key"), editable=False)
    occurred_at = models.DateTimeField(_("time of the contact"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CapturedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            # The idempotency guarantee itself: one row per key, whatever the client sends twice.
            models.UniqueConstraint(fields=["key"], name="%(app_label)s_%(class)s_key_unique"),
            # A time no page could show or count with never gets in (citedesmetiers.dates).
            models.CheckConstraint(
                condition=dates.in_range("occurred_at"), name="%(app_label)s_%(class)s_occurred_at_range"
            ),
        ]

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


Entry = TypeVar("Entry", bound=CapturedEntry)


@dataclass(frozen=True)
class Captured(Generic[Entry]):
    entry: Entry
    created: bool


def new_key() -> uuid.UUID:
    """A key for a form about to be shown."""
    return uuid.uuid4()


def occurred_at_resolve(
    *, now: datetime, queued_at: datetime | None = None, keyed_at: datetime | None = None
) -> datetime:
    """When the entry happened: typed in (keyed later), the tap's time (kept offline), or now.

    Refuses a time in the future or older than CAPTURE_MAX_AGE_DAYS, with a message for the person.
    """
    occurred = keyed_at or queued_at or now
    if occurred > now + CLOCK_TOLERANCE:
        raise ValidationError(_("This date and time are in the future."), code="future")
    if occurred < now - timedelta(days=settings.CAPTURE_MAX_AGE_DAYS):
        raise ValidationError(
            _("Entries older than %(days)d days cannot be added here; ask a coordinator."),
            code="too_old",
            params={"days": settings.CAPTURE_MAX_AGE_DAYS},
        )
    return occurred


def capture(
    model: type[Entry],
    *,
    key: uuid.UUID,
    user,
    occurred_at: datetime,
    now: datetime,
    then: Callable[[Entry], None] | None = None,
    insert: Callable[[Entry], None] | None = None,
    **fields,
) -> Captured:
    """Records the entry once per key; a replay of the key returns the first entry, unchanged.

    `then(entry)` runs in the same transaction for a new entry only (a queue ticket, say); `insert(entry)`
    replaces the entry's INSERT with one statement of the caller's that writes it and what follows it (the
    desk's visit and its ticket), atomic by itself. A duplicate that loses the race on the unique key is
    turned into a read of the winner.
    """
    entry = model(key=key, recorded_by=user, occurred_at=occurred_at, recorded_at=now, **fields)
    # Codes are checked by the form and by the database's foreign keys, not one query each here.
    relations = [field.name for field in model._meta.fields if field.is_relation]
    entry.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    # Alone, the entry is one INSERT; with follow-up work, or inside a caller's transaction (where
    # a failed INSERT would abort it), a transaction or a savepoint holds them together.
    needs_transaction = then is not None or transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if needs_transaction else nullcontext():
            if insert is not None:
                insert(entry)
            else:
                entry.save(force_insert=True)
            if then is not None:
                then(entry)
    except IntegrityError:
        existing = model.objects.filter(key=key).first()
        if existing is None:
            raise
        return Captured(existing, created=False)
    return Captured(entry, created=True)


def insert_values(instance: models.Model, *, connection) -> tuple[list[str], list]:
    """The columns and database values an INSERT of `instance` would write (its primary key left to the
    database), for a statement that writes several rows at once (`capture(insert=...)`)."""
    fields = [field for field in instance._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(instance, add=True), connection) for field in fields]
    return [connection.ops.quote_name(field.column) for field in fields], values


def same_minute(recorded: datetime, given: datetime) -> bool:
    """Whether a time typed to the minute is the recorded time (forms do not carry seconds)."""
    return recorded.replace(second=0, microsecond=0) == given.replace(second=0, microsecond=0)


def undo_deadline(entry: CapturedEntry) -> datetime:
    return entry.recorded_at + timedelta(minutes=settings.CAPTURE_UNDO_MINUTES)


def undoable(entry: CapturedEntry, *, user, now: datetime) -> bool:
    """Whether this person may still undo this entry: their own, not cancelled, within the window."""
    return entry.recorded_by_id == user.pk and not entry.cancelled and now <= undo_deadline(entry)


def cancel(entry: Entry, *, user, now: datetime) -> Entry:
    """Marks the entry cancelled (it stops counting; the row and its key stay)."""
    entry.cancelled_at = now
    entry.cancelled_by = user
    entry.save(update_fields=["cancelled_at", "cancelled_by"])
    return entry


def reset_after_capture(field: forms.Field) -> forms.Field:
    """Marks a field that capture.js puts back to its default after each entry: it never sticks to the
    next one (a group's size, a person's details, a time keyed in later)."""
    field.widget.attrs["data-capture-reset"] = ""
    return field


class CaptureFields(forms.Form):
    """The hidden fields of a capture form, and the optional 'keyed in later' date and time."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    queued_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    keyed_date = reset_after_capture(
        dates.BoundedDateField(
            label=_("Date"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            bounds=dates.contact_days,
        )
    )
    keyed_time = reset_after_capture(
        forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    )

    def clean(self):
        cleaned = super().clean()
        date, time = cleaned.get("keyed_date"), cleaned.get("keyed_time")
        if bool(date) != bool(time):
            raise ValidationError(_("For an entry keyed in later, give both its date and its time."))
        cleaned["keyed_at"] = timezone.make_aware(datetime.combine(date, time)) if date and time else None
        return cleaned

    def occurred_at(self, *, now: datetime) -> datetime:
        """The time of the entry, checked; adds the error to the form and raises if it is refused."""
        try:
            return occurred_at_resolve(
                now=now, queued_at=self.cleaned_data.get("queued_at"), keyed_at=self.cleaned_data["keyed_at"]
            )
        except ValidationError as error:
            self.add_error("keyed_date" if self.cleaned_data["keyed_at"] else None, error)
            raise


def undo_answer(request, message: str, page: str):
    """The answer of a screen's undo: with htmx, its status line (the screen's counters and last entries
    follow the `capture:recorded` event); otherwise the message on the screen `page` (a URL name)."""
    if request.htmx:
        response = render(request, "components/capture_status.html", {"status_message": message})
        response["HX-Trigger"] = "capture:recorded"
        return response
    messages.info(request, message)
    return redirect(page)
