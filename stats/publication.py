"""Which outputs are publications, and how a year's publications are protected together.

**Publications** are the printable report, its PDF, the workbook (XLSX) and the CSV of a *closed calendar
year*, for the whole centre and for each partner institution: what the director sends to the printer,
the ministers and the network, and what an institution's lead may pass on. **Internal working views** are
everything else: the dashboard of any period, the JSON export, and the printable report and files of any
other period (a quarter, a month, a range of days, the first year, the year still running). They show
exact counts to signed-in staff and say on screen and in every file that they are not for publication.

Why closed calendar years only (the threat model, in docs/figures.md and on every report). A reader who
holds every publication must not be able to work out a count from 1 to 4:
- two publications of overlapping periods can be subtracted (1 January – 5 December minus 1 January –
  4 December is one day), so the periods published must never overlap: years do not, and the centre and
  the network of the Cités des métiers report by calendar year;
- a year still running changes every day (the same subtraction), so only a year that has ended is
  published;
- publishing quarters or months as well as the year would make the year the sum of its parts (linked
  tables across time); the monthly rhythm stays a table of the year's report (visits by month).
Within a year, every table, key figure and institution's report is one system of linked counts (the
centre's advice by theme is the sum of each institution's; an age group is the sum of its bands; a key
figure is a table's total), protected at once by stats.suppression. The comparison column of a report is
the previous year's own publication, the same marks included, so that a year published twice shows the
same cells hidden.

Shares, means and times are published only where they cannot reveal a small count: a share when neither
its part nor the rest is from 1 to 4, a mean or a median over 5 or more.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from stats import periods, selectors, services
from stats.models import ProtectedYear
from stats.periods import OPENING_DAY, Comparison
from stats.suppression import HEADLINE, MARGIN, SMALL, THRESHOLD, WITHHELD, Key, System, protect

CENTRE = "centre"

# The tables of a report as counts of the system: (family, grouping) of a two-way family (by scope),
# or the key of a table of the centre alone.
TWO_WAY = {
    "advice_theme": ("advice", "theme"),
    "advice_language": ("advice", "language"),
    "advice_mode": ("advice", "mode"),
    "advice_gender": ("advice", "gender"),
    "advice_age": ("advice", "age_group"),
    "advice_age_band": ("advice", "age_band"),
    "activities_theme": ("activities", "theme"),
    "activities_kind": ("activities", "kind"),
    "participants_theme": ("participants", "theme"),
    "queue_theme": ("tickets", "theme"),
    "queue_language": ("tickets", "language"),
    "queue_hour": ("tickets", "hour"),
    "queue_weekday": ("tickets", "weekday"),
}
# Tables where an item counts several times (a session with two topics): their total counts mentions.
MENTIONS = {
    "advice_topic": ("topics", "advice"),
    "activities_language": ("act_language", "activities"),
    "activities_audience": ("act_audience", "activities"),
}
ONE_WAY = {
    "contacts_month": ("visits", "month"),
    "contacts_weekday": ("visits", "weekday"),
    "contacts_hour": ("visits", "hour"),
    "contacts_theme": ("visits", "theme"),
    "help_topic": ("helps", "topic"),
    "questionnaire_status": ("q_status", "status"),
    "questionnaire_heard_of": ("q_heard_of", "heard_of"),
}
# The headline figures that are counts of the system (definitions.KEY_FIGURES; by scope where it matters).
KEY_FIGURES = {
    "contacts.total": lambda scope: ("contacts",),
    "contacts.services_total": lambda scope: ("services", "*"),
    "advice.sessions": lambda scope: ("advice", scope, "*"),
    "activities.count": lambda scope: ("activities", scope, "*"),
    "activities.participants": lambda scope: ("participants", scope, "*"),
    "multimedia.entries": lambda scope: ("entries",),
    "online.emails_answered": lambda scope: ("remote", "email"),
}
SERVICES = {
    "advice": ("advice", CENTRE, "*"),
    "multimedia_documentation": ("services", "multimedia_documentation"),
    "activity_participants": ("participants", CENTRE, "*"),
    "outreach": ("services", "outreach"),
    "remote": ("services", "remote"),
}


def publishable(comparison: Comparison) -> bool:
    """Whether the outputs of this period are publications: a calendar year that has ended."""
    return comparison.asked.kind == "year" and not comparison.running


@dataclass
class Publication:
    """A year's publications protected together: the marks of the hidden counts."""

    year: int
    system: System
    marks: dict[Key, str]
    renewed: bool = False  # worked out now, not read from the kept marks

    def shown(self, key: Key, value):
        """What the publication shows for a count: its mark when hidden, else the count (a count the
        system does not hold is a zero nobody counted)."""
        return self.marks.get(key, value)

    def table_keys(self, table: str, scope: str) -> tuple | None:
        """(key of a row's code, key of the total) of a table for a scope; None for a table that is not
        counts of people (the team)."""
        if table in TWO_WAY:
            family, grouping = TWO_WAY[table]
            return (lambda code: (family, scope, grouping, code)), (family, scope, "*")
        if table in MENTIONS:
            family, _base = MENTIONS[table]
            return (lambda code: (family, scope, code)), (family, scope, "*")
        if table in ONE_WAY:
            family, grouping = ONE_WAY[table]
            return (lambda code: (family, grouping, code)), (family, "*")
        if table in ("advice_partner", "activities_partner"):
            family = table.split("_")[0]
            return (lambda code: (family, code, "*")), (family, CENTRE, "*")
        if table == "services":
            return SERVICES.__getitem__, ("services", "*")
        return None

    def marked_codes(self, table: str, scope: str) -> set[str]:
        """The codes of a table whose count is hidden for a scope: the table must show their rows, even a
        zero's (a row left out reads as a count of nothing, which would undo the protection)."""
        keys = self.table_keys(table, scope)
        if keys is None:
            return set()
        cell, _total = keys
        if table in TWO_WAY or table in ONE_WAY or table in MENTIONS:
            probe = cell("")
            prefix = probe[:-1]
            return {key[-1] for key in self.marks if key[:-1] == prefix and key[-1] != "*"}
        return set()

    def withheld(self, total: Key) -> bool:
        """Whether the parts of a total are not broken down (the total is below the threshold)."""
        return self.marks.get(total) in (SMALL, WITHHELD)


