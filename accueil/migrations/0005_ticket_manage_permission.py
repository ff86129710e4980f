from django.db import migrations


class Migration(migrations.Migration):
    """Reception's hand on the queue: transfer, priority and cancel (the roles get it in roles.py)."""

    dependencies = [("accueil", "0004_queue_priorities_transfers_phone_duty")]

    operations = [
        migrations.AlterModelOptions(
            name="ticket",
            options={
                "permissions": [
                    ("serve_ticket", "Can call and serve people waiting in the queue"),
                    (
                        "manage_ticket",
                        "Can transfer, give priority to and cancel tickets waiting in the queue",
                    ),
                ],
                "verbose_name": "ticket",
                "verbose_name_plural": "tickets",
            },
        ),
    ]
