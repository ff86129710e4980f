import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accueil.models


def fill(apps, schema_editor):
    """Tickets issued before: the letter they were printed with, and a phone page key each."""
    Ticket = apps.get_model("accueil", "Ticket")
    for ticket in Ticket.objects.select_related("theme").only("id", "theme__letter").iterator():
        Ticket.objects.filter(pk=ticket.pk).update(
            letter=ticket.theme.letter, token=accueil.models.ticket_token()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0003_dates_in_range"),
        ("citedesmetiers", "0008_kiosk_channel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="letter",
            field=models.CharField(blank=True, max_length=1, verbose_name="letter"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="priority",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No priority"),
                    ("mobility", "Reduced mobility or disability"),
                    ("pregnancy", "Pregnancy"),
                    ("child", "With a young child"),
                    ("returning", "Sent back by an adviser (second step of the same visit)"),
                    ("appointment", "Expected at a set time"),
                ],
                default="",
                max_length=16,
                verbose_name="priority",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="token",
            field=models.CharField(max_length=32, null=True, verbose_name="phone page key"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket",
            name="token",
            field=models.CharField(
                default=accueil.models.ticket_token, max_length=32, unique=True, verbose_name="phone page key"
            ),
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("priority__in", ["", "mobility", "pregnancy", "child", "returning", "appointment"])
                ),
                name="accueil_ticket_priority_valid",
            ),
        ),
        migrations.CreateModel(
            name="Duty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("service_date", models.DateField(verbose_name="day")),
                ("desk", models.CharField(blank=True, max_length=20, verbose_name="desk")),
                ("started_at", models.DateTimeField(verbose_name="on duty from")),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="off duty at")),
                (
                    "adviser",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="adviser",
                    ),
                ),
            ],
            options={
                "verbose_name": "duty",
                "verbose_name_plural": "duties",
                "indexes": [models.Index(fields=["service_date"], name="accueil_duty_day")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=("adviser",),
                        name="accueil_duty_one_open",
                    )
                ],
            },
        ),
    ]
