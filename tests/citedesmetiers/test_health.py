"""/healthz (the process) and /readyz (the database), for load balancers and orchestrators."""

import pytest
from django.db import connections
from django.test import Client

from citedesmetiers import views

pytestmark = pytest.mark.django_db


def test_liveness_needs_no_database_and_reveals_no_version(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Server" not in response


def test_probes_answer_any_host_over_plain_http():
    # An orchestrator calls the container by its IP address, without TLS.
    probe = Client(HTTP_HOST="10.1.2.3:8000")
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/readyz").status_code == 200


def test_readiness_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readiness_fails_with_503_when_the_database_cannot_be_reached(client, monkeypatch):
    unreachable = connections.create_connection("default")
    unreachable.settings_dict = {**unreachable.settings_dict, "HOST": "/nonexistent", "PORT": "1"}
    monkeypatch.setattr(views, "connection", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
