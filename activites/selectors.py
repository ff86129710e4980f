"""Reads of the activities app: the public agenda, the organisers' wall, attendance figures for `stats`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from activites.models import Activity, ActivityQuerySet, Admission, Kind, Registration, WalkIn
from citedesmetiers.dates import Span, in_spans
from citedesmetiers.models import Language
from citedesmetiers.summaries import Kept


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _held_count():
    """Seats given, and seats held for a person offered one from the waiting list."""
    seated = (
        Registration.objects.filter(
            activity=OuterRef("pk"),
            status__in=[Registration.Status.CONFIRMED, Registration.Status.OFFERED],
        )
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(seated, output_field=IntegerField()), Value(0))


def agenda(
    *,
    theme: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    language: str | None = None,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Activity]:
    """The public agenda: published activities (cancelled ones too, marked) still to come from `start`
    (today by default) to `end` included, by start time; each with its `held` count (seats given or
    offered)."""
    now = now or timezone.now()
    activities = Activity.objects.published().filter(ends_at__gt=now)
    if start:
        activities = activities.filter(starts_at__gte=_local_start(start))
    if end:
        activities = activities.filter(starts_at__lt=_local_start(end) + timedelta(days=1))
    if theme:
        activities = activities.filter(theme_id=theme)
    if kind:
        activities = activities.filter(kind=kind)
    if audience:
        activities = activities.filter(audiences__contains=[audience])
    if language:
        activities = activities.filter(languages__code=language)
    return (
        activities.select_related("theme", "partner", "room")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.order_by("position")))
        .annotate(held=_held_count())
        .order_by("starts_at", "pk")
    )


def agenda_activity_get(*, pk: int) -> Activity:
    """A published (or cancelled) activity for its public page; DoesNotExist for drafts."""
    return (
        Activity.objects.published()
        .select_related("theme", "partner", "room")
        .annotate(held=_held_count())
        .get(pk=pk)
    )


def seats_left(activity: Activity) -> int | None:
    """Free seats of an activity with registration: neither given nor held for someone offered one
    from the waiting list (None: no registration, no limit to show)."""
    if activity.admission != Admission.REGISTRATION or activity.capacity is None:
        return None
    held = getattr(activity, "held", None)
    if held is None:
        held = activity.registrations.holding().count()
    return max(0, activity.capacity - held)


def activities_managed_by(user) -> ActivityQuerySet:
    """The wall: coordinators see every activity, organisers those of their institution, others none."""
    if user.has_perm("activites.manage_all_activities"):
        return Activity.objects.all()
    if user.has_perm("activites.manage_partner_activities") and user.partner_id:
        return Activity.objects.filter(partner_id=user.partner_id)
    return Activity.objects.none()


def activity_get(*, user, pk: int) -> Activity:
    """One activity this person manages; DoesNotExist for anyone else's, exactly as for a missing id."""
    return activities_managed_by(user).select_related("theme", "partner", "room").get(pk=pk)


def activity_list(*, user, start: date, end: date | None = None) -> QuerySet[Activity]:
    """The activities this person manages from `start`, with their seats and figures."""
    activities = activities_managed_by(user).filter(starts_at__gte=_local_start(start))
    if end:
        activities = activities.filter(starts_at__lt=_local_start(end) + timedelta(days=1))
    return with_figures(activities.select_related("theme", "partner", "room")).order_by("starts_at", "pk")


def missing_attendance(*, user, now: datetime | None = None) -> QuerySet[Activity]:
    """Held activities that ended and whose attendance was never recorded: flagged, never counted as 0."""
    now = now or timezone.now()
    return (
        activities_managed_by(user)
        .held()
        .filter(ends_at__lt=now, attendance_recorded_at__isnull=True)
        .select_related("theme", "partner")
        .order_by("starts_at", "pk")
    )


def registrations_for_attendance(activity: Activity) -> QuerySet[Registration]:
    """The check-in list: people with a seat, by first name."""
    return activity.registrations.seated().order_by("first_name", "pk")


def waiting_list(activity: Activity) -> QuerySet[Registration]:
    """The people waiting, first come first; those offered a seat (not yet answered) first of all."""
    return activity.registrations.filter(
        status__in=[Registration.Status.WAITING, Registration.Status.OFFERED]
    ).order_by("waiting_since", "pk")


