"""The daily summaries of the advice sessions (citedesmetiers.summaries, issue 19): their table, and the
triggers that forget a closed day's summary as soon as one of its sessions, or of their topics, is
inserted, changed or deleted."""

from django.db import migrations, models

from citedesmetiers.summaries import forget_triggers

FORWARDS, BACKWARDS = forget_triggers(
    table="conseil_consultationday",
    source="conseil_consultation",
    time="occurred_at",
    related=[("conseil_consultation_topics", "consultation_id")],
)


class Migration(migrations.Migration):
    dependencies = [
        ("conseil", "0004_local_month_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsultationDay",
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
                (
                    "partner",
                    models.BigIntegerField(blank=True, null=True, verbose_name="partner institution"),
                ),
                ("sessions", models.IntegerField(verbose_name="sessions")),
                ("minutes", models.IntegerField(verbose_name="minutes")),
            ],
            options={
                "verbose_name": "daily summary of the advice sessions",
                "verbose_name_plural": "daily summaries of the advice sessions",
                "abstract": False,
                "indexes": [models.Index(fields=["day", "grouping"], name="conseil_consultationday_day")],
            },
        ),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["occurred_at"], name="conseil_consult_time"),
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]
