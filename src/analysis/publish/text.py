"""Every sentence a reader sees that states a fact, written from the tables at run time.

Each function takes processed tables and returns Markdown (or plain text for chart titles). A
unit test holds each factual sentence to the tables (``tests/test_text.py``): a sentence such
as "Vietnam is the largest source at every date" is computed over every date, and the test
fails when one date says otherwise.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from analysis import catalogue, fmt
from analysis import vocabulary as v
from analysis.publish.style import GAP_DAYS
from analysis.sources import primary

# ---------------------------------------------------------------------------------------------
# the official stock


def stock_path(stock: pd.DataFrame) -> pd.DataFrame:
    """The official total stock in date order, every date (year-end and mid-year), one row each."""
    rows = stock[stock["series"].eq("stock")].sort_values("period_end")
    return rows.drop_duplicates("period_end", keep="first").reset_index(drop=True)


def turning_points(path: pd.DataFrame) -> pd.DataFrame:
    """The first and last figures and every figure where the stock turns from rising to falling.

    >>> frame = pd.DataFrame({"value": [1.0, 3.0, 2.0, 2.5, 4.0]})
    >>> turning_points(frame)["value"].tolist()
    [1.0, 3.0, 2.0, 4.0]
    """
    values = path["value"].tolist()
    keep = [0]
    for i in range(1, len(values) - 1):
        if (values[i] - values[i - 1]) * (values[i + 1] - values[i]) < 0:
            keep.append(i)
    if len(values) > 1:
        keep.append(len(values) - 1)
    return path.iloc[keep].reset_index(drop=True)


def stock_trend(stock: pd.DataFrame) -> str:
    """One sentence: how the official stock moved between consecutive official figures."""
    path = stock_path(stock)
    points = turning_points(path)
    first = points.iloc[0]
    steps = []
    for prev, cur in zip(points.iloc[:-1].itertuples(), points.iloc[1:].itertuples()):
        verb = "rose" if cur.value > prev.value else "fell"
        steps.append(f"{verb} to {fmt.value(cur.value, v.COUNT)} at {fmt.day(cur.period_end)}")
    peak = path.loc[path["value"].idxmax()]
    return (
        f"Between consecutive official figures, the stock of technical intern trainees went from "
        f"{fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])}, "
        f"{fmt.listing(steps)}; its highest is {fmt.value(peak['value'], v.COUNT)}, at "
        f"{fmt.day(peak['period_end'])}."
    )


# ---------------------------------------------------------------------------------------------
# the reconciliation


def said(figure: pd.Series) -> str:
    """A figure as the article states it, or as derived (with the hedge of its inputs)."""
    if figure["basis"] == v.DERIVED:
        return f"{fmt.count(figure['value'], figure['qualifier'], v.DERIVED)} (derived)"
    return figure["number_text"] if pd.notna(figure["number_text"]) else ""


def status_counts(reconciliation: pd.DataFrame) -> str:
    """'a consistent, b misdated, ...' in the declared order of statuses."""
    counts = reconciliation["status"].value_counts()
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in v.STATUSES)


def reference_text(row: pd.Series) -> str:
    """The official figure a status rests on, and what it is to the claim."""
    if pd.isna(row["reference_role"]):
        return "none"
    role = v.REFERENCE_ROLES[row["reference_role"]]
    when = fmt.iso_period(row["reference_period"])
    if row["unit"] == v.DATE:
        return f"{when} ({role})"
    return f"{fmt.value(row['reference_value'], row['unit'])} at {when} ({role})"


def summary(built: dict[str, pd.DataFrame]) -> str:
    """The README's summary of what the data say: the headline the site opens with, and the trend."""
    return f"- {headline(built['reconciliation'])}\n- {stock_trend(built['official_stock'])}"


