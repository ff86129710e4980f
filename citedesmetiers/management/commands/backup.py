from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from citedesmetiers.operations import backup


class Command(BaseCommand):
    help = (
        "Writes a compressed dump of the project's database (PostgreSQL custom format, for `restore`), "
        "by default to BACKUP_DIR/citedesmetiers-<UTC timestamp>.dump, keeping the newest BACKUP_KEEP "
        "backups of that folder. Uploaded files are not in it. Safe while the site runs."
    )
    requires_system_checks = []  # a backup must not wait for an unrelated setting to be fixed

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path, help="the file to write (default: a new file in BACKUP_DIR)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="backups of BACKUP_DIR to keep, this one included, when writing there "
            "(default: BACKUP_KEEP; 0 keeps them all)",
        )
        parser.add_argument("--database-url", help="the database to dump (default: the project's)")

    def handle(self, *args, output=None, keep=None, database_url=None, **options):
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 0:
            raise CommandError("--keep must be 0 (keep every backup) or more.")
        folder = Path(settings.BACKUP_DIR)
        path = Path(output) if output else folder / backup.file_name(timezone.now())
        if not output:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        url = database_url or backup.settings_url(connections[DEFAULT_DB_ALIAS].settings_dict)
        try:
            size = backup.dump(url, path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        pruned = []
        if keep and path.resolve().parent == folder.resolve():
            pruned = backup.prune(folder, keep=keep)
        self.stdout.write(
            f"Backup of database {backup.database_name(url)} written: {path} ({backup.size_text(size)}); "
            f"{len(pruned)} older backup(s) deleted."
        )
