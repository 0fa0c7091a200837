"""Chart 02, source countries: the article's nationality shares and the official composition at every date.

In order: the rows it plots (published as its CSV), its words (title, subtitle, source line, labels,
description and reading, all written from the data), its drawing in a given layout, and its
:class:`~analysis.publish.charts.base.Chart`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis import fmt
from analysis import vocabulary as v
from analysis.publish.charts.base import (
    ARTICLE,
    NOT_ITEMISED,
    OFFICIAL,
    Chart,
    Words,
    article_rows,
    has_gaps,
    official_rows,
    source_line,
)
from analysis.publish.charts.marks import (
    line_with_gaps,
    percent,
    points,
    with_intervals,
    years,
)
from analysis.publish.style import (
    ARTICLE_COLOUR,
    INK,
    MUTED,
    NATIONALITY_COLOURS,
    PALETTE,
    PAPER,
    Layout,
    can_hold_text,
    frame,
    readable,
    text_on,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# rows


def placed_at(shares: pd.DataFrame, reconciliation: pd.DataFrame | None) -> str | None:
    """The one official date the reconciliation places the article's stated shares at (the date
    they agree with, consistent or misdated), or None where it places them at none."""
    if reconciliation is None:
        return None
    rec = reconciliation[
        reconciliation["claim_id"].isin(shares["id"]) & reconciliation["status"].isin([v.CONSISTENT, v.MISDATED])
    ]
    dates = set(rec["reference_period"].dropna())
    stated = shares[shares["basis"].ne(v.REMAINDER)]
    return dates.pop() if len(dates) == 1 and len(rec) == len(stated) else None


def rows(
    shares: pd.DataFrame, by_nationality: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The article's shares and the official composition at every date any nationality is itemised.

    At a date with a total, each itemised nationality has its share and what the sources leave
    is ``not itemised``; at a date without a total, a count stands alone, with no share. The
    article's rows carry ``placed_at``: the official date the reconciliation places them at.
    Columns: who, period_start, period_end, placed_at, nationality, share, share_low, share_high,
    count, total, note, publisher, sources.
    """
    rows = []
    placed = placed_at(shares, reconciliation)
    for _, r in shares.iterrows():
        rows.append(
            dict(
                who=ARTICLE,
                placed_at=placed,
                period_start=r["period_start"],
                period_end=r["period_end"],
                nationality=r["nationality"],
                share=r["share"],
                share_low=r["share_low"],
                share_high=r["share_high"],
                count=None,
                total=None,
                note="the remainder the stated shares leave"
                if r["basis"] == v.REMAINDER
                else "as the article states it",
                publisher=None,
                sources=None,
            )
        )
    counts = by_nationality[by_nationality["series"].str.startswith("stock-nationality:")]
    share_rows = by_nationality[by_nationality["series"].str.startswith("stock-share:")]
    totals = stock[stock["series"].eq("stock")].set_index("period_end")
    for end, group in counts.groupby("period_end", sort=True):
        shares_here = share_rows[share_rows["period_end"].eq(end)].set_index("series")
        total = totals.loc[end] if end in totals.index else None
        for _, c in group.sort_values("value", ascending=False).iterrows():
            name = c["series"].split(":", 1)[1]
            s = shares_here.loc[f"stock-share:{name}"] if f"stock-share:{name}" in shares_here.index else None
            rows.append(
                dict(
                    who=OFFICIAL,
                    period_start=end,
                    period_end=end,
                    placed_at=None,
                    nationality=name,
                    share=None if s is None else s["value"],
                    share_low=None if s is None else s["low"],
                    share_high=None if s is None else s["high"],
                    count=c["value"],
                    total=None if total is None else total["value"],
                    note=c["published_as"]
                    if s is not None
                    else "no official total of this date, so a count and not a share",
                    publisher=c["publisher"],
                    sources=(s if s is not None else c)["sources"],
                )
            )
        rest = 100 - shares_here["value"].sum() if len(shares_here) else 0.0
        if total is not None and len(shares_here) and rest >= 0.05:
            rows.append(
                dict(
                    who=OFFICIAL,
                    period_start=end,
                    period_end=end,
                    placed_at=None,
                    nationality=NOT_ITEMISED,
                    share=rest,
                    share_low=max(0.0, 100 - shares_here["high"].sum()),
                    share_high=100 - shares_here["low"].sum(),
                    count=total["value"] - group["value"].sum(),
                    total=total["value"],
                    note="what the sources do not itemise at this date (the total less the itemised)",
                    publisher=total["publisher"],
                    sources=total["sources"],
                )
            )
    return pd.DataFrame(rows)


