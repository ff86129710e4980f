"""The report's exports, each rendered inside an explicit language: JSON (an internal working file: exact
counts, stable keys documented in docs/figures.md), CSV and XLSX (one sheet per table), HTML (the printable
report) and PDF (that page through WeasyPrint). CSV, XLSX, HTML and PDF of a closed calendar year are
publications, small counts protected (stats.publication); of any other period, internal working files,
marked as such. The dashboard's buttons and `manage.py annual_report` both use them."""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from citedesmetiers.exports import csv_bytes, csv_convention, safe_cell
from stats import publication
from stats import report as assemble
from stats.periods import Period
from stats.selectors import Scope
from stats.tables import GridTable, Row, Table, change_unit

# The shipped typeface (Source Sans 3) for publications: the PDFs embed it; the web pages link it.
TYPEFACE = "vendor/source-sans-3/source-sans-3.css"

# Bumped when a key of the JSON export changes meaning or disappears (adding keys keeps it).
JSON_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Export:
    extension: str
    content_type: str
    render: Callable[[Period, Scope, str], bytes]


def _json(period: Period, scope: Scope, language: str) -> bytes:
    figures = assemble.figures(period, scope=scope)
    comparison = figures["comparison"]
    document = {
        "format_version": JSON_FORMAT_VERSION,
        "language": language,
        "classification": "internal",
        **figures["current"],
    }
    document["period"] |= {"asked": comparison.asked.slug, "running": comparison.running}
    document["previous_year"] = figures["previous"]
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def status_line(context: dict) -> str:
    """What the file is: a publication, or an internal working document."""
    if context["published"]:
        return _("Publication: counts from 1 to 4 are protected (see the note on small counts).")
    return _("Internal working document: exact counts, not for publication.")


def notes(table: Table | GridTable) -> list[str]:
    """What a reader must know under a table: what several counts per item mean, what the marks mean."""
    lines = [table.note] if table.note else []
    if table.protected:
        lines.append(publication.small_counts_note())
    return lines


def _numbered(row: Row) -> str:
    return f"{row.label} (%)" if row.share else row.label


def _change_unit(row: Row) -> str:
    if row.change is None:
        return ""
    return change_unit(row.share)


def _csv(period: Period, scope: Scope, language: str) -> bytes:
    context = assemble.report_context(period, scope=scope, output=assemble.PUBLICATION)
    delimiter, decimal = csv_convention(language)
    comparison = context["comparison"]
    rows: list[list] = [
        [context["title"]],
        [comparison.description],
        [status_line(context)],
        [],
    ]
    headings = [comparison.heading, comparison.previous_heading]
    change_columns = [pgettext("difference from a year earlier", "Change"), _("Unit of the change")]
    rows.append([_("Key figures"), _("Figure"), *headings, *change_columns, _("Definition")])
    for row in context["key_figures"]:
        rows.append(
            ["", _numbered(row), row.value, row.previous, row.change, _change_unit(row), row.definition]
        )
    for table in context["tables"]:
        rows += [[], [table.title, table.definition] if table.definition else [table.title]]
        rows.append(["", _("Item"), *headings, *change_columns])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            rows.append(["", _numbered(row), row.value, row.previous, row.change, _change_unit(row)])
        rows += [[note] for note in notes(table)]
    for table in context["queue_tables"]:
        rows += [[], [table.title, table.definition], ["", *table.columns]]
        rows += [["", *row] for row in table.rows]
        rows += [[note] for note in notes(table)]
    return csv_bytes([_("Cité des métiers de Bruxelles")], rows, delimiter=delimiter, decimal=decimal)


# The workbook's sheets, named short enough for Excel (31 characters) in every language, never cut.
SHEET_NAMES = {
    "services": gettext_lazy("Services"),
    "contacts_month": gettext_lazy("Visits – month"),
    "contacts_weekday": gettext_lazy("Visits – weekday"),
    "contacts_hour": gettext_lazy("Visits – hour"),
    "contacts_theme": gettext_lazy("Visits – theme"),
    "advice_theme": gettext_lazy("Advice – theme"),
    "advice_topic": gettext_lazy("Advice – topic"),
    "advice_partner": gettext_lazy("Advice – institution"),
    "advice_language": gettext_lazy("Advice – language"),
    "advice_mode": gettext_lazy("Advice – mode"),
    "advice_gender": gettext_lazy("Advice – gender"),
    "advice_age": gettext_lazy("Advice – age"),
    "advice_age_band": gettext_lazy("Advice – age band"),
    "activities_theme": gettext_lazy("Activities – theme"),
    "participants_theme": gettext_lazy("Participants – theme"),
    "activities_kind": gettext_lazy("Activities – type"),
    "activities_partner": gettext_lazy("Activities – organiser"),
    "activities_language": gettext_lazy("Activities – language"),
    "activities_audience": gettext_lazy("Activities – audience"),
    "help_topic": gettext_lazy("Digital help – topic"),
    "questionnaire_status": gettext_lazy("Questionnaires – status"),
    "questionnaire_heard_of": gettext_lazy("Questionnaires – heard of"),
    "team": gettext_lazy("Team"),
    "queue_theme": gettext_lazy("Queue – theme"),
    "queue_language": gettext_lazy("Queue – language"),
    "queue_hour": gettext_lazy("Queue – hour"),
    "queue_weekday": gettext_lazy("Queue – weekday"),
}