def for_year(year: int, *, centre: dict | None = None) -> Publication | None:
    """The publications of a calendar year protected together; None before the opening. `centre`: the
    centre's figures of the year when the caller has them already. The marks are worked out once for the
    same counts (stats.models.ProtectedYear), since that takes seconds."""
    if year < OPENING_DAY.year:
        return None
    period = periods.year(year)
    system = build(centre or selectors.report(period), selectors.report_by_partner(period))
    digest = fingerprint(system)
    kept = ProtectedYear.objects.filter(year=year, fingerprint=digest).first()
    if kept is not None:
        return Publication(year, system, {tuple(key): mark for key, mark in kept.marks})
    marks = protect(system, salt=str(year))
    services.protection_keep(year=year, fingerprint=digest, marks=marks)
    return Publication(year, system, marks, renewed=True)


# Changed whenever the protection would mark the same counts differently.
METHOD_VERSION = "2"


def fingerprint(system: System) -> str:
    """A digest of every count, relation and unpublished count of a system, and of the method."""
    digest = hashlib.sha256(METHOD_VERSION.encode())
    for part in (
        sorted(system.values.items()),
        sorted(system.lines),
        sorted(system.bounds),
        sorted(system.unpublished),
    ):
        digest.update(repr(part).encode())
    return digest.hexdigest()


