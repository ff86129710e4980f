"""Writes of consultations and questionnaires. Creating, changing, reading, listing and exporting
consultations go to the append-only audit trail (who, when, which record; codes only)."""

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accueil import services as accueil_services
from citedesmetiers import capture
from citedesmetiers.models import attname
from citedesmetiers.services import audit_record
from conseil.models import Consultation, QuestionnaireAnswer, QuestionnaireCode, Topic

if TYPE_CHECKING:  # the ticket is accueil's: found by its selectors, ended by its services
    from accueil.models import Ticket

FIELDS = ["theme", "mode", "language", "duration_minutes", "gender", "age_band", "status"]
FIELDS += ["education_level", "foreign_diploma", "residence", "referred_to_activity", "referred_to_resource"]
FIELDS += ["follow_up"]
MANY = ["topics", "referred_partners"]


def _check_topics(theme: str, topics: Iterable[str]) -> None:
    wrong = set(topics) - set(Topic.objects.filter(theme_id=theme).values_list("code", flat=True))
    if wrong:
        raise ValidationError(
            _("These topics belong to another theme: %(topics)s.") % {"topics": ", ".join(sorted(wrong))}
        )


def consultation_create(
    *,
    key: uuid.UUID,
    adviser,
    occurred_at: datetime,
    theme: str,
    mode: str,
    language: str,
    duration_minutes: int,
    topics: Iterable[str] = (),
    referred_partners: Iterable[int] = (),
    ticket: "Ticket | None" = None,
    now: datetime | None = None,
    **details,
) -> capture.Captured:
    """Records a consultation of the adviser's institution once per key (codes in). With a ticket,
    the ticket's consultation ends in the same transaction. `details`: the optional profile and
    outcome fields of the model."""
    now = now or timezone.now()
    if adviser.partner_id is None:
        raise ValidationError(_("Your account has no institution: ask an administrator."))
    occurred_at = capture.occurred_at_resolve(now=now, keyed_at=occurred_at)
    topics, referred_partners = list(topics), list(referred_partners)
    _check_topics(theme, topics)
    if ticket is not None and Consultation.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("This person's consultation is already recorded."))

    def after(consultation: Consultation) -> None:
        consultation.topics.set(topics)  # type: ignore[arg-type]  # codes: a topic's key is its code
        consultation.referred_partners.set(referred_partners)
        if ticket is not None:
            accueil_services.ticket_recorded(ticket=ticket, adviser=adviser, started_at=occurred_at, now=now)
        audit_record(actor=adviser, action="consultation.create", obj=consultation, now=now)

    relations = {
        name: details.pop(name, None)
        for name in ("gender", "age_band", "status", "education_level", "residence")
    }
    return capture.capture(
        Consultation,
        key=key,
        user=adviser,
        occurred_at=occurred_at,
        now=now,
        then=after,
        partner_id=adviser.partner_id,
        theme_id=theme,
        mode=mode,
        language_id=language,
        duration_minutes=duration_minutes,
        ticket=ticket,
        updated_at=now,
        **{f"{name}_id": value for name, value in relations.items()},
        **details,
    )


def can_correct(*, user, consultation: Consultation, now: datetime | None = None) -> bool:
    """Its adviser corrects a consultation for CONSULTATION_CORRECTION_DAYS; their institution's lead
    corrects any of the institution's."""
    now = now or timezone.now()
    if consultation.cancelled:
        return False
    if (
        user.has_perm("conseil.correct_institution_consultations")
        and user.partner_id == consultation.partner_id
    ):
        return True
    recent = now - consultation.recorded_at <= timedelta(days=settings.CONSULTATION_CORRECTION_DAYS)
    return consultation.recorded_by_id == user.pk and recent


