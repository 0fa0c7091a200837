"""Sphinx settings of the site: ``make report`` (or ``sphinx-build docs site`` by hand).

The pages written from the data (claim cards, corrections, chart pages, notebooks) are rendered
from the Jinja templates in ``_jinja/`` when the build starts (``builder-inited``), by
:func:`analysis.publish.pages.write_sources`. Only what the site uses is switched on; nothing
calls a server, so the site works from the file system with no network.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from analysis.publish import pages  # noqa: E402
from analysis.publish.charts import LICENCE, PROJECT  # noqa: E402

project = pages.SITE_TITLE
author = PROJECT
copyright = f"{PROJECT}; charts and data {LICENCE}"
language = "en"
root_doc = "index"
extensions = ["myst_nb", "analysis.publish.pages"]
exclude_patterns = ["_build", "_jinja", pages.GENERATED, "Thumbs.db", ".DS_Store"]
suppress_warnings = ["myst.header"]
# the data's own quotes and apostrophes, as written
smartquotes = False

# myst-nb: render the executed notebooks as they are, never run them; hide their code. No raw HTML
# from any page's text (the generated parts come from autoescaped templates).
nb_execution_mode = "off"
nb_remove_code_source = True
nb_merge_streams = True
myst_disable_syntax = ["html_block", "html_inline"]
myst_enable_extensions = []
myst_heading_anchors = 2

# the theme: no side bars on the chart and claim pages (the content takes the page's width), no
# dark mode (the charts are drawn on white), nothing that would call a server.
html_theme = "pydata_sphinx_theme"
html_title = pages.SITE_TITLE
html_short_title = pages.SITE_TITLE
html_static_path = ["_static"]
html_css_files = ["titp.css"]
html_js_files = [("titp.js", {"defer": "defer"})]
html_context = {"default_mode": "light"}
_WIDE = ["index", "claims", "corrections", "charts/index", "notebooks/index"]
html_theme_options = {
    "navbar_start": ["navbar-logo"],
    "navbar_center": ["navbar-nav"],
    "navbar_end": [],
    "navbar_persistent": ["search-button"],
    "secondary_sidebar_items": {"**": ["page-toc"], **{page: [] for page in _WIDE}},
    "show_prev_next": False,
    "footer_start": ["copyright"],
    "footer_center": [],
    "footer_end": [],
    "back_to_top_button": False,
    "show_toc_level": 2,
    "search_bar_text": "Search the site",
    "logo": {"text": pages.SITE_TITLE},
}
html_sidebars = {
    "index": [],
    "claims": [],
    "corrections": [],
    "charts/*": [],
    "notebooks/*": ["sidebar-nav-bs"],
    "search": [],
}
html_copy_source = False
html_show_sourcelink = False
html_use_index = False
html_domain_indices = False
html_permalinks = True
html_last_updated_fmt = None
# Search: results are listed by page title, with no summary, as a summary is fetched from the page
# and a browser refuses that from file://. Numbers are words in the index (pages.NumberWords).
html_show_search_summary = False
html_search_language = "en"


def render_pages(app) -> None:
    """Render the pages written from the data into the source folder, before Sphinx reads it."""
    app.config.titp_shipped = pages.write_sources(
        Path(app.srcdir),
        HERE / "_jinja",
        processed=Path(app.config.titp_processed),
        figures=Path(app.config.titp_figures),
        notebooks=Path(app.config.titp_notebooks),
    )


def setup(app):
    """Render the generated pages when the builder starts."""
    app.connect("builder-inited", render_pages)
