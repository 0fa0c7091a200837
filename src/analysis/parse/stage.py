"""Read the years of the programme a stage covers, as written ("1st year", "4th and 5th year")."""

from __future__ import annotations

import re

_STAGE_RE = re.compile(r"^(?P<a>\d+)(?:st|nd|rd|th)(?: and (?P<b>\d+)(?:st|nd|rd|th))? years?$")


def parse_stage_years(text: str) -> tuple[int, int]:
    """First and last year of the programme a stage covers.

    >>> parse_stage_years("1st year")
    (1, 1)
    >>> parse_stage_years("4th and 5th year")
    (4, 5)
    >>> parse_stage_years("fifth year")
    Traceback (most recent call last):
    ...
    ValueError: cannot read programme years from 'fifth year'
    """
    m = _STAGE_RE.match(" ".join(str(text).split()).lower())
    if not m:
        raise ValueError(f"cannot read programme years from {text!r}")
    first = int(m["a"])
    last = int(m["b"]) if m["b"] else first
    if last != first + 1 and last != first:
        raise ValueError(f"cannot read programme years from {text!r}: years must be consecutive")
    return first, last
