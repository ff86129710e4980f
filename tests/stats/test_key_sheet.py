"""The key-figures sheet of a closed year (stats.sheet): one A4 page in French, Dutch and English, and the
same page as a PNG for social networks; its figures are the report's publication, protected alike. The
sheets are rendered once for the module from a small centre and read back (pypdf, Pillow)."""

import io
import os
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from citedesmetiers.roles import Role
from stats import periods, sheet
from stats.models import OnlineFigures
from stats.templatetags.figures import figure_text
from tests.factories import consultation, staff, visit

pytestmark = pytest.mark.django_db

YEAR = 2024  # a closed calendar year: a publication
BRUSSELS = ZoneInfo("Europe/Brussels")
LANGUAGES = ("fr", "nl", "en")


@dataclass
class Sheet:
    reader: PdfReader
    text: str
    figures: list[tuple[str, str]]  # (label, value as shown), in the sheet's order
    png: bytes
    pdf: bytes


def _pango_or_skip():
    try:
        import weasyprint  # noqa: F401
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def _small_centre():
    """Visits and advice sessions every month; three men among twelve sessions (a count below 5, so the
    women/men shares are withheld); the year's online figures."""
    reception = staff(Role.RECEPTION_AGENT)
    for month in range(1, 13):
        moment = datetime(YEAR, month, 10, 10, tzinfo=BRUSSELS)
        for theme in ("choisir", "travailler"):
            visit(user=reception, theme=theme, orientation="advice", now=moment)
        consultation(gender="man" if month in (2, 5, 9) else "woman", age_band="25-29", now=moment)
    OnlineFigures.objects.create(
        year=YEAR,
        facebook_followers=4321,
        twitter_followers=1234,
        web_page_views=56789,
        updated_at=timezone.now(),
        updated_by=staff(Role.DIRECTOR),
    )


def _shown(row) -> str:
    value = figure_text(row.value, row.unit)
    if row.code == "gender.women_pct":
        value = f"{value} / {figure_text(row.extra[0], row.unit)}"
    return value


@pytest.fixture(scope="module")
def sheets(django_db_setup, django_db_blocker) -> dict[str, Sheet]:
    _pango_or_skip()
    made = {}
    year = periods.year(YEAR)
    with django_db_blocker.unblock(), transaction.atomic():
        _small_centre()
        for language in LANGUAGES:
            with translation.override(language):
                context = sheet.sheet_context(year)
                figures = [
                    (row.label, _shown(row))
                    for row in [*context["key_numbers"].on_site, *context["key_numbers"].online]
                ]
            pdf = sheet.render("pdf", year, language=language)
            reader = PdfReader(io.BytesIO(pdf))
            text = "\n".join(page.extract_text() for page in reader.pages)
            png = sheet.render("png", year, language=language) if language != "en" else b""
            made[language] = Sheet(reader, text, figures, png, pdf)
        transaction.set_rollback(True)
    if os.environ.get("SHEET_OUT"):  # to look at them: SHEET_OUT=/tmp/sheets
        for language, made_sheet in made.items():
            with open(f"{os.environ['SHEET_OUT']}-{language}.pdf", "wb") as file:
                file.write(made_sheet.pdf)
            if made_sheet.png:
                with open(f"{os.environ['SHEET_OUT']}-{language}.png", "wb") as file:
                    file.write(made_sheet.png)
    return made


def _squashed(text: str) -> str:
    """The text without its spaces and line breaks (the extracted text joins a figure to its label)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_page_with_every_key_figure_in_order(sheets, language):
    made = sheets[language]
    assert len(made.reader.pages) == 1
    box = made.reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = _squashed(made.text)
    with translation.override(language):
        assert _squashed(_("Key figures %(year)s") % {"year": YEAR}) in text
    position = 0
    for label, value in made.figures:
        found = text.find(_squashed(f"{value} {label}"), position)
        assert found >= 0, (label, value)
        position = found
    assert len(made.figures) == 12
    assert made.reader.metadata.title.startswith(
        {"fr": "Chiffres clés", "nl": "Kerncijfers"}.get(language, "Key")
    )
    assert made.reader.trailer["/Root"]["/Lang"] == language
    assert "/StructTreeRoot" in made.reader.trailer["/Root"]  # tagged (PDF/UA-1)


def test_each_edition_in_its_language(sheets):
    dutch = sheets["nl"].text
    assert dutch.splitlines()[0] == "Beroepenpunt Brussel"
    assert sheets["fr"].text.splitlines()[0] == "Cité des métiers de Bruxelles"
    with translation.override("fr"):
        french = [_("Key figures %(year)s") % {"year": YEAR}, _("At the centre"), _("Online")]
        french += [label for label, _value in sheets["fr"].figures]
    for words in french:
        assert words not in dutch, words
    assert "Key figures" not in dutch


def test_a_withheld_count_shows_the_mark_never_a_number(sheets):
    for language, made in sheets.items():
        label = next(label for label, value in made.figures if "/" in value)
        assert _squashed(f"x / x {label}") in _squashed(made.text), language  # three men in twelve sessions
        for exact in (r"75[,.]0", r"25[,.]0", r"\b3\b", r"\b9\b"):
            assert not re.search(exact, made.text), (language, exact)


def test_the_typeface_is_embedded(sheets):
    fonts = set()
    for page in sheets["fr"].reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts
    assert all(name.startswith("Source-Sans-3") for name in fonts), fonts


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_picture_for_social_networks(sheets, language):
    image = Image.open(io.BytesIO(sheets[language].png))
    image.load()
    assert image.format == "PNG"
    assert image.size == (1080, 1350)


def _url(**query) -> str:
    with translation.override("fr"):
        path = reverse("stats:key_sheet")
    return path + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def test_the_director_downloads_the_sheet(client):
    _pango_or_skip()
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(_url(period=YEAR, format="png", lang="nl"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f'filename="cite-des-metiers-kerncijfers-{YEAR}-nl.png"' in response["Content-Disposition"]
    response = client.get(_url(period=YEAR, format="pdf", lang="fr"))
    assert response["Content-Type"] == "application/pdf"
    assert f"chiffres-cles-{YEAR}-fr.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.PARTNER_LEAD, Role.DIGITAL_STEWARD])
def test_other_roles_are_refused(client, role):
    client.force_login(staff(role))
    assert client.get(_url(period=YEAR, format="pdf")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(_url(period=YEAR, format="pdf"))
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


@pytest.mark.parametrize("period", ["2024-03", "2024-Q1", "first-year", "2026", "nonsense"])
def test_a_period_that_is_not_a_publication_is_refused_with_a_message(client, period):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(_url(period=period, format="pdf", lang="fr"), follow=True)
    assert response.redirect_chain
    assert response["Content-Type"].startswith("text/html")
    assert any("fiche des chiffres clés" in str(message) for message in response.context["messages"])
