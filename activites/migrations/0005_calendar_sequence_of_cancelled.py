"""Activities cancelled before the calendar revision existed had SEQUENCE 1 in their calendar files."""

from django.db import migrations


def forwards(apps, schema_editor):
    Activity = apps.get_model("activites", "Activity")
    Activity.objects.filter(status="cancelled", sequence=0).update(sequence=1)


class Migration(migrations.Migration):
    dependencies = [("activites", "0004_calendar_sequence")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
