"""What stewards help people with in the multimedia space; coordinators manage the list in the back office."""

from django.db import migrations

# code, FR, NL, EN
TOPICS = [
    ("email_address", "Créer une adresse e-mail", "Een e-mailadres aanmaken", "Creating an e-mail address"),
    ("online_application", "Postuler en ligne", "Online solliciteren", "Applying for a job online"),
    (
        "cv_tool",
        "CV et lettre (outils en ligne)",
        "Cv en brief (online tools)",
        "CV and letter (online tools)",
    ),
    ("job_search", "Chercher des offres d'emploi", "Vacatures zoeken", "Searching for job offers"),
    (
        "public_services",
        "Démarches en ligne (Actiris, VDAB, Bruxelles Formation...)",
        "Online stappen (Actiris, VDAB, Bruxelles Formation...)",
        "Online procedures (Actiris, VDAB, Bruxelles Formation...)",
    ),
    (
        "itsme",
        "Identité numérique (itsme, eID)",
        "Digitale identiteit (itsme, eID)",
        "Digital identity (itsme, eID)",
    ),
    ("training_search", "Chercher une formation", "Een opleiding zoeken", "Searching for a training course"),
    (
        "office_software",
        "Traitement de texte, tableur",
        "Tekstverwerker, rekenblad",
        "Word processor, spreadsheet",
    ),
    (
        "print_scan",
        "Imprimer, scanner, envoyer un document",
        "Printen, scannen, een document versturen",
        "Printing, scanning, sending a document",
    ),
    (
        "computer_basics",
        "Premiers pas sur ordinateur",
        "Eerste stappen op de computer",
        "First steps on a computer",
    ),
    ("other", "Autre", "Andere", "Other"),
]


def load(apps, schema_editor):
    HelpTopic = apps.get_model("ressources", "HelpTopic")
    for position, (code, fr, nl, en) in enumerate(TOPICS, 1):
        HelpTopic.objects.update_or_create(
            code=code, defaults={"label_fr": fr, "label_nl": nl, "label_en": en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("ressources", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
