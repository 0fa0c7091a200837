"""Numbers and dates as readers see them, shared by findings, corrections, charts and pages.

Every figure a reader sees passes through here, so one figure is written the same way
everywhere: counts with thousands separators, shares to a stated precision, hedges in the
article's own words, and dates in words ("the end of 2018", "30 June 2019").
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from analysis import vocabulary as v


def hedge(qualifier: str | None) -> str:
    """The word a reader sees before a figure with this hedge.

    >>> hedge("near_upper"), hedge("approximate"), hedge("none")
    ('almost', 'about', '')
    """
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return ""
    return v.QUALIFIERS[qualifier].word


def count(value: float, qualifier: str = v.NO_HEDGE, basis: str = v.STATED) -> str:
    """A count as a reader should see it: exact when stated exactly, else rounded, with its hedge.

    A derived count keeps the hedge of the figures it comes from ("almost half of ..." gives
    "almost 205,000"), rounded to four significant digits.

    >>> count(192655)
    '192,655'
    >>> count(167526.09, "approximate", "derived")
    'about 167,500'
    >>> count(205000.0, "near_upper", "derived")
    'almost 205,000'
    >>> count(35000, "approximate")
    'about 35,000'
    """
    word = hedge(qualifier)
    if basis == v.STATED:
        text = f"{value:,.0f}"
    else:
        digits = max(0, math.floor(math.log10(abs(value))) - 3) if value else 0
        text = f"{round(value, -digits):,.0f}"
        word = word or "about"
    return f"{word} {text}" if word else text


def value(number: float, unit: str) -> str:
    """A figure in its unit: shares to two decimals at most, counts whole, durations in years.

    >>> value(46.15, "percent"), value(14.9, "percent"), value(31.76493, "percent"), value(192655.0, "count")
    ('46.15%', '14.9%', '31.76%', '192,655')
    >>> value(5, "years"), value(1, "years")
    ('5 years', '1 year')
    """
    if unit == v.PERCENT:
        return f"{number:.2f}".rstrip("0").rstrip(".") + "%"
    if unit == v.YEARS:
        return f"{number:g} year" + ("" if number == 1 else "s")
    return f"{number:,.0f}"


def share(number: float, decimals: int = 1) -> str:
    """A share to a fixed number of decimals, the one precision of a chart or a sentence.

    >>> share(41.6279), share(8.0), share(53.09, 0)
    ('41.6%', '8.0%', '53%')
    """
    return f"{number:.{decimals}f}%"


def interval(low: float, high: float, unit: str) -> str:
    """The interval a figure's wording allows.

    >>> interval(45.0, 50.0, "percent"), interval(182250, 207500, "count"), interval(0, 5, "years")
    ('45% to 50%', '182,250 to 207,500', '0 to 5 years')
    """
    if low == high:
        return value(low, unit)
    first = f"{low:g}" if unit == v.YEARS else value(low, unit)
    return f"{first} to {value(high, unit)}"


def as_date(when) -> date | None:
    """A day as a ``date``, from a ``date``, a timestamp or ISO text; None when missing.

    >>> as_date("2018-12-31"), as_date(pd.Timestamp("2018-12-31 00:00")), as_date(None), as_date(pd.NaT)
    (datetime.date(2018, 12, 31), datetime.date(2018, 12, 31), None, None)
    """
    if when is None or (not isinstance(when, str) and pd.isna(when)):
        return None
    return pd.Timestamp(when).date()


def days_apart(first, second) -> int:
    """The whole days between two days, either way round (any form :func:`as_date` reads).

    >>> days_apart("2019-06-30", "2018-12-31"), days_apart(pd.Timestamp("2018-12-31"), "2018-12-31")
    (181, 0)
    """
    return abs((as_date(first) - as_date(second)).days)


def day(when) -> str:
    """A day in words: the last day of a month reads as its end (the statistics' own dates).

    >>> day("2018-12-31"), day("2019-06-30"), day(pd.Timestamp("2017-11-01"))
    ('the end of 2018', 'the end of June 2019', '1 November 2017')
    """
    d = as_date(when)
    if (d.month, d.day) == (12, 31):
        return f"the end of {d.year}"
    if (d + pd.Timedelta(days=1)).day == 1:
        return f"the end of {d:%B %Y}"
    return f"{d.day} {d:%B %Y}"


def period(start, end, precision: str | None = None) -> str:
    """A period in words, as precise as it is known.

    >>> period("2015-12-31", "2015-12-31", "year"), period("2019-12-01", "2019-12-31", "month")
    ('the end of 2015', 'December 2019')
    >>> period("2012-01-01", "2017-12-31", "year"), period("2017-01-01", "2017-12-31", "year")
    ('2012 to 2017', '2017')
    >>> period("2019-04-01", "2020-03-31", "fiscal_year"), period(None, None)
    ('fiscal 2019', 'undated')
    >>> period("2019-06-30", "2019-06-30", "day")
    'the end of June 2019'
    """
    s, e = as_date(start), as_date(end)
    if s is None:
        return "undated"
    if s == e:
        return day(e)
    if (s.month, s.day, e.month, e.day) == (4, 1, 3, 31) and e.year == s.year + 1:  # Japan's fiscal year
        return f"fiscal {s.year}"
    if (s.day, e.month, e.day) == (1, s.month, e.day) and s.year == e.year and s.month == e.month:
        return f"{e:%B %Y}"
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
        return str(s.year) if s.year == e.year else f"{s.year} to {e.year}"
    return f"{day(s)} to {day(e)}"


def at(start, end=None, precision: str | None = None, on: str = "on") -> str:
    """A period as the words after a figure: 'at the end of 2018', 'in 2019', 'between 2012 and 2017'.

    ``on`` is the word before a day ('at' where a clause opens with it: 'At 30 June 2019, ...').

    >>> at("2018-12-31"), at("2019-01-01", "2019-12-31"), at("2012-01-01", "2017-12-31")
    ('at the end of 2018', 'in 2019', 'between 2012 and 2017')
    >>> at("2017-11-01"), at("2019-10-01", "2019-10-31"), sentence_start(at("2019-06-12", on="at"))
    ('on 1 November 2017', 'in October 2019', 'At 12 June 2019')
    """
    words = period(start, start if end is None else end, precision)
    if " to " in words:
        first, last = words.split(" to ", 1)
        return f"between {first} and {last}"
    if words.startswith("the end"):
        return f"at {words}"
    if words[:1].isdigit() and " " in words:
        return f"{on} {words}"
    return f"in {words}"


def iso_period(text: str | None) -> str:
    """An ISO date or range as ``official_period`` holds it, in words.

    >>> iso_period("2018-12-31"), iso_period("2012-01-01 to 2017-12-31"), iso_period("2017-01-01 to 2017-01-31")
    ('the end of 2018', '2012 to 2017', 'January 2017')
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return "undated"
    start, _, end = text.partition(" to ")
    return period(start, end or start)


#: Country names that take the definite article in a sentence.
_THE = ("Philippines", "United States", "United Kingdom", "Netherlands")


def country(name: str) -> str:
    """A country's name as it reads mid-sentence.

    >>> country("Philippines"), country("Vietnam")
    ('the Philippines', 'Vietnam')
    """
    return f"the {name}" if name in _THE else name


def body_name(name: str) -> str:
    """An institution's name as a reader sees it (:data:`analysis.vocabulary.BODY_NAMES`).

    >>> body_name("Ministry of Health Labour and Welfare")
    'Ministry of Health, Labour and Welfare'
    """
    return v.BODY_NAMES.get(name, name)


def body(name: str) -> str:
    """An institution's name as it reads mid-sentence: with 'the', unless it is a phrase already.

    >>> body("Ministry of Justice"), body("as reported by a fisheries trade journal")
    ('the Ministry of Justice', 'as reported by a fisheries trade journal')
    """
    name = body_name(name)
    return name if name[:1].islower() or name.startswith("the ") else f"the {name}"


def sentence_start(text: str) -> str:
    """``text`` with its first letter capitalised, for a phrase that opens a sentence.

    >>> sentence_start("the end of 2018, ...")
    'The end of 2018, ...'
    """
    return text[:1].upper() + text[1:]


def listing(items: list[str]) -> str:
    """Items joined as prose: 'a', 'a and b', 'a, b and c'.

    >>> listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
