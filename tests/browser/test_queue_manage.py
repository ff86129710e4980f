"""Reception's hand on the queue in a real browser (issue 16), in French and Dutch: the minutes each
person has waited, the alert when nobody on duty can take someone, then priority, transfer and a
cancellation with its confirmation, with axe scans. Texts are found by their place and the ticket
numbers, so that the translations may change."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accueil import services
from accueil.models import Ticket, TicketStatus
from citedesmetiers.models import AuditEntry
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, staff, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/fr/file-d-attente/", "/nl/wachtrij/"])
def test_reception_sees_the_waits_and_manages_tickets(page, path, daytime):
    now = timezone.now()
    arabic = visit(theme="travailler", language="ar", now=now - timedelta(minutes=17)).ticket
    french = visit(theme="apprendre", now=now - timedelta(minutes=9)).ticket
    third = visit(theme="travailler", now=now - timedelta(minutes=4)).ticket
    adviser = staff(Role.ADVISER)  # Actiris: choisir, travailler, bouger; French only
    adviser.languages.set(["fr"])
    services.duty_start(adviser=adviser, desk="4")
    sign_in(page, staff(Role.RECEPTION_AGENT), PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(path)

    overview = page.locator("#queue-overview")
    row = overview.locator("tr", has_text=arabic.label)
    expect(row.locator(".minutes-waited")).to_contain_text("17")
    expect(overview.locator("tr", has_text=third.label).locator(".minutes-waited")).to_contain_text("4")
    # Nobody on duty speaks Arabic, and Actiris does not advise on 'apprendre': two alerts.
    alerts = overview.locator(".message-warning li")
    expect(alerts).to_have_count(2)
    expect(alerts.nth(0)).to_contain_text(arabic.label)
    expect(alerts.nth(1)).to_contain_text(french.label)
    assert axe_violations(page) == []

    # Priority with a reason code.
    row.get_by_role("link").click()
    manage = page.locator("#ticket-manage")
    manage.locator("select[name=reason]").select_option("mobility")
    manage.locator("form", has=page.locator("select[name=reason]")).get_by_role("button").click()
    expect(page.locator("#queue-panel .message-info")).to_contain_text(arabic.label)
    expect(overview.locator("tr", has_text=arabic.label).locator(".badge-priority")).to_be_visible()

    # Transfer 'apprendre' to 'choisir': the number stays, the alert goes.
    overview.locator("tr", has_text=french.label).get_by_role("link").click()
    assert axe_violations(page) == []
    manage.locator("select[name=theme]").select_option("choisir")
    manage.locator("form", has=page.locator("select[name=theme]")).get_by_role("button").click()
    expect(page.locator("#queue-panel .message-info")).to_contain_text(french.label)
    expect(alerts).to_have_count(1)
    expect(overview.locator("tr", has_text=french.label)).to_be_visible()

    # Cancel, with a confirmation.
    overview.locator("tr", has_text=third.label).get_by_role("link").click()
    manage.locator("a[href$='?step=cancel']").click()
    confirm = page.locator("#ticket-manage button.button-danger")
    expect(confirm).to_be_focused()
    assert Ticket.objects.get(pk=third.pk).status == TicketStatus.WAITING
    assert axe_violations(page) == []
    confirm.click()
    expect(page.locator("#queue-panel .message-info")).to_contain_text(third.label)
    expect(overview.locator("tr", has_text=third.label)).to_have_count(0)

    tickets = {t.pk: t for t in Ticket.objects.all()}
    assert tickets[arabic.pk].priority == "mobility"
    assert (tickets[french.pk].theme_id, tickets[french.pk].label) == ("choisir", french.label)
    assert tickets[third.pk].status == TicketStatus.CANCELLED
    assert AuditEntry.objects.filter(action__startswith="ticket.").count() == 3
    assert axe_violations(page) == []
