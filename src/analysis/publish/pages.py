"""The site's pages, from the data: what ``docs/conf.py`` renders in Sphinx's ``builder-inited``.

``docs/`` holds the site's source: ``conf.py`` (the settings), the hand-written pages
(``index.md``, ``claims.md``, ``corrections.md``, ``charts/index.md``, ``notebooks/index.md``),
the Jinja templates in ``docs/_jinja/`` and the style sheet and script in ``docs/_static/``.
When Sphinx starts, :func:`write_sources` reads the processed tables (by their declared columns,
:mod:`analysis.tables`) and the charts' metadata files (:mod:`analysis.publish.charts`) and renders:

* ``_generated/*.html``: the HTML parts of pages (claim cards, the table of all claims, the
  correction cards, a chart page's sections, the galleries), from ``*.html`` templates with
  autoescaping on: a value in the data can never add markup or script to a page;
* ``charts/NN-name.md``: one page per chart of the registry, from ``chart.md`` (every value
  escaped as Markdown, so it reads as exactly its text);
* ``notebooks/NN-name.ipynb``: each executed notebook, ready for myst-nb (its generated
  Markdown as escaped HTML, its chart as the chart's ``<picture>``).

The pages place the HTML parts with ``{titp-fragment} NAME``. Every sentence that states a fact
comes from :mod:`analysis.publish.text` or a column of a processed table; no claim id appears in
what a reader reads (ids stay in anchors, URLs and the CSVs).

This module is also the Sphinx extension of the site: the fragment directive, ``raw`` and
``include`` switched off for every page, code spans that name a shipped file linked to it, a
search index in which numbers such as ``456,595`` are words, and the shipped files (charts and
processed tables) copied into the built site.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
import shutil
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse

import pandas as pd
from markdown_it import MarkdownIt

from analysis import cite, data, fmt, paths, tables
from analysis import vocabulary as v
from analysis.errors import ProjectError
from analysis.files import write_if_changed
from analysis.publish import display, readme, style, text, words
from analysis.publish.charts import CHARTS, Chart

STEP = "make report"
#: The site's name: the suffix of every browser title, and the name in the top bar.
SITE_TITLE = "TITP data"
#: Below this viewport width a chart is served in its narrow layout. Above it, a chart has the
#: page's full text width (no side bars on chart pages), so the wide layout's smallest text stays
#: at least 9 CSS pixels (tests/test_site.py measures it).
NARROW_MEDIA = "(max-width: 800px)"
#: The image files of a chart, by what they are, as its metadata names them.
IMAGE_KINDS = (("wide", "png"), ("wide", "svg"), ("narrow", "png"), ("narrow", "svg"))
#: Where the rendered HTML parts go, inside the Sphinx source folder (never a page itself).
GENERATED = "_generated"
#: The files this module writes into a source folder, as patterns (ignored by git in docs/).
GENERATED_PATTERNS = (f"{GENERATED}/*", "charts/[0-9][0-9]-*.md", "notebooks/[0-9][0-9]-*.ipynb")
#: Every hand-written heading and line of the generated parts. None states a number: the numbers
#: come from the data, through :mod:`analysis.publish.text` and the charts' metadata.
PROSE = MappingProxyType(
    {
        "all_claims": "All claims",
        "quoted": "Quoted figures held to the official table",
        "corrections": "Corrections for the article's editors",
        "charts": "Charts",
        "notebooks": "Notebooks",
        "filter": "Show claims that are",
        "every_status": "all",
        "derived": "Not stated in the article: computed from figures it states.",
        "no_official": "No official figure to set it against.",
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


def md_escape(words) -> str:
    r"""Plain text as Markdown that reads as exactly that text (every ASCII punctuation escaped).

    >>> print(md_escape("the article's 42% *is* <b>`x`</b>"))
    the article\'s 42\% \*is\* \<b\>\`x\`\<\/b\>
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(str(words).split()))


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ProjectError(f"{STEP}: {paths.relative(path)} is not a PNG file")
    return struct.unpack(">II", head[16:24])


