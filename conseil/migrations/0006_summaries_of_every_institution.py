"""The daily summaries of the advice sessions now hold, for each day, the rows of every institution
together (conseil.selectors.EVERY_INSTITUTION), which the centre's figures read: the summaries written
before are forgotten, so that the scheduler writes them anew with those rows (until then, the figures
read those days from their sessions, as for any day without a summary); an index finds those rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conseil", "0005_daily_summaries"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM conseil_consultationday", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="consultationday",
            index=models.Index(fields=["partner", "day", "grouping"], name="conseil_day_key"),
        ),
    ]
