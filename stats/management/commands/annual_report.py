import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stats import exports, periods


class Command(BaseCommand):
    help = (
        "Writes the annual report of a year or of any period as JSON, XLSX, CSV, PDF or HTML, in French, "
        "Dutch or English (the whole centre; small cells protected in the tables)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--year", type=int, help="a calendar year, e.g. 2018")
        which.add_argument("--from", dest="start", type=date.fromisoformat, help="first day, YYYY-MM-DD")
        which.add_argument("--period", help="2018, 2018-Q2, 2018-05 or first-year")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day (with --from)")
        parser.add_argument("--format", choices=sorted(exports.EXPORTS), default="json")
        parser.add_argument("--lang", choices=["fr", "nl", "en"], default="fr")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, year=None, start=None, end=None, period=None, **options):
        try:
            if year is not None:
                chosen = periods.year(year)
            elif period is not None:
                chosen = periods.parse(period)
            else:
                if end is None:
                    raise CommandError("--from needs --to.")
                # Strings from call_command, dates from the command line.
                chosen = periods.Period(date.fromisoformat(str(start)), date.fromisoformat(str(end)))
        except ValueError as error:
            raise CommandError(str(error)) from error
        body = exports.render(options["format"], chosen, language=options["lang"])
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            self.stdout.write(
                f"Annual report {chosen.slug} ({options['format']}, {options['lang']}): {options['output']}"
            )
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
