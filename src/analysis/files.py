"""Writing files safely: a file is either its old self or its complete new self, never
half-written, and a set of files is swapped in together or not at all.

Also the project's one signal policy (:func:`stop_on_signals`): Ctrl-C and SIGTERM both raise
:class:`Interrupted` once, a stop that lands where Python cannot raise it is raised again just
after, and :func:`signals_held` defers both around steps that must not be cut short."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only on success.

    >>> import tempfile; scratch = tempfile.TemporaryDirectory(); folder = Path(scratch.name)
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("new")
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('new', ['a.txt'])
    >>> try:
    ...     with atomic_path(folder / "a.txt") as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('new', ['a.txt'])
    >>> scratch.cleanup()
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = None
    try:
        # Created and known to the clean-up below at once: a signal held meanwhile is raised as
        # the block ends, inside this try.
        with signals_held():
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            tmp_path = Path(tmp)
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        if tmp_path is not None:
            with signals_held():
                tmp_path.unlink(missing_ok=True)


def holds(path: Path, text: str | bytes) -> bool:
    """Whether ``path`` is a file that already holds exactly ``text`` (a ``str`` as UTF-8).

    >>> import tempfile; scratch = tempfile.TemporaryDirectory(); folder = Path(scratch.name)
    >>> _ = (folder / "a.txt").write_bytes("é\\n".encode())
    >>> holds(folder / "a.txt", "é\\n"), holds(folder / "a.txt", b"e\\n"), holds(folder, ""), holds(folder / "b", "")
    (True, False, False, False)
    >>> scratch.cleanup()
    """
    path = Path(path)
    return path.is_file() and path.read_bytes() == _encoded(text)


def _encoded(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def write_if_changed(target: Path, text: str | bytes) -> bool:
    """Write ``text`` to ``target`` atomically unless it already holds exactly that; True if written.

    A ``str`` is written as UTF-8 with its line ends as they are, ``bytes`` byte for byte. Leaving
    an unchanged file alone keeps its time stamp, so ``make`` does not redo what depends on it.

    >>> import tempfile; scratch = tempfile.TemporaryDirectory(); target = Path(scratch.name) / "a.txt"
    >>> write_if_changed(target, "x\\n"), write_if_changed(target, b"x\\n"), write_if_changed(target, "y\\r\\n")
    (True, False, True)
    >>> target.read_bytes()
    b'y\\r\\n'
    >>> scratch.cleanup()
    """
    if holds(target, text):
        return False
    with atomic_path(target) as tmp:
        tmp.write_bytes(_encoded(text))
    return True


def swap_in(folder: Path, texts: Mapping[str, str | bytes]) -> list[Path]:
    """Write several files into ``folder`` so that they change together or not at all.

    Every new text is first written in full to a staging folder beside ``folder``; only when all
    are written (a full disk fails here, before anything is replaced) are the changed files
    renamed into place, each rename atomic. Files whose text is unchanged keep their time stamp.
    A text given as ``bytes`` is written byte for byte (a copied raw file). Returns the files
    replaced.

    >>> import tempfile; scratch = tempfile.TemporaryDirectory(); out = Path(scratch.name) / "out"
    >>> [p.name for p in swap_in(out, {"a.csv": "1\\n", "b.csv": "2\\n"})]
    ['a.csv', 'b.csv']
    >>> [p.name for p in swap_in(out, {"a.csv": "1\\n", "b.csv": "3\\n"})]
    ['b.csv']
    >>> [p.name for p in swap_in(out, {"c.md": b"x\\r\\n"})], (out / "c.md").read_bytes()
    (['c.md'], b'x\\r\\n')
    >>> sorted(p.name for p in out.parent.iterdir())
    ['out']
    >>> scratch.cleanup()
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    changed = {name: text for name, text in texts.items() if not holds(folder / name, text)}
    if not changed:
        return []
    staging = None
    try:
        with signals_held():  # created and known to the clean-up below at once (see atomic_path)
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".staging", dir=folder.parent))
        for name, text in changed.items():
            (staging / name).write_bytes(_encoded(text))
            os.chmod(staging / name, 0o644)
        with signals_held():
            for name in changed:
                os.replace(staging / name, folder / name)
    finally:
        if staging is not None:
            with signals_held():
                shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in changed]


