from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from stats import demo


class Command(BaseCommand):
    help = (
        "Writes the demo centre's history from the opening day (5 March 2018) to --until (yesterday by "
        "default), repeatable with --seed; demo and dev modes only; does nothing when it is there already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="the random seed (default: 2018)")
        parser.add_argument(
            "--until", type=date.fromisoformat, default=None, help="last day, YYYY-MM-DD (default: yesterday)"
        )

    def handle(self, *args, seed: int, until: date | str | None, **options):
        try:
            if isinstance(until, str):  # call_command(until="2018-12-31") skips the parser
                until = date.fromisoformat(until)
            seeded = demo.demo_history_create(seed=int(seed), until=until)
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from error
        except demo.AlreadySeeded:
            self.stdout.write(
                "Demo centre: the history is there already (visits or consultations); nothing done."
            )
            return
        self.stdout.write(seeded.summary())
