"""The site (`make report`): pages written from the data through autoescaped templates, Markdown
with raw HTML escaped, and every page opened in headless Chromium (Debian's, driven by Playwright)
at a phone's and a desk's size: claim cards, the status filter, the copy buttons, search."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import nbformat
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from analysis import data, fmt, paths, tables
from analysis import vocabulary as v
from analysis.errors import ProjectError
from analysis.publish import display, pages, readme, site, style, text
from analysis.publish.charts import CHARTS
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
    out = pages.markdown_html(source)
    assert unsafe(out) == [], out
    assert out.count("alert(1)") == 4 or "example.org" in out, "the payload is kept, as text"


def _rendered(built, name: str, **context) -> str:
    html_env, _ = pages.environments(paths.ROOT / "docs" / "_jinja")
    return html_env.get_template(name).render(prose=pages.PROSE, **context)


def test_a_payload_in_the_data_reaches_the_cards_and_corrections_as_text(built):
    payload = PAYLOADS[0] + PAYLOADS[1]
    figures = built["article_figures"].copy()
    rec = built["reconciliation"].copy()
    corrections = built["corrections"].copy()
    first = corrections["claim_ids"].iloc[0].split()[0]
    figures.loc[figures["id"].eq(first), "measure"] = payload
    rec.loc[rec["claim_id"].eq(first), "finding"] = PAYLOADS[2] + " " + PAYLOADS[3]
    corrections.loc[corrections.index[0], "problem"] = payload
    corrections.loc[corrections.index[0], "suggested_text"] = PAYLOADS[5]
    tampered = {**built, "article_figures": figures, "reconciliation": rec, "corrections": corrections}
    article = paths.ARTICLE_TEXT.read_text(encoding="utf-8")
    cards = pages.claim_cards(tampered, article, {})
    fixes = pages.correction_cards(tampered, cards)
    for out in (
        _rendered(tampered, "cards.html", cards=cards, counts=pages.status_counts(cards)),
        _rendered(tampered, "all_claims.html", cards=cards, columns=pages.ALL_CLAIMS_COLUMNS),
        _rendered(tampered, "corrections.html", corrections=fixes),
    ):
        assert unsafe(out) == [], out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out or "&lt;div onclick" in out or "&lt;iframe" in out


def test_a_markdown_template_writes_every_value_as_its_text(tmp_path):
    (tmp_path / "t.md").write_text("# {{ title }}\n\n```{x} {{ name }}\n```\n", encoding="utf-8")
    _, md_env = pages.environments(tmp_path)
    out = md_env.get_template("t.md").render(title="*a* <b> [c](javascript:x)", name=pages.Verbatim("01-x"))
    assert out.startswith("# \\*a\\* \\<b\\> \\[c\\]\\(javascript\\:x\\)\n") and "{x} 01-x\n" in out
    title = MarkdownIt("commonmark").renderInline(out.splitlines()[0][2:])
    assert html.unescape(title) == "*a* <b> [c](javascript:x)"


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
    ready = pages.prepare_notebook(nb, None, paths.FIGURES, {})
    bundle = ready.cells[0].outputs[0]["data"]
    assert "text/markdown" not in bundle, "myst-nb must not parse the Markdown itself (it passes raw HTML)"
    assert unsafe(bundle["text/html"]) == [] and "&lt;script&gt;" in bundle["text/html"]
    assert nb.cells[0].outputs[0]["data"]["text/markdown"].startswith("**Reading.**"), "the original is untouched"


def test_a_reader_table_is_for_readers_and_carries_its_own_classes():
    frame = pd.DataFrame(
        {
            "who": [PAYLOADS[0], "official"],
            "value": [410000.0, 41.6279],
            "period_end": ["2019-12-31", None],
            "first_year": [1993, 1994],
            "note": ["a note long enough to wrap in its column", "short"],
        }
    )
    out = display.table(frame).html("a table")
    assert unsafe(out) == []
    cells = re.findall(r"<td[^>]*>(.*?)</td>", out)
    assert cells[:4] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "410,000", "2019-12-31", "1993"]
    assert cells[5:9] == ["official", "41.63", "—", "1994"]
    assert re.findall(r"<th\b[^>]*>(.*?)</th>", out) == list(frame.columns), "no index column"
    kinds = re.findall(r"<td(?: class=\"([^\"]*)\")?>", out)
    assert kinds == ["", "titp-num", "", "titp-num", "titp-wrap", "", "titp-num", "", "titp-num", ""]
    assert display.table(frame)._repr_html_().startswith('<div class="titp-table titp-data">'), "notebooks too"
    numbers = display.table(pd.DataFrame({"count": [104800, 7], "first_year": [1993, 2017]})).html("numbers only")
    assert re.findall(r"<td[^>]*>(.*?)</td>", numbers) == ["104,800", "1993", "7", "2017"], "numpy integers too"


def test_cards_follow_the_article_and_say_no_claim_id(built):
    article = paths.ARTICLE_TEXT.read_text(encoding="utf-8")
    cards = pages.claim_cards(built, article, pages.claims_shown(pages.read_charts(), paths.FIGURES))
    rec, figures = built["reconciliation"], built["article_figures"].set_index("id")
    assert sorted(c["id"] for c in cards) == sorted(rec["claim_id"]), "one card per claim"
    stated = [c for c in cards if c["sentence"]]
    lines = [
        (
            int(figures.loc[c["id"], "line"]),
            article.splitlines()[int(figures.loc[c["id"], "line"]) - 1].find(c["sentence"]["words"]),
        )
        for c in stated
    ]
    assert lines == sorted(lines), "in the article's order"
    ids = [i for i in rec["claim_id"] if "-" in i]
    for card in cards:
        shown = " ".join(str(card[k]) for k in ("measure", "official", "finding", "finding_full", "derivation"))
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown)], card
        row = rec.set_index("claim_id").loc[card["id"]]
        assert card["finding"] == text.first_sentences(card["finding_full"], 2, pages.FINDING_CHARS)
        assert card["official"] == text.official_figure(row)
        assert card["badge"]["contrast"] >= style.MIN_CONTRAST
        if card["sentence"]:
            sentence = "".join(card["sentence"].values())
            assert card["sentence"]["words"] == text.as_written(figures.loc[card["id"]]) and sentence in article
    fixes = pages.correction_cards(built, cards)
    assert sorted(c["sentence"] for c in fixes) == sorted(set(built["corrections"]["article_phrase"])), (
        "one per sentence"
    )
    assert {s for c in fixes for s in c["suggested"]} == set(built["corrections"]["suggested_text"])
    corrected = {c["id"]: c["correction"] for c in cards if c["correction"]}
    assert set(corrected) == set(built["corrections"]["claim_ids"].str.split().explode()), (
        "every corrected claim links to its card"
    )


def test_hand_written_words_of_the_site_state_no_number():
    words = [*pages.PROSE.values(), *pages.CHART_SECTIONS.values()]
    for page in sorted(paths.DOCS.rglob("*.md")):
        if not re.match(r"\d\d-", page.name):
            words += [
                line for line in readme.hand_written(page.read_text(encoding="utf-8")) if not line.startswith(":")
            ]
    assert words
    for sentence in words:
        assert not re.search(r"\d", sentence), f"a number in hand-written prose: {sentence!r}"


@pytest.mark.parametrize(
    "title",
    [
        *(json.loads((paths.FIGURES / f"{c}.json").read_text())["title"] for c in CHARTS),
        "a *b* `c` <d> [e](f) {g} 42% #1 \\ _h_",
    ],
)
def test_a_title_in_markdown_reads_as_exactly_its_text(title):
    rendered = MarkdownIt("commonmark").renderInline(pages.md_escape(title))
    assert html.unescape(rendered) == " ".join(title.split())


def test_shipped_files_are_linked_by_their_path_or_unique_name():
    charts = pages.read_charts()
    links = pages.linkable(pages.shipped_files(charts))
    assert links["data/processed/reconciliation.csv"] == links["reconciliation.csv"]
    assert links["01-intern-counts.json"] == "figures/01-intern-counts.json"


def test_missing_or_broken_chart_metadata_is_refused_in_one_line(tmp_path):
    with pytest.raises(ProjectError, match=r"01-intern-counts\.json is missing: run `make figures` first"):
        pages.read_charts(tmp_path)
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    assert len(pages.read_charts(figures)) == len(CHARTS)
    (figures / "02-source-countries.json").write_text("{", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"02-source-countries\.json, line 1: not valid JSON"):
        pages.read_charts(figures)
    shutil.copy(paths.FIGURES / "02-source-countries.json", figures)
    (figures / "03-seafood-share-narrow.png").unlink()
    with pytest.raises(ProjectError, match=r"03-seafood-share-narrow\.png is missing"):
        pages.read_charts(figures)


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
        "claims.html",
        "corrections.html",
        "quoted.html",
        "search.html",
        *(f"{page}.html" for page in ("method", "data", "editors", "updates", "bad-input", "development")),
        "charts/index.html",
        "notebooks/index.html",
        *(f"charts/{c}.html" for c in CHARTS),
        *(f"notebooks/{p.stem}.html" for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")),
    }
    assert names == expected


@pytest.mark.slow
def test_the_index_leads_with_the_headline_then_the_cards_written_from_the_data(built_site, tables_now):
    out = built_site[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    headline = pages.headline(tables_now)
    assert f">{headline}<" in html.unescape(index), "the headline, as generated"
    cards = re.findall(r'<article class="titp-claim" id="claim-([a-z0-9-]+)" data-status="([a-z_]+)"', index)
    article = paths.ARTICLE_TEXT.read_text(encoding="utf-8")
    expected = pages.claim_cards(tables_now, article, {})
    assert cards == [(c["id"], c["status"]) for c in expected], "every claim, in the article's order"
    assert html.unescape(index).index(headline) < index.index("titp-claim") < index.index("titp-gallery")
    assert text.stock_trend(tables_now["official_stock"]) in html.unescape(index)
    claims = (out / "claims.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr id="claim-([a-z0-9-]+)"', claims) == [c for c, _ in cards], "All claims: one row each"
    assert 'href="data/processed/reconciliation.csv"' in claims, "the table behind it is linked"
    corrections = (out / "corrections.html").read_text(encoding="utf-8")
    for suggested in tables_now["corrections"]["suggested_text"]:
        assert f">{suggested}</p>" in html.unescape(corrections), "the suggested text, exactly"
    assert corrections.count('class="titp-correction"') == tables_now["corrections"]["article_phrase"].nunique()
    assert (out / "data" / "processed" / "reconciliation.csv").read_bytes() == (
        paths.PROCESSED / "reconciliation.csv"
    ).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_a_grapher_page(built_site, name):
    out = built_site[0]
    meta = json.loads((paths.FIGURES / f"{name}.json").read_text(encoding="utf-8"))
    page = (out / "charts" / f"{name}.html").read_text(encoding="utf-8")
    e = lambda s: html.escape(s).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")  # noqa: E731 (as Jinja)
    assert _text_of("title", page) == f"{meta['title']} — {pages.SITE_TITLE}"
    assert _text_of("h1", page) == meta["title"], "the finding is the title"
    assert f'alt="{e(meta["description"])}"' in page, "the description from the data is the alt text"
    assert e(meta["description"]) in page.split("</figure>", 1)[1], "and is shown as text"
    assert f'<source media="{pages.NARROW_MEDIA}" srcset="../figures/{meta["images"]["narrow"]["png"]}"' in page
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
        title = pages.notebook_title(nb)
        assert _text_of("title", page) == f"{title} — {pages.SITE_TITLE}"
        assert "data.load(" not in page and "charts.save(" not in page, "code is hidden"
        assert 'class="dataframe"' not in page, "no raw pandas table"
        assert 'class="titp-table titp-data"' in page and "<picture" in page, "the table for readers, the chart"
        assert not re.search(r"\bNaN\b|\bnan\b", page), "no missing value shown as nan"
        reading = nb.cells[-1].outputs[0]["data"]["text/markdown"]
        assert (
            pages.markdown_html(reading, pages.linkable(pages.shipped_files(pages.read_charts()))).replace(
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
    warnings = site.run_sphinx(src, tmp_path / "html", tmp_path / "doctrees")
    body = (tmp_path / "html" / "index.html").read_text(encoding="utf-8").split("<article", 1)[1].split("</article>")[0]
    assert unsafe(body) == [], body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "alert(3)" not in body and "alert(4)" not in body
    assert sum("disabled" in w for w in warnings) == 3, warnings
    assert (src / pages.GENERATED / "cards.html").is_file(), "conf.py rendered the pages when the build started"


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
      overflow: getComputedStyle(t).overflowX, fits: t.getBoundingClientRect().right <= window.innerWidth + 0.5,
      blocks: t.classList.contains('titp-rows')})),
    breaking,
  };
}"""


