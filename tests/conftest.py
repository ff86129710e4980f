"""Shared fixtures: an HTTPS test client, staff of every role, and the guard on transactional tests."""

import contextlib
import importlib
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from django.db import connections
from django.db.backends.signals import connection_created
from django.test import Client
from django.utils import timezone, translation

from citedesmetiers.roles import Role
from tests.factories import staff
from tests.servers import PRODUCTION, database_url, gunicorn_server, manage


def _lock_timeout(sender, connection, **kwargs):
    """A test that waits on a lock (a live server's request against the test's own transaction, say)
    fails after two minutes instead of holding CI until its deadline; pyproject's faulthandler_timeout
    prints every thread's stack for a test that runs longer than five."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '120s'")


connection_created.connect(_lock_timeout, dispatch_uid="tests.lock_timeout")


class HttpsClient(Client):
    """Django's test client over HTTPS: the settings under test redirect plain HTTP, as in production."""

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)


@contextlib.contextmanager
def database_down():
    """Requests and code run inside see no database (a socket where no server listens); the test's own
    connection is set aside meanwhile."""
    working = connections["default"]
    down = connections.create_connection("default")
    down.settings_dict = {**working.settings_dict, "HOST": "/nonexistent", "PORT": "1"}
    connections["default"] = down
    try:
        yield
    finally:
        down.close()
        connections["default"] = working


def desk_entry(**fields) -> dict[str, str]:
    """The form the desk sends for one information-only visit, with a new key."""
    entry = {"key": str(uuid.uuid4()), "theme": "apprendre", "orientation": "information"}
    return entry | {"language": "fr", "channel": "on_site", "count": "1"} | fields


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two workers (pytest-xdist): a module's tests stay on one worker, so that its
    module-scoped fixtures (a seeded demo history) are built once, and the browser tests share one
    worker, one Chromium and one live server, running one after another beside the other tests."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith("tests/browser/") else nodeid.split("::", 1)[0]

    return ByModule(config, log)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in item.fixturenames or bool(
        marker is not None and marker.kwargs.get("transaction")
    )


def _empties_tables(item) -> bool:
    """As pytest-django orders them: a transactional test, or one on the live server (which is one)."""
    marker = item.get_closest_marker("django_db")
    return (
        _transactional(item)
        or "live_server" in item.fixturenames
        or bool(marker is not None and marker.kwargs.get("reset_sequences"))
    )


def pytest_collection_modifyitems(items):
    # A transactional test empties the tables when it ends, reference data included; only serialized
    # rollback puts them back for the next one. Require it, so no test depends on the order of others.
    for item in items:
        marker = item.get_closest_marker("django_db")
        serialized = "django_db_serialized_rollback" in item.fixturenames or (
            marker is not None and marker.kwargs.get("serialized_rollback")
        )
        if _transactional(item) and not serialized:
            raise pytest.UsageError(f"{item.nodeid}: transactional tests need serialized_rollback=True")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties the tables when it ends (Django's flush): in one process pytest-django
    runs them after all the others, but a worker of `make test` runs a module's tests together, so the
    first test after them that is not transactional finds the database as the session began."""
    result = yield
    if nextitem is not None and _empties_tables(item) and not _empties_tables(nextitem):
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            snapshot = getattr(connection, "_test_serialized_contents", None)
            if snapshot is None:
                _reseed()
            else:
                connection.creation.deserialize_db_from_string(snapshot)
    return result


# The data migrations whose rows every test expects (each has an idempotent `load(apps, schema_editor)`).
REFERENCE_DATA = [
    "citedesmetiers.migrations.0002_reference_data",
    "citedesmetiers.migrations.0008_kiosk_channel",
    "conseil.migrations.0002_topics",
    "ressources.migrations.0002_help_topics",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with its reference data whatever the previous run left.

    The last transactional test of a run empties the tables: reload the reference data and the roles
    (both idempotent) before the tests, taking the snapshot that serialized rollbacks restore, and
    again after them, so that a kept database (--reuse-db) is complete for the next run.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        _reseed()
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    # Leave a kept database complete too: the next run's new data migrations may rely on these rows.
    with django_db_blocker.unblock():
        _reseed()


def _reseed():
    from django.apps import apps

    from citedesmetiers import services

    for migration in REFERENCE_DATA:
        importlib.import_module(migration).load(apps, None)
    services.roles_sync()


@pytest.fixture(autouse=True)
def fresh_reference_cache():
    """Reference rows are cached a minute per process, the agenda's pages for its state; each test reads
    its own database state (a rolled-back test leaves the agenda's stamp where it found it)."""
    from django.core.cache import cache

    from citedesmetiers.selectors import reference_cache_clear

    reference_cache_clear()
    cache.clear()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language: a request leaves its own active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# How far into the local day Django's clock is for a test that sets things some minutes before now and reads
# them as today's (the `daytime` fixture).
INTO_THE_DAY = timedelta(hours=1)


def shift_into_the_day(now: datetime) -> timedelta:
    """How far forward `now` must move to be INTO_THE_DAY past local midnight: nothing after that hour."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(timedelta(0), midnight + INTO_THE_DAY - now)


@pytest.fixture
def daytime(monkeypatch) -> timedelta:
    """For a test that sets things some minutes before now and reads them as today's (a ticket that has
    waited 17 minutes, a consultation that has just ended after 25): run in the hour after midnight,
    "17 minutes ago" would be yesterday, when the centre is closed. Django's clock (timezone.now, and
    localtime and localdate after it, in the test and in its live server's thread alike) is then moved
    forward to 1:00, on the same day; the other clocks (time.time, the database's) keep the same date,
    which is what they are compared by. Returns the shift (nothing after 1:00)."""
    real = timezone.now
    shift = shift_into_the_day(real())
    if shift:
        monkeypatch.setattr(timezone, "now", lambda: real() + shift)
    return shift


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def login(client):
    """Signs a client in as a new staff member of the given role; returns the user."""

    def sign_in(role: Role, **kwargs):
        user = staff(role, **kwargs)
        client.force_login(user)
        return user

    return sign_in


ALL_ROLES = list(Role)


class Instances(NamedTuple):
    urls: tuple[str, str]
    logs: tuple[Path, Path]


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """The static files collected once, as the image does at build time."""
    folder = tmp_path_factory.mktemp("static")
    env = {**PRODUCTION, "STATIC_ROOT": str(folder), "VAR_DIR": str(folder)}
    collected = manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    return folder


@pytest.fixture(scope="module")
def instance_servers(django_db_setup, static_root, tmp_path_factory) -> Iterator[Instances]:
    """Two gunicorn instances on the test database, behind a proxy by their settings; each has its own
    local folder, as separate machines would. Started once for a module's tests."""
    folder = tmp_path_factory.mktemp("instances")
    common = {**PRODUCTION, "DATABASE_URL": database_url(), "ALLOWED_HOSTS": "127.0.0.1,cdm.example.org"}
    common |= {"BEHIND_PROXY": "true", "WEB_CONCURRENCY": "1", "STATIC_ROOT": str(static_root)}
    logs = (folder / "a.log", folder / "b.log")
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    with (
        gunicorn_server({**common, "VAR_DIR": str(folder / "a")}, logs[0]) as first,
        gunicorn_server({**common, "VAR_DIR": str(folder / "b")}, logs[1]) as second,
    ):
        yield Instances((first, second), logs)


@pytest.fixture
def instances(transactional_db, django_db_serialized_rollback, instance_servers) -> Instances:
    """The two instances, for a test whose rows they must see (committed, in a transactional test)."""
    return instance_servers
