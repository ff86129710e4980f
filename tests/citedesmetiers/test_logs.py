"""Structured logs: a request id on every line, one line per request, and no personal data.

The logs are captured as production writes them (the LOGGING setting built by `logs.logging_config`,
JSON, every logger at DEBUG) while a person registers, confirms, gets e-mails (one refused by the mail
server), and staff read the registrations; then the captured text is searched for the address.
"""

import contextlib
import io
import json
import logging
import logging.config
import re
import smtplib

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from activites.emails import emails_send
from activites.models import Registration
from citedesmetiers.operations import logs
from citedesmetiers.roles import Role
from tests.factories import activity

pytestmark = pytest.mark.django_db

EMAIL = "jeanne.peeters.4711@example.org"
FIRST_NAME = "Jeannelotte"


@contextlib.contextmanager
def captured_logs(log_format="json"):
    """Everything the production logging configuration writes, at every level, into a buffer."""
    buffer = io.StringIO()
    config = logs.logging_config(log_format, "DEBUG")
    logging.config.dictConfig(config)
    [handler] = logging.getLogger().handlers
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


def lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, naming them in its error, as real ones do."""

    def send_messages(self, messages):
        recipient = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({recipient: (550, f"5.1.1 <{recipient}>: unknown".encode())})


def test_every_response_carries_a_request_id_that_is_on_its_log_line(client):
    with captured_logs() as buffer:
        response = client.get(reverse("activites:agenda"), {"theme": "apprendre"})
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = [line for line in lines(buffer) if line["logger"] == "citedesmetiers.requests"]
    assert line["request_id"] == request_id
    assert (line["method"], line["route"], line["status"]) == ("GET", "/fr/agenda/", 200)
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert "theme" not in json.dumps(line)  # no query string


def test_a_sensible_request_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a9c2e11d04b8a"})
    assert kept["X-Request-ID"] == "nginx-7f3a9c2e11d04b8a"
    replaced = client.get("/healthz", headers={"X-Request-ID": "x\nlevel=ERROR forged line"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_an_error_page_gives_the_reference_found_in_the_logs(client):
    with captured_logs() as buffer:
        response = client.get("/fr/nowhere/")
    assert response.status_code == 404
    [line] = lines(buffer)
    assert line["route"] == "-"  # a mistyped address may hold anything: not written
    assert line["request_id"] == response["X-Request-ID"]


def test_no_personal_data_reach_the_logs(client, settings, login):
    settings.EMAIL_BACKEND = "tests.citedesmetiers.test_logs.RefusingBackend"
    workshop = activity(capacity=5)
    with captured_logs() as buffer:
        form = {"first_name": FIRST_NAME, "email": EMAIL, "consent": "on", "website": ""}
        client.post(reverse("activites:agenda_activity", args=[workshop.pk]), form)
        emails_send()  # refused by the mail server, which names the address in its answer
        person = Registration.objects.get(email=EMAIL)
        page = reverse("activites:registration", args=[person.token])
        client.get(page)
        client.post(page, {"action": "confirm"})
        client.get(reverse("activites:agenda_activity", args=[workshop.pk]), {"email": EMAIL})
        client.get(f"/fr/agenda/{EMAIL}/")
        logging.getLogger("activites").exception("sending to %s failed", EMAIL)
        login(Role.COORDINATOR)
        client.get(reverse("activites:activity", args=[workshop.pk]))
        client.get(reverse("activites:activity_attendance", args=[workshop.pk]))
    captured = buffer.getvalue()
    assert "not sent" in captured  # the refusal was logged...
    assert len(lines(buffer)) >= 9  # ...and every request
    for personal in (EMAIL, FIRST_NAME, person.token, EMAIL.split("@")[0]):
        assert personal not in captured


def test_addresses_are_masked_in_messages_and_tracebacks_in_text_too():
    with captured_logs("text") as buffer:
        try:
            raise ValueError(f"duplicate key (email)=({EMAIL})")
        except ValueError:
            logging.getLogger("x").exception("could not register %s", EMAIL)
    captured = buffer.getvalue()
    assert EMAIL not in captured
    assert captured.count(logs.EMAIL_MASK) == 2
    assert "ValueError" in captured
