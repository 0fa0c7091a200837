"""The project's environment in ``.venv``: set up from ``uv.lock``, checked, and repaired.

``python3 -m analysis.environment ensure [--group site|dev]`` is what every ``make`` target runs
first. When the stamp ``.venv/.ready`` says the environment was made from this very
``pyproject.toml`` and ``uv.lock``, in this very folder, with the groups asked for, it does
nothing (a few milliseconds). Otherwise it sets the environment up:

1. uv from the PATH, or from ``.tools/uv`` (installed there with pip the first time only);
2. ``uv sync --frozen`` with the system Python and bytecode compiled, adding the groups asked
   for and never removing others;
3. a ``.pth`` file that puts ``src/`` on the path by a *relative* path, and a kernel spec that
   names ``python`` rather than an absolute interpreter, so that a moved or copied checkout
   runs its own code;
4. JupyterLab settings that turn off the news and update checks, and the git clean filter for
   notebooks;
5. an import check of what the project needs; a failing one is repaired with
   ``uv sync --reinstall``, or named with the one command that fixes it.

``repair`` reinstalls and checks again; :mod:`analysis.run` calls it when a command finds the
environment broken. Standard library only: it runs before the environment exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".ready"
TOOLS_UV = ROOT / ".tools" / "uv" / "bin" / "uv"
KERNEL = "titp"
GROUPS = ("site", "dev")
#: Groups that include others (pyproject.toml: the dev group includes the site group).
INCLUDES = {"dev": {"site"}}
#: What must import for the project to run (runtime, then per group).
NEEDED = {
    None: (
        "pandas",
        "numpy",
        "matplotlib.pyplot",
        "pandera.pandas",
        "nbformat",
        "nbclient",
        "jupyter_client",
        "ipykernel",
        "papermill",
        "analysis.build",
        "analysis.notebooks",
    ),
    "site": ("sphinx", "myst_nb", "pydata_sphinx_theme"),
    "dev": ("pytest", "xdist", "hypothesis", "nbval", "playwright", "frictionless"),
}
FIX = "rm -rf .venv && make setup"


class SetupFailed(RuntimeError):
    """Set-up could not complete; the message says what to do."""


def fingerprint() -> str:
    """What the environment is made from: this folder, pyproject.toml and uv.lock."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "uv.lock"):
        digest.update((ROOT / name).read_bytes())
    return f"{ROOT}\n{digest.hexdigest()}"


def recorded() -> tuple[str, set[str]]:
    """The fingerprint and the groups the stamp records ('' and none when there is no stamp)."""
    try:
        lines = STAMP.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return "", set()
    return "\n".join(lines[:2]), set(lines[2].split()) if len(lines) > 2 else set()


def is_current(group: str | None) -> bool:
    """Whether the environment was set up here, from these files, with this group."""
    made_from, groups = recorded()
    return PYTHON.exists() and made_from == fingerprint() and (group is None or group in groups)


