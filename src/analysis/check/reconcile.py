"""Check every article figure against its official counterpart, by stated rules.

Which official series a claim is compared with is data, not code:
``data/raw/article/counterparts.csv`` names, per claim, a ``series`` (a glob over the ids of
``official_series``), optionally a ``match`` text the official row's label must contain, the
``relation`` (``same`` measure, or ``subset_of`` a broader category), a ``related`` series worth
reporting beside it, evidence from the article's earlier versions (``history``, and the date
they imply, ``history_date``), and the ``reason`` the counterpart was chosen. A new claim or a
new official row changes the result without code.

The rules
---------
1. **Agreement.** A claim and an official figure agree when their intervals overlap: the
   claim's (its precision and hedge) and the official figure's (its rounding). A date claim
   agrees with an official date when the periods overlap (a point such as "As of 2024" is
   widened to the year or month it names).
2. **Populations.** A claim and an official figure agree only when they count the same
   population (:data:`analysis.vocabulary.POPULATIONS`). A derived figure carries the population
   of its inputs. When the counterpart counts another population only, the claim is
   *unverifiable*, and the finding gives that population's values beside any of the claim's own.
3. **The stated period.** An official value is *at the stated period* when it is a point in
   time within the claim's period, or a period equal to it. An undated claim is read as
   describing the present: the latest official value of its series stands for the stated period
   (so an undated claim that fits only an older value is misdated).
4. **Statuses.**

   * ``consistent``: an official value at the stated period agrees.
   * ``misdated``: official values exist at the stated period and none agrees, but a value at
     another date does; the finding names that date.
   * ``inconsistent``: no official value of the same population agrees, at any date.
   * ``unverifiable``: no counterpart; no official value at the stated period (the finding says
     which other date, if any, would agree); or only another population (rule 2).

5. **Sets.** Claims of one topic and unit stated on one line with one date phrase ("In 2017, China ...
   46.2%, ... Vietnam at 29.9% and the Philippines at 9.2%") are one statement: they get one
   best date, chosen jointly, the date at which most members agree and, among those, the least
   total distance. A member is misdated only to that date; a member that agrees alone at a date
   the rest of its set does not is inconsistent, since the statement fits no single date.
6. **Parts.** A ``subset_of`` claim is inconsistent when it exceeds the broader category's share
   (same population) at every date compared: those at its period, or every date when it is
   undated. Otherwise it is unverifiable, since the part itself is not published.
7. **Evidence.** The article's history is quoted in the finding and never changes a status; where
   it implies another date, the finding says whether that date can be checked.
8. **Rankings.** A set of shares that ranks its members ("the largest source ..., followed by ...")
   is checked at the set's date against every nationality the official series names; the finding
   says whether the ranking holds.

Every rule is shown by a docstring example below and tested on small synthetic tables.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import fmt, paths
from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.sources.raw import read_raw_csv
from analysis.tables import TABLES

COLUMNS = TABLES["reconciliation"].columns


# ---------------------------------------------------------------------------------------------
# the mapping from claims to official series


def read_counterparts(path: Path, claims: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The mapping from claims to official series, checked against both sides."""
    table = read_raw_csv(path, name=paths.COUNTERPARTS.name)  # refuses a repeated claim_id
    units = dict(zip(claims["id"], claims["unit"]))
    for r in table.itertuples(index=False):
        if r.claim_id not in units:
            raise RawDataError(path, r.row, "claim_id", r.claim_id, "no article figure has this id")
        if r.relation not in v.RELATIONS:
            raise RawDataError(
                path, r.row, "relation", r.relation, f"unknown relation (expected one of {list(v.RELATIONS)})"
            )
        if not r.series.strip():
            raise RawDataError(path, r.row, "series", r.series, "a series is required")
        if r.history_date:
            try:
                date.fromisoformat(r.history_date)
            except ValueError:
                raise RawDataError(path, r.row, "history_date", r.history_date, "expected a date YYYY-MM-DD") from None
        rows = series_rows(official, r.series, r.match)
        wanted = units[r.claim_id]
        if len(rows) and not rows["unit"].eq(wanted).all():
            raise RawDataError(
                path,
                r.row,
                "series",
                r.series,
                f"series in {sorted(set(rows['unit']))}, but claim {r.claim_id} is in {wanted}",
            )
    return table


