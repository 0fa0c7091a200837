"""Read a date as written ("As of 2015", "In December 2019", "FY2019") into a period.

Rules
-----
* A bare date names a period: ``2015`` is the whole year, ``December 2019`` the month,
  ``4 April 1993`` (or ``April 4, 1993`` or ``1993-04-04``) a single day.
* ``FY2019``, ``fiscal 2019`` and ``fiscal year 2019`` are Japan's fiscal years, which run from
  1 April to 31 March: FY2019 is 2019-04-01 to 2020-03-31.
* ``in X`` is the period X itself.
* ``as of X``, ``end of X``, ``at the end of X``, ``as of the end of X`` and ``by X`` are a
  point in time: ``start == end``, the last day of the period X.
* ``between X and Y``, ``from X to Y``, ``X to Y`` and ``X-Y`` run from the start of X to
  the end of Y, which must not come before it.
* Anything else raises :class:`ValueError` naming the text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from analysis.vocabulary import PRECISIONS

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_YEAR_RE = re.compile(r"^(?P<year>\d{4})$")
_FISCAL_RE = re.compile(r"^(?:fy|fiscal(?: year)?)\s*(?P<year>\d{4})$")
_MONTH_RE = re.compile(rf"^{_MONTH} (?P<year>\d{{4}})$")
_DAY_MONTH_RE = re.compile(rf"^(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})$")
_MONTH_DAY_RE = re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})$")
_ISO_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_RANGE_RES = (
    re.compile(r"^between (?P<a>.+) and (?P<b>.+)$"),
    re.compile(r"^from (?P<a>.+) to (?P<b>.+)$"),
    re.compile(r"^(?P<a>.+?) to (?P<b>.+)$"),
    re.compile(r"^(?P<a>\d{4})\s*[-\u2013]\s*(?P<b>\d{4})$"),
)
_POINT_PREFIXES = ("as of the end of", "at the end of", "as of", "end of", "by")
#: Words that may open a date as written, longest first (what :mod:`analysis.parse.extract` looks for).
LEAD_WORDS: tuple[str, ...] = (*_POINT_PREFIXES, "in")


@dataclass(frozen=True)
class Period:
    """A stretch of time, or a point in time when ``start == end``."""

    start: date
    end: date
    precision: str
    text: str

    @property
    def is_point(self) -> bool:
        return self.start == self.end


def _fail(text: str, why: str = "") -> ValueError:
    return ValueError(f"cannot read a period from {text!r}" + (f": {why}" if why else ""))


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _simple(text: str, original: str) -> tuple[date, date, str]:
    try:
        if m := _YEAR_RE.match(text):
            year = int(m["year"])
            return date(year, 1, 1), date(year, 12, 31), "year"
        if m := _FISCAL_RE.match(text):
            year = int(m["year"])
            return date(year, 4, 1), date(year + 1, 3, 31), "fiscal_year"
        if m := _MONTH_RE.match(text):
            year, month = int(m["year"]), _month(m["month"])
            return date(year, month, 1), _last_day(year, month), "month"
        for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
            if m := pattern.match(text):
                day = date(int(m["year"]), _month(m["month"]), int(m["day"]))
                return day, day, "day"
        if m := _ISO_RE.match(text):
            day = date(int(m["year"]), int(m["month"]), int(m["day"]))
            return day, day, "day"
    except ValueError as err:  # e.g. 31 February
        raise _fail(original, str(err)) from err
    raise _fail(original)


def parse_period(text: str) -> Period:
    """Parse a date as written; see the module docstring for every rule.

    >>> parse_period("As of 2015")
    Period(start=datetime.date(2015, 12, 31), end=datetime.date(2015, 12, 31), precision='year', text='As of 2015')
    >>> p = parse_period("In December 2019"); (str(p.start), str(p.end), p.precision)
    ('2019-12-01', '2019-12-31', 'month')
    >>> p = parse_period("end of June 2017"); (str(p.start), p.is_point)
    ('2017-06-30', True)
    >>> p = parse_period("as of the end of 2015"); (str(p.start), str(p.end))
    ('2015-12-31', '2015-12-31')
    >>> p = parse_period("between 2012 and 2017"); (str(p.start), str(p.end))
    ('2012-01-01', '2017-12-31')
    >>> p = parse_period("FY2019"); (str(p.start), str(p.end), p.precision)
    ('2019-04-01', '2020-03-31', 'fiscal_year')
    >>> p = parse_period("from April 1993 to 5 April 1993"); (str(p.start), str(p.end))
    ('1993-04-01', '1993-04-05')
    >>> parse_period("1993").start
    datetime.date(1993, 1, 1)
    >>> parse_period("sometime soon")
    Traceback (most recent call last):
    ...
    ValueError: cannot read a period from 'sometime soon'
    """
    if not isinstance(text, str) or not text.strip():
        raise _fail(text, "it is empty")
    clean = " ".join(text.split()).lower().rstrip(".,;:")

    for prefix in _POINT_PREFIXES:
        if clean.startswith(prefix + " "):
            _, end, precision = _simple(clean[len(prefix) + 1 :], text)
            return Period(end, end, precision, text)
    if clean.startswith("in "):
        clean = clean[3:]

    for pattern in _RANGE_RES:
        if m := pattern.match(clean):
            start, _, p_a = _simple(m["a"], text)
            _, end, p_b = _simple(m["b"], text)
            if end < start:
                raise _fail(text, "the range ends before it starts")
            order = list(PRECISIONS)
            precision = p_a if order.index(p_a) >= order.index(p_b) else p_b
            return Period(start, end, precision, text)

    start, end, precision = _simple(clean, text)
    return Period(start, end, precision, text)
