"""``make report``: the static site in ``site/``, built with Sphinx, myst-nb and pydata-sphinx-theme.

Pages (every number on them is written from the data when the site is built):

* ``index.html``: "What the data say" and the corrections for the article's editors, written from
  the processed tables by :mod:`analysis.publish.text`; then a gallery of the charts; then the
  notebooks.
* ``charts/NN-name.html``: one page per chart in the style of Our World in Data's grapher: the
  chart with its finding as the title (a ``<picture>`` that gives phones the narrow layout and
  opens the full-size chart when tapped), its description from the data (also the image's alt
  text), the table of exactly the rows plotted, its sources with links, downloads (CSV, SVG,
  PNG, the PNG for phones, metadata JSON), a line of pandas to load it, and how to cite it. The
  words come from the chart's metadata file, ``figures/NN-name.json``, written by its notebook.
* ``notebooks/NN-name.html``: each notebook as ``make figures`` last ran it, rendered by myst-nb,
  never re-run, code hidden. Its chart is the same ``<picture>`` as on the chart page.
* ``figures/`` and ``data/processed/``: the files offered for download.

Generated Markdown (the findings, the corrections, the notebooks' readings) becomes HTML in one
place, :func:`markdown_html`, which shows raw HTML as text: a value in the data can never add
markup or script to a page. Sphinx's own ``raw`` and ``include`` directives are switched off too.

The site works from the file system with no request leaving it (no CDN, no web font), and its
search runs in the browser from a local index. It is built in ``.build/site-staging/`` and swapped
into ``site/`` whole, so an interrupted build leaves the previous site in place; nothing tracked is
written. Run as ``python -m analysis.run site [--out DIR]`` (``make report``).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import fcntl
import html
import io
import json
import os
import re
import shutil
import struct
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
from markdown_it import MarkdownIt

from analysis import catalogue, data, paths, tables
from analysis.errors import ProjectError
from analysis.files import exit_cleanly_on_sigterm
from analysis.publish import display, text

STEP = "make report"
#: The site's name: the suffix of every browser title, and the name in the top bar.
SITE_TITLE = "TITP data"
#: The style sheet and anything else copied into the site as it is.
STATIC = Path(__file__).with_name("site_static")
#: Where the site is built before it is swapped in (untracked).
STAGING = paths.BUILD / "site-staging"
#: Below this viewport width a chart is served in its narrow layout. Above it, a chart has the
#: page's full text width (no side bars on chart pages), so the wide layout's smallest text stays
#: at least 9 CSS pixels (tests/test_site.py measures it).
NARROW_MEDIA = "(max-width: 800px)"
#: A cell of a chart's table longer than this wraps; a shorter one stays on one line.
WRAP_AFTER = 28
#: The image files of a chart, by what they are, as its metadata names them.
IMAGE_KINDS = (("wide", "png"), ("wide", "svg"), ("narrow", "png"), ("narrow", "svg"))


# ---------------------------------------------------------------------------------------------
# Markdown and HTML


def markdown_html(source: str, links: Mapping[str, str] | None = None) -> str:
    """Generated Markdown as HTML, raw HTML shown as text (CommonMark with tables, nothing else).

    Code spans that name a file the site ships (``links``: text -> relative URL) become links
    to it; tables are wrapped in a box that scrolls on its own.

    >>> markdown_html("**Reading.** <script>alert(1)</script> <img src=x onerror=alert(1)>")
    '<p><strong>Reading.</strong> &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>\\n'
    >>> markdown_html("[x](javascript:alert(1)) `a.csv`", {"a.csv": "data/a.csv"})
    '<p>[x](javascript:alert(1)) <a class="reference internal" href="data/a.csv"><code>a.csv</code></a></p>\\n'
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    links = dict(links or {})
    code_inline = md.renderer.rules["code_inline"]

    def _code(_renderer, tokens, idx, options, env):
        out = code_inline(tokens, idx, options, env)
        href = links.get(tokens[idx].content)
        return f'<a class="reference internal" href="{html.escape(href)}">{out}</a>' if href else out

    md.add_render_rule("code_inline", _code)
    md.add_render_rule("table_open", lambda *_: '<div class="titp-table" tabindex="0"><table>\n')
    md.add_render_rule("table_close", lambda *_: "</table>\n</div>\n")
    return md.render(source)


