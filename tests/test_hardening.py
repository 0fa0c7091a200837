"""A project that survives misuse, tried on a copy of the checkout.

The copy is a new folder with the work tree and a hard-linked copy of the environment, so it is
also the test of a copied checkout. In it, builds are interrupted at several moments, and a
full rebuild then runs with no network at all (not even loopback) and must change no tracked
byte. All of this is one group, run in order on one worker.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import paths

pytestmark = pytest.mark.slow

IGNORE = shutil.ignore_patterns(
    ".venv", ".build", ".tools", "site", ".git", "__pycache__", ".pytest_cache", ".hypothesis"
)
#: make's own variables: the copy's make is a new make, not a sub-make of a test run by make.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


#: Timeouts only stop a run that hangs: a full rebuild on two loaded cores may take minutes.
def _make(
    repo: Path, *args: str, timeout: float = 1800, offline: bool = False, env: dict | None = None
) -> subprocess.CompletedProcess:
    cmd = ["make", *args]
    if offline:
        cmd = ["unshare", "--net", "--", *cmd]
    return subprocess.run(cmd, cwd=repo, env=env or ENV, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The work tree in a new folder, its environment hard-linked, committed to a fresh repository."""
    repo = tmp_path_factory.mktemp("moved") / "project"
    shutil.copytree(paths.ROOT, repo, ignore=IGNORE, symlinks=True)
    for folder in (".venv", ".tools"):
        if (paths.ROOT / folder).exists():
            subprocess.run(["cp", "-al", str(paths.ROOT / folder), str(repo / folder)], check=True)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "snapshot")
    done = _make(repo, "setup-dev")
    assert done.returncode == 0, done.stderr
    return repo


