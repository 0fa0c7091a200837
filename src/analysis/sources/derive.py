"""Figures the official files imply, added to ``official_series`` and marked ``derived``.

* ``stock-share:<nationality>``: a nationality's stock over the total stock of the same date;
* ``stock-growth``: the stock on a year earlier, computed from two dates exactly a year apart
  (a growth written in a source's free-text note is never read: a figure the build uses lives in
  a declared column);
* ``skilled-workers-share:<nationality>``: the same for Specified Skilled Workers;
* ratios of a part to its whole at the same date (:data:`RATIOS`), such as Vietnamese workers
  with technical intern status over all Vietnamese workers of the same survey; the ratio counts
  the whole's population (a share of all Vietnamese residents is a share of residents of every
  status, not of trainees);
* ``industry-share:<measure>:<category>``: a job category over all job categories of the same
  measure and date;
* ``industry-share-of-stock:<measure>:<category>``: a job-category count with no total of its
  own, over the total stock at the nearest date (bases differ, and the note says so);
* ``event-figure:<unit>``: a figure an official event states ("training can extend to five
  years"), dated from the event;
* ``publication``: the date a body published figures, where the publisher's name gives it
  ("Ministry of Justice project team (March 2019)").

A derived figure's interval comes from its inputs' intervals; it carries the population of its
inputs, and the pages of every input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from analysis import fmt, paths
from analysis import vocabulary as v
from analysis.parse.period import parse_period
from analysis.parse.quantity import parse_quantity
from analysis.sources.official import EVENT, SERIES_COLUMNS, STOCK, read_reported
from analysis.sources.primary import hold_quotes, read_primary

#: Part / whole ratios at one date: (part series, whole series, new series, its label).
RATIOS = (
    (
        "workers:Vietnamese workers with technical intern status",
        "workers:all Vietnamese workers",
        "workers:share of Vietnamese workers with technical intern status",
        "share of Vietnamese workers with technical intern status",
    ),
    (
        "stock-nationality:Vietnam",
        "all-residents:Vietnam",
        "trainee-share-of-residents:Vietnam",
        "share of all residents from Vietnam who are technical intern trainees",
    ),
)
#: How many days apart a count and the total stock may be dated for a share of differing bases.
NEAREST_STOCK_DAYS = 183
_STATED_YEARS = re.compile(r"\b(?:up to )?\w+ years?\b")
_PUBLISHED = re.compile(r"\((?P<when>[A-Z][a-z]+ \d{4})\b")


def ratio(part: pd.Series | Mapping, whole: pd.Series | Mapping) -> tuple[float, float, float]:
    """``100 * part / whole``, with the interval from both intervals (value, low, high)."""
    return (100 * part["value"] / whole["value"], 100 * part["low"] / whole["high"], 100 * part["high"] / whole["low"])


def pages(*rows: pd.Series | Mapping) -> str:
    """The pages of every input, each once, in order of first mention.

    >>> pages(pd.Series({"sources": "a b"}), pd.Series({"sources": "b c"}))
    'a b c'
    """
    seen: dict[str, None] = {}
    for row in rows:
        for url in str(row["sources"]).split():
            seen.setdefault(url)
    return " ".join(seen)


def _derived(base: pd.Series | Mapping, *inputs: pd.Series | Mapping, **changes) -> dict:
    row = dict(base)
    row.update(
        basis=v.DERIVED, published_as="computed", single_source=False, source_row=None, sources=pages(base, *inputs)
    )
    row.update(changes)
    return row


def nationality_shares(
    series: pd.DataFrame, total_id: str = STOCK, prefix: str = "stock", what: str = "trainees"
) -> list[dict]:
    """Each nationality's share of the total of the same date (trainees, or Specified Skilled Workers)."""
    totals = {total["period_end"]: total for total in series[series["series"].eq(total_id)].to_dict("records")}
    out = []
    for row in series[series["series"].str.startswith(f"{prefix}-nationality:")].to_dict("records"):
        if row["period_end"] not in totals:
            continue
        total = totals[row["period_end"]]
        value, low, high = ratio(row, total)
        nationality = row["series"].split(":", 1)[1]
        out.append(
            _derived(
                row,
                total,
                series=f"{prefix}-share:{nationality}",
                unit=v.PERCENT,
                value=value,
                low=low,
                high=high,
                label=f"share of {what} from {nationality}"
                if nationality != v.OTHER_NATIONALITY
                else f"share of {what} of every other nationality",
                note=f"{row['label']} / {total['label']}, same date ({total['source_file']} row {total['source_row']})",
            )
        )
    return out


def growth(series: pd.DataFrame) -> list[dict]:
    """Growth of the stock on a year earlier, computed wherever both dates exist."""
    stock = series[series["series"].eq(STOCK)]
    by_date = stock.set_index("period_end")
    out = []
    for _, row in stock.iterrows():
        end = row["period_end"]
        before = end.replace(year=end.year - 1)
        common = dict(series="stock-growth", label="growth of the stock on a year earlier", unit=v.PERCENT)
        if before in by_date.index:
            prev = by_date.loc[before]
            value, low, high = ratio(row, prev)
            out.append(
                _derived(
                    row,
                    prev,
                    **common,
                    value=value - 100,
                    low=low - 100,
                    high=high - 100,
                    note=f"stock at {end} / stock at {before}, less 100%",
                )
            )
    return out


