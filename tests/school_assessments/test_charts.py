"""bar_chart: accessible SVG, each bar labelled with its number, text escaped."""

from xml.etree import ElementTree

from school_assessments.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ElementTree.fromstring(str(markup))


def test_the_chart_is_one_named_and_described_image():
    svg = _parse(
        bar_chart(
            [("Toilets", 42), ("Bus", 35)],
            title="Where pupils feel unsafe",
            description="Share of respondents.",
            unit="%",
            max_value=100,
            chart_id="unsafe",
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "unsafe-title unsafe-desc"
    assert svg.find(f"{SVG}title").get("id") == "unsafe-title"
    assert svg.find(f"{SVG}title").text == "Where pupils feel unsafe"
    assert svg.find(f"{SVG}desc").text == "Share of respondents."
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Toilets", "42%", "Bus", "35%"]


def test_bars_are_proportional_to_the_maximum():
    svg = _parse(bar_chart([("A", 50), ("B", 100)], title="T", max_value=100))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[1] == 2 * widths[0]
    svg = _parse(bar_chart([("A", 5), ("B", 10)], title="T"))  # scaled to the largest
    assert [float(r.get("width")) for r in svg.iter(f"{SVG}rect")] == [185.0, 370.0]


def test_labels_are_escaped_and_long_ones_shortened_with_the_full_name_kept():
    long = "The footpath behind the sports hall <near the gate> & the car park"
    markup = str(bar_chart([(long, 12)], title="<Where>"))
    assert "<near" not in markup and "&lt;near the gate&gt; &amp;" in markup
    assert "&lt;Where&gt;" in markup
    svg = _parse(markup)
    assert svg.find(f"{SVG}g/{SVG}title").text.startswith(long)
    assert next(svg.iter(f"{SVG}text")).text.endswith("…")


def test_without_a_description_the_figures_are_read_out():
    svg = _parse(bar_chart([("Library", 81)], title="Safe", unit="%"))
    assert svg.find(f"{SVG}desc").text == "Library: 81%"


def test_no_rows_says_so():
    assert "no figures recorded yet" in str(bar_chart([], title="Where pupils feel safe"))
