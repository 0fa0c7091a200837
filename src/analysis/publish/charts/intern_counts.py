"""Chart 01, intern counts: the official stock of trainees over time, with the article's totals on it.

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
    OFFICIAL,
    Chart,
    Words,
    article_rows,
    has_gaps,
    official_rows,
    source_line,
    status_phrase,
)
from analysis.publish.charts.marks import (
    line_with_gaps,
    points,
    thousands,
    with_intervals,
    years,
)
from analysis.publish.style import (
    ARTICLE_COLOUR,
    INK,
    MUTED,
    OFFICIAL_COLOUR,
    PAPER,
    STATUS_COLOURS,
    Layout,
    frame,
    readable,
)
from analysis.publish.text import stock_trend, turning_points

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# rows


def rows(counts: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The official total stock at every date, and the article's totals with their checks.

    Columns: who, id, kind, period_start, period_end, value, low, high, rounding, status,
    belongs_to, publisher, sources.
    """
    official = stock[stock["series"].eq("stock")].sort_values("period_end")
    rows = [
        dict(
            who=OFFICIAL,
            id=None,
            kind=r["kind"].replace("_", "-"),
            period_start=r["period_start"],
            period_end=r["period_end"],
            value=r["value"],
            low=r["low"],
            high=r["high"],
            rounding=r["published_as"],
            status=None,
            belongs_to=None,
            publisher=r["publisher"],
            sources=r["sources"],
        )
        for _, r in official.iterrows()
    ]
    checks = reconciliation.set_index("claim_id")
    for _, c in counts.sort_values("period_end").iterrows():
        check = checks.loc[c["id"]] if c["id"] in checks.index else None
        status = None if check is None else check["status"]
        belongs = check["reference_period"] if status == v.MISDATED else None
        rows.append(
            dict(
                who=ARTICLE,
                id=c["id"],
                kind=c["basis"],
                period_start=c["period_start"],
                period_end=c["period_end"],
                value=c["value"],
                low=c["low"],
                high=c["high"],
                rounding=fmt.hedge(c["qualifier"]) or v.EXACT,
                status=status,
                belongs_to=belongs,
                publisher=c["credited_to"],
                sources=None,
            )
        )
    return pd.DataFrame(rows)


# words


def year_end_path(year_end: pd.DataFrame) -> str:
    """The year-end stock's path in words, from its first figure through every turn to its last.

    >>> frame = pd.DataFrame({"value": [1.0, 3.0, 2.0, 4.0], "period_end": pd.to_datetime(
    ...     ["2012-12-31", "2019-12-31", "2021-12-31", "2024-12-31"])})
    >>> year_end_path(frame)
    'rose from 1 at the end of 2012 to 3 at the end of 2019, fell to 2 at the end of 2021 and rose to 4 at the end of 2024'
    """
    points = turning_points(year_end.sort_values("period_end").reset_index(drop=True))
    first = points.iloc[0]
    steps = []
    for before, now in zip(points.iloc[:-1].itertuples(), points.iloc[1:].itertuples()):
        verb = "rose" if now.value > before.value else "fell"
        steps.append((verb, f"{fmt.value(now.value, v.COUNT)} at {fmt.day(now.period_end)}"))
    if not steps:
        return f"stood at {fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])}"
    head = f"{steps[0][0]} from {fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])} to {steps[0][1]}"
    return fmt.listing([head, *(f"{verb} to {where}" for verb, where in steps[1:])])


@dataclass(frozen=True)
class Labels:
    """The words chart 01 places on its marks."""

    #: the line's label
    official: str
    #: a rounded official figure's words, by its date
    rounded: dict[pd.Timestamp, str]
    #: each of the article's totals, by claim id
    article: dict[str, str]


