"""Run a project command, repairing a broken environment once: ``python -m analysis.run MODULE [ARGS]``.

Every ``make`` recipe calls the project's commands through here. When importing the command
finds the environment broken (an installed package fails to import), it says so in one line,
reinstalls the environment from ``uv.lock`` (:func:`analysis.environment.repair`) and runs the
command again; when that cannot help, it names the one command that does. A failure inside the
project's own code is not the environment's and is shown as it is.

Standard library only, so that it works when the environment does not.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

from analysis import files

#: The commands, by the name make uses.
COMMANDS = {
    "build": ("analysis.build", "make data"),
    "notebooks": ("analysis.notebooks", "make figures"),
    "site": ("analysis.publish.site", "make report"),
    "check-article": ("analysis.revisions", "make check-article"),
    "update-official": ("analysis.update", "make update-official"),
    "bench": ("analysis.bench", "make bench"),
}
#: Given (by this module only) on the run after a repair, so that it is tried once.
REPAIRED = "--after-repair"
#: Given by a make recipe after the command's name: its arguments are make's variables, which the
#: Makefile exports unexpanded as ``TITP_<NAME>``, so that no shell splits, expands or runs them.
FROM_MAKE = "--from-make"
#: What ``CHECK=`` may say (``make update-official``): a dry run, or not.
YES, NO = ("1", "yes", "true", "on"), ("", "0", "no", "false", "off")


class BadVariable(ValueError):
    """A make variable with a value the command cannot take."""


def make_arguments(command: str, environ: dict[str, str]) -> list[str]:
    """The arguments of ``command`` from make's variables, each passed as one argument, as written.

    >>> make_arguments("check-article", {"TITP_ARTICLE": "/tmp/my draft's $HOME; echo x.txt", "TITP_OUT": "-o"})
    ['--out=-o', '--', "/tmp/my draft's $HOME; echo x.txt"]
    >>> make_arguments("update-official", {"TITP_FROM": "rel", "TITP_CHECK": "0"})
    ['--', 'rel']
    >>> make_arguments("update-official", {"TITP_FROM": "rel", "TITP_CHECK": "yes"})
    ['--check', '--', 'rel']
    >>> make_arguments("update-official", {"TITP_CHECK": "maybe"})
    Traceback (most recent call last):
    analysis.run.BadVariable: CHECK=maybe: say CHECK=1 for a dry run, or leave CHECK out
    """

    def var(name: str) -> str:
        return environ.get(f"TITP_{name}", "")

    args = []
    if command == "check-article":
        if var("OUT"):
            args.append(f"--out={var('OUT')}")
        if var("ARTICLE"):
            args += ["--", var("ARTICLE")]
    elif command == "update-official":
        check = var("CHECK").strip().lower()
        if check not in YES + NO:
            raise BadVariable(f"CHECK={var('CHECK')}: say CHECK=1 for a dry run, or leave CHECK out")
        if check in YES:
            args.append("--check")
        if var("FROM"):
            args += ["--", var("FROM")]
    return args


def _in_site_packages(err: BaseException) -> bool:
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and "site-packages" in frames[-1].filename


def _step(args: list[str]) -> str:
    """How messages name the command: make's target."""
    args = args[1:] if args[:1] == [REPAIRED] else args
    return COMMANDS[args[0]][1] if args and args[0] in COMMANDS else "make"


def _output_never_fails() -> None:
    """A character the terminal's encoding lacks (``PYTHONIOENCODING=ascii``) is escaped, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    """Import the command and run its ``main``; repair the environment once if the import fails there."""
    args = sys.argv[1:] if argv is None else argv
    repaired = args[:1] == [REPAIRED]
    args = args[1:] if repaired else args
    if not args or args[0] not in COMMANDS:
        print(f"usage: python -m analysis.run {{{','.join(COMMANDS)}}} [ARGS]", file=sys.stderr)
        return 2
    module, step = COMMANDS[args[0]]
    if args[1:2] == [FROM_MAKE]:
        try:
            args = [args[0], *make_arguments(args[0], dict(os.environ)), *args[2:]]
        except BadVariable as err:
            print(f"{step}: refused: {err}; nothing was changed.", file=sys.stderr)
            return 2
    try:
        command = importlib.import_module(module)
    except KeyboardInterrupt as err:
        print(f"{step}: interrupted before it started; nothing was changed", file=sys.stderr)
        return files.exit_code(err)
    except Exception as err:
        if not _in_site_packages(err) and not isinstance(err, ModuleNotFoundError):
            raise
        from analysis import environment  # only now: it is not needed on the way in

        print(f"{step}: the environment in .venv is broken ({type(err).__name__}: {err}).", file=sys.stderr)
        if repaired:
            print(f"{step}: repairing did not help; run: {environment.FIX}", file=sys.stderr)
            return 1
        try:
            environment.repair()
        except environment.SetupFailed as failed:
            print(f"{step}: {failed}", file=sys.stderr)
            return 1
        os.execv(sys.executable, [sys.executable, "-m", "analysis.run", REPAIRED, *args])
    try:
        return command.main(args[1:])
    except KeyboardInterrupt as err:
        print(
            f"{step}: interrupted; every file is as it was or complete (each is written whole, then renamed)",
            file=sys.stderr,
        )
        return files.exit_code(err)


def entry(argv: list[str] | None = None) -> int:
    """What ``python -m analysis.run`` does: the signal policy and safe output first, then :func:`main`."""
    _output_never_fails()
    files.stop_on_signals()  # SIGINT and SIGTERM alike, from the first moment
    args = sys.argv[1:] if argv is None else argv
    try:
        files.release_signals()
    except KeyboardInterrupt as err:
        print(f"{_step(args)}: interrupted before it started; nothing was changed", file=sys.stderr)
        return files.exit_code(err)
    try:
        status = main(args)
        files.finished()
    except KeyboardInterrupt as err:  # between the command's own answer and the exit: nothing to undo
        files.finished()
        status = files.exit_code(err)
    return status


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(entry())
