"""Read a figure as written ("almost half of 410,000") into a value with an interval.

Rules, in the order they apply
------------------------------
1. **Precision.** A stated number stands for the interval its precision implies:

   * a number with decimals is rounded to its last decimal: ``46.2%`` is 46.15 to 46.25;
   * a whole-number percentage is rounded to the whole percent: ``42%`` is 41.5 to 42.5;
   * a whole-number count is exact (``192,655``, ``328,360``), unless it ends in three or more
     zeros, which reads as rounded to its last non-zero digit: ``410,000`` is 405,000 to
     415,000 and ``35,000`` is 34,500 to 35,500;
   * number words (``five``) and fractions (``half``, ``a third``, ``one in 4``) are exact;
   * a scale word multiplies the number and its precision: ``1.2 million`` is 1,150,000 to
     1,250,000.

2. **Hedges** then change that interval ``[lo, hi]`` around the stated value ``v``:

   =============  ===================================================  ====================
   qualifier      words                                                interval
   =============  ===================================================  ====================
   none           (no hedge)                                           ``[lo, hi]``
   approximate    about, approximately, approx., around, roughly,      ``[min(lo, v-5%),
                  some, circa, c.                                       max(hi, v+5%)]``
   near_upper     almost, nearly, just under                           ``[v-10%, v]``
   upper          fewer than, less than, up to, under                  ``[0, v]``
   near_lower     just over                                            ``[v, v+10%]``
   lower          over, more than, at least                            ``[v, inf]``
                                                                       (``[v, 100]`` for a
                                                                       share)
   =============  ===================================================  ====================

   The percentages are of ``v`` (:data:`APPROXIMATE`, :data:`NEAR`). A bound stated in words is
   the stated figure itself: "almost 2,000" is below 2,000 even though "2,000" alone would
   stand for 1,500 to 2,500.

3. **Compounds.** ``FRACTION of NUMBER`` (``almost half of 410,000``, ``46.2% of 192,655``)
   is the count the share implies: value, low and high are the share's value, low and high
   (as fractions) times the count's value, low and high.

``value`` is always the figure as stated, so ``low <= value <= high``. Units are ``count``,
``percent`` (``%``, ``percent``, ``per cent`` and the fraction words) and ``years`` (``five
years``, ``every 3 years``; ``every year`` is 1). Anything else raises :class:`ValueError`
naming the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analysis.vocabulary import COUNT, NO_HEDGE, PERCENT, YEARS

APPROXIMATE = 0.05
"""Relative half-width that ``about``/``approximately``/... adds to a figure."""
NEAR = 0.10
"""How far below (``almost``) or above (``just over``) the stated figure the value may lie."""

#: Each hedge's words and the qualifier they mean, longest first (the rules in the module docstring).
HEDGES: tuple[tuple[str, str], ...] = (
    # longest phrases first, so "just under" is not read as "under"
    ("approximately", "approximate"),
    ("fewer than", "upper"),
    ("more than", "lower"),
    ("less than", "upper"),
    ("just under", "near_upper"),
    ("just over", "near_lower"),
    ("at least", "lower"),
    ("roughly", "approximate"),
    ("approx.", "approximate"),
    ("around", "approximate"),
    ("nearly", "near_upper"),
    ("almost", "near_upper"),
    ("circa", "approximate"),
    ("about", "approximate"),
    ("up to", "upper"),
    ("under", "upper"),
    ("some", "approximate"),
    ("over", "lower"),
    ("c.", "approximate"),
)
#: The words of every hedge, longest first (what :mod:`analysis.parse.extract` looks for before a figure).
HEDGE_WORDS: tuple[str, ...] = tuple(words for words, _ in HEDGES)

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACTIONS = {
    "half": 1 / 2,
    "a half": 1 / 2,
    "one half": 1 / 2,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "a quarter": 1 / 4,
    "one quarter": 1 / 4,
}

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMERIC_RE = re.compile(
    rf"^(?P<num>{_NUMBER}|{'|'.join(_WORDS)})"
    rf"(?:\s+(?P<scale>{'|'.join(_SCALES)}))?"
    r"(?:\s*(?P<pct>%|percent|per cent)|\s+(?P<years>years?))?$"
)
_ONE_IN_RE = re.compile(r"^one in (?P<n>\d+|" + "|".join(_WORDS) + r")$")
_EVERY_RE = re.compile(r"^every(?: (?P<n>\d+|" + "|".join(_WORDS) + r") years| year)$")


@dataclass(frozen=True)
class Quantity:
    """A parsed figure: the stated ``value`` and the interval ``[low, high]`` it stands for."""

    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    text: str

    def __post_init__(self) -> None:
        if not self.low <= self.value <= self.high:  # pragma: no cover - guards the rules
            raise AssertionError(f"interval out of order for {self.text!r}: {self}")


#: A no-break space or a narrow one (U+00A0, U+202F) between groups of three digits separates
#: thousands, as a comma does: ``192 655`` is one number.
_SPACED_THOUSANDS = re.compile("(?<=[0-9])[\u00a0\u202f](?=[0-9]{3}(?![0-9]))")


def _normalise(text: str) -> str:
    text = _SPACED_THOUSANDS.sub(",", text)
    return " ".join(text.replace("\u00a0", " ").split()).lower().rstrip(".;:")


def _number(token: str) -> tuple[float, float]:
    """The number a token states and the half-width its precision implies (counts)."""
    if token in _WORDS:
        return float(_WORDS[token]), 0.0
    digits = token.replace(",", "")
    if "." in digits:
        decimals = len(digits.split(".")[1])
        return float(digits), 0.5 * 10.0**-decimals
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped)
    if stripped and zeros >= 3:
        return float(digits), 0.5 * 10.0**zeros
    return float(digits), 0.0


def _core(text: str) -> tuple[float, float, float, str]:
    """value, low, high and unit of an unhedged figure."""
    if text in _FRACTIONS:
        share = 100 * _FRACTIONS[text]
        return share, share, share, PERCENT
    if m := _ONE_IN_RE.match(text):
        n = m["n"]
        denominator = _WORDS[n] if n in _WORDS else int(n)
        if denominator == 0:
            raise ValueError(f"cannot read a quantity from {text!r}: one in zero")
        share = 100 / denominator
        return share, share, share, PERCENT
    if m := _EVERY_RE.match(text):
        n = m["n"]
        years = 1.0 if n is None else float(_WORDS[n] if n in _WORDS else int(n))
        return years, years, years, YEARS
    m = _NUMERIC_RE.match(text)
    if not m:
        raise ValueError(f"cannot read a quantity from {text!r}")
    value, half = _number(m["num"])
    scale = _SCALES.get(m["scale"] or "", 1)
    if m["pct"]:
        unit = PERCENT
        if "." not in m["num"] and m["num"] not in _WORDS:
            half = 0.5
    else:
        unit = YEARS if m["years"] else COUNT
    value, half = value * scale, half * scale
    return value, value - half, value + half, unit


def _hedge(text: str) -> tuple[str, str]:
    for words, qualifier in HEDGES:
        if text.startswith(words + " "):
            return qualifier, text[len(words) + 1 :].strip()
    return NO_HEDGE, text


def _simple(text: str) -> tuple[float, float, float, str, str]:
    qualifier, rest = _hedge(text)
    value, low, high, unit = _core(rest)
    ceiling = 100.0 if unit == PERCENT else math.inf
    if qualifier == "approximate":
        low, high = min(low, value * (1 - APPROXIMATE)), max(high, value * (1 + APPROXIMATE))
    elif qualifier == "near_upper":
        low, high = value * (1 - NEAR), value
    elif qualifier == "upper":
        low, high = 0.0, value
    elif qualifier == "near_lower":
        low, high = value, value * (1 + NEAR)
    elif qualifier == "lower":
        low, high = value, max(ceiling, value)
    return value, low, high, unit, qualifier


def parse_quantity(text: str) -> Quantity:
    """Parse a figure as written; see the module docstring for every rule.

    Precision:

    >>> parse_quantity("192,655")
    Quantity(value=192655.0, low=192655.0, high=192655.0, unit='count', qualifier='none', text='192,655')
    >>> q = parse_quantity("46.2%"); (q.value, round(q.low, 2), round(q.high, 2), q.unit)
    (46.2, 46.15, 46.25, 'percent')
    >>> q = parse_quantity("410,000"); (q.low, q.high)
    (405000.0, 415000.0)
    >>> parse_quantity("1.2 million").high
    1250000.0

    Hedges:

    >>> q = parse_quantity("about 15%"); (q.qualifier, round(q.low, 2), round(q.high, 2))
    ('approximate', 14.25, 15.75)
    >>> q = parse_quantity("Approximately 35,000"); (q.low, q.high)
    (33250.0, 36750.0)
    >>> q = parse_quantity("almost half"); (q.value, q.low, q.high, q.qualifier)
    (50.0, 45.0, 50.0, 'near_upper')
    >>> parse_quantity("fewer than 100").low
    0.0
    >>> parse_quantity("more than 1,000").high
    inf
    >>> parse_quantity("at least 40 per cent").high
    100.0
    >>> q = parse_quantity("one in four"); (q.value, q.unit)
    (25.0, 'percent')

    Compounds:

    >>> q = parse_quantity("almost half of 410,000"); (q.value, q.low, q.high, q.unit)
    (205000.0, 182250.0, 207500.0, 'count')

    Durations:

    >>> q = parse_quantity("up to five years"); (q.value, q.low, q.high, q.unit)
    (5.0, 0.0, 5.0, 'years')
    >>> parse_quantity("every year").value
    1.0

    Errors name the text:

    >>> parse_quantity("4O%")
    Traceback (most recent call last):
    ...
    ValueError: cannot read a quantity from '4O%'
    >>> parse_quantity("12,34,5")
    Traceback (most recent call last):
    ...
    ValueError: cannot read a quantity from '12,34,5'
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"cannot read a quantity from {text!r}: it is empty")
    clean = _normalise(text)
    try:
        if " of " in clean:
            share_text, count_text = clean.split(" of ", 1)
            s_value, s_low, s_high, s_unit, qualifier = _simple(share_text)
            c_value, c_low, c_high, c_unit, c_qualifier = _simple(count_text)
            if s_unit != PERCENT or c_unit != COUNT:
                raise ValueError(f"cannot read a quantity from {text!r}: expected SHARE of COUNT")
            return Quantity(
                value=s_value / 100 * c_value,
                low=s_low / 100 * c_low,
                high=s_high / 100 * c_high,
                unit=COUNT,
                qualifier=qualifier if qualifier != NO_HEDGE else c_qualifier,
                text=text,
            )
        value, low, high, unit, qualifier = _simple(clean)
    except ValueError as err:
        if repr(text) in str(err):
            raise
        raise ValueError(f"cannot read a quantity from {text!r}") from err
    return Quantity(value=value, low=low, high=high, unit=unit, qualifier=qualifier, text=text)
