"""Reads of the catalogue (search, highlights) and of the multimedia space's figures (Europe/Brussels)."""

import operator
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import reduce
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractHour, ExtractIsoWeekDay, NullIf
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from citedesmetiers.capture import CapturedEntry
from citedesmetiers.dates import Span, day_bounds, in_ranges
from citedesmetiers.selectors import reference_rows
from citedesmetiers.summaries import Kept
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


# --- the catalogue's search ----------------------------------------------------------------------
#
# The words typed are read once (`words_of`, one statement): each word is stemmed as French (with
# feminine endings made masculine, see migration 0005), Dutch and English, accents off; a word that
# is a stop word in one of these languages (à, de, het, the...) is dropped; one to three words in a row
# that the centre listed as synonyms (models.Synonym) become one "concept" that also finds the other
# words of the group. A resource is found when it has one of the concepts, even by a stem's prefix
# only. It is ranked by the number of concepts it has by their stems (prefixes do not count), then by
# the number it has at all, then resources in the page's language first, then by PostgreSQL's rank
# (titles weigh more than summaries). Web-search syntax (quotes, OR, -word) keeps its meaning: every
# word required, as typed.

_WORD = re.compile(r"\w+(?:-\w+)*")
_RUN = re.compile(r"\w+")
_SYNTAX = re.compile(r'"|\sOR\s|(?:^|\s)-\w')
_LEXEME = re.compile(r"^'(?:[^']|'')*'$")
MAX_WORDS = 12
MAX_GRAM = 3  # the longest synonym, in words ("formation en alternance")
PREFIX_MIN = 4  # a stem this long is also looked for as the start of a longer word


@dataclass(frozen=True)
class Concept:
    """One thing looked for: a word typed (or a few, when they are a synonym), as tsqueries."""

    text: str  # as typed
    exact: str  # its stems in French, Dutch and English, and those of its synonyms
    loose: str  # the same, or the stems as the start of a longer word
    synonyms: tuple[str, ...] = ()  # the other words of its synonym group
    stems: tuple[str, ...] = ()  # the tsqueries of the words typed, in each language


@dataclass(frozen=True)
class Words:
    """The words typed, read: the concepts, and whether web-search syntax was used."""

    query: str
    concepts: tuple[Concept, ...]
    syntax: bool = False

    @property
    def any(self) -> str:
        """A tsquery finding any of the concepts, by stem or prefix (the search's filter, the highlights)."""
        return " | ".join(f"({concept.loose})" for concept in self.concepts)

    @property
    def every(self) -> str:
        """A tsquery finding every concept."""
        return " & ".join(f"({concept.loose})" for concept in self.concepts)


def _or(queries) -> str:
    unique = list(dict.fromkeys(query for query in queries if query))
    return " | ".join(f"({query})" if " " in query else query for query in unique)


_ANALYSIS_SQL = """
WITH configs(language, config) AS (
    VALUES ('fr', 'french'::regconfig), ('nl', 'dutch'::regconfig), ('en', 'english'::regconfig)
),
gram AS (
    SELECT g.position, c.language,
        phraseto_tsquery(c.config, ressources_prepare(c.config, g.words))::text AS query,
        -- A stop word as written (à) or without its accents (a: no longer one for PostgreSQL).
        numnode(phraseto_tsquery(c.config, g.words)) = 0
            OR numnode(phraseto_tsquery(c.config, ressources_prepare(c.config, g.words))) = 0 AS stop
    FROM unnest(%s::text[]) WITH ORDINALITY AS g(words, position) CROSS JOIN configs c
),
term AS (
    SELECT s.id AS synonym, l.language, t.words,
        phraseto_tsquery(c.config, ressources_prepare(c.config, t.words))::text AS query
    FROM ressources_synonym s
    CROSS JOIN LATERAL (VALUES ('fr', s.terms_fr), ('nl', s.terms_nl), ('en', s.terms_en))
        AS l(language, terms)
    CROSS JOIN LATERAL unnest(l.terms) AS t(words)
    JOIN configs c ON c.language = l.language
),
matched AS (
    SELECT DISTINCT gram.position, term.synonym
    FROM gram JOIN term ON term.language = gram.language AND term.query = gram.query
    WHERE gram.query <> ''
)
SELECT gram.position, gram.language, gram.query, gram.stop, NULL FROM gram
UNION ALL
SELECT matched.position, term.language, term.query, false, term.words FROM matched JOIN term USING (synonym)
"""


