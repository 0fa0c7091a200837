"""Test set-up: one build per session, and nothing the tests run may write into the work tree."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No example database: it would be written into the work tree as .hypothesis/.
settings.register_profile("project", database=None, deadline=None)
# The fast tier (`make test-unit`) tries fewer examples of each property; `make test` the default.
settings.register_profile("fast", parent=settings.get_profile("project"), max_examples=20)
settings.load_profile("project")


def pytest_configure(config):
    """nbval's kernels read the project's Jupyter configuration, as papermill's and JupyterLab's do.

    nbval makes its kernel manager without any configuration (``nbval.kernel.start_new_kernel``),
    so it is given the project's kernel manager class, which reads ``.jupyter/jupyter_config.json``
    (the ``ipc`` transport). Kernels also keep their state under ``.build/`` (``make test``
    exports the same; this covers a bare ``pytest``). Markers the fast tier meets without the
    plugin that declares them (xdist is off there) are declared here.
    """
    config.addinivalue_line("markers", "xdist_group(name): run the tests of a group on one worker (pytest-xdist)")
    if not config.pluginmanager.hasplugin("nbval"):
        return
    import nbval.kernel
    from jupyter_client.manager import KernelManager

    from analysis import notebooks

    notebooks.use_project_tools()
    nbval.kernel.KernelManager = notebooks.configured(KernelManager)


@pytest.fixture(scope="session")
def built():
    """Every processed table, built from the committed raw files once per test session."""
    from analysis.build import build_all

    return build_all()


@pytest.fixture(scope="session")
def as_from_a_terminal():
    """A prefix for a command the tests interrupt: Ctrl-C and SIGTERM at their defaults, as a
    terminal starts it, even when the tests run with them ignored (a background job of a script
    ignores Ctrl-C, and make, Python and the project keep a signal ignored that was ignored at start)."""
    import subprocess

    prefix = ["env", "--default-signal=INT,TERM"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.fail("these tests need GNU env 8.31 or later (env --default-signal)")
    return prefix


@pytest.fixture
def ctrl_c_raises():
    """Ctrl-C raises KeyboardInterrupt in this process during the test, as in a terminal, even when
    the tests run with it ignored; the handler the test found is put back after it."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def official_copy(tmp_path):
    """A writable copy of ``data/raw/official/`` (its subfolders too), for tests that change it."""
    import shutil

    from analysis import paths

    folder = tmp_path / "official"
    shutil.copytree(paths.RAW_OFFICIAL, folder)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


#: Fixtures that build the project, read every table or the whole e-Stat download, draw every chart,
#: or start make or a command: a test using one is not in the fast tier.
BUILDS = {
    "built",
    "tables_read",
    "built_charts",
    "made",
    "drawn",
    "fresh",
    "copy",
    "prepared",
    "site",
    "committed",
    "real",
    "makefile_only",
    "as_from_a_terminal",
}


#: How a test module says that every test in it builds the project.
SLOW_MODULE = "\npytestmark = pytest.mark.slow"


def pytest_ignore_collect(collection_path, config):
    """In the fast tier, a module whose every test is slow is not even imported."""
    if config.getoption("markexpr") != "not slow" or not collection_path.name.startswith("test_"):
        return None
    if collection_path.suffix == ".py" and SLOW_MODULE in collection_path.read_text(encoding="utf-8"):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    """Mark as slow every test that builds (``make test-unit`` runs the others, in seconds)."""
    for item in items:
        if BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
