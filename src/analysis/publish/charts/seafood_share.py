"""Chart 03, seafood share: the article's seafood-processing share against the food-manufacturing category.

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
    source_line,
)
from analysis.publish.charts.marks import (
    percent,
    unlabelled,
    with_intervals,
)
from analysis.publish.style import (
    ARTICLE_COLOUR,
    INK,
    OFFICIAL_COLOUR,
    PAPER,
    Layout,
    frame,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# rows


def rows(industry: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The article's seafood share beside the official shares it can be set against.

    Columns: who, measure, population, period_start, period_end, share, share_low, share_high, basis,
    note, publisher, sources.
    """
    row = industry.set_index("industry").loc["seafood processing"]
    rows = [
        dict(
            who=ARTICLE,
            measure="seafood processing, of all trainees",
            population=v.RESIDENTS,
            period_start=row["period_start"],
            period_end=row["period_end"],
            share=row["share"],
            share_low=row["share_low"],
            share_high=row["share_high"],
            basis=v.STATED,
            note="undated; no body credited",
            publisher=None,
            sources=None,
        )
    ]
    parts = official[
        official["unit"].eq(v.PERCENT)
        & (
            official["series"].str.startswith("industry-share:")
            & official["series"].str.endswith(":food manufacturing")
            | official["series"].str.startswith("industry-share-of-stock:")
        )
    ]
    for _, r in parts.sort_values(["population", "period_end"]).iterrows():
        category = r["series"].rsplit(":", 1)[-1]
        measure = r["series"].split(":")[1]
        scope = measure.split("(", 1)[1].rstrip(")") if "(" in measure else ""
        whole = (
            "of approved training plans"
            if r["population"] == v.PLANS
            else (f"of trainees in {scope}, by job category" if scope else "of trainees, by job category")
        )
        if r["series"].startswith("industry-share-of-stock:"):
            whole = f"{r['series'].split(':')[1]}, over the total stock"
        rows.append(
            dict(
                who=OFFICIAL,
                measure=f"{category}, {whole}",
                population=r["population"],
                period_start=r["period_start"],
                period_end=r["period_end"],
                share=r["value"],
                share_low=r["low"],
                share_high=r["high"],
                basis=r["basis"],
                note=r["note"],
                publisher=r["publisher"],
                sources=r["sources"],
            )
        )
    return pd.DataFrame(rows)


# words


def multiple(ratio: float, low: float | None = None) -> str:
    """A ratio in words, never more precise than the figures allow: ``low`` is the ratio at the low
    end of the claim's interval, and a "more than" holds over the whole interval or is hedged.

    >>> multiple(2.07), multiple(1.4), multiple(3.2)
    ('more than twice', 'more than', 'more than three times')
    >>> multiple(2.07, low=1.97)
    'about twice'
    """
    low = ratio if low is None else low
    if low >= 3:
        return "more than three times"
    if low >= 2:
        return "more than twice"
    if ratio >= 2 and low >= 1.8:
        return "about twice"
    if ratio >= 3 and low >= 2.7:
        return "about three times"
    return "more than" if low > 1 else ("less than" if ratio < 1 else "about as large as")


def _whose(row: pd.Series) -> str:
    """How a bar's figure is introduced: "Official" where an official body published it, "Reported"
    where the publisher is a page's account of a count (a trade journal's).

    >>> _whose(pd.Series({"publisher": "Immigration Services Agency"}))
    'Official'
    >>> _whose(pd.Series({"publisher": "as reported by a fisheries trade journal"}))
    'Reported'
    """
    return "Official" if str(row["publisher"])[:1].isupper() else "Reported"


def _seafood_rows(view: pd.DataFrame) -> list[str]:
    rows = []
    for _, r in view.iterrows():
        if r["who"] == ARTICLE:
            rows.append(f"Article: {r['measure']} (undated, no body credited)")
            continue
        when = fmt.period(r["period_start"], r["period_end"])
        tail = ""
        if r["population"] == v.PLANS:
            tail = ", another population"
        elif r["population"] != v.RESIDENTS or "over the total stock" in r["measure"]:
            tail = ", bases differ"
        rows.append(f"{_whose(r)}: {r['measure']}, {when}{tail}")
    return rows


@dataclass(frozen=True)
class Labels:
    """The words chart 03 places on its marks."""

    #: each bar's label, top to bottom
    rows: list[str]
    #: each bar's value as written
    values: list[str]


