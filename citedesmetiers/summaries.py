"""Daily summaries: the figures of each closed day kept as a few rows, so that a year's breakdowns add up
some tens of thousands of summary rows instead of reading a million entries, in the same time whatever
the length of the history (issue 19).

A summary is a table of rows (day, key, grouping, code, figures...): for each local day already over,
the figures of that day's entries by a key kept apart (the channel of visits, the institution of
consultations) and by each grouping (theme, month, hour...; the grouping '' is the day's total, and a
row of zeros with no key marks a day summarised without any entry). It is never a running total that
could drift:

- **Reads are exact.** `DailySummary.totals` adds the summary rows of the summarised days of a range to
  the entries of its other days (today, days not summarised yet, days a change made forget), counted the
  same way, in ONE statement.
- **Writes forget.** Triggers on the entries' tables delete the summary of a closed day as soon as one
  of its entries is inserted, changed or deleted (a back-dated entry, a correction, an undo, a topic
  ticked afterwards). The desk's entries of today never call them: the trigger's condition is false.
- **Summarising waits for the writers.** `summarise` takes a SHARE lock on the entries' tables, so that
  no entry of the days it counts is being written, then counts only the days over at that moment: any
  later change of those days is a change of a closed day, whose trigger forgets the summary.
- The scheduler summarises the days that have none (`manage.py summarise_days`, every ten minutes);
  `--verify` recounts every summarised day from its entries and names the days that differ (none, or it
  is a bug), `--rebuild` forgets every summary and summarises again.

The statements are composed with psycopg's `sql` module: tables and columns as quoted identifiers, the
groupings' expressions as the owning apps' constant SQL, every value a parameter.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from citedesmetiers.dates import Span

# The most days one summarising transaction counts, holding the entries' tables meanwhile: a week, so that
# the desk waits a fraction of a second at most while a whole history is summarised (the first run).
CHUNK_DAYS = 7


class SummaryRow(models.Model):
    """The columns every summary shares; each owning app's model adds its key and its figures."""

    day = models.DateField(_("day"))
    grouping = models.CharField(_("grouping"), max_length=16, blank=True)
    code = models.CharField(_("code"), max_length=32, null=True, blank=True)  # noqa: DJ001 (None: no code)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["day", "grouping"], name="%(app_label)s_%(class)s_day")]


# The groupings by the entries' local time, as SQL of a code, and how their codes come back.
_LOCAL_TIME = {
    "month": "to_char({}, 'YYYY-MM-01')",  # its first day
    "weekday": "EXTRACT(isodow FROM {})::int",  # 1 = Monday
    "hour": "EXTRACT(hour FROM {})::int",
}
_PARSED: dict[str, Callable[[str], object]] = {"month": date.fromisoformat, "weekday": int, "hour": int}


def local_time(column: str, *names: str) -> dict[str, str]:
    """The groupings `names` (month, weekday, hour) of the entry's `column` in local time, for a
    DailySummary's `groupings`; `totals` gives their codes back as a date (the month's first day) and
    ints."""
    local = f"(e.\"{column}\" AT TIME ZONE '{settings.TIME_ZONE}')"
    return {name: _LOCAL_TIME[name].format(local) for name in names}


def _local_day(instant: sql.Composable) -> sql.Composed:
    """The local day (settings.TIME_ZONE) of an instant."""
    return sql.SQL("({} AT TIME ZONE {})::date").format(instant, sql.Literal(settings.TIME_ZONE))


def _midnight(day: sql.Composable) -> sql.Composed:
    """The first instant of a local day."""
    return sql.SQL("(({})::timestamp AT TIME ZONE {})").format(day, sql.Literal(settings.TIME_ZONE))


_TODAY = _local_day(sql.SQL("clock_timestamp()"))


def _text(statement: sql.Composable) -> str:
    connection.ensure_connection()
    return statement.as_string(connection.connection)