def md_escape(words: str) -> str:
    r"""Plain text as Markdown that reads as exactly that text (every ASCII punctuation escaped).

    >>> print(md_escape("the article's 42% *is* <b>`x`</b>"))
    the article\'s 42\% \*is\* \<b\>\`x\`\<\/b\>
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(words.split()))


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ProjectError(f"{STEP}: {paths.relative(path)} is not a PNG file")
    return struct.unpack(">II", head[16:24])


# ---------------------------------------------------------------------------------------------
# what the pages are made of


@dataclass(frozen=True)
class ChartMeta:
    """A chart as its metadata file describes it, with the files the site offers."""

    spec: catalogue.Chart
    meta: dict

    @property
    def name(self) -> str:
        return self.spec.name

    def image(self, layout: str, kind: str) -> str:
        return self.meta["images"][layout][kind]

    def files(self) -> list[str]:
        """Every file of the chart the site ships, by name in ``figures/``."""
        return [self.meta["data"], f"{self.name}.json", *(self.image(lay, kind) for lay, kind in IMAGE_KINDS)]


def read_charts(figures: Path = paths.FIGURES) -> list[ChartMeta]:
    """Every chart of the catalogue with its metadata; a clear refusal when one is missing."""
    charts = []
    for spec in catalogue.CHARTS.values():
        path = figures / f"{spec.name}.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ProjectError(f"{paths.relative(path)} is missing: run `make figures` first") from None
        except json.JSONDecodeError as err:
            raise ProjectError(f"{paths.relative(path)}, line {err.lineno}: not valid JSON ({err.msg})") from None
        chart = ChartMeta(spec, meta)
        for name in chart.files():
            if not (figures / name).is_file():
                raise ProjectError(f"{paths.relative(figures / name)} is missing: run `make figures` first")
        charts.append(chart)
    return charts


def picture_html(chart: ChartMeta, prefix: str, figures: Path, css_class: str = "titp-chart-image") -> str:
    """The chart as a ``<picture>``: the narrow layout on phones, the wide one elsewhere; a tap or
    click opens the full-size chart (its SVG, whose text is text)."""
    wide, narrow = chart.image("wide", "png"), chart.image("narrow", "png")
    (ww, wh), (nw, nh) = png_size(figures / wide), png_size(figures / narrow)
    return (
        f'<a class="titp-chart-link" href="{_e(prefix + "figures/" + chart.image("wide", "svg"))}" '
        f'title="Open the full-size chart">'
        f'<picture class="{_e(css_class)}">'
        f'<source media="{NARROW_MEDIA}" srcset="{_e(prefix + "figures/" + narrow)}" width="{nw}" height="{nh}">'
        f'<img src="{_e(prefix + "figures/" + wide)}" width="{ww}" height="{wh}" alt="{_e(chart.meta["description"])}">'
        "</picture></a>"
    )


def table_html(frame: pd.DataFrame, label: str) -> str:
    """A table for readers (no index column, thousands separators, dates as dates, "—" for a
    missing value, every row), in a box that scrolls on its own."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in frame.columns)
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns
    ]
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value, is_number in zip(frame.columns, row, numeric, strict=True):
            value = value.item() if isinstance(value, np.generic) else value
            shown = display.cell(value, str(column))
            kind = "titp-num" if is_number else "titp-wrap" if len(shown) > WRAP_AFTER else ""
            cells.append(f'<td class="{kind}">{_e(shown)}</td>' if kind else f"<td>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="titp-table titp-data" tabindex="0" role="region" aria-label="{_e(label)}"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def read_plotted(path: Path) -> pd.DataFrame:
    """A chart's CSV as written (numbers as numbers, empty cells missing, every other text kept)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _host_and_path(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def chart_fragments(chart: ChartMeta, figures: Path, notebook_titles: Mapping[str, str]) -> dict[str, str]:
    """The HTML of a chart page, section by section (headings are in the page's Markdown)."""
    meta, name = chart.meta, chart.name
    prefix = "../"
    plotted = read_plotted(figures / meta["data"])
    shown = plotted.drop(columns=[c for c in ("sources",) if c in plotted])
    figure = (
        f'<figure class="titp-chart">{picture_html(chart, prefix, figures)}'
        f"<figcaption>{_e(meta['caption'])} "
        f'<a href="{_e(prefix + "figures/" + chart.image("wide", "svg"))}">Open the full-size chart</a>.'
        "</figcaption></figure>"
        f'<p class="titp-description">{_e(meta["description"])}</p>'
        f'<dl class="titp-facts"><dt>Question</dt><dd>{_e(meta["question"])}</dd>'
        f"<dt>Units</dt><dd>{_e(meta['units'])}</dd></dl>"
    )
    omitted = " (each row's source pages are in the CSV's <code>sources</code> column)" if "sources" in plotted else ""
    table = f"<p>Exactly the {len(plotted)} rows plotted{omitted}.</p>" + table_html(
        shown, f"The data behind the chart: {chart.spec.short_title}"
    )
    items = []
    for source in meta["sources"]:
        links = " · ".join(f'<a href="{_e(url)}">{_e(_host_and_path(url))}</a>' for url in source["paths"])
        items.append(
            f"<li><strong>{_e(source['title'])}</strong>: figures as quoted on {len(source['paths'])} "
            f'page{"s" if len(source["paths"]) != 1 else ""}: <span class="titp-urls">{links}</span></li>'
        )
    sources = (
        f"<p>{_e(meta['source_line'])}</p>"
        + (f"<ul>{''.join(items)}</ul>" if items else "")
        + f'<p>Licence: <a href="{_e(meta["licence"]["path"])}">{_e(meta["licence"]["name"])}</a>.</p>'
    )
    files = [
        (meta["data"], "Data (CSV)", "exactly the rows plotted"),
        (chart.image("wide", "svg"), "Chart (SVG)", "text kept as text"),
        (chart.image("wide", "png"), "Chart (PNG)", "wide layout"),
        (chart.image("narrow", "png"), "Chart for phones (PNG)", "narrow layout"),
        (chart.image("narrow", "svg"), "Chart for phones (SVG)", "narrow layout"),
        (f"{name}.json", "Metadata (JSON)", "title, description, units, sources, licence"),
    ]
    downloads = (
        '<ul class="titp-downloads">'
        + "".join(
            f'<li><a href="{_e(prefix + "figures/" + f)}" download>{_e(label)}</a> '
            f"<span>{_e(f)}, {_e(what)}, {_size((figures / f).stat().st_size)}</span></li>"
            for f, label, what in files
        )
        + "</ul>"
    )
    snippet = f'import pandas as pd; df = pd.read_csv("{meta["data"]}")'
    notebook = Path(meta["notebook"]).stem
    use = (
        f'<div class="highlight-python notranslate"><div class="highlight"><pre>{_e(snippet)}</pre></div></div>'
        f"<p>Cite as: {_e(meta['citation'])}</p>"
        f'<p>Made by the notebook <a href="{_e(prefix + "notebooks/" + notebook + ".html")}">'
        f"{_e(notebook_titles.get(notebook, notebook))}</a>.</p>"
    )
    return {"figure": figure, "table": table, "sources": sources, "downloads": downloads, "use": use}


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"


def gallery_html(charts: list[ChartMeta], prefix: str, figures: Path) -> str:
    """Every chart as a card: the chart, its finding, a link to its page."""
    cards = []
    for chart in charts:
        href = _e(f"{prefix}charts/{chart.name}.html")
        wide, narrow = chart.image("wide", "png"), chart.image("narrow", "png")
        cards.append(
            f'<li class="titp-card"><a href="{href}">'
            f'<picture><source media="{NARROW_MEDIA}" srcset="{_e(prefix + "figures/" + narrow)}">'
            f'<img src="{_e(prefix + "figures/" + wide)}" alt="{_e(chart.meta["description"])}">'
            f"</picture>"
            f'<span class="titp-card-kicker">{_e(chart.spec.short_title)}</span>'
            f'<span class="titp-card-title">{_e(chart.meta["title"])}</span></a></li>'
        )
    return f'<ul class="titp-gallery">{"".join(cards)}</ul>'


def notebook_title(nb) -> str:
    """A notebook's first heading (its page's title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    raise ProjectError("a notebook has no heading to be its page's title")


def notebooks_html(titles: Mapping[str, str], prefix: str) -> str:
    """The notebooks, each by its title."""
    items = "".join(
        f'<li><a href="{_e(prefix + "notebooks/" + stem + ".html")}">{_e(title)}</a></li>'
        for stem, title in titles.items()
    )
    return f'<ul class="titp-notebooks">{items}</ul>'


_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<td>(.*?)</td>", re.DOTALL)
_NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?%?")


def reader_table(markup: str) -> str:
    """A notebook's table (:class:`analysis.publish.display.Table`) laid out as a chart page's:
    a column of numbers right-aligned on one line, long text wrapped, the rest on one line.

    >>> reader_table('<div class="titp-table"><table><tr><td>410,000</td><td>1993</td></tr>'
    ...              '<tr><td>—</td><td>July 2010</td></tr></table></div>')  # doctest: +NORMALIZE_WHITESPACE
    '<div class="titp-table titp-data"><table><tr><td class="titp-num">410,000</td><td>1993</td></tr><tr><td
    class="titp-num">—</td><td>July 2010</td></tr></table></div>'
    """
    rows = [[html.unescape(c) for c in _CELL.findall(row)] for row in _ROW.findall(markup)]
    rows = [r for r in rows if r]
    width = max((len(r) for r in rows), default=0)
    numeric = [
        all(_NUMBER.fullmatch(r[i]) or r[i] == display.MISSING for r in rows if i < len(r))
        and any(i < len(r) and r[i] != display.MISSING for r in rows)
        for i in range(width)
    ]

    def _row(match: re.Match) -> str:
        cells = iter(range(width))

        def _cell(cell: re.Match) -> str:
            i = next(cells, -1)
            kind = (
                "titp-num"
                if 0 <= i < width and numeric[i]
                else "titp-wrap"
                if len(html.unescape(cell.group(1))) > WRAP_AFTER
                else ""
            )
            return f'<td class="{kind}">{cell.group(1)}</td>' if kind else cell.group(0)

        return "<tr>" + _CELL.sub(_cell, match.group(1)) + "</tr>"

    marked = markup.replace('<div class="titp-table">', '<div class="titp-table titp-data">', 1)
    return _ROW.sub(_row, marked)


def prepare_notebook(nb, chart: ChartMeta | None, figures: Path, links: Mapping[str, str]):
    """A copy of an executed notebook, ready for myst-nb: its Markdown outputs as escaped HTML
    (:func:`markdown_html`), its tables laid out for reading (:func:`reader_table`), and its chart, where it is the published one, as the chart's
    ``<picture>`` (an image that differs keeps its place, with the chart's description as alt)."""
    nb = copy.deepcopy(nb)
    published = (figures / chart.image("wide", "png")).read_bytes() if chart else None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            bundle = output.get("data")
            if not bundle:
                continue
            if "text/markdown" in bundle:
                bundle["text/html"] = markdown_html(bundle.pop("text/markdown"), links)
            elif str(bundle.get("text/html", "")).startswith('<div class="titp-table">'):
                bundle["text/html"] = reader_table(bundle["text/html"])
            if "image/png" in bundle and chart is not None:
                if base64.b64decode(bundle["image/png"]) == published:
                    output["data"] = {
                        "text/html": f'<figure class="titp-chart">{picture_html(chart, "../", figures)}</figure>',
                        "text/plain": bundle.get("text/plain", ""),
                    }
                    output["metadata"] = {}
                else:
                    output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = chart.meta["description"]
    return nb


# ---------------------------------------------------------------------------------------------
# the Sphinx project


FRAGMENTS = "_fragments"
#: Every hand-written word of the pages (Markdown). None states a number: the numbers come from the
#: data, through :mod:`analysis.publish.text` and the charts' metadata.
PROSE = MappingProxyType(
    {
        "title": "Japan's Technical Intern Training Program, figure by figure",
        "lede": "The figures of an encyclopedia article on Japan's Technical Intern Training Program, parsed with the "
        "intervals their wording allows and checked against official statistics. Every number on this site is "
        "computed from the project's data when the site is built.",
        "findings": "What the data say",
        "corrections": "Corrections for the article's editors",
        "charts": "Charts",
        "charts_lede": "One page per chart: the chart, the table of the rows it plots, its sources, and its files to "
        "download.",
        "notebooks": "Notebooks",
        "notebooks_lede": "Each notebook as `make figures` last ran it, with its code hidden. The notebooks themselves "
        "are in the repository's `notebooks/` folder, and `make lab` opens them.",
    }
)
#: A chart page's sections after the chart, by fragment.
CHART_SECTIONS = MappingProxyType(
    {
        "table": "The data behind the chart",
        "sources": "Sources",
        "downloads": "Download",
        "use": "Use and cite",
    }
)


def shipped_files(charts: list[ChartMeta]) -> list[str]:
    """The files the site offers for download, by their path in the repository (and in the site)."""
    shipped = [f"figures/{f}" for chart in charts for f in chart.files()]
    return shipped + [f"data/processed/{t.file}" for t in tables.TABLES.values()] + ["data/processed/datapackage.json"]


def linkable(shipped: list[str]) -> dict[str, str]:
    """What a code span may say to link to a shipped file: its path, or its name where no other has it.

    >>> linkable(["data/processed/a.csv", "figures/a.csv", "figures/b.json"])["b.json"]
    'figures/b.json'
    >>> "a.csv" in linkable(["data/processed/a.csv", "figures/a.csv"])
    False
    """
    names = [Path(p).name for p in shipped]
    return {p: p for p in shipped} | {Path(p).name: p for p in shipped if names.count(Path(p).name) == 1}


def _fragment(name: str) -> str:
    return f"```{{titp-fragment}} {name}\n```\n"


def write_sources(
    src: Path, built: Mapping[str, pd.DataFrame], charts: list[ChartMeta], figures: Path, notebooks: list[Path]
) -> list[str]:
    """Write the Sphinx project's pages into ``src``; returns the files the site ships."""
    import nbformat

    shipped = shipped_files(charts)
    links_from = {prefix: {k: prefix + p for k, p in linkable(shipped).items()} for prefix in ("", "../")}
    frags = src / FRAGMENTS
    frags.mkdir(parents=True)

    def fragment(name: str, body: str) -> str:
        (frags / f"{name}.html").write_text(body, encoding="utf-8")
        return _fragment(name)

    nbs = {path.stem: nbformat.read(path, as_version=4) for path in notebooks}
    titles = {stem: notebook_title(nb) for stem, nb in nbs.items()}
    by_notebook = {Path(c.meta["notebook"]).stem: c for c in charts}

    index = [
        f"# {PROSE['title']}",
        "",
        PROSE["lede"],
        "",
        f"## {PROSE['findings']}",
        "",
        fragment("findings", markdown_html(text.findings(built), links_from[""])),
        f"## {PROSE['corrections']}",
        "",
        fragment("corrections", markdown_html(text.corrections_section(built["corrections"]), links_from[""])),
        f"## {PROSE['charts']}",
        "",
        PROSE["charts_lede"],
        "",
        fragment("gallery", gallery_html(charts, "", figures)),
        f"## {PROSE['notebooks']}",
        "",
        PROSE["notebooks_lede"],
        "",
        fragment("notebooks", notebooks_html(titles, "")),
        "```{toctree}\n:hidden:\n\ncharts/index\nnotebooks/index\n```",
        "",
    ]
    (src / "index.md").write_text("\n".join(index), encoding="utf-8")

    (src / "charts").mkdir()
    (src / "charts" / "index.md").write_text(
        "\n".join(
            [
                f"# {PROSE['charts']}",
                "",
                PROSE["charts_lede"],
                "",
                fragment("charts-gallery", gallery_html(charts, "../", figures)),
                "```{toctree}\n:hidden:\n\n" + "\n".join(c.name for c in charts) + "\n```",
                "",
            ]
        ),
        encoding="utf-8",
    )
    for chart in charts:
        parts = chart_fragments(chart, figures, titles)
        page = [f"# {md_escape(chart.meta['title'])}", "", fragment(f"{chart.name}-figure", parts["figure"])]
        for part, heading in CHART_SECTIONS.items():
            page += [f"## {heading}", "", fragment(f"{chart.name}-{part}", parts[part])]
        (src / "charts" / f"{chart.name}.md").write_text("\n".join(page), encoding="utf-8")

    (src / "notebooks").mkdir()
    (src / "notebooks" / "index.md").write_text(
        "\n".join(
            [
                f"# {PROSE['notebooks']}",
                "",
                PROSE["notebooks_lede"],
                "",
                "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(nbs) + "\n```",
                "",
            ]
        ),
        encoding="utf-8",
    )
    for stem, nb in nbs.items():
        ready = prepare_notebook(nb, by_notebook.get(stem), figures, links_from["../"])
        nbformat.write(ready, src / "notebooks" / f"{stem}.ipynb")
    return shipped


def sphinx_settings(static: Path = STATIC) -> dict:
    """The Sphinx configuration (there is no conf.py): only what the site uses is switched on."""
    return {
        "extensions": ["myst_nb", "analysis.publish.site"],
        "project": SITE_TITLE,
        "author": catalogue.PROJECT,
        "copyright": f"{catalogue.PROJECT}; charts and data {catalogue.LICENCE}",
        "language": "en",
        "root_doc": "index",
        "exclude_patterns": [FRAGMENTS],
        "suppress_warnings": ["myst.header"],
        # the data's own quotes and apostrophes, as written
        "smartquotes": False,
        # myst-nb: render the executed notebooks as they are, never run them; hide their code.
        "nb_execution_mode": "off",
        "nb_remove_code_source": True,
        "nb_merge_streams": True,
        "myst_disable_syntax": ["html_block", "html_inline"],
        "myst_enable_extensions": [],
        "myst_heading_anchors": 2,
        # the theme: no side bars on the chart pages (the chart takes the page's width), no dark mode
        # (the charts are drawn on white), nothing that would call a server.
        "html_theme": "pydata_sphinx_theme",
        "html_title": SITE_TITLE,
        "html_short_title": SITE_TITLE,
        "html_static_path": [str(static)],
        "html_css_files": ["titp.css"],
        "html_context": {"default_mode": "light"},
        "html_theme_options": {
            "navbar_start": ["navbar-logo"],
            "navbar_center": ["navbar-nav"],
            "navbar_end": [],
            "navbar_persistent": ["search-button"],
            "secondary_sidebar_items": {"**": ["page-toc"], "index": [], "charts/index": [], "notebooks/index": []},
            "show_prev_next": False,
            "footer_start": ["copyright"],
            "footer_center": [],
            "footer_end": [],
            "back_to_top_button": False,
            "show_toc_level": 2,
            "search_bar_text": "Search the site",
            "logo": {"text": SITE_TITLE},
        },
        "html_sidebars": {"index": [], "charts/*": [], "notebooks/*": ["sidebar-nav-bs"], "search": []},
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_use_index": False,
        "html_domain_indices": False,
        "html_permalinks": True,
        "html_last_updated_fmt": None,
        "titp_links": {},
    }


def setup(app) -> dict:
    """The Sphinx extension of the site: generated fragments, links to shipped files, and no raw
    HTML or file inclusion from any page's text."""
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class Fragment(SphinxDirective):
        """``{titp-fragment} NAME``: HTML this module wrote (every value escaped) into _fragments/."""

        required_arguments = 1

        def run(self):
            name = self.arguments[0]
            if not re.fullmatch(r"[a-z0-9-]+", name):
                raise self.error(f"bad fragment name {name!r}")
            path = Path(self.env.srcdir) / FRAGMENTS / f"{name}.html"
            self.env.note_dependency(str(path))
            return [nodes.raw("", path.read_text(encoding="utf-8"), format="html")]

    def no_raw(app_, env, docnames):
        env.settings["raw_enabled"] = False
        env.settings["file_insertion_enabled"] = False

    def link_shipped(app_, doctree, docname):
        prefix = "../" * docname.count("/")
        links = app_.config.titp_links
        for literal in list(doctree.findall(nodes.literal)):
            target = links.get(literal.astext())
            if target and not isinstance(literal.parent, nodes.reference):
                ref = nodes.reference("", "", internal=True, refuri=prefix + target)
                literal.replace_self(ref)
                ref.append(literal)

    app.add_config_value("titp_links", {}, "html")
    app.add_directive("titp-fragment", Fragment)
    app.connect("env-before-read-docs", no_raw)
    app.connect("doctree-resolved", link_shipped)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def run_sphinx(src: Path, out: Path, doctrees: Path, shipped: list[str]) -> list[str]:
    """Build the HTML; returns Sphinx's warnings (none is expected)."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace

    nocolor()

    warnings = io.StringIO()
    settings = sphinx_settings()
    settings["titp_links"] = linkable(shipped)
    try:
        with docutils_namespace():
            app = Sphinx(
                str(src),
                None,
                str(out),
                str(doctrees),
                "html",
                confoverrides=settings,
                status=None,
                warning=warnings,
                freshenv=True,
                parallel=0,
            )
            app.build(force_all=True)
    except SphinxError as err:
        raise ProjectError(f"Sphinx could not build the site: {err}\n{warnings.getvalue()}") from None
    if app.statuscode:
        raise ProjectError(f"Sphinx failed:\n{warnings.getvalue()}")
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One site build at a time in ``folder`` (a second waits for the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def swap(staged: Path, out: Path) -> None:
    """Put the staged site in place of ``out``, whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(staged).st_dev != os.stat(out.parent).st_dev:
        beside = out.with_name(f".{out.name}.new")
        shutil.rmtree(beside, ignore_errors=True)
        shutil.copytree(staged, beside)
        staged = beside
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staged.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    out: Path = paths.SITE,
    work: Path = STAGING,
    *,
    processed: Path = paths.PROCESSED,
    figures: Path = paths.FIGURES,
    notebooks: Path = paths.NOTEBOOKS,
) -> tuple[Path, list[str]]:
    """Build the whole site into ``out`` (replaced only once complete); returns it and Sphinx's warnings."""
    out, work = Path(out), Path(work)
    built = {name: data.read(name, processed) for name in tables.TABLES}
    charts = read_charts(figures)
    notebook_files = sorted(Path(notebooks).glob("[0-9][0-9]-*.ipynb"))
    with _locked(work):
        run = work / "build"
        shutil.rmtree(run, ignore_errors=True)
        try:
            shipped = write_sources(run / "src", built, charts, figures, notebook_files)
            warnings = run_sphinx(run / "src", run / "html", run / "doctrees", shipped)
            html_dir = run / "html"
            for rel in shipped:
                origin = (
                    figures / rel.removeprefix("figures/")
                    if rel.startswith("figures/")
                    else processed / rel.removeprefix("data/processed/")
                )
                (html_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(origin, html_dir / rel)
            # Sphinx's own build records, the theme's template and source maps: nothing a reader loads.
            for leftover in (".buildinfo", ".buildinfo.bak", "objects.inv", "_static/webpack-macros.html"):
                (html_dir / leftover).unlink(missing_ok=True)
            for source_map in html_dir.glob("_static/**/*.map"):
                source_map.unlink()
            with contextlib.suppress(OSError):
                (html_dir / "_sources").rmdir()  # left empty, as no source is copied
            swap(html_dir, out)
        finally:
            shutil.rmtree(run, ignore_errors=True)
    return out, warnings


def main(argv: list[str] | None = None) -> int:
    """``make report``: build the site, and say in one line where it is (or why it is not)."""
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.run site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.SITE, help="the site's folder (default site/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        site, warnings = build_site(paths.under_root(args.out))
    except (ProjectError, FileNotFoundError) as err:
        print(f"{STEP}: refused: {err}\n{STEP}: the site was not changed.", file=sys.stderr)
        return 1
    except OSError as err:
        where = paths.relative(err.filename) if err.filename else paths.relative(args.out)
        print(f"{STEP}: could not write {where}: {err.strerror}\n{STEP}: the site was not changed.", file=sys.stderr)
        return 1
    for line in warnings:
        print(f"{STEP}: warning: {line}", file=sys.stderr)
    pages = len(list(site.rglob("*.html")))
    print(
        f"{STEP}: {paths.relative(site / 'index.html')}, {pages} pages in {time.perf_counter() - started:.1f} s "
        "(open it in a browser)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
