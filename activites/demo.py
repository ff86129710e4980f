"""The activities of the demo centre: a few weeks to come (`make run`), scheduled through the app's own
services, and those of its history since 2018, written in bulk as the simulation (stats.demo) plans them."""

import random
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from activites import services
from activites.models import Activity, Admission, PlaceKind, Registration, WalkIn
from citedesmetiers.models import Partner, Space, Theme, User

# partner, theme, kind, audiences, languages, weekday (0 = Monday), start, hours, admission, capacity,
# weeks, FR title, NL title, FR description, NL description
DEMO = [
    (
        "bruxelles-formation",
        "apprendre",
        "info_session",
        ["job_seekers"],
        ["fr"],
        1,
        time(10),
        2,
        "registration",
        20,
        6,
        "Se former à un métier en pénurie",
        "Opleiding voor een knelpuntberoep",
        "Les formations qualifiantes gratuites de Bruxelles Formation et comment y entrer.",
        "De gratis opleidingen van Bruxelles Formation en hoe u kunt instappen.",
    ),
    (
        "actiris",
        "travailler",
        "workshop",
        ["job_seekers", "newcomers"],
        ["fr", "nl"],
        3,
        time(14),
        2,
        "registration",
        12,
        4,
        "Atelier CV et lettre de motivation",
        "Workshop cv en motivatiebrief",
        "Un CV clair et une lettre qui donne envie : exercices sur votre propre CV.",
        "Een helder cv en een overtuigende brief: oefeningen op uw eigen cv.",
    ),
    (
        "actiris-international",
        "bouger",
        "info_session",
        ["everyone", "young"],
        ["fr", "nl", "en"],
        2,
        time(13),
        2,
        "registration",
        25,
        2,
        "Discover Mobility : travailler à l'étranger",
        "Discover Mobility: werken in het buitenland",
        "Stages, emplois et volontariat en Europe : les programmes et les aides.",
        "Stages, jobs en vrijwilligerswerk in Europa: de programma's en de steun.",
    ),
    (
        "vdab-brussel",
        "travailler",
        "recruitment",
        ["job_seekers"],
        ["nl"],
        4,
        time(9, 30),
        3,
        "registration",
        30,
        1,
        "Job dating logistique",
        "Jobdating logistiek",
        "Rencontrez des employeurs de la logistique qui recrutent à Bruxelles.",
        "Ontmoet logistieke werkgevers die in Brussel aanwerven.",
    ),
    (
        "siep",
        "choisir",
        "fair",
        ["everyone", "young", "parents"],
        ["fr"],
        5,
        time(10),
        6,
        "free",
        None,
        1,
        "Salon des études et de la formation",
        "Beurs studies en opleiding",
        "Écoles, hautes écoles et centres de formation présentent leurs cursus.",
        "Scholen, hogescholen en opleidingscentra stellen hun opleidingen voor.",
    ),
    (
        "efp",
        "entreprendre",
        "workshop",
        ["self_employed", "over_50"],
        ["fr"],
        0,
        time(18),
        2,
        "registration",
        15,
        3,
        "Se lancer comme indépendant·e",
        "Starten als zelfstandige",
        "Les premières étapes pour créer votre activité : statut, plan financier, aides.",
        "De eerste stappen om uw zaak op te starten: statuut, financieel plan, steun.",
    ),
    (
        "bruxelles-formation",
        "choisir",
        "job_discovery",
        ["young"],
        ["fr"],
        2,
        time(9),
        3,
        "invitation",
        25,
        2,
        "Explorama : découvrir les métiers du soin",
        "Explorama: zorgberoepen ontdekken",
        "Pour les classes : une matinée pour découvrir les métiers de l'aide et du soin.",
        "Voor klassen: een voormiddag om de zorgberoepen te ontdekken.",
    ),
]


def demo_activities_create(*, now: datetime | None = None) -> int:
    """Schedules the demo's activities from next week on, once (kept when some exist); returns how many."""
    if not settings.DEMO_ACCOUNTS_ENABLED:
        raise ImproperlyConfigured("Demo activities are only created with CDM_MODE=demo or dev.")
    if Activity.objects.exists():
        return 0
    now = now or timezone.now()
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        raise ImproperlyConfigured("Create the demo accounts first (create_demo_accounts).")
    room = Space.objects.filter(bookable=True, active=True).order_by("position").first()
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday()) + timedelta(weeks=1)
    count = 0
    for index, row in enumerate(DEMO):
        (partner, theme, kind, audiences, languages, weekday, start, hours, admission, capacity, weeks,
         title_fr, title_nl, text_fr, text_nl) = row  # fmt: skip
        starts_at = timezone.make_aware(datetime.combine(monday + timedelta(days=weekday), start))
        in_room = room is not None and index % 2 == 0
        values = {
            "partner": Partner.objects.get(code=partner),
            "theme": Theme.objects.get(code=theme),
            "kind": kind,
            "audiences": audiences,
            "title_fr": title_fr,
            "title_nl": title_nl,
            "title_en": "",
            "description_fr": text_fr,
            "description_nl": text_nl,
            "description_en": "",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "place_kind": "room" if in_room else "address",
            "room": room if in_room else None,
            "address": "" if in_room else "Rue Royale 2-4, 1000 Bruxelles",
            "online_url": "",
            "capacity": capacity,
            "admission": admission,
        }
        created = services.activity_create(
            user=coordinator, values=values, languages=languages, publish=True, repeat_weeks=weeks, now=now
        )
        count += len(created)
    return count


# --- the activities of the demo centre's history (stats.demo orchestrates the years) ------------------

BATCH = 2000
ONLINE_URL = "https://visio.example.org/cite-des-metiers"
FIRST_CREATED = datetime(2018, 2, 1, 10, tzinfo=ZoneInfo(settings.TIME_ZONE))  # the agenda's first entries


