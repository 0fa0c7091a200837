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


def _sigterm_exits() -> None:
    """SIGTERM ends the command as Ctrl-C does, through its clean-up code."""
    import signal

    def _exit(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _exit)


def _interrupts_reach_the_command() -> None:
    """A Ctrl-C that lands in a finaliser is delivered again, to the command, and is never printed.

    Python runs weak-reference callbacks (pandera keeps one per validated frame) and ``__del__``
    methods wherever an object is freed; a KeyboardInterrupt raised inside one cannot propagate,
    so Python would print "Exception ignored in ..." with a traceback and carry on as if the
    key had not been pressed.
    """
    import signal
    import threading
    import time

    default = sys.unraisablehook

    def again() -> None:
        time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGINT)

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            # Sent again from another thread: a signal raised here would be handled here, and lost.
            threading.Thread(target=again, daemon=True).start()
            return
        default(unraisable)

    sys.unraisablehook = hook


def _finished() -> None:
    """The command is over: a Ctrl-C or SIGTERM now (make sends them to every process of the
    job) cannot stop anything, so it is ignored rather than shown as a traceback from a finaliser
    run while Python exits."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _output_never_fails() -> None:
    """A character the terminal's encoding lacks (``PYTHONIOENCODING=ascii``) is escaped, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def entry(argv: list[str] | None = None) -> int:
    """What ``python -m analysis.run`` does: :func:`main`, with signals and output made safe."""
    _output_never_fails()
    _sigterm_exits()
    _interrupts_reach_the_command()
    try:
        try:
            return main(argv)
        except KeyboardInterrupt:  # re-delivered just after the command had finished
            return 130
    finally:
        _finished()


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
    except KeyboardInterrupt:
        print(f"{step}: interrupted before it started; nothing was changed", file=sys.stderr)
        return 130
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
    except KeyboardInterrupt:
        print(
            f"{step}: interrupted; every file is as it was or complete (each is written whole, then renamed)",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(entry())
