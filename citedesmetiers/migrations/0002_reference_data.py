"""The centre's reference data: themes, partners, spaces and coded vocabularies.

Rows are matched on their code, so running this again (or on a database that already has some of them)
updates instead of duplicating. Later changes to reference data go in new data migrations.
"""

from django.db import migrations

# code, ticket letter, colour (>= 4.5:1 on white), FR, NL, EN labels, FR, NL, EN descriptions
THEMES = [
    (
        "choisir",
        "C",
        "#6A3D9A",
        "Choisir son orientation",
        "Kiezen",
        "Choose",
        "Découvrir les métiers, faire le point, choisir des études ou une formation.",
        "Beroepen ontdekken, je interesses in kaart brengen, een studie of opleiding kiezen.",
        "Discover occupations, take stock, choose studies or a training course.",
    ),
    (
        "apprendre",
        "A",
        "#005A9C",
        "Apprendre un métier",
        "Leren",
        "Learn",
        "Se former, reprendre des études, faire valider ses compétences.",
        "Een opleiding volgen, opnieuw gaan studeren, je competenties laten erkennen.",
        "Train, go back to studies, have your skills validated.",
    ),
    (
        "bouger",
        "B",
        "#00705F",
        "Bouger (hors de Bruxelles)",
        "Bewegen",
        "Move",
        "Étudier, se former ou travailler ailleurs en Belgique ou à l'étranger.",
        "Studeren, een opleiding volgen of werken elders in België of in het buitenland.",
        "Study, train or work elsewhere in Belgium or abroad.",
    ),
    (
        "entreprendre",
        "E",
        "#A34700",
        "Entreprendre",
        "Ondernemen",
        "Start a business",
        "Créer son activité, devenir indépendant, tester son projet.",
        "Je eigen zaak starten, zelfstandige worden, je project uittesten.",
        "Set up your own business, become self-employed, test your project.",
    ),
    (
        "travailler",
        "T",
        "#B01E3A",
        "Travailler",
        "Werken",
        "Work",
        "Chercher un emploi, préparer son CV et ses entretiens, connaître ses droits.",
        "Werk zoeken, je cv en sollicitatiegesprekken voorbereiden, je rechten kennen.",
        "Look for a job, prepare your CV and interviews, know your rights.",
    ),
]

# code, FR name, NL name, EN name, circle, promoter, themes, website
# Circle 1: advisers on the floor at 31/12/2018 (annual report 2018). Circle 2: plausible organisers
# of activities, to be confirmed by the centre in the back office.
PARTNERS = [
    (
        "actiris",
        "Actiris",
        "Actiris",
        "Actiris",
        1,
        True,
        ["choisir", "travailler", "bouger"],
        "https://www.actiris.brussels",
    ),
    (
        "bruxelles-formation",
        "Bruxelles Formation",
        "Bruxelles Formation",
        "Bruxelles Formation",
        1,
        True,
        ["choisir", "apprendre"],
        "https://www.bruxellesformation.brussels",
    ),
    (
        "vdab-brussel",
        "VDAB Brussel",
        "VDAB Brussel",
        "VDAB Brussel",
        1,
        True,
        ["choisir", "apprendre", "travailler"],
        "https://www.vdab.be/brussel",
    ),
    (
        "promotion-sociale",
        "Enseignement de promotion sociale",
        "Onderwijs voor sociale promotie",
        "Adult education (promotion sociale)",
        1,
        False,
        ["choisir", "apprendre"],
        "",
    ),
    (
        "efp",
        "Service Formation PME (efp)",
        "Service Formation PME (efp)",
        "SME Training Service (efp)",
        1,
        False,
        ["apprendre", "entreprendre"],
        "https://www.efp.be",
    ),
    (
        "trace-brussel",
        "Tracé Brussel",
        "Tracé Brussel",
        "Tracé Brussel",
        1,
        False,
        ["choisir", "apprendre", "travailler"],
        "https://www.tracebrussel.be",
    ),
    (
        "pole-academique",
        "Pôle académique de Bruxelles",
        "Pôle académique de Bruxelles",
        "Brussels Academic Pole",
        1,
        False,
        ["choisir", "apprendre"],
        "",
    ),
    (
        "fwb-enseignement",
        "Fédération Wallonie-Bruxelles (enseignement)",
        "Federatie Wallonië-Brussel (onderwijs)",
        "Wallonia-Brussels Federation (education)",
        1,
        False,
        ["choisir", "apprendre"],
        "",
    ),
    (
        "cefa",
        "CEFA (enseignement en alternance)",
        "CEFA (alternerend onderwijs)",
        "CEFA (work-linked education)",
        1,
        False,
        ["apprendre"],
        "",
    ),
    (
        "validation-competences",
        "Consortium de validation des compétences",
        "Consortium voor de validering van competenties",
        "Skills Validation Consortium",
        1,
        False,
        ["apprendre"],
        "https://www.validationdescompetences.be",
    ),
    (
        "worldskills-belgium",
        "WorldSkills Belgium",
        "WorldSkills Belgium",
        "WorldSkills Belgium",
        1,
        False,
        ["choisir", "apprendre"],
        "https://www.worldskillsbelgium.be",
    ),
    (
        "actiris-international",
        "Actiris International",
        "Actiris International",
        "Actiris International",
        2,
        False,
        ["bouger"],
        "",
    ),
    ("siep", "SIEP", "SIEP", "SIEP", 2, False, ["choisir", "apprendre"], "https://www.siep.be"),
    (
        "infor-jeunes",
        "Infor Jeunes Bruxelles",
        "Infor Jeunes Bruxelles",
        "Infor Jeunes Bruxelles",
        2,
        False,
        ["choisir", "bouger"],
        "",
    ),
    (
        "hub-brussels",
        "hub.brussels (1819)",
        "hub.brussels (1819)",
        "hub.brussels (1819)",
        2,
        False,
        ["entreprendre"],
        "https://hub.brussels",
    ),
    (
        "huis-nederlands",
        "Maison du néerlandais",
        "Huis van het Nederlands Brussel",
        "Dutch Language House",
        2,
        False,
        ["apprendre"],
        "https://www.huisnederlandsbrussel.be",
    ),
    (
        "syntra-brussel",
        "Syntra Brussel",
        "Syntra Brussel",
        "Syntra Brussel",
        2,
        False,
        ["apprendre", "entreprendre"],
        "https://www.syntrabrussel.be",
    ),
]

