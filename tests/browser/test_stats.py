"""The director's dashboard and the printable report in a real browser, with axe scans: a period chosen
with the picker, the drill-down by theme and by month, the report in English and in Dutch."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from citedesmetiers.roles import Role
from stats import periods
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, staff, visit
from tests.stats.conftest import at, march  # noqa: F401 — the small centre whose figures are known

pytestmark = pytest.mark.browser


def url(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(f"stats:{name}")


@pytest.fixture
def director(page, march):  # noqa: F811
    sign_in(page, staff(Role.DIRECTOR), PASSWORD)
    return page


def key_figure(page, label: str):
    return (
        page.locator(".key-figure")
        .filter(has=page.get_by_text(label, exact=True))
        .locator(".key-figure-value")
    )


def test_the_director_reads_a_month_then_a_quarter_then_one_theme(director):
    page = director
    page.goto(url("en", "dashboard") + "?period=2026-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Figures and annual report")
    expect(key_figure(page, "People in contact with the centre")).to_have_text("19")
    expect(key_figure(page, "Individual advice sessions")).to_have_text("5")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Year", exact=True).select_option("2026")
    page.get_by_label("Part", exact=True).select_option("Q1")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".period-title")).to_contain_text("Quarter 1 of 2026")
    expect(key_figure(page, "Activity participants")).to_have_text("12")

    page.get_by_role("link", name="Work", exact=True).click()
    table = page.get_by_role("table", name="Work, month by month — Quarter 1 of 2026")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("link", name="March 2026").click()
    expect(page.locator(".period-title")).to_contain_text("March 2026")
    assert axe_violations(page) == []


def test_the_printable_report_in_english_and_in_dutch(director):
    page = director
    page.goto(url("en", "dashboard") + "?period=2026-03")
    page.get_by_role("link", name="Printable report (English)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly report March 2026")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert axe_violations(page) == []
    page.goto(url("en", "report") + "?period=2026-03&lang=nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maandverslag maart 2026")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("language", "dashboard", "visits", "change"),
    [
        ("fr", "Visites par mois", "mars 2026", "+200,0\u00a0%"),
        ("nl", "Bezoeken per maand", "maart 2026", "+200,0\u00a0%"),
    ],
)
def test_the_dashboard_compares_the_same_days_and_month_with_month(
    director, language, dashboard, visits, change
):
    """It opens on this year to date against the same days a year earlier; a quarter's visits by month
    set March 2026 beside March 2025 (4 visits then, 12 now)."""
    page = director
    visit(orientation="multimedia", count=4, now=at(2025, 3, 12, 10))
    page.goto(url(language, "dashboard"))
    with translation.override(language):
        comparison = periods.compare(periods.default())
        label, description = comparison.label, comparison.description
    expect(page.locator(".period-title")).to_have_text(label)
    expect(page.locator(".period-compared")).to_have_text(description)
    expect(page.locator(".internal-note")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(url(language, "dashboard") + "?period=2026-Q1")
    table = page.get_by_role("table", name=dashboard)
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=visits, exact=True))
    expect(row.get_by_role("cell")).to_have_text(["12", "4", change])
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_the_director_previews_the_pdf_page_by_page(director, viewport):
    """From the dashboard to the Dutch edition's preview: the progress is announced while the PDF is laid
    out, then its pages appear, each a picture that says which page it is; the PDF is one click away."""
    page = director
    page.set_viewport_size(viewport)
    page.goto(url("en", "dashboard") + "?period=2026-03")
    page.get_by_role("link", name="PDF, preview page by page (Nederlands)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the annual report March 2026")
    expect(page.get_by_role("link", name="Download the PDF (Nederlands)")).to_be_visible()
    pages = page.locator(".preview-pages img")
    expect(pages.first).to_be_visible(timeout=60_000)
    count = pages.count()
    assert count >= 8
    expect(page.get_by_role("status")).to_contain_text(f"{count} pages")
    expect(pages.nth(count - 1)).to_have_attribute("alt", f"Page {count} of {count} of the PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
    assert axe_violations(page) == []