def findings(built: dict[str, pd.DataFrame]) -> str:
    """The docs' "What the data say": the trend, the statuses, every checked claim in a table."""
    figures, rec = built["article_figures"], built["reconciliation"]
    stated = int(figures["basis"].eq(v.STATED).sum())
    checked = rec[rec["series"].notna()]
    unchecked = rec[rec["series"].isna()]
    lines = [
        f"- {stock_trend(built['official_stock'])}",
        f"- Of the {len(rec)} figures and dates the article states or implies ({stated} stated, "
        f"{len(rec) - stated} derived from them): {status_counts(rec)}. The {len(built['stages'])} stages of a "
        "trainee's stay are transcribed too, as the programme's structure, and not checked.",
        f"- The table lists the {len(checked)} with an official counterpart. The other {len(unchecked)} "
        f"({', '.join(f'`{i}`' for i in unchecked['claim_id'])}) have none in the reference set, so they are "
        f"{v.UNVERIFIABLE}.",
        "",
        "| figure | number, as written | date, as written | status | official figure at the stated date "
        "| official figure the status rests on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    texts = figures.set_index("id")
    for _, row in checked.iterrows():
        fig = texts.loc[row["claim_id"]]
        date_text = (
            fig["date_text"]
            if pd.notna(fig["date_text"])
            else ("—" if fig["basis"] == v.STATED else fmt.period(fig["period_start"], fig["period_end"]))
        )
        at = "none"
        if pd.notna(row["official_period"]):
            at = fmt.iso_period(row["official_period"])
            if row["unit"] != v.DATE:
                at = f"{fmt.value(row['official_value'], row['unit'])} at {at}"
        lines.append(
            f"| `{row['claim_id']}` | {said(fig) or '—'} | {date_text} | **{row['status']}** | {at} | "
            f"{reference_text(row)} |"
        )
    lines += [
        "",
        "Each finding in full, with the rule it follows: `data/processed/reconciliation.csv` (column `finding`).",
    ]
    return "\n".join(lines)


def quoted_summary(quoted: pd.DataFrame) -> str:
    """How the quoted figures compare with the primary table, in one sentence."""
    counts = quoted["verdict"].value_counts()
    said = {
        v.AGREES: "agree with the table within their rounding",
        v.DISAGREES: "disagree with it",
        v.NOT_IN_TABLE: "have no counterpart in it",
    }
    return (
        f"Of the {len(quoted)} figures that news and trade pages quoted from the Statistics on Foreign Residents, "
        + fmt.listing([f"{counts.get(verdict, 0)} {said[verdict]}" for verdict in v.QUOTE_VERDICTS])
        + f". The table: {primary.CITATION}."
    )


def quoted_section(quoted: pd.DataFrame) -> str:
    """The README's and the site's quoted figures held to the primary table: the count of each
    verdict, and every quote that disagrees, by how much, with the pages that quoted it."""
    lines = [f"- {quoted_summary(quoted)}"]
    wrong = quoted[quoted["verdict"].eq(v.DISAGREES)]
    if wrong.empty:
        lines.append("- No quoted figure disagrees with the table.")
        return "\n".join(lines)
    lines += [
        "- Where a quote and the table disagree, the table stands:",
        "",
        "| quoted figure | date | as quoted | in the table | table less quote | quoted on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in wrong.iterrows():
        pages = " ".join(f"<{u}>" for u in str(r["sources"]).split())
        lines.append(
            f"| {r['label']} | {fmt.day(r['period_end'])} | {fmt.value(r['quoted_value'], v.COUNT)} | "
            f"{fmt.value(r['table_value'], v.COUNT)} | {r['difference']:+,.0f} | {pages} |"
        )
    return "\n".join(lines)


def corrections_section(corrections: pd.DataFrame) -> str:
    """The corrections for the article's editors (docs/editors.md)."""
    if corrections.empty:
        return "The official data give no correction to suggest."
    lines = [f"{len(corrections)} suggestions, one per claim (`data/processed/corrections.csv`):", ""]
    for _, row in corrections.iterrows():
        links = " ".join(f"<{url}>" for url in row["sources"].split())
        lines += [
            f"- **`{row['claim_id']}`** ({row['status']}, line {row['line']}): *{row['article_phrase']}*",
            f"  - Problem: {row['problem']}",
            f"  - Suggested: {row['suggested_text']}",
            f"  - Sources: {links}",
        ]
    return "\n".join(lines)


def figures_section() -> str:
    """The README's list of charts, from the catalogue: each image with its caption."""
    lines = []
    for chart in catalogue.CHARTS.values():
        lines += [f"![{chart.short_title}: {chart.question}](figures/{chart.name}.png)", f"*{chart.caption}*", ""]
    return "\n".join(lines).rstrip("\n")


# ---------------------------------------------------------------------------------------------
# charts: titles, subtitles, labels, descriptions (alt text) and readings

ARTICLE_NAME = "the article 'Technical Intern Training Program'"


def source_line(publishers, credited, dates: bool = False, article: bool = True) -> str:
    """The foot of a chart: the bodies the data credit, and the article, as the rows say."""
    given = {p for p in publishers if isinstance(p, str) and p and p != "as the sources say"}
    named = sorted(p for p in given if not p[:1].islower())
    phrases = sorted(p for p in given if p[:1].islower())
    credited = list(credited)
    every = bool(credited) and all(isinstance(c, str) and c for c in credited)
    credited = sorted({c for c in credited if isinstance(c, str) and c})
    parts = []
    if dates:
        parts.append("official dates as the pages listed in the chart's data give them")
    if primary.PUBLISHER in named:
        parts.append(f"{primary.CITATION} ({primary.SOURCE})")
        named = [p for p in named if p != primary.PUBLISHER]
    if named:
        parts.append(
            f"official statistics of {fmt.listing([fmt.body(p) for p in named])}, as quoted on the "
            "pages listed in the chart's data"
        )
    parts += [f"a count {p}" for p in phrases]
    if not article:
        return f"Sources: {'; '.join(parts)}. Chart: {catalogue.PROJECT}, {catalogue.LICENCE}."
    parts.append(
        f"{ARTICLE_NAME} (CC BY-SA), which credits "
        + (
            fmt.listing([fmt.body(c) for c in credited])
            + (" for the figures shown" if every else " for some of the figures shown, and no body for the others")
            if credited
            else "no body for the figures shown"
        )
    )
    return f"Sources: {'; '.join(parts)}. Chart: {catalogue.PROJECT}, {catalogue.LICENCE}."


def _status_phrase(status: str, role: str | None, period: str | None) -> str:
    when = fmt.iso_period(period) if period is not None and not pd.isna(period) else None
    if status == v.MISDATED and when:
        return f"{status}: belongs to {when}"
    if status == v.CONSISTENT and when:
        return f"{status} with {when}"
    if role == v.ANOTHER_POPULATION:
        return f"{status}: only another population"
    return status


# --- 01 -----------------------------------------------------------------------------------------


def _official(view: pd.DataFrame) -> pd.DataFrame:
    from analysis.publish import views

    return view[view["who"].eq(views.OFFICIAL)].sort_values("period_end")


def _article(view: pd.DataFrame) -> pd.DataFrame:
    from analysis.publish import views

    return view[view["who"].eq(views.ARTICLE)]


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


def intern_counts_words(view: pd.DataFrame, figures: pd.DataFrame) -> dict:
    """Every word of chart 01, from its view."""
    official, article = _official(view), _article(view)
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
        labels[r["id"]] = f"{said}, {when} ({detail}): {_status_phrase(r['status'], None, r['belongs_to'])}"
    rounded = {
        r["period_end"]: f"{fmt.value(r['value'], v.COUNT)}, {r['rounding']}"
        for _, r in official[official["rounding"].ne(v.EXACT)].iterrows()
    }
    return {
        "title": title,
        "subtitle": "Technical intern trainees resident in Japan, persons. Line: the official stock at the end of "
        "June and of December (filled: December)"
        + (", dotted where figures are missing" if _has_gaps(official["period_end"]) else ", every date given")
        + ". Diamonds: the article's totals (open: derived); bars: the interval the wording or rounding allows",
        "source": source_line(official["publisher"], article["publisher"]),
        "labels": {"official": "Official stock", "rounded": rounded, "article": labels},
    }


def intern_counts_description(view: pd.DataFrame) -> str:
    """Chart 01 in two sentences with its key numbers: the alt text and the page's summary."""
    official, article = _official(view), _article(view)
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
        text += (
            f" The article's {fmt.count(r['value'], 'none' if r['rounding'] == v.EXACT else 'approximate', r['kind'])}"
            f" for {when} is {_status_phrase(r['status'], None, r['belongs_to'])}."
        )
    return text


def intern_counts_reading(view: pd.DataFrame, stock: pd.DataFrame) -> str:
    """The reading under chart 01, in Markdown."""
    article = _article(view)
    lines = [f"**Reading.** {stock_trend(stock)}"]
    for _, r in article.sort_values("period_end").iterrows():
        when = fmt.period(r["period_start"], r["period_end"])
        said = fmt.count(r["value"], "none" if r["rounding"] == v.EXACT else "approximate", r["kind"])
        if r["status"] == v.MISDATED:
            lines.append(
                f"The article's {said} for {when} is not the official figure for that date; it is the "
                f"figure for {fmt.iso_period(r['belongs_to'])}, and the arrow shows where it belongs."
            )
        elif r["status"] == v.CONSISTENT:
            lines.append(f"The article's {said} for {when} sits on the official line.")
        else:
            lines.append(
                f"The article's {said} for {when} ({r['kind']}) is {r['status']}: the reference set has no "
                "official figure for that date."
            )
    lines.append(
        "What the chart cannot show: the dates the reference set does not cover (dotted), and how many "
        "people passed through the programme, since a stock counts only those present on the date."
    )
    return " ".join(lines)


# --- 02 -----------------------------------------------------------------------------------------


def _short_date(when) -> str:
    d = pd.Timestamp(when)
    return f"end {d:%b %Y}" if (d.month, d.day) != (12, 31) else f"end {d.year}"


def _has_gaps(ends: pd.Series, days: int = GAP_DAYS) -> bool:
    """Whether consecutive dates lie further apart than half a year (the charts dot such gaps)."""
    ends = pd.to_datetime(pd.Series(list(ends))).sort_values()
    return bool(ends.diff().dt.days.gt(days).any())


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


def source_countries_words(view: pd.DataFrame) -> dict:
    """Every word of chart 02, from its view."""
    from analysis.publish import views

    official, article = _official(view), _article(view)
    leads = views.leaders(view)
    moves = views.overtakes(view)
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
            if official["nationality"].eq(views.NOT_ITEMISED).any()
            else ""
        ),
        "source": source_line(official["publisher"], []),
        "labels": {
            "lead": lead,
            "trace_points": points,
            "rows": rows,
            "count_only": count_only,
            "count_only_bar": count_bar,
            "article_point": ""
            if lead_article.empty
            else f"article: {fmt.share(lead_article['share'].iloc[0])} ('{said}')"
            + (f"\nplaced at {_short_date(placed.iloc[0])}" if len(placed) else ""),
            "trace_title": f"{lead}'s share of all trainees, at each date with a total"
            + (" (dotted: no figure in between)" if _has_gaps(trace["period_end"]) else ""),
            "inside_rest": _inside_rest(official),
            "bars_title": "The composition at each date a source itemises nationalities",
        },
    }