def words(view: pd.DataFrame, figures: pd.DataFrame) -> dict:
    """Every word of chart 01, from its view."""
    official, article = official_rows(view), article_rows(view)
    year_end = official[official["kind"].eq("year-end")]
    texts = figures.set_index("id")
    title = f"Officially, year-end trainees {year_end_path(year_end)}"
    misdated = article[article["status"].eq(v.MISDATED)]
    for _, m in misdated.iterrows():
        written = texts.loc[m["id"]]
        title += (
            f"; the article's {written['number_text']} for {fmt.period(m['period_start'], m['period_end'])} "
            f"is the figure for {fmt.iso_period(m['belongs_to'])}"
        )
    labels = {}
    for _, r in article.iterrows():
        fig = texts.loc[r["id"]]
        said = fmt.count(r["value"], fig["qualifier"], r["kind"])
        when = fmt.period(r["period_start"], r["period_end"])
        detail = "derived" if r["kind"] == v.DERIVED else "stated"
        labels[r["id"]] = f"{said}, {when} ({detail}): {status_phrase(r['status'], None, r['belongs_to'])}"
    rounded = {
        r["period_end"]: f"{fmt.value(r['value'], v.COUNT)}, {r['rounding']}"
        for _, r in official[official["rounding"].ne(v.EXACT)].iterrows()
    }
    return {
        "title": title,
        "subtitle": "Technical intern trainees resident in Japan, persons. Line: the official stock at the end of "
        "June and of December (filled: December)"
        + (", dotted where figures are missing" if has_gaps(official["period_end"]) else ", every date given")
        + ". Diamonds: the article's totals (open: derived); bars: the interval the wording or rounding allows",
        "source": source_line(official, article["publisher"]),
        "labels": Labels(official="Official stock", rounded=rounded, article=labels),
    }


def description(view: pd.DataFrame) -> str:
    """Chart 01 in two sentences with its key numbers: the alt text and the page's summary."""
    official, article = official_rows(view), article_rows(view)
    first, last = official.iloc[0], official.iloc[-1]
    peak = official.loc[official["value"].idxmax()]
    text = (
        f"Line chart of the official stock of technical intern trainees in Japan, from "
        f"{fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])} to "
        f"{fmt.value(last['value'], v.COUNT)} at {fmt.day(last['period_end'])}, highest at "
        f"{fmt.day(peak['period_end'])} ({fmt.value(peak['value'], v.COUNT)})."
    )
    for _, r in article.sort_values("period_end").iterrows():
        when = fmt.period(r["period_start"], r["period_end"])
        said = fmt.count(r["value"], "none" if r["rounding"] == v.EXACT else "approximate", r["kind"])
        text += f" {_subject(said, when, r['kind'])} is {status_phrase(r['status'], None, r['belongs_to'])}."
    return text


def _subject(said: str, when: str, basis: str) -> str:
    """An article's count as a sentence's subject; one the project derived from the article's figures
    says so, and is never called the article's.

    >>> _subject("192,655", "the end of 2016", "stated"), _subject("about 167,500", "the end of 2014", "derived")
    ("The article's 192,655 for the end of 2016", "The figure derived from the article's, about 167,500 for the end of 2014,")
    """
    if basis == v.DERIVED:
        return f"The figure derived from the article's, {said} for {when},"
    return f"The article's {said} for {when}"


def reading(view: pd.DataFrame, stock: pd.DataFrame) -> str:
    """The reading under chart 01, in Markdown."""
    article = article_rows(view)
    lines = [f"**Reading.** {stock_trend(stock)}"]
    for _, r in article.sort_values("period_end").iterrows():
        when = fmt.period(r["period_start"], r["period_end"])
        said = fmt.count(r["value"], "none" if r["rounding"] == v.EXACT else "approximate", r["kind"])
        if r["status"] == v.MISDATED:
            lines.append(
                f"{_subject(said, when, r['kind'])} is not the official figure for that date; it is the "
                f"figure for {fmt.iso_period(r['belongs_to'])}, and the arrow shows where it belongs."
            )
        elif r["status"] == v.CONSISTENT:
            lines.append(f"{_subject(said, when, r['kind'])} sits on the official line.")
        else:
            lines.append(
                f"{_subject(said, when, r['kind'])} ({r['kind']}) is {r['status']}: the reference set has no "
                "official figure for that date."
            )
    lines.append(
        "What the chart cannot show: the dates the reference set does not cover (dotted), and how many "
        "people passed through the programme, since a stock counts only those present on the date."
    )
    return " ".join(lines)