def waiting_position(registration: Registration) -> int | None:
    """A person's place on the waiting list (1 is next), or None when they are not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    return waiting_list(registration.activity).filter(waiting_since__lte=registration.waiting_since).count()


def with_figures(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotates registered (seats given), checked_in, no_shows, waiting and walk_ins to each activity."""
    walk_ins = (
        WalkIn.objects.active()
        .filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Sum("count"))
        .values("n")
    )
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return activities.annotate(
        registered=Count("registrations", filter=confirmed),
        checked_in=Count("registrations", filter=confirmed & Q(registrations__attended=True)),
        no_shows=Count("registrations", filter=confirmed & Q(registrations__attended=False)),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status__in=[Registration.Status.WAITING, Registration.Status.OFFERED]),
        ),
        walked_in=Coalesce(Subquery(walk_ins, output_field=IntegerField()), Value(0)),
    )


@dataclass(frozen=True)
class Figures:
    """The attendance figures of one activity (None: not known, never guessed as 0)."""

    capacity: int | None
    registered: int
    checked_in: int
    no_shows: int
    walk_ins: int
    headcount: int | None
    recorded: bool

    @property
    def participants(self) -> int | None:
        """Checked in + walk-ins + the headcount of free entry; None while attendance is not recorded."""
        if not self.recorded:
            return None
        return self.checked_in + self.walk_ins + (self.headcount or 0)

    @property
    def fill_rate(self) -> float | None:
        """Seats given / capacity."""
        return self.registered / self.capacity if self.capacity else None

    @property
    def show_rate(self) -> float | None:
        """Registrants who came / seats given; None before attendance is recorded."""
        return self.checked_in / self.registered if self.recorded and self.registered else None


def figures(activity: Activity) -> Figures:
    """The figures of an activity annotated by `with_figures` (or of any activity, read here)."""
    # The annotations of with_figures are attributes the model does not declare.
    annotated: Any = activity
    if not hasattr(annotated, "registered"):
        annotated = with_figures(Activity.objects.filter(pk=activity.pk)).get()
    return Figures(
        capacity=annotated.capacity,
        registered=annotated.registered,
        checked_in=annotated.checked_in,
        no_shows=annotated.no_shows,
        walk_ins=annotated.walked_in,
        headcount=annotated.headcount,
        recorded=annotated.attendance_recorded_at is not None,
    )


def registrations_by_language(*, activity: Activity) -> dict[str, dict[str, int]]:
    """Seats given and people checked in, by the language the registrants chose."""
    rows = (
        activity.registrations.seated()
        .order_by()
        .values("language")
        .annotate(registered=Count("pk"), checked_in=Count("pk", filter=Q(attended=True)))
        .order_by("language")
    )
    return {
        row["language"]: {"registered": row["registered"], "checked_in": row["checked_in"]} for row in rows
    }


def digital_tutorials(*, day: date) -> QuerySet[Activity]:
    """The day's published digital tutorials (run in the multimedia space; shown on the stewards' tablet)."""
    return (
        Activity.objects.filter(
            kind=Kind.DIGITAL_TUTORIAL,
            status=Activity.Status.PUBLISHED,
            starts_at__gte=_local_start(day),
            starts_at__lt=_local_start(day + timedelta(days=1)),
        )
        .select_related("room", "partner")
        .order_by("starts_at", "pk")
    )


def _count_of(queryset: QuerySet, value=None) -> Coalesce:
    """A correlated subquery counting (or summing `value` of) the rows of `queryset` for each activity."""
    figure = Sum(value) if value else Count("pk")
    rows = (
        queryset.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=figure).values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


TITLES = ("title_fr", "title_nl", "title_en")


