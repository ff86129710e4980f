"""Reads of consultations and questionnaires. Every read of consultations starts from
`consultations_visible_to(user)`: the wall between institutions lives there and nowhere else."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from accueil.models import Ticket, TicketStatus
from accueil.selectors import day_bounds
from citedesmetiers.selectors import computed_groupings, reference_rows
from conseil.models import Consultation, QuestionnaireAnswer, Topic


def consultations_visible_to(user) -> QuerySet[Consultation]:
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


def ticket_for_consultation(*, adviser, pk: int) -> Ticket | None:
    """The adviser's own ticket of a person called or in consultation, not yet recorded."""
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


def questionnaire_results(*, start: date, end: date, service: str | None = None) -> dict:
    """Answers of the days from `start` to `end` (local, included): their number and, for each
    question, the count of each answer (None: not answered). One grouped query per question."""
    first, _ = day_bounds(start)
    _, last = day_bounds(end)
    answers = QuestionnaireAnswer.objects.filter(answered_at__gte=first, answered_at__lt=last)
    if service:
        answers = answers.filter(service=service)
    results = {"answers": answers.count()}
    for name in QUESTIONNAIRE_FIELDS:
        results[name] = dict(answers.values_list(name).annotate(n=Count("id")).order_by())
    return results


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


def consultation_sums(
    consultations: QuerySet[Consultation], *, start: datetime, end: datetime, by: Sequence[str] = ()
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
