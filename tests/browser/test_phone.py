"""The visitor's phone page on a 390×844 phone, in French and Dutch: the ticket from waiting to called,
the vibration when it is their turn, and an accessibility scan at each step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from accueil import services
from accueil.models import Ticket
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import staff, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Records what the page asks of the vibration motor (a test browser has none).
VIBRATIONS = """
window.vibrations = [];
Object.defineProperty(Navigator.prototype, "vibrate", {
  configurable: true,
  value: function (pattern) { window.vibrations.push(pattern); return true; },
});
"""


@pytest.fixture
def phone(browser, site, page_problems, language):
    context = browser.new_context(
        base_url=site,
        locale=f"{language}-BE",
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.add_init_script(VIBRATIONS)
    page.on("console", lambda message: message.type == "error" and page_problems.append(message.text))
    page.on("pageerror", lambda error: page_problems.append(str(error)))
    yield page
    context.close()
    assert not page_problems, page_problems


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_phone_follows_its_ticket_from_waiting_to_called(phone, language):
    visit(theme="travailler", language=language)
    ticket = visit(theme="travailler", language=language).ticket
    with translation.override(language):
        phone.goto(reverse("accueil:ticket_phone", args=[ticket.token]))
        before = ngettext("%(counter)s person before you", "%(counter)s people before you", 1) % {
            "counter": 1
        }
        turn = gettext("Your turn: desk %(desk)s") % {"desk": "4"}
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(ticket.label)
    expect(phone.locator("#phone-status")).to_contain_text(before)
    assert fits(phone)
    assert axe_violations(phone) == []
    phone.locator("[data-phone-alerts]").tap()  # sound and vibration need a first tap on a phone
    phone.wait_for_function("window.vibrations.length === 1")
    adviser = staff(Role.ADVISER, partner=Partner.objects.get(code="actiris"))
    adviser.languages.set([language])
    services.ticket_end(
        ticket=services.ticket_start(ticket=services.ticket_call_next(adviser=adviser), adviser=adviser),
        adviser=adviser,
    )
    services.ticket_call_next(adviser=adviser, desk="4")
    status = phone.locator("#phone-status")
    expect(status).to_have_attribute("data-phone-state", "called", timeout=15_000)
    expect(phone.get_by_role("heading", level=2)).to_have_text(turn)
    phone.wait_for_function("window.vibrations.length === 2")
    assert phone.evaluate("window.vibrations[1]") == [500, 200, 500, 200, 500]
    expect(phone.locator("[data-phone-announcement]")).to_have_text(turn)
    assert fits(phone)
    assert axe_violations(phone) == []


@pytest.mark.parametrize("language", ["nl"])
def test_the_language_links_keep_the_ticket_and_an_old_ticket_says_so(phone, language):
    ticket = visit().ticket
    phone.goto(f"/nl/ticket/{ticket.token}/")
    phone.get_by_role("link", name="Français").tap()
    expect(phone).to_have_url(f"{phone.url.split('/nl/')[0]}/fr/ticket/{ticket.token}/")
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    Ticket.objects.filter(pk=ticket.pk).update(service_date=ticket.service_date - timedelta(days=1))
    phone.reload()
    with translation.override("fr"):
        expect(phone.get_by_role("heading", level=1)).to_have_text(gettext("This ticket is no longer valid"))
    assert axe_violations(phone) == []
