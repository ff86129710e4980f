# ruff: noqa: E501 (the demo's texts stay one per line)
"""The demo's documentation (about 270 resources and the search's synonyms, in bulk) and a few weeks of
the multimedia space (`make run`, through the services)."""

import random
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from citedesmetiers.dates import OPENING_DAY
from citedesmetiers.models import User
from ressources import demo_catalogue, selectors, services
from ressources.models import DigitalHelp, HelpTopic, OccupancySweep, Resource, SpaceEntry, Synonym

# kind, themes, audiences, language, url or shelf (theme, mark), FR title, NL title, FR summary, NL summary
DEMO = [
    (
        "website",
        ["travailler"],
        ["job_seekers"],
        "fr",
        "https://www.actiris.brussels/",
        "Actiris : offres d'emploi et inscription",
        "Actiris: vacatures en inschrijving",
        "Chercher un emploi à Bruxelles, s'inscrire comme chercheur d'emploi, les aides à l'embauche.",
        "Werk zoeken in Brussel, inschrijven als werkzoekende, de aanwervingspremies.",
    ),
    (
        "website",
        ["travailler", "apprendre"],
        ["job_seekers", "workers"],
        "nl",
        "https://www.vdab.be/",
        "VDAB : emplois et formations en Flandre et à Bruxelles",
        "VDAB: vacatures en opleidingen",
        "Offres d'emploi, formations gratuites et tests en ligne du service flamand de l'emploi.",
        "Vacatures, gratis opleidingen en online testen van de Vlaamse dienst voor arbeidsbemiddeling.",
    ),
    (
        "website",
        ["apprendre"],
        ["everyone"],
        "fr",
        "https://www.dorifor.be/",
        "Dorifor : toutes les formations à Bruxelles",
        "Dorifor: alle opleidingen in Brussel",
        "Le moteur de recherche des formations, des cours du soir aux études supérieures, par métier et par lieu.",
        "De zoekmotor voor opleidingen, van avondschool tot hoger onderwijs, per beroep en per plaats.",
    ),
    (
        "online_tool",
        ["choisir"],
        ["young", "job_seekers"],
        "fr",
        "https://www.metiers.siep.be/",
        "Le répertoire des métiers du SIEP",
        "De beroepengids van SIEP",
        "Plus de 1 500 fiches métiers : tâches, qualités requises, formations et débouchés.",
        "Meer dan 1.500 beroepsfiches: taken, vereiste kwaliteiten, opleidingen en vooruitzichten.",
    ),
    (
        "online_tool",
        ["choisir"],
        ["young"],
        "nl",
        "https://www.onderwijskiezer.be/",
        "Onderwijskiezer : choisir ses études en Flandre",
        "Onderwijskiezer: je studiekeuze",
        "Tests d'intérêts et informations sur toutes les études de l'enseignement flamand.",
        "Interessetests en informatie over alle studierichtingen in het Vlaamse onderwijs.",
    ),
    (
        "brochure",
        ["apprendre"],
        ["young", "job_seekers"],
        "fr",
        ("apprendre", "A2"),
        "Se former en alternance à Bruxelles",
        "Duaal leren in Brussel",
        "Les formations qui alternent cours et travail en entreprise : CEFA, efp, IFAPME, conditions et salaires.",
        "Opleidingen die lessen en werken in een bedrijf combineren: voorwaarden, vergoedingen, scholen.",
    ),
    (
        "brochure",
        ["apprendre"],
        ["workers", "job_seekers"],
        "fr",
        ("apprendre", "A4"),
        "Faire valider ses compétences",
        "Je competenties laten erkennen",
        "Le titre de compétence du Consortium de validation : les métiers, les centres d'épreuve, les étapes.",
        "Het bewijs van beroepsbekwaamheid: de beroepen, de testcentra, de stappen.",
    ),
    (
        "guide",
        ["apprendre"],
        ["newcomers"],
        "fr",
        ("apprendre", "B1"),
        "Faire reconnaître son diplôme étranger",
        "Je buitenlands diploma laten erkennen",
        "Équivalence de diplôme en Fédération Wallonie-Bruxelles et en Flandre (NARIC) : documents, délais, coûts.",
        "Gelijkwaardigheid van diploma's in de Franse en Vlaamse Gemeenschap (NARIC): documenten, termijnen, kosten.",
    ),
    (
        "book",
        ["choisir"],
        ["everyone"],
        "fr",
        ("choisir", "C3"),
        "Trouver sa voie : le guide de l'orientation",
        "Je weg vinden: gids voor loopbaanoriëntatie",
        "Faire le point sur ses intérêts, ses valeurs et ses compétences pour choisir un métier qui a du sens.",
        "Je interesses, waarden en competenties in kaart brengen om een zinvol beroep te kiezen.",
    ),
    (
        "book",
        ["choisir"],
        ["over_50"],
        "nl",
        ("choisir", "C5"),
        "Changer de carrière après 50 ans",
        "Van loopbaan veranderen na je vijftigste",
        "Témoignages et conseils pour se réorienter en fin de carrière.",
        "Getuigenissen en tips om je op latere leeftijd te heroriënteren.",
    ),
    (
        "website",
        ["bouger"],
        ["young", "job_seekers"],
        "en",
        "https://eures.europa.eu/",
        "EURES : travailler en Europe",
        "EURES: werken in Europa",
        "Le portail européen de la mobilité de l'emploi : offres d'emploi dans toute l'Europe, conditions de vie.",
        "Het Europese portaal voor arbeidsmobiliteit: vacatures in heel Europa, leef- en werkomstandigheden.",
    ),
    (
        "brochure",
        ["bouger"],
        ["young"],
        "fr",
        ("bouger", "D1"),
        "Étudier ou faire un stage à l'étranger",
        "Studeren of stage lopen in het buitenland",
        "Erasmus+, bourses, volontariat européen et stages : les programmes pour partir.",
        "Erasmus+, beurzen, Europees vrijwilligerswerk en stages: de programma's om te vertrekken.",
    ),
    (
        "website",
        ["entreprendre"],
        ["self_employed"],
        "fr",
        "https://1819.brussels/",
        "1819 : créer son entreprise à Bruxelles",
        "1819: je onderneming starten in Brussel",
        "Le service d'information des entrepreneurs : statut d'indépendant, aides, financement, accompagnement.",
        "De informatiedienst voor ondernemers: zelfstandigenstatuut, steun, financiering, begeleiding.",
    ),
    (
        "guide",
        ["entreprendre"],
        ["self_employed", "job_seekers"],
        "fr",
        ("entreprendre", "E2"),
        "Devenir indépendant : les étapes",
        "Zelfstandige worden: de stappen",
        "Accès à la profession, guichet d'entreprises, caisse d'assurances sociales : le parcours pas à pas.",
        "Toegang tot het beroep, ondernemingsloket, sociale verzekeringsfonds: het traject stap voor stap.",
    ),
    (
        "video",
        ["travailler"],
        ["job_seekers", "young"],
        "fr",
        "https://www.youtube.com/results?search_query=entretien+embauche",
        "Réussir son entretien d'embauche",
        "Slagen in je sollicitatiegesprek",
        "Une vidéo de dix minutes : se préparer, se présenter, répondre aux questions difficiles.",
        "Een video van tien minuten: je voorbereiden, jezelf voorstellen, moeilijke vragen beantwoorden.",
    ),
    (
        "online_tool",
        ["travailler"],
        ["job_seekers"],
        "fr",
        "https://europass.europa.eu/",
        "Europass : rédiger son CV en ligne",
        "Europass: je cv online opmaken",
        "L'outil européen gratuit pour créer un CV et une lettre de motivation, en français, néerlandais ou anglais.",
        "Het gratis Europese hulpmiddel om een cv en motivatiebrief op te maken, in het Nederlands, Frans of Engels.",
    ),
    (
        "brochure",
        ["travailler"],
        ["newcomers"],
        "nl",
        ("travailler", "F3"),
        "Travailler en Belgique : vos droits",
        "Werken in België: je rechten",
        "Contrat de travail, salaire minimum, congés, chômage : ce qu'il faut savoir en arrivant.",
        "Arbeidsovereenkomst, minimumloon, verlof, werkloosheid: wat je moet weten als nieuwkomer.",
    ),
    (
        "brochure",
        ["apprendre", "travailler"],
        ["job_seekers"],
        "fr",
        ("apprendre", "A7"),
        "Les métiers de l'électricité et de l'énergie",
        "Beroepen in elektriciteit en energie",
        "Électricien, technicien en pompes à chaleur, installateur photovoltaïque : formations et débouchés.",
        "Elektricien, technicus warmtepompen, installateur zonnepanelen: opleidingen en jobkansen.",
    ),
    (
        "brochure",
        ["apprendre", "travailler"],
        ["job_seekers", "workers"],
        "nl",
        ("apprendre", "A8"),
        "Les métiers de la santé et des soins",
        "Beroepen in de zorg",
        "Aide-soignant, infirmier, éducateur : les études, les formations accélérées et les pénuries.",
        "Zorgkundige, verpleegkundige, opvoeder: de studies, de versnelde opleidingen en de knelpunten.",
    ),
    (
        "video",
        ["choisir"],
        ["young", "parents"],
        "nl",
        "https://www.youtube.com/results?search_query=beroepen",
        "Découvrir des métiers en vidéo",
        "Beroepen ontdekken in video",
        "Des professionnels racontent leur journée : construction, logistique, informatique, horeca.",
        "Professionals vertellen over hun dag: bouw, logistiek, informatica, horeca.",
    ),
]