def series_rows(official: pd.DataFrame, pattern: str, match: str = "") -> pd.DataFrame:
    """The official rows of the series ``pattern`` (a glob) whose label contains ``match``."""
    names = fnmatch.filter(official["series"].unique().tolist(), pattern)
    chosen = official["series"].isin([n for n in names if fnmatch.fnmatchcase(n, pattern)])
    if match:
        chosen &= official["label"].str.contains(match, regex=False)
    return official[chosen]


# ---------------------------------------------------------------------------------------------
# periods and agreement


#: :func:`analysis.fmt.as_date` under the name :func:`check_same` knows it by (another change splits
#: that function; it takes the new name then).
_day = fmt.as_date


def window(claim: pd.Series) -> tuple[date | None, date | None]:
    """The claim's period; for a date claim a point is widened to the year or month it names.

    >>> claim = pd.Series({"period_start": date(2024, 12, 31), "period_end": date(2024, 12, 31),
    ...                    "unit": "date", "period_precision": "year"})
    >>> window(claim)
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    """
    start, end = fmt.as_date(claim["period_start"]), fmt.as_date(claim["period_end"])
    if claim["unit"] == v.DATE and start == end and start is not None:
        if claim["period_precision"] == "year":
            start = date(end.year, 1, 1)
        elif claim["period_precision"] == "month":
            start = date(end.year, end.month, 1)
    return start, end


def at_period(rows: pd.DataFrame, start: date | None, end: date | None, dates: bool) -> pd.Series:
    """Which rows are at the period: overlapping it (dates), or points within it or equal to it."""
    if start is None:
        return pd.Series(False, index=rows.index)
    r_start, r_end = rows["period_start"].map(fmt.as_date), rows["period_end"].map(fmt.as_date)
    if dates:
        return (r_start <= end) & (r_end >= start)
    point = r_start == r_end
    return (point & (r_end >= start) & (r_end <= end)) | ((r_start == start) & (r_end == end))


def agrees(rows: pd.DataFrame, claim: pd.Series) -> pd.Series:
    """Which rows agree with the claim: overlapping intervals (or, for dates, periods)."""
    if claim["unit"] == v.DATE:
        return at_period(rows, *window(claim), dates=True)
    return rows["low"].le(claim["high"]) & rows["high"].ge(claim["low"])


def gap(rows: pd.DataFrame, claim: pd.Series) -> pd.Series:
    """How far each row's interval lies from the claim's, relative to the claim (0 = they agree)."""
    distance = (rows["low"] - claim["high"]).clip(lower=0) + (claim["low"] - rows["high"]).clip(lower=0)
    return distance / max(abs(claim["value"]), 1e-9)


def when(row: pd.Series) -> str:
    """An official row's date as the reconciliation table holds it (ISO, or 'start to end')."""
    start, end = fmt.as_date(row["period_start"]), fmt.as_date(row["period_end"])
    return str(end) if start == end else f"{start} to {end}"


def describe(row: pd.Series, unit: str) -> str:
    """An official figure in words: its value (or label, for a date) and its date, flagged where
    only one page gives it (issue 19: a single-source figure says so where it is cited).

    >>> row = pd.Series({"value": 171.0, "period_start": date(2012, 1, 1), "period_end": date(2017, 12, 31),
    ...     "single_source": True})
    >>> describe(row, "count")
    '171 between 2012 and 2017 (a single source)'
    """
    flag = row.get("single_source")
    single = " (a single source)" if flag is not None and pd.notna(flag) and bool(flag) else ""
    if unit == v.DATE:
        return f"'{row['label']}', dated {fmt.period(row['period_start'], row['period_end'], row['period_precision'])}"
    return f"{fmt.value(row['value'], unit)} {fmt.at(row['period_start'], row['period_end'])}{single}"


