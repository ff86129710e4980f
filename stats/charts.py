"""The report's charts as accessible SVG drawn on the server: bars, columns, lines and a 100 % share bar.

Each chart is one `<svg role="img">` named by its `<title>` and `<desc>`: the caller's description followed
by every label and value, so that a screen reader hears the figures the eye reads. They stay readable in
print and in black and white: a value is written at every bar, column and share, the series of a chart
differ by hatching, marker and dash as well as by colour, and every colour keeps 3:1 against white. There
is no script, no external resource and no inline style (the Content-Security-Policy forbids them), only
SVG presentation attributes, so WeasyPrint draws them as the browser does.

All text comes from the caller, already translated, and is escaped here; numbers go through the caller's
`number_format`, so that they read as the active language writes them (1 234, 1.234, 53,2). `id_prefix`
keeps apart the ids of several charts on one page. The SVG is `width="100%"` of its container, its height
following from the `viewBox`; `width` is the drawing's width in user units, font sizes being set for about
640 (the printed page)."""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Required, TypedDict, Unpack

from django.utils.safestring import SafeString, mark_safe

from citedesmetiers.templatetags.cdm import labelled

NumberFormat = Callable[[int | float], str]

# Dark to light, each at least 3:1 against white (13.8, 9.3, 6.5, 4.6, 3.5) and a clear step apart in
# greyscale (CIE L* 18, 30, 40, 50, 57): the brand navy, then the hues of the themes.
PALETTE: tuple[str, ...] = ("#1D2B53", "#5A3483", "#006A5A", "#0078D0", "#E26200")
INK = "#1B1F2A"
INK_SOFT = "#4A5163"
GRID = "#D5D9E2"
PAPER = "#FFFFFF"
# The report's typeface where the page has it (static/stats/report.css), the system's elsewhere.
FONT_FAMILY = "'Source Sans 3', system-ui, sans-serif"
FONT_SIZE = 13
SMALL_SIZE = 12
TITLE_SIZE = 15
LINE_HEIGHT = 16
PLOT_HEIGHT = 200
BAR = 20
# The fills of a share bar's parts: colour, then white marks on it that stay distinct in black and white.
PATTERN_KINDS = ("solid", "diagonal", "dots", "grid", "horizontal")

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3}){1,2}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"[ \t\n\r]+")
_NARROW = set("fijlrtI.,:;'!|()[] ")
_WIDE = set("mwMW@%—")
_DIGITS = set("0123456789")


def _text(value: object) -> str:
    """The caller's text on one line, of characters XML allows (lazy translations made str; no-break spaces,
    which keep "1 234" together, are kept)."""
    return _BREAKS.sub(" ", _NOT_XML.sub("", str(value))).strip()


def _e(value: object) -> str:
    """Text escaped for an XML element or attribute."""
    return escape(_text(value), quote=True)


