"""Clean, cited, checked data on Japan's Technical Intern Training Program (TITP).

Public API::

    from analysis import parse_quantity, parse_period

Modules: ``paths`` (every path), ``quantity`` and ``period`` (parsing figures and dates as
written), ``raw`` and ``errors`` (strict reading of raw files, one error naming file, row,
column and value), ``article`` (the article's figures as tidy tables), ``official`` (official
statistics as typed series), ``reconcile`` (each claim against its official counterpart),
``schemas`` (pandera schemas of every processed table), ``datapackage`` (the Frictionless
description generated from them), ``summary`` (the README's generated section), ``build``
(``make data``), ``data`` (reading processed tables), ``fmt``, ``style`` and ``charts`` (number
formats, the house style and every chart), ``io`` (atomic writes), ``notebooks`` (running and
cleaning notebooks for ``make figures``), ``report`` (``make report``), ``bench``
(``make bench``).
"""

from analysis.period import Period, parse_period
from analysis.quantity import Quantity, parse_quantity

__all__ = ["Period", "Quantity", "parse_period", "parse_quantity"]
