"""Corrections for the article's editors, written from the reconciliation.

One row per sentence of the article that states a claim that is misdated or inconsistent, or
unverifiable where the official data give a better statement (a value that agrees at another
date), in the article's order. Each row holds what fact-checkers ask a publisher for: the claim
as it was made (the article's sentence) and the claims it covers, what is wrong (a sentence per
claim), one text to paste in place of the whole sentence with the official figures, their dates
and who published them, and the pages to cite. Every number in them comes from the tables.

Each claim's fix comes from one function per outcome (:func:`correction`); the sentence's text
is the sentence re-dated where only dates are wrong (:func:`redated`), else the sentence with the
clauses of its claims restated (:func:`restated`). A pasted text reads back through the project's
own parser as the claims it covers (``make check-article``; ``tests/test_revisions.py``).
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass

import pandas as pd

from analysis import cite, fmt
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
    """Who the figures of one clause come from (:func:`analysis.cite.credit`): computed where any
    of them is, a single source where any is flagged, every page of them together.

    >>> row = pd.Series({"publisher": "Immigration Services Agency", "basis": "published",
    ...     "sources": "https://www.e-stat.go.jp/"})
    >>> credit([row, row.copy().replace("published", "derived")])
    "computed from the Immigration Services Agency's Statistics on Foreign Residents, via e-Stat"
    """
    derived = any(r.get("basis") == v.DERIVED for r in rows)
    single = any(r.get("single_source") is True for r in rows)
    sources = " ".join(str(r["sources"]) for r in rows if isinstance(r.get("sources"), str))
    return cite.credit(rows[0]["publisher"], v.DERIVED if derived else v.PUBLISHED, sources, single)


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
    return [str(t) for t in (figure["number_text"], figure["date_text"]) if pd.notna(t) and str(t)]


def _claim_words(figure: pd.Series) -> str:
    """The claim's own words for the number (or, for a date, the date), as written."""
    return str(
        figure["number_text"] if pd.notna(figure["number_text"]) and figure["number_text"] else figure["date_text"]
    )


def _claim_period(rec: pd.Series) -> tuple:
    return rec["claim_period_start"], rec["claim_period_end"]


@dataclass
class Fix:
    """What the official data say about one claim: what is wrong, and how its sentence says it right.

    A fix either keeps the claim's words and replaces its date phrase (``new_date``, the figure
    belongs to another date), or states the official figures instead (``clause``)."""

    claim_id: str
    status: str
    problem: str
    #: The official rows the corrected sentence states.
    rows: list[pd.Series]
    #: The clause that states the official figures, dated and credited.
    clause: str
    #: The claim's date phrase and the date phrase that replaces it, when only the date is wrong.
    date_text: str | None = None
    new_date: str | None = None


# ---------------------------------------------------------------------------------------------
# one function per outcome


def _misdated_date(rec: pd.Series, figure: pd.Series, ref: pd.Series) -> Fix:
    """A date the official record gives to another day, month or year."""
    when_ = fmt.period(ref["period_start"], ref["period_end"], ref["period_precision"])
    problem = f"The official record dates it {when_}, not '{_claim_words(figure)}'."
    return Fix(rec["claim_id"], rec["status"], problem, [ref], f"{fmt.sentence_start(ref['label'])}: {when_}")


def _misdated(rec: pd.Series, figure: pd.Series, ref: pd.Series, at_stated: pd.DataFrame, official) -> Fix:
    """A figure the official series gives at another date: its sentence keeps it and takes that date."""
    stated = fmt.period(*_claim_period(rec))
    problem = f"'{_claim_words(figure)}' is the official figure for {fmt.iso_period(rec['reference_period'])}, not for {stated}"
    if len(at_stated):
        there = at_stated.iloc[0]
        problem += f"; {fmt.at(there['period_start'], there['period_end'])} it was {_value(there)}"
    date_text = figure["date_text"] if pd.notna(figure["date_text"]) and figure["date_text"] else None
    return Fix(
        rec["claim_id"],
        rec["status"],
        problem + ".",
        [ref],
        dated(official, ref),
        date_text,
        lead(ref) if date_text else None,
    )


def _part_exceeds_whole(rec: pd.Series, figure: pd.Series, ref: pd.Series, official) -> Fix:
    """A share of a part larger than the official share of the whole category that contains it."""
    part = figure.get("category") if isinstance(figure.get("category"), str) else "the part"
    problem = (
        f"A part cannot exceed its whole: '{_claim_words(figure)}' of trainees in {part} is more than the share of "
        f"{_name(ref)}, the category that contains it, {fmt.share(ref['value'])} "
        f"{fmt.at(ref['period_start'], ref['period_end'])}; no source checked gives the share of {part} itself."
    )
    clause = (
        f"{lead(ref)}, {_name(ref)}, the job category that includes {part}, made up {_value(ref)} of "
        f"{_noun(ref)} ({credit([ref])})"
    )
    return Fix(rec["claim_id"], rec["status"], problem, [ref], clause)


