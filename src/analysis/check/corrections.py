"""Corrections for the article's editors, written from the reconciliation.

One row per stated claim that is misdated or inconsistent, and per unverifiable claim for
which the official data give a better statement (a value that agrees at another date). Each
row holds what fact-checkers ask a publisher for: the claim as it was made (the article's
sentence), what is wrong in one sentence, a corrected sentence with the official figure, its
date and its publisher, and the pages to cite. Every number in them comes from the tables.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import urlparse

import pandas as pd

from analysis import fmt
from analysis import vocabulary as v
from analysis.check.reconcile import series_rows, when, window
from analysis.sources.article import sentence_at
from analysis.tables import TABLES

COLUMNS = TABLES["corrections"].columns


def _value(row: pd.Series) -> str:
    return fmt.share(row["value"]) if row["unit"] == v.PERCENT else fmt.value(row["value"], row["unit"])


def _name(row: pd.Series) -> str:
    return row["series"].rsplit(":", 1)[-1]


def _noun(row: pd.Series) -> str:
    return v.POPULATIONS[row["population"]].noun


def _industry_of_stock(row: pd.Series, official: pd.DataFrame) -> str:
    _, measure, category = row["series"].split(":", 2)
    count = official[
        official["series"].eq(f"industry:{measure}:{category}") & official["period_end"].eq(row["period_end"])
    ].iloc[0]
    stock = official[official["series"].eq("stock")]
    nearest = stock.loc[(stock["period_end"] - row["period_end"]).map(abs).idxmin()]
    return (
        f"{fmt.value(count['value'], v.COUNT)} {measure} were counted, {fmt.share(row['value'])} of the total "
        f"stock of trainees {fmt.at(nearest['period_end'])}, though the bases differ"
    )


#: How an official figure reads in a sentence: series glob -> (first clause, clause that follows
#: another of the same series family in one sentence).
STATEMENTS = {
    "stock": (lambda r, o: f"{_value(r)} technical intern trainees were resident in Japan", None),
    "stock-nationality:*": (
        lambda r, o: f"{_value(r)} technical intern trainees from {fmt.country(_name(r))} were resident in Japan",
        None,
    ),
    "stock-share:*": (
        lambda r, o: (
            f"trainees from {fmt.country(_name(r))} made up {_value(r)} of all technical intern trainees in Japan"
        ),
        lambda r, o: f"those from {fmt.country(_name(r))} {_value(r)}",
    ),
    "workers:all Vietnamese workers": (
        lambda r, o: f"{_value(r)} Vietnamese workers were counted by the employment survey",
        None,
    ),
    "workers:Vietnamese workers with technical intern status": (
        lambda r, o: f"{_value(r)} Vietnamese workers held technical intern status",
        None,
    ),
    "workers:share of Vietnamese workers with technical intern status": (
        lambda r, o: f"{_value(r)} of Vietnamese workers held technical intern status",
        None,
    ),
    "all-residents:*": (
        lambda r, o: f"{_value(r)} nationals of {fmt.country(_name(r))} were resident in Japan, of every status",
        None,
    ),
    "trainee-share-of-residents:*": (
        lambda r, o: f"{_value(r)} of all residents from {fmt.country(_name(r))} were technical intern trainees",
        None,
    ),
    "industry-share:*": (lambda r, o: f"{_name(r)} made up {_value(r)} of {_noun(r)}, by job category", None),
    "industry-share-of-stock:*": (_industry_of_stock, None),
    "other:*": (lambda r, o: f"{_value(r)} {r['label']} were counted", None),
}


def statement(row: pd.Series, official: pd.DataFrame | None = None, follows: bool = False) -> str:
    """An official figure as a clause: what it counts and its value, in the source's terms.

    >>> statement(pd.Series({"series": "stock", "value": 328360.0, "unit": "count", "label": "x"}))
    '328,360 technical intern trainees were resident in Japan'
    >>> statement(pd.Series({"series": "stock-share:Philippines", "value": 10.23, "unit": "percent", "label": "x"}))
    'trainees from the Philippines made up 10.2% of all technical intern trainees in Japan'
    """
    for pattern, (first, then) in STATEMENTS.items():
        if fnmatch.fnmatchcase(row["series"], pattern):
            return (then if follows and then else first)(row, official)
    return f"{row['label']}: {_value(row)}"


def lead(row: pd.Series) -> str:
    """The date that opens a clause: 'At the end of 2018', 'At 30 June 2019', 'In October 2019'.

    >>> lead(pd.Series({"period_start": "2018-12-31", "period_end": "2018-12-31"}))
    'At the end of 2018'
    >>> lead(pd.Series({"period_start": "2012-01-01", "period_end": "2017-12-31"}))
    'Between 2012 and 2017'
    """
    when = fmt.period(row["period_start"], row["period_end"], row.get("period_precision"))
    if " to " in when:
        first, last = when.split(" to ", 1)
        return f"Between {first} and {last}"
    return f"At {when}" if when.startswith("the end") or (when[:1].isdigit() and " " in when[:3]) else f"In {when}"


def credit(rows: list[pd.Series]) -> str:
    """Who the figures of one clause come from: the body that published them, "computed from" its
    figures where the project computed one, and the page that quoted a figure the body's own table
    does not give.

    >>> row = pd.Series({"publisher": "Immigration Services Agency", "basis": "published", "sources": "x"})
    >>> credit([row]), credit([row.copy().replace("published", "derived")])
    ('Immigration Services Agency', "computed from the Immigration Services Agency's figures")
    >>> credit([pd.Series({"publisher": "Ministry of Health Labour and Welfare", "basis": "reported",
    ...     "sources": "https://www.viet-jo.com/a"})])
    'Ministry of Health, Labour and Welfare, as quoted by www.viet-jo.com'
    """
    name = fmt.body_name(rows[0]["publisher"])
    if name[:1].islower():  # a phrase already ('as reported by a fisheries trade journal')
        return name
    if any(r.get("basis") == v.DERIVED for r in rows):
        return f"computed from {fmt.body(name)}'s figures"
    if all(r.get("basis") == v.REPORTED for r in rows):
        hosts = dict.fromkeys(urlparse(u).hostname or u for r in rows for u in str(r["sources"]).split())
        single = "; a single source" if any(bool(r.get("single_source")) for r in rows) else ""
        return f"{name}, as quoted by {fmt.listing(list(hosts))}{single}" if hosts else name
    return name


def dated(official: pd.DataFrame, row: pd.Series, *more: pd.Series) -> str:
    """'At the end of 2018, 328,360 ... (Immigration Services Agency)': figures of one date, with who
    published them (:func:`credit`)."""
    clauses = [statement(row, official)] + [statement(r, official, follows=True) for r in more]
    return f"{lead(row)}, {fmt.listing(clauses)} ({credit([row, *more])})"


def _rows_at(official: pd.DataFrame, pattern: str, period: str | None, population: str | None = None) -> pd.DataFrame:
    rows = series_rows(official, pattern)
    if population:
        rows = rows[rows["population"].eq(population)]
    if period is None or pd.isna(period) or rows.empty:
        return rows.iloc[0:0]
    return rows[rows.apply(when, axis=1).eq(period)]  # the period as reconciliation writes it


def _related_rows(rec: pd.Series, mapping: dict, official: pd.DataFrame) -> pd.DataFrame:
    """The related series' values at the claim's period, or its latest one."""
    if not mapping.get("related"):
        return official.iloc[0:0]
    rows = series_rows(official, mapping["related"])
    start, end = window(
        pd.Series(
            {
                "period_start": rec["claim_period_start"],
                "period_end": rec["claim_period_end"],
                "unit": rec["unit"],
                "period_precision": None,
            }
        )
    )
    if start is not None:
        within = rows[rows["period_end"].map(lambda d: start <= pd.Timestamp(d).date() <= end)]
        if len(within):
            return within.sort_values("period_end").tail(1)
    return rows.sort_values("period_end").tail(1)


def _as_written(figure: pd.Series) -> list[str]:
    return [str(t) for t in (figure["number_text"], figure["date_text"]) if pd.notna(t)]


def _claim_words(rec: pd.Series, figure: pd.Series) -> str:
    """The claim's own words for the number (or, for a date, the date), as written."""
    return str(figure["number_text"] if pd.notna(figure["number_text"]) else figure["date_text"])


