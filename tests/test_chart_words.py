"""The words of every chart, held to what it plots (issue 19's chart-text defects, each over every chart).

Each test runs over every chart of the registry (or every chart its rule applies to), on the
processed tables, and fails if a defect comes back: a label cut with "…", a source line that
credits a figure to a body that did not publish it, counts that do not add up, a count that
repeats itself, a dotted line the words do not match, a label that touches a bar.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from analysis import data, fmt, paths
from analysis import vocabulary as v
from analysis.publish import style
from analysis.publish.charts import CHARTS, base, data_quality, intern_counts, source_countries
from analysis.publish.style import GAP_DAYS, LAYOUTS
from analysis.sources import primary

NAMES = list(CHARTS)

pytestmark = pytest.mark.slow  # every test here draws charts


@pytest.fixture(scope="module")
def made():
    return {name: chart(*(data.load(t) for t in chart.inputs)) for name, chart in CHARTS.items()}


@pytest.fixture(scope="module")
def drawn(made):
    """A chart's figure in a layout, drawn once at the resolution it is saved at (hinting differs by
    resolution, so text is measured as it is saved), with its renderer."""
    figures = {}

    def draw(name: str, layout: str):
        if (name, layout) not in figures:
            fig = made[name].figure(layout)
            fig.set_dpi(style.RC["savefig.dpi"])
            fig.canvas.draw()
            figures[name, layout] = (fig, fig.canvas.get_renderer())
        return figures[name, layout]

    return draw


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, x in value.items() for s in _strings(k) + _strings(x)]
    if isinstance(value, (list, tuple)):
        return [s for x in value for s in _strings(x)]
    return []


def _svg_texts(name: str, suffix: str) -> list[str]:
    svg = (paths.FIGURES / f"{name}{suffix}.svg").read_text(encoding="utf-8")
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


# --- 7: no label is cut; every row label is the full name from the data ------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_no_word_of_a_chart_is_cut_short(name, made):
    chart = made[name]
    labels = chart.words.labels
    words = [chart.words.title, chart.words.subtitle, chart.words.source, chart.words.description]
    words += [s for f in labels.__dataclass_fields__ for s in _strings(getattr(labels, f))]
    words += [s for suffix in ("", "-narrow") for s in _svg_texts(name, suffix)]
    words += _strings(chart.metadata())
    assert not [w for w in words if "…" in w or w.rstrip().endswith("...")], "wrap long labels, never cut them"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("name", "column"), [("03-seafood-share", "measure"), ("04-data-quality", "label"), ("05-timeline", "event")]
)
def test_every_row_label_holds_the_full_name_the_data_give(name, column, made):
    chart = made[name]
    rows = [_flat(r) for r in chart.words.labels.rows]
    assert len(rows) == len(chart.view)
    for label, full in zip(rows, chart.view[column]):
        assert _flat(str(full)) in label, f"{name}: {full!r} is not whole in {label!r}"


# --- 8, 9 (and 2): every plotted figure credited to the body that published it, the way it came ---------


def _hosts(sources) -> list[str]:
    return [urlparse(u).hostname or u for u in str(sources or "").split()]


@pytest.mark.parametrize("name", NAMES)
def test_the_source_line_credits_each_plotted_figure_as_it_came(name, made):
    chart = made[name]
    line = chart.words.source
    rows = chart.view[chart.view["who"].ne(base.ARTICLE)] if "who" in chart.view else chart.view
    for _, r in rows.iterrows():
        publisher = r.get("publisher")
        if not isinstance(publisher, str) or publisher in ("", base.AS_THE_SOURCES_SAY):
            continue
        hosts = _hosts(r["sources"])
        quoted = [h for h in hosts if not h.endswith(".go.jp")]
        derived = r.get("basis") == v.DERIVED
        if publisher == primary.PUBLISHER and hosts and not quoted:
            assert primary.CITATION in line
            continue
        if publisher[:1].islower():
            assert publisher in line
        else:
            assert publisher.replace("Health Labour", "Health, Labour") in line
        if derived:
            assert "computed from" in line, f"{name}: a share the project computed says so"
        if quoted and len(quoted) == len(hosts):
            assert all(h in line for h in quoted) and "as quoted by" in line, f"{name}: {publisher} via {quoted}"
        if "single source" in str(r.get("note") or ""):
            assert "single source" in line
    assert "as quoted on the pages listed" not in line, "name the pages that quote a release"


@pytest.mark.parametrize("name", NAMES)
def test_the_article_credits_are_counted_figure_by_figure(name, made):
    line = made[name].words.source
    said = re.search(r"which credits (.*?)\. Chart:", line)
    if not said:
        return
    counts = [int(n) for n in re.findall(r" for (\d+)", said.group(1))]
    total = re.search(r"of the (\d+) figures shown", said.group(1)) or re.search(r"all (\d+) figures", said.group(1))
    if counts and total:
        rest = re.search(r"no body for the other (\d+)", said.group(1))
        assert sum(counts) + (int(rest.group(1)) if rest else 0) == int(total.group(1))
    assert "for the figures shown" not in said.group(1) or said.group(1).startswith("no body"), (
        "never 'credits X for the figures shown' when X is credited for some only"
    )


# --- 4: chart 04 says exactly what it plots, and its counts add up ------------------------------------


def test_chart_04_says_exactly_what_it_plots_and_its_counts_add_up(made):
    chart = made["04-data-quality"]
    rec = data.load("reconciliation")
    numeric = data_quality.numeric_claims(rec)
    unplotted = numeric[~numeric["claim_id"].isin(chart.view["claim_id"])]
    if len(unplotted):
        assert "every numeric claim" not in chart.caption.lower()
        assert f"{len(unplotted)} have no official figure to plot against" in chart.words.title
    reading = chart.words.reading
    covers = re.search(r"covers (\d+) kinds of case and (\d+) claims: (.*?)\. ", reading)
    parts = [int(n) for n in re.findall(r"(?:^|, | and )(\d+) with", covers.group(3))]
    assert sum(parts) == int(covers.group(2)) == rec["status"].eq(v.UNVERIFIABLE).sum()
    assert len(parts) == int(covers.group(1))
    shown = re.search(r"shows the (\d+) numbers .*? chart 05 the (\d+) dates(?:; the other (\d+) numbers)?", reading)
    assert sum(int(n or 0) for n in shown.groups()) == len(rec), "numbers shown, dates, numbers not shown: all"
    title = re.match(r"(\d+) of the (\d+) numeric claims .*?: (.*?)(?:; (\d+) have no|$)", chart.words.title)
    said = [int(n) for n in re.findall(r"(\d+) (?:agree|is|are|contradict|cannot)", title.group(3))]
    assert sum(said) == int(title.group(1)) == len(chart.view)
    assert int(title.group(1)) + int(title.group(4) or 0) == int(title.group(2))


# --- 6: no count that repeats itself -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_no_title_counts_n_of_n(name, made):
    title = made[name].words.title
    assert not re.search(r"\b(\d+) of (?:the )?(?:article's |its )?\1\b", title), title


# --- 3: what the words say about dotted lines is what is drawn ---------------------------------------


def _dotted(fig) -> bool:
    return any(line.get_linestyle() in (":", "--", "-.") for ax in fig.axes for line in ax.get_lines())


@pytest.mark.parametrize("drop", [None, "2020-06-30"])
def test_chart_01_says_dotted_exactly_where_a_line_is_dotted(drop):
    chart = CHARTS["01-intern-counts"]
    tables = {t: data.load(t) for t in chart.inputs}
    if drop:
        stock = tables["official_stock"]
        tables["official_stock"] = stock[stock["period_end"].ne(pd.Timestamp(drop))]
    made = chart(*tables.values())
    official = made.view[made.view["who"].eq(base.OFFICIAL)].sort_values("period_end")
    gap = official["period_end"].diff().dt.days.gt(GAP_DAYS).any()
    assert gap == bool(drop), "the test removes a date, or none"
    assert ("dotted" in made.words.subtitle) == gap
    for layout in LAYOUTS:
        assert _dotted(made.figure(layout)) == gap, layout
    assert intern_counts.draw is made.draw


# --- 1: chart 02 ranks no nationality where the unitemised rest could outrank it ---------------------


def test_chart_02_ranks_only_where_nothing_unitemised_could_outrank(made):
    chart = made["02-source-countries"]
    official = chart.view[chart.view["who"].eq(base.OFFICIAL) & chart.view["share"].notna()]
    rest = official[official["nationality"].eq(base.NOT_ITEMISED)].set_index("period_end")["share"]
    seconds = re.search(r"Second largest[^:]*: (.*?)\.", chart.words.reading)
    for row in source_countries.leaders(chart.view).itertuples():
        hidden = float(rest.get(row.period_end, 0.0))
        assert row.share > hidden or not row.known_largest
    if seconds:
        for end, group in official.groupby("period_end"):
            named = group[~group["nationality"].isin([base.NOT_ITEMISED, v.OTHER_NATIONALITY])]
            second = named["share"].nlargest(2).iloc[-1]
            if float(rest.get(end, 0.0)) >= second:
                assert fmt.day(end) not in seconds.group(1)


# --- 5: chart 03's comparison holds over the claim's interval; its labels touch no bar -------------------


def test_chart_03_compares_over_the_whole_interval_and_keeps_the_hedge(made):
    chart = made["03-seafood-share"]
    article = chart.view[chart.view["who"].eq(base.ARTICLE)].iloc[0]
    official = chart.view[chart.view["who"].eq(base.OFFICIAL) & chart.view["population"].eq(v.RESIDENTS)]
    compared = official.sort_values("period_end").iloc[-1]["share"]
    title = chart.words.title
    if "more than twice" in title:
        assert article["share_low"] > 2 * compared
    if article["share_low"] <= 2 * compared <= article["share_high"]:
        assert "about twice" in title
    assert "approximate" in title.lower(), "the claim's hedge stays"


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_chart_03_labels_touch_no_bar(layout, drawn):
    fig, renderer = drawn("03-seafood-share", layout)
    ax = fig.axes[0]
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        for bar in ax.patches:
            assert not box.overlaps(bar.get_window_extent(renderer)), f"{text.get_text()[:40]!r} touches a bar"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_no_text_of_a_chart_is_cut_by_the_edge_of_its_picture(name, layout, drawn):
    fig, renderer = drawn(name, layout)
    page = fig.bbox
    for text in [t for ax in fig.axes for t in ax.texts + [ax.title] + ax.get_yticklabels()] + fig.texts:
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        assert box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5, f"{text.get_text()[:50]!r} runs off the picture"


@pytest.mark.parametrize("name", ["03-seafood-share", "04-data-quality", "05-timeline"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_words_of_a_row_chart_never_run_into_each_other(name, layout, drawn):
    """Row labels stand over their rows on a phone: none may touch the words of the row above."""
    import itertools

    fig, renderer = drawn(name, layout)
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_text().strip()]
        for a, b in itertools.combinations(texts, 2):
            assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)), (
                f"{a.get_text()[:30]!r} runs into {b.get_text()[:30]!r}"
            )


def test_chart_05_names_each_official_date_by_the_event_the_sources_give(made):
    """The Act's 28 November 2016 is its promulgation: the description says so beside the date,
    wherever the article's word ('enacted') differs from the sources'."""
    chart = made["05-timeline"]
    dated = chart.view[chart.view["who"].eq("article") & chart.view["official_start"].notna()]
    assert dated["official_event"].str.contains("promulgated").any()
    for r in dated.itertuples():
        assert f"('{r.official_event}')" in chart.words.description, r.id


def test_chart_04_flags_a_single_source_figure_in_its_source_line(made):
    chart = made["04-data-quality"]
    single = chart.view[chart.view["single_source"]]
    assert len(single), "the official table flags figures of chart 04 as single-source"
    parts = chart.words.source.removeprefix("Sources: ").split("; ")
    for publisher in single["publisher"].unique():
        name = fmt.body_name(publisher)
        assert any(p.startswith(name) and "single source" in p for p in parts), (name, parts)
