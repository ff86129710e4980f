"""Three languages: URLs per language, the browser's language at the root, complete catalogs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from citedesmetiers.operations import catalogs
from citedesmetiers.roles import Role

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize(
    ("accept", "target"),
    [("nl-BE,nl;q=0.9,fr;q=0.8", "/nl/"), ("fr-BE", "/fr/"), ("en-GB,en;q=0.9", "/en/"), ("de-DE", "/fr/")],
)
def test_the_root_follows_the_browser_language(client, accept, target):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.url == target


def test_the_root_follows_the_language_last_chosen(client):
    client.get("/nl/")
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.url == "/nl/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["home", "login", "staff_home", "password_change"])
def test_every_page_declares_its_language(client, login, language, name):
    if name != "login":  # the sign-in page sends signed-in people on
        login(Role.COORDINATOR)
    with translation.override(language):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert response["Content-Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_not_found_page_speaks_the_language_of_its_address(client, language):
    response = client.get(f"/{language}/nothing-here/")
    assert response.status_code == 404
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_language_switcher_stays_on_the_same_page(client):
    page = client.get("/fr/personnel/connexion/?next=/fr/personnel/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w\w)" hreflang', page))
    assert {lang: href for href, lang in links.items()} == {
        "fr": "/fr/personnel/connexion/?next=/fr/personnel/",
        "nl": "/nl/personeel/aanmelden/?next=/fr/personnel/",
        "en": "/en/staff/sign-in/?next=/fr/personnel/",
    }
    assert 'aria-current="true">Français' in page


def test_the_switcher_on_an_unknown_page_offers_each_home_page(client):
    page = client.get("/nl/nothing-here/").content.decode()
    assert '<a href="/fr/" lang="fr"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_have_no_empty_fuzzy_or_broken_entry(language):
    path = BASE_DIR / "citedesmetiers" / "locale" / language / "LC_MESSAGES" / "django.po"
    assert catalogs.problems(path) == []


def test_catalogs_hold_every_message_of_the_source(tmp_path):
    """Extracts the messages again (GNU gettext needed) and compares them with the catalogs."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed; .ci/run installs it")
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "*.mo", "__pycache__", "vendor")
    shutil.copytree(BASE_DIR, copy, ignore=ignore)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"CDM_MODE": "dev", "PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path / "var")},
    )
    extracted = {
        (entry.msgid, entry.msgid_plural)
        for entry in polib.pofile(str(copy / "citedesmetiers/locale/fr/LC_MESSAGES/django.po"))
    }
    for language in LANGUAGES:
        catalog = polib.pofile(str(BASE_DIR / f"citedesmetiers/locale/{language}/LC_MESSAGES/django.po"))
        present = {(entry.msgid, entry.msgid_plural) for entry in catalog if not entry.obsolete}
        missing = sorted(extracted - present)
        assert not missing, f"{language}: run `make messages` and translate: {missing[:5]}"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Cinq thématiques", "Choisir son orientation", "Espace multimédia", "Conseillers sur place"]),
        ("nl", ["Vijf thema's", "Kiezen", "Multimediaruimte", "Adviseurs ter plaatse"]),
        ("en", ["Five themes", "Choose", "Multimedia space", "Advisers on site"]),
    ],
)
def test_the_home_page_is_written_in_its_language(client, language, words):
    page = client.get(f"/{language}/").content.decode().replace("&#x27;", "'")
    for word in words:
        assert word in page


def test_dutch_says_status_everywhere_never_statuut():
    # Issue 17: the registration's "Statuut" read as a legal statute; one word for status in every place.
    catalog = polib.pofile(str(BASE_DIR / "citedesmetiers/locale/nl/LC_MESSAGES/django.po"))
    texts = [entry.msgstr for entry in catalog] + [
        text for entry in catalog for text in entry.msgstr_plural.values()
    ]
    assert [text for text in texts if re.search(r"\bstatu(ut|ten)\b", text, re.IGNORECASE)] == []
    with translation.override("nl"):
        assert translation.gettext("Status") == "Status"
