from django.core.management.base import BaseCommand

from accueil import services


class Command(BaseCommand):
    help = (
        "Closes the walk-in queue: tickets left waiting end as not served (earlier days, and today once "
        "QUEUE_CLOSING_TIME has passed). Run it by a scheduler at closing time; running it again is harmless."
    )

    def handle(self, *args, **options):
        closed = services.queue_close()
        self.stdout.write(f"Queue closed: {closed} ticket(s) ended as not served.")
