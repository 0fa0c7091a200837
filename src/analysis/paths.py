"""Every path the project uses, from one place.

Paths are built from this file's location, so code, notebooks and tests work from any working
directory (papermill and nbval run notebooks with different ones).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
RAW = DATA / "raw"
RAW_ARTICLE = RAW / "article"
PROCESSED = DATA / "processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"

ARTICLE_FIGURES = RAW_ARTICLE / "figures.csv"
ARTICLE_PROVENANCE = RAW_ARTICLE / "provenance.json"
COUNTERPARTS = RAW_ARTICLE / "counterparts.csv"
RAW_OFFICIAL = RAW / "official"

#: Set by the test suite so that executing notebooks there never touches ``figures/``.
FIGURES_REDIRECT_ENV = "TITP_FIGURES_DIR"


def figures_dir(output_dir: str | os.PathLike[str] = "figures") -> Path:
    """Where charts go: ``output_dir`` relative to the project root, unless redirected.

    >>> figures_dir("figures") == ROOT / "figures" or FIGURES_REDIRECT_ENV in os.environ
    True
    """
    redirect = os.environ.get(FIGURES_REDIRECT_ENV)
    if redirect:
        return Path(redirect)
    path = Path(output_dir)
    return path if path.is_absolute() else ROOT / path


def relative(path: Path) -> str:
    """A path as the project names it (relative to the root), for messages and records.

    >>> relative(ROOT / "data" / "raw" / "article" / "figures.csv")
    'data/raw/article/figures.csv'
    """
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
