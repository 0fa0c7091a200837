"""Chart 06, trainees beside Specified Skilled Workers since the new status began.

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
    Chart,
    Words,
    source_line,
)
from analysis.publish.charts.marks import (
    thousands,
    unlabelled,
    years,
)
from analysis.publish.style import (
    INK,
    OFFICIAL_COLOUR,
    PALETTE,
    Layout,
    frame,
    readable,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# rows


SKILLED_STATUSES = (
    ("stock", "stock-nationality", "technical intern trainees"),
    ("skilled-workers", "skilled-workers-nationality", "Specified Skilled Workers"),
)


def rows(stock: pd.DataFrame, by_nationality: pd.DataFrame, skilled: pd.DataFrame) -> pd.DataFrame:
    """Trainees and Specified Skilled Workers at every date both are published, in all and for the
    nationalities that lead either status at the latest date.

    Columns: period_end, status, nationality ('All' or a name), value, publisher, sources.
    """
    rows = pd.concat([stock, by_nationality, skilled], ignore_index=True)
    first = skilled.loc[skilled["series"].eq("skilled-workers"), "period_end"].min()
    rows = rows[rows["period_end"].ge(first)]
    out = []
    for total_id, prefix, label in SKILLED_STATUSES:
        for _, r in rows[rows["series"].eq(total_id)].iterrows():
            out.append((r["period_end"], label, "All", r["value"], r["publisher"], r["sources"]))
        for _, r in rows[rows["series"].str.startswith(prefix + ":")].iterrows():
            out.append((r["period_end"], label, r["series"].split(":", 1)[1], r["value"], r["publisher"], r["sources"]))
    view = pd.DataFrame(out, columns=["period_end", "status", "nationality", "value", "publisher", "sources"])
    latest = view[
        view["period_end"].eq(view["period_end"].max()) & ~view["nationality"].isin(["All", v.OTHER_NATIONALITY])
    ]
    leading = set()
    for _, group in latest.groupby("status"):
        leading |= set(group.nlargest(3, "value")["nationality"])
    keep = view["nationality"].eq("All") | view["nationality"].isin(leading)
    return view[keep].sort_values(["status", "nationality", "period_end"], kind="stable").reset_index(drop=True)


# words


def _ends(view: pd.DataFrame, status: str, nationality: str = "All") -> tuple[pd.Series, pd.Series]:
    rows = view[view["status"].eq(status) & view["nationality"].eq(nationality)].sort_values("period_end")
    return rows.iloc[0], rows.iloc[-1]


@dataclass(frozen=True)
class Labels:
    """The words chart 06 places on its marks."""

    #: the two statuses, as their lines are labelled
    statuses: list[str]
    #: the nationalities shown
    nationalities: list[str]


def words(view: pd.DataFrame) -> dict:
    """Every word of chart 06, from its view."""
    (_, _, trainees), (_, _, skilled) = SKILLED_STATUSES
    t0, t1 = _ends(view, trainees)
    s0, s1 = _ends(view, skilled)
    title = (
        f"{skilled} rose from {fmt.value(s0['value'], v.COUNT)} at {fmt.day(s0['period_end'])} to "
        f"{fmt.value(s1['value'], v.COUNT)} at {fmt.day(s1['period_end'])}; trainees went from "
        f"{fmt.value(t0['value'], v.COUNT)} to {fmt.value(t1['value'], v.COUNT)} over the same dates"
    )
    named = sorted(set(view["nationality"]) - {"All"})
    return {
        "title": title,
        "subtitle": f"Residents of Japan holding each status at the end of every June and December, persons; "
        f"top: all nationalities; below: {fmt.listing(named)}, the three largest nationalities of either status "
        f"at {fmt.day(t1['period_end'])}",
        "source": source_line(view, [], article=False),
        "labels": Labels(statuses=[trainees, skilled], nationalities=named),
    }


def description(view: pd.DataFrame) -> str:
    """Chart 06 in sentences with its key numbers."""
    (_, _, trainees), (_, _, skilled) = SKILLED_STATUSES
    t0, t1 = _ends(view, trainees)
    s0, s1 = _ends(view, skilled)
    parts = [
        f"Line charts of technical intern trainees and Specified Skilled Workers resident in Japan, from "
        f"{fmt.day(s0['period_end'])} to {fmt.day(s1['period_end'])}.",
        f"Specified Skilled Workers: {fmt.value(s0['value'], v.COUNT)} to {fmt.value(s1['value'], v.COUNT)}; "
        f"trainees: {fmt.value(t0['value'], v.COUNT)} to {fmt.value(t1['value'], v.COUNT)}.",
    ]
    for name in sorted(set(view["nationality"]) - {"All"}):
        (_, a), (_, b) = _ends(view, trainees, name), _ends(view, skilled, name)
        parts.append(
            f"At {fmt.day(a['period_end'])}, {fmt.country(name)}: {fmt.value(a['value'], v.COUNT)} trainees and "
            f"{fmt.value(b['value'], v.COUNT)} Specified Skilled Workers."
        )
    return " ".join(parts)


def reading(view: pd.DataFrame) -> str:
    """The reading under chart 06, in Markdown."""
    (_, _, trainees), (_, _, skilled) = SKILLED_STATUSES
    _, t1 = _ends(view, trainees)
    _, s1 = _ends(view, skilled)
    ratio = s1["value"] / t1["value"]
    return (
        f"**Reading.** {description(view)} At {fmt.day(s1['period_end'])} there were "
        f"{ratio:.2f} Specified Skilled Workers for every trainee. The article says that trainees can continue "
        "to work under the specified skill status; the table counts residents by status on each date, so it "
        "shows how the two stocks moved, not how many people moved from one status to the other."
    )


# drawing


_STATUS_LINE = (OFFICIAL_COLOUR, PALETTE["vermillion"])


@dataclass(frozen=True)
class Look:
    """How chart 06 sits in one layout: inches beside the axes, the space between panels per
    nationality shown, and whether each line is labelled at its end (else by a legend)."""

    left: float
    right: float
    hspace_per_panel: float
    labels_at_ends: bool


LOOKS = {"wide": Look(0.75, 1.9, 0.55, labels_at_ends=True), "narrow": Look(0.8, 0.3, 0.7, labels_at_ends=False)}


def draw(view: pd.DataFrame, words: Words[Labels], layout: Layout) -> Figure:
    """Top: both stocks in all. Below: one small panel per leading nationality, lines labelled directly."""
    import matplotlib.ticker as mticker
    import seaborn as sns
    from matplotlib.patches import Patch

    look = LOOKS[layout.name]
    names = words.labels.nationalities
    statuses = words.labels.statuses
    fig, axes = frame(
        words.title,
        words.subtitle,
        words.source,
        layout,
        nrows=1 + len(names),
        height=2.4 + 1.5 * len(names),
        height_ratios=[2.4] + [1.5] * len(names),
        left=look.left,
        right=look.right,
        hspace=look.hspace_per_panel * len(names),
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
        unlabelled(ax)
        for i, (status, colour) in enumerate(zip(statuses, _STATUS_LINE)):
            rows = panel[panel["status"].eq(status)]
            last = rows.iloc[-1]
            top = max(top, rows["value"].max())
            if look.labels_at_ends:
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
        thousands(ax.yaxis)
        ax.yaxis.set_major_locator(mticker.MaxNLocator(3))
        ax.set_title(
            "All nationalities" if name == "All" else fmt.country(name).capitalize()[:1] + fmt.country(name)[1:],
            loc="left",
            fontsize=layout.label,
            color=INK,
            pad=4,
        )
        years(ax, layout)
    if not look.labels_at_ends:
        handles = [Patch(facecolor=c, label=s) for s, c in zip(statuses, _STATUS_LINE)]
        axes[0].legend(handles=handles, loc="upper left", fontsize=layout.small, frameon=False, labelcolor=INK)
    return fig


# the chart


def _write(view: pd.DataFrame, t: Mapping[str, pd.DataFrame]) -> Words[Labels]:
    return Words(**words(view), description=description(view), reading=reading(view))


CHART = Chart(
    name="06-skilled-workers",
    short_title="Trainees and skilled workers",
    question="Since the Specified Skilled Worker status began, how have the two stocks moved?",
    caption=(
        "Technical intern trainees beside Specified Skilled Workers resident in Japan, from the primary table, "
        "in all and for the leading nationalities of either status."
    ),
    units="persons (residents holding the status on the date)",
    inputs=(
        "official_stock",
        "official_stock_by_nationality",
        "official_skilled_workers",
    ),
    rows=lambda t: rows(t["official_stock"], t["official_stock_by_nationality"], t["official_skilled_workers"]),
    write=_write,
    draw=draw,
)