def overtakes(view: pd.DataFrame) -> list[tuple]:
    """Where the largest nationality changes from one official date to the next, each known to be
    the largest: (date, new leader, the leader before, its date).

    >>> view = pd.DataFrame({"who": OFFICIAL, "period_end": [1, 1, 2, 2], "nationality": ["A", "B", "A", "B"],
    ...     "share": [60.0, 40.0, 45.0, 55.0]})
    >>> overtakes(view)
    [(2, 'B', 'A', 1)]
    """
    leads = leaders(view)
    known = leads[leads["known_largest"]].reset_index(drop=True)
    return [
        (b.period_end, b.nationality, a.nationality, a.period_end)
        for a, b in zip(known.itertuples(), known.iloc[1:].itertuples())
        if a.nationality != b.nationality
    ]


def leaders(view: pd.DataFrame) -> pd.DataFrame:
    """At each official date with shares: the nationality with the largest share, and whether it
    is known to be the largest (itemised beside others, or over half on its own).

    Columns: period_end, nationality, share, itemised, known_largest.
    """
    official = view[view["who"].eq(OFFICIAL) & view["share"].notna() & view["nationality"].ne(NOT_ITEMISED)]
    rows = []
    for end, group in official.groupby("period_end", sort=True):
        top = group.loc[group["share"].idxmax()]
        rest = view[view["who"].eq(OFFICIAL) & view["period_end"].eq(end) & view["nationality"].eq(NOT_ITEMISED)]
        unknown = float(rest["share"].iloc[0]) if len(rest) else 0.0
        rows.append(
            dict(
                period_end=end,
                nationality=top["nationality"],
                share=top["share"],
                itemised=len(group),
                known_largest=bool(top["share"] > unknown or top["share"] > 50),
            )
        )
    return pd.DataFrame(rows)


# words


def _short_date(when) -> str:
    d = pd.Timestamp(when)
    return f"end {d:%b %Y}" if (d.month, d.day) != (12, 31) else f"end {d.year}"


def between(before, when) -> str:
    """When a change happened, between two official dates half a year apart or more.

    >>> between(pd.Timestamp("2016-06-30"), pd.Timestamp("2016-12-31"))
    'in the second half of 2016'
    >>> between(pd.Timestamp("2016-12-31"), pd.Timestamp("2017-06-30"))
    'in the first half of 2017'
    """
    a, b = pd.Timestamp(before), pd.Timestamp(when)
    if (a.month, b.month, a.year) == (6, 12, b.year):
        return f"in the second half of {b.year}"
    if (a.month, b.month, a.year + 1) == (12, 6, b.year):
        return f"in the first half of {b.year}"
    return f"between {fmt.day(a)} and {fmt.day(b)}"


@dataclass(frozen=True)
class Labels:
    """The words chart 02 places on its marks."""

    #: the nationality traced over time
    lead: str
    #: the trace's labelled points, by date
    trace_points: dict
    #: each bar's label, by its key
    rows: dict
    #: a count without a total, by date
    count_only: dict
    #: a count-only bar's words, by its key
    count_only_bar: dict
    #: the article's point on the trace
    article_point: str
    #: the upper panel's title
    trace_title: str
    #: the named nationalities a bar's unitemised rest includes, by its key
    inside_rest: dict
    #: the lower panel's title
    bars_title: str