def _host_and_path(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"


# ---------------------------------------------------------------------------------------------
# the charts


@dataclass(frozen=True)
class ChartMeta:
    """A chart as its metadata file describes it, with the files the site offers."""

    spec: Chart
    meta: dict

    @property
    def name(self) -> str:
        """The chart's name (its files' stem)."""
        return self.spec.name

    def image(self, layout: str, kind: str) -> str:
        """The file name of one of its images (``wide``/``narrow``, ``png``/``svg``)."""
        return self.meta["images"][layout][kind]

    def files(self) -> list[str]:
        """Every file of the chart the site ships, by name in ``figures/``."""
        return [self.meta["data"], f"{self.name}.json", *(self.image(lay, kind) for lay, kind in IMAGE_KINDS)]


def read_charts(figures: Path = paths.FIGURES) -> list[ChartMeta]:
    """Every chart of the registry with its metadata; a clear refusal when one is missing."""
    charts = []
    for spec in CHARTS.values():
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


def read_plotted(path: Path) -> pd.DataFrame:
    """A chart's CSV as written (numbers as numbers, empty cells missing, every other text kept)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def picture(chart: ChartMeta, prefix: str, figures: Path) -> dict:
    """What a template needs to draw the chart as a ``<picture>`` (narrow layout on phones)."""
    wide, narrow = chart.image("wide", "png"), chart.image("narrow", "png")
    (ww, wh), (nw, nh) = png_size(figures / wide), png_size(figures / narrow)
    return {
        "media": NARROW_MEDIA,
        "svg": f"{prefix}figures/{chart.image('wide', 'svg')}",
        "wide": {"src": f"{prefix}figures/{wide}", "width": ww, "height": wh},
        "narrow": {"src": f"{prefix}figures/{narrow}", "width": nw, "height": nh},
        "alt": chart.meta["description"],
    }


def chart_context(chart: ChartMeta, figures: Path, notebook_titles: Mapping[str, str]) -> dict:
    """Everything a chart page shows, from its metadata and its CSV."""
    meta = chart.meta
    plotted = read_plotted(figures / meta["data"])
    shown = plotted.drop(columns=[c for c in ("sources",) if c in plotted])
    notebook = Path(meta["notebook"]).stem
    downloads = [
        (meta["data"], "Data (CSV)", "exactly the rows plotted"),
        (chart.image("wide", "svg"), "Chart (SVG)", "text kept as text"),
        (chart.image("wide", "png"), "Chart (PNG)", "wide layout"),
        (chart.image("narrow", "png"), "Chart for phones (PNG)", "narrow layout"),
        (chart.image("narrow", "svg"), "Chart for phones (SVG)", "narrow layout"),
        (f"{chart.name}.json", "Metadata (JSON)", "title, description, units, sources, licence"),
    ]
    return {
        "name": chart.name,
        "meta": meta,
        "picture": picture(chart, "../", figures),
        "rows": len(plotted),
        "sources_column": "sources" in plotted,
        "table": display.table(shown).html(f"The data behind the chart: {chart.spec.short_title}"),
        "sources": [
            {"title": s["title"], "links": [{"href": u, "text": _host_and_path(u)} for u in s["paths"]]}
            for s in meta["sources"]
        ],
        "downloads": [
            {
                "href": f"../figures/{f}",
                "label": label,
                "file": f,
                "what": what,
                "size": _size((figures / f).stat().st_size),
            }
            for f, label, what in downloads
        ],
        "snippet": f'import pandas as pd; df = pd.read_csv("{meta["data"]}")',
        "notebook": {"href": f"../notebooks/{notebook}.html", "title": notebook_titles.get(notebook, notebook)},
    }


def claims_shown(charts: list[ChartMeta], figures: Path) -> dict[str, ChartMeta]:
    """For each claim, the chart that shows it: among the charts whose rows name it (in a column
    ``id`` or ``claim_id``), the one that shows the fewest claims (the most particular)."""
    named = {}
    for chart in charts:
        plotted = read_plotted(figures / chart.meta["data"])
        ids = set()
        for column in ("id", "claim_id"):
            if column in plotted:
                ids |= set(plotted[column].dropna().astype(str))
        named[chart.name] = (chart, ids)
    best: dict[str, ChartMeta] = {}
    for chart, ids in sorted(named.values(), key=lambda pair: len(pair[1])):
        for claim in ids:
            best.setdefault(claim, chart)
    return best


# ---------------------------------------------------------------------------------------------
# the claims


def badge(status: str) -> dict:
    """A status badge's colours: the status colour as the fill (darkened where no text reaches
    4.5:1 on it), and ink or white text on it."""
    fill = style.STATUS_COLOURS.get(status, style.PALETTE["grey"])
    if not style.can_hold_text(fill):
        fill = style.readable(fill)
    ink = style.text_on(fill)
    return {"word": status, "fill": fill, "ink": ink, "contrast": round(style.contrast(fill, ink), 2)}


def _article_order(figures: pd.DataFrame, article_text: str) -> list[str]:
    """Claim ids in the order a reader meets them: by line, then by place on the line; a derived
    claim right after the last claim its derivation names (at the end where it names none)."""
    lines = article_text.splitlines()

    def place(row) -> tuple:
        if pd.isna(row["line"]):
            return (float("inf"), 0)
        line = lines[int(row["line"]) - 1] if 0 < int(row["line"]) <= len(lines) else ""
        at = line.find(text.as_written(row))
        return (int(row["line"]), at if at >= 0 else len(line))

    stated = figures[figures["basis"].ne(v.DERIVED)].copy()
    stated["_place"] = [place(r) for _, r in stated.iterrows()]
    order = list(stated.sort_values("_place", kind="stable")["id"])
    for _, row in figures[figures["basis"].eq(v.DERIVED)].iterrows():
        named = [i for i in order if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", str(row.get("derivation", "")))]
        order.insert(order.index(named[-1]) + 1 if named else len(order), row["id"])
    return order


def _source_link(row: pd.Series, cited: pd.Series | None = None) -> dict | None:
    """The official figure's source as one link to the first page it was seen on, with who it
    comes from in words (:func:`analysis.cite.credit`): its publisher, "computed from"
    its figures, the pages that quoted it and a single source, as the official table says; the
    page's host where the data name no publisher."""
    urls = _urls(row["reference_sources"])
    if not urls:
        return None
    publisher = row["reference_publisher"] if isinstance(row["reference_publisher"], str) else ""
    single = cited is not None and bool(cited["single_source_official"])
    if publisher and not publisher[:1].islower() and cited is not None:
        said = cite.credit(publisher, cited["basis_official"], cited["sources_official"], single)
    else:
        said = urls[0]["host"] + ("; a single source" if single else "")
    return {"href": urls[0]["href"], "text": said, "more": len(urls) - 1}


