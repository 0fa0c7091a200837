"""The charts: one module each (the rows it plots, its words, its drawing), and their registry.

``CHARTS`` maps each chart's name to its :class:`~analysis.publish.charts.base.Chart`, in the
order of the notebooks; a notebook makes its chart by calling it with the tables it loaded
(``charts.CHARTS["01-intern-counts"](counts, stock, checks, figures)``) and saves it with
:func:`save`.
"""

from __future__ import annotations

from types import MappingProxyType

from analysis.publish.charts import (
    data_quality,
    intern_counts,
    seafood_share,
    skilled_workers,
    source_countries,
    timeline,
)
from analysis.publish.charts.base import LICENCE, LICENCE_URL, PROJECT, Chart, Words, outputs, save

__all__ = ["CHARTS", "LICENCE", "LICENCE_URL", "PROJECT", "Chart", "Words", "outputs", "save"]

#: Every chart, by name, in the order of its notebook's number.
CHARTS: MappingProxyType[str, Chart] = MappingProxyType(
    {
        c.name: c
        for c in sorted(
            (
                m.CHART
                for m in (intern_counts, source_countries, seafood_share, data_quality, timeline, skilled_workers)
            ),
            key=lambda c: c.name,
        )
    }
)
