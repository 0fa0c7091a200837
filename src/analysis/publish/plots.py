"""Drawing: each chart from its view (the rows it plots) and its words, in a given layout.

Nothing here computes a figure or writes a sentence: views (:mod:`analysis.publish.views`)
shape the rows, :mod:`analysis.publish.text` writes every word from the data, and these
functions only place marks and labels, in the house style (:mod:`analysis.publish.style`).
Direct labels stand in for legends, gridlines sit behind the data, intervals are drawn, and
no text is placed on a fill it cannot be read on.

seaborn draws the statistical marks (lines by status or nationality, points with their intervals,
bars by group) with its axes-level functions on the axes :func:`analysis.publish.style.frame`
makes, so the house style (rcParams, palette, fonts) holds; matplotlib keeps the frame, the
annotations, direct labels and arrows. Nothing seaborn draws is estimated by sampling: lines and
points are the rows as given (``estimator=None``, ``errorbar=None``), and an interval is the one the
data gives (:func:`_with_intervals`).
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import fmt
from analysis import vocabulary as v
from analysis.publish import views
from analysis.publish.style import (
    ARTICLE_COLOUR,
    GAP_DAYS,
    INK,
    MUTED,
    NATIONALITY_COLOURS,
    OFFICIAL_COLOUR,
    PALETTE,
    PAPER,
    STATUS_COLOURS,
    Layout,
    can_hold_text,
    frame,
    readable,
    text_on,
)


@dataclass(frozen=True)
class Words:
    """The words of a chart, all written from the data."""

    title: str
    subtitle: str
    source: str
    labels: dict


def _years(ax, layout: Layout, step: int | None = None) -> None:
    """Years as spans: a tick at each 1 January, the year's label in the middle of its span.

    So a figure for the end of 2015 sits at the right end of the span labelled 2015, not at a
    tick labelled 2016.
    """
    step = step or (1 if layout.name == "wide" else 2)
    ax.xaxis.set_major_locator(mdates.YearLocator(1))
    ax.xaxis.set_major_formatter(mticker.NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(step, month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y" if layout.name == "wide" else "%y"))
    ax.tick_params(axis="x", which="minor", length=0, labelsize=layout.small)
    ax.tick_params(axis="x", which="major", length=3)


def _thousands(axis) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))


def _percent(axis) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:.0f}%"))


# ---------------------------------------------------------------------------------------------
# seaborn's marks


def _unlabelled(ax) -> None:
    """Clear the axis titles seaborn takes from column names: every word comes from :mod:`text`."""
    ax.set_xlabel("")
    ax.set_ylabel("")


def _given(bounds: pd.Series) -> tuple[float, float]:
    """The interval of a mark whose bounds are given: from the lowest to the highest."""
    return bounds.min(), bounds.max()


def _data_per_point(ax, axis: str) -> float:
    """How many data units one typographic point spans along ``axis``, at the axes' limits as set."""
    fig, box = ax.figure, ax.get_position()
    inches = box.width * fig.get_figwidth() if axis == "x" else box.height * fig.get_figheight()
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    return abs(hi - lo) / (inches * 72)


def _line_with_gaps(ax, rows: pd.DataFrame, x: str, y: str, colour: str) -> None:
    """A series as one line, by ``sns.lineplot``: solid between neighbouring dates, dotted across a gap.

    Each pair of neighbours is a unit of its own, styled by whether the dates are further apart than
    :data:`GAP_DAYS` (the words say so from the same number).
    """
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
    _unlabelled(ax)


def _points(
    ax, rows: pd.DataFrame, x: str, y: str, colour: str, *, size: float, fill: str | None = None, edge: float = 1.0
) -> None:
    """Points as given, by ``sns.scatterplot``: ``size`` across in points, filled with ``colour`` or,
    open, with ``fill`` inside an edge ``edge`` points wide."""
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
    _unlabelled(ax)


