"""The documentation search on a 390×844 phone, in French and Dutch, on the demo catalogue (about 280
resources and the demo synonyms), with axe scans: a typo corrected or a "Did you mean", a feminine
plural that finds the masculine, and a Dutch word that finds the French resources through a synonym,
after the Dutch ones. No page scrolls sideways."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from citedesmetiers.roles import Role
from ressources import demo
from tests.browser.conftest import axe_violations
from tests.factories import staff

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, site, page_problems, language):
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
    demo.demo_catalogue_create(user=staff(Role.COORDINATOR), now=timezone.now())
    with translation.override(language):
        page.goto(reverse("ressources:catalogue"))
    yield page
    context.close()
    assert not page_problems, page_problems


def search(page, words: str) -> None:
    """Types the words and presses Enter: htmx swaps the results (the address follows)."""
    page.get_by_role("searchbox").fill(words)
    with page.expect_response(
        lambda response: "q=" in response.url and response.request.headers.get("hx-request")
    ):
        page.keyboard.press("Enter")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def results(page):
    return page.locator("#catalogue-results .resource-item")


@pytest.mark.parametrize(
    ("language", "typo", "corrected"), [("fr", "formtion", "formation"), ("nl", "opleidng", "opleiding")]
)
def test_a_typo_is_searched_corrected_and_said_so(phone, typo, corrected):
    search(phone, typo)
    note = phone.locator(".search-corrected")
    expect(note.locator("strong")).to_have_text(corrected)
    expect(note).to_contain_text(typo)
    expect(results(phone).first.locator("mark").first).to_be_visible()
    expect(phone.locator("#catalogue-status")).to_contain_text(corrected)
    assert fits(phone)
    assert axe_violations(phone) == []


@pytest.mark.parametrize("language", ["fr"])
def test_an_ambiguous_typo_gets_did_you_mean(phone):
    search(phone, "aidr")
    suggestion = phone.locator(".search-suggestion a")
    expect(suggestion).to_have_text("aide")
    assert axe_violations(phone) == []
    suggestion.click()
    expect(phone).to_have_url(re.compile(r"\?(.+&)?q=aide(&|$)"))
    expect(results(phone).first).to_be_visible()
    expect(phone.locator(".search-suggestion")).to_have_count(0)
    assert fits(phone)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_feminine_plural_finds_the_resource(phone, language):
    search(phone, "infirmières")
    titles = results(phone).locator("h3")
    expected = "Devenir infirmier ou infirmière" if language == "fr" else "Verpleegkundige worden"
    expect(titles.first).to_contain_text(expected)
    if language == "fr":
        expect(titles.first.locator("mark")).to_have_text(["infirmier", "infirmière"])
    assert fits(phone)
    assert axe_violations(phone) == []


@pytest.mark.parametrize("language", ["nl"])
def test_a_dutch_word_finds_the_french_resources_through_a_synonym_after_the_dutch_ones(phone):
    search(phone, "verpleger")  # in no resource: a synonym of verpleegkundige and infirmier
    expect(results(phone)).to_have_count(5)
    languages = (
        results(phone)
        .locator(".meta span[lang]")
        .evaluate_all("spans => spans.map(span => span.getAttribute('lang'))")
    )
    assert "fr" in languages
    assert languages == sorted(languages, key=lambda code: code != "nl"), languages
    expect(results(phone).first.locator("h3 mark")).to_have_text("Verpleegkundige")
    assert fits(phone)
    assert axe_violations(phone) == []
