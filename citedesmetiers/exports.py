"""Files people download: CSV that opens right in a spreadsheet, and cannot run a formula."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import CharField, Func, QuerySet
from django.http import HttpResponse, StreamingHttpResponse

# A cell starting with one of these would be read as a formula by a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_convention(language: str) -> tuple[str, str]:
    """(separator, decimal mark) that a spreadsheet reads as numbers: the Belgian `;` and decimal comma in
    French and Dutch, `,` and a decimal point in English."""
    return (",", ".") if language == "en" else (";", ",")


def csv_cell(value, decimal: str = ",") -> str:
    """A cell of a CSV file: a number with the decimal mark of the file, text made formula-safe."""
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value).replace(".", decimal) if value == value else ""
    return safe_cell(value)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ";", decimal: str = ","
) -> bytes:
    """UTF-8 with a byte order mark, `;` separators and decimal commas by default: what spreadsheets in
    Belgium open directly (see csv_convention)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value, decimal) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class FormulaSafe(Func):
    """SQL's safe_cell: text a spreadsheet would run as a formula gets a leading apostrophe."""

    template = (
        "CASE WHEN left(%(expressions)s, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        "THEN '''' || %(expressions)s ELSE %(expressions)s END"
    )
    output_field = CharField()


def _copied(rows: QuerySet, header: Sequence[str], delimiter: str) -> Iterator[bytes]:
    """The header, then the rows as PostgreSQL writes them in one COPY statement, chunk by chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    query, params = rows.query.sql_with_params()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}')"
        with cursor.copy(statement, params) as copy:
            yield from (bytes(chunk) for chunk in copy)


def csv_streamed(
    filename: str, header: Sequence[str], rows: QuerySet, *, delimiter: str = ";"
) -> StreamingHttpResponse:
    """A large CSV in constant memory at the database's speed: `rows` is a `values_list()` queryset whose
    every column is already what the file shows (codes, text made safe by FormulaSafe, numbers);
    PostgreSQL writes the CSV itself (one COPY statement) and the response passes it on as it comes.
    UTF-8 with a byte order mark, like csv_bytes."""
    if delimiter not in {";", ","}:
        raise ValueError(f"unsupported delimiter {delimiter!r}")
    response = StreamingHttpResponse(_copied(rows, header, delimiter), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