# code, kind, FR, NL, EN, descriptions FR/NL/EN, computers, tablets, bookable
SPACES = [
    (
        "accueil",
        "reception",
        "Accueil",
        "Onthaal",
        "Reception",
        "Chaque personne y est accueillie et orientée vers le bon service.",
        "Iedereen wordt er onthaald en naar de juiste dienst doorverwezen.",
        "Everyone is welcomed here and directed to the right service.",
        0,
        0,
        False,
    ),
    (
        "multimedia",
        "multimedia",
        "Espace multimédia",
        "Multimediaruimte",
        "Multimedia space",
        "Ordinateurs et tablettes en libre accès, avec l'aide des stewards numériques.",
        "Computers en tablets in vrije toegang, met hulp van de digitale stewards.",
        "Computers and tablets in free access, with help from the digital stewards.",
        45,
        20,
        False,
    ),
    (
        "documentation",
        "documentary",
        "Espace documentaire",
        "Documentatieruimte",
        "Documentary space",
        "Brochures et livres en français et en néerlandais, classés par thème.",
        "Brochures en boeken in het Nederlands en het Frans, per thema gerangschikt.",
        "Brochures and books in French and Dutch, shelved by theme.",
        0,
        0,
        False,
    ),
    (
        "conseil",
        "advice",
        "Espace conseil",
        "Adviesruimte",
        "Advice space",
        "Les conseillers des institutions partenaires y reçoivent sans rendez-vous.",
        "De adviseurs van de partnerinstellingen ontvangen er zonder afspraak.",
        "Advisers of the partner institutions receive people here, no appointment needed.",
        0,
        0,
        False,
    ),
    (
        "activites",
        "activity_room",
        "Espace activités collectives",
        "Ruimte voor groepsactiviteiten",
        "Collective activities space",
        "Ateliers, séances d'information, événements et réunions.",
        "Workshops, infosessies, evenementen en vergaderingen.",
        "Workshops, information sessions, events and meetings.",
        0,
        0,
        True,
    ),
]

GENDERS = [
    ("woman", "Femme", "Vrouw", "Woman"),
    ("man", "Homme", "Man", "Man"),
    ("other", "Autre", "Ander", "Other"),
    ("undisclosed", "Ne souhaite pas le dire", "Zegt het liever niet", "Prefers not to say"),
]

