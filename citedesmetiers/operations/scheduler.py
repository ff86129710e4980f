"""The periodic jobs of the platform, and the loop that runs them (`manage.py run_scheduler`).

Every job is a management command that is harmless to run again; the schedule says how often it runs.
A run holds a PostgreSQL advisory lock named after its job, so two schedulers (on two servers, or one
left running by mistake) and a person running the command by hand never run the same job at once.
Every run is recorded in `JobRun` (start, end, outcome, the command's one-line answer), and a job is due
`every` after its last start, whichever scheduler started it: a restarted scheduler does not run
everything again, and a job that failed is tried again at its next turn.
"""

import logging
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, connections
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from citedesmetiers.models import JobRun

logger = logging.getLogger("citedesmetiers.operations.scheduler")

# How often the loop looks for due jobs; a job is at most this late.
TICK_SECONDS = 30
# What a run keeps of the command's answer.
OUTPUT_CHARS = 1000


@dataclass(frozen=True)
class Job:
    command: str
    every: timedelta
    purpose: str | Promise  # translated where it is shown

    @property
    def lock_key(self) -> int:
        """The advisory lock's number: stable across processes and servers (not Python's hash)."""
        return zlib.crc32(f"citedesmetiers.scheduler.{self.command}".encode())


def jobs() -> list[Job]:
    """The schedule, as the settings make it (the backup only when BACKUP_EVERY_HOURS is set)."""
    schedule = [
        Job(
            "send_emails",
            timedelta(minutes=2),
            _(
                "ends the waiting-list offers not accepted in time, writes the reminders that are due and "
                "sends the registration e-mails, retrying refused ones"
            ),
        ),
        Job(
            "close_queue",
            timedelta(minutes=10),
            _("ends the tickets left waiting from earlier days, and today's after the queue's closing time"),
        ),
        Job(
            "summarise_days",
            timedelta(minutes=10),
            _(
                "writes the daily summaries of the figures for the days that have ended, and again for "
                "those a correction of a past day made forget"
            ),
        ),
        Job(
            "purge_registrations",
            timedelta(hours=1),
            _("deletes unconfirmed registrations and erases the names and addresses of past activities"),
        ),
        Job(
            "purge_expired",
            timedelta(hours=1),
            _("deletes ended staff sessions, failed sign-ins past their window and old records of runs"),
        ),
        Job(
            "protect_publications",
            timedelta(hours=6),
            _("works out the protection of small counts in the publications of the years that have ended"),
        ),
    ]
    if settings.BACKUP_EVERY_HOURS > 0:
        schedule.append(
            Job(
                "backup",
                timedelta(hours=settings.BACKUP_EVERY_HOURS),
                _("writes a compressed dump of the database and keeps the newest ones"),
            )
        )
    return schedule


def last_starts() -> dict[str, datetime]:
    """The last start of each job that ever ran."""
    rows = JobRun.objects.values("job").annotate(last=Max("started_at")).order_by()
    return {row["job"]: row["last"] for row in rows}


def jobs_due(*, now: datetime | None = None) -> list[Job]:
    """The jobs whose last start is `every` ago or more (or that never ran), in the schedule's order."""
    now = now or timezone.now()
    last = last_starts()
    return [job for job in jobs() if job.command not in last or now - last[job.command] >= job.every]


def job_run(job: Job, *, now: datetime | None = None) -> JobRun | None:
    """Runs one job under its advisory lock and records the run; None when another process holds the
    lock or ran the job meanwhile. The command's failure is recorded and logged, not raised."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [job.lock_key])
        if not cursor.fetchone()[0]:
            return None
    try:
        now = now or timezone.now()
        last = last_starts().get(job.command)
        if last is not None and now - last < job.every:
            return None  # another scheduler ran it between our look and our lock
        run = JobRun.objects.create(job=job.command, started_at=now)
        output, started = StringIO(), time.monotonic()
        try:
            call_command(job.command, stdout=output, stderr=output)
            run.succeeded = True
        except Exception:
            run.succeeded = False
            logger.exception("scheduled job failed", extra={"job": job.command})
        run.finished_at = timezone.now()
        run.output = output.getvalue().strip()[:OUTPUT_CHARS]
        run.save(update_fields=["finished_at", "succeeded", "output"])
        if run.succeeded:
            seconds = round(time.monotonic() - started, 3)
            logger.info(run.output, extra={"job": job.command, "seconds": seconds})
        return run
    finally:
        # A connection broken during the job took its lock with it; otherwise let the lock go.
        if connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [job.lock_key])


def run_due(*, now: datetime | None = None) -> list[JobRun]:
    """Runs every job that is due, one after the other; returns the runs made here."""
    return [run for job in jobs_due(now=now) if (run := job_run(job, now=now)) is not None]


def tick(*, database_down: bool = False) -> bool:
    """One look: runs the due jobs. Returns whether the database is down, saying so in the log once
    when it goes and once when it comes back; the next look opens a fresh connection."""
    try:
        run_due()
    except DatabaseError:
        if not database_down:
            logger.warning("scheduler: the database cannot be reached; trying again", exc_info=True)
        connections.close_all()
        return True
    if database_down:
        logger.warning("scheduler: the database answers again")
    return False


def run_forever(*, stop: threading.Event, tick_seconds: float = TICK_SECONDS) -> None:
    """Looks for due jobs every `tick_seconds` until `stop` is set. Nothing is lost while the database
    is down: the jobs run when it is back."""
    database_down = False
    while not stop.is_set():
        database_down = tick(database_down=database_down)
        stop.wait(tick_seconds)
