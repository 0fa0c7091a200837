"""``make report``: build the static site from ``docs/`` into ``site/``, whole or not at all.

The site's source is ``docs/`` (``conf.py``, hand-written pages, Jinja templates; see
:mod:`analysis.publish.pages`), and ``sphinx-build docs site`` builds it by hand. This command
adds what a by-hand build does not promise:

* the build runs on a copy of ``docs/`` in ``.build/site-staging/`` (the generated pages never
  touch the checkout) and one build at a time;
* the result is swapped into ``site/`` whole: an interrupted build leaves the previous site in
  place. The swap's two renames are made with Ctrl-C and SIGTERM held, and a swap that a harder
  stop cut short (``.site.old/`` or ``.site.new/`` left beside ``site/``) is finished or rolled
  back by the next run (``make report`` re-runs while one is there);
* Sphinx's build records, the theme's template and source maps are left out of ``site/``.

Run as ``python -m analysis.publish.site [--out DIR]`` (``make report``).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import fnmatch
import io
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from analysis import paths
from analysis.errors import ProjectError
from analysis.files import exit_cleanly_on_sigterm, signals_held
from analysis.publish import pages

STEP = pages.STEP
#: The site's source.
DOCS = paths.DOCS
#: Where the site is built before it is swapped in (untracked).
STAGING = paths.BUILD / "site-staging"
#: What Sphinx writes that no reader loads.
LEFTOVERS = (".buildinfo", ".buildinfo.bak", "objects.inv", "_static/webpack-macros.html")


def run_sphinx(src: Path, out: Path, doctrees: Path, confdir: Path = DOCS, overrides: dict | None = None) -> list[str]:
    """Build the HTML of ``src`` with the settings in ``confdir``; returns Sphinx's warnings."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace

    nocolor()
    warnings = io.StringIO()
    try:
        with docutils_namespace():
            app = Sphinx(
                str(src),
                str(confdir),
                str(out),
                str(doctrees),
                "html",
                confoverrides=overrides or {},
                status=None,
                warning=warnings,
                freshenv=True,
                parallel=0,
            )
            app.build(force_all=True)
    except SphinxError as err:
        raise ProjectError(f"Sphinx could not build the site: {err}\n{warnings.getvalue()}") from None
    if app.statuscode:
        raise ProjectError(f"Sphinx failed:\n{warnings.getvalue()}")
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One site build at a time in ``folder`` (a second waits for the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _beside(out: Path, what: str) -> Path:
    return out.with_name(f".{out.name}.{what}")


def recover(out: Path) -> str | None:
    """Finish or roll back a swap of ``out`` that was cut short; returns what was done, if anything.

    ``.site.old`` with ``site/`` in place: the swap was complete, the old copy goes. ``.site.old``
    without ``site/``: the new site never arrived, the old one comes back. ``.site.new`` (a copy
    from another file system that was not renamed): it goes.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); out = root / "site"
    >>> _beside(out, "old").mkdir(); recover(out), out.is_dir(), _beside(out, "old").exists()
    ('the previous site was put back', True, False)
    >>> _beside(out, "old").mkdir(); recover(out), sorted(p.name for p in root.iterdir())
    ('a finished swap was tidied', ['site'])
    >>> shutil.rmtree(root)
    """
    old, new = _beside(out, "old"), _beside(out, "new")
    done = None
    with signals_held():
        if old.exists():
            if out.exists():
                shutil.rmtree(old)
                done = "a finished swap was tidied"
            else:
                old.rename(out)
                done = "the previous site was put back"
        if new.exists():
            shutil.rmtree(new)
            done = done or "an unfinished copy was removed"
    return done


def swap(staged: Path, out: Path) -> None:
    """Put the staged site in place of ``out``, whole; the renames are made with signals held."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    if os.stat(staged).st_dev != os.stat(out.parent).st_dev:
        beside = _beside(out, "new")
        shutil.copytree(staged, beside)
        staged = beside
    old = _beside(out, "old")
    with signals_held():
        if out.exists():
            out.rename(old)
        staged.rename(out)
        shutil.rmtree(old, ignore_errors=True)


def _not_generated(folder: str, names: list[str]) -> set[str]:
    """What of ``docs/`` is not copied into the staging source: what a build there generates."""
    rel = Path(folder).relative_to(DOCS) if Path(folder).is_relative_to(DOCS) else Path(".")
    skipped = {"_build", "__pycache__"}
    for name in names:
        path = (rel / name).as_posix().removeprefix("./")
        if any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path + "/*", p) for p in pages.GENERATED_PATTERNS):
            skipped.add(name)
    return skipped


def build_site(
    out: Path = paths.SITE,
    work: Path = STAGING,
    *,
    processed: Path = paths.PROCESSED,
    figures: Path = paths.FIGURES,
    notebooks: Path = paths.NOTEBOOKS,
) -> tuple[Path, list[str]]:
    """Build the whole site into ``out`` (replaced only once complete); returns it and Sphinx's warnings."""
    out, work = Path(out), Path(work)
    overrides = {"titp_processed": str(processed), "titp_figures": str(figures), "titp_notebooks": str(notebooks)}
    with _locked(work):
        run = work / "build"
        shutil.rmtree(run, ignore_errors=True)
        try:
            shutil.copytree(DOCS, run / "src", ignore=_not_generated)
            warnings = run_sphinx(run / "src", run / "html", run / "doctrees", DOCS, overrides)
            html_dir = run / "html"
            for leftover in LEFTOVERS:
                (html_dir / leftover).unlink(missing_ok=True)
            for source_map in html_dir.glob("_static/**/*.map"):
                source_map.unlink()
            with contextlib.suppress(OSError):
                (html_dir / "_sources").rmdir()  # left empty, as no source is copied
            swap(html_dir, out)
        finally:
            with signals_held():
                shutil.rmtree(run, ignore_errors=True)
    return out, warnings


def main(argv: list[str] | None = None) -> int:
    """``make report``: build the site, and say in one line where it is (or why it is not)."""
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.publish.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.SITE, help="the site's folder (default site/)")
    args = parser.parse_args(argv)
    out = paths.under_root(args.out)
    started = time.perf_counter()
    repaired = recover(out)
    if repaired:
        print(f"{STEP}: an interrupted swap of {paths.relative(out)}/ was found: {repaired}.", file=sys.stderr)
    try:
        site, warnings = build_site(out)
    except (ProjectError, FileNotFoundError) as err:
        print(f"{STEP}: refused: {err}\n{STEP}: the site was not changed.", file=sys.stderr)
        return 1
    except OSError as err:
        where = paths.relative(err.filename) if err.filename else paths.relative(args.out)
        print(f"{STEP}: could not write {where}: {err.strerror}\n{STEP}: the site was not changed.", file=sys.stderr)
        return 1
    for line in warnings:
        print(f"{STEP}: warning: {line}", file=sys.stderr)
    count = len(list(site.rglob("*.html")))
    print(
        f"{STEP}: {paths.relative(site / 'index.html')}, {count} pages in {time.perf_counter() - started:.1f} s "
        "(open it in a browser)"
    )
    return 0


if __name__ == "__main__":
    from analysis import cli

    sys.exit(cli.entry(main))