def _value(consultation: Consultation, name: str):
    if name in MANY:
        return sorted(getattr(consultation, name).values_list("pk", flat=True))
    return getattr(consultation, attname(Consultation, name))


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, user, now: datetime | None = None, **changes
) -> Consultation:
    """Corrects a consultation (given fields only, codes in); each change goes to the audit trail."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not can_correct(user=user, consultation=consultation, now=now):
        raise ValidationError(_("You can no longer correct this consultation."))
    unknown = set(changes) - set(FIELDS) - set(MANY) - {"occurred_at", "cancelled"}
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    theme = changes.get("theme", consultation.theme_id)
    if "topics" in changes or "theme" in changes:
        _check_topics(theme, changes.get("topics", consultation.topics.values_list("pk", flat=True)))
    written = {}
    for name, value in changes.items():
        if name == "cancelled":
            if value != consultation.cancelled:
                written[name] = [consultation.cancelled, value]
                consultation.cancelled_at, consultation.cancelled_by = (now, user) if value else (None, None)
            continue
        if name == "occurred_at":
            if capture.same_minute(consultation.occurred_at, value):
                continue
            capture.occurred_at_resolve(now=now, keyed_at=value)
            written[name] = [consultation.occurred_at.isoformat(), value.isoformat()]
            consultation.occurred_at = value
            continue
        before = _value(consultation, name)
        after = sorted(value) if name in MANY else value
        if before == after:
            continue
        written[name] = [before, after]
        if name in MANY:
            getattr(consultation, name).set(value)
        else:
            setattr(consultation, attname(Consultation, name), value)
    if not written:
        return consultation
    consultation.updated_at = now
    relations = [field.name for field in Consultation._meta.fields if field.is_relation]
    consultation.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    consultation.save()
    audit_record(actor=user, action="consultation.update", obj=consultation, changes=written, now=now)
    return consultation


def consultation_read_record(*, user, consultation: Consultation, now: datetime | None = None) -> None:
    """Writes down that this person opened this consultation."""
    audit_record(actor=user, action="consultation.view", obj=consultation, now=now)


def consultations_listed_record(*, user, action: str, count: int, filters: dict, now=None) -> None:
    """Writes down a list or an export of consultations: how many rows, with which filters."""
    changes = {"rows": count, "filters": filters}
    audit_record(actor=user, action=f"consultation.{action}", model=Consultation, changes=changes, now=now)


# Codes are read aloud and typed: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def questionnaire_code_create(
    *, service: str = "", user=None, partner=None, theme=None, now=None
) -> QuestionnaireCode:
    """A new single-use questionnaire code (shown by a member of staff, or made by an exit tablet)."""
    now = now or timezone.now()
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return QuestionnaireCode.objects.create(
                    code=code, service=service, partner=partner, theme=theme, created_at=now, created_by=user
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free questionnaire code")


def questionnaire_code_valid(code: QuestionnaireCode, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return now - code.created_at <= timedelta(days=settings.QUESTIONNAIRE_CODE_DAYS)


@transaction.atomic
def questionnaire_answer(
    *, code: str, language: str, now: datetime | None = None, **answers
) -> QuestionnaireAnswer:
    """Records the one answer of a code; a second one, or one after the code expired, is refused."""
    now = now or timezone.now()
    invitation = QuestionnaireCode.objects.select_for_update().filter(code=code).first()
    if invitation is None or not questionnaire_code_valid(invitation, now=now):
        raise ValidationError(_("This questionnaire link is not valid any more."), code="expired")
    if QuestionnaireAnswer.objects.filter(code=invitation).exists():
        raise ValidationError(_("This questionnaire has already been answered. Thank you!"), code="answered")
    service = invitation.service or answers.pop("service", "") or "reception"
    answers.pop("service", None)
    relations = ("gender", "age_band", "status", "education_level", "residence")
    values = {f"{name}_id" if name in relations else name: value for name, value in answers.items()}
    return QuestionnaireAnswer.objects.create(
        code=invitation, answered_at=now, language=language, service=service, **values
    )