# code, min age, max age (None: no upper bound), FR, NL, EN
AGE_BANDS = [
    ("under-18", 0, 17, "Moins de 18 ans", "Jonger dan 18 jaar", "Under 18"),
    ("18-24", 18, 24, "18–24 ans", "18–24 jaar", "18–24"),
    ("25-29", 25, 29, "25–29 ans", "25–29 jaar", "25–29"),
    ("30-34", 30, 34, "30–34 ans", "30–34 jaar", "30–34"),
    ("35-39", 35, 39, "35–39 ans", "35–39 jaar", "35–39"),
    ("40-44", 40, 44, "40–44 ans", "40–44 jaar", "40–44"),
    ("45-49", 45, 49, "45–49 ans", "45–49 jaar", "45–49"),
    ("50-54", 50, 54, "50–54 ans", "50–54 jaar", "50–54"),
    ("55-59", 55, 59, "55–59 ans", "55–59 jaar", "55–59"),
    ("60-64", 60, 64, "60–64 ans", "60–64 jaar", "60–64"),
    ("65-plus", 65, None, "65 ans et plus", "65 jaar en ouder", "65 and over"),
]

STATUSES = [
    (
        "job_seeker_registered",
        "Chercheur·euse d'emploi inscrit·e",
        "Ingeschreven werkzoekende",
        "Job seeker, registered",
    ),
    (
        "job_seeker_unregistered",
        "Chercheur·euse d'emploi non inscrit·e",
        "Niet-ingeschreven werkzoekende",
        "Job seeker, not registered",
    ),
    ("employee", "Salarié·e", "Werknemer", "Employee"),
    ("self_employed", "Indépendant·e", "Zelfstandige", "Self-employed"),
    (
        "higher_education_student",
        "Étudiant·e (enseignement supérieur)",
        "Student (hoger onderwijs)",
        "Student (higher education)",
    ),
    (
        "secondary_pupil",
        "Élève (secondaire)",
        "Leerling (secundair onderwijs)",
        "Pupil (secondary school)",
    ),
    ("in_training", "En formation", "In opleiding", "In training"),
    ("inactive", "Sans activité", "Zonder activiteit", "Without activity"),
    ("retired", "Retraité·e", "Gepensioneerd", "Retired"),
    ("other", "Autre", "Andere", "Other"),
]

EDUCATION_LEVELS = [
    ("none", "Sans diplôme", "Geen diploma", "No qualification"),
    (
        "primary",
        "Primaire (CEB)",
        "Lager onderwijs (getuigschrift basisonderwijs)",
        "Primary (CEB)",
    ),
    (
        "lower_secondary",
        "Secondaire inférieur (CE1D)",
        "Lager secundair onderwijs",
        "Lower secondary (CE1D)",
    ),
    (
        "upper_secondary",
        "Secondaire supérieur (CESS)",
        "Hoger secundair onderwijs",
        "Upper secondary (CESS)",
    ),
    ("bachelor", "Bachelier", "Bachelor", "Bachelor's degree"),
    ("master", "Master ou plus", "Master of hoger", "Master's degree or higher"),
]