def correction(
    rec: pd.Series,
    figure: pd.Series,
    mapping: dict,
    official: pd.DataFrame,
    text: str,
    sets: dict[str, list[pd.Series]],
) -> dict | None:
    """The correction of one claim, or None when the data give nothing better to say."""
    role = rec["reference_role"]
    wanted = rec["status"] in (v.MISDATED, v.INCONSISTENT) or (
        rec["status"] == v.UNVERIFIABLE and role == v.OTHER_PERIOD
    )
    if rec["basis"] != v.STATED or not wanted or pd.isna(rec["series"]):
        return None
    reference = _rows_at(official, rec["series"], rec["reference_period"], rec["reference_population"])
    if role == v.WHOLE:
        reference = reference[reference["value"].eq(rec["reference_value"])]
    at_stated = _rows_at(official, rec["series"], rec["official_period"], rec["population"])
    related = _related_rows(rec, mapping, official)
    said = _claim_words(rec, figure)
    unit = rec["unit"]
    used: list[pd.Series] = []

    if rec["status"] == v.MISDATED and unit == v.DATE:
        ref = reference.iloc[0]
        when = fmt.period(ref["period_start"], ref["period_end"], ref["period_precision"])
        problem = f"The official record dates it {when}, not '{said}'."
        parts, used = [f"{fmt.sentence_start(ref['label'])}: {when}"], [ref]
    elif rec["status"] == v.MISDATED:
        ref = reference.iloc[0]
        problem = (
            f"'{said}' is the official figure for "
            f"{fmt.iso_period(rec['reference_period'])}, not for {fmt.period(*_claim_period(rec))}."
        )
        parts, used = [dated(official, ref)], [ref]
        if len(at_stated):
            parts.append(dated(official, at_stated.iloc[0]))
            used.append(at_stated.iloc[0])
    elif role == v.WHOLE:
        ref = reference.iloc[0]
        problem = (
            f"A part cannot be larger than its whole: the article's '{said}' of trainees exceeds the official "
            f"share of the whole category it belongs to, {_name(ref)}, which is {fmt.share(ref['value'])} "
            f"{fmt.at(ref['period_start'], ref['period_end'])}."
        )
        parts, used = [dated(official, ref)], [ref]
    elif rec["status"] == v.UNVERIFIABLE:
        ref = reference.iloc[0]
        problem = (
            f"The official figures in the reference set have none of this measure for "
            f"{fmt.period(*_claim_period(rec))}; the claim fits only the figure for "
            f"{fmt.iso_period(rec['reference_period'])}."
        )
        parts, used = [dated(official, ref)], [ref]
    else:
        members = sets.get(rec["claim_id"])
        if members:
            rows = [m for m in members if m is not None]
            rows.sort(key=lambda r: -r["value"])
            when = fmt.iso_period(rec["reference_period"])
            problem = (
                f"No official figure agrees with '{said}' at any date; at {when}, the one date nearest the "
                f"whole sentence, the official figure is {fmt.share(reference.iloc[0]['value'])}."
            )
            parts, used = [dated(official, *rows)], rows
        else:
            ref = reference.iloc[0]
            shown = at_stated.iloc[0] if len(at_stated) else ref
            problem = (
                f"No official figure of {v.POPULATIONS[rec['population']].noun} agrees with '{said}' at any "
                f"date; the nearest is {fmt.value(shown['value'], unit)} "
                f"{fmt.at(shown['period_start'], shown['period_end'])}."
            )
            parts, used = [dated(official, shown)], [shown]
    for _, r in related.iterrows():
        parts.append(dated(official, r))
        used.append(r)
    suggested = "; ".join(fmt.sentence_start(p) if i == 0 else p[:1].lower() + p[1:] for i, p in enumerate(parts))
    sources = " ".join(dict.fromkeys(u for r in used for u in str(r["sources"]).split()))
    return {
        "claim_id": rec["claim_id"],
        "status": rec["status"],
        "line": int(figure["line"]),
        "article_phrase": sentence_at(text, int(figure["line"]), *_as_written(figure)),
        "problem": problem,
        "suggested_text": suggested + ".",
        "sources": sources,
        USED: used if unit != v.DATE else None,
    }


