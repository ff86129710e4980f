"""The queue's figures of closed days, kept (issue 19): their table, the generation they are read at, and
the triggers that raise it with every change to a ticket of a closed day or to an adviser's
institution (accueil.selectors.ticket_breakdowns)."""

import django.db.models.deletion
from django.db import migrations, models

from citedesmetiers.summaries import closed_days_sql

# A closed day: before today, read on the clock at the moment of the change (as the daily summaries').
FORWARDS = closed_days_sql("""
INSERT INTO accueil_queuegeneration (id, value) VALUES (1, 0);
CREATE FUNCTION accueil_queuegeneration_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO accueil_queuegeneration (id, value) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET value = accueil_queuegeneration.value + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER accueil_queuegeneration_insert AFTER INSERT ON accueil_ticket FOR EACH ROW
    WHEN (NEW.service_date < {today}) EXECUTE FUNCTION accueil_queuegeneration_raise();
CREATE TRIGGER accueil_queuegeneration_update AFTER UPDATE ON accueil_ticket FOR EACH ROW
    WHEN (OLD.service_date < {today} OR NEW.service_date < {today})
    EXECUTE FUNCTION accueil_queuegeneration_raise();
CREATE TRIGGER accueil_queuegeneration_delete AFTER DELETE ON accueil_ticket FOR EACH ROW
    WHEN (OLD.service_date < {today}) EXECUTE FUNCTION accueil_queuegeneration_raise();
CREATE TRIGGER accueil_queuegeneration_truncate AFTER TRUNCATE ON accueil_ticket FOR EACH STATEMENT
    EXECUTE FUNCTION accueil_queuegeneration_raise();
CREATE TRIGGER accueil_queuegeneration_adviser AFTER UPDATE OF partner_id ON citedesmetiers_user
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id)
    EXECUTE FUNCTION accueil_queuegeneration_raise();
""")
BACKWARDS = "DROP FUNCTION accueil_queuegeneration_raise() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0007_daily_summaries"),
        ("citedesmetiers", "0011_partner_logo_space_area"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="generation")),
            ],
            options={
                "verbose_name": "generation of the queue's closed days",
                "verbose_name_plural": "generations of the queue's closed days",
            },
        ),
        migrations.CreateModel(
            name="KeptQueueFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first", models.DateField(verbose_name="first day")),
                ("last", models.DateField(verbose_name="last day")),
                ("sets", models.CharField(max_length=200, verbose_name="breakdowns")),
                ("generation", models.BigIntegerField(verbose_name="generation")),
                ("rows", models.JSONField(verbose_name="figures")),
                ("counted_at", models.DateTimeField(verbose_name="counted at")),
                (
                    "institution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="citedesmetiers.partner",
                        verbose_name="institution",
                    ),
                ),
            ],
            options={
                "verbose_name": "queue's figures of closed days",
                "verbose_name_plural": "queue's figures of closed days",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("first", "last", "institution", "sets"),
                        name="accueil_keptqueuefigures_span",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]
