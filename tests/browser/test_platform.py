"""The platform in a real browser: accessible pages in French and Dutch, keyboard sign-in, language
switch, the session warning, and no CSP violation anywhere."""

import re

import pytest
from playwright.sync_api import expect

from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/personnel/connexion/"])
def test_public_pages_have_no_accessibility_violation(page, language, path):
    if language != "fr":
        path = path.replace(
            "personnel/connexion", {"nl": "personeel/aanmelden", "en": "staff/sign-in"}[language]
        )
    page.goto(path.format(lang=language))
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


@pytest.mark.parametrize("browser_locale", ["nl-BE"])
def test_the_root_opens_in_the_browser_language(page):
    page.goto("/")
    assert page.url.endswith("/nl/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Uw vragen")


def test_the_first_tab_reaches_the_skip_link_which_moves_to_the_content(page):
    page.goto("/fr/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu principal")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_language_switcher_keeps_the_same_page(page):
    page.goto("/fr/personnel/connexion/")
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_url("**/nl/personeel/aanmelden/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelden voor medewerkers"


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.COORDINATOR])
def test_signing_in_with_the_keyboard_leads_to_an_accessible_staff_home_and_guide(page, role):
    user = staff(role)
    sign_in(page, user, PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == f"Bonjour {user.first_name}"
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Lire le guide ({role.label})").click()
    page.wait_for_url(f"**/fr/personnel/aide/#{role.value}")
    expect(page.get_by_role("heading", level=2, name=str(role.label))).to_be_in_viewport()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/fr/")
    expect(page.get_by_role("link", name="Connexion du personnel")).to_be_visible()


def test_a_wrong_password_is_announced(page):
    user = staff(Role.DIRECTOR)
    page.goto("/nl/personeel/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("not-the-password")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []


def test_the_session_warning_lets_people_stay_then_signs_them_out(page, settings):
    settings.SESSION_IDLE_TIMEOUT = 5
    settings.SESSION_WARNING_SECONDS = 4
    sign_in(page, staff(Role.ADVISER), PASSWORD)
    dialog = page.get_by_role("dialog", name="Votre session va se terminer")
    dialog.wait_for(state="visible", timeout=5000)
    assert re.search(r"\d:\d\d", dialog.inner_text())
    assert axe_violations(page) == []
    stay = dialog.get_by_role("button", name="Rester connecté·e")
    assert stay.evaluate("element => element === document.activeElement")
    stay.click()
    dialog.wait_for(state="hidden", timeout=2000)
    # Left alone, the warning comes back, then the session ends on the sign-in page, explained.
    page.wait_for_url("**/personnel/connexion/**", timeout=15000)
    expect(page.get_by_text("Votre session a pris fin pour votre sécurité.")).to_be_visible()


def test_the_back_office_works_under_the_content_security_policy(page):
    sign_in(page, staff(Role.COORDINATOR), PASSWORD)
    page.get_by_role("link", name="Institutions partenaires").click()
    page.get_by_role("link", name="Actiris", exact=True).click()
    page.get_by_role("button", name=re.compile("Enregistrer et continuer")).click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()