def category(row: pd.Series) -> str:
    """What an official series measures, in short: the last part of its id ('food manufacturing')."""
    return row["series"].rsplit(":", 1)[-1] if ":" in row["series"] else row["label"]


def noun(population: str) -> str:
    """What a population counts, as a noun phrase."""
    return v.POPULATIONS[population].noun


def nearest_value(rows: pd.DataFrame, claim: pd.Series) -> pd.Series:
    """The row whose interval lies closest to the claim's."""
    return rows.loc[gap(rows, claim).idxmin()]


def nearest_time(rows: pd.DataFrame, end: date | None) -> pd.Series:
    """The row dated closest to ``end`` (the latest, when there is no date)."""
    if end is None:
        return rows.loc[rows["period_end"].map(fmt.as_date).idxmax()] if len(rows) else rows.iloc[-1]
    distance = rows["period_end"].map(lambda d: fmt.days_apart(d, end))
    return rows.loc[distance.idxmin()]


def _claim_text(claim: pd.Series) -> str:
    if claim["unit"] == v.DATE:
        return "the claim"
    return f"the claim ({fmt.interval(claim['low'], claim['high'], claim['unit'])})"


# ---------------------------------------------------------------------------------------------
# one claim


@dataclass
class Outcome:
    """A status, the figure it rests on and the finding in words."""

    status: str
    finding: str
    role: str | None = None
    reference: pd.Series | None = None
    official: pd.Series | None = None


def _present(rows: pd.DataFrame) -> tuple[date | None, date | None]:
    latest = rows.loc[rows["period_end"].map(fmt.as_date).idxmax()]
    return fmt.as_date(latest["period_start"]), fmt.as_date(latest["period_end"])


@dataclass
class Claimed:
    """What every outcome of :func:`check_same` reads: the claim, its own official rows, the period
    it is checked at, and the words that open and close its finding."""

    claim: pd.Series
    rows: pd.DataFrame
    start: date | None
    end: date | None
    #: "Undated, so read as describing the present: ..." ('' for a dated claim).
    present: str
    #: "It is stated with ... in one sentence, ..." ('' for a claim alone).
    together: str

    @property
    def unit(self) -> str:
        return self.claim["unit"]

    @property
    def text(self) -> str:
        return _claim_text(self.claim)

    def finding(self, words: str) -> str:
        return self.present + words + self.together


def claimed(claim: pd.Series, rows: pd.DataFrame, joint: date | None, set_ids: tuple[str, ...]) -> Claimed:
    """Rule 3 and 5: the period a claim is checked at (the present, for an undated claim) and the
    words about it and its set."""
    start, end = window(claim)
    present = ""
    if start is None:
        start, end = _present(rows)
        present = (
            f"Undated, so read as describing the present: the latest official figure "
            f"({fmt.period(start, end)}) stands for the stated period. "
        )
    together = ""
    if set_ids:
        together = (
            f" It is stated with {fmt.listing(list(set_ids))} in one sentence, so the set is compared at one "
            f"date chosen for all: {fmt.day(joint)}."
            if joint
            else f" It is stated with {fmt.listing(list(set_ids))} in one sentence, and no date has official values "
            "for all of them."
        )
    return Claimed(claim, rows, start, end, present, together)


def consistent(c: Claimed, at: pd.DataFrame) -> Outcome:
    """An official value at the stated period agrees (for a date, the record falls within it)."""
    match = at[agrees(at, c.claim)]
    if c.unit == v.DATE:
        best = match.iloc[0]
        words = (
            f"The official record dates it {fmt.iso_period(when(best))} ('{best['label']}'), within the period "
            "the article gives."
        )
    else:
        best = nearest_value(match, c.claim)
        words = f"The official value, {describe(best, c.unit)}, agrees with {c.text}."
        others = at.drop(best.name)
        if len(others):
            words += (
                " Other official values in the same period: "
                + "; ".join(describe(r, c.unit) for _, r in others.iterrows())
                + "."
            )
    return Outcome(v.CONSISTENT, c.present + words, v.AT_STATED_PERIOD, best, best)


