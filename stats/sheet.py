"""The key-figures sheet of a closed year: one A4 page (PDF) and the same page as a picture for social
networks (PNG), in an explicit language. Its figures are the annual report's publication (stats.report with
output=PUBLICATION), so a protected count shows the report's mark, never a number."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from citedesmetiers.selectors import centre_address
from stats import publication
from stats import report as assemble
from stats.exports import publication_pdf
from stats.periods import Period
from stats.selectors import Scope
from stats.suppression import MARKS

FORMATS = {"pdf": "application/pdf", "png": "image/png"}

# The picture's page: 8 × 10 inches (4:5, a portrait post), drawn at 1080 × 1350 pixels.
PNG_PAGE_CSS = "@page { size: 8in 10in; margin: 10mm 12mm; }\n"
PNG_SIZE = (1080, 1350)

# The two figures set first and in reverse colours: people in contact and services delivered.
LEAD = ("contacts.total", "contacts.services_total")

# The pictogram of each figure (templates/stats/partials/sheet_icon.html draws them).
ICONS = {
    "contacts.total": "people",
    "contacts.services_total": "hand",
    "advice.sessions": "talk",
    "activities.count": "calendar",
    "activities.participants": "group",
    "multimedia.entries": "screen",
    "gender.women_pct": "gender",
    "questionnaires.satisfied_pct": "smile",
    "online.emails_answered": "mail",
    "online.facebook_followers": "follow",
    "online.twitter_followers": "follow",
    "online.web_page_views": "web",
}


def sheet_context(period: Period, *, today=None) -> dict:
    """The sheet's figures in the active language: the report's key figures of the whole centre as the
    publication shows them, on site then online (each in the report's order)."""
    context = assemble.report_context(period, scope=Scope(), output=assemble.PUBLICATION, today=today)
    if not context["published"]:
        raise ValueError(f"the key-figures sheet is a publication: not of {period.slug}")
    rows = [row for row in context["key_figures"] if row.code in ICONS]
    for row in rows:
        row.icon = ICONS[row.code]
    on_site = [row for row in rows if not row.code.startswith("online.")]
    online = [row for row in rows if row.code.startswith("online.")]
    shown = [value for row in rows for value in (row.value, *(row.extra[:1] if row.extra else ()))]
    site = settings.SITE_URL.split("://", 1)[-1]
    return context | {
        "on_site": on_site,
        "lead": LEAD,
        "online": online,
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
    import pypdfium2

    document = pypdfium2.PdfDocument(_pdf(context, extra_css=PNG_PAGE_CSS))
    try:
        page = document[0]
        image = page.render(scale=PNG_SIZE[0] / page.get_width()).to_pil()
    finally:
        document.close()
    if image.size != PNG_SIZE:  # a pixel lost to rounding
        image = image.resize(PNG_SIZE)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


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