def _inside_rest(official: pd.DataFrame) -> dict:
    """Per date, the nationalities itemised at other dates but not at this one (they are in the rest)."""
    from analysis.publish import views

    named = official[
        official["share"].notna() & ~official["nationality"].isin([views.NOT_ITEMISED, v.OTHER_NATIONALITY])
    ]
    everywhere = set(named["nationality"])
    out = {}
    for end, group in named.groupby("period_end"):
        missing = sorted(
            everywhere - set(group["nationality"]), key=lambda n: -named[named["nationality"].eq(n)]["share"].max()
        )
        out[end] = missing
    return out


def source_countries_description(view: pd.DataFrame) -> str:
    """Chart 02 in sentences with its key numbers."""
    from analysis.publish import views

    official, article = _official(view), _article(view)
    leads = views.leaders(view)
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


def source_countries_reading(view: pd.DataFrame) -> str:
    """The reading under chart 02, in Markdown: every claim computed over every date."""
    from analysis.publish import views

    official, article = _official(view), _article(view)
    leads = views.leaders(view)
    several = leads[leads["itemised"] > 1]
    seconds = []
    for end in several["period_end"]:
        group = official[
            official["period_end"].eq(end)
            & official["share"].notna()
            & ~official["nationality"].isin([views.NOT_ITEMISED, v.OTHER_NATIONALITY])
        ].sort_values("share", ascending=False)
        rest = official[official["period_end"].eq(end) & official["nationality"].eq(views.NOT_ITEMISED)]
        unknown = float(rest["share"].iloc[0]) if len(rest) else 0.0
        if len(group) > 1 and group.iloc[1]["share"] > unknown:
            seconds.append((end, group.iloc[1]["nationality"]))
    runs: list[list] = []
    for end, name in seconds:
        if runs and runs[-1][0] == name:
            runs[-1][2] = end
        else:
            runs.append([name, end, end])
    lines = [f"**Reading.** {source_countries_description(view)}"]
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


