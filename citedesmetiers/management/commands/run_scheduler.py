import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from citedesmetiers.models import JobRun
from citedesmetiers.operations import scheduler


class Command(BaseCommand):
    help = (
        "Runs the periodic jobs (e-mails, closing the queue, purges, backups) when they are due, until "
        "stopped (SIGTERM or Ctrl-C ends it after the job in progress). --once runs what is due and stops; "
        "--list prints the schedule with each job's last run."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--once", action="store_true", help="run the jobs that are due now, then stop")
        which.add_argument(
            "--list", dest="show", action="store_true", help="print the schedule and the last runs"
        )
        parser.add_argument(
            "--tick", type=float, default=scheduler.TICK_SECONDS, help="seconds between looks"
        )

    def handle(self, *args, once=False, show=False, tick=scheduler.TICK_SECONDS, **options):
        if show:
            self._list()
        elif once:
            runs = scheduler.run_due()
            failed = sum(1 for run in runs if not run.succeeded)
            self.stdout.write(f"Scheduler: {len(runs)} job(s) run, {failed} failed.")
        else:
            stop = threading.Event()
            for number in (signal.SIGTERM, signal.SIGINT):
                signal.signal(number, lambda *_: stop.set())
            self.stdout.write(f"Scheduler: {len(scheduler.jobs())} jobs, looking every {tick:g} s.")
            scheduler.run_forever(stop=stop, tick_seconds=tick)
            self.stdout.write("Scheduler: stopped.")

    def _list(self):
        last = {run.job: run for run in JobRun.objects.order_by("job", "-started_at").distinct("job")}
        with translation.override("en"):
            for job in scheduler.jobs():
                run = last.get(job.command)
                if run is None:
                    when = "never run"
                else:
                    outcome = {True: "succeeded", False: "FAILED", None: "running or cut off"}[run.succeeded]
                    when = f"last {timezone.localtime(run.started_at):%Y-%m-%d %H:%M} {outcome}"
                self.stdout.write(f"{job.command:<20} every {_every(job.every):<8} {when}: {job.purpose}")


def _every(every) -> str:
    minutes = int(every.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
