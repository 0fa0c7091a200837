"""The house style of every chart, and the one way charts are saved.

* DejaVu Sans (ships with matplotlib, so pixels do not depend on the system's fonts); SVGs keep
  their text as text, with a font stack that names DejaVu Sans first.
* The Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies;
  every colour text is drawn in has a contrast of at least 4.5:1 (WCAG AA) against what it is
  drawn on, computed here and tested.
* Two layouts of every chart: ``wide`` for a desk, ``narrow`` for a phone (its smallest text is
  at least 9 CSS pixels on a 390-pixel screen).
* Byte-reproducible files: PNG without a software stamp, SVG with a fixed hash salt and no date.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from analysis import vocabulary as v

#: Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#999999",
}
INK = "#222222"
MUTED = "#595959"
PAPER = "#ffffff"
GRID = "#e3e3e3"
#: Fill of what the sources leave unitemised, and of a remainder.
REST = "#d9d9d9"
#: One colour per status; text in a status colour is darkened to read on white.
STATUS_COLOURS = {
    v.CONSISTENT: PALETTE["green"],
    v.MISDATED: PALETTE["orange"],
    v.INCONSISTENT: PALETTE["vermillion"],
    v.UNVERIFIABLE: PALETTE["grey"],
}
NATIONALITY_COLOURS = {
    "Vietnam": PALETTE["orange"],
    "China": PALETTE["blue"],
    "Philippines": PALETTE["green"],
    "Indonesia": PALETTE["sky"],
    "Thailand": PALETTE["purple"],
    "Myanmar": PALETTE["yellow"],
    "Cambodia": "#8c564b",
    "Other": "#c7c7c7",
    v.NOT_ITEMISED: REST,
}
ARTICLE_COLOUR = PALETTE["vermillion"]
OFFICIAL_COLOUR = PALETTE["blue"]


#: Official figures come every half year: two dates further apart than this have a figure missing
#: between them, and the line between them is dotted (the words say so from the same number).
GAP_DAYS = 200

#: The WCAG AA threshold for normal text.
MIN_CONTRAST = 4.5
FONTS = ["DejaVu Sans", "Verdana", "Arial", "Helvetica"]


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour, as WCAG 2 defines it.

    >>> round(luminance("#ffffff"), 3), round(luminance("#000000"), 3)
    (1.0, 0.0)
    """
    from matplotlib import colors

    rgb = colors.to_rgb(colour)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21).

    >>> round(contrast("#222222", "#ffffff"), 1), round(contrast("#E69F00", "#ffffff"), 2)
    (15.9, 2.25)
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, on: str = PAPER) -> str:
    """``colour``, darkened step by step until text in it reaches 4.5:1 on ``on``.

    >>> readable("#222222") == "#222222", contrast(readable(PALETTE["orange"]), PAPER) >= MIN_CONTRAST
    (True, True)
    """
    from matplotlib import colors

    r, g, b = colors.to_rgb(colour)
    factor = 1.0
    while contrast(colors.to_hex((r * factor, g * factor, b * factor)), on) < MIN_CONTRAST:
        factor -= 0.02
    return colors.to_hex((r * factor, g * factor, b * factor))


def text_on(fill: str) -> str:
    """The colour of text drawn on ``fill``: ink, or white where ink would not reach 4.5:1.

    >>> text_on(PALETTE["orange"]), text_on(PALETTE["blue"])
    ('#222222', '#ffffff')
    """
    for candidate in (INK, PAPER):
        if contrast(candidate, fill) >= MIN_CONTRAST:
            return candidate
    raise ValueError(f"no text colour reaches {MIN_CONTRAST}:1 on {fill}; draw the label beside it")


def can_hold_text(fill: str) -> bool:
    """Whether ink or white text reaches 4.5:1 on ``fill``."""
    return any(contrast(c, fill) >= MIN_CONTRAST for c in (INK, PAPER))


RC = {
    "font.family": ["sans-serif"],
    "font.sans-serif": FONTS,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": MUTED,
    "ytick.labelcolor": MUTED,
    "ytick.left": False,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.facecolor": PAPER,
    "axes.facecolor": PAPER,
    "svg.hashsalt": "titp-figures",
    "svg.fonttype": "none",
    "path.simplify": True,
}


@dataclass(frozen=True)
class Layout:
    """A chart's frame: its width and type sizes, in inches and points."""

    name: str
    width: float
    title: float
    subtitle: float
    label: float
    small: float
    wrap_title: int
    wrap_subtitle: int
    wrap_source: int
    #: a label every ``year_step`` years on a time axis, written with ``year_format``
    year_step: int
    year_format: str
    #: rows of labelled marks: their labels over each row (True) or as ticks beside it (False)
    labels_over_rows: bool


