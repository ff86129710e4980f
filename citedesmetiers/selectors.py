"""Reads of the shared platform: reference data for pages, roles of a user, sign-in throttling, the
audit trail of a record."""

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from citedesmetiers import roles, throttle
from citedesmetiers.models import AuditEntry, LoginFailure, Partner, Space, Theme, User, login_name
from citedesmetiers.templatetags.cdm import labelled

# Reference rows change a few times a year; the desk and its forms read them on every request.
REFERENCE_TTL = 60.0
_reference_cache: dict[tuple[type, bool], tuple[float, Any]] = {}  # (read at, rows) per model and rows kept


def reference_rows(model, *, inactive: bool = False) -> list:
    """The active rows of a reference table (themes, languages, partners...) in display order, kept a
    minute in this process; with `inactive`, the retired rows too (the figures name the codes of past
    rows). Integrity does not depend on it: rows store codes behind foreign keys."""
    now = time.monotonic()
    cached = _reference_cache.get((model, inactive))
    if cached is not None and now - cached[0] < REFERENCE_TTL:
        return cached[1]
    rows = model.objects.all() if inactive else model.objects.filter(active=True)
    rows = list(rows.order_by(*model._meta.ordering))
    _reference_cache[(model, inactive)] = (now, rows)
    return rows


def reference_cache_clear() -> None:
    """Forgets the cached reference rows (tests, and after a change in the back office)."""
    _reference_cache.clear()


def theme_list() -> QuerySet[Theme]:
    """The active themes in display order."""
    return Theme.objects.filter(active=True).order_by("position", "code")


def partner_list(*, circle: int | None = None) -> QuerySet[Partner]:
    """The active partner institutions, promoters first, optionally of one circle."""
    partners = Partner.objects.filter(active=True)
    if circle is not None:
        partners = partners.filter(circle=circle)
    return partners.order_by("circle", "-promoter", "position", "name_fr")


def partners_in_order() -> list[Partner]:
    """partner_list() from the reference rows kept a minute in this process (reference_rows), in the same
    order: for the pages that only name the institutions. The rows come in the model's order (circle,
    position, name as the database collates it); a stable sort puts the promoters first in each circle."""
    return sorted(
        reference_rows(Partner),
        key=lambda partner: (partner.circle, not partner.promoter, partner.position),
    )


def space_list() -> QuerySet[Space]:
    """The active spaces of the centre in display order."""
    return Space.objects.filter(active=True).order_by("position", "name_fr")