@dataclass(frozen=True)
class DailySummary:
    """One summary table: how the entries of `source` are counted into `table` (SQL of the owning app
    over the entry `e`; the codes as text)."""

    table: str  # the summary's table: day, <key>, grouping, code and one column per figure
    source: str  # the entries' table
    time: str  # the entries' time column: their local day is the day they count in
    key: str  # the entries' column kept apart
    column: str  # the summary's column of that key
    groupings: dict[str, str]  # name: the code of an entry, one per entry
    figures: dict[str, str]  # name: an aggregate over the entries, e.g. 'SUM(e."count")'
    counted: str  # the entries counted, e.g. 'e."cancelled_at" IS NULL'
    # name: a SELECT of several codes of an entry (its topics), NULL for an entry with none
    several: dict[str, str] = field(default_factory=dict)
    # more tables whose changes change a day's figures: (table, column of the entry's id)
    related: tuple[tuple[str, str], ...] = ()
    # When set, each summarised day also holds, under this key (no real key's value), its rows of every
    # key added together, grouping by grouping (the day's total stays by key): what the figures of every
    # key together read (totals' `together`), many times fewer rows than every key's.
    every_key: int | None = None

    @property
    def names(self) -> list[str]:
        return [*self.groupings, *self.several]

    def _parts(self) -> dict[str, sql.Composable]:
        figures = list(self.figures)
        return {
            "table": sql.Identifier(self.table),
            "source": sql.Identifier(self.source),
            "time": sql.Identifier(self.time),
            "key": sql.Identifier(self.key),
            "column": sql.Identifier(self.column),
            "columns": sql.SQL(", ").join(map(sql.Identifier, figures)),
            "sums": sql.SQL(", ").join(
                sql.SQL("SUM({0})::bigint AS {0}").format(sql.Identifier(f)) for f in figures
            ),
            "zeros": sql.SQL(", ").join(sql.SQL("0") for _figure in figures),
            "marked": sql.SQL("SELECT day FROM {} WHERE grouping = ''").format(sql.Identifier(self.table)),
        }

    def _unpivot(self) -> sql.Composed:
        """A LATERAL of (grouping, code) rows of the entry `e`: the total (''), then each grouping."""
        values: list[sql.Composable] = [sql.SQL("('', NULL::text)")]
        values += [
            sql.SQL("({}, ({})::text)").format(sql.Literal(name), sql.SQL(expression))
            for name, expression in self.groupings.items()
        ]
        parts = [sql.SQL("SELECT * FROM (VALUES {}) AS v").format(sql.SQL(", ").join(values))]
        for name, codes in self.several.items():
            parts.append(
                sql.SQL(
                    "SELECT {0}, code::text FROM ({1}) AS c(code) UNION ALL "
                    "SELECT {0}, NULL::text WHERE NOT EXISTS ({1})"
                ).format(
                    sql.Literal(name),
                    sql.SQL(codes),
                )
            )
        return sql.SQL("CROSS JOIN LATERAL ({}) AS g(grouping, code)").format(
            sql.SQL(" UNION ALL ").join(parts)
        )

    def _counted(
        self, days: sql.Composable, *, where: sql.Composable | None = None, spans: bool = False
    ) -> sql.Composed:
        """The entries of the days `days` (a subquery of one column, day; with `spans`, of two: day and
        span, the index of the span it falls in) counted by day (and span), key, grouping and code."""
        parts = self._parts()
        figures = sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(sql.SQL(expression), sql.Identifier(name))
            for name, expression in self.figures.items()
        )
        return sql.SQL(
            "SELECT e.day, {span}e.{key} AS key, g.grouping, g.code, {figures} FROM ("
            # OFFSET 0: the days' entries found first, by the time index, before they are unpivoted.
            "SELECT days.*, e.* FROM ({days}) AS days JOIN {source} AS e "
            "ON e.{time} >= {start} AND e.{time} < {end} WHERE {counted} OFFSET 0"
            ") AS e {unpivot} WHERE TRUE{where} GROUP BY {groups}"
        ).format(
            span=sql.SQL("e.span, " if spans else ""),
            key=parts["key"],
            figures=figures,
            days=days,
            source=parts["source"],
            time=parts["time"],
            start=_midnight(sql.SQL("days.day")),
            end=_midnight(sql.SQL("days.day + 1")),
            unpivot=self._unpivot(),
            counted=sql.SQL(self.counted),
            where=where or sql.SQL(""),
            groups=sql.SQL("1, 2, 3, 4, 5" if spans else "1, 2, 3, 4"),
        )

    def totals(
        self, *, spans: Sequence[Span], groupings: Sequence[str], key=None, together: bool = False
    ) -> list[list[dict]]:
        """The figures of each span of days (first and last local day, included) by key and by each of
        `groupings` ('' for the total): for each span, [{"key", "grouping", "code", figure: value...}],
        the entries of the days not summarised counted with the summaries; `key` keeps that key only; the
        local time's codes typed (local_time). One statement for every span (a period and the one it is
        compared with); spans may overlap. With `together` (a summary with `every_key`, every key), the
        summarised days give their rows of every key together under `every_key`, their totals by key: add
        up each grouping's rows whatever their key."""
        unknown = set(groupings) - {"", *self.names}
        if unknown:
            raise ValueError(f"unknown grouping: {sorted(unknown)}")
        if not spans:
            return []
        parts = self._parts()
        days = sql.SQL(
            "SELECT d::date AS day, s.span FROM spans AS s "
            "CROSS JOIN generate_series(s.first, s.last, interval '1 day') AS d "
            "WHERE d::date NOT IN ({marked} AND day BETWEEN %(first)s AND %(last)s)"
        ).format(**parts)
        keyed = sql.SQL("") if key is None else sql.SQL(" AND {} = %(key)s")
        summary_keyed = keyed  # the summaries' rows read: every key's but the rows of every key together
        if self.every_key is not None and key is None:
            summary_keyed = sql.SQL(" AND {0} IS DISTINCT FROM %(every_key)s")
        # With `together`, the rows of every key together and the days' totals by key: two index ranges
        # read apart (the owning app indexes (key, day, grouping)), not one range of every row filtered.
        table = parts["table"]
        if together and self.every_key is not None and key is None:
            table = sql.SQL(
                "(SELECT * FROM {0} WHERE {1} = %(every_key)s AND grouping <> '' "
                "UNION ALL SELECT * FROM {0} WHERE grouping = '' AND {1} <> %(every_key)s) AS rows"
            ).format(parts["table"], parts["column"])
            summary_keyed = sql.SQL("")
        live = self._counted(
            days,
            where=sql.SQL(" AND g.grouping = ANY(%(groupings)s){}").format(
                keyed.format(sql.SQL("e.{}").format(parts["key"]))
            ),
            spans=True,
        )
        # Each span's summaries added up apart first, its days as constants (an index range each):
        # PostgreSQL hashes a year's summary rows into their few groups.
        summarised = [
            sql.SQL(
                "SELECT {span} AS span, {column} AS key, grouping, code, {sums} FROM {table} "
                "WHERE day BETWEEN {first} AND {last} AND grouping = ANY(%(groupings)s){keyed} "
                "GROUP BY 1, 2, 3, 4"
            ).format(
                span=sql.Literal(index),
                first=sql.Placeholder(f"first_{index}"),
                last=sql.Placeholder(f"last_{index}"),
                keyed=summary_keyed.format(parts["column"]),
                table=table,
                column=parts["column"],
                sums=parts["sums"],
            )
            for index in range(len(spans))
        ]
        statement = sql.SQL(
            "WITH spans AS (SELECT first, last, span - 1 AS span "
            "FROM unnest(%(firsts)s::date[], %(lasts)s::date[]) WITH ORDINALITY AS s(first, last, span)) "
            "SELECT span, key, grouping, code, {sums} FROM ({summarised} "
            "UNION ALL SELECT span, key, grouping, code, {columns} FROM ({live}) AS live"
            ") AS summed WHERE NOT (grouping = '' AND key IS NULL) GROUP BY span, key, grouping, code"
        ).format(summarised=sql.SQL(" UNION ALL ").join(summarised), live=live, **parts)
        params = {
            **{f"first_{index}": first for index, (first, _) in enumerate(spans)},
            **{f"last_{index}": last for index, (_, last) in enumerate(spans)},
            "firsts": [first for first, _ in spans],
            "lasts": [last for _, last in spans],
            "first": min(first for first, _ in spans),
            "last": max(last for _, last in spans),
            "groupings": list(groupings),
            "key": key,
            "every_key": self.every_key,
        }
        found: list[list[dict]] = [[] for _ in spans]
        with connection.cursor() as cursor:
            cursor.execute(_text(statement), params)
            names = [column.name for column in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                if row["code"] is not None and row["grouping"] in _PARSED:
                    row["code"] = _PARSED[row["grouping"]](row["code"])
                found[row.pop("span")].append(row)
        return found

    def missing(self, *, before: date) -> list[date]:
        """The days from the first entry's to the day before `before` that have no summary."""
        parts = self._parts()
        statement = sql.SQL(
            "SELECT d::date FROM generate_series((SELECT {first} FROM {source}), %(last)s::date, "
            "interval '1 day') AS d WHERE d::date NOT IN ({marked}) ORDER BY 1"
        ).format(first=_local_day(sql.SQL("MIN({})").format(parts["time"])), **parts)
        with connection.cursor() as cursor:
            cursor.execute(_text(statement), {"last": before - timedelta(days=1)})
            return [row[0] for row in cursor.fetchall()]

    def summarise(self, *, days: Sequence[date] | None = None) -> int:
        """Summarises `days` (by default every closed day without a summary), CHUNK_DAYS at a time, each
        chunk in its own transaction holding the entries' tables; days not over yet are left. Returns
        the number of days summarised."""
        pending = sorted(set(days)) if days is not None else self.missing(before=timezone.localdate())
        done = 0
        for first in range(0, len(pending), CHUNK_DAYS):
            with transaction.atomic():
                today = self._lock()
                chunk = [day for day in pending[first : first + CHUNK_DAYS] if day < today]
                if chunk:
                    self._write(chunk)
                    done += len(chunk)
        return done

    def _lock(self) -> date:
        """Holds the entries' tables against writers until the transaction ends; the local day then."""
        tables = sql.SQL(", ").join(map(sql.Identifier, [self.source, *(table for table, _ in self.related)]))
        with connection.cursor() as cursor:
            cursor.execute(_text(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(tables)))
            cursor.execute(_text(sql.SQL("SELECT {}").format(_TODAY)))
            return cursor.fetchone()[0]

    def _write(self, days: list[date]) -> None:
        parts = self._parts()
        listed = sql.SQL("SELECT unnest(%(days)s::date[]) AS day")
        statements = [
            sql.SQL("DELETE FROM {table} WHERE day = ANY(%(days)s)").format(**parts),
            sql.SQL("INSERT INTO {table} (day, {column}, grouping, code, {columns}) {counted}").format(
                counted=self._counted(listed), **parts
            ),
            *self._every_key_rows(),
            # The days without any entry counted: marked summarised all the same.
            sql.SQL(
                "INSERT INTO {table} (day, {column}, grouping, code, {columns}) "
                "SELECT day, NULL, '', NULL, {zeros} FROM ({listed}) AS days "
                "WHERE day NOT IN ({marked} AND day = ANY(%(days)s))"
            ).format(listed=listed, **parts),
        ]
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(_text(statement), {"days": days})

    def _together(self, by_key: sql.Composable) -> sql.Composed:
        """The rows of every key together (`every_key`) of rows by key (day, key, grouping, code and the
        figures; the days' totals, by key, left out)."""
        return sql.SQL(
            "SELECT day, {every}, grouping, code, {sums} FROM ({by_key}) AS by_key "
            "WHERE grouping <> '' AND key IS NOT NULL GROUP BY day, grouping, code"
        ).format(every=sql.Literal(self.every_key), by_key=by_key, sums=self._parts()["sums"])

    def _every_key_rows(self) -> list[sql.Composable]:
        """The statement writing the written days' rows of every key together (`every_key`), if any."""
        if self.every_key is None:
            return []
        written = sql.SQL(
            "SELECT day, {column} AS key, grouping, code, {columns} FROM {table} WHERE day = ANY(%(days)s)"
        ).format(**self._parts())
        insert = sql.SQL("INSERT INTO {table} (day, {column}, grouping, code, {columns}) ")
        return [insert.format(**self._parts()) + self._together(written)]

    def forget(self) -> None:
        """Deletes every summary (the next `summarise` counts every day again)."""
        with connection.cursor() as cursor:
            cursor.execute(_text(sql.SQL("DELETE FROM {}").format(sql.Identifier(self.table))))

    def differing(self) -> list[date]:
        """The summarised days whose summary differs from a recount of their entries (none)."""
        parts = self._parts()
        stored = sql.SQL(
            "SELECT day, {column} AS key, grouping, code, {columns} FROM {table} "
            "WHERE NOT (grouping = '' AND {column} IS NULL)"
        ).format(**parts)
        recounted = self._counted(sql.SQL("SELECT DISTINCT day FROM ({marked}) AS marked").format(**parts))
        if self.every_key is not None:  # and the rows of every key together, from the same recount
            recounted = sql.SQL(
                "SELECT * FROM (SELECT * FROM ({0}) AS by_key UNION ALL {1}) AS recounted"
            ).format(recounted, self._together(recounted))
        statement = sql.SQL(
            "SELECT DISTINCT day FROM (({0} EXCEPT ALL {1}) UNION ALL ({1} EXCEPT ALL {0})) AS differences "
            "ORDER BY 1"
        ).format(stored, recounted)
        with connection.cursor() as cursor:
            cursor.execute(_text(statement))
            return [row[0] for row in cursor.fetchall()]


def registered(kind: str = "daily_summaries") -> list:
    """Every app's daily summaries, as its AppConfig names them in `daily_summaries` (or its KeptFigures,
    named in `kept_figures`)."""
    return [import_string(path) for config in apps.get_app_configs() for path in getattr(config, kind, ())]


@dataclass(frozen=True)
class Kept:
    """Figures of spans of closed days that cannot be added up from daily summaries (medians and
    percentiles, activities counted in their languages and audiences), counted once by their app and kept
    whole (citedesmetiers.KeptFigures), then read in one statement. Never wrong:

    - a kept span is read only at the generation it was counted at: triggers (`generation_triggers`)
      raise its kind's generation (FiguresGeneration) in the same transaction as any change to a row its
      figures count on a closed day, on the clock at the moment of the change, as the summaries' do;
    - `count` reads the generation in the same statement as the rows it counts (`generation_sql`), so
      no change can slip between them;
    - a change begun while its day was still today (just before midnight) raised nothing: before
      counting, a SHARE lock on `tables`, taken and let go at once, waits for the writers of that
      moment to commit (the desk is held a few milliseconds at most, and only then).

    `count(first, last, institution, sets, generation=bool)` returns the figures (JSON-ready after
    `encode`) and, with `generation`, the generation read with them (None: not to keep, e.g. an
    activity not over yet). `summarise_days` prunes the spans of an earlier generation, `--verify`
    recounts the others, `--rebuild` forgets them all."""

    kind: str
    tables: tuple[str, ...]
    count: Callable[..., tuple[Any, int | None]]
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]

    @property
    def table(self) -> str:
        return f"{_KEPT_TABLE} ({self.kind})"

    def generation_sql(self) -> str:
        """SQL of this kind's current generation (NULL before its first), to read in a counting statement."""
        return _text(
            sql.SQL("(SELECT value FROM citedesmetiers_figuresgeneration WHERE kind = {})").format(
                sql.Literal(self.kind)
            )
        )

    def generation_expression(self) -> models.Subquery:
        """The same as an ORM expression, for a counting query built by Django."""
        generations = apps.get_model("citedesmetiers", "FiguresGeneration").objects.filter(kind=self.kind)
        return models.Subquery(generations.values("value"))

    def figures(self, *, first: date, last: date, institution: int | None, sets: str):
        """The figures of the closed days `first` to `last`: as kept, or counted and kept."""
        key: dict[str, Any] = dict(kind=self.kind, first=first, last=last, institution=institution, sets=sets)
        together = _together.get()
        with connection.cursor() as cursor:
            if together is not None and (first, last) in together[0]:  # read with the others, or none
                kept = together[1].get((self.kind, first, last, institution, sets))
            else:
                cursor.execute(_KEPT_READ, key)
                kept = (cursor.fetchone() or [None])[0]
            if kept:
                return self.decode(json.loads(kept))
            with transaction.atomic():
                cursor.execute(_text(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(self._tables())))
                cursor.execute(_GENERATION_START, key)  # a first generation (after a flush of the tables)
        found, generation = self.count(first, last, institution, sets, generation=True)
        if generation is not None:
            with connection.cursor() as cursor:
                cursor.execute(_KEPT_WRITE, {**key, "generation": generation, "rows": self._json(found)})
        return found

    def _tables(self) -> sql.Composed:
        return sql.SQL(", ").join(map(sql.Identifier, self.tables))

    def _json(self, found) -> str:
        return json.dumps(self.encode(found))

    def _kept(self):
        kept = apps.get_model("citedesmetiers", "KeptFigures").objects.filter(kind=self.kind)
        return kept, apps.get_model("citedesmetiers", "FiguresGeneration").objects.filter(kind=self.kind)

    def prune(self) -> int:
        """Deletes the spans kept at an earlier generation (never read again); returns how many."""
        kept, generation = self._kept()
        return kept.exclude(generation__in=generation.values("value")).delete()[0]

    def forget(self) -> None:
        self._kept()[0].delete()

    def differing(self) -> list[str]:
        """The spans kept at the current generation that differ from a recount (none)."""
        kept, generation = self._kept()
        current = kept.filter(generation__in=generation.values("value"))
        return [
            str(span)
            for span in current.order_by("first", "last", "institution", "sets")
            if json.loads(self._json(self.count(span.first, span.last, span.institution, span.sets)[0]))
            != span.rows
        ]


