"""Reads of the reception desk and the queue. Days are local (Europe/Brussels); counts are sums of
`count` over visits not cancelled; figures are computed from the rows, never kept as running totals."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractHour,
    ExtractIsoWeekDay,
    LPad,
    NullIf,
    TruncDate,
    TruncMonth,
)
from django.utils import timezone
from django.utils.functional import Promise

from accueil.models import Duty, Orientation, Ticket, TicketStatus, Visit, VisitDay
from citedesmetiers.dates import Span, day_bounds
from citedesmetiers.models import AuditEntry
from citedesmetiers.selectors import computed_groupings, grouping_sets
from citedesmetiers.summaries import DailySummary, Kept, local_time

# The order people are called in: priority tickets first (false sorts before true), then by time of issue.
QUEUE_ORDER = (ExpressionWrapper(Q(priority=""), output_field=BooleanField()).asc(), "issued_at", "id")


def visits_of_day(day: date) -> QuerySet[Visit]:
    start, end = day_bounds(day)
    return Visit.objects.active().filter(occurred_at__gte=start, occurred_at__lt=end)


@dataclass(frozen=True)
class DayCounts:
    total: int
    by_theme: dict[str | None, int]
    by_orientation: dict[str, int]
    by_channel: dict[str, int]


def _sums(visits: QuerySet[Visit], field: str) -> dict:
    rows = visits.values(field).annotate(people=Sum("count")).order_by()
    return {row[field]: row["people"] for row in rows}


def visit_counts(*, day: date) -> DayCounts:
    """People in contact on a day, in total and by theme (None: general information), orientation
    and channel. Three grouped queries over one day's rows."""
    visits = visits_of_day(day)
    by_theme = _sums(visits, "theme")
    return DayCounts(
        total=sum(by_theme.values()),
        by_theme=by_theme,
        by_orientation=_sums(visits, "orientation"),
        by_channel=_sums(visits, "channel"),
    )


def desk_recent(*, user, day: date, limit: int = 6) -> list[Visit]:
    """The entries this person recorded on a day (undone ones too), newest first, with their tickets."""
    start, end = day_bounds(day)
    recent = Visit.objects.filter(recorded_by=user, recorded_at__gte=start, recorded_at__lt=end)
    related = recent.select_related("theme", "language", "channel", "ticket", "ticket__theme")
    return list(related.order_by("-recorded_at")[:limit])


def queue_lengths(*, day: date) -> list[dict]:
    """Waiting tickets of the day by theme and language: [{theme, language, waiting}]."""
    rows = (
        Ticket.objects.filter(service_date=day, status=TicketStatus.WAITING)
        .values("theme", "language")
        .annotate(waiting=Count("id"))
        .order_by("theme", "language")
    )
    return [dict(row) for row in rows]


def tickets_for_adviser(*, adviser, day: date) -> QuerySet[Ticket]:
    """The waiting tickets this adviser can take: their institution's themes, their languages, and
    nobody who asked for another institution. None without an institution or spoken languages."""
    waiting = Ticket.objects.filter(service_date=day, status=TicketStatus.WAITING)
    return tickets_adviser_can_take(adviser, waiting)