def user_roles(user: User) -> list[roles.Role]:
    """The roles a user holds, in the order of roles.Role."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in roles.Role if role.value in names]


def login_lockout_seconds(*, username: str, address: str | None, now: datetime | None = None) -> int:
    """Seconds before this user name (or this address) may try to sign in again; 0 if it may now."""
    now = now or timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    checks = [
        (LoginFailure.objects.filter(username=login_name(username)), settings.LOGIN_FAILURES_PER_USERNAME)
    ]
    if address:
        checks.append((LoginFailure.objects.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS))
    wait = max(
        throttle.wait_seconds(failures, limit=limit, window=window, now=now) for failures, limit in checks
    )
    return math.ceil(wait)


# --- the audit trail of one record, for people to read -------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: User | None
    action: str
    changes: list[Change]
    record_type: str = ""
    record: str = ""  # the record's id ("" for a line about many records: a list, an export)


# What the audit trail's actions are called, on a record's page and on the audit trail's.
ACTIONS = {
    "visit.correct": _("corrected"),
    "visit.undo": _("undone"),
    "consultation.create": _("recorded"),
    "consultation.update": _("corrected"),
    "consultation.view": _("opened"),
    "activity.create": _("created"),
    "activity.update": _("changed"),
    "activity.publish": _("published"),
    "activity.cancel": _("cancelled"),
    "activity.headcount": _("headcount recorded"),
    "activity.attendance": _("attendance recorded"),
    "resource.create": _("added"),
    "resource.update": _("changed"),
    "resource.delete": _("removed"),
    "resource.link_report": _("link reported broken"),
    "resource.link_clear": _("link checked: it works"),
    "report_text.update": _("report texts changed"),
    "online_figures.update": _("online figures changed"),
    "consultation.list": _("listed"),
    "consultation.export": _("exported"),
    "ticket.transfer": _("transferred"),
    "ticket.priority": _("priority changed"),
    "ticket.cancel": _("cancelled"),
    "user.second_factor_reset": _("second factor reset"),
    "auditentry.export": _("exported"),
}
# Changes that are not fields of the model.
PSEUDO_FIELDS = {
    "cancelled": _("cancelled"),
    "no_shows": _("people who did not come"),
    "rows": _("lines"),
    "filters": _("filters"),
}
# The filters a list or an export was made with (conseil's and the audit trail's), by their names.
FILTERS = {
    "start": _("From"),
    "end": _("To"),
    "mine": _("Only mine"),
    "actor": _("Person"),
    "action": _("Action"),
    "object_type": _("Type of record"),
    "object_id": _("Record number"),
}


def _filter_value(name: str, value) -> str:
    """A filter's value as people read it: a day in the language's short format, an action by its name."""
    if name in ("start", "end"):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    if name == "action":
        return str(ACTIONS.get(value, value))
    return _readable(None, value)


def _readable(field, value) -> str:
    """A value of the audit trail (codes, ids, ISO times) as people read it."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):  # the filters of a list or an export, in the form's order
        order = {name: index for index, name in enumerate(FILTERS)}
        return ", ".join(
            labelled(FILTERS.get(name, name), _filter_value(name, item))
            for name, item in sorted(value.items(), key=lambda pair: order.get(pair[0], len(order)))
        )
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is None:
        return str(value)
    if field.is_relation:
        names = {str(row.pk): str(row) for row in field.related_model._default_manager.all()}
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.get(str(item), str(item)) for item in values)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    base = getattr(field, "base_field", None)  # a list of codes (ArrayField)
    if isinstance(value, list) and base is not None and base.choices:
        return ", ".join(str(dict(base.flatchoices).get(item, item)) for item in value)
    if isinstance(field, models.DateTimeField):
        # The trail is never rewritten: a time refused today (year 1, say) is still shown, as written.
        try:
            moment = datetime.fromisoformat(value)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        except (TypeError, ValueError, OverflowError):
            return str(value)
    return str(value)


def audit_history(obj, *, actions: list[str] | None = None) -> list[HistoryLine]:
    """The audit trail of one record, oldest first, each change with its field's name and values
    in the reader's language."""
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if actions is not None:
        entries = entries.filter(action__in=actions)
    return [audit_line(entry) for entry in entries.select_related("actor").order_by("at", "id")]


def audit_line(entry: AuditEntry) -> HistoryLine:
    """One line of the audit trail in the reader's language: the action, the type of record, each
    change with its field's name and values."""
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    changes = []
    for name, value in entry.changes.items():
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        label = field.verbose_name if field is not None else PSEUDO_FIELDS.get(name, name)
        if isinstance(value, list) and len(value) == 2:
            changes.append(Change(str(label), _readable(field, value[0]), _readable(field, value[1])))
        else:  # what a list or an export was made of: its filters, its rows
            changes.append(Change(str(label), "", _readable(None, value)))
    action = str(ACTIONS.get(entry.action, entry.action))
    record = "" if entry.object_id == "*" else entry.object_id
    record_type = _record_type(entry.object_type)
    return HistoryLine(entry.at, entry.actor, action, changes, record_type, record)