# drawing


@dataclass(frozen=True)
class Look:
    """How chart 01 sits in one layout (inches, and points from a mark)."""

    height: float
    left: float
    right: float
    #: the article's labels go under the chart, keyed by a letter beside each mark (else beside it)
    keyed: bool
    #: where the official line's label sits, from its last point
    official_at: tuple[float, float]
    official_ha: str
    official_va: str


LOOKS = {
    "wide": Look(3.4, 0.8, 1.2, keyed=False, official_at=(8, 0), official_ha="left", official_va="center"),
    "narrow": Look(3.6, 0.75, 0.15, keyed=True, official_at=(-4, 14), official_ha="right", official_va="bottom"),
}


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """The official stock as a line, the article's totals on it, a misdated one pointed home."""
    look = LOOKS[layout.name]
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=look.height,
        left=look.left,
        right=look.right,
        below=0.16 * (len(view[view["who"].eq(ARTICLE)]) * 2 + 1) if look.keyed else 0.0,
    )
    official = view[view["who"].eq(OFFICIAL)].sort_values("period_end")
    article = view[view["who"].eq(ARTICLE)].sort_values("period_end")
    keys: list[str] = []
    top = max(view["high"].max(), 1.0)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(
        pd.Timestamp(view["period_end"].min().year - 1, 1, 1), pd.Timestamp(view["period_end"].max().year + 1, 7, 1)
    )
    line_with_gaps(ax, official, "period_end", "value", OFFICIAL_COLOUR)
    exact = official["rounding"].eq(v.EXACT)
    year_end = official["kind"].eq("year-end")
    points(ax, official[exact & year_end], "period_end", "value", OFFICIAL_COLOUR, size=4)
    points(ax, official[exact & ~year_end], "period_end", "value", OFFICIAL_COLOUR, size=4, fill=PAPER, edge=1.3)
    for _, r in official[~exact].iterrows():
        with_intervals(
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
            words.labels.rounded[r["period_end"]],
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
        words.labels.official,
        (last["period_end"], last["value"]),
        xytext=look.official_at,
        textcoords="offset points",
        ha=look.official_ha,
        va=look.official_va,
        fontsize=layout.label,
        color=readable(OFFICIAL_COLOUR),
        fontweight="bold",
    )
    for _, r in article.iterrows():
        stated = r["kind"] == v.STATED
        x = r["period_start"] + (r["period_end"] - r["period_start"]) / 2
        colour = STATUS_COLOURS.get(r["status"], ARTICLE_COLOUR)
        with_intervals(
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
        label = words.labels.article[r["id"]]
        if pd.notna(r["belongs_to"]):
            target = pd.Timestamp(r["belongs_to"])
            ax.annotate(
                "",
                xy=(target, r["value"]),
                xytext=(x, r["value"]),
                zorder=6,
                arrowprops=dict(arrowstyle="-|>", color=readable(colour), lw=1.4, shrinkA=6, shrinkB=6),
            )
        if look.keyed:
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
    thousands(ax.yaxis)
    years(ax, layout)
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(
        **words(view, t["article_figures"]), description=description(view), reading=reading(view, t["official_stock"])
    )


CHART = Chart(
    name="01-intern-counts",
    short_title="Intern counts",
    question="How many technical interns were in Japan, and when?",
    caption=(
        "The official stock of trainees over time, with the totals the article states or implies placed at the "
        "dates it gives them; a total the official series places at another date is drawn with an arrow to it."
    ),
    units="persons (technical intern trainees resident in Japan on the date)",
    inputs=(
        "intern_counts",
        "official_stock",
        "reconciliation",
        "article_figures",
    ),
    rows=lambda t: rows(t["intern_counts"], t["official_stock"], t["reconciliation"]),
    write=_write,
    draw=draw,
)
