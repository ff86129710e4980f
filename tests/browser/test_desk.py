"""The reception desk, the queue and the waiting-room screen in a real browser, with axe scans and a
network cut that the desk must survive without losing or doubling a visit."""

import re
import time

import pytest
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
    page.get_by_label("Votre bureau").fill("5")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#queue-panel")).to_contain_text("Bureau enregistré.")
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
    expect(page.locator(".called-list .latest")).to_contain_text(first.ticket.label)
    assert axe_violations(page) == []
    services.ticket_end(ticket=services.ticket_start(ticket=first.ticket, adviser=adviser), adviser=adviser)
    services.ticket_call_next(adviser=adviser, desk="2")
    expect(page.locator(".called-list .latest")).to_contain_text("A002", timeout=8000)
    expect(page.locator("[data-board-announcement]")).to_have_text(re.compile("A002"), timeout=8000)
