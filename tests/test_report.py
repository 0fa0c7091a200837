"""The static report, opened in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import paths, report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = paths.ROOT / ".build" / "screenshots"
#: As the workplace's own probe starts it: no sandbox as root, and no background networking.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _require_browser() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Chromium on PATH: .ci/run must install Debian's 'chromium' package "
                    "before make test (apt-get install chromium)")
    pytest.skip("Chromium is not installed (Debian package 'chromium'); the browser test of the report is skipped")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return report.build_site(tmp_path_factory.mktemp("report") / "site")


def test_site_has_an_index_and_a_page_per_notebook(site):
    notebooks = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    assert (site / "index.html").exists()
    assert sorted(p.stem for p in (site / "notebooks").glob("*.html")) == [p.stem for p in notebooks]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.index("What the data say") < index.index("<figure>"), "the index leads with the findings"
    for page in [site / "index.html", *(site / "notebooks").glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower()
        assert 'src="http' not in text and "href=\"http" not in text.replace('href="http://www.w3.org', "")


def test_notebook_pages_hide_code_and_embed_figures(site):
    page = (site / "notebooks" / "01-intern-counts.html").read_text(encoding="utf-8")
    assert "charts.intern_counts" not in page, "code is hidden"
    assert 'src="data:image/png;base64,' in page, "figures are embedded"


def _internal_target(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def test_site_in_a_headless_browser_loads_every_image_links_and_stays_offline(site):
    executable = _require_browser()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requested.append(r.url))
            for name, path in [("index", site / "index.html"),
                               ("01-intern-counts", site / "notebooks" / "01-intern-counts.html")]:
                page.goto(path.as_uri(), wait_until="load")
                images = page.evaluate(
                    "Array.from(document.images).map(i => [i.getAttribute('src').slice(0, 40), i.complete && i.naturalWidth > 0])")
                assert images, f"{name}: no images"
                broken = [src for src, ok in images if not ok]
                assert not broken, f"{name}: images that did not load: {broken}"
                for href in page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
                    target = _internal_target(href)
                    if target is not None:
                        assert target.exists(), f"{name}: broken link {href}"
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        finally:
            browser.close()
    outside = [u for u in requested if not u.startswith(("file://", "data:", "about:"))]
    assert not outside, f"requests left the machine: {outside}"
    assert any(u.endswith(".png") for u in requested), "the index's figures were requested from the site"
