"""What ``make`` needs to know, computed from the declarations: ``python3 -m analysis.makefile``.

Prints Make variable definitions and rules (``.build/make.mk``, included by the Makefile):

* ``PROCESSED``: every file ``make data`` writes, from :mod:`analysis.tables`;
* ``DATA_SRC``: the modules ``make data`` runs (the build and what it imports), so that an edit
  to a chart does not rebuild the data;
* per notebook, its own inputs, so that it re-runs only when one of them changes: the tables its
  chart declares (``CHART = Chart(name=..., inputs=(...))`` in ``analysis/publish/charts/<name>.py``,
  read here as literals; ``tests/test_charts.py`` holds them to the notebook's ``data.load`` calls),
  its chart module, and ``CHART_SHARED``, the modules every chart uses (what the chart modules and
  the notebooks import, other charts' modules left out);
* ``SITE_SRC``: the modules ``make report`` runs.

Standard library only: it runs with the system ``python3`` before the environment exists.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

from analysis import tables

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = "analysis"


def module_file(name: str) -> Path | None:
    """The file of a project module (``analysis.check.reconcile``), or None if it is not one."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = SRC.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def statements(node: ast.AST):
    """Every statement under a node, nested ones too (an import is a statement: expressions, most
    of a tree, need not be walked)."""
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, None) or ():
            yield child
            yield from statements(child)


def imported(tree: ast.AST, package: str) -> set[str]:
    """Project modules a syntax tree imports (``from analysis import x`` counts ``analysis.x``)."""
    found: set[str] = set()
    for node in statements(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return {m for m in found if module_file(m) is not None}


@functools.cache
def tree(path: Path) -> ast.Module:
    """A Python file's syntax tree, parsed once."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def imports_of(name: str) -> frozenset[str]:
    """The project modules one project module imports."""
    path = module_file(name)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    return frozenset(imported(tree(path), package))


def closure(modules: set[str], skip: frozenset[str] = frozenset()) -> set[str]:
    """The modules given and every project module they import, with their parent packages
    (``skip``: modules neither counted nor followed)."""
    seen: set[str] = set()
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen or name in skip:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += imports_of(name)
    return seen


def files_of(modules: set[str]) -> list[str]:
    """Project-relative files of modules, sorted."""
    return sorted(module_file(m).relative_to(ROOT).as_posix() for m in modules)


def site_files() -> list[str]:
    """The site's files that are not Python: ``docs/conf.py`` (the Makefile's rule for the site adds
    the rest of ``docs/``)."""
    return ["docs/conf.py"]


#: The package of the charts, one module each.
CHARTS = f"{PACKAGE}.publish.charts"
#: What a notebook imports besides its chart (``tests/test_charts.py`` holds the notebooks to it).
NOTEBOOK_IMPORTS = frozenset({f"{PACKAGE}.data", f"{PACKAGE}.publish.display", CHARTS})


@functools.cache
def declared_charts() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Each chart's name, the tables it declares, and its module, from the literals of its
    ``CHART = Chart(name=..., inputs=(...), ...)``, in the order of the names."""
    found = []
    for path in sorted(module_file(CHARTS).parent.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "CHART" for t in node.targets):
                given = {k.arg: k.value for k in node.value.keywords}
                found.append(
                    (ast.literal_eval(given["name"]), ast.literal_eval(given["inputs"]), f"{CHARTS}.{path.stem}")
                )
    return tuple(sorted(found))


def chart_shared() -> set[str]:
    """The modules every chart uses: what the chart modules and the notebooks import, followed
    through their imports, other charts' modules left out (a chart's own module is its input)."""
    own = frozenset(module for _, _, module in declared_charts())
    roots = set(NOTEBOOK_IMPORTS)
    for module in own:
        roots |= imports_of(module)
    return closure(roots - own, skip=own)


def rules() -> str:
    """The text of ``.build/make.mk``."""
    processed = [f"data/processed/{f}" for f in tables.processed_files()]
    lines = [
        "# Generated by `python3 -m analysis.makefile` from src/analysis/; do not edit.",
        f"PROCESSED := {' '.join(processed)}",
        f"DATA_SRC := {' '.join(files_of(closure({'analysis.build'})))}",
        f"SITE_SRC := {' '.join(files_of(closure({'analysis.publish.site'})) + site_files())}",
    ]
    # defined before the rules that name it: make expands a rule's prerequisites as it reads them
    lines.append(f"CHART_SHARED := {' '.join(files_of(chart_shared()))}")
    notebooks = []
    for name, inputs, module in declared_charts():
        notebooks.append(f"notebooks/{name}.ipynb")
        tables_read = [f"data/processed/{tables.TABLES[t].file}" for t in inputs]
        lines.append(
            f".build/{name}.want: notebooks/{name}.ipynb {' '.join(tables_read + files_of({module}))} $(CHART_SHARED)"
        )
    lines.insert(2, f"NOTEBOOKS := {' '.join(notebooks)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the rules."""
    try:
        sys.stdout.write(rules())
    except KeyboardInterrupt:
        print("make: interrupted while reading the declarations", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
