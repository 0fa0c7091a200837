"""``make figures``: papermill runs the notebooks; they are stored without run metadata.

``python -m analysis.notebooks run NOTEBOOK... [-p NAME VALUE ...] [-o OUTPUT] [--stale]``

Every notebook is executed by ``papermill.execute_notebook``, several at once: the driver
imports papermill once and forks one worker per notebook, each with its own kernel. Kernels
talk over Unix sockets (the ``ipc`` transport of the project's Jupyter configuration,
``.jupyter/jupyter_config.json``, which JupyterLab and nbval read too), so no network, not even
loopback, is needed; they keep their state (IPython, matplotlib, Jupyter's runtime and data
folders) under ``.build/``, never in HOME or ``/tmp``. Each executed notebook is cleaned (by
nbstripout: run metadata removed, outputs kept) and written over the stored one only when every notebook
succeeded and its bytes changed. A failing cell stops with the notebook and cell named; the
stored notebooks are kept.

Parameters go in through papermill's own mechanism (the ``parameters`` cell, and the cell
papermill injects after it), confined: names and types are checked against
``papermill.inspect_notebook`` before any kernel starts, chart output stays inside the checkout
(or beside an explicit ``-o`` output), and a run with parameters other than the declared ones is
written only where ``-o`` says, never over the tracked notebook.

The cleaning is nbstripout's (:data:`STRIP`), which is also git's clean filter for notebooks
(``.gitattributes``, configured by the Makefile's set-up): a notebook saved from JupyterLab is
stored without its run metadata, so an unchanged rerun leaves ``git status`` clean.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
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
from analysis.files import STOPS, exit_code, signals_held, stop_on_signals, write_if_changed

KERNEL = "titp"
#: How messages name the step: make's target when make runs it, else the command itself.
STEP = "make figures"
COMMAND = "python -m analysis.notebooks"
#: How nbstripout cleans an executed notebook, the same as the git filter the Makefile configures
#: (NOTEBOOK_EXTRA_KEYS; a test holds them together): outputs, execution counts and cell ids stay
#: (the notebooks are committed executed, and nbval compares them); what changes from run to run
#: or from viewer to viewer goes. The keys are nbstripout's own defaults, then papermill's run
#: record and JupyterLab's view state.
STRIP = {
    "keep_output": True,
    "keep_count": True,
    "keep_id": True,
    "extra_keys": [
        "metadata.signature",
        "metadata.widgets",
        "cell.metadata.collapsed",
        "cell.metadata.ExecuteTime",
        "cell.metadata.execution",
        "cell.metadata.heading_collapsed",
        "cell.metadata.hidden",
        "cell.metadata.scrolled",
        "metadata.papermill",
        "cell.metadata.papermill",
        "cell.metadata.jupyter",
        "cell.metadata.trusted",
    ],
}
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
    """The notebook as the project stores it: nbstripout with :data:`STRIP`, and two steps of our own.

    Kept beside nbstripout only because byte-identity needs them, and nbstripout has no setting
    for either: papermill gives every cell an empty ``tags`` list (removing the ``tags`` key
    would take the ``parameters`` tag too), and nbclient splits a cell's printed text into
    stream outputs by timing, so consecutive outputs of one stream are joined.
    """
    from nbstripout import strip_output

    strip_output(nb, **STRIP)
    for cell in nb.cells:
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
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
    """A notebook's text, cleaned: what ``make figures`` stores."""
    import nbformat

    return dumps(clean(nbformat.reads(text, as_version=4)))


# ---------------------------------------------------------------------------------------------
# parameters


def papermill():
    """papermill, imported with Ctrl-C and SIGTERM held: a stop raised inside an import can leave a
    half-made module whose exit hook then fails as Python shuts down (jupyter_client's HBChannel
    registers one from inside its class body, a traceback after the one-line message). The stop
    is raised just after the import instead."""
    with signals_held():
        import papermill as module
    return module