def _n(number: float) -> str:
    """A coordinate with at most one decimal: 12, 12.5."""
    rounded = round(number, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _char_width(char: str) -> float:
    """The width of a character in ems, as DejaVu Sans draws it (wider than most system fonts)."""
    if char in _NARROW:
        return 0.32
    if char in _WIDE:
        return 0.92
    if char in _DIGITS:
        return 0.66
    return 0.72 if char.isupper() else 0.63


def _text_width(text: str, size: float) -> float:
    """An estimate of the drawn width of `text` at `size`, on the wide side, for the layout."""
    return sum(_char_width(char) for char in text) * size


def _wrap(text: str, max_width: float, size: float) -> list[str]:
    """`text` cut into lines at its spaces, each under `max_width` unless a single word is longer."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _text_width(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _prefix(id_prefix: str) -> str:
    """`id_prefix` when it can start XML ids (a letter, then letters, digits, - and _); else ValueError."""
    if not _PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter followed by letters, digits, - or _: {id_prefix!r}")
    return id_prefix


def _colours(colours: Sequence[str] | None, default: Sequence[str]) -> list[str]:
    """The caller's hex colours (#RGB or #RRGGBB), or `default`; ValueError for anything else."""
    chosen = list(colours) if colours else list(default)
    for colour in chosen:
        if not isinstance(colour, str) or not _HEX_COLOUR.fullmatch(colour):
            raise ValueError(f"colours must be hex colours such as #1D2B53: {colour!r}")
    return chosen


def _values(values: Sequence[object], count: int, name: str) -> list[int | float | None]:
    """Numbers to draw, `count` of them (a Decimal made float): None for a missing one (None, NaN, a "<5"
    marker or any other non-number); ValueError for a negative number or another length."""
    if len(values) != count:
        raise ValueError(f"{name} has {len(values)} values for {count} labels")
    numbers: list[int | float | None] = []
    for value in values:
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            numbers.append(None)
        elif value < 0:
            raise ValueError(f"{name} must not be negative: {value!r}")
        else:
            numbers.append(value)
    return numbers


def _shown(
    value: int | float | None,
    number_format: NumberFormat,
    unit: str,
    missing_label: str,
    given: object = None,
) -> str:
    """A value as the chart and its description write it: formatted with its unit; for a value that is not
    a number, the marker given in its place ("<5", "x") or else `missing_label`."""
    if value is None:
        if isinstance(given, str) and _text(given):
            return _text(given)
        return _text(missing_label)
    text = _text(number_format(value))
    return f"{text}\u00a0{_text(unit)}" if unit else text


def _listing(labels: Sequence[str], shown: Sequence[str]) -> str:
    """Every label with its value: "Choisir : 1 234; Apprendre : 2 345" (the colon as the language writes
    it)."""
    return "; ".join(labelled(label, value) for label, value in zip(labels, shown, strict=True))


def _description(description: object, sentences: Sequence[str]) -> str:
    """The caller's description followed by the generated sentences, each ending with a full stop."""
    parts = [_text(description)] + [
        sentence if sentence.endswith(".") else f"{sentence}." for sentence in sentences
    ]
    return " ".join(part for part in parts if part)


def _series_listing(name: str, labels: Sequence[str], shown: Sequence[str]) -> str:
    """A series named before its labels and values: "2026 — janvier: 12; février: 14"."""
    return f"{name} — {_listing(labels, shown)}"


def _document(
    *,
    prefix: str,
    width: int,
    height: float,
    title: object,
    desc: str,
    defs: Sequence[str],
    body: Sequence[str],
) -> SafeString:
    """The `<svg>` element around the drawing, named by its title and description: as wide as its container
    but no taller than `height`, so that it shrinks on a narrow screen and never grows past its size."""
    tall = math.ceil(height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {tall}" width="100%" height="{tall}" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="chart-svg" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{prefix}-title">{_e(title)}</title>',
        f'<desc id="{prefix}-desc">{_e(desc)}</desc>',
    ]
    if defs:
        parts += ["<defs>", *defs, "</defs>"]
    parts += [*body, "</svg>"]
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)  # nosec B308 B703


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1) -> str:
    """A straight line."""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"/>'
    )


def _title(title: object, width: int, show: bool) -> tuple[list[str], float]:
    """The chart's title drawn at its top (wrapped to the width) and the height it takes."""
    if not show or not _text(title):
        return [], 0
    lines = _wrap(_text(title), width, TITLE_SIZE)
    pieces = [
        f'<text x="0" y="{_n(TITLE_SIZE + index * (TITLE_SIZE + 4))}" font-size="{TITLE_SIZE}" '
        f'font-weight="700">{escape(line)}</text>'
        for index, line in enumerate(lines)
    ]
    return pieces, len(lines) * (TITLE_SIZE + 4) + 8


