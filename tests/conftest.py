"""Shared fixtures: an HTTPS test client, staff of every role, and the guard on transactional tests."""

import importlib

import pytest
from django.test import Client
from django.utils import translation

from citedesmetiers.roles import Role
from tests.factories import staff


class HttpsClient(Client):
    """Django's test client over HTTPS: the settings under test redirect plain HTTP, as in production."""

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)


def pytest_collection_modifyitems(items):
    # A transactional test empties the tables when it ends, reference data included; only serialized
    # rollback puts them back for the next one. Require it, so no test depends on the order of others.
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in item.fixturenames or (
            marker is not None and marker.kwargs.get("transaction")
        )
        serialized = "django_db_serialized_rollback" in item.fixturenames or (
            marker is not None and marker.kwargs.get("serialized_rollback")
        )
        if transactional and not serialized:
            raise pytest.UsageError(f"{item.nodeid}: transactional tests need serialized_rollback=True")


# The data migrations whose rows every test expects (each has an idempotent `load(apps, schema_editor)`).
REFERENCE_DATA = [
    "citedesmetiers.migrations.0002_reference_data",
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
    from django.apps import apps
    from django.db import connection

    from citedesmetiers import services

    def reseed():
        for migration in REFERENCE_DATA:
            importlib.import_module(migration).load(apps, None)
        services.roles_sync()

    with django_db_blocker.unblock():
        reseed()
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    # Leave a kept database complete too: the next run's new data migrations may rely on these rows.
    with django_db_blocker.unblock():
        reseed()


@pytest.fixture(autouse=True)
def fresh_reference_cache():
    """Reference rows are cached a minute per process; each test reads its own database state."""
    from citedesmetiers.selectors import reference_cache_clear

    reference_cache_clear()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language: a request leaves its own active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
