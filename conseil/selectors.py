"""Reads of consultations and questionnaires. Every read of consultations starts from
`consultations_visible_to(user)`: the wall between institutions lives there and nowhere else."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from accueil import selectors as accueil_selectors
from citedesmetiers.capture import CapturedQuerySet
from citedesmetiers.dates import Span, day_bounds, in_ranges, span_instants
from citedesmetiers.exports import FormulaSafe
from citedesmetiers.selectors import computed_groupings, grouping_sets, reference_rows
from citedesmetiers.summaries import DailySummary, Kept, local_time
from conseil.models import EVERY_INSTITUTION, Consultation, ConsultationDay, QuestionnaireAnswer, Topic


def consultations_visible_to(user) -> CapturedQuerySet:
    """The consultations this person may see: every institution's for the director and coordinators,
    their own institution's for its advisers and lead, none for anyone else."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    if user.has_perm("conseil.view_all_consultations"):
        return Consultation.objects.all()
    if user.has_perm("conseil.view_institution_consultations") and user.partner_id:
        return Consultation.objects.filter(partner_id=user.partner_id)
    return Consultation.objects.none()


def consultation_get(*, user, pk: int) -> Consultation:
    """One consultation this person may see; Consultation.DoesNotExist otherwise (a 404 for the
    view: another institution's record is never revealed, not even by a 403)."""
    related = ["partner", "theme", "language", "recorded_by", "gender", "age_band", "status"]
    related += ["education_level", "residence", "ticket__theme"]
    return consultations_visible_to(user).select_related(*related).get(pk=pk)


def consultation_list(*, user, start: date, end: date, mine: bool = False) -> QuerySet[Consultation]:
    """The visible consultations of the days from `start` to `end` (local, included), latest first."""
    first, _ = day_bounds(start)
    _, last = day_bounds(end)
    consultations = consultations_visible_to(user).filter(occurred_at__gte=first, occurred_at__lt=last)
    if mine:
        consultations = consultations.filter(recorded_by=user)
    return (
        consultations.active()
        .select_related("partner", "theme", "language", "recorded_by")
        .order_by("-occurred_at", "-id")
    )


def _local(fmt: str) -> Func:
    """The consultation's time in Europe/Brussels written as `fmt` (PostgreSQL's to_char)."""
    local = Func(
        Value(settings.TIME_ZONE), F("occurred_at"), function="timezone", output_field=DateTimeField()
    )
    return Func(local, Value(fmt), function="to_char", output_field=CharField())


def _codes(through, column: str) -> Func:
    """The codes a consultation points to through an M2M table, `|`-separated in code order ('' if none):
    an ARRAY subquery read through the table's index on the consultation, one small sort a row."""
    codes = through.objects.filter(consultation_id=OuterRef("pk")).order_by(column).values(column)
    return Func(ArraySubquery(codes), Value("|"), function="array_to_string", output_field=CharField())


def _text(field: str) -> Coalesce:
    return Coalesce(F(field), Value(""), output_field=CharField())


def _flag(field: str) -> Cast:
    return Cast(field, IntegerField())


# The columns of the consultations' export, each as the file shows it, computed by the database.
EXPORT_COLUMNS = {
    "date": _local("YYYY-MM-DD"),
    "time": _local("HH24:MI"),
    "institution": F("partner__code"),
    "adviser": FormulaSafe(F("recorded_by__username")),
    "theme": F("theme_id"),
    "topics": _codes(Consultation.topics.through, "topic_id"),
    "mode": F("mode"),
    "language": F("language_id"),
    "duration_minutes": F("duration_minutes"),
    "gender": _text("gender_id"),
    "age_band": _text("age_band_id"),
    "status": _text("status_id"),
    "education_level": _text("education_level_id"),
    "foreign_diploma": Case(
        When(foreign_diploma=True, then=Value("yes")),
        When(foreign_diploma=False, then=Value("no")),
        default=Value(""),
    ),
    "residence": _text("residence_id"),
    "referred_partners": _codes(Consultation.referred_partners.through, "partner__code"),
    "referred_to_activity": _flag("referred_to_activity"),
    "referred_to_resource": _flag("referred_to_resource"),
    "follow_up": _flag("follow_up"),
    "ticket": accueil_selectors.ticket_label_of("ticket_id"),
}


def consultation_export_rows(consultations: QuerySet[Consultation]) -> QuerySet:
    """The export's rows of a (visible) selection, in its order, each column as the file shows it
    (EXPORT_COLUMNS): no row becomes an object, so a million rows leave in seconds (exports.csv_streamed)."""
    annotated = consultations.annotate(**{f"export_{name}": value for name, value in EXPORT_COLUMNS.items()})
    return annotated.values_list(*(f"export_{name}" for name in EXPORT_COLUMNS))


def consultation_counts(consultations: QuerySet[Consultation]) -> dict:
    """Sessions in a (visible) selection, in total and by theme and mode."""
    by_theme = dict(consultations.values_list("theme").annotate(n=Count("id")).order_by())
    by_mode = dict(consultations.values_list("mode").annotate(n=Count("id")).order_by())
    return {"total": sum(by_theme.values()), "by_theme": by_theme, "by_mode": by_mode}


