"""The report's title names its period as a publication does: an annual report for a year only, a quarter's
or a month's report otherwise, in every language (the cover, the page headers, the files' titles)."""

import io
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader

from stats import exports, periods, report
from tests.stats.test_report_pdf import _pango_or_skip

AFTER = date(2027, 6, 1)  # every period below has ended


def _title(period: periods.Period, language: str, *, today: date = AFTER) -> str:
    with translation.override(language):
        return report.title(periods.compare(period, today=today))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (periods.year(2025), "Annual report 2025"),
        (periods.quarter(2026, 3), "Report for the third quarter of 2026"),
        (periods.quarter(2026, 1), "Report for the first quarter of 2026"),
        (periods.month(2026, 9), "Monthly report September 2026"),
        (periods.Period(date(2026, 9, 14), date(2026, 9, 20)), "Report 14 September – 20 September 2026"),
    ],
)
def test_the_title_in_english(period, expected):
    assert _title(period, "en") == expected


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("period", [periods.quarter(2026, 3), periods.month(2026, 9)])
def test_only_a_year_is_an_annual_report(period, language):
    title = _title(period, language)
    with translation.override(language):
        annual = _("Annual report %(period)s") % {"period": ""}
    assert annual.strip() not in title
    assert "2026" in title


def test_the_year_keeps_its_title_and_a_running_period_says_so():
    with translation.override("fr"):
        assert _title(periods.year(2025), "fr") == _("Annual report %(period)s") % {"period": 2025}
    running = _title(periods.quarter(2026, 4), "en", today=date(2026, 12, 5))
    assert running == "Report for the fourth quarter of 2026 (1 October – 4 December 2026, in progress)"


@pytest.mark.django_db
def test_the_pdf_of_a_quarter_is_titled_as_a_quarter_on_its_cover_and_every_page():
    _pango_or_skip()
    body = exports.render("pdf", periods.quarter(2025, 3), language="en")
    # The text as read, a line break being a space (the cover's large title takes two lines).
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages]
    title = "Report for the third quarter of 2025"
    assert title in pages[0]
    assert "Annual report" not in "\n".join(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert title in text, f"page {number}'s header"
    assert PdfReader(io.BytesIO(body)).metadata.title.startswith(title)


@pytest.mark.django_db
def test_the_files_of_a_month_are_titled_as_a_month():
    csv = exports.render("csv", periods.month(2025, 9), language="en").decode("utf-8-sig")
    assert "Monthly report September 2025" in csv.splitlines()[:3]
    workbook = load_workbook(io.BytesIO(exports.render("xlsx", periods.month(2025, 9), language="en")))
    assert workbook.properties.title == "Monthly report September 2025"
