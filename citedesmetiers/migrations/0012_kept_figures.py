"""The figures of closed days kept whole and the generations they are read at (issue 19:
citedesmetiers.summaries.Kept; the apps' migrations add the triggers that raise them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("citedesmetiers", "0011_partner_logo_space_area"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresGeneration",
            fields=[
                (
                    "kind",
                    models.CharField(max_length=32, primary_key=True, serialize=False, verbose_name="kind"),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="generation")),
            ],
            options={
                "verbose_name": "generation of kept figures",
                "verbose_name_plural": "generations of kept figures",
            },
        ),
        migrations.CreateModel(
            name="KeptFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=32, verbose_name="kind")),
                ("first", models.DateField(verbose_name="first day")),
                ("last", models.DateField(verbose_name="last day")),
                ("institution", models.BigIntegerField(blank=True, null=True, verbose_name="institution")),
                ("sets", models.CharField(max_length=200, verbose_name="breakdowns")),
                ("generation", models.BigIntegerField(verbose_name="generation")),
                ("rows", models.JSONField(verbose_name="figures")),
                ("counted_at", models.DateTimeField(verbose_name="counted at")),
            ],
            options={
                "verbose_name": "kept figures of closed days",
                "verbose_name_plural": "kept figures of closed days",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "first", "last", "institution", "sets"),
                        name="citedesmetiers_kept_span",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
    ]
