"""The scheduler: which jobs are due, one run per job at a time across processes, failures recorded,
a database outage survived; and the purge of what has expired."""

import json
import logging
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accueil.models import TicketStatus
from citedesmetiers import services
from citedesmetiers.models import JobRun, LoginFailure
from citedesmetiers.operations import scheduler
from citedesmetiers.roles import Role
from tests.conftest import database_down
from tests.factories import visit
from tests.servers import BASE_DIR, PRODUCTION, database_url

pytestmark = pytest.mark.django_db

COMMANDS = [
    "send_emails",
    "close_queue",
    "summarise_days",
    "purge_registrations",
    "purge_expired",
    "protect_publications",
]


def _job(command: str) -> scheduler.Job:
    return next(job for job in scheduler.jobs() if job.command == command)


def test_every_job_is_due_the_first_time_and_each_again_after_its_interval():
    now = timezone.now()
    assert [job.command for job in scheduler.jobs_due(now=now)] == COMMANDS
    runs = scheduler.run_due(now=now)
    assert [run.job for run in runs] == COMMANDS
    assert all(run.succeeded and run.finished_at for run in runs)
    assert scheduler.jobs_due(now=now + timedelta(minutes=1)) == []
    assert [job.command for job in scheduler.jobs_due(now=now + timedelta(minutes=2))] == ["send_emails"]
    due = scheduler.jobs_due(now=now + timedelta(hours=1))
    assert [job.command for job in due] == COMMANDS[:-1]  # the publications every 6 hours
    due = scheduler.jobs_due(now=now + timedelta(hours=6))
    assert [job.command for job in due] == COMMANDS


def test_a_run_keeps_the_commands_answer():
    run = scheduler.job_run(_job("purge_expired"))
    assert run.succeeded is True
    assert run.output.startswith("Expired data purged: ")


def test_the_backup_is_scheduled_only_when_asked(settings):
    assert "backup" not in [job.command for job in scheduler.jobs()]
    settings.BACKUP_EVERY_HOURS = 24
    assert _job("backup").every == timedelta(hours=24)


def test_a_failing_job_is_recorded_and_logged_and_the_others_still_run(settings, tmp_path, caplog):
    settings.BACKUP_EVERY_HOURS = 24
    settings.BACKUP_DIR = tmp_path / "a-file"
    settings.BACKUP_DIR.write_text("not a folder")
    with caplog.at_level(logging.INFO, logger="citedesmetiers.operations.scheduler"):
        runs = scheduler.run_due()
    outcome = {run.job: run.succeeded for run in runs}
    assert outcome == {**dict.fromkeys(COMMANDS, True), "backup": False}
    failure = next(record for record in caplog.records if record.levelname == "ERROR")
    assert failure.job == "backup"
    assert failure.exc_info is not None
    # A failed job is tried again at its next turn, not at every look.
    assert "backup" not in [job.command for job in scheduler.jobs_due()]


def test_a_job_held_by_another_process_is_skipped():
    job = _job("close_queue")
    database = connection.settings_dict
    other = psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"],
        port=database["PORT"] or None,
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [job.lock_key])
        assert scheduler.job_run(job) is None
        assert not JobRun.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [job.lock_key])
        assert scheduler.job_run(job).succeeded
    finally:
        other.close()


def test_a_job_that_another_scheduler_just_ran_is_not_run_again():
    job = _job("send_emails")
    JobRun.objects.create(job=job.command, started_at=timezone.now(), succeeded=True)
    assert scheduler.job_run(job) is None
    assert JobRun.objects.count() == 1


def test_the_lock_is_let_go_after_a_run():
    job = _job("purge_expired")
    scheduler.job_run(job)
    with connection.cursor() as cursor:
        # Advisory locks belong to a database: those of another test session's database are not ours.
        locks = (
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        cursor.execute(locks, [job.lock_key])
        assert cursor.fetchone()[0] == 0


def test_the_scheduler_survives_a_database_outage_and_runs_the_jobs_when_it_is_back(caplog):
    with caplog.at_level(logging.WARNING, logger="citedesmetiers.operations.scheduler"):
        with database_down():
            assert scheduler.tick() is True
            assert scheduler.tick(database_down=True) is True
        assert not JobRun.objects.exists()
        assert scheduler.tick(database_down=True) is False
    assert [record.getMessage() for record in caplog.records] == [
        "scheduler: the database cannot be reached; trying again",
        "scheduler: the database answers again",
    ]
    assert JobRun.objects.filter(succeeded=True).count() == len(COMMANDS)


def test_the_scheduler_closes_yesterdays_queue():
    ticket = visit(now=timezone.now() - timedelta(days=1)).ticket
    scheduler.run_due()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NOT_SERVED


def test_run_scheduler_once_and_its_list():
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == f"Scheduler: {len(COMMANDS)} job(s) run, 0 failed.\n"
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == COMMANDS
    assert lines[0].startswith("send_emails          every 2 min    last ")
    assert "succeeded: ends the waiting-list offers" in lines[0]
    assert "every 10 min" in lines[2]
    assert "every 1 h" in lines[3]


def test_expired_sessions_failed_sign_ins_and_old_runs_are_purged(settings):
    now = timezone.now()
    ended, current = SessionStore(), SessionStore()
    ended.set_expiry(-60)
    ended.create()
    current.create()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    LoginFailure.objects.create(username="old", at=now - window - timedelta(minutes=1))
    LoginFailure.objects.create(username="recent", at=now)
    kept = timedelta(days=settings.JOB_RUN_RETENTION_DAYS)
    JobRun.objects.create(job="send_emails", started_at=now - kept - timedelta(days=1))
    JobRun.objects.create(job="send_emails", started_at=now - timedelta(days=1))
    purged = services.expired_purge(now=now)
    assert purged == services.Expired(sessions=1, login_failures=1, job_runs=1)
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent"]
    assert JobRun.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COORDINATOR])
def test_administrators_and_coordinators_read_the_runs_in_the_back_office(client, login, role):
    scheduler.job_run(_job("purge_expired"))
    login(role)
    response = client.get(reverse("admin:citedesmetiers_jobrun_changelist"))
    assert response.status_code == 200
    assert "Expired data purged" in response.content.decode()
    run = JobRun.objects.get()
    assert client.get(reverse("admin:citedesmetiers_jobrun_change", args=[run.pk])).status_code == 200
    assert client.post(reverse("admin:citedesmetiers_jobrun_delete", args=[run.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.DIRECTOR])
def test_other_roles_do_not_see_the_runs(client, login, role):
    login(role)
    assert client.get(reverse("admin:citedesmetiers_jobrun_changelist")).status_code in (403, 302)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("admin:citedesmetiers_jobrun_changelist"))
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduler_service_runs_the_jobs_and_stops_cleanly_on_sigterm(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": database_url(), "VAR_DIR": str(tmp_path)}
    command = [sys.executable, "manage.py", "run_scheduler", "--tick", "0.2"]
    with (tmp_path / "scheduler.log").open("w+") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while JobRun.objects.filter(finished_at__isnull=False).count() < len(COMMANDS):
                assert time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
    output = (tmp_path / "scheduler.log").read_text()
    assert output.splitlines()[-1] == "Scheduler: stopped."
    assert sorted(JobRun.objects.values_list("job", flat=True)) == sorted(COMMANDS)
    # One JSON line per run, with its job and duration.
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert {line["job"] for line in lines if "seconds" in line} == set(COMMANDS)