def words_of(query: str) -> Words:
    """The words typed, read as the search reads them (one statement; none for an empty query)."""
    found = list(_WORD.finditer(query))[:MAX_WORDS]
    tokens = [match.group() for match in found]
    if not tokens:
        return Words(query, ())
    grams = [(start, size) for size in range(1, MAX_GRAM + 1) for start in range(len(tokens) - size + 1)]
    with connection.cursor() as cursor:
        cursor.execute(_ANALYSIS_SQL, [[" ".join(tokens[start : start + size]) for start, size in grams]])
        rows = cursor.fetchall()
    stems: dict[tuple[int, int], dict[str, str]] = {gram: {} for gram in grams}
    stops: set[tuple[int, int]] = set()
    synonyms: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for position, language, stem, stop, term in rows:
        gram = grams[position - 1]
        if term is None:
            stems[gram][language] = stem
            if stop:
                stops.add(gram)
        else:
            synonyms.setdefault(gram, []).append((stem, term))
    concepts, start = [], 0
    while start < len(tokens):
        # The longest run of words that is a synonym, neither starting nor ending with a stop word.
        size = next(
            (
                size
                for size in range(MAX_GRAM, 0, -1)
                if (start, size) in synonyms
                and (size == 1 or not {(start, 1), (start + size - 1, 1)} & stops)
            ),
            1,
        )
        gram, text = (start, size), query[found[start].start() : found[start + size - 1].end()]
        typed = stems[gram]
        start += size
        if gram not in synonyms and gram in stops:
            continue  # a stop word in one of the languages: never looked for, never highlighted
        prefixes = [
            f"{stem}:*" for stem in typed.values() if _LEXEME.match(stem) and len(stem) - 2 >= PREFIX_MIN
        ]
        terms = synonyms.get(gram, [])
        exact = _or([*typed.values(), *(stem for stem, _term in terms)])
        folded = _folded(text)
        others: dict[str, str] = {}
        for _stem, term in terms:
            if _folded(term) != folded:
                others.setdefault(_folded(term), term)
        concepts.append(
            Concept(text, exact, _or([exact, *prefixes]), tuple(others.values()), tuple(typed.values()))
        )
    return Words(query, tuple(concepts), syntax=bool(_SYNTAX.search(f" {query} ")))


def _folded(text: str) -> str:
    return "".join(
        character
        for character in unicodedata.normalize("NFKD", text.lower())
        if not unicodedata.combining(character)
    )


def _tsquery(text: str) -> Func:
    return Func(Value(text), template="%(expressions)s::tsquery", output_field=SearchQueryField())


def _has(query: str) -> Cast:
    return Cast(Matches(F("search"), _tsquery(query)), IntegerField())


class SearchWords(Func):
    """The words typed as a query in every language of the catalogue (`ressources_query`, migration
    0001, reading words as migration 0005 does): web-search syntax ("phrase", OR, -word), accents
    ignored, each French word stemmed as French and so on, and each stem also found as the start of a
    longer word."""

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


def _filtered(
    *,
    theme: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    language: str | None = None,
    broken_links: bool = False,
) -> QuerySet[Resource]:
    resources = Resource.objects.all()
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
    return resources


def _matching(resources: QuerySet[Resource], words: Words) -> QuerySet[Resource]:
    if words.syntax:
        return resources.filter(Matches(F("search"), SearchWords(Value(words.query))))
    if not words.concepts:
        return resources.none()
    return resources.filter(Matches(F("search"), _tsquery(words.any)))