def _empty(
    *, prefix: str, width: int, title: object, description: object, empty_label: str, show_title: bool
) -> SafeString:
    """A chart with nothing to draw: its title and `empty_label`, which its description also says."""
    pieces, top = _title(title, width, show_title)
    pieces.append(
        f'<text x="{_n(width / 2)}" y="{_n(top + 36)}" text-anchor="middle" fill="{INK_SOFT}">'
        f"{_e(empty_label)}</text>"
    )
    desc = _description(description, [_text(empty_label)])
    return _document(
        prefix=prefix, width=width, height=top + 60, title=title, desc=desc, defs=[], body=pieces
    )


def _pattern(pattern_id: str, kind: str, colour: str) -> str:
    """An 8 × 8 tile: `colour` with white marks of `kind` (one of PATTERN_KINDS but "solid")."""
    marks = {
        "diagonal": f'<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="{PAPER}" stroke-width="1.6"/>',
        "dots": (
            f'<circle cx="2" cy="2" r="1.4" fill="{PAPER}"/><circle cx="6" cy="6" r="1.4" fill="{PAPER}"/>'
        ),
        "grid": f'<path d="M0 4H8M4 0V8" stroke="{PAPER}" stroke-width="1.4"/>',
        "horizontal": f'<path d="M0 2H8M0 6H8" stroke="{PAPER}" stroke-width="1.6"/>',
    }[kind]
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    )


def _hatch(pattern_id: str, colour: str) -> str:
    """An 8 × 8 tile of `colour` diagonal lines on white: the comparison series (a year earlier)."""
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<rect width="8" height="8" fill="{PAPER}"/>'
        f'<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="{colour}" stroke-width="2.2"/></pattern>'
    )


