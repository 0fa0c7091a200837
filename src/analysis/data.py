"""Read the processed tables, typed, for notebooks and charts (validation happens at build)."""

from __future__ import annotations

import pandas as pd

from analysis import paths

DATE_COLUMNS = ("period_start", "period_end")


def load(name: str) -> pd.DataFrame:
    """A processed table by name (``"intern_counts"``), with its date columns as dates."""
    path = paths.PROCESSED / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{paths.relative(path)} is missing: run `make data` first")
    frame = pd.read_csv(path)
    for column in DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame
