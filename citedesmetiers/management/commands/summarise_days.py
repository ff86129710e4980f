from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citedesmetiers import summaries


class Command(BaseCommand):
    help = (
        "Writes the daily summaries of the figures (citedesmetiers.summaries) for every closed day that has "
        "none: the day that just ended, and the days a back-dated entry or a correction made forget. "
        "Harmless to run again. --verify recounts every summarised day from its entries; --rebuild "
        "forgets every summary first. The figures kept whole for spans of closed days (the queue's) are "
        "pruned of those of an earlier generation, recounted with --verify, forgotten with --rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="forget every summary, then summarise")
        parser.add_argument(
            "--verify", action="store_true", help="recount the summarised days; fail where one differs"
        )

    def handle(self, *args, **options):
        """Thin: one call per summary and per kept figures; one line of output each."""
        differing = []
        for summary in summaries.registered():
            if options["rebuild"]:
                with transaction.atomic():
                    summary.forget()
            line = f"{summary.table}: {summary.summarise()} day(s) summarised"
            differing += self._verified(summary, line, "day(s)", options["verify"])
        for kept in summaries.registered("kept_figures"):
            if options["rebuild"]:
                kept.forget()
            line = f"{kept.table}: {kept.prune()} kept span(s) of an earlier generation deleted"
            differing += self._verified(kept, line, "span(s)", options["verify"])
        if differing:
            raise CommandError("Summaries differ from their entries: " + ", ".join(differing))

    def _verified(self, summary, line: str, unit: str, verify: bool) -> list[str]:
        """Writes `line`, with the recount's outcome if `verify`; returns what differs, named."""
        wrong = summary.differing() if verify else []
        if verify:
            line += f"; verified: {len(wrong)} {unit} differ from their entries"
        self.stdout.write(line + ".")
        return [f"{summary.table} {item}" for item in wrong]