# Number formats of the workbook (the values stay numbers: 53.2 is a share in percent).
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = '0.0" %"'
MINUTES_FORMAT = "0.0"


def _change_format(share: bool) -> str:
    unit = change_unit(share)
    return f'+0.0" {unit}";-0.0" {unit}";0.0" {unit}"'


def _xlsx_value(value):
    """A cell: numbers stay numbers; marks and labels become text (formula-safe)."""
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(str(value))


def _xlsx(period: Period, scope: Scope, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    context = assemble.report_context(period, scope=scope, output=assemble.PUBLICATION)
    comparison = context["comparison"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold, right, wrap = (
        Font(bold=True),
        Alignment(horizontal="right"),
        Alignment(wrap_text=True, vertical="top"),
    )

    def sheet_for(title: str, lines: list[str], key: str = ""):
        sheet = workbook.create_sheet(_sheet_name(str(SHEET_NAMES.get(key, title)), used))
        sheet.append([safe_cell(title)])
        sheet["A1"].font = Font(bold=True, size=13)
        for line in [*lines, comparison.description, status_line(context)]:
            if line:
                sheet.append([safe_cell(line)])
        sheet.append([])
        return sheet

    def put(sheet, values: list, formats: list[str | None]):
        sheet.append([_xlsx_value(value) for value in values])
        for cell, number_format in zip(sheet[sheet.max_row], formats, strict=False):
            if isinstance(cell.value, int | float) and number_format:
                cell.number_format = number_format
            elif isinstance(cell.value, str) and cell.column > 1:
                cell.alignment = right

    def header(sheet, names: list[str]):
        sheet.append([safe_cell(name) for name in names])
        for cell in sheet[sheet.max_row]:
            cell.font = bold

    def row_formats(row: Row) -> list:
        value_format = (
            SHARE_FORMAT if row.share else (MINUTES_FORMAT if isinstance(row.value, float) else COUNT_FORMAT)
        )
        return [None, value_format, value_format, _change_format(row.share)]

    headings = [comparison.heading, comparison.previous_heading]
    change_heading = pgettext("difference from a year earlier", "Change")
    figures = sheet_for(_("Key figures"), [])
    header(figures, [_("Figure"), *headings, change_heading, _("Definition")])
    for row in context["key_figures"]:
        put(figures, [row.label, row.value, row.previous, row.change, row.definition], row_formats(row))
        figures.cell(figures.max_row, 5).alignment = wrap
    _widths(figures, [40, 16, 16, 12, 90])

    for table in context["tables"]:
        sheet = sheet_for(table.title, [table.definition], table.key)
        header(sheet, list(table.columns))
        for row in table.rows:
            put(sheet, [row.label, row.value, row.previous, row.change], row_formats(row))
        if table.total:
            put(
                sheet,
                [table.total.label, table.total.value, table.total.previous, table.total.change],
                row_formats(table.total),
            )
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        _notes(sheet, table, wrap)
        _widths(sheet, [48, 16, 16, 12])
    for table in context["queue_tables"]:
        sheet = sheet_for(table.title, [table.definition], table.key)
        header(sheet, table.columns)
        unit_formats = {"": COUNT_FORMAT, "min": MINUTES_FORMAT, "%": SHARE_FORMAT}
        for values in table.rows:
            put(sheet, values, [None, *(unit_formats[unit] for unit in table.units[1:])])
        _notes(sheet, table, wrap)
        _widths(sheet, [28, *[14] * (len(table.columns) - 1)])
    workbook.properties.title = context["title"]
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(sheet, table, wrap) -> None:
    for line in notes(table):
        sheet.append([])
        sheet.append([safe_cell(line)])
        sheet.cell(sheet.max_row, 1).alignment = wrap


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet's name from a table's title: Excel allows 31 characters, none of []:*?/\\ and unique
    names; a longer title is cut after a whole word ("…"), never in the middle of one."""
    clean = " ".join(title.replace(":", " –").split())
    clean = "".join("-" if character in "[]*?/\\" else character for character in clean) or "-"

    def cut(text: str, room: int) -> str:
        if len(text) <= room:
            return text
        words, kept = text.split(" "), ""
        for word in words:
            if len(f"{kept} {word}".strip()) > room - 1:
                break
            kept = f"{kept} {word}".strip()
        return f"{(kept or text[: room - 1]).rstrip(' –,')}…"

    name, number = cut(clean, 31), 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = cut(clean, 31 - len(suffix)) + suffix, number + 1
    used.add(name.lower())
    return name


def _html(period: Period, scope: Scope, language: str) -> bytes:
    context = assemble.report_context(period, scope=scope, output=assemble.PUBLICATION)
    return render_to_string("stats/report_print.html", context | {"standalone": True}).encode()


class ExportUnavailable(Exception):
    """This machine cannot produce the format (WeasyPrint without its Pango library, for the PDF)."""


def _css_string(text: str) -> str:
    """A CSS string of any text: every character but letters, digits and spaces as a CSS escape."""
    escaped = "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text)
    return f'"{escaped}"'


def _page_number_css() -> str:
    """The CSS `content` of a page's number in the active language ("Page 3 of 21"), the numbers as the
    page counters."""
    marks = {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    pieces = _("Page %(page)s of %(pages)s") % marks
    parts = [
        f"counter({piece})" if index % 2 else _css_string(piece)
        for index, piece in enumerate(pieces.split("\x00"))
        if piece
    ]
    return " ".join(parts)


# Laid out with every publication: the key numbers with their pictograms (the report and the sheet).
SHARED_LAYOUT = "stats/key_numbers.css"


def publication_pdf(page: str, *, stylesheet: str, themes, extra_css: str = "") -> bytes:
    """A publication's HTML `page` as a PDF tagged for accessibility (PDF/UA-1), laid out by the static
    `stylesheet` (e.g. "stats/report.css", after SHARED_LAYOUT) with the themes' colours, in the shipped
    typeface (embedded). Shared by the annual report and the key-figures sheet."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except OSError as missing:  # the Python package is there, the system's Pango is not
        raise ExportUnavailable("PDF") from missing
    shared, layout = Path(finders.find(SHARED_LAYOUT)), Path(finders.find(stylesheet))
    typeface = Path(finders.find(TYPEFACE))
    # The themes' colours are data (citedesmetiers.views.theme_stylesheet for the web page), checked as
    # #RRGGBB by the database: safe to write into CSS.
    colours = "".join(f".theme-{theme.code} {{ --theme-colour: {theme.colour}; }}\n" for theme in themes)
    fonts = FontConfiguration()  # the typeface's @font-face rules, given to the stylesheets and the PDF
    base = layout.parent.as_uri() + "/"
    stylesheets = [
        CSS(filename=str(typeface), font_config=fonts),
        CSS(
            string=shared.read_text() + layout.read_text() + colours + extra_css,
            base_url=base,
            font_config=fonts,
        ),
    ]
    document = HTML(string=page, base_url=base)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")


PREVIEW_WIDTH = 900  # pixels: a page at about 110 dpi, sharp on a desk screen and small to send


def pdf_images(pdf: bytes, *, width: int) -> list:
    """Each page of a PDF drawn `width` pixels wide, as RGB pictures (PIL images, from pypdfium2): the
    report's preview and the key-figures sheet's picture."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=width / page.get_width()).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def png(image, *, colours: int | None = None) -> bytes:
    """A picture as PNG; `colours`: with a palette of that many colours, a quarter of the size (the
    preview), else optimised."""
    if colours:
        image = image.quantize(colours)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=not colours)
    return buffer.getvalue()


def _pdf(period: Period, scope: Scope, language: str) -> bytes:
    """The printable report as an A4 PDF, tagged for accessibility (PDF/UA-1), its typeface embedded."""
    context = assemble.report_context(period, scope=scope, output=assemble.PUBLICATION)
    page = render_to_string("stats/report_print.html", context | {"standalone": True, "for_pdf": True})
    page_numbers = (
        f"@page {{ @bottom-center {{ content: {_page_number_css()}; }} }}\n"
        + "@page cover { @bottom-center { content: none; } }\n"
    )
    return publication_pdf(
        page, stylesheet="stats/report.css", themes=context["themes"], extra_css=page_numbers
    )


EXPORTS = {
    "json": Export("json", "application/json", _json),
    "csv": Export("csv", "text/csv; charset=utf-8", _csv),
    "xlsx": Export("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx),
    "html": Export("html", "text/html; charset=utf-8", _html),
    "pdf": Export("pdf", "application/pdf", _pdf),
}


def render(format_name: str, period: Period, *, scope: Scope | None = None, language: str = "fr") -> bytes:
    """The report of a period in a format and a language (fr, nl or en)."""
    export = EXPORTS[format_name]
    with translation.override(language):
        return export.render(period, scope or Scope(), language)


def filename(format_name: str, period: Period, language: str) -> str:
    return f"cite-des-metiers-{period.slug}-{language}.{EXPORTS[format_name].extension}"