def catalogue(*, query: str = "", words: Words | None = None, **filters) -> QuerySet[Resource]:
    """The catalogue, filtered (theme, kind, audience, language, broken_links); ranked when words are
    typed (see `words_of`: the resources with every word first, then those with most of them, by stem
    before prefix, the page's language first, titles weighing more than summaries), else in the
    alphabetical order of the titles in the active language."""
    resources = (
        _filtered(**filters)
        .select_related("language", "shelf_theme")
        .prefetch_related("themes")
        .defer("search", "words")
    )
    title = title_in_language()
    if words is None:
        if not query.strip():
            return resources.order_by(title, "pk")
        words = words_of(query)
    resources = _matching(resources, words)
    if words.syntax:
        tsquery = SearchWords(Value(words.query))
        return resources.annotate(rank=SearchRank(F("search"), tsquery)).order_by("-rank", title, "pk")
    if not words.concepts:
        return resources
    page_language = (translation.get_language() or "fr")[:2]
    return resources.annotate(
        found=reduce(operator.add, [_has(concept.exact) for concept in words.concepts]),
        reached=reduce(operator.add, [_has(concept.loose) for concept in words.concepts]),
        in_language=Case(When(language_id=page_language, then=Value(1)), default=Value(0)),
        rank=SearchRank(F("search"), _tsquery(words.any)),
    ).order_by("-found", "-reached", "-in_language", "-rank", title, "pk")


@dataclass(frozen=True)
class Search:
    """A search by words: the ranked resources, how many, and what was done with the words typed."""

    resources: QuerySet[Resource]
    words: Words
    count: int
    complete: int  # how many have every word (or its synonym)
    corrected: str = ""  # the words searched instead of those typed (an unambiguous typo)
    suggestion: str = ""  # "Did you mean ...?" (a typo with several likely corrections)

    @property
    def partial(self) -> bool:
        """Some resources have only some of the words (and are ranked after those with every word)."""
        return len(self.words.concepts) > 1 and self.complete < self.count


def _counted(words: Words, filters: dict) -> tuple[Search, list[int]]:
    resources = catalogue(words=words, **filters)
    if words.syntax or not words.concepts:
        count = resources.count()
        return Search(resources, words, count, count), []
    figures = (
        _matching(_filtered(**filters), words)
        .order_by()
        .aggregate(
            count=Count("pk"),
            complete=Count("pk", filter=Matches(F("search"), _tsquery(words.every))),
            **{
                f"concept_{index}": Count("pk", filter=Matches(F("search"), _tsquery(concept.loose)))
                for index, concept in enumerate(words.concepts)
            },
        )
    )
    reached = [figures[f"concept_{index}"] for index in range(len(words.concepts))]
    return Search(resources, words, figures["count"], figures["complete"]), reached


def catalogue_search(*, query: str, **filters) -> Search:
    """The catalogue searched by words (see `catalogue`), counted in one statement. A word that no
    resource of the whole catalogue has is taken as a typo: when the catalogue's own words hold one
    correction (`corrections`), the corrected words are searched instead (and `corrected` says so),
    when they hold several, `suggestion` offers the likeliest. Call it inside `text_search_plan()`."""
    words = words_of(query)
    search, reached = _counted(words, filters)
    if not reached:  # words with a search syntax (OR, -word, "a phrase") are searched as typed
        return search
    unknown = [
        concept
        for concept, count in zip(words.concepts, reached, strict=True)
        if count == 0 and not concept.synonyms and not _known(concept)
    ]
    if not unknown:
        return search
    fixes = {concept.text: corrections(concept.text) for concept in unknown}
    if not all(fixes.values()):
        return search
    replaced = query
    for typed, choices in fixes.items():
        replaced = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", choices[0], replaced, count=1)
    if all(len(choices) == 1 for choices in fixes.values()):
        corrected, _reached = _counted(words_of(replaced), filters)
        if corrected.count:
            return replace(corrected, corrected=replaced)
    return replace(search, suggestion=replaced)


# The catalogue's own words, for the corrections: kept per process, rebuilt when the catalogue
# changes (a resource added, changed or removed changes the version read by `_vocabulary`).
_VOCABULARY: dict = {}


