"""The public documentation search over 50,000 resources, against a bare view returning the same bytes.

A database of its own holds a catalogue of 50,000 resources (brochures, books, guides, websites, online
tools, videos, documents) with French and Dutch titles and summaries written from career-guidance words
(some in English too), one or two themes each, audiences, a language and a link; inserted in bulk, then
vacuumed and analysed as autovacuum would leave them. Words such as "formation", "électricité" or
"opleidingen" find hundreds to thousands of them, as common words do in a real catalogue. All run in the
same gunicorn (production settings, 2 workers), in the same run:
- the catalogue as a visitor opens it, without words (the first 20 resources in alphabetical order), and
  the bare view returning its bytes as captured once: no form, no query, no template;
- a search for a common word (?q=formation): the full-text match on the GIN index, the count, the
  ranking of every match and the highlighted words of the page; and its bare view;
- a search with accents and a filter (?q=électricité&theme=apprendre), and its bare view;
- a search in Dutch (?q=opleidingen), and its bare view.
The ratios say what building each page costs against sending it. The number of SQL queries of each
is counted once in-process (a second request, as in a running worker: reference rows are cached), with
the number of resources each search finds (statements include BEGIN and COMMIT: a search by words runs
in a transaction that steers the planner to the GIN index, see `selectors.text_search_plan`); and the
plan of the common word's count query (EXPLAIN ANALYZE), as the view runs it and as PostgreSQL would
plan it on its own, says whether the GIN index `ressources_resource_search` serves it, and in how long.
Two more searches show what reading the words costs: several words (?q=formation alternance: every
resource with either, those with both first) and a typo (?q=formtion: corrected from the catalogue's
own words, then searched). Before the 50,000 resources are added, the search's test set
(ressources.demo_catalogue.QUERIES: 49 searches in French, Dutch and English) runs on the demo catalogue
(about 280 resources and its synonyms, rolled back afterwards): its hit rate (the expected resources in
the first five) is printed beside the timings, with the time each search took in-process.
"""

import json
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlencode

from bench import harness

SECONDS = 5.0
RESOURCES = 50_000
# name: query string of the catalogue (French addresses)
SEARCHES = {
    "catalogue": {},
    "common": {"q": "formation"},
    "accents": {"q": "électricité", "theme": "apprendre"},
    "dutch": {"q": "opleidingen"},
    "words": {"q": "formation alternance"},
    "typo": {"q": "formtion"},
}
LABELS = [
    ("catalogue", "catalogue, page 1 (no words)"),
    ("common", "search “formation”"),
    ("accents", "search “électricité”, one theme"),
    ("dutch", "search “opleidingen” (Dutch)"),
    ("words", "search “formation alternance” (2 words)"),
    ("typo", "search “formtion” (corrected)"),
]
INDEX = "ressources_resource_search"