def _hatches(prefix: str, colours: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """One hatch pattern per distinct colour: the `<pattern>`s and {colour: fill URL}."""
    defs: list[str] = []
    fills: dict[str, str] = {}
    for colour in colours:
        if colour not in fills:
            pattern_id = f"{prefix}-hatch-{len(fills)}"
            defs.append(_hatch(pattern_id, colour))
            fills[colour] = f"url(#{pattern_id})"
    return defs, fills


def _legend(
    items: Sequence[tuple[Callable[[float, float], str], float, str]], *, top: float, width: int
) -> tuple[list[str], float]:
    """Legend items in rows from the left: (draw(x, middle) → SVG of the key, its width, the text).
    Returns the SVG and the height it takes."""
    pieces: list[str] = []
    x, row = 0.0, 0
    for draw, key_width, text in items:
        item_width = key_width + 6 + _text_width(text, FONT_SIZE)
        if x and x + item_width > width:
            x, row = 0.0, row + 1
        middle = top + row * (LINE_HEIGHT + 6) + LINE_HEIGHT / 2
        pieces.append(draw(x, middle))
        pieces.append(
            f'<text x="{_n(x + key_width + 6)}" y="{_n(middle + FONT_SIZE * 0.35)}">{escape(text)}</text>'
        )
        x += item_width + 20
    return pieces, (row + 1) * (LINE_HEIGHT + 6) + 6


def _box_key(fill: str, stroke: str = "none") -> Callable[[float, float], str]:
    """A legend key: a 14 × 14 square of `fill`."""

    def draw(x: float, middle: float) -> str:
        return (
            f'<rect x="{_n(x + 0.75)}" y="{_n(middle - 7)}" width="13.5" height="13.5" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
        )

    return draw


def _key_colour(colours: Sequence[str]) -> str:
    """The colour of a comparison legend's keys: the chart's colour, or ink when its bars have several (then
    hatching alone tells the series apart)."""
    return colours[0] if len(set(colours)) == 1 else INK_SOFT


def _series_keys(
    *, series_names: tuple[str, str], colour: str, hatch_fills: dict[str, str]
) -> list[tuple[Callable[[float, float], str], float, str]]:
    """The legend of a series and its comparison: a solid key and a hatched one."""
    current, previous = (_text(name) for name in series_names)
    return [(_box_key(colour), 14, current), (_box_key(hatch_fills[colour], colour), 14, previous)]


def _comparison(
    comparison: Sequence[object] | None, series_names: tuple[str, str] | None, count: int
) -> list[int | float | None] | None:
    """The comparison series checked: as long as the labels, and named."""
    if comparison is None:
        return None
    if not series_names or len(series_names) != 2:
        raise ValueError("a comparison needs series_names: (this series, the comparison)")
    return _values(comparison, count, "comparison")


class ChartOptions(TypedDict, total=False):
    """What bar_chart and column_chart draw: the labels and their values from 0 (None: no bar but
    `missing_label`), `comparison` (a year earlier, hatched, with the legend `series_names`), `colours`
    cycling over the bars (default PALETTE[0]); no labels: `empty_label`."""

    title: Required[str]
    description: Required[str]
    labels: Required[Sequence[str]]
    values: Required[Sequence[int | float | None]]
    id_prefix: Required[str]
    number_format: NumberFormat
    unit: str
    colours: Sequence[str] | None
    width: int
    comparison: Sequence[int | float | None] | None
    series_names: tuple[str, str] | None
    missing_label: str
    empty_label: str
    show_title: bool


def bar_chart(*, horizontal: bool = True, **options: Unpack[ChartOptions]) -> SafeString:
    """Horizontal bars, one per label (on the left), each value written at its end; `horizontal=False`
    draws columns (column_chart)."""
    return _bars_or_columns(horizontal=horizontal, **options)


def column_chart(*, horizontal: bool = False, **options: Unpack[ChartOptions]) -> SafeString:
    """Vertical columns, one per label (under it), each value written above, the comparison to the right
    of each; `horizontal=True` draws bars (bar_chart)."""
    return _bars_or_columns(horizontal=horizontal, **options)


@dataclass
class _Plot:
    """What bars and columns share once the data is checked: texts, colours, the title, the legend."""

    prefix: str
    title: str
    desc: str
    width: int
    names: list[str]
    numbers: list[int | float | None]
    before: list[int | float | None] | None
    colours: list[str]
    shown: list[str]
    shown_before: list[str]
    body: list[str]
    top: float
    defs: list[str]
    hatch_fills: dict[str, str]
    missing_label: str


def _bars_or_columns(
    *,
    horizontal: bool,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[int | float | None],
    id_prefix: str,
    number_format: NumberFormat = str,
    unit: str = "",
    colours: Sequence[str] | None = None,
    width: int = 640,
    comparison: Sequence[int | float | None] | None = None,
    series_names: tuple[str, str] | None = None,
    missing_label: str = "—",
    empty_label: str = "—",
    show_title: bool = True,
) -> SafeString:
    prefix = _prefix(id_prefix)
    names = [_text(label) for label in labels]
    numbers = _values(values, len(names), "values")
    before = _comparison(comparison, series_names, len(names))
    palette = _colours(colours, PALETTE[:1])
    if not names:
        return _empty(
            prefix=prefix,
            width=width,
            title=title,
            description=description,
            empty_label=empty_label,
            show_title=show_title,
        )
    item_colours = [palette[index % len(palette)] for index in range(len(names))]
    shown = [
        _shown(value, number_format, unit, missing_label, given)
        for value, given in zip(numbers, values, strict=True)
    ]
    shown_before = [
        _shown(value, number_format, unit, missing_label, given)
        for value, given in zip(before or [], comparison or [], strict=False)
    ]
    if before is None:
        desc = _description(description, [_listing(names, shown)])
    else:
        desc = _description(
            description,
            [
                _series_listing(_text(series_names[0]), names, shown),
                _series_listing(_text(series_names[1]), names, shown_before),
            ],
        )
    body, top = _title(title, width, show_title)
    defs: list[str] = []
    hatch_fills: dict[str, str] = {}
    if before is not None:
        key_colour = _key_colour(item_colours)
        defs, hatch_fills = _hatches(prefix, [*item_colours, key_colour])
        keys = _series_keys(series_names=series_names, colour=key_colour, hatch_fills=hatch_fills)
        legend, legend_height = _legend(keys, top=top, width=width)
        body += legend
        top += legend_height
    plot = _Plot(
        prefix,
        title,
        desc,
        width,
        names,
        numbers,
        before,
        item_colours,
        shown,
        shown_before,
        body,
        top,
        defs,
        hatch_fills,
        missing_label,
    )
    return _bar_layout(plot) if horizontal else _column_layout(plot)


def _bar_layout(p: _Plot) -> SafeString:
    names, numbers, before, shown, shown_before = p.names, p.numbers, p.before, p.shown, p.shown_before
    body, top, defs, hatch_fills, width = p.body, p.top, p.defs, p.hatch_fills, p.width
    prefix, title, desc = p.prefix, p.title, p.desc
    bar_colours = p.colours
    label_width = min(max(_text_width(name, FONT_SIZE) for name in names), width * 0.4)
    wrapped = [_wrap(name, label_width, FONT_SIZE) for name in names]
    label_width = min(max(_text_width(line, FONT_SIZE) for lines in wrapped for line in lines), width * 0.5)
    value_width = max(_text_width(text, FONT_SIZE) for text in [*shown, *shown_before]) + 8
    x0 = label_width + 10
    plot_width = max(width - x0 - value_width, 40)
    highest = max((value for value in [*numbers, *(before or [])] if value is not None), default=0)
    scale = plot_width / highest if highest > 0 else 0
    bars_per_row = 1 if before is None else 2
    bar = BAR if before is None else BAR * 0.8

    y = top + 4
    for index, lines in enumerate(wrapped):
        row = max(bars_per_row * bar + 12, len(lines) * LINE_HEIGHT + 8)
        middle = y + row / 2
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
        for number, line in enumerate(lines):
            body.append(
                f'<text x="{_n(label_width + 2)}" y="{_n(first + number * LINE_HEIGHT)}" '
                f'text-anchor="end">{escape(line)}</text>'
            )
        series = [(numbers[index], shown[index], bar_colours[index], "none")]
        if before is not None:
            hatch = hatch_fills[bar_colours[index]]
            series.append((before[index], shown_before[index], hatch, bar_colours[index]))
        bar_top = middle - bars_per_row * bar / 2
        for value, text, fill, stroke in series:
            length = (value or 0) * scale
            if value is not None:
                body.append(
                    f'<rect x="{_n(x0)}" y="{_n(bar_top)}" width="{_n(length)}" height="{_n(bar)}" '
                    f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
                )
            colour = "" if value is not None else f' fill="{INK_SOFT}"'
            body.append(
                f'<text x="{_n(x0 + length + 6)}" y="{_n(bar_top + bar / 2 + FONT_SIZE * 0.35)}"{colour}>'
                f"{escape(text)}</text>"
            )
            bar_top += bar
        y += row
    body.append(_line(x0, top, x0, y + 4, INK_SOFT))
    return _document(prefix=prefix, width=width, height=y + 8, title=title, desc=desc, defs=defs, body=body)


def _axis_labels(
    names: Sequence[str], centres: Sequence[float], band: float, baseline: float
) -> tuple[list[str], float]:
    """Category labels under a plot: straight, wrapped at spaces when too wide, or slanted at 45° when a word
    is still too wide. Returns the SVG and the height it takes under `baseline`."""
    room = band - 4
    wrapped = [_wrap(name, room, SMALL_SIZE) for name in names]
    widest = max(_text_width(line, SMALL_SIZE) for lines in wrapped for line in lines)
    pieces: list[str] = []
    if widest <= room and max(len(lines) for lines in wrapped) <= 3:
        for centre, lines in zip(centres, wrapped, strict=True):
            for number, line in enumerate(lines):
                pieces.append(
                    f'<text x="{_n(centre)}" y="{_n(baseline + 16 + number * LINE_HEIGHT)}" '
                    f'font-size="{SMALL_SIZE}" text-anchor="middle">{escape(line)}</text>'
                )
        return pieces, max(len(lines) for lines in wrapped) * LINE_HEIGHT + 8
    for centre, name in zip(centres, names, strict=True):
        x, y = centre + SMALL_SIZE * 0.3, baseline + 12
        pieces.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{SMALL_SIZE}" text-anchor="end" '
            f'transform="rotate(-45 {_n(x)} {_n(y)})">{escape(name)}</text>'
        )
    longest = max(_text_width(name, SMALL_SIZE) for name in names)
    return pieces, longest * math.sqrt(0.5) + SMALL_SIZE + 12


