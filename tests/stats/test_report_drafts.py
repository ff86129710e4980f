"""A chapter the director has not written (the preamble, the highlights) is left out of the publication:
no placeholder in the PDF, the HTML file or their contents; the page on screen tells the director instead."""

import io

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from citedesmetiers.roles import Role
from stats import exports, periods
from stats.models import ReportText
from tests.factories import staff
from tests.stats.test_report_pdf import _pango_or_skip
from tests.stats.test_views import url

pytestmark = pytest.mark.django_db

YEAR = 2025


def _placeholders() -> list[str]:
    return [_("The director has not written the preamble of this year yet."), _("No highlight written yet.")]


def _headings() -> list[str]:
    return [_("Preamble"), _("The year's highlights")]


def test_the_pdf_leaves_out_the_chapters_not_written():
    _pango_or_skip()
    body = exports.render("pdf", periods.year(YEAR), language="fr")
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    with translation.override("fr"):
        for placeholder in _placeholders():
            assert placeholder not in text
        contents = reader.pages[1].extract_text()
        for heading in _headings():
            assert heading not in contents
        assert _("The concept") in contents  # the contents go on with the chapters there are
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert not set(_headings()) & set(titles)


def test_a_written_preamble_is_published_and_only_the_missing_highlights_left_out():
    ReportText.objects.create(
        year=YEAR, preamble_fr="Une année calme.", updated_at=timezone.now(), updated_by=staff(Role.DIRECTOR)
    )
    page = exports.render("html", periods.year(YEAR), language="fr").decode()
    with translation.override("fr"):
        assert "Une année calme." in page
        assert f">{_('Preamble')}</a>" in page  # in the contents
        assert _("No highlight written yet.") not in page
        assert 'id="highlights-title"' not in page


def test_the_page_on_screen_tells_the_director_what_the_publication_leaves_out(client):
    client.force_login(staff(Role.DIRECTOR))
    page = client.get(url("report", period=str(YEAR), lang="fr")).content.decode()
    with translation.override("fr"):
        left_out = _("The chapter is left out of the publication until it is written.")
        for placeholder in _placeholders():
            assert f"{placeholder} {left_out}" in page
    assert page.count('class="no-print"') >= 2  # never printed from the browser either
