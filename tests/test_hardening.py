"""A project that survives misuse: builds interrupted at any moment lose nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import paths

IGNORE = shutil.ignore_patterns(".venv", ".build", ".tools", "site", ".git", "__pycache__", ".pytest_cache")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, dict]:
    """A copy of the work tree as a git repository, using this project's warm environment."""
    repo = tmp_path_factory.mktemp("interrupt") / "project"
    shutil.copytree(paths.ROOT, repo, ignore=IGNORE, symlinks=True)
    (repo / ".venv").symlink_to(paths.ROOT / ".venv")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "snapshot")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env.pop(paths.FIGURES_REDIRECT_ENV, None)
    env["PYTHONPATH"] = str(repo / "src")  # the copy's code, in the runner and in the kernels
    return repo, env


def _leftovers(repo: Path) -> list[str]:
    found = []
    for folder in ("data/processed", "figures", "notebooks", "."):
        found += [str(p.relative_to(repo)) for p in (repo / folder).glob(".*.tmp")]
    found += [str(p.relative_to(repo)) for p in repo.glob(".site.*")]
    return found


@pytest.mark.parametrize("after, signum", [(1.5, signal.SIGINT), (4.0, signal.SIGTERM), (5.5, signal.SIGINT)],
                         ids=["SIGINT-early", "SIGTERM-middle", "SIGINT-late"])
def test_interrupting_make_figures_loses_nothing(project, after, signum):
    repo, env = project
    proc = subprocess.Popen(["make", "-B", "figures"], cwd=repo, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    os.killpg(proc.pid, signum)
    try:
        proc.wait(timeout=60)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any kernel that outlived its runner
        except ProcessLookupError:
            pass
    assert proc.returncode != 0, "make finished before the signal: the interruption tested nothing"
    assert _git(repo, "status", "--porcelain") == "", "a tracked file changed or an untracked file was left"
    assert _leftovers(repo) == []


def test_after_interruptions_make_figures_completes_and_is_byte_identical(project):
    """The next build completes; a full rebuild of a clean copy changes no tracked byte.

    This is also the project's test that regenerating every notebook, figure (PNG and SVG) and
    processed table gives byte-identical files.
    """
    repo, env = project
    done = subprocess.run(["make", "figures"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    full = subprocess.run(["make", "-B", "figures"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert full.returncode == 0, full.stderr[-2000:]
    assert "ran notebooks/05-timeline.ipynb" in full.stdout, "the rebuild did not rerun the notebooks"
    assert _git(repo, "status", "--porcelain") == "", _git(repo, "diff", "--stat")
    assert _leftovers(repo) == []