# The kept figures of every kind for some spans, read together (kept_together): (spans, {key: rows}).
_together: ContextVar[tuple[set[Span], dict[tuple, str]] | None] = ContextVar("kept", default=None)


@contextmanager
def kept_together(spans: Sequence[Span]) -> Iterator[None]:
    """Within the block, the figures kept for these spans, of every kind and breakdown, are those read
    here in ONE statement (a page reading several kinds of kept figures for a period and its comparison
    reads them once); a span not kept is counted and kept as Kept.figures does. Within a block that read
    them already (a page's view around its selectors), nothing more is read."""
    closed = {(first, last) for first, last in spans if last < timezone.localdate()}
    outer = _together.get()
    if outer is not None and closed <= outer[0]:
        yield
        return
    found: dict[tuple, str] = {}
    if closed:
        with connection.cursor() as cursor:
            cursor.execute(
                _KEPT_SPANS, {"firsts": [first for first, _ in closed], "lasts": [last for _, last in closed]}
            )
            found = {tuple(row[:5]): row[5] for row in cursor.fetchall()}
    token = _together.set((closed, found))
    try:
        yield
    finally:
        _together.reset(token)


_KEPT_TABLE = "citedesmetiers_keptfigures"
_KEPT_READ = (
    "SELECT kept.rows::text FROM citedesmetiers_keptfigures AS kept "
    "JOIN citedesmetiers_figuresgeneration AS generation "
    "ON generation.kind = kept.kind AND generation.value = kept.generation "
    "WHERE kept.kind = %(kind)s AND kept.first = %(first)s AND kept.last = %(last)s "
    "AND kept.institution IS NOT DISTINCT FROM %(institution)s AND kept.sets = %(sets)s"
)
_GENERATION_START = (
    "INSERT INTO citedesmetiers_figuresgeneration (kind, value) VALUES (%(kind)s, 0) "
    "ON CONFLICT (kind) DO NOTHING"
)
_KEPT_SPANS = (
    "SELECT kept.kind, kept.first, kept.last, kept.institution, kept.sets, kept.rows::text "
    "FROM citedesmetiers_keptfigures AS kept JOIN citedesmetiers_figuresgeneration AS generation "
    "ON generation.kind = kept.kind AND generation.value = kept.generation "
    "JOIN unnest(%(firsts)s::date[], %(lasts)s::date[]) AS spans(first, last) "
    "ON kept.first = spans.first AND kept.last = spans.last"
)
# Two readers counting the same span at once: the later generation stays. A change of a closed day later
# in this transaction must raise the generation again (its triggers raise it once per transaction): the
# flag is put back.
_KEPT_WRITE = (
    "INSERT INTO citedesmetiers_keptfigures AS kept "
    "(kind, first, last, institution, sets, generation, rows, counted_at) "
    "SELECT %(kind)s, %(first)s, %(last)s, %(institution)s, %(sets)s, %(generation)s, %(rows)s::jsonb, now() "
    "FROM (SELECT set_config('cdm.raised_' || %(kind)s, 'off', true)) AS flag "
    "ON CONFLICT (kind, first, last, institution, sets) DO UPDATE SET generation = "
    "EXCLUDED.generation, rows = EXCLUDED.rows, counted_at = EXCLUDED.counted_at "
    "WHERE kept.generation <= EXCLUDED.generation"
)


