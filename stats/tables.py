"""The report's figures as tables people read: labels in the active language, this period next to the
same days a year earlier with the change, in a fixed order (never by size, which would tell something
about a hidden count), and, in a publication, each count as the year's protection shows it.

Each table is built once here and rendered by the dashboard, the printable report, the PDF, the workbook
(one sheet per table) and the CSV (stats.exports)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from activites.models import Kind
from citedesmetiers.models import AgeBand, Audience, Gender, Language, Partner, Status, Theme
from citedesmetiers.selectors import reference_rows
from conseil.models import HeardOf, Mode, Topic
from ressources.models import HelpTopic
from stats import definitions
from stats.periods import OPENING_DAY, Comparison
from stats.publication import KEY_FIGURES, Publication, share_shown, statistic_shown
from stats.selectors import QUEUE_GROUPINGS, rounded
from stats.suppression import MARKS, WITHHELD

# Row labels the tables do not find in a reference table.
NONE_LABEL = gettext_lazy("Not recorded")
AGE_GROUP_LABELS = {
    "under-25": gettext_lazy("Under 25"),
    "25-49": gettext_lazy("25 to 49"),
    "50-plus": gettext_lazy("50 and over"),
    "unknown": gettext_lazy("Not recorded"),
}
MODE_OF_SERVICE = {
    "advice": gettext_lazy("Individual advice"),
    "multimedia_documentation": gettext_lazy("Multimedia and documentation"),
    "activity_participants": gettext_lazy("Activity participants"),
    "outreach": gettext_lazy("Outreach (fairs, events, Formtruck)"),
    "remote": gettext_lazy("E-mail, phone and other remote contacts"),
}
TEAM_LABELS = {
    "back_office": gettext_lazy("Back office"),
    "advisers": gettext_lazy("Advisers"),
    "reception_and_stewards": gettext_lazy("Reception agents and digital stewards"),
}
# Tables where one item counts under several rows: said under the table, and the total is not a number
# of sessions or activities.
MENTIONS_NOTES = {
    "advice_topic": gettext_lazy(
        "A session may touch several topics and counts under each: the total counts topics, not sessions."
    ),
    "activities_language": gettext_lazy(
        "An activity held in several languages counts under each: the total is not a number of activities."
    ),
    "activities_audience": gettext_lazy(
        "An activity meant for several audiences counts under each: the total is not a number of activities."
    ),
}


def change_unit(share: bool) -> str:
    """The unit of a change: percent of a count, percentage points of a share (pp, pt, ppt)."""
    return pgettext("percentage points, abbreviated", "pp") if share else "%"


def change(current, previous, *, share: bool = False) -> float | None:
    """The change from a year earlier: in percent of the earlier count, or for a share in percentage
    points; one decimal, half up; None when either is not a number (hidden, not known) or from zero."""
    if not isinstance(current, int | float) or not isinstance(previous, int | float):
        return None
    if share:
        return rounded(Decimal(str(current)) - Decimal(str(previous)), 1)
    if not previous:
        return None
    return rounded((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous), 1)


@dataclass
class Row:
    """One line of a table: its code and label, the value this period and a year earlier (a count, a
    mark such as "<5", or None: not known), and its unit ("%" for a share)."""

    code: str
    label: str
    value: object
    previous: object = None
    unit: str = ""
    definition: str = ""
    # The men's share beside the women's (this period, a year earlier): one headline figure.
    extra: tuple = (None, None)

    @property
    def share(self) -> bool:
        return self.unit == "%"

    @property
    def change(self) -> float | None:
        return change(self.value, self.previous, share=self.share)


@dataclass
class Table:
    """A table of counts by category, this period next to a year earlier: its rows, its total (None for a
    table without one), `protected` when it is a publication's (values may be marks)."""

    key: str
    title: str
    definition: str = ""
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    protected: bool = False
    headings: tuple[str, str] = ("", "")
    note: str = ""

    @property
    def columns(self) -> tuple[str, str, str, str]:
        return (_("Item"), *self.headings, pgettext("difference from a year earlier", "Change"))


