"""What a notebook shows a reader: formatted tables and readings written from the data.

Tables have no index column, thousands separators, dates as dates, a dash for a missing value
and every row. Each object shows HTML (or Markdown) in JupyterLab and on the site, and the same
content as plain text, which is what nbval compares on every run.
"""

from __future__ import annotations

import html

import numpy as np  # noqa: F401 - used by the doctests
import pandas as pd

#: What a missing value reads as.
MISSING = "—"


def cell(value, column: str = "") -> str:
    """One value as a reader should see it.

    >>> cell(410000.0), cell(41.6279), cell(float("nan")), cell(pd.Timestamp("2019-12-31")), cell(True)
    ('410,000', '41.63', '—', '2019-12-31', 'yes')
    >>> cell(1993, "first_year"), cell(14, "line"), cell(np.int64(104800))
    ('1993', '14', '104,800')
    """
    if value is None or (not isinstance(value, (str, list)) and pd.isna(value)):
        return MISSING
    if hasattr(value, "item") and not isinstance(value, (str, pd.Timestamp)):
        value = value.item()  # a numpy scalar, as a plain Python number
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (int,)) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        if column.endswith("year") or column in ("line", "stage", "years", "source_row"):
            return str(int(value))
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


class Table:
    """A table for readers: HTML in JupyterLab and on the site, aligned text for nbval."""

    def __init__(self, frame: pd.DataFrame, columns: list[str] | None = None):
        self.frame = frame if columns is None else frame[columns]

    def rows(self) -> list[list[str]]:
        return [[cell(value, column) for column, value in row.items()] for _, row in self.frame.iterrows()]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in self.rows())
        return f'<div class="titp-table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'

    def __repr__(self) -> str:
        rows = [list(map(str, self.frame.columns)), *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))] if rows[0] else []
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows)


class Reading:
    """A reading written from the data: Markdown in JupyterLab and on the site, its text for nbval."""

    def __init__(self, markdown: str):
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def table(frame: pd.DataFrame, columns: list[str] | None = None) -> Table:
    """``frame`` as a table for readers (every row, no index)."""
    return Table(frame, columns)


def reading(markdown: str) -> Reading:
    """A reading to display at the foot of a notebook."""
    return Reading(markdown)