# Raised once per transaction (a flag of the transaction): a bulk write of closed days (a seed, an import,
# the queue closed the next morning) updates the generation's row once, not once per row.
_RAISE = """CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting({flag}, true) IS DISTINCT FROM 'on' THEN
        IF TG_OP = 'TRUNCATE' OR (TG_OP = 'INSERT' AND {new}) OR (TG_OP = 'DELETE' AND {old})
            OR (TG_OP = 'UPDATE' AND {updated}) THEN
            INSERT INTO citedesmetiers_figuresgeneration (kind, value) VALUES ({kind}, 1)
                ON CONFLICT (kind) DO UPDATE SET value = citedesmetiers_figuresgeneration.value + 1;
            PERFORM set_config({flag}, 'on', true);
        END IF;
    END IF;
    RETURN NULL;
END $$"""


def local_day(instant: str) -> sql.Composed:
    """SQL of the local day (settings.TIME_ZONE) of an instant given as SQL, for `generation_triggers`."""
    return _local_day(sql.SQL(instant))


def generation_triggers(
    *,
    kind: str,
    table: str,
    day: Callable[[str], sql.Composable],
    also: Sequence[str] = (),
    when: bool = True,
) -> tuple[str, str]:
    """The SQL (forwards, backwards) of the triggers that raise the generation of the kept figures
    `kind` (Kept) when a row of `table` whose day is closed is inserted, changed or deleted, or the table
    is truncated. `day(row)` is SQL of the local day of the row OLD or NEW (its own column, or the day of
    the row it belongs to); closed is before today on the clock at the moment of the change. `also`:
    columns of `table` whose change raises it whatever the day (an adviser's institution). With `when`
    (no subquery in `day`), a change of today's rows calls no function: the triggers' condition is
    false. For a migration (run with a database connection)."""
    function = sql.Identifier(f"{table}_raise_{kind}")
    old = sql.SQL("({} < {})").format(day("OLD"), _TODAY)
    new = sql.SQL("({} < {})").format(day("NEW"), _TODAY)
    changed = sql.SQL("").join(
        sql.SQL(" OR OLD.{0} IS DISTINCT FROM NEW.{0}").format(sql.Identifier(column)) for column in also
    )
    updated = sql.SQL("({} OR {}{})").format(old, new, changed)
    names = {"function": function, "table": sql.Identifier(table)}
    events = {"INSERT": new, "UPDATE": updated, "DELETE": old}
    statements = [
        sql.SQL(_RAISE).format(
            old=old,
            new=new,
            updated=updated,
            kind=sql.Literal(kind),
            flag=sql.Literal(f"cdm.raised_{kind}"),
            **names,
        ),
        *(
            sql.SQL(
                "CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW {when}"
                "EXECUTE FUNCTION {function}()"
            ).format(
                trigger=sql.Identifier(f"{table}_raise_{kind}_{event.lower()}"),
                event=sql.SQL(event),
                when=sql.SQL("WHEN {} ").format(condition) if when else sql.SQL(""),
                **names,
            )
            for event, condition in events.items()
        ),
        sql.SQL(
            "CREATE TRIGGER {truncated} AFTER TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION {function}()"
        ).format(truncated=sql.Identifier(f"{table}_raise_{kind}_truncate"), **names),
    ]
    return (
        ";\n".join(_text(statement) for statement in statements) + ";",
        _text(sql.SQL("DROP FUNCTION {}() CASCADE;").format(function)),
    )