def _urls(value) -> list[dict]:
    if not isinstance(value, str):
        return []
    return [{"href": u, "text": _host_and_path(u), "host": urlparse(u).hostname or u} for u in value.split()]


def claim_cards(built: Mapping[str, pd.DataFrame], article_text: str, shown_by: Mapping[str, ChartMeta]) -> list[dict]:
    """One card per claim of the reconciliation, in the article's order, every word from the
    tables and :mod:`analysis.publish.text`."""
    figures, rec = built["article_figures"], built["reconciliation"]
    by_id = figures.set_index("id", drop=False)
    names = {i: text.claim_name(by_id.loc[i]) for i in by_id.index}
    checked = rec.set_index("claim_id", drop=False)
    cited = words.cited_rows(rec, built["official_series"]).set_index("claim_id")
    cards = []
    for claim in _article_order(figures, article_text):
        if claim not in checked.index:
            continue
        row, figure = checked.loc[claim], by_id.loc[claim]
        before, marked, after = text.marked_sentence(article_text, figure)
        finding = text.without_ids(str(row["finding"]), names)
        chart = shown_by.get(claim)
        cards.append(
            {
                "id": claim,
                "status": row["status"],
                "badge": badge(row["status"]),
                "measure": fmt_start(figure["measure"]),
                "sentence": {"before": before, "words": marked, "after": after} if marked else None,
                "derivation": text.without_ids(str(figure["derivation"]), names)
                if pd.notna(figure.get("derivation"))
                else "",
                "official": text.official_figure(row),
                "source": _source_link(row, cited.loc[claim] if claim in cited.index else None),
                "finding": text.first_sentences(finding, 2, FINDING_CHARS),
                "finding_full": finding,
                "correction": None,
                "chart": {"name": chart.name, "title": chart.spec.short_title} if chart else None,
                **_row_cells(figure),
            }
        )
    return cards


