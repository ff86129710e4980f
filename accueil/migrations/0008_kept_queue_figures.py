"""The queue's figures of closed days, kept whole (issue 19: accueil.selectors.KEPT_QUEUE): the triggers
that raise their generation with every change to a ticket of a closed day and to an adviser's
institution."""

from django.db import migrations
from psycopg import sql

from citedesmetiers.summaries import generation_triggers

TICKETS = generation_triggers(
    kind="queue", table="accueil_ticket", day=lambda row: sql.SQL(f"{row}.service_date")
)
ADVISERS = generation_triggers(
    kind="queue", table="citedesmetiers_user", day=lambda row: sql.SQL("NULL::date"), also=["partner_id"]
)


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0007_daily_summaries"),
        ("citedesmetiers", "0012_kept_figures"),
    ]

    operations = [migrations.RunSQL(*TICKETS), migrations.RunSQL(*ADVISERS)]