def _midnight_after(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def staff_by_role(*, days: Sequence[date]) -> list[dict[str, int]]:
    """Active staff accounts that existed on each day (joined by then), by role code; a person with two
    roles counts in both. Superusers without a role are not staff of the centre. One statement for every
    day."""
    rows = (
        User.objects.filter(is_active=True, groups__name__in=roles.Role.values)
        .values("groups__name")
        .annotate(
            **{
                f"on_{index}": Count("pk", distinct=True, filter=Q(date_joined__lt=_midnight_after(day)))
                for index, day in enumerate(days)
            }
        )
        .order_by()
    )
    return [
        {row["groups__name"]: row[f"on_{index}"] for row in rows if row[f"on_{index}"]}
        for index in range(len(days))
    ]


def computed_groupings(groupings: dict, by) -> dict:
    """The groupings of `by` that must be annotated: a plain column (F of its own name) is grouped by
    directly, since an annotation may not take a column's name."""
    return {
        name: groupings[name]
        for name in by
        if not (isinstance(groupings[name], models.F) and groupings[name].name == name)
    }


def audit_entries_visible_to(user) -> QuerySet:
    """The audit trail this person may read: all of it for the director and coordinators; for a partner
    lead, the lines of their institution's staff and about their institution's records (the models each
    app names in its AppConfig's `institution_records`); none for anyone else."""
    if user.has_perm("citedesmetiers.view_auditentry"):
        return AuditEntry.objects.all()
    if not (user.has_perm("citedesmetiers.view_institution_audit") and user.partner_id):
        return AuditEntry.objects.none()
    about = Q(actor__partner_id=user.partner_id)
    for config in apps.get_app_configs():
        for label in getattr(config, "institution_records", ()):
            records = apps.get_model(label).objects.filter(partner_id=user.partner_id)
            keys = records.annotate(pk_text=Cast("pk", CharField())).values("pk_text")  # the trail keeps text
            about |= Q(object_type=label, object_id__in=keys)
    return AuditEntry.objects.filter(about)


def audit_entry_list(entries: QuerySet, *, filters: dict) -> QuerySet:
    """The visible `entries` that match the filters (person, action, object_type, object_id, start and
    end: local days, included; empty ones ignored), newest first."""
    for name in ("actor", "action", "object_type", "object_id"):
        if filters.get(name):
            entries = entries.filter(**{name: filters[name]})
    start, end = filters.get("start"), filters.get("end")
    if start:
        entries = entries.filter(at__gte=_midnight_after(start - timedelta(days=1)))
    if end:
        entries = entries.filter(at__lt=_midnight_after(end))
    return entries.select_related("actor").order_by("-at", "-id")


def audit_record_types(entries: QuerySet) -> list[tuple[str, str]]:
    """The types of record the lines are about: (label, translated name), by name."""
    labels = set(entries.values_list("object_type", flat=True).distinct().order_by())
    return sorted(((label, _record_type(label)) for label in labels), key=lambda pair: pair[1].lower())


def _record_type(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


# --- The centre's practical information (issue 17) -------------------------------------------------

from datetime import time as Clock  # noqa: E402 (this block's own import; `time` is the module above)


@dataclass(frozen=True)
class OpeningDay:
    """One weekday of the opening hours: its name in the active language, and its range (or none)."""

    weekday: int  # 0 = Monday
    opens: Clock | None
    closes: Clock | None

    @property
    def name(self) -> str:
        from django.utils.dates import WEEKDAYS

        return str(WEEKDAYS[self.weekday])


@dataclass(frozen=True)
class DayStatus:
    """Whether the centre is open on a day: its hours, or the reason of an exceptional closure."""

    day: date
    opens: Clock | None = None
    closes: Clock | None = None
    closure: object = None  # a Closure

    @property
    def is_open(self) -> bool:
        return self.closure is None and self.opens is not None


def centre_info(*, today: date | None = None):
    """The centre's practical information (models.CentreInfo) with `week` (seven OpeningDay) and
    `upcoming_closures` (those that end today or later, in order): one query, kept a minute in this
    process like the reference rows (the back office clears it); None when not entered yet."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    from citedesmetiers.models import WEEKDAYS, CentreInfo, Closure

    today = today or timezone.localdate()
    now = time.monotonic()
    cached = _reference_cache.get((CentreInfo, False))
    if cached is not None and now - cached[0] < REFERENCE_TTL and cached[1][0] == today:
        return cached[1][1]
    closures = Closure.objects.filter(centre=OuterRef("pk"), last_day__gte=today).order_by("first_day")
    fields = ["id", "first_day", "last_day", "reason_fr", "reason_nl", "reason_en"]
    info = (
        CentreInfo.objects.annotate(
            upcoming=ArraySubquery(closures.values(json=JSONObject(**{name: name for name in fields})))
        )
        .order_by("pk")
        .first()
    )
    if info is not None:
        info.week = [
            OpeningDay(number, getattr(info, f"{day}_opens"), getattr(info, f"{day}_closes"))
            for number, day in enumerate(WEEKDAYS)
        ]
        info.upcoming_closures = [
            Closure(
                centre_id=info.pk,
                **{
                    **row,
                    "first_day": date.fromisoformat(row["first_day"]),
                    "last_day": date.fromisoformat(row["last_day"]),
                },
            )
            for row in info.upcoming
        ]
    _reference_cache[(CentreInfo, False)] = (now, (today, info))
    return info


def centre_day(info, *, on: date) -> DayStatus:
    """The centre's status on a day (Europe/Brussels): an exceptional closure first, else its hours."""
    for closure in info.upcoming_closures:
        if closure.first_day <= on <= closure.last_day:
            return DayStatus(day=on, closure=closure)
    opening = info.week[on.weekday()]
    return DayStatus(day=on, opens=opening.opens, closes=opening.closes)


def centre_address(language: str) -> str:
    """The centre's street address in one line, in `language` (fr, nl, en; falling back to French), for
    the LOCATION of the calendar entries of activities held at the centre; "" if not entered yet."""
    from django.utils import translation

    info = centre_info()
    if info is None:
        return ""
    with translation.override(language):
        return str(info.address)


def grouping_sets(
    queryset: QuerySet,
    *,
    groupings: dict,
    sets: Sequence[Sequence[str]],
    columns: Sequence[str],
    aggregates: dict[str, str],
    within: tuple[str, Sequence[tuple[Any, Any]]] | None = None,
) -> list[dict[tuple[str, ...], list[dict]]]:
    """Several breakdowns of the same rows in ONE statement (GROUPING SETS) instead of one statement
    each: `groupings` names the expressions (as accueil.selectors.VISIT_GROUPINGS does), `sets` the
    breakdowns (each a tuple of their names), `columns` the rows' fields the figures read, `aggregates`
    the figures as SQL over those columns, e.g. {"people": 'SUM("count")'}. Returns [{set: [{name: value,
    ..., figure: value}, ...]}] ordered by the set's names (None last); a grouping's own NULL (a visit
    without a theme) is told from the rows of the other sets by GROUPING(). The list holds one element,
    or with `within` = (field, ranges), one per range of that field (each from its lower bound, included,
    to its upper, excluded; they may overlap): the rows of several periods counted in the same statement
    (filter the queryset to them first: citedesmetiers.dates.in_ranges)."""
    names = list(dict.fromkeys(name for group in sets for name in group))
    annotated = {f"g_{name}": groupings[name] for name in names}
    field, ranges = within or (None, [(None, None)])
    if field is not None:
        annotated["g_within"] = models.F(field)
    inner = queryset.annotate(**annotated).values(*annotated, *columns)
    sql, params = inner.query.sql_with_params()
    quoted = {name: f'"g_{name}"' for name in names}
    bits = f"GROUPING({', '.join(quoted.values())})" if names else "0"  # the total alone: no grouping
    figures = [f"{expression} AS {name}" for name, expression in aggregates.items()]
    # Without `within`, the total of no row is a row (of zeros and NULLs); with it, a range without rows
    # has none.
    span, joined = ("1", "")
    if field is not None:
        span = "span"
        joined = (
            " JOIN unnest(%s, %s) WITH ORDINALITY AS spans(lower, upper, span) "
            'ON rows."g_within" >= spans.lower AND rows."g_within" < spans.upper'
        )
        params = (*params, [lower for lower, _ in ranges], [upper for _, upper in ranges])
    select = ", ".join([span, *quoted.values(), f"{bits} AS grouping_bits", *figures])
    keys = [] if field is None else ["span"]
    sets_sql = ", ".join("(" + ", ".join([*keys, *(quoted[name] for name in group)]) + ")" for group in sets)
    # The names and figures are the callers' constants; the values are the inner query's parameters.
    statement = f"SELECT {select} FROM ({sql}) AS rows{joined} GROUP BY GROUPING SETS ({sets_sql})"  # noqa: S608  # nosec B608
    found: list[dict[tuple[str, ...], list[dict]]] = [{tuple(group): [] for group in sets} for _ in ranges]
    # GROUPING() has a bit set, from the right, for each name NOT in the row's set.
    by_bits = {
        sum(1 << (len(names) - 1 - index) for index, name in enumerate(names) if name not in group): tuple(
            group
        )
        for group in sets
    }
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for index, *row in cursor.fetchall():  # from 1 (WITH ORDINALITY)
            values = dict(zip(names, row[: len(names)], strict=True))
            group = by_bits[row[len(names)]]
            counted = dict(zip(aggregates, row[len(names) + 1 :], strict=True))
            found[index - 1][group].append({name: values[name] for name in group} | counted)
    for grouped in found:
        for group, rows in grouped.items():
            rows.sort(key=lambda row: tuple((row[name] is None, row[name]) for name in group))
    return found