def misdated_date(c: Claimed) -> Outcome:
    """A date claim whose official record falls outside the period the article gives."""
    best = c.rows.iloc[0]
    words = (
        f"The official record dates it {fmt.iso_period(when(best))} ('{best['label']}'), "
        "outside the period the article gives."
    )
    return Outcome(v.MISDATED, words, v.OTHER_PERIOD, best)


def misdated(c: Claimed, best: pd.Series, shown: pd.Series) -> Outcome:
    """Official values at the stated period disagree, but one at another date agrees."""
    words = (
        f"Not the official value at the stated period ({describe(shown, c.unit)}), but {c.text} "
        f"agrees with the value {describe(best, c.unit)}: the figure belongs to {fmt.iso_period(when(best))}."
    )
    return Outcome(v.MISDATED, c.finding(words), v.OTHER_PERIOD, best, shown)


def elsewhere_only(c: Claimed, best: pd.Series) -> Outcome:
    """No official value at the stated period; one at another date agrees."""
    words = (
        f"Cannot be checked at the stated period (no official value {fmt.at(c.start, c.end)}); {c.text} would "
        f"agree with the value {describe(best, c.unit)}."
    )
    return Outcome(v.UNVERIFIABLE, c.finding(words), v.OTHER_PERIOD, best)


def nowhere(c: Claimed, nearest: pd.Series, role: str, alone: bool) -> Outcome:
    """No official value at the stated period, and none elsewhere agrees (or one agrees alone, at a
    date the rest of its set does not fit)."""
    also = " (it agrees alone with another date, which the rest of its set does not)" if alone else ""
    if role == v.AT_SET_DATE:
        near = f"at the date chosen for its sentence it is {describe(nearest, c.unit)}"
    else:
        near = f"the nearest, over every date, is {describe(nearest, c.unit)}"
        closest = nearest_time(c.rows, c.end)
        if closest.name != nearest.name:
            near += f", and the nearest in time is {describe(closest, c.unit)}"
    words = (
        f"Cannot be checked at the stated period (no official value {fmt.at(c.start, c.end)}); it agrees with no "
        f"other date either{also}: {near}."
    )
    return Outcome(v.UNVERIFIABLE, c.finding(words), role, nearest)


def inconsistent(c: Claimed, shown: pd.Series, nearest: pd.Series, role: str, agreeing: pd.DataFrame) -> Outcome:
    """Official values at the stated period disagree, and no date fits the claim (or, in a set, only
    a date the rest of the set does not fit)."""
    if len(agreeing):
        words = (
            f"{fmt.sentence_start(c.text)} agrees alone with {describe(agreeing.iloc[0], c.unit)}, a date "
            f"the rest of its set does not fit, and not with the official value at the stated period "
            f"({describe(shown, c.unit)}): the statement fits no single date."
        )
    else:
        words = (
            f"No official value of this measure agrees with {c.text} at any date; at the stated period it "
            f"is {describe(shown, c.unit)}, and "
            + (
                f"at the date chosen for its sentence it is {describe(nearest, c.unit)}."
                if role == v.AT_SET_DATE
                else f"the nearest, over every date, is {describe(nearest, c.unit)}."
            )
        )
    return Outcome(v.INCONSISTENT, c.finding(words), role, nearest, shown)