# --- 03 -----------------------------------------------------------------------------------------


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


def _seafood_rows(view: pd.DataFrame) -> list[str]:
    from analysis.publish import views

    rows = []
    for _, r in view.iterrows():
        if r["who"] == views.ARTICLE:
            rows.append(f"Article: {r['measure']} (undated, no body credited)")
            continue
        when = fmt.period(r["period_start"], r["period_end"])
        tail = ""
        if r["population"] == v.PLANS:
            tail = ", another population"
        elif r["population"] != v.RESIDENTS or "over the total stock" in r["measure"]:
            tail = ", bases differ"
        rows.append(f"Official: {r['measure']}, {when}{tail}")
    return rows


def seafood_words(view: pd.DataFrame, reconciliation: pd.DataFrame) -> dict:
    """Every word of chart 03, from its view."""
    from analysis.publish import views

    article = view[view["who"].eq(views.ARTICLE)].iloc[0]
    whole = view[
        view["who"].eq(views.OFFICIAL)
        & view["population"].eq(v.RESIDENTS)
        & view["measure"].str.contains("by job category")
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
        "source": source_line(view["publisher"], []),
        "labels": {"rows": _seafood_rows(view), "values": values},
    }


def seafood_description(view: pd.DataFrame) -> str:
    """Chart 03 in sentences with its key numbers."""
    from analysis.publish import views

    article = view[view["who"].eq(views.ARTICLE)].iloc[0]
    parts = [
        f"Bar chart: the article says {fmt.share(article['share'], 0)} of trainees work in seafood "
        f"processing (its wording allows {fmt.share(article['share_low'])} to {fmt.share(article['share_high'])})."
    ]
    for _, r in view[view["who"].eq(views.OFFICIAL)].iterrows():
        parts.append(f"Official: {r['measure']}, {fmt.share(r['share'])} {fmt.at(r['period_start'], r['period_end'])}.")
    return " ".join(parts)


