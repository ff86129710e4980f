"""The annual report as a printed publication: the PDF of a closed year in French and in Dutch, each rendered
once for the module from a small centre, then read back as a reader would (pypdf): the cover, the table of
contents and its page numbers, the chapters in order, no empty page, the typeface embedded, the language,
the title and the structure tree (PDF/UA-1)."""

import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from citedesmetiers.demo import spaces_measure
from citedesmetiers.models import Partner, Theme
from citedesmetiers.roles import Role
from stats import exports, periods
from stats.models import Highlight, ReportText
from stats.models import Testimonial as Quote  # a name pytest does not take for a test class
from stats.templatetags.figures import figure_text
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


def _picture(size=(1600, 900), colour=(29, 43, 83), kind="PNG", noise=False) -> ContentFile:
    """A picture file: one colour, or noise (the hardest picture to compress)."""
    image = (
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
        if noise
        else Image.new("RGB", size, colour)
    )
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return ContentFile(buffer.getvalue())


COVER_ALT = ("La Cité un matin de mars", "Het Beroepenpunt op een ochtend in maart")
LOGO_PARTNER = "actiris"


def _small_centre():
    """A few visits and consultations of the year, the spaces' areas, a partner's logo, and the director's
    texts and pictures in both languages."""
    spaces_measure()
    actiris = Partner.objects.get(code=LOGO_PARTNER)
    actiris.logo.save("logo.png", _picture((600, 200), (200, 30, 60)))
    reception = staff(Role.RECEPTION_AGENT)
    for month in range(1, 13):
        moment = datetime(YEAR, month, 10, 10, tzinfo=BRUSSELS)
        for theme in ("choisir", "travailler"):
            visit(user=reception, theme=theme, orientation="advice", now=moment)
        consultation(gender="woman" if month % 2 else "man", age_band="25-29", now=moment)
    text = ReportText.objects.create(
        year=YEAR,
        preamble_fr="Une année de conseils et de rencontres.",
        preamble_nl="Een jaar vol advies en ontmoetingen.",
        signatory_name="Anne Delvaux",
        signatory_role_fr="Directrice",
        signatory_role_nl="Directeur",
        quote_fr="Chaque question mérite une réponse.",
        quote_nl="Elke vraag verdient een antwoord.",
        highlights_fr="Ce texte libre ne paraît pas : il y a des entrées.",
        cover_photo_alt_fr=COVER_ALT[0],
        cover_photo_alt_nl=COVER_ALT[1],
        updated_at=timezone.now(),
        updated_by=staff(Role.DIRECTOR),
    )
    text.cover_photo.save("cover.jpg", _picture(kind="JPEG"), save=False)
    text.signatory_photo.save("anne.jpg", _picture((400, 400), kind="JPEG"), save=False)
    text.signature.save("signature.png", _picture((500, 150), (255, 255, 255)), save=False)
    text.save()
    for day, titles, alt in TIMELINE:
        entry = Highlight(
            report=text, day=day, title_fr=titles[0], title_nl=titles[1], text_fr="Texte.", text_nl="Tekst."
        )
        if alt:
            entry.photo.save("salon.png", _picture(), save=False)
            entry.photo_alt_fr, entry.photo_alt_nl = alt
        entry.save()
    for quote_fr, quote_nl in TESTIMONIALS:
        Quote.objects.create(
            report=text,
            quote_fr=quote_fr,
            quote_nl=quote_nl,
            attribution_fr="une étudiante, 20 ans",
            attribution_nl="een studente, 20 jaar",
        )


# The timeline's entries, given out of order: (day, (French title, Dutch title), photo's alt text or None).
TIMELINE = [
    (
        date(YEAR, 5, 15),
        ("Au salon", "Op de beurs"),
        ("Le stand de la Cité au salon", "De stand op de beurs"),
    ),
    (date(YEAR, 3, 5), ("Anniversaire", "Verjaardag"), None),
    (date(YEAR, 3, 20), ("Nouvel atelier", "Nieuwe workshop"), None),
]
TESTIMONIALS = [("J'ai trouvé ma voie.", "Ik vond mijn weg."), ("On m'a écoutée.", "Men luisterde naar mij.")]


@pytest.fixture(scope="module")
def editions(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Edition]:
    """The year's report in French and in Dutch, rendered once; the data are rolled back afterwards."""
    _pango_or_skip()
    made = {}
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media):
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
            _("Testimonials"),
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
    titles = [title for title, _page in contents]
    assert [title for title in titles if title in _headings(language)] == _headings(language)
    assert titles[:6] == _headings(language)[:6]


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


def _chapter(edition: Edition, heading: str) -> str:
    """The text of a chapter's pages, from its heading to the next chapter's."""
    chapters = edition.chapters()
    titles = [title for title, _page in chapters]
    start = chapters[titles.index(heading)][1]
    end = (
        chapters[titles.index(heading) + 1][1]
        if titles.index(heading) + 1 < len(chapters)
        else len(edition.pages)
    )
    return "\n".join(edition.pages[start - 1 : max(end - 1, start)])


