"""The environment: set up where it belongs, checked, repaired when broken, and never by surprise."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

from analysis import environment, paths, run


def test_the_path_to_the_code_is_relative_so_a_moved_checkout_finds_its_own():
    pth = environment.site_packages() / "_titp_src.pth"
    line = pth.read_text(encoding="utf-8").strip()
    assert not line.startswith("/"), "an absolute path would point a copy at the original"
    assert (environment.site_packages() / line).resolve() == paths.ROOT / "src"


def test_the_kernel_names_python_not_an_absolute_interpreter():
    kernel = (paths.ROOT / ".venv/share/jupyter/kernels/titp/kernel.json").read_text(encoding="utf-8")
    assert '"argv": [\n  "python"' in kernel


def test_the_stamp_names_this_folder_and_what_the_environment_was_made_from():
    made_from, groups = environment.recorded()
    assert made_from == environment.fingerprint() and str(paths.ROOT) in made_from
    assert "dev" in groups


def test_a_moved_checkout_or_a_changed_lock_is_not_current(monkeypatch, tmp_path):
    monkeypatch.setattr(environment, "ROOT", tmp_path)
    (tmp_path / "pyproject.toml").write_text("x", encoding="utf-8")
    (tmp_path / "uv.lock").write_text("y", encoding="utf-8")
    assert not environment.is_current(None)


def test_the_shell_check_in_the_makefile_computes_the_same_fingerprint():
    shell = subprocess.run(
        ["bash", "-c", "cat pyproject.toml uv.lock | sha256sum | cut -d' ' -f1"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert environment.fingerprint() == f"{paths.ROOT}\n{shell}"


def test_jupyterlab_asks_for_no_news_and_no_updates():
    overrides = (paths.ROOT / ".venv/share/jupyter/lab/settings/overrides.json").read_text(encoding="utf-8")
    assert '"fetchNews": "false"' in overrides and '"checkForUpdates": false' in overrides


# --- a broken environment is repaired once, or named with the one command that fixes it -------------


def _broken_in_site_packages(name: str) -> Exception:
    """An error raised from inside an installed package, as a deleted pandas/__init__.py gives."""
    code = compile(
        "raise AttributeError(\"module 'pandas' has no attribute 'Series'\")",
        f"{environment.VENV}/lib/python3.11/site-packages/pandera/typing/pandas.py",
        "exec",
    )
    try:
        exec(code, {})
    except AttributeError as err:
        return err
    raise AssertionError("unreachable")


def test_a_command_that_finds_the_environment_broken_repairs_it_once_and_runs_again(monkeypatch, capsys):
    err = _broken_in_site_packages("pandas")
    monkeypatch.setattr(importlib, "import_module", lambda name: (_ for _ in ()).throw(err))
    repaired, rerun = [], []
    monkeypatch.setattr(environment, "repair", lambda: repaired.append(True))  # the module run imports
    monkeypatch.setattr(run.os, "execv", lambda exe, argv: rerun.append(argv) or sys.exit(0))
    with pytest.raises(SystemExit):
        run.main(["build"])
    assert repaired == [True]
    assert rerun[0][-2:] == [run.REPAIRED, "build"]
    message = capsys.readouterr().err
    assert "make data: the environment in .venv is broken (AttributeError: module 'pandas'" in message
    assert "Traceback" not in message


def test_when_repairing_did_not_help_it_names_the_one_command_that_does(monkeypatch, capsys):
    err = _broken_in_site_packages("pandas")
    monkeypatch.setattr(importlib, "import_module", lambda name: (_ for _ in ()).throw(err))
    assert run.main([run.REPAIRED, "build"]) == 1
    assert f"run: {environment.FIX}" in capsys.readouterr().err


def test_a_bug_in_the_project_s_own_code_is_not_taken_for_a_broken_environment(monkeypatch):
    def own_bug(name):
        raise NameError("a typo in src/analysis")

    monkeypatch.setattr(importlib, "import_module", own_bug)
    monkeypatch.setattr(environment, "repair", lambda: pytest.fail("must not repair"))
    with pytest.raises(NameError):
        run.main(["build"])


def test_setup_reinstalls_when_the_import_check_fails_and_stamps_only_a_working_environment(monkeypatch, tmp_path):
    calls = []
    checks = iter(["pandas: AttributeError: module 'pandas' has no attribute 'Series'", None])
    monkeypatch.setattr(environment, "STAMP", tmp_path / ".ready")
    for name in ("write_pth", "write_kernel", "write_lab_settings", "install_git_filter"):
        monkeypatch.setattr(environment, name, lambda: None)
    monkeypatch.setattr(environment, "sync", lambda groups, reinstall=False: calls.append(reinstall))
    monkeypatch.setattr(environment, "broken_imports", lambda groups: next(checks))
    environment.setup(None)
    assert calls == [False, True], "synced, found broken, reinstalled"
    assert (tmp_path / ".ready").exists()


def test_setup_that_cannot_repair_says_what_to_run_and_stamps_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(environment, "STAMP", tmp_path / ".ready")
    for name in ("write_pth", "write_kernel", "write_lab_settings", "install_git_filter"):
        monkeypatch.setattr(environment, name, lambda: None)
    monkeypatch.setattr(environment, "sync", lambda groups, reinstall=False: None)
    monkeypatch.setattr(environment, "broken_imports", lambda groups: "pandas: ImportError: gone")
    with pytest.raises(environment.SetupFailed, match=r"run: rm -rf \.venv && make setup"):
        environment.setup(None)
    assert not (tmp_path / ".ready").exists()


def test_uv_is_never_reinstalled_when_it_is_there(monkeypatch, tmp_path):
    monkeypatch.setattr(environment.shutil, "which", lambda name: None)
    tools = tmp_path / "uv"
    tools.write_text("", encoding="utf-8")
    monkeypatch.setattr(environment, "TOOLS_UV", tools)
    monkeypatch.setattr(environment.subprocess, "run", lambda *a, **k: pytest.fail("pip must not run"))
    assert environment.uv() == str(tools)


def test_a_project_module_is_found_for_run(monkeypatch):
    fake = types.SimpleNamespace(main=lambda argv: 7)
    monkeypatch.setattr(importlib, "import_module", lambda name: fake)
    assert run.main(["build", "--x"]) == 7


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
        [str(environment.VENV / "bin" / "jupyter"), "lab", "--show-config"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        env={**notebooks.os.environ, **notebooks.tool_environment()},
    )
    assert "KernelManager\n  .transport = 'ipc'" in lab.stdout, lab.stdout + lab.stderr
