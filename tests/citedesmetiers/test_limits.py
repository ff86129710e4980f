"""Dates and counts within their ranges (citedesmetiers.dates, citedesmetiers.limits): in the forms with a
message in the page's language, in the database whatever path writes, and pages that never fail on what
is stored."""

import html
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accueil.models import Visit
from activites import calendar, emails
from activites.forms import ActivityCreateForm, AgendaFilterForm, HeadcountForm
from activites.models import Activity, OutgoingEmail, WalkIn
from citedesmetiers import dates, limits
from citedesmetiers.accounts import totp
from citedesmetiers.models import AuditEntry, Space
from citedesmetiers.roles import Role
from citedesmetiers.selectors import audit_history
from ressources.models import OccupancySweep
from tests.factories import activity, registration, staff, visit

pytestmark = pytest.mark.django_db

YEAR_1 = datetime(1, 1, 1, 0, 5, tzinfo=UTC)
YEAR_9999 = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


def refused(**update) -> bool:
    """Whether the database refuses this update of a row (a savepoint keeps the test's transaction)."""
    model, pk = update.pop("model"), update.pop("pk")
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**update)
    except IntegrityError:
        return True
    return False


# --- the database ----------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", [YEAR_1, YEAR_9999, datetime(1999, 12, 31, 22, tzinfo=UTC)])
def test_the_database_refuses_a_contact_or_an_activity_out_of_range(moment):
    entry, workshop = visit(), activity()
    assert refused(model=Visit, pk=entry.pk, occurred_at=moment)
    assert refused(model=Activity, pk=workshop.pk, starts_at=moment)
    assert refused(model=Activity, pk=workshop.pk, ends_at=moment)
    assert not refused(model=Visit, pk=entry.pk, occurred_at=datetime(2000, 1, 1, tzinfo=UTC))


def test_the_database_refuses_counts_and_texts_above_their_ceilings():
    fair = activity(admission="free", capacity=None)
    workshop = activity(capacity=30, starts_in=timedelta(days=9))
    assert refused(model=Activity, pk=fair.pk, headcount=limits.HEADCOUNT_MAX + 1)
    assert not refused(model=Activity, pk=fair.pk, headcount=limits.HEADCOUNT_MAX)
    assert refused(model=Activity, pk=workshop.pk, headcount=91)
    assert not refused(model=Activity, pk=workshop.pk, headcount=90)
    assert refused(model=Activity, pk=workshop.pk, capacity=limits.CAPACITY_MAX + 1)
    assert refused(model=Activity, pk=workshop.pk, description_fr="x" * (limits.DESCRIPTION_MAX + 1))
    assert not refused(model=Activity, pk=workshop.pk, description_fr="é" * limits.DESCRIPTION_MAX)


# --- the forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Indiquez une date entre"), ("nl", "Geef een datum tussen"), ("en", "Give a date between")],
)
def test_a_date_out_of_range_gets_a_message_in_the_page_language(language, message):
    with translation.override(language):
        form = AgendaFilterForm({"end": "9999-12-31"})
        assert not form.is_valid()
        assert message in form.errors["end"][0]
        assert "2100" in form.errors["end"][0]


def test_a_bounded_field_offers_its_days_to_the_date_picker_each_day_anew():
    form = AgendaFilterForm()
    assert form.fields["start"].widget.attrs["min"] == "2000-01-01"
    assert form.fields["start"].widget.attrs["max"] == "2100-12-31"
    first, last = dates.activity_days()
    assert (first, last) == (date(2017, 1, 1), date(timezone.localdate().year + 1, 12, 31))
    assert ActivityCreateForm().fields["date"].widget.attrs["max"] == last.isoformat()


def test_an_activity_cannot_be_dated_year_1_nor_a_series_run_past_next_year():
    def errors(day, weeks=1):
        form = ActivityCreateForm(
            {"date": day, "start_time": "10:00", "end_time": "12:00", "repeat_weeks": weeks}
        )
        form.is_valid()
        return form.errors

    assert "date" in errors("0001-01-01")
    assert "date" in errors("9999-12-31")
    assert "date" not in errors(timezone.localdate().isoformat())
    last = dates.activity_days()[1]
    assert "repeat_weeks" in errors((last - timedelta(weeks=2)).isoformat(), weeks=4)
    assert "repeat_weeks" not in errors((last - timedelta(weeks=3)).isoformat(), weeks=4)


def test_a_title_is_one_line_and_a_description_has_a_ceiling():
    form = ActivityCreateForm({"title_fr": "Atelier\r\nBcc: x@example.org", "description_fr": "x" * 5001})
    form.is_valid()
    assert "title_fr" in form.errors
    assert "description_fr" in form.errors


