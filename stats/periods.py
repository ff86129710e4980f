"""The periods the figures are published for: a calendar year, a quarter, a month, the first year from
the opening, or any range of days. Dates are local to Brussels; every bound is a local midnight."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

OPENING_DAY = date(2018, 3, 5)


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
        start = formats.date_format(self.start, "DATE_FORMAT")
        end = formats.date_format(self.end, "DATE_FORMAT")
        if self.kind == "first_year":
            return _("First year (%(start)s – %(end)s)") % {"start": start, "end": end}
        return _("%(start)s – %(end)s") % {"start": start, "end": end}


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


def parse(slug: str) -> Period:
    """The period of a slug (see Period.slug); ValueError for anything else."""
    for pattern, build in _PATTERNS:
        found = pattern.match(slug.strip())
        if found:
            return build(found)
    raise ValueError(f"not a period: {slug!r}")
