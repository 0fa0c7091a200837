"""Find every number and date phrase in a text, with its line and its span.

A phrase is what one of the project's own parsers reads, with the words that change its meaning:

* a **date** (:func:`~analysis.parse.period.parse_period`) with its lead words: ``As of 2015``,
  ``as of the end of 2015``, ``In December 2019``, ``between 2012 and 2017``. A four-digit number
  from 1800 to 2099 that is not a share, a duration or part of a longer number is a year;
* the years of a **stage** (:func:`~analysis.parse.stage.parse_stage_years`): ``2nd and 3rd year``;
* a **number** (:func:`~analysis.parse.quantity.parse_quantity`) with the hedge before it:
  ``about 15%``, ``Approximately 42%``, ``up to five years``, ``every 3 years``, ``almost half``.
  In ``almost half of 410,000`` the share and the count are two phrases, each a figure of its
  own, and both carry the whole ``SHARE of COUNT`` as their ``compound``;
* any digit none of these covers is an **unread** phrase: the word it stands in (``COVID-19``),
  unless that word is a web host or address a citation names (``kizuna2581.org``).

Lines count from 1, as :meth:`str.splitlines` splits them; ``start`` and ``end`` are columns of
the line (from 0, end excluded), so ``text.splitlines()[line - 1][start:end] == phrase.text``.
A phrase is matched as written: the case of its words is kept.

``in X`` names the same period as ``X`` (``parse_period`` drops the ``in``), so a transcription
may quote a date either way: :attr:`Phrase.forms` lists both.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass

from analysis.parse.period import LEAD_WORDS, parse_period
from analysis.parse.quantity import HEDGE_WORDS, parse_quantity
from analysis.parse.stage import parse_stage_years
from analysis.vocabulary import DATE_PHRASE, NUMBER_PHRASE, PERCENT, STAGE_PHRASE, UNREAD_PHRASE

_MONTH_NAMES = sorted({m for m in [*calendar.month_name, *calendar.month_abbr, "Sept"] if m}, key=len, reverse=True)
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DATE = (
    rf"(?:\d{{1,2}} {_MONTH},? {_YEAR}|{_MONTH} \d{{1,2}},? {_YEAR}|{_MONTH} {_YEAR}|{_YEAR}-\d\d-\d\d"
    rf"|(?:FY|fiscal(?: year)?) ?{_YEAR}|{_YEAR})"
)
#: Not a year: inside a longer number or word, or followed by a share or duration.
_NOT_BEFORE = r"(?<![\w.,\-/])"
_NOT_AFTER = r"(?![\w%\-/]|[.,]\d|\s*(?:%|percent\b|per cent\b|years?\b))"
_RANGE_RE = re.compile(
    rf"{_NOT_BEFORE}(?:between {_DATE} and {_DATE}|from {_DATE} to {_DATE}|{_DATE} to {_DATE}"
    rf"|{_YEAR}\s*[-\u2013]\s*{_YEAR}){_NOT_AFTER}",
    re.IGNORECASE,
)
_DATE_RE = re.compile(rf"{_NOT_BEFORE}{_DATE}{_NOT_AFTER}", re.IGNORECASE)

_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_UNIT = r"(?:\s*%|\s+(?:percent|per cent)\b|\s+years?\b)?"
_SCALE = r"(?:\s+(?:thousand|million|billion)\b)?"
_STAGE_RE = re.compile(r"(?<![\w.,])\d+(?:st|nd|rd|th)(?: and \d+(?:st|nd|rd|th))? years?\b", re.IGNORECASE)
#: Number phrases in the order they are looked for: the longer readings first.
_NUMBER_RES = (
    re.compile(rf"\bevery (?:(?:\d+|{_WORDS}) years|year)\b", re.IGNORECASE),
    re.compile(rf"\bone in (?:\d+|{_WORDS})\b", re.IGNORECASE),
    re.compile(r"\b(?:(?:a|one) )?half\b|\b(?:a|one) (?:third|quarter)\b", re.IGNORECASE),
    re.compile(
        rf"(?<![\w.,\-/])(?:\d{{1,3}}(?:[,\u00a0\u202f]\d{{3}})+|\d+)(?:\.\d+)?{_SCALE}{_UNIT}(?![\w\-/]|[.,]\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:{_WORDS})\b{_SCALE}{_UNIT}", re.IGNORECASE),
)
_UNREAD_STRIP = ".,;:!?()[]{}\"'"
#: A web host or address (``kizuna2581.org``, ``https://example.jp/2019/``), cited, not a figure.
_HOST = re.compile(r"(?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:/\S*)?")


@dataclass(frozen=True)
class Phrase:
    """A number or date phrase as written, where it stands and what kind it is."""

    text: str
    kind: str
    line: int
    start: int
    end: int
    #: ``SHARE of COUNT`` when the phrase is one side of such a compound, else ''.
    compound: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """The ways a transcription may quote the phrase: as written, and a date without its 'in'.

        >>> Phrase("in 1993", "date", 9, 70, 77).forms
        ('in 1993', '1993')
        """
        if self.kind == DATE_PHRASE and self.text[:3].lower() == "in ":
            return self.text, self.text[3:]
        return (self.text,)


def _reads(parser, text: str) -> bool:
    try:
        parser(text)
    except ValueError:
        return False
    return True


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def _lead(line: str, start: int, words: tuple[str, ...]) -> int:
    """Where the longest of ``words`` standing right before column ``start`` begins (``start`` if none)."""
    before = line[:start].lower()
    for w in words:
        if before.endswith(w + " "):
            at = start - len(w) - 1
            if at == 0 or not line[at - 1].isalnum():
                return at
    return start


def _extended(line: str, start: int, end: int, words: tuple[str, ...], parser) -> int:
    """The start of the phrase: with the lead or hedge words before it when the parser still reads it."""
    at = _lead(line, start, words)
    if at < start and _reads(parser, line[at:end]):
        return at
    return start


def _line_phrases(line: str, number: int) -> list[Phrase]:
    found: list[Phrase] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str) -> None:
        found.append(Phrase(line[start:end], kind, number, start, end))
        taken.append((start, end))

    for m in _RANGE_RE.finditer(line):
        if _reads(parse_period, m[0]):
            add(m.start(), m.end(), DATE_PHRASE)
    for m in _DATE_RE.finditer(line):
        if _free(taken, m.start(), m.end()) and _reads(parse_period, m[0]):
            add(_extended(line, m.start(), m.end(), LEAD_WORDS, parse_period), m.end(), DATE_PHRASE)
    for m in _STAGE_RE.finditer(line):
        if _free(taken, m.start(), m.end()) and _reads(parse_stage_years, m[0]):
            add(m.start(), m.end(), STAGE_PHRASE)
    for pattern in _NUMBER_RES:
        for m in pattern.finditer(line):
            if _free(taken, m.start(), m.end()) and _reads(parse_quantity, m[0]):
                start = _extended(line, m.start(), m.end(), HEDGE_WORDS, parse_quantity)
                if _free(taken, start, m.end()):
                    add(start, m.end(), NUMBER_PHRASE)
    for m in re.finditer(r"\d+", line):
        if not _free(taken, m.start(), m.end()):
            continue
        start, end = m.start(), m.end()
        while start > 0 and not line[start - 1].isspace():
            start -= 1
        while end < len(line) and not line[end].isspace():
            end += 1
        while line[start] in _UNREAD_STRIP:
            start += 1
        while line[end - 1] in _UNREAD_STRIP:
            end -= 1
        if not _HOST.fullmatch(line[start:end]):
            add(start, end, UNREAD_PHRASE)
    found.sort(key=lambda p: p.start)
    return _compounds(line, found)


def _compounds(line: str, found: list[Phrase]) -> list[Phrase]:
    """Mark each side of ``SHARE of COUNT`` with the compound, when parse_quantity reads it whole."""
    out = list(found)
    for i, (a, b) in enumerate(itertools.pairwise(found)):
        if a.kind != NUMBER_PHRASE or b.kind != NUMBER_PHRASE or line[a.end : b.start].lower() != " of ":
            continue
        whole = line[a.start : b.end]
        if _reads(parse_quantity, a.text) and parse_quantity(a.text).unit == PERCENT and _reads(parse_quantity, whole):
            out[i] = Phrase(a.text, a.kind, a.line, a.start, a.end, whole)
            out[i + 1] = Phrase(b.text, b.kind, b.line, b.start, b.end, whole)
    return out


def find_phrases(text: str) -> list[Phrase]:
    """Every number and date phrase of ``text``, in reading order.

    >>> [(p.text, p.kind) for p in find_phrases("In 2019, almost half of 410,000 workers took part.")]
    [('In 2019', 'date'), ('almost half', 'number'), ('410,000', 'number')]
    >>> find_phrases("x\\nAs of the end of 2015, about 15% (COVID-19).")[1:]  # doctest: +NORMALIZE_WHITESPACE
    [Phrase(text='about 15%', kind='number', line=2, start=23, end=32, compound=''),
     Phrase(text='COVID-19', kind='unread', line=2, start=34, end=42, compound='')]
    >>> [p.text for p in find_phrases("between 2012 and 2017 about 171 died; (1st year) up to five years")]
    ['between 2012 and 2017', 'about 171', '1st year', 'up to five years']
    >>> find_phrases("almost half of 410,000")[0].compound
    'almost half of 410,000'
    """
    phrases: list[Phrase] = []
    for number, line in enumerate(text.splitlines(), start=1):
        phrases.extend(_line_phrases(line, number))
    return phrases
