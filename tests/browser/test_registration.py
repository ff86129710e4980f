"""Registrations on a phone (390 × 844), in French and Dutch, with axe scans: registering and confirming
from the e-mail's link, cancelling with its confirmation (a stray tap gives no seat away, and the freed
seat is offered to the first person waiting), and an activity moved by its organiser, whose e-mail
carries the updated calendar entry (the same UID, a higher SEQUENCE).

The French and Dutch texts are read from the catalogs (`tr`), so the tests follow their translations."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from playwright.sync_api import expect

from activites.models import Registration
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, activity, registration, staff

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def tr(language: str, message: str) -> str:
    """`message` as the pages show it in `language`."""
    with translation.override(language):
        return translation.gettext(message)


def url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(f"activites:{name}", args=args)


@pytest.fixture
def phone(browser, site, page_problems):
    """A page on a phone's screen, touch enabled."""
    context = browser.new_context(base_url=site, viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and page_problems.append(message.text))
    page.on("pageerror", lambda error: page_problems.append(str(error)))
    yield page
    context.close()
    assert not page_problems, page_problems


def link_in(mailoutbox, email: str, language: str) -> str:
    """The path of the person's own page, as the last e-mail sent to `email` gives it."""
    [*_, message] = [message for message in mailoutbox if message.to == [email]]
    path = url(language, "registration", Registration.objects.get(email=email).token)
    assert f"{settings.SITE_URL}{path}" in message.body
    return path


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_registration_on_a_phone_with_its_confirmation(phone, mailoutbox, language):
    session = activity(title_fr="Atelier CV", title_nl="Workshop cv", capacity=5)
    title = {"fr": "Atelier CV", "nl": "Workshop cv"}[language]
    phone.goto(url(language, "agenda_activity", session.pk))
    assert phone.locator("html").get_attribute("lang") == language
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    phone.get_by_label(tr(language, "First name or nickname")).fill("Noor")
    phone.get_by_label(tr(language, "E-mail address")).fill("noor@example.org")
    phone.get_by_label(tr(language, "I agree")).check()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name=tr(language, "Register"), exact=True).tap()

    phone.wait_for_url(f"**{url(language, 'agenda_registered', session.pk)}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(tr(language, "Check your e-mail"))
    assert axe_violations(phone) == []
    [message] = mailoutbox
    assert message.from_email.startswith(settings.SITE_NAMES[language])  # Beroepenpunt in Dutch

    phone.goto(link_in(mailoutbox, "noor@example.org", language))
    status = phone.locator(".facts strong")
    expect(status).to_have_text(tr(language, "Waiting for the e-mail confirmation"))
    assert axe_violations(phone) == []
    phone.get_by_role("button", name=tr(language, "Confirm my registration")).tap()
    expect(phone.locator(".messages")).to_contain_text(tr(language, "Your seat is booked. See you there!"))
    expect(status).to_have_text(tr(language, "Registered"))
    assert axe_violations(phone) == []
    assert Registration.objects.get(email="noor@example.org").status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_cancellation_on_a_phone_asks_for_a_confirmation(phone, mailoutbox, language):
    session = activity(capacity=1)
    mine = registration(session, first_name="Zoë", email="zoe@example.org", language=language)
    waiting = registration(session, first_name="Sam", email="sam@example.org")
    phone.goto(link_in(mailoutbox, "zoe@example.org", language))
    cancel = phone.get_by_role("button", name=tr(language, "Cancel my registration"))

    cancel.tap()  # a stray tap: nothing changes yet
    question = phone.get_by_role("heading", level=2, name=tr(language, "Cancel your registration?"))
    expect(question).to_be_visible()
    assert axe_violations(phone) == []
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
    phone.get_by_role("link", name=tr(language, "No, keep my registration")).tap()
    expect(question).to_have_count(0)
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED

    cancel.tap()
    phone.get_by_role("button", name=tr(language, "Yes, cancel my registration")).tap()
    expect(phone.locator(".messages")).to_contain_text(tr(language, "Your registration is cancelled."))
    assert axe_violations(phone) == []
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.OFFERED  # held for the first person waiting

    # The person waiting accepts the seat offered from their own e-mail's link.
    phone.goto(link_in(mailoutbox, "sam@example.org", "fr"))
    phone.get_by_role("button", name=tr("fr", "Accept the seat")).tap()
    expect(phone.locator(".facts strong")).to_have_text(tr("fr", "Registered"))
    assert axe_violations(phone) == []


def test_a_moved_activity_sends_the_updated_calendar_entry_in_each_language(phone, mailoutbox):
    ten = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(10)))
    session = activity(
        title_fr="Atelier CV", title_nl="Workshop cv", partner="actiris", capacity=1, starts_at=ten
    )
    registration(session, email="fr@example.org", language="fr")
    registration(session, email="nl@example.org", language="nl")  # on the waiting list
    before = {message.to[0]: message for message in mailoutbox}["fr@example.org"].attachments[0][1]
    mailoutbox.clear()

    sign_in(phone, staff(Role.ACTIVITY_ORGANISER), PASSWORD)
    phone.goto(url("fr", "activity_edit", session.pk))
    start = ten + timedelta(hours=2)
    phone.get_by_label(tr("fr", "Starts at")).fill("12:00")
    phone.get_by_label(tr("fr", "Ends at")).fill("14:00")
    phone.get_by_role("button", name=tr("fr", "Save"), exact=True).tap()
    expect(phone.locator(".messages")).to_contain_text(tr("fr", "Activity saved."))

    sent = {message.to[0]: message for message in mailoutbox}
    assert set(sent) == {"fr@example.org", "nl@example.org"}
    assert sent["fr@example.org"].subject == tr("fr", "Changed: %(title)s") % {"title": "Atelier CV"}
    assert sent["nl@example.org"].subject == tr("nl", "Changed: %(title)s") % {"title": "Workshop cv"}
    assert sent["nl@example.org"].from_email.startswith("Beroepenpunt")
    [old] = Calendar.from_ical(before).walk("VEVENT")
    for message in sent.values():
        [(_name, ics, _type)] = message.attachments
        [new] = Calendar.from_ical(ics).walk("VEVENT")
        assert new["UID"] == old["UID"]
        assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
        assert new.decoded("DTSTART") == start

    # The Dutch e-mail's link opens the person's page in Dutch with the new time.
    phone.goto(link_in(mailoutbox, "nl@example.org", "nl"))
    assert phone.locator("html").get_attribute("lang") == "nl"
    expect(phone.locator(".lead")).to_contain_text("12:00")
    assert axe_violations(phone) == []