def _other_period(rec: pd.Series, figure: pd.Series, ref: pd.Series, official) -> Fix:
    """No official figure of the claim's measure at its date, but one that fits at another date."""
    problem = (
        f"No figure of this measure for {fmt.period(*_claim_period(rec))} was found in the sources checked; "
        f"'{_claim_words(figure)}' fits the figure for {fmt.iso_period(rec['reference_period'])}, "
        f"{fmt.value(ref['value'], rec['unit'])}."
    )
    return Fix(rec["claim_id"], rec["status"], problem, [ref], dated(official, ref))


def _not_at_set_date(rec: pd.Series, figure: pd.Series, members: list[pd.Series], reference, official) -> Fix:
    """A member of a set of figures that agrees at no date with the rest of its set."""
    rows = sorted((m for m in members if m is not None), key=lambda r: -r["value"])
    problem = (
        f"No official figure agrees with '{_claim_words(figure)}' at any date; at "
        f"{fmt.iso_period(rec['reference_period'])}, the one date nearest the whole sentence, the official "
        f"figure is {fmt.share(reference.iloc[0]['value'])}."
    )
    return Fix(rec["claim_id"], rec["status"], problem, rows, dated(official, *rows))


def _nearest(rec: pd.Series, figure: pd.Series, shown: pd.Series, official) -> Fix:
    """A figure no official value agrees with at any date: the nearest one is stated instead."""
    problem = (
        f"No official figure of {v.POPULATIONS[rec['population']].noun} agrees with '{_claim_words(figure)}' at any "
        f"date; the nearest is {fmt.value(shown['value'], rec['unit'])} "
        f"{fmt.at(shown['period_start'], shown['period_end'])}."
    )
    return Fix(rec["claim_id"], rec["status"], problem, [shown], dated(official, shown))


def _wanted(rec: pd.Series) -> bool:
    """Whether a claim gets a correction: stated, compared with a series, and misdated, inconsistent,
    or unverifiable at its date but fitting another."""
    wanted = rec["status"] in (v.MISDATED, v.INCONSISTENT) or (
        rec["status"] == v.UNVERIFIABLE and rec["reference_role"] == v.OTHER_PERIOD
    )
    return rec["basis"] == v.STATED and wanted and pd.notna(rec["series"])


def correction(
    rec: pd.Series, figure: pd.Series, mapping: dict, official: pd.DataFrame, sets: dict[str, list[pd.Series]]
) -> Fix | None:
    """The fix of one claim (by its outcome), or None when the data give nothing better to say."""
    if not _wanted(rec):
        return None
    reference = _rows_at(official, rec["series"], rec["reference_period"], rec["reference_population"])
    at_stated = _rows_at(official, rec["series"], rec["official_period"], rec["population"])
    role = rec["reference_role"]
    if rec["status"] == v.MISDATED and rec["unit"] == v.DATE:
        fix = _misdated_date(rec, figure, reference.iloc[0])
    elif rec["status"] == v.MISDATED:
        fix = _misdated(rec, figure, reference.iloc[0], at_stated, official)
    elif role == v.WHOLE:
        fix = _part_exceeds_whole(
            rec, figure, reference[reference["value"].eq(rec["reference_value"])].iloc[0], official
        )
    elif rec["status"] == v.UNVERIFIABLE:
        fix = _other_period(rec, figure, reference.iloc[0], official)
    elif sets.get(rec["claim_id"]):
        fix = _not_at_set_date(rec, figure, sets[rec["claim_id"]], reference, official)
    else:
        fix = _nearest(rec, figure, at_stated.iloc[0] if len(at_stated) else reference.iloc[0], official)
    related = _related_rows(rec, mapping, official)
    if len(related):
        fix.problem += " " + _related_note(related, official)
    return fix


def _related_note(related: pd.DataFrame, official: pd.DataFrame) -> str:
    """A related figure, for the editor's information (not for the text to paste): another measure."""
    said = dated(official, related.iloc[0])
    return f"Not the same measure, for comparison: {said[:1].lower()}{said[1:]}."


# ---------------------------------------------------------------------------------------------
# one text per sentence


def _cited(sentence: str, credits: list[str]) -> str:
    """The sentence with who published its figures in brackets before its final mark."""
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1:] in ".!?" else (sentence, ".")
    return f"{body} ({'; '.join(dict.fromkeys(credits))}){end}"