#: A card's finding: its first two sentences, or only the first where two would be longer than this.
FINDING_CHARS = 240


def fmt_start(words: str) -> str:
    """A table's words as the start of a line (first letter capitalised)."""
    from analysis import fmt

    return fmt.sentence_start(str(words))


#: The columns of the "All claims" table: heading -> how a card fills it.
ALL_CLAIMS_COLUMNS = MappingProxyType(
    {
        "Claim": "measure",
        "As written": "written",
        "Date, as written": "date",
        "Status": "status",
        "Official figure": "official",
        "Finding": "finding_full",
    }
)


def _row_cells(figure: pd.Series) -> dict:
    date = figure["date_text"] if pd.notna(figure.get("date_text")) else ""
    if not date and pd.notna(figure.get("period_start")) and figure["basis"] == v.DERIVED:
        from analysis import fmt

        date = fmt.period(figure["period_start"], figure["period_end"])
    return {"written": text.said(figure) or display.MISSING, "date": date or display.MISSING}


def status_counts(cards: list[dict]) -> list[dict]:
    """The filter's choices: every status in the vocabulary's order that some card has, with its count."""
    counts = pd.Series([c["status"] for c in cards]).value_counts()
    return [{"status": s, "count": int(counts[s]), "badge": badge(s)} for s in v.STATUSES if counts.get(s, 0)]


def headline(built: Mapping[str, pd.DataFrame]) -> str:
    """The sentence the site opens with: how many of the article's figures hold, and what that
    count leaves out (the README's, :func:`analysis.publish.readme.summary`)."""
    return f"{text.headline(built['reconciliation'])} {readme.stages_note(built['stages'])}"


def correction_cards(built: Mapping[str, pd.DataFrame], cards: list[dict]) -> list[dict]:
    """One card per sentence of the article that has a correction (a row of ``corrections.csv``): the
    sentence with each of its claims marked, what is wrong, the one text to paste and the sources."""
    by_claim = {c["id"]: c for c in cards}
    out = []
    for n, row in enumerate(built["corrections"].itertuples(), start=1):
        claims = []
        for claim_id, status in zip(row.claim_ids.split(), row.statuses.split(), strict=True):
            card = by_claim.get(claim_id, {})
            claims.append(
                {"id": claim_id, "words": (card.get("sentence") or {}).get("words", ""), "badge": badge(status)}
            )
        anchor = f"correction-{row.claim_ids.split()[0]}"
        for claim in claims:
            if claim["id"] in by_claim:
                by_claim[claim["id"]]["correction"] = anchor
        out.append(
            {
                "sentence": row.article_phrase,
                "line": int(row.line),
                "claims": claims,
                "problem": row.problem,
                "suggested": [row.suggested_text],
                "sources": list(_urls(row.sources)),
                "parts": _split_marked(row.article_phrase, [c["words"] for c in claims if c["words"]]),
                "anchor": anchor,
                "number": n,
            }
        )
    return out


