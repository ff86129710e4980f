"""The topics of each theme that an adviser ticks; coordinators manage them in the back office."""

from django.db import migrations

# theme, code, FR, NL, EN
TOPICS = [
    ("choisir", "taking_stock", "Faire le point", "Stand van zaken opmaken", "Taking stock"),
    ("choisir", "occupations", "Découvrir des métiers", "Beroepen ontdekken", "Discovering occupations"),
    ("choisir", "choice_of_studies", "Choisir des études", "Een studie kiezen", "Choosing studies"),
    ("choisir", "career_change", "Se reconvertir", "Zich heroriënteren", "Changing careers"),
    ("choisir", "interest_tests", "Tests d'intérêts", "Interessetests", "Interest tests"),
    ("apprendre", "training", "Trouver une formation", "Een opleiding vinden", "Finding a training course"),
    (
        "apprendre",
        "skills_validation",
        "Validation des compétences",
        "Erkenning van competenties",
        "Skills validation",
    ),
    (
        "apprendre",
        "diploma_equivalence",
        "Équivalence de diplôme",
        "Gelijkwaardigheid van diploma's",
        "Diploma equivalence",
    ),
    ("apprendre", "work_linked", "Formation en alternance", "Duaal leren", "Work-linked training"),
    ("apprendre", "languages", "Apprendre une langue", "Een taal leren", "Learning a language"),
    (
        "apprendre",
        "back_to_studies",
        "Reprendre des études",
        "Opnieuw gaan studeren",
        "Going back to studies",
    ),
    ("bouger", "studies_abroad", "Étudier à l'étranger", "Studeren in het buitenland", "Studies abroad"),
    ("bouger", "work_abroad", "Travailler à l'étranger", "Werken in het buitenland", "Working abroad"),
    (
        "bouger",
        "internship_abroad",
        "Stage ou volontariat à l'étranger",
        "Stage of vrijwilligerswerk in het buitenland",
        "Internship or volunteering abroad",
    ),
    (
        "bouger",
        "work_in_belgium",
        "Travailler en Flandre ou en Wallonie",
        "Werken in Vlaanderen of Wallonië",
        "Working in Flanders or Wallonia",
    ),
    ("entreprendre", "testing_idea", "Tester son projet", "Je project uittesten", "Testing a business idea"),
    ("entreprendre", "business_plan", "Plan d'affaires", "Ondernemingsplan", "Business plan"),
    (
        "entreprendre",
        "self_employed_status",
        "Statut d'indépendant",
        "Zelfstandigenstatuut",
        "Self-employed status",
    ),
    ("entreprendre", "funding", "Financement", "Financiering", "Funding"),
    (
        "entreprendre",
        "setting_up_company",
        "Créer son entreprise",
        "Een onderneming oprichten",
        "Setting up a company",
    ),
    ("travailler", "cv_letter", "CV et lettre de motivation", "Cv en motivatiebrief", "CV and cover letter"),
    ("travailler", "job_search", "Recherche d'emploi", "Werk zoeken", "Job search"),
    (
        "travailler",
        "interview",
        "Préparer un entretien d'embauche",
        "Een sollicitatiegesprek voorbereiden",
        "Preparing a job interview",
    ),
    ("travailler", "rights", "Droits et obligations", "Rechten en plichten", "Rights and obligations"),
    (
        "travailler",
        "registration",
        "S'inscrire comme chercheur d'emploi",
        "Zich inschrijven als werkzoekende",
        "Registering as a job seeker",
    ),
    (
        "travailler",
        "employment_aids",
        "Aides à l'emploi",
        "Tewerkstellingsmaatregelen",
        "Employment support schemes",
    ),
]


def load(apps, schema_editor):
    Topic = apps.get_model("conseil", "Topic")
    for position, (theme, code, fr, nl, en) in enumerate(TOPICS, 1):
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "theme_id": theme,
                "label_fr": fr,
                "label_nl": nl,
                "label_en": en,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("conseil", "0001_initial"), ("citedesmetiers", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
