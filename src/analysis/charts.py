"""Every chart of the project, in the house style (:mod:`analysis.style`).

Each function takes a processed table and returns a figure; titles are written from the data,
so a changed figure changes the title with it.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.fmt import count as fmt_count
from analysis.style import INK, MUTED, PALETTE, new_figure

ARTICLE = "the encyclopedia article 'Technical Intern Training Program' (transcribed in data/raw/article/)"


def when(row: pd.Series) -> str:
    """The date of a figure as a reader should see it ('2015', 'December 2019', '2012-2017')."""
    start, end, precision = row["period_start"], row["period_end"], row.get("period_precision", "year")
    if pd.isna(start):
        return "undated"
    if precision == "month":
        return end.strftime("%B %Y")
    if start == end:
        return f"end of {end.year}" if (end.month, end.day) == (12, 31) else end.strftime("%d %B %Y")
    if start.year != end.year:
        return f"{start.year}-{end.year}"
    return str(start.year)


def source_line(bodies: pd.Series) -> str:
    """'Source: <bodies>, as cited in <article>.' from the credited_to column."""
    named = sorted({b for b in bodies.dropna() if str(b).strip()})
    if not named:
        return f"Source: {ARTICLE}, which credits no body for these figures. Chart: TITP data project."
    return f"Source: {'; '.join(named)}, as cited in {ARTICLE}. Chart: TITP data project."


def year_axis(ax) -> None:
    """Years as spans: a tick at each 1 January, the year's label in the middle of its span."""
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mticker.NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", which="minor", length=0)


def intern_counts(counts: pd.DataFrame) -> Figure:
    """Intern totals by date: stated filled, derived open, intervals as bars."""
    counts = counts.sort_values("period_end").reset_index(drop=True)
    first, last = counts.iloc[0], counts.iloc[-1]
    title = (
        f"By the article's figures, technical interns grew from {fmt_count(first['value'], first['qualifier'], first['basis'])}"
        f" ({when(first)}) to {fmt_count(last['value'], last['qualifier'], last['basis'])} ({when(last)})"
    )
    fig, ax = new_figure(
        title,
        "Technical interns in Japan, persons; filled = stated in the article, open = derived from its growth rate; bars = interval",
        source_line(counts["credited_to"]),
    )
    for _, row in counts.iterrows():
        stated = row["basis"] == "stated"
        colour = PALETTE["blue"] if stated else PALETTE["vermillion"]
        x = row["period_end"]
        xerr = None
        if row["period_start"] != row["period_end"]:
            mid = row["period_start"] + (row["period_end"] - row["period_start"]) / 2
            x, half = mid, (row["period_end"] - row["period_start"]) / 2
            xerr = [[half], [half]]
        ax.errorbar(
            [x], [row["value"]], yerr=[[row["value"] - row["low"]], [row["high"] - row["value"]]], xerr=xerr,
            fmt="o", ms=8, color=colour, mfc=colour if stated else "white", mew=2, capsize=4, zorder=3,
        )
        label = fmt_count(row["value"], row["qualifier"], row["basis"])
        detail = when(row) if stated else f"{when(row)}, derived"
        ax.annotate(f"{label}\n{detail}", (x, row["value"]), xytext=(10 if stated else -10, -6),
                    textcoords="offset points", fontsize=9, color=INK, va="top", ha="left" if stated else "right")
    ax.set_ylim(0, max(counts["high"]) * 1.25)
    ax.set_xlim(pd.Timestamp(first["period_end"].year - 1, 1, 1), pd.Timestamp(last["period_end"].year + 2, 1, 1))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    year_axis(ax)
    ax.legend(
        handles=[
            ax.plot([], [], "o", color=PALETTE["blue"], ms=8, label="stated in the article")[0],
            ax.plot([], [], "o", color=PALETTE["vermillion"], mfc="white", mew=2, ms=8,
                    label="derived (2015 total / (1 + about 15% growth))")[0],
        ],
        loc="upper left",
    )
    return fig


def _share_bars(ax, labels, values, lows, highs, colours, hatches) -> None:
    y = range(len(labels))
    ax.barh(y, values, color=colours, hatch=hatches, edgecolor="white", linewidth=0)
    ax.errorbar(values, y, xerr=[values - lows, highs - values], fmt="none", ecolor=INK, capsize=3, lw=1)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))


def source_countries(shares: pd.DataFrame) -> Figure:
    """Nationality shares as bars, the remainder hatched, intervals as whiskers."""
    shares = pd.concat([
        shares[shares["basis"].eq("stated")].sort_values("share", ascending=False),
        shares[shares["basis"].eq("remainder")],
    ])
    stated = shares[shares["basis"].eq("stated")]
    top, second = stated.iloc[0], stated.iloc[1]
    dated = when(shares.iloc[0])
    fig, ax = new_figure(
        f"{top['nationality']} supplied the largest share of interns ({top['share']:.1f}%), "
        f"then {second['nationality']} ({second['share']:.1f}%)",
        f"Share of technical interns by nationality, %, dated {dated} by the article; "
        "Other = the remainder, computed",
        source_line(pd.Series(dtype=str)),
        left=1.2,
    )
    remainder = shares["basis"].eq("remainder")
    colours = [PALETTE["grey"] if r else PALETTE["blue"] for r in remainder]
    _share_bars(ax, shares["nationality"].tolist(), shares["share"].to_numpy(), shares["share_low"].to_numpy(),
                shares["share_high"].to_numpy(), colours, ["//" if r else "" for r in remainder])
    for i, (_, row) in enumerate(shares.iterrows()):
        ax.text(row["share_high"] + 1, i, f"{row['share']:.1f}%", va="center", fontsize=9.5, color=INK)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of technical interns")
    ax.legend(handles=[Patch(color=PALETTE["blue"], label="stated in the article"),
                       Patch(facecolor=PALETTE["grey"], hatch="//", edgecolor="white",
                             label="remainder (100% less the stated shares)")],
              loc="lower right")
    return fig


def seafood_share(industry: pd.DataFrame) -> Figure:
    """The seafood-processing share as a part of the whole, with its interval."""
    row = industry.set_index("industry").loc["seafood processing"]
    fig, ax = new_figure(
        f"The article puts about {row['share']:.0f}% of all trainees in seafood processing, "
        f"undated and uncredited",
        f"Share of all technical interns in the seafood processing industry, %; whisker = interval "
        f"{row['share_low']:.1f}-{row['share_high']:.1f}% that '{row['qualifier']}' allows",
        source_line(pd.Series([row["credited_to"]])),
        height=3.0,
    )
    ax.barh([0], [row["share"]], color=PALETTE["orange"], label="seafood processing (stated)")
    ax.barh([0], [100 - row["share"]], left=[row["share"]], color="#e6e6e6", label="all other trainees (remainder)")
    ax.errorbar([row["share"]], [0], xerr=[[row["share"] - row["share_low"]], [row["share_high"] - row["share"]]],
                fmt="none", ecolor=INK, capsize=6, lw=1.5)
    ax.text(row["share"] / 2, 0, f"{row['share']:.0f}%", ha="center", va="center", color=INK, fontsize=12,
            fontweight="bold")
    ax.text(row["share"] + (100 - row["share"]) / 2, 0, f"remainder {100 - row['share']:.0f}%", ha="center",
            va="center", color=MUTED, fontsize=10)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, 0.9)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))
    ax.legend(loc="upper left", ncols=2)
    return fig
