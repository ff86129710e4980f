"""The multimedia space's tablet and the public documentation catalogue in a real browser, with axe scans:
every count of the tablet by tapping (a double tap counted once, undo), a network cut that loses and
doubles nothing, and the catalogue's search with htmx (accents ignored, words marked, Back, keyboard only).

The pages are read in English, whose texts are the source strings; the Dutch pages are scanned too."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from citedesmetiers.roles import Role
from ressources.models import DigitalHelp, OccupancySweep, SpaceEntry
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, resource, staff

pytestmark = pytest.mark.browser


def url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(f"ressources:{name}", args=args)


def tab_to(page, target, limit: int = 40) -> None:
    """Presses Tab until `target` has the focus."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} is never reached with Tab")


@pytest.fixture
def tablet(page):
    sign_in(page, staff(Role.DIGITAL_STEWARD), PASSWORD)
    page.goto(url("en", "space"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Multimedia space")
    return page


def people_today(page):
    """The first figure of the side panel: the people who came in today."""
    return page.locator("#space-today .big-figure").first


def test_a_steward_counts_entries_occupancy_and_help_by_tapping(tablet):
    assert axe_violations(tablet) == []
    status = tablet.locator("#desk-status")

    # A double tap while the first is on its way sends one request: the answer is held back meanwhile.
    held, entry_url = [], re.compile(r"/multimedia-space/entry/$")
    tablet.route(entry_url, lambda route: held.append(route))
    plus_one = tablet.get_by_role("button", name="+1 person comes in")
    with tablet.expect_request(entry_url):
        plus_one.dblclick()
    expect(tablet.locator("#space-entry-form")).to_have_attribute("aria-busy", "true")
    tablet.wait_for_timeout(500)  # time enough for a second request, if the page sent one
    assert len(held) == 1
    held[0].continue_()
    expect(status).to_have_text("Recorded: 1 person came in")
    tablet.unroute(entry_url)
    expect(plus_one).to_be_focused()
    expect(people_today(tablet)).to_have_text("1 person came in")
    assert list(SpaceEntry.objects.values_list("count", flat=True)) == [1]

    # A group: the stepper goes from 2 to 4, and back to 2 once the group is recorded.
    group_count = tablet.locator("#group-count")
    expect(group_count).to_have_value("2")
    more = tablet.get_by_role("button", name="One person more")
    more.click()
    more.click()
    expect(group_count).to_have_value("4")
    record_group = tablet.get_by_role("button", name="Record the group")
    record_group.click()
    expect(status).to_have_text("Recorded: a group of 4 came in")
    expect(record_group).to_be_focused()
    expect(group_count).to_have_value("2")
    expect(people_today(tablet)).to_have_text("5 people came in")
    assert sorted(SpaceEntry.objects.values_list("count", flat=True)) == [1, 4]

    # An occupancy count with the steppers.
    steps = [
        ("Computers in use: one more", 3),
        ("Tablets in use: one more", 1),
        ("People in the documentary space: one more", 2),
        ("Computers in use: one fewer", 1),
    ]
    for label, taps in steps:
        for _tap in range(taps):
            tablet.get_by_role("button", name=label).click()
    computers = tablet.get_by_role("spinbutton", name=re.compile(r"^Computers in use"))
    expect(computers).to_have_value("2")
    expect(tablet.get_by_role("spinbutton", name=re.compile(r"^Tablets in use"))).to_have_value("1")
    expect(tablet.get_by_role("spinbutton", name="People in the documentary space")).to_have_value("2")
    record_count = tablet.get_by_role("button", name="Record the count")
    record_count.click()
    counted = "2 on the computers, 1 on the tablets, 2 in the documentary space"
    expect(status).to_have_text(f"Recorded: count: {counted}")
    expect(record_count).to_be_focused()
    expect(computers).to_have_value("0")
    expect(tablet.locator("#space-today")).to_contain_text(counted)
    sweep = OccupancySweep.objects.get()
    assert (sweep.computers, sweep.tablets, sweep.documentary) == (2, 1, 2)

    # Digital help: a duration and a theme chosen, then one tap on the topic records it.
    tablet.locator("label[for=duration-30]").click()
    tablet.locator("label[for=help-theme-travailler]").click()
    topic = tablet.get_by_role("button", name="Applying for a job online")
    topic.click()
    expect(status).to_have_text("Recorded: help: Applying for a job online, 30 min (Work)")
    expect(topic).to_be_focused()
    expect(tablet.locator("#space-today")).to_contain_text("1 person helped (30 min in all)")
    help_given = DigitalHelp.objects.get()
    assert (help_given.topic_id, help_given.theme_id, help_given.duration_minutes) == (
        "online_application",
        "travailler",
        30,
    )
    expect(tablet.locator("#duration-30")).to_be_checked()  # the choices stay for the next person

    # Two separate taps are two entries, the second one with the keyboard: the focus stayed on the button.
    plus_one.click()
    expect(people_today(tablet)).to_have_text("6 people came in")
    expect(plus_one).to_be_focused()
    tablet.keyboard.press("Enter")
    expect(people_today(tablet)).to_have_text("7 people came in")
    assert sorted(SpaceEntry.objects.values_list("count", flat=True)) == [1, 1, 1, 4]

    # The last entry undone from the list of this person's entries.
    recent = tablet.locator("#desk-recent li")
    expect(recent).to_have_count(6)
    newest = SpaceEntry.objects.latest("recorded_at", "pk")
    recent.first.get_by_role("button", name=re.compile("Undo")).click()
    expect(status).to_have_text("Entry undone.")
    expect(people_today(tablet)).to_have_text("6 people came in")
    expect(recent.first).to_contain_text("undone")
    expect(recent.first.get_by_role("button")).to_have_count(0)
    newest.refresh_from_db()
    assert newest.cancelled
    assert SpaceEntry.objects.filter(cancelled_at__isnull=True).count() == 3
    assert axe_violations(tablet) == []


def test_a_network_cut_on_the_tablet_loses_nothing_and_doubles_nothing(tablet, page_problems):
    tablet.context.set_offline(True)
    tablet.get_by_role("button", name="+1 person comes in").click()
    banner = tablet.locator("[data-capture-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("No connection: 1 entry kept on this device.")
    tablet.get_by_role("button", name="One person more").click()
    tablet.get_by_role("button", name="Record the group").click()
    expect(banner).to_contain_text("No connection: 2 entries kept on this device.")
    expect(banner.locator("li")).to_have_count(2)
    expect(tablet.locator("#group-count")).to_have_value("2")
    assert SpaceEntry.objects.count() == 0
    time.sleep(2)  # the entries wait a little, so that their own time differs from their arrival

    tablet.context.set_offline(False)
    tablet.evaluate("window.dispatchEvent(new Event('online'))")  # as a tablet does when its Wi-Fi is back
    expect(banner).to_contain_text(
        "Connection back: the entries kept on this device have been sent.", timeout=15000
    )
    expect(banner.locator("li")).to_have_count(0)
    expect(people_today(tablet)).to_have_text("4 people came in")
    assert sorted(SpaceEntry.objects.values_list("count", flat=True)) == [1, 3]
    for recorded in SpaceEntry.objects.all():
        assert (recorded.recorded_at - recorded.occurred_at).total_seconds() >= 1.5

    # Another flush (another online event, a reload) sends nothing again.
    tablet.evaluate("window.dispatchEvent(new Event('online'))")
    tablet.reload()
    expect(banner).to_be_hidden()
    tablet.wait_for_timeout(1500)
    assert SpaceEntry.objects.count() == 2
    # The browser reported the failed requests of the cut; they are expected here.
    page_problems[:] = [problem for problem in page_problems if "ERR_INTERNET_DISCONNECTED" not in problem]


def test_the_tablet_in_dutch_passes_the_accessibility_scan(page):
    sign_in(page, staff(Role.DIGITAL_STEWARD), PASSWORD)
    page.goto(url("nl", "space"))
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.locator("#space-entry-form")).to_be_visible()
    assert axe_violations(page) == []


def three_resources():
    resource(
        title_fr="Métiers de l'électricité",
        title_nl="Beroepen in de elektriciteit",
        summary_fr="Électricien, installateur : les études et les débouchés.",
        summary_nl="Elektricien, installateur: de studies en de jobs.",
        themes=["choisir"],
    )
    resource(
        title_fr="Travailler à l'étranger",
        title_nl="Werken in het buitenland",
        summary_fr="EURES, volontariat et stages en Europe.",
        summary_nl="EURES, vrijwilligerswerk en stages in Europa.",
        themes=["bouger"],
    )
    resource()  # Trouver une formation en alternance


def search(page, words: str, *, by_keyboard: bool = False) -> None:
    """Types words in the search box and presses Enter: htmx swaps the results and pushes the address."""
    box = page.get_by_role("searchbox")
    page.evaluate("window.sameDocument = true")  # gone if the browser loaded a new page instead
    if by_keyboard:
        tab_to(page, box)
        page.keyboard.type(words)
    else:
        box.fill(words)
    with page.expect_response(
        lambda response: "q=" in response.url and response.request.headers.get("hx-request")
    ) as swapped:
        page.keyboard.press("Enter")
    assert swapped.value.ok
    assert page.evaluate("window.sameDocument") is True


def test_anyone_searches_the_catalogue_without_accents_and_goes_back(page):
    three_resources()
    page.goto(url("en", "catalogue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation")
    results = page.locator("#catalogue-results .resource-item")
    count = page.locator("#catalogue-status")
    expect(results).to_have_count(3)
    expect(count).to_have_text("3 resources")
    assert axe_violations(page) == []

    search(page, "electricite")
    expect(page).to_have_url(re.compile(r"\?(.+&)?q=electricite(&|$)"))
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("heading", level=3)).to_have_text("Métiers de l'électricité")
    expect(results.first.get_by_role("heading", level=3).locator("mark")).to_have_text("électricité")
    expect(count).to_have_text("1 resource found for “electricite”")
    expect(page.locator("#catalogue-results")).not_to_contain_text("Travailler à l'étranger")
    assert axe_violations(page) == []

    page.go_back()
    expect(page).to_have_url(re.compile(r"/documentation/$"))
    expect(results).to_have_count(3)
    expect(count).to_have_text("3 resources")
    expect(page.locator("#catalogue-results mark")).to_have_count(0)
    expect(page.get_by_role("searchbox")).to_have_value("")
    assert axe_violations(page) == []


def test_the_catalogue_with_the_keyboard_only(page):
    three_resources()
    page.goto(url("en", "catalogue"))
    expect(page.locator("#catalogue-results .resource-item")).to_have_count(3)
    search(page, "etranger", by_keyboard=True)
    expect(page).to_have_url(re.compile(r"\?(.+&)?q=etranger(&|$)"))
    results = page.locator("#catalogue-results .resource-item")
    expect(results).to_have_count(1)
    expect(results.first.locator("h3 mark")).to_have_text("étranger")
    expect(page.locator("#catalogue-status")).to_have_text("1 resource found for “etranger”")
    # The result's link comes next in the tab order, and Enter opens the resource.
    link = results.first.get_by_role("link", name="Travailler à l'étranger")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Travailler à l'étranger")
    assert axe_violations(page) == []


@pytest.mark.parametrize("browser_locale", ["nl-BE"])
def test_the_catalogue_in_dutch_marks_the_dutch_title(page):
    three_resources()
    page.goto(url("nl", "catalogue"))
    assert page.locator("html").get_attribute("lang") == "nl"
    search(page, "elektriciteit", by_keyboard=True)
    results = page.locator("#catalogue-results .resource-item")
    expect(results).to_have_count(1)
    expect(results.first.locator("h3")).to_have_text("Beroepen in de elektriciteit")
    expect(results.first.locator("h3 mark")).to_have_text("elektriciteit")
    expect(page.locator("#catalogue-status")).to_have_text(re.compile(r"^1\b.*elektriciteit"))
    assert axe_violations(page) == []
