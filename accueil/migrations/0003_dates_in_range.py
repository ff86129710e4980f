import datetime

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0002_visit_author_index"),
        ("citedesmetiers", "0007_audit_of_an_institution"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Rows stored before these checks are brought within them first (docs/security.md, "Dates and
    # limits").
    operations = [
        migrations.RunSQL(
            "UPDATE accueil_visit SET occurred_at = recorded_at WHERE occurred_at < '2000-01-01' OR occurred_at >= '2101-01-01'",
            migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="visit",
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
                name="accueil_visit_occurred_at_range",
            ),
        ),
    ]
