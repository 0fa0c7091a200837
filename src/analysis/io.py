"""Atomic writes: a file is either its old self or its complete new self, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import pandas as pd


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_atomic(target: Path, write: Callable[[IO[str]], None]) -> None:
    """Write text through ``write(handle)`` into ``target`` atomically."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        write(handle)


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write a table as UTF-8 CSV with Unix newlines, atomically and deterministically."""
    write_atomic(target, lambda handle: frame.to_csv(handle, index=False, lineterminator="\n"))


def write_text(text: str, target: Path) -> None:
    write_atomic(target, lambda handle: handle.write(text))
