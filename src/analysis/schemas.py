"""Schemas of the processed tables, checked on every build.

Each field carries a title, a unit and a one-line description in ``metadata``, so that the
published data description can be generated from these same definitions.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from analysis.article import TOPICS
from analysis.period import PRECISIONS
from analysis.quantity import QUALIFIERS

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _f(description: str, unit: str | None = None, **kwargs) -> object:
    return pa.Field(description=description, metadata={"unit": unit} if unit else None, **kwargs)


def _ordered(df: pd.DataFrame, low: str, value: str, high: str) -> pd.Series:
    known = df[value].notna()
    return ~known | (df[low].le(df[value]) & df[value].le(df[high]))


class ArticleFigures(pa.DataFrameModel):
    """Every figure and date in the article, parsed, with the figures it implies."""

    id: Series[str] = _f("stable identifier of the figure", unique=True, str_matches=ID_PATTERN)
    basis: Series[str] = _f("stated in the article, or derived from stated figures", isin=["stated", "derived"])
    topic: Series[str] = _f("what the figure is about", isin=[t for t, (k, _) in TOPICS.items() if k != "stage"])
    category: Series[str] = _f("nationality, industry or kind of event within the topic", nullable=True)
    measure: Series[str] = _f("what the figure counts")
    value: Series[float] = _f("the figure as stated (or as computed, for a derived figure)", "unit column",
                              nullable=True, ge=0)
    low: Series[float] = _f("lowest value the stated figure allows (precision and hedge)", "unit column",
                            nullable=True, ge=0)
    high: Series[float] = _f("highest value the stated figure allows (precision and hedge)", "unit column",
                             nullable=True, ge=0)
    unit: Series[str] = _f("unit of value, low and high; 'date' for a date-only row",
                           isin=["count", "percent", "years", "date"])
    qualifier: Series[str] = _f("hedge read from the words (none, approximate, near_upper, upper, ...)",
                                nullable=True, isin=list(QUALIFIERS))
    period_start: Series[pd.Timestamp] = _f("first day of the period the figure is dated to", "date", nullable=True)
    period_end: Series[pd.Timestamp] = _f("last day of that period (equal to the start for a point in time)",
                                          "date", nullable=True)
    period_precision: Series[str] = _f("how finely the article dates the figure", nullable=True,
                                       isin=list(PRECISIONS))
    credited_to: Series[str] = _f("body the article credits for the figure", nullable=True)
    section: Series[str] = _f("article section the figure stands in", nullable=True)
    line: Series[pd.Int64Dtype] = _f("line of the seed article the figure stands on", nullable=True, ge=1)
    number_text: Series[str] = _f("the phrase stating the number, as written", nullable=True)
    date_text: Series[str] = _f("the phrase dating the figure, as written", nullable=True)
    derivation: Series[str] = _f("how a derived figure was computed", nullable=True)
    note: Series[str] = _f("what the transcriber noticed", nullable=True)

    @pa.dataframe_check(description="low <= value <= high")
    def interval_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _ordered(df, "low", "value", "high")

    @pa.dataframe_check(description="shares lie within 0-100")
    def shares_in_range(cls, df: pd.DataFrame) -> pd.Series:
        return df["unit"].ne("percent") | (df["low"].ge(0) & df["high"].le(100))

    @pa.dataframe_check(description="a figure has a value unless it is a date-only row")
    def value_iff_quantity(cls, df: pd.DataFrame) -> pd.Series:
        return df["value"].notna() == df["unit"].ne("date")

    @pa.dataframe_check(description="counts and durations are positive")
    def counts_positive(cls, df: pd.DataFrame) -> pd.Series:
        return ~df["unit"].isin(["count", "years"]) | df["value"].gt(0)

    @pa.dataframe_check(description="periods end on or after they start")
    def period_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["period_start"].isna() | df["period_start"].le(df["period_end"])

    @pa.dataframe_check(description="derived figures say how they were computed")
    def derived_explained(cls, df: pd.DataFrame) -> pd.Series:
        return df["basis"].ne("derived") | df["derivation"].notna()

    class Config:
        strict = True
        ordered = True
        coerce = True
        unique = ["id"]


class InternCounts(pa.DataFrameModel):
    """Technical interns in Japan by date, as the article states them or implies them."""

    id: Series[str] = _f("figure id in article_figures", unique=True, str_matches=ID_PATTERN)
    basis: Series[str] = _f("stated or derived", isin=["stated", "derived"])
    period_start: Series[pd.Timestamp] = _f("first day of the period the count is dated to", "date")
    period_end: Series[pd.Timestamp] = _f("last day of that period", "date")
    period_precision: Series[str] = _f("how finely the count is dated", isin=list(PRECISIONS))
    value: Series[float] = _f("number of technical interns", "persons", gt=0)
    low: Series[float] = _f("lowest number the figure allows", "persons", gt=0)
    high: Series[float] = _f("highest number the figure allows", "persons", gt=0)
    qualifier: Series[str] = _f("hedge read from the words", isin=list(QUALIFIERS))
    measure: Series[str] = _f("what the count counts")
    credited_to: Series[str] = _f("body the article credits", nullable=True)
    derivation: Series[str] = _f("how a derived count was computed", nullable=True)

    @pa.dataframe_check(description="low <= value <= high")
    def interval_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _ordered(df, "low", "value", "high")

    class Config:
        strict = True
        ordered = True
        coerce = True


def _share_fields(kind: str) -> dict:
    """The fields of a share table, in file order; ``kind`` is 'nationality' or 'industry'."""
    return {
        "id": _f("figure id in article_figures ('share-other-...' for a remainder)", unique=True,
                 str_matches=ID_PATTERN),
        "basis": _f("stated in the article, or the remainder the stated shares leave", isin=["stated", "remainder"]),
        "period_start": _f("first day of the period the share is dated to", "date", nullable=True),
        "period_end": _f("last day of that period", "date", nullable=True),
        kind: _f("nationality of the interns ('Other' for the remainder)" if kind == "nationality"
                 else "industry the interns work in"),
        "share": _f("share of all technical interns", "percent", ge=0, le=100),
        "share_low": _f("lowest share the figure allows", "percent", ge=0, le=100),
        "share_high": _f("highest share the figure allows", "percent", ge=0, le=100),
        "qualifier": _f("hedge read from the words", isin=list(QUALIFIERS)),
    }


def _count_fields() -> dict:
    return {
        "count": _f("interns the share implies, where a total of the same date exists", "persons", nullable=True,
                    ge=0),
        "count_low": _f("lowest count the share implies", "persons", nullable=True, ge=0),
        "count_high": _f("highest count the share implies", "persons", nullable=True, ge=0),
        "count_note": _f("how the count was derived, or why it was not"),
    }


def _share_interval(cls, df: pd.DataFrame) -> pd.Series:
    return _ordered(df, "share_low", "share", "share_high")


_NATIONALITY = {**_share_fields("nationality"), **_count_fields()}


class NationalityShares(pa.DataFrameModel):
    """Share of technical interns by nationality, with the remainder as 'Other'."""

    id: Series[str] = _NATIONALITY["id"]
    basis: Series[str] = _NATIONALITY["basis"]
    period_start: Series[pd.Timestamp] = _NATIONALITY["period_start"]
    period_end: Series[pd.Timestamp] = _NATIONALITY["period_end"]
    nationality: Series[str] = _NATIONALITY["nationality"]
    share: Series[float] = _NATIONALITY["share"]
    share_low: Series[float] = _NATIONALITY["share_low"]
    share_high: Series[float] = _NATIONALITY["share_high"]
    qualifier: Series[str] = _NATIONALITY["qualifier"]
    count: Series[float] = _NATIONALITY["count"]
    count_low: Series[float] = _NATIONALITY["count_low"]
    count_high: Series[float] = _NATIONALITY["count_high"]
    count_note: Series[str] = _NATIONALITY["count_note"]

    interval_ordered = pa.dataframe_check(description="share_low <= share <= share_high")(_share_interval)

    @pa.dataframe_check(description="shares of one period sum to 100 at most (100 with the remainder)")
    def shares_sum(cls, df: pd.DataFrame) -> pd.Series:
        sums = df.groupby(df["period_end"].astype(str))["share"].transform("sum")
        return sums.le(100 + 1e-9)

    class Config:
        strict = True
        ordered = True
        coerce = True


_INDUSTRY = {**_share_fields("industry"), **_count_fields()}


class IndustryShares(pa.DataFrameModel):
    """Share of technical interns by industry."""

    id: Series[str] = _INDUSTRY["id"]
    basis: Series[str] = _INDUSTRY["basis"]
    period_start: Series[pd.Timestamp] = _INDUSTRY["period_start"]
    period_end: Series[pd.Timestamp] = _INDUSTRY["period_end"]
    industry: Series[str] = _INDUSTRY["industry"]
    share: Series[float] = _INDUSTRY["share"]
    share_low: Series[float] = _INDUSTRY["share_low"]
    share_high: Series[float] = _INDUSTRY["share_high"]
    qualifier: Series[str] = _INDUSTRY["qualifier"]
    measure: Series[str] = _f("what the share is a share of")
    credited_to: Series[str] = _f("body the article credits", nullable=True)
    note: Series[str] = _f("what the transcriber noticed", nullable=True)
    count: Series[float] = _INDUSTRY["count"]
    count_low: Series[float] = _INDUSTRY["count_low"]
    count_high: Series[float] = _INDUSTRY["count_high"]
    count_note: Series[str] = _INDUSTRY["count_note"]

    interval_ordered = pa.dataframe_check(description="share_low <= share <= share_high")(_share_interval)

    class Config:
        strict = True
        ordered = True
        coerce = True


class Stages(pa.DataFrameModel):
    """The programme's stages and the years of the programme each covers."""

    id: Series[str] = _f("figure id in the raw transcription", unique=True, str_matches=ID_PATTERN)
    stage: Series[int] = _f("stage number, in order", ge=1)
    level: Series[str] = _f("the level's name as the article gives it")
    first_year: Series[int] = _f("first year of the programme in this stage", "year of programme", ge=1)
    last_year: Series[int] = _f("last year of the programme in this stage", "year of programme", ge=1)
    years: Series[int] = _f("length of the stage", "years", ge=1)
    number_text: Series[str] = _f("the phrase stating the years, as written")

    @pa.dataframe_check(description="stages follow each other without gaps, from year 1")
    def contiguous(cls, df: pd.DataFrame) -> pd.Series:
        expected_first = df["last_year"].shift(1, fill_value=0) + 1
        return df["first_year"].eq(expected_first)

    class Config:
        strict = True
        ordered = True
        coerce = True


