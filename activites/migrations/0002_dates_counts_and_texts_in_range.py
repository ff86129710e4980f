import datetime

import django.core.validators
import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activites", "0001_activities"),
        ("citedesmetiers", "0007_audit_of_an_institution"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Rows stored before these checks are brought within them first (docs/security.md, "Dates and
    # limits").
    operations = [
        migrations.RunSQL(
            "UPDATE activites_walkin SET occurred_at = recorded_at WHERE occurred_at < '2000-01-01' OR occurred_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE activites_walkin SET count = 100 WHERE count > 100", migrations.RunSQL.noop
        ),
        migrations.RunSQL(
            "UPDATE activites_activity SET status = 'draft', starts_at = created_at::date + (starts_at - starts_at::date), ends_at = created_at::date + (starts_at - starts_at::date) + LEAST(ends_at - starts_at, interval '23 hours') WHERE starts_at < '2000-01-01' OR starts_at >= '2101-01-01' OR ends_at < '2000-01-01' OR ends_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE activites_activity SET capacity = 2000 WHERE capacity > 2000", migrations.RunSQL.noop
        ),
        migrations.RunSQL(
            "UPDATE activites_activity SET headcount = NULL WHERE headcount > 2000 OR headcount > 3 * capacity",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE activites_activity SET description_fr = left(description_fr, 5000), description_nl = left(description_nl, 5000), description_en = left(description_en, 5000)",
            migrations.RunSQL.noop,
        ),
        migrations.RemoveConstraint(
            model_name="walkin",
            name="activites_walkin_count_positive",
        ),
        migrations.AlterField(
            model_name="activity",
            name="capacity",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(2000)],
                verbose_name="capacity",
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="description_en",
            field=models.TextField(blank=True, max_length=5000, verbose_name="description (English)"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="description_fr",
            field=models.TextField(blank=True, max_length=5000, verbose_name="description (French)"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="description_nl",
            field=models.TextField(blank=True, max_length=5000, verbose_name="description (Dutch)"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="headcount",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(2000)],
                verbose_name="headcount",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("starts_at__isnull", True),
                    models.Q(
                        ("starts_at__gte", datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC)),
                        ("starts_at__lt", datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.UTC)),
                    ),
                    _connector="OR",
                ),
                name="activites_activity_starts_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends_at__isnull", True),
                    models.Q(
                        ("ends_at__gte", datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC)),
                        ("ends_at__lt", datetime.datetime(2101, 1, 1, 0, 0, tzinfo=datetime.UTC)),
                    ),
                    _connector="OR",
                ),
                name="activites_activity_ends_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__isnull", True), ("capacity__lte", 2000), _connector="OR"),
                name="activites_activity_capacity_ceiling",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("headcount__isnull", True), ("headcount__lte", 2000), _connector="OR"),
                name="activites_activity_headcount_ceiling",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("capacity__isnull", True),
                    ("headcount__isnull", True),
                    (
                        "headcount__lte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("capacity"), "*", models.Value(3)
                        ),
                    ),
                    _connector="OR",
                ),
                name="activites_activity_headcount_within_capacity",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_fr"), 5000
                ),
                name="activites_activity_description_fr_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_nl"), 5000
                ),
                name="activites_activity_description_nl_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_en"), 5000
                ),
                name="activites_activity_description_en_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="walkin",
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
                name="activites_walkin_occurred_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="walkin",
            constraint=models.CheckConstraint(
                condition=models.Q(("count__gte", 1), ("count__lte", 100)),
                name="activites_walkin_count_range",
            ),
        ),
    ]
