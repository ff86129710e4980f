"""The report's exports, each rendered inside an explicit language: JSON (stable, documented in the
README), CSV and XLSX (one sheet per table, small cells protected), HTML (the printable report) and PDF
(that page through WeasyPrint). The dashboard's buttons and `manage.py annual_report` both use them."""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citedesmetiers.exports import csv_bytes, safe_cell
from stats import report as assemble
from stats.periods import Period
from stats.selectors import Scope
from stats.tables import Table

# Bumped when a key of the JSON export changes meaning or disappears (adding keys keeps it).
JSON_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Export:
    extension: str
    content_type: str
    render: Callable[[Period, Scope, str], bytes]


def _json(period: Period, scope: Scope, language: str) -> bytes:
    figures = assemble.figures(period, scope=scope)
    document = {"format_version": JSON_FORMAT_VERSION, "language": language, **figures["current"]}
    document["previous_year"] = figures["previous"] or None
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _cell(value) -> object:
    """A table's value as a spreadsheet cell: numbers stay numbers; "<5" and labels become text."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def _table_rows(table: Table) -> list[list]:
    rows = [[_cell(label), _cell(value), _cell(previous)] for label, value, previous in table.rows]
    if table.total is not None:
        rows.append([_("Total"), _cell(table.total[0]), _cell(table.total[1])])
    return rows


def _csv(period: Period, scope: Scope, language: str) -> bytes:
    tables = assemble.tables(period, scope=scope)
    rows = []
    for table in tables:
        rows.extend([table.title, *row] for row in _table_rows(table))
    return csv_bytes([_("Table"), *tables[0].columns], rows)


def _xlsx(period: Period, scope: Scope, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in assemble.tables(period, scope=scope):
        name = _sheet_name(table.title, used)
        sheet = workbook.create_sheet(name)
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        if table.definition:
            sheet.append([safe_cell(table.definition)])
        sheet.append([period.label])
        sheet.append([])
        sheet.append(list(table.columns))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in _table_rows(table):
            sheet.append(row)
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 16
        sheet.column_dimensions["C"].width = 16
    workbook.properties.title = _("Annual report %(period)s") % {"period": period.label}
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join("-" if character in "[]:*?/\\" else character for character in title)[:31]
    name, number = clean, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def _html(period: Period, scope: Scope, language: str) -> bytes:
    context = assemble.report_context(period, scope=scope)
    return render_to_string("stats/report_print.html", context | {"standalone": True}).encode()


class ExportUnavailable(Exception):
    """This machine cannot produce the format (WeasyPrint without its Pango library, for the PDF)."""


def _pdf(period: Period, scope: Scope, language: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as missing:  # the Python package is there, the system's Pango is not
        raise ExportUnavailable("PDF") from missing

    context = assemble.report_context(period, scope=scope)
    stylesheet = Path(finders.find("stats/report.css")).read_text()
    page = render_to_string(
        "stats/report_print.html", context | {"standalone": True, "for_pdf": True, "report_css": stylesheet}
    )
    return HTML(string=page).write_pdf()


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