def redated(sentence: str, fixes: list[Fix]) -> str | None:
    """The sentence with each wrong date phrase replaced by the official date of its figures, or None
    when some fix states other figures, or when one date phrase would need two dates."""
    if any(f.new_date is None for f in fixes):
        return None
    new: dict[str, str] = {}
    for f in fixes:
        if new.setdefault(f.date_text, f.new_date) != f.new_date or f.date_text not in sentence:
            return None
    out = sentence
    for old, lead_ in new.items():
        at = out.index(old)
        out = out[:at] + (lead_ if at == 0 else lead_[:1].lower() + lead_[1:]) + out[at + len(old) :]
    return _cited(out, [credit([r]) for f in fixes for r in f.rows])


#: Where a sentence divides into clauses that can be replaced one by one.
_CLAUSE = re.compile(r", and |; ")


def restated(sentence: str, fixes: list[Fix], figures: list[pd.Series]) -> str:
    """The sentence with the clauses that state the claims replaced by the official figures (in the
    place of the first of them, in the article's order) and every other clause kept as written.

    >>> fix = Fix("x", v.INCONSISTENT, "", [], "at the end of 2024, 20.3% of trainees (ISA)")
    >>> restated("About 42% of trainees fish, and as Mazumi finds, they stay.", [fix],
    ...     [pd.Series({"number_text": "About 42%", "date_text": None})])
    'At the end of 2024, 20.3% of trainees (ISA), and as Mazumi finds, they stay.'
    """
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence)]
    clauses = [sentence[a:b] for a, b in itertools.pairwise(cuts)]
    words = [w for f in figures for w in _as_written(f)]
    stated = "; ".join(f.clause if i == 0 else f.clause[:1].lower() + f.clause[1:] for i, f in enumerate(fixes))
    out, placed = [], False
    for clause in clauses:
        if not any(w in clause for w in words):
            out.append(clause)
        elif not placed:
            separator = _CLAUSE.search(clause)
            out.append(stated + (separator[0] if separator else "."))
            placed = True
    return fmt.sentence_start("".join(out).strip())


def sentence_row(sentence: str, line: int, fixes: list[Fix], figures: list[pd.Series]) -> dict:
    """The one correction of one sentence of the article: every claim it covers, one text to paste."""
    suggested = redated(sentence, fixes) or restated(sentence, fixes, figures)
    return {
        "line": line,
        "claim_ids": " ".join(f.claim_id for f in fixes),
        "statuses": " ".join(f.status for f in fixes),
        "article_phrase": sentence,
        "problem": " ".join(dict.fromkeys(f.problem for f in fixes)),
        "suggested_text": suggested,
        "sources": " ".join(dict.fromkeys(u for f in fixes for r in f.rows for u in str(r["sources"]).split())),
    }


def _sets(reconciliation: pd.DataFrame, official: pd.DataFrame) -> dict[str, list[pd.Series]]:
    """Each claim stated with others, and its set's official figures at the set's date."""
    rec_by_id = reconciliation.set_index("claim_id", drop=False)
    sets: dict[str, list[pd.Series]] = {}
    for _, rec in reconciliation[reconciliation["stated_with"].notna()].iterrows():
        rows = []
        for member in [rec["claim_id"], *rec["stated_with"].split()]:
            m = rec_by_id.loc[member]
            at = _rows_at(official, m["series"], rec["reference_period"], m["population"])
            rows.append(at.iloc[0] if len(at) else None)
        sets[rec["claim_id"]] = rows
    return sets


def corrections(
    figures: pd.DataFrame, reconciliation: pd.DataFrame, counterparts: pd.DataFrame, official: pd.DataFrame, text: str
) -> pd.DataFrame:
    """One correction per sentence of the article that the data correct, in the article's order."""
    mappings = {r["claim_id"]: r for r in counterparts.drop(columns="row").to_dict("records")}
    by_id = figures.set_index("id", drop=False)
    sets = _sets(reconciliation, official)
    sentences: dict[tuple[int, str], list[tuple[Fix, pd.Series]]] = {}
    for _, rec in reconciliation.iterrows():
        figure = by_id.loc[rec["claim_id"]]
        fix = correction(rec, figure, mappings.get(rec["claim_id"], {}), official, sets)
        if fix is None:
            continue
        line = int(figure["line"])
        sentence = sentence_at(text, line, *_as_written(figure))
        sentences.setdefault((line, text.splitlines()[line - 1].find(sentence), sentence), []).append((fix, figure))
    rows = []
    for (line, _, sentence), members in sorted(sentences.items(), key=lambda kv: kv[0][:2]):
        members.sort(key=lambda m: sentence.find(_claim_words(m[1])))
        rows.append(sentence_row(sentence, line, [f for f, _ in members], [fig for _, fig in members]))
    return pd.DataFrame(rows, columns=COLUMNS)