def _with_intervals(
    ax, at, value: float, low: float, high: float, *, orient: str = "x", capsize: float = 0, err_kws=None, **kws
) -> None:
    """One point with the interval the data gives it, drawn by ``sns.pointplot``.

    The point's three numbers go in as three rows (low, value, high); seaborn reduces them to the
    median, which is the value (low <= value <= high), and draws the interval :func:`_given` returns,
    from low to high: nothing is sampled, so the same numbers give the same picture. ``at`` is the
    point's place on the ``orient`` axis (a date, or a row); ``capsize`` is how far each cap reaches
    either side, in points as matplotlib's errorbar has it, converted with the axes' limits, which are
    therefore set before. ``kws`` style the
    marker (Line2D properties).
    """
    if not low <= value <= high:
        raise ValueError(f"a value of {value} outside its interval [{low}, {high}]")
    other = "y" if orient == "x" else "x"
    rows = pd.DataFrame({orient: [at] * 3, other: [low, value, high]})
    # the interval goes under the mark, and has caps only where it reaches out from under it
    err_kws = {"zorder": kws.get("zorder", 2) - 0.5, **(err_kws or {})}
    if (high - low) / _data_per_point(ax, other) <= kws.get("markersize", 0):
        capsize = 0
    sns.pointplot(
        rows,
        **{orient: orient, other: other},
        orient=orient,
        native_scale=True,
        estimator="median",
        errorbar=_given if high > low else None,
        # seaborn's cap is a width in data units (of one position: a day on a time axis)
        capsize=2 * capsize * _data_per_point(ax, orient),
        err_kws=err_kws,
        linestyle="none",
        legend=False,
        ax=ax,
        **kws,
    )
    _unlabelled(ax)


# ---------------------------------------------------------------------------------------------
# 01: intern counts


def intern_counts(view: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """The official stock as a line, the article's totals on it, a misdated one pointed home."""
    narrow = layout.name == "narrow"
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=3.6 if narrow else 3.4,
        left=0.75 if narrow else 0.8,
        right=0.15 if narrow else 1.2,
        below=0.16 * (len(view[view["who"].eq(views.ARTICLE)]) * 2 + 1) if narrow else 0.0,
    )
    official = view[view["who"].eq(views.OFFICIAL)].sort_values("period_end")
    article = view[view["who"].eq(views.ARTICLE)].sort_values("period_end")
    keys: list[str] = []
    top = max(view["high"].max(), 1.0)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(
        pd.Timestamp(view["period_end"].min().year - 1, 1, 1), pd.Timestamp(view["period_end"].max().year + 1, 7, 1)
    )
    _line_with_gaps(ax, official, "period_end", "value", OFFICIAL_COLOUR)
    exact = official["rounding"].eq(v.EXACT)
    year_end = official["kind"].eq("year-end")
    _points(ax, official[exact & year_end], "period_end", "value", OFFICIAL_COLOUR, size=4)
    _points(ax, official[exact & ~year_end], "period_end", "value", OFFICIAL_COLOUR, size=4, fill=PAPER, edge=1.3)
    for _, r in official[~exact].iterrows():
        _with_intervals(
            ax,
            r["period_end"],
            r["value"],
            r["low"],
            r["high"],
            capsize=4,
            err_kws={"linewidth": 3},
            color=OFFICIAL_COLOUR,
            marker="s",
            markersize=6,
            markerfacecolor=PAPER,
            markeredgewidth=1.5,
            zorder=4,
        )
        ax.annotate(
            words.labels["rounded"][r["period_end"]],
            (r["period_end"], r["value"]),
            xytext=(0, -12),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=layout.small,
            color=readable(OFFICIAL_COLOUR),
        )
    last = official.iloc[-1]
    ax.annotate(
        words.labels["official"],
        (last["period_end"], last["value"]),
        xytext=(-4, 14) if narrow else (8, 0),
        textcoords="offset points",
        ha="right" if narrow else "left",
        va="bottom" if narrow else "center",
        fontsize=layout.label,
        color=readable(OFFICIAL_COLOUR),
        fontweight="bold",
    )
    for _, r in article.iterrows():
        stated = r["kind"] == v.STATED
        x = r["period_start"] + (r["period_end"] - r["period_start"]) / 2
        colour = STATUS_COLOURS.get(r["status"], ARTICLE_COLOUR)
        _with_intervals(
            ax,
            x,
            r["value"],
            r["low"],
            r["high"],
            capsize=5,
            err_kws={"linewidth": 3},
            color=ARTICLE_COLOUR,
            marker="D",
            markersize=7,
            markerfacecolor=ARTICLE_COLOUR if stated else PAPER,
            markeredgewidth=1.8,
            zorder=5,
        )
        label = words.labels["article"][r["id"]]
        if pd.notna(r["belongs_to"]):
            target = pd.Timestamp(r["belongs_to"])
            ax.annotate(
                "",
                xy=(target, r["value"]),
                xytext=(x, r["value"]),
                zorder=6,
                arrowprops=dict(arrowstyle="-|>", color=readable(colour), lw=1.4, shrinkA=6, shrinkB=6),
            )
        if narrow:
            # On a phone the words go under the chart, keyed by a letter beside each mark.
            letter = chr(ord("A") + len(keys))
            keys.append(f"{letter}  {label}")
            ax.annotate(
                letter,
                (x, r["value"]),
                xytext=(0, -16),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=layout.label,
                fontweight="bold",
                color=INK,
            )
        elif pd.notna(r["belongs_to"]):
            ax.annotate(
                textwrap.fill(label, 48),
                (x, r["value"]),
                xytext=(x, top * 0.12),
                textcoords="data",
                ha="center",
                va="center",
                fontsize=layout.small,
                color=INK,
                arrowprops=dict(arrowstyle="-", color=MUTED, lw=0.8, shrinkA=2, shrinkB=6),
            )
        else:
            ax.annotate(
                textwrap.fill(label, 40),
                (x, r["value"]),
                xytext=(8, -10) if stated else (-4, 14),
                textcoords="offset points",
                ha="left" if stated else "right",
                va="top" if stated else "bottom",
                fontsize=layout.small,
                color=INK,
            )
    if keys:
        ax.text(
            0,
            -0.1,
            "\n".join(textwrap.fill(k, 52, subsequent_indent="    ") for k in keys),
            transform=ax.transAxes,
            va="top",
            ha="left",
            fontsize=layout.small,
            color=INK,
            linespacing=1.3,
        )
    _thousands(ax.yaxis)
    _years(ax, layout)
    return fig


