"""The reception desk, the queue and the waiting-room screen in a real browser, with axe scans and a
network cut that the desk must survive without losing or doubling a visit."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accueil import services
from accueil.models import Ticket, TicketStatus, Visit
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, staff, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(page):
    sign_in(page, staff(Role.RECEPTION_AGENT), PASSWORD)
    page.goto("/fr/accueil/")
    return page


def test_one_tap_or_one_key_records_a_visit_and_gives_a_ticket(desk):
    assert axe_violations(desk) == []
    desk.get_by_role("button", name=re.compile("Apprendre un métier")).click()
    status = desk.locator("#desk-status")
    expect(status).to_contain_text("Enregistré")
    expect(status).to_contain_text("A001")
    desk.keyboard.press("t")  # the letter of 'Travailler'
    expect(status).to_contain_text("T002")
    expect(desk.locator("#desk-counters .big-figure")).to_contain_text("2")
    assert Visit.objects.count() == 2
    assert list(Ticket.objects.order_by("number").values_list("theme", flat=True)) == [
        "apprendre",
        "travailler",
    ]
    assert axe_violations(desk) == []


def test_choices_stay_and_details_do_not(desk):
    desk.locator("label[for=channel-phone]").click()
    desk.locator("label[for=language-nl]").click()
    desk.keyboard.press("5")  # information only
    desk.get_by_text("Détails (facultatifs, anonymes)").click()
    desk.get_by_label("Genre").select_option("woman")
    desk.get_by_label("Nombre de personnes").fill("3")
    desk.get_by_role("button", name=re.compile("Bouger")).click()
    expect(desk.locator("#desk-status")).to_contain_text("Enregistré")
    expect(desk.get_by_label("Genre")).to_have_value("")
    expect(desk.get_by_label("Nombre de personnes")).to_have_value("1")
    desk.get_by_role("button", name=re.compile("Entreprendre")).click()
    expect(desk.locator("#desk-recent li")).to_have_count(2)
    recorded = list(
        Visit.objects.order_by("id").values_list("channel", "language", "orientation", "gender", "count")
    )
    assert recorded == [("phone", "nl", "information", "woman", 3), ("phone", "nl", "information", None, 1)]
    desk.reload()
    expect(desk.locator("#channel-phone")).to_be_checked()
    expect(desk.locator("#language-nl")).to_be_checked()


def test_an_entry_can_be_undone_for_a_few_minutes(desk):
    desk.get_by_role("button", name=re.compile("Choisir son orientation")).click()
    expect(desk.locator("#desk-status")).to_contain_text("C001")
    desk.locator("#desk-recent").get_by_role("button", name=re.compile("Annuler")).click()
    expect(desk.locator("#desk-status")).to_contain_text("Encodage annulé.")
    expect(desk.locator("#desk-recent")).to_contain_text("annulé")
    undone = Visit.objects.get()
    assert undone.cancelled
    assert undone.ticket.status == TicketStatus.CANCELLED


def test_a_network_cut_loses_nothing_and_doubles_nothing(desk, page_problems):
    desk.context.set_offline(True)
    desk.get_by_role("button", name=re.compile("Apprendre un métier")).click()
    banner = desk.locator("[data-capture-banner]")
    expect(banner).to_contain_text("1 encodage gardé sur cet appareil")
    desk.keyboard.press("c")
    expect(banner).to_contain_text("2 encodages gardés")
    expect(banner.locator("li")).to_have_count(2)
    assert Visit.objects.count() == 0
    time.sleep(2)  # the entries wait a little, so that their own time differs from their arrival
    desk.context.set_offline(False)
    expect(banner).to_contain_text("Connexion rétablie", timeout=15000)
    assert Visit.objects.count() == 2
    for recorded in Visit.objects.all():
        assert (recorded.recorded_at - recorded.occurred_at).total_seconds() >= 1.5
    assert sorted(Ticket.objects.values_list("theme", flat=True)) == ["apprendre", "choisir"]
    # Sending the outbox again (another tab, a retry) changes nothing: the keys are the same.
    desk.reload()
    desk.wait_for_timeout(1500)
    assert Visit.objects.count() == 2
    # The browser reported the failed requests of the cut; they are expected here.
    page_problems[:] = [problem for problem in page_problems if "ERR_INTERNET_DISCONNECTED" not in problem]


@pytest.mark.parametrize("gap", [50, 150, 300, 600])
def test_a_human_double_click_records_one_visitor_and_a_deliberate_second_press_another(desk, gap):
    button = desk.get_by_role("button", name=re.compile("Apprendre un métier"))
    button.click()
    desk.wait_for_timeout(gap)
    button.click()
    expect(button).to_have_attribute("data-recorded", "✓ ×1")
    expect(desk.locator("#desk-status")).to_contain_text("A001")
    desk.wait_for_timeout(1300)  # the feedback is gone: a new press is a new visitor
    assert Visit.objects.count() == 1
    button.click()
    expect(desk.locator("#desk-status")).to_contain_text("A002")
    assert Visit.objects.count() == 2


def test_double_taps_on_a_tablet_record_one_visitor_each(browser, site):
    context = browser.new_context(
        base_url=site, locale="fr-BE", has_touch=True, viewport={"width": 1024, "height": 768}
    )
    tablet = context.new_page()
    sign_in(tablet, staff(Role.RECEPTION_AGENT), PASSWORD)
    tablet.goto("/fr/accueil/")
    for name, gap in (("Choisir son orientation", 120), ("Travailler", 250), ("Bouger", 400)):
        button = tablet.get_by_role("button", name=re.compile(name))
        button.tap()
        tablet.wait_for_timeout(gap)
        button.tap()
        expect(button).to_have_attribute("data-recorded", "✓ ×1")
    tablet.wait_for_timeout(500)
    assert sorted(Visit.objects.values_list("theme", flat=True)) == ["bouger", "choisir", "travailler"]
    context.close()


def test_a_refused_press_is_shown_beside_the_buttons_and_replaces_the_last_success(desk, page_problems):
    desk.get_by_role("button", name=re.compile("Travailler")).click()
    status = desk.locator("#desk-status")
    expect(status).to_contain_text("Enregistré")
    desk.keyboard.press("i")  # general information, while "individual advice" is chosen: refused
    errors = desk.locator("#desk-errors")
    expect(errors).to_contain_text("Non enregistré")
    expect(status).to_be_empty()
    buttons = desk.locator(".theme-buttons").bounding_box()
    shown = errors.bounding_box()
    assert 0 <= shown["y"] - (buttons["y"] + buttons["height"]) < 40  # right under the buttons
    assert shown["y"] + shown["height"] <= 768  # on a 1366×768 screen, without scrolling
    desk.get_by_label("Nombre de personnes").fill("501")
    desk.get_by_role("button", name=re.compile("Bouger")).click()
    expect(errors).to_contain_text("500")
    desk.get_by_label("Nombre de personnes").fill("2")
    desk.get_by_role("button", name=re.compile("Bouger")).click()
    expect(status).to_contain_text("Enregistré")
    expect(errors).to_be_empty()
    assert list(Visit.objects.order_by("id").values_list("theme", "count")) == [
        ("travailler", 1),
        ("bouger", 2),
    ]
    assert axe_violations(desk) == []
    # The browser reports the refusals' answers (422); they are expected here.
    desk.wait_for_timeout(100)  # the console's reports arrive while Playwright is waited on
    page_problems[:] = [problem for problem in page_problems if "422" not in problem]


def test_a_session_ended_in_another_tab_keeps_the_desk_and_its_entries(desk, page_problems):
    desk.set_viewport_size({"width": 1366, "height": 768})
    # What signing out in another tab leaves on the server: no session. (Done here rather than through a
    # second page: opening and closing a page are Playwright calls without a timeout, and one of them
    # once held a CI run until its deadline.)
    Session.objects.all().delete()
    # What the half-minute refresh of the counters does (sooner).
    desk.evaluate("document.body.dispatchEvent(new CustomEvent('capture:recorded', {bubbles: true}))")
    banner = desk.locator("[data-capture-banner]")
    expect(banner).to_contain_text("Votre session a pris fin")
    expect(desk.locator("#desk-counters")).not_to_contain_text("Nom d’utilisateur")
    desk.keyboard.press("c")  # typed next: kept, not lost
    expect(banner.locator("li")).to_have_count(1)
    expect(banner.locator("li")).to_contain_text("Choisir son orientation · Sur place · Français")
    assert Visit.objects.count() == 0
    desk.wait_for_timeout(100)  # the console's reports arrive while Playwright is waited on
    page_problems[:] = [problem for problem in page_problems if "401" not in problem]


def test_the_dutch_desk_has_dutch_shortcuts_and_fits_the_screen(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, staff(Role.RECEPTION_AGENT), PASSWORD)
    page.goto("/nl/onthaal/")
    for button in page.locator(".theme-buttons button").all():
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 768, button.text_content()
    page.keyboard.press("Shift+N")
    page.keyboard.press("7")  # the phone
    expect(page.locator("#channel-phone")).to_be_checked()
    page.keyboard.press("6")  # on site, where advice gets a ticket
    page.keyboard.press("w")  # Werken
    expect(page.locator("#desk-status")).to_contain_text("T001")
    status = page.locator("#desk-status").bounding_box()
    assert status["y"] + status["height"] <= 768
    assert list(Visit.objects.values_list("theme", "channel", "language")) == [
        ("travailler", "on_site", "nl")
    ]
    assert axe_violations(page) == []


def test_the_desk_in_dutch_passes_the_accessibility_scan(page):
    sign_in(page, staff(Role.RECEPTION_AGENT), PASSWORD)
    page.goto("/nl/onthaal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Onthaal")
    assert axe_violations(page) == []


def test_an_adviser_calls_serves_and_ends(page):
    visit(theme="travailler")
    adviser = staff(Role.ADVISER)
    adviser.languages.set(["fr"])
    sign_in(page, adviser, PASSWORD)
    page.goto("/fr/file-d-attente/")
    # Issue 16: setting the desk puts the adviser on duty (the waiting room's estimates count them).
    with translation.override("fr"):
        page.get_by_label(gettext("I'm on duty at desk")).fill("5")
        page.get_by_role("button", name=gettext("Go on duty")).click()
        on_duty = gettext("You are on duty at desk %(desk)s.") % {"desk": "5"}
    expect(page.locator("#queue-panel")).to_contain_text(on_duty)
    page.get_by_role("button", name="Appeler la personne suivante").click()
    expect(page.locator("#queue-panel")).to_contain_text("Vous avez appelé T001.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Commencer l'entretien").click()
    expect(page.get_by_role("link", name="Enregistrer l'entretien")).to_be_visible()
    page.get_by_role("button", name="Terminer sans enregistrer").click()
    expect(page.get_by_role("button", name="Appeler la personne suivante")).to_be_visible()
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.desk) == (TicketStatus.DONE, "5")
    assert ticket.called_at <= ticket.served_at <= ticket.ended_at


@pytest.mark.parametrize("path", ["/fr/salle-d-attente/", "/nl/wachtzaal/"])
def test_the_waiting_room_screen_updates_itself(page, path):
    first = visit(theme="choisir")
    visit(theme="apprendre", language="nl")
    adviser = staff(Role.ADVISER, partner=Partner.objects.get(code="vdab-brussel"))  # choisir, apprendre
    adviser.languages.set(["fr", "nl"])
    services.ticket_call_next(adviser=adviser, desk="2")
    page.goto(path)
    expect(page.locator(".wr-calls .wr-latest")).to_contain_text(first.ticket.label)  # issue 16's screen
    assert axe_violations(page) == []
    services.ticket_end(ticket=services.ticket_start(ticket=first.ticket, adviser=adviser), adviser=adviser)
    services.ticket_call_next(adviser=adviser, desk="2")
    expect(page.locator(".wr-calls .wr-latest")).to_contain_text("A002", timeout=8000)
    expect(page.locator("[data-board-announcement]")).to_have_text(re.compile("A002"), timeout=8000)
