"""Every path the project uses, from one place.

Paths are built from this file's location, so code, notebooks and tests work from any working
directory (papermill and nbval run notebooks with different ones). Nothing here reads the
environment: a different place is always passed as an explicit parameter.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
RAW = DATA / "raw"
RAW_ARTICLE = RAW / "article"
RAW_OFFICIAL = RAW / "official"
PROCESSED = DATA / "processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
#: The site's source: docs/conf.py and the pages (hand-written, with generated sections).
DOCS = ROOT / "docs"
SITE = ROOT / "site"
#: Untracked build state: stamps, logs, temporary files, screenshots.
BUILD = ROOT / ".build"
TMP = BUILD / "tmp"
#: The project's Jupyter configuration folder (tracked): the kernels' ``ipc`` transport, read by
#: JupyterLab (JUPYTER_CONFIG_DIR), papermill (through the notebook driver) and nbval (conftest.py).
JUPYTER_CONFIG = ROOT / ".jupyter" / "jupyter_config.json"
#: Where kernels and Jupyter tools keep their state: the checkout's build folder, never HOME or
#: /tmp (a read-only HOME then changes nothing). The Makefile exports the same variables.
TOOL_DIRS = {
    "JUPYTER_CONFIG_DIR": JUPYTER_CONFIG.parent,
    "JUPYTER_DATA_DIR": BUILD / "jupyter" / "data",
    "JUPYTER_RUNTIME_DIR": BUILD / "jupyter" / "runtime",
    "JUPYTERLAB_SETTINGS_DIR": BUILD / "jupyter" / "lab" / "user-settings",
    "JUPYTERLAB_WORKSPACES_DIR": BUILD / "jupyter" / "lab" / "workspaces",
    "IPYTHONDIR": BUILD / "ipython",
    "MPLCONFIGDIR": BUILD / "matplotlib",
}
#: Where ``make check-article`` writes its result unless given OUT (untracked, outside data/).
CHECK_ARTICLE = BUILD / "check-article.csv"

ARTICLE_FIGURES = RAW_ARTICLE / "figures.csv"
ARTICLE_TEXT = RAW_ARTICLE / "article.txt"
ARTICLE_PROVENANCE = RAW_ARTICLE / "provenance.json"
ARTICLE_EXCLUSIONS = RAW_ARTICLE / "exclusions.csv"
COUNTERPARTS = RAW_ARTICLE / "counterparts.csv"
ARTICLE_DERIVED = RAW_ARTICLE / "derived.csv"
EVENT_PRECISION = RAW_ARTICLE / "event_precision.csv"
OFFICIAL_PROVENANCE = RAW_OFFICIAL / "provenance.json"


def under_root(path: str | Path) -> Path:
    """``path`` relative to the project root (absolute paths are kept as given).

    >>> under_root("figures") == ROOT / "figures"
    True
    """
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def relative(path: str | Path) -> str:
    """A path as the project names it (relative to the root), for messages and records.

    >>> relative(ROOT / "data" / "raw" / "article" / "figures.csv")
    'data/raw/article/figures.csv'
    """
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def is_inside(path: str | Path, folder: Path = ROOT) -> bool:
    """Whether ``path`` (resolved, links followed) lies inside ``folder``.

    >>> is_inside(ROOT / "figures" / "x.png"), is_inside(ROOT / ".." / "elsewhere")
    (True, False)
    """
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True