def topics_by_theme() -> dict[str, list[Topic]]:
    """The active topics of each theme, in order (cached reference rows)."""
    grouped: dict[str, list[Topic]] = {}
    for topic in reference_rows(Topic):
        grouped.setdefault(topic.theme_id, []).append(topic)
    return grouped


QUESTIONNAIRE_FIELDS = [
    "gender",
    "age_band",
    "status",
    "education_level",
    "foreign_diploma",
    "residence",
    "heard_of",
    "first_visit",
    "frequency",
    "satisfaction",
    "would_recommend",
    "found",
]


def questionnaire_results(*, spans: Sequence[Span], service: str | None = None) -> list[dict]:
    """Answers of the days of each span (local, first and last included): their number and, for each
    question, the count of each answer (None: not answered). The spans not over yet in one statement
    (GROUPING SETS); those of days all over are counted once and kept whole (KEPT_ANSWERS), read with the
    other kept figures of a page (citedesmetiers.summaries.kept_together)."""
    today = timezone.localdate()
    live = [span for span in spans if span[1] >= today]
    counted = iter(_answers_grouped(live, service) if live else [])
    return [
        KEPT_ANSWERS.figures(first=first, last=last, institution=None, sets=service or "")
        if last < today
        else _answers_result(next(counted))
        for first, last in spans
    ]


def _answers_grouped(spans: Sequence[Span], service: str | None, generation: bool = False) -> list[dict]:
    """The answers of each span grouped by each question; with `generation`, one span, counted without
    `within` (so that no answer is still a row), with the kept figures' generation in each row."""
    instants = span_instants(spans)
    answers = QuestionnaireAnswer.objects.filter(in_ranges("answered_at", instants))
    if service:
        answers = answers.filter(service=service)
    return grouping_sets(
        answers,
        groupings={name: F(name) for name in QUESTIONNAIRE_FIELDS},
        sets=[(), *((name,) for name in QUESTIONNAIRE_FIELDS)],
        columns=[],
        aggregates={"n": "COUNT(*)"} | ({"generation": KEPT_ANSWERS.generation_sql()} if generation else {}),
        within=None if generation else ("answered_at", instants),
    )


def _answers_result(grouped: dict) -> dict:
    counted: dict[str, Any] = {"answers": grouped[()][0]["n"] if grouped[()] else 0}
    for name in QUESTIONNAIRE_FIELDS:
        counted[name] = {row[name]: row["n"] for row in grouped[(name,)]}
    return counted


def _answers_counted(
    first: date, last: date, institution: int | None, sets: str, *, generation: bool = False
) -> tuple[dict, int | None]:
    """questionnaire_results of one span counted from the answers (`sets`: the service, '' for all;
    `institution`: Kept's key, unused); with `generation`, also the generation read with them."""
    [grouped] = _answers_grouped([(first, last)], sets or None, generation=generation)
    generations = {row.pop("generation", None) for rows in grouped.values() for row in rows}
    return _answers_result(grouped), generations.pop() if len(generations) == 1 else None


def _answers_encoded(results: dict) -> list:
    """As JSON, the answers' own values kept (None, True, 4, "yes"): pairs, not an object's keys."""
    return [results["answers"], [[name, list(results[name].items())] for name in QUESTIONNAIRE_FIELDS]]


def _answers_decoded(kept: list) -> dict:
    answers, questions = kept
    return {"answers": answers} | {name: dict(map(tuple, counts)) for name, counts in questions}


# The questionnaires' results of closed spans, kept whole (citedesmetiers.summaries.Kept; its triggers:
# migration conseil 0008), pruned and verified by summarise_days.
KEPT_ANSWERS = Kept(
    kind="answers",
    tables=(QuestionnaireAnswer._meta.db_table,),
    count=_answers_counted,
    encode=_answers_encoded,
    decode=_answers_decoded,
)


CONSULTATION_GROUPINGS = {
    "theme": F("theme"),
    "partner": F("partner"),
    "language": F("language"),
    "mode": F("mode"),
    "gender": F("gender"),
    "age_band": F("age_band"),
    "status": F("status"),
    "month": TruncMonth("occurred_at"),
    "topic": F("topics"),
}


_TOPICS = "conseil_consultation_topics"  # Consultation.topics.through's table (a test checks it)
# The advice sessions' daily summaries (citedesmetiers.summaries): sessions and minutes by institution
# and by each grouping, a session once per topic ticked.
CONSULTATION_DAYS = DailySummary(
    table=ConsultationDay._meta.db_table,
    source=Consultation._meta.db_table,
    time="occurred_at",
    key="partner_id",
    column="partner",
    groupings={
        "theme": 'e."theme_id"',
        "language": 'e."language_id"',
        "mode": 'e."mode"',
        "gender": 'e."gender_id"',
        "age_band": 'e."age_band_id"',
        "status": 'e."status_id"',
        **local_time("occurred_at", "month"),
    },
    several={
        "topic": 'SELECT t."topic_id" FROM "conseil_consultation_topics" AS t '
        'WHERE t."consultation_id" = e."id"',
    },
    figures={"sessions": "COUNT(*)", "minutes": 'COALESCE(SUM(e."duration_minutes"), 0)'},
    counted='e."cancelled_at" IS NULL',
    related=((_TOPICS, "consultation_id"),),
    # The centre's figures read a day's rows of every institution together: some fifteen times fewer.
    every_key=EVERY_INSTITUTION,
)


