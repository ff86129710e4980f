"""Reception's changes of closed days, kept whole (issue 19: accueil.selectors.KEPT_CHANGES): the
triggers that raise their generation with every change to a ticket of a closed day and every transfer
written in the audit trail for a closed day."""

from django.db import migrations
from psycopg import sql

from citedesmetiers.summaries import generation_triggers, local_day

TICKETS = generation_triggers(
    kind="reception", table="accueil_ticket", day=lambda row: sql.SQL(f"{row}.service_date")
)
AUDIT = generation_triggers(
    kind="reception", table="citedesmetiers_auditentry", day=lambda row: local_day(f"{row}.at")
)


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0008_kept_queue_figures"),
        ("citedesmetiers", "0012_kept_figures"),
    ]

    operations = [migrations.RunSQL(*TICKETS), migrations.RunSQL(*AUDIT)]
