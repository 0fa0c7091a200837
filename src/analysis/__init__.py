"""Clean, cited, checked data on Japan's Technical Intern Training Program (TITP).

Public API::

    from analysis import parse_quantity, parse_period

The package is layered; each layer imports only from the layers below it:

1. declarations: ``vocabulary`` (every controlled word), ``tables`` (every table), ``paths``, ``errors``, ``files`` (safe writes), ``fmt`` (numbers and dates in
   words); ``schema``, ``data`` and ``datapackage`` are generated from ``tables``;
2. ``parse``: reading figures and dates as written;
3. ``sources``: the article and the official statistics, read strictly;
4. ``check``: reconciliation and corrections;
5. ``publish``: the charts (``publish.charts``, one module each: rows, words, drawing), text from
   data, tables for readers, the README's sections, the site;
6. runners: ``build`` (``make data``), ``notebooks`` (``make figures``), ``revisions``
   (``make check-article``), ``update`` (``make update-official``), ``bench``, each run by make
   as ``python -m analysis.<module>`` through ``cli`` (what every command shares); ``cli`` and
   ``makefile`` use the standard library only.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["Period", "Quantity", "parse_period", "parse_quantity"]

#: Where each public name lives, imported when first used: a command run by make imports only what it needs.
_PUBLIC = {
    "Period": "analysis.parse.period",
    "parse_period": "analysis.parse.period",
    "Quantity": "analysis.parse.quantity",
    "parse_quantity": "analysis.parse.quantity",
}


def __getattr__(name: str):
    """The public API, imported on first use."""
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


if sys.argv[:1] == ["-m"]:  # Python is about to run a module of the package: a command (analysis.cli)
    from analysis import cli

    cli.watch_imports()