def build(centre: dict, partners: dict[str, dict]) -> System:
    """The system of every count the year's publications show, and how they add up."""
    system = System()
    advice = {scope: figures["advice"] for scope, figures in partners.items()}
    activities = {scope: figures["activities"] for scope, figures in partners.items()}
    queues = {scope: figures["advice"]["queue"] for scope, figures in partners.items()}
    bands = {group: codes for group, codes in selectors.AGE_GROUPS.items()} | {"unknown": ("",)}

    _two_way(
        system,
        "advice",
        {scope: figures["sessions"] for scope, figures in advice.items()},
        {
            grouping: {scope: figures[f"by_{grouping}"] for scope, figures in advice.items()}
            for grouping in ("theme", "language", "mode", "gender", "age_band", "age_group")
        },
    )
    for scope in [*advice, CENTRE]:  # an age group is the sum of its bands
        for group, codes in bands.items():
            band_keys = [
                key for key in (("advice", scope, "age_band", code) for code in codes) if key in system.values
            ]
            group_key = ("advice", scope, "age_group", group)
            if group_key in system.values:
                system.line(group_key, band_keys)
    _mentions(system, "topics", "advice", {scope: figures["by_topic"] for scope, figures in advice.items()})

    _two_way(
        system,
        "activities",
        {scope: figures["count"] for scope, figures in activities.items()},
        {
            grouping: {scope: figures[f"by_{grouping}"] for scope, figures in activities.items()}
            for grouping in ("theme", "kind")
        },
    )
    _two_way(
        system,
        "participants",
        {scope: figures["participants"] for scope, figures in activities.items()},
        {"theme": {scope: figures["participants_by_theme"] for scope, figures in activities.items()}},
    )
    for family, grouping in (("act_language", "language"), ("act_audience", "audience")):
        _mentions(
            system, family, "activities", {scope: f[f"by_{grouping}"] for scope, f in activities.items()}
        )

    unpublished = {"None"}  # the tickets of no institution: in the centre's figures, in no report
    for family, value in (("tickets", "tickets"), ("walkaways", "walked_away")):
        _two_way(
            system,
            family,
            {scope: figures[value] for scope, figures in queues.items()},
            {
                grouping: {
                    scope: {code: row[value] for code, row in figures[f"by_{grouping}"].items()}
                    for scope, figures in queues.items()
                }
                for grouping in selectors.QUEUE_GROUPINGS
            },
            unpublished=unpublished,
        )
    for key in list(system.values):
        if key[0] == "walkaways":
            system.bound(key, ("tickets", *key[1:]))

    _centre_only(system, centre)
    return system


def _two_way(
    system: System,
    family: str,
    totals: dict[str, int],
    groupings: dict[str, dict[str, dict[str, int]]],
    *,
    unpublished: set[str] = frozenset(),
) -> None:
    """A count of every scope (institution) by each grouping, and the centre's as their sum: the cells,
    each scope's total (shared by its groupings), the centre's column of each code and its total."""
    centre_total = system.count((family, CENTRE, "*"), sum(totals.values()), cost=HEADLINE)
    scope_totals = [
        system.count((family, scope, "*"), value, cost=MARGIN, published=scope not in unpublished)
        for scope, value in totals.items()
    ]
    system.line(centre_total, scope_totals)
    for grouping, by_scope in groupings.items():
        codes = sorted({code for values in by_scope.values() for code in values})
        for scope in totals:
            values = by_scope.get(scope, {})
            keys = [
                system.count(
                    (family, scope, grouping, code), values.get(code, 0), published=scope not in unpublished
                )
                for code in codes
            ]
            system.line((family, scope, "*"), keys)
        column = []
        for code in codes:
            key = system.count(
                (family, CENTRE, grouping, code),
                sum(by_scope.get(scope, {}).get(code, 0) for scope in totals),
                cost=MARGIN,
            )
            system.line(key, [(family, scope, grouping, code) for scope in totals])
            column.append(key)
        system.line(centre_total, column)


