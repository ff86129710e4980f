"""The key-figures sheet of a closed year: one A4 page (PDF) and the same page as a picture for social
networks (PNG), in an explicit language. Its figures are the annual report's publication (stats.report with
output=PUBLICATION), so a protected count shows the report's mark, never a number."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from citedesmetiers.selectors import centre_address
from stats import publication
from stats import report as assemble
from stats.exports import pdf_images, png, publication_pdf
from stats.periods import Period
from stats.selectors import Scope
from stats.suppression import MARKS

FORMATS = {"pdf": "application/pdf", "png": "image/png"}

# The picture's page: 8 × 10 inches (4:5, a portrait post), drawn at 1080 × 1350 pixels.
PNG_PAGE_CSS = "@page { size: 8in 10in; margin: 10mm 12mm; }\n"
PNG_SIZE = (1080, 1350)


def sheet_context(period: Period, *, today=None) -> dict:
    """The sheet's figures in the active language: the report's key figures of the whole centre as the
    publication shows them, on site then online (each in the report's order)."""
    context = assemble.report_context(period, scope=Scope(), output=assemble.PUBLICATION, today=today)
    if not context["published"]:
        raise ValueError(f"the key-figures sheet is a publication: not of {period.slug}")
    numbers = context["key_numbers"]
    rows = numbers.on_site + numbers.online
    shown = [value for row in rows for value in (row.value, *(row.extra[:1] if row.extra else ()))]
    site = settings.SITE_URL.split("://", 1)[-1]
    return context | {
        "marked": any(value in MARKS for value in shown),
        "unknown": any(value is None for value in shown),
        "small_counts_note": publication.small_counts_note(),
        "address": centre_address(context["language"]),
        "site": site,
    }


def _pdf(context: dict, *, extra_css: str = "") -> bytes:
    page = render_to_string("stats/key_sheet.html", context | {"social": bool(extra_css)})
    return publication_pdf(page, stylesheet="stats/sheet.css", themes=context["themes"], extra_css=extra_css)


def _png(context: dict) -> bytes:
    image = pdf_images(_pdf(context, extra_css=PNG_PAGE_CSS), width=PNG_SIZE[0])[0]
    if image.size != PNG_SIZE:  # a pixel lost to rounding
        image = image.resize(PNG_SIZE)
    return png(image)


def render(format_name: str, period: Period, *, language: str, today=None) -> bytes:
    """The key-figures sheet of a closed calendar year (a publication) as an A4 PDF or a 1080 × 1350 PNG,
    in fr, nl or en. Raises ExportUnavailable where WeasyPrint lacks its Pango library."""
    with translation.override(language):
        context = sheet_context(period, today=today)
        return _png(context) if format_name == "png" else _pdf(context)


def filename(format_name: str, period: Period, language: str) -> str:
    """The download's name in the reader's words, ASCII: cite-des-metiers-chiffres-cles-2018-fr.png."""
    stem = {"fr": "chiffres-cles", "nl": "kerncijfers"}.get(language, "key-figures")
    return f"cite-des-metiers-{stem}-{period.slug}-{language}.{format_name}"
