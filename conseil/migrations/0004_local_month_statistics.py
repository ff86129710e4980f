"""Statistics on the local month of consultations (PostgreSQL's expression statistics), the expression
the figures group by (conseil.selectors.CONSULTATION_GROUPINGS): the planner then knows there are 12
months, not hundreds of thousands (see accueil's migration 0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conseil", "0003_dates_in_range")]

    operations = [
        migrations.RunSQL(
            "CREATE STATISTICS conseil_consultation_month "
            "ON (date_trunc('month', (occurred_at AT TIME ZONE 'Europe/Brussels'))) FROM conseil_consultation;",
            "DROP STATISTICS conseil_consultation_month;",
        )
    ]
