"""The questionnaires' results of closed days, kept whole (issue 19: conseil.selectors.KEPT_ANSWERS): the
triggers that raise their generation with every answer of a closed day written, changed or deleted."""

from django.db import migrations

from citedesmetiers.summaries import generation_triggers, local_day

ANSWERS = generation_triggers(
    kind="answers", table="conseil_questionnaireanswer", day=lambda row: local_day(f"{row}.answered_at")
)


class Migration(migrations.Migration):
    dependencies = [
        ("conseil", "0007_summaries_every_institution_index"),
        ("citedesmetiers", "0012_kept_figures"),
    ]

    operations = [migrations.RunSQL(*ANSWERS)]
