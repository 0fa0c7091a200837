"""Clean, cited, checked data on Japan's Technical Intern Training Program (TITP).

Public API::

    from analysis import parse_quantity, parse_period

Modules: ``paths`` (every path), ``quantity`` and ``period`` (parsing figures and dates as
written), ``raw`` (strict reading of raw files), ``article`` (the article's figures as tidy
tables), ``schemas`` (pandera schemas of the processed tables), ``build`` (``make data``),
``style`` and ``charts`` (the house style and every chart), ``notebooks`` (running and
cleaning notebooks for ``make figures``).
"""

from analysis.period import Period, parse_period
from analysis.quantity import Quantity, parse_quantity

__all__ = ["Period", "Quantity", "parse_period", "parse_quantity"]