# The 19 communes of the Brussels-Capital Region by NIS code, then the other places of residence.
COMMUNES = [
    ("21001", "Anderlecht", "Anderlecht"),
    ("21002", "Auderghem", "Oudergem"),
    ("21003", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem"),
    ("21004", "Bruxelles", "Brussel"),
    ("21005", "Etterbeek", "Etterbeek"),
    ("21006", "Evere", "Evere"),
    ("21007", "Forest", "Vorst"),
    ("21008", "Ganshoren", "Ganshoren"),
    ("21009", "Ixelles", "Elsene"),
    ("21010", "Jette", "Jette"),
    ("21011", "Koekelberg", "Koekelberg"),
    ("21012", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek"),
    ("21013", "Saint-Gilles", "Sint-Gillis"),
    ("21014", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node"),
    ("21015", "Schaerbeek", "Schaarbeek"),
    ("21016", "Uccle", "Ukkel"),
    ("21017", "Watermael-Boitsfort", "Watermaal-Bosvoorde"),
    ("21018", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"),
    ("21019", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe"),
]
OTHER_RESIDENCES = [
    ("flanders", "flanders", "Région flamande", "Vlaams Gewest", "Flemish Region"),
    ("wallonia", "wallonia", "Région wallonne", "Waals Gewest", "Walloon Region"),
    ("abroad", "abroad", "Étranger", "Buitenland", "Abroad"),
]

# code, endonym, FR, NL, EN
LANGUAGES = [
    ("fr", "Français", "Français", "Frans", "French"),
    ("nl", "Nederlands", "Néerlandais", "Nederlands", "Dutch"),
    ("en", "English", "Anglais", "Engels", "English"),
    ("de", "Deutsch", "Allemand", "Duits", "German"),
    ("es", "Español", "Espagnol", "Spaans", "Spanish"),
    ("it", "Italiano", "Italien", "Italiaans", "Italian"),
    ("pt", "Português", "Portugais", "Portugees", "Portuguese"),
    ("ar", "العربية", "Arabe", "Arabisch", "Arabic"),
    ("tr", "Türkçe", "Turc", "Turks", "Turkish"),
    ("ro", "Română", "Roumain", "Roemeens", "Romanian"),
    ("pl", "Polski", "Polonais", "Pools", "Polish"),
    ("bg", "Български", "Bulgare", "Bulgaars", "Bulgarian"),
    ("ru", "Русский", "Russe", "Russisch", "Russian"),
    ("uk", "Українська", "Ukrainien", "Oekraïens", "Ukrainian"),
]

CHANNELS = [
    ("on_site", "Sur place", "Ter plaatse", "On site"),
    ("phone", "Téléphone", "Telefoon", "Phone"),
    ("email", "E-mail (boîte info)", "E-mail (infomailbox)", "E-mail (info mailbox)"),
    ("other", "Autre", "Andere", "Other"),
]


def _labels(fr, nl, en):
    return {"label_fr": fr, "label_nl": nl, "label_en": en}


def load(apps, schema_editor):
    model = apps.get_model
    Theme = model("citedesmetiers", "Theme")
    for position, (code, letter, colour, fr, nl, en, dfr, dnl, den) in enumerate(THEMES, 1):
        Theme.objects.update_or_create(
            code=code,
            defaults={
                **_labels(fr, nl, en),
                "letter": letter,
                "colour": colour,
                "description_fr": dfr,
                "description_nl": dnl,
                "description_en": den,
                "position": position,
            },
        )

    Partner = model("citedesmetiers", "Partner")
    for position, (code, fr, nl, en, circle, promoter, themes, website) in enumerate(PARTNERS, 1):
        partner, _ = Partner.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "circle": circle,
                "promoter": promoter,
                "website": website,
                "position": position,
            },
        )
        partner.themes.set(Theme.objects.filter(code__in=themes))

    Space = model("citedesmetiers", "Space")
    for position, row in enumerate(SPACES, 1):
        code, kind, fr, nl, en, dfr, dnl, den, computers, tablets, bookable = row
        Space.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "description_fr": dfr,
                "description_nl": dnl,
                "description_en": den,
                "computers": computers,
                "tablets": tablets,
                "bookable": bookable,
                "position": position,
            },
        )

    simple = [("Gender", GENDERS), ("Status", STATUSES), ("EducationLevel", EDUCATION_LEVELS)]
    simple.append(("Channel", CHANNELS))
    for name, rows in simple:
        Vocabulary = model("citedesmetiers", name)
        for position, (code, fr, nl, en) in enumerate(rows, 1):
            Vocabulary.objects.update_or_create(
                code=code, defaults={**_labels(fr, nl, en), "position": position}
            )

    AgeBand = model("citedesmetiers", "AgeBand")
    for position, (code, low, high, fr, nl, en) in enumerate(AGE_BANDS, 1):
        AgeBand.objects.update_or_create(
            code=code,
            defaults={**_labels(fr, nl, en), "min_age": low, "max_age": high, "position": position},
        )

    Residence = model("citedesmetiers", "Residence")
    rows = [(nis, "brussels", fr, nl, fr if fr == nl else f"{fr} / {nl}") for nis, fr, nl in COMMUNES]
    for position, (code, region, fr, nl, en) in enumerate(rows + OTHER_RESIDENCES, 1):
        Residence.objects.update_or_create(
            code=code, defaults={**_labels(fr, nl, en), "region": region, "position": position}
        )

    Language = model("citedesmetiers", "Language")
    for position, (code, endonym, fr, nl, en) in enumerate(LANGUAGES, 1):
        Language.objects.update_or_create(
            code=code, defaults={**_labels(fr, nl, en), "endonym": endonym, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("citedesmetiers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
