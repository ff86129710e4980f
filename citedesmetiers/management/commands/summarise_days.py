from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citedesmetiers import summaries


class Command(BaseCommand):
    help = (
        "Writes the daily summaries of the figures (citedesmetiers.summaries) for every closed day that has "
        "none: the day that just ended, and the days a back-dated entry or a correction made forget. "
        "Harmless to run again. --verify recounts every summarised day from its entries; --rebuild "
        "forgets every summary first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="forget every summary, then summarise")
        parser.add_argument(
            "--verify", action="store_true", help="recount the summarised days; fail where one differs"
        )

    def handle(self, *args, **options):
        """Thin: one call per summary; one line of output each."""
        differing = []
        for summary in summaries.registered():
            if options["rebuild"]:
                with transaction.atomic():
                    summary.forget()
            days = summary.summarise()
            line = f"{summary.table}: {days} day(s) summarised"
            if options["verify"]:
                wrong = summary.differing()
                differing += [f"{summary.table} {day}" for day in wrong]
                line += f"; verified: {len(wrong)} day(s) differ from their entries"
            self.stdout.write(line + ".")
        if differing:
            raise CommandError("Summaries differ from their entries: " + ", ".join(differing))
