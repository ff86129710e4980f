"""The annual report as a printed publication: the PDF of a closed year in French and in Dutch, each rendered
once for the module from a small centre, then read back as a reader would (pypdf): the cover, the table of
contents and its page numbers, the chapters in order, no empty page, the typeface embedded, the language,
the title and the structure tree (PDF/UA-1)."""

import io
import os
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from citedesmetiers.roles import Role
from stats import exports, periods
from stats.models import ReportText
from tests.factories import consultation, staff, visit

# Every test reads the fixture's PDFs; the mark gives them, and so the fixture, the test database.
pytestmark = pytest.mark.django_db

YEAR = 2024  # a closed calendar year: a publication, small counts protected
LANGUAGES = ("fr", "nl")
BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass
class Edition:
    language: str
    reader: PdfReader
    pages: list[str]

    def outline(self) -> list[tuple[int, str, int]]:
        """Every bookmark (WeasyPrint makes one per heading) as (level, title, page number from 1)."""
        found = []

        def walk(items, level):
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append((level, item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline, 1)
        return found

    def chapters(self) -> list[tuple[str, int]]:
        """The headings of the chapters (h2) and the page each is on."""
        return [(title, page) for level, title, page in self.outline() if level == 2]

    def contents(self) -> list[tuple[str, int]]:
        """The table of contents as printed on page 2: (heading, page number)."""
        lines = self.pages[1].splitlines()
        return [
            (match[1].strip(), int(match[2]))
            for line in lines
            if (match := re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line.strip()))
        ]


def _pango_or_skip():
    try:
        import weasyprint  # noqa: F401
    except OSError:  # no Pango on this machine; CI installs it
        if os.environ.get("CI"):
            raise
        pytest.skip("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def _small_centre():
    """A few visits and consultations of the year, and the director's preamble in both languages."""
    reception = staff(Role.RECEPTION_AGENT)
    for month in range(1, 13):
        moment = datetime(YEAR, month, 10, 10, tzinfo=BRUSSELS)
        for theme in ("choisir", "travailler"):
            visit(user=reception, theme=theme, orientation="advice", now=moment)
        consultation(gender="woman" if month % 2 else "man", age_band="25-29", now=moment)
    ReportText.objects.create(
        year=YEAR,
        preamble_fr="Une année de conseils et de rencontres.",
        preamble_nl="Een jaar vol advies en ontmoetingen.",
        updated_at=timezone.now(),
        updated_by=staff(Role.DIRECTOR),
    )


@pytest.fixture(scope="module")
def editions(django_db_setup, django_db_blocker) -> dict[str, Edition]:
    """The year's report in French and in Dutch, rendered once; the data are rolled back afterwards."""
    _pango_or_skip()
    made = {}
    with django_db_blocker.unblock(), transaction.atomic():
        _small_centre()
        for language in LANGUAGES:
            body = exports.render("pdf", periods.year(YEAR), language=language)
            reader = PdfReader(io.BytesIO(body))
            made[language] = Edition(language, reader, [page.extract_text() for page in reader.pages])
        transaction.set_rollback(True)
    return made


def _headings(language: str) -> list[str]:
    with translation.override(language):
        return [
            _("Preamble"),
            _("The year's highlights"),
            _("The concept"),
            _("The services"),
            _("The partners"),
            _("The figures"),
            _("Definitions and methods"),
        ]


def _page_label(language: str, page: int, pages: int) -> str:
    with translation.override(language):
        return _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_then_the_contents_then_the_chapters_in_order(editions, language):
    edition = editions[language]
    cover = edition.pages[0]
    with translation.override(language):
        assert _("Annual report %(period)s") % {"period": YEAR} in cover
        assert _("A project carried by:") in cover
        assert _("A member of the International Network of Cités des métiers.") in cover
        contents_title = _("Contents")
    names = cover.splitlines()[:2]
    assert names == (
        ["Cité des métiers de Bruxelles", "Beroepenpunt Brussel"]
        if language == "fr"
        else ["Beroepenpunt Brussel", "Cité des métiers de Bruxelles"]
    )
    for promoter in ("Actiris", "Bruxelles Formation", "VDAB Brussel"):
        assert promoter in cover
    assert edition.pages[1].startswith(contents_title)
    # Every chapter, in order, each where the text after the contents page finds it first.
    text = "\n".join(edition.pages[2:])
    places = [text.find(f"{heading}\n") for heading in _headings(language)]
    assert -1 not in places
    assert places == sorted(places)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_number_of_the_contents_is_the_page_of_its_heading(editions, language):
    edition = editions[language]
    contents, chapters = edition.contents(), edition.chapters()
    assert [title for title, _page in contents] == [title for title, _page in chapters[1:]]
    assert contents == chapters[1:]  # the first h2 is the contents' own heading
    for title, page in contents:
        assert edition.pages[page - 1].splitlines()[0] == title  # the chapter opens its page
    assert [title for title, _page in contents][: len(_headings(language)) - 1] == _headings(language)[:-1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_is_empty_and_every_page_but_the_cover_is_numbered(editions, language):
    edition = editions[language]
    total = len(edition.pages)
    assert _page_label(language, 1, total) not in edition.pages[0]
    for number, text in enumerate(edition.pages[1:], start=2):
        label = _page_label(language, number, total)
        assert label in text
        body = [line for line in text.replace(label, "").splitlines() if line.strip()]
        # The running header is one line; a page holds more than its header.
        assert len(body) >= 2, f"page {number} is empty"


def test_the_dutch_edition_holds_no_french_heading(editions):
    french = {title for _level, title, _page in editions["fr"].outline()}
    dutch = {title for _level, title, _page in editions["nl"].outline()}
    only_french = french - dutch
    assert only_french  # the editions differ
    text = "\n".join(editions["nl"].pages)
    assert not [title for title in only_french if title in text]
    assert "Bruxelles Formation" in text  # an institution's name is its own


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_typeface_is_embedded_and_the_only_one(editions, language):
    fonts = set()
    for page in editions[language].reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, descendant["/BaseFont"]
                fonts.add(str(descendant["/BaseFont"]).split("+", 1)[-1])
    assert fonts
    assert all(name.startswith("Source-Sans-3") for name in fonts), fonts


def _structure(node, found):
    """Every structure element under a node as (type, element)."""
    node = node.get_object() if isinstance(node, IndirectObject) else node
    if isinstance(node, list):
        for kid in node:
            _structure(kid, found)
        return found
    if not hasattr(node, "get") or node.get("/Type") not in (None, "/StructElem"):
        return found
    if "/S" in node:
        found.append((str(node["/S"]), node))
    if "/K" in node:
        _structure(node["/K"], found)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_the_title_and_the_structure_tree(editions, language):
    reader = editions[language].reader
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    with translation.override(language):
        assert reader.metadata.title == (
            f"{_('Annual report %(period)s') % {'period': YEAR}} — {_('Cité des métiers de Bruxelles')}"
        )
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    elements = _structure(root["/StructTreeRoot"]["/K"], [])
    kinds = [kind for kind, _element in elements]
    for kind in ("/Document", "/H1", "/H2", "/H3", "/P", "/L", "/Table", "/TH", "/TD", "/Figure", "/Link"):
        assert kind in kinds, kind
    assert kinds.count("/H1") == 1
    figures = [element for kind, element in elements if kind == "/Figure"]
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def test_the_pages_are_a4(editions):
    for edition in editions.values():
        assert 8 <= len(edition.pages) <= 40
        assert edition.reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
        assert edition.reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.5)


def test_the_fixture_left_no_data():
    assert not ReportText.objects.filter(year=YEAR).exists()
