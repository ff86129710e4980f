"""The report's SVG charts (stats.charts): well-formed, accessible, escaped, readable without colour, and
calm with missing, zero and empty data. No database: run alone with
`.venv/bin/pytest -q -p no:django --noconftest -o addopts= tests/stats/test_charts.py`."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from stats import charts

SVG = "{http://www.w3.org/2000/svg}"
FORMAT = {"number_format": lambda n: f"{n:,}".replace(",", " ")}
THEMES = ["Choisir", "Apprendre", "Travailler"]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


@pytest.fixture(autouse=True)
def english():
    """The charts' own words (the colon after a label) in English, as the labels these tests give; French
    has its own test below."""
    with translation.override("en"):
        yield


def parse(svg: str) -> ET.Element:
    """The chart as an XML tree: parsing fails on anything not well-formed."""
    return ET.fromstring(str(svg))  # noqa: S314 — the charts made by the test, not outside input


def texts(root: ET.Element) -> list[str]:
    """What the chart writes, one string per `<text>`."""
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def drawn(root: ET.Element, tag: str) -> list[ET.Element]:
    """The elements of `tag` in the drawing, patterns and legend keys included (not what is in <defs>)."""
    defs = {
        id(element) for element in root.iter() if element.tag == f"{SVG}defs" for element in element.iter()
    }
    return [element for element in root.iter(f"{SVG}{tag}") if id(element) not in defs]


def assert_accessible(svg: str, prefix: str) -> ET.Element:
    """The contract every chart keeps, whatever it draws."""
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    title, description = list(root)[:2]
    assert (title.tag, title.get("id")) == (f"{SVG}title", f"{prefix}-title")
    assert (description.tag, description.get("id")) == (f"{SVG}desc", f"{prefix}-desc")
    assert title.text
    assert description.text
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert root.get("height") == root.get("viewBox").split()[3]
    assert root.get("font-family") == "'Source Sans 3', system-ui, sans-serif"
    ids = [element.get("id") for element in root.iter() if element.get("id") is not None]
    assert len(ids) == len(set(ids))
    assert all(identifier.startswith(f"{prefix}-") for identifier in ids)
    for element in root.iter():
        assert element.tag not in {f"{SVG}style", f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject"}
        for name, value in element.attrib.items():
            assert name != "style"
            assert not name.startswith("on")
            assert "href" not in name
            assert "//" not in value or name == "xmlns"
            for reference in re.findall(r"url\(#([^)]+)\)", value):
                assert reference in ids
    assert "style=" not in str(svg)
    return root


def every_chart(prefix: str = "chart", **overrides) -> dict[str, str]:
    """One chart of each kind with ordinary data."""
    return {
        "bar": charts.bar_chart(
            title="Services",
            description="Services in 2026.",
            labels=THEMES,
            values=[1234, 2345, 7],
            id_prefix=f"{prefix}-bar",
            **FORMAT,
        ),
        "column": charts.column_chart(
            title="Visits by month",
            description="On-site visits.",
            labels=MONTHS,
            values=list(range(100, 1300, 100)),
            comparison=list(range(50, 1250, 100)),
            series_names=("2026", "2025"),
            id_prefix=f"{prefix}-column",
            **FORMAT,
        ),
        "share": charts.share_bar(
            title="Women among people advised",
            description="Share of the sessions.",
            parts=[("Women", 53.2), ("Men", 46.8)],
            id_prefix=f"{prefix}-share",
            number_format=lambda n: f"{n} %".replace(".", ","),
        ),
    }


@pytest.mark.parametrize("kind", ["bar", "column", "share"])
def test_every_chart_is_accessible_well_formed_svg(kind):
    assert_accessible(every_chart()[kind], f"chart-{kind}")


def test_ids_stay_apart_between_charts_of_one_page():
    page = "".join(every_chart("first").values()) + "".join(every_chart("second").values())
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert {identifier.split("-")[0] for identifier in ids} == {"first", "second"}


def test_bar_chart_writes_every_label_and_value():
    root = assert_accessible(every_chart()["bar"], "chart-bar")
    written = texts(root)
    for text in [*THEMES, "1 234", "2 345", "7", "Services"]:
        assert text in written
    assert desc(root) == "Services in 2026. Choisir: 1 234; Apprendre: 2 345; Travailler: 7."
    assert root.find(f"{SVG}title").text == "Services"


def test_bars_are_drawn_to_scale_from_zero():
    root = parse(
        charts.bar_chart(
            title="T", description="D", labels=["a", "b", "c"], values=[50, 100, 0], id_prefix="s"
        )
    )
    bars = drawn(root, "rect")
    assert len(bars) == 3
    assert {bar.get("x") for bar in bars} == {bars[0].get("x")}
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] == pytest.approx(widths[1] / 2, abs=0.1)
    assert widths[2] == 0


def test_the_height_follows_the_number_of_bars():
    def height(count: int) -> int:
        svg = charts.bar_chart(
            title="T",
            description="D",
            labels=[f"l{n}" for n in range(count)],
            values=[1] * count,
            id_prefix="h",
        )
        return int(parse(svg).get("height"))

    assert height(2) < height(4) < height(12)
    assert height(12) - height(4) == pytest.approx(2 * (height(8) - height(4)), abs=2)


def test_long_labels_are_wrapped_rather_than_cut():
    label = "Outreach (fairs, events, Formtruck) and every other event outside the centre"
    root = parse(charts.bar_chart(title="T", description="D", labels=[label], values=[3], id_prefix="w"))
    lines = [text for text in texts(root) if text not in {"T", "3"}]
    assert len(lines) > 1
    assert " ".join(lines) == label
    assert label in desc(root)


def test_a_unit_follows_every_value():
    root = parse(
        charts.bar_chart(
            title="T", description="D", labels=["a", "b"], values=[12.5, 3], id_prefix="u", unit="min"
        )
    )
    assert {"12.5\u00a0min", "3\u00a0min"} <= set(texts(root))
    assert desc(root) == "D a: 12.5\u00a0min; b: 3\u00a0min."


def test_text_is_escaped():
    nasty = 'Études & <b>"emploi"</b>'
    svg = charts.bar_chart(
        title="A & <B>",
        description="Less < more & so on.",
        labels=[nasty, "ok"],
        values=[1, 2],
        id_prefix="esc",
        unit="<%>",
        number_format=lambda n: f"{n}&",
    )
    root = assert_accessible(svg, "esc")
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert nasty in texts(root)
    assert "1&\u00a0<%>" in texts(root)
    assert root.find(f"{SVG}title").text == "A & <B>"
    assert desc(root).startswith("Less < more & so on. Études & <b>")


def test_escaping_holds_for_every_kind_of_chart():
    nasty = "<script>alert(1)</script> & co"
    made = [
        charts.column_chart(
            title=nasty,
            description=nasty,
            labels=[nasty],
            values=[1],
            comparison=[2],
            series_names=(nasty, nasty),
            id_prefix="c",
        ),
        charts.share_bar(title=nasty, description=nasty, parts=[(nasty, 1)], id_prefix="c"),
        charts.bar_chart(
            title=nasty, description=nasty, labels=[], values=[], id_prefix="c", empty_label=nasty
        ),
    ]
    for svg in made:
        root = assert_accessible(svg, "c")
        assert "<script" not in svg
        assert any(nasty in text for text in texts(root))


def test_characters_xml_forbids_are_dropped():
    svg = charts.bar_chart(
        title="T\x00", description="D\x0b", labels=["a\x1fb", "c\nd"], values=[1, 2], id_prefix="x"
    )
    root = parse(svg)
    assert {"ab", "c d"} <= set(texts(root))


def test_a_missing_value_is_no_bar_but_its_label():
    root = parse(
        charts.bar_chart(
            title="T",
            description="D",
            labels=["Choisir", "Apprendre", "Travailler"],
            values=[10, None, "<5"],
            id_prefix="m",
            missing_label="<5",
        )
    )
    assert len(drawn(root, "rect")) == 1
    assert texts(root).count("<5") == 2
    assert desc(root) == "D Choisir: 10; Apprendre: <5; Travailler: <5."


def test_missing_values_in_columns_and_comparison():
    root = parse(
        charts.column_chart(
            title="T",
            description="D",
            labels=["a", "b"],
            values=[None, 4],
            comparison=[3, float("nan")],
            series_names=("2026", "2025"),
            id_prefix="m",
        )
    )
    assert len([rect for rect in drawn(root, "rect") if float(rect.get("height")) > 13.5]) == 2
    assert texts(root).count("—") == 2
    assert desc(root) == "D 2026 — a: —; b: 4. 2025 — a: 3; b: —."


def test_column_chart_writes_both_series_with_a_legend():
    root = assert_accessible(every_chart()["column"], "chart-column")
    written = texts(root)
    for text in [*MONTHS, "2026", "2025", "1 200", "1 150", "100", "50"]:
        assert text in written
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert [pattern.get("id") for pattern in patterns] == ["chart-column-hatch-0"]
    hatched = [rect for rect in drawn(root, "rect") if rect.get("fill") == "url(#chart-column-hatch-0)"]
    assert len(hatched) == 12 + 1  # the columns of 2025, and its key in the legend
    solid = [rect for rect in drawn(root, "rect") if rect.get("fill") == charts.PALETTE[0]]
    assert len(solid) == 12 + 1
    assert desc(root) == (
        "On-site visits. 2026 — "
        + "; ".join(
            f"{month}: {value:,}".replace(",", " ")
            for month, value in zip(MONTHS, range(100, 1300, 100), strict=True)
        )
        + ". 2025 — "
        + "; ".join(
            f"{month}: {value:,}".replace(",", " ")
            for month, value in zip(MONTHS, range(50, 1250, 100), strict=True)
        )
        + "."
    )


def test_bar_chart_compares_too_and_columns_turn_into_bars():
    arguments = {
        "title": "T",
        "description": "D",
        "labels": ["a", "b"],
        "values": [1, 2],
        "comparison": [3, 4],
        "series_names": ("now", "then"),
        "id_prefix": "b",
    }
    root = assert_accessible(charts.bar_chart(**arguments), "b")
    assert {"now", "then", "1", "2", "3", "4"} <= set(texts(root))
    assert desc(root) == "D now — a: 1; b: 2. then — a: 3; b: 4."
    assert charts.bar_chart(**arguments, horizontal=False) == charts.column_chart(**arguments)
    assert charts.column_chart(**arguments, horizontal=True) == charts.bar_chart(**arguments)


def test_bars_of_several_colours_keep_a_legend_in_ink():
    root = parse(
        charts.column_chart(
            title="T",
            description="D",
            labels=THEMES,
            values=[1, 2, 3],
            comparison=[3, 2, 1],
            series_names=("2026", "2025"),
            colours=["#6A3D9A", "#005A9C", "#00705F"],
            id_prefix="k",
        )
    )
    fills = {rect.get("fill") for rect in drawn(root, "rect")}
    assert {"#6A3D9A", "#005A9C", "#00705F", charts.INK_SOFT} <= fills
    assert len(root.findall(f"{SVG}defs/{SVG}pattern")) == 4  # a hatch per colour and one for the legend


def test_a_comparison_needs_names_and_the_right_length():
    with pytest.raises(ValueError, match="series_names"):
        charts.column_chart(
            title="T", description="D", labels=["a"], values=[1], comparison=[2], id_prefix="c"
        )
    with pytest.raises(ValueError, match="comparison"):
        charts.column_chart(
            title="T",
            description="D",
            labels=["a"],
            values=[1],
            comparison=[2, 3],
            series_names=("x", "y"),
            id_prefix="c",
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"values": [1]}, "values has 1 values for 2 labels"),
        ({"values": [1, -2]}, "negative"),
        ({"id_prefix": "2 charts"}, "id_prefix"),
        ({"id_prefix": 'x" onload="alert(1)'}, "id_prefix"),
        ({"colours": ["red"]}, "hex colours"),
        ({"colours": ['#fff" onload="x']}, "hex colours"),
    ],
)
def test_bad_arguments_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        charts.bar_chart(
            **{"title": "T", "description": "D", "labels": ["a", "b"], "values": [1, 2], "id_prefix": "p"}
            | arguments
        )


def test_all_zeros_draw_without_dividing_by_zero():
    made = {
        "bar": charts.bar_chart(title="T", description="D", labels=["a", "b"], values=[0, 0], id_prefix="z"),
        "column": charts.column_chart(
            title="T",
            description="D",
            labels=["a", "b"],
            values=[0, 0],
            comparison=[0, None],
            series_names=("x", "y"),
            id_prefix="z",
        ),
        "share": charts.share_bar(title="T", description="D", parts=[("a", 0), ("b", 0)], id_prefix="z"),
        "none": charts.bar_chart(title="T", description="D", labels=["a"], values=[None], id_prefix="z"),
    }
    for kind, svg in made.items():
        root = assert_accessible(svg, "z")
        assert "a: " in desc(root), kind
    assert desc(parse(made["bar"])) == "D a: 0; b: 0."
    assert texts(parse(made["bar"])).count("0") == 2
    assert desc(parse(made["share"])) == "D a: 0; b: 0."


@pytest.mark.parametrize("kind", ["bar", "column", "share"])
def test_no_data_says_so(kind):
    common = {
        "title": "Visits",
        "description": "On-site visits.",
        "id_prefix": "e",
        "empty_label": "No data.",
    }
    svg = {
        "bar": lambda: charts.bar_chart(labels=[], values=[], **common),
        "column": lambda: charts.column_chart(
            labels=[], values=[], comparison=[], series_names=("a", "b"), **common
        ),
        "share": lambda: charts.share_bar(parts=[], **common),
    }[kind]()
    root = assert_accessible(svg, "e")
    assert desc(root) == "On-site visits. No data."
    assert "No data." in texts(root)


def test_the_title_can_be_left_to_a_caption():
    svg = charts.bar_chart(
        title="Services", description="D", labels=["a"], values=[1], id_prefix="t", show_title=False
    )
    root = assert_accessible(svg, "t")
    assert "Services" not in texts(root)
    assert root.find(f"{SVG}title").text == "Services"


def test_share_bar_splits_in_proportion_with_hatching():
    root = assert_accessible(every_chart()["share"], "chart-share")
    assert desc(root) == "Share of the sessions. Women: 53,2 %; Men: 46,8 %."
    assert {"53,2 %", "46,8 %", "Women: 53,2 %", "Men: 46,8 %"} <= set(texts(root))
    women, men = [
        rect for rect in drawn(root, "rect") if rect.get("height") == "32" and rect.get("fill") != "none"
    ]
    assert float(women.get("width")) / float(men.get("width")) == pytest.approx(53.2 / 46.8, rel=0.01)
    assert women.get("fill") == charts.PALETTE[0]
    assert men.get("fill") == "url(#chart-share-pattern-1)"


def test_share_bar_parts_differ_by_pattern_and_colour():
    parts = [(f"part {n}", 10 + n) for n in range(5)]
    root = assert_accessible(charts.share_bar(title="T", description="D", parts=parts, id_prefix="p"), "p")
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert [pattern.get("id") for pattern in patterns] == [f"p-pattern-{n}" for n in range(1, 5)]
    marks = [ET.tostring(pattern[1]) for pattern in patterns]
    assert len(set(marks)) == 4
    assert [pattern[0].get("fill") for pattern in patterns] == list(charts.PALETTE[1:])


def test_share_bar_counts_and_missing_parts():
    root = parse(
        charts.share_bar(
            title="T",
            description="D",
            parts=[("a", 30), ("b", None), ("c", Decimal(10))],
            id_prefix="q",
            unit="people",
            missing_label="<5",
        )
    )
    assert desc(root) == "D a: 30\u00a0people; b: <5; c: 10.0\u00a0people."
    a, c = [rect for rect in drawn(root, "rect") if rect.get("height") == "32" and rect.get("fill") != "none"]
    assert float(a.get("width")) == pytest.approx(3 * float(c.get("width")), rel=0.01)


def test_many_columns_turn_their_labels():
    long_months = [f"{month} 2026" for month in ["septembre", "novembre", "décembre"] * 4]
    root = assert_accessible(
        charts.column_chart(
            title="T",
            description="D",
            labels=long_months,
            values=[123456] * 12,
            comparison=[654321] * 12,
            series_names=("a", "b"),
            id_prefix="r",
            **FORMAT,
        ),
        "r",
    )
    turned = [text for text in root.iter(f"{SVG}text") if "rotate" in (text.get("transform") or "")]
    assert len(turned) == 12 + 24  # every month and every value
    assert set(long_months) <= set(texts(root))
    assert {"123 456", "654 321"} <= set(texts(root))


def test_the_palette_reads_on_white_and_in_greyscale():
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def lightness(colour: str) -> float:
        return 116 * luminance(colour) ** (1 / 3) - 16

    assert len(charts.PALETTE) == 5
    for colour in [*charts.PALETTE, charts.INK, charts.INK_SOFT]:
        assert 1.05 / (luminance(colour) + 0.05) >= 3
    steps = [lightness(b) - lightness(a) for a, b in itertools.pairwise(charts.PALETTE)]
    assert min(steps) >= 6  # dark to light, a visible step apart once printed in grey


def test_lazy_text_and_decimal_values():
    class Lazy:
        def __str__(self):
            return "Apprendre"

    root = parse(
        charts.bar_chart(
            title=Lazy(), description=Lazy(), labels=[Lazy()], values=[Decimal("2.5")], id_prefix="z"
        )
    )
    assert {"Apprendre", "2.5"} <= set(texts(root))
    assert desc(root) == "Apprendre Apprendre: 2.5."


def test_no_break_spaces_of_the_format_are_kept():
    root = parse(
        charts.bar_chart(
            title="T",
            description="D",
            labels=["a"],
            values=[38167],
            id_prefix="n",
            number_format=lambda n: f"{n:,}".replace(",", "\u202f"),
        )
    )
    assert "38\u202f167" in texts(root)


@pytest.mark.parametrize(("language", "colon"), [("fr", " : "), ("nl", ": ")])
def test_each_label_and_its_value_are_joined_as_the_language_writes_it(language, colon):
    """French puts a space before the colon, in the chart's description and in its keys alike."""
    with translation.override(language):
        bars = parse(
            charts.bar_chart(title="T", description="D", labels=["a", "b"], values=[10, 2], id_prefix="l")
        )
        share = parse(
            charts.share_bar(title="T", description="D", parts=[("Femmes", 10), ("Hommes", 2)], id_prefix="s")
        )
    assert desc(bars) == f"D a{colon}10; b{colon}2."
    assert f"Femmes{colon}10" in texts(share)
