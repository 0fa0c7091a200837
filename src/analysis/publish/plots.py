"""Every chart of the project, in the house style (:mod:`analysis.style`).

Each function takes processed tables and returns a figure; titles are written from the data,
so a changed figure changes the title with it.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import numpy as np
import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.fmt import count as fmt_count
from analysis.fmt import value as fmt_value
from analysis.style import INK, MUTED, PALETTE, new_figure

ARTICLE = "the encyclopedia article 'Technical Intern Training Program' (transcribed in data/raw/article/)"
OFFICIAL = ("official statistics in data/raw/official/ (Ministry of Justice / Immigration Services Agency, "
            "as quoted on the pages listed there)")
STATUS_COLOURS = {
    "consistent": PALETTE["green"],
    "misdated": PALETTE["orange"],
    "inconsistent": PALETTE["vermillion"],
    "unverifiable": PALETTE["grey"],
}
NATIONALITY_COLOURS = {
    "China": PALETTE["blue"],
    "Vietnam": PALETTE["orange"],
    "Philippines": PALETTE["green"],
    "Indonesia": PALETTE["sky"],
    "Thailand": PALETTE["purple"],
    "Other": "#bbbbbb",
}
ARTICLE_COLOUR = PALETTE["vermillion"]
OFFICIAL_COLOUR = PALETTE["blue"]


def when(row: pd.Series) -> str:
    """The date of a figure as a reader should see it ('end of 2015', 'December 2019', '2012-2017')."""
    start, end, precision = row["period_start"], row["period_end"], row.get("period_precision", "year")
    if pd.isna(start):
        return "undated"
    if precision == "month":
        return end.strftime("%B %Y")
    if start == end:
        return f"end of {end.year}" if (end.month, end.day) == (12, 31) else end.strftime("%d %B %Y").lstrip("0")
    if start.year != end.year:
        return f"{start.year}-{end.year}"
    return str(start.year)


def source_line(bodies: pd.Series, official: bool = False) -> str:
    """'Source: <bodies>, as cited in <article>[; official statistics ...].' from credited_to."""
    named = sorted({b for b in bodies.dropna() if str(b).strip()})
    if named:
        text = f"Source: {'; '.join(named)}, as cited in {ARTICLE}"
    else:
        text = f"Source: {ARTICLE}, which credits no body for these figures"
    if official:
        text += f"; {OFFICIAL}"
    return text + ". Chart: TITP data project."


def year_axis(ax) -> None:
    """Years as spans: a tick at each 1 January, the year's label in the middle of its span."""
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mticker.NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", which="minor", length=0)


def date_phrase(text: str) -> str:
    """An ISO date as words: '2018-12-31' -> 'the end of 2018', '2019-06-30' -> '30 June 2019'.

    >>> date_phrase("2018-12-31"), date_phrase("2019-06-30"), date_phrase("2012-01-01 to 2017-12-31")
    ('the end of 2018', '30 June 2019', '2012-01-01 to 2017-12-31')
    """
    try:
        day = pd.Timestamp(text)
    except ValueError:
        return text
    if (day.month, day.day) == (12, 31):
        return f"the end of {day.year}"
    return f"{day.day} {day:%B %Y}"


def thousands(ax) -> None:
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _midpoint(row: pd.Series) -> tuple[pd.Timestamp, list | None]:
    """Where to draw a dated figure, and the horizontal bar covering its period."""
    if row["period_start"] == row["period_end"]:
        return row["period_end"], None
    half = (row["period_end"] - row["period_start"]) / 2
    return row["period_start"] + half, [[half], [half]]


# ---------------------------------------------------------------------------------------------
# 01: intern counts