@dataclass
class GridTable:
    """A table of several figures per row, for this period only (the queue by theme, hour...)."""

    key: str
    title: str
    definition: str
    columns: list[str]
    units: list[str]
    rows: list[list]
    protected: bool = False
    note: str = ""
    codes: list[str | None] = field(default_factory=list)  # each row's code (None: the total)

    @property
    def body(self) -> list[tuple[str, list[tuple[object, str]]]]:
        """Each row as (label, [(value, unit), ...]), for the templates."""
        return [(row[0], list(zip(row[1:], self.units[1:], strict=True))) for row in self.rows]


# --- labels and order ---------------------------------------------------------------------------------

Names = tuple[Callable[[str], str], list[str]]


def _named(names: dict[str, str]) -> Names:
    return (lambda code: names.get(code, str(NONE_LABEL) if code in ("", "None") else code)), list(names)


def _reference(model, key: str = "code") -> Names:
    """Every row of a reference table, retired ones included, by code (kept a minute: reference_rows)."""
    return _named({str(getattr(row, key)): str(row) for row in reference_rows(model, inactive=True)})


def _choices(choices) -> Names:
    return _named({str(value): str(label) for value, label in choices})


def month_label(key: str, within=None) -> str:
    """A month key (YYYY-MM) as people read it: "janvier 2025"; with the days counted when the period
    `within` holds only part of it: "décembre 2026 (1–4)"."""
    year, month = (int(part) for part in key.split("-"))
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    label = formats.date_format(first, "YEAR_MONTH_FORMAT")
    if within is not None and (within.start > first or within.end < last):
        start, end = max(first, within.start), min(last, within.end)
        days = f"{start.day}" if start == end else f"{start.day}–{end.day}"
        label = f"{label} ({days})"
    return label


LABELS: dict[str, Callable[[], Names]] = {
    "theme": lambda: _reference(Theme),
    # A visit without a theme is a question of general information, not a theme left out.
    "visit_theme": lambda: _named(
        {str(row.code): str(row) for row in reference_rows(Theme, inactive=True)}
        | {"": str(_("General information"))}
    ),
    "partner": lambda: _reference(Partner, "pk"),
    "language": lambda: _reference(Language),
    "gender": lambda: _reference(Gender),
    "age_band": lambda: _reference(AgeBand),
    "status": lambda: _reference(Status),
    "topic": lambda: _reference(Topic),
    "help_topic": lambda: _reference(HelpTopic),
    "kind": lambda: _choices(Kind.choices),
    "audience": lambda: _choices(Audience.choices),
    "mode": lambda: _choices(Mode.choices),
    "heard_of": lambda: _choices(HeardOf.choices),
    "age_group": lambda: _choices(AGE_GROUP_LABELS.items()),
    "service": lambda: _choices(MODE_OF_SERVICE.items()),
    "team": lambda: _choices(TEAM_LABELS.items()),
    "weekday": lambda: ((lambda code: str(WEEKDAYS[int(code) - 1])), [str(day) for day in range(1, 8)]),
    "hour": lambda: ((lambda code: f"{int(code):02d}:00"), [str(hour) for hour in range(24)]),
    "month": lambda: (month_label, []),
}


def _ordered(codes: set[str], order: list[str]) -> list[str]:
    """The codes in the reference order, unknown ones after in code order, "not recorded" last."""
    rank = {code: index for index, code in enumerate(order)}
    return sorted(codes, key=lambda code: (code in ("", "None"), rank.get(code, len(rank)), code))


def _get(figures: dict | None, path: str):
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


# --- the report's tables ------------------------------------------------------------------------------


