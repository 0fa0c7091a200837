"""Check every article figure against its official counterpart.

Which official series a claim is compared with is data, not code:
``data/raw/article/counterparts.csv`` names, per claim, a series (a glob over the ``series``
ids of ``official_series``), optionally a ``match`` text the official row's label must contain,
the ``relation`` (``same`` measure and population, or ``subset_of`` a broader category), a
``related`` series of a different population worth mentioning, and evidence from
``article_history.md``. A new claim or a new official row changes the result without code.

Statuses
--------
Two intervals *agree* when they overlap: the claim's (precision and hedge) and the official
value's own (its rounding). For dates, the claim's period (a point is widened to the year or
month it names) must overlap the official date (widened to its precision).

* ``consistent``: an official value *at the stated period* agrees. At the stated period means a
  point in time within the claim's period, or a period equal to it.
* ``misdated``: official values exist at the stated period and none agrees, but a value of the
  same series at another period does; the note names that period.
* ``inconsistent``: no official value of the series agrees, at any period. A ``subset_of``
  claim is inconsistent when it exceeds the broader category's share at every date compared
  (those at its period, or all dates when it is undated).
* ``unverifiable``: no official figure of the measure exists; or the series has no value at
  the stated period (or the claim is undated), so it cannot be checked there; the note then
  says which other period, if any, it would agree with. A ``subset_of`` claim that does not
  exceed the broader share is unverifiable too: the subset itself is not published.

Evidence from the article's history is quoted in notes; it never changes a status.
"""

from __future__ import annotations

import fnmatch
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError
from analysis.fmt import value as _fmt
from analysis.raw import read_raw_csv

STATUSES = ("consistent", "misdated", "inconsistent", "unverifiable")
RELATIONS = ("same", "subset_of")
COUNTERPART_COLUMNS = ["claim_id", "series", "match", "relation", "related", "history"]
COLUMNS = [
    "claim_id", "basis", "topic", "measure", "unit", "claim_value", "claim_low", "claim_high",
    "claim_period_start", "claim_period_end", "series", "relation", "official_value", "official_period",
    "status", "best_period", "best_value", "best_low", "best_high", "best_publisher", "best_source", "note",
]


