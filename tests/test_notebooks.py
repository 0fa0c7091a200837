"""The notebooks: thin, clean, and regenerating byte-identical figures."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from analysis import notebooks, paths
from analysis.notebooks import NotebookFailed, run

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
MACHINE_PATHS = re.compile(r"(/root/|/home/[a-z]|/tmp/|/work/|/Users/|[A-Z]:\\\\)")


def test_the_three_asked_for_notebooks_exist():
    names = [nb.stem for nb in NOTEBOOKS]
    for wanted in ("01-intern-counts", "02-source-countries", "03-seafood-share"):
        assert wanted in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_documented(path):
    nb = nbformat.read(path, as_version=4)
    header = nb.cells[0]
    assert header.cell_type == "markdown"
    for word in ("Question", "Inputs", "Outputs", "Sources"):
        assert f"**{word}.**" in header.source
    assert nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith("**Reading.**")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one parameters cell"
    tree = ast.parse(params[0].source)
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        ast.literal_eval(node.value)  # literals only: raises if not
        names.update(t.id for t in node.targets)
    assert {"output_dir", "formats"} <= names
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "def " not in cell.source and "class " not in cell.source, "logic lives in src/analysis/"
            assert "../" not in cell.source, "paths come from analysis.paths"
    assert nb.metadata.kernelspec.name == notebooks.KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_is_executed_and_clean(path):
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert "papermill" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "committed with outputs, run top to bottom"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in nb.cells:
        assert not set(cell.metadata) & set(notebooks.VOLATILE_CELL_KEYS)
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", f"stderr in a stored cell: {out.get('text', '')[:200]}"
            assert out.output_type != "error"
    assert not MACHINE_PATHS.search(text)
    assert not re.search(r"at 0x[0-9a-f]+", text)
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "the chart is shown inline"


def _figure_names(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return re.findall(r'save_figure\(fig, "([^"]+)"', "\n".join(c.source for c in nb.cells))


def test_saving_a_chart_twice_gives_identical_bytes(tmp_path, monkeypatch):
    """As matplotlib's own determinism test: same figure, same bytes, in every format.

    The full regeneration of every notebook and figure, compared byte for byte with what is
    committed, is in tests/test_hardening.py (a clean copy rebuilt with make -B figures).
    """
    from analysis import charts, data
    from analysis.style import save_figure

    monkeypatch.delenv(paths.FIGURES_REDIRECT_ENV, raising=False)
    shares = data.load("nationality_shares")
    first = save_figure(charts.source_countries(shares), "x", tmp_path / "a")
    second = save_figure(charts.source_countries(shares), "x", tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert b"Date" not in second[1].read_bytes()[:2000] and b"matplotlib" not in first[0].read_bytes()


def test_every_committed_figure_comes_from_a_notebook():
    made = {f"{name}.{fmt}" for nb in NOTEBOOKS for name in _figure_names(nb) for fmt in ("png", "svg")}
    assert {p.name for p in paths.FIGURES.iterdir() if not p.name.startswith(".")} == made


def test_readme_shows_every_png_figure_with_a_caption():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        for name in _figure_names(nb):
            match = re.search(rf"!\[[^\]]+\]\(figures/{re.escape(name)}\.png\)\n\*[^*]+\*", readme)
            assert match, f"README lacks figures/{name}.png with a caption line"


def test_a_failing_cell_names_notebook_and_cell_and_keeps_the_stored_notebook(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.FIGURES_REDIRECT_ENV, str(tmp_path / "figs"))
    nb_path = tmp_path / "99-broken.ipynb"
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("boom")'))
    nbformat.write(nb, nb_path)
    before = nb_path.read_bytes()
    with pytest.raises(NotebookFailed, match=r"99-broken\.ipynb: cell 4 \(cell index 4\) failed: RuntimeError: boom"):
        run(nb_path)
    assert nb_path.read_bytes() == before


@pytest.mark.parametrize("parameters, message", [
    ({"formats": ["jpg"]}, "unknown figure format 'jpg'"),
    ({"output_dir": "/proc/titp-cannot-write-here"}, "cannot write figures to '/proc/titp-cannot-write-here'"),
])
def test_bad_parameters_fail_with_a_clear_message(parameters, message, tmp_path, monkeypatch):
    monkeypatch.delenv(paths.FIGURES_REDIRECT_ENV, raising=False)
    with pytest.raises(NotebookFailed, match=re.escape(message)):
        run(NOTEBOOKS[0], parameters, output=tmp_path / "out.ipynb")
    assert not (tmp_path / "out.ipynb").exists()


def test_clean_removes_run_metadata():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["papermill"] = {"start_time": "x", "input_path": "/tmp/a"}
    nb.cells[0].metadata.update(papermill={"duration": 1.0}, execution={"iopub.status.busy": "t"}, tags=["x"])
    cleaned = notebooks.clean(nb)
    assert "papermill" not in cleaned.metadata
    assert dict(cleaned.cells[0].metadata) == {"tags": ["x"]}
    assert "start_time" not in json.dumps(cleaned)