def declared_parameters(notebook: Path) -> dict[str, object]:
    """The names and default values of the notebook's ``parameters`` cell, as papermill reads it.

    >>> declared_parameters(paths.NOTEBOOKS / "01-intern-counts.ipynb")
    {'output_dir': 'figures', 'formats': ['png', 'svg']}
    """
    found = papermill().inspect_notebook(str(notebook))
    if not found:
        raise NotebookFailed(f"{paths.relative(notebook)}: no cell tagged 'parameters'")
    declared = {}
    for name, parameter in found.items():
        try:
            declared[name] = ast.literal_eval(parameter["default"])
        except (ValueError, SyntaxError):
            raise NotebookFailed(
                f"{paths.relative(notebook)}: parameter {name!r}: its default {parameter['default']!r} is not a literal"
            ) from None
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
    """The parameters given, checked against the declared names and the types of their defaults.

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


# ---------------------------------------------------------------------------------------------
# the kernels' surroundings


def tool_environment() -> dict[str, str]:
    """Where kernels and Jupyter tools keep their state: under ``.build/``, never HOME or ``/tmp``.

    The Makefile exports the same for JupyterLab and nbval; a test holds the two together.
    """
    return {name: str(folder) for name, folder in paths.TOOL_DIRS.items()}


def use_project_tools() -> None:
    """Put :func:`tool_environment` in this process's environment (kernels inherit it)."""
    for name, folder in tool_environment().items():
        os.environ[name] = folder
        if name != "JUPYTER_CONFIG_DIR":
            Path(folder).mkdir(parents=True, exist_ok=True)


def jupyter_config():
    """The project's Jupyter configuration (``.jupyter/jupyter_config.json``), as JupyterLab reads it."""
    from traitlets.config.loader import JSONFileConfigLoader

    return JSONFileConfigLoader(paths.JUPYTER_CONFIG.name, path=str(paths.JUPYTER_CONFIG.parent)).load_config()


def configured(base: type) -> type:
    """A kernel manager class that reads the project's Jupyter configuration (for nbval's kernels).

    Over ``ipc``, a kernel made without a connection file would name its sockets ``kernel-ipc``
    relative to the working folder, which differs between the kernel (the notebook's folder) and
    its client; so each gets an absolute, short one under ``.build/tmp`` (a Unix socket's path
    is limited to 107 bytes).
    """
    import itertools

    numbers = itertools.count()

    class Configured(base):
        def __init__(self, **kwargs):
            kwargs.setdefault("config", jupyter_config())
            super().__init__(**kwargs)
            if self.transport == "ipc" and not self.connection_file:
                paths.TMP.mkdir(parents=True, exist_ok=True)
                stem = paths.TMP / f"kernel-{os.getpid()}-{next(numbers)}"
                self.connection_file = f"{stem}.json"
                self.ip = str(stem)

    Configured.__name__ = f"Project{base.__name__}"
    return Configured


# ---------------------------------------------------------------------------------------------
# running: one forked worker per notebook, each running papermill


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


#: The signal the driver stops a worker with (the worker ignores Ctrl-C and SIGTERM: the driver
#: alone decides, so that no kernel is left half shut down).
STOP_WORKER = signal.SIGUSR1
#: A worker's kernel processes, recorded as each is launched (with STOP_WORKER held meanwhile).
_kernels: list = []


def _kernel_manager(folder: Path, index: int) -> type:
    """papermill's kernel manager for worker ``index``: its connection file, sockets and log in
    ``folder``, its process recorded so that the worker can kill it whenever it is stopped."""
    from jupyter_client.manager import AsyncKernelManager

    class WorkerKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.connection_file = str(folder / f"kernel-{index}.json")
            if self.transport == "ipc":
                self.ip = str(folder / f"kernel-{index}")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log = open(folder / f"kernel-{index}.log", "wb")  # noqa: SIM115 - the worker's life
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {STOP_WORKER})
            try:
                await super()._async_launch_kernel(kernel_cmd, **{**kw, "stdout": log, "stderr": log})
            finally:
                if self.provisioner is not None and getattr(self.provisioner, "process", None) is not None:
                    _kernels.append(self.provisioner.process)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)

    return WorkerKernelManager


def _kill_kernels() -> None:
    """Kill the worker's kernels and everything they started (each runs in its own session).

    Safe in a signal handler: no lock of ``subprocess`` is taken (the interrupted code may hold
    one), and a kernel papermill already shut down and reaped is left alone.
    """
    for process in _kernels:
        if process.returncode is not None:
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(process.pid, 0)


def _stop_worker(signum, frame) -> None:
    _kill_kernels()
    os._exit(128 + signum)


def _worker(job: Job, folder: Path, index: int) -> None:
    """In a forked child: run one notebook with papermill; leave its cleaned text or one line
    saying why not in ``folder``; never return."""
    status = 1
    try:
        for signum in STOPS:
            signal.signal(signum, lambda signum, frame: None)
        signal.signal(STOP_WORKER, _stop_worker)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {*STOPS, STOP_WORKER})
        _run_papermill(job, folder, index)
        status = 0
    except NotebookFailed as err:
        (folder / f"{index}.error").write_text(str(err), encoding="utf-8")
    except BaseException as err:  # one line for make's log, whatever it was
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        (folder / f"{index}.error").write_text(
            f"{paths.relative(job.notebook)}: {type(err).__name__}: {first}", encoding="utf-8"
        )
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, {STOP_WORKER})
        _kill_kernels()
        os._exit(status)


