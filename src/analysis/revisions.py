"""``make check-article ARTICLE=path [OUT=result.csv]``: what a revision of the article changes.

The transcribed article is ``data/raw/article/article.txt`` with its transcription
``figures.csv`` (and ``exclusions.csv``, the phrases that are not figures), held together by
:mod:`analysis.sources.transcription`. A revision is any later text of the same article.

How a revision is compared
--------------------------
1. **Phrases.** :func:`analysis.parse.extract.find_phrases` finds every number and date phrase
   of both texts, each with the words around it on its line (:data:`CONTEXT` words each side,
   every other phrase in them masked by its kind, so that a neighbour's change does not count).
2. **Matching.** A phrase of the old text and one of the revision of the same kind are a pair
   when their contexts agree enough: at least :data:`SAME_PHRASE` when the phrase is the same,
   :data:`NEW_PHRASE` when it changed. Pairs are taken best first, each phrase once. The line
   number plays no part, so a moved line keeps its figures, a number changed in the same words
   is the same figure, and two numbers swapped between their words are two changed figures.
   Then **sentences** (:func:`rewritten`): a sentence of the old text replaced as a whole (a
   correction pasted over it) gives the phrases no pair took to those of its replacement, of the
   same kind and unit, in order; such a figure is dated by the date phrase nearest it in its new
   sentence.
3. **Figures.** A transcribed figure follows its number (its date, for a date-only figure): it is
   *removed* when that phrase has no pair, else *unchanged* when its number and date phrases
   read the same, else *changed*. A figure that lost its date phrase takes a new date phrase
   found in its own sentence; without one, it is undated. A phrase of the revision paired with
   nothing is *added* (a new date in the sentence of an added number is that number's date).
4. **Re-checking.** The revised transcription (same ids; the revision's phrases and lines) goes
   through the project's own pipeline, :func:`analysis.build.build_all`, with the revision's text,
   in memory: every changed figure is parsed again and reconciled again against the same
   counterpart (``counterparts.csv``), so a figure only re-dated can become consistent or stop
   being so. The figures the article implies are derived again from the revised figures.
   Removed figures are left out, except a row the build needs to date the programme's life,
   which is kept as it was. A changed phrase the build refuses is reported with its reason.

The result has the columns ``tables.RESULTS["check_article"]`` declares. Nothing tracked by git
and nothing in ``data/processed/`` is written; temporary files live in ``.build/tmp/`` and are
removed. A file that is not UTF-8 text, an empty file, a missing one, or a text that shares
almost nothing with the article is refused in one line with exit status 2, and nothing is
written.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import build, paths, tables
from analysis import vocabulary as v
from analysis.data import safe_for_spreadsheets
from analysis.errors import ProjectError, RawDataError
from analysis.files import write_if_changed
from analysis.parse.extract import Phrase, find_phrases
from analysis.parse.quantity import parse_quantity
from analysis.sources import article, transcription
from analysis.sources.raw import read_text

STEP = "make check-article"
#: Words (and punctuation marks) each side of a phrase that are its context.
CONTEXT = 6
#: How alike the contexts of a phrase written the same way must be for it to be the same phrase.
SAME_PHRASE = 0.25
#: How alike the contexts must be for a phrase written differently to be the same figure, changed.
NEW_PHRASE = 0.5
#: What being written the same way adds to a pair's likeness. A phrase that moves keeps its words
#: (clauses reordered in a sentence), but a number in words that did not change at all is the figure
#: those words state: two numbers swapped between their words are two changed figures.
SAME_BONUS = 0.4
#: A revision must share at least this part of its word triples with the article (of the shorter text).
MIN_SHARED = 0.2
COLUMNS = tables.RESULTS["check_article"].columns
#: Words that say little about which figure a phrase is: passed over when looking for its nearest word.
# fmt: off
FUNCTION_WORDS = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "at", "in", "on", "to", "for", "by", "with", "as", "from", "into",
    "than", "that", "which", "who", "this", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
    "has", "have", "had", "do", "does", "did", "not", "no", "there", "their", "they", "he", "she", "we",
))
# fmt: on
_TOKEN = re.compile(r"\w+|[^\w\s]")
_HEADING = re.compile(r"^\s*=+\s*(?P<name>.*?)\s*=+\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


#: Notes on figures the re-check could not take as the revision states them.
_LEFT_OUT = "not re-checked: the build refuses its phrase"
_KEPT = "kept in the re-check as it was"
_REFUSED = "not re-checked: the build refuses the revised transcription"


class BadRevision(ProjectError):
    """A revision that cannot be compared: printed in one line, exit status 2."""


# ---------------------------------------------------------------------------------------------
# phrases in their context


@dataclass(frozen=True)
class Occurrence:
    """A phrase with the words around it, its sentence and the heading above it."""

    phrase: Phrase
    left: tuple[str, ...]
    right: tuple[str, ...]
    #: (line, first column, last column) of the sentence it stands in.
    sentence: tuple[int, int, int]
    heading: str | None


def occurrences(text: str) -> list[Occurrence]:
    """Every phrase of ``text`` with its context (other phrases masked as ``<kind>``)."""
    by_line: dict[int, list[Phrase]] = {}
    for p in find_phrases(text):
        by_line.setdefault(p.line, []).append(p)
    out: list[Occurrence] = []
    heading = None
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _HEADING.match(line):
            heading = m["name"]
        phrases = by_line.get(number, [])
        tokens: list[tuple[str, Phrase | None]] = []
        at = 0
        for p in phrases:
            tokens += [(t.lower(), None) for t in _TOKEN.findall(line[at : p.start])]
            tokens.append((f"<{p.kind}>", p))
            at = p.end
        tokens += [(t.lower(), None) for t in _TOKEN.findall(line[at:])]
        spans = article.sentence_spans(line)
        for i, (_, p) in enumerate(tokens):
            if p is None:
                continue
            start, end = next(((a, b) for a, b in spans if a <= p.start < b), (0, len(line)))
            out.append(
                Occurrence(
                    p,
                    tuple(t for t, _ in tokens[max(0, i - CONTEXT) : i]),
                    tuple(t for t, _ in tokens[i + 1 : i + 1 + CONTEXT]),
                    (number, start, end),
                    heading,
                )
            )
    return out


def _ratio(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _anchor(tokens) -> str | None:
    """The nearest word that is not a function word or a mark (a masked phrase counts as a word)."""
    return next((t for t in tokens if t not in FUNCTION_WORDS and (t[:1].isalnum() or t.startswith("<"))), None)


def context_likeness(a: Occurrence, b: Occurrence) -> float:
    """How alike two phrases' surroundings are, from 0 to 1.

    Half is whether the nearest word each side (not a function word: "Vietnam" in "followed by
    Vietnam at 29.9%") is the same; half is how alike the words each side are, in order.

    >>> def occ(left, right):
    ...     return Occurrence(None, tuple(left.split()), tuple(right.split()), (1, 0, 0), None)
    >>> context_likeness(occ("china was at", "of the total"), occ("china was at", "of the total"))
    1.0
    >>> round(context_likeness(occ("followed by vietnam at", "and the"), occ("followed by china at", "and the")), 2)
    0.69
    """
    anchors = ((_anchor(a.left[::-1]) == _anchor(b.left[::-1])) + (_anchor(a.right) == _anchor(b.right))) / 2
    wide = (_ratio(a.left[::-1], b.left[::-1]) + _ratio(a.right, b.right)) / 2
    return (anchors + wide) / 2


def match(old: list[Occurrence], new: list[Occurrence]) -> dict[Phrase, Occurrence]:
    """Pairs of phrases, old -> new, by phrase and context (never by line), best first.

    >>> old = occurrences("In 2017, China was at 46.2% of the total, followed by Vietnam at 29.9%.")
    >>> new = occurrences("Intro.\\nIn 2017, China was at 29.9% of the total, followed by Vietnam at 46.2%.")
    >>> {o.text: (n.phrase.text, n.phrase.line) for o, n in match(old, new).items()}
    {'In 2017': ('In 2017', 2), '46.2%': ('29.9%', 2), '29.9%': ('46.2%', 2)}
    """
    pairs = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a.phrase.kind != b.phrase.kind:
                continue
            same = a.phrase.text == b.phrase.text
            likeness = context_likeness(a, b)
            if likeness >= (SAME_PHRASE if same else NEW_PHRASE):
                pairs.append((likeness + (SAME_BONUS if same else 0.0), i, j))
    pairs.sort(key=lambda s: (-s[0], s[1], s[2]))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs_found: dict[int, int] = {}
    for _, i, j in pairs:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs_found[i] = j
    return {old[i].phrase: new[j] for i, j in sorted(pairs_found.items())}


def _unit(phrase: Phrase) -> str:
    """What a phrase measures: a date, or the unit its number is read in ('' where none is read)."""
    if phrase.kind != v.NUMBER_PHRASE:
        return phrase.kind
    try:
        return parse_quantity(phrase.text).unit
    except ValueError:
        return ""


def _sentences(text: str) -> list[tuple[int, int, int, str]]:
    """Every sentence of ``text``: (line, first column, last column, its words)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        out += [(number, a, b, line[a:b].strip()) for a, b in article.sentence_spans(line) if line[a:b].strip()]
    return out


def rewritten(
    old_text: str, new_text: str, old: list[Occurrence], new: list[Occurrence], pairs: dict[Phrase, Occurrence]
) -> dict[Phrase, Occurrence]:
    """Pairs, by sentence, of the phrases :func:`match` left alone: a sentence of the article replaced
    by another (a correction pasted over it) pairs its phrases with those of its replacement, of the
    same kind and unit, in order.

    The sentences are aligned as a diff aligns lines; within a replaced run, an old sentence goes with
    the new sentence of the run whose words are most alike.

    >>> old_text, new_text = "A. In 2019, almost half of 410,000 workers did.", "A. At the end of 2018, 45.1% did; 401,326 in all."
    >>> old, new = occurrences(old_text), occurrences(new_text)
    >>> {o.text: n.phrase.text for o, n in rewritten(old_text, new_text, old, new, {}).items()}
    {'In 2019': 'At the end of 2018', 'almost half': '45.1%', '410,000': '401,326'}
    """
    taken = set(pairs.values())
    old_s, new_s = _sentences(old_text), _sentences(new_text)
    matcher = difflib.SequenceMatcher(None, [s[3] for s in old_s], [s[3] for s in new_s], autojunk=False)
    found: dict[Phrase, Occurrence] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        for o in old_s[i1:i2]:
            words = o[3].split()
            best = max(
                new_s[j1:j2], key=lambda n: difflib.SequenceMatcher(None, words, n[3].split(), autojunk=False).ratio()
            )
            free_old = [x for x in old if x.sentence == o[:3] and x.phrase not in pairs and x.phrase not in found]
            free_new = [y for y in new if y.sentence == best[:3] and y not in taken]
            for x in free_old:
                same = next((y for y in free_new if _unit(y.phrase) == _unit(x.phrase)), None)
                if same is not None:
                    found[x.phrase] = same
                    free_new.remove(same)
                    taken.add(same)
    return found


def shared_part(old: str, new: str) -> float:
    """The part of the shorter text's word triples the other text has too (0 to 1).

    >>> shared_part("the cat sat on the mat", "the cat sat on a mat")
    0.5
    """

    def triples(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return set(zip(words, words[1:], words[2:], strict=False))

    a, b = triples(old), triples(new)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# ---------------------------------------------------------------------------------------------
# the revised transcription


@dataclass
class Claim:
    """One transcribed claim as the revision states it."""

    id: str
    change: str
    number: Occurrence | None
    date: Occurrence | None
    row: dict
    note: str = ""


def _in_sentence(occ: Occurrence, candidates: list[Occurrence]) -> Occurrence | None:
    """The date among ``candidates`` in ``occ``'s sentence: the nearest before it, else the nearest after."""
    same = [c for c in candidates if c.sentence == occ.sentence]
    if not same:
        return None
    return min(same, key=lambda c: (c.phrase.start > occ.phrase.start, abs(c.phrase.start - occ.phrase.start)))


def _date_form(old_text: str, old: Phrase, new: Phrase) -> str:
    """The new date phrase, quoted the way the transcription quoted the old one (with or without 'in')."""
    i = old.forms.index(old_text) if old_text in old.forms else 0
    return new.forms[min(i, len(new.forms) - 1)]


def _nearest_date(occ: Occurrence, new: list[Occurrence]) -> Occurrence | None:
    """The date phrase of ``occ``'s sentence nearest before it, else nearest after it (dates are shared)."""
    return _in_sentence(occ, [n for n in new if n.phrase.kind == v.DATE_PHRASE])


def revise(
    raw: pd.DataFrame,
    anchors: dict[str, transcription.Anchors],
    old: list[Occurrence],
    new: list[Occurrence],
    texts: tuple[str, str] | None = None,
) -> tuple[list[Claim], list[Occurrence]]:
    """Every transcribed figure as the revision states it, and the revision's phrases no old phrase pairs with.

    ``texts`` (the article's and the revision's) let a sentence replaced as a whole pair its phrases
    with those of its replacement (:func:`rewritten`); a figure of such a sentence is dated by the date
    phrase nearest it in its new sentence."""
    pairs = match(old, new)
    old_by_phrase = {o.phrase: o for o in old}
    by_sentence = rewritten(*texts, old, new, pairs) if texts else {}
    pairs.update(by_sentence)
    restated = {n.sentence for n in by_sentence.values()}
    used = set(pairs.values())
    free_dates = [n for n in new if n not in used and n.phrase.kind == v.DATE_PHRASE]
    #: Dates that lost their pair, and the date phrase of the revision that stands in for them.
    redated: dict[Phrase | None, Occurrence] = {}
    claims: list[Claim] = []
    for rec in raw.drop(columns="row").to_dict("records"):
        anchor = anchors[rec["id"]]
        main = pairs.get(anchor.main)
        if main is None:
            claims.append(Claim(rec["id"], v.REMOVED, None, None, rec))
            continue
        row = dict(rec, line=str(main.phrase.line))
        number = main if anchor.number else None
        date = pairs.get(anchor.date) if anchor.date else None
        same_sentence = (
            anchor.date is None or old_by_phrase[anchor.date].sentence == old_by_phrase[anchor.main].sentence
        )
        if number is not None and number.sentence in restated and same_sentence:
            date = _nearest_date(number, new) or date
            if date is not None:
                used.add(date)
        elif number is not None and number.phrase.kind == v.NUMBER_PHRASE and date is None:
            date = redated.get(anchor.date) if anchor.date else None
            date = date or _in_sentence(number, [d for d in free_dates if d not in used])
            if date is not None:
                used.add(date)
                if anchor.date:
                    redated[anchor.date] = date
        if number is not None:
            row["number_text"] = number.phrase.text
        if date is None:
            row["date_text"] = ""
        elif anchor.date is not None:
            row["date_text"] = _date_form(rec["date_text"], anchor.date, date.phrase)
        else:
            row["date_text"] = date.phrase.text
        if main.heading and main.heading != old_by_phrase[anchor.main].heading:
            row["section"] = main.heading
        same = row["number_text"] == rec["number_text"] and row["date_text"] == rec["date_text"]
        claims.append(Claim(rec["id"], v.UNCHANGED if same else v.CHANGED, number, date, row))
    return claims, [n for n in new if n not in used]


# ---------------------------------------------------------------------------------------------
# re-checking through the project's pipeline


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8", newline="")


def recheck(
    claims: list[Claim], revision: str, official: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """The processed tables of the revised transcription, built in memory by the project's build
    (``official``: the official tables of the committed build, which a revision does not change).

    A changed figure whose new phrases the build refuses is left out and its figure notes why;
    a removed row the build needs (the programme's founding or replacement) is kept as it was.
    """

    counterparts = pd.read_csv(paths.COUNTERPARTS, dtype=str, keep_default_na=False)
    derived = pd.read_csv(paths.ARTICLE_DERIVED, dtype=str, keep_default_na=False)
    by_id = {f.id: f for f in claims}
    kept: set[str] = set()
    left_out: set[str] = {f.id for f in claims if f.change == v.REMOVED}
    paths.TMP.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="check-article.", dir=paths.TMP) as tmp:
        folder = Path(tmp)
        for _ in range(len(claims) + 1):
            rows = [f.row for f in claims if f.id not in left_out or f.id in kept]
            frame = pd.DataFrame(rows, columns=[c for c in tables.RAW_TABLES["figures.csv"].columns])
            _write_csv(folder / "figures.csv", frame)
            stated = frame["id"]
            _write_csv(
                folder / "derived.csv", derived[derived["base_id"].isin(stated) & derived["other_id"].isin(stated)]
            )
            try:
                ids = set(build.build_article(folder / "figures.csv", folder / "derived.csv")["article_figures"]["id"])
                _write_csv(folder / "counterparts.csv", counterparts[counterparts["claim_id"].isin(ids)])
                return build.build_all(
                    build.Inputs(
                        figures=folder / "figures.csv",
                        derived=folder / "derived.csv",
                        counterparts=folder / "counterparts.csv",
                        revision=revision,
                    ),
                    official,
                )
            except RawDataError as err:
                culprit = None
                if err.row is not None and str(err.file).endswith("figures.csv"):
                    culprit = rows[err.row - 1]["id"]
                elif err.row is not None and str(err.file).endswith("counterparts.csv"):
                    culprit = counterparts[counterparts["claim_id"].isin(ids)].iloc[err.row - 1]["claim_id"]
                elif (err.column == "id" or str(err.file).endswith("derived.csv")) and err.value in by_id:
                    culprit = err.value  # (a stated claim a derived one needs, undated in the revision)
                if culprit is None or culprit in kept or (culprit in left_out and by_id[culprit].change != v.REMOVED):
                    raise
                if by_id[culprit].change == v.REMOVED:
                    kept.add(culprit)
                    by_id[culprit].note = f"{_KEPT}: {err.reason}"
                else:
                    left_out.add(culprit)
                    by_id[culprit].note = f"{_LEFT_OUT} ({err.reason})"
    raise AssertionError("unreachable: every figure was tried")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# the comparison


@dataclass
class Base:
    """The transcribed article: its text, transcription (held to the text) and processed tables."""

    text: str
    raw: pd.DataFrame
    anchors: dict[str, transcription.Anchors]
    #: Every processed table of the committed article (built when first needed).
    built: dict[str, pd.DataFrame] | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        if self.built is None:
            self.built = build.build_all()
        return self.built


def read_base(built: dict[str, pd.DataFrame] | None = None) -> Base:
    """The committed article, its checksum verified and its transcription held to it."""
    text = article.read_article_text(paths.ARTICLE_TEXT)
    raw = article.read_claims(paths.ARTICLE_FIGURES)
    anchors = transcription.check(text, raw, transcription.read_exclusions())
    return Base(text, raw, anchors, built)


def _status(built: dict[str, pd.DataFrame]) -> dict[str, str]:
    rec = built["reconciliation"]
    return dict(zip(rec["claim_id"], rec["status"], strict=True))


def _refused(revision: str, base: Base) -> None:
    """Refuse a revision that is empty or shares almost nothing with the article."""
    if not revision.strip():
        raise BadRevision("the revision is empty")
    shared = shared_part(base.text, revision)
    if shared < MIN_SHARED:
        raise BadRevision(
            f"shares almost nothing with the article {paths.relative(paths.ARTICLE_TEXT)} "
            f"({shared:.0%} of its word triples, where a revision shares at least {MIN_SHARED:.0%})"
        )


def by_claim(corrections: pd.DataFrame) -> dict[str, pd.Series]:
    """The correction of each claim: the row of its sentence in ``corrections.csv``."""
    return {c: row for _, row in corrections.iterrows() for c in row["claim_ids"].split()}


@dataclass
class Outcome:
    """What the re-check gives: each claim's status and correction, and the figures it built."""

    status: dict[str, str]
    fixes: dict[str, pd.Series]
    figures: pd.DataFrame


def _outcome(built: dict[str, pd.DataFrame] | None, old: Outcome) -> Outcome:
    if built is None:
        return Outcome({}, {}, old.figures.iloc[0:0])
    return Outcome(_status(built), by_claim(built["corrections"]), built["article_figures"].set_index("id"))


def _fix_columns(fix: pd.Series | None) -> dict:
    return {
        "problem": None if fix is None else fix["problem"],
        "suggested_text": None if fix is None else fix["suggested_text"],
    }


def _empty_row(**values) -> dict:
    return {**dict.fromkeys(COLUMNS), **values}


def removed_row(f: Claim, rec: pd.Series, old: Outcome) -> dict:
    """A stated figure whose phrase the revision no longer has."""
    phrase = rec["number_text"] or rec["date_text"]
    return _empty_row(
        change=v.REMOVED, id=f.id, basis=v.STATED, phrase=phrase, old_line=int(rec["line"]), old_phrase=phrase,
        old_status=old.status.get(f.id), old_number_text=rec["number_text"], old_date_text=rec["date_text"],
        note=f.note or None, _order=(1, int(rec["line"]), 0),
    )  # fmt: skip


def kept_row(f: Claim, rec: pd.Series, old: Outcome, new: Outcome) -> dict:
    """A stated figure the revision still states, changed or not, with its status and correction as
    the revision states it."""
    start = f.number.phrase.start if f.number else f.date.phrase.start
    return _empty_row(
        change=f.change, id=f.id, basis=v.STATED, line=int(f.row["line"]),
        phrase=f.row["number_text"] or f.row["date_text"],
        status=new.status.get(f.id) if f.id in new.figures.index else None,
        old_line=int(rec["line"]), old_phrase=rec["number_text"] or rec["date_text"],
        old_status=old.status.get(f.id), number_text=f.row["number_text"], date_text=f.row["date_text"],
        old_number_text=rec["number_text"], old_date_text=rec["date_text"], **_fix_columns(new.fixes.get(f.id)),
        note=f.note or None, _order=(0, int(f.row["line"]), start),
    )  # fmt: skip


def added_row(n: Occurrence, date: Occurrence | None) -> dict:
    """A phrase of the revision that no transcribed figure states, with the date of its sentence."""
    number = n.phrase.kind != v.DATE_PHRASE
    note = (
        "digits neither parser reads: transcribe nothing, or list the phrase in exclusions.csv"
        if n.phrase.kind == v.UNREAD_PHRASE
        else "not in the transcription: transcribe it in figures.csv, or list it in exclusions.csv"
    )
    return _empty_row(
        change=v.ADDED, basis=v.STATED, line=n.phrase.line, phrase=n.phrase.text,
        number_text=n.phrase.text if number else None,
        date_text=(date.phrase.text if date is not None else None) if number else n.phrase.text,
        note=note, _order=(0, n.phrase.line, n.phrase.start),
    )  # fmt: skip


def derived_row(claim_id: str, fig: pd.Series, old: Outcome, new: Outcome) -> dict:
    """A figure the article implies, derived again from the revised figures."""
    keys = ["value", "low", "high", "period_start", "period_end"]
    if claim_id not in new.figures.index:
        change = v.REMOVED
    else:
        same = all(_same(fig[k], new.figures.loc[claim_id, k]) for k in keys)
        change = v.UNCHANGED if same else v.CHANGED
    there = change != v.REMOVED
    return _empty_row(
        change=change, id=claim_id, basis=v.DERIVED, status=new.status.get(claim_id) if there else None,
        old_status=old.status.get(claim_id), **_fix_columns(new.fixes.get(claim_id) if there else None),
        note=f"derived: {fig['derivation']}", _order=(2, 0, 0),
    )  # fmt: skip


def compare(revision: str, base: Base | None = None) -> pd.DataFrame:
    """The revision against the transcribed article: one row per figure, as :data:`COLUMNS`."""
    base = base or read_base()
    _refused(revision, base)
    old_occ, new_occ = occurrences(base.text), occurrences(revision)
    figures, spare = revise(base.raw, base.anchors, old_occ, new_occ, (base.text, revision))
    spare_dates = [d for d in spare if d.phrase.kind == v.DATE_PHRASE]
    #: An added number's date: a new date phrase in its sentence.
    date_of = {n: _in_sentence(n, spare_dates) for n in spare if n.phrase.kind == v.NUMBER_PHRASE}
    dating = {d for d in date_of.values() if d is not None}
    old_built = base.tables()
    try:
        built = recheck(figures, revision, {name: old_built[name] for name in build.OFFICIAL_TABLES})
    except ProjectError as err:  # the comparison stands; the statuses cannot be had
        built = None
        for f in figures:
            f.note = f"{_REFUSED} ({err})"
    old = Outcome(_status(old_built), by_claim(old_built["corrections"]), old_built["article_figures"].set_index("id"))
    new = _outcome(built, old)
    rows = []
    for f in figures:
        rec = base.raw.loc[base.raw["id"].eq(f.id)].iloc[0]
        rows.append(removed_row(f, rec, old) if f.change == v.REMOVED else kept_row(f, rec, old, new))
    rows += [added_row(n, date_of.get(n)) for n in spare if n not in dating]
    if built:
        derived = old.figures[old.figures["basis"].eq(v.DERIVED)]
        rows += [derived_row(claim_id, fig, old, new) for claim_id, fig in derived.iterrows()]
    rows.sort(key=lambda r: r["_order"])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("line", "old_line"):
        frame[column] = frame[column].astype("Int64")
    return frame[COLUMNS].reset_index(drop=True)


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return a == b


# ---------------------------------------------------------------------------------------------
# the summary


def _quoted(text) -> str:
    return f"'{text}'" if isinstance(text, str) and text else "none"


def summary(result: pd.DataFrame) -> list[str]:
    """Counts by change, then each changed, added and removed figure and each status that moved."""
    counts = Counter(result["change"])
    moved = result["change"].eq(v.UNCHANGED) & result["line"].notna() & result["line"].ne(result["old_line"])
    parts = []
    for change in v.CHANGES:
        part = f"{change} {counts.get(change, 0)}"
        if change == v.UNCHANGED and moved.any():
            part += f" ({int(moved.sum())} on another line)"
        parts.append(part)
    lines = [", ".join(parts)]
    for _, r in result.iterrows():
        who = r["id"] if isinstance(r["id"], str) else "(new)"
        moved_status = (
            isinstance(r["status"], str) and isinstance(r["old_status"], str) and r["status"] != r["old_status"]
        )
        status = f"; {r['old_status']} -> {r['status']}" if moved_status else ""
        if r["basis"] == v.DERIVED and r["change"] != v.UNCHANGED:
            lines.append(f"{r['change']:<9} {who:<26} {r['note'].split(';')[0]}{status}")
        elif r["change"] == v.CHANGED:
            what = []
            if r["number_text"] != r["old_number_text"]:
                what.append(f"number {_quoted(r['old_number_text'])} -> {_quoted(r['number_text'])}")
            if r["date_text"] != r["old_date_text"]:
                what.append(f"date {_quoted(r['old_date_text'])} -> {_quoted(r['date_text'])}")
            lines.append(f"{r['change']:<9} {who:<26} line {r['line']}: {', '.join(what)}{status}")
        elif r["change"] == v.ADDED:
            dated = (
                f" (dated {_quoted(r['date_text'])})" if isinstance(r["date_text"], str) and r["number_text"] else ""
            )
            lines.append(f"{r['change']:<9} {who:<26} line {r['line']}: {_quoted(r['phrase'])}{dated}")
        elif r["change"] == v.REMOVED:
            lines.append(f"{r['change']:<9} {who:<26} was line {r['old_line']}: {_quoted(r['phrase'])}")
        elif moved_status:
            lines.append(f"{'status':<9} {who:<26} {r['old_status']} -> {r['status']}")
        if isinstance(r["note"], str) and r["note"].startswith((_LEFT_OUT, _KEPT)):
            listed = r["change"] != v.UNCHANGED or moved_status
            lines.append(f"{'':<9} {'':<26} {r['note']}" if listed else f"{'note':<9} {who:<26} {r['note']}")
    refused = result["note"].dropna().loc[lambda n: n.str.startswith(_REFUSED)]
    if len(refused):
        lines.append(refused.iloc[0])
    return lines


# ---------------------------------------------------------------------------------------------
# the command


def read_revision(path: Path) -> str:
    """The revision's text; refused when missing, not a file, not UTF-8 text, or empty."""
    path = Path(path)
    if not path.exists():
        raise BadRevision(f"{path}: no such file")
    if not path.is_file():
        raise BadRevision(f"{path}: not a file")
    try:
        text = read_text(path)
    except RawDataError as err:
        raise BadRevision(f"{path}: {err.reason}{encoding_hint(path.read_bytes())}") from None
    if m := _CONTROL.search(text):
        line = text.count("\n", 0, m.start()) + 1
        hint = encoding_hint(path.read_bytes()) if m[0] == "\x00" else ""
        raise BadRevision(f"{path}: not text (control character U+{ord(m[0]):04X} on line {line}){hint}")
    return text


def encoding_hint(data: bytes) -> str:
    """What a file that is not UTF-8 looks like, as a hint to add to the refusal ('' if no guess).

    >>> encoding_hint("192,655 trainees".encode("utf-16"))
    '; it looks like UTF-16 text: save it as UTF-8'
    >>> encoding_hint("the programme\u2019s 192,655 trainees".encode("cp1252"))
    '; it looks like Windows-1252 (cp1252) text, where it reads "the programme\u2019s 192,655 t...": save it as UTF-8'
    >>> encoding_hint(bytes([0x81, 0x8d, 0x8f]))
    ''
    """
    sample = data[:4096]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff") or (sample.count(0) > 0 and sample.count(0) >= len(sample) // 4):
        return "; it looks like UTF-16 text: save it as UTF-8"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    if _CONTROL.search(text):
        return ""
    shown = " ".join(text.split())[:30]
    return f'; it looks like Windows-1252 (cp1252) text, where it reads "{shown}...": save it as UTF-8'


def check_out(out: Path) -> None:
    """Refuse an output path inside data/, or an existing file that is not an earlier result."""
    if paths.is_inside(out, paths.DATA):
        raise BadRevision(f"{out}: the result may not be written inside data/ (only `make data` writes there)")
    if ".git" in Path(out).parts or ".git" in Path(out).resolve().parts:
        raise BadRevision(f"{out}: the result may not be written inside a .git folder (git's own)")
    if out.exists():
        if not out.is_file():
            raise BadRevision(f"{out}: not a file")
        with open(out, encoding="utf-8", errors="replace") as handle:
            header = handle.readline().rstrip("\r\n")
        if header != ",".join(COLUMNS):
            raise BadRevision(f"{out}: exists and is not an earlier result of {STEP}; not overwritten")


def main(argv: list[str] | None = None) -> int:
    """Compare a revision with the transcribed article, write the result and print a summary."""
    parser = argparse.ArgumentParser(prog=STEP, description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, help="the revised text of the article")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"where to write the result (default {paths.relative(paths.CHECK_ARTICLE)})",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.article is None:
        print(f"{STEP}: give the revision to check: make check-article ARTICLE=path [OUT=result.csv]", file=sys.stderr)
        return 2
    out = args.out if args.out is not None else paths.CHECK_ARTICLE
    try:
        check_out(out)
        revision = read_revision(args.article)
    except BadRevision as err:
        print(f"{STEP}: refused: {err}; nothing was written.", file=sys.stderr)
        return 2
    try:
        base = read_base()
    except ProjectError as err:
        print(f"{STEP}: the transcribed article does not hold together: {err}", file=sys.stderr)
        return 1
    try:
        result = compare(revision, base)
    except BadRevision as err:
        print(f"{STEP}: refused: {args.article}: {err}; nothing was written.", file=sys.stderr)
        return 2
    except ProjectError as err:
        print(f"{STEP}: the revision could not be re-checked: {err}", file=sys.stderr)
        return 1
    try:
        write_if_changed(out, safe_for_spreadsheets(result).to_csv(index=False, lineterminator="\n"))
    except OSError as err:
        print(f"{STEP}: could not write {out}: {err.strerror}", file=sys.stderr)
        return 1
    print(f"{STEP}: {args.article} compared with {paths.relative(paths.ARTICLE_TEXT)}")
    for line in summary(result):
        print(f"  {line}")
    print(f"{STEP}: wrote {paths.relative(out)}")
    return 0


if __name__ == "__main__":
    from analysis import cli

    sys.exit(cli.entry(main))
