"""A small centre whose every figure of March 2026 is computed by hand below (test_selectors.py)."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accueil import services as desk
from activites import services as agenda
from citedesmetiers.models import Partner, User
from citedesmetiers.roles import Role
from ressources import services as space
from stats.models import OnlineFigures, OnlineMonth
from tests.factories import activity, consultation, registration, staff, visit

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def march():
    """March 2026, by hand:
    - on-site visits: 3 advice (choisir), a group of 5 to an activity (travailler), 2 multimedia, 2
      people to the documentary space: 12 people; an undone visit of 3 and an April visit do not count;
      remote: 4 e-mails and 1 phone call;
    - advice: 4 Actiris sessions (women 3, man 1; 18-24, 30-34, 55-59, unknown; 20/30/40/30 minutes)
      and 1 VDAB session (man, 25-29, 30 minutes): 5 sessions, 60.0 % women;
    - activities: A1 Actiris, 4 seats given, 3 came + 2 walk-ins = 5; A2 VDAB, free entry, headcount 7;
      A3 Actiris, attendance never recorded; A4 cancelled; A5 an outreach outing of 20 people:
      3 activities, 12 participants, A3 listed as missing;
    - contacts: 12 on site + (12 participants - 5 sent to an activity by the desk) = 19;
    - multimedia: entries 1 + 4 = 5; services: 5 advice + (5 + 2) multimedia and documentation + 12
      participants + 20 outreach + 5 remote = 49.
    """
    reception = staff(Role.RECEPTION_AGENT)
    morning = at(2026, 3, 9, 10)
    for minute in range(3):
        visit(user=reception, theme="choisir", orientation="advice", now=morning + timedelta(minutes=minute))
    visit(user=reception, theme="travailler", orientation="activity", count=5, now=morning)
    visit(user=reception, orientation="multimedia", now=at(2026, 3, 10, 14))
    visit(user=reception, orientation="multimedia", now=at(2026, 3, 10, 15))
    visit(user=reception, orientation="documentary", count=2, now=at(2026, 3, 31, 23, 30))
    undone = visit(user=reception, orientation="information", count=3, now=morning)
    desk.visit_undo(visit=undone, user=reception, now=morning + timedelta(minutes=1))
    visit(user=reception, orientation="information", now=at(2026, 4, 1, 0, 30))
    for day in range(4):
        visit(
            user=reception,
            orientation="information",
            channel="email",
            theme=None,
            now=at(2026, 3, 2 + day, 9),
        )
    visit(user=reception, orientation="information", channel="phone", theme=None, now=at(2026, 3, 6, 9))

    actiris = staff(Role.ADVISER)
    vdab = staff(Role.ADVISER, partner=Partner.objects.get(code="vdab-brussel"))
    for gender, band, minutes, theme in [
        ("woman", "18-24", 20, "travailler"),
        ("woman", "30-34", 30, "travailler"),
        ("woman", "55-59", 40, "travailler"),
        ("man", None, 30, "apprendre"),
    ]:
        consultation(
            adviser=actiris,
            theme=theme,
            topics=("cv_letter",) if theme == "travailler" else ("training",),
            gender=gender,
            age_band=band,
            duration_minutes=minutes,
            now=at(2026, 3, 12, 16),
        )
    consultation(adviser=vdab, gender="man", age_band="25-29", duration_minutes=30, now=at(2026, 3, 13, 16))

    planned = at(2026, 3, 1, 9)
    coordinator = staff(Role.COORDINATOR)
    a1 = activity(user=coordinator, starts_at=at(2026, 3, 17, 10), now=planned, languages=("fr", "nl"))
    people = [registration(a1, email=f"p{n}@example.org", now=planned) for n in range(4)]
    start = a1.starts_at
    for person in people[:3]:
        agenda.attendance_mark(
            activity=a1, registration_id=person.pk, attended=True, user=coordinator, now=start
        )
    for _ in range(2):
        agenda.walk_in_add(activity=a1, key=uuid.uuid4(), user=coordinator, now=start)
    agenda.attendance_close(activity=a1, user=coordinator, now=start + timedelta(hours=2))
    a2 = activity(
        user=coordinator,
        partner="vdab-brussel",
        admission="free",
        capacity=None,
        theme="apprendre",
        starts_at=at(2026, 3, 18, 14),
        now=planned,
    )
    agenda.headcount_set(activity=a2, headcount=7, user=coordinator, now=a2.starts_at)
    activity(user=coordinator, starts_at=at(2026, 3, 19, 10), now=planned, title_fr="Sans présences")
    a4 = activity(user=coordinator, starts_at=at(2026, 3, 20, 10), now=planned)
    agenda.activity_cancel(activity=a4, user=coordinator, now=planned)
    a5 = activity(
        user=coordinator,
        kind="outreach",
        admission="free",
        capacity=None,
        starts_at=at(2026, 3, 21, 10),
        now=planned,
    )
    agenda.headcount_set(activity=a5, headcount=20, user=coordinator, now=a5.starts_at)

    steward = staff(Role.DIGITAL_STEWARD)
    for count, moment in ((1, at(2026, 3, 10, 14)), (4, at(2026, 3, 11, 10))):
        space.space_entry_add(key=uuid.uuid4(), user=steward, occurred_at=moment, count=count, now=moment)
    director = staff(Role.DIRECTOR)
    OnlineFigures.objects.create(
        year=2026,
        facebook_followers=110,
        twitter_followers=8,
        web_page_views=10_900,
        updated_at=planned,
        updated_by=director,
    )
    OnlineMonth.objects.create(
        year=2026,
        month=3,
        facebook_followers=100,
        twitter_followers=7,
        web_page_views=900,
        updated_at=planned,
        updated_by=director,
    )
    User.objects.update(date_joined=at(2026, 1, 5))  # the team was there before March
    return {"a3_title": "Sans présences"}
