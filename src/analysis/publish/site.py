"""``make report``: a static site in ``site/`` for readers who never open a notebook.

* ``index.html`` leads with the findings (the README's generated "What the data say" section)
  and every figure with its README caption, then links to each notebook's page.
* ``notebooks/NN-name.html`` for every executed notebook, code hidden, figures embedded.
* Works from the file system with no external requests: nbconvert's scripts (require.js,
  MathJax, mermaid, all from a CDN) are removed; the notebooks need none of them.

The site is built in a temporary folder and swapped in whole, so an interrupted build leaves
the previous site in place. Run as ``python -m analysis.report [--out DIR]``.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

import mistune
import nbformat

from analysis import paths, summary
from analysis.io import exit_cleanly_on_sigterm

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_FIGURE = re.compile(r"!\[(?P<alt>[^\]]+)\]\((?P<src>figures/[^)]+\.png)\)\n\*(?P<caption>[^*]+)\*")

STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.lede { color: #555; font-size: 1.05rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: .95rem; }
table { border-collapse: collapse; font-size: .85rem; } td, th { border: 1px solid #ddd; padding: .25rem .5rem; }
nav.site { font-size: .9rem; padding: .5rem 1rem; background: #f4f4f4; border-bottom: 1px solid #ddd; }
code { font-size: .85em; }
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def figures_from_readme(readme: str) -> list[dict[str, str]]:
    """The README's figures with their captions, in order (the one place captions are written)."""
    return [m.groupdict() for m in _FIGURE.finditer(readme)]


def notebook_title(nb: nbformat.NotebookNode) -> str:
    first = nb.cells[0].source.splitlines()[0] if nb.cells else ""
    return first.lstrip("# ").strip() or "Notebook"


def notebook_page(path: Path) -> str:
    """One executed notebook as a self-contained page: inputs hidden, no scripts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nb = nbformat.read(path, as_version=4)
    body, _ = exporter.from_notebook_node(nb)
    body = _SCRIPT.sub("", body)
    nav = (
        f'<nav class="site"><a href="../index.html">TITP data: findings and figures</a> &middot; '
        f"notebook <code>{html.escape(path.name)}</code> with its code hidden; the source is "
        f"<code>notebooks/{html.escape(path.name)}</code> in the repository</nav>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)


def index_page(readme: str, notebooks: list[Path]) -> str:
    findings = readme.split(summary.BEGIN, 1)[1].split(summary.END, 1)[0]
    parts = [
        "<h1>Japan's Technical Intern Training Program, figure by figure</h1>",
        '<p class="lede">The figures of an encyclopedia-style article on the programme, parsed into values with '
        "the intervals their wording allows, and checked against official statistics. Every number on this page "
        "is produced by the project's build from its raw data.</p>",
        "<h2>What the data say</h2>",
        mistune.html(findings),
        "<h2>Figures</h2>",
    ]
    for fig in figures_from_readme(readme):
        parts.append(
            f'<figure><img src="{html.escape(fig["src"])}" alt="{html.escape(fig["alt"])}">'
            f"<figcaption>{html.escape(fig['caption'])}</figcaption></figure>"
        )
    parts.append("<h2>Notebooks</h2><ul>")
    for path in notebooks:
        title = notebook_title(nbformat.read(path, as_version=4))
        parts.append(f'<li><a href="notebooks/{path.stem}.html">{html.escape(title)}</a></li>')
    parts.append(
        "</ul><p>Data: <code>data/processed/</code> (described in <code>datapackage.json</code>); "
        "rules and sources: the repository's README.</p>"
    )
    return _page("TITP data: findings and figures", "\n".join(parts))


def build_site(out: Path = paths.ROOT / "site") -> Path:
    """Build the whole site into ``out`` (replaced only once complete)."""
    out = Path(out)
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    notebooks = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)
    try:
        (staging / "figures").mkdir()
        for fig in figures_from_readme(readme):
            shutil.copy2(paths.ROOT / fig["src"], staging / fig["src"])
        (staging / "notebooks").mkdir()
        for path in notebooks:
            (staging / "notebooks" / f"{path.stem}.html").write_text(notebook_page(path), encoding="utf-8")
        (staging / "index.html").write_text(index_page(readme, notebooks), encoding="utf-8")
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.report", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.ROOT / "site")
    args = parser.parse_args(argv)
    site = build_site(args.out)
    print(f"make report: {paths.relative(site / 'index.html')} (open it in a browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