def check_same(
    claim: pd.Series, rows: pd.DataFrame, joint: date | None = None, set_ids: tuple[str, ...] = ()
) -> Outcome:
    """Rules 3-5 for a claim and official rows of its own population and measure: which outcome
    applies (:func:`consistent`, :func:`misdated_date`, :func:`misdated`, :func:`elsewhere_only`,
    :func:`nowhere`, :func:`inconsistent`).

    >>> stock = pd.DataFrame({"period_start": [date(2018, 12, 31), date(2019, 12, 31)],
    ...     "period_end": [date(2018, 12, 31), date(2019, 12, 31)], "value": [328360.0, 410972.0],
    ...     "low": [328360.0, 410972.0], "high": [328360.0, 410972.0], "label": "x", "period_precision": "day"})
    >>> claim = pd.Series({"value": 328360.0, "low": 328360.0, "high": 328360.0, "unit": "count",
    ...     "period_start": date(2019, 12, 1), "period_end": date(2019, 12, 31), "period_precision": "month"})
    >>> out = check_same(claim, stock); out.status == v.MISDATED, when(out.reference)
    (True, '2018-12-31')
    """
    c = claimed(claim, rows, joint, set_ids)
    at = rows[at_period(rows, c.start, c.end, c.unit == v.DATE)]
    if len(at) and agrees(at, claim).any():
        return consistent(c, at)
    if c.unit == v.DATE:
        return misdated_date(c)

    agreeing = rows[agrees(rows, claim)]
    if set_ids and len(at):
        # a set is described at one date: the latest official date within the period it states
        last = at["period_end"].map(_day).max()
        shown = nearest_value(at[at["period_end"].map(_day).eq(last)], claim)
    else:
        shown = nearest_value(at, claim) if len(at) else None
    at_joint = rows[rows["period_end"].map(_day).eq(joint)] if joint is not None else None
    elsewhere = at_joint[agrees(at_joint, claim)] if at_joint is not None else agreeing
    if len(elsewhere):
        best = nearest_time(elsewhere, c.end)
        return misdated(c, best, shown) if shown is not None else elsewhere_only(c, best)

    if at_joint is not None and len(at_joint):
        nearest, role = nearest_value(at_joint, claim), v.AT_SET_DATE
    else:
        nearest, role = nearest_value(rows, claim), v.NEAREST
    if shown is None:
        return nowhere(c, nearest, role, bool(len(agreeing)))
    return inconsistent(c, shown, nearest, role, agreeing)


def check_part(claim: pd.Series, rows: pd.DataFrame) -> Outcome:
    """Rule 6: a part against the broader category's share, of the claim's own population.

    >>> whole = pd.DataFrame({"period_start": [date(2022, 12, 31)], "period_end": [date(2022, 12, 31)],
    ...     "value": [20.0], "low": [19.95], "high": [20.05], "label": ["food"], "population": ["residents"],
    ...     "series": ["industry-share:stock:food manufacturing"]})
    >>> claim = pd.Series({"value": 42.0, "low": 39.9, "high": 44.1, "unit": "percent",
    ...     "period_start": None, "period_end": None, "period_precision": None})
    >>> check_part(claim, whole).status == v.INCONSISTENT
    True
    """
    unit = claim["unit"]
    start, end = window(claim)
    at = rows[at_period(rows, start, end, False)]
    compared = at if len(at) else rows
    widest = compared.loc[compared["high"].idxmax()]
    listed = "; ".join(f"{describe(r, unit)}" for _, r in compared.sort_values("period_end").iterrows())
    if (claim["low"] > compared["high"]).all():
        finding = (
            f"A part cannot exceed its whole: {_claim_text(claim)} exceeds the official share of the broader "
            f"category ({category(widest)}) among {noun(widest['population'])} at every date compared: "
            f"{listed}."
        )
        return Outcome(v.INCONSISTENT, finding, v.WHOLE, widest)
    finding = f"Within the broader category's official share ({listed}); the part itself is not published."
    return Outcome(v.UNVERIFIABLE, finding, v.WHOLE, widest)


def values_near(rows: pd.DataFrame, claim: pd.Series, unit: str) -> str:
    """What an official series says near the claim's period: 'was A and B', 'has no value in 2019; ...'."""
    start, end = window(claim)
    at = rows[at_period(rows, start, end, unit == v.DATE)] if start is not None else rows.iloc[0:0]
    if len(at):
        return "was " + fmt.listing([describe(r, unit) for _, r in at.sort_values("period_end").iterrows()])
    nearest = nearest_time(rows, end)
    if start is None:
        return f"was {describe(nearest, unit)}, its latest value"
    return f"has no value {fmt.at(start, end)}; the nearest in time is {describe(nearest, unit)}"