#: The signals that stop a command: Ctrl-C, and make's (or a supervisor's) SIGTERM.
STOPS = (signal.SIGINT, signal.SIGTERM)
#: What :func:`signals_held` holds: those, and the alarm that delivers a stop again (see below).
HELD = (*STOPS, signal.SIGALRM)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: the project's one signal policy raises this for both.

    It is a ``KeyboardInterrupt``, so every ``except KeyboardInterrupt`` (and ``finally``) treats
    a SIGTERM as it treats Ctrl-C; ``code`` is the exit status a shell expects (128 + signal).

    >>> Interrupted(signal.SIGTERM).code, isinstance(Interrupted(), KeyboardInterrupt)
    (143, True)
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)
        self.code = 128 + self.signum


#: The signal that is stopping this process, once :class:`Interrupted` was raised for it.
_stopping: list[int] = []
#: A stop raised where Python could not pass it on, to be raised again by the alarm.
_again: list[int] = []


def _raise_interrupted(signum, frame):
    if _stopping:
        # Already stopping (make passes a SIGTERM on to its children, so one often comes twice):
        # the clean-up under way is not cut short by a second one.
        return
    _stopping.append(signum)
    raise Interrupted(signum)


def _raise_again(signum, frame):
    if _again:
        _raise_interrupted(_again.pop(), frame)


def _unraisable(hook, unraisable) -> None:
    """A stop raised inside a weakref callback or ``__del__`` (pandera's schema registry has one)
    cannot propagate: Python would print it as "Exception ignored" and go on. It is raised
    again a moment later, once that callback has returned, by an alarm."""
    if not isinstance(unraisable.exc_value, Interrupted):
        hook(unraisable)
        return
    _stopping.clear()
    _again[:] = [unraisable.exc_value.signum]
    signal.setitimer(signal.ITIMER_REAL, 0.005)


def stop_on_signals() -> None:
    """The one signal policy: SIGINT and SIGTERM both raise :class:`Interrupted`, once.

    So ``finally`` blocks remove temporary files, and the command says in one line what it left
    (Python's default for SIGTERM is to die at once, leaving them). A second signal while the
    command stops is ignored, so it cannot cut the clean-up short; a stop that landed where
    Python cannot raise it is raised again just after; one ignored from the start stays ignored.
    Installed by ``analysis.cli`` before any
    command starts, and again (harmlessly) by each command's ``main``.
    """
    import functools

    for signum in STOPS:
        # A signal ignored when the command started stays ignored, as Python and make leave it
        # (a background job, nohup): whoever started it chose so.
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_interrupted)
    signal.signal(signal.SIGALRM, _raise_again)
    if getattr(sys.unraisablehook, "func", None) is not _unraisable:
        sys.unraisablehook = functools.partial(_unraisable, sys.unraisablehook)


def release_signals() -> None:
    """Let SIGINT and SIGTERM through, after :func:`stop_on_signals` put the policy in place.

    make starts every command with them held (``env --block-signal``, see the Makefile), so that
    one sent while Python itself starts (before any of the project's code can handle it) waits
    here, and is raised as :class:`Interrupted` now, rather than as a traceback from inside
    Python's start-up.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


#: The policy under the name its first callers know (there is no other SIGTERM policy).
exit_cleanly_on_sigterm = stop_on_signals


def finished() -> None:
    """The command has done its work and said so: a signal from now on changes nothing, so it is
    held until the process exits (rather than raised inside the interpreter's own shut-down)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD)


def exit_code(err: BaseException) -> int:
    """The exit status for an interrupt: 128 + its signal (130 for a bare ``KeyboardInterrupt``).

    >>> exit_code(Interrupted(signal.SIGTERM)), exit_code(KeyboardInterrupt())
    (143, 130)
    """
    return getattr(err, "code", 128 + signal.SIGINT)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a few quick steps run that must not be cut short (renames,
    removing a temporary folder); a signal that arrives meanwhile is delivered after them."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
