"""Chart 04, data quality: every plotted numeric claim against the official figure its status rests on.

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
    Chart,
    Words,
    source_line,
    status_phrase,
    two_lines,
)
from analysis.publish.charts.marks import (
    row_ticks,
    row_words,
    with_intervals,
)
from analysis.publish.style import (
    MUTED,
    STATUS_COLOURS,
    Layout,
    frame,
    readable,
)
from analysis.publish.text import count_phrase, status_counts
from analysis.publish.words import cited_rows

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# rows


def rows(reconciliation: pd.DataFrame, figures: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Every numeric claim with an official figure to set it against, as a difference from it.

    The reference is the official figure the claim's status rests on. Columns: claim_id, label,
    as_written, status, unit, claim_value, claim_low, claim_high, reference_value,
    reference_period, reference_role, difference, difference_low, difference_high, credited_to,
    publisher, sources, single_source (only one page gives the official figure: the official table's
    flag).
    """
    rec = reconciliation[
        reconciliation["unit"].isin([v.COUNT, v.PERCENT, v.YEARS]) & reconciliation["reference_value"].notna()
    ].copy()
    texts = figures.set_index("id")
    cited = cited_rows(rec, official).set_index("claim_id")["single_source_official"]
    rows = []
    for _, r in rec.iterrows():
        fig = texts.loc[r["claim_id"]]
        written = (
            fmt.count(fig["value"], fig["qualifier"], v.DERIVED) + " (derived)"
            if fig["basis"] == v.DERIVED
            else fig["number_text"] + (f", '{fig['date_text']}'" if pd.notna(fig["date_text"]) else "")
        )
        ref = r["reference_value"]
        rows.append(
            dict(
                claim_id=r["claim_id"],
                label=fmt.sentence_start(fig["measure"]),
                as_written=written,
                status=r["status"],
                unit=r["unit"],
                claim_value=r["claim_value"],
                claim_low=r["claim_low"],
                claim_high=r["claim_high"],
                reference_value=ref,
                reference_period=r["reference_period"],
                reference_role=r["reference_role"],
                difference=100 * (r["claim_value"] / ref - 1),
                difference_low=100 * (r["claim_low"] / ref - 1),
                difference_high=100 * (r["claim_high"] / ref - 1),
                credited_to=fig["credited_to"],
                publisher=r["reference_publisher"],
                sources=r["reference_sources"],
                single_source=bool(cited.loc[r["claim_id"]]),
            )
        )
    order = {s: i for i, s in enumerate(v.STATUSES)}
    frame = pd.DataFrame(rows)
    return frame.sort_values(
        ["status", "difference"], key=lambda c: c.map(order) if c.name == "status" else c, kind="stable"
    ).reset_index(drop=True)


# words