def seafood_reading(view: pd.DataFrame, reconciliation: pd.DataFrame) -> str:
    """The reading under chart 03, in Markdown."""
    rec = reconciliation.set_index("claim_id").loc["seafood-share"]
    return (
        f"**Reading.** {seafood_description(view)} The check ({rec['status']}): {rec['finding']} "
        "The claim is a share of *all* technical interns, and a part cannot be larger than its whole. The "
        "reference set records no published share of trainees in seafood processing; the figure may be a "
        "share of something else, such as foreign workers in the seafood industry of some regions, but the "
        "article does not say."
    )


# --- 04 -----------------------------------------------------------------------------------------


def _count_phrase(counts: pd.Series) -> str:
    verbs = {
        v.CONSISTENT: "agree",
        v.MISDATED: v.MISDATED,
        v.INCONSISTENT: "contradict their official figure",
        v.UNVERIFIABLE: "cannot be checked",
    }
    parts = []
    for status in v.STATUSES:
        n = int(counts.get(status, 0))
        if n:
            verb = verbs[status]
            if status == v.MISDATED:
                verb = "is misdated" if n == 1 else "are misdated"
            elif status == v.INCONSISTENT and n == 1:
                verb = "contradicts its official figure"
            elif status == v.CONSISTENT and n == 1:
                verb = "agrees"
            parts.append(f"{n} {verb}")
    return fmt.listing(parts)