#: The official rows a correction states (kept while the corrections of one sentence are joined).
USED = "_used"


def one_text(official: pd.DataFrame, rows: list[pd.Series]) -> str:
    """The official figures of one sentence's corrections as one pasteable text: the figures of one
    date and publisher in one clause, each figure once, dates in the order the corrections name them."""
    groups: dict[tuple, list[pd.Series]] = {}
    seen: set[tuple] = set()
    for r in rows:
        key = (r["series"], when(r))
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault((when(r), r["publisher"], r["basis"] == v.DERIVED), []).append(r)
    parts = [dated(official, *group) for group in groups.values()]
    return "; ".join(fmt.sentence_start(p) if i == 0 else p[:1].lower() + p[1:] for i, p in enumerate(parts)) + "."


def by_sentence(rows: list[dict], official: pd.DataFrame) -> list[dict]:
    """The corrections of claims in one sentence share one suggested text, which states every figure
    they need once, so that an editor pastes one text for the sentence."""
    sentences: dict[tuple, list[dict]] = {}
    for row in rows:
        sentences.setdefault((row["line"], row["article_phrase"]), []).append(row)
    for members in sentences.values():
        if len(members) > 1 and all(m[USED] for m in members):
            text = one_text(official, [r for m in members for r in m[USED]])
            for m in members:
                m["suggested_text"] = text
    return [{k: x for k, x in row.items() if k != USED} for row in rows]


