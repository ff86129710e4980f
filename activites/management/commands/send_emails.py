from django.core.management.base import BaseCommand

from activites import services
from activites.emails import emails_send


class Command(BaseCommand):
    help = (
        "Ends the waiting-list offers not accepted in time (WAITING_LIST_OFFER_HOURS) and offers their "
        "seats to the next people, writes the reminders that are due (REMINDER_DAYS_BEFORE), then sends "
        "the e-mails of the outbox that are due, retrying those the mail server refused. Run it every few "
        "minutes by a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many messages in one run.")

    def handle(self, *args, **options):
        expired = services.offers_expire()
        reminders = services.reminders_queue()
        sent, failed = emails_send(limit=options["limit"])
        self.stdout.write(
            f"E-mails: {expired} expired offer(s) passed on, {reminders} reminder(s) written, {sent} sent, "
            f"{failed} to retry."
        )
