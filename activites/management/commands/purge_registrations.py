from django.core.management.base import BaseCommand

from activites import services


class Command(BaseCommand):
    help = (
        "Deletes registrations never confirmed after REGISTRATION_CONFIRM_HOURS and erases the first name "
        "and e-mail address of registrations REGISTRATION_RETENTION_DAYS after their activity (counts stay). "
        "Run it daily by a scheduler; running it again is harmless."
    )

    def handle(self, *args, **options):
        purged = services.registrations_purge()
        self.stdout.write(
            f"Registrations purged: {purged.unconfirmed} unconfirmed deleted, {purged.erased} erased, "
            f"{purged.emails} sent e-mail(s) deleted."
        )
