"""The errors a run refuses bad input with: each names the step, the file, the row, the column
and the value, and says in words what is wrong. The runners print them in one line, never as a
traceback."""

from __future__ import annotations

from pathlib import Path

from analysis.paths import relative


class ProjectError(Exception):
    """A refusal a user can act on: printed as one message, never as a traceback."""


class RawDataError(ProjectError, ValueError):
    """A raw value the build refuses.

    ``row`` counts data rows from 1 (the header is line 1 of the file, so row N is line N+1).
    A file whose header is not its first line (an e-Stat table) gives ``line`` instead, the
    1-based line of the file; ``self.line`` is the line either way.

    >>> str(RawDataError("data/raw/x.csv", 3, "number_text", "4O%", "not a number"))
    "data/raw/x.csv, row 3 (line 4), column 'number_text', value '4O%': not a number"
    >>> str(RawDataError("FEH.csv", None, "総数", "12", "not the sum", line=14))
    "FEH.csv, line 14, column '総数', value '12': not the sum"
    """

    def __init__(
        self,
        file: str | Path,
        row: int | None,
        column: str | None,
        value: object,
        reason: str,
        *,
        line: int | None = None,
    ):
        self.file = relative(Path(file)) if isinstance(file, Path) else file
        self.row, self.column, self.value, self.reason = row, column, value, reason
        self.line = row + 1 if row is not None and line is None else line
        where = [self.file]
        if row is not None:
            where.append(f"row {row} (line {self.line})")
        elif line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        where.append(f"value {_short(value)!r}")
        super().__init__(", ".join(where) + f": {reason}")


class TableError(ProjectError, ValueError):
    """A processed table failed its schema: names the table, row, column and value."""


def _short(value: object, limit: int = 120) -> object:
    """A value cut to ``limit`` characters for a message (a whole bad file is not echoed)."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "..."
    return value
