"""Every chart, assembled: its view, its words, its drawing in two layouts, and how it is saved.

Each chart function takes processed tables and returns a :class:`Chart`; :func:`save` writes
everything a reader can download beside it (OWID grapher style): the PNG and SVG in the wide
and the narrow layout, the CSV of exactly the rows plotted, and a metadata JSON with the title,
description, units, sources and licence. Files whose bytes would not change are left alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import catalogue, paths
from analysis.data import to_csv_text
from analysis.files import atomic_path
from analysis.publish import plots, text, views
from analysis.publish.display import Reading
from analysis.publish.style import LAYOUTS, Layout, check_formats, render


@dataclass
class Chart:
    """A chart: what it plots, every word of it, and how to draw it."""

    spec: catalogue.Chart
    view: pd.DataFrame
    words: dict
    description: str
    reading_text: str
    draw: Callable[[pd.DataFrame, plots.Words, Layout], object]

    @property
    def title(self) -> str:
        return self.words["title"]

    def figure(self, layout: str = "wide"):
        """The matplotlib figure in one layout."""
        words = plots.Words(self.words["title"], self.words["subtitle"], self.words["source"], self.words["labels"])
        return self.draw(self.view, words, LAYOUTS[layout])

    def reading(self) -> Reading:
        """The reading, to display at the foot of the notebook."""
        return Reading(self.reading_text)

    def sources(self) -> list[dict]:
        """The publishers the plotted rows credit, each with its pages."""
        out: dict[str, dict] = {}
        if "publisher" not in self.view:
            return []
        for _, r in self.view.iterrows():
            publisher = r.get("publisher")
            if not isinstance(publisher, str) or not publisher:
                continue
            entry = out.setdefault(publisher, {"title": publisher, "paths": []})
            for url in str(r.get("sources") or "").split():
                if url.startswith("http") and url not in entry["paths"]:
                    entry["paths"].append(url)
        # a body credited with no page to cite (the article's credit) is named in the source line only
        return sorted((e for e in out.values() if e["paths"]), key=lambda e: e["title"])

    def metadata(self) -> dict:
        """The chart's metadata file: what it shows, in what units, from which sources, under which licence."""
        name = self.spec.name
        return {
            "name": name,
            "title": self.title,
            "subtitle": self.words["subtitle"],
            "description": self.description,
            "question": self.spec.question,
            "caption": self.spec.caption,
            "units": self.spec.units,
            "source_line": self.words["source"],
            "sources": self.sources(),
            "licence": {"name": catalogue.LICENCE, "path": catalogue.LICENCE_URL},
            "citation": f"{catalogue.PROJECT}, chart '{self.spec.short_title}': {self.title}. {catalogue.LICENCE}.",
            "data": f"{name}.csv",
            "columns": list(self.view.columns),
            "images": {
                layout: {fmt: f"{name}{'' if layout == 'wide' else '-' + layout}.{fmt}" for fmt in ("png", "svg")}
                for layout in LAYOUTS
            },
            "notebook": f"notebooks/{self.spec.notebook}",
        }


def intern_counts(
    counts: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame, figures: pd.DataFrame
) -> Chart:
    """Chart 01: the official stock, with the article's totals on it."""
    view = views.intern_counts(counts, stock, reconciliation)
    return Chart(
        catalogue.CHARTS["01-intern-counts"],
        view,
        text.intern_counts_words(view, figures),
        text.intern_counts_description(view),
        text.intern_counts_reading(view, stock),
        plots.intern_counts,
    )


def source_countries(
    shares: pd.DataFrame, by_nationality: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame
) -> Chart:
    """Chart 02: the article's nationality shares and the official composition at every date."""
    view = views.composition(shares, by_nationality, stock, reconciliation)
    return Chart(
        catalogue.CHARTS["02-source-countries"],
        view,
        text.source_countries_words(view),
        text.source_countries_description(view),
        text.source_countries_reading(view),
        plots.source_countries,
    )


def seafood_share(industry: pd.DataFrame, official: pd.DataFrame, reconciliation: pd.DataFrame) -> Chart:
    """Chart 03: the seafood share against the food-manufacturing category."""
    view = views.seafood(industry, official)
    return Chart(
        catalogue.CHARTS["03-seafood-share"],
        view,
        text.seafood_words(view, reconciliation),
        text.seafood_description(view),
        text.seafood_reading(view, reconciliation),
        plots.seafood_share,
    )


def data_quality(reconciliation: pd.DataFrame, figures: pd.DataFrame) -> Chart:
    """Chart 04: every numeric claim against the official figure its status rests on."""
    view = views.claims(reconciliation, figures)
    return Chart(
        catalogue.CHARTS["04-data-quality"],
        view,
        text.data_quality_words(view, reconciliation),
        text.data_quality_description(view),
        text.data_quality_reading(reconciliation, view),
        plots.data_quality,
    )


def timeline(
    figures: pd.DataFrame, reconciliation: pd.DataFrame, events: pd.DataFrame, other: pd.DataFrame, stages: pd.DataFrame
) -> Chart:
    """Chart 05: the programme's history and stages."""
    view = views.timeline(figures, reconciliation, events, other)
    return Chart(
        catalogue.CHARTS["05-timeline"],
        view,
        text.timeline_words(view, figures, stages),
        text.timeline_description(view),
        text.timeline_reading(view, stages, figures),
        lambda vw, words, layout: plots.timeline(vw, stages, words, layout),
    )


def _write(target: Path, data: bytes) -> bool:
    if target.exists() and target.read_bytes() == data:
        return False
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return True


def outputs(chart: Chart, formats=("png", "svg")) -> dict[str, bytes]:
    """Every file of a chart, by name: images in both layouts, the data and the metadata."""
    chosen = check_formats(formats)
    files = {}
    for layout in LAYOUTS:
        fig = chart.figure(layout)
        for fmt in chosen:
            suffix = "" if layout == "wide" else f"-{layout}"
            files[f"{chart.spec.name}{suffix}.{fmt}"] = render(fig, fmt)
    files[f"{chart.spec.name}.csv"] = to_csv_text(chart.view).encode("utf-8")
    files[f"{chart.spec.name}.json"] = (json.dumps(chart.metadata(), indent=2, ensure_ascii=False) + "\n").encode()
    return files


def save(chart: Chart, output_dir: str | os.PathLike[str] = "figures", formats=("png", "svg")) -> list[Path]:
    """Write every file of ``chart`` into ``output_dir`` (relative to the project root).

    In a notebook, the wide PNG just written is shown, so the notebook shows exactly what is
    published.
    """
    folder = paths.under_root(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ValueError(f"cannot write figures to {str(output_dir)!r}: {err.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write figures to {str(output_dir)!r}: the folder is not writable")
    written = []
    files = outputs(chart, formats)
    for name, data in files.items():
        _write(folder / name, data)
        written.append(folder / name)
    _show(files.get(f"{chart.spec.name}.png"))
    return written


def _show(png: bytes | None) -> None:
    """In a notebook, show the PNG just written."""
    if png is None:
        return
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython ships with the project
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        display(Image(data=png, format="png", width=800))


def skilled_workers(stock: pd.DataFrame, by_nationality: pd.DataFrame, skilled: pd.DataFrame) -> Chart:
    """Chart 06: technical intern trainees beside Specified Skilled Workers since the status began."""
    view = views.skilled_workers(stock, by_nationality, skilled)
    return Chart(
        catalogue.CHARTS["06-skilled-workers"],
        view,
        text.skilled_workers_words(view),
        text.skilled_workers_description(view),
        text.skilled_workers_reading(view),
        plots.skilled_workers,
    )
