"""A completed audit as CSV and as an Excel workbook: each item with its answer, score,
evidence and note, then the section totals, with the instrument's attribution."""

import csv
import io

from django.utils import timezone

HEADER = [
    "Section",
    "Number",
    "Item",
    "Answer",
    "Score",
    "Out of",
    "Evidence",
    "Note",
    "Answered by",
    "Answered at",
]
TOTALS_HEADER = ["Section", "Score", "Out of", "Percent", "Items answered", "Items"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    """Spreadsheet programs run a cell that starts with = + - @ as a formula: free text
    from an audit must never do that (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def about_rows(results):
    audit, instrument = results.assessment, results.instrument
    return [
        ["Audit", audit.title],
        ["Of", audit.subject_name],
        ["Status", audit.get_state_display()],
        ["Instrument", f"{instrument.name} (version {instrument.version})"],
        ["Published by", instrument.publisher],
        ["Source", instrument.source],
        ["Exported", timezone.localtime().strftime("%d %b %Y %H:%M")],
    ]


def item_rows(results):
    instrument = results.instrument
    rows = []
    for section in results.sections:
        for r in section.items:
            answer = r.answer
            rows.append(
                [
                    section.section.title,
                    r.item.number,
                    (f"{r.item.title}: " if r.item.title else "")
                    + (f"{r.item.stem} " if r.item.stem else "")
                    + r.item.text,
                    r.level["label"] if r.level else "Not answered",
                    r.score if r.score is not None else "",
                    r.maximum,
                    "; ".join(instrument.evidence_label(e) for e in answer.evidence)
                    if answer
                    else "",
                    answer.note if answer else "",
                    str(answer.answered_by) if answer else "",
                    timezone.localtime(answer.answered_at).strftime("%d %b %Y %H:%M")
                    if answer
                    else "",
                ]
            )
    return rows


def total_rows(results):
    rows = [
        [s.section.title, s.score, s.maximum, s.percent, s.answered, s.total]
        for s in results.sections
    ]
    rows.append(
        [
            "Overall",
            results.score,
            results.maximum,
            results.percent,
            results.answered,
            results.total,
        ]
    )
    return rows


def as_csv(results):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in about_rows(results):
        writer.writerow([_safe(v) for v in row])
    writer.writerow([])
    writer.writerow(HEADER)
    for row in item_rows(results):
        writer.writerow([_safe(v) for v in row])
    writer.writerow([])
    writer.writerow(["Section totals"])
    writer.writerow(TOTALS_HEADER)
    for row in total_rows(results):
        writer.writerow([_safe(v) for v in row])
    return "\ufeff" + out.getvalue()  # a byte order mark, so Excel reads UTF-8


def as_xlsx(results):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    answers = book.active
    answers.title = "Answers"
    answers.append(HEADER)
    for row in item_rows(results):
        answers.append([_safe(v) for v in row])
    widths = [24, 8, 60, 14, 7, 7, 40, 60, 22, 18]
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        answers.column_dimensions[column].width = width
    for cell in answers[1]:
        cell.font = Font(bold=True)
    for row in answers.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    answers.freeze_panes = "A2"

    totals = book.create_sheet("Section totals")
    totals.append(TOTALS_HEADER)
    for row in total_rows(results):
        totals.append([_safe(v) for v in row])
    for cell in totals[1]:
        cell.font = Font(bold=True)
    totals.column_dimensions["A"].width = 40

    about = book.create_sheet("About")
    for row in about_rows(results):
        about.append([_safe(v) for v in row])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100
    for cell in about["A"]:
        cell.font = Font(bold=True)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