def words(view: pd.DataFrame) -> dict:
    """Every word of chart 02, from its view."""
    official, article = official_rows(view), article_rows(view)
    leads = leaders(view)
    moves = overtakes(view)
    lead = moves[-1][1] if moves else leads["nationality"].mode().iloc[0]
    stated = article[article["nationality"].ne(v.OTHER_NATIONALITY)]
    article_top = stated.loc[stated["share"].idxmax(), "nationality"]
    scope = "At every official date" if leads["known_largest"].all() else "Wherever the official figures can tell"
    trace = official[official["nationality"].eq(lead) & official["share"].notna()].sort_values("period_end")
    first, last = trace.iloc[0], trace.iloc[-1]
    peak = trace.loc[trace["share"].idxmax()]
    placed = article["placed_at"].dropna()
    said_when = fmt.period(article.iloc[0]["period_start"], article.iloc[0]["period_end"])
    if moves:
        when, new, old, before = moves[-1]
        title = f"{new} overtook {old} as the largest source of trainees {between(before, when)}"
    else:
        title = f"{scope}, {lead} is the largest source of trainees"
    if len(placed):
        title += f"; the article's shares for {said_when} are those of {fmt.day(placed.iloc[0])}"
    elif article_top != lead:
        title += f", not {article_top} as the article has it"
    said = said_when
    rows = {"article": f"Article, at {_short_date(placed.iloc[0])}" if len(placed) else f"Article ({said})"}
    count_only, count_bar = {}, {}
    for end, group in official.groupby("period_end", sort=True):
        rows[end] = _short_date(end)
        if group["share"].isna().all():
            names = fmt.listing([fmt.country(n) for n in group["nationality"]])
            count = fmt.listing([fmt.value(c, v.COUNT) for c in group["count"]])
            count_only[end] = f"{_short_date(end)}: a count only"
            count_bar[end] = f"{count} from {names}: no total of this date, so no share"
    lead_article = article[article["nationality"].eq(lead)]
    points = {first["period_end"], peak["period_end"], last["period_end"]}
    return {
        "title": title,
        "subtitle": "Share of all technical intern trainees resident in Japan, by nationality: each nationality's "
        "official stock over the official total of the same date; Other: every nationality not named"
        + (
            ". Hatched: what the sources leave unitemised at that date (it may include any nationality not named)"
            if official["nationality"].eq(NOT_ITEMISED).any()
            else ""
        ),
        "source": source_line(official, []),
        "labels": Labels(
            lead=lead,
            trace_points=points,
            rows=rows,
            count_only=count_only,
            count_only_bar=count_bar,
            article_point=""
            if lead_article.empty
            else f"article: {fmt.share(lead_article['share'].iloc[0])} ('{said}')"
            + (f"\nplaced at {_short_date(placed.iloc[0])}" if len(placed) else ""),
            trace_title=f"{lead}'s share of all trainees, at each date with a total"
            + (" (dotted: no figure in between)" if has_gaps(trace["period_end"]) else ""),
            inside_rest=_inside_rest(official),
            bars_title="The composition at each date a source itemises nationalities",
        ),
    }


def _inside_rest(official: pd.DataFrame) -> dict:
    """Per date, the nationalities itemised at other dates but not at this one (they are in the rest)."""
    named = official[official["share"].notna() & ~official["nationality"].isin([NOT_ITEMISED, v.OTHER_NATIONALITY])]
    everywhere = set(named["nationality"])
    out = {}
    for end, group in named.groupby("period_end"):
        missing = sorted(
            everywhere - set(group["nationality"]), key=lambda n: -named[named["nationality"].eq(n)]["share"].max()
        )
        out[end] = missing
    return out


def description(view: pd.DataFrame) -> str:
    """Chart 02 in sentences with its key numbers."""
    official, article = official_rows(view), article_rows(view)
    leads = leaders(view)
    dates = official["period_end"].drop_duplicates().sort_values()
    parts = [
        f"Charts of the nationalities of technical intern trainees in Japan at {len(dates)} official dates, "
        f"from {fmt.day(dates.iloc[0])} to {fmt.day(dates.iloc[-1])}."
    ]
    stated = article[article["nationality"].ne(v.OTHER_NATIONALITY)].sort_values("share", ascending=False)
    parts.append(
        "The article gives "
        + fmt.listing([f"{fmt.country(r['nationality'])} {fmt.share(r['share'])}" for _, r in stated.iterrows()])
        + "."
    )
    known = leads[leads["known_largest"]]
    spells = []
    for _, group in known.groupby((known["nationality"] != known["nationality"].shift()).cumsum(), sort=True):
        first, last = group.iloc[0], group.iloc[-1]
        spells.append(
            f"{fmt.country(first['nationality'])} at {len(group)} "
            f"({fmt.share(first['share'])} at {fmt.day(first['period_end'])} to {fmt.share(last['share'])} at "
            f"{fmt.day(last['period_end'])})"
        )
    parts.append(
        f"Officially, the largest share of the {len(leads)} dates with a total is held by " + fmt.listing(spells) + "."
    )
    unknown = leads[~leads["known_largest"]]
    for r in unknown.itertuples():
        parts.append(
            f"At {fmt.day(r.period_end)} only {r.nationality} is itemised, at {fmt.share(r.share)}, so "
            "whether it is the largest cannot be told."
        )
    for _, r in official[official["share"].isna()].iterrows():
        parts.append(
            f"At {fmt.day(r['period_end'])} there is a count of {fmt.value(r['count'], v.COUNT)} from "
            f"{fmt.country(r['nationality'])} but no total of that date, so no share."
        )
    return " ".join(parts)


