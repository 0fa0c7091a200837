"""The project runs with the network switched off: nothing at run time reaches for it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis import paths


def _offline(cmd: str, env: dict) -> subprocess.CompletedProcess:
    """Run a shell command in a new network namespace with only the loopback device up."""
    return subprocess.run(["unshare", "--net", "--", "sh", "-c", f"ip link set lo up && {cmd}"], env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_project_runs_with_the_network_switched_off(tmp_path):
    probe = subprocess.run(["unshare", "--net", "--", "true"], capture_output=True, text=True)
    if probe.returncode != 0 or not shutil.which("ip"):
        pytest.skip(f"cannot make a network namespace here (unshare --net: {probe.stderr.strip() or 'no ip tool'})")
    env = {k: v for k, v in os.environ.items() if k != paths.FIGURES_REDIRECT_ENV}
    links = _offline("ip -o link show", env)
    assert links.returncode == 0 and [line.split(":")[1].strip() for line in links.stdout.splitlines()] == ["lo"], \
        "the namespace has a network device besides loopback: the test would prove nothing"
    py = sys.executable
    nb = paths.NOTEBOOKS / "01-intern-counts.ipynb"
    steps = [
        f"{py} -m analysis.build --out {tmp_path / 'processed'}",
        f"{py} -m analysis.notebooks run {nb} -o {tmp_path / 'out.ipynb'} -p output_dir {tmp_path / 'figs'}",
        f"{py} -m analysis.report --out {tmp_path / 'site'}",
    ]
    for step in steps:
        result = _offline(step, env)
        assert result.returncode == 0, f"offline run failed: {step}\n{result.stderr[-2000:]}"
    assert (tmp_path / "figs" / "01-intern-counts.png").exists()
    assert (tmp_path / "site" / "index.html").exists()
