"""The public agenda with a year of activities, against a bare view returning the same bytes.

A database of its own holds about 800 published activities over the next 365 days: several organisers,
themes, types, audiences and languages, in the centre's activity room, at an outside address or online;
half of them with registration and confirmed registrations (some full). All run in the same gunicorn
(production settings, 2 workers), in the same run, each page in turns with its bare view six times
over (harness.in_turns: a drift of the run, this machine's speed included, weighs on both alike):
- the agenda's first page as a visitor opens it (30 activities, grouped by day), and the bare view
  returning its bytes as captured once: no form, no query, no template;
- the agenda filtered by theme and language (?theme=travailler&language=nl), and its bare view;
- the calendar feed (.ics, the coming activities), and its bare view.
The agenda's pages and its feed are kept for visitors until the agenda changes (activites.pages): their
measures are warm (built once, then served from the cache for one query), and the agenda's
first page is measured once more cold, while a change comes in every second (a registration, say: the
stamp the database raises), so that each worker builds it again after every change, in turns with its
bare view as well. The ratios say what building each page costs against sending it, printed beside
their goals (warm 0.8 or more, cold 0.6 or more). The number of SQL queries of each is counted once
in-process (a second request, as in a running worker: reference rows are cached).
"""

import dataclasses
import json
import random
import tempfile
import threading
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path

from bench import harness

SECONDS = 6.0
ROUNDS = 6  # each page and its bare view in turns, six times over: a drift weighs on both alike
WARM_GOAL, COLD_GOAL = 0.8, 0.6  # issue 19
ACTIVITIES = 800
DAYS = 365
PAGES = {
    "agenda": ("activites:agenda", ""),
    "filtered": ("activites:agenda", "?theme=travailler&language=nl"),
    "feed": ("activites:agenda_feed", ""),
}

# kind: weight, then (FR, NL, EN) titles
KINDS = {
    "workshop": (
        30,
        [
            ("Atelier CV", "Workshop cv", "CV workshop"),
            ("Préparer son entretien d'embauche", "Je sollicitatiegesprek voorbereiden", "Job interviews"),
            ("Lettre de motivation", "Motivatiebrief", "Cover letter"),
            ("Chercher un emploi sur internet", "Online werk zoeken", "Looking for a job online"),
        ],
    ),
    "info_session": (
        25,
        [
            ("Se former en alternance", "Duaal leren", "Work-study training"),
            ("Faire reconnaître son diplôme", "Je diploma laten erkennen", "Getting a diploma recognised"),
            ("Créer son entreprise : par où commencer ?", "Een zaak starten", "Starting a business"),
            ("Travailler à l'étranger", "Werken in het buitenland", "Working abroad"),
        ],
    ),
    "recruitment": (
        10,
        [
            ("Job dating logistique", "Jobdating logistiek", "Logistics job dating"),
            ("Recrutement : aide-soignant·e", "Aanwerving: zorgkundige", "Recruiting: care assistants"),
        ],
    ),
    "conference": (5, [("Les métiers de demain", "De beroepen van morgen", "Tomorrow's occupations")]),
    "visit": (5, [("Visite d'un centre de formation", "Bezoek aan een opleidingscentrum", "")]),
    "job_discovery": (
        10,
        [
            ("Découvrir les métiers de la construction", "Beroepen in de bouw", "Construction jobs"),
            ("Découvrir les métiers du numérique", "Digitale beroepen ontdekken", "Digital jobs"),
        ],
    ),
    "club": (8, [("Club emploi", "Jobclub", "Job club")]),
    "digital_tutorial": (7, [("Mon dossier en ligne", "Mijn online dossier", "My online file")]),
}
DESCRIPTIONS = (
    "Deux heures pour faire le point avec un·e conseiller·ère et d'autres participant·e·s : des exemples, "
    "des conseils concrets et du temps pour vos questions. Gratuit, sans condition.",
    "Twee uur om met een adviseur en andere deelnemers stil te staan bij je plannen: voorbeelden, "
    "concrete tips en tijd voor je vragen. Gratis, zonder voorwaarden.",
    "Two hours with an adviser and other participants: examples, practical advice and time for your "
    "questions. Free, no conditions.",
)
# session languages: weight
LANGUAGE_SETS = {
    ("fr",): 40,
    ("fr", "nl"): 30,
    ("nl",): 15,
    ("fr", "en"): 5,
    ("fr", "nl", "en"): 5,
    ("fr", "ar"): 5,
}
ADDRESSES = ["Rue Royale 2, 1000 Bruxelles", "Boulevard Anspach 65, 1000 Bruxelles", "Rue de Birmingham 225"]
# Slots of a day: never two activities at once, so that the centre's one room is never booked twice.
SLOTS = [time(9, 30), time(13, 30), time(18, 0)]


