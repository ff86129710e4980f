"""The shape of a period's figures: what `stats.selectors.reports` returns for each period, the same
dictionary the dashboard, the publications, the workbook, the CSV and the JSON export read.

They are TypedDicts, not classes: the figures stay plain dictionaries of numbers, codes and lists, so
that the JSON export is exactly this shape (docs/figures.md, "The JSON export") and costs nothing to
build, while an editor and the type checker know every key the selectors write and the pages read.
The tables and charts reach a figure by a dotted path ("advice.queue", "contacts.by_hour"): `path_exists`
says whether a path names a figure, and a test walks every path the code names.

Codes are text: a theme's or a language's code, an institution's id, "" for none; months as
"YYYY-MM", weekdays 1 (Monday) to 7, hours 0 to 23. Percentages have one decimal; None where the
count they divide is zero. Definitions of each figure: stats/definitions.py.
"""

from typing import NotRequired, TypedDict, get_type_hints

Counts = dict[str, int]  # a count by code
Rate = float | None  # a percentage with one decimal, None when nothing is counted
Minutes = float | int | None  # a mean or a median in minutes, None without any


class PeriodShown(TypedDict):
    start: str  # ISO date, included
    end: str  # ISO date, included
    slug: str  # as stats.periods.parse reads it: "2025", "2025-Q2", "2025-06"...


class QueueFigures(TypedDict):
    """The walk-in queue of a set of tickets (stats.definitions: "advice.queue")."""

    tickets: int
    called: int
    served: int
    walked_away: int
    not_served: int
    long_waits: int
    waiting_over_30_pct: Rate
    waiting_mean_minutes: Minutes
    waiting_median_minutes: Minutes
    waiting_p90_minutes: Minutes
    service_count: int
    service_mean_minutes: Minutes
    service_median_minutes: Minutes


class Queue(QueueFigures):
    """The period's queue, and the same figures by theme, language, hour and weekday of the ticket
    (empty for a period shown only as a comparison)."""

    by_theme: dict[str, QueueFigures]
    by_language: dict[str, QueueFigures]
    by_hour: dict[str, QueueFigures]
    by_weekday: dict[str, QueueFigures]


class Advice(TypedDict):
    sessions: int
    minutes_mean: Minutes
    by_theme: Counts
    by_topic: Counts
    by_partner: Counts
    by_language: Counts
    by_mode: Counts
    by_gender: Counts
    by_age_band: Counts
    by_age_group: Counts  # the groups published since 2018, and "unknown"
    by_month: Counts
    queue: Queue


class Gender(TypedDict):
    women: int
    men: int
    women_pct: Rate
    men_pct: Rate
    other_or_unknown: int


class MissingAttendance(TypedDict):
    id: int
    title: str
    starts_at: str  # ISO instant


class Outreach(TypedDict):
    count: int
    people: int


class Activities(TypedDict):
    count: int
    participants: int
    recorded: int
    missing_attendance: list[MissingAttendance]
    fill_rate_pct: Rate
    show_rate_pct: Rate
    by_theme: Counts
    by_kind: Counts
    by_partner: Counts
    by_language: Counts
    by_audience: Counts
    participants_by_theme: Counts
    participants_by_kind: Counts
    participants_by_partner: Counts
    participants_by_language: Counts
    outreach: Outreach


class HelpFigures(TypedDict):
    count: int
    minutes_mean: Minutes


class Multimedia(TypedDict):
    entries: int
    occupancy_by_hour: dict[str, float | int | None]  # people on average over the counts of the hour
    help_by_topic: dict[str, HelpFigures]


class ServicesByMode(TypedDict):
    advice: int
    multimedia_documentation: int
    activity_participants: int
    outreach: int
    remote: int


class Contacts(TypedDict):
    total: int
    on_site_visits: int
    direct_participants: int
    directed_to_activity: int
    by_orientation: Counts
    remote_by_channel: Counts
    services_total: int
    services_by_mode: ServicesByMode
    by_theme: Counts
    by_month: Counts
    by_weekday: Counts
    by_hour: Counts


class Questionnaires(TypedDict):
    answers: int
    satisfied_pct: Rate
    would_recommend_pct: Rate
    found_pct: Rate
    first_visit_pct: Rate
    profile: dict[str, Counts]  # status, education_level, residence, heard_of, gender, age_band
    satisfaction: Counts


class Online(TypedDict):
    facebook_followers: int | None
    twitter_followers: int | None
    web_page_views: int | None
    emails_answered: int


class Team(TypedDict):
    back_office: int
    advisers: int
    reception_and_stewards: int


class Figures(TypedDict):
    """Every figure of one period for a scope. An institution's figures hold its advice and its
    activities only: the sections marked NotRequired are the whole centre's."""

    period: PeriodShown
    advice: Advice
    gender: Gender
    activities: Activities
    multimedia: NotRequired[Multimedia]
    contacts: NotRequired[Contacts]
    questionnaires: NotRequired[Questionnaires]
    online: NotRequired[Online]
    team: NotRequired[Team]


def _fields(shape) -> dict | None:
    """The keys of a TypedDict and their types; None for any other type."""
    if isinstance(shape, type) and issubclass(shape, dict) and hasattr(shape, "__total__"):
        return get_type_hints(shape)
    return None


def path_exists(path: str) -> bool:
    """Whether a dotted path ("advice.queue.by_hour", "questionnaires.profile.status") names a figure
    of Figures: each part a key of its TypedDict, or any code below a dict[str, ...]."""
    shape: object = Figures
    for part in path.split("."):
        fields = _fields(shape)
        if fields is not None:
            if part not in fields:
                return False
            shape = fields[part]
            continue
        arguments = getattr(shape, "__args__", ())
        if getattr(shape, "__origin__", None) is not dict or len(arguments) != 2:
            return False
        shape = arguments[1]  # a code: any key
    return True