#: ``wide`` for a desk, ``narrow`` for a phone. On a 390-pixel screen a narrow chart fills about
#: 358 CSS pixels, so its smallest type, ``small`` points on a ``width``-inch figure, reads at
#: ``small / 72 * 358 / width`` pixels: 9.9 for 8 points on 4 inches.
LAYOUTS = {
    "wide": Layout("wide", 8.0, 12.5, 9.5, 9.0, 7.5, 72, 100, 130, 1, "%Y", False),
    "narrow": Layout("narrow", 4.0, 10.5, 8.5, 8.5, 8.0, 40, 52, 58, 2, "%y", True),
}
#: The CSS width of a narrow chart on a 390-pixel phone, less the page's margins.
PHONE_CSS_WIDTH = 358


def css_px(points: float, layout: Layout, css_width: float) -> float:
    """How many CSS pixels tall text of ``points`` is when the chart is shown ``css_width`` wide.

    >>> round(css_px(8.0, LAYOUTS["narrow"], PHONE_CSS_WIDTH), 1)
    9.9
    """
    return points / 72 * css_width / layout.width


def use() -> None:
    """Apply the house style to matplotlib."""
    import matplotlib as mpl

    mpl.rcParams.update(RC)


def frame(
    title: str,
    subtitle: str,
    source: str,
    layout: Layout,
    *,
    height: float,
    left: float = 0.3,
    right: float = 0.2,
    nrows: int = 1,
    height_ratios: Sequence[float] | None = None,
    hspace: float = 0.35,
    below: float = 0.0,
    above: float = 0.0,
):
    """A figure with the house frame: title (the finding), subtitle (measure, date), source line.

    Title, subtitle and source are wrapped to the layout and the plot area is sized around them;
    ``height`` is the plot area's height and ``left``/``right`` its margins, in inches; ``below``
    leaves room under the plot (for axis labels) and ``above`` over it (for a panel's title). With
    ``nrows > 1`` the axes come as a list.
    """
    use()
    title_lines = textwrap.wrap(title, layout.wrap_title)
    subtitle_lines = textwrap.wrap(subtitle, layout.wrap_subtitle)
    source_lines = textwrap.wrap(source, layout.wrap_source)
    line = 1 / 72 * 1.3
    header = 0.15 + line * (layout.title * len(title_lines) + layout.subtitle * len(subtitle_lines)) + 0.25 + above
    footer = 0.12 + line * layout.small * len(source_lines) + 0.35 + below
    total = height + header + footer
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # A Figure of its own, not pyplot's: no global registry to close, no backend to start.
    fig = Figure(figsize=(layout.width, total))
    FigureCanvasAgg(fig)
    axes = fig.subplots(
        nrows,
        1,
        gridspec_kw={"height_ratios": height_ratios, "hspace": hspace / height} if nrows > 1 else None,
    )
    fig.subplots_adjust(
        left=left / layout.width, right=1 - right / layout.width, top=1 - header / total, bottom=footer / total
    )
    x0 = 0.1 / layout.width
    fig.text(
        x0,
        1 - 0.12 / total,
        "\n".join(title_lines),
        fontsize=layout.title,
        fontweight="bold",
        color=INK,
        va="top",
        linespacing=1.2,
    )
    fig.text(
        x0,
        1 - (0.17 + line * layout.title * len(title_lines)) / total,
        "\n".join(subtitle_lines),
        fontsize=layout.subtitle,
        color=MUTED,
        va="top",
        linespacing=1.25,
    )
    fig.text(
        x0, 0.1 / total, "\n".join(source_lines), fontsize=layout.small, color=MUTED, va="bottom", linespacing=1.25
    )
    return fig, (list(axes) if nrows > 1 else axes)


#: How each format is written so that the same figure gives the same bytes.
FORMATS = {
    "png": {"metadata": {"Software": None}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
}


def check_formats(formats) -> list[str]:
    """The requested figure formats, refusing any the project cannot make byte-reproducibly.

    >>> check_formats(["png", "svg"])
    ['png', 'svg']
    >>> check_formats(["jpg"])
    Traceback (most recent call last):
    ...
    ValueError: unknown figure format 'jpg': expected one or more of ['png', 'svg']
    """
    chosen = [formats] if isinstance(formats, str) else list(formats)
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ValueError(f"unknown figure format {fmt!r}: expected one or more of {sorted(FORMATS)}")
    if not chosen:
        raise ValueError("no figure format given: expected one or more of ['png', 'svg']")
    return chosen


def render(fig, fmt: str) -> bytes:
    """The bytes of ``fig`` in ``fmt``, the same every time."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, **FORMATS[fmt])
    return buffer.getvalue()
