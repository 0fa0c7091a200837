"""How numbers are written for readers, shared by charts, notes and the README."""

from __future__ import annotations

import math


def count(value: float, qualifier: str = "none", basis: str = "stated") -> str:
    """A count as a reader should see it: exact when stated exactly, rounded when not.

    >>> count(192655)
    '192,655'
    >>> count(167526.09, "approximate", "derived")
    'about 167,500'
    """
    if basis == "stated" and qualifier == "none":
        return f"{value:,.0f}"
    digits = max(0, int(math.floor(math.log10(abs(value)))) - 3) if value else 0
    return f"about {round(value, -digits):,.0f}"


def value(number: float, unit: str) -> str:
    """A figure in its unit: percentages to two decimals at most, counts whole.

    >>> value(46.15, "percent"), value(14.9, "percent"), value(31.76493, "percent"), value(192655.0, "count")
    ('46.15%', '14.9%', '31.76%', '192,655')
    """
    if unit == "percent":
        return f"{number:.2f}".rstrip("0").rstrip(".") + "%"
    return f"{number:,.0f}"