#: The processed tables of the article: file name -> schema.
ARTICLE_TABLES: dict[str, type[pa.DataFrameModel]] = {
    "article_figures.csv": ArticleFigures,
    "intern_counts.csv": InternCounts,
    "nationality_shares.csv": NationalityShares,
    "industry_shares.csv": IndustryShares,
    "stages.csv": Stages,
}


class OfficialSeries(pa.DataFrameModel):
    """Official statistics, one row per figure, reported or derived, with their sources."""

    series: Series[str] = _f("series id: what is measured (e.g. 'stock', 'stock-share:China', 'event')")
    label: Series[str] = _f("what the figure counts, in the source's words")
    population: Series[str] = _f("who is counted: 'residents' (ISA/MoJ stock) and 'workers' (MHLW survey) differ",
                                 isin=["residents", "workers", "plans", "events", "as the measure says"])
    kind: Series[str] = _f("year_end or mid_year for the total stock; otherwise the kind of figure",
                           isin=["year_end", "mid_year", "stock", "survey", "other", "period", "event"])
    period_start: Series[pd.Timestamp] = _f("first day of the period (equal to the end for a point in time)", "date")
    period_end: Series[pd.Timestamp] = _f("last day of the period", "date")
    period_precision: Series[str] = _f("how finely the source dates the figure", isin=["day", "month", "year"])
    value: Series[float] = _f("the figure", "unit column", nullable=True)
    low: Series[float] = _f("lowest value its rounding allows", "unit column", nullable=True)
    high: Series[float] = _f("highest value its rounding allows", "unit column", nullable=True)
    unit: Series[str] = _f("count (persons, cases, organizations), percent, or date for an event",
                           isin=["count", "percent", "date"])
    published_as: Series[str] = _f("exact, rounded (and to what), or computed")
    basis: Series[str] = _f("reported by the source, or derived by this project from reported figures",
                            isin=["reported", "derived"])
    publisher: Series[str] = _f("body that produced the statistic")
    single_source: Series[bool] = _f("seen on one source page only: weaker evidence")
    sources: Series[str] = _f("public pages where the figure was seen, separated by spaces")
    note: Series[str] = _f("the reference set's note, or how a derived figure was computed", nullable=True)
    source_file: Series[str] = _f("file in data/raw/official/ the figure comes from")
    source_row: Series[pd.Int64Dtype] = _f("row of that file (data rows from 1); empty when computed from several",
                                           nullable=True, ge=1)

    @pa.dataframe_check(description="low <= value <= high")
    def interval_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _ordered(df, "low", "value", "high")

    @pa.dataframe_check(description="counts are positive")
    def counts_positive(cls, df: pd.DataFrame) -> pd.Series:
        return df["unit"].ne("count") | df["value"].gt(0)

    @pa.dataframe_check(description="shares of a whole lie within 0-100")
    def shares_in_range(cls, df: pd.DataFrame) -> pd.Series:
        share = df["unit"].eq("percent") & df["series"].ne("stock-growth")
        return ~share | (df["low"].ge(0) & df["high"].le(100))

    @pa.dataframe_check(description="a figure has a value unless it is an event")
    def value_iff_quantity(cls, df: pd.DataFrame) -> pd.Series:
        return df["value"].notna() == df["unit"].ne("date")

    @pa.dataframe_check(description="periods end on or after they start")
    def period_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["period_start"].le(df["period_end"])

    @pa.dataframe_check(description="one figure per series, label, period and basis")
    def unique_figures(cls, df: pd.DataFrame) -> pd.Series:
        return ~df.duplicated(["series", "label", "period_start", "period_end", "basis"], keep=False)

    class Config:
        strict = True
        ordered = True
        coerce = True


