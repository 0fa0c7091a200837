"""What every command shares when make runs it as ``python -m analysis.<module>``.

- The signal policy (:func:`analysis.files.stop_on_signals`), put in place before Ctrl-C and
  SIGTERM are let through: make starts each command with them held, so one that comes while
  Python starts is raised here, in one line, not as a traceback from inside an import.
- Output that never fails on a character the terminal's encoding lacks.
- make's variables (``--from-make``): ``ARTICLE``, ``OUT``, ``FROM`` and ``CHECK``, which the
  Makefile exports unexpanded as ``TITP_<NAME>``, each one argument as written.
- A broken environment (an installed package that fails to import) in one line, with the one
  command that fixes it; a failure in the project's own code is shown as it is.

:func:`watch_imports` is installed by ``analysis/__init__.py`` when Python runs a module of the
package (``-m``), so that it covers the command's own imports. Standard library only.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

from analysis import files

#: make's target for each command module (how messages name the step).
TARGETS = {
    "analysis.build": "data",
    "analysis.notebooks": "figures",
    "analysis.publish.site": "report",
    "analysis.revisions": "check-article",
    "analysis.update": "update-official",
    "analysis.bench": "bench",
}
#: Given by a make recipe first: the arguments are make's variables (see :func:`make_arguments`).
FROM_MAKE = "--from-make"
#: What ``CHECK=`` may say (``make update-official``): a dry run, or not.
YES, NO = ("1", "yes", "true", "on"), ("", "0", "no", "false", "off")
#: The one command that repairs a broken environment (uv sync --reinstall, from uv's cache).
FIX = "make setup"


class BadVariable(ValueError):
    """A make variable with a value the command cannot take."""


def make_arguments(target: str, environ: dict[str, str]) -> list[str]:
    """The arguments of ``make target`` from make's variables, each passed as one argument, as written.

    >>> make_arguments("check-article", {"TITP_ARTICLE": "/tmp/my draft's $HOME; echo x.txt", "TITP_OUT": "-o"})
    ['--out=-o', '--', "/tmp/my draft's $HOME; echo x.txt"]
    >>> make_arguments("update-official", {"TITP_FROM": "rel", "TITP_CHECK": "0"})
    ['--', 'rel']
    >>> make_arguments("update-official", {"TITP_FROM": "rel", "TITP_CHECK": "yes"})
    ['--check', '--', 'rel']
    >>> make_arguments("update-official", {"TITP_CHECK": "maybe"})
    Traceback (most recent call last):
    analysis.cli.BadVariable: CHECK=maybe: say CHECK=1 for a dry run, or leave CHECK out
    """

    def var(name: str) -> str:
        return environ.get(f"TITP_{name}", "")

    args = []
    if target == "check-article":
        if var("OUT"):
            args.append(f"--out={var('OUT')}")
        if var("ARTICLE"):
            args += ["--", var("ARTICLE")]
    elif target == "update-official":
        check = var("CHECK").strip().lower()
        if check not in YES + NO:
            raise BadVariable(f"CHECK={var('CHECK')}: say CHECK=1 for a dry run, or leave CHECK out")
        if check in YES:
            args.append("--check")
        if var("FROM"):
            args += ["--", var("FROM")]
    return args


def _main_target() -> str:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return TARGETS.get(getattr(spec, "name", ""), "")


def broken_environment(err: BaseException) -> bool:
    """Whether ``err`` says the environment is broken: an installed package that failed as it was
    imported, or a module that is not installed. Not a failure of the project's own code, nor an
    error a package raises when called.

    >>> broken_environment(ModuleNotFoundError("No module named 'pandas'", name="pandas"))
    True
    >>> broken_environment(ModuleNotFoundError("No module named 'analysis.nope'", name="analysis.nope"))
    False
    """
    if isinstance(err, ModuleNotFoundError):
        return not (err.name or "").startswith("analysis")
    installed = [f for f in traceback.extract_tb(err.__traceback__) if "site-packages" in f.filename]
    return bool(installed) and installed[0].name == "<module>"  # raised while the package was imported


def _excepthook(kind, err, tb, previous=sys.excepthook) -> None:
    if isinstance(err, Exception) and broken_environment(err):
        step = f"make {_main_target()}" if _main_target() else "python"
        print(f"{step}: the environment in .venv is broken ({kind.__name__}: {err}): run {FIX}", file=sys.stderr)
        return
    previous(kind, err, tb)


def watch_imports() -> None:
    """Name a broken environment in one line (see :func:`broken_environment`) instead of a traceback."""
    sys.excepthook = _excepthook


def _output_never_fails() -> None:
    """A character the terminal's encoding lacks (``PYTHONIOENCODING=ascii``) is escaped, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def entry(main: Callable[[list[str]], int], target: str | None = None, argv: list[str] | None = None) -> int:
    """Run a command's ``main`` as make does: the signal policy and safe output first, make's
    variables read, and an interrupt said in one line."""
    target = target or _main_target()
    step = f"make {target}"
    _output_never_fails()
    files.stop_on_signals()  # SIGINT and SIGTERM alike, from the first moment
    try:
        files.release_signals()
    except KeyboardInterrupt as err:
        print(f"{step}: interrupted before it started; nothing was changed", file=sys.stderr)
        return files.exit_code(err)
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == [FROM_MAKE]:
        try:
            args = [*make_arguments(target, dict(os.environ)), *args[1:]]
        except BadVariable as err:
            print(f"{step}: refused: {err}; nothing was changed.", file=sys.stderr)
            return 2
    try:
        try:
            status = main(args)
        except KeyboardInterrupt as err:
            print(
                f"{step}: interrupted; every file is as it was or complete (each is written whole, then renamed)",
                file=sys.stderr,
            )
            status = files.exit_code(err)
        files.finished()
    except KeyboardInterrupt as err:  # between the command's own answer and the exit: nothing to undo
        files.finished()
        status = files.exit_code(err)
    if status in {128 + signum for signum in files.STOPS}:
        # Interrupted, every clean-up done and said in one line: exit now, so that no library's exit
        # hook adds a traceback to that line (a module cut short while it was imported can leave
        # one that fails, as jupyter_client's HBChannel does).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status
