"""The dates and times the product accepts, in one place.

Two layers, so that no page can ever meet a date it cannot show or compute with:

- **The database** refuses, on every date and time column people fill in (the time of a contact, an
  activity's start and end), anything outside 1 January 2000 – 31 December 2100: the years the figures
  know (`stats.periods.YEARS`). A CHECK constraint per column, named `<table>_<column>_range`.
- **The forms** are stricter, by what the date means (docs/security.md, "Dates and limits"):

  ============================ ====================================================================
  the time of a contact         from 1 January of the year before the opening, never in the future
                                (new entries: within CAPTURE_MAX_AGE_DAYS; corrections: any day since)
  an activity's date            from 1 January of the year before the opening to 31 December of next
                                year (a weekly series included: its last session too)
  a filter's day (lists,        any day from 1 January 2000 to 31 December 2100
  exports, figures)
  ============================ ====================================================================

A date outside its range gets the message "Give a date between … and …" in the page's language.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

OPENING_DAY = date(2018, 3, 5)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of a local day and of the next (23 or 25 hours apart on DST changes)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


# A span of local days, the first and the last included: a period of the figures, or the days it is
# compared with. The figures' selectors count several spans in one statement (stats.selectors.reports).
Span = tuple[date, date]


def span_instants(spans: Sequence[Span]) -> list[tuple[datetime, datetime]]:
    """Each span as instants: the first of its first day, and the first after its last day."""
    return [(day_bounds(first)[0], day_bounds(last)[1]) for first, last in spans]


def in_ranges(field: str, ranges: Sequence[tuple[datetime, datetime]]) -> Q:
    """The rows whose `field` falls in any of `ranges` (each from its first instant, included, to its
    last, excluded): one range condition per range, which an index on the field serves range by range."""
    found = Q(pk__in=[])
    for since, until in ranges:
        found |= Q(**{f"{field}__gte": since, f"{field}__lt": until})
    return found


def in_spans(field: str, spans: Sequence[Span]) -> Q:
    """The rows whose `field` (an instant) falls on a day of any of `spans`."""
    return in_ranges(field, span_instants(spans))


# The database's bounds, the same for every table: 2000-01-01 to 2100-12-31 (as UTC instants).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
_FLOOR = datetime(FIRST_DAY.year, 1, 1, tzinfo=UTC)
_CEILING = datetime(LAST_DAY.year + 1, 1, 1, tzinfo=UTC)


def earliest_day() -> date:
    """The first day a contact or an activity may be dated: 1 January of the year before the opening."""
    return date(OPENING_DAY.year - 1, 1, 1)


def contact_days(today: date | None = None) -> tuple[date, date]:
    """The days a contact's time may be given: from `earliest_day()` to 31 December of next year; a time
    in the future is then refused by the capture's own rule, with its own message."""
    return earliest_day(), date((today or timezone.localdate()).year + 1, 12, 31)


def activity_days(today: date | None = None) -> tuple[date, date]:
    """The days an activity may take place: from `earliest_day()` to 31 December of next year."""
    return contact_days(today)


def filter_days() -> tuple[date, date]:
    """The days a list, an export or the figures may be asked for."""
    return FIRST_DAY, LAST_DAY


def in_range(field: str) -> Q:
    """The database's condition on a date or time column (NULL passes: optional columns stay optional)."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": _FLOOR, f"{field}__lt": _CEILING})


def check_day(day: date, bounds: tuple[date, date]) -> None:
    """Raises the form's message if `day` is outside `bounds` (both included)."""
    first, last = bounds
    if not first <= day <= last:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="date_range",
            params={
                "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
            },
        )


def _local_day(value: date | datetime) -> date:
    """The day of a date, or of a time as Brussels reads it (an out-of-range time cannot overflow)."""
    if not isinstance(value, datetime):
        return value
    if timezone.is_naive(value) or not FIRST_DAY <= value.date() <= LAST_DAY:
        return value.date()
    return timezone.localtime(value).date()


class _Bounded:
    """A form field whose value must fall within `bounds(today)`; the browser's picker gets min and max.

    The bounds are worked out for each form (a field is copied into every form), so a long-running
    server never offers yesterday's range.
    """

    def __init__(self, *args, bounds=filter_days, **kwargs):
        self.bounds = bounds
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        first, last = self.bounds()
        fmt = "%Y-%m-%dT%H:%M" if isinstance(copy, forms.DateTimeField) else "%Y-%m-%d"
        copy.widget.attrs.update(
            min=datetime.combine(first, time.min).strftime(fmt),
            max=datetime.combine(last, time(23, 59)).strftime(fmt),
        )
        return copy

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values:
            check_day(_local_day(value), self.bounds())


class BoundedDateField(_Bounded, forms.DateField):
    """A DateField within a range of days (`filter_days` unless told)."""


class BoundedDateTimeField(_Bounded, forms.DateTimeField):
    """A DateTimeField whose day falls within a range of days (`filter_days` unless told)."""