def test_a_correction_cannot_move_a_contact_to_year_1(client):
    entry = visit()
    client.force_login(staff(Role.COORDINATOR))
    url = reverse("accueil:entry_correct", args=[entry.pk])
    response = client.post(
        url,
        {"occurred_at": "0001-01-01T00:05", "orientation": "advice", "theme": "choisir", "language": "fr"}
        | {"channel": "on_site", "count": 1},
    )
    assert response.status_code in (200, 400)
    assert "Indiquez une date entre" in text(response)
    entry.refresh_from_db()
    assert entry.occurred_at.year == timezone.now().year


# --- headcounts ------------------------------------------------------------------------------------


def test_a_headcount_above_the_places_asks_for_a_confirmation_and_far_above_is_refused():
    form = HeadcountForm({"headcount": 45}, places=30)
    assert not form.is_valid()
    assert form.needs_confirmation
    assert "45 personnes pour 30 places" in form.errors["headcount"][0]
    assert HeadcountForm({"headcount": 45, "confirm": "on"}, places=30).is_valid()
    assert not HeadcountForm({"headcount": 91, "confirm": "on"}, places=30).is_valid()
    assert HeadcountForm({"headcount": 30}, places=30).is_valid()
    assert not HeadcountForm({"headcount": limits.HEADCOUNT_MAX + 1}).is_valid()


def test_the_check_in_page_refuses_100000_people_in_a_room_for_30(client):
    Space.objects.filter(code="salle-1").update(capacity=30)
    room = Space.objects.filter(capacity=30).first() or Space.objects.filter(bookable=True).first()
    Space.objects.filter(pk=room.pk).update(capacity=30, bookable=True)
    workshop = activity(
        admission="free", capacity=None, room=room.code, starts_in=timedelta(minutes=20), publish=True
    )
    assert workshop.places == 30
    client.force_login(staff(Role.COORDINATOR))
    url = reverse("activites:activity_attendance", args=[workshop.pk])

    response = client.post(url, {"action": "headcount", "headcount": "100000"})
    assert response.status_code == 400
    assert "90" in text(response)
    response = client.post(url, {"action": "headcount", "headcount": "45"})
    assert response.status_code == 400
    assert "45 personnes pour 30 places" in text(response)
    assert 'name="confirm"' in text(response)
    workshop.refresh_from_db()
    assert workshop.headcount is None
    client.post(url, {"action": "headcount", "headcount": "45", "confirm": "on"})
    workshop.refresh_from_db()
    assert workshop.headcount == 45


# --- pages never fail on what is stored ------------------------------------------------------------


def test_an_audit_line_holding_a_time_refused_today_is_still_shown():
    entry = visit()
    AuditEntry.objects.create(
        at=timezone.now(),
        actor=staff(Role.COORDINATOR),
        action="update",
        object_type="accueil.visit",
        object_id=str(entry.pk),
        changes={"occurred_at": ["2026-01-05T10:00:00+01:00", "0001-01-01T00:05:00+00:53"]},
    )
    lines = audit_history(entry)
    assert "0001-01-01T00:05:00+00:53" in str([change for line in lines for change in line.changes])


def test_a_line_break_in_a_title_never_keeps_an_email_in_the_outbox():
    workshop = activity()
    Activity.objects.filter(pk=workshop.pk).update(title_fr="Atelier\nCV")
    workshop.refresh_from_db()
    mail.outbox = []
    registration(workshop)
    emails.emails_send()
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert mail.outbox
    assert all("\n" not in message.subject for message in mail.outbox)


def test_the_calendar_feed_cuts_long_descriptions():
    activity(description_fr="mot " * 1200)
    body = calendar.calendar(Activity.objects.all(), name="Agenda", brief=True)
    assert len(body.encode()) < 2 * calendar.FEED_DESCRIPTION + 2000


def test_a_code_typed_in_full_width_digits_is_the_same_code():
    secret = totp.new_secret()
    now = timezone.now().timestamp()
    code = totp.code_at(secret, totp.step_of(now))
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    assert totp.verify(secret, full_width, timestamp=now) is not None
    assert totp.verify(secret, "١٢٣٤٥٦", timestamp=now) is None  # other digits: refused, no error


def test_the_walk_in_and_occupancy_counts_have_ceilings_in_the_database():
    workshop = activity(starts_in=timedelta(minutes=20))
    from activites import services

    walk_in = services.walk_in_add(activity=workshop, key=uuid.uuid4(), user=staff(Role.COORDINATOR)).entry
    assert refused(model=WalkIn, pk=walk_in.pk, count=limits.WALK_IN_MAX + 1)
    sweep = OccupancySweep.objects.create(
        key=uuid.uuid4(),
        occurred_at=timezone.now(),
        recorded_at=timezone.now(),
        recorded_by=staff(Role.DIGITAL_STEWARD),
        computers=1,
        tablets=0,
        documentary=0,
    )
    assert refused(model=OccupancySweep, pk=sweep.pk, computers=limits.OCCUPANCY_MAX + 1)