class Reconciliation(pa.DataFrameModel):
    """Every article figure checked against its official counterpart."""

    claim_id: Series[str] = _f("figure id in article_figures", unique=True, str_matches=ID_PATTERN)
    basis: Series[str] = _f("stated in the article or derived from it", isin=["stated", "derived"])
    topic: Series[str] = _f("topic of the figure")
    measure: Series[str] = _f("what the figure counts")
    unit: Series[str] = _f("unit of the claim", isin=["count", "percent", "years", "date"])
    claim_value: Series[float] = _f("the figure as the article states it", "unit column", nullable=True)
    claim_low: Series[float] = _f("lowest value the article's wording allows", "unit column", nullable=True)
    claim_high: Series[float] = _f("highest value the article's wording allows", "unit column", nullable=True)
    claim_period_start: Series[pd.Timestamp] = _f("start of the period the article gives", "date", nullable=True)
    claim_period_end: Series[pd.Timestamp] = _f("end of the period the article gives", "date", nullable=True)
    series: Series[str] = _f("official series compared with (a pattern over official_series.series)", nullable=True)
    relation: Series[str] = _f("same measure, or a part of a broader official category", nullable=True,
                               isin=["same", "subset_of"])
    official_value: Series[float] = _f("official value at the stated period (the one nearest the claim)",
                                       "unit column", nullable=True)
    official_period: Series[str] = _f("date or period of that official value", nullable=True)
    status: Series[str] = _f("consistent, misdated, inconsistent or unverifiable (rules in analysis.reconcile)",
                             isin=["consistent", "misdated", "inconsistent", "unverifiable"])
    best_period: Series[str] = _f("period of the best-matching official value (nearest, where none matches)",
                                  nullable=True)
    best_value: Series[float] = _f("best-matching official value", "unit column", nullable=True)
    best_low: Series[float] = _f("its low end (rounding)", "unit column", nullable=True)
    best_high: Series[float] = _f("its high end (rounding)", "unit column", nullable=True)
    best_publisher: Series[str] = _f("body that produced that official value", nullable=True)
    best_source: Series[str] = _f("file in data/raw/official/ and whether reported or derived", nullable=True)
    note: Series[str] = _f("the finding in plain words")

    @pa.dataframe_check(description="a checked claim names its series")
    def checked_has_series(cls, df: pd.DataFrame) -> pd.Series:
        return df["status"].eq("unverifiable") | df["series"].notna()

    @pa.dataframe_check(description="consistent and misdated claims name the official value they agree with")
    def agreeing_has_best(cls, df: pd.DataFrame) -> pd.Series:
        agreeing = df["status"].isin(["consistent", "misdated"])
        return ~agreeing | df["best_period"].notna()

    class Config:
        strict = True
        ordered = True
        coerce = True


#: Official views: file name -> patterns (globs) of the series ids it holds; all share one schema.
OFFICIAL_VIEWS: dict[str, tuple[str, ...]] = {
    "official_series.csv": ("*",),
    "official_stock.csv": ("stock",),
    "official_stock_by_nationality.csv": ("stock-nationality:*", "stock-share:*"),
    "official_vietnamese.csv": ("workers:*", "residents:*"),
    "official_industry.csv": ("industry:*", "industry-share:*"),
    "official_other.csv": ("other:*",),
    "official_events.csv": ("event",),
}

TABLES: dict[str, type[pa.DataFrameModel]] = {
    **ARTICLE_TABLES,
    **dict.fromkeys(OFFICIAL_VIEWS, OfficialSeries),
    "reconciliation.csv": Reconciliation,
}
