"""The activities' figures of closed days, kept whole (issue 19: activites.selectors.KEPT_ACTIVITIES):
the triggers that raise their generation with every change to an activity of a closed day, to its
seats, walk-ins and languages."""

from django.db import migrations
from psycopg import sql

from citedesmetiers.summaries import generation_triggers, local_day


def _activity_day(row: str) -> sql.Composable:
    """The local day of the activity a row belongs to (a subquery: no WHEN condition can hold it)."""
    return sql.SQL("(SELECT {} FROM activites_activity AS a WHERE a.id = {}.activity_id)").format(
        local_day("a.starts_at"), sql.SQL(row)
    )


ACTIVITIES = generation_triggers(
    kind="activities", table="activites_activity", day=lambda row: local_day(f"{row}.starts_at")
)
BELONGING = [
    generation_triggers(kind="activities", table=table, day=_activity_day, when=False)
    for table in ("activites_registration", "activites_walkin", "activites_activity_languages")
]


class Migration(migrations.Migration):
    dependencies = [
        ("activites", "0007_activity_form_key"),
        ("citedesmetiers", "0012_kept_figures"),
    ]

    operations = [migrations.RunSQL(*ACTIVITIES), *(migrations.RunSQL(*triggers) for triggers in BELONGING)]