def _file(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


#: The pages photographed at both sizes, one of each kind (every page is checked).
_SHOWN = {
    "index.html",
    "claims.html",
    "corrections.html",
    "quoted.html",
    f"charts/{next(iter(CHARTS))}.html",
    f"notebooks/{next(iter(CHARTS))}.html",
}
#: The pages a reader reads claims on: no claim id may show on them.
READER_PAGES = ("index.html", "claims.html", "corrections.html", "quoted.html")

_READER_FACTS = """() => {
  const box = e => e ? e.getBoundingClientRect() : null;
  const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const head = box(document.querySelector('.titp-headline'));
  const first = box(document.querySelector('.titp-claim .titp-claim-head'));
  return {
    text: document.body.innerText,
    height: document.documentElement.scrollHeight,
    innerHeight: window.innerHeight,
    headline: head && {top: head.top, bottom: head.bottom},
    firstCard: first && {top: first.top, bottom: first.bottom},
    cards: Array.from(document.querySelectorAll('.titp-claim, .titp-correction')).filter(shown)
      .map(c => ({id: c.id, height: c.getBoundingClientRect().height})),
    badges: Array.from(document.querySelectorAll('.titp-badge')).filter(shown).map(b => {
      const s = getComputedStyle(b); return {word: b.textContent, ink: s.color, fill: s.backgroundColor};
    }),
  };
}"""
_VISIBLE_STATUSES = (
    "() => Array.from(document.querySelectorAll('.titp-claim')).filter(c => c.offsetParent !== null)"
    ".map(c => c.dataset.status)"
)


def _reader_checks(page, found: dict, size: str, out: Path, width: int, height: int) -> None:
    """The claim pages as a reader uses them: facts, the filter, the copy buttons, screenshots."""
    for rel in READER_PAGES:
        page.goto((out / rel).as_uri(), wait_until="load")
        found["reader"][(size, rel)] = page.evaluate(_READER_FACTS)
    page.goto((out / "index.html").as_uri(), wait_until="load")
    if size == "phone":
        page.screenshot(path=str(SCREENSHOTS / f"index-{width}x{height}-screen1.png"))
        page.evaluate(f"window.scrollTo(0, {height})")
        page.screenshot(path=str(SCREENSHOTS / f"index-{width}x{height}-screen2.png"))
    statuses = page.eval_on_selector_all(".titp-filter button[data-status]", "bs => bs.map(b => b.dataset.status)")
    found["filter"][size] = {"": page.evaluate(_VISIBLE_STATUSES)}
    for status in [s for s in statuses if s]:
        page.click(f'.titp-filter button[data-status="{status}"]')
        found["filter"][size][status] = page.evaluate(_VISIBLE_STATUSES)
    page.goto((out / "corrections.html").as_uri(), wait_until="load")
    page.locator(".titp-correction").first.screenshot(path=str(SCREENSHOTS / f"correction-card-{width}x{height}.png"))
    copied = []
    for button in page.locator("button.titp-copy").all():
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        page.wait_for_function(
            "b => b.textContent !== '' && !b.textContent.startsWith('Copy')", arg=button.element_handle()
        )
        copied.append(page.evaluate("navigator.clipboard.readText()"))
    found["copied"][size] = copied


def crawl(out: Path, executable: str) -> dict:
    """Every page of the site at both sizes in one browser (two contexts); screenshots of one page
    of each kind."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: dict = {
        "pages": {},
        "requests": [],
        "search": {},
        "tapped": {},
        "reader": {},
        "filter": {},
        "copied": {},
        "errors": [],
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.grant_permissions(["clipboard-read", "clipboard-write"])
                context.on("request", lambda r: found["requests"].append(r.url))
                context.on("requestfailed", lambda r: found["errors"].append(f"request failed: {r.url}"))
                page = context.new_page()
                page.on("console", lambda m: m.type == "error" and found["errors"].append(f"console: {m.text}"))
                page.on("pageerror", lambda e: found["errors"].append(f"script error: {e}"))
                for path in _pages(out):
                    rel = path.relative_to(out).as_posix()
                    page.goto(path.as_uri(), wait_until="load")
                    found["pages"][(size, rel)] = page.evaluate(_PAGE_FACTS)
                    if rel in _SHOWN:
                        shot = f"{rel.removesuffix('.html').replace('/', '-')}-{width}x{height}.png"
                        page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
                _reader_checks(page, found, size, out, width, height)
                found["search"][size] = {}
                for query in (q if q != "__peak__" else _peak() for q in SEARCHES):
                    page.goto((out / "search.html").as_uri() + "?q=" + quote(query), wait_until="load")
                    page.wait_for_selector("#search-results li a", timeout=15_000)
                    # a result's summary, were one fetched, would have failed once the network is idle
                    page.wait_for_load_state("networkidle")
                    found["search"][size][query] = page.eval_on_selector_all(
                        "#search-results li a", "as => as.map(a => a.href)"
                    )
                chart = next(iter(CHARTS))
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
            if (table["overflow"] != "auto" and not table.get("blocks")) or not table["fits"]:
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
    if seen < 2 * 3 * len(CHARTS):
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
    for size, searches in found["search"].items():
        wanted = {"Vietnam": "/charts/02-source-countries.html", _peak(): "/index.html"}
        for query, page in wanted.items():
            if not any(u.endswith(page) for u in searches.get(query, [])):
                problems.append(f"search at {size} for {query!r} did not find {page}: {searches.get(query)}")
    problems += [f"offline: {e}" for e in found.get("errors", []) if "Changed to light mode" not in e]
    return problems


def _peak() -> str:
    """The highest official stock as the site writes it (a number with a thousands separator)."""
    stock = text.stock_path(data.read("official_stock"))
    return fmt.value(stock["value"].max(), v.COUNT)


#: What the browser searches for: a word, and a number as the pages write it.
SEARCHES = ("Vietnam", "__peak__")


def _rgb(css: str) -> str:
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def reader_problems(found: dict) -> list[str]:
    """The claim pages as issue 20 asks: the headline and the first card on a phone's first screen,
    no card taller than the screen, no claim id in what a reader sees, badges at 4.5:1."""
    problems = []
    ids = [i for i in data.read("reconciliation")["claim_id"] if "-" in i]
    for (size, rel), facts in found.get("reader", {}).items():
        screen = facts["innerHeight"]
        if rel == "index.html" and size == "phone":
            if not facts["headline"] or facts["headline"]["bottom"] > screen:
                problems.append(f"{rel} at {size}: the headline is not on the first screen ({facts['headline']})")
            if not facts["firstCard"] or facts["firstCard"]["bottom"] > screen:
                problems.append(f"{rel} at {size}: the first card is not on the first screen ({facts['firstCard']})")
        for card in facts["cards"]:
            if card["height"] > screen:
                problems.append(f"{rel} at {size}: card {card['id']} is {card['height']:.0f} px, taller than {screen}")
        seen = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", facts["text"])]
        if seen:
            problems.append(f"{rel} at {size}: claim ids in the visible text: {seen}")
        for badge in facts["badges"]:
            ratio = style.contrast(_rgb(badge["ink"]), _rgb(badge["fill"]))
            if ratio < style.MIN_CONTRAST:
                problems.append(f"{rel} at {size}: the badge {badge['word']!r} has a contrast of {ratio:.2f}")
        if rel in ("index.html", "corrections.html") and not facts["badges"]:
            problems.append(f"{rel} at {size}: no status badge")
    return problems


def filter_problems(found: dict, statuses: dict[str, int]) -> list[str]:
    """Each status of the filter shows exactly the cards of that status; 'all' shows every card."""
    problems = []
    for size, shown in found.get("filter", {}).items():
        if len(shown.get("", [])) != sum(statuses.values()):
            problems.append(f"at {size}, 'all' shows {len(shown.get('', []))} cards of {sum(statuses.values())}")
        if set(shown) - {""} != set(statuses):
            problems.append(f"at {size}, the filter offers {sorted(set(shown) - {''})}, not {sorted(statuses)}")
        for status, cards in shown.items():
            if status and (set(cards) != {status} or len(cards) != statuses.get(status)):
                problems.append(f"at {size}, the filter '{status}' shows {cards}")
    return problems


def copy_problems(found: dict, suggested: list[str]) -> list[str]:
    """Every copy button puts exactly its suggested text on the clipboard."""
    problems = []
    for size, copied in found.get("copied", {}).items():
        if sorted(copied) != sorted(suggested):
            problems.append(f"at {size}, the copy buttons gave {copied}, not {suggested}")
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
        "pages": {("phone", "charts/index.html"): _facts(images=[chart] * (2 * 3 * len(CHARTS)))},
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
    assert len(network_problems({"requests": ["https://cdn.example/x.js"], "search": {"desk": {}}})) == 3
    assert network_problems({"requests": ["file:///x"], "search": {}, "errors": ["request failed: file:///a"]})
    reader = {
        "text": "A claim (share of interns from China)",
        "innerHeight": 844,
        "headline": {"top": 100, "bottom": 200},
        "firstCard": {"top": 700, "bottom": 760},
        "cards": [{"id": "claim-a", "height": 600}],
        "badges": [{"word": "x", "ink": "rgb(34, 34, 34)", "fill": "rgb(255, 255, 255)"}],
    }
    assert reader_problems({"reader": {("phone", "index.html"): reader}}) == []
    bad = reader | {
        "text": f"see {data.read('reconciliation')['claim_id'].loc[lambda s: s.str.contains('-')].iloc[0]}",
        "firstCard": {"top": 800, "bottom": 900},
        "cards": [{"id": "claim-a", "height": 900}],
        "badges": [{"word": "x", "ink": "rgb(153, 153, 153)", "fill": "rgb(255, 255, 255)"}],
    }
    assert len(reader_problems({"reader": {("phone", "index.html"): bad}})) == 4
    assert filter_problems({"filter": {"phone": {"": ["a", "b"], "a": ["a"], "b": ["b"]}}}, {"a": 1, "b": 1}) == []
    assert (
        len(filter_problems({"filter": {"phone": {"": ["a", "b"], "a": ["a", "b"], "b": ["b"]}}}, {"a": 1, "b": 1}))
        == 1
    )
    assert copy_problems({"copied": {"phone": ["x"]}}, ["x"]) == [] and copy_problems(
        {"copied": {"phone": ["x "]}}, ["x"]
    )


@pytest.mark.slow
def test_every_page_in_chromium_at_a_phone_and_a_desk_size(built_site):
    """One browser, two contexts (390x844 and 1280x800); every check on every page; screenshots
    of the index, the claim pages, a chart page and a notebook page at both sizes, the index's first
    two screens on a phone and a correction card, in .build/screenshots/."""
    found = crawl(built_site[0], _require_browser())
    assert len(found["pages"]) == 2 * len(_pages(built_site[0]))
    checks = {
        "no page wider than the screen, tables scroll in their box": overflow_problems,
        "every image loaded, with a real description": image_problems,
        "charts: the narrow layout on a phone, text of 9 CSS px at least, a tap opens the SVG": chart_problems,
        "downloads on chart pages, no broken link": link_problems,
        "a distinct title on every page": title_problems,
        "no request leaves the file system; search works offline, numbers too, with no error": network_problems,
        "claim pages: headline and first card on a phone's first screen, cards within a screen, no ids": reader_problems,
        "the status filter shows only cards of that status": lambda f: filter_problems(
            f, data.read("reconciliation")["status"].value_counts().to_dict()
        ),
        "every copy button copies exactly its suggested text": lambda f: copy_problems(
            f, list(dict.fromkeys(data.read("corrections")["suggested_text"]))
        ),
    }
    failed = {what: problems for what, check in checks.items() if (problems := check(found))}
    assert not failed, "\n".join(f"{what}:\n  " + "\n  ".join(problems) for what, problems in failed.items())
