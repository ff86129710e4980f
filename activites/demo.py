"""A few weeks of activities for the demo (`make run`), scheduled through the app's own services."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from activites import services
from activites.models import Activity
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