# What a resource is about: (FR, NL, EN) and its themes.
TOPICS = [
    ("les métiers de l'électricité", "beroepen in de elektriciteit", "jobs in electricity", ["choisir"]),
    (
        "le métier d'électricien·ne",
        "het beroep van elektricien",
        "the electrician's trade",
        ["apprendre", "choisir"],
    ),
    (
        "l'électricité du bâtiment et ses formations",
        "elektriciteit in gebouwen en de opleidingen",
        "building electrics and its training courses",
        ["apprendre"],
    ),
    ("la formation en alternance", "duaal leren", "work-study training", ["apprendre"]),
    (
        "les formations qualifiantes pour adultes",
        "beroepsopleidingen voor volwassenen",
        "vocational training for adults",
        ["apprendre"],
    ),
    ("la recherche d'emploi", "werk zoeken", "looking for a job", ["travailler"]),
    ("le CV", "het cv", "the CV", ["travailler"]),
    ("la lettre de motivation", "de motivatiebrief", "the cover letter", ["travailler"]),
    ("l'entretien d'embauche", "het sollicitatiegesprek", "the job interview", ["travailler"]),
    ("les offres d'emploi en ligne", "online vacatures", "job offers online", ["travailler"]),
    ("le travail à l'étranger", "werken in het buitenland", "working abroad", ["bouger", "travailler"]),
    ("les études à l'étranger", "studeren in het buitenland", "studying abroad", ["bouger", "apprendre"]),
    ("un stage à l'étranger", "een stage in het buitenland", "an internship abroad", ["bouger"]),
    ("les métiers de la construction", "beroepen in de bouw", "construction jobs", ["choisir"]),
    ("les métiers du numérique", "digitale beroepen", "digital jobs", ["choisir"]),
    ("les métiers de la santé et des soins", "beroepen in de zorg", "health and care jobs", ["choisir"]),
    ("la logistique et le transport", "logistiek en transport", "logistics and transport", ["choisir"]),
    ("l'horeca et la cuisine", "horeca en keuken", "hospitality and cooking", ["choisir", "apprendre"]),
    ("la création d'entreprise", "een eigen zaak starten", "starting a business", ["entreprendre"]),
    ("le statut d'indépendant·e", "het statuut van zelfstandige", "becoming self-employed", ["entreprendre"]),
    (
        "le financement d'un projet",
        "de financiering van een project",
        "funding your project",
        ["entreprendre"],
    ),
    (
        "la reconnaissance des diplômes",
        "de erkenning van diploma's",
        "getting a diploma recognised",
        ["apprendre", "bouger"],
    ),
    (
        "la validation des compétences",
        "de erkenning van competenties",
        "having your skills validated",
        ["apprendre"],
    ),
    ("le choix des études", "de studiekeuze", "choosing your studies", ["choisir"]),
    ("l'orientation après le secondaire", "kiezen na het secundair", "after secondary school", ["choisir"]),
    ("les cours de néerlandais", "Nederlandse les", "learning Dutch", ["apprendre"]),
    ("les cours de français", "Franse les", "learning French", ["apprendre"]),
    ("les jobs étudiants", "studentenjobs", "student jobs", ["travailler"]),
    ("les droits des travailleurs", "de rechten van werknemers", "workers' rights", ["travailler"]),
    ("le chômage et les allocations", "werkloosheid en uitkeringen", "unemployment benefits", ["travailler"]),
    ("les métiers verts et l'énergie", "groene beroepen en energie", "green jobs and energy", ["choisir"]),
    ("le commerce et la vente", "handel en verkoop", "retail and sales", ["choisir", "travailler"]),
    ("le volontariat", "vrijwilligerswerk", "volunteering", ["bouger"]),
    ("le permis de conduire", "het rijbewijs", "the driving licence", ["bouger"]),
]
# kind: weight, then title patterns (FR, NL, EN)
KINDS = {
    "brochure": (
        30,
        [("Brochure : {}", "Brochure: {}", "Leaflet: {}"), ("{} en 10 questions", "{} in 10 vragen", "")],
    ),
    "guide": (15, [("Guide pratique : {}", "Praktische gids: {}", "Practical guide: {}")]),
    "book": (10, [("{} : le livre", "{}: het boek", "{}: the book"), ("Tout sur {}", "Alles over {}", "")]),
    "website": (
        20,
        [("{} à Bruxelles", "{} in Brussel", "{} in Brussels"), ("Le site : {}", "De site: {}", "")],
    ),
    "online_tool": (10, [("Test en ligne : {}", "Online test: {}", "Online test: {}")]),
    "video": (10, [("Vidéo : {}", "Video: {}", "Video: {}"), ("Témoignages : {}", "Getuigenissen: {}", "")]),
    "document": (5, [("Fiche : {}", "Fiche: {}", "Sheet: {}")]),
}
# A first sentence naming the topic, then one or two of the others.
OPENINGS = (
    "Tout ce qu'il faut savoir sur {} : les métiers, les conditions d'accès et les adresses utiles.",
    "Alles wat je moet weten over {}: de beroepen, de toegangsvoorwaarden en nuttige adressen.",
    "All you need to know about {}: the jobs, the requirements and useful addresses.",
)
SENTENCES_FR = [
    "Les centres de formation professionnelle de Bruxelles y présentent leurs programmes.",
    "Des témoignages de travailleurs et d'employeurs montrent le quotidien du métier.",
    "Avec une liste des organismes qui accompagnent les chercheurs d'emploi.",
    "Un conseiller ou une conseillère de la Cité des métiers peut vous aider à l'utiliser.",
    "Pour les jeunes qui sortent de l'école comme pour les adultes en reconversion.",
    "Les salaires, les horaires et les perspectives d'emploi y sont détaillés secteur par secteur.",
    "Le document explique aussi les aides à l'embauche et les primes à l'emploi.",
    "Des exercices pour préparer son CV et sa lettre de motivation.",
    "Mis à jour chaque année avec les adresses des services publics de l'emploi.",
    "Disponible en version papier dans l'espace documentaire, rayon du thème.",
    "Pour savoir quelles qualifications sont demandées et comment les obtenir.",
    "Les stages, le volontariat et les séjours à l'étranger y ont un chapitre.",
    "Les démarches auprès d'Actiris et de l'ONEM sont expliquées pas à pas.",
    "Utile avant un premier rendez-vous avec un·e conseiller·ère d'orientation.",
]
SENTENCES_NL = [
    "De opleidingscentra van Brussel stellen er hun opleidingen voor.",
    "Getuigenissen van werknemers en werkgevers tonen hoe het beroep er elke dag uitziet.",
    "Met een lijst van organisaties die werkzoekenden begeleiden.",
    "Een adviseur van het Beroepenpunt helpt je graag om het te gebruiken.",
    "Voor jongeren die van school komen en voor volwassenen die van beroep willen veranderen.",
    "Lonen, werkuren en vacatures worden per sector toegelicht.",
    "Het document legt ook de aanwervingspremies en werkgelegenheidsmaatregelen uit.",
    "Met oefeningen om je cv en je motivatiebrief voor te bereiden.",
    "Elk jaar bijgewerkt met de adressen van de openbare diensten voor arbeidsbemiddeling.",
    "Op papier beschikbaar in de documentatieruimte, in de rekken van het thema.",
    "Om te weten welke kwalificaties gevraagd worden en hoe je ze behaalt.",
    "Stages, vrijwilligerswerk en een verblijf in het buitenland krijgen een eigen hoofdstuk.",
    "De stappen bij VDAB, Actiris en de RVA worden stap voor stap uitgelegd.",
    "Nuttig voor een eerste afspraak met een loopbaanbegeleider.",
]
SENTENCES_EN = [
    "Brussels training centres present their courses.",
    "Workers and employers tell what the job is like every day.",
    "With a list of the services that help job seekers.",
]
PAPER_KINDS = {"brochure", "guide", "book"}
# Who published it, and when: titles of the same topic and kind differ, as in a real catalogue.
PUBLISHERS = [
    "Actiris",
    "VDAB",
    "Le Forem",
    "SIEP",
    "Infor Jeunes",
    "hub.brussels",
    "Cité des métiers",
    "efp",
    "Syntra Brussel",
    "Huis van het Nederlands",
    "Tracé Brussel",
    "JES",
    "Mission locale",
    "CPAS",
    "FGTB",
    "CSC",
    "UCM",
    "Unizo",
]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _populate(resources_count: int = RESOURCES) -> None:
    """Runs in Django: the resources (RESOURCES unless told) and their themes, in bulk."""
    from django.db import connection
    from django.utils import timezone

    from citedesmetiers.models import Audience, Theme, User
    from ressources.models import Resource

    rng = random.Random(2025)
    now = timezone.now()
    user = User.objects.create_user("bench-documentalist", is_staff=True)
    themes = [theme.code for theme in Theme.objects.filter(active=True)]
    kinds = list(KINDS)
    weights = [weight for weight, _ in KINDS.values()]
    audiences = list(Audience.values)
    resources, chosen = [], []
    for number in range(resources_count):
        topic_fr, topic_nl, topic_en, topic_themes = rng.choice(TOPICS)
        kind = rng.choices(kinds, weights=weights)[0]
        pattern_fr, pattern_nl, pattern_en = rng.choice(KINDS[kind][1])
        english = bool(pattern_en) and rng.random() < 0.3
        source = f" ({rng.choice(PUBLISHERS)}, {rng.randint(2015, 2025)})"
        others = rng.sample(range(len(SENTENCES_FR)), rng.randint(1, 2))
        created_at = now - timedelta(days=rng.randint(0, 5 * 365), minutes=rng.randint(0, 1440))
        paper = kind in PAPER_KINDS and rng.random() < 0.5
        resources.append(
            Resource(
                kind=kind,
                title_fr=_sentence(pattern_fr.format(topic_fr)) + source,
                title_nl=_sentence(pattern_nl.format(topic_nl)) + source,
                title_en=_sentence(pattern_en.format(topic_en)) + source if english else "",
                summary_fr=" ".join(
                    [OPENINGS[0].format(topic_fr), *(SENTENCES_FR[index] for index in others)]
                ),
                summary_nl=" ".join(
                    [OPENINGS[1].format(topic_nl), *(SENTENCES_NL[index] for index in others)]
                ),
                summary_en=" ".join([OPENINGS[2].format(topic_en), rng.choice(SENTENCES_EN)])
                if english
                else "",
                audiences=rng.sample(audiences, rng.choice([0, 0, 1, 1, 2])),
                language_id=rng.choices(["fr", "nl", "en"], weights=[55, 35, 10])[0],
                url=f"https://documentation.example.org/{kind}/{number}",
                shelf_theme_id=topic_themes[0] if paper else None,
                shelf_mark=f"{topic_themes[0][0].upper()}{rng.randint(1, 9)}" if paper else "",
                created_at=created_at,
                updated_at=created_at + timedelta(days=rng.choice([0, 0, 0, 30, 200])),
                created_by=user,
            )
        )
        # The topic's themes, now and then one more.
        extra = [rng.choice(themes)] if rng.random() < 0.2 else []
        chosen.append(set(topic_themes + extra))
    resources = Resource.objects.bulk_create(resources, batch_size=2000)
    Resource.themes.through.objects.bulk_create(
        (
            Resource.themes.through(resource_id=resource.pk, theme_id=code)
            for resource, codes in zip(resources, chosen, strict=True)
            for code in sorted(codes)
        ),
        batch_size=5000,
    )
    # The table as autovacuum would leave it a minute later: GIN pending list merged, statistics up
    # to date, so that the plans are those of a steady state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def _test_set() -> dict:
    """Runs in Django: the demo catalogue (ressources.demo) added, the search's test set run on it, and
    everything rolled back; returns the number of searches, of hits, the misses and the timings."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from citedesmetiers.models import User
    from ressources import demo
    from ressources.models import Resource

    with transaction.atomic():
        user = User.objects.create_user("bench-test-set", is_staff=True)
        demo.demo_catalogue_create(user=user, now=timezone.now())
        resources = Resource.objects.count()
        demo.search_hits()  # warm: the vocabulary of the corrections, the connection
        started = time.perf_counter()
        results = demo.search_hits()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    misses = [f"{language} “{words}”" for language, words, missing in results if missing]
    return {
        "searches": len(results),
        "hits": len(results) - len(misses),
        "misses": misses,
        "resources": resources,
        "ms_per_search": 1000 * elapsed / len(results),
    }


def _explain(sql: str, params) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of a query, run twice (the second with its pages in memory, as in a
    running server): whether the GIN index serves it, its top line, its scans and its execution time."""
    from django.db import connection

    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
    return {
        "index": any(INDEX in line for line in plan),
        "top": plan[0].strip(),
        "scans": [line.strip().removeprefix("-> ").strip() for line in plan if " Scan " in line],
        "time": next(line.strip() for line in plan if line.startswith("Execution Time")),
    }