def numeric_claims(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The article's numeric claims (counts, shares, durations), stated and derived."""
    return reconciliation[reconciliation["unit"].isin([v.COUNT, v.PERCENT, v.YEARS])]


@dataclass(frozen=True)
class Labels:
    """The words chart 04 places on its marks."""

    #: each claim's label, top to bottom
    rows: list[str]
    #: each claim's status as written beside it
    status: list[str]
    #: the axis' label
    axis: str


def words(view: pd.DataFrame, reconciliation: pd.DataFrame | None = None) -> dict:
    """Every word of chart 04, from its view (and the reconciliation, for the claims it cannot plot)."""
    counts = view["status"].value_counts()
    numeric = len(view) if reconciliation is None else len(numeric_claims(reconciliation))
    title = (
        f"{len(view)} of the {numeric} numeric claims the article states or implies, set against the official figure "
        f"their status rests on: {count_phrase(counts)}"
    )
    if numeric > len(view):
        title += f"; {numeric - len(view)} have no official figure to plot against"
    rows = [two_lines(r["label"], r["as_written"]) for _, r in view.iterrows()]
    status = [textwrap.fill(_chart_status(r), 30) for _, r in view.iterrows()]
    return {
        "title": title,
        "subtitle": "Each claim's difference from the official figure its status rests on, in % of that figure; "
        "bars: the interval the claim's wording allows. The article's dates are checked in chart 05",
        "source": source_line(view, view["credited_to"]),
        "labels": Labels(rows=rows, status=status, axis="difference from the official figure (0: the same)"),
    }


def _chart_status(r: pd.Series) -> str:
    """A claim's status as chart 04 writes it beside its row, with what the plotted figure is to it."""
    when = fmt.iso_period(r["reference_period"]) if pd.notna(r["reference_period"]) else None
    if r["reference_role"] == v.WHOLE:
        return f"{r['status']}: exceeds its whole category's share ({when})"
    if r["reference_role"] == v.AT_SET_DATE:
        return f"{r['status']}; at its sentence's date: {when}"
    if r["status"] == v.INCONSISTENT:
        return f"{r['status']}; nearest over every date: {when}"
    if r["reference_role"] == v.ANOTHER_POPULATION:
        return f"{r['status']}: the official series counts another population"
    if r["status"] == v.UNVERIFIABLE and r["reference_role"] == v.OTHER_PERIOD:
        return f"{r['status']}: fits only another date ({when})"
    return status_phrase(r["status"], r["reference_role"], r["reference_period"])


def relative(difference: float) -> str:
    """A relative difference in words, never to be read as percentage points.

    >>> relative(-28.24), relative(0.0), relative(105.3)
    ('28% below', 'equal to', '105% above')
    """
    if round(difference) == 0:
        return "equal to" if abs(difference) < 0.05 else f"within 1% {'above' if difference > 0 else 'below'}"
    return f"{abs(difference):.0f}% {'above' if difference > 0 else 'below'}"


def description(view: pd.DataFrame) -> str:
    """Chart 04 in sentences with its key numbers."""
    parts = [
        f"Dot chart of {len(view)} numeric claims of the article against official figures: "
        f"{count_phrase(view['status'].value_counts())}."
    ]
    for _, r in view.iterrows():
        parts.append(
            f"{r['as_written']}: {r['status']}, {relative(r['difference'])} "
            f"{fmt.value(r['reference_value'], r['unit'])} {fmt.at(*_iso_pair(r['reference_period']))}."
        )
    return " ".join(parts)


def _iso_pair(text: str) -> tuple[str, str]:
    start, _, end = text.partition(" to ")
    return start, end or start


def reading(reconciliation: pd.DataFrame, view: pd.DataFrame) -> str:
    """The reading under chart 04, in Markdown: the count of every status, and what each means."""
    dates = reconciliation[reconciliation["unit"].eq(v.DATE)]
    unverifiable = reconciliation[reconciliation["status"].eq(v.UNVERIFIABLE)]
    cases = []
    for role, rows in unverifiable.groupby(unverifiable["reference_role"].fillna(""), sort=True):
        ids = ", ".join(f"`{i}`" for i in rows["claim_id"])
        cases.append(f"{len(rows)} {UNVERIFIABLE_CASES[role]} ({ids})")
    numeric = numeric_claims(reconciliation)
    unplotted = numeric[~numeric["claim_id"].isin(view["claim_id"])]
    lines = [
        f"**Reading.** Of all {len(reconciliation)} figures and dates, {status_counts(reconciliation)}; "
        f"the chart shows the {len(view)} numbers with an official figure to set them against, and chart 05 the "
        f"{len(dates)} dates"
        + (
            f"; the other {len(unplotted)} numbers ({', '.join(f'`{i}`' for i in unplotted['claim_id'])}) have no "
            "official figure to plot against."
            if len(unplotted)
            else "."
        ),
        f"'{v.UNVERIFIABLE}' covers {len(cases)} kinds of case and {len(unverifiable)} claims: {fmt.listing(cases)}.",
        "The statuses depend on the intervals the wording allows (rules in `src/analysis/parse/quantity.py`) and on "
        "the rules in `src/analysis/check/reconcile.py`; every misdated and inconsistent claim the article states "
        "has a suggested correction in `data/processed/corrections.csv`.",
    ]
    return " ".join(lines)


#: How an unverifiable claim's case reads, by the role of the official figure it rests on.
UNVERIFIABLE_CASES = {
    "": "with no official figure of the measure in the reference set",
    v.OTHER_PERIOD: "with an official figure only at another date",
    v.NEAREST: "with no official figure at the stated date and none that agrees at another",
    v.AT_SET_DATE: "with no official figure at the stated date and none at the date chosen for its sentence",
    v.ANOTHER_POPULATION: "with official figures only of another population",
    v.WHOLE: "within the broader category's official share, the part itself not being published",
}


# drawing


@dataclass(frozen=True)
class Look:
    """How chart 04 sits in one layout: inches per row and beside the axes, and the room above the
    first row (in rows)."""

    per_row: float
    left: float
    right: float
    top: float


LOOKS = {"wide": Look(0.4, 2.75, 2.2, -0.6), "narrow": Look(0.95, 0.2, 0.2, -0.8)}


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """Each claim's difference from the official figure its status rests on, grouped by status."""
    import matplotlib.ticker as mticker

    look = LOOKS[layout.name]
    fig, ax = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        height=look.per_row * len(view) + 0.3,
        left=look.left,
        right=look.right,
        below=0.25,
    )
    span = max(abs(view["difference_low"].min()), abs(view["difference_high"].max()), 10) * 1.08
    ax.axvline(0, color=MUTED, lw=1, zorder=1)
    # limits first: the intervals' caps are sized from them
    ax.set_ylim(len(view) - 0.4, look.top)
    ax.set_xlim(-span, span)
    for i, (_, r) in enumerate(view.iterrows()):
        colour = STATUS_COLOURS[r["status"]]
        with_intervals(
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
        row_words(ax, i, words.labels.rows[i], words.labels.status[i], readable(colour), layout, 0.15)
    row_ticks(ax, words.labels.rows, layout)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:+.0f}%" if x else "0"))
    ax.set_xlabel(words.labels.axis, fontsize=layout.small, color=MUTED)
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(
        **words(view, t["reconciliation"]), description=description(view), reading=reading(t["reconciliation"], view)
    )


CHART = Chart(
    name="04-data-quality",
    short_title="Data quality",
    question="Which of the article's figures hold?",
    caption=(
        "The article's numeric claims that have an official figure to set them against, each as a difference in "
        "percent of that figure, with the claim's interval, its date and its status; the reading names the claims "
        "with no official figure to plot against."
    ),
    units="percent difference from the official figure",
    inputs=(
        "reconciliation",
        "article_figures",
        "official_series",
    ),
    rows=lambda t: rows(t["reconciliation"], t["article_figures"], t["official_series"]),
    write=_write,
    draw=draw,
)