def _official_line(ax, stock: pd.DataFrame) -> None:
    """Year-end figures as a line (dotted across missing years), mid-year figures as open squares."""
    year_end = stock[stock["kind"].eq("year_end")].sort_values("period_end")
    mid = stock[stock["kind"].eq("mid_year")]
    ends = year_end["period_end"].tolist()
    values = year_end["value"].tolist()
    for (d0, v0), (d1, v1) in zip(zip(ends, values), zip(ends[1:], values[1:])):
        gap = d1.year - d0.year > 1
        ax.plot([d0, d1], [v0, v1], color=OFFICIAL_COLOUR, lw=2, ls=":" if gap else "-", zorder=2)
    ax.errorbar(year_end["period_end"], year_end["value"],
                yerr=[year_end["value"] - year_end["low"], year_end["high"] - year_end["value"]],
                fmt="o", ms=4.5, color=OFFICIAL_COLOUR, capsize=2, zorder=3)
    ax.plot(mid["period_end"], mid["value"], "s", ms=5, mfc="white", mec=OFFICIAL_COLOUR, mew=1.3, zorder=3)


def intern_counts(counts: pd.DataFrame, stock: pd.DataFrame | None = None,
                  reconciliation: pd.DataFrame | None = None) -> Figure:
    """The article's totals (stated filled, derived open, intervals as bars) on the official series."""
    counts = counts.sort_values("period_end").reset_index(drop=True)
    status = {} if reconciliation is None else reconciliation.set_index("claim_id").to_dict("index")
    misdated = [c for c in counts["id"] if status.get(c, {}).get("status") == "misdated"]
    if stock is None:
        first, last = counts.iloc[0], counts.iloc[-1]
        title = (f"By the article's figures, technical interns grew from "
                 f"{fmt_count(first['value'], first['qualifier'], first['basis'])} ({when(first)}) to "
                 f"{fmt_count(last['value'], last['qualifier'], last['basis'])} ({when(last)})")
    else:
        year_end = stock[stock["kind"].eq("year_end")].sort_values("period_end")
        title = (f"Officially, trainees grew from {fmt_count(year_end['value'].iloc[0])} "
                 f"({year_end['period_end'].iloc[0].year}) to {fmt_count(year_end['value'].iloc[-1])} "
                 f"({year_end['period_end'].iloc[-1].year})")
        if misdated:
            m = counts.set_index("id").loc[misdated[0]]
            title += (f"; the article's {fmt_count(m['value'])} for {when(m)} is the official figure for "
                      f"{date_phrase(status[misdated[0]]['best_period'])}")
    fig, ax = new_figure(
        title,
        "Technical intern trainees in Japan, persons. Official: stock on the date (line = year-end, dotted where "
        "years are missing; squares = mid-year). Article: diamonds (open = derived); bars = interval",
        source_line(counts["credited_to"], official=stock is not None),
    )
    if stock is not None:
        _official_line(ax, stock)
    for _, row in counts.iterrows():
        stated = row["basis"] == "stated"
        x, xerr = _midpoint(row)
        ax.errorbar([x], [row["value"]], yerr=[[row["value"] - row["low"]], [row["high"] - row["value"]]],
                    xerr=xerr, fmt="D", ms=7, color=ARTICLE_COLOUR, mfc=ARTICLE_COLOUR if stated else "white",
                    mew=1.8, capsize=4, zorder=4)
        label = fmt_count(row["value"], row["qualifier"], row["basis"])
        detail = when(row) if stated else f"{when(row)}, derived"
        check = status.get(row["id"], {}).get("status")
        if check:
            detail += f"\n({check})"
        if row["id"] in misdated:
            offset, ha, va = (10, -4), "left", "center"
        elif stated:
            offset, ha, va = (-10, 8), "right", "bottom"
        else:
            offset, ha, va = (-8, -10), "right", "top"
        ax.annotate(f"{label}\n{detail}", (x, row["value"]), xytext=offset, textcoords="offset points",
                    fontsize=8.5, color=INK, va=va, ha=ha)
        if row["id"] in misdated:
            target = pd.Timestamp(status[row["id"]]["best_period"])
            ax.annotate("", xy=(target, status[row["id"]]["best_value"]), xytext=(x, row["value"]),
                        arrowprops=dict(arrowstyle="->", color=ARTICLE_COLOUR, lw=1.5,
                                        connectionstyle="arc3,rad=0.3"), zorder=5)
            ax.annotate("where it belongs", (target, status[row["id"]]["best_value"]), xytext=(-8, 10),
                        textcoords="offset points", fontsize=8.5, color=ARTICLE_COLOUR, ha="right")
    highs = [counts["high"].max()] + ([] if stock is None else [stock["high"].max()])
    ax.set_ylim(0, max(highs) * 1.18)
    dates = pd.concat([counts["period_end"]] + ([] if stock is None else [stock["period_end"]]))
    ax.set_xlim(pd.Timestamp(dates.min().year - 1, 7, 1), pd.Timestamp(dates.max().year + 1, 7, 1))
    thousands(ax)
    year_axis(ax)
    handles = [
        Line2D([], [], marker="D", color=ARTICLE_COLOUR, ls="none", ms=7, label="article, stated"),
        Line2D([], [], marker="D", color=ARTICLE_COLOUR, mfc="white", mew=1.8, ls="none", ms=7,
               label="article, derived from its growth rate"),
    ]
    if stock is not None:
        handles = [
            Line2D([], [], marker="o", color=OFFICIAL_COLOUR, lw=2, ms=4.5, label="official, year-end"),
            Line2D([], [], marker="s", color=OFFICIAL_COLOUR, mfc="white", ls="none", ms=5, label="official, mid-year"),
        ] + handles
    ax.legend(handles=handles, loc="upper left", fontsize=8.5)
    return fig


