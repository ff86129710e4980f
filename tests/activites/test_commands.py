from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from activites.models import Registration
from tests.factories import activity, registration

pytestmark = pytest.mark.django_db


def test_purge_registrations_prints_one_line():
    workshop = activity()
    registration(workshop, confirm=False, now=timezone.now() - timedelta(days=3))
    out = StringIO()
    call_command("purge_registrations", stdout=out)
    assert out.getvalue() == "Registrations purged: 1 unconfirmed deleted, 0 erased, 1 e-mail deleted.\n"
    assert not Registration.objects.exists()


def test_purge_registrations_prints_the_e_mails_of_the_people_it_erased():
    now = timezone.now()
    past = activity(starts_in=timedelta(days=1), now=now - timedelta(days=40))
    registration(past, now=now - timedelta(days=40))
    out = StringIO()
    call_command("purge_registrations", stdout=out)
    assert out.getvalue() == "Registrations purged: 0 unconfirmed deleted, 1 erased, 2 e-mails deleted.\n"


def test_send_emails_writes_due_reminders_and_sends_the_outbox(settings):
    settings.REMINDER_DAYS_BEFORE = 3
    workshop = activity(starts_in=timedelta(days=2))
    registration(workshop, now=timezone.now() - timedelta(days=5))
    out = StringIO()
    call_command("send_emails", stdout=out)
    assert (
        out.getvalue()
        == "E-mails: 0 expired offer(s) passed on, 1 reminder(s) written, 3 sent, 0 to retry.\n"
    )
    assert len(mail.outbox) == 3


def test_the_demo_agenda_is_scheduled_once_in_demo_mode(settings):
    from citedesmetiers.services import demo_accounts_create

    settings.DEMO_ACCOUNTS_ENABLED = True
    demo_accounts_create()
    out = StringIO()
    call_command("create_demo_activities", stdout=out)
    assert int(out.getvalue().split(": ")[1].split()[0]) >= 15
    call_command("create_demo_activities", stdout=out)
    assert out.getvalue().endswith("Demo activities: 0 scheduled.\n")