def reading(view: pd.DataFrame) -> str:
    """The reading under chart 02, in Markdown: every claim computed over every date."""
    official, article = official_rows(view), article_rows(view)
    leads = leaders(view)
    several = leads[leads["itemised"] > 1]
    seconds = []
    for end in several["period_end"]:
        group = official[
            official["period_end"].eq(end)
            & official["share"].notna()
            & ~official["nationality"].isin([NOT_ITEMISED, v.OTHER_NATIONALITY])
        ].sort_values("share", ascending=False)
        rest = official[official["period_end"].eq(end) & official["nationality"].eq(NOT_ITEMISED)]
        unknown = float(rest["share"].iloc[0]) if len(rest) else 0.0
        if len(group) > 1 and group.iloc[1]["share"] > unknown:
            seconds.append((end, group.iloc[1]["nationality"]))
    runs: list[list] = []
    for end, name in seconds:
        if runs and runs[-1][0] == name:
            runs[-1][2] = end
        else:
            runs.append([name, end, end])
    lines = [f"**Reading.** {description(view)}"]
    if runs:
        lines.append(
            "Second largest, among the nationalities named, at the dates where what is not itemised cannot hide a "
            "larger one: "
            + "; ".join(
                f"{fmt.country(n)} at {fmt.day(a)}" if a == b else f"{fmt.country(n)} from {fmt.day(a)} to {fmt.day(b)}"
                for n, a, b in runs
            )
            + "."
        )
    placed = article["placed_at"].dropna()
    if len(placed):
        lines.append(
            f"The article's shares stand at {fmt.day(placed.iloc[0])}, the one date at which the reconciliation "
            "finds all of them (see chart 04); earlier versions of the article placed them after the total of "
            "the previous sentence, with no year of their own (`article_history.md`)."
        )
    return " ".join(lines)


# drawing


@dataclass(frozen=True)
class Look:
    """How chart 02 sits in one layout (inches, unless named otherwise)."""

    #: the height of each bar's row, and the room around the two panels
    per_bar: float
    left: float
    right: float
    hspace: float
    below: float
    above: float
    #: the narrowest share (percent) a segment is labelled in; whether a wide unitemised segment
    #: names the first nationality it includes
    min_share_labelled: float
    names_inside_rest: bool
    #: a count-only bar's words wrap at this many characters
    count_wrap: int
    #: bar labels in small type (else label type)
    bar_labels_small: bool
    #: the key: how far under the bars, and in how many columns (None: one per nationality)
    key_below: float
    key_columns: int | None


LOOKS = {
    "wide": Look(0.42, 1.35, 0.3, 0.9, 0.75, 0.45, 7, True, 60, False, 0.42, None),
    "narrow": Look(0.5, 1.25, 0.2, 1.4, 1.15, 0.6, 11, False, 44, True, 0.38, 3),
}


