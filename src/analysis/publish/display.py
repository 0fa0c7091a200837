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


#: A text cell longer than this wraps in a column wide enough to read; a shorter one stays on one line.
WRAP_AFTER = 28


class Table:
    """A table for readers: HTML in JupyterLab and on the site, aligned text for nbval.

    The HTML carries its own layout classes: ``titp-num`` on a column of numbers (right-aligned,
    on one line), ``titp-wrap`` on a long text cell (wrapped); every value is escaped.

    >>> print(Table(pd.DataFrame({"who": ["<b>", "a" * 30], "n": [410000, 7]})).html("t"))
    ... # doctest: +NORMALIZE_WHITESPACE
    <div class="titp-table titp-data" tabindex="0" role="region" aria-label="t"><table><thead><tr><th
    scope="col">who</th><th scope="col">n</th></tr></thead><tbody><tr><td>&lt;b&gt;</td><td
    class="titp-num">410,000</td></tr><tr><td class="titp-wrap">aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</td><td
    class="titp-num">7</td></tr></tbody></table></div>
    """

    def __init__(self, frame: pd.DataFrame, columns: list[str] | None = None):
        self.frame = frame if columns is None else frame[columns]

    def rows(self) -> list[list[str]]:
        """Every row, each value as a reader sees it."""
        return [[cell(value, column) for column, value in row.items()] for _, row in self.frame.iterrows()]

    def numeric(self) -> list[bool]:
        """Which columns hold numbers (booleans are words)."""
        return [
            pd.api.types.is_numeric_dtype(self.frame[c]) and not pd.api.types.is_bool_dtype(self.frame[c])
            for c in self.frame.columns
        ]

    def html(self, label: str | None = None) -> str:
        """The table as HTML in a box that scrolls on its own; ``label`` names it for screen readers."""
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.frame.columns)
        numeric = self.numeric()
        body = []
        for row in self.rows():
            cells = []
            for shown, is_number in zip(row, numeric, strict=True):
                kind = "titp-num" if is_number else "titp-wrap" if len(shown) > WRAP_AFTER else ""
                cells.append(f'<td class="{kind}">' if kind else "<td>")
                cells.append(f"{html.escape(shown)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        region = f' tabindex="0" role="region" aria-label="{html.escape(label, quote=True)}"' if label else ""
        return (
            f'<div class="titp-table titp-data"{region}><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )

    def _repr_html_(self) -> str:
        return self.html()

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
