"""The notebooks: thin, clean, confined, and stored the same however they were run."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess

import nbformat
import pytest

from analysis import notebooks, paths
from analysis.notebooks import NotebookFailed, check_parameters, clean_text, declared_parameters, plan
from analysis.publish.charts import CHARTS

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
MACHINE_PATHS = re.compile(r"(/root/|/home/[a-z]|/tmp/|/work/|/Users/|[A-Z]:\\\\)")


def test_every_declared_chart_has_its_notebook():
    assert [p.name for p in NOTEBOOKS] == [c.notebook for c in CHARTS.values()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_documented(path):
    nb = nbformat.read(path, as_version=4)
    header = nb.cells[0]
    assert header.cell_type == "markdown"
    for word in ("Question", "Inputs", "Outputs", "Method", "Sources", "Reading"):
        assert f"**{word}.**" in header.source
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one parameters cell"
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        ast.literal_eval(node.value)
    assert set(declared_parameters(path)) == {"output_dir", "formats"}, "as papermill.inspect_notebook reads them"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "def " not in cell.source and "class " not in cell.source, "logic lives in src/analysis/"
            assert "../" not in cell.source, "paths come from analysis.paths"
    assert nb.cells[-1].cell_type == "code" and nb.cells[-1].source == "chart.reading()", (
        "the reading is written from the data, by a code cell nbval checks"
    )
    assert nb.metadata.kernelspec.name == notebooks.KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_hand_written_markdown_states_no_numbers(path):
    """Numbers come from the data; headings and code spans aside, the prose has no digit."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"`[^`]*`", "", cell.source)
        prose = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("#"))
        found = re.search(r".{0,30}\d.{0,30}", prose)
        assert found is None, f"a number in hand-written markdown: {found and found.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_is_executed_and_clean(path):
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert "papermill" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "run top to bottom"
    for cell in nb.cells:
        stripped = {k.removeprefix("cell.metadata.") for k in notebooks.STRIP["extra_keys"] if k.startswith("cell.")}
        assert not set(cell.metadata) & stripped
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", f"stderr in a stored cell: {out.get('text', '')[:200]}"
            assert out.output_type != "error"
    assert not MACHINE_PATHS.search(text)
    assert not re.search(r"at 0x[0-9a-f]+", text)
    outputs = [o for c in code for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the chart is shown inline"
    assert any("text/html" in o.get("data", {}) and "titp-table" in o["data"]["text/html"] for o in outputs), (
        "the plotted rows are shown as a table for readers"
    )
    reading = code[-1].outputs[0]["data"]
    assert reading["text/plain"].startswith("**Reading.**") and reading["text/markdown"] == reading["text/plain"]
    assert clean_text(text) == text, "the stored notebook is what the clean filter stores"


def test_every_committed_figure_file_comes_from_a_declared_chart():
    made = {f"{c.name}{suffix}.{fmt}" for c in CHARTS.values() for suffix in ("", "-narrow") for fmt in ("png", "svg")}
    made |= {f"{c.name}.{ext}" for c in CHARTS.values() for ext in ("csv", "json")}
    assert {p.name for p in paths.FIGURES.iterdir() if not p.name.startswith(".")} == made


# --- parameters: names, types and outputs confined, checked before any kernel starts --------------


NB = NOTEBOOKS[0]


@pytest.mark.parametrize(
    "given, message",
    [
        ([("import os; os.system('touch /tmp/pwned'); x", "1")], 'unknown parameter "import os'),
        ([("output_dir", "[1, 2]")], "parameter 'output_dir': '[1, 2]' is not a str"),
        ([("formats", "png")], "parameter 'formats': 'png' is not a list"),
    ],
)
def test_a_parameter_must_be_declared_and_of_the_declared_type(given, message):
    declared = declared_parameters(NB)
    with pytest.raises(NotebookFailed, match=re.escape(message)):
        check_parameters(declared, given)


def test_a_run_with_other_parameters_never_overwrites_the_tracked_notebook():
    with pytest.raises(NotebookFailed, match="never stored over the tracked notebook; name an output with -o"):
        plan([NB], [("formats", '["png"]')], None, stale=False)


@pytest.mark.parametrize("output_dir", ["/tmp/evil", "../../../tmp/evil2", "figures/../../outside"])
def test_chart_output_stays_inside_the_checkout(output_dir, tmp_path):
    inside = paths.BUILD / "test-out.ipynb"
    with pytest.raises(NotebookFailed, match="lies outside the checkout"):
        plan([NB], [("output_dir", output_dir)], inside, stale=False)


def test_chart_output_may_sit_beside_an_output_named_with_o(tmp_path):
    jobs = plan([NB], [("output_dir", str(tmp_path / "figs"))], tmp_path / "out.ipynb", stale=False)
    assert jobs[0].target == tmp_path / "out.ipynb" and jobs[0].parameters == {"output_dir": str(tmp_path / "figs")}


def test_parameters_are_checked_before_any_kernel_starts(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(notebooks, "stop_on_signals", lambda: None)  # this test process keeps its own
    monkeypatch.setattr(notebooks, "_execute_all", lambda *a: started.append(a))
    status = notebooks.main(["run", str(NB), "-o", str(paths.BUILD / "x.ipynb"), "-p", "nope", "1"])
    assert status == 1 and started == []
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "python -m analysis.notebooks: unknown parameter 'nope': the notebook declares output_dir, formats"


@pytest.mark.slow
def test_papermill_injects_the_parameters_after_the_parameters_cell(tmp_path):
    """A one-off run with other parameters: papermill's injected cell, stored only where -o says."""
    before = NB.read_bytes()
    out = tmp_path / "out.ipynb"
    jobs = plan([NB], [("output_dir", str(tmp_path / "figs")), ("formats", '["svg"]')], out, stale=False)
    notebooks.run(jobs)
    assert NB.read_bytes() == before, "the tracked notebook is never overwritten"
    nb = nbformat.read(out, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    injected = tags.index(["injected-parameters"])
    assert tags[injected - 1] == ["parameters"]
    tree = ast.parse(nb.cells[injected].source)
    assert {n.targets[0].id for n in tree.body if isinstance(n, ast.Assign)} == {"output_dir", "formats"}
    assert sorted(p.suffix for p in (tmp_path / "figs").iterdir() if p.suffix in (".svg", ".png")) == [".svg", ".svg"]


# --- nbstripout, as git's clean filter and as the driver's cleaning ----------------------------------


def notebook_filter() -> dict[str, str]:
    """git's filter for notebooks as the set-up configured it here (the Makefile's NOTEBOOK_FILTER)."""
    listed = subprocess.run(
        ["git", "config", "--get-regexp", r"^filter\.nbstripout\."], cwd=paths.ROOT, capture_output=True, text=True
    ).stdout
    config = dict(line.split(" ", 1) for line in listed.splitlines())
    assert "filter.nbstripout.clean" in config, "make's set-up configures git's filter for notebooks"
    return config


def _staged_through_the_filter(tmp_path, texts: dict[str, str]) -> dict[str, str]:
    """What git stores of each notebook text, through the configured filter (in a repository of
    its own, with this checkout's .venv, which the filter runs from the top of the work tree)."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(paths.ROOT / ".gitattributes", repo / ".gitattributes")
    (repo / ".venv").symlink_to(paths.ROOT / ".venv")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for key, value in notebook_filter().items():
        subprocess.run(["git", "config", key, value], cwd=repo, check=True)
    for name, text in texts.items():
        (repo / "notebooks" / name).write_text(text, encoding="utf-8")
    done = subprocess.run(["git", "add", "notebooks"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr, done.stderr
    show = ["git", "show"]
    return {
        name: subprocess.run([*show, f":notebooks/{name}"], cwd=repo, capture_output=True, text=True).stdout
        for name in texts
    }


@pytest.mark.slow  # starts git
def test_git_s_filter_leaves_the_committed_notebooks_unchanged(tmp_path):
    stored = {path.name: path.read_text(encoding="utf-8") for path in NOTEBOOKS}
    assert _staged_through_the_filter(tmp_path, stored) == stored


def _as_jupyterlab_saves(text: str) -> str:
    """What a papermill run, then a Run All and save in JupyterLab, change: run records, timings,
    view state, indent."""
    nb = json.loads(text)
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb["metadata"]["papermill"] = {"duration": 1.5, "input_path": "in.ipynb", "parameters": {}}
    for cell in nb["cells"]:
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-11-25T10:00:00.000Z"}
        cell["metadata"]["papermill"] = {"duration": 0.1, "status": "completed"}
        cell["metadata"]["ExecuteTime"] = {"end_time": "2026-11-25T10:00:01.000Z"}
        cell["metadata"]["jupyter"] = {"source_hidden": False}
        cell["metadata"]["trusted"] = True
        cell["metadata"]["scrolled"] = True
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text_lines = out["text"] if isinstance(out["text"], list) else [out["text"]]
                out["text"] = text_lines
    return json.dumps(nb, indent=2, sort_keys=False) + "\n"


@pytest.mark.slow  # starts git
def test_git_s_filter_and_the_driver_store_a_jupyterlab_save_as_committed(tmp_path):
    stored = {path.name: path.read_text(encoding="utf-8") for path in NOTEBOOKS}
    saved = {name: _as_jupyterlab_saves(text) for name, text in stored.items()}
    assert all(saved[name] != text for name, text in stored.items()), "the save changed something"
    assert _staged_through_the_filter(tmp_path, saved) == stored, "git's filter (nbstripout)"
    assert {name: clean_text(text) for name, text in saved.items()} == stored, "the driver (nbstripout's API)"


@pytest.mark.slow  # starts git
def test_the_driver_and_git_s_filter_strip_the_same_keys():
    config = notebook_filter()
    assert "--keep-output --keep-count --keep-id" in config["filter.nbstripout.clean"]
    assert all(notebooks.STRIP[key] for key in ("keep_output", "keep_count", "keep_id"))
    extra = config["filter.nbstripout.extrakeys"].split()
    assert extra and set(extra) <= set(notebooks.STRIP["extra_keys"])
    # the rest are nbstripout's defaults, which its command line strips anyway: each is removed by git's filter
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    for key in notebooks.STRIP["extra_keys"]:
        where, name = (
            (nb.cells[0].metadata, key.removeprefix("cell.metadata."))
            if key.startswith("cell.")
            else (
                nb.metadata,
                key.removeprefix("metadata."),
            )
        )
        where[name] = "volatile"
    filtered = subprocess.run(
        [
            str(paths.ROOT / ".venv/bin/python"),
            "-m",
            "nbstripout",
            "--keep-output",
            "--keep-count",
            "--keep-id",
            "--extra-keys",
            " ".join(extra),
        ],
        input=nbformat.writes(nb),
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    ).stdout
    assert "volatile" not in filtered and "volatile" not in clean_text(nbformat.writes(nb))


def test_the_driver_joins_split_streams():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1); print(2)")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
    ]
    cleaned = nbformat.reads(clean_text(nbformat.writes(nb)), as_version=4)
    assert [o["text"] for o in cleaned.cells[0].outputs] == ["1\n2\n"]


def test_git_is_told_to_clean_notebooks_with_nbstripout():
    attributes = (paths.ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "notebooks/*.ipynb filter=nbstripout" in attributes


# --- running: one driver, failures named, nothing stored on failure ------------------------------


@pytest.mark.slow
def test_a_failing_cell_names_notebook_and_cell_and_keeps_the_stored_notebook(tmp_path):
    nb_path = tmp_path / "99-broken.ipynb"
    nb = nbformat.read(NB, as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("boom")'))
    nbformat.write(nb, nb_path)
    before = nb_path.read_bytes()
    job = notebooks.Job(nb_path, nb_path)
    with pytest.raises(NotebookFailed, match=r"99-broken\.ipynb: cell 4 \(cell index 4\) failed: RuntimeError: boom"):
        notebooks.run([job])
    assert nb_path.read_bytes() == before
    assert not list(paths.TMP.glob(f"run-{__import__('os').getpid()}-*")), "its temporary folder is removed"


def test_temporary_folders_of_dead_runs_are_removed_on_the_next_run():
    paths.TMP.mkdir(parents=True, exist_ok=True)
    stale = paths.TMP / "run-999999999-left-by-kill-9"
    stale.mkdir(exist_ok=True)
    (stale / "kernel-0.json").write_text("{}", encoding="utf-8")
    fresh = notebooks.scratch()
    try:
        assert not stale.exists() and fresh.exists() and fresh.parent == paths.TMP
    finally:
        fresh.rmdir()


def test_a_notebook_is_stale_only_when_make_touched_its_stamp_after_its_last_run(tmp_path, monkeypatch):
    """The driver touches both stamps at the end of a run, often within one tick of the clock."""
    monkeypatch.setattr(notebooks.paths, "BUILD", tmp_path)
    notebook = paths.NOTEBOOKS / "01-intern-counts.ipynb"
    want, done = (
        tmp_path / notebooks.WANT.format(name=notebook.stem),
        tmp_path / notebooks.DONE.format(name=notebook.stem),
    )
    assert notebooks._is_stale(notebook), "never run"
    want.touch()
    done.touch()
    os.utime(done, ns=(want.stat().st_atime_ns, want.stat().st_mtime_ns))
    assert not notebooks._is_stale(notebook), "both stamps in one tick: done"
    os.utime(want, ns=(0, want.stat().st_mtime_ns + 1))
    assert notebooks._is_stale(notebook), "make touched its stamp since"