def words(view: pd.DataFrame, reconciliation: pd.DataFrame) -> dict:
    """Every word of chart 03, from its view."""
    article = view[view["who"].eq(ARTICLE)].iloc[0]
    whole = view[
        view["who"].eq(OFFICIAL) & view["population"].eq(v.RESIDENTS) & view["measure"].str.contains("by job category")
    ].sort_values("period_end")
    latest = whole.iloc[-1]
    title = (
        f"The article's approximate {fmt.share(article['share'], 0)} of trainees in seafood processing is "
        f"{multiple(article['share'] / latest['share'], article['share_low'] / latest['share_high'])} the official "
        f"share of the whole food-manufacturing job category that contains it ({fmt.share(latest['share'])} at "
        f"{fmt.day(latest['period_end'])})"
    )
    values = []
    for _, r in view.iterrows():
        text = fmt.share(r["share"])
        if r["share_high"] - r["share_low"] > 0.2:
            text += f" ({fmt.share(r['share_low'])} to {fmt.share(r['share_high'])})"
        values.append(text)
    return {
        "title": title,
        "subtitle": "Share, %. Red: the article's claim, with the interval 'approximately' allows. Blue: official "
        "shares of the whole food-manufacturing category; hatched: a share of another population, or "
        "a count set against a total of a different basis",
        "source": source_line(view[view["who"].eq(OFFICIAL)], []),
        "labels": Labels(rows=_seafood_rows(view), values=values),
    }


def description(view: pd.DataFrame) -> str:
    """Chart 03 in sentences with its key numbers."""
    article = view[view["who"].eq(ARTICLE)].iloc[0]
    parts = [
        f"Bar chart: the article says {fmt.share(article['share'], 0)} of trainees work in seafood "
        f"processing (its wording allows {fmt.share(article['share_low'])} to {fmt.share(article['share_high'])})."
    ]
    for _, r in view[view["who"].eq(OFFICIAL)].iterrows():
        parts.append(
            f"{_whose(r)}: {r['measure']}, {fmt.share(r['share'])} {fmt.at(r['period_start'], r['period_end'])}."
        )
    return " ".join(parts)


def reading(view: pd.DataFrame, reconciliation: pd.DataFrame) -> str:
    """The reading under chart 03, in Markdown."""
    rec = reconciliation.set_index("claim_id").loc["seafood-share"]
    return (
        f"**Reading.** {description(view)} The check ({rec['status']}): {rec['finding']} "
        "The claim is a share of *all* technical interns, and a part cannot be larger than its whole. The "
        "reference set records no published share of trainees in seafood processing; the figure may be a "
        "share of something else, such as foreign workers in the seafood industry of some regions, but the "
        "article does not say."
    )


# drawing


@dataclass(frozen=True)
class Look:
    """How chart 03 sits in one layout: inches per bar and left of the axes, the room above the first
    bar (in bars), and a value's words: on two lines or one, in small type or label type."""

    per_row: float
    left: float
    top: float
    value_on_two_lines: bool
    value_small: bool


LOOKS = {
    "wide": Look(0.55, 3.0, -0.5, value_on_two_lines=False, value_small=False),
    "narrow": Look(1.2, 0.25, -1.0, value_on_two_lines=True, value_small=True),
}


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """The article's share with its interval, against the whole category it is a part of."""
    import seaborn as sns

    look = LOOKS[layout.name]
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=look.per_row * len(view) + 0.4,
        left=look.left,
        right=0.3,
    )
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(len(view) - 0.5, look.top)
    ax.set_xlim(0, max(60.0, float(view["share_high"].max()) + 18))
    for i, (_, r) in enumerate(view.iterrows()):
        article = r["who"] == ARTICLE
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
        unlabelled(ax)
        if r["share_high"] > r["share_low"]:
            with_intervals(
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
        value = words.labels.values[i]
        ax.text(
            r["share_high"] + 1.2,
            i,
            value.replace(" (", "\n(") if look.value_on_two_lines else value,
            va="center",
            fontsize=layout.small if look.value_small else layout.label,
            color=INK,
            zorder=3,
            linespacing=1.1,
        )
        if layout.labels_over_rows:
            ax.text(
                0,
                i - 0.34,
                textwrap.fill(words.labels.rows[i], 50),
                va="bottom",
                ha="left",
                fontsize=layout.small,
                color=INK,
                linespacing=1.1,
            )
    if layout.labels_over_rows:
        ax.set_yticks([])
    else:
        ax.set_yticks(range(len(view)), [textwrap.fill(t, 44) for t in words.labels.rows], fontsize=layout.small)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    percent(ax.xaxis)
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(
        **words(view, t["reconciliation"]), description=description(view), reading=reading(view, t["reconciliation"])
    )


CHART = Chart(
    name="03-seafood-share",
    short_title="Seafood share",
    question="How many trainees work in seafood processing?",
    caption=(
        "The article's seafood-processing share, with the interval its wording allows, against the official share "
        "of the whole food-manufacturing category that contains it."
    ),
    units="percent of technical intern trainees (or of approved training plans, where marked)",
    inputs=(
        "industry_shares",
        "official_industry",
        "reconciliation",
    ),
    rows=lambda t: rows(t["industry_shares"], t["official_industry"]),
    write=_write,
    draw=draw,
)
