"""Chart 05, timeline: the programme's history as the article dates it, and the stages of a stay.

In order: the rows it plots (published as its CSV), its words (title, subtitle, source line, labels,
description and reading, all written from the data), its drawing in a given layout, and its
:class:`~analysis.publish.charts.base.Chart`.
"""

from __future__ import annotations

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
    date_of,
    source_line,
    two_lines,
)
from analysis.publish.charts.marks import (
    row_ticks,
    row_words,
)
from analysis.publish.style import (
    INK,
    MUTED,
    PALETTE,
    PAPER,
    STATUS_COLOURS,
    Layout,
    frame,
    readable,
    text_on,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# rows


def rows(
    figures: pd.DataFrame, reconciliation: pd.DataFrame, events: pd.DataFrame, other: pd.DataFrame
) -> pd.DataFrame:
    """The article's dates (the period each names) and the official date of the same event.

    Official dates are events and publications; events no article date refers to are listed too.
    Columns: who, id, event, as_written, period_start, period_end, status, official_start,
    official_end, official_event (the event as the sources word it), publisher, sources.
    """
    events = pd.concat(
        [events[events["series"].eq("event")], other[other["series"].eq("publication")]], ignore_index=True
    )
    history = figures[figures["topic"].eq(v.HISTORY)].sort_values(["period_start", "id"])
    checks = reconciliation.set_index("claim_id")
    used: set[str] = set()
    rows = []
    for _, h in history.iterrows():
        check = checks.loc[h["id"]]
        start, end = h["period_start"], h["period_end"]
        if start == end and h["period_precision"] == "year":
            start = pd.Timestamp(end.year, 1, 1)
        official = (
            events[events["label"].eq(check["reference_label"])]
            if pd.notna(check["reference_label"])
            else events.iloc[0:0]
        )
        if len(official):
            used.add(official["label"].iloc[0])
        rows.append(
            dict(
                who=ARTICLE,
                id=h["id"],
                event=fmt.sentence_start(h["measure"]),
                as_written=h["date_text"],
                period_start=start,
                period_end=end,
                status=check["status"],
                official_start=date_of(official["period_start"].iloc[0]) if len(official) else None,
                official_end=date_of(official["period_end"].iloc[0]) if len(official) else None,
                official_event=official["label"].iloc[0] if len(official) else None,
                publisher=official["publisher"].iloc[0] if len(official) else None,
                sources=official["sources"].iloc[0] if len(official) else None,
            )
        )
    for _, e in events[events["series"].eq("event")].sort_values("period_start").iterrows():
        if e["label"] in used:
            continue
        rows.append(
            dict(
                who=OFFICIAL,
                id=None,
                event=e["label"],
                as_written=None,
                period_start=None,
                period_end=None,
                status=None,
                official_start=e["period_start"],
                official_end=e["period_end"],
                official_event=e["label"],
                publisher=e["publisher"],
                sources=e["sources"],
            )
        )
    return pd.DataFrame(rows)


# words


@dataclass(frozen=True)
class Labels:
    """The words chart 05 places on its marks."""

    #: each event's label, top to bottom
    rows: list[str]
    #: each event's check, as written beside it
    right: list[str]
    #: each stage's words, by its id
    stages: dict[str, str]
    #: the stages' axis label
    stages_axis: str
    #: the stages' panel title
    stages_title: str
    #: the stages drawn below the events
    stage_rows: pd.DataFrame


def words(view: pd.DataFrame, figures: pd.DataFrame, stages: pd.DataFrame) -> dict:
    """Every word of chart 05, from its view."""
    article = article_rows(view)
    by_id = figures.set_index("id")
    founded, replacement = by_id.loc["founded"], by_id.loc["replacement"]
    checked = article[article["official_start"].notna()]
    agree = checked[checked["status"].eq(v.CONSISTENT)]
    title = (
        f"From its founding in {fmt.period(founded['period_start'], founded['period_end'], 'year')} to a "
        f"planned replacement in {fmt.period(replacement['period_start'], replacement['period_end'])}: "
        + (
            f"all {len(checked)} of the article's dates that have an official counterpart agree with it"
            if len(agree) == len(checked)
            else f"{len(agree)} of the article's {len(checked)} dates with an official counterpart agree with it"
        )
    )
    rows, right = [], []
    for _, r in view.iterrows():
        if r["who"] == ARTICLE:
            rows.append(two_lines(r["event"], f"'{r['as_written']}'"))
            if pd.notna(r["official_start"]):
                right.append(f"{r['status']}: {fmt.period(r['official_start'], r['official_end'])}")
            else:
                right.append(f"{r['status']}: no official date")
        else:
            rows.append(two_lines(r["event"], "official date only; not in the article"))
            right.append(fmt.period(r["official_start"], r["official_end"]))
    length = by_id.loc["length-max"]
    stage_words = {
        s["id"]: f"{s['level']}\n"
        + (f"year {s['first_year']}" if s["years"] == 1 else f"years {s['first_year']} to {s['last_year']}")
        for _, s in stages.iterrows()
    }
    return {
        "title": title,
        "subtitle": "Bars: the period each of the article's dates names, coloured by its check; triangles: the "
        "official date of the same event. Below: the stages of a stay, as the article gives them",
        "source": source_line(view, by_id.loc[article["id"], "credited_to"], dates=True),
        "labels": Labels(
            rows=rows,
            right=right,
            stages=stage_words,
            stage_rows=stages,
            stages_axis="years in the programme",
            stages_title=f"Stages of a stay, up to {fmt.value(length['value'], v.YEARS)} (article)",
        ),
    }


def description(view: pd.DataFrame) -> str:
    """Chart 05 in sentences with its key dates."""
    article = article_rows(view)
    parts = [f"Timeline of {len(article)} dates the article gives for the programme's history."]
    for _, r in article.iterrows():
        official = (
            f"officially {fmt.period(r['official_start'], r['official_end'])} ('{r['official_event']}')"
            if pd.notna(r["official_start"])
            else "no official date"
        )
        parts.append(f"{r['event']} ('{r['as_written']}'): {r['status']}, {official}.")
    return " ".join(parts)


def reading(view: pd.DataFrame, stages: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The reading under chart 05, in Markdown."""
    article = article_rows(view)
    checked = article[article["official_start"].notna()]
    statuses = checked["status"].value_counts()
    unchecked = article[article["official_start"].isna()]
    length = figures.set_index("id").loc["length-max"]
    lines = [
        f"**Reading.** Of the article's {len(article)} dates, {len(checked)} have an official counterpart: "
        f"{', '.join(f'{n} {s}' for s, n in statuses.items())}."
    ]
    if len(unchecked):
        lines.append(
            "No official date is in the reference set for "
            + fmt.listing([f"{r['event']} ('{r['as_written']}')" for _, r in unchecked.iterrows()])
            + "."
        )
    contiguous = bool((stages["first_year"] == stages["last_year"].shift(1, fill_value=0) + 1).all())
    lines.append(
        f"The stages {'follow each other without gaps' if contiguous else 'leave gaps'} up to the "
        f"{fmt.value(length['value'], v.YEARS)} the article states; the chart cannot show who moves from one "
        "stage to the next, or how many leave early."
    )
    return " ".join(lines)


# drawing


@dataclass(frozen=True)
class Look:
    """How chart 05 sits in one layout: inches per row and beside the axes, the room above the first
    row and how far above its bar the official date's mark sits (in rows), and years between ticks."""

    per_row: float
    left: float
    right: float
    top: float
    mark_above: float
    year_step: int


LOOKS = {"wide": Look(0.4, 2.95, 2.1, -0.6, 0.27, 5), "narrow": Look(1.25, 0.2, 0.2, -0.8, 0.2, 10)}


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """The article's dates as the periods they name, each with the official date as a tick."""
    import matplotlib.dates as mdates
    import matplotlib.ticker as mticker

    stages = words.labels.stage_rows
    look = LOOKS[layout.name]
    per_row = look.per_row
    fig, (ax, ax2) = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=2,
        height=per_row * len(view) + 1.5,
        height_ratios=[per_row * len(view), 0.5],
        left=look.left,
        right=look.right,
        hspace=1.0,
        below=0.3,
    )
    first = min(view["period_start"].dropna().min(), view["official_start"].dropna().min())
    last = max(view["period_end"].dropna().max(), view["official_end"].dropna().max())
    lo, hi = pd.Timestamp(first.year - 2, 1, 1), pd.Timestamp(last.year + 2, 1, 1)
    for i, (_, r) in enumerate(view.iterrows()):
        article = r["who"] == ARTICLE
        colour = STATUS_COLOURS[r["status"]] if article else MUTED
        if article:
            width = (r["period_end"] - r["period_start"]) + pd.Timedelta(days=1)
            ax.barh(
                i + 0.1, max(width, pd.Timedelta(days=120)), left=r["period_start"], height=0.42, color=colour, zorder=2
            )
        if pd.notna(r["official_start"]):
            mid = r["official_start"] + (r["official_end"] - r["official_start"]) / 2
            ax.plot([mid], [i - look.mark_above], marker="v", ms=6, color=INK, zorder=4)
        row_words(ax, i, words.labels.rows[i], words.labels.right[i], readable(colour), layout, 0.3)
    row_ticks(ax, words.labels.rows, layout)
    ax.invert_yaxis()
    ax.set_ylim(len(view) - 0.4, look.top)
    ax.set_xlim(lo, hi)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_locator(mdates.YearLocator(look.year_step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=layout.small)
    fills = [PALETTE["sky"], PALETTE["blue"], PALETTE["purple"]]
    for (_, s), colour in zip(stages.iterrows(), fills):
        ax2.barh(0, s["years"], left=s["first_year"] - 1, color=colour, edgecolor=PAPER, height=0.8, zorder=2)
        ax2.text(
            s["first_year"] - 1 + s["years"] / 2,
            0,
            words.labels.stages[s["id"]],
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
    ax2.set_xlabel(words.labels.stages_axis, fontsize=layout.small, color=MUTED)
    ax2.set_title(words.labels.stages_title, loc="left", fontsize=layout.label, color=INK, pad=4)
    ax2.grid(visible=False)
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(
        **words(view, t["article_figures"], t["stages"]),
        description=description(view),
        reading=reading(view, t["stages"], t["article_figures"]),
    )


CHART = Chart(
    name="05-timeline",
    short_title="Timeline",
    question="When was the programme founded, reformed and replaced?",
    caption=(
        "The programme's history as the article dates it, each date coloured by its check, beside the official "
        "dates of the same events, and the stages of a trainee's stay."
    ),
    units="dates; years of the programme",
    inputs=(
        "article_figures",
        "reconciliation",
        "official_events",
        "official_other",
        "stages",
    ),
    rows=lambda t: rows(t["article_figures"], t["reconciliation"], t["official_events"], t["official_other"]),
    write=_write,
    draw=draw,
)
