"""Charts: readable (contrast, type size on a phone), text kept as text, and the same bytes each time."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pandas as pd
import pytest

from analysis import data, makefile, paths, tables
from analysis.data import to_csv_text
from analysis.publish import charts, style
from analysis.publish.style import LAYOUTS, MIN_CONTRAST, PAPER, PHONE_CSS_WIDTH, contrast, readable, text_on

NAMES = list(charts.CHARTS)


def _svg(name: str) -> str:
    return (paths.FIGURES / f"{name}.svg").read_text(encoding="utf-8")


# --- contrast, computed from the style's colours ------------------------------------------------


def test_every_text_colour_of_the_style_reads_at_4_5_to_1():
    for colour in (style.INK, style.MUTED):
        assert contrast(colour, PAPER) >= MIN_CONTRAST, colour
    for colour in [*style.STATUS_COLOURS.values(), style.ARTICLE_COLOUR, style.OFFICIAL_COLOUR]:
        assert contrast(readable(colour), PAPER) >= MIN_CONTRAST, colour


def test_text_on_a_fill_reads_at_4_5_to_1_or_is_not_drawn_there():
    for colour in style.NATIONALITY_COLOURS.values():
        if style.can_hold_text(colour):
            assert contrast(text_on(colour), colour) >= MIN_CONTRAST
    with pytest.raises(ValueError, match="draw the label beside it"):
        text_on("#808080")


def _text_colours(svg: str) -> set[str]:
    colours = set()
    for match in re.finditer(r"<text[^>]*style=\"([^\"]*)\"", svg):
        fill = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", match.group(1))
        colours.add(fill.group(1).lower() if fill else "#000000")
    return colours


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", ["", "-narrow"])
def test_every_text_in_a_published_svg_reads_at_4_5_to_1(name, suffix):
    """White text is drawn only on fills text_on chose it for; any other text reads on the paper."""
    for colour in _text_colours(_svg(name + suffix)):
        assert colour == PAPER or contrast(colour, PAPER) >= MIN_CONTRAST, f"{name}{suffix}: text in {colour}"


# --- SVGs keep text as text, with a font stack that names DejaVu Sans --------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_svg_text_is_text_not_paths(name):
    svg = _svg(name)
    assert "<text" in svg and 'id="DejaVuSans-' not in svg, "glyphs drawn as paths"
    assert "font-family: 'DejaVu Sans'" in svg
    title = json.loads((paths.FIGURES / f"{name}.json").read_text(encoding="utf-8"))["title"]
    assert title.split()[0] in svg, "the title can be found in the SVG as text"


# --- phones ------------------------------------------------------------------------------------------


def _font_sizes(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r"font-size:\s*([\d.]+)px", svg)]


@pytest.mark.parametrize("name", NAMES)
def test_the_narrow_layout_has_no_text_under_9_css_px_on_a_390_px_phone(name):
    svg = _svg(f"{name}-narrow")
    width_pt = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
    smallest = min(_font_sizes(svg))
    assert smallest * PHONE_CSS_WIDTH / width_pt >= 9, f"{name}: {smallest}pt on a {width_pt}pt-wide chart"
    assert width_pt == pytest.approx(LAYOUTS["narrow"].width * 72)


def test_css_px_is_what_the_layout_promises():
    assert style.css_px(LAYOUTS["narrow"].small, LAYOUTS["narrow"], PHONE_CSS_WIDTH) >= 9


# --- files: data and metadata beside each chart, and the same bytes each time ---------------------------


@pytest.fixture(scope="module")
def built_charts():
    """Every chart, from the processed tables it declares, as its notebook passes them."""
    return {name: chart(*(data.load(t) for t in chart.inputs)) for name, chart in charts.CHARTS.items()}


# --- each chart's declared inputs are what its notebook reads, and what make re-runs it on -----------


def _notebook_call(name: str) -> tuple[dict[str, str], list[str]]:
    """The tables a notebook loads (by the variable it loads each into) and the variables it hands
    its chart, in order."""
    nb = nbformat.read(paths.ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    tree = ast.parse("\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    loaded, passed = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if isinstance(call.func, ast.Attribute) and call.func.attr in ("load", "read"):
                loaded[node.targets[0].id] = ast.literal_eval(call.args[0])
            elif isinstance(call.func, ast.Subscript) and ast.unparse(call.func.value) == "charts.CHARTS":
                assert ast.literal_eval(call.func.slice) == name, "a notebook makes its own chart"
                passed = [a.id for a in call.args]
    return loaded, passed


@pytest.mark.parametrize("name", NAMES)
def test_a_chart_declares_exactly_the_tables_its_notebook_loads_in_the_order_it_passes_them(name):
    loaded, passed = _notebook_call(name)
    assert passed, f"notebooks/{name}.ipynb makes its chart with charts.CHARTS[{name!r}](...)"
    assert set(passed) == set(loaded), "every table the notebook loads goes to its chart, and only those"
    assert tuple(loaded[p] for p in passed) == charts.CHARTS[name].inputs


def test_a_chart_refuses_tables_other_than_it_declares():
    chart = charts.CHARTS["04-data-quality"]
    with pytest.raises(TypeError, match=f"takes {len(chart.inputs)} tables"):
        chart(data.load("reconciliation"))


def test_make_reads_the_same_declarations_the_charts_make():
    """make (standard library only) reads each chart's literals; they are the registry's."""
    declared = makefile.declared_charts()
    assert [(n, i) for n, i, _ in declared] == [(c.name, c.inputs) for c in charts.CHARTS.values()]
    rules = makefile.rules()
    for name, inputs, module in declared:
        rule = next(line for line in rules.splitlines() if line.startswith(f".build/{name}.want:"))
        prerequisites = set(rule.split(":", 1)[1].split())
        tables_named = {p for p in prerequisites if p.startswith("data/processed/")}
        assert tables_named == {f"data/processed/{tables.TABLES[t].file}" for t in inputs}
        own = {p for p in prerequisites if p.startswith("src/analysis/publish/charts/")}
        assert own == set(makefile.files_of({module})), "its own chart module, no other chart's"


def test_every_module_a_chart_runs_is_an_input_of_its_notebook():
    """What a notebook's chart imports (followed through) is its module or a shared module."""
    shared = set(makefile.files_of(makefile.chart_shared()))
    for _, _, module in makefile.declared_charts():
        ran = makefile.files_of(makefile.closure({module}) - {m for _, _, m in makefile.declared_charts()} - {module})
        assert set(ran) <= shared, module