def fit_clause(rows: pd.DataFrame, claim: pd.Series) -> str:
    """Whether the claim would fit any of these values ('would fit ...', 'does not fit ...')."""
    start, end = window(claim)
    at = rows[at_period(rows, start, end, False)] if start is not None else rows
    pool = at if len(at) else rows.loc[[nearest_time(rows, end).name]]
    fitting = pool[agrees(pool, claim)]
    if len(fitting):
        return f"{_claim_text(claim)} would fit {describe(fitting.iloc[0], claim['unit'])}"
    return f"{_claim_text(claim)} does not fit {'it' if len(pool) == 1 else 'them'} either"


def cross_population(claim: pd.Series, others: pd.DataFrame) -> Outcome:
    """Rule 2: the counterpart counts another population only, so the claim cannot be checked."""
    unit = claim["unit"]
    population = others["population"].iloc[0]
    label = others["label"].iloc[0]
    finding = (
        f"Cannot be checked: the claim counts {noun(claim['population'])}, but the official series counts "
        f"{noun(population)}, and figures of different populations are never held to agree. Among "
        f"{noun(population)}, {label} {values_near(others, claim, unit)}; {fit_clause(others, claim)}."
    )
    start, end = window(claim)
    pool = others[at_period(others, start, end, False)] if start is not None else others
    reference = nearest_value(pool if len(pool) else others, claim)
    return Outcome(v.UNVERIFIABLE, finding, v.ANOTHER_POPULATION, reference)


def related_note(claim: pd.Series, rows: pd.DataFrame) -> str:
    """A related series in words: its values near the claim's period, and whether the claim fits them."""
    if rows.empty or claim["unit"] == v.DATE:
        return ""
    unit = claim["unit"]
    population = rows["population"].iloc[0]
    label = rows["label"].iloc[0]
    text = f"{label} {values_near(rows, claim, unit)}"
    if population == claim["population"]:
        text = f" Among {noun(population)}, the claim's own population, {text}; {fit_clause(rows, claim)}."
    else:
        text = (
            f" Among {noun(population)}, another population, {text}; {fit_clause(rows, claim)}, but figures "
            "of different populations are never held to agree."
        )
    derived = rows[rows["basis"].eq(v.DERIVED)]
    if len(derived) and derived["note"].notna().any():
        text += f" How it is computed: {derived['note'].dropna().iloc[0]}."
    return text


def other_population_note(claim: pd.Series, rows: pd.DataFrame) -> str:
    """Rows of the counterpart series that count another population: named, never compared."""
    if rows.empty:
        return ""
    parts = [
        f"{describe(r, claim['unit'])} is a share of {noun(r['population'])}, not of {noun(claim['population'])}"
        for _, r in rows.sort_values("period_end").iterrows()
    ]
    return " Not compared, as it counts another population: " + "; ".join(parts) + "."


def history_note(mapping: dict, rows: pd.DataFrame, claim: pd.Series) -> str:
    """Rule 7: the article's history, quoted, and whether the date it implies can be checked."""
    text = ""
    if mapping.get("history"):
        text += f" Article history (article_history.md): {mapping['history']}."
    if mapping.get("history_date"):
        then = date.fromisoformat(mapping["history_date"])
        there = rows[rows["period_end"].map(fmt.as_date).eq(then)]
        if there.empty:
            text += (
                f" The reference set has no value of this series at {fmt.day(then)}, the date the earlier "
                "versions imply, so that date cannot be checked."
            )
        else:
            fits = agrees(there, claim).any()
            text += (
                f" At {fmt.day(then)}, the date the earlier versions imply, the official value is "
                f"{describe(there.iloc[0], claim['unit'])}, which the claim {'fits' if fits else 'does not fit'}."
            )
    return text