# The weekly rhythm of the space (0 = Monday): busier at the start of the week and in the afternoon.
DAY_WEIGHT = [1.2, 1.1, 0.8, 1.0, 0.9]
HOURS = range(9, 17)


def demo_resources_create(
    *, now: datetime | None = None, weeks: int = 4, seed: int = 2018
) -> tuple[int, int]:
    """Adds the demo's catalogue with its synonyms and `weeks` of the multimedia space's counts, once
    (kept when the catalogue has rows); returns (resources, entries)."""
    if not settings.DEMO_ACCOUNTS_ENABLED:
        raise ImproperlyConfigured("Demo resources are only created with CDM_MODE=demo or dev.")
    if Resource.objects.exists():
        return 0, 0
    now = now or timezone.now()
    coordinator = User.objects.filter(username="coordinator").first()
    steward = User.objects.filter(username="steward").first()
    if coordinator is None or steward is None:
        raise ImproperlyConfigured("Create the demo accounts first (create_demo_accounts).")
    resources = demo_catalogue_create(user=coordinator, now=now)
    return resources, _space_history(steward, now=now, weeks=weeks, rng=random.Random(seed))  # noqa: S311 (demo data)


def demo_rows() -> list[dict]:
    """The demo catalogue as rows (values of a resource, and its `themes`): the hand-written resources
    above, then four per topic of `demo_catalogue.TOPICS` (the first body's site, a paper copy on the
    theme's shelf, a video, tool, document, guide or book in turn, the second body's site)."""
    rows = []
    for kind, themes, audiences, language, place, title_fr, title_nl, text_fr, text_nl in DEMO:
        row = {
            "kind": kind,
            "title_fr": title_fr,
            "title_nl": title_nl,
            "summary_fr": text_fr,
            "summary_nl": text_nl,
            "audiences": audiences,
            "language_id": language,
            "themes": themes,
        }
        if isinstance(place, tuple):
            row["shelf_theme_id"], row["shelf_mark"] = place
        else:
            row["url"] = place
        rows.append(row)
    shelves: dict[str, int] = {}
    paper_kinds = ["brochure", "brochure", "guide", "book"]
    for number, (code, themes, audiences, bodies, title_fr, title_nl, text_fr, text_nl) in enumerate(
        demo_catalogue.TOPICS
    ):
        third = demo_catalogue.THIRD_KINDS[number % len(demo_catalogue.THIRD_KINDS)]
        paper = paper_kinds[number % len(paper_kinds)]
        if third == paper:
            paper = "brochure"
        for position, (kind, body_key) in enumerate(
            [("website", bodies[0]), (paper, bodies[0]), (third, bodies[-1]), ("website", bodies[-1])]
        ):
            if position == 3 and bodies[-1] == bodies[0]:
                continue
            name, url, body_language = demo_catalogue.BODIES[body_key]
            pattern_fr, pattern_nl, sentence_fr, sentence_nl = demo_catalogue.PRESENTATIONS[kind]
            row = {
                "kind": kind,
                "title_fr": pattern_fr.format(body=name, title=title_fr),
                "title_nl": pattern_nl.format(body=name, title=title_nl),
                "summary_fr": f"{text_fr} {sentence_fr.format(body=name)}",
                "summary_nl": f"{text_nl} {sentence_nl.format(body=name)}",
                "audiences": audiences,
                "language_id": body_language if kind == "website" else ("fr", "nl")[(number + position) % 2],
                "themes": themes,
            }
            if kind in ("brochure", "guide", "book"):
                shelf = themes[0]
                shelves[shelf] = shelves.get(shelf, 0) + 1
                row["shelf_theme_id"] = shelf
                row["shelf_mark"] = f"{demo_catalogue.SHELF_LETTERS[shelf]}{shelves[shelf]}"
            else:
                row["url"] = url
            if position == 0 and code in demo_catalogue.ENGLISH:
                row["title_en"], row["summary_en"] = demo_catalogue.ENGLISH[code]
                row["summary_en"] += f" On the site of {name}."
            rows.append(row)
    return rows


def _added(index: int, count: int, now: datetime) -> datetime:
    """When the demo's resource `index` of `count` was added: the first 60 % for the opening, the others
    over the years since, so that each year's report finds the catalogue of its time."""
    opening = timezone.make_aware(datetime.combine(OPENING_DAY, time(9)))
    if now <= opening:
        return now
    rank = (index * 37) % count  # mixes the bodies and kinds of the catalogue's order
    share = max(0.0, (rank / count - 0.6) / 0.4)
    return opening + (now - opening) * share


def demo_catalogue_create(*, user, now: datetime) -> int:
    """Adds the demo catalogue (`demo_rows`) and the demo synonyms in bulk (a few statements, so that
    `make run` stays fast); returns the number of resources. The synonyms are marked `demo`."""
    rows = demo_rows()
    resources = Resource.objects.bulk_create(
        [
            Resource(
                **{name: value for name, value in row.items() if name != "themes"},
                key=uuid.uuid4(),
                created_at=(added := _added(index, len(rows), now)),
                updated_at=added,
                created_by=user,
            )
            for index, row in enumerate(rows)
        ]
    )
    Resource.themes.through.objects.bulk_create(
        Resource.themes.through(resource_id=resource.pk, theme_id=theme)
        for resource, row in zip(resources, rows, strict=True)
        for theme in row["themes"]
    )
    Synonym.objects.bulk_create(
        Synonym(terms_fr=french, terms_nl=dutch, terms_en=english, demo=True)
        for french, dutch, english in demo_catalogue.SYNONYMS
    )
    return len(resources)