@pytest.mark.parametrize("name", NAMES)
def test_the_published_csv_is_exactly_the_rows_plotted(name, built_charts):
    assert (paths.FIGURES / f"{name}.csv").read_text(encoding="utf-8") == to_csv_text(built_charts[name].view)


@pytest.mark.parametrize("name", NAMES)
def test_the_metadata_says_what_a_reader_needs(name, built_charts):
    meta = json.loads((paths.FIGURES / f"{name}.json").read_text(encoding="utf-8"))
    assert meta == built_charts[name].metadata()
    assert meta["title"] and meta["units"] and meta["licence"]["name"] == charts.LICENCE
    assert len(meta["description"].split()) > 15 and re.search(r"\d", meta["description"]), (
        "the description gives the key numbers"
    )
    for source in meta["sources"]:
        assert source["paths"] and all(p.startswith("http") for p in source["paths"])
    header = pd.read_csv(paths.FIGURES / f"{name}.csv", nrows=0).columns.tolist()
    assert meta["columns"] == header


@pytest.mark.slow
def test_saving_a_chart_twice_gives_identical_bytes(built_charts, tmp_path):
    """As matplotlib's own determinism test: same figure, same bytes, in every format and layout."""
    chart = built_charts["02-source-countries"]
    first = charts.outputs(chart)
    second = charts.outputs(chart)
    assert first == second
    assert b"Date" not in first["02-source-countries.svg"][:2000]
    assert b"matplotlib" not in first["02-source-countries.png"]


def test_the_chart_source_line_names_the_bodies_the_rows_credit(built_charts):
    chart = built_charts["04-data-quality"]
    credited = set(chart.view["credited_to"].dropna())
    assert credited, "the article credits bodies for some of these claims"
    for body in credited:
        assert body in chart.words.source
    assert "credits no body" not in chart.words.source


def test_views_read_back_typed():
    assert data.load("reconciliation")["claim_period_start"].dtype.kind == "M"


def test_a_layout_is_a_record_the_drawing_reads_never_a_name_it_branches_on():
    """Each chart's drawing reads its layout's parameters from records (``style.LAYOUTS`` and its
    module's ``LOOKS``), one per layout; no drawing asks which layout it is in."""
    import importlib

    for name in NAMES:
        module = importlib.import_module(f"{charts.__name__}.{name[3:].replace('-', '_')}")
        source = paths.ROOT / "src" / "analysis" / "publish" / "charts" / f"{module.__name__.rsplit('.', 1)[1]}.py"
        text = source.read_text(encoding="utf-8")
        assert "layout.name ==" not in text and "narrow =" not in text, name
        assert set(module.LOOKS) == set(LAYOUTS), name
    marks = (paths.ROOT / "src" / "analysis" / "publish" / "charts" / "marks.py").read_text(encoding="utf-8")
    assert "layout.name" not in marks
