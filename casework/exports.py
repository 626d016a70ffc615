"""Tabular exports, the one place for them: the formula guard, CSV and Excel writers from a
header and an iterator of rows, and the log of an export (ExportLog, in referrals).

An export takes case data out of the product into a spreadsheet program, which runs a cell
that starts with = + - @ (or a tab or carriage return before one) as a formula: text typed
into the product must never do that (CSV injection), so every cell goes through `safe`.

Why an export is logged as one row, not as a read of each case (casework.reads): a list
says which cases (reference, school, status, a deadline), not what they say, so neither a
list page nor its export opens a case. But an export is a copy that leaves the product and
cannot be taken back, so it is recorded once, when it is produced: who, which list, the
filters it was asked with (the query string, which rebuilds exactly that list) and how
many rows it held. One row per export keeps the log readable, and the filters say which
cases it held as well as one row per case would have, without a write per row."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.apps import apps
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from audit.chain import append

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A clock's RAG in words, as templates/includes/rag_tag.html says it.
RAG_WORDS = {
    "red": "Red: overdue",
    "amber": "Amber: due soon",
    "green": "Green: on track",
    "done": "Stopped",
}

# The characters a spreadsheet reads as the start of a formula, and their full-width forms
# (＝ ＋ － ＠), which some spreadsheet programs fold to the ASCII ones before parsing.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def safe(value: Any) -> Any:
    """The value with a leading apostrophe if a spreadsheet would run it as a formula; any
    other value (numbers, dates, ordinary text) unchanged.

    Leading whitespace is looked past: some programs trim a cell before parsing it (and a
    CSV read with "trim spaces" does), so " =1+1" is guarded too. The cost is an apostrophe
    on text such as " -5 pupils", which stays readable."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A cell's value as a sheet holds it: aware datetimes in local time without their
    zone (Excel has none), None as empty, then guarded."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return safe(value)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The rows as CSV lines, guarded, after a byte order mark (so Excel reads UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value


def as_csv_text(rows: Iterable[Sequence]) -> str:
    return "".join(csv_lines(rows))


@dataclass
class Sheet:
    """One worksheet: a bold header row (frozen if `freeze`), then the rows."""

    title: str
    rows: Iterable[Sequence]
    header: Sequence[str] = ()
    widths: Sequence[int] = ()
    freeze: bool = True
    wrap: bool = False  # wrap the rows' text, top aligned
    bold_first_column: bool = False
    date_format: str = "yyyy-mm-dd hh:mm"


def as_xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook in write-only mode: rows go to the file as they come, so a large export
    never holds a sheet of cell objects."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        for number, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(number)].width = width
        if sheet.header:
            if sheet.freeze:
                ws.freeze_panes = "A2"
            ws.append([_styled(WriteOnlyCell(ws, value=h), font=bold) for h in sheet.header])
        for row in sheet.rows:
            cells = []
            for number, value in enumerate(row):
                cell = WriteOnlyCell(ws, value=_plain(value))
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = sheet.date_format
                cells.append(
                    _styled(
                        cell,
                        font=bold if sheet.bold_first_column and number == 0 else None,
                        alignment=wrap if sheet.wrap else None,
                    )
                )
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styled(cell, font=None, alignment=None):
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A CSV download, streamed: the rows are read and written as the client takes them."""
    response = StreamingHttpResponse(csv_lines(_with_header(header, rows)), content_type=CSV)
    return _attachment(response, filename)


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, title: str, widths=()
) -> HttpResponse:
    book = as_xlsx_bytes([Sheet(title=title[:31], header=header, rows=rows, widths=widths)])
    return _attachment(HttpResponse(book, content_type=XLSX), filename)


def _with_header(header, rows):
    yield header
    yield from rows


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    """Lists of up to `size` items: a long export fetches its rows' deadlines a chunk at a
    time, never one query per row nor every id in one IN list."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Counted:
    """Rows passed through, counted: the row count of a file built in one go."""

    def __init__(self, rows: Iterable):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def filters_of(query) -> str:
    """The query string (a QueryDict) that rebuilds the list, without its page number."""
    others = query.copy()
    others.pop("page", None)
    return others.urlencode()


def log_export(request, list_name: str, extension: str, rows: int) -> None:
    """One ExportLog row for an export being produced (see the module's docstring). The
    model is looked up by label, so apps that may not import referrals can log too."""
    log = apps.get_model("referrals", "ExportLog")
    append(
        [
            log(
                user=request.user,
                list_name=list_name,
                format=extension,
                filters=filters_of(request.GET),
                rows=rows,
            )
        ]
    )
