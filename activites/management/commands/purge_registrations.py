from django.core.management.base import BaseCommand

from activites import services


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


class Command(BaseCommand):
    help = (
        "Deletes registrations never confirmed after REGISTRATION_CONFIRM_HOURS and erases the first name "
        "and e-mail address of registrations REGISTRATION_RETENTION_DAYS after their activity (counts stay), "
        "with the e-mails sent to them. Run it hourly by a scheduler; running it again is harmless."
    )

    def handle(self, *args, **options):
        purged = services.registrations_purge()
        self.stdout.write(
            f"Registrations purged: {purged.unconfirmed} unconfirmed deleted, {purged.erased} erased, "
            f"{_count(purged.emails, 'e-mail', 'e-mails')} deleted."
        )