def _stacked(ax, rows: pd.DataFrame, y: float, layout: Layout, inside: list[str], height: float = 0.72) -> None:
    look = LOOKS[layout.name]
    left = 0.0
    for _, r in rows.iterrows():
        name = r["nationality"]
        colour = NATIONALITY_COLOURS.get(name, PALETTE["yellow"])
        rest = name in (NOT_ITEMISED, v.OTHER_NATIONALITY)
        hatch = "////" if name == NOT_ITEMISED else None
        ax.barh(y, r["share"], left=left, height=height, color=colour, hatch=hatch, edgecolor=PAPER, lw=0.8, zorder=2)
        wide_enough = r["share"] >= look.min_share_labelled
        if wide_enough and not (rest and name == NOT_ITEMISED and r["share"] < 15):
            text = fmt.share(r["share"], 0)
            if name == NOT_ITEMISED and r["share"] >= 25:
                text = f"{text} not itemised" + (f", incl. {inside[0]}" if inside and look.names_inside_rest else "")
            ax.text(
                left + r["share"] / 2,
                y,
                text,
                ha="center",
                va="center",
                fontsize=layout.small,
                color=text_on(colour) if can_hold_text(colour) else INK,
                zorder=3,
                bbox=None if name != NOT_ITEMISED else dict(boxstyle="round,pad=0.15", fc=PAPER, ec="none"),
            )
        left += r["share"]


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """Top: the leading nationality's share over time. Below: the composition at each date."""
    import matplotlib.ticker as mticker
    from matplotlib.patches import Patch

    look = LOOKS[layout.name]
    order = list(NATIONALITY_COLOURS)
    official = view[view["who"].eq(OFFICIAL)]
    dates = sorted(official["period_end"].unique())
    fig, (ax, bars) = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=2,
        height=2.0 + look.per_bar * (len(dates) + 1),
        height_ratios=[2.0, look.per_bar * (len(dates) + 1)],
        left=look.left,
        right=look.right,
        hspace=look.hspace,
        below=look.below,
        above=look.above,
    )
    lead = words.labels.lead
    trace = official[official["nationality"].eq(lead) & official["share"].notna()].sort_values("period_end")
    colour = NATIONALITY_COLOURS.get(lead, INK)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(0, 100)
    ax.set_xlim(
        pd.Timestamp(min(view["period_end"].min(), pd.Timestamp(dates[0])).year, 1, 1),
        pd.Timestamp(pd.Timestamp(dates[-1]).year + 1, 1, 1),
    )
    points(ax, trace, "period_end", "share", colour, size=4)
    line_with_gaps(ax, trace, "period_end", "share", colour)
    for _, r in trace.iterrows():
        if r["period_end"] in words.labels.trace_points:
            ax.annotate(
                fmt.share(r["share"]),
                (r["period_end"], r["share"]),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=layout.small,
                color=INK,
            )
    article = view[view["who"].eq(ARTICLE) & view["nationality"].eq(lead)]
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
        with_intervals(
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
            words.labels.article_point,
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
            words.labels.count_only[r["period_end"]],
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
    percent(ax.yaxis)
    years(ax, layout)
    ax.set_title(
        textwrap.fill(words.labels.trace_title, int(layout.wrap_subtitle * 0.8)),
        loc="left",
        fontsize=layout.label,
        color=INK,
        pad=6,
    )

    article_rows = view[view["who"].eq(ARTICLE)]
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
                textwrap.fill(words.labels.count_only_bar[key], look.count_wrap),
                va="center",
                fontsize=layout.small,
                color=MUTED,
                linespacing=1.1,
            )
        else:
            _stacked(bars, group, i, layout, words.labels.inside_rest.get(key, []))
        labels.append(words.labels.rows[key])
    bars.set_yticks(range(len(rows)), labels, fontsize=layout.small if look.bar_labels_small else layout.label)
    for edge in (at - 0.5, at + 0.5):
        bars.axhline(edge, color=ARTICLE_COLOUR, lw=1.0, zorder=3)
    bars.invert_yaxis()
    bars.set_xlim(0, 100)
    bars.grid(axis="y", visible=False)
    bars.grid(axis="x", visible=True)
    bars.xaxis.set_major_locator(mticker.MultipleLocator(25))
    percent(bars.xaxis)
    bars.set_title(
        textwrap.fill(words.labels.bars_title, int(layout.wrap_subtitle * 0.8)),
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
            hatch="////" if n == NOT_ITEMISED else None,
            label=n,
        )
        for n in drawn
    ]
    # the key sits a fixed distance under the axis, whatever the number of dates
    axis_inches = bars.get_position().height * fig.get_figheight()
    bars.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(-0.02, -look.key_below / axis_inches),
        ncols=look.key_columns or len(drawn),
        fontsize=layout.small,
        handlelength=1.2,
        columnspacing=0.9,
        labelcolor=INK,
    )
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(**words(view), description=description(view), reading=reading(view))


CHART = Chart(
    name="02-source-countries",
    short_title="Source countries",
    question="Where do technical interns come from?",
    caption=(
        "The article's nationality shares beside the official composition at every date a source itemises "
        "nationalities; what the sources leave unitemised is drawn as such, and a count without a total of its "
        "date is shown as a count, never as a share."
    ),
    units="percent of all technical intern trainees resident in Japan; persons where no total exists",
    inputs=(
        "nationality_shares",
        "official_stock_by_nationality",
        "official_stock",
        "reconciliation",
    ),
    rows=lambda t: rows(
        t["nationality_shares"], t["official_stock_by_nationality"], t["official_stock"], t["reconciliation"]
    ),
    write=_write,
    draw=draw,
)