def history_activities_write(
    planned: list,
    *,
    rng: random.Random,
    partners: dict[str, int],
    creators: Callable[[str], list],
    now: datetime,
) -> dict[str, int]:
    """Writes the activities the simulation planned for a year (stats.demo.Planned: the template, the
    day, the times, the place, the status, the participants decided), with their languages, and for
    those open to registration the registrations (erased past their retention, as the purge leaves them)
    and walk-ins that make their participants exactly; `creators(partner code)` are the staff who may
    have created an activity of that institution (each with an id), drawn with `rng`. How many rows of
    each kind were written."""
    if not planned:
        return {}
    rows = []
    for a in planned:
        t = a.template
        creator = creators(t.partner)
        created_at = max(a.starts_at - timedelta(days=rng.uniform(10, 60)), FIRST_CREATED)
        title = a.title or (t.title_fr, t.title_nl, t.title_en)
        cancelled = a.status == Activity.Status.CANCELLED
        free = t.admission != Admission.REGISTRATION
        rows.append(
            Activity(
                partner_id=partners[t.partner],
                theme_id=t.theme,
                kind=a.kind,
                audiences=list(t.audiences),
                title_fr=title[0],
                title_nl=title[1],
                title_en=title[2],
                description_fr=t.text_fr,
                description_nl=t.text_nl,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                place_kind=a.place,
                room_id=a.room,
                address=a.address,
                online_url=ONLINE_URL if a.place == PlaceKind.ONLINE else "",
                capacity=t.capacity,
                admission=t.admission,
                status=a.status,
                headcount=a.participants if free and a.recorded and not cancelled else None,
                attendance_recorded_at=(
                    min(a.ends_at + timedelta(minutes=rng.uniform(5, 1500)), now)
                    if a.recorded and not cancelled
                    else None
                ),
                created_at=created_at,
                created_by_id=rng.choice(creator).id,
                cancelled_at=a.starts_at - timedelta(days=rng.uniform(1, 8)) if cancelled else None,
            )
        )
    Activity.objects.bulk_create(rows, batch_size=BATCH)
    languages, registrations, walk_ins = [], [], []
    retention_days = settings.REGISTRATION_RETENTION_DAYS
    retention = now - timedelta(days=retention_days)
    for a, row in zip(planned, rows, strict=True):
        t = a.template
        languages += [
            Activity.languages.through(activity_id=row.pk, language_id=code) for code in t.languages
        ]
        if a.status == Activity.Status.CANCELLED or t.admission != Admission.REGISTRATION:
            continue
        # Seats, people who came and walk-ins that make the activity's participants exactly.
        capacity = t.capacity
        show = rng.uniform(0.55, 0.85)
        if a.recorded:
            walked = round(a.participants * rng.uniform(0, 0.15))
            checked = min(a.participants - walked, capacity)
            walked = a.participants - checked
            seats = min(capacity, max(checked, round(checked / show)))
        else:
            checked = walked = 0
            seats = min(capacity, max(1, round(a.expected / show)))
        waiting = rng.randint(0, 6) if seats == capacity else 0
        withdrawn = sum(1 for _ in range(seats) if rng.random() < 0.08)
        statuses = (
            [(Registration.Status.CONFIRMED, True)] * checked
            + [(Registration.Status.CONFIRMED, False)] * (seats - checked)
            + [(Registration.Status.WAITING, None)] * waiting
            + [(Registration.Status.CANCELLED, None)] * withdrawn
        )
        erased = a.ends_at < retention
        spoken = [code for code in t.languages if code in ("fr", "nl", "en")] or ["fr"]
        window = max(3600.0, (a.starts_at - row.created_at).total_seconds() - 3600)
        for number, (status, came) in enumerate(statuses):
            created = a.starts_at - timedelta(seconds=rng.uniform(3600, window))
            confirmed = created + timedelta(minutes=rng.uniform(1, 30))
            registration = Registration(
                activity_id=row.pk,
                first_name="" if erased else f"Démo {number + 1}",
                email="" if erased else f"demo.{row.pk}.{number + 1}@example.invalid",
                language=rng.choice(spoken),
                status=status,
                created_at=created,
                confirmed_at=confirmed,
                waiting_since=confirmed if status == Registration.Status.WAITING else None,
                cancelled_at=(
                    confirmed + (a.starts_at - confirmed) * rng.random()
                    if status == Registration.Status.CANCELLED
                    else None
                ),
                reminded_at=(
                    a.starts_at - timedelta(days=2)
                    if status == Registration.Status.CONFIRMED and created < a.starts_at - timedelta(days=2)
                    else None
                ),
                attended=came if a.recorded and status == Registration.Status.CONFIRMED else None,
                erased_at=min(a.ends_at + timedelta(days=retention_days, hours=rng.uniform(1, 24)), now)
                if erased
                else None,
            )
            registrations.append(registration)
        organiser = rng.choice(creators(t.partner)).id
        while walked > 0:
            size = min(walked, 1 if rng.random() < 0.85 else rng.randint(2, 3))
            moment = a.starts_at + timedelta(minutes=rng.uniform(-10, 20))
            walk_ins.append(
                WalkIn(
                    key=uuid.uuid4(),
                    occurred_at=moment,
                    recorded_at=moment,
                    recorded_by_id=organiser,
                    activity_id=row.pk,
                    count=size,
                )
            )
            walked -= size
    Activity.languages.through.objects.bulk_create(languages, batch_size=BATCH)
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    WalkIn.objects.bulk_create(walk_ins, batch_size=BATCH)
    return {"activities": len(rows), "registrations": len(registrations), "walk_ins": len(walk_ins)}