def quoted_rows(built: Mapping[str, pd.DataFrame]) -> list[dict]:
    """The quoted figures that disagree with the primary table, as a reader reads them: what, when,
    as quoted, in the table, by how much, and the pages that quoted it."""
    quoted = built["quoted_figures"]
    return [
        {
            "label": r["label"],
            "when": fmt.day(r["period_end"]),
            "quoted": fmt.value(r["quoted_value"], v.COUNT),
            "table": fmt.value(r["table_value"], v.COUNT),
            "difference": f"{r['difference']:+,.0f}",
            "pages": _urls(r["sources"]),
        }
        for _, r in quoted[quoted["verdict"].eq(v.DISAGREES)].iterrows()
    ]


def _split_marked(sentence: str, phrases: list[str]) -> list[dict]:
    """A sentence as parts, each phrase given marked (first occurrence, in order of appearance).

    >>> [p["text"] for p in _split_marked("at 46.2%, then 9.2%.", ["9.2%", "46.2%"]) if p["mark"]]
    ['46.2%', '9.2%']
    """
    spans = []
    for phrase in phrases:
        at = sentence.find(phrase)
        if at >= 0 and not any(s <= at < e for s, e in spans):
            spans.append((at, at + len(phrase)))
    parts, pos = [], 0
    for start, end in sorted(spans):
        parts += [{"text": sentence[pos:start], "mark": False}, {"text": sentence[start:end], "mark": True}]
        pos = end
    parts.append({"text": sentence[pos:], "mark": False})
    return [p for p in parts if p["text"]]


# ---------------------------------------------------------------------------------------------
# notebooks


