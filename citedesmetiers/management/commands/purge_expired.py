from django.core.management.base import BaseCommand

from citedesmetiers import services


class Command(BaseCommand):
    help = (
        "Deletes staff sessions past their end, failed sign-ins past the throttling window and the "
        "scheduler's records older than JOB_RUN_RETENTION_DAYS. Run by the scheduler every hour; running it "
        "again is harmless."
    )

    def handle(self, *args, **options):
        purged = services.expired_purge()
        self.stdout.write(
            f"Expired data purged: {purged.sessions} session(s), {purged.login_failures} failed sign-in(s), "
            f"{purged.job_runs} job run record(s)."
        )
