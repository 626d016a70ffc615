"""casework.exports: the formula guard on every dangerous first character (full-width forms
and leading whitespace too) and nothing else; CSV with a byte order mark; a write-only
workbook openpyxl opens, with its header, dates as dates and guarded text."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from casework import exports

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        '\uff1dHYPERLINK("http://x")',  # ＝
        "\uff0b1",  # ＋
        "\uff0d1",  # －
        "\uff20SUM(A1)",  # ＠
        " =1+1",  # leading whitespace is looked past
        "\u00a0\u3000=1+1",  # a no-break and an ideographic space
        "\n@SUM(A1)",
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert exports.safe(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Riverside Academy",
        "SR-2026-00042",  # a dash inside is fine
        "O'Brien",
        "",
        "   ",
        "Year 9 = 6 pupils",
        42,
        -5,  # a number is a number, not text a spreadsheet parses
        3.5,
        Decimal("-1.5"),
        dt.date(2026, 11, 23),
        dt.datetime(2026, 11, 23, 10, 0),
        None,
        True,
    ],
)
def test_ordinary_text_numbers_and_dates_are_untouched(value):
    assert exports.safe(value) == value


def test_csv_has_a_byte_order_mark_guards_cells_and_writes_local_times():
    when = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)  # 10:30 in London (summer time)
    text = exports.as_csv_text([["Name", "When"], ["=cmd", when], ["Plain", None]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["Name", "When"], ["'=cmd", "2026-06-01 10:30"], ["Plain", ""]]


def test_a_workbook_opens_with_its_header_dates_and_guarded_text():
    when = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    book = load_workbook(
        io.BytesIO(
            exports.as_xlsx_bytes(
                [
                    exports.Sheet(
                        "Referrals",
                        header=["Reference", "Due", "Note"],
                        rows=iter([["SR-1", when, "\uff20SUM(A1)"], ["SR-2", None, 7]]),
                        widths=[12, 18, 40],
                    )
                ]
            )
        )
    )
    sheet = book["Referrals"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Reference", "Due", "Note")
    assert rows[1] == ("SR-1", dt.datetime(2026, 11, 23, 10, 0), "'\uff20SUM(A1)")
    assert rows[2] == ("SR-2", None, 7)
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


def test_chunks_cover_every_item_in_order():
    assert list(exports.chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(exports.chunks([], 3)) == []