def notebook_title(nb) -> str:
    """A notebook's first heading (its page's title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    raise ProjectError("a notebook has no heading to be its page's title")


def prepare_notebook(nb, chart: ChartMeta | None, figures: Path, links: Mapping[str, str], render=None):
    """A copy of an executed notebook, ready for myst-nb: its Markdown outputs as escaped HTML
    (:func:`markdown_html`), and its chart, where it is the published one, as the chart's
    ``<picture>`` (rendered by ``render``, the ``picture.html`` template); an image that differs
    keeps its place, with the chart's description as alt. The reader tables carry their own
    classes (:class:`analysis.publish.display.Table`) and are kept as they are."""
    nb = copy.deepcopy(nb)
    published = (figures / chart.image("wide", "png")).read_bytes() if chart else None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            bundle = output.get("data")
            if not bundle:
                continue
            if "text/markdown" in bundle:
                bundle["text/html"] = markdown_html(bundle.pop("text/markdown"), links)
            if "image/png" in bundle and chart is not None:
                if base64.b64decode(bundle["image/png"]) == published and render is not None:
                    output["data"] = {
                        "text/html": render("picture.html", picture=picture(chart, "../", figures)),
                        "text/plain": bundle.get("text/plain", ""),
                    }
                    output["metadata"] = {}
                else:
                    output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = chart.meta["description"]
    return nb


# ---------------------------------------------------------------------------------------------
# shipped files


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


# ---------------------------------------------------------------------------------------------
# rendering


class Verbatim(str):
    """A value a Markdown template writes as it is (a name checked to be safe), not escaped."""


def _md_value(value) -> str:
    return value if isinstance(value, Verbatim) else md_escape(value)


def environments(templates: Path):
    """The Jinja environments: HTML templates autoescaped; Markdown templates (``*.md``) with every
    value escaped as Markdown, so that it reads as exactly its text (a :class:`Verbatim` excepted)."""
    import jinja2

    loader = jinja2.FileSystemLoader(str(templates))
    html_env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True)
    md_env = jinja2.Environment(
        loader=loader,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_md_value,
        keep_trailing_newline=True,
    )
    return html_env, md_env


def _fragment_name(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise ProjectError(f"{STEP}: {name!r} cannot name a page part (lower-case letters, digits and '-' only)")
    return name


def _stock_chart(charts: list[ChartMeta]) -> dict | None:
    """The chart drawn from the official stock (the first of the registry that reads it)."""
    for chart in charts:
        if "official_stock" in chart.spec.inputs:
            return {"name": chart.name, "title": chart.spec.short_title}
    return None


def write_sources(
    srcdir: Path,
    templates: Path,
    *,
    processed: Path = paths.PROCESSED,
    figures: Path = paths.FIGURES,
    notebooks: Path = paths.NOTEBOOKS,
    article: Path = paths.ARTICLE_TEXT,
) -> list[str]:
    """Render every generated part of the site into ``srcdir``; returns the files the site ships.

    Files are rewritten only when their text changes, and generated files that no longer belong
    (a chart taken out of the registry) are removed."""
    import nbformat

    srcdir, figures = Path(srcdir), Path(figures)
    built = {name: data.read(name, processed) for name in tables.TABLES}
    charts = read_charts(figures)
    shipped = shipped_files(charts)
    links = {prefix: {k: prefix + p for k, p in linkable(shipped).items()} for prefix in ("", "../")}
    html_env, md_env = environments(Path(templates))

    def render(name: str, **context) -> str:
        return html_env.get_template(name).render(prose=PROSE, **context)

    article_text = Path(article).read_text(encoding="utf-8")
    nbs = {p.stem: nbformat.read(p, as_version=4) for p in sorted(Path(notebooks).glob("[0-9][0-9]-*.ipynb"))}
    titles = {stem: notebook_title(nb) for stem, nb in nbs.items()}
    cards = claim_cards(built, article_text, claims_shown(charts, figures))
    corrections = correction_cards(built, cards)
    gallery = [
        {"name": c.name, "kicker": c.spec.short_title, "title": c.meta["title"], "picture": picture(c, "", figures)}
        for c in charts
    ]

    wanted: dict[str, str] = {
        f"{GENERATED}/findings.html": render(
            "findings.html",
            headline=headline(built),
            corrections=corrections,
            disagreeing=len(quoted_rows(built)),
        ),
        f"{GENERATED}/trend.html": render(
            "trend.html", trend=text.stock_trend(built["official_stock"]), chart=_stock_chart(charts)
        ),
        f"{GENERATED}/cards.html": render("cards.html", cards=cards, counts=status_counts(cards)),
        f"{GENERATED}/quoted.html": render(
            "quoted.html", summary=text.quoted_summary(built["quoted_figures"]), rows=quoted_rows(built)
        ),
        f"{GENERATED}/all-claims.html": render("all_claims.html", cards=cards, columns=ALL_CLAIMS_COLUMNS),
        f"{GENERATED}/corrections.html": render("corrections.html", corrections=corrections),
        f"{GENERATED}/gallery.html": render("gallery.html", charts=gallery, prefix=""),
        f"{GENERATED}/charts-gallery.html": render(
            "gallery.html",
            charts=[g | {"picture": picture(c, "../", figures)} for g, c in zip(gallery, charts)],
            prefix="../",
        ),
        f"{GENERATED}/notebooks.html": render("notebooks.html", titles=titles, prefix=""),
    }
    for chart in charts:
        context = chart_context(chart, figures, titles)
        wanted[f"{GENERATED}/{chart.name}-figure.html"] = render("chart_figure.html", chart=context)
        for part in CHART_SECTIONS:
            wanted[f"{GENERATED}/{chart.name}-{part}.html"] = render(f"chart_{part}.html", chart=context)
        wanted[f"charts/{chart.name}.md"] = md_env.get_template("chart.md").render(
            title=chart.meta["title"],
            name=Verbatim(_fragment_name(chart.name)),
            sections={Verbatim(_fragment_name(part)): heading for part, heading in CHART_SECTIONS.items()},
        )
    by_notebook = {Path(c.meta["notebook"]).stem: c for c in charts}
    for stem, nb in nbs.items():
        ready = prepare_notebook(nb, by_notebook.get(stem), figures, links["../"], render)
        wanted[f"notebooks/{stem}.ipynb"] = nbformat.writes(ready) + "\n"

    for pattern in GENERATED_PATTERNS:
        for old in srcdir.glob(pattern):
            if old.relative_to(srcdir).as_posix() not in wanted:
                old.unlink()
    for rel, body in wanted.items():
        write_if_changed(srcdir / rel, body)
    return shipped


# ---------------------------------------------------------------------------------------------
# the Sphinx extension


def _number_splitter() -> str:
    """The search page's query splitter (JavaScript): a number such as ``456,595`` or ``29.9`` is
    one word, as :class:`NumberWords` indexes it."""
    return r"""