def test_a_copied_checkout_runs_its_own_code(copy):
    assert (copy / ".venv/pyvenv.cfg").samefile(paths.ROOT / ".venv/pyvenv.cfg"), (
        "the original's environment, hard-linked"
    )
    where = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", "import analysis.paths as p; print(p.ROOT)"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert where.stdout.strip() == str(copy)
    kernel = (copy / ".venv/share/jupyter/kernels/titp/kernel.json").read_text(encoding="utf-8")
    assert '"python"' in kernel and str(paths.ROOT) not in kernel
    builds = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", "import analysis.build as b; print(b.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert builds.stdout.startswith(str(copy)), "make data in the copy runs the copy's build"


def _leftovers(repo: Path) -> list[str]:
    found = []
    for folder in ("data/processed", "figures", "notebooks", "data/raw/official", "."):
        found += [str(p.relative_to(repo)) for p in (repo / folder).glob(".*.tmp")]
    found += [str(p.relative_to(repo)) for p in repo.glob(".*staging*")]
    return found


def _wait_for(condition, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("the moment to interrupt never came")
        time.sleep(0.02)


def _runs(repo: Path) -> list[Path]:
    return list((repo / ".build" / "tmp").glob("run-*"))


def _command_loaded(repo: Path, command: str, library: str) -> bool:
    """``python -m analysis.COMMAND`` of ``repo`` is under way and has loaded ``library`` ("" for: started)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if f"-m analysis.{command} " in cmdline and os.readlink(proc / "cwd") == str(repo):
                return library in (proc / "maps").read_text()
        except OSError:
            continue
    return False


def _building(repo: Path) -> bool:
    """The data build of ``repo`` is under way: its process has loaded pandas (so it is past its start)."""
    return _command_loaded(repo, "build", "pandas/_libs")


def _driver_started(repo: Path) -> bool:
    """The notebook driver of ``repo`` has started (its interpreter is up, nothing of its own is done)."""
    return _command_loaded(repo, "notebooks", "")


def _touch_notebook(repo: Path) -> None:
    """Make one notebook's inputs newer than its last run, so make runs it (and only it)."""
    os.utime(repo / "data/processed/intern_counts.csv")


def _kernels_started(repo: Path) -> bool:
    return any(p.glob("kernel-*.log") for p in _runs(repo))


def _kernels_running_cells(repo: Path) -> bool:
    """A kernel of ``repo``'s driver is running the notebook's cells: it has loaded pandas."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if f"{repo}/.build/tmp/run-" in cmdline and "pandas/_libs" in (proc / "maps").read_text():
                return True
        except OSError:
            continue
    return False


#: What to interrupt, how, and when: the data build once its rules are read; the notebook driver
#: as it starts, the moment its scratch folder appears, as it starts its kernels, and once they
#: run the notebooks' cells (each moment an event seen in /proc or the scratch folder, so that a
#: loaded machine moves no moment). Each signal at several of these moments, as Ctrl-C and as make's SIGTERM
#: (which make also passes on to its child, so the driver gets it twice).
MOMENTS = {
    "SIGINT-during-data": (["-B", "data"], signal.SIGINT, _building, 0.2),
    "SIGTERM-during-data": (["-B", "data"], signal.SIGTERM, _building, 0.5),
    "SIGINT-as-the-driver-starts": (["figures"], signal.SIGINT, _driver_started, 0.0),
    "SIGTERM-as-the-driver-starts": (["figures"], signal.SIGTERM, _driver_started, 0.3),
    "SIGINT-as-kernels-start": (["figures"], signal.SIGINT, lambda repo: bool(_runs(repo)), 0.0),
    "SIGTERM-as-kernels-start": (["figures"], signal.SIGTERM, lambda repo: bool(_runs(repo)), 0.1),
    "SIGTERM-as-kernels-connect": (["figures"], signal.SIGTERM, _kernels_started, 0.0),
    "SIGINT-while-kernels-run": (["figures"], signal.SIGINT, _kernels_running_cells, 0.0),
    "SIGTERM-while-kernels-run": (["figures"], signal.SIGTERM, _kernels_running_cells, 0.3),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_interrupting_a_build_loses_nothing_and_says_so_in_a_line(copy, moment, as_from_a_terminal):
    args, signum, ready, extra = MOMENTS[moment]
    shutil.rmtree(copy / ".build" / "tmp", ignore_errors=True)
    if args == ["figures"]:
        _touch_notebook(copy)
    proc = subprocess.Popen(
        [*as_from_a_terminal, "make", *args],
        cwd=copy,
        env=ENV,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: ready(copy) or proc.poll() is not None)
        time.sleep(extra)
        os.killpg(proc.pid, signum)
        _, err = proc.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # any process that outlived make
    assert proc.returncode != 0, "make finished before the signal: the interruption tested nothing"
    assert _git(copy, "status", "--porcelain") == "", "a tracked file changed or an untracked file was left"
    assert _leftovers(copy) == []
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 4, f"noise on interrupt:\n{err}"
    # make waits for its children when a signal stops it, and the driver for its workers, each of
    # which for its kernels: once make has ended, nothing of the run may be left, at once.
    assert _runs(copy) == [], "the driver removed its temporary folder"
    kernels = subprocess.run(["pgrep", "-f", f"{copy}/.build/tmp"], capture_output=True, text=True).stdout
    assert not kernels.strip(), "a kernel outlived the interrupted run"


def test_after_interruptions_a_full_rebuild_with_no_network_and_a_read_only_home_changes_no_tracked_byte(
    copy, tmp_path
):
    """Loopback down too: the kernels talk over Unix sockets. uv is never needed, so never fetched.

    HOME is a path nothing can be created under (even by root), and the temporary folder is an
    empty one of the test's, where matplotlib and IPython would fall back to: kernels keep
    IPython's, matplotlib's and Jupyter's state under .build/ (issue 21, item 10).

    This is also the project's test that regenerating every table, notebook and chart (PNG, SVG,
    CSV and metadata, both layouts) gives byte-identical files, and that make's log is quiet.
    """
    probe = subprocess.run(["unshare", "--net", "--", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail(f"cannot make a network namespace here: {probe.stderr.strip()}")
    shutil.rmtree(copy / ".tools", ignore_errors=True)
    for name in ("ipython", "matplotlib", "jupyter"):
        shutil.rmtree(copy / ".build" / name, ignore_errors=True)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in ENV.items() if k not in paths.TOOL_DIRS}
    done = _make(copy, "-B", "figures", offline=True, env={**env, "HOME": "/dev/null", "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert _git(copy, "status", "--porcelain") == "", _git(copy, "diff", "--stat")
    assert _leftovers(copy) == []
    assert sorted(p.name for p in tmp.iterdir()) == [], "nothing is left in the temporary folder"
    assert (copy / ".build/matplotlib").is_dir() and (copy / ".build/ipython").is_dir()
    lines = done.stdout.strip().splitlines()
    assert lines[-2].startswith(
        f"make figures: {len(list(paths.NOTEBOOKS.glob('[0-9][0-9]-*.ipynb')))} notebooks run at once"
    ), lines
    assert lines[-1].startswith("make figures: the charts are in figures/") and "make report" in lines[-1], lines
    assert len([line for line in lines if line.startswith("make figures: notebooks/")]) == len(
        list(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    )
    assert not done.stderr.strip(), f"warnings in make's log:\n{done.stderr}"
    assert "pip" not in done.stdout + done.stderr and "setting up" not in done.stdout


def test_a_changed_table_re_runs_the_notebook_that_reads_it_and_no_other(copy):
    _touch_notebook(copy)
    done = _make(copy, "figures")
    assert done.returncode == 0, done.stderr[-3000:]
    ran = re.findall(r"^make figures: (notebooks/\S+)", done.stdout, flags=re.M)
    assert ran == ["notebooks/01-intern-counts.ipynb"], done.stdout
    assert "notebooks/01-intern-counts.ipynb (unchanged" in done.stdout, done.stdout
    assert _git(copy, "status", "--porcelain") == "", _git(copy, "diff", "--stat")


def test_a_no_op_make_figures_does_nothing_after_make_test_style_runs(copy):
    done = _make(copy, "figures")
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout


def test_the_site_builds_with_no_network_and_a_swap_cut_short_is_finished_by_the_next_make_report(copy):
    """What Ctrl-C between the swap's two renames leaves: the old site beside, none in place."""
    done = _make(copy, "report", offline=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (copy / "site" / "index.html").exists()
    assert _git(copy, "status", "--porcelain") == ""
    (copy / "site").rename(copy / ".site.old")
    again = _make(copy, "report", offline=True)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (copy / "site" / "index.html").exists()
    assert not (copy / ".site.old").exists() and not (copy / ".site.new").exists()
    assert _git(copy, "status", "--porcelain") == ""


def test_python_the_copy_runs_is_its_own(copy):
    assert sys.executable != str(copy / ".venv/bin/python")
    out = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", "import analysis; print(analysis.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout
    assert out.startswith(str(copy))