def _mentions(system: System, family: str, base: str, by_scope: dict[str, dict[str, int]]) -> None:
    """A table where an item may count under several codes: each scope's mentions and their sum, the
    centre's as their sum; a code counts at most the items of its scope."""
    codes = sorted({code for values in by_scope.values() for code in values})
    centre_keys = []
    for code in codes:
        centre_keys.append(
            system.count(
                (family, CENTRE, code), sum(values.get(code, 0) for values in by_scope.values()), cost=MARGIN
            )
        )
    centre_total = system.count(
        (family, CENTRE, "*"), sum(map(sum, map(dict.values, by_scope.values()))), cost=MARGIN
    )
    system.line(centre_total, centre_keys)
    scope_totals = []
    for scope, values in by_scope.items():
        keys = [system.count((family, scope, code), values.get(code, 0)) for code in codes]
        scope_totals.append(system.count((family, scope, "*"), sum(values.values()), cost=MARGIN))
        system.line(scope_totals[-1], keys)
        for key in keys:
            system.bound(key, (base, scope, "*"))
    system.line(centre_total, scope_totals)
    for code, key in zip(codes, centre_keys, strict=True):
        system.line(key, [(family, scope, code) for scope in by_scope])
        system.bound(key, (base, CENTRE, "*"))


def _one_way(
    system: System, family: str, groupings: dict[str, dict[str, int]], *, cost: float = MARGIN
) -> Key:
    """Counts of the centre by one or several groupings sharing their total."""
    values = next(iter(groupings.values()))
    total = system.count((family, "*"), sum(values.values()), cost=cost)
    for grouping, by_code in groupings.items():
        system.line(total, [system.count((family, grouping, code), value) for code, value in by_code.items()])
    return total


def _centre_only(system: System, figures: dict) -> None:
    """The counts only the centre's report shows: visits, services, digital help, questionnaires."""
    contacts = figures["contacts"]
    visits = _one_way(
        system,
        "visits",
        {grouping: contacts[f"by_{grouping}"] for grouping in ("month", "weekday", "hour", "theme")},
        cost=HEADLINE,
    )
    direct = system.count(("direct",), contacts["direct_participants"], published=False)
    system.count(("contacts",), contacts["total"], cost=HEADLINE)
    system.line(("contacts",), [visits, direct])

    by_mode = contacts["services_by_mode"]
    entries = system.count(("entries",), figures["multimedia"]["entries"], cost=HEADLINE)
    documentary = system.count(
        ("documentary",),
        by_mode["multimedia_documentation"] - figures["multimedia"]["entries"],
        published=False,
    )
    system.count(SERVICES["multimedia_documentation"], by_mode["multimedia_documentation"], cost=MARGIN)
    system.line(SERVICES["multimedia_documentation"], [entries, documentary])
    channels = {"email": 0} | contacts["remote_by_channel"]
    remote = [
        system.count(("remote", channel), value, cost=HEADLINE, published=channel == "email")
        for channel, value in channels.items()
    ]
    system.count(SERVICES["remote"], by_mode["remote"], cost=MARGIN)
    system.line(SERVICES["remote"], remote)
    system.count(SERVICES["outreach"], by_mode["outreach"], cost=MARGIN)
    system.count(("services", "*"), contacts["services_total"], cost=HEADLINE)
    system.line(("services", "*"), list(SERVICES.values()))

    _one_way(
        system,
        "helps",
        {"topic": {code: row["count"] for code, row in figures["multimedia"]["help_by_topic"].items()}},
    )
    profile = figures["questionnaires"]["profile"]
    for name in ("status", "heard_of"):
        _one_way(system, f"q_{name}", {name: profile.get(name, {})})


def small_counts_note() -> str:
    """What the marks of a publication mean, in the active language."""
    return _(
        "<5: a count from 1 to 4. x: a count of 5 or more, hidden so that no count below 5 can be worked "
        "out from the others. ·: not broken down (hidden with the counts around it, zeros included)."
    )


def share_shown(part: int, whole: int, value):
    """A share (percent) as a publication shows it: hidden ("x") when its part or the rest is from 1 to
    4, since the share and a published total would give them."""
    rest = whole - part
    if 0 < part < THRESHOLD or 0 < rest < THRESHOLD:
        return "x"
    return value


def statistic_shown(base: int, value):
    """A mean, a median or a percentile as a publication shows it: only over 5 or more ("x" below)."""
    return value if base >= THRESHOLD or value is None else "x"