# ---------------------------------------------------------------------------------------------
# 02: source countries


def _share_bars(ax, labels, values, lows, highs, colours, hatches) -> None:
    y = range(len(labels))
    ax.barh(y, values, color=colours, hatch=hatches, edgecolor="white", linewidth=0)
    ax.errorbar(values, y, xerr=[values - lows, highs - values], fmt="none", ecolor=INK, capsize=3, lw=1)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))


def source_countries(shares: pd.DataFrame, official: pd.DataFrame | None = None) -> Figure:
    """The article's nationality shares; with official data, the official composition by date beside them."""
    if official is None:
        return _article_shares(shares)
    return _composition(shares, official)


def _article_shares(shares: pd.DataFrame) -> Figure:
    shares = pd.concat([
        shares[shares["basis"].eq("stated")].sort_values("share", ascending=False),
        shares[shares["basis"].eq("remainder")],
    ])
    stated = shares[shares["basis"].eq("stated")]
    top, second = stated.iloc[0], stated.iloc[1]
    fig, ax = new_figure(
        f"{top['nationality']} supplied the largest share of interns ({top['share']:.1f}%), "
        f"then {second['nationality']} ({second['share']:.1f}%)",
        f"Share of technical interns by nationality, %, dated {when(shares.iloc[0])} by the article; "
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


def official_composition(official: pd.DataFrame) -> pd.DataFrame:
    """Official shares by date and nationality, with what the itemised nationalities leave.

    Columns: period_end, nationality, share, share_low, share_high, basis ('official' or
    'not itemised').
    """
    shares = official[official["series"].str.startswith("stock-share:")].copy()
    shares["nationality"] = shares["series"].str.split(":", n=1).str[1]
    rows = []
    for end, group in shares.groupby("period_end", sort=True):
        for _, r in group.iterrows():
            rows.append(dict(period_end=end, nationality=r["nationality"], share=r["value"], share_low=r["low"],
                             share_high=r["high"], basis="official"))
        rest = 100 - group["value"].sum()
        if rest > 0.05:
            rows.append(dict(period_end=end, nationality="not itemised", share=rest,
                             share_low=max(0.0, 100 - group["high"].sum()), share_high=100 - group["low"].sum(),
                             basis="not itemised"))
    return pd.DataFrame(rows)


def _composition(shares: pd.DataFrame, official: pd.DataFrame) -> Figure:
    comp = official_composition(official)
    itemised = comp[comp["basis"].eq("official")]
    leaders = itemised.loc[itemised.groupby("period_end")["share"].idxmax()]
    article_top = shares[shares["basis"].eq("stated")].sort_values("share").iloc[-1]
    same = leaders["nationality"].nunique() == 1
    lead = leaders["nationality"].iloc[0]
    years = f"{leaders['period_end'].min().year}-{leaders['period_end'].max().year}"
    title = (f"Officially, {lead} was the largest source at every date available ({years}); the article puts "
             f"{article_top['nationality']} first with {article_top['share']:.1f}%" if same else
             f"Officially, the largest source changed over {years}; the article puts {article_top['nationality']} first")
    fig, ax = new_figure(
        title,
        f"Share of technical intern trainees by nationality, %. Top bar: the article's shares, dated "
        f"{when(shares.iloc[0])}. Below: official stock by nationality over the official total of the same date "
        "(hatched = nationalities not itemised in the source)",
        source_line(pd.Series(dtype=str), official=True),
        left=1.45, height=5.0, below=0.35,
    )
    order = {name: i for i, name in enumerate(list(NATIONALITY_COLOURS) + ["not itemised"])}

    def ordered(group: pd.DataFrame) -> pd.DataFrame:
        return group.sort_values("nationality", key=lambda c: c.map(lambda n: order.get(n, len(order) - 2)))

    bars = [("article, " + when(shares.iloc[0]), ordered(shares))]
    for end, group in comp.groupby("period_end", sort=True):
        bars.append((f"official, {end:%b %Y}", ordered(group)))
    for i, (label, group) in enumerate(bars):
        left = 0.0
        for _, r in group.iterrows():
            name = r["nationality"]
            rest = name in ("Other", "not itemised") or r.get("basis") == "remainder"
            colour = NATIONALITY_COLOURS["Other"] if rest else NATIONALITY_COLOURS.get(name, PALETTE["yellow"])
            ax.barh(i, r["share"], left=left, color=colour, hatch="//" if rest else "", edgecolor="white",
                    linewidth=0.6, height=0.7)
            if r["share"] >= 6:
                ax.text(left + r["share"] / 2, i, f"{r['share']:.0f}", ha="center", va="center", fontsize=8.5,
                        color="white" if name in ("China",) else INK)
            left += r["share"]
    ax.axhline(0.5, color=MUTED, lw=0.8)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))
    names = [n for n in NATIONALITY_COLOURS if n != "Other"]
    handles = [Patch(color=NATIONALITY_COLOURS[n], label=n) for n in names]
    handles.append(Patch(facecolor=NATIONALITY_COLOURS["Other"], hatch="//", edgecolor="white",
                         label="other / not itemised"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.07), ncols=6, fontsize=8.5,
              handlelength=1.2, columnspacing=1.0)
    return fig


