"""Processed tables: checked with their declared schema when written and when read back.

``validate`` is what the build runs before anything is written; ``load`` is what notebooks and
charts call, and it returns typed frames checked with the same schema, so a table edited or
damaged on disk is refused with its file, row, column and value.
"""

from __future__ import annotations

import re
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


#: A text cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): one that begins
#: with = + - @, a tab or a carriage return, after any quotes this module put before it.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
#: ... unless the whole cell is a plain number, which a spreadsheet reads as the number it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?")


def neutralised(text: str) -> str:
    """A text cell as a CSV holds it: one a spreadsheet would run as a formula gets a leading ``'``.

    A cell that already begins with quotes before such a character gets one more, so that
    :func:`restored` gives back exactly the text. Numbers, negative ones too, stay as they are.

    >>> [neutralised(t) for t in ["=HYPERLINK(A1)", "@SUM(A1)", "+cmd|' /C calc'!A0", "'=1", "-3.5", "-1,200", "a-b"]]
    ["'=HYPERLINK(A1)", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "''=1", '-3.5', '-1,200', 'a-b']
    >>> all(restored(neutralised(t)) == t for t in ["=1", "'=1", "''@", "-x", "-3", "\tx", "'", ""])
    True
    """
    if _FORMULA.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restored(text: str) -> str:
    """The text :func:`neutralised` was given."""
    if text.startswith("'") and _FORMULA.match(text[1:]) and not _PLAIN_NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c for c in frame.columns if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]


def _map_text(frame: pd.DataFrame, how) -> pd.DataFrame:
    columns = _text_columns(frame)
    if not columns:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda x: how(x) if isinstance(x, str) else x)
    return out


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell :func:`neutralised` (for a CSV written by other means)."""
    return _map_text(frame, neutralised)


def to_csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV: dates as YYYY-MM-DD, floats with up to 12 significant digits, and text
    a spreadsheet would run as a formula neutralised (:func:`neutralised`).

    >>> print(to_csv_text(pd.DataFrame({"note": ["@SUM(A1)", "ok"], "value": [-1.5, 2.0]})), end="")
    note,value
    '@SUM(A1),-1.5
    ok,2
    """
    return safe_for_spreadsheets(frame).to_csv(
        index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.12g"
    )


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
    return validate(name, _map_text(frame, restored), where="as read")


def load(name: str) -> pd.DataFrame:
    """A processed table by name (``"intern_counts"``), typed and checked: for notebooks."""
    return read(name)