def _run_papermill(job: Job, folder: Path, index: int) -> None:
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)
    start = time.perf_counter()
    try:
        nb = papermill.execute_notebook(
            str(job.notebook),
            None,  # papermill writes nothing: the driver stores the cleaned notebook
            parameters=job.parameters or None,
            kernel_name=KERNEL,
            cwd=str(job.notebook.parent),
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT,
            kernel_manager_class=_kernel_manager(folder, index),
            config=jupyter_config(),
            record_timing=False,
            shutdown_kernel="immediate",  # killed at once, as nothing of the kernel's is kept
        )
    except PapermillExecutionError as err:
        raise NotebookFailed(
            f"{paths.relative(job.notebook)}: cell {err.exec_count} (cell index {err.cell_index}) failed: "
            f"{err.ename}: {err.evalue}"
        ) from None
    text = dumps(clean(nb))
    (folder / f"{index}.ipynb").write_text(text, encoding="utf-8", newline="\n")
    (folder / f"{index}.seconds").write_text(f"{time.perf_counter() - start:.3f}", encoding="utf-8")


def _execute_all(jobs: list[Job], folder: Path) -> list[str]:
    """Run every job at once, one forked worker each; the cleaned texts, in order.

    papermill (and what it imports) is imported once, here, before the workers are forked. A
    failing notebook stops the others. Ctrl-C or SIGTERM at any moment raises
    :class:`analysis.files.Interrupted` here, and every worker is stopped, and waits, until it has
    killed its kernel.
    """
    papermill()  # imported once, before the workers are forked

    workers: dict[int, int] = {}
    failed: list[str] = []
    try:
        for index, job in enumerate(jobs):
            with signals_held():  # the worker is known to the clean-up below as soon as it exists
                pid = os.fork()
                if pid == 0:
                    _worker(job, folder, index)
                workers[pid] = index
        while workers:
            pid, status = os.wait()
            index = workers.pop(pid, None)
            if index is None:
                continue
            if os.waitstatus_to_exitcode(status) != 0:
                error = folder / f"{index}.error"
                failed.append(
                    error.read_text(encoding="utf-8")
                    if error.exists()
                    else f"{paths.relative(jobs[index].notebook)}: the worker ended with status {os.waitstatus_to_exitcode(status)}"
                )
                break
    finally:
        with signals_held():
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, STOP_WORKER)
            for pid in workers:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
    if failed:
        raise NotebookFailed(failed[0])
    texts = []
    for index, job in enumerate(jobs):
        job.seconds = float((folder / f"{index}.seconds").read_text(encoding="utf-8"))
        texts.append((folder / f"{index}.ipynb").read_text(encoding="utf-8"))
    return texts


def run(jobs: list[Job]) -> list[Job]:
    """Run every job at once; store each notebook whose bytes changed. All succeed or none is stored."""
    use_project_tools()
    folder = None
    try:
        # Created and known to the clean-up below at once: a signal held meanwhile is raised as
        # the block ends, inside this try.
        with signals_held():
            folder = scratch()
        texts = _execute_all(jobs, folder)
        with signals_held():  # a few renames: all of them, then the interrupt
            for job, text in zip(jobs, texts):
                job.changed = write_if_changed(job.target, text)
    finally:
        if folder is not None:
            with signals_held():
                shutil.rmtree(folder, ignore_errors=True)
    return jobs


def plan(notebooks: list[Path], given: list[tuple[str, str]], output: Path | None, stale: bool) -> list[Job]:
    """The jobs a command line asks for, with parameters checked and outputs confined (no kernel yet)."""
    if output is not None and len(notebooks) != 1:
        raise NotebookFailed("-o names the output of one notebook; give one notebook with it")
    jobs = []
    for notebook in notebooks:
        notebook = Path(notebook).resolve()
        if not notebook.exists():
            raise NotebookFailed(f"{paths.relative(notebook)}: no such notebook")
        if stale and not _is_stale(notebook):
            continue
        declared = declared_parameters(notebook)
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
    """Whether make asked for this notebook: its inputs stamp is newer than its done stamp.

    The driver touches both stamps after a run, often within one tick of the file system's clock,
    so equal times mean done, not asked for again.
    """
    want, done = _stamp(notebook, WANT), _stamp(notebook, DONE)
    return not done.exists() or not want.exists() or want.stat().st_mtime_ns > done.stat().st_mtime_ns


def main(argv: list[str] | None = None) -> int:
    """The command line: ``run``."""
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
    args = parser.parse_args(argv)

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
    from analysis import cli

    sys.exit(cli.entry(main))
