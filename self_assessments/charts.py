"""Charts of an audit's results, drawn on the server as accessible SVG.

Beyond Referrals (a rubric whose items describe each level): a radar chart per lever (its
themes' scores, 0 to 2) and an overall radar (each lever's percentage); the NSPCC audit (a
scale): a bar chart of each domain's percentage. A previous audit is drawn on the same chart
as a dashed line (radar) or a thin dark bar (bars), and said in words, so colour is never the
only signal. Each chart is role="img" with a <title> and <desc> that carry its numbers, its
text labels carry the numbers too, and the page puts a table of the same numbers beside it."""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

CURRENT = "#1d70b8"
PREVIOUS = "#0b0c0c"
GRID = "#b1b4b6"
TEXT = "#0b0c0c"


@dataclass
class Axis:
    label: str
    value: float | None  # None: not answered yet
    maximum: float
    previous: float | None = None
    shown: str = ""  # the number as written on the chart, e.g. "2 of 2" or "75%"
    previous_shown: str = ""


def _wrap(text, width=18):
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def _fmt(number):
    return f"{number:g}"


def radar(*, chart_id, title, axes, previous_label=""):
    """A radar (spider) chart of 3 or more axes, each scaled to its own maximum."""
    if len(axes) < 3:
        return bars(chart_id=chart_id, title=title, axes=axes, previous_label=previous_label)
    # Wide enough that the side labels (name, score, previous score) fit beside the chart.
    width, size, cx, cy, r = 600, 540, 300, 240, 125
    n = len(axes)
    has_previous = any(a.previous is not None for a in axes)

    def point(i, fraction):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * fraction * math.cos(angle), cy + r * fraction * math.sin(angle)

    parts = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(
            f'<polygon points="{ring_points}" fill="none" stroke="{GRID}" stroke-width="1"/>'
        )
    for i, axis in enumerate(axes):
        x, y = point(i, 1.0)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        lx, ly = point(i, 1.18)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = _wrap(axis.label)
        lines.append(axis.shown or "not answered")
        score_line = len(lines) - 1
        if axis.previous_shown:
            lines.append(f"(was {axis.previous_shown})")
        top = (
            ly - (len(lines) - 1) * 8
            if abs(ly - cy) < r * 0.6
            else (ly - (len(lines) - 1) * 16 if ly < cy else ly)
        )
        bold = ' font-weight="bold"'
        spans = "".join(
            f'<tspan x="{lx:.1f}" y="{top + k * 16:.1f}"'
            f"{bold if k == score_line else ''}>{escape(text)}</tspan>"
            for k, text in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="{anchor}" font-size="13" fill="{TEXT}" '
            f'data-axis="{escape(axis.label)}">{spans}</text>'
        )
    if has_previous:
        previous_points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (
                point(i, (a.previous or 0) / a.maximum if a.maximum else 0)
                for i, a in enumerate(axes)
            )
        )
        parts.append(
            f'<polygon class="app-chart__previous" points="{previous_points}" fill="none" '
            f'stroke="{PREVIOUS}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    current = [point(i, (a.value or 0) / a.maximum if a.maximum else 0) for i, a in enumerate(axes)]
    current_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in current)
    parts.append(
        f'<polygon class="app-chart__current" points="{current_points}" fill="{CURRENT}" '
        f'fill-opacity="0.25" stroke="{CURRENT}" stroke-width="3"/>'
    )
    for (x, y), axis in zip(current, axes, strict=True):
        if axis.value is not None:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{CURRENT}"/>')
    legend_y = size - 30
    parts.append(_legend(legend_y, has_previous, previous_label, shape="line"))
    return svg_chart(chart_id, title, _description(axes, previous_label), width, size, parts)


def bars(*, chart_id, title, axes, previous_label=""):
    """A horizontal bar chart, each bar scaled to its own maximum; the previous audit is a
    thin dark bar under each."""
    has_previous = any(a.previous is not None for a in axes)
    label_width, bar_width, row = 260, 300, 64 if has_previous else 48
    width = label_width + bar_width + 110
    height = 30 + row * len(axes) + 60
    parts = []
    for k in range(0, 5):
        x = label_width + bar_width * k / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{20 + row * len(axes)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="14" font-size="11" text-anchor="middle" fill="{TEXT}">'
            f"{k * 25}%</text>"
        )
    for i, axis in enumerate(axes):
        top = 24 + row * i
        lines = _wrap(axis.label, 34)
        if len(lines) > 3:  # a long domain name: its first words, marked as cut short
            lines = [*lines[:2], f"{lines[2]}…"]
        spans = "".join(
            f'<tspan x="{label_width - 10}" y="{top + 16 + k * 15}">{escape(t)}</tspan>'
            for k, t in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="end" font-size="13" fill="{TEXT}" '
            f'data-axis="{escape(axis.label)}">{spans}</text>'
        )
        fraction = (axis.value or 0) / axis.maximum if axis.maximum else 0
        w = bar_width * fraction
        parts.append(
            f'<rect class="app-chart__current" x="{label_width}" y="{top}" width="{w:.1f}" '
            f'height="24" fill="{CURRENT}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{top + 17}" font-size="13" '
            f'font-weight="bold" fill="{TEXT}">{escape(axis.shown or "not answered")}</text>'
        )
        if axis.previous is not None:
            pw = bar_width * (axis.previous / axis.maximum if axis.maximum else 0)
            parts.append(
                f'<rect class="app-chart__previous" x="{label_width}" y="{top + 30}" '
                f'width="{pw:.1f}" height="8" fill="{PREVIOUS}"/>'
                f'<text x="{label_width + pw + 6:.1f}" y="{top + 39}" font-size="11" '
                f'fill="{TEXT}">was {escape(axis.previous_shown)}</text>'
            )
    parts.append(_legend(height - 24, has_previous, previous_label, shape="bar"))
    return svg_chart(chart_id, title, _description(axes, previous_label), width, height, parts)


