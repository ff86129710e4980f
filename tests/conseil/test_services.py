"""Recording and correcting consultations: the ticket's end, the theme's topics, the audit trail."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accueil import selectors as accueil_selectors
from accueil import services as accueil_services
from accueil.models import TicketStatus
from citedesmetiers.models import AuditEntry, Partner
from citedesmetiers.roles import Role
from conseil import selectors, services
from conseil.models import Consultation
from tests.factories import consultation, staff, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser():
    user = staff(Role.ADVISER)
    user.languages.set(["fr", "nl"])
    return user


def record(adviser, **fields):
    values = {
        "key": uuid.uuid4(),
        "adviser": adviser,
        "occurred_at": timezone.now() - timedelta(minutes=20),
        "theme": "travailler",
        "mode": "face_to_face",
        "language": "fr",
        "duration_minutes": 20,
    }
    values.update(fields)
    return services.consultation_create(**values)


def test_a_consultation_belongs_to_the_advisers_institution_and_holds_codes_only(adviser):
    result = record(
        adviser,
        topics=["cv_letter", "job_search"],
        referred_partners=[Partner.objects.get(code="vdab-brussel").pk],
        gender="woman",
        age_band=None,
        foreign_diploma=True,
        follow_up=True,
    )
    recorded = result.entry
    assert result.created
    assert recorded.partner.code == "actiris"
    assert recorded.recorded_by == adviser
    assert sorted(recorded.topics.values_list("code", flat=True)) == ["cv_letter", "job_search"]
    assert list(recorded.referred_partners.values_list("code", flat=True)) == ["vdab-brussel"]
    assert (recorded.gender_id, recorded.age_band_id, recorded.foreign_diploma) == ("woman", None, True)
    audit = AuditEntry.objects.get(action="consultation.create")
    assert (audit.actor, audit.object_type, audit.object_id) == (
        adviser,
        "conseil.consultation",
        str(recorded.pk),
    )
    text_columns = [
        field.name
        for field in Consultation._meta.concrete_fields
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices
    ]
    assert text_columns == [], "a consultation has no free text"


def test_the_same_key_twice_records_one_consultation(adviser):
    key = uuid.uuid4()
    first = record(adviser, key=key)
    again = record(adviser, key=key, duration_minutes=45)
    assert (first.created, again.created) == (True, False)
    assert again.entry.pk == first.entry.pk
    assert Consultation.objects.get().duration_minutes == 20


def test_with_a_ticket_the_consultation_ends_it_in_the_same_transaction(adviser):
    visit(theme="travailler", language="fr")
    ticket = accueil_services.ticket_call_next(adviser=adviser)
    recorded = record(adviser, ticket=ticket).entry
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert ticket.served_at is not None
    assert ticket.ended_at is not None
    assert recorded.ticket == ticket
    assert accueil_selectors.ticket_for_consultation(adviser=adviser, pk=ticket.pk) is None
    with pytest.raises(ValidationError):
        record(adviser, ticket=ticket)


def test_a_ticket_someone_else_serves_is_not_offered(adviser):
    visit(theme="travailler", language="fr")
    ticket = accueil_services.ticket_call_next(adviser=adviser)
    colleague = staff(Role.ADVISER)
    assert accueil_selectors.ticket_for_consultation(adviser=colleague, pk=ticket.pk) is None
    assert accueil_selectors.ticket_for_consultation(adviser=adviser, pk=ticket.pk) == ticket


def test_topics_must_belong_to_the_theme(adviser):
    with pytest.raises(ValidationError, match="studies_abroad"):
        record(adviser, theme="travailler", topics=["cv_letter", "studies_abroad"])
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("offset", [timedelta(hours=2), -timedelta(days=40)], ids=["future", "too-old"])
def test_a_start_in_the_future_or_too_long_ago_is_refused(adviser, offset):
    with pytest.raises(ValidationError):
        record(adviser, occurred_at=timezone.now() + offset)


def test_an_account_without_institution_cannot_record(adviser):
    adviser.partner = None
    with pytest.raises(ValidationError):
        record(adviser)


def test_the_adviser_corrects_their_own_for_a_week_and_the_lead_any_of_the_institution(adviser):
    recorded = consultation(adviser=adviser)
    now = timezone.now()
    colleague = staff(Role.ADVISER)
    lead = staff(Role.PARTNER_LEAD)
    other_lead = staff(Role.PARTNER_LEAD, partner=Partner.objects.get(code="vdab-brussel"))
    assert services.can_correct(user=adviser, consultation=recorded, now=now)
    assert not services.can_correct(user=adviser, consultation=recorded, now=now + timedelta(days=8))
    assert not services.can_correct(user=colleague, consultation=recorded, now=now)
    assert services.can_correct(user=lead, consultation=recorded, now=now + timedelta(days=300))
    assert not services.can_correct(user=other_lead, consultation=recorded, now=now)


def test_a_correction_writes_each_change_to_the_audit_trail(adviser):
    recorded = consultation(adviser=adviser, topics=["cv_letter"])
    services.consultation_update(
        consultation=recorded,
        user=adviser,
        duration_minutes=40,
        topics=["cv_letter", "job_search"],
        mode="face_to_face",  # unchanged: not written down
    )
    recorded.refresh_from_db()
    assert recorded.duration_minutes == 40
    audit = AuditEntry.objects.get(action="consultation.update")
    assert audit.changes == {
        "duration_minutes": [25, 40],
        "topics": [["cv_letter"], ["cv_letter", "job_search"]],
    }
    services.consultation_update(consultation=recorded, user=adviser, duration_minutes=40)
    assert AuditEntry.objects.filter(action="consultation.update").count() == 1, "no change, no entry"


def test_cancelling_stops_the_consultation_counting_and_closes_corrections(adviser):
    recorded = consultation(adviser=adviser)
    services.consultation_update(consultation=recorded, user=adviser, cancelled=True)
    recorded.refresh_from_db()
    assert recorded.cancelled
    assert recorded.cancelled_by == adviser
    today = timezone.localdate()
    assert not selectors.consultation_list(user=adviser, start=today, end=today).exists()
    with pytest.raises(ValidationError):
        services.consultation_update(consultation=recorded, user=adviser, duration_minutes=5)


def test_a_correction_cannot_move_topics_out_of_the_theme(adviser):
    recorded = consultation(adviser=adviser, topics=["cv_letter"])
    with pytest.raises(ValidationError):
        services.consultation_update(consultation=recorded, user=adviser, theme="bouger")
    recorded.refresh_from_db()
    assert recorded.theme_id == "travailler"


def test_someone_else_cannot_correct(adviser):
    recorded = consultation(adviser=adviser)
    with pytest.raises(ValidationError):
        services.consultation_update(consultation=recorded, user=staff(Role.ADVISER), duration_minutes=5)


def test_counts_by_theme_and_mode(adviser, daytime):
    consultation(adviser=adviser)
    consultation(adviser=adviser, mode="phone")
    consultation(adviser=adviser, theme="bouger", topics=["studies_abroad"])
    today = timezone.localdate()
    counts = selectors.consultation_counts(selectors.consultation_list(user=adviser, start=today, end=today))
    assert counts == {
        "total": 3,
        "by_theme": {"travailler": 2, "bouger": 1},
        "by_mode": {"face_to_face": 2, "phone": 1},
    }