def reconcile_claim(
    claim: pd.Series,
    mapping: dict | None,
    official: pd.DataFrame,
    joint: date | None = None,
    set_ids: tuple[str, ...] = (),
) -> dict:
    """The status of one claim against the official rows its mapping names, as a reconciliation row."""
    if not mapping:
        return _row(
            claim, {}, Outcome(v.UNVERIFIABLE, "No official figure of this measure in data/raw/official/."), set_ids
        )
    rows = series_rows(official, mapping["series"], mapping.get("match") or "")
    if rows.empty:
        return _row(
            claim,
            mapping,
            Outcome(v.UNVERIFIABLE, f"No official figure of this measure ({mapping['series']}) in data/raw/official/."),
            set_ids,
        )
    own = rows[rows["population"].eq(claim["population"])]
    others = rows[~rows["population"].eq(claim["population"])]
    if own.empty:
        outcome = cross_population(claim, others)
    elif mapping["relation"] == v.SUBSET_OF:
        outcome = check_part(claim, own)
        outcome.finding += other_population_note(claim, others)
    else:
        outcome = check_same(claim, own, joint, set_ids)
    if mapping.get("reason"):
        outcome.finding += f" Counterpart: {mapping['reason']}."
    if mapping.get("related"):
        outcome.finding += related_note(claim, series_rows(official, mapping["related"]))
    outcome.finding += history_note(mapping, rows, claim)
    return _row(claim, mapping, outcome, set_ids)


def _row(claim: pd.Series, mapping: dict, outcome: Outcome, set_ids: tuple[str, ...]) -> dict:
    ref, at = outcome.reference, outcome.official
    return {
        "claim_id": claim["id"],
        "basis": claim["basis"],
        "topic": claim["topic"],
        "measure": claim["measure"],
        "population": claim["population"],
        "unit": claim["unit"],
        "claim_value": claim["value"],
        "claim_low": claim["low"],
        "claim_high": claim["high"],
        "claim_period_start": claim["period_start"],
        "claim_period_end": claim["period_end"],
        "stated_with": " ".join(set_ids) or None,
        "series": mapping.get("series"),
        "relation": mapping.get("relation"),
        "status": outcome.status,
        "official_value": None if at is None else at["value"],
        "official_period": None if at is None else when(at),
        "reference_role": outcome.role if ref is not None else None,
        "reference_value": None if ref is None else ref["value"],
        "reference_low": None if ref is None else ref["low"],
        "reference_high": None if ref is None else ref["high"],
        "reference_period": None if ref is None else when(ref),
        "reference_population": None if ref is None else ref["population"],
        "reference_label": None if ref is None else ref["label"],
        "reference_publisher": None if ref is None else ref["publisher"],
        "reference_sources": None if ref is None else ref["sources"],
        "finding": outcome.finding,
    }


# ---------------------------------------------------------------------------------------------
# sets and the whole table


def statement_sets(claims: pd.DataFrame, mappings: dict) -> list[tuple[str, ...]]:
    """Rule 5: groups of stated figures of one topic, line, date phrase and unit, each compared as one.

    >>> claims = pd.DataFrame({"id": ["a", "b", "c"], "basis": "stated", "topic": "nationality",
    ...     "line": [14, 14, 16], "date_text": "In 2017", "unit": "percent"})
    >>> statement_sets(claims, {i: {"relation": "same"} for i in "abc"})
    [('a', 'b')]
    """
    stated = claims[
        claims["basis"].eq(v.STATED)
        & claims["unit"].ne(v.DATE)
        & claims["id"].map(lambda i: (mappings.get(i) or {}).get("relation") == v.SAME)
    ]
    groups = stated.groupby(["topic", "line", "date_text", "unit"], sort=True, dropna=False)["id"].apply(tuple)
    return [ids for ids in groups if len(ids) > 1]


