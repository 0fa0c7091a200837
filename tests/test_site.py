"""The site (`make report`): pages written from the data, Markdown with raw HTML escaped, and every
page opened in headless Chromium (Debian's, driven by Playwright) at a phone's and a desk's size."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from analysis import catalogue, data, paths, tables
from analysis.errors import ProjectError
from analysis.publish import site, text
from analysis.publish.style import LAYOUTS, css_px

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = paths.BUILD / "screenshots"
#: As the workplace's own probe starts it: no sandbox as root, and no background networking.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SIZES = {"phone": (390, 844), "desk": (1280, 800)}
#: Meant to keep the module on one xdist worker. With pytest 9 it does not (pytest-xdist 3.8 sets
#: ``item._nodeid``, which pytest 9 no longer reads), so the browser checks are one test, and a
#: second worker may build the site a second time.
pytestmark = pytest.mark.xdist_group("site")
#: The smallest type a chart may show, in CSS pixels.
MIN_TEXT_PX = 9

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<div onclick=alert(1)>x</div>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "<iframe src=https://example.org></iframe>",
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def unsafe(markup: str) -> list[str]:
    """What in ``markup`` could run or load something: script-like elements, event handlers, script URLs."""
    parser = _Elements()
    parser.feed(markup)
    bad = []
    for tag, attrs in parser.found:
        if tag in ("script", "img", "iframe", "object", "embed", "style", "svg", "form", "base", "meta", "link"):
            bad.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or (
                name in ("href", "src")
                and (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


# ---------------------------------------------------------------------------------------------
# fast: the Markdown path, the prose, the fragments (no Sphinx, no browser)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_html_shows_raw_html_as_text(payload):
    source = f"**Reading.** {payload}\n\n{payload}\n\n- {payload}\n\n| a | b |\n| --- | --- |\n| {payload} | `x` |\n"
    out = site.markdown_html(source)
    assert unsafe(out) == [], out
    assert out.count("alert(1)") == 4 or "example.org" in out, "the payload is kept, as text"


def test_a_payload_in_the_data_reaches_the_findings_and_corrections_as_text(built):
    payload = PAYLOADS[0] + PAYLOADS[1]
    figures = built["article_figures"].copy()
    checked = built["reconciliation"].loc[built["reconciliation"]["series"].notna(), "claim_id"].iloc[0]
    figures.loc[figures["id"].eq(checked), "number_text"] = payload
    corrections = built["corrections"].copy()
    corrections.loc[corrections.index[0], "article_phrase"] = payload
    corrections.loc[corrections.index[0], "problem"] = PAYLOADS[2]
    for markdown in (text.findings({**built, "article_figures": figures}), text.corrections_section(corrections)):
        assert payload in markdown or PAYLOADS[0] in markdown, "the payload went into the generated Markdown"
        out = site.markdown_html(markdown)
        assert unsafe(out) == [], out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_a_payload_in_a_notebook_reading_is_escaped():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output(
                        "execute_result",
                        data={"text/markdown": f"**Reading.** {PAYLOADS[0]} {PAYLOADS[1]}", "text/plain": "x"},
                        execution_count=1,
                    )
                ]
            )
        ]
    )
    ready = site.prepare_notebook(nb, None, paths.FIGURES, {})
    bundle = ready.cells[0].outputs[0]["data"]
    assert "text/markdown" not in bundle, "myst-nb must not parse the Markdown itself (it passes raw HTML)"
    assert unsafe(bundle["text/html"]) == [] and "&lt;script&gt;" in bundle["text/html"]
    assert nb.cells[0].outputs[0]["data"]["text/markdown"].startswith("**Reading.**"), "the original is untouched"


def test_a_chart_table_is_for_readers_and_escapes_its_values():
    frame = pd.DataFrame(
        {
            "who": [PAYLOADS[0], "official"],
            "value": [410000.0, 41.6279],
            "period_end": ["2019-12-31", None],
            "first_year": [1993, 1994],
        }
    )
    out = site.table_html(frame, "a table")
    assert unsafe(out) == []
    cells = re.findall(r"<td[^>]*>(.*?)</td>", out)
    assert cells == [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "410,000",
        "2019-12-31",
        "1993",
        "official",
        "41.63",
        "—",
        "1994",
    ]
    assert re.findall(r"<th\b[^>]*>(.*?)</th>", out) == list(frame.columns), "no index column"
    numbers = site.table_html(pd.DataFrame({"count": [104800, 7], "first_year": [1993, 2017]}), "numbers only")
    assert re.findall(r"<td[^>]*>(.*?)</td>", numbers) == ["104,800", "1993", "7", "2017"], "numpy integers too"


def test_hand_written_words_of_the_site_state_no_number():
    words = [*site.PROSE.values(), *site.CHART_SECTIONS.values()]
    assert words
    for sentence in words:
        assert not re.search(r"\d", sentence), f"a number in hand-written prose: {sentence!r}"


@pytest.mark.parametrize(
    "title",
    [
        *(json.loads((paths.FIGURES / f"{c}.json").read_text())["title"] for c in catalogue.CHARTS),
        "a *b* `c` <d> [e](f) {g} 42% #1 \\ _h_",
    ],
)
def test_a_title_in_markdown_reads_as_exactly_its_text(title):
    rendered = MarkdownIt("commonmark").renderInline(site.md_escape(title))
    assert html.unescape(rendered) == " ".join(title.split())


def test_shipped_files_are_linked_by_their_path_or_unique_name():
    charts = site.read_charts()
    links = site.linkable(site.shipped_files(charts))
    assert links["data/processed/reconciliation.csv"] == links["reconciliation.csv"]
    assert links["01-intern-counts.json"] == "figures/01-intern-counts.json"


def test_missing_or_broken_chart_metadata_is_refused_in_one_line(tmp_path):
    with pytest.raises(ProjectError, match=r"01-intern-counts\.json is missing: run `make figures` first"):
        site.read_charts(tmp_path)
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    assert len(site.read_charts(figures)) == len(catalogue.CHARTS)
    (figures / "02-source-countries.json").write_text("{", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"02-source-countries\.json, line 1: not valid JSON"):
        site.read_charts(figures)
    shutil.copy(paths.FIGURES / "02-source-countries.json", figures)
    (figures / "03-seafood-share-narrow.png").unlink()
    with pytest.raises(ProjectError, match=r"03-seafood-share-narrow\.png is missing"):
        site.read_charts(figures)


# ---------------------------------------------------------------------------------------------
# slow: the site, built once for this module


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> tuple[Path, list[str], Path]:
    tmp = tmp_path_factory.mktemp("site")
    out, warnings = site.build_site(tmp / "site", tmp / "work")
    return out, warnings, tmp / "work"


@pytest.fixture(scope="module")
def tables_now() -> dict[str, pd.DataFrame]:
    return {name: data.read(name) for name in tables.TABLES}


def _text_of(tag: str, page: str) -> str:
    """The text of the first ``tag`` element of a page (markup and the heading's link removed)."""
    inner = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, re.DOTALL).group(1)
    return html.unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", inner)).strip()


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