def uv() -> str:
    """uv from the PATH, or the project's own copy (installed with pip the first time only)."""
    found = shutil.which("uv")
    if found:
        return found
    if not TOOLS_UV.exists():
        print("setting up: installing uv into .tools/ with pip (once)", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-warn-script-location",
                "--target",
                str(TOOLS_UV.parents[1]),
                "uv",
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SetupFailed(
                "uv is not on the PATH, and installing it into .tools/ with pip needs the network, once "
                "(after that nothing is downloaded): connect and run the command again, or put uv on the "
                f"PATH; pip said: {(done.stderr.strip().splitlines() or ['no output'])[-1]}"
            )
    return str(TOOLS_UV)


#: The Python the project runs on (pyproject.toml: requires-python).
PYTHON_VERSION = (3, 11)


def interpreter() -> str:
    """The Python 3.11 that .venv is made with: ``python3`` when it is 3.11 (it runs this module),
    or else ``python3.11`` from the PATH; refused, saying so, when there is none."""
    if sys.version_info[:2] == PYTHON_VERSION:
        return "python3"
    wanted = "python{}.{}".format(*PYTHON_VERSION)
    found = shutil.which(wanted)
    here = "{}.{}.{}".format(*sys.version_info[:3])
    if found:
        print(f"setting up: python3 is Python {here}; using {found} (the project needs Python 3.11)", flush=True)
        return found
    raise SetupFailed(
        f"the project needs Python 3.11, and python3 is Python {here} with no {wanted} on the PATH: "
        f"install Python 3.11 so that {wanted} is on the PATH, and run the command again"
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(UV_PYTHON_DOWNLOADS="never", UV_COMPILE_BYTECODE="1", UV_PROJECT_ENVIRONMENT=str(VENV))
    env.pop("VIRTUAL_ENV", None)
    return env


def sync(groups: set[str], reinstall: bool = False) -> None:
    """``uv sync`` from the lock, adding ``groups``; nothing is downloaded that uv has cached."""
    python = interpreter()
    cmd = [uv(), "sync", "--frozen", "--inexact", "--quiet", "--python", python]
    for group in sorted(groups):
        cmd += ["--group", group]
    if reinstall:
        cmd.append("--reinstall")
    done = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupFailed(f"uv sync failed: {last}")


def write(path: Path, text: str) -> None:
    """Write a file by renaming a new one over it: never into the old file, which a copied checkout
    may share with the original through a hard link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def site_packages() -> Path:
    """The environment's site-packages folder."""
    return next((VENV / "lib").glob("python3*/site-packages"))


def write_pth() -> None:
    """Put ``src/`` on the path by a path relative to site-packages (which Python resolves so)."""
    folder = site_packages()
    write(folder / "_titp_src.pth", os.path.relpath(ROOT / "src", folder) + "\n")


def write_kernel() -> None:
    """The ``titp`` kernel: 'python' is resolved by jupyter_client to the interpreter that starts it."""
    folder = VENV / "share" / "jupyter" / "kernels" / KERNEL
    spec = {
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (TITP)",
        "language": "python",
        "metadata": {"debugger": True},
    }
    write(folder / "kernel.json", json.dumps(spec, indent=1) + "\n")


def write_lab_settings() -> None:
    """JupyterLab with no news pop-up and no update check (no network requests)."""
    folder = VENV / "share" / "jupyter" / "lab" / "settings"
    overrides = {"@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"}}
    write(folder / "overrides.json", json.dumps(overrides, indent=1) + "\n")


#: The notebook clean filter git runs (from the top of the work tree). Without .venv (after
#: ``make clean``) it says how to restore it and passes the notebook through as it is, which is
#: what git does anyway when a filter fails (after two lines of "error: external filter").
GIT_FILTER = (
    "if [ -x .venv/bin/python ]; then exec .venv/bin/python -m analysis.notebooks clean-filter; fi; "
    "echo 'notebooks/: the git filter that cleans notebooks needs .venv, which is missing (make clean"
    " removes it); run make setup to restore it. Until then a notebook is stored as it is.' >&2; exec cat"
)


def install_git_filter(root: Path = ROOT) -> None:
    """The clean filter that stores notebooks as ``make figures`` does (see .gitattributes)."""
    if not (root / ".git").exists() or not shutil.which("git"):
        return
    subprocess.run(["git", "config", "filter.titp-notebook.clean", GIT_FILTER], cwd=root, check=False)
    subprocess.run(["git", "config", "filter.titp-notebook.smudge", "cat"], cwd=root, check=False)


def broken_imports(groups: set[str]) -> str | None:
    """The first needed module that does not import, with the error; None when all import.

    What ``make data`` and ``make figures`` run is imported; a group's tools (the site generator,
    the test tools) are only looked up, which is cheap: a broken one is repaired when a command
    that uses it finds it broken (:mod:`analysis.run`).
    """
    code = (
        "import importlib, importlib.util, sys\n"
        "imports, lookups = sys.argv[1].split(','), sys.argv[2].split(',') if sys.argv[2] else []\n"
        "for m in imports:\n"
        "    try:\n        importlib.import_module(m)\n"
        "    except BaseException as e:\n        print(f'{m}: {type(e).__name__}: {e}'); sys.exit(1)\n"
        "for m in lookups:\n"
        "    if importlib.util.find_spec(m) is None:\n        print(f'{m}: not installed'); sys.exit(1)\n"
    )
    lookups = [m for g in sorted(groups) for m in NEEDED[g]]
    done = subprocess.run(
        [str(PYTHON), "-c", code, ",".join(NEEDED[None]), ",".join(lookups)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: val for k, val in os.environ.items() if k != "PYTHONPATH"},
    )
    if done.returncode == 0:
        return None
    return (done.stdout.strip() or done.stderr.strip().splitlines()[-1]).splitlines()[-1]


def setup(group: str | None) -> None:
    """Set the environment up for ``group`` (and keep the groups it already has)."""
    made_from, groups = recorded()
    groups = (groups if made_from == fingerprint() else set()) | ({group} if group else set())
    groups |= {included for g in list(groups) for included in INCLUDES.get(g, set())}
    print(f"setting up .venv from uv.lock{' with ' + ', '.join(sorted(groups)) if groups else ''}", flush=True)
    sync(groups)
    write_pth()
    write_kernel()
    write_lab_settings()
    install_git_filter()
    if broken := broken_imports(groups):
        print(f"setting up: the environment does not import ({broken}); reinstalling from uv's cache", flush=True)
        sync(groups, reinstall=True)
        write_pth()
        if broken := broken_imports(groups):
            raise SetupFailed(f"the environment still does not import ({broken}); run: {FIX}")
    write(STAMP, f"{fingerprint()}\n{' '.join(sorted(groups))}\n")


def repair() -> None:
    """Reinstall every package from the lock and check again (after a command found it broken)."""
    _, groups = recorded()
    print("repairing .venv: reinstalling from uv.lock", flush=True)
    sync(groups, reinstall=True)
    write_pth()
    write_kernel()
    if broken := broken_imports(groups):
        raise SetupFailed(f"the environment still does not import ({broken}); run: {FIX}")


def main(argv: list[str] | None = None) -> int:
    """``ensure [--group G]`` or ``repair``."""
    parser = argparse.ArgumentParser(prog="python3 -m analysis.environment")
    parser.add_argument("command", choices=["ensure", "repair", "check"])
    parser.add_argument("--group", choices=GROUPS)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return 0 if is_current(args.group) else 1
        if args.command == "repair":
            repair()
        elif not is_current(args.group):
            setup(args.group)
    except SetupFailed as err:
        print(f"make setup: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("make setup: interrupted; run the command again to finish setting up", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
