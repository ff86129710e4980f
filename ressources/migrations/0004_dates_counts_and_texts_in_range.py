import datetime

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("citedesmetiers", "0007_audit_of_an_institution"),
        ("ressources", "0003_title_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Rows stored before these checks are brought within them first (docs/security.md, "Dates and
    # limits").
    operations = [
        migrations.RunSQL(
            "UPDATE ressources_digitalhelp SET occurred_at = recorded_at WHERE occurred_at < '2000-01-01' OR occurred_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE ressources_occupancysweep SET occurred_at = recorded_at WHERE occurred_at < '2000-01-01' OR occurred_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE ressources_spaceentry SET occurred_at = recorded_at WHERE occurred_at < '2000-01-01' OR occurred_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE ressources_occupancysweep SET computers = LEAST(computers, 500), tablets = LEAST(tablets, 500), documentary = LEAST(documentary, 500)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE ressources_resource SET summary_fr = left(summary_fr, 2000), summary_nl = left(summary_nl, 2000), summary_en = left(summary_en, 2000)",
            migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="digitalhelp",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("occurred_at__isnull", True),
                    models.Q(
                        (
                            "occurred_at__gte",
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                        (
                            "occurred_at__lt",
                            datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                    ),
                    _connector="OR",
                ),
                name="ressources_digitalhelp_occurred_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="occupancysweep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("occurred_at__isnull", True),
                    models.Q(
                        (
                            "occurred_at__gte",
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                        (
                            "occurred_at__lt",
                            datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                    ),
                    _connector="OR",
                ),
                name="ressources_occupancysweep_occurred_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="occupancysweep",
            constraint=models.CheckConstraint(
                condition=models.Q(("computers__isnull", True), ("computers__lte", 500), _connector="OR"),
                name="ressources_occupancysweep_computers_ceiling",
            ),
        ),
        migrations.AddConstraint(
            model_name="occupancysweep",
            constraint=models.CheckConstraint(
                condition=models.Q(("tablets__isnull", True), ("tablets__lte", 500), _connector="OR"),
                name="ressources_occupancysweep_tablets_ceiling",
            ),
        ),
        migrations.AddConstraint(
            model_name="occupancysweep",
            constraint=models.CheckConstraint(
                condition=models.Q(("documentary__isnull", True), ("documentary__lte", 500), _connector="OR"),
                name="ressources_occupancysweep_documentary_ceiling",
            ),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary_fr"), 2000
                ),
                name="ressources_resource_summary_fr_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary_nl"), 2000
                ),
                name="ressources_resource_summary_nl_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary_en"), 2000
                ),
                name="ressources_resource_summary_en_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="spaceentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("occurred_at__isnull", True),
                    models.Q(
                        (
                            "occurred_at__gte",
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                        (
                            "occurred_at__lt",
                            datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.UTC),
                        ),
                    ),
                    _connector="OR",
                ),
                name="ressources_spaceentry_occurred_at_range",
            ),
        ),
    ]
