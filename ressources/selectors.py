"""Reads of the catalogue (search, highlights) and of the multimedia space's figures (Europe/Brussels)."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, NullIf
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accueil.selectors import day_bounds
from ressources.models import (
    SEARCH_CONFIGS,
    DigitalHelp,
    HelpTopic,
    OccupancySweep,
    Resource,
    SpaceEntry,
)

# Marks put around the words found by PostgreSQL's ts_headline: control characters no title contains.
_START, _STOP = "\x02", "\x03"


class SearchWords(Func):
    """The words typed as a query in every language of the catalogue (`ressources_query`, migration
    0001): web-search syntax ("phrase", OR, -word), accents ignored, each French word stemmed as
    French and so on, and each stem also found as the start of a longer word."""

    function = "ressources_query"
    output_field = SearchQueryField()


class Matches(Func):
    """`vector @@ query`: usable in filter(), and served by the GIN index on the vector."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def title_in_language():
    # French and Dutch titles are required: each has its index (models.Resource.Meta) and the list
    # without words reads its first page straight from it. English falls back to French.
    language = (translation.get_language() or "fr")[:2]
    if language in ("fr", "nl"):
        return F(f"title_{language}")
    return Coalesce(NullIf("title_en", Value("")), "title_fr")


def catalogue(
    *,
    query: str = "",
    theme: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    language: str | None = None,
    broken_links: bool = False,
) -> QuerySet[Resource]:
    """The catalogue, filtered; ranked by relevance when words are typed (titles weigh more than
    summaries), else in the alphabetical order of the titles in the active language."""
    resources = (
        Resource.objects.select_related("language", "shelf_theme").prefetch_related("themes").defer("search")
    )
    if theme:
        through = Resource.themes.through.objects.filter(resource_id=OuterRef("pk"), theme_id=theme)
        resources = resources.filter(Exists(through))
    if kind:
        resources = resources.filter(kind=kind)
    if audience:
        resources = resources.filter(audiences__contains=[audience])
    if language:
        resources = resources.filter(language_id=language)
    if broken_links:
        resources = resources.filter(link_reported_at__isnull=False)
    title = title_in_language()
    if query.strip():
        tsquery = SearchWords(Value(query))
        return (
            resources.filter(Matches(F("search"), tsquery))
            .annotate(rank=SearchRank(F("search"), tsquery))
            .order_by("-rank", title, "pk")
        )
    return resources.order_by(title, "pk")


@contextmanager
def text_search_plan():
    """A transaction in which the queries of a search by words use the GIN index.

    PostgreSQL costs a full-text match (`@@`) as cheaply as comparing two integers, so on a large
    catalogue it prefers reading every row (about 35 ms at 50,000 resources, see bench/catalogue.py)
    to the GIN index (about 5 ms). Inside this block, and only there, sequential and plain index scans
    are off: the resources are found through the index, and joined by bitmap or hash.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        yield


def broken_links_count() -> int:
    """Resources whose link a staff member reported broken and nobody has checked yet."""
    return Resource.objects.filter(link_reported_at__isnull=False).count()


def resource_get(*, pk: int) -> Resource:
    """One resource of the catalogue (Resource.DoesNotExist otherwise)."""
    return Resource.objects.select_related("language", "shelf_theme", "link_reported_by").get(pk=pk)


class Passage(NamedTuple):
    """A text to show with the words found marked: its language, and a length to cut it to."""

    text: str
    language: str
    limit: int | None = None


def highlighted(passages: list[Passage], query: str) -> list[SafeString]:
    """Each passage as HTML with the words that the query finds in `<mark>`, cut around the first one
    when longer than its limit.

    One query for all: PostgreSQL marks the words in the folded text (its stemming decides what
    matches), and the marks are carried over to the original text, character for character.
    """
    if not passages:
        return []
    if not query.strip():
        return [_render(passage, []) for passage in passages]
    configs = [SEARCH_CONFIGS.get(passage.language, "simple") for passage in passages]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ts_headline(
                item.config::regconfig,
                ressources_fold(item.body),
                -- Any of the words: a title holds some of them, its summary the others.
                replace(ressources_words(item.config::regconfig, %s)::text, ' & ', ' | ')::tsquery,
                %s
            )
            FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS item(body, config, position)
            ORDER BY item.position
            """,
            [
                query,
                f"HighlightAll=true, StartSel={_START}, StopSel={_STOP}",
                [passage.text for passage in passages],
                configs,
            ],
        )
        marked = [row[0] for row in cursor.fetchall()]
    return [
        _render(passage, _marks(passage.text, folded))
        for passage, folded in zip(passages, marked, strict=True)
    ]


def _marks(original: str, marked: str) -> list[tuple[int, int]]:
    """The (start, end) of each marked word, as positions in the original text."""
    spans, position, opened = [], 0, None
    for character in marked:
        if character == _START:
            opened = position
        elif character == _STOP and opened is not None:
            spans.append((opened, position))
            opened = None
        else:
            position += 1
    return spans if position == len(original) else []  # not the same text: no marks rather than wrong ones


