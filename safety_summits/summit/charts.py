"""The safety map as an accessible chart, drawn on the server as SVG (like the audits'
charts, self_assessments.charts): a pair of bars for each place, how many young people
marked it safe and how many unsafe, each bar labelled with its word and number, so colour
is never the only signal. The page puts a table of the same numbers beside it."""

from django.utils.html import escape

from self_assessments.charts import TEXT, svg_chart

SAFE = "#00703c"
UNSAFE = "#d4351c"


def safety_map_chart(places, chart_id="safety-map"):
    label_width, bar_width, row = 250, 300, 50
    width = label_width + bar_width + 120
    height = 20 + row * len(places)
    most = max([max(p.safe_count, p.unsafe_count) for p in places] or [1]) or 1
    parts, said = [], []
    for i, place in enumerate(places):
        top = 10 + row * i
        label = f"{place.name} ({place.school.name})"
        parts.append(
            f'<text x="{label_width - 10}" y="{top + 20}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(label[:40])}</text>'
        )
        for k, (word, count, colour) in enumerate(
            (("safe", place.safe_count, SAFE), ("unsafe", place.unsafe_count, UNSAFE))
        ):
            y = top + k * 20
            w = bar_width * count / most
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="16" fill="{colour}"/>'
                f'<text x="{label_width + w + 6:.1f}" y="{y + 13}" font-size="12" '
                f'fill="{TEXT}">{count} {word}</text>'
            )
        said.append(f"{label}: {place.safe_count} safe, {place.unsafe_count} unsafe")
    return svg_chart(
        chart_id,
        "Safety map: how many young people marked each place safe and unsafe",
        "; ".join(said) + ".",
        width,
        height,
        parts,
    )