@pytest.mark.slow
def test_the_build_is_clean_and_leaves_no_staging_behind(built_site):
    out, warnings, work = built_site
    assert warnings == [], "Sphinx warned:\n" + "\n".join(warnings)
    assert sorted(p.name for p in work.iterdir()) == [".lock"], "the staging folder is emptied"
    assert not list(out.parent.glob(".site.*")), "nothing is left beside the site"
    assert not list(out.rglob("*.map")) and not (out / "_static" / "webpack-macros.html").exists()
    names = {p.relative_to(out).as_posix() for p in _pages(out)}
    expected = {
        "index.html",
        "search.html",
        "charts/index.html",
        "notebooks/index.html",
        *(f"charts/{c}.html" for c in catalogue.CHARTS),
        *(f"notebooks/{p.stem}.html" for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")),
    }
    assert names == expected


@pytest.mark.slow
def test_the_index_leads_with_findings_and_corrections_written_from_the_data(built_site, tables_now):
    out = built_site[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    findings = site.markdown_html(text.findings(tables_now), site.linkable(site.shipped_files(site.read_charts())))
    corrections = site.markdown_html(
        text.corrections_section(tables_now["corrections"]), site.linkable(site.shipped_files(site.read_charts()))
    )
    assert findings in index and corrections in index, "the findings and corrections, as generated, on the index"
    order = [
        index.index(f">{html.escape(site.PROSE[k], quote=False)}<")
        for k in ("findings", "corrections", "charts", "notebooks")
    ]
    assert order == sorted(order), "findings, then corrections, then the charts, then the notebooks"
    assert index.index("titp-gallery") > order[1]
    assert 'href="data/processed/reconciliation.csv"' in index, "the table behind the findings is linked"
    assert (out / "data" / "processed" / "reconciliation.csv").read_bytes() == (
        paths.PROCESSED / "reconciliation.csv"
    ).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(catalogue.CHARTS))
def test_every_chart_has_a_grapher_page(built_site, name):
    out = built_site[0]
    meta = json.loads((paths.FIGURES / f"{name}.json").read_text(encoding="utf-8"))
    page = (out / "charts" / f"{name}.html").read_text(encoding="utf-8")
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    assert _text_of("title", page) == f"{meta['title']} — {site.SITE_TITLE}"
    assert _text_of("h1", page) == meta["title"], "the finding is the title"
    assert f'alt="{e(meta["description"])}"' in page, "the description from the data is the alt text"
    assert e(meta["description"]) in page.split("</figure>", 1)[1], "and is shown as text"
    assert f'<source media="{site.NARROW_MEDIA}" srcset="../figures/{meta["images"]["narrow"]["png"]}"' in page
    assert f'<a class="titp-chart-link" href="../figures/{meta["images"]["wide"]["svg"]}"' in page
    rows = pd.read_csv(paths.FIGURES / meta["data"])
    table = page.split('class="titp-table titp-data"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(rows) + 1, "every row plotted, with a header"
    assert "NaN" not in table and ">nan<" not in table
    downloads = set(re.findall(r'<a href="\.\./figures/([^"]+)" download>', page))
    assert downloads == {meta["data"], f"{name}.json", *(f for lay in meta["images"].values() for f in lay.values())}
    for file in downloads:
        assert (out / "figures" / file).read_bytes() == (paths.FIGURES / file).read_bytes()
    assert e(f'import pandas as pd; df = pd.read_csv("{meta["data"]}")') in page
    assert e(meta["citation"]) in page
    for source in meta["sources"]:
        for url in source["paths"]:
            assert f'href="{e(url)}"' in page


@pytest.mark.slow
def test_notebook_pages_show_the_executed_notebooks_without_code(built_site):
    out = built_site[0]
    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        page = (out / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        title = site.notebook_title(nb)
        assert _text_of("title", page) == f"{title} — {site.SITE_TITLE}"
        assert "data.load(" not in page and "charts.save(" not in page, "code is hidden"
        assert 'class="dataframe"' not in page, "no raw pandas table"
        assert 'class="titp-table titp-data"' in page and "<picture" in page, "the table for readers, the chart"
        assert not re.search(r"\bNaN\b|\bnan\b", page), "no missing value shown as nan"
        reading = nb.cells[-1].outputs[0]["data"]["text/markdown"]
        assert (
            site.markdown_html(reading, site.linkable(site.shipped_files(site.read_charts()))).replace(
                'href="', 'href="../'
            )
            in page
        ), "the reading, as generated"


@pytest.mark.slow
def test_no_page_text_can_add_raw_html_or_include_a_file(tmp_path):
    """The notebooks' own Markdown goes through MyST: raw HTML is text, `raw` and `include` are off."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text(
        '# Payload\n\nInline <b onclick="alert(1)">bold</b> and <script>alert(1)</script>.\n\n'
        '<div><img src=x onerror="alert(2)"></div>\n\n```{raw} html\n<script>alert(3)</script>\n```\n\n'
        "```{include} /etc/hostname\n```\n\n```{eval-rst}\n.. raw:: html\n\n   <script>alert(4)</script>\n```\n",
        encoding="utf-8",
    )
    warnings = site.run_sphinx(src, tmp_path / "html", tmp_path / "doctrees", [])
    body = (tmp_path / "html" / "index.html").read_text(encoding="utf-8").split("<article", 1)[1].split("</article>")[0]
    assert unsafe(body) == [], body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "alert(3)" not in body and "alert(4)" not in body
    assert sum("disabled" in w for w in warnings) == 3, warnings


# ---------------------------------------------------------------------------------------------
# slow: every page in Chromium, at a phone's size and a desk's


def under_ci(environ) -> bool:
    """Whether a CI service runs the tests (CI set to anything but empty, 0, false or no)."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _require_browser() -> str:
    if CHROMIUM:
        return CHROMIUM
    if under_ci(os.environ):
        pytest.fail(
            f"CI={os.environ['CI']} but no Chromium on PATH: .ci/run must install Debian's 'chromium' package "
            "before make test (apt-get install chromium)"
        )
    pytest.skip("Chromium is not installed (Debian package 'chromium'); the browser test of the site is skipped")


_PAGE_FACTS = """() => {
  const words = s => (s || '').trim().split(/\\s+/).filter(Boolean).length;
  const article = document.querySelector('.bd-article') || document.body;
  const breaking = Array.from(article.querySelectorAll('*')).filter(e => {
    const s = getComputedStyle(e);
    return s.wordBreak === 'break-all' || s.hyphens === 'auto'
      || ((e.tagName === 'TD' || e.tagName === 'TH') && s.overflowWrap === 'anywhere');
  }).map(e => e.tagName + '.' + e.className);
  return {
    title: document.title,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    images: Array.from(document.images).map(i => ({
      src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt') || '',
      words: words(i.getAttribute('alt')), current: i.currentSrc, width: i.getBoundingClientRect().width,
      chart: !!i.closest('figure.titp-chart'), tap: i.closest('a') ? i.closest('a').href : null})),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    downloads: Array.from(document.querySelectorAll('a[download]')).map(a => a.href),
    tables: Array.from(document.querySelectorAll('.titp-table')).map(t => ({
      overflow: getComputedStyle(t).overflowX, fits: t.getBoundingClientRect().right <= window.innerWidth + 0.5})),
    breaking,
  };
}"""


def _file(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


#: The pages photographed at both sizes, one of each kind (every page is checked).
_SHOWN = {"index.html", f"charts/{next(iter(catalogue.CHARTS))}.html", f"notebooks/{next(iter(catalogue.CHARTS))}.html"}


def crawl(out: Path, executable: str) -> dict:
    """Every page of the site at both sizes in one browser (two contexts); screenshots of one page
    of each kind."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: dict = {"pages": {}, "requests": [], "search": {}, "tapped": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.on("request", lambda r: found["requests"].append(r.url))
                page = context.new_page()
                for path in _pages(out):
                    rel = path.relative_to(out).as_posix()
                    page.goto(path.as_uri(), wait_until="load")
                    found["pages"][(size, rel)] = page.evaluate(_PAGE_FACTS)
                    if rel in _SHOWN:
                        shot = f"{rel.removesuffix('.html').replace('/', '-')}-{width}x{height}.png"
                        page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
                page.goto((out / "search.html").as_uri() + "?q=Vietnam", wait_until="load")
                page.wait_for_selector("#search-results li a", timeout=15_000)
                found["search"][size] = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
                chart = next(iter(catalogue.CHARTS))
                page.goto((out / "charts" / f"{chart}.html").as_uri(), wait_until="load")
                page.click("figure.titp-chart a.titp-chart-link")
                page.wait_for_load_state("load")
                found["tapped"][size] = (page.url, page.evaluate("document.documentElement.tagName"))
                context.close()
        finally:
            browser.close()
    return found


def overflow_problems(found: dict) -> list[str]:
    """Pages wider than the screen, tables that leave their box, styles that break words."""
    problems = []
    for (size, rel), facts in found["pages"].items():
        if facts["scrollWidth"] > facts["innerWidth"]:
            problems.append(f"{rel} at {size}: {facts['scrollWidth']} px wide on a {facts['innerWidth']} px screen")
        for table in facts["tables"]:
            if table["overflow"] != "auto" or not table["fits"]:
                problems.append(f"{rel} at {size}: a table leaves its box ({table})")
        if facts["breaking"]:
            problems.append(f"{rel} at {size}: words may break mid-word in {facts['breaking']}")
    return problems


def image_problems(found: dict) -> list[str]:
    """Images that did not load, or whose description is not a real one."""
    problems, seen = [], 0
    for (size, rel), facts in found["pages"].items():
        for image in facts["images"]:
            seen += 1
            if not image["ok"]:
                problems.append(f"{rel} at {size}: {image['src']} did not load")
            if image["words"] < 8:
                problems.append(f"{rel} at {size}: {image['src']} has no real description: {image['alt']!r}")
    if seen < 2 * 3 * len(catalogue.CHARTS):
        problems.append(f"only {seen} images: each chart belongs on its page, its notebook and the galleries")
    return problems


def chart_problems(found: dict) -> list[str]:
    """Charts not served in the layout of the screen, with text under 9 CSS pixels, or no way to full size."""
    problems = []
    for (size, rel), facts in found["pages"].items():
        charts = [i for i in facts["images"] if i["chart"]]
        if rel.startswith(("charts/0", "notebooks/0")) and len(charts) != 1:
            problems.append(f"{rel} at {size}: {len(charts)} charts, not one")
        for image in charts:
            layout = LAYOUTS["narrow" if size == "phone" else "wide"]
            if image["current"].endswith("-narrow.png") != (size == "phone"):
                problems.append(f"{rel} at {size}: served {image['current']}")
            shown = css_px(layout.small, layout, image["width"])
            if shown < MIN_TEXT_PX:
                problems.append(f"{rel} at {size}: the chart's smallest text is {shown:.1f} CSS px")
            target = _file(image["tap"] or "")
            if target is None or target.suffix != ".svg" or not target.is_file():
                problems.append(f"{rel} at {size}: a tap opens {image['tap']}, not the chart's SVG")
    for size, (url, root) in found["tapped"].items():
        if not url.endswith(".svg") or root.lower() != "svg":
            problems.append(f"at {size}, tapping the chart opened {url} ({root})")
    return problems


def link_problems(found: dict) -> list[str]:
    """Chart pages without their downloads, and links to files that do not exist."""
    problems = []
    for (size, rel), facts in found["pages"].items():
        if rel.startswith("charts/0"):
            name = Path(rel).stem
            files = {_file(u).name for u in facts["downloads"] if _file(u) and _file(u).is_file()}
            wanted = {f"{name}{tail}" for tail in (".csv", ".json", ".png", ".svg", "-narrow.png", "-narrow.svg")}
            if files != wanted:
                problems.append(f"{rel} at {size}: downloads {sorted(files)}, not {sorted(wanted)}")
        for url in facts["links"]:
            target = _file(url)
            if target is not None and not target.exists():
                problems.append(f"{rel} at {size}: a broken link to {url}")
    return problems


def title_problems(found: dict) -> list[str]:
    problems = []
    for size in SIZES:
        titles = [f["title"] for (s, _), f in found["pages"].items() if s == size]
        if not all(t and t != "Notebook" for t in titles) or len(set(titles)) != len(titles):
            problems.append(f"at {size}, titles are missing or repeat: {titles}")
    return problems


def network_problems(found: dict) -> list[str]:
    outside = [u for u in found["requests"] if not u.startswith(("file://", "data:", "about:", "blob:"))]
    problems = [f"requests left the machine: {outside}"] if outside else []
    if not found["requests"]:
        problems.append("no request was seen: the pages were not loaded")
    for size, results in found["search"].items():
        if not any("/charts/02-source-countries.html" in u for u in results):
            problems.append(f"search at {size} did not find the chart of nationalities: {results}")
    return problems


def _facts(**overrides) -> dict:
    facts = {
        "title": "A page — TITP data",
        "scrollWidth": 390,
        "innerWidth": 390,
        "images": [],
        "links": [],
        "downloads": [],
        "tables": [{"overflow": "auto", "fits": True}],
        "breaking": [],
    }
    return facts | overrides


def test_the_browser_checks_catch_what_they_look_for(tmp_path):
    """Each check on made-up page facts: a page that is right passes, a page that is wrong fails."""
    svg = tmp_path / "c.svg"
    svg.write_text("<svg/>")
    chart = {
        "src": "c.png",
        "ok": True,
        "alt": "a chart of many things in words",
        "words": 8,
        "chart": True,
        "current": "file:///c-narrow.png",
        "width": 358.0,
        "tap": svg.as_uri(),
    }
    good = {
        "pages": {("phone", "charts/index.html"): _facts(images=[chart] * (2 * 3 * len(catalogue.CHARTS)))},
        "tapped": {},
        "requests": ["file:///x"],
        "search": {},
    }
    assert overflow_problems(good) == image_problems(good) == chart_problems(good) == network_problems(good) == []
    wide = {
        "pages": {
            ("phone", "a.html"): _facts(
                scrollWidth=505, tables=[{"overflow": "visible", "fits": False}], breaking=["TD.x"]
            )
        }
    }
    assert len(overflow_problems(wide)) == 3
    bad_image = dict(chart, ok=False, alt="Timeline", words=1)
    assert len(image_problems({"pages": {("phone", "a.html"): _facts(images=[bad_image])}})) == 3
    small = dict(chart, width=300.0, current="file:///c.png", tap="file:///nowhere.png")
    assert len(chart_problems({"pages": {("phone", "a.html"): _facts(images=[small])}, "tapped": {}})) == 3
    assert len(link_problems({"pages": {("desk", "charts/01-x.html"): _facts(links=["file:///nowhere.csv"])}})) == 2
    twice = {"pages": {("desk", "a.html"): _facts(), ("desk", "b.html"): _facts()}}
    assert title_problems(twice) and not title_problems({"pages": {("desk", "a.html"): _facts()}})
    assert len(network_problems({"requests": ["https://cdn.example/x.js"], "search": {"desk": []}})) == 2


@pytest.mark.slow
def test_every_page_in_chromium_at_a_phone_and_a_desk_size(built_site):
    """One browser, two contexts (390x844 and 1280x800); every check on every page; screenshots
    of the index, a chart page and a notebook page at both sizes in .build/screenshots/."""
    found = crawl(built_site[0], _require_browser())
    assert len(found["pages"]) == 2 * len(_pages(built_site[0]))
    checks = {
        "no page wider than the screen, tables scroll in their box": overflow_problems,
        "every image loaded, with a real description": image_problems,
        "charts: the narrow layout on a phone, text of 9 CSS px at least, a tap opens the SVG": chart_problems,
        "downloads on chart pages, no broken link": link_problems,
        "a distinct title on every page": title_problems,
        "no request leaves the file system; search works offline": network_problems,
    }
    failed = {what: problems for what, check in checks.items() if (problems := check(found))}
    assert not failed, "\n".join(f"{what}:\n  " + "\n  ".join(problems) for what, problems in failed.items())