def _wall(consultations: CapturedQuerySet) -> tuple[bool, int | None]:
    """Which consultations a selection holds, as the daily summaries can count them: (True, None) for
    every institution's, (True, id) for one institution's, (False, None) for none: the walls
    consultations_visible_to draws. Any other selection is refused (ValueError)."""
    query = consultations.query
    if query.is_empty():
        return False, None
    where = query.where
    if not where.children:
        return True, None
    if len(where.children) == 1 and not where.negated:
        [lookup] = where.children
        target = getattr(getattr(lookup, "lhs", None), "target", None)
        if isinstance(lookup, Exact) and target == Consultation._meta.get_field("partner"):
            return True, int(lookup.rhs)
    raise ValueError("the figures count every institution's consultations, or one institution's")


def consultation_breakdowns(
    consultations: CapturedQuerySet, *, spans: Sequence[Span], by: Sequence[str], per_partner: bool = False
) -> list[dict]:
    """Sessions and their minutes among `consultations` (every institution's or one's, as
    consultations_visible_to selects them) on the days of each span (local, first and last included),
    undone sessions left out, in total and by each of `by` (partner, theme, language, mode, gender,
    age_band, status, month, topic: a session once per topic ticked, None for none), in ONE statement for
    every span over the daily summaries and today's sessions (CONSULTATION_DAYS): for each span, {"":
    {"sessions": n, "minutes": m}, grouping: {code: {"sessions": n, "minutes": m}}}, codes in order (None
    last; months as their first day); with `per_partner`, that for each institution: {partner id: {...}}."""
    visible, partner = _wall(consultations)
    groupings = ["", *(name for name in by if name != "partner")]
    if not visible:
        return [_counted([], by=by, per_partner=per_partner) for _span in spans]
    together = partner is None and not per_partner  # the centre's figures, not each institution's
    return [
        _counted(rows, by=by, per_partner=per_partner)
        for rows in CONSULTATION_DAYS.totals(spans=spans, groupings=groupings, key=partner, together=together)
    ]


def _counted(rows: list[dict], *, by: Sequence[str], per_partner: bool) -> dict:
    """consultation_breakdowns' figures of one span from its rows (CONSULTATION_DAYS.totals)."""
    rows.sort(key=lambda row: (row["grouping"], row["code"] is None, row["code"] or "", row["key"]))
    found: dict = {}
    centre: dict = {name: {} for name in ["", *by]}
    for row in rows:
        counted = {"sessions": row["sessions"], "minutes": row["minutes"]}
        if row["grouping"] == "":
            figures = found.setdefault(row["key"], {name: {} for name in ["", *by]})
            figures[""] = counted
            if "partner" in by:
                figures["partner"] = {row["key"]: counted}
                centre["partner"][row["key"]] = counted
            continue
        if per_partner:
            found.setdefault(row["key"], {name: {} for name in ["", *by]})[row["grouping"]][row["code"]] = (
                counted
            )
        # (read together, the summarised days' rows come under EVERY_INSTITUTION, today's by institution)
        total = centre[row["grouping"]].setdefault(row["code"], {"sessions": 0, "minutes": 0})
        total["sessions"] += counted["sessions"]
        total["minutes"] += counted["minutes"]
    if per_partner:
        return found
    centre[""] = {
        name: sum(figures[""][name] for figures in found.values()) for name in ("sessions", "minutes")
    }
    return centre


def consultation_sums(
    consultations: CapturedQuerySet, *, start: datetime, end: datetime, by: Sequence[str] = ()
) -> list[dict]:
    """Sessions in [start, end) among `consultations` (start from `consultations_visible_to(user)`:
    the wall stays where it is), grouped by any of theme, partner, language, mode, gender, age_band,
    status, month (local) and topic (a session counts once per topic ticked; None: no topic). Per group:
    sessions and their total minutes. Undone sessions are left out. One query."""
    unknown = set(by) - set(CONSULTATION_GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping: {sorted(unknown)}")
    selected = consultations.active().filter(occurred_at__gte=start, occurred_at__lt=end)
    figures = {"sessions": Count("id"), "minutes": Coalesce(Sum("duration_minutes"), 0)}
    if not by:
        return [selected.aggregate(**figures)]
    grouped = selected.annotate(**computed_groupings(CONSULTATION_GROUPINGS, by)).values(*by)
    return list(grouped.annotate(**figures).order_by(*by))
