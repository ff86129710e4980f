from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from activites.demo import demo_activities_create


class Command(BaseCommand):
    help = "Schedules a few weeks of demo activities (demo and dev modes only), once; kept when some exist."

    def handle(self, *args, **options):
        try:
            count = demo_activities_create()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo activities: {count} scheduled.")