def _slant_room(names: Sequence[str], band: float) -> float:
    """The margin the first slanted category label needs on the left of the plot."""
    room = band - 4
    wrapped = [_wrap(name, room, SMALL_SIZE) for name in names]
    fits = max(_text_width(line, SMALL_SIZE) for lines in wrapped for line in lines) <= room
    if fits and max(len(lines) for lines in wrapped) <= 3:
        return 0
    return max(0.0, _text_width(names[0], SMALL_SIZE) * math.sqrt(0.5) - band / 2 + 4)


def _column_layout(p: _Plot) -> SafeString:
    names, numbers, before, shown, shown_before = p.names, p.numbers, p.before, p.shown, p.shown_before
    body, top, defs, hatch_fills, width = p.body, p.top, p.defs, p.hatch_fills, p.width
    prefix, title, desc = p.prefix, p.title, p.desc
    column_colours, missing_label = p.colours, p.missing_label
    per_band = 1 if before is None else 2
    left = 2.0
    band = (width - 2 * left) / len(names)
    left += _slant_room(names, band)
    band = (width - left - 2) / len(names)
    column = min(band * 0.72 / per_band, 56)
    room = band / per_band - 2
    drawn = [*numbers, *(before or [])]
    texts = [*shown, *shown_before]
    missing_upright = _text_width(_text(missing_label), SMALL_SIZE) > room
    upright = any(
        value is not None and _text_width(text, SMALL_SIZE) > room
        for value, text in zip(drawn, texts, strict=True)
    )

    def turned(value: float | None) -> bool:
        return upright if value is not None else missing_upright

    longest = max(
        [SMALL_SIZE]
        + [_text_width(text, SMALL_SIZE) for value, text in zip(drawn, texts, strict=True) if turned(value)]
    )
    known = [value for value in drawn if value is not None]
    highest = max(known, default=0)
    plot_height = PLOT_HEIGHT if highest > 0 else 0
    plot_top = top + longest + 8
    baseline = plot_top + plot_height
    scale = plot_height / highest if highest > 0 else 0

    centres = [left + band * (index + 0.5) for index in range(len(names))]
    for index, centre in enumerate(centres):
        series = [(numbers[index], shown[index], column_colours[index], "none")]
        if before is not None:
            series.append(
                (
                    before[index],
                    shown_before[index],
                    hatch_fills[column_colours[index]],
                    column_colours[index],
                )
            )
        x = centre - column * per_band / 2
        for value, text, fill, stroke in series:
            height = (value or 0) * scale
            if value is not None:
                body.append(
                    f'<rect x="{_n(x)}" y="{_n(baseline - height)}" width="{_n(column)}" '
                    f'height="{_n(height)}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
                )
            middle, y = x + column / 2, baseline - height - 5
            colour = "" if value is not None else f' fill="{INK_SOFT}"'
            if turned(value):
                middle += SMALL_SIZE * 0.35
                body.append(
                    f'<text x="{_n(middle)}" y="{_n(y)}" font-size="{SMALL_SIZE}"{colour} '
                    f'transform="rotate(-90 {_n(middle)} {_n(y)})">{escape(text)}</text>'
                )
            else:
                body.append(
                    f'<text x="{_n(middle)}" y="{_n(y)}" font-size="{SMALL_SIZE}" text-anchor="middle"'
                    f"{colour}>{escape(text)}</text>"
                )
            x += column
    body.append(_line(left, baseline, width - 2, baseline, INK_SOFT))
    axis, axis_height = _axis_labels(names, centres, band, baseline)
    body += axis
    return _document(
        prefix=prefix,
        width=width,
        height=baseline + axis_height,
        title=title,
        desc=desc,
        defs=defs,
        body=body,
    )


