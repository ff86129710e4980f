"""The daily summaries of the visits (citedesmetiers.summaries, issue 19): their table, and the triggers
that forget a closed day's summary as soon as one of its visits is inserted, changed or deleted."""

from django.db import migrations, models

from citedesmetiers.summaries import forget_triggers

FORWARDS, BACKWARDS = forget_triggers(table="accueil_visitday", source="accueil_visit", time="occurred_at")


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0006_local_time_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("grouping", models.CharField(blank=True, max_length=16, verbose_name="grouping")),
                ("code", models.CharField(blank=True, max_length=32, null=True, verbose_name="code")),
                ("channel", models.CharField(blank=True, max_length=32, null=True, verbose_name="channel")),
                ("people", models.IntegerField(verbose_name="people")),
            ],
            options={
                "verbose_name": "daily summary of the visits",
                "verbose_name_plural": "daily summaries of the visits",
                "abstract": False,
                "indexes": [models.Index(fields=["day", "grouping"], name="accueil_visitday_day")],
            },
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]
