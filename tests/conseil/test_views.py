"""The adviser's screens through HTTP: recording, listing, exporting, reading and correcting."""

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accueil import services as accueil_services
from accueil.models import Ticket, TicketStatus
from citedesmetiers.models import AuditEntry, Partner
from citedesmetiers.roles import Role
from conseil import selectors
from conseil.models import Consultation
from tests.factories import consultation, staff, visit

pytestmark = pytest.mark.django_db


def vdab():
    return Partner.objects.get(code="vdab-brussel")


def form(**fields):
    start = timezone.localtime() - timedelta(minutes=30)
    values = {
        "key": str(uuid.uuid4()),
        "theme": "travailler",
        "topics": ["cv_letter"],
        "mode": "face_to_face",
        "language": "fr",
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "25",
    }
    values.update(fields)
    return values


def serving(adviser):
    """The ticket of a person this adviser called and is now advising."""
    adviser.languages.set(["fr"])
    visit(theme="travailler", language="fr")
    ticket = accueil_services.ticket_call_next(adviser=adviser)
    return accueil_services.ticket_start(ticket=ticket, adviser=adviser)


def assert_sign_in_asked(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- recording -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Enregistrer un entretien"), ("nl", "Een gesprek registreren")]
)
def test_the_form_for_an_adviser_in_french_and_dutch(client, login, language, title):
    login(Role.ADVISER)
    with translation.override(language):
        response = client.get(reverse("conseil:consultation_new"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert re.search(r'name="key" value="[0-9a-f-]{36}"', page)
    assert page.count('name="theme"') == 5
    assert 'value="face_to_face" id="mode-face_to_face" checked' in page


def test_recording_a_consultation_without_a_ticket(client, login):
    adviser = login(Role.ADVISER)
    response = client.post(reverse("conseil:consultation_new"), form(gender="woman", follow_up="on"))
    recorded = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("conseil:consultation", args=[recorded.pk])
    assert (recorded.partner.code, recorded.recorded_by, recorded.theme_id) == (
        "actiris",
        adviser,
        "travailler",
    )
    assert (recorded.gender_id, recorded.follow_up, recorded.duration_minutes) == ("woman", True, 25)
    assert "Entretien enregistré." in client.get(response.url).content.decode()


def test_a_double_click_records_once(client, login):
    login(Role.ADVISER)
    values = form()
    first = client.post(reverse("conseil:consultation_new"), values)
    second = client.post(reverse("conseil:consultation_new"), values, follow=True)
    assert Consultation.objects.count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "Cet entretien avait déjà été enregistré." in second.content.decode()


def test_the_called_persons_ticket_prefills_the_form_and_is_closed_by_it(client, login):
    adviser = login(Role.ADVISER)
    ticket = serving(adviser)
    page = client.get(reverse("conseil:consultation_new"), {"ticket": ticket.pk}).content.decode()
    assert ticket.label in page
    assert 'value="travailler" id="theme-travailler" data-theme-choice checked' in page
    assert f'name="ticket" value="{ticket.pk}"' in page
    response = client.post(reverse("conseil:consultation_new"), form(ticket=str(ticket.pk)))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert Consultation.objects.get().ticket == ticket


def test_a_ticket_of_another_adviser_is_ignored(client, login):
    other = staff(Role.ADVISER)
    other.languages.set(["fr"])
    visit(theme="travailler", language="fr")
    ticket = accueil_services.ticket_call_next(adviser=other)
    login(Role.ADVISER)
    page = client.get(reverse("conseil:consultation_new"), {"ticket": ticket.pk}).content.decode()
    assert ticket.label not in page
    client.post(reverse("conseil:consultation_new"), form(ticket=str(ticket.pk)))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert Consultation.objects.get().ticket is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"theme": ""}, "theme", "Ce champ est obligatoire."),
        ({"topics": ["studies_abroad"]}, "topics", "thématique choisie"),
        ({"duration_minutes": "0"}, "duration_minutes", "supérieure ou égale à 1"),
        ({"started_at": "demain"}, "started_at", "Saisissez une date et une heure valides."),
        ({"language": "xx"}, "language", "Sélectionnez un choix valide."),
    ],
)
def test_bad_input_gets_a_message_in_the_persons_language(client, login, fields, field, message):
    login(Role.ADVISER)
    response = client.post(reverse("conseil:consultation_new"), form(**fields))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Consultation.objects.exists()


