"""``make figures``: run notebooks and store them without run metadata.

``python -m analysis.notebooks run NOTEBOOK... [-p NAME VALUE ...] [-o OUTPUT] [--stale]``

One driver process runs every notebook it is given at once, each in its own kernel, over Unix
sockets (jupyter_client's ``ipc`` transport), so no network, not even loopback, is needed and
no import is paid twice in the driver. Each executed notebook is cleaned (times, durations and
other run metadata removed, streams joined) and written over the stored one only when every
cell succeeded and its bytes changed. A failing cell stops with the notebook and cell named;
the stored notebook is kept.

Parameters are confined: a name must be one the notebook's ``parameters`` cell declares, a
value must have the declared type, chart output stays inside the checkout (or beside an
explicit ``-o`` output), and a run with parameters other than the declared ones is written only
where ``-o`` says, never over the tracked notebook.

``python -m analysis.notebooks clean-filter`` is the git filter ``make setup`` installs: it
applies the same cleaning to a notebook saved from JupyterLab, so an unchanged rerun leaves
``git status`` clean.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.errors import ProjectError
from analysis.files import STOPS, atomic_path, exit_code, signals_held, stop_on_signals, stopping

KERNEL = "titp"
#: How messages name the step: make's target when make runs it, else the command itself.
STEP = "make figures"
COMMAND = "python -m analysis.notebooks"
#: Notebook and cell metadata that changes from run to run or from viewer to viewer.
VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")
VOLATILE_CELL_KEYS = ("papermill", "execution", "collapsed", "scrolled", "jupyter", "trusted")
#: Seconds a cell may run before the run is stopped.
CELL_TIMEOUT = 300
#: Where a notebook's stamp is recorded once it ran (make's target).
DONE = "{name}.done"
WANT = "{name}.want"


class NotebookFailed(ProjectError, RuntimeError):
    """A notebook could not be run: names the notebook and the cell, or the parameter."""


# ---------------------------------------------------------------------------------------------
# cleaning


def clean(nb):
    """Strip what varies between runs and viewers, so an unchanged rerun gives identical bytes.

    Run metadata (papermill's, JupyterLab's timings, collapsed/scrolled flags) is removed, and
    consecutive stream outputs of one stream are joined, as JupyterLab and nbclient split
    them differently.
    """
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.outputs)
    return nb


def _joined_streams(outputs: list) -> list:
    joined: list = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and joined
            and joined[-1].get("output_type") == "stream"
            and joined[-1].get("name") == out.get("name")
        ):
            joined[-1]["text"] = joined[-1]["text"] + out["text"]
        else:
            joined.append(out)
    return joined


def dumps(nb) -> str:
    """A notebook as the project stores it."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def clean_text(text: str) -> str:
    """A notebook's text, cleaned: what the git filter and ``make figures`` both store."""
    import nbformat

    return dumps(clean(nbformat.reads(text, as_version=4)))


# ---------------------------------------------------------------------------------------------
# parameters


def declared_parameters(nb) -> dict[str, object]:
    """The names and default values the notebook's one ``parameters`` cell declares (literals only)."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise NotebookFailed(f"expected one cell tagged 'parameters', found {len(cells)}")
    declared = {}
    for node in ast.parse(cells[0].source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise NotebookFailed("the parameters cell must hold only assignments of literals to names")
        declared[node.targets[0].id] = ast.literal_eval(node.value)
    return declared


def read_value(text: str) -> object:
    """A parameter value as typed on the command line: a Python literal, else the text itself.

    >>> read_value('["png"]'), read_value("figures"), read_value("3")
    (['png'], 'figures', 3)
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _same_type(value: object, default: object) -> bool:
    if isinstance(default, list):
        return (
            isinstance(value, list) and all(isinstance(x, type(default[0])) for x in value)
            if default
            else isinstance(value, list)
        )
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def check_parameters(declared: dict[str, object], given: list[tuple[str, str]]) -> dict[str, object]:
    """The parameters given, checked against the declared names and types.

    >>> check_parameters({"formats": ["png"]}, [("formats", '["svg"]')])
    {'formats': ['svg']}
    >>> check_parameters({"formats": ["png"]}, [("import os; x", "1")])
    Traceback (most recent call last):
    ...
    analysis.notebooks.NotebookFailed: unknown parameter 'import os; x': the notebook declares formats
    """
    chosen = {}
    for name, text in given:
        if name not in declared:
            raise NotebookFailed(f"unknown parameter {name!r}: the notebook declares {', '.join(declared)}")
        value = read_value(text)
        if not _same_type(value, declared[name]):
            raise NotebookFailed(
                f"parameter {name!r}: {text!r} is not a {type(declared[name]).__name__} like the "
                f"declared {declared[name]!r}"
            )
        chosen[name] = value
    return chosen


def confine(parameters: dict[str, object], output: Path | None) -> None:
    """Refuse an ``output_dir`` outside the checkout, unless it lies beside an explicit ``-o`` output."""
    if "output_dir" not in parameters:
        return
    target = paths.under_root(str(parameters["output_dir"]))
    if paths.is_inside(target):
        return
    if output is not None and paths.is_inside(target, Path(output).resolve().parent):
        return
    raise NotebookFailed(
        f"parameter 'output_dir': {parameters['output_dir']!r} lies outside the checkout; charts "
        "are written inside it, or beside an output named with -o"
    )


