from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from ressources.demo import demo_resources_create


class Command(BaseCommand):
    help = (
        "Adds the demo's documentation and four weeks of multimedia-space counts (demo and dev modes), once."
    )

    def handle(self, *args, **options):
        try:
            resources, people = demo_resources_create()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo documentation: {resources} resources; multimedia space: {people} entries.")
