"""The adviser's consultation and the person's questionnaire in a real browser, French and Dutch, with
axe scans: the second factor, calling, recording from the ticket, the QR code, answering on a phone."""

import re
import time

import pytest
from playwright.sync_api import expect

from accueil.models import Ticket, TicketStatus
from citedesmetiers.accounts import totp
from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from conseil import services
from conseil.models import Consultation, QuestionnaireAnswer
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, consultation, staff, visit

pytestmark = pytest.mark.browser


SIGN_IN = {
    "fr": ("/fr/personnel/connexion/", "Nom d’utilisateur", "Code de votre application d’authentification"),
    "nl": ("/nl/personeel/aanmelden/", "Gebruikersnaam", "Code van uw authenticatie-app"),
}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_adviser_sets_up_the_second_factor_on_an_accessible_page(page, language):
    path, username, code_label = SIGN_IN[language]
    adviser = staff(Role.ADVISER)
    page.goto(path)
    page.get_by_label(username).fill(adviser.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("[data-totp-secret]")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    page.get_by_label(code_label).fill("000000")
    page.keyboard.press("Enter")
    expect(page.locator(".field-invalid .errors")).to_be_visible()
    assert axe_violations(page) == []
    secret = page.locator("[data-totp-secret]").get_attribute("data-totp-secret").replace(" ", "")
    page.get_by_label(code_label).fill(totp.code_at(secret, totp.step_of(time.time())))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{language}/{path.split('/')[2]}/")
    adviser.refresh_from_db()
    assert adviser.totp_confirmed_at is not None


def test_an_adviser_records_the_consultation_of_the_person_called(page):
    visit(theme="travailler")
    adviser = staff(Role.ADVISER)
    adviser.languages.set(["fr"])
    sign_in(page, adviser, PASSWORD)
    page.goto("/fr/file-d-attente/")
    page.get_by_label("Je suis en service au bureau").fill("2")
    page.get_by_role("button", name="Prendre mon service").click()
    page.get_by_role("button", name="Appeler la personne suivante").click()
    page.get_by_role("button", name="Commencer l'entretien").click()
    page.get_by_role("link", name="Enregistrer l'entretien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un entretien")
    expect(page.get_by_role("radio", name="Travailler")).to_be_checked()
    # Only the topics of the chosen theme are offered; choosing another theme shows its own.
    expect(page.get_by_label("CV et lettre de motivation")).to_be_visible()
    expect(page.get_by_label("Plan d'affaires")).to_be_hidden()
    page.get_by_label("CV et lettre de motivation").check()
    page.get_by_text("La personne (facultatif, anonyme)").click()
    page.get_by_label("Genre").select_option("woman")
    page.get_by_label("Suivi proposé").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Entretien enregistré.")
    assert axe_violations(page) == []
    recorded = Consultation.objects.get()
    assert (recorded.theme_id, recorded.gender_id, recorded.follow_up) == ("travailler", "woman", True)
    assert list(recorded.topics.values_list("code", flat=True)) == ["cv_letter"]
    assert Ticket.objects.get().status == TicketStatus.DONE
    assert recorded.ticket == Ticket.objects.get()

    page.get_by_role("button", name="Questionnaire pour cette personne").click()
    qr = page.get_by_role("img", name="Code QR du questionnaire")
    expect(qr).to_be_visible()
    assert axe_violations(page) == []
    short_link = page.locator(".short-link a").inner_text()
    assert re.search(r"/q/[2-9A-Z]{8}/$", short_link)


@pytest.mark.parametrize("browser_locale", ["nl-BE"])
def test_a_person_answers_on_their_phone_in_dutch(page, site):
    code = services.questionnaire_code_create(service="advice")
    page.goto(f"/q/{code.code}/")
    page.wait_for_url(f"**/nl/vragenlijst/{code.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe is het verlopen?")
    assert axe_violations(page) == []
    page.get_by_label("Zeer tevreden").check()
    page.get_by_role("group", name="Hebt u gevonden wat u zocht?").get_by_label("Ja").check()
    page.get_by_role("group", name="Is dit uw eerste bezoek?").get_by_label("Ja").check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt!")
    assert axe_violations(page) == []
    answer = QuestionnaireAnswer.objects.get()
    assert (answer.language, answer.satisfaction, answer.found, answer.first_visit) == ("nl", 4, "yes", True)
    page.goto(f"/nl/vragenlijst/{code.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Al ingevuld")


def test_the_exit_tablet_in_french(page, settings):
    settings.QUESTIONNAIRE_KIOSK_NETWORKS = ["127.0.0.0/8", "::1/128"]  # the test server's own address
    page.goto("/fr/questionnaire/tablette/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment cela s'est-il passé ?")
    page.get_by_label("Espace multimédia et documentaire").check()
    page.get_by_label("Satisfait·e", exact=True).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("link", name="Personne suivante")).to_be_visible()
    answer = QuestionnaireAnswer.objects.get()
    assert (answer.service, answer.satisfaction, answer.language) == ("multimedia", 3, "fr")


@pytest.mark.parametrize(("language", "path"), [("fr", "/fr/conseils/"), ("nl", "/nl/adviezen/")])
def test_a_partner_lead_reads_the_institutions_consultations(page, language, path):
    consultation()
    consultation(adviser=staff(Role.ADVISER, partner=Partner.objects.get(code="vdab-brussel")))
    lead = staff(Role.PARTNER_LEAD)
    sign_in(page, lead, PASSWORD)
    page.goto(path)
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(1)
    assert axe_violations(page) == []
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        {"fr": "Entretien", "nl": "Gesprek"}[language]
    )
    assert axe_violations(page) == []
    page.get_by_role("link", name={"fr": "Corriger", "nl": "Corrigeren"}[language]).click()
    page.get_by_label({"fr": "Durée (minutes)", "nl": "Duur (minuten)"}[language]).fill("45")
    assert axe_violations(page) == []
    page.get_by_role("button", name={"fr": "Enregistrer", "nl": "Opslaan"}[language], exact=True).click()
    expect(page.locator(".history")).to_contain_text("45")
    assert Consultation.objects.filter(duration_minutes=45).count() == 1
