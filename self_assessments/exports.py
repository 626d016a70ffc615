"""A completed audit as CSV and as an Excel workbook: each item with its answer, score,
evidence and note, then the section totals, with the instrument's attribution."""

from django.utils import timezone

from casework import exports
from casework.exports import XLSX, Sheet  # noqa: F401 (XLSX: the views' content type)

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
    rows = [
        *about_rows(results),
        [],
        HEADER,
        *item_rows(results),
        [],
        ["Section totals"],
        TOTALS_HEADER,
        *total_rows(results),
    ]
    return exports.as_csv_text(rows)


def as_xlsx(results):
    return exports.as_xlsx_bytes(
        [
            Sheet(
                "Answers",
                item_rows(results),
                header=HEADER,
                widths=[24, 8, 60, 14, 7, 7, 40, 60, 22, 18],
                wrap=True,
            ),
            Sheet(
                "Section totals",
                total_rows(results),
                header=TOTALS_HEADER,
                widths=[40],
                freeze=False,
            ),
            Sheet("About", about_rows(results), widths=[16, 100], bold_first_column=True),
        ]
    )