def _legend(y, has_previous, previous_label, *, shape):
    if shape == "line":
        current = (
            f'<line x1="20" y1="{y - 4}" x2="50" y2="{y - 4}" stroke="{CURRENT}" stroke-width="3"/>'
        )
        previous = (
            f'<line x1="20" y1="{y + 16}" x2="50" y2="{y + 16}" stroke="{PREVIOUS}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        current_words, previous_words = "Solid line: this audit", "Dashed line: "
    else:
        current = f'<rect x="20" y="{y - 12}" width="30" height="12" fill="{CURRENT}"/>'
        previous = f'<rect x="20" y="{y + 10}" width="30" height="6" fill="{PREVIOUS}"/>'
        current_words, previous_words = "Thick bar: this audit", "Thin bar: "
    out = current + (f'<text x="58" y="{y}" font-size="12" fill="{TEXT}">{current_words}</text>')
    if has_previous:
        out += previous + (
            f'<text x="58" y="{y + 20}" font-size="12" fill="{TEXT}">'
            f"{previous_words}{escape(previous_label or 'previous audit')}</text>"
        )
    return out


def _description(axes, previous_label):
    said = []
    for axis in axes:
        words = f"{axis.label}: {axis.shown or 'not answered'}"
        if axis.previous_shown:
            words += f", previously {axis.previous_shown}"
        said.append(words)
    text = "; ".join(said) + "."
    if previous_label:
        text += f" Compared with {previous_label}."
    return text


def svg_chart(chart_id, title, description, width, height, parts):
    chart_id = escape(chart_id)
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" '
        f'font-family="Arial, &quot;Liberation Sans&quot;, Helvetica, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


# --- the charts of one audit's results ---------------------------------------------------


@dataclass
class Chart:
    chart_id: str
    title: str
    svg: str
    caption: str
    rows: list  # the table beside it: [{"label", "shown", "previous_shown", "change"}]
    kind: str


def _score_shown(value, maximum):
    return f"{_fmt(value)} of {_fmt(maximum)}" if value is not None else ""


def charts_for(results):
    """The charts of an audit's results, each with the table of the same numbers."""
    instrument = results.instrument
    previous = results.previous
    previous_label = (
        f"the previous audit ({previous.submitted_at or previous.created_at:%B %Y})"
        if previous is not None
        else ""
    )
    charts = []
    overall_axes = [
        Axis(
            label=s.section.title,
            value=s.percent if s.answered else None,
            maximum=100,
            previous=s.previous_percent,
            shown=f"{s.score} of {s.maximum} ({s.percent}%)" if s.answered else "",
            previous_shown=(
                f"{s.previous_score} of {s.maximum} ({s.previous_percent}%)"
                if s.previous_score is not None
                else ""
            ),
        )
        for s in results.sections
    ]
    overall_rows = [
        {
            "label": s.section.title,
            "shown": a.shown,
            "previous_shown": a.previous_shown,
            "change": s.change,
        }
        for s, a in zip(results.sections, overall_axes, strict=True)
    ]
    label = instrument.section_label.lower()
    if instrument.uses_descriptors:
        charts.append(
            Chart(
                "chart-overall",
                f"Overall: percentage of the highest score, by {label}",
                radar(
                    chart_id="chart-overall",
                    title=f"Overall radar chart: each {label}'s score as a percentage",
                    axes=overall_axes,
                    previous_label=previous_label,
                ),
                f"Overall: {results.score} of {results.maximum} ({results.percent}%)",
                overall_rows,
                "radar",
            )
        )
        for s in results.sections:
            chart_id = f"chart-section-{s.section.position}"
            axes = [
                Axis(
                    label=r.item.title or r.item.number,
                    value=r.score,
                    maximum=r.maximum,
                    previous=r.previous_score,
                    shown=(f"{r.level['label']} {r.score} of {r.maximum}" if r.level else ""),
                    previous_shown=(
                        f"{r.previous_level['label']} {r.previous_score}"
                        if r.previous_level
                        else ""
                    ),
                )
                for r in s.items
            ]
            charts.append(
                Chart(
                    chart_id,
                    f"{instrument.section_label} {s.section.position}: {s.section.title}",
                    radar(
                        chart_id=chart_id,
                        title=f"Radar chart of {s.section.title}: each "
                        f"{instrument.item_label.lower()}'s score, 0 to {instrument.max_value}",
                        axes=axes,
                        previous_label=previous_label,
                    ),
                    f"{s.section.title}: {s.score} of {s.maximum} ({s.percent}%)",
                    [
                        {
                            "label": f"{r.item.number} {r.item.title}".strip(),
                            "shown": a.shown or "Not answered",
                            "previous_shown": a.previous_shown,
                            "change": r.change,
                        }
                        for r, a in zip(s.items, axes, strict=True)
                    ],
                    "radar",
                )
            )
    else:
        charts.append(
            Chart(
                "chart-overall",
                f"Score by {label}, as a percentage of the highest score",
                bars(
                    chart_id="chart-overall",
                    title=f"Bar chart: each {label}'s score as a percentage of the highest",
                    axes=overall_axes,
                    previous_label=previous_label,
                ),
                f"Overall: {results.score} of {results.maximum} ({results.percent}%)",
                overall_rows,
                "bars",
            )
        )
    return charts
