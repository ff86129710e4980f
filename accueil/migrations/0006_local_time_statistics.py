"""Statistics on the local month, weekday and hour of visits and tickets (PostgreSQL's expression
statistics), the expressions the figures group by (accueil.selectors.VISIT_GROUPINGS and GROUPINGS):
without them the planner expects hundreds of thousands of groups where there are 12 or 7, sorts instead
of hashing and spills the sorts to disk (issue 19: 167 ms → 110 ms for a year of the demo's visits)."""

from django.db import migrations

LOCAL = "({column} AT TIME ZONE 'Europe/Brussels')"
EXPRESSIONS = {
    "month": "date_trunc('month', " + LOCAL + ")",
    "weekday": "EXTRACT(isodow FROM " + LOCAL + ")",
    "hour": "EXTRACT(hour FROM " + LOCAL + ")",
}
STATISTICS = [
    (table, column, name)
    for table, column, names in (
        ("accueil_visit", "occurred_at", ("month", "weekday", "hour")),
        ("accueil_ticket", "issued_at", ("weekday", "hour")),
    )
    for name in names
]


class Migration(migrations.Migration):
    dependencies = [("accueil", "0005_ticket_manage_permission")]

    operations = [
        migrations.RunSQL(
            f"CREATE STATISTICS {table}_{name} ON ({EXPRESSIONS[name].format(column=column)}) FROM {table};",
            f"DROP STATISTICS {table}_{name};",
        )
        for table, column, name in STATISTICS
    ]