def _vocabulary() -> tuple[dict[str, tuple[int, str]], frozenset[str]]:
    """The catalogue's words without their accents (→ the number of resources with them, and the word
    as most often written), and the lexemes of the search column."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id), max(updated_at) FROM ressources_resource")
        version = (connection.alias, *cursor.fetchone())
        if _VOCABULARY.get("version") != version:
            cursor.execute(
                """
                SELECT word, ndoc FROM ts_stat('SELECT words FROM ressources_resource')
                WHERE length(word) >= 3 AND word !~ '[^[:alpha:]]'
                """
            )
            words: dict[str, tuple[int, str]] = {}
            for word, count in sorted(cursor.fetchall(), key=lambda row: -row[1]):
                total, written = words.get(_folded(word), (0, word))
                words[_folded(word)] = (total + count, written)
            cursor.execute("SELECT word FROM ts_stat('SELECT search FROM ressources_resource')")
            lexemes = frozenset(row[0] for row in cursor.fetchall())
            _VOCABULARY.update(version=version, words=words, lexemes=lexemes)
    return _VOCABULARY["words"], _VOCABULARY["lexemes"]


def _known(concept: Concept) -> bool:
    """Some resource of the whole catalogue has one of the word's stems (whatever the filters)."""
    _words, lexemes = _vocabulary()
    return any(_LEXEME.match(stem) and stem[1:-1].replace("''", "'") in lexemes for stem in concept.stems)


