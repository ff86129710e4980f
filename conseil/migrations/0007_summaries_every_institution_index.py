"""An index of the advice sessions' summary rows of every institution together, which the centre's
figures read (issue 19)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conseil", "0006_summaries_of_every_institution"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="consultationday",
            index=models.Index(
                condition=models.Q(("partner", -1)), fields=["day", "grouping"], name="conseil_day_every"
            ),
        ),
    ]