@dataclass
class Side:
    """One column of the report: the figures of its days and, for a publication, its protection."""

    figures: dict | None
    publication: Publication | None = None

    def counts(
        self, table: str, scope: str, values: dict[str, int]
    ) -> tuple[Callable[[str], object], object]:
        """(the value shown for a code, the total shown) of a table of counts."""
        total = sum(values.values())
        keys = self.publication.table_keys(table, scope) if self.publication else None
        if keys is None:
            return (lambda code: values.get(code, 0)), total
        cell, total_key = keys
        withheld = self.publication.withheld(total_key)

        def shown(code: str):
            key = cell(code)
            if key not in self.publication.system.values and withheld:
                return WITHHELD
            return self.publication.shown(key, values.get(code, 0))

        return shown, self.publication.shown(total_key, total)


@dataclass
class Report:
    """What the tables are made of: the comparison, both sides and the scope ("centre" or a partner id)."""

    comparison: Comparison
    current: Side
    previous: Side
    scope: str = "centre"
    names: dict[str, Names] = field(default_factory=dict)

    @property
    def protected(self) -> bool:
        return self.current.publication is not None

    def name(self, kind: str) -> Names:
        """The labels and order of a kind of code, read once for the whole report."""
        if kind not in self.names:
            self.names[kind] = LABELS[kind]()
        return self.names[kind]

    @property
    def headings(self) -> tuple[str, str]:
        return self.comparison.heading, self.comparison.previous_heading

    def counts_table(
        self,
        key: str,
        title,
        path: str | Callable[[dict], dict],
        kind: str,
        *,
        definition: str = "",
        earlier: Callable[[str], str | None] | None = None,
        with_total: bool = True,
    ) -> Table:
        """A table of counts by category with its total, this period and the same days a year earlier
        (`earlier`: the code of the same row a year earlier, None for a row before the opening)."""
        read = path if callable(path) else (lambda figures: _get(figures, path))
        now_values = read(self.current.figures or {}) or {}
        before_values = read(self.previous.figures or {}) or {}
        earlier = earlier or (lambda code: code)
        name, order = self.name(kind)
        # A month a year earlier is another code: the rows are this period's months.
        codes = set(now_values) if kind == "month" else set(now_values) | set(before_values)
        # A hidden count's row is shown, even a zero's: a row left out would read as nothing.
        for side in (self.current, self.previous) if kind != "month" else (self.current,):
            if side.publication is not None:
                codes |= side.publication.marked_codes(key, self.scope)
        shown_now, total_now = self.current.counts(key, self.scope, now_values)
        shown_before, total_before = self.previous.counts(key, self.scope, before_values)
        known = self.previous.figures is not None

        def before(code: str):
            code = earlier(code)
            return shown_before(code) if known and code is not None else None

        if kind == "month":
            name = partial(month_label, within=self.comparison.current)
        rows = [Row(code, name(code), shown_now(code), before(code)) for code in _ordered(codes, order)]
        total = None
        if with_total:
            total = Row("", str(_("Total")), total_now, total_before if known else None)
        return Table(
            key,
            str(title),
            definition,
            rows,
            total,
            protected=self.protected,
            headings=self.headings,
            note=str(MENTIONS_NOTES.get(key, "")),
        )


def _year_earlier(code: str) -> str | None:
    """The month a year before a month key, None before the centre opened."""
    year, month = (int(part) for part in code.split("-"))
    earlier = date(year - 1, month, 1)
    opening_month = OPENING_DAY.replace(day=1)
    return None if earlier < opening_month else f"{earlier:%Y-%m}"


def key_figures(report: Report) -> list[Row]:
    """The headline figures with their label, definition, value a year earlier and change."""
    rows = []
    scope = report.scope
    for key in definitions.KEY_FIGURES:
        section = key.split(".")[0]
        if section not in (report.current.figures or {}):
            continue
        unit = "%" if key.endswith("_pct") else ""
        value = _shown_figure(report.current, key, scope)
        previous = _shown_figure(report.previous, key, scope) if report.previous.figures is not None else None
        row = Row(key, definitions.label(key), value, previous, unit, definitions.definition(key))
        if key == "gender.women_pct":
            row.extra = tuple(_complement(shown) for shown in (value, previous))
        rows.append(row)
    return rows


