import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from citedesmetiers.operations import backup


class Command(BaseCommand):
    help = (
        "Restores a dump made by `backup` (by default the newest of BACKUP_DIR) into the project's "
        "database, replacing its tables and their rows, all or nothing. Stop the site first. Asks for "
        "confirmation; without a terminal it needs --yes."
    )
    requires_system_checks = []  # a restore must not wait for an unrelated setting to be fixed

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="the dump (default: the newest in BACKUP_DIR)")
        parser.add_argument("--database-url", help="the database to restore into (default: the project's)")
        parser.add_argument("--yes", action="store_true", help="restore without asking")

    def handle(self, *args, file=None, database_url=None, yes=False, **options):
        if file is None:
            found = backup.backups(settings.BACKUP_DIR)
            if not found:
                raise CommandError(f"No backup to restore in {settings.BACKUP_DIR}: name the file.")
            file = found[0]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file: nothing was restored.")
        if not backup.is_dump(path):
            raise CommandError(
                f"{path} is not a PostgreSQL custom-format dump (as `backup` makes): nothing was restored."
            )
        url = database_url or backup.settings_url(connections[DEFAULT_DB_ALIAS].settings_dict)
        name = backup.database_name(url)
        size = backup.size_text(path.stat().st_size)
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Not restoring without --yes: there is no terminal to confirm it on.")
            question = (
                f"Replace the tables and rows of database {name} with those of {path} ({size})? "
                "Type 'yes' to go on: "
            )
            self.stdout.write(question, ending="")
            self.stdout.flush()
            if sys.stdin.readline().strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            backup.restore(url, path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path} ({size}) into database {name}.")