def _populate(activities_count: int = ACTIVITIES) -> None:
    """Runs in Django: the activities (in bulk, ACTIVITIES unless told), their languages and
    registrations."""
    from django.db import connection
    from django.utils import timezone

    from activites.models import Activity, Registration
    from citedesmetiers.models import Language, Partner, Space, Theme, User

    rng = random.Random(2025)
    now = timezone.now()
    user = User.objects.create_user("bench-organiser")
    partners = list(Partner.objects.filter(active=True).prefetch_related("themes"))
    languages = {language.code: language for language in Language.objects.filter(active=True)}
    themes = list(Theme.objects.filter(active=True))
    room = Space.objects.get(code="activites")
    kinds = list(KINDS)
    sets = list(LANGUAGE_SETS)
    audiences = ["everyone", "young", "job_seekers", "workers", "newcomers", "over_50"]
    activities, chosen, slots = [], [], Counter()
    for number in range(activities_count):
        day = timezone.localdate(now) + timedelta(days=1 + number * DAYS // activities_count)
        starts_at = timezone.make_aware(datetime.combine(day, SLOTS[slots[day]]))
        slots[day] += 1
        partner = rng.choice(partners)
        kind = rng.choices(kinds, weights=[weight for weight, _ in KINDS.values()])[0]
        title_fr, title_nl, title_en = rng.choice(KINDS[kind][1])
        place_kind = rng.choices(["room", "address", "online"], weights=[40, 40, 20])[0]
        admission = rng.choices(["registration", "free", "invitation"], weights=[50, 35, 15])[0]
        activities.append(
            Activity(
                partner=partner,
                theme=rng.choice(list(partner.themes.all()) or themes),
                kind=kind,
                audiences=rng.sample(audiences, rng.randint(1, 2)),
                title_fr=title_fr,
                title_nl=title_nl,
                title_en=title_en,
                description_fr=DESCRIPTIONS[0],
                description_nl=DESCRIPTIONS[1],
                description_en=DESCRIPTIONS[2],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=rng.choice([90, 120, 120, 180])),
                place_kind=place_kind,
                room=room if place_kind == "room" else None,
                address=rng.choice(ADDRESSES) if place_kind == "address" else "",
                online_url=f"https://meet.example.org/cdm-{number}" if place_kind == "online" else "",
                capacity=rng.choice([12, 15, 20, 25, 30, 40]) if admission == "registration" else None,
                admission=admission,
                status=Activity.Status.PUBLISHED,
                created_at=now,
                created_by=user,
            )
        )
        chosen.append(rng.choices(sets, weights=list(LANGUAGE_SETS.values()))[0])
    activities = Activity.objects.bulk_create(activities)
    Activity.languages.through.objects.bulk_create(
        Activity.languages.through(activity_id=activity.pk, language_id=languages[code].pk)
        for activity, codes in zip(activities, chosen, strict=True)
        for code in codes
    )
    registrations = []
    for activity, codes in zip(activities, chosen, strict=True):
        if activity.admission != "registration":
            continue
        # One in five full (the waiting list shows), the others partly filled.
        seated = activity.capacity if rng.random() < 0.2 else rng.randint(0, activity.capacity - 1)
        for person in range(seated):
            registered_at = now - timedelta(days=rng.randint(0, 30))
            registrations.append(
                Registration(
                    activity=activity,
                    first_name="Alex",
                    email=f"person-{activity.pk}-{person}@example.org",
                    language=rng.choice([code for code in codes if code in ("fr", "nl", "en")] or ["fr"]),
                    status=Registration.Status.CONFIRMED,
                    created_at=registered_at,
                    confirmed_at=registered_at,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    # Statistics as autovacuum would have them a minute later: the plans of a steady state.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(pages_file: str, activities: int = ACTIVITIES) -> None:
    """Runs in Django (`manage.py shell`): fills the database (`activities` activities), captures each
    page once into `pages_file` for the bare view, and prints (as its last line) their paths, sizes and
    numbers of SQL queries."""
    from django.urls import reverse
    from django.utils import translation

    from activites.models import Activity, Registration

    _populate(activities)
    with translation.override("fr"):
        pages = {name: reverse(url_name) + query for name, (url_name, query) in PAGES.items()}
    figures = harness.capture_pages(pages, pages_file)
    figures["rows"] = {
        "activities": Activity.objects.published().count(),
        "registrations": Registration.objects.seated().count(),
    }
    print(json.dumps(figures))


class Changes:
    """Raises the agenda's stamp every `every` seconds while it runs, as registrations coming in would."""

    def __init__(self, url: str, every: float = 1.0):
        self.url, self.every = url, every
        self.stop = threading.Event()
        self.count = 0

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.stop.wait(self.every):
                connection.execute("UPDATE activites_agendastamp SET version = version + 1")
                self.count += 1

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def main() -> None:
    with harness.bench_database("agenda") as url, tempfile.TemporaryDirectory() as directory:
        pages_file = str(Path(directory) / "pages.json")
        env = harness.production_env(url, DJANGO_SETTINGS_MODULE="bench.settings", BENCH_PAGES=pages_file)
        with harness.gunicorn(env) as base:
            # After gunicorn's collectstatic (pages name their static files); the bare view reads the
            # captured pages at its first request.
            figures = harness.in_django(env, f"from bench import agenda; agenda.prepare({pages_file!r})")
            results, ratios = harness.against_bare(
                base,
                figures,
                [
                    ("agenda", "agenda, page 1"),
                    ("filtered", "agenda, by theme and language"),
                    ("feed", "agenda calendar feed (.ics)"),
                ],
                seconds=SECONDS,
                rounds=ROUNDS,
            )
            with Changes(url) as changes:
                # In turns with its bare view too: the bare view reads no stamp, the changes touch it not.
                cold_results, cold_ratios = harness.against_bare(
                    base,
                    figures,
                    [("agenda", "agenda, page 1, cold")],
                    seconds=SECONDS,
                    rounds=ROUNDS,
                )
            bare = dataclasses.replace(cold_results[0], name="GET bare view, agenda bytes (cold's)")
            results += [bare, cold_results[1]]
    ratios = [(*ratio, WARM_GOAL) for ratio in ratios] + [(*ratio, COLD_GOAL) for ratio in cold_ratios]
    rows = figures["rows"]
    harness.report(
        f"Agenda: gunicorn, 2 workers, 4 client processes, production settings, {rows['activities']} "
        f"published activities over {DAYS} days, {rows['registrations']} seats taken",
        results,
        ratios,
    )
    print(f"  (the agenda changed {changes.count} times during the cold measure)")
    _print_pages(figures)


def _print_pages(figures: dict) -> None:
    print(f"  {'SQL queries per request (in-process, warm)':<44} {'queries':>9} {'bytes':>8}")
    for name in PAGES:
        print(f"  {figures[name]['path']:<44} {figures[name]['queries']:>9} {figures[name]['bytes']:>8}")
