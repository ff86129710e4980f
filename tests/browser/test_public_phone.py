"""The public pages on a 390×844 phone, in French and Dutch (issue 17): the centre's practical
information on the home page, a compact header without the staff sign-in, the agenda's activities on the
first screen with its filters folded, no page that scrolls sideways, and an accessibility scan."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from citedesmetiers import selectors
from citedesmetiers.models import CentreInfo
from tests.browser.conftest import axe_violations
from tests.factories import activity, registration, resource

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
demo = importlib.import_module("citedesmetiers.migrations.0010_practical_information_demo")


def tr(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def phone(browser, site, page_problems, language):
    if not CentreInfo.objects.exists():  # a transactional test before this one may have emptied it
        demo.load(apps, None)
    selectors.reference_cache_clear()
    context = browser.new_context(
        base_url=site,
        locale=f"{language}-BE",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and page_problems.append(message.text))
    page.on("pageerror", lambda error: page_problems.append(str(error)))
    yield page
    context.close()
    assert not page_problems, page_problems


# The elements that stick out on the right, to say what makes a page scroll sideways.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5)
  .map((e) => Math.round(e.getBoundingClientRect().right) + " " + e.outerHTML.slice(0, 120))"""


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_home_page_gives_the_practical_information_under_a_compact_header(phone, language):
    phone.goto(f"/{language}/")
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 90, header
    # Staff sign in from the footer: the public header has no such row.
    expect(
        phone.locator(".site-header").get_by_role("link", name=tr(language, "Staff sign-in"))
    ).to_have_count(0)
    expect(phone.locator("footer").get_by_role("link", name=tr(language, "Staff sign-in"))).to_be_visible()
    # Each language is still named in full for screen readers, with its code on screen.
    expect(phone.locator(".languages").get_by_role("link", name="Nederlands")).to_be_visible()

    practical = phone.locator("section.practical")
    address = "Avenue de l'Astronomie 14" if language == "fr" else "Sterrenkundelaan 14"
    expect(practical).to_contain_text(address)
    expect(practical).to_contain_text("Madou")
    expect(practical.get_by_role("link", name=tr(language, "See it on a map"))).to_be_visible()
    expect(practical.locator(".opening-hours tr")).to_have_count(7)
    today = practical.locator(".centre-today").inner_text()
    open_today = tr(language, "Open today %(opens)s–%(closes)s") % {"opens": "9:00", "closes": "17:00"}
    assert tr(language, "Closed today") in today or open_today in today, today
    expect(phone.locator("footer")).to_contain_text(address)
    # The theme cards lead to the theme's activities and documentation.
    card = phone.locator(".theme-card.theme-travailler")
    card.get_by_role("link", name=tr(language, "Its activities")).click()
    phone.wait_for_url("**theme=travailler")
    assert scroll_width(phone) <= 390
    phone.go_back()
    phone.goto(f"/{language}/")
    assert scroll_width(phone) <= 390
    assert axe_violations(phone) == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_public_page_scrolls_sideways_and_the_agenda_shows_activities_first(phone, language):
    session = activity(
        title_fr="Séance d'information sur les métiers de l'aide aux personnes et de l'accompagnement",
        title_nl="Infosessie over de beroepen in de zorg en de persoonlijke begeleiding",
        theme="travailler",
    )
    person = registration(
        session, email="a.very.long.address.for.a.phone.screen@example.org", language=language
    )
    item = resource(
        url="https://www.actiris.brussels/fr/citoyens/trouver-un-emploi-en-alternance-et-formation/"
    )
    with translation.override(language):
        pages = [
            reverse("home"),
            reverse("activites:agenda"),
            reverse("activites:agenda_activity", args=[session.pk]),
            reverse("activites:registration", args=[person.token]),
            reverse("ressources:catalogue"),
            reverse("ressources:resource", args=[item.pk]),
        ]
    for path in pages:
        phone.goto(path)
        wide = phone.evaluate(WIDER_THAN_THE_SCREEN)
        assert scroll_width(phone) <= 390, (path, wide)
        assert phone.locator(".site-header").bounding_box()["height"] <= 90, path
        assert axe_violations(phone) == [], path

    # The agenda: the filters are folded, the first activity is on the first screen.
    phone.goto(pages[1])
    filters = phone.locator("details.filters-fold")
    expect(filters.get_by_label(tr(language, "Theme"), exact=True)).to_be_hidden()
    first = phone.locator("#agenda-results .agenda-item").first
    assert first.bounding_box()["y"] < 844
    filters.locator("summary").click()
    expect(filters.get_by_label(tr(language, "Theme"), exact=True)).to_be_visible()
    assert scroll_width(phone) <= 390