def corrections(word: str) -> list[str]:
    """The catalogue's words closest to a word it does not have, likeliest first: one edit away (a
    letter missing, added, changed, or two swapped) for a word of up to 5 letters, two for a longer
    one. One entry when it is unambiguous (the closest words are the same word, singular or plural).
    Each as the catalogue most often writes it (with its accents)."""
    folded = _folded(word)
    if len(folded) < 3 or not folded.isalpha():
        return []
    words, _lexemes = _vocabulary()
    limit = 1 if len(folded) <= 5 else 2
    found = process.extract(folded, list(words), scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not found:
        return []
    closest = min(distance for _word, distance, _index in found)
    likeliest = sorted(
        (candidate for candidate, distance, _index in found if distance == closest),
        key=lambda candidate: (-words[candidate][0], candidate),
    )
    if len({candidate.removesuffix("s") for candidate in likeliest}) == 1:
        likeliest = likeliest[:1]
    return [words[candidate][1] for candidate in likeliest[:3]]


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


def highlighted(passages: list[Passage], words: Words) -> list[SafeString]:
    """Each passage as HTML with the words found (`words_of`: stems, prefixes, synonyms; never a stop
    word) in `<mark>`, cut around the first one when longer than its limit.

    One query for all: PostgreSQL marks the words in the text as the search reads it (folded, French
    feminine endings made masculine: its stemming decides what matches), and the marks are carried
    back onto the original text word by word.
    """
    if not passages:
        return []
    if not words.concepts:
        return [_render(passage, []) for passage in passages]
    configs = [SEARCH_CONFIGS.get(passage.language, "simple") for passage in passages]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ts_headline(
                item.config::regconfig, ressources_prepare(item.config::regconfig, item.body), %s::tsquery, %s
            )
            FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS item(body, config, position)
            ORDER BY item.position
            """,
            [
                words.any,
                f"HighlightAll=true, StartSel={_START}, StopSel={_STOP}",
                [passage.text for passage in passages],
                configs,
            ],
        )
        marked = [row[0] for row in cursor.fetchall()]
    return [
        _render(passage, _marks(passage.text, prepared))
        for passage, prepared in zip(passages, marked, strict=True)
    ]


def _marks(original: str, marked: str) -> list[tuple[int, int]]:
    """The (start, end) of each marked word, as positions in the original text. The text as read by
    the search has the same words in the same places, only some endings changed (`infirmière` →
    `infirmier`): each position is carried over from its word (or the gap between two words)."""
    spans: list[tuple[int, int]] = []
    plain: list[str] = []
    opened: int | None = None
    for character in marked:
        if character == _START:
            opened = len(plain)
        elif character == _STOP and opened is not None:
            spans.append((opened, len(plain)))
            opened = None
        else:
            plain.append(character)
    prepared = "".join(plain)
    if len(prepared) == len(original):
        return spans
    theirs = [match.span() for match in _RUN.finditer(prepared)]
    ours = [match.span() for match in _RUN.finditer(original)]
    if len(theirs) != len(ours):
        return []  # not the same text: no marks rather than wrong ones
    starts = [start for start, _end in theirs]

    def carried(position: int) -> int:
        index = bisect_right(starts, position) - 1
        if index < 0:
            return position
        (start, end), (our_start, our_end) = theirs[index], ours[index]
        if position <= end:
            return min(our_start + position - start, our_end) if position < end else our_end
        return our_end + position - end

    return [(carried(start), carried(end)) for start, end in spans]


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


def space_recent(*, user, day: date, limit: int = 8) -> list:
    """This person's last entries of the day, of every kind, newest first (undone ones included)."""
    start, end = day_bounds(day)
    since = {"recorded_by": user, "recorded_at__gte": start, "recorded_at__lt": end}
    rows: list[CapturedEntry] = [
        *SpaceEntry.objects.filter(**since).order_by("-recorded_at", "-pk")[:limit],
        *OccupancySweep.objects.filter(**since).order_by("-recorded_at", "-pk")[:limit],
        *DigitalHelp.objects.filter(**since)
        .select_related("topic", "theme")
        .order_by("-recorded_at", "-pk")[:limit],
    ]
    return sorted(rows, key=lambda row: (row.recorded_at, row.pk), reverse=True)[:limit]


def entries_total(*, ranges: Sequence[tuple[datetime, datetime]]) -> list[int]:
    """People who entered the multimedia space in each range [start, end) (every tap's count; undone
    taps excluded). One statement for every range."""
    entries = SpaceEntry.objects.active().filter(in_ranges("occurred_at", ranges))
    sums = entries.aggregate(
        **{
            f"r{index}": Coalesce(Sum("count", filter=in_ranges("occurred_at", [bounds])), 0)
            for index, bounds in enumerate(ranges)
        }
    )
    return [sums[f"r{index}"] for index in range(len(ranges))]


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


@dataclass(frozen=True)
class HelpFigures:
    topic: HelpTopic
    count: int
    minutes: int

    @property
    def average_minutes(self) -> int:
        return round(self.minutes / self.count) if self.count else 0


def help_by_topic(*, ranges: Sequence[tuple[datetime, datetime]]) -> list[list[HelpFigures]]:
    """Digital help given in each range [start, end) by topic (every active topic, zeros included, and
    any retired one that has help in it, in their order). One statement for every range."""
    figures: dict[str, Aggregate] = {}
    for index, bounds in enumerate(ranges):
        within = in_ranges("occurred_at", [bounds])
        figures[f"count_{index}"] = Count("pk", filter=within)
        figures[f"minutes_{index}"] = Sum("duration_minutes", filter=within, output_field=IntegerField())
    rows = (
        DigitalHelp.objects.active()
        .filter(in_ranges("occurred_at", ranges))
        .values("topic")
        .annotate(**figures)
        .order_by()
    )
    return [
        help_figures({row["topic"]: (row[f"count_{index}"], row[f"minutes_{index}"]) for row in rows})
        for index in range(len(ranges))
    ]


def help_figures(counted: dict[str, tuple[int, int]]) -> list[HelpFigures]:
    """Digital help by topic from (count, minutes) by topic code: every active topic, zeros included,
    and any retired one that has help counted, in their order."""
    counted = {code: figures for code, figures in counted.items() if figures[0]}
    topics = reference_rows(HelpTopic, inactive=True)
    missing = set(counted) - {topic.code for topic in topics}
    if missing:  # a topic added in the last minute, by another process: read it (rare)
        topics = sorted(
            [*topics, *HelpTopic.objects.filter(code__in=missing)], key=lambda t: (t.position, t.code)
        )
    return [
        HelpFigures(topic, *counted.get(topic.code, (0, 0)))
        for topic in topics
        if topic.active or topic.code in counted
    ]


class SpaceCounts(NamedTuple):
    """The multimedia space's counts over a span of days: people who entered; by local hour, the people
    counted on the computers, the tablets and in the documentary space summed over the counts of that
    hour, and the number of counts (hours without a count absent); digital help by topic code, (count,
    minutes) (topics without help absent)."""

    entries: int
    occupancy: dict[int, tuple[int, int]]
    help: dict[str, tuple[int, int]]


def space_counts(*, spans: Sequence[Span]) -> list[SpaceCounts]:
    """SpaceCounts of each span of local days (first and last included); undone taps left out. A span of
    days all over is counted once and kept whole (KEPT_SPACE), read with the other kept figures of a
    page (citedesmetiers.summaries.kept_together); one that is not is counted in one statement."""
    today = timezone.localdate()
    return [
        KEPT_SPACE.figures(first=first, last=last, institution=None, sets="")
        if last < today
        else _space_counted(first, last, None, "")[0]
        for first, last in spans
    ]


# The three tables' counts of one span of instants, in ONE statement, with the kept figures' generation.
_SPACE_COUNTS = """
SELECT
    (SELECT COALESCE(SUM(e.count), 0) FROM ressources_spaceentry AS e
        WHERE e.cancelled_at IS NULL AND e.occurred_at >= %(since)s AND e.occurred_at < %(until)s),
    (SELECT COALESCE(json_agg(json_build_array(hour, people, sweeps) ORDER BY hour), '[]')
        FROM (SELECT EXTRACT(hour FROM s.occurred_at AT TIME ZONE %(zone)s)::int AS hour,
                SUM(s.computers + s.tablets + s.documentary) AS people, COUNT(*) AS sweeps
            FROM ressources_occupancysweep AS s
            WHERE s.cancelled_at IS NULL AND s.occurred_at >= %(since)s AND s.occurred_at < %(until)s
            GROUP BY 1) AS occupancy),
    (SELECT COALESCE(json_agg(json_build_array(topic, helped, minutes) ORDER BY topic), '[]')
        FROM (SELECT h.topic_id AS topic, COUNT(*) AS helped, SUM(h.duration_minutes) AS minutes
            FROM ressources_digitalhelp AS h
            WHERE h.cancelled_at IS NULL AND h.occurred_at >= %(since)s AND h.occurred_at < %(until)s
            GROUP BY 1) AS help),
    {generation}
"""


def _space_counted(
    first: date, last: date, institution: int | None, sets: str, *, generation: bool = False
) -> tuple[SpaceCounts, int | None]:
    """space_counts of one span counted from the rows; with `generation`, also the generation of the kept
    figures read in the same statement (`institution` and `sets`: Kept's key, unused here)."""
    params: dict[str, datetime | str] = {
        "since": day_bounds(first)[0],
        "until": day_bounds(last)[1],
        "zone": settings.TIME_ZONE,
    }
    # The generation's SQL is this app's constant (Kept.generation_sql); every value is a parameter.
    statement = _SPACE_COUNTS.format(generation=KEPT_SPACE.generation_sql())  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        entries, occupancy, helped, kept = cursor.fetchone()
    counts = _space_decoded([entries, occupancy, helped])  # the JSON read as lists by psycopg
    return counts, kept if generation else None


def _space_encoded(counts: SpaceCounts) -> list:
    return [
        counts.entries,
        [[hour, *figures] for hour, figures in counts.occupancy.items()],
        [[code, *figures] for code, figures in counts.help.items()],
    ]


def _space_decoded(kept: list) -> SpaceCounts:
    entries, occupancy, helped = kept
    return SpaceCounts(
        entries,
        {hour: (people, sweeps) for hour, people, sweeps in occupancy},
        {code: (count, minutes) for code, count, minutes in helped},
    )


# The multimedia space's figures of closed spans, kept whole (citedesmetiers.summaries.Kept; its
# triggers: migration ressources 0007), pruned and verified by summarise_days.
KEPT_SPACE = Kept(
    kind="space",
    tables=("ressources_spaceentry", "ressources_occupancysweep", "ressources_digitalhelp"),
    count=_space_counted,
    encode=_space_encoded,
    decode=_space_decoded,
)


def resources_by_theme(*, until: datetime) -> dict[str, int]:
    """The catalogue's resources added before `until`, by theme code (a resource counts under each of its
    themes): the annual report's services chapter."""
    rows = (
        Resource.objects.filter(created_at__lt=until)
        .values_list("themes__code")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return {code: count for code, count in rows if code}
