"""The code itself: documented, layered, one vocabulary, every import declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

import pytest

from analysis import makefile, paths
from analysis import vocabulary as v

PACKAGE = paths.ROOT / "src" / "analysis"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def _name(path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path) -> ast.Module:
    """A module's syntax tree, parsed once for every test here (and for make's import graph)."""
    return makefile.tree(path)


def _imports(path):
    """Every import statement of a file (statements only are walked: an import is one)."""
    return (n for n in makefile.statements(_tree(path)) if isinstance(n, (ast.Import, ast.ImportFrom)))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_and_public_function_has_a_docstring(path):
    tree = _tree(path)
    assert ast.get_docstring(tree), f"{_name(path)} has no module docstring"
    missing = [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        and not node.name.startswith("_")
        and not ast.get_docstring(node)
    ]
    assert not missing, f"{_name(path)}: public without a docstring: {missing}"


#: Each layer may import only from itself and the layers below it.
LAYERS = [
    {
        "analysis",
        "analysis.vocabulary",
        "analysis.tables",
        "analysis.paths",
        "analysis.errors",
        "analysis.files",
        "analysis.cli",
        "analysis.fmt",
        "analysis.cite",
        "analysis.schema",
        "analysis.data",
        "analysis.datapackage",
    },
    {"analysis.parse"},
    {"analysis.sources"},
    {"analysis.check"},
    {"analysis.publish"},
]


def _layer(module: str) -> int:
    for i, members in enumerate(LAYERS):
        if module in members or any(module.startswith(m + ".") for m in members if m != "analysis"):
            return i
    return len(LAYERS)  # a runner: on top


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_each_layer_imports_only_from_the_layers_below_it(path):
    here = _name(path)
    level = _layer(here)
    if level == len(LAYERS) or here == "analysis":
        return  # a runner, or the package's face, which re-exports the parsers
    for node in _imports(path):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            targets = [f"{node.module}.{a.name}" if node.module == "analysis" else node.module for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.startswith("analysis")]
        else:
            continue
        for target in targets:
            assert _layer(target) <= level, f"{here} (layer {level}) imports {target} (layer {_layer(target)})"


def test_a_status_word_is_spelled_out_in_the_vocabulary_only():
    words = "|".join(v.STATUSES)
    spelled = [
        _name(p)
        for p in MODULES
        if p.name != "vocabulary.py" and re.search(rf"[\"']({words})[\"']", p.read_text(encoding="utf-8"))
    ]
    assert spelled == []


#: Import names that differ from the names of the distributions that provide them.
DISTRIBUTIONS = {
    "pandera": "pandera",
    "jupyter_client": "jupyter-client",
    "IPython": "ipython",
    "yaml": "pyyaml",
    "myst_nb": "myst-nb",
    "pydata_sphinx_theme": "pydata-sphinx-theme",
    "markdown_it": "markdown-it-py",
    "xdist": "pytest-xdist",
}


def _declared() -> set[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = list(project["project"]["dependencies"])
    for group in project["dependency-groups"].values():
        specs += [s for s in group if isinstance(s, str)]
    return {re.split(r"[<>=!~ ;\[]", s, maxsplit=1)[0].lower() for s in specs}


def test_every_third_party_import_is_declared():
    declared = _declared()
    sources = MODULES + sorted((paths.ROOT / "tests").glob("*.py")) + [paths.ROOT / "conftest.py"]
    missing = set()
    for path in sources:
        for node in _imports(path):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in (
                    "analysis",
                    "conftest",
                    "test_site",
                    "test_notebooks",
                    "__future__",
                ):
                    continue
                if DISTRIBUTIONS.get(top, top).lower().replace("_", "-") not in declared:
                    missing.add(f"{top} ({path.relative_to(paths.ROOT)})")
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