var splitQuery = (query) => {
  const terms = [];
  const re = /\d+(?:[.,]\d+)*|[\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu;
  for (const m of query.matchAll(re)) {
    terms.push(/^\d/.test(m[0]) ? "n" + m[0].replace(/,/g, "") : m[0]);
  }
  return terms;
};
"""


def setup(app) -> dict:
    """The Sphinx extension of the site: generated fragments, links to shipped files, no raw HTML
    or file inclusion from any page's text, the generated sections' markers dropped, numbers in
    the search index, shipped files copied."""
    from docutils import nodes
    from sphinx.search.en import SearchEnglish
    from sphinx.util.docutils import SphinxDirective

    class Fragment(SphinxDirective):
        """``{titp-fragment} NAME``: HTML rendered from an autoescaped template into _generated/."""

        required_arguments = 1

        def run(self):
            name = self.arguments[0]
            if not re.fullmatch(r"[a-z0-9-]+", name):
                raise self.error(f"bad fragment name {name!r}")
            path = Path(self.env.srcdir) / GENERATED / f"{name}.html"
            self.env.note_dependency(str(path))
            return [nodes.raw("", path.read_text(encoding="utf-8"), format="html")]

    class NumberWords(SearchEnglish):
        """English, with numbers as words: ``456,595`` is indexed as ``n456595`` (the search page's
        splitter reads a query the same way), so that a figure can be searched for as written."""

        js_splitter_code = _number_splitter()
        _number_re = re.compile(r"\d+(?:[.,]\d+)*|\w+")

        def split(self, input: str) -> list[str]:
            return [("n" + w.replace(",", "")) if w[0].isdigit() else w for w in self._number_re.findall(input)]

    def drop_markers(app_, docname, source):
        # the markers of the generated sections of docs/ pages (analysis.publish.readme): comments
        # that GitHub hides, and that MyST, with raw HTML off, would show as text
        source[0] = readme.MARKER.sub("", source[0])

    def no_raw(app_, env, docnames):
        env.settings["raw_enabled"] = False
        env.settings["file_insertion_enabled"] = False

    def link_shipped(app_, doctree, docname):
        prefix = "../" * docname.count("/")
        links = linkable(app_.config.titp_shipped)
        for literal in list(doctree.findall(nodes.literal)):
            target = links.get(literal.astext())
            if target and not isinstance(literal.parent, nodes.reference):
                ref = nodes.reference("", "", internal=True, refuri=prefix + target)
                literal.replace_self(ref)
                ref.append(literal)

    def copy_shipped(app_, exception):
        if exception is not None or app_.builder.format != "html":
            return
        out = Path(app_.outdir)
        for rel in app_.config.titp_shipped:
            origin = Path(app_.config.titp_figures) / rel.removeprefix("figures/")
            if not rel.startswith("figures/"):
                origin = Path(app_.config.titp_processed) / rel.removeprefix("data/processed/")
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, out / rel)

    app.add_config_value("titp_shipped", [], "html")
    app.add_config_value("titp_processed", str(paths.PROCESSED), "env")
    app.add_config_value("titp_figures", str(paths.FIGURES), "env")
    app.add_config_value("titp_notebooks", str(paths.NOTEBOOKS), "env")
    app.add_directive("titp-fragment", Fragment)
    app.add_search_language(NumberWords)
    app.connect("source-read", drop_markers)
    app.connect("env-before-read-docs", no_raw)
    app.connect("doctree-resolved", link_shipped)
    app.connect("build-finished", copy_shipped)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