def numeric_claims(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The article's numeric claims (counts, shares, durations), stated and derived."""
    return reconciliation[reconciliation["unit"].isin([v.COUNT, v.PERCENT, v.YEARS])]


def data_quality_words(view: pd.DataFrame, reconciliation: pd.DataFrame | None = None) -> dict:
    """Every word of chart 04, from its view (and the reconciliation, for the claims it cannot plot)."""
    counts = view["status"].value_counts()
    numeric = len(view) if reconciliation is None else len(numeric_claims(reconciliation))
    title = (
        f"{len(view)} of the {numeric} numeric claims the article states or implies, set against the official figure "
        f"their status rests on: {_count_phrase(counts)}"
    )
    if numeric > len(view):
        title += f"; {numeric - len(view)} have no official figure to plot against"
    rows = [_two_lines(r["label"], r["as_written"]) for _, r in view.iterrows()]
    status = [textwrap.fill(_chart_status(r), 30) for _, r in view.iterrows()]
    return {
        "title": title,
        "subtitle": "Each claim's difference from the official figure its status rests on, in % of that figure; "
        "bars: the interval the claim's wording allows. The article's dates are checked in chart 05",
        "source": source_line(view["publisher"], view["credited_to"]),
        "labels": {"rows": rows, "status": status, "axis": "difference from the official figure (0: the same)"},
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
    return _status_phrase(r["status"], r["reference_role"], r["reference_period"])


def _two_lines(label: str, written: str, width: int = 46) -> str:
    """A row label: what the figure counts (wrapped, never cut), then the figure as written."""
    return "\n".join([*textwrap.wrap(label, width), *textwrap.wrap(written, width)])


def relative(difference: float) -> str:
    """A relative difference in words, never to be read as percentage points.

    >>> relative(-28.24), relative(0.0), relative(105.3)
    ('28% below', 'equal to', '105% above')
    """
    if round(difference) == 0:
        return "equal to" if abs(difference) < 0.05 else f"within 1% {'above' if difference > 0 else 'below'}"
    return f"{abs(difference):.0f}% {'above' if difference > 0 else 'below'}"


def data_quality_description(view: pd.DataFrame) -> str:
    """Chart 04 in sentences with its key numbers."""
    parts = [
        f"Dot chart of {len(view)} numeric claims of the article against official figures: "
        f"{_count_phrase(view['status'].value_counts())}."
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


def data_quality_reading(reconciliation: pd.DataFrame, view: pd.DataFrame) -> str:
    """The reading under chart 04, in Markdown: the count of every status, and what each means."""
    dates = reconciliation[reconciliation["unit"].eq(v.DATE)]
    unverifiable = reconciliation[reconciliation["status"].eq(v.UNVERIFIABLE)]
    cases = []
    for role, rows in unverifiable.groupby(unverifiable["reference_role"].fillna(""), sort=True):
        ids = ", ".join(f"`{i}`" for i in rows["claim_id"])
        cases.append(f"{len(rows)} {UNVERIFIABLE_CASES[role]} ({ids})")
    lines = [
        f"**Reading.** Of all {len(reconciliation)} figures and dates, {status_counts(reconciliation)}; "
        f"the chart shows the {len(view)} numbers with an official figure to set them against, and chart 05 the "
        f"{len(dates)} dates.",
        f"'{v.UNVERIFIABLE}' covers {len(cases)} cases: {fmt.listing(cases)}.",
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


# --- 05 -----------------------------------------------------------------------------------------


def timeline_words(view: pd.DataFrame, figures: pd.DataFrame, stages: pd.DataFrame) -> dict:
    """Every word of chart 05, from its view."""
    from analysis.publish import views

    article = _article(view)
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
        if r["who"] == views.ARTICLE:
            rows.append(_two_lines(r["event"], f"'{r['as_written']}'"))
            if pd.notna(r["official_start"]):
                right.append(f"{r['status']}: {fmt.period(r['official_start'], r['official_end'])}")
            else:
                right.append(f"{r['status']}: no official date")
        else:
            rows.append(_two_lines(r["event"], "official date only; not in the article"))
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
        "source": source_line(view["publisher"], by_id.loc[article["id"], "credited_to"], dates=True),
        "labels": {
            "rows": rows,
            "right": right,
            "stages": stage_words,
            "stages_axis": "years in the programme",
            "stages_title": f"Stages of a stay, up to {fmt.value(length['value'], v.YEARS)} (article)",
        },
    }


def timeline_description(view: pd.DataFrame) -> str:
    """Chart 05 in sentences with its key dates."""
    article = _article(view)
    parts = [f"Timeline of {len(article)} dates the article gives for the programme's history."]
    for _, r in article.iterrows():
        official = (
            f"officially {fmt.period(r['official_start'], r['official_end'])}"
            if pd.notna(r["official_start"])
            else "no official date"
        )
        parts.append(f"{r['event']} ('{r['as_written']}'): {r['status']}, {official}.")
    return " ".join(parts)


def timeline_reading(view: pd.DataFrame, stages: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The reading under chart 05, in Markdown."""
    article = _article(view)
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


# --- 06 -----------------------------------------------------------------------------------------


def _ends(view: pd.DataFrame, status: str, nationality: str = "All") -> tuple[pd.Series, pd.Series]:
    rows = view[view["status"].eq(status) & view["nationality"].eq(nationality)].sort_values("period_end")
    return rows.iloc[0], rows.iloc[-1]


def skilled_workers_words(view: pd.DataFrame) -> dict:
    """Every word of chart 06, from its view."""
    from analysis.publish import views

    (_, _, trainees), (_, _, skilled) = views.SKILLED_STATUSES
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
        "source": source_line(view["publisher"], [], article=False),
        "labels": {"statuses": [trainees, skilled], "nationalities": named},
    }


def skilled_workers_description(view: pd.DataFrame) -> str:
    """Chart 06 in sentences with its key numbers."""
    from analysis.publish import views

    (_, _, trainees), (_, _, skilled) = views.SKILLED_STATUSES
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


def skilled_workers_reading(view: pd.DataFrame) -> str:
    """The reading under chart 06, in Markdown."""
    from analysis.publish import views

    (_, _, trainees), (_, _, skilled) = views.SKILLED_STATUSES
    _, t1 = _ends(view, trainees)
    _, s1 = _ends(view, skilled)
    ratio = s1["value"] / t1["value"]
    return (
        f"**Reading.** {skilled_workers_description(view)} At {fmt.day(s1['period_end'])} there were "
        f"{ratio:.2f} Specified Skilled Workers for every trainee. The article says that trainees can continue "
        "to work under the specified skill status; the table counts residents by status on each date, so it "
        "shows how the two stocks moved, not how many people moved from one status to the other."
    )


# ---------------------------------------------------------------------------------------------
# the site's claim cards: every sentence from the tables, no internal id in what a reader reads

#: What an id looks like in running text: hyphenated lower-case words (a one-word id is also a word).
_ID_IN_TEXT = r"(?<![\w/.-])({ids})(?![\w/-])"


def headline(reconciliation: pd.DataFrame) -> str:
    """The one sentence a reader sees first: how many of the article's figures and dates hold.

    >>> rec = pd.DataFrame({"status": [v.CONSISTENT, v.CONSISTENT, v.MISDATED, v.UNVERIFIABLE],
    ...     "basis": [v.STATED, v.STATED, v.STATED, v.DERIVED]})
    >>> print(headline(rec))
    Of the 4 figures and dates the article states or implies, checked against official statistics, 2 agree, 1 is misdated and 1 cannot be checked.
    """
    what = "the article states or implies" if reconciliation["basis"].eq(v.DERIVED).any() else "the article states"
    return (
        f"Of the {len(reconciliation)} figures and dates {what}, checked against official statistics, "
        f"{_count_phrase(reconciliation['status'].value_counts())}."
    )


def as_written(figure: pd.Series) -> str:
    """A claim's own words: the number as the article writes it, else its date ('' for a derived claim)."""
    for column in ("number_text", "date_text"):
        if pd.notna(figure.get(column)) and str(figure[column]).strip():
            return str(figure[column])
    return ""


def claim_name(figure: pd.Series) -> str:
    """How a reader knows a claim: the article's words for it in quotes, or, for a claim the
    article implies, what it counts.

    >>> print(claim_name(pd.Series({"number_text": "46.2%", "measure": "share of interns from China"})))
    '46.2%' (share of interns from China)
    >>> claim_name(pd.Series({"number_text": None, "date_text": None, "measure": "interns a year earlier"}))
    'interns a year earlier (derived)'
    """
    words = as_written(figure)
    return f"'{words}' ({figure['measure']})" if words else f"{figure['measure']} (derived)"


def without_ids(sentence: str, names: dict[str, str]) -> str:
    """``sentence`` with every hyphenated claim id replaced by the claim's name for readers.

    >>> print(without_ids("It is stated with share-vietnam and share-china.", {"share-vietnam": "'29.9%'",
    ...     "share-china": "'46.2%'", "founded": "'1993'"}))
    It is stated with '29.9%' and '46.2%'.
    """
    ids = sorted((i for i in names if "-" in i), key=len, reverse=True)
    if not ids:
        return sentence
    pattern = re.compile(_ID_IN_TEXT.format(ids="|".join(map(re.escape, ids))))
    return pattern.sub(lambda m: names[m.group(1)], sentence)


def first_sentences(text: str, n: int = 2, most: int | None = None) -> str:
    """The first ``n`` sentences of a finding (the card's short form; the rest is on the claim's
    row), fewer where they would be longer than ``most`` characters (never fewer than one).

    >>> first_sentences("A is 1 (at 2.5%). B is 2. C is 3.")
    'A is 1 (at 2.5%). B is 2.'
    >>> first_sentences("A is 1 (at 2.5%). B is 2. C is 3.", most=20)
    'A is 1 (at 2.5%).'
    """
    from analysis.sources.article import sentence_spans

    text = text.strip()
    spans = sentence_spans(text)
    if not spans:
        return text
    ends = [end for _, end in spans[:n]]
    keep = [e for e in ends if most is None or e <= most] or ends[:1]
    return text[: keep[-1]]


def official_figure(row: pd.Series) -> str:
    """The official figure a claim's status rests on, with its date and what it is to the claim
    ('' where there is none)."""
    if pd.isna(row["reference_role"]):
        return ""
    return fmt.sentence_start(reference_text(row))


def marked_sentence(article_text: str, figure: pd.Series) -> tuple[str, str, str]:
    """The article's sentence that states a claim, split around the claim's own words:
    (before, words, after). A derived claim has no sentence: ('', '', '')."""
    from analysis.sources.article import sentence_at

    words = as_written(figure)
    if not words or pd.isna(figure.get("line")):
        return "", "", ""
    phrases = [str(t) for t in (figure.get("number_text"), figure.get("date_text")) if pd.notna(t)]
    sentence = sentence_at(article_text, int(figure["line"]), *phrases)
    at = sentence.find(words)
    return sentence[:at], words, sentence[at + len(words) :]
