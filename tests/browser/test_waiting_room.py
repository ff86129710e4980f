"""The waiting-room screen on a TV (docs/reception.md, "The waiting-room screen"), in French and Dutch: 40
people in 12 groups fit 1920×1080 and 1280×720 with nothing cut or scrolled out of view; a new
call is shown full screen with its chime (the Web Audio API, stubbed here to count its tones) and calls
already on the screen are not announced again; axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from accueil import services
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import staff, visit

pytestmark = pytest.mark.browser

URLS = {"fr": "/fr/salle-d-attente/", "nl": "/nl/wachtzaal/"}
# 12 groups (theme, language) and how many people wait in each: 40 in all.
GROUPS = [
    ("choisir", "fr", 6),
    ("choisir", "nl", 4),
    ("choisir", "ar", 2),
    ("apprendre", "fr", 5),
    ("apprendre", "en", 3),
    ("apprendre", "es", 2),
    ("travailler", "fr", 5),
    ("travailler", "nl", 4),
    ("travailler", "tr", 2),
    ("bouger", "fr", 3),
    ("bouger", "ro", 2),
    ("entreprendre", "pl", 2),
]

# Every piece of the page that is shown lies inside the viewport; no box scrolls or cuts its content.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const [width, height] = [window.innerWidth, window.innerHeight];
  const page = document.scrollingElement;
  if (page.scrollHeight > height || page.scrollWidth > width) {
    problems.push(`page scrolls: ${page.scrollWidth}×${page.scrollHeight}`);
  }
  for (const element of document.querySelectorAll("body *")) {
    if (!element.checkVisibility() || element.closest(".visually-hidden")) continue;
    const box = element.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.bottom > height + 0.5 || box.right > width + 0.5 || box.top < -0.5 || box.left < -0.5) {
      const where = [box.left, box.top, box.right, box.bottom].map(Math.round).join(",");
      problems.push(`${element.tagName}.${element.className} at ${where}`);
    }
  }
  const boxes = ".wr-called, .wr-waiting, .wr-themes, .wr-calls, .wr-theme, .wr-chip";
  for (const element of document.querySelectorAll(boxes)) {
    if (!element.checkVisibility()) continue;
    if (element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1) {
      const inside = `${element.scrollWidth}×${element.scrollHeight}`;
      problems.push(`${element.className} cuts ${inside} to ${element.clientWidth}×${element.clientHeight}`);
    }
  }
  return problems;
}"""

# A Web Audio stand-in counting the tones played; "suspended" until resumed, as before any click.
AUDIO_STUB = """
window.__tones = 0;
window.AudioContext = class {
  constructor() {
    Object.assign(this, { state: "suspended", currentTime: 0, destination: {}, listeners: [] });
  }
  addEventListener(name, listener) { this.listeners.push(listener); }
  resume() {
    this.state = "running";
    this.listeners.forEach((listener) => listener());
    return Promise.resolve();
  }
  createOscillator() {
    window.__tones += 1;
    return { type: "", frequency: { value: 0 }, connect() {}, start() {}, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} };
  }
};
"""


def adviser(languages=("fr", "nl"), desk="4"):
    person = staff(Role.ADVISER)
    person.languages.set(languages)
    services.duty_start(adviser=person, desk=desk)
    return person


@pytest.fixture
def busy_day():
    """40 people in 12 groups, two advisers on duty (one called someone: 39 left waiting)."""
    reception = staff(Role.RECEPTION_AGENT)
    for theme, language, people in GROUPS:
        for _ in range(people):
            visit(user=reception, theme=theme, language=language)
    first = adviser(desk="4")
    adviser(languages=("fr", "en"), desk="12")
    services.ticket_call_next(adviser=first, desk="4")
    return first


# The largest and the smallest screens a waiting room uses (a full-HD TV, a 720p one); a 1366×768 screen lies
# between them, and the layout scales with the viewport.
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_forty_people_in_twelve_groups_fit_the_tv_with_nothing_cut(page, busy_day, language, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(URLS[language])
    themes = page.locator(".wr-theme")
    expect(themes.first).to_be_visible()
    assert themes.count() == 5  # the 12 groups by theme
    seen = set()
    pages = int(
        page.evaluate(
            "Math.max(...[...document.querySelectorAll('.wr-theme')].map((t) => +t.dataset.page)) + 1"
        )
    )
    for shown in range(pages):
        if pages > 1:
            expect(page.locator("[data-page-indicator]")).to_have_text(f"{shown + 1}/{pages}", timeout=9000)
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        seen |= {
            themes.nth(i).get_attribute("class") for i in range(themes.count()) if themes.nth(i).is_visible()
        }
    assert len(seen) == 5  # every theme shown, page after page
    # French and Dutch are equals: the same size and weight, on either address.
    sizes = page.evaluate(
        """() => ["fr", "nl", "en"].map((lang) => {
             const style = getComputedStyle(document.querySelector(`.wr-theme-name [lang=${lang}]`));
             return [parseFloat(style.fontSize), style.fontWeight];
           })"""
    )
    assert sizes[0] == sizes[1]
    assert sizes[2][0] < sizes[0][0]
    # Where nobody on duty speaks the language: no estimate, "ask at reception".
    arabic = page.locator(".wr-chip", has=page.locator('[lang="ar"]'))
    expect(arabic).to_have_class(re.compile("wr-chip-ask"))
    expect(arabic.locator(".wr-chip-wait")).to_have_count(0)
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_call_is_seen_and_heard_once(page, busy_day, language):
    page.add_init_script(AUDIO_STUB)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(URLS[language])
    overlay = page.locator("[data-call-overlay]")
    # The call already on the screen when it loads is not announced again.
    page.wait_for_timeout(3500)  # one refresh
    expect(overlay).to_be_hidden()
    assert page.evaluate("window.__tones") == 0
    # Until someone clicks, the browser keeps the TV silent: a discreet button says so.
    sound = page.locator("[data-sound-enable]")
    expect(sound).to_be_visible()
    sound.click()
    expect(sound).to_be_hidden()

    other = staff(Role.ADVISER)
    other.languages.set(["fr"])
    called = services.ticket_call_next(adviser=other, desk="7")
    expect(overlay).to_be_visible(timeout=6000)
    expect(overlay.locator("[data-call-number]")).to_have_text(called.label)
    expect(overlay.locator("[data-call-desk]")).to_have_text("7")
    assert page.evaluate("document.body.dataset.chimed") == "1"
    assert page.evaluate("window.__tones") == 2  # two bell tones
    box = overlay.locator("[data-call-number]").bounding_box()
    assert box["height"] > 250  # large: seen across the room
    assert page.evaluate("document.querySelector('[data-board-announcement]').textContent").startswith(
        called.label
    )
    assert axe_violations(page) == []
    expect(overlay).to_be_hidden(timeout=9000)
    # A recall is announced again.
    services.ticket_recall(ticket=called, adviser=other)
    expect(overlay).to_be_visible(timeout=6000)
    assert page.evaluate("document.body.dataset.chimed") == "2"
