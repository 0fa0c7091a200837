"""Strict reading of raw files: a size limit, UTF-8, exact columns, text kept as written."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError
from analysis.tables import ESTAT, MAX_RAW_BYTES, RAW_TABLES, RawTable

#: No raw file may be larger than this unless its source declares a limit of its own; the
#: largest quoted CSV is a few kilobytes. A bigger file is refused before it is read into memory.
MAX_BYTES = MAX_RAW_BYTES
#: Sources with a limit of their own, by the folder of the set they sit in.
SOURCE_LIMITS = {ESTAT.folder: ESTAT.max_bytes}


def size_limit(name: str) -> int:
    """The size limit of a raw file, by its name in the set (``estat/FEH_...csv`` has its source's).

    >>> size_limit("stock.csv") == MAX_BYTES, size_limit("estat/FEH_00250012_260610061045.csv") == ESTAT.max_bytes
    (True, True)
    """
    folder = name.rpartition("/")[0]
    return SOURCE_LIMITS.get(folder, MAX_BYTES)


def check_size(path: Path, limit: int = MAX_BYTES) -> int:
    """A raw file's size, refused (before anything reads it) when missing or above ``limit``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise RawDataError(path, None, None, path.name, "the file is missing") from None
    if size > limit:
        raise RawDataError(
            path,
            None,
            None,
            f"{size:,} bytes",
            f"larger than any raw file should be (limit {limit:,} bytes for its source); not read",
        )
    return size


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A raw file's bytes, refused before it is read when larger than ``limit`` (see :func:`size_limit`)."""
    check_size(path, limit)
    return Path(path).read_bytes()


def sha256(path: Path) -> str:
    """The SHA-256 checksum of a file's bytes, as provenance records hold it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """A raw text file, refused when larger than ``limit``, not UTF-8, or empty. A BOM is dropped."""
    path = Path(path)
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RawDataError(path, None, None, err.object[err.start : err.end], f"not UTF-8 ({err.reason})") from err
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RawDataError(path, None, None, "", "the file is empty")
    return text


def declared(path: Path, names: tuple[str, ...] = tuple(RAW_TABLES)) -> RawTable:
    """The declaration of a raw file, by its name; a name the step does not read is refused.

    >>> declared(Path("counterparts.csv"), ("counterparts.csv",)).key
    ('claim_id',)
    >>> declared(Path("other.csv"), ("counterparts.csv",))
    Traceback (most recent call last):
    analysis.errors.RawDataError: other.csv, value 'other.csv': not a file this step reads (expected counterparts.csv)
    """
    if path.name not in names or path.name not in RAW_TABLES:
        raise RawDataError(path, None, None, path.name, f"not a file this step reads (expected {', '.join(names)})")
    return RAW_TABLES[path.name]


def read_raw_csv(
    path: Path, columns: list[str] | tuple[str, ...] | None = None, *, name: str | None = None
) -> pd.DataFrame:
    """Read a raw CSV as text, refusing bad encodings and missing or unexpected columns.

    ``columns`` defaults to the columns :mod:`analysis.tables` declares for a file of this name
    (``name`` when the caller reads one file only; then any other name is refused), and the rows'
    key is then checked. Every cell stays a string exactly as written (no NA guessing); a ``row``
    column holds each row's number (data rows from 1) for error messages.
    """
    path = Path(path)
    table = declared(path, (name,) if name else tuple(RAW_TABLES)) if columns is None else None
    columns = list(columns if columns is not None else table.columns)
    text = read_text(path)
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0]
    for row, record in enumerate(records[1:], start=1):
        if len(record) != len(header):
            raise RawDataError(
                path,
                row,
                None,
                ",".join(record),
                f"{len(record)} fields where the header has {len(header)} (a comma not quoted?)",
            )
    missing = [c for c in columns if c not in header]
    if missing:
        raise RawDataError(path, None, missing[0], "", f"required column missing (expected {columns})")
    extra = [c for c in header if c not in columns]
    if extra:
        raise RawDataError(path, None, extra[0], "", f"unexpected column (expected {columns})")
    frame = pd.DataFrame(records[1:], columns=header, dtype=str)[columns].assign(row=range(1, len(records)))
    if table is not None and table.key:
        check_key(frame, path, table.key)
    return frame


def check_key(frame: pd.DataFrame, path: Path, key: tuple[str, ...]) -> None:
    """Refuse two rows with the same key (the columns :mod:`analysis.tables` declares for the file)."""
    seen: dict[tuple, int] = {}
    for rec in frame.itertuples(index=False):
        value = tuple(getattr(rec, k) for k in key)
        if value in seen:
            shown = value[0] if len(key) == 1 else ", ".join(f"{k} {x!r}" for k, x in zip(key, value))
            raise RawDataError(
                path,
                rec.row,
                key[0],
                shown,
                f"duplicate {' and '.join(key)} (first on row {seen[value]}); one row per {' and '.join(key)}",
            )
        seen[value] = rec.row
