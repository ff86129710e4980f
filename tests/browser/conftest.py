"""Playwright driving Debian's Chromium (never a downloaded browser) against the live test server.

Skipped only where no Chromium is installed; in CI (CI or REQUIRE_BROWSER set) a missing Chromium fails.
"""

import os
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = shutil.which("chromium")
REQUIRED = bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if REQUIRED:
            pytest.fail("Chromium is required here: apt-get install chromium")
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    # Playwright's synchronous API keeps an event loop running in this thread; the ORM calls that the
    # tests make meanwhile are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    before = connections["default"]
    with sync_playwright() as playwright:
        # Playwright's greenlets give the test code a new context, hence a new connection object
        # (Django keeps them in a context-local): hand it the snapshot that serialized rollbacks restore.
        if hasattr(before, "_test_serialized_contents"):
            connections["default"]._test_serialized_contents = before._test_serialized_contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


# The live server speaks plain HTTP. Middleware that reads settings once, when the server starts
# (SecurityMiddleware's redirect and HSTS), must see these then; the `site` fixture sets the rest.
PLAIN_HTTP = {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0}


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, started with the plain-HTTP settings above."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(**PLAIN_HTTP):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def site(live_server, settings, django_db_serialized_rollback):
    """The live server's address; it speaks plain HTTP, so TLS-only settings are relaxed for it."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    settings.LANGUAGE_COOKIE_NAME = "django_language"
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY.replace(
        "; upgrade-insecure-requests", ""
    )
    return live_server.url


class Problems(list):
    """Console errors and uncaught exceptions of a page: a CSP violation is reported there."""


@pytest.fixture
def page_problems():
    return Problems()


@pytest.fixture
def browser_locale():
    return "fr-BE"


@pytest.fixture
def page(browser, site, page_problems, browser_locale):
    context = browser.new_context(base_url=site, locale=browser_locale)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and page_problems.append(message.text))
    page.on("pageerror", lambda error: page_problems.append(str(error)))
    yield page
    context.close()
    assert not page_problems, page_problems


def axe_violations(page) -> list[str]:
    """The WCAG 2.1 A/AA and best-practice violations axe finds on the page, one line each."""
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def sign_in(page, user, password):
    """Signs in through the sign-in page with the keyboard only; then the second factor if the role
    needs one (set up on first use, from the key the page shows)."""
    import time

    from citedesmetiers.accounts import totp

    page.goto("/fr/personnel/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fr/personnel/(connexion/code/)?$"))
    if "/connexion/code/" in page.url:
        key = page.locator("[data-totp-secret]")
        user.refresh_from_db()
        secret = key.get_attribute("data-totp-secret").replace(" ", "") if key.count() else user.totp_secret
        step = totp.step_of(time.time())
        if user.totp_last_step is not None and user.totp_last_step >= step:
            step = user.totp_last_step + 1  # a step is used once; the next one is accepted too
        page.get_by_label("Code de votre application d’authentification").fill(totp.code_at(secret, step))
        page.keyboard.press("Enter")
    page.wait_for_url("**/fr/personnel/")
