"""The multimedia space's figures of closed days, kept whole (issue 19: ressources.selectors.KEPT_SPACE):
the triggers that raise their generation with every change to an entry, an occupancy count or a digital
help of a closed day."""

from django.db import migrations

from citedesmetiers.summaries import generation_triggers, local_day

TRIGGERS = [
    generation_triggers(kind="space", table=table, day=lambda row: local_day(f"{row}.occurred_at"))
    for table in ("ressources_spaceentry", "ressources_occupancysweep", "ressources_digitalhelp")
]


class Migration(migrations.Migration):
    dependencies = [
        ("ressources", "0006_words_of_the_catalogue"),
        ("citedesmetiers", "0012_kept_figures"),
    ]

    operations = [migrations.RunSQL(*triggers) for triggers in TRIGGERS]
