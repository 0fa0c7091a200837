"""Processed tables: checked with their declared schema when written and when read back.

``validate`` is what the build runs before anything is written; ``load`` is what notebooks and
charts call, and it returns typed frames checked with the same schema, so a table edited or
damaged on disk is refused with its file, row, column and value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pandera.errors import SchemaErrors

from analysis import paths, tables
from analysis.errors import TableError
from analysis.schema import schema


def validate(name: str, frame: pd.DataFrame, where: str = "not written") -> pd.DataFrame:
    """``frame`` checked and typed by the schema of table ``name``; one readable error if not."""
    try:
        return schema(name).validate(frame, lazy=True)
    except SchemaErrors as err:
        raise TableError(_describe(name, err, where)) from None


def _describe(name: str, err: SchemaErrors, where: str) -> str:
    cases = err.failure_cases
    first = cases.iloc[0]
    index = first.get("index")
    row = f", row {int(index) + 1}" if index is not None and pd.notna(index) else ""
    column = first["column"] if pd.notna(first["column"]) else "(table)"
    more = f" (and {len(cases) - 1} more failures)" if len(cases) > 1 else ""
    return (
        f"{paths.relative(paths.PROCESSED / tables.TABLES[name].file)} ({where}){row}, column {column!r}, value "
        f"{first['failure_case']!r}: fails check {first['check']!r}{more}"
    )


def to_csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV: dates as YYYY-MM-DD, floats with up to 12 significant digits."""
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.12g")


def read(name: str, folder: Path = paths.PROCESSED) -> pd.DataFrame:
    """Table ``name`` from ``folder``, typed and checked."""
    table = tables.TABLES[name]
    path = Path(folder) / table.file
    if not path.exists():
        raise FileNotFoundError(f"{paths.relative(path)} is missing: run `make data` first")
    types = {
        f.name: ("str" if f.type in ("string", "date") else "boolean" if f.type == "boolean" else None)
        for f in table.fields
    }
    frame = pd.read_csv(
        path,
        dtype={k: t for k, t in types.items() if t},
        keep_default_na=False,
        na_values={f.name: [""] for f in table.fields},
    )
    return validate(name, frame, where="as read")


def load(name: str) -> pd.DataFrame:
    """A processed table by name (``"intern_counts"``), typed and checked: for notebooks."""
    return read(name)