def _held_sql(
    *, spans: Sequence[Span], ended_by: datetime, partner=None, per_partner: bool = False
) -> tuple[str, list]:
    """The WITH clause that activity_rows and activity_breakdowns read, and its parameters: `counted`,
    each activity held on the days of a span (local, first and last included) that ended by `ended_by`
    (of one institution), once per span (0-based) with its `owner` (its institution with `per_partner`,
    else NULL) and figures — registered (seats given), checked_in, walk_ins, and participants (checked
    in + walk-ins + the headcount of free entry, NULL while attendance is not recorded: as
    Figures.participants) and its languages' codes in order. The SQL is Django's, the values
    parameters."""
    activities = Activity.objects.held().filter(in_spans("starts_at", spans), ends_at__lte=ended_by)
    if partner is not None:
        activities = activities.filter(partner=partner)
    missing = Q(attendance_recorded_at__isnull=True)
    seats = (  # [seats given, checked in], from one look at the activity's registrations
        Registration.objects.filter(activity=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("activity")
        .annotate(
            seats=Func(
                Count("pk"),
                Count("pk", filter=Q(attended=True)),
                template="ARRAY[%(expressions)s]",
                output_field=ArrayField(IntegerField()),
            )
        )
        .values("seats")
    )
    # Each activity's registrations, walk-ins and languages read by its key (an index), so that the time
    # follows the activities of the spans, not the length of the history.
    held = activities.annotate(
        day=TruncDate("starts_at", tzinfo=timezone.get_default_timezone()),
        recorded=ExpressionWrapper(~missing, output_field=BooleanField()),
        seats=Subquery(seats),
        walked_in=_count_of(WalkIn.objects.active(), "count"),
        language_codes=ArraySubquery(
            Activity.languages.through.objects.filter(activity_id=OuterRef("pk"))
            .order_by("language_id")
            .values("language_id")
        ),
        # The start and the titles of those without attendance only: the figures list them.
        start=Case(When(missing, then=F("starts_at"))),
        **{f"missing_{name}": Case(When(missing, then=F(name))) for name in TITLES},
    ).values(
        "pk",
        "starts_at",
        "theme_id",
        "kind",
        "partner_id",
        "audiences",
        "capacity",
        "headcount",
        "day",
        "recorded",
        "seats",
        "walked_in",
        "language_codes",
        "start",
        *(f"missing_{name}" for name in TITLES),
    )
    inner, params = held.order_by().query.sql_with_params()
    owner = "held.partner_id" if per_partner else "NULL::bigint"
    # The held rows' SQL is Django's (its values stay parameters), the owner one of two constants.
    statement = _HELD.format(held=inner, owner=owner)  # nosec B608
    return statement, [*params, [first for first, _ in spans], [last for _, last in spans]]


_HELD = """WITH held AS MATERIALIZED ({held}),
counted AS MATERIALIZED (
    SELECT spans.span - 1 AS span, {owner} AS owner, held.*,
        COALESCE(held.seats[1], 0) AS registered, COALESCE(held.seats[2], 0) AS checked_in,
        held.walked_in AS walk_ins,
        CASE WHEN held.recorded THEN COALESCE(held.seats[2], 0) + held.walked_in + COALESCE(held.headcount, 0)
        END AS participants
    FROM held JOIN unnest(%s::date[], %s::date[]) WITH ORDINALITY AS spans(first, last, span)
        ON held.day BETWEEN spans.first AND spans.last
)"""

# The rows of activity_rows.
_ROWS = " SELECT * FROM counted ORDER BY span, starts_at, pk"


# The figures of the held activities by span (and institution): each activity's seats, people who came
# (participants: checked in + walk-ins + the headcount of free entry, NULL while attendance is not
# recorded, as Figures.participants) and its codes, then the regular activities (not outreach) counted
# by each grouping; an activity in several languages or for several audiences counts in each.
_BREAKDOWNS = """,
regular AS (SELECT * FROM counted WHERE kind <> %s),
grouped AS (
    SELECT span, owner, 'theme' AS grouping, theme_id::text AS code, participants FROM regular
    UNION ALL SELECT span, owner, 'kind', kind::text, participants FROM regular
    UNION ALL SELECT span, owner, 'partner', COALESCE(partner_id::text, 'None'), participants FROM regular
    UNION ALL SELECT span, owner, 'language', language::text, participants
        FROM regular, unnest(language_codes) AS language
    UNION ALL SELECT span, owner, 'audience', audience::text, participants
        FROM regular, unnest(CASE WHEN cardinality(audiences) > 0 THEN audiences::text[]
            ELSE ARRAY['everyone'] END) AS audience
)
SELECT span, owner, grouping, code, COUNT(*), COALESCE(SUM(participants), 0)::bigint,
    NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
    NULL::timestamptz, NULL::text, NULL::text, NULL::text
FROM grouped GROUP BY span, owner, grouping, code
UNION ALL
SELECT span, owner, '', NULL, COUNT(*), COALESCE(SUM(participants), 0)::bigint,
    COUNT(*) FILTER (WHERE recorded),
    COALESCE(SUM(registered) FILTER (WHERE capacity <> 0), 0)::bigint,
    COALESCE(SUM(capacity) FILTER (WHERE capacity <> 0), 0)::bigint,
    COALESCE(SUM(checked_in) FILTER (WHERE recorded), 0)::bigint,
    COALESCE(SUM(registered) FILTER (WHERE recorded), 0)::bigint,
    NULL, NULL, NULL, NULL
FROM regular GROUP BY span, owner
UNION ALL
SELECT span, owner, 'outreach', NULL, COUNT(*), COALESCE(SUM(participants), 0)::bigint,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM counted WHERE kind = %s GROUP BY span, owner
UNION ALL
SELECT span, owner, 'missing', pk::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    start, missing_title_fr, missing_title_nl, missing_title_en
FROM regular WHERE NOT recorded
"""
# The kept figures' generation (read in the same statement as the rows) and the count of the spans'
# activities not over yet (none, or the figures are not kept), as one more row of the breakdowns.
_GENERATION = """
UNION ALL
SELECT 0, NULL, 'generation', ({generation})::text, (SELECT COUNT(*) FROM ({unfinished}) AS unfinished),
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
"""
_BREAKDOWN_COLUMNS = (
    "span",
    "owner",
    "grouping",
    "code",
    "activities",
    "participants",
    "recorded",
    "seats",
    "capacity",
    "checked_in",
    "registered",
    "starts_at",
    *TITLES,
)


def activity_breakdowns(
    *, spans: Sequence[Span], ended_by: datetime | None = None, partner=None, per_partner: bool = False
) -> list[dict[int | None, dict[str, list[dict]]]]:
    """The figures of the activities held in each span (as activity_rows selects them; ended by
    `ended_by`, by default now), for `stats`: per span, {owner: {grouping: rows}} — the owner is the
    organising institution's id with `per_partner` (None: of none), else None for all; the groupings: ""
    (the regular activities' total: activities, participants, recorded, seats and capacity where a
    capacity is set, checked_in and registered where attendance is recorded), "outreach" (activities,
    participants), "theme", "kind", "partner" (its id as text, "None"), "language", "audience" (each with
    its code, activities and participants: "everyone" for an activity without an audience) and "missing"
    (each regular activity whose attendance is missing: id, title, start and titles, by start).

    The spans not over yet are counted in ONE statement; those of days all over, when counted up to now,
    are counted once and kept whole (KEPT_ACTIVITIES), as the queue's are, while no activity, seat,
    walk-in or language of a closed day has changed."""
    institution = getattr(partner, "pk", partner)
    sets = "per_partner" if per_partner else ""
    today = timezone.localdate()
    kept = [ended_by is None and last < today for _first, last in spans]
    live = [span for span, keep in zip(spans, kept, strict=True) if not keep]
    counted = iter(_breakdowns(live, ended_by or timezone.now(), institution, per_partner)[0] if live else [])
    return [
        _titled(
            KEPT_ACTIVITIES.figures(first=first, last=last, institution=institution, sets=sets)
            if keep
            else next(counted)
        )
        for (first, last), keep in zip(spans, kept, strict=True)
    ]


def _breakdowns(
    spans: Sequence[Span],
    ended_by: datetime,
    institution: int | None,
    per_partner: bool,
    generation: str = "",
) -> tuple[list[dict[int | None, dict[str, list[dict]]]], int | None]:
    """activity_breakdowns counted (without titles); with `generation` (its SQL), also the generation of
    the kept figures read in the same statement — None if an activity of the spans is not over yet."""
    held, params = _held_sql(spans=spans, ended_by=ended_by, partner=institution, per_partner=per_partner)
    statement, params = held + _BREAKDOWNS, [*params, Kind.OUTREACH, Kind.OUTREACH]
    if generation:
        activities = Activity.objects.held().filter(in_spans("starts_at", spans), ends_at__gt=ended_by)
        unfinished, more = activities.values("pk").query.sql_with_params()
        # Both are SQL of this app (its values parameters): the generation, and the activities not over.
        statement += _GENERATION.format(generation=generation, unfinished=unfinished)  # nosec B608
        params += more
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        fetched = cursor.fetchall()
    found: list[dict[int | None, dict[str, list[dict]]]] = [{} for _span in spans]
    kept = None
    for values in fetched:
        row = dict(zip(_BREAKDOWN_COLUMNS, values, strict=True))
        if row["grouping"] == "generation":
            kept = int(row["code"]) if row["code"] is not None and not row["activities"] else None
            continue
        found[row["span"]].setdefault(row["owner"], {}).setdefault(row["grouping"], []).append(row)
    return found, kept


def _titled(by_owner: dict[int | None, dict[str, list[dict]]]) -> dict[int | None, dict[str, list[dict]]]:
    """The activities without attendance with their id and their title in the active language, by start."""
    for groupings in by_owner.values():
        missing = groupings.get("missing", [])
        for row in missing:
            row["id"], row["title"] = int(row["code"]), Activity(**{name: row[name] for name in TITLES}).title
        missing.sort(key=lambda row: (row["starts_at"], row["id"]))
    return by_owner


def _kept_count(
    first: date, last: date, institution: int | None, sets: str, *, generation: bool = False
) -> tuple[dict[int | None, dict[str, list[dict]]], int | None]:
    found, kept = _breakdowns(
        [(first, last)],
        timezone.now(),
        institution,
        sets == "per_partner",
        KEPT_ACTIVITIES.generation_sql() if generation else "",
    )
    return found[0], kept


def _encoded(by_owner: dict[int | None, dict[str, list[dict]]]) -> list:
    """A span's figures as JSON: [owner, grouping, rows], the starts as ISO instants, no title."""
    return [
        [
            owner,
            grouping,
            [
                {
                    name: value.isoformat() if isinstance(value, datetime) else value
                    for name, value in row.items()
                    if name not in ("id", "title")
                }
                for row in rows
            ],
        ]
        for owner, groupings in by_owner.items()
        for grouping, rows in groupings.items()
    ]


def _decoded(kept: list) -> dict[int | None, dict[str, list[dict]]]:
    by_owner: dict[int | None, dict[str, list[dict]]] = {}
    for owner, grouping, rows in kept:
        by_owner.setdefault(owner, {})[grouping] = [
            row | {"starts_at": datetime.fromisoformat(row["starts_at"]) if row["starts_at"] else None}
            for row in rows
        ]
    return by_owner


# The activities' figures of closed spans, kept whole (citedesmetiers.summaries.Kept; its triggers:
# migration activites 0008), pruned and verified by summarise_days.
KEPT_ACTIVITIES = Kept(
    kind="activities",
    tables=(
        "activites_activity",
        "activites_registration",
        "activites_walkin",
        "activites_activity_languages",
    ),
    count=_kept_count,
    encode=_encoded,
    decode=_decoded,
)


def activity_rows(*, spans: Sequence[Span], ended_by: datetime, partner=None) -> list[list[dict]]:
    """The activities held on the days of each span (local, first and last included) that ended by
    `ended_by`, as plain rows for the figures of `stats`: pk, theme, kind, partner, audiences, day
    (local), capacity, recorded (attendance), registered (seats given), checked_in, walk_ins, headcount,
    participants (None while not recorded), languages (codes, in order), and the title and start of those
    whose attendance is missing. One statement for every span (_held_sql), without building an object per
    activity."""
    statement, params = _held_sql(spans=spans, ended_by=ended_by, partner=partner)
    found: list[list[dict]] = [[] for _span in spans]
    with connection.cursor() as cursor:
        cursor.execute(statement + _ROWS, params)
        names = [column.name for column in cursor.description]
        fetched = cursor.fetchall()
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        titles = {name: row.pop(f"missing_{name}") for name in TITLES}
        row["title"] = "" if row["recorded"] else Activity(**titles).title
        row["starts_at"], row["languages"] = row.pop("start"), row.pop("language_codes")
        for name in ("owner", "seats", "walked_in"):
            del row[name]
        found[row.pop("span")].append(row)
    return found
