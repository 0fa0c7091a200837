"""The house style of every chart, and the one way charts are saved.

* DejaVu Sans (ships with matplotlib, so pixels do not depend on the system's fonts).
* The Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies.
* A title that states the finding, a subtitle for measure and date, a source line at the foot.
* Byte-reproducible files: PNG without a software stamp, SVG with a fixed hash salt and no date.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from analysis.io import atomic_path
from analysis.paths import figures_dir

#: Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
INK = "#222222"
MUTED = "#666666"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.facecolor": "white",
    "svg.hashsalt": "titp-figures",
    "svg.fonttype": "path",
    "path.simplify": True,
}

FORMATS = {
    "png": {"metadata": {"Software": None}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
}
WIDTH, HEIGHT = 8.0, 4.6


def use() -> None:
    """Apply the house style to matplotlib."""
    mpl.rcParams.update(RC)


def new_figure(title: str, subtitle: str, source: str, *, height: float = HEIGHT,
               left: float = 0.9, nrows: int = 1, height_ratios: Sequence[float] | None = None,
               below: float = 0.0):
    """A figure with the house frame: title (the finding), subtitle (measure, date), source line.

    Title, subtitle and source are wrapped to the figure's width and the plot area is sized
    around them; ``left`` is the margin for tick labels and ``below`` extra room under the plot
    (for a legend), in inches. With ``nrows > 1`` the
    second value returned is an array of axes.
    """
    use()
    title_lines = textwrap.wrap(title, 68)
    subtitle_lines = textwrap.wrap(subtitle, 105)
    source_lines = textwrap.wrap(source, 150)
    header = 0.18 + 0.25 * len(title_lines) + 0.18 * len(subtitle_lines) + 0.2
    footer = 0.15 + 0.14 * len(source_lines) + 0.35 + below
    fig, ax = plt.subplots(nrows, 1, figsize=(WIDTH, height + header + footer - 1.2),
                           gridspec_kw={"height_ratios": height_ratios, "hspace": 0.45} if nrows > 1 else None)
    total = fig.get_figheight()
    fig.subplots_adjust(left=left / WIDTH, right=0.96, top=1 - header / total, bottom=footer / total)
    fig.text(0.02, 1 - 0.15 / total, "\n".join(title_lines), fontsize=12.5, fontweight="bold", color=INK,
             va="top", linespacing=1.25)
    fig.text(0.02, 1 - (0.2 + 0.25 * len(title_lines)) / total, "\n".join(subtitle_lines), fontsize=9.5,
             color=MUTED, va="top")
    fig.text(0.02, 0.12 / total, "\n".join(source_lines), fontsize=7.5, color=MUTED, va="bottom")
    return fig, ax


def check_formats(formats: Iterable[str]) -> list[str]:
    """The requested figure formats, refusing any the project cannot make byte-reproducibly.

    >>> check_formats(["png", "svg"])
    ['png', 'svg']
    >>> check_formats(["jpg"])
    Traceback (most recent call last):
    ...
    ValueError: unknown figure format 'jpg': expected one or more of ['png', 'svg']
    """
    if isinstance(formats, str):
        formats = [formats]
    chosen = list(formats)
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ValueError(f"unknown figure format {fmt!r}: expected one or more of {sorted(FORMATS)}")
    if not chosen:
        raise ValueError("no figure format given: expected one or more of ['png', 'svg']")
    return chosen


def _show(path: Path) -> None:
    """In a notebook, show the file just written (so the notebook shows exactly what is published)."""
    try:
        from IPython import get_ipython
        from IPython.display import SVG, Image, display
    except ImportError:  # pragma: no cover - IPython ships with the project
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    if path.suffix == ".png":
        display(Image(data=path.read_bytes(), format="png", width=int(WIDTH * 100)))
    else:
        display(SVG(data=path.read_text(encoding="utf-8")))


def save_figure(fig: Figure, name: str, output_dir: str | os.PathLike[str] = "figures",
                formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Write ``fig`` as ``<output_dir>/<name>.<format>`` for each format, each file atomically.

    ``output_dir`` is relative to the project root. In a notebook the written PNG (or SVG) is
    shown inline, and the figure is closed so it is not rendered a second time.
    """
    chosen = check_formats(formats)
    folder = figures_dir(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ValueError(f"cannot write figures to {str(output_dir)!r}: {err.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write figures to {str(output_dir)!r}: the folder is not writable")
    written = []
    for fmt in chosen:
        target = folder / f"{name}.{fmt}"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, **FORMATS[fmt])
        written.append(target)
    _show(written[0])
    plt.close(fig)
    return written
