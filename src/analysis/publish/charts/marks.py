"""The marks charts share, drawn by seaborn on the axes :func:`analysis.publish.style.frame` makes.

seaborn draws the statistical marks (lines by status or nationality, points with their intervals,
bars by group) with its axes-level functions, so the house style (rcParams, palette, fonts) holds;
matplotlib keeps the frame, the annotations, direct labels and arrows. Nothing seaborn draws is
estimated by sampling: lines and points are the rows as given (``estimator=None``,
``errorbar=None``), and an interval is the one the data gives (:func:`with_intervals`).
"""

from __future__ import annotations

import itertools

import pandas as pd

from analysis.publish.style import (
    GAP_DAYS,
    INK,
    Layout,
)


def years(ax, layout: Layout, step: int | None = None) -> None:
    """Years as spans: a tick at each 1 January, the year's label in the middle of its span.

    So a figure for the end of 2015 sits at the right end of the span labelled 2015, not at a
    tick labelled 2016.
    """
    import matplotlib.dates as mdates
    import matplotlib.ticker as mticker

    step = step or layout.year_step
    ax.xaxis.set_major_locator(mdates.YearLocator(1))
    ax.xaxis.set_major_formatter(mticker.NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(step, month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter(layout.year_format))
    ax.tick_params(axis="x", which="minor", length=0, labelsize=layout.small)
    ax.tick_params(axis="x", which="major", length=3)


def thousands(axis) -> None:
    """Tick labels with thousands separators."""
    import matplotlib.ticker as mticker

    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))


def percent(axis) -> None:
    """Tick labels in percent."""
    import matplotlib.ticker as mticker

    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:.0f}%"))


# ---------------------------------------------------------------------------------------------
# seaborn's marks


def unlabelled(ax) -> None:
    """Clear the axis titles seaborn takes from column names: every word comes from :mod:`text`."""
    ax.set_xlabel("")
    ax.set_ylabel("")


def given(bounds: pd.Series) -> tuple[float, float]:
    """The interval of a mark whose bounds are given: from the lowest to the highest."""
    return bounds.min(), bounds.max()


def data_per_point(ax, axis: str) -> float:
    """How many data units one typographic point spans along ``axis``, at the axes' limits as set."""
    fig, box = ax.figure, ax.get_position()
    inches = box.width * fig.get_figwidth() if axis == "x" else box.height * fig.get_figheight()
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    return abs(hi - lo) / (inches * 72)


def line_with_gaps(ax, rows: pd.DataFrame, x: str, y: str, colour: str) -> None:
    """A series as one line, by ``sns.lineplot``: solid between neighbouring dates, dotted across a gap.

    Each pair of neighbours is a unit of its own, styled by whether the dates are further apart than
    :data:`GAP_DAYS` (the words say so from the same number).
    """
    import seaborn as sns

    rows = rows.sort_values(x)
    points = list(zip(rows[x], rows[y]))
    segments = pd.DataFrame(
        [
            {"segment": i, "gap": (p1[0] - p0[0]).days > GAP_DAYS, x: at, y: value}
            for i, (p0, p1) in enumerate(itertools.pairwise(points))
            for at, value in (p0, p1)
        ]
    )
    if segments.empty:
        return
    sns.lineplot(
        segments,
        x=x,
        y=y,
        units="segment",
        style="gap",
        style_order=[False, True],
        dashes={False: "", True: (1, 2)},
        estimator=None,
        errorbar=None,
        sort=False,
        color=colour,
        linewidth=1.8,
        zorder=2,
        legend=False,
        ax=ax,
    )
    unlabelled(ax)


def points(
    ax, rows: pd.DataFrame, x: str, y: str, colour: str, *, size: float, fill: str | None = None, edge: float = 1.0
) -> None:
    """Points as given, by ``sns.scatterplot``: ``size`` across in points, filled with ``colour`` or,
    open, with ``fill`` inside an edge ``edge`` points wide."""
    import seaborn as sns

    if rows.empty:
        return
    sns.scatterplot(
        rows,
        x=x,
        y=y,
        marker="o",
        s=size**2,
        color=fill or colour,
        edgecolor=colour,
        linewidth=edge,
        zorder=3,
        legend=False,
        ax=ax,
    )
    unlabelled(ax)


def with_intervals(
    ax, at, value: float, low: float, high: float, *, orient: str = "x", capsize: float = 0, err_kws=None, **kws
) -> None:
    """One point with the interval the data gives it, drawn by ``sns.pointplot``.

    The point's three numbers go in as three rows (low, value, high); seaborn reduces them to the
    median, which is the value (low <= value <= high), and draws the interval :func:`given` returns,
    from low to high: nothing is sampled, so the same numbers give the same picture. ``at`` is the
    point's place on the ``orient`` axis (a date, or a row); ``capsize`` is how far each cap reaches
    either side, in points as matplotlib's errorbar has it, converted with the axes' limits, which are
    therefore set before. ``kws`` style the
    marker (Line2D properties).
    """
    import seaborn as sns

    if not low <= value <= high:
        raise ValueError(f"a value of {value} outside its interval [{low}, {high}]")
    other = "y" if orient == "x" else "x"
    rows = pd.DataFrame({orient: [at] * 3, other: [low, value, high]})
    # the interval goes under the mark, and has caps only where it reaches out from under it
    err_kws = {"zorder": kws.get("zorder", 2) - 0.5, **(err_kws or {})}
    if (high - low) / data_per_point(ax, other) <= kws.get("markersize", 0):
        capsize = 0
    sns.pointplot(
        rows,
        **{orient: orient, other: other},
        orient=orient,
        native_scale=True,
        estimator="median",
        errorbar=given if high > low else None,
        # seaborn's cap is a width in data units (of one position: a day on a time axis)
        capsize=2 * capsize * data_per_point(ax, orient),
        err_kws=err_kws,
        linestyle="none",
        legend=False,
        ax=ax,
        **kws,
    )
    unlabelled(ax)


def row_words(ax, i: int, left: str, right: str, colour: str, layout: Layout, drop: float, above: float = 0.2) -> None:
    """A row's words: the label as a tick and the result in the right margin, or, where the layout puts
    labels over the rows, the label ``above`` the row and the result ``drop`` below it on the right,
    on one line."""
    at = ax.get_yaxis_transform()
    if layout.labels_over_rows:
        ax.text(
            0, i - above, left, transform=at, va="bottom", ha="left", fontsize=layout.small, color=INK, linespacing=1.1
        )
        ax.text(
            1,
            i + drop,
            right.replace("\n", " "),
            transform=at,
            va="top",
            ha="right",
            fontsize=layout.small,
            color=colour,
        )
    else:
        ax.text(1.02, i, right, transform=at, va="center", ha="left", fontsize=layout.small, color=colour)


def row_ticks(ax, rows: list[str], layout: Layout) -> None:
    """Row labels as ticks, or none where the layout puts them over the rows."""
    if layout.labels_over_rows:
        ax.set_yticks([])
    else:
        ax.set_yticks(range(len(rows)), rows, fontsize=layout.small, linespacing=1.1)