def read_counterparts(path: Path, figures: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The mapping from claims to official series, checked against both sides."""
    table = read_raw_csv(path, COUNTERPART_COLUMNS)
    units = dict(zip(figures["id"], figures["unit"]))
    seen: dict[str, int] = {}
    for r in table.itertuples(index=False):
        if r.claim_id not in units:
            raise RawDataError(path, r.row, "claim_id", r.claim_id, "no article figure has this id")
        if r.claim_id in seen:
            raise RawDataError(path, r.row, "claim_id", r.claim_id, f"duplicate claim (first on row {seen[r.claim_id]})")
        seen[r.claim_id] = r.row
        if r.relation not in RELATIONS:
            raise RawDataError(path, r.row, "relation", r.relation, f"unknown relation (expected one of {list(RELATIONS)})")
        if not r.series.strip():
            raise RawDataError(path, r.row, "series", r.series, "a series is required")
        rows = _series_rows(official, r.series, r.match)
        wanted = units[r.claim_id]
        if len(rows) and not rows["unit"].eq(wanted).all():
            raise RawDataError(path, r.row, "series", r.series,
                               f"series in {sorted(set(rows['unit']))}, but claim {r.claim_id} is in {wanted}")
    return table


def _series_rows(official: pd.DataFrame, pattern: str, match: str = "") -> pd.DataFrame:
    chosen = official["series"].map(lambda s: fnmatch.fnmatchcase(s, pattern))
    if match:
        chosen &= official["label"].str.contains(match, regex=False)
    return official[chosen]


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _window(claim: pd.Series) -> tuple[date | None, date | None]:
    """The claim's period; for a date claim a point is widened to the year or month it names."""
    start, end = _day(claim["period_start"]), _day(claim["period_end"])
    if claim["unit"] == "date" and start == end and start is not None:
        if claim["period_precision"] == "year":
            start = date(end.year, 1, 1)
        elif claim["period_precision"] == "month":
            start = date(end.year, end.month, 1)
    return start, end


def _at_period(rows: pd.DataFrame, start: date | None, end: date | None, dates: bool) -> pd.Series:
    if start is None:
        return pd.Series(False, index=rows.index)
    r_start, r_end = rows["period_start"].map(_day), rows["period_end"].map(_day)
    if dates:
        return (r_start <= end) & (r_end >= start)
    point = r_start == r_end
    return (point & (r_end >= start) & (r_end <= end)) | ((r_start == start) & (r_end == end))


def _agrees(rows: pd.DataFrame, claim: pd.Series, dates: bool, window) -> pd.Series:
    if dates:
        return _at_period(rows, *window, dates=True)
    return rows["low"].le(claim["high"]) & rows["high"].ge(claim["low"])


def _when(row: pd.Series) -> str:
    start, end = _day(row["period_start"]), _day(row["period_end"])
    return str(end) if start == end else f"{start} to {end}"


def _describe(row: pd.Series, unit: str) -> str:
    if unit == "date":
        return f"'{row['label']}' dated {_when(row)}"
    return f"{_fmt(row['value'], unit)} at {_when(row)}"


def _nearest_value(rows: pd.DataFrame, claim: pd.Series) -> pd.Series:
    gap = (rows["low"] - claim["high"]).clip(lower=0) + (claim["low"] - rows["high"]).clip(lower=0)
    return rows.loc[gap.idxmin()]


def _nearest_time(rows: pd.DataFrame, claim: pd.Series) -> pd.Series:
    end = _day(claim["period_end"])
    if end is None:
        return rows.iloc[-1]
    gap = rows["period_end"].map(lambda d: abs((_day(d) - end).days))
    return rows.loc[gap.idxmin()]


def _result(claim: pd.Series, mapping: dict, status: str, note: str, at: pd.Series | None = None,
            best: pd.Series | None = None) -> dict:
    unit = claim["unit"]
    return {
        "claim_id": claim["id"], "basis": claim["basis"], "topic": claim["topic"], "measure": claim["measure"],
        "unit": unit, "claim_value": claim["value"], "claim_low": claim["low"], "claim_high": claim["high"],
        "claim_period_start": claim["period_start"], "claim_period_end": claim["period_end"],
        "series": mapping.get("series"), "relation": mapping.get("relation"),
        "official_value": None if at is None else at["value"],
        "official_period": None if at is None else _when(at),
        "status": status,
        "best_period": None if best is None else _when(best),
        "best_value": None if best is None else best["value"],
        "best_low": None if best is None else best["low"],
        "best_high": None if best is None else best["high"],
        "best_publisher": None if best is None else best["publisher"],
        "best_source": None if best is None else f"{best['source_file']} ({best['basis']})",
        "note": note,
    }


def reconcile_claim(claim: pd.Series, mapping: dict | None, official: pd.DataFrame) -> dict:
    """The status of one claim against the official rows its mapping names."""
    if not mapping:
        return _result(claim, {}, "unverifiable", "No official figure of this measure in data/raw/official/.")
    rows = _series_rows(official, mapping["series"], mapping.get("match") or "")
    if rows.empty:
        return _result(claim, mapping, "unverifiable",
                       f"No official figure of this measure ({mapping['series']}) in data/raw/official/.")
    unit, dates = claim["unit"], claim["unit"] == "date"
    window = _window(claim)
    at = rows[_at_period(rows, *window, dates=dates)]
    claim_text = "the claim" if dates else f"the claim ({_fmt(claim['low'], unit)} to {_fmt(claim['high'], unit)})"

    if mapping["relation"] == "subset_of":
        reference = at if len(at) else rows
        widest = reference.loc[reference["high"].idxmax()]
        listed = "; ".join(f"{_fmt(r['value'], unit)} at {_when(r)} ({r['label']})" for _, r in reference.iterrows())
        if (claim["low"] > reference["high"]).all():
            status = "inconsistent"
            note = (f"A part cannot exceed its whole: {claim_text} exceeds the official share of the broader "
                    f"category at every date compared: {listed}.")
        else:
            status = "unverifiable"
            note = f"Within the broader category's official share ({listed}); the part itself is not published."
        result = _result(claim, mapping, status, note, best=widest)
    elif len(at) and _agrees(at, claim, dates, window).any():
        match = at[_agrees(at, claim, dates, window)]
        best = _nearest_value(match, claim) if not dates else match.iloc[0]
        if dates:
            note = f"The official record dates it {_when(best)} ('{best['label']}'), within the period the article gives."
        else:
            note = f"The official value {_describe(best, unit)} agrees with {claim_text}."
        if len(at) > 1 and not dates:
            others = at.drop(best.name)
            note += " Other official values in the same period: " + "; ".join(
                _describe(r, unit) for _, r in others.iterrows()) + "."
        result = _result(claim, mapping, "consistent", note, at=best, best=best)
    else:
        elsewhere = rows[_agrees(rows, claim, dates, window)]
        if dates:
            best = rows.iloc[0]
            result = _result(claim, mapping, "misdated",
                             f"The official record dates it {_when(best)} ('{best['label']}'), outside the "
                             f"period the article gives.", best=best)
        elif len(at):
            shown = _nearest_value(at, claim)
            if len(elsewhere):
                best = _nearest_time(elsewhere, claim)
                note = (f"Not the official value at the stated period ({_describe(shown, unit)}), but "
                        f"{claim_text} agrees with the value {_describe(best, unit)}: the figure belongs to "
                        f"{_when(best)}.")
                result = _result(claim, mapping, "misdated", note, at=shown, best=best)
            else:
                best = _nearest_value(rows, claim)
                note = (f"No official value of this measure agrees with {claim_text} at any date; at the "
                        f"stated period it is {_describe(shown, unit)}, and the nearest is {_describe(best, unit)}.")
                result = _result(claim, mapping, "inconsistent", note, at=shown, best=best)
        else:
            span = "" if window[0] is None else (str(window[0]) if window[0] == window[1] else f"{window[0]} to {window[1]}")
            where = "the claim is undated" if window[0] is None else f"no official value at {span}"
            if len(elsewhere):
                best = _nearest_time(elsewhere, claim)
                note = (f"Cannot be checked at the stated period ({where}); {claim_text} would agree with the "
                        f"value {_describe(best, unit)}.")
                result = _result(claim, mapping, "unverifiable", note, best=best)
            else:
                nearest = _nearest_value(rows, claim)
                note = (f"Cannot be checked at the stated period ({where}); it agrees with no other date "
                        f"either (nearest: {_describe(nearest, unit)}).")
                result = _result(claim, mapping, "unverifiable", note)

    result["note"] += _related_note(claim, mapping, official, dates)
    if mapping.get("history"):
        result["note"] += f" Article history (article_history.md): {mapping['history']}."
    return result


def _related_note(claim: pd.Series, mapping: dict, official: pd.DataFrame, dates: bool) -> str:
    if not mapping.get("related"):
        return ""
    rows = _series_rows(official, mapping["related"])
    if rows.empty or dates:
        return ""
    agree = rows[_agrees(rows, claim, dates, _window(claim))]
    population = rows["population"].iloc[0]
    if len(agree):
        r = _nearest_time(agree, claim)
        return (f" A different population agrees: {r['label']} ({population}, {r['publisher']}) is "
                f"{_describe(r, claim['unit'])}; the article may be counting that.")
    r = _nearest_time(rows, claim)
    return f" A different population, {r['label']} ({population}), is {_describe(r, claim['unit'])}."


def reconcile(figures: pd.DataFrame, counterparts: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """One row per article figure (stated and derived), with its status and a note in plain words."""
    mappings = {r["claim_id"]: r for r in counterparts.drop(columns="row").to_dict("records")}
    rows = [reconcile_claim(claim, mappings.get(claim["id"]), official) for _, claim in figures.iterrows()]
    return pd.DataFrame(rows, columns=COLUMNS)