# ---------------------------------------------------------------------------------------------
# 03: seafood share


def seafood_share(industry: pd.DataFrame, official: pd.DataFrame | None = None) -> Figure:
    """The seafood-processing share with its interval; with official data, beside food manufacturing."""
    row = industry.set_index("industry").loc["seafood processing"]
    if official is None:
        return _seafood_alone(row)
    food = official[official["series"].str.startswith("industry-share:")
                    & official["series"].str.endswith(":food manufacturing")].sort_values("period_end")
    widest = food["value"].max()
    fig, ax = new_figure(
        f"The article's {row['share']:.0f}% of trainees in seafood processing is "
        f"{row['share'] / widest:.1f} times the official share of all food manufacturing, which includes it",
        "Share of all technical intern trainees, %. Article: seafood processing, undated (whisker = the interval "
        "'approximately' allows). Official: the whole food-manufacturing category, by date and measure",
        source_line(pd.Series([row["credited_to"]]), official=True),
        left=2.9, height=4.4,
    )
    labels = ["article: seafood processing\n(undated, uncredited)"]
    values, lows, highs = [row["share"]], [row["share_low"]], [row["share_high"]]
    colours = [ARTICLE_COLOUR]
    for _, r in food.iterrows():
        measure = r["series"].split(":")[1]
        kind = "approved training plans" if "plans" in measure else "stock of trainees"
        labels.append(f"official: all food manufacturing\n({kind}, {r['period_end']:%b %Y})")
        values.append(r["value"]); lows.append(r["low"]); highs.append(r["high"])
        colours.append(OFFICIAL_COLOUR)
    _share_bars(ax, labels, np.array(values), np.array(lows), np.array(highs), colours, [""] * len(values))
    for i, v in enumerate(values):
        ax.text(highs[i] + 1, i, fmt_value(v, "percent"), va="center", fontsize=9.5, color=INK)
    ax.set_xlim(0, 100)
    seafood = official[official["series"].str.endswith(":seafood processing")
                       & official["unit"].eq("count")]
    if len(seafood):
        s = seafood.iloc[0]
        ax.text(0.99, 0.38, textwrap.fill(
                f"The only official seafood figure found: {fmt_count(s['value'])} trainees in the four "
                f"seafood-processing job types ({s['period_end']:%b %Y}, {s['publisher']}). No total of the "
                "same date and population exists, so it cannot be made a share.", 58),
                transform=ax.transAxes, ha="right", va="center", fontsize=8, color=MUTED)
    return fig


