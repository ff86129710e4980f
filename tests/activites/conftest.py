import pytest
from django.core import mail

from activites.emails import emails_send


@pytest.fixture
def deliver():
    """Sends the outbox now (tests run inside a transaction, so the after-commit sending never fires)
    and returns the messages sent so far."""

    def send():
        emails_send()
        return list(mail.outbox)

    return send