def inject(nb, parameters: dict[str, object]):
    """The notebook with a cell assigning the parameters after its ``parameters`` cell."""
    import nbformat

    if not parameters:
        return nb
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    source = "# Parameters given on the command line\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    nb.cells.insert(index + 1, cell)
    return nb


# ---------------------------------------------------------------------------------------------
# running


@dataclass
class Job:
    """One notebook to run, and where to store it."""

    notebook: Path
    target: Path
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    changed: bool = False


def scratch() -> Path:
    """A temporary folder for this run under ``.build/tmp``; folders of dead runs are removed first."""
    paths.TMP.mkdir(parents=True, exist_ok=True)
    for old in paths.TMP.glob("run-*"):
        pid = old.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=paths.TMP))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _client_class():
    """nbclient's NotebookClient, without the signal handlers and exit hooks of its own.

    nbclient's ``async_setup_kernel`` puts its own SIGINT and SIGTERM handlers on the event loop
    (replacing the driver's, one client after another), schedules a second shut-down of its
    kernel from them that races the driver's, registers an ``atexit`` shut-down that fails on a
    kernel already cleaned up, and on leaving removes the handlers, which puts SIGTERM back to
    Python's default (die at once, leaving the scratch folder and the kernels). With several
    kernels in one loop that made an interrupt end in a traceback or leave files behind. Here
    the driver alone handles signals and owns each kernel, from start to kill.
    """
    from contextlib import asynccontextmanager

    from nbclient import NotebookClient

    class Client(NotebookClient):
        @asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            if not self.km.has_kernel:
                await self.async_start_new_kernel(**kwargs)
            if self.kc is None:
                await self.async_start_new_kernel_client()
            yield

    return Client


def _kill(km, client) -> None:
    """Kill a kernel and everything it started, and reap it.

    Nothing here awaits, so no cancellation (a second Ctrl-C) can cut it short; the kernel runs
    in its own session, so its process group is its own.
    """
    kc = getattr(client, "kc", None)
    if kc is not None:
        kc.stop_channels()
    process = getattr(km.provisioner, "process", None) if km.provisioner is not None else None
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()


async def _execute(job: Job, folder: Path, index: int) -> object:
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = inject(nbformat.read(job.notebook, as_version=4), job.parameters)
    km = AsyncKernelManager(
        kernel_name=KERNEL,
        transport="ipc",
        ip=str(folder / f"kernel-{index}"),
        connection_file=str(folder / f"kernel-{index}.json"),
    )
    client = _client_class()(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(job.notebook.parent)}},
    )
    start = time.perf_counter()
    try:
        with open(folder / f"kernel-{index}.log", "wb") as log:
            await client.async_execute(stdout=log, stderr=log)
    except CellExecutionError as err:
        raise NotebookFailed(
            f"{paths.relative(job.notebook)}: {_failed_cell(nb)} failed: {err.ename}: {err.evalue}"
        ) from None
    except (CellTimeoutError, DeadKernelError, RuntimeError, TimeoutError) as err:
        # nbclient says "Kernel died before replying to kernel_info" as a RuntimeError.
        raise NotebookFailed(
            f"{paths.relative(job.notebook)}: {_failed_cell(nb)} failed: "
            f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
        ) from None
    finally:
        _kill(km, client)
    job.seconds = time.perf_counter() - start
    return nb


def _failed_cell(nb) -> str:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"cell {cell.get('execution_count')} (cell index {i})"
    return "a cell"


async def _run_all(jobs: list[Job], folder: Path) -> list:
    tasks = [asyncio.ensure_future(_execute(job, folder, i)) for i, job in enumerate(jobs)]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _execute_all(jobs: list[Job], folder: Path) -> list:
    """Run the jobs in one event loop; Ctrl-C or SIGTERM at any moment stops them all.

    The signals are held from before the loop starts until the loop's own handlers are in
    place, and again from before those are removed until the project's policy is back, so a
    signal never lands in the loop's or nbclient's machinery half-way: inside the loop it
    cancels the run once (each task then kills its kernel), outside it is delivered after.
    Raises :class:`analysis.files.Interrupted` when a signal stopped the run.
    """
    received: list[int] = []

    async def main() -> list:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()

        def stop(signum: int) -> None:
            if not received:  # once: a second signal must not cut the kernels' shut-down short
                received.append(signum)
                stopping(signum)
                task.cancel()

        for signum in handled:
            loop.add_signal_handler(signum, stop, signum)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
        try:
            return await _run_all(jobs, folder)
        finally:
            signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
            for signum in handled:
                loop.remove_signal_handler(signum)

    with signals_held():
        policy = {signum: signal.getsignal(signum) for signum in STOPS}
        handled = [signum for signum, handler in policy.items() if handler is not signal.SIG_IGN]
        try:
            try:
                executed = asyncio.run(main())
            finally:
                for signum, handler in policy.items():
                    signal.signal(signum, handler)
        except BaseException:
            # Once stopped, whatever the cancelled tasks ended with (nbclient turns a cancelled
            # cell into DeadKernelError) is the interrupt's doing, not the notebook's.
            if received:
                raise stopping(received[0]) from None
            raise
        if received:  # a signal at the last moment still means: nothing stored
            raise stopping(received[0])
        return executed