_FORGET = """CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM {table} WHERE day = {old} AND day < {today};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM {table} WHERE day = {new} AND day < {today};
    END IF;
    RETURN NULL;
END $$"""


def forget_triggers(
    *, table: str, source: str, time: str, related: Sequence[tuple[str, str]] = ()
) -> tuple[str, str]:
    """The SQL (forwards, backwards) of the triggers that delete a closed day's summary in `table` when
    an entry of that day in `source` (or a row of a `related` table pointing to one by its column) is
    inserted, changed or deleted, and every summary when one of them is truncated. "Closed" is read on
    the clock at the moment of the change (clock_timestamp()), not at the transaction's start: see
    DailySummary.summarise for why that makes it exact. Today's entries call no function: the row
    triggers' condition is false. For a migration (run with a database connection)."""
    names = {"table": sql.Identifier(table), "source": sql.Identifier(source), "today": _TODAY}

    def day_of(row: str) -> sql.Composed:
        return _local_day(sql.SQL("{}.{}").format(sql.SQL(row), sql.Identifier(time)))

    def closed(row: str) -> sql.Composed:
        return sql.SQL("({} < {})").format(day_of(row), _TODAY)

    def function(name: str) -> sql.Identifier:
        return sql.Identifier(f"{table}_{name}")

    forget, forget_all = function("forget"), function("forget_all")
    statements = [
        sql.SQL(_FORGET).format(function=forget, old=day_of("OLD"), new=day_of("NEW"), **names),
        sql.SQL(
            "CREATE TRIGGER {trigger} AFTER INSERT ON {source} FOR EACH ROW WHEN {new} "
            "EXECUTE FUNCTION {forget}()"
        ).format(trigger=function("forget_insert"), new=closed("NEW"), forget=forget, **names),
        sql.SQL(
            "CREATE TRIGGER {trigger} AFTER UPDATE ON {source} FOR EACH ROW WHEN ({old} OR {new}) "
            "EXECUTE FUNCTION {forget}()"
        ).format(
            trigger=function("forget_update"), old=closed("OLD"), new=closed("NEW"), forget=forget, **names
        ),
        sql.SQL(
            "CREATE TRIGGER {trigger} AFTER DELETE ON {source} FOR EACH ROW WHEN {old} "
            "EXECUTE FUNCTION {forget}()"
        ).format(trigger=function("forget_delete"), old=closed("OLD"), forget=forget, **names),
        sql.SQL(
            "CREATE FUNCTION {forget_all}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN DELETE FROM {table}; RETURN NULL; END $$"
        ).format(forget_all=forget_all, **names),
    ]
    backwards = [sql.SQL("DROP FUNCTION {}() CASCADE").format(name) for name in (forget, forget_all)]
    for other, column in related:
        for_other = function(f"forget_{other}")

        def entry_day(row: str, column: str = column) -> sql.Composed:
            return sql.SQL("(SELECT {} FROM {} AS e WHERE e.id = {}.{})").format(
                _local_day(sql.SQL("e.{}").format(sql.Identifier(time))),
                sql.Identifier(source),
                sql.SQL(row),
                sql.Identifier(column),
            )

        statements += [
            sql.SQL(_FORGET).format(function=for_other, old=entry_day("OLD"), new=entry_day("NEW"), **names),
            sql.SQL(
                "CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON {other} FOR EACH ROW "
                "EXECUTE FUNCTION {trigger}()"
            ).format(trigger=for_other, other=sql.Identifier(other)),
        ]
        backwards.insert(0, sql.SQL("DROP FUNCTION {}() CASCADE").format(for_other))
    for truncated in (source, *(other for other, _column in related)):
        statements.append(
            sql.SQL("CREATE TRIGGER {} AFTER TRUNCATE ON {} FOR EACH STATEMENT EXECUTE FUNCTION {}()").format(
                sql.Identifier(f"{table}_forget_all_{truncated}"), sql.Identifier(truncated), forget_all
            )
        )
    return (
        ";\n".join(_text(statement) for statement in statements) + ";",
        ";\n".join(_text(statement) for statement in backwards) + ";",
    )
