"""Small, accessible charts drawn on the server as SVG: no JavaScript, nothing fetched,
printable and usable in WeasyPrint PDFs.

    from school_assessments.charts import bar_chart

    svg = bar_chart(
        [("Toilets", 42), ("Bus", 35)],
        title="Where pupils feel unsafe",
        description="Share of survey respondents who feel unsafe in each place.",
        unit="%",
        max_value=100,
    )

`bar_chart` returns safe markup to put straight into a template (`{{ svg }}`). The chart is
one image to assistive technology (role="img", named by its <title> and described by its
<desc>, through aria-labelledby); every bar also carries its number as text, so colour is
never the only signal. Always show the same numbers in a table beside the chart: the table
is what screen-reader users and people who copy the figures will use."""

import itertools

from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

_ids = itertools.count(1)

# Layout, in SVG user units (the chart scales to the width of its container).
WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 60
BAR_HEIGHT = 22
ROW_HEIGHT = 34
TOP = 8
LABEL_CHARS = 30
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT_COLOUR = "#0b0c0c"


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(rows, *, title, description="", unit="", max_value=None, chart_id=None):
    """A horizontal bar chart as safe SVG markup.

    rows: (label, value) pairs, drawn top to bottom in the order given; value is a number
        of zero or more.
    title: what the chart shows, read as the image's name ("Where pupils feel unsafe").
    description: a sentence read after the title (what the numbers are, where from).
    unit: written after each number ("%" gives "42%").
    max_value: the value of a full-width bar (100 for percentages); by default the largest
        value in rows.
    chart_id: a prefix for the ids inside the SVG; give one if the same title may appear
        twice on a page (by default a prefix made from the title and a counter).

    With no rows it returns a short paragraph saying there is nothing to show."""
    rows = [(str(label), value) for label, value in rows]
    if not rows:
        return format_html('<p class="govuk-body">{}: no figures recorded yet.</p>', title)
    prefix = chart_id or f"chart-{slugify(title)[:40] or 'bars'}-{next(_ids)}"
    scale_max = max_value if max_value else max(value for _, value in rows) or 1
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * len(rows)

    def bar(index, label, value):
        y = TOP + index * ROW_HEIGHT
        length = round(bar_area * min(value, scale_max) / scale_max, 1)
        text_y = y + BAR_HEIGHT / 2 + 5
        return (
            _number(value) + unit,
            label,
            LABEL_WIDTH - 8,
            text_y,
            _short(label),
            LABEL_WIDTH,
            y,
            length,
            BAR_HEIGHT,
            LABEL_WIDTH + length + 6,
            text_y,
            _number(value) + unit,
        )

    bars = format_html_join(
        "",
        "<g><title>{1}: {0}</title>"
        '<text x="{2}" y="{3}" text-anchor="end">{4}</text>'
        '<rect x="{5}" y="{6}" width="{7}" height="{8}" fill="' + BAR_COLOUR + '"></rect>'
        '<text x="{9}" y="{10}" font-weight="bold">{11}</text></g>',
        (bar(i, label, value) for i, (label, value) in enumerate(rows)),
    )
    axis = format_html(
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1"></line>',
        LABEL_WIDTH,
        TOP - 4,
        height - TOP + 4,
        TEXT_COLOUR,
    )
    return format_html(
        '<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{prefix}-title {prefix}-desc" '
        'font-family="Arial, &quot;Liberation Sans&quot;, Helvetica, sans-serif" '
        'font-size="14" fill="{text}">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>'
        "{axis}{bars}</svg>",
        width=WIDTH,
        height=height,
        prefix=prefix,
        text=TEXT_COLOUR,
        title=title,
        description=description or _summary(rows, unit),
        axis=axis,
        bars=bars,
    )


def _summary(rows, unit):
    """The figures in words, for a chart given no description (escaped by format_html)."""
    return "; ".join(f"{label}: {_number(value)}{unit}" for label, value in rows)