def _count_plan(path: str) -> dict:
    """Runs in Django: the plan of the count query of the page at `path` as the view runs it (inside
    `selectors.text_search_plan()`), and, for comparison, as PostgreSQL plans it when left to itself."""
    from django.db import connection
    from django.test import Client

    from ressources import selectors

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr").get(path)
    sql, params = next(
        (sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT COUNT(")
    )
    with selectors.text_search_plan():
        chosen = _explain(sql, params)
    return {"chosen": chosen, "unguided": _explain(sql, params)}


def prepare(pages_file: str, resources: int = RESOURCES) -> None:
    """Runs in Django (`manage.py shell`): fills the database (`resources` resources), captures each
    page once into `pages_file` for the bare view, and prints (as its last line) their paths, sizes,
    numbers of SQL queries and results, and the plan of the common word's count query."""
    from django.urls import reverse
    from django.utils import translation

    from ressources import selectors
    from ressources.models import Resource

    test_set = _test_set()
    _populate(resources)
    with translation.override("fr"):
        address = reverse("ressources:catalogue")
        pages = {
            name: address + (f"?{urlencode(query)}" if query else "") for name, query in SEARCHES.items()
        }
    figures = harness.capture_pages(pages, pages_file)
    with translation.override("fr"):
        for name, query in SEARCHES.items():
            filters = {key: value for key, value in query.items() if key != "q"}
            if query.get("q"):
                with selectors.text_search_plan():
                    found = selectors.catalogue_search(query=query["q"], **filters).count
            else:
                found = selectors.catalogue(**filters).count()
            figures[name]["results"] = found
    figures["plan"] = _count_plan(pages["common"])
    figures["test_set"] = test_set
    figures["rows"] = {
        "resources": Resource.objects.count(),
        "themes": Resource.themes.through.objects.count(),
    }
    print(json.dumps(figures))


def main() -> None:
    with harness.bench_database("catalogue") as url, tempfile.TemporaryDirectory() as directory:
        pages_file = str(Path(directory) / "pages.json")
        env = harness.production_env(url, DJANGO_SETTINGS_MODULE="bench.settings", BENCH_PAGES=pages_file)
        with harness.gunicorn(env) as base:
            # After gunicorn's collectstatic (pages name their static files); the bare view reads the
            # captured pages at its first request.
            code = f"from bench import catalogue; catalogue.prepare({pages_file!r})"
            figures = harness.in_django(env, code)
            results, ratios = harness.against_bare(base, figures, LABELS, seconds=SECONDS)
    rows = figures["rows"]
    harness.report(
        f"Documentation search: gunicorn, 2 workers, 4 client processes, production settings, "
        f"{rows['resources']} resources ({rows['themes']} theme links)",
        results,
        ratios,
    )
    _print_figures(figures)


def _print_figures(figures: dict) -> None:
    """The test set's hit rate, each page's statements and results, and the count query's plans."""
    test_set = figures["test_set"]
    print(
        f"  {'search test set (demo catalogue, ' + str(test_set['resources']) + ' resources)':<44} "
        f"hit rate {100 * test_set['hits'] / test_set['searches']:.0f} % ({test_set['hits']}/"
        f"{test_set['searches']} searches with their resources in the first five), "
        f"{test_set['ms_per_search']:.1f} ms per search in-process"
    )
    for miss in test_set["misses"]:
        print(f"    missed: {miss}")
    print()
    print(
        f"  {'SQL statements per request (in-process, warm)':<52} {'queries':>7} {'bytes':>8} {'results':>8}"
    )
    for name in SEARCHES:
        page = figures[name]
        print(f"  {unquote(page['path']):<52} {page['queries']:>7} {page['bytes']:>8} {page['results']:>8}")
    print(f"\n  EXPLAIN (ANALYZE) of the count query of {unquote(figures['common']['path'])}")
    for key, title in [
        ("chosen", "as the view runs it (selectors.text_search_plan)"),
        ("unguided", "as PostgreSQL plans it when left to itself, for comparison"),
    ]:
        plan = figures["plan"][key]
        print(f"    {title}: GIN index {INDEX} used: {'yes' if plan['index'] else 'NO'}")
        for line in [plan["top"], *plan["scans"], plan["time"]]:
            print(f"      {line}")
