import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_protected_years"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Rows stored before these checks are brought within them first (docs/security.md, "Dates and limits").
    operations = [
        migrations.RunSQL(
            "UPDATE stats_reporttext SET preamble_fr = left(preamble_fr, 20000), preamble_nl = left(preamble_nl, 20000), preamble_en = left(preamble_en, 20000), highlights_fr = left(highlights_fr, 20000), highlights_nl = left(highlights_nl, 20000), highlights_en = left(highlights_en, 20000)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="highlights_en",
            field=models.TextField(blank=True, max_length=20000, verbose_name="highlights (English)"),
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="highlights_fr",
            field=models.TextField(
                blank=True,
                help_text="One highlight per paragraph; start with its date.",
                max_length=20000,
                verbose_name="highlights (French)",
            ),
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="highlights_nl",
            field=models.TextField(blank=True, max_length=20000, verbose_name="highlights (Dutch)"),
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="preamble_en",
            field=models.TextField(blank=True, max_length=20000, verbose_name="preamble (English)"),
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="preamble_fr",
            field=models.TextField(blank=True, max_length=20000, verbose_name="preamble (French)"),
        ),
        migrations.AlterField(
            model_name="reporttext",
            name="preamble_nl",
            field=models.TextField(blank=True, max_length=20000, verbose_name="preamble (Dutch)"),
        ),
        migrations.AddConstraint(
            model_name="onlinefigures",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 2018), ("year__lte", 2100)),
                name="stats_onlinefigures_year_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="onlinemonth",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 2018), ("year__lte", 2100)),
                name="stats_onlinemonth_year_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 2018), ("year__lte", 2100)),
                name="stats_reporttext_year_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("preamble_fr"), 20000
                ),
                name="stats_reporttext_preamble_fr_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("preamble_nl"), 20000
                ),
                name="stats_reporttext_preamble_nl_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("preamble_en"), 20000
                ),
                name="stats_reporttext_preamble_en_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("highlights_fr"), 20000
                ),
                name="stats_reporttext_highlights_fr_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("highlights_nl"), 20000
                ),
                name="stats_reporttext_highlights_nl_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporttext",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("highlights_en"), 20000
                ),
                name="stats_reporttext_highlights_en_length",
            ),
        ),
    ]