def _seafood_alone(row: pd.Series) -> Figure:
    fig, ax = new_figure(
        f"The article puts about {row['share']:.0f}% of all trainees in seafood processing, undated and uncredited",
        f"Share of all technical interns in the seafood processing industry, %; whisker = interval "
        f"{row['share_low']:.1f}-{row['share_high']:.1f}% that '{row['qualifier']}' allows",
        source_line(pd.Series([row["credited_to"]])),
        height=3.0,
    )
    ax.barh([0], [row["share"]], color=PALETTE["orange"], label="seafood processing (stated)")
    ax.barh([0], [100 - row["share"]], left=[row["share"]], color="#e6e6e6", label="all other trainees (remainder)")
    ax.errorbar([row["share"]], [0], xerr=[[row["share"] - row["share_low"]], [row["share_high"] - row["share"]]],
                fmt="none", ecolor=INK, capsize=6, lw=1.5)
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))
    ax.legend(loc="upper left", ncols=2)
    return fig


# ---------------------------------------------------------------------------------------------
# 04: data quality


def claims_vs_official(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Each numeric claim's difference from its official reference, in % of the reference.

    The reference is the official value at the stated period, or, where there is none, the
    best-matching one (drawn open). Dates and claims with no official number are left out.
    """
    rec = reconciliation[reconciliation["unit"].isin(["count", "percent"])].copy()
    rec["reference"] = rec["official_value"].fillna(rec["best_value"])
    rec["at_period"] = rec["official_value"].notna()
    rec = rec[rec["reference"].notna()]
    for col in ("claim_value", "claim_low", "claim_high"):
        rec[col.replace("claim_", "diff_")] = 100 * (rec[col] / rec["reference"] - 1)
    order = {s: i for i, s in enumerate(STATUS_COLOURS)}
    return rec.sort_values(["status", "claim_id"], key=lambda c: c.map(order) if c.name == "status" else c)


def data_quality(reconciliation: pd.DataFrame) -> Figure:
    """Each claim against its official counterpart, grouped and coloured by status."""
    table = claims_vs_official(reconciliation)
    counts = reconciliation["status"].value_counts()
    checked = len(reconciliation) - counts.get("unverifiable", 0)
    fig, ax = new_figure(
        f"{counts.get('consistent', 0)} of the {checked} article figures that could be checked agree with official "
        f"statistics; {counts.get('misdated', 0)} is misdated and {counts.get('inconsistent', 0)} contradict them",
        "Each numeric claim against the official value at its stated period (filled) or, where there is none, "
        "the best-matching or broader official value (open); difference in % of the official value; bars = the "
        "claim's interval. Dates are in the table in notebook 04",
        source_line(pd.Series(dtype=str), official=True),
        left=2.1, height=5.0,
    )
    for i, (_, r) in enumerate(table.iterrows()):
        colour = STATUS_COLOURS[r["status"]]
        ax.errorbar([r["diff_value"]], [i], xerr=[[r["diff_value"] - r["diff_low"]], [r["diff_high"] - r["diff_value"]]],
                    fmt="o", ms=7, color=colour, mfc=colour if r["at_period"] else "white", mew=1.8, capsize=3)
        ax.annotate(f"{r['status']}", (r["diff_value"], i), xytext=(8, 4), textcoords="offset points", fontsize=8,
                    color=colour)
    ax.axvline(0, color=INK, lw=1)
    ax.set_yticks(range(len(table)), table["claim_id"])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:+.0f}%"))
    ax.set_xlabel("claim vs official value (0 = equal)")
    span = max(abs(table["diff_low"].min()), abs(table["diff_high"].max())) * 1.15
    ax.set_xlim(-span, span)
    ax.legend(handles=[Line2D([], [], marker="o", ls="none", color=c, label=s) for s, c in STATUS_COLOURS.items()],
              loc="lower left", fontsize=8.5)
    return fig


# ---------------------------------------------------------------------------------------------
# 05: timeline


def timeline(figures: pd.DataFrame, reconciliation: pd.DataFrame, events: pd.DataFrame,
             stages: pd.DataFrame) -> Figure:
    """The programme's history (article periods as bars, official dates as ticks) and its stages."""
    history = figures[figures["topic"].eq("history")].sort_values(["period_start", "id"])
    status = reconciliation.set_index("claim_id")["status"]
    agreeing = [i for i in history["id"] if status.get(i) == "consistent"]
    checked = [i for i in history["id"] if status.get(i) in ("consistent", "misdated", "inconsistent")]
    by_id = figures.set_index("id")
    founded, replacement, length = by_id.loc["founded"], by_id.loc["replacement"], by_id.loc["length-max"]
    fig, (ax, ax2) = new_figure(
        f"From its founding in {founded['period_start'].year} to a planned replacement in "
        f"{replacement['period_start']:%B %Y}: {len(agreeing)} of the article's {len(checked)} checkable dates "
        "agree with the official record",
        "Top: the article's dates (bars span the month or year it names, coloured by check) and the official "
        f"dates (black ticks). Bottom: the programme's stages, up to {fmt_count(length['value'])} years",
        source_line(history["credited_to"], official=True),
        nrows=2, height_ratios=[4.2, 0.8], height=6.4, left=3.3,
    )
    labels = []
    for i, (_, r) in enumerate(history.iterrows()):
        colour = STATUS_COLOURS.get(status.get(r["id"], "unverifiable"), PALETTE["grey"])
        width = (r["period_end"] - r["period_start"]) + pd.Timedelta(days=1)
        ax.barh(i, max(width, pd.Timedelta(days=90)), left=r["period_start"], height=0.55, color=colour)
        labels.append(textwrap.fill(f"{r['measure']} ({r['date_text']})", 52))
    row = len(history)
    for _, e in events.iterrows():
        ax.plot([e["period_start"]], [row], marker="|", ms=12, mew=2, color=INK)
    labels.append("official dates (events.csv)")
    ax.set_yticks(range(row + 1), labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlim(pd.Timestamp(founded["period_start"].year - 2, 1, 1), pd.Timestamp(events["period_end"].max().year + 2, 1, 1))
    ax.xaxis.set_major_locator(mdates.YearLocator(5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    present = set(status.reindex(history["id"]).fillna("unverifiable"))
    ax.legend(handles=[Patch(color=c, label=f"article date, {s}") for s, c in STATUS_COLOURS.items() if s in present]
              + [Line2D([], [], marker="|", ls="none", color=INK, ms=10, mew=2, label="official date")],
              loc="upper left", bbox_to_anchor=(0.0, 0.62), fontsize=8)
    colours = [PALETTE["sky"], PALETTE["blue"], PALETTE["purple"]]
    for (_, s), colour in zip(stages.iterrows(), colours):
        ax2.barh(0, s["years"], left=s["first_year"] - 1, color=colour, edgecolor="white", height=0.7)
        years = f"year {s['first_year']}" if s["years"] == 1 else f"years {s['first_year']}-{s['last_year']}"
        ax2.text(s["first_year"] - 1 + s["years"] / 2, 0, f"{s['level']}\n{years}", ha="center", va="center",
                 fontsize=8, color="white")
    ax2.set_xlim(0, max(stages["last_year"].max(), length["value"]))
    ax2.set_yticks([0], ["stages (article)"], fontsize=7.5)
    ax2.set_xlabel("years in the programme")
    ax2.grid(axis="y", visible=False)
    return fig
