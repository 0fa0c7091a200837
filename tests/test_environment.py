"""The environment: made by make and uv where it belongs, named in one line when broken, never by surprise.

The Makefile's set-up is tried in a folder of its own with stand-ins for uv and for pip (the
system python3), which record how they were called; what the real set-up left in this
checkout's .venv is checked as it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis import cli, paths

#: make's own variables: the make run here is a new make, not a sub-make of a test run by make.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


def _site_packages() -> Path:
    return next((paths.ROOT / ".venv/lib").glob("python3*/site-packages"))


def test_the_path_to_the_code_is_relative_so_a_copied_checkout_finds_its_own():
    line = (_site_packages() / "_titp_src.pth").read_text(encoding="utf-8").strip()
    assert not line.startswith("/"), "an absolute path would point a copy at the original"
    assert (_site_packages() / line).resolve() == paths.ROOT / "src"


def test_the_kernel_names_python_not_an_absolute_interpreter():
    kernel = json.loads((paths.ROOT / ".venv/share/jupyter/kernels/titp/kernel.json").read_text(encoding="utf-8"))
    assert kernel["argv"][:3] == ["python", "-m", "ipykernel_launcher"]


def test_jupyterlab_asks_for_no_news_and_no_updates():
    overrides = json.loads((paths.ROOT / ".venv/share/jupyter/lab/settings/overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"checkForUpdates": False, "fetchNews": "false"}


def test_every_package_s_bytecode_is_compiled():
    pandas = _site_packages() / "pandas"
    assert any((pandas / "__pycache__").glob("__init__.cpython-311*.pyc")), "UV_COMPILE_BYTECODE=1"


# --- the Makefile's set-up, with stand-ins for uv and pip ----------------------------------------------

#: Stands in for uv (and, as ``python3 -m pip``, for pip, which installs this very script as uv):
#: records its arguments and the uv settings it was given, and makes a .venv as uv sync does.
FAKE_TOOL = textwrap.dedent(
    """\
    #!{python}
    import json, os, shutil, sys
    from pathlib import Path
    args = sys.argv[1:]
    if args[:2] == ["-m", "analysis.makefile"]:
        sys.exit(0)
    if args[:2] == ["-m", "pip"]:
        if os.environ.get("OFFLINE"):
            print("ERROR: No matching distribution found for uv", file=sys.stderr)
            sys.exit(1)
        uv = Path(".tools/uv/bin/uv")
        uv.parent.mkdir(parents=True)
        shutil.copy(__file__, uv)
    if args[:1] == ["sync"]:
        Path(".venv/lib/python3.11/site-packages").mkdir(parents=True, exist_ok=True)
        Path(".venv/bin").mkdir(parents=True, exist_ok=True)
    settings = {{k: v for k, v in os.environ.items() if k.startswith("UV_")}}
    with open("calls.jsonl", "a") as log:
        log.write(json.dumps([Path(sys.argv[0]).name, args, settings]) + "\\n")
    """
)
#: The tools the Makefile's recipes use, besides python3 and uv.
TOOLS = (
    "make",
    "bash",
    "sh",
    "env",
    "git",
    "mkdir",
    "touch",
    "mv",
    "rm",
    "cat",
    "tail",
    "find",
    "sort",
    "grep",
    "awk",
    "id",
)


@pytest.fixture
def fresh(tmp_path) -> Path:
    """The Makefile in a new folder, as after a clone: no .venv, no .tools, and no uv on the PATH."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in ("Makefile", "pyproject.toml", "uv.lock", ".gitattributes"):
        shutil.copy(paths.ROOT / name, folder / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run make here"
        (bin_dir / tool).symlink_to(found)
    python3 = bin_dir / "python3"
    python3.write_text(FAKE_TOOL.format(python=sys.executable), encoding="utf-8")
    python3.chmod(0o755)
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    return folder


def _make(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    path = str(folder.parent / "bin")
    return subprocess.run(
        ["make", *args], cwd=folder, env={**ENV, "PATH": path, **env}, capture_output=True, text=True, timeout=60
    )


def _calls(folder: Path) -> list[list]:
    log = folder / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_a_fresh_checkout_installs_uv_once_and_syncs_the_groups_a_target_needs(fresh):
    done = _make(fresh, "setup-dev")
    assert done.returncode == 0, done.stderr
    (pip, pip_args, _), (uv, sync, settings) = _calls(fresh)
    assert (pip, pip_args[:3]) == ("python3", ["-m", "pip", "install"]) and pip_args[-3:] == [
        "--target",
        ".tools/uv",
        "uv",
    ]
    assert uv == "uv" and sync[:3] == ["sync", "--frozen", "--inexact"] and sync[-2:] == ["--group", "dev"]
    assert settings["UV_PYTHON_DOWNLOADS"] == "never" and settings["UV_PYTHON_PREFERENCE"] == "only-system"
    assert settings["UV_COMPILE_BYTECODE"] == "1" and settings["UV_PROJECT_ENVIRONMENT"] == ".venv"
    pth = fresh / ".venv/lib/python3.11/site-packages/_titp_src.pth"
    assert (pth.parent / pth.read_text(encoding="utf-8").strip()).resolve() == fresh / "src"
    assert json.loads((fresh / ".venv/share/jupyter/kernels/titp/kernel.json").read_text())["argv"][0] == "python"
    config = subprocess.run(["git", "config", "filter.nbstripout.clean"], cwd=fresh, capture_output=True, text=True)
    assert "nbstripout --keep-output" in config.stdout

    assert _make(fresh, "setup-dev").returncode == 0
    assert _make(fresh, "-B", "setup-dev").returncode == 0
    assert _make(fresh, "setup-site").returncode == 0, "the dev group includes the site group"
    assert len(_calls(fresh)) == 2, "once set up, neither make nor make -B installs or syncs again"


def test_the_other_groups_are_synced_when_a_target_needs_them_and_again_when_the_lock_changes(fresh):
    assert _make(fresh, "setup-site").returncode == 0
    assert _make(fresh, ".venv/ready-default").returncode == 0  # what make data and make figures need
    os.utime(fresh / "uv.lock")
    assert _make(fresh, "setup-site").returncode == 0
    syncs = [args for tool, args, _ in _calls(fresh) if tool == "uv"]
    assert [s[3:] for s in syncs] == [["--quiet", "--group", "site"], ["--quiet"], ["--quiet", "--group", "site"]]
    assert [tool for tool, _, _ in _calls(fresh)].count("python3") == 1, "pip ran once: uv was there after"


def test_make_b_never_reinstalls_uv(fresh):
    assert _make(fresh, "setup").returncode == 0
    assert _make(fresh, "-B", "setup").returncode == 0
    assert [tool for tool, _, _ in _calls(fresh)] == ["python3", "uv", "uv"]


@pytest.mark.slow  # starts make and python
def test_the_generated_rules_are_rewritten_when_a_module_is_newer_and_not_by_make_b_alone(tmp_path):
    folder = tmp_path / "checkout"
    shutil.copytree(paths.ROOT / "src", folder / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.ROOT / "Makefile", folder / "Makefile")
    rules = folder / ".build/make.mk"

    def make(*args: str) -> int:
        done = subprocess.run(["make", *args, "help"], cwd=folder, env=ENV, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return rules.stat().st_mtime_ns

    first = make()
    assert "DATA_SRC := src/analysis/" in rules.read_text(encoding="utf-8")
    assert make("-B") == first, "make -B with every module older: the rules are not written again"
    os.utime(folder / "src/analysis/fmt.py", ns=(first + 10**9, first + 10**9))
    assert make() > first, "a module newer than the rules: written again"


def test_make_setup_reinstalls_every_package_of_the_groups_set_up(fresh):
    assert _make(fresh, "setup-dev").returncode == 0
    assert _make(fresh, "setup").returncode == 0
    _, sync, _ = _calls(fresh)[-1]
    assert "--reinstall" in sync and "dev" in sync and "site" in sync


def test_set_up_without_uv_or_network_says_the_network_is_needed_once(fresh):
    done = _make(fresh, "figures", OFFLINE="1")
    assert done.returncode != 0
    assert "needs the network, once" in done.stderr and "No matching distribution found for uv" in done.stderr
    assert not (fresh / ".tools/uv/bin/uv").exists() and not (fresh / ".venv").exists()


# --- a broken environment is named in one line, with the one command that fixes it --------------------


def _broken_package(folder: Path, name: str = "pandas") -> Path:
    """A package (pandas: shadowed) in a site-packages folder, that fails as it is imported."""
    package = folder / "site-packages" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "raise AttributeError(\"module 'numpy' has no attribute 'ndarray'\")\n", encoding="utf-8"
    )
    return package.parent


@pytest.mark.slow  # starts python
def test_a_command_that_finds_the_environment_broken_says_so_in_one_line(tmp_path):
    done = subprocess.run(
        [str(paths.ROOT / ".venv/bin/python"), "-m", "analysis.build"],
        env={**ENV, "PYTHONPATH": str(_broken_package(tmp_path))},
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "make data: the environment in .venv is broken "
        "(AttributeError: module 'numpy' has no attribute 'ndarray'): run make setup\n"
    )


def test_a_bug_in_the_project_s_own_code_or_a_package_s_answer_is_not_a_broken_environment(tmp_path):
    sys.path.insert(0, str(_broken_package(tmp_path, "titp_broken_package")))
    own = tmp_path / "own"
    own.mkdir()
    (own / "titp_own_bug.py").write_text("undefined_name\n", encoding="utf-8")
    sys.path.insert(0, str(own))
    try:
        for name, broken in [("titp_broken_package", True), ("titp_own_bug", False)]:
            with pytest.raises(Exception) as err:
                __import__(name)
            assert cli.broken_environment(err.value) is broken, name
    finally:
        sys.path[:2] = []
    import pandas as pd

    with pytest.raises(KeyError) as err:
        pd.Series({"a": 1})["b"]
    assert not cli.broken_environment(err.value), "an error a package raises when called"


# --- kernels and Jupyter tools: the project's configuration, their state under .build/ -------------


def test_the_makefile_exports_the_folders_kernels_and_tools_use():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    for name, folder in paths.TOOL_DIRS.items():
        assert f"export {name} := $(CURDIR)/{folder.relative_to(paths.ROOT).as_posix()}\n" in makefile
        assert paths.BUILD in folder.parents or folder == paths.JUPYTER_CONFIG.parent, "nothing in HOME or /tmp"


@pytest.mark.slow
def test_papermill_nbval_and_jupyterlab_read_the_ipc_transport_from_the_project_config():
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    from analysis import notebooks

    assert notebooks.jupyter_config().KernelManager.transport == "ipc"
    worker = notebooks._kernel_manager(paths.TMP, 0)(config=notebooks.jupyter_config())
    assert worker.transport == "ipc" and worker.ip == str(paths.TMP / "kernel-0"), "papermill's kernels"
    assert notebooks.configured(KernelManager)().transport == "ipc", "nbval's kernels (conftest.py)"
    assert issubclass(notebooks._kernel_manager(paths.TMP, 0), AsyncKernelManager)
    lab = subprocess.run(
        [str(paths.ROOT / ".venv/bin/jupyter"), "lab", "--show-config"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        env={**notebooks.os.environ, **notebooks.tool_environment()},
    )
    assert "KernelManager\n  .transport = 'ipc'" in lab.stdout, lab.stdout + lab.stderr
