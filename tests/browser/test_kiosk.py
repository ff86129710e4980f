"""The self-service kiosk on its 1080×1920 portrait touch screen, in French and Dutch: language, theme,
ticket; a double tap is one ticket; a network cut loses and doubles nothing; back to the start."""

import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accueil import services, views
from accueil.models import Ticket, Visit
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

PORTRAIT = {"width": 1080, "height": 1920}
CODES = {"Français": "fr", "Nederlands": "nl"}


def path(name: str, language: str = "fr") -> str:
    """The address of a kiosk page in a language (the paths are translated: /fr/borne/, /nl/zuil/)."""
    with translation.override(language):
        return reverse(f"accueil:{name}")


def at(name: str, language: str = "fr") -> re.Pattern:
    return re.compile(re.escape(path(name, language)) + "$")


@pytest.fixture
def kiosk(browser, site, settings, page_problems):
    settings.RECEPTION_KIOSK_NETWORKS = ["127.0.0.0/8", "::1/128"]
    cache.clear()  # the tickets a minute counted for this address by the tests before
    context = browser.new_context(base_url=site, locale="fr-BE", has_touch=True, viewport=PORTRAIT)
    screen = context.new_page()
    screen.on("console", lambda message: message.type == "error" and page_problems.append(message.text))
    screen.on("pageerror", lambda error: page_problems.append(str(error)))
    screen.goto(path("kiosk"))
    yield screen
    context.close()
    assert not page_problems, page_problems


def choose(screen, language: str) -> None:
    """Taps a language on the start screen and waits for the themes."""
    screen.get_by_role("link", name=re.compile(language)).tap()
    screen.wait_for_url(at("kiosk_themes", CODES[language]))
    screen.wait_for_load_state()


def fits(screen, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PORTRAIT["height"]


@pytest.mark.parametrize(
    ("language", "name", "theme", "label"),
    [("fr", "Français", "Travailler", "T001"), ("nl", "Nederlands", "Kiezen", "C001")],
)
def test_language_then_theme_gives_a_ticket_and_the_screen_returns_to_the_start(
    kiosk, monkeypatch, language, name, theme, label
):
    assert axe_violations(kiosk) == []
    choice = kiosk.get_by_role("link", name=re.compile(name))
    assert choice.get_attribute("lang") == language
    assert choice.bounding_box()["height"] >= 48
    choice.tap()
    kiosk.wait_for_url(at("kiosk_themes", language))
    assert kiosk.locator("html").get_attribute("lang") == language
    buttons = kiosk.locator("button[name=theme]")
    expect(buttons).to_have_count(5)
    for index in range(5):
        assert buttons.nth(index).bounding_box()["height"] >= 48
        assert fits(kiosk, buttons.nth(index))  # every theme on the screen, no scrolling
    assert axe_violations(kiosk) == []
    monkeypatch.setattr(views, "KIOSK_TICKET_SECONDS", 3)
    kiosk.get_by_role("button", name=re.compile(theme)).tap()
    number = kiosk.locator("[data-kiosk-number]")
    expect(number).to_have_text(label)
    assert fits(kiosk, number)
    expect(kiosk.locator(".ticket-qr svg")).to_have_count(1)  # the phone page's QR code
    assert axe_violations(kiosk) == []
    ticket = Ticket.objects.select_related("visit").get()
    assert (ticket.visit.channel_id, ticket.language_id, ticket.label) == ("kiosk", language, label)
    # Nobody touches the screen: back to the start for the next person.
    kiosk.wait_for_url(at("kiosk"), timeout=8000)
    expect(kiosk.get_by_role("link", name=re.compile("Nederlands"))).to_be_visible()


def test_done_returns_to_the_start_at_once(kiosk):
    choose(kiosk, "Français")
    kiosk.get_by_role("button", name=re.compile("Apprendre")).tap()
    expect(kiosk.locator("[data-kiosk-number]")).to_have_text("A001")
    kiosk.locator(".kiosk-done").tap()
    kiosk.wait_for_url(at("kiosk"))


@pytest.mark.parametrize("gap", [50, 150, 300, 600])
def test_a_double_tap_gives_one_ticket(kiosk, monkeypatch, gap):
    # The server takes a moment to answer, so that the second tap lands while the first is on its way.
    record = services.visit_create

    def slow_record(**kwargs):
        time.sleep(0.8)
        return record(**kwargs)

    monkeypatch.setattr(services, "visit_create", slow_record)
    choose(kiosk, "Nederlands")
    box = kiosk.get_by_role("button", name=re.compile("Leren")).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    kiosk.touchscreen.tap(x, y)
    kiosk.wait_for_timeout(gap)
    kiosk.touchscreen.tap(x, y)
    expect(kiosk.locator("[data-kiosk-number]")).to_have_text("A001")
    kiosk.wait_for_timeout(500)
    assert Visit.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_a_network_cut_shows_one_moment_and_gives_one_ticket_when_it_is_back(kiosk, page_problems):
    choose(kiosk, "Français")
    kiosk.context.set_offline(True)
    kiosk.get_by_role("button", name=re.compile("Bouger")).tap()
    status = kiosk.locator("#kiosk-status")
    expect(status).not_to_be_empty()
    expect(kiosk.locator("form[data-kiosk-form]")).to_have_attribute("aria-busy", "true")
    kiosk.wait_for_timeout(2500)
    assert Visit.objects.count() == 0
    kiosk.context.set_offline(False)
    expect(kiosk.locator("[data-kiosk-number]")).to_have_text("B001", timeout=10000)
    assert Ticket.objects.count() == 1
    page_problems[:] = [problem for problem in page_problems if "ERR_INTERNET_DISCONNECTED" not in problem]


def test_during_a_cut_the_kiosk_stays_on_its_page_instead_of_an_error_page(kiosk, page_problems):
    choose(kiosk, "Français")
    kiosk.get_by_role("button", name=re.compile("Entreprendre")).tap()
    expect(kiosk.locator("[data-kiosk-number]")).to_have_text("E001")
    kiosk.context.set_offline(True)
    kiosk.locator(".kiosk-done").tap()
    kiosk.wait_for_timeout(1000)
    expect(kiosk.locator("[data-kiosk-number]")).to_have_text("E001")  # not the browser's error page
    kiosk.context.set_offline(False)
    kiosk.locator(".kiosk-done").tap()
    kiosk.wait_for_url(at("kiosk"))
    page_problems[:] = [problem for problem in page_problems if "ERR_INTERNET_DISCONNECTED" not in problem]