def _claim_period(rec: pd.Series):
    return rec["claim_period_start"], rec["claim_period_end"]


def corrections(
    figures: pd.DataFrame, reconciliation: pd.DataFrame, counterparts: pd.DataFrame, official: pd.DataFrame, text: str
) -> pd.DataFrame:
    """Every correction the data support, in the order of the article."""
    mappings = {r["claim_id"]: r for r in counterparts.drop(columns="row").to_dict("records")}
    by_id = figures.set_index("id", drop=False)
    rec_by_id = reconciliation.set_index("claim_id", drop=False)
    sets: dict[str, list[pd.Series]] = {}
    for _, rec in reconciliation[reconciliation["stated_with"].notna()].iterrows():
        members = [rec["claim_id"], *rec["stated_with"].split()]
        rows = []
        for member in members:
            m = rec_by_id.loc[member]
            at = _rows_at(official, m["series"], rec["reference_period"], m["population"])
            rows.append(at.iloc[0] if len(at) else None)
        sets[rec["claim_id"]] = rows
    out = []
    for _, rec in reconciliation.iterrows():
        row = correction(rec, by_id.loc[rec["claim_id"]], mappings.get(rec["claim_id"], {}), official, text, sets)
        if row:
            out.append(row)
    frame = pd.DataFrame(by_sentence(out, official), columns=COLUMNS)
    return frame.sort_values(["line", "claim_id"], kind="stable").reset_index(drop=True)
