"""The transcription held to its text: ``figures.csv`` and ``exclusions.csv`` against ``article.txt``.

Every number and date phrase :func:`analysis.parse.extract.find_phrases` finds in the text is
either transcribed in ``figures.csv`` (on the same line, the same phrase, as ``number_text`` or
``date_text``) or listed with a reason in ``exclusions.csv``; and every phrase those two files
quote is a phrase found on its line. So neither file can drift from the text, nor the text from
them, without :func:`check` refusing it with the file, row, column and value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.parse.extract import Phrase, find_phrases
from analysis.sources.raw import read_raw_csv


@dataclass(frozen=True)
class Anchors:
    """Where a transcribed figure's phrases stand in the text."""

    number: Phrase | None
    date: Phrase | None

    @property
    def main(self) -> Phrase:
        """The phrase that stands for the figure: its number, or its date for a date-only figure."""
        return self.number or self.date


def read_exclusions(path: Path = paths.ARTICLE_EXCLUSIONS) -> pd.DataFrame:
    """The phrases of the article that are not figures, each with a line and a reason."""
    table = read_raw_csv(path, name=paths.ARTICLE_EXCLUSIONS.name)  # refuses a repeated line and phrase
    for r in table.itertuples(index=False):
        if not r.line.isdigit() or int(r.line) < 1:
            raise RawDataError(path, r.row, "line", r.line, "expected a positive whole number")
        if not r.phrase.strip():
            raise RawDataError(path, r.row, "phrase", r.phrase, "the phrase excluded is required")
        if not r.reason.strip():
            raise RawDataError(path, r.row, "reason", r.reason, "say why the phrase is not a figure")
    return table


def _on_line(phrases: list[Phrase]) -> dict[int, list[Phrase]]:
    by_line: dict[int, list[Phrase]] = defaultdict(list)
    for p in phrases:
        by_line[p.line].append(p)
    return by_line


def _not_found(line: int, found: list[Phrase], kinds: tuple[str, ...]) -> str:
    there = [p.text for p in found if p.kind in kinds]
    return f"not a phrase found on line {line} of the article" + (
        f" (found there: {', '.join(repr(t) for t in there)})" if there else " (none found there)"
    )


def locate(raw: pd.DataFrame, phrases: list[Phrase], path: Path = paths.ARTICLE_FIGURES) -> dict[str, Anchors]:
    """Where each transcribed figure's number and date stand; refuses a phrase not found on its line.

    A date shared by several figures is one phrase; a number is each figure's own. Where a line
    holds the date phrase more than once, a figure's date is the nearest one before its number.
    """
    by_line = _on_line(phrases)
    numbers_used: set[Phrase] = set()
    anchors: dict[str, Anchors] = {}
    for rec in raw.itertuples(index=False):
        line = int(rec.line)
        found = by_line.get(line, [])
        number = date = None
        if rec.number_text:
            kinds = (v.NUMBER_PHRASE, v.STAGE_PHRASE)
            matches = [p for p in found if p.kind in kinds and rec.number_text in p.forms]
            if not matches:
                raise RawDataError(path, rec.row, "number_text", rec.number_text, _not_found(line, found, kinds))
            number = next((p for p in matches if p not in numbers_used), matches[0])
            numbers_used.add(number)
        if rec.date_text:
            matches = [p for p in found if p.kind == v.DATE_PHRASE and rec.date_text in p.forms]
            if not matches:
                raise RawDataError(path, rec.row, "date_text", rec.date_text, _not_found(line, found, (v.DATE_PHRASE,)))
            at = number.start if number else 0
            date = min(matches, key=lambda p: (p.start > at, abs(p.start - at)))
        anchors[rec.id] = Anchors(number, date)
    return anchors


def uncovered(phrases: list[Phrase], raw: pd.DataFrame, exclusions: pd.DataFrame) -> list[Phrase]:
    """The phrases found that neither figures.csv transcribes on their line nor exclusions.csv lists."""
    quoted = {(int(r.line), t) for r in raw.itertuples(index=False) for t in (r.number_text, r.date_text) if t}
    excluded = {(int(r.line), r.phrase) for r in exclusions.itertuples(index=False)}
    return [
        p for p in phrases if not any((p.line, form) in quoted for form in p.forms) and (p.line, p.text) not in excluded
    ]


def check(
    text: str,
    raw: pd.DataFrame,
    exclusions: pd.DataFrame,
    *,
    text_path: Path = paths.ARTICLE_TEXT,
    figures_path: Path = paths.ARTICLE_FIGURES,
    exclusions_path: Path = paths.ARTICLE_EXCLUSIONS,
) -> dict[str, Anchors]:
    """Refuse a transcription that has drifted from its text; return where each figure stands.

    Checks, in order: every transcribed phrase is found on its line; every excluded phrase is
    found on its line and is not also transcribed; every phrase found is transcribed or excluded.
    """
    phrases = find_phrases(text)
    anchors = locate(raw, phrases, figures_path)
    by_line = _on_line(phrases)
    quoted = {(int(r.line), t) for r in raw.itertuples(index=False) for t in (r.number_text, r.date_text) if t}
    for r in exclusions.itertuples(index=False):
        found = by_line.get(int(r.line), [])
        match = [p for p in found if p.text == r.phrase]
        if not match:
            raise RawDataError(
                exclusions_path, r.row, "phrase", r.phrase, _not_found(int(r.line), found, tuple(v.PHRASE_KINDS))
            )
        if any((p.line, form) in quoted for p in match for form in p.forms):
            raise RawDataError(
                exclusions_path,
                r.row,
                "phrase",
                r.phrase,
                "transcribed in figures.csv too: a phrase is a figure or excluded, not both",
            )
    missing = uncovered(phrases, raw, exclusions)
    if missing:
        p = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise RawDataError(
            f"{paths.relative(text_path)}, line {p.line}",
            None,
            None,
            p.text,
            f"a {p.kind} phrase neither transcribed in figures.csv nor listed with a reason in exclusions.csv{more}",
        )
    return anchors
