from django.core.management.base import BaseCommand
from django.utils import timezone

from stats import publication
from stats.periods import OPENING_DAY


class Command(BaseCommand):
    help = (
        "Works out the protection of the publications of every calendar year that has ended, where its "
        "counts changed since the last time (so that the annual report of a year opens at once)."
    )

    def handle(self, *args, **options):
        """Thin: one call per closed year; one line of output."""
        last = timezone.localdate().year - 1
        renewed = [year for year in range(OPENING_DAY.year, last + 1) if publication.for_year(year).renewed]
        self.stdout.write(
            f"Publications of {OPENING_DAY.year}–{last} protected; worked out anew: "
            f"{', '.join(map(str, renewed)) or 'none'}."
        )
