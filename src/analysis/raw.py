"""Strict reading of raw CSV files: exact columns, text kept as written, clear errors."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_raw_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a raw CSV as text, refusing bad encodings and missing or unexpected columns.

    Every cell stays a string exactly as written (no NA guessing); a ``row`` column holds each
    row's number (data rows from 1) for error messages.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise RawDataError(path, None, None, err.object[err.start : err.end], f"not UTF-8 ({err.reason})") from err
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        raise RawDataError(path, None, None, "", "the file is empty")
    header = records[0]
    for row, record in enumerate(records[1:], start=1):
        if len(record) != len(header):
            raise RawDataError(path, row, None, ",".join(record),
                               f"{len(record)} fields where the header has {len(header)} (a comma not quoted?)")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RawDataError(path, None, missing[0], "", f"required column missing (expected {columns})")
    extra = [c for c in frame.columns if c not in columns]
    if extra:
        raise RawDataError(path, None, extra[0], "", f"unexpected column (expected {columns})")
    return frame[columns].assign(row=range(1, len(frame) + 1))