def part_of_whole(series: pd.DataFrame) -> list[dict]:
    """The ratios of :data:`RATIOS`, at every date both part and whole exist."""
    out = []
    for part_id, whole_id, new_id, label in RATIOS:
        whole = series[series["series"].eq(whole_id)].set_index("period_end")
        for _, row in series[series["series"].eq(part_id)].iterrows():
            if row["period_end"] not in whole.index:
                continue
            total = whole.loc[row["period_end"]]
            value, low, high = ratio(row, total)
            out.append(
                _derived(
                    row,
                    total,
                    series=new_id,
                    label=label,
                    population=total["population"],
                    unit=v.PERCENT,
                    value=value,
                    low=low,
                    high=high,
                    note=f"{row['label']} / {total['label']}, same date",
                )
            )
    return out


def industry_shares(series: pd.DataFrame) -> list[dict]:
    """Job categories over all job categories of the same measure and date; else over the stock."""
    counts = series[series["series"].str.startswith("industry:")]
    stock = series[series["series"].eq(STOCK)]
    out = []
    for _, row in counts.iterrows():
        _, measure, category = row["series"].split(":", 2)
        if category == "all job categories":
            continue
        total = counts[
            counts["series"].eq(f"industry:{measure}:all job categories") & counts["period_end"].eq(row["period_end"])
        ]
        if len(total) == 1:
            value, low, high = ratio(row, total.iloc[0])
            out.append(
                _derived(
                    row,
                    total.iloc[0],
                    series=f"industry-share:{measure}:{category}",
                    unit=v.PERCENT,
                    value=value,
                    low=low,
                    high=high,
                    label=f"share in {category} ({measure})",
                    note=f"{category} / all job categories, same measure and date",
                )
            )
            continue
        gaps = stock["period_end"].map(lambda d, end=row["period_end"]: fmt.days_apart(d, end))
        if len(stock) and gaps.min() <= NEAREST_STOCK_DAYS:
            nearest = stock.loc[gaps.idxmin()]
            value, low, high = ratio(row, nearest)
            population = row["population"] if row["population"] == nearest["population"] else v.UNSTATED
            out.append(
                _derived(
                    row,
                    nearest,
                    series=f"industry-share-of-stock:{measure}:{category}",
                    unit=v.PERCENT,
                    value=value,
                    low=low,
                    high=high,
                    population=population,
                    label=f"{category} ({measure}) over the total stock",
                    note=f"{fmt.value(row['value'], v.COUNT)} {row['series'].split(':')[1]} {fmt.at(row['period_start'], row['period_end'])} "
                    f"({row['publisher']}; {row['note']}), over the total stock of "
                    f"{fmt.value(nearest['value'], v.COUNT)} {fmt.at(nearest['period_end'])}; the bases differ, as no "
                    "total of the same measure exists",
                )
            )
    return out


def event_figures(series: pd.DataFrame) -> list[dict]:
    """Durations an official event states ("training can extend to five years"), from its date."""
    out = []
    for _, row in series[series["series"].eq(EVENT)].iterrows():
        for phrase in _STATED_YEARS.findall(row["label"]):
            try:
                q = parse_quantity(phrase)
            except ValueError:
                continue
            out.append(
                _derived(
                    row,
                    series=f"event-figure:{q.unit}",
                    unit=q.unit,
                    value=q.value,
                    low=q.low,
                    high=q.high,
                    kind="event",
                    note=f"'{phrase}', as the event states it",
                )
            )
    return out


def publications(series: pd.DataFrame) -> list[dict]:
    """When a body published figures, where its name dates the publication: one row per publisher."""
    out = []
    for publisher, rows in series.groupby("publisher", sort=True):
        m = _PUBLISHED.search(publisher)
        if not m:
            continue
        when = parse_period(m["when"])
        first = rows.iloc[0]
        measures = "; ".join(dict.fromkeys(rows["label"]))
        out.append(
            _derived(
                first,
                *[r for _, r in rows.iloc[1:].iterrows()],
                series="publication",
                label=publisher,
                population=v.OTHER_POPULATION,
                kind="publication",
                period_start=when.start,
                period_end=when.end,
                period_precision=when.precision,
                unit=v.DATE,
                value=None,
                low=None,
                high=None,
                published_as=when.precision,
                note=f"publication of: {measures}",
            )
        )
    return out


def official_and_quotes(folder=paths.RAW_OFFICIAL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every official figure (published, reported where the primary table has nothing, and derived) as
    one long table; and every quoted figure held to the primary table."""
    reported = read_reported(folder)
    published = read_primary(folder)
    kept, quoted = hold_quotes(reported, published)
    series = pd.concat([published, kept], ignore_index=True) if len(published) else kept.reset_index(drop=True)
    derived = (
        nationality_shares(series)
        + nationality_shares(series, "skilled-workers", "skilled-workers", "Specified Skilled Workers")
        + growth(series)
        + part_of_whole(series)
        + industry_shares(series)
        + event_figures(series)
        + publications(series)
    )
    whole = (
        pd.concat([series, pd.DataFrame(derived, columns=SERIES_COLUMNS)], ignore_index=True)
        .assign(source_row=lambda f: f["source_row"].astype("Int64"))
        .sort_values(["series", "period_end", "basis", "label"], kind="stable")
        .reset_index(drop=True)
    )
    return whole, quoted.sort_values(["series", "period_end"], kind="stable").reset_index(drop=True)


def read_official(folder=paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Every official figure, published, reported and derived, as one long table."""
    return official_and_quotes(folder)[0]