def test_a_start_in_the_future_is_refused_on_its_field(client, login):
    login(Role.ADVISER)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("conseil:consultation_new"), form(started_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 200
    assert "futur" in str(response.context["form"].errors["started_at"])
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_AGENT, Role.COORDINATOR, Role.DIRECTOR, Role.ACTIVITY_ORGANISER]
)
def test_other_roles_cannot_record(client, login, role):
    login(role)
    assert client.get(reverse("conseil:consultation_new")).status_code == 403
    assert client.post(reverse("conseil:consultation_new"), form()).status_code == 403
    assert not Consultation.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    mine = consultation()
    for path in [
        reverse("conseil:consultation_new"),
        reverse("conseil:consultations"),
        reverse("conseil:consultation_export"),
        reverse("conseil:consultation", args=[mine.pk]),
        reverse("conseil:consultation_edit", args=[mine.pk]),
        reverse("conseil:questionnaire_show"),
    ]:
        assert_sign_in_asked(client.get(path))
    assert_sign_in_asked(client.post(reverse("conseil:consultation_new"), form()))
    assert Consultation.objects.count() == 1


# --- lists, exports and details ------------------------------------------------------------------


@pytest.fixture
def two_institutions():
    """Two Actiris consultations (one by a colleague) and one of VDAB."""
    actiris = staff(Role.ADVISER)
    colleague = staff(Role.ADVISER)
    other = staff(Role.ADVISER, partner=vdab())
    return {
        "mine": consultation(adviser=actiris),
        "colleague": consultation(adviser=colleague, mode="phone"),
        "other": consultation(adviser=other, theme="bouger", topics=["studies_abroad"]),
        "adviser": actiris,
    }


def listed(response):
    return {item.pk for item in response.context["page"].object_list}


