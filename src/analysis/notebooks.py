"""Run a notebook with papermill for ``make figures`` and store it without run metadata.

``python -m analysis.notebooks run notebooks/01-intern-counts.ipynb [-p NAME VALUE ...]``

The executed notebook is written to a temporary file first; only when every cell succeeded is
it cleaned (papermill's times, durations, paths and parameters removed) and renamed over the
original. A failing cell stops with the notebook and cell named; the stored notebook is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import nbformat

from analysis import paths
from analysis.io import atomic_path, exit_cleanly_on_sigterm

KERNEL = "titp"
#: Cell and notebook metadata that changes from run to run.
VOLATILE_NOTEBOOK_KEYS = ("papermill",)
VOLATILE_CELL_KEYS = ("papermill", "execution", "collapsed", "scrolled")


class NotebookFailed(RuntimeError):
    """A cell raised: names the notebook and the cell."""


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip what varies between runs, so an unchanged rerun gives identical bytes."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def run(notebook: Path, parameters: dict | None = None, output: Path | None = None) -> Path:
    """Execute ``notebook`` and store it (over itself unless ``output`` is given)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook).resolve()
    target = Path(output).resolve() if output else notebook
    with tempfile.TemporaryDirectory(prefix="titp-run-") as tmp:
        executed = Path(tmp) / notebook.name
        try:
            pm.execute_notebook(
                str(notebook), str(executed), parameters=parameters or {}, kernel_name=KERNEL,
                cwd=str(notebook.parent), progress_bar=False, log_output=False,
            )
        except PapermillExecutionError as err:
            raise NotebookFailed(
                f"{paths.relative(notebook)}: cell {err.exec_count} (cell index {err.cell_index}) failed: "
                f"{err.ename}: {err.evalue}"
            ) from None
        nb = clean(nbformat.read(executed, as_version=4))
    text = dumps(nb)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return target
    with atomic_path(target) as tmp_target:
        tmp_target.write_text(text, encoding="utf-8", newline="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.notebooks")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="execute a notebook with papermill and store it cleaned")
    run_p.add_argument("notebook", type=Path)
    run_p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                       help="a parameter; VALUE is read as JSON when it parses, else as text")
    run_p.add_argument("-o", "--output", type=Path, help="where to store the executed notebook")
    args = parser.parse_args(argv)

    parameters = {}
    for name, value in args.parameter:
        try:
            parameters[name] = json.loads(value)
        except json.JSONDecodeError:
            parameters[name] = value
    try:
        run(args.notebook, parameters, args.output)
    except NotebookFailed as err:
        print(f"make figures: {err}\nmake figures: {paths.relative(args.notebook)} was left as it was.",
              file=sys.stderr)
        return 1
    print(f"make figures: ran {paths.relative(args.notebook)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
