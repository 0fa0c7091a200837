"""Writing files safely: a file is either its old self or its complete new self, never
half-written, and a set of files is swapped in together or not at all."""

from __future__ import annotations

import os
import shutil
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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> bool:
    """Write ``text`` to ``target`` atomically unless it already holds exactly that; True if written.

    Leaving an unchanged file alone keeps its time stamp, so ``make`` does not redo what
    depends on it.
    """
    target = Path(target)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
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
    changed = {name: text for name, text in texts.items() if not _holds(folder / name, text)}
    if not changed:
        return []
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".staging", dir=folder.parent))
    try:
        for name, text in changed.items():
            if isinstance(text, bytes):
                (staging / name).write_bytes(text)
            else:
                (staging / name).write_text(text, encoding="utf-8", newline="\n")
            os.chmod(staging / name, 0o644)
        with signals_held():
            for name in changed:
                os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in changed]


def _holds(path: Path, text: str | bytes) -> bool:
    """Whether ``path`` exists and already holds exactly ``text``."""
    if not path.exists():
        return False
    if isinstance(text, bytes):
        return path.read_bytes() == text
    return path.read_text(encoding="utf-8") == text


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a few quick steps run that must not be cut short (renames,
    removing a temporary folder); a signal that arrives meanwhile is delivered after them."""
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so ``finally`` blocks remove temporary files before exit.

    (Python's default for SIGTERM is to die at once; SIGINT already raises KeyboardInterrupt.)
    """
    import signal

    def _exit(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
