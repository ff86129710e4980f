from django.db import migrations

KIOSK = {"label_fr": "Borne d'accueil", "label_nl": "Onthaalzuil", "label_en": "Self-service kiosk"}


def add_kiosk(apps, schema_editor):
    """The self-service kiosk at the entrance: an on-site channel of its own (docs/reception.md, "The self-service kiosk")."""
    Channel = apps.get_model("citedesmetiers", "Channel")
    position = max(Channel.objects.values_list("position", flat=True), default=0)
    Channel.objects.get_or_create(code="kiosk", defaults={**KIOSK, "position": position + 1})


# The tests' reseed (tests/conftest.py, REFERENCE_DATA) puts the row back after a transactional test.
load = add_kiosk


class Migration(migrations.Migration):
    dependencies = [
        ("citedesmetiers", "0007_audit_of_an_institution"),
    ]

    operations = [migrations.RunPython(add_kiosk, migrations.RunPython.noop)]