def _in_order(text: str, parts: list[str]) -> bool:
    places = [text.find(part) for part in parts]
    return -1 not in places and places == sorted(places)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_preamble_is_signed_with_its_quote_set_apart(editions, language):
    with translation.override(language):
        preamble = _chapter(editions[language], _("Preamble"))
    text, role, quote = {
        "fr": ("Une année de conseils", "Directrice", "Chaque question mérite une réponse."),
        "nl": ("Een jaar vol advies", "Directeur", "Elke vraag verdient een antwoord."),
    }[language]
    assert _in_order(preamble, [text, "Anne Delvaux", role, quote])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_highlights_are_a_timeline_by_month_in_date_order(editions, language):
    with translation.override(language):
        highlights = _chapter(editions[language], _("The year's highlights"))
        months = [date_format(date(YEAR, month, 1), "F").capitalize() for month in (3, 5)]
    titles = [titles[language == "nl"] for _day, titles, _alt in sorted(TIMELINE)]
    # The months' names are set in capitals: compared without case.
    parts = [months[0], titles[0], titles[1], months[1], titles[2]]
    assert _in_order(highlights.casefold(), [part.casefold() for part in parts])
    assert "Ce texte libre" not in highlights  # the entries replace the free text
    levels = {title.casefold(): level for level, title, _page in editions[language].outline()}
    assert levels[months[0].casefold()] == 3
    assert levels[titles[0].casefold()] == 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_testimonials_have_their_section(editions, language):
    with translation.override(language):
        testimonials = _chapter(editions[language], _("Testimonials"))
    index = language == "nl"
    assert _in_order(testimonials, [quote[index] for quote in TESTIMONIALS])
    assert ("een studente, 20 jaar" if index else "une étudiante, 20 ans") in testimonials


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_photo_carries_its_alternative_text_in_the_editions_language(editions, language):
    root = editions[language].reader.trailer["/Root"]
    alts = [
        str(element.get("/Alt", ""))
        for kind, element in _structure(root["/StructTreeRoot"]["/K"], [])
        if kind == "/Figure"
    ]
    alt = TIMELINE[0][2][language == "nl"]
    assert alt in alts


def _alts(edition: Edition) -> list[str]:
    root = edition.reader.trailer["/Root"]
    return [
        str(element.get("/Alt", ""))
        for kind, element in _structure(root["/StructTreeRoot"]["/K"], [])
        if kind == "/Figure"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_picture_the_signature_and_the_logos_are_described(editions, language):
    alts = _alts(editions[language])
    with translation.override(language):
        assert COVER_ALT[language == "nl"] in alts
        assert _("Signature of %(name)s") % {"name": "Anne Delvaux"} in alts
        assert _("Photo of %(name)s") % {"name": "Anne Delvaux"} in alts
    assert "Actiris" in alts  # the logo, named by its institution


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_concept_the_services_and_the_partners_come_from_the_data(editions, language):
    edition = editions[language]
    with translation.override(language):
        concept = _chapter(edition, _("The concept"))
        services = _chapter(edition, _("The services"))
        partners = _chapter(edition, _("The partners"))
        principles = [_("Centre on the person's need"), _("Address everyone")]
        themes = [theme.label for theme in Theme.objects.filter(active=True).order_by("position")]
        area = figure_text(1100)
        first = _("First circle: institutions giving individual advice at the centre on %(day)s") % {
            "day": date_format(date(YEAR, 12, 31), "DATE_FORMAT")
        }
        second = _("Second circle: institutions organising collective activities at the centre")
    flat = " ".join(concept.split())
    assert _in_order(flat, principles)
    services = " ".join(services.split())  # the PDF's text has plain spaces where the page had others
    assert _in_order(services, themes)
    assert " ".join(area.split()) in services  # the spaces' areas add up to the centre's 1,100 m²
    assert "45" in services  # the multimedia space's computers
    assert _in_order(" ".join(partners.split()), [" ".join(first.split()), " ".join(second.split())])
    assert "Bruxelles Formation" in partners  # a partner without a logo is named


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_figures_open_with_the_key_numbers_and_their_pictograms(editions, language):
    with translation.override(language):
        figures = _chapter(editions[language], _("The figures"))
        parts = [_("At the centre"), _("Online"), _("Key figures")]
    # The groups' titles are set in capitals: compared without case.
    assert _in_order(figures.casefold(), [part.casefold() for part in parts])


def test_a_report_full_of_photos_stays_under_5_mb(tmp_path):
    """Twenty pages and more with a noisy photo (the hardest to compress, 3000 × 2000) on the cover and in
    every entry of a long timeline: the PDF stays under 5 MB."""
    _pango_or_skip()
    with override_settings(MEDIA_ROOT=tmp_path):
        text = ReportText.objects.create(
            year=YEAR,
            preamble_fr="Une année.",
            cover_photo_alt_fr="Bruit",
            cover_photo_alt_nl="Ruis",
            updated_at=timezone.now(),
            updated_by=staff(Role.DIRECTOR),
        )
        noise = _picture((3000, 2000), kind="JPEG", noise=True)
        text.cover_photo.save("cover.jpg", noise)
        for month in range(1, 13):
            for day in (5, 20):
                entry = Highlight(
                    report=text,
                    day=date(YEAR, month, day),
                    title_fr=f"Événement du {day}/{month}",
                    title_nl=f"Evenement van {day}/{month}",
                    text_fr="Un moment de l'année. " * 20,
                    text_nl="Een moment van het jaar. " * 20,
                    photo_alt_fr="Bruit",
                    photo_alt_nl="Ruis",
                )
                entry.photo.save("noise.jpg", noise, save=False)
                entry.save()
        body = exports.render("pdf", periods.year(YEAR), language="fr")
    pages = len(PdfReader(io.BytesIO(body)).pages)
    assert pages >= 20
    assert len(body) < 5 * 1024 * 1024, f"{len(body):,} bytes for {pages} pages"


def test_the_pages_are_a4(editions):
    for edition in editions.values():
        assert 8 <= len(edition.pages) <= 40
        assert edition.reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
        assert edition.reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.5)


def test_the_fixture_left_no_data():
    assert not ReportText.objects.filter(year=YEAR).exists()
    assert not Highlight.objects.exists()