def tickets_adviser_can_take(adviser, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The tickets among `tickets` this adviser can take: their institution's themes, their languages,
    and nobody who asked for another institution. None without an institution."""
    if adviser.partner_id is None:
        return tickets.none()
    return tickets.filter(
        Q(partner__isnull=True) | Q(partner_id=adviser.partner_id),
        theme__in=adviser.partner.themes.all(),
        language__in=adviser.languages.all(),
    )


@dataclass(frozen=True)
class OnDuty:
    """An adviser on duty and what they can take: their institution, its themes, their languages."""

    adviser_id: int
    desk: str
    partner_id: int | None
    themes: frozenset[str]
    languages: frozenset[str]

    def covers(self, *, theme: str, language: str, partner: int | None) -> bool:
        """Whether this adviser can take a person of this theme and language asking for `partner`."""
        return (
            self.partner_id is not None
            and theme in self.themes
            and language in self.languages
            and partner in (None, self.partner_id)
        )


def open_duty(*, adviser, day: date) -> Duty | None:
    """The adviser's duty open on `day`, if any."""
    return Duty.objects.filter(adviser=adviser, service_date=day, ended_at__isnull=True).first()


def on_duty(*, day: date) -> list[OnDuty]:
    """The advisers on duty now on `day` (started, not ended), with what each can take. Three queries."""
    duties = Duty.objects.filter(service_date=day, ended_at__isnull=True).select_related("adviser__partner")
    duties = duties.prefetch_related("adviser__languages", "adviser__partner__themes")
    return [
        OnDuty(
            adviser_id=duty.adviser_id,
            desk=duty.desk,
            partner_id=duty.adviser.partner_id,
            themes=frozenset(t.code for t in partner.themes.all())
            if (partner := duty.adviser.partner) is not None
            else frozenset(),
            languages=frozenset(language.code for language in duty.adviser.languages.all()),
        )
        for duty in duties
    ]


def covered(duties: list[OnDuty], *, theme: str, language: str, partner: int | None) -> bool:
    """Whether anyone on duty can take a person of this theme and language asking for `partner`."""
    return any(duty.covers(theme=theme, language=language, partner=partner) for duty in duties)


def adviser_current_ticket(*, adviser, day: date) -> Ticket | None:
    """The person this adviser has called or is advising now, if any."""
    return (
        Ticket.objects.filter(
            adviser=adviser, service_date=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .select_related("theme", "language", "partner")
        .first()
    )


def queue_overview(*, day: date) -> QuerySet[Ticket]:
    """Every open ticket of the day, oldest first, for coordinators."""
    return (
        Ticket.objects.filter(
            service_date=day, status__in=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .select_related("theme", "language", "partner")
        .order_by(*QUEUE_ORDER)
    )


# The typical consultation before the day's first one has ended (docs/reception.md, "The waiting-room
# screen").
DEFAULT_SERVICE = timedelta(minutes=20)
# A consultation shorter than this (a ticket ended by mistake) does not set the pace.
MIN_SERVICE = timedelta(minutes=5)
# Longer estimates are shown as "more than WAIT_CAP_MINUTES": nobody can promise further ahead.
WAIT_CAP_MINUTES = 90


@dataclass(frozen=True)
class WaitingGroup:
    """People waiting for one theme and language, asking for one institution (None: any); the estimate
    is the wait of the group's last person in minutes (rounded up to 5; WAIT_CAP_MINUTES at most, then
    `capped`), None when nobody on duty can take them ("ask at reception")."""

    theme: str
    language: str
    waiting: int
    estimate_minutes: int | None
    partner: int | None = None
    advisers: int = 0
    capped: bool = False


def service_time(*, day: date) -> timedelta:
    """The typical consultation of `day`: the median of its ended consultations (served→ended, or
    called→ended when the consultation was not started on the queue page), at least MIN_SERVICE;
    DEFAULT_SERVICE before the first has ended. Walk-aways, cancelled and unserved tickets are left out.
    One query."""
    duration = ExpressionWrapper(
        F("ended_at") - Coalesce("served_at", "called_at"), output_field=DurationField()
    )
    median = Ticket.objects.filter(
        service_date=day, status=TicketStatus.DONE, ended_at__isnull=False, called_at__isnull=False
    ).aggregate(median=Percentile(duration, 0.5))["median"]
    if median is None:
        return DEFAULT_SERVICE
    return max(median, MIN_SERVICE)


def wait_estimates(*, day: date, now: datetime | None = None) -> list[WaitingGroup]:
    """For each theme, language and institution asked for (None: any) with people waiting: how many, and
    an honest estimate of the wait of its last person. The advisers on duty who can take the group
    share the people they would call up to that person (everyone waiting they can take, called first
    by QUEUE_ORDER); the estimate is those people ÷ those advisers × the day's typical consultation
    (service_time), rounded up to 5 minutes, at least 5, at most WAIT_CAP_MINUTES. No adviser on duty for
    the group: no estimate (None). Five queries. `now` is accepted for symmetry."""
    waiting = list(
        Ticket.objects.filter(service_date=day, status=TicketStatus.WAITING)
        .order_by(*QUEUE_ORDER)
        .values_list("theme_id", "language_id", "partner_id")
    )
    if not waiting:
        return []
    duties = on_duty(day=day)
    service = service_time(day=day).total_seconds() / 60
    counts: dict[tuple, int] = {}
    last: dict[tuple, int] = {}
    for index, group in enumerate(waiting):
        counts[group] = counts.get(group, 0) + 1
        last[group] = index
    groups = []
    for group, count in counts.items():
        theme, language, partner = group
        covering = [d for d in duties if d.covers(theme=theme, language=language, partner=partner)]
        estimate, capped = None, False
        if covering:
            people = sum(
                1
                for other in waiting[: last[group] + 1]
                if any(d.covers(theme=other[0], language=other[1], partner=other[2]) for d in covering)
            )
            minutes = max(5, 5 * math.ceil(people / len(covering) * service / 5))
            capped = minutes > WAIT_CAP_MINUTES
            estimate = min(minutes, WAIT_CAP_MINUTES)
        groups.append(WaitingGroup(theme, language, count, estimate, partner, len(covering), capped))
    return sorted(groups, key=lambda g: (g.theme, g.language, g.partner or 0))


def called_tickets(*, day: date, limit: int = 6) -> list[Ticket]:
    """The tickets called most recently (first calls and recalls), for the waiting-room screen."""
    return list(
        Ticket.objects.filter(service_date=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("theme")
        .order_by("-announced_at")[:limit]
    )


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile of an interval, as an aggregate (filter allowed)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


WAITING = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(F("ended_at") - F("served_at"), output_field=DurationField())
# The institution of a ticket: its adviser's, or the one asked for while nobody called it.
INSTITUTION = Coalesce(F("adviser__partner"), F("partner"))
GROUPINGS = {
    "institution": INSTITUTION,
    "theme": F("theme"),
    "language": F("language"),
    "hour": ExtractHour("issued_at"),
    "weekday": ExtractIsoWeekDay("issued_at"),
    "day": TruncDate("issued_at"),
}


# A wait longer than this is reported apart (the share of people who waited more than half an hour).
LONG_WAIT = timedelta(minutes=30)


def tickets_of_partner(tickets: QuerySet[Ticket], partner) -> QuerySet[Ticket]:
    """The tickets of one institution (INSTITUTION), behind the same wall as its consultations: those
    its advisers called, and those asked for it that nobody called."""
    return tickets.alias(institution=INSTITUTION).filter(institution=getattr(partner, "pk", partner))


def ticket_times(*, start: date, end: date, by: Sequence[str] = (), partner=None) -> list[dict]:
    """Queue figures for the days from `start` to `end` included, grouped by any of theme, language,
    hour, weekday (1 = Monday) and day (local time of the ticket), for the whole centre or one
    institution (`tickets_of_partner`). Per group: tickets, called, served, walked_away, not_served,
    long_waits (called after more than LONG_WAIT), and waiting (issued to first call, over the tickets
    called) and service (start to end of the consultation) times as timedeltas: mean, median and 90th
    percentile (waiting); "institution" groups by INSTITUTION. Cancelled tickets are left out; a
    transferred ticket counts under its final theme and institution (what it was called for), with its
    first time of issue; a priority ticket counts like any other."""
    unknown = set(by) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping: {sorted(unknown)}")
    [rows] = ticket_breakdowns(start=start, end=end, sets=[tuple(by)], partner=partner).values()
    return rows if by or rows[0]["tickets"] else []  # the total of no ticket: no row


# The queue's figures (ticket_times) as SQL over the rows ticket_breakdowns selects.
_CALLED = '"called_at" IS NOT NULL'
_SERVED = '"served_at" IS NOT NULL AND "ended_at" IS NOT NULL'
TICKET_FIGURES = {
    "tickets": "COUNT(*)",
    "called": f"COUNT(*) FILTER (WHERE {_CALLED})",
    "served": f"COUNT(*) FILTER (WHERE \"status\" = '{TicketStatus.DONE.value}')",
    "walked_away": f"COUNT(*) FILTER (WHERE \"status\" = '{TicketStatus.WALKED_AWAY.value}')",
    "not_served": f"COUNT(*) FILTER (WHERE \"status\" = '{TicketStatus.NOT_SERVED.value}')",
    "long_waits": 'COUNT(*) FILTER (WHERE "long_wait")',
    "waiting_mean": f'AVG("waiting") FILTER (WHERE {_CALLED})',
    "waiting_median": f'PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY "waiting") FILTER (WHERE {_CALLED})',
    "waiting_p90": f'PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY "waiting") FILTER (WHERE {_CALLED})',
    "service_mean": f'AVG("service") FILTER (WHERE {_SERVED})',
    "service_median": f'PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY "service") FILTER (WHERE {_SERVED})',
    "service_count": f"COUNT(*) FILTER (WHERE {_SERVED})",
}


def ticket_breakdowns(
    *, start: date, end: date, sets: Sequence[Sequence[str]], partner=None
) -> dict[tuple[str, ...], list[dict]]:
    """`ticket_times` for each grouping set of `sets` (tuples of GROUPINGS' names; () for the total) in
    ONE statement: {set: rows}, each row with the set's names and the figures of ticket_times (the total
    of no ticket: a row of zeros and Nones). Hours and weekdays as ints.

    The figures of days all over (`end` before today) are counted once and kept (KEPT_QUEUE): the
    medians and 90th percentiles of the waits cannot be added up from daily summaries, so a closed span
    is kept whole, read in one statement while no ticket of a closed day (nor an adviser's institution)
    has changed since."""
    institution, groups = getattr(partner, "pk", partner), ";".join(",".join(group) for group in sets)
    if end >= timezone.localdate():
        return _counted(start, end, institution, groups)[0]
    return KEPT_QUEUE.figures(first=start, last=end, institution=institution, sets=groups)


def _counted(
    start: date, end: date, institution: int | None, groups: str, *, generation: bool = False
) -> tuple[dict[tuple[str, ...], list[dict]], int | None]:
    """ticket_breakdowns counted from the tickets (`groups`: the sets as text, "theme,hour;language");
    with `generation`, also the generation of the queue's kept figures read in the same statement."""
    sets = [tuple(group.split(",")) if group else () for group in groups.split(";")]
    tickets = Ticket.objects.filter(service_date__gte=start, service_date__lte=end).exclude(
        status=TicketStatus.CANCELLED
    )
    if institution is not None:
        tickets = tickets_of_partner(tickets, institution)
    tickets = tickets.annotate(
        waiting=WAITING,
        service=SERVICE,
        long_wait=ExpressionWrapper(Q(called_at__gt=F("issued_at") + LONG_WAIT), output_field=BooleanField()),
    )
    [found] = grouping_sets(
        tickets,
        groupings=GROUPINGS,
        sets=sets,
        columns=["status", "called_at", "served_at", "ended_at", "waiting", "service", "long_wait"],
        aggregates=TICKET_FIGURES | ({"generation": KEPT_QUEUE.generation_sql()} if generation else {}),
    )
    numeric = {"hour", "weekday"}
    counted = {
        group: [row | {name: int(row[name]) for name in group if name in numeric} for row in rows]
        for group, rows in found.items()
    }
    generations = {row.pop("generation", None) for rows in counted.values() for row in rows}
    # No row (nothing to keep) or no generation yet: not kept.
    return counted, generations.pop() if len(generations) == 1 else None


_DURATIONS = ("waiting_mean", "waiting_median", "waiting_p90", "service_mean", "service_median")
_MICROSECOND = timedelta(microseconds=1)


def _encoded(found: dict[tuple[str, ...], list[dict]]) -> list:
    """The queue's figures as JSON: durations in microseconds, a day as its ISO date."""

    def row_of(row: dict) -> dict:
        return {
            name: value // _MICROSECOND
            if name in _DURATIONS and value is not None
            else value.isoformat()
            if isinstance(value, date)
            else value
            for name, value in row.items()
        }

    return [[list(group), [row_of(row) for row in rows]] for group, rows in found.items()]


def _decoded(kept: list) -> dict[tuple[str, ...], list[dict]]:
    def row_of(row: dict) -> dict:
        return {
            name: timedelta(microseconds=value)
            if name in _DURATIONS and value is not None
            else date.fromisoformat(value)
            if name == "day"
            else value
            for name, value in row.items()
        }

    return {tuple(group): [row_of(row) for row in rows] for group, rows in kept}


# The queue's figures of closed spans, kept whole (citedesmetiers.summaries.Kept; its triggers: migration
# accueil 0008), pruned and verified by summarise_days.
KEPT_QUEUE = Kept(kind="queue", tables=("accueil_ticket",), count=_counted, encode=_encoded, decode=_decoded)


def orientation_label(code: str) -> str | Promise:
    return Orientation(code).label  # lazy: in the language the table is rendered in


VISIT_GROUPINGS = {
    "theme": F("theme"),
    "channel": F("channel"),
    "orientation": F("orientation"),
    "language": F("language"),
    "month": TruncMonth("occurred_at"),
    "weekday": ExtractIsoWeekDay("occurred_at"),
    "hour": ExtractHour("occurred_at"),
}


def visit_sums(
    *, start: datetime, end: datetime, by: Sequence[str] = (), channels: Sequence[str] | None = None
) -> list[dict]:
    """People in contact in [start, end) (sums of `count`, undone entries left out), grouped by any of
    theme, channel, orientation, language, month (first day, local), weekday (1 = Monday) and hour
    (local); `channels` keeps those channels only. One query."""
    unknown = set(by) - set(VISIT_GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping: {sorted(unknown)}")
    visits = Visit.objects.active().filter(occurred_at__gte=start, occurred_at__lt=end)
    if channels is not None:
        visits = visits.filter(channel__in=channels)
    if not by:
        return [visits.aggregate(people=Coalesce(Sum("count"), 0))]
    grouped = visits.annotate(**computed_groupings(VISIT_GROUPINGS, by)).values(*by)
    return list(grouped.annotate(people=Sum("count")).order_by(*by))


# The visits' daily summaries (citedesmetiers.summaries): people by channel and by each grouping.
VISIT_DAYS = DailySummary(
    table=VisitDay._meta.db_table,
    source=Visit._meta.db_table,
    time="occurred_at",
    key="channel_id",
    column="channel",
    groupings={
        "theme": 'e."theme_id"',
        "orientation": 'e."orientation"',
        "language": 'e."language_id"',
        **local_time("occurred_at", "month", "weekday", "hour"),
    },
    figures={"people": 'SUM(e."count")'},
    counted='e."cancelled_at" IS NULL',
)


def visit_breakdowns(*, spans: Sequence[Span], by: Sequence[str]) -> list[dict[str, list[dict]]]:
    """People in contact on the days of each span (local, first and last included; sums of `count`,
    undone entries left out) by channel and each of `by` (theme, orientation, language, month, weekday,
    hour), in ONE statement for every span over the daily summaries and today's visits (VISIT_DAYS): for
    each span, {grouping: [{"channel": code, grouping: value, "people": n}, ...]} ordered by channel and
    value; weekdays and hours as ints, months as their first day."""
    found: list[dict[str, list[dict]]] = []
    for rows in VISIT_DAYS.totals(spans=spans, groupings=by):
        grouped: dict[str, list[dict]] = {name: [] for name in by}
        for row in rows:
            name = row["grouping"]
            grouped[name].append({"channel": row["key"], name: row["code"], "people": row["people"]})
        for name, listed in grouped.items():
            listed.sort(key=_in_order(name))
        found.append(grouped)
    return found


def _in_order(name: str):
    """The order of visit_breakdowns' rows of one grouping: by channel, then value (None last)."""

    def key(row: dict) -> tuple:
        return (row["channel"], row[name] is None, row[name] or 0)

    return key


def ticket_position(*, ticket: Ticket, now: datetime | None = None) -> int:
    """How many people the advisers who can take this waiting ticket would call before it (QUEUE_ORDER:
    priorities first, then by time of issue): the waiting tickets of its day, theme and language that
    come first, those asking for another institution left out when it asks for one. One query; 0 for a
    ticket no longer waiting. `now` is accepted for symmetry with the other reads of the queue."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    earlier = Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, id__lt=ticket.pk)
    prioritised = ~Q(priority="")
    before = (prioritised & earlier) if ticket.priority else (prioritised | earlier)
    ahead = Ticket.objects.filter(
        before,
        service_date=ticket.service_date,
        status=TicketStatus.WAITING,
        theme_id=ticket.theme_id,
        language_id=ticket.language_id,
    )
    if ticket.partner_id is not None:
        ahead = ahead.filter(Q(partner__isnull=True) | Q(partner_id=ticket.partner_id))
    return ahead.count()


# --- reception's view of the queue (docs/reception.md, "The queue") ------------------------------------


def waiting_uncovered(*, day: date, duties: list[OnDuty]) -> list[dict]:
    """The people waiting on `day` whom nobody in `duties` can take, by theme, language and institution
    asked for (None: any), in the order they would be called: {theme, language, partner, labels}. One
    query."""
    rows = (
        Ticket.objects.filter(service_date=day, status=TicketStatus.WAITING)
        .order_by(*QUEUE_ORDER)
        .values_list("theme_id", "language_id", "partner_id", "letter", "theme__letter", "number")
    )
    groups: dict[tuple, dict] = {}
    for theme, language, partner, letter, theme_letter, number in rows:
        if covered(duties, theme=theme, language=language, partner=partner):
            continue
        group = groups.setdefault(
            (theme, language, partner),
            {"theme": theme, "language": language, "partner": partner, "labels": []},
        )
        group["labels"].append(f"{letter or theme_letter}{number:03d}")
    return list(groups.values())


def queue_changes(*, start: date, end: date) -> dict:
    """Reception's hand on the queue of the days from `start` to `end` included: tickets cancelled, given
    priority (still holding it) and transferred (at least once, from the audit trail). One statement; the
    figures of days all over are counted once and kept (KEPT_CHANGES), as the queue's are."""
    if end < timezone.localdate():
        return KEPT_CHANGES.figures(first=start, last=end, institution=None, sets="")
    return _changes_counted(start, end, None, "")[0]


def _changes_counted(
    start: date, end: date, institution: int | None, sets: str, *, generation: bool = False
) -> tuple[dict, int | None]:
    """queue_changes counted from the rows; with `generation`, also the generation of the kept figures
    read in the same statement (`institution` and `sets`: Kept's key, unused here)."""
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    transfers = AuditEntry.objects.filter(
        action="ticket.transfer", object_type="accueil.ticket", at__gte=since, at__lt=until
    ).values_list(Cast("object_id", IntegerField()))
    # The generation as an aggregate (Django's aggregate() takes no other), with or without tickets.
    kept = KEPT_CHANGES.generation_expression()
    figures = Ticket.objects.filter(service_date__gte=start, service_date__lte=end).aggregate(
        cancelled=Count("id", filter=Q(status=TicketStatus.CANCELLED)),
        priority=Count("id", filter=~Q(priority="")),
        transferred=Count("id", filter=Q(id__in=transfers)),
        **({"generation": Coalesce(Max(kept), kept)} if generation else {}),
    )
    return figures, figures.pop("generation", None)


# Reception's changes of closed spans, kept whole (citedesmetiers.summaries.Kept; its triggers: migration
# accueil 0009): a ticket of a closed day changed, or a transfer written in the audit trail for one.
KEPT_CHANGES = Kept(
    kind="reception",
    tables=("accueil_ticket", "citedesmetiers_auditentry"),
    count=_changes_counted,
    encode=dict,
    decode=dict,
)


def ticket_for_consultation(*, adviser, pk: int) -> Ticket | None:
    """The adviser's own ticket of a person called or in consultation, not yet recorded (conseil's form
    records that person's consultation)."""
    return (
        Ticket.objects.filter(
            pk=pk,
            adviser=adviser,
            status__in=[TicketStatus.CALLED, TicketStatus.SERVING],
            consultation__isnull=True,
        )
        .select_related("theme", "language", "partner")
        .first()
    )


def ticket_label_of(key: str) -> Coalesce:
    """The label of the ticket whose id is in the outer query's column `key` ('' without one), read by
    that key for each row: a join would make PostgreSQL hash every row by a ticket most do not have."""
    letter = Coalesce(NullIf(F("letter"), Value("")), F("theme__letter"))
    label = Concat(letter, LPad(Cast("number", CharField()), 3, Value("0")), output_field=CharField())
    ticket = Ticket.objects.filter(pk=OuterRef(key)).values_list(label)
    return Coalesce(Subquery(ticket, output_field=CharField()), Value(""))