def test_an_adviser_lists_their_institutions_consultations_only(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    response = client.get(reverse("conseil:consultations"))
    assert response.status_code == 200
    assert listed(response) == {two_institutions["mine"].pk, two_institutions["colleague"].pk}
    assert response.context["counts"]["total"] == 2
    page = response.content.decode()
    week_ago = timezone.localdate() - timedelta(days=6)
    assert f"2 entretiens du {week_ago:%d/%m/%Y} au {timezone.localdate():%d/%m/%Y}." in page
    assert f'type="date" name="start" value="{week_ago.isoformat()}"' in page
    mine = client.get(reverse("conseil:consultations"), {"mine": "on"})
    assert listed(mine) == {two_institutions["mine"].pk}


def test_the_director_lists_every_institution(client, login, two_institutions):
    login(Role.DIRECTOR)
    response = client.get(reverse("conseil:consultations"))
    assert len(listed(response)) == 3
    assert "VDAB" in response.content.decode()


def test_a_list_with_nonsense_filters_falls_back_to_the_last_week(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    response = client.get(reverse("conseil:consultations"), {"start": "hier", "page": "x"})
    assert response.status_code == 200
    assert len(listed(response)) == 2


def test_a_period_that_ends_before_it_starts_is_refused_and_the_last_week_shown(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    today = timezone.localdate()
    reversed_period = {"start": today.isoformat(), "end": (today - timedelta(days=30)).isoformat()}
    response = client.get(reverse("conseil:consultations"), reversed_period)
    page = response.content.decode()
    assert "La date de fin précède la date de début." in page
    assert len(listed(response)) == 2
    week_ago = today - timedelta(days=6)
    assert f"2 entretiens du {week_ago:%d/%m/%Y} au {today:%d/%m/%Y}." in page


def test_an_empty_period_says_so(client, login):
    login(Role.PARTNER_LEAD)
    response = client.get(reverse("conseil:consultations"))
    assert "Aucun entretien sur cette période." in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_AGENT, Role.DIGITAL_STEWARD, Role.ACTIVITY_ORGANISER, Role.ADMINISTRATOR]
)
def test_roles_without_consultations_cannot_list_or_export(client, login, role, two_institutions):
    login(role)
    assert client.get(reverse("conseil:consultations")).status_code == 403
    assert client.get(reverse("conseil:consultation_export")).status_code == 403
    assert not AuditEntry.objects.filter(action__in=["consultation.list", "consultation.export"]).exists()


def test_the_export_is_the_lists_selection_as_csv_and_is_audited(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    response = client.get(reverse("conseil:consultation_export"), {"mine": "on"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="consultations-')
    rows = exported(response)
    header, data = rows[0], rows[1:]
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["institution"], row["theme"], row["topics"], row["mode"]) == (
        "actiris",
        "travailler",
        "cv_letter",
        "face_to_face",
    )
    audit = AuditEntry.objects.get(action="consultation.export")
    assert audit.actor == two_institutions["adviser"]
    assert audit.changes["rows"] == 1
    assert audit.changes["filters"]["mine"] is True


def exported(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def expected_row(item: Consultation) -> list[str]:
    """A consultation as the export must write it, worked out in Python from the row and its relations."""
    local = timezone.localtime(item.occurred_at)
    username = item.recorded_by.get_username()
    return [
        local.date().isoformat(),
        local.strftime("%H:%M"),
        item.partner.code,
        "'" + username if username[0] in "=+-@" else username,
        item.theme_id,
        "|".join(sorted(topic.code for topic in item.topics.all())),
        item.mode,
        item.language_id,
        str(item.duration_minutes),
        item.gender_id or "",
        item.age_band_id or "",
        item.status_id or "",
        item.education_level_id or "",
        {True: "yes", False: "no"}.get(item.foreign_diploma, ""),
        item.residence_id or "",
        "|".join(sorted(partner.code for partner in item.referred_partners.all())),
        str(int(item.referred_to_activity)),
        str(int(item.referred_to_resource)),
        str(int(item.follow_up)),
        item.ticket.label if item.ticket_id else "",
    ]


def test_every_column_of_the_export_is_the_rows_value(client):
    """Written by the database (one COPY statement), each cell equals the value read from the row: local
    date and time across midnight and summer time, every code, the M2M codes in order, yes/no/empty,
    flags, the ticket's label, and a user name a spreadsheet would run as a formula made harmless."""
    adviser = staff(Role.ADVISER, username="-adviser+1")
    adviser.languages.set(["fr"])
    lead = staff(Role.PARTNER_LEAD)
    now = timezone.now()
    just_after_midnight = timezone.make_aware(
        timezone.datetime(2026, 7, 1, 0, 10)
    )  # 22:10 UTC the day before
    ticket = visit(theme="travailler", now=now - timedelta(minutes=40)).ticket
    accueil_services.ticket_call_next(adviser=adviser, now=now - timedelta(minutes=35))
    accueil_services.ticket_start(ticket=ticket, adviser=adviser, now=now - timedelta(minutes=34))
    items = [
        consultation(adviser=adviser, ticket=Ticket.objects.get(pk=ticket.pk), now=now),
        consultation(
            adviser=adviser,
            theme="choisir",
            topics=["occupations", "taking_stock"],
            referred_partners=[vdab().pk, Partner.objects.get(code="actiris").pk],
            gender="woman",
            age_band="25-29",
            foreign_diploma=True,
            referred_to_activity=True,
            follow_up=True,
            occurred_at=just_after_midnight,
            now=just_after_midnight + timedelta(hours=1),
        ),
        consultation(adviser=adviser, topics=(), foreign_diploma=False, mode="phone", now=now),
    ]
    client.force_login(lead)
    response = client.get(
        reverse("conseil:consultation_export"), {"start": "2026-06-01", "end": timezone.localdate(now)}
    )
    rows = exported(response)
    assert rows[0] == list(selectors.EXPORT_COLUMNS)
    expected = sorted(
        (Consultation.objects.get(pk=item.pk) for item in items), key=lambda c: (c.occurred_at, c.pk)
    )
    assert rows[1:] == [expected_row(item) for item in reversed(expected)]
    assert rows[-1][:2] == ["2026-07-01", "00:10"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_past_the_statement_limit_gets_a_page_not_a_killed_worker(client, settings):
    """The web process cancels a statement past REQUEST_STATEMENT_TIMEOUT (below gunicorn's limit): the
    person reads why, in their language, and the connection serves the next request."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    from citedesmetiers.operations import timeouts

    settings.REQUEST_STATEMENT_TIMEOUT = 1
    connection_created.disconnect(dispatch_uid="citedesmetiers.operations.timeouts")
    timeouts.install()
    try:
        timeouts._limit_statements(sender=None, connection=connection)
        client.raise_request_exception = False
        lead = staff(Role.PARTNER_LEAD)
        client.force_login(lead)
        slow = "conseil.selectors.consultation_counts"
        with pytest.MonkeyPatch.context() as patch:

            def sleeping(consultations):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(1.5)")

            patch.setattr(slow, sleeping)
            with translation.override("nl"):
                response = client.get(reverse("conseil:consultations"))
        assert response.status_code == 503
        assert "Te veel tegelijk" in response.content.decode()
    finally:
        connection_created.disconnect(dispatch_uid="citedesmetiers.operations.timeouts")
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', '0', false)")


def test_lists_are_audited_with_their_filters(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    client.get(reverse("conseil:consultations"), {"start": "2026-11-01"})
    audit = AuditEntry.objects.get(action="consultation.list")
    assert (audit.object_type, audit.object_id) == ("conseil.consultation", "*")
    assert audit.changes == {
        "rows": 2,
        "filters": {"start": "2026-11-01", "end": timezone.localdate().isoformat(), "mine": False},
    }


def test_opening_a_consultation_is_audited(client, two_institutions):
    adviser = two_institutions["adviser"]
    client.force_login(adviser)
    mine = two_institutions["mine"]
    response = client.get(reverse("conseil:consultation", args=[mine.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "CV et lettre de motivation" in page
    assert reverse("conseil:consultation_edit", args=[mine.pk]) in page
    audit = AuditEntry.objects.get(action="consultation.view")
    assert (audit.actor, audit.object_id) == (adviser, str(mine.pk))


def test_another_institutions_consultation_answers_404_not_403(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    other = two_institutions["other"]
    assert client.get(reverse("conseil:consultation", args=[other.pk])).status_code == 404
    assert client.get(reverse("conseil:consultation_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("conseil:consultation_edit", args=[other.pk]), form()).status_code == 404
    missing = Consultation.objects.order_by("pk").last().pk + 1
    assert client.get(reverse("conseil:consultation", args=[missing])).status_code == 404
    assert not AuditEntry.objects.filter(action="consultation.view").exists()


# --- corrections ---------------------------------------------------------------------------------


def test_an_adviser_corrects_their_consultation_and_the_page_shows_the_history(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    mine = two_institutions["mine"]
    page = client.get(reverse("conseil:consultation_edit", args=[mine.pk])).content.decode()
    assert 'value="cv_letter" checked' in page
    assert 'name="key"' not in page
    response = client.post(
        reverse("conseil:consultation_edit", args=[mine.pk]), form(duration_minutes="50", mode="phone")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.duration_minutes, mine.mode) == (50, "phone")
    detail = client.get(response.url).content.decode()
    assert "Entretien corrigé." in detail
    assert "durée (minutes) 25 → 50" in detail


def test_a_colleague_sees_but_cannot_correct_and_the_lead_can(client, login, two_institutions):
    mine = two_institutions["mine"]
    login(Role.ADVISER)
    assert client.get(reverse("conseil:consultation", args=[mine.pk])).status_code == 200
    assert client.get(reverse("conseil:consultation_edit", args=[mine.pk])).status_code == 403
    assert client.post(reverse("conseil:consultation_edit", args=[mine.pk]), form()).status_code == 403
    login(Role.PARTNER_LEAD)
    assert client.get(reverse("conseil:consultation_edit", args=[mine.pk])).status_code == 200


def test_the_director_reads_but_does_not_correct(client, login, two_institutions):
    login(Role.DIRECTOR)
    other = two_institutions["other"]
    assert client.get(reverse("conseil:consultation", args=[other.pk])).status_code == 200
    assert client.get(reverse("conseil:consultation_edit", args=[other.pk])).status_code == 403


def test_cancelling_a_mistake_through_the_form(client, two_institutions):
    client.force_login(two_institutions["adviser"])
    mine = two_institutions["mine"]
    client.post(reverse("conseil:consultation_edit", args=[mine.pk]), form(cancelled="on"))
    mine.refresh_from_db()
    assert mine.cancelled
    page = client.get(reverse("conseil:consultation", args=[mine.pk])).content.decode()
    assert "Annulé : cet entretien ne compte pas." in page
    assert client.get(reverse("conseil:consultation_edit", args=[mine.pk])).status_code == 403


def test_the_queue_offers_to_record_the_consultation_of_the_person_served(client, login):
    adviser = login(Role.ADVISER)
    ticket = serving(adviser)
    page = client.get(reverse("accueil:queue")).content.decode()
    assert f"{reverse('conseil:consultation_new')}?ticket={ticket.pk}" in page


def test_the_staff_home_offers_the_advisers_screens(client, login):
    login(Role.ADVISER)
    page = client.get(reverse("staff_home")).content.decode()
    for name in ("conseil:consultation_new", "conseil:consultations", "conseil:questionnaire_show"):
        assert reverse(name) in page
    assert page.index(reverse("accueil:queue")) < page.index(reverse("password_change")), "daily work first"
    login(Role.RECEPTION_AGENT)
    page = client.get(reverse("staff_home")).content.decode()
    assert reverse("conseil:consultations") not in page
    assert reverse("conseil:questionnaire_show") in page