# ---------------------------------------------------------------------------------------------
# 02: source countries


def _stacked(ax, rows: pd.DataFrame, y: float, layout: Layout, inside: list[str], height: float = 0.72) -> None:
    left = 0.0
    for _, r in rows.iterrows():
        name = r["nationality"]
        colour = NATIONALITY_COLOURS.get(name, PALETTE["yellow"])
        rest = name in (views.NOT_ITEMISED, v.OTHER_NATIONALITY)
        hatch = "////" if name == views.NOT_ITEMISED else None
        ax.barh(y, r["share"], left=left, height=height, color=colour, hatch=hatch, edgecolor=PAPER, lw=0.8, zorder=2)
        wide_enough = r["share"] >= (7 if layout.name == "wide" else 11)
        if wide_enough and not (rest and name == views.NOT_ITEMISED and r["share"] < 15):
            text = fmt.share(r["share"], 0)
            if name == views.NOT_ITEMISED and r["share"] >= 25:
                text = f"{text} not itemised" + (f", incl. {inside[0]}" if inside and layout.name == "wide" else "")
            ax.text(
                left + r["share"] / 2,
                y,
                text,
                ha="center",
                va="center",
                fontsize=layout.small,
                color=text_on(colour) if can_hold_text(colour) else INK,
                zorder=3,
                bbox=None if name != views.NOT_ITEMISED else dict(boxstyle="round,pad=0.15", fc=PAPER, ec="none"),
            )
        left += r["share"]