def joint_date(claims: list[pd.Series], mappings: dict, official: pd.DataFrame) -> date | None:
    """Rule 5: the one date for a set: the least total distance of its members from the official values.

    Only dates at which every member has an official value of its own population count.
    """
    per_member = []
    for claim in claims:
        m = mappings[claim["id"]]
        rows = series_rows(official, m["series"], m.get("match") or "")
        rows = rows[rows["population"].eq(claim["population"])]
        # the least gap of the member's rows at each date
        nearest = gap(rows, claim).groupby(rows["period_end"].map(fmt.as_date).to_numpy(), sort=False).min()
        per_member.append(nearest.to_dict())
    common = set.intersection(*(set(days) for days in per_member)) if per_member else set()
    best, best_score = None, None
    for day in sorted(common):
        distance = sum(float(days[day]) for days in per_member)
        if best_score is None or distance < best_score:
            best, best_score = day, distance
    return best


#: Ordinal words for ranks.
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def ranking_note(claims: list[pd.Series], mappings: dict, official: pd.DataFrame, day: date | None) -> str:
    """Rule 8: a set of shares ranks its members ("China was the largest source ..., followed by
    Vietnam ... and the Philippines"); the ranking is a claim too, checked at the set's date among
    every nationality the official series names (the remainder is not a nationality).

    >>> rows = pd.DataFrame({"series": ["s:A", "s:B", "s:C", "s:Other"], "population": "p",
    ...     "value": [40.0, 50.0, 5.0, 5.0], "period_end": [date(2015, 12, 31)] * 4})
    >>> claims = [pd.Series({"id": i, "value": x, "population": "p"}) for i, x in (("a", 46.0), ("b", 30.0))]
    >>> ranking_note(claims, {"a": {"series": "s:A"}, "b": {"series": "s:B"}}, rows, date(2015, 12, 31))
    ' The sentence ranks A first and B second; at the end of 2015 the official shares rank B first and A second, among every nationality named: the ranking does not hold.'
    """
    series = [mappings[c["id"]]["series"] for c in claims]
    prefixes = {s.rsplit(":", 1)[0] for s in series}
    if day is None or len(claims) < 2 or len(prefixes) != 1 or any("*" in s for s in series):
        return ""
    prefix = prefixes.pop()
    scope = official[
        official["series"].str.startswith(prefix + ":")
        & ~official["series"].eq(f"{prefix}:{v.OTHER_NATIONALITY}")
        & official["population"].eq(claims[0]["population"])
        & official["period_end"].map(fmt.as_date).eq(day)
    ].sort_values("value", ascending=False, kind="stable")
    if not set(series) <= set(scope["series"]):
        return ""
    stated = [s for _, s in sorted(zip([-c["value"] for c in claims], series))]
    ranked = list(scope["series"])
    name = {s: fmt.country(s.rsplit(":", 1)[1]) for s in ranked}
    said = fmt.listing([f"{name[s]} {ORDINALS[i]}" for i, s in enumerate(stated)])
    found = fmt.listing([f"{name[s]} {ORDINALS[i]}" for i, s in enumerate(ranked[: len(stated)])])
    holds = ranked[: len(stated)] == stated
    return (
        f" The sentence ranks {said}; at {fmt.day(day)} the official shares rank {found}, among every nationality "
        f"named: the ranking {'holds' if holds else 'does not hold'}."
    )


def reconcile(claims: pd.DataFrame, counterparts: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """One row per article figure (stated and derived), with its status and the finding in words."""
    mappings = {r["claim_id"]: r for r in counterparts.drop(columns="row").to_dict("records")}
    by_id = claims.set_index("id", drop=False)
    joint: dict[str, tuple[date | None, tuple[str, ...]]] = {}
    ranks: dict[str, str] = {}
    for ids in statement_sets(claims, mappings):
        day = joint_date([by_id.loc[i] for i in ids], mappings, official)
        note = ranking_note([by_id.loc[i] for i in ids], mappings, official, day)
        for i in ids:
            joint[i] = (day, tuple(x for x in ids if x != i))
            ranks[i] = note
    rows = [
        reconcile_claim(claim, mappings.get(claim["id"]), official, *joint.get(claim["id"], (None, ())))
        for _, claim in claims.iterrows()
    ]
    for row in rows:
        row["finding"] += ranks.get(row["claim_id"], "")
    return pd.DataFrame(rows, columns=COLUMNS)