def _space_history(steward, *, now: datetime, weeks: int, rng: random.Random) -> int:
    """Entries, an occupancy count each hour and digital help over the past weeks' opening hours."""
    topics = [topic.code for topic in HelpTopic.objects.filter(active=True)]
    today = timezone.localdate(now)
    people = 0
    for days_ago in range(weeks * 7, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() > 4:
            continue
        for hour in HOURS:
            moment = timezone.make_aware(datetime.combine(day, time(hour)))
            rush = DAY_WEIGHT[day.weekday()] * (1.3 if 13 <= hour <= 15 else 0.9)
            for _entry in range(round(rng.gauss(6, 2) * rush)):
                count = 1 if rng.random() < 0.9 else rng.randint(2, 6)
                at = moment + timedelta(minutes=rng.randint(0, 59))
                services.space_entry_add(key=uuid.uuid4(), user=steward, occurred_at=at, count=count, now=at)
                people += count
            at = moment + timedelta(minutes=30)
            services.occupancy_sweep_add(
                key=uuid.uuid4(),
                user=steward,
                occurred_at=at,
                computers=min(45, round(rng.gauss(22, 6) * rush)),
                tablets=min(20, max(0, round(rng.gauss(6, 3) * rush))),
                documentary=max(0, round(rng.gauss(4, 2) * rush)),
                now=at,
            )
            for _help in range(rng.randint(0, 3)):
                services.digital_help_add(
                    key=uuid.uuid4(),
                    user=steward,
                    occurred_at=at,
                    topic=rng.choice(topics),
                    theme=rng.choice([None, "travailler", "apprendre", "choisir"]),
                    duration_minutes=rng.choice([5, 10, 15, 15, 30, 45]),
                    now=at,
                )
    return people


# --- the multimedia space's history (stats.demo orchestrates the days) -------------------------------


class SpaceRows:
    """The multimedia space's entries, occupancy counts and digital help that the simulation of each day
    decides, built as they are decided and written in bulk here, where ressources' tables are written."""

    def __init__(self) -> None:
        self.entries: list[SpaceEntry] = []
        self.sweeps: list[OccupancySweep] = []
        self.helps: list[DigitalHelp] = []

    def entry(self, **fields) -> None:
        self.entries.append(SpaceEntry(key=uuid.uuid4(), **fields))

    def help(self, **fields) -> None:
        self.helps.append(DigitalHelp(key=uuid.uuid4(), **fields))

    def sweep(self, **fields) -> None:
        self.sweeps.append(OccupancySweep(key=uuid.uuid4(), **fields))

    def write(self) -> dict[str, int]:
        """Writes the rows built so far and forgets them; how many."""
        for rows in (self.entries, self.sweeps, self.helps):
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=2000)
        written = {
            "space_entries": len(self.entries),
            "sweeps": len(self.sweeps),
            "digital_help": len(self.helps),
        }
        self.entries, self.sweeps, self.helps = [], [], []
        return written

    @staticmethod
    def days_taken(*, since: datetime) -> set:
        """The local days since an instant that have entries, counts or help already (the demo's recent
        weeks, written through the services): the history leaves them as they are."""
        return {
            timezone.localdate(moment)
            for model in (SpaceEntry, OccupancySweep, DigitalHelp)
            for moment in model.objects.filter(occurred_at__gte=since).values_list("occurred_at", flat=True)
        }


def search_hits(queries=None) -> list[tuple[str, str, list[str]]]:
    """Runs the demo's test set of searches (`demo_catalogue.QUERIES`) on the catalogue as it is:
    each (language, words, the expected resources missing from its first five: empty on a hit)."""
    results = []
    for language, words, expected in queries or demo_catalogue.QUERIES:
        with translation.override(language), selectors.text_search_plan():
            first = [resource.title_fr for resource in selectors.catalogue_search(query=words).resources[:5]]
        results.append((language, words, [title for title in expected if title not in first]))
    return results