def source_countries(view: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """Top: the leading nationality's share over time. Below: the composition at each date."""
    narrow = layout.name == "narrow"
    order = list(NATIONALITY_COLOURS)
    official = view[view["who"].eq(views.OFFICIAL)]
    dates = sorted(official["period_end"].unique())
    fig, (ax, bars) = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=2,
        height=(2.0 + 0.42 * (len(dates) + 1)) if not narrow else (2.0 + 0.5 * (len(dates) + 1)),
        height_ratios=[2.0, 0.42 * (len(dates) + 1)] if not narrow else [2.0, 0.5 * (len(dates) + 1)],
        left=1.35 if not narrow else 1.0,
        right=0.3 if not narrow else 0.2,
        hspace=0.9 if not narrow else 1.4,
        below=0.75 if not narrow else 1.15,
        above=0.45 if not narrow else 0.6,
    )
    lead = words.labels["lead"]
    trace = official[official["nationality"].eq(lead) & official["share"].notna()].sort_values("period_end")
    colour = NATIONALITY_COLOURS.get(lead, INK)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(0, 100)
    ax.set_xlim(
        pd.Timestamp(min(view["period_end"].min(), pd.Timestamp(dates[0])).year, 1, 1),
        pd.Timestamp(pd.Timestamp(dates[-1]).year + 1, 1, 1),
    )
    _points(ax, trace, "period_end", "share", colour, size=4)
    _line_with_gaps(ax, trace, "period_end", "share", colour)
    for _, r in trace.iterrows():
        if r["period_end"] in words.labels["trace_points"]:
            ax.annotate(
                fmt.share(r["share"]),
                (r["period_end"], r["share"]),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=layout.small,
                color=INK,
            )
    article = view[view["who"].eq(views.ARTICLE) & view["nationality"].eq(lead)]
    for _, r in article.iterrows():
        x = r["period_start"] + (r["period_end"] - r["period_start"]) / 2
        half = (r["period_end"] - r["period_start"]) / 2
        if isinstance(r["placed_at"], str):
            # drawn at the date the reconciliation places the shares, the period they state marked by a bar
            placed = pd.Timestamp(r["placed_at"])
            ax.plot([r["period_start"], r["period_end"]], [r["share"]] * 2, color=ARTICLE_COLOUR, lw=1, ls=":")
            x, half = placed, pd.Timedelta(0)
        if half > pd.Timedelta(0):
            # the period a share states, when it is not placed at one date: a bar across it
            ax.plot([x - half, x + half], [r["share"]] * 2, color=ARTICLE_COLOUR, lw=1.5, zorder=3.5)
        _with_intervals(
            ax,
            x,
            r["share"],
            r["share_low"],
            r["share_high"],
            capsize=3,
            err_kws={"linewidth": 1.5},
            color=ARTICLE_COLOUR,
            marker="D",
            markersize=6,
            markeredgewidth=1.5,
            zorder=4,
        )
        ax.annotate(
            words.labels["article_point"],
            (x, r["share"]),
            xytext=(6, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=layout.small,
            color=readable(ARTICLE_COLOUR),
        )
    counts_only = official[official["share"].isna()]
    for _, r in counts_only.iterrows():
        ax.axvline(r["period_end"], color=MUTED, lw=0.8, ls=(0, (2, 2)), zorder=1)
        ax.annotate(
            words.labels["count_only"][r["period_end"]],
            (r["period_end"], 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=layout.small,
            color=MUTED,
        )
    ax.yaxis.set_major_locator(mticker.MultipleLocator(25))
    _percent(ax.yaxis)
    _years(ax, layout, step=1 if not narrow else 2)
    ax.set_title(
        textwrap.fill(words.labels["trace_title"], int(layout.wrap_subtitle * 0.8)),
        loc="left",
        fontsize=layout.label,
        color=INK,
        pad=6,
    )

    article_rows = view[view["who"].eq(views.ARTICLE)]
    rows = [(d, official[official["period_end"].eq(d) & official["share"].notna()]) for d in dates]
    placed = article_rows["placed_at"].dropna()
    keys = [pd.Timestamp(d) for d, _ in rows]
    at = keys.index(pd.Timestamp(placed.iloc[0])) + 1 if len(placed) and pd.Timestamp(placed.iloc[0]) in keys else 0
    rows.insert(at, ("article", article_rows))
    labels = []
    for i, (key, group) in enumerate(rows):
        group = group.assign(_o=group["nationality"].map(lambda n: order.index(n) if n in order else len(order) - 2))
        group = group.sort_values("_o")
        if group.empty:
            bars.text(
                1,
                i,
                textwrap.fill(words.labels["count_only_bar"][key], 60 if not narrow else 44),
                va="center",
                fontsize=layout.small,
                color=MUTED,
                linespacing=1.1,
            )
        else:
            _stacked(bars, group, i, layout, words.labels["inside_rest"].get(key, []))
        labels.append(words.labels["rows"][key])
    bars.set_yticks(range(len(rows)), labels, fontsize=layout.small if narrow else layout.label)
    for edge in (at - 0.5, at + 0.5):
        bars.axhline(edge, color=ARTICLE_COLOUR, lw=1.0, zorder=3)
    bars.invert_yaxis()
    bars.set_xlim(0, 100)
    bars.grid(axis="y", visible=False)
    bars.grid(axis="x", visible=True)
    bars.xaxis.set_major_locator(mticker.MultipleLocator(25))
    _percent(bars.xaxis)
    bars.set_title(
        textwrap.fill(words.labels["bars_title"], int(layout.wrap_subtitle * 0.8)),
        loc="left",
        fontsize=layout.label,
        color=INK,
        pad=6,
    )
    drawn = [n for n in order if n in set(view["nationality"])]
    handles = [
        Patch(
            facecolor=NATIONALITY_COLOURS[n],
            edgecolor=PAPER,
            hatch="////" if n == views.NOT_ITEMISED else None,
            label=n,
        )
        for n in drawn
    ]
    # the key sits a fixed distance under the axis, whatever the number of dates
    axis_inches = bars.get_position().height * fig.get_figheight()
    bars.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(-0.02, -(0.42 if not narrow else 0.38) / axis_inches),
        ncols=len(drawn) if not narrow else 3,
        fontsize=layout.small,
        handlelength=1.2,
        columnspacing=0.9,
        labelcolor=INK,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# 03: seafood share


def seafood_share(view: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """The article's share with its interval, against the whole category it is a part of."""
    narrow = layout.name == "narrow"
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=(0.9 if narrow else 0.55) * len(view) + 0.4,
        left=0.25 if narrow else 3.0,
        right=0.3,
    )
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(len(view) - 0.5, -1.0 if narrow else -0.5)
    ax.set_xlim(0, max(60.0, float(view["share_high"].max()) + 18))
    for i, (_, r) in enumerate(view.iterrows()):
        article = r["who"] == views.ARTICLE
        colour = ARTICLE_COLOUR if article else OFFICIAL_COLOUR
        differs = not article and (r["population"] != v.RESIDENTS or "over the total stock" in r["measure"])
        sns.barplot(
            pd.DataFrame({"row": [i], "share": [r["share"]]}),
            x="share",
            y="row",
            orient="y",
            native_scale=True,
            errorbar=None,
            width=0.55,
            color=PAPER if differs else colour,
            saturation=1,
            edgecolor=colour,
            linewidth=1.5,
            hatch="////" if differs else None,
            zorder=2,
            legend=False,
            ax=ax,
        )
        _unlabelled(ax)
        if r["share_high"] > r["share_low"]:
            _with_intervals(
                ax,
                i,
                r["share"],
                r["share_low"],
                r["share_high"],
                orient="y",
                capsize=4,
                err_kws={"linewidth": 1.5, "color": INK},
                color=INK,
                marker="none",
                zorder=3.5,
            )
        value = words.labels["values"][i]
        ax.text(
            r["share_high"] + 1.2,
            i,
            value.replace(" (", "\n(") if narrow else value,
            va="center",
            fontsize=layout.small if narrow else layout.label,
            color=INK,
            zorder=3,
            linespacing=1.1,
        )
        if narrow:
            ax.text(
                0,
                i - 0.34,
                textwrap.fill(words.labels["rows"][i], 50),
                va="bottom",
                ha="left",
                fontsize=layout.small,
                color=INK,
                linespacing=1.1,
            )
    if narrow:
        ax.set_yticks([])
    else:
        ax.set_yticks(range(len(view)), [textwrap.fill(t, 44) for t in words.labels["rows"]], fontsize=layout.small)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    _percent(ax.xaxis)
    return fig


# ---------------------------------------------------------------------------------------------
# rows of labelled marks (charts 04 and 05)


def _row_words(ax, i: int, left: str, right: str, colour: str, layout: Layout, drop: float, above: float = 0.2) -> None:
    """A row's words: wide, the label as a tick and the result in the right margin; narrow, the label
    ``above`` the row and the result ``drop`` below it on the right, on one line."""
    at = ax.get_yaxis_transform()
    if layout.name == "narrow":
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


def _row_ticks(ax, rows: list[str], layout: Layout) -> None:
    """Row labels as ticks in the wide layout; none in the narrow one (they stand over the rows)."""
    if layout.name == "narrow":
        ax.set_yticks([])
    else:
        ax.set_yticks(range(len(rows)), rows, fontsize=layout.small, linespacing=1.1)


# ---------------------------------------------------------------------------------------------
# 04: data quality


def data_quality(view: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """Each claim's difference from the official figure its status rests on, grouped by status."""
    narrow = layout.name == "narrow"
    per_row = 0.95 if narrow else 0.4
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=per_row * len(view) + 0.3,
        left=0.2 if narrow else 2.75,
        right=0.2 if narrow else 2.2,
        below=0.25,
    )
    span = max(abs(view["difference_low"].min()), abs(view["difference_high"].max()), 10) * 1.08
    ax.axvline(0, color=MUTED, lw=1, zorder=1)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(len(view) - 0.4, -0.8 if narrow else -0.6)
    ax.set_xlim(-span, span)
    for i, (_, r) in enumerate(view.iterrows()):
        colour = STATUS_COLOURS[r["status"]]
        _with_intervals(
            ax,
            i,
            r["difference"],
            r["difference_low"],
            r["difference_high"],
            orient="y",
            capsize=3,
            err_kws={"linewidth": 2.5},
            color=colour,
            marker="o",
            markersize=6,
            markeredgecolor=readable(colour),
            markeredgewidth=1.0,
            zorder=3,
        )
        _row_words(ax, i, words.labels["rows"][i], words.labels["status"][i], readable(colour), layout, 0.15)
    _row_ticks(ax, words.labels["rows"], layout)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:+.0f}%" if x else "0"))
    ax.set_xlabel(words.labels["axis"], fontsize=layout.small, color=MUTED)
    return fig


# ---------------------------------------------------------------------------------------------
# 05: timeline


def timeline(view: pd.DataFrame, stages: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """The article's dates as the periods they name, each with the official date as a tick."""
    narrow = layout.name == "narrow"
    per_row = 0.95 if narrow else 0.4
    fig, (ax, ax2) = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=2,
        height=per_row * len(view) + 1.5,
        height_ratios=[per_row * len(view), 0.5],
        left=0.2 if narrow else 2.75,
        right=0.2 if narrow else 2.1,
        hspace=1.0,
        below=0.3,
    )
    first = min(view["period_start"].dropna().min(), view["official_start"].dropna().min())
    last = max(view["period_end"].dropna().max(), view["official_end"].dropna().max())
    lo, hi = pd.Timestamp(first.year - 2, 1, 1), pd.Timestamp(last.year + 2, 1, 1)
    for i, (_, r) in enumerate(view.iterrows()):
        article = r["who"] == views.ARTICLE
        colour = STATUS_COLOURS[r["status"]] if article else MUTED
        if article:
            width = (r["period_end"] - r["period_start"]) + pd.Timedelta(days=1)
            ax.barh(
                i + 0.1, max(width, pd.Timedelta(days=120)), left=r["period_start"], height=0.42, color=colour, zorder=2
            )
        if pd.notna(r["official_start"]):
            mid = r["official_start"] + (r["official_end"] - r["official_start"]) / 2
            ax.plot([mid], [i - (0.2 if narrow else 0.27)], marker="v", ms=6, color=INK, zorder=4)
        _row_words(ax, i, words.labels["rows"][i], words.labels["right"][i], readable(colour), layout, 0.3)
    _row_ticks(ax, words.labels["rows"], layout)
    ax.invert_yaxis()
    ax.set_ylim(len(view) - 0.4, -0.8 if narrow else -0.6)
    ax.set_xlim(lo, hi)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_locator(mdates.YearLocator(5 if not narrow else 10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=layout.small)
    fills = [PALETTE["sky"], PALETTE["blue"], PALETTE["purple"]]
    for (_, s), colour in zip(stages.iterrows(), fills):
        ax2.barh(0, s["years"], left=s["first_year"] - 1, color=colour, edgecolor=PAPER, height=0.8, zorder=2)
        ax2.text(
            s["first_year"] - 1 + s["years"] / 2,
            0,
            words.labels["stages"][s["id"]],
            ha="center",
            va="center",
            fontsize=layout.small,
            color=text_on(colour),
            zorder=3,
            linespacing=1.1,
        )
    ax2.set_xlim(0, stages["last_year"].max())
    ax2.set_ylim(-0.5, 0.5)
    ax2.set_yticks([])
    ax2.xaxis.set_major_locator(mticker.MultipleLocator(1))
    ax2.tick_params(axis="x", labelsize=layout.small)
    ax2.set_xlabel(words.labels["stages_axis"], fontsize=layout.small, color=MUTED)
    ax2.set_title(words.labels["stages_title"], loc="left", fontsize=layout.label, color=INK, pad=4)
    ax2.grid(visible=False)
    return fig


# ---------------------------------------------------------------------------------------------
# 06: trainees and Specified Skilled Workers

#: One colour per status of chart 06 (trainees as the official stock elsewhere).
_STATUS_LINE = (OFFICIAL_COLOUR, PALETTE["vermillion"])


def skilled_workers(view: pd.DataFrame, words: Words, layout: Layout) -> Figure:
    """Top: both stocks in all. Below: one small panel per leading nationality, lines labelled directly."""
    narrow = layout.name == "narrow"
    names = words.labels["nationalities"]
    statuses = words.labels["statuses"]
    fig, axes = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=1 + len(names),
        height=2.4 + 1.5 * len(names),
        height_ratios=[2.4] + [1.5] * len(names),
        left=0.75 if not narrow else 0.8,
        right=1.9 if not narrow else 0.3,
        hspace=0.55 * len(names) if not narrow else 0.7 * len(names),
        below=0.1,
        above=0.1,
    )
    for ax, name in zip(axes, ["All", *names]):
        top = 0.0
        ends = [
            view[view["status"].eq(s) & view["nationality"].eq(name)].sort_values("period_end")["value"].iloc[-1]
            for s in statuses
        ]
        close = abs(ends[0] - ends[1]) < 0.12 * max(ends)
        panel = view[view["status"].isin(statuses) & view["nationality"].eq(name)].sort_values("period_end")
        sns.lineplot(
            panel,
            x="period_end",
            y="value",
            hue="status",
            hue_order=statuses,
            palette=dict(zip(statuses, _STATUS_LINE)),
            estimator=None,
            errorbar=None,
            linewidth=1.8,
            marker="o",
            markersize=2.5,
            markeredgewidth=1.0,
            markeredgecolor=None,
            zorder=3,
            legend=False,
            ax=ax,
        )
        _unlabelled(ax)
        for i, (status, colour) in enumerate(zip(statuses, _STATUS_LINE)):
            rows = panel[panel["status"].eq(status)]
            last = rows.iloc[-1]
            top = max(top, rows["value"].max())
            if not narrow:
                ax.annotate(
                    f"{status}: {fmt.value(last['value'], v.COUNT)}",
                    (last["period_end"], last["value"]),
                    xytext=(5, (5 if ends[i] >= ends[1 - i] else -5) if close else 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=layout.small,
                    color=readable(colour),
                )
        ax.set_ylim(0, top * 1.15)
        _thousands(ax.yaxis)
        ax.yaxis.set_major_locator(mticker.MaxNLocator(3))
        ax.set_title(
            "All nationalities" if name == "All" else fmt.country(name).capitalize()[:1] + fmt.country(name)[1:],
            loc="left",
            fontsize=layout.label,
            color=INK,
            pad=4,
        )
        _years(ax, layout, step=1 if not narrow else 2)
    if narrow:
        handles = [Patch(facecolor=c, label=s) for s, c in zip(statuses, _STATUS_LINE)]
        axes[0].legend(handles=handles, loc="upper left", fontsize=layout.small, frameon=False, labelcolor=INK)
    return fig