def _complement(share):
    """The men's share from the women's (they add up to 100.0), hidden or unknown alike."""
    if not isinstance(share, int | float):
        return share
    return rounded(100 - Decimal(str(share)), 1)


def _shown_figure(side: Side, key: str, scope: str):
    """A headline figure as this side shows it: a count through the protection, a share or a mean only
    where it cannot give a small count away."""
    figures = side.figures or {}
    value = _get(figures, key)
    publication = side.publication
    if publication is None:
        return value
    if key in KEY_FIGURES and isinstance(value, int):
        return publication.shown(KEY_FIGURES[key](scope), value)
    if key == "gender.women_pct" or key == "gender.men_pct":
        women, men = figures["gender"]["women"], figures["gender"]["men"]
        cells = [publication.shown(("advice", scope, "gender", code), 0) for code in ("woman", "man")]
        if any(cell in MARKS for cell in cells):
            return "x"
        return share_shown(women, women + men, value)
    if key == "questionnaires.satisfied_pct":
        satisfaction = figures["questionnaires"]["satisfaction"]
        satisfied = satisfaction.get("3", 0) + satisfaction.get("4", 0)
        return share_shown(satisfied, sum(satisfaction.values()), value)
    if key == "advice.minutes_mean":
        return statistic_shown(figures["advice"]["sessions"], value)
    return value


def report_tables(report: Report) -> list[Table]:
    """Every table of the report, in the order of the printed report, in the active language."""
    current = report.current.figures
    tables: list[Table] = []

    def add(key, path, title, kind, definition_key="", **options):
        definition = definitions.definition(definition_key) if definition_key else ""
        tables.append(report.counts_table(key, title, path, kind, definition=definition, **options))

    if "contacts" in current:
        add(
            "services",
            "contacts.services_by_mode",
            _("Services delivered, by mode"),
            "service",
            "contacts.services_total",
        )
        add(
            "contacts_month",
            "contacts.by_month",
            _("Visits by month"),
            "month",
            "contacts.on_site_visits",
            earlier=_year_earlier,
        )
        add("contacts_weekday", "contacts.by_weekday", _("Visits by weekday"), "weekday")
        add("contacts_hour", "contacts.by_hour", _("Visits by hour"), "hour")
        add("contacts_theme", "contacts.by_theme", _("Visits by theme"), "visit_theme")
    add("advice_theme", "advice.by_theme", _("Advice sessions by theme"), "theme", "advice.sessions")
    add("advice_topic", "advice.by_topic", _("Advice sessions by topic"), "topic")
    if report.scope == "centre":
        add("advice_partner", "advice.by_partner", _("Advice sessions by institution"), "partner")
    add("advice_language", "advice.by_language", _("Advice sessions by language"), "language")
    add("advice_mode", "advice.by_mode", _("Advice sessions by mode"), "mode")
    add("advice_gender", "advice.by_gender", _("Advice sessions by gender"), "gender", "gender.women_pct")
    add("advice_age", "advice.by_age_group", _("Advice sessions by age"), "age_group", "advice.by_age_group")
    add("advice_age_band", "advice.by_age_band", _("Advice sessions by age band"), "age_band")
    add("activities_theme", "activities.by_theme", _("Activities by theme"), "theme", "activities.count")
    add(
        "participants_theme",
        "activities.participants_by_theme",
        _("Participants by theme"),
        "theme",
        "activities.participants",
    )
    add("activities_kind", "activities.by_kind", _("Activities by type"), "kind")
    if report.scope == "centre":
        add("activities_partner", "activities.by_partner", _("Activities by organiser"), "partner")
    add("activities_language", "activities.by_language", _("Activities by language"), "language")
    add("activities_audience", "activities.by_audience", _("Activities by audience"), "audience")
    if "multimedia" in current:
        add(
            "help_topic",
            lambda figures: {
                code: row["count"] for code, row in (_get(figures, "multimedia.help_by_topic") or {}).items()
            },
            _("Digital help by topic"),
            "help_topic",
            "multimedia.help_by_topic",
        )
    if "questionnaires" in current:
        add(
            "questionnaire_status",
            "questionnaires.profile.status",
            _("Questionnaires: status"),
            "status",
            "questionnaires.profile",
        )
        add(
            "questionnaire_heard_of",
            "questionnaires.profile.heard_of",
            _("Questionnaires: how they heard of the centre"),
            "heard_of",
            "questionnaires.profile",
        )
    if "team" in current:
        add("team", "team", _("The team"), "team", "team")
    return tables