def run(jobs: list[Job]) -> list[Job]:
    """Run every job at once; store each notebook whose bytes changed. All succeed or none is stored."""
    folder = None
    try:
        # Created and known to the clean-up below at once: a signal held meanwhile is raised as
        # the block ends, inside this try.
        with signals_held():
            folder = scratch()
        executed = _execute_all(jobs, folder)
        with signals_held():  # a few renames: all of them, then the interrupt
            for job, nb in zip(jobs, executed):
                text = dumps(clean(nb))
                job.target.parent.mkdir(parents=True, exist_ok=True)
                if job.target.exists() and job.target.read_text(encoding="utf-8") == text:
                    continue
                with atomic_path(job.target) as tmp:
                    tmp.write_text(text, encoding="utf-8", newline="\n")
                job.changed = True
    finally:
        if folder is not None:
            with signals_held():
                shutil.rmtree(folder, ignore_errors=True)
    return jobs


def plan(notebooks: list[Path], given: list[tuple[str, str]], output: Path | None, stale: bool) -> list[Job]:
    """The jobs a command line asks for, with parameters checked and outputs confined."""
    import nbformat

    if output is not None and len(notebooks) != 1:
        raise NotebookFailed("-o names the output of one notebook; give one notebook with it")
    jobs = []
    for notebook in notebooks:
        notebook = Path(notebook).resolve()
        if not notebook.exists():
            raise NotebookFailed(f"{paths.relative(notebook)}: no such notebook")
        if stale and not _is_stale(notebook):
            continue
        declared = declared_parameters(nbformat.read(notebook, as_version=4))
        parameters = check_parameters(declared, given)
        changed = {k: val for k, val in parameters.items() if declared[k] != val}
        if changed and output is None:
            raise NotebookFailed(
                f"{paths.relative(notebook)}: a run with other parameters "
                f"({', '.join(changed)}) is never stored over the tracked notebook; name an output "
                "with -o"
            )
        confine(parameters, output)
        jobs.append(Job(notebook, Path(output).resolve() if output else notebook, changed))
    return jobs


def _stamp(notebook: Path, pattern: str) -> Path:
    return paths.BUILD / pattern.format(name=notebook.stem)


def _is_stale(notebook: Path) -> bool:
    """Whether make asked for this notebook: its inputs stamp is newer than its done stamp."""
    want, done = _stamp(notebook, WANT), _stamp(notebook, DONE)
    return not done.exists() or not want.exists() or want.stat().st_mtime_ns >= done.stat().st_mtime_ns


def main(argv: list[str] | None = None) -> int:
    """The command line: ``run`` and ``clean-filter``."""
    stop_on_signals()
    parser = argparse.ArgumentParser(prog="python -m analysis.notebooks")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="execute notebooks and store them cleaned")
    run_p.add_argument("notebooks", type=Path, nargs="+")
    run_p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a parameter the notebook declares; VALUE is read as a Python literal, else as text",
    )
    run_p.add_argument("-o", "--output", type=Path, help="where to store the executed notebook (one notebook only)")
    run_p.add_argument("--stale", action="store_true", help="only notebooks whose inputs changed (used by make)")
    sub.add_parser("clean-filter", help="git clean filter: a notebook on stdin, cleaned, on stdout")
    args = parser.parse_args(argv)

    if args.command == "clean-filter":
        sys.stdout.write(clean_text(sys.stdin.read()))
        return 0
    step = STEP if args.stale else COMMAND
    jobs: list[Job] = []
    try:
        jobs = plan(args.notebooks, args.parameter, args.output, args.stale)
        start = time.perf_counter()
        run(jobs)
    except NotebookFailed as err:
        print(f"{step}: {err}\n{step}: the stored notebooks were left as they were.", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:  # Ctrl-C or SIGTERM (files.Interrupted), at any moment
        stored = [paths.relative(job.target) for job in jobs if job.changed]
        kept = f"{', '.join(stored)} stored whole, the others" if stored else "the stored notebooks"
        print(f"{step}: interrupted; every kernel was stopped and {kept} left as they were.", file=sys.stderr)
        return exit_code(err)
    for job in jobs:
        if job.target == job.notebook:
            # Stamps newer than the notebook just written: make sees its inputs met, in this order.
            paths.BUILD.mkdir(parents=True, exist_ok=True)
            _stamp(job.notebook, WANT).touch()
            _stamp(job.notebook, DONE).touch()
        state = "updated" if job.changed else "unchanged"
        print(f"{step}: {paths.relative(job.target)} ({state}, {job.seconds:.1f} s)")
    if len(jobs) > 1 or not jobs:
        print(
            f"{step}: {len(jobs)} notebooks run at once in {time.perf_counter() - start:.1f} s, "
            f"{sum(j.changed for j in jobs)} updated"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