def share_bar(
    *,
    title: str,
    description: str,
    parts: Sequence[tuple[str, float | None]],
    id_prefix: str,
    number_format: NumberFormat = str,
    unit: str = "",
    colours: Sequence[str] | None = None,
    width: int = 640,
    missing_label: str = "—",
    empty_label: str = "—",
    show_title: bool = True,
) -> SafeString:
    """One bar split into (label, value) parts in proportion to their sum (53.2 and 46.8, or counts), each
    with its own colour and hatching, its value written over it when it fits and in the legend under the
    bar; a None value is left out of the bar and shown as `missing_label`; no parts: `empty_label`."""
    prefix = _prefix(id_prefix)
    names = [_text(name) for name, _value in parts]
    numbers = _values([value for _name, value in parts], len(names), "parts")
    palette = _colours(colours, PALETTE)
    if not names:
        return _empty(
            prefix=prefix,
            width=width,
            title=title,
            description=description,
            empty_label=empty_label,
            show_title=show_title,
        )
    shown = [_shown(value, number_format, unit, missing_label) for value in numbers]
    desc = _description(description, [_listing(names, shown)])

    body, top = _title(title, width, show_title)
    fills = []
    defs = []
    for index in range(len(names)):
        kind, colour = PATTERN_KINDS[index % len(PATTERN_KINDS)], palette[index % len(palette)]
        if kind == "solid":  # a plain fill: a pattern's tiles can show seams in print
            fills.append(colour)
            continue
        pattern_id = f"{prefix}-pattern-{index}"
        defs.append(_pattern(pattern_id, kind, colour))
        fills.append(f"url(#{pattern_id})")

    total = sum(value for value in numbers if value is not None)
    left, bar_width, bar_height = 1.0, width - 2.0, 32
    bar_top = top + SMALL_SIZE + 10
    x = left
    for value, text, fill in zip(numbers, shown, fills, strict=True):
        if not value or not total:
            continue
        length = value / total * bar_width
        body.append(
            f'<rect x="{_n(x)}" y="{_n(bar_top)}" width="{_n(length)}" height="{bar_height}" fill="{fill}"/>'
        )
        if _text_width(text, SMALL_SIZE) <= length - 4:
            body.append(
                f'<text x="{_n(x + length / 2)}" y="{_n(bar_top - 6)}" font-size="{SMALL_SIZE}" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
        if x > left:
            body.append(_line(x, bar_top - 4, x, bar_top + bar_height, INK, 1.5))
        x += length
    body.append(
        f'<rect x="{_n(left)}" y="{_n(bar_top)}" width="{_n(bar_width)}" height="{bar_height}" fill="none" '
        f'stroke="{INK_SOFT}" stroke-width="1"/>'
    )
    keys = [
        (_box_key(fill, INK_SOFT), 14, labelled(name, text))
        for name, text, fill in zip(names, shown, fills, strict=True)
    ]
    legend, legend_height = _legend(keys, top=bar_top + bar_height + 10, width=width)
    body += legend
    height = bar_top + bar_height + 10 + legend_height
    return _document(prefix=prefix, width=width, height=height, title=title, desc=desc, defs=defs, body=body)