def queue_tables(report: Report) -> list[GridTable]:
    """The walk-in queue of this period by theme, language, hour and weekday: tickets, walk-aways,
    waiting (median, 90th percentile, share over 30 minutes) and service (median) times."""
    queue = _get(report.current.figures, "advice.queue")
    if not queue:
        return []
    titles = {
        "theme": _("The queue by theme"),
        "language": _("The queue by language"),
        "hour": _("The queue by hour of arrival"),
        "weekday": _("The queue by weekday"),
    }
    columns = [
        _("Item"),
        _("Tickets"),
        _("Walked away"),
        _("Median wait (min)"),
        _("90 % waited at most (min)"),
        _("Waited over 30 min"),
        _("Median consultation (min)"),
    ]
    units = ["", "", "", "min", "min", "%", "min"]
    publication, scope = report.current.publication, report.scope
    tables = []
    for grouping in QUEUE_GROUPINGS:
        name, order = report.name(grouping)
        values = queue[f"by_{grouping}"]
        shown = set(values)
        if publication is not None:  # a hidden count's row is shown, even a zero's
            shown |= {
                key[3]
                for key in publication.marks
                if key[0] in ("tickets", "walkaways") and key[1:3] == (scope, grouping)
            }
        rows, codes = [], [*_ordered(shown, order), None]
        for code in codes:
            row = queue if code is None else values.get(code) or NO_TICKETS
            label = str(_("Total")) if code is None else name(code)
            rows.append([label, *_queue_cells(row, publication, scope, grouping, code)])
        tables.append(
            GridTable(
                f"queue_{grouping}",
                str(titles[grouping]),
                definitions.definition("advice.queue"),
                [str(column) for column in columns],
                units,
                rows,
                protected=publication is not None,
                codes=codes,
            )
        )
    return tables


NO_TICKETS = {
    "tickets": 0,
    "walked_away": 0,
    "called": 0,
    "long_waits": 0,
    "service_count": 0,
    "waiting_median_minutes": None,
    "waiting_p90_minutes": None,
    "waiting_over_30_pct": None,
    "service_median_minutes": None,
}


def _queue_cells(row: dict, publication: Publication | None, scope: str, grouping: str, code) -> list:
    cells = [
        row["tickets"],
        row["walked_away"],
        row["waiting_median_minutes"],
        row["waiting_p90_minutes"],
        row["waiting_over_30_pct"],
        row["service_median_minutes"],
    ]
    if publication is None:
        return cells
    where = (scope, "*") if code is None else (scope, grouping, code)
    return [
        publication.shown(("tickets", *where), row["tickets"]),
        publication.shown(("walkaways", *where), row["walked_away"]),
        statistic_shown(row["called"], row["waiting_median_minutes"]),
        statistic_shown(row["called"], row["waiting_p90_minutes"]),
        share_shown(row["long_waits"], row["called"], row["waiting_over_30_pct"]),
        statistic_shown(row["service_count"], row["service_median_minutes"]),
    ]
