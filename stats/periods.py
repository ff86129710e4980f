"""The periods the figures are published for: a calendar year, a quarter, a month, the first year from
the opening, or any range of days. Dates are local to Brussels; every bound is a local midnight."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from citedesmetiers.dates import OPENING_DAY


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: date
    end: date
    kind: str = "range"  # year, quarter, month, first_year, range: how it is named

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("The end of a period is before its start.")

    @property
    def since(self) -> datetime:
        """The first instant of the period (local midnight of `start`, aware)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first instant after the period (local midnight after `end`, aware)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The same days one year earlier: what every figure is compared with."""
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind)

    @property
    def calendar(self) -> bool:
        """A calendar year, quarter or month: the periods a publication is made for (stats.publication)."""
        return self.kind in ("year", "quarter", "month")

    @property
    def days_label(self) -> str:
        """Its days as people read them: "1 January – 4 December 2026", "5 March 2018 – 4 March 2019",
        "3 May 2026" (one day)."""
        end = formats.date_format(self.end, "DATE_FORMAT")
        if self.start == self.end:
            return end
        start_format = "MONTH_DAY_FORMAT" if self.start.year == self.end.year else "DATE_FORMAT"
        return _("%(start)s – %(end)s") % {
            "start": formats.date_format(self.start, start_format),
            "end": end,
        }

    @property
    def slug(self) -> str:
        """A short name for files and addresses: 2018, 2018-Q2, 2018-05, first-year, 2018-03-05_2018-12-31."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "first_year":
            return "first-year"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period as people read it, in the active language."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("Quarter %(number)d of %(year)d") % {
                "number": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "month":
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == "first_year":
            return _("First year (%(days)s)") % {"days": self.days_label}
        return self.days_label


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def quarter(number: int, which: int) -> Period:
    first = date(number, 3 * (which - 1) + 1, 1)
    after = date(number + (which == 4), (3 * which) % 12 + 1, 1)
    return Period(first, after - timedelta(days=1), "quarter")


def month(number: int, which: int) -> Period:
    first = date(number, which, 1)
    after = date(number + (which == 12), which % 12 + 1, 1)
    return Period(first, after - timedelta(days=1), "month")


def first_year() -> Period:
    """The centre's first twelve months, from its opening day."""
    return Period(OPENING_DAY, _shift_year(OPENING_DAY, 1) - timedelta(days=1), "first_year")


_PATTERNS = [
    (re.compile(r"^(\d{4})$"), lambda m: year(int(m[1]))),
    (re.compile(r"^(\d{4})-Q([1-4])$"), lambda m: quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), lambda m: month(int(m[1]), int(m[2]))),
    (re.compile(r"^first-year$"), lambda m: first_year()),
    (
        re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$"),
        lambda m: Period(date.fromisoformat(m[1]), date.fromisoformat(m[2])),
    ),
]


# The years a period may fall in: from well before the opening to well after today (a year 1 or 9999
# would leave the calendar when compared with the year before or after).
YEARS = range(2000, 2101)


def parse(slug: str) -> Period:
    """The period of a slug (see Period.slug) within YEARS; ValueError for anything else."""
    for pattern, build in _PATTERNS:
        found = pattern.match(slug.strip())
        if found:
            period = build(found)
            if period.start.year not in YEARS or period.end.year not in YEARS:
                raise ValueError(f"not a period of {YEARS.start}–{YEARS.stop - 1}: {slug!r}")
            return period
    raise ValueError(f"not a period: {slug!r}")


@dataclass(frozen=True)
class Comparison:
    """What a period's figures count and what they are compared with: `asked` as chosen; `current` the
    days counted (up to yesterday while the period is still running: complete days only); `previous`
    the same days a year earlier, from the opening day on (None when all of them are before it)."""

    asked: Period
    current: Period
    previous: Period | None
    running: bool

    @property
    def previous_cut(self) -> bool:
        """Whether the opening day cuts the days a year earlier (2019 against 5 March – 31 December 2018)."""
        return self.previous is not None and self.previous.start != _shift_year(self.current.start, -1)

    @property
    def label(self) -> str:
        """The period's name, and its days when it is still running: "2026 (1 January – 4 December, in
        progress)"."""
        if not self.running:
            return self.asked.label
        return _("%(period)s (%(days)s, in progress)") % {
            "period": self.asked.label,
            "days": self.current.days_label,
        }

    @property
    def heading(self) -> str:
        """The column of this period in a table: its name, or its days while it is running."""
        return self.current.days_label if self.running else self.asked.label

    @property
    def previous_heading(self) -> str:
        """The column of the comparison: the same kind of name (2024, mars 2025), or its days."""
        if self.previous is None:
            return _("A year earlier")
        if self.asked.calendar and not self.running and not self.previous_cut:
            return Period(self.previous.start, self.previous.end, self.asked.kind).label
        return self.previous.days_label

    @property
    def description(self) -> str:
        """Which days are compared with which, in a sentence."""
        if self.previous is None:
            return _("%(days)s. No comparison: the centre opened on %(opening)s.") % {
                "days": self.current.days_label,
                "opening": formats.date_format(OPENING_DAY, "DATE_FORMAT"),
            }
        sentence = _("%(days)s, compared with the same days a year earlier (%(previous)s).") % {
            "days": self.current.days_label,
            "previous": self.previous.days_label,
        }
        if self.previous_cut:
            sentence += " " + _("A year earlier the centre was not open yet before %(opening)s.") % {
                "opening": formats.date_format(OPENING_DAY, "DATE_FORMAT")
            }
        if self.running:
            sentence += " " + _("The period is still running: its figures count the days up to yesterday.")
        return sentence


def started(period: Period, *, today: date | None = None) -> bool:
    """Whether the period has begun (its first day is today or earlier): a period still to come has no
    figures to show, only zeros."""
    return period.start <= (today or timezone.localdate())


def compare(period: Period, *, today: date | None = None) -> Comparison:
    """The days to count for `period` and the same days a year earlier (see Comparison)."""
    today = today or timezone.localdate()
    running = period.end >= today
    current = period
    if running:
        last = max(period.start, today - timedelta(days=1))
        current = Period(period.start, min(period.end, last), "range")
    before = current.previous()
    previous = None
    if before.end >= OPENING_DAY:
        previous = before if before.start >= OPENING_DAY else Period(OPENING_DAY, before.end, "range")
    return Comparison(period, current, previous, running)


def default(*, today: date | None = None) -> Period:
    """The period the dashboard opens on: this year to date, or last year on the first of January."""
    today = today or timezone.localdate()
    return year(today.year if today > date(today.year, 1, 1) else today.year - 1)