def _render(passage: Passage, spans: list[tuple[int, int]]) -> SafeString:
    text, start, end = passage.text, 0, len(passage.text)
    if passage.limit and len(text) > passage.limit:
        first = spans[0][0] if spans else 0
        start = text.rfind(" ", 0, max(0, first - passage.limit // 3)) + 1
        end = text.find(" ", start + passage.limit)
        end = len(text) if end == -1 else end
    html, cursor = ["…" if start else ""], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        html.append(escape(text[cursor:span_start]))
        html.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    html.append(escape(text[cursor:end]))
    html.append("…" if end < len(text) else "")
    return mark_safe("".join(html))  # noqa: S308 (every piece escaped above)  # nosec B308 B703


# --- the multimedia space -----------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceToday:
    entries: int
    help_count: int
    help_minutes: int
    last_sweep: OccupancySweep | None


def space_today(*, day: date) -> SpaceToday:
    """The day's entries (people), digital help given (sessions, minutes) and the last occupancy count."""
    start, end = day_bounds(day)
    entries = SpaceEntry.objects.active().filter(occurred_at__gte=start, occurred_at__lt=end)
    helps = DigitalHelp.objects.active().filter(occurred_at__gte=start, occurred_at__lt=end)
    help_figures = helps.aggregate(count=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    sweep = (
        OccupancySweep.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return SpaceToday(
        entries=entries.aggregate(people=Coalesce(Sum("count"), 0))["people"],
        help_count=help_figures["count"],
        help_minutes=help_figures["minutes"],
        last_sweep=sweep,
    )


CAPTURED_MODELS = (SpaceEntry, OccupancySweep, DigitalHelp)


def space_recent(*, user, day: date, limit: int = 8) -> list:
    """This person's last entries of the day, of every kind, newest first (undone ones included)."""
    start, end = day_bounds(day)
    rows = []
    for model in CAPTURED_MODELS:
        queryset = model.objects.filter(recorded_by=user, recorded_at__gte=start, recorded_at__lt=end)
        if model is DigitalHelp:
            queryset = queryset.select_related("topic", "theme")
        rows.extend(queryset.order_by("-recorded_at", "-pk")[:limit])
    return sorted(rows, key=lambda row: (row.recorded_at, row.pk), reverse=True)[:limit]


def entries_total(*, start: datetime, end: datetime) -> int:
    """People who entered the multimedia space in [start, end) (every tap's count; undone taps excluded)."""
    return (
        SpaceEntry.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .aggregate(people=Coalesce(Sum("count"), 0))["people"]
    )


def _local(field: str):
    return {
        "weekday": ExtractIsoWeekDay(field, tzinfo=timezone.get_default_timezone()),
        "hour": ExtractHour(field, tzinfo=timezone.get_default_timezone()),
    }


def entries_by_weekday_hour(*, start: datetime, end: datetime) -> dict[tuple[int, int], int]:
    """People entering, by (ISO weekday 1–7, local hour 0–23), in [start, end)."""
    rows = (
        SpaceEntry.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .annotate(**_local("occurred_at"))
        .values("weekday", "hour")
        .annotate(people=Sum("count"))
        .order_by()
    )
    return {(row["weekday"], row["hour"]): row["people"] for row in rows}


@dataclass(frozen=True)
class Occupancy:
    """The average of the counts made in one (weekday, hour) slot."""

    computers: float
    tablets: float
    documentary: float
    sweeps: int

    @property
    def devices(self) -> float:
        return self.computers + self.tablets


def occupancy_by_weekday_hour(*, start: datetime, end: datetime) -> dict[tuple[int, int], Occupancy]:
    """Average people counted on the computers, the tablets and in the documentary space, by (ISO
    weekday, local hour), over the counts made in [start, end). A slot without a count is absent."""
    rows = (
        OccupancySweep.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .annotate(**_local("occurred_at"))
        .values("weekday", "hour")
        .annotate(
            computers=Avg("computers"),
            tablets=Avg("tablets"),
            documentary=Avg("documentary"),
            sweeps=Count("pk"),
        )
        .order_by()
    )
    return {
        (row["weekday"], row["hour"]): Occupancy(
            float(row["computers"]), float(row["tablets"]), float(row["documentary"]), row["sweeps"]
        )
        for row in rows
    }


def occupancy_by_hour(*, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """For each local hour with a count in [start, end): (the people counted on the computers, the
    tablets and in the documentary space, summed over the counts of that hour; the number of counts), so
    that the mean over every count of the hour is exact. An hour without a count is absent."""
    rows = (
        OccupancySweep.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .annotate(hour=_local("occurred_at")["hour"])
        .values("hour")
        .annotate(people=Sum(F("computers") + F("tablets") + F("documentary")), sweeps=Count("pk"))
        .order_by()
    )
    return {row["hour"]: (row["people"], row["sweeps"]) for row in rows}


@dataclass(frozen=True)
class HelpFigures:
    topic: HelpTopic
    count: int
    minutes: int

    @property
    def average_minutes(self) -> int:
        return round(self.minutes / self.count) if self.count else 0


def help_by_topic(*, start: datetime, end: datetime) -> list[HelpFigures]:
    """Digital help given in [start, end) by topic (every active topic, zeros included, in its order)."""
    rows = (
        DigitalHelp.objects.active()
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("topic")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes", output_field=IntegerField()))
        .order_by()
    )
    figures = {row["topic"]: row for row in rows}
    topics = HelpTopic.objects.filter(active=True) | HelpTopic.objects.filter(code__in=figures)
    return [
        HelpFigures(
            topic, figures.get(topic.code, {}).get("count", 0), figures.get(topic.code, {}).get("minutes", 0)
        )
        for topic in topics.distinct().order_by("position", "code")
    ]
