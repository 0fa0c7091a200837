"""What every chart shares: the one :class:`Chart` record, the typed :class:`Words` it is drawn
with, the source line, and how a chart is saved.

A chart lives in one module of this package (``intern_counts.py`` and so on): the rows it plots,
its words and its drawing, and a :class:`Chart` that declares its notebook's inputs. Each file a
reader can download is written beside the others (OWID grapher style): the PNG and SVG in the wide
and the narrow layout, the CSV of exactly the rows plotted, and a metadata JSON with the title,
description, units, sources and licence. Files whose bytes would not change are left alone.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pandas as pd

from analysis import cite, fmt, paths
from analysis import vocabulary as v
from analysis.data import to_csv_text
from analysis.files import atomic_path
from analysis.publish.display import Reading
from analysis.publish.style import GAP_DAYS, LAYOUTS, Layout, check_formats, render
from analysis.sources import primary

if TYPE_CHECKING:
    from matplotlib.figure import Figure


#: The licence of every chart and of the data behind it.
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
#: Who makes the charts, for the source line and the citation.
PROJECT = "TITP data project"

#: Who a row of a chart's rows speaks for: the article, or an official source.
ARTICLE = "article"
OFFICIAL = "official"
NOT_ITEMISED = v.NOT_ITEMISED

#: A chart's labels: a record of its own (each chart module declares it).
L = TypeVar("L")


def date_of(value) -> pd.Timestamp | None:
    """A date, or None for a missing one."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


@dataclass(frozen=True)
class Words(Generic[L]):
    """Every word of a chart, all written from the data: what the drawing places and what the page says."""

    title: str
    subtitle: str
    source: str
    labels: L
    description: str = ""
    reading: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: its declaration and, once called with its tables, the rows it plots and its words.

    ``inputs`` are the processed tables its notebook reads, in the order the notebook passes them
    (``tests/test_charts.py`` holds them to the notebook's ``data.load`` calls, and ``make`` re-runs
    the notebook when one of them changes). ``rows`` makes the rows plotted from the tables by name;
    ``write`` every word from those rows and the tables; ``draw`` the picture in one layout.
    """

    name: str
    short_title: str
    question: str
    caption: str
    units: str
    inputs: tuple[str, ...]
    rows: Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame]
    write: Callable[[pd.DataFrame, Mapping[str, pd.DataFrame]], Words]
    draw: Callable[[pd.DataFrame, Words, Layout], Figure]
    view: pd.DataFrame | None = field(default=None, compare=False)
    words: Words | None = field(default=None, compare=False)

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"

    def __call__(self, *tables: pd.DataFrame) -> Chart:
        """The chart made from its tables, given in the order of :attr:`inputs`."""
        if len(tables) != len(self.inputs):
            raise TypeError(
                f"chart {self.name} takes {len(self.inputs)} tables ({', '.join(self.inputs)}), not {len(tables)}"
            )
        given = dict(zip(self.inputs, tables))
        view = self.rows(given)
        return replace(self, view=view, words=self.write(view, given))

    def _made(self) -> tuple[pd.DataFrame, Words]:
        if self.view is None or self.words is None:
            raise ValueError(f"chart {self.name} is not made yet: call it with its tables ({', '.join(self.inputs)})")
        return self.view, self.words

    @property
    def title(self) -> str:
        return self._made()[1].title

    def figure(self, layout: str = "wide") -> Figure:
        """The matplotlib figure in one layout."""
        view, words = self._made()
        return self.draw(view, words, LAYOUTS[layout])

    def reading(self) -> Reading:
        """The reading, to display at the foot of the notebook."""
        return Reading(self._made()[1].reading)

    def sources(self) -> list[dict]:
        """The publishers the plotted rows credit, each with its pages."""
        view, _ = self._made()
        out: dict[str, dict] = {}
        if "publisher" not in view:
            return []
        for _, r in view.iterrows():
            publisher = r.get("publisher")
            if not isinstance(publisher, str) or not publisher:
                continue
            entry = out.setdefault(publisher, {"title": publisher, "paths": []})
            for url in str(r.get("sources") or "").split():
                if url.startswith("http") and url not in entry["paths"]:
                    entry["paths"].append(url)
        # a body credited with no page to cite (the article's credit) is named in the source line only
        return sorted((e for e in out.values() if e["paths"]), key=lambda e: e["title"])

    def metadata(self) -> dict[str, Any]:
        """The chart's metadata file: what it shows, in what units, from which sources, under which licence."""
        view, words = self._made()
        name = self.name
        return {
            "name": name,
            "title": words.title,
            "subtitle": words.subtitle,
            "description": words.description,
            "question": self.question,
            "caption": self.caption,
            "units": self.units,
            "source_line": words.source,
            "sources": self.sources(),
            "licence": {"name": LICENCE, "path": LICENCE_URL},
            "citation": f"{PROJECT}, chart '{self.short_title}': {words.title}. {LICENCE}.",
            "data": f"{name}.csv",
            "columns": list(view.columns),
            "images": {
                layout: {kind: f"{name}{'' if layout == 'wide' else '-' + layout}.{kind}" for kind in ("png", "svg")}
                for layout in LAYOUTS
            },
            "notebook": f"notebooks/{self.notebook}",
        }


# ---------------------------------------------------------------------------------------------
# saving


def _write(target: Path, data: bytes) -> bool:
    if target.exists() and target.read_bytes() == data:
        return False
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return True


def outputs(chart: Chart, formats=("png", "svg")) -> dict[str, bytes]:
    """Every file of a chart, by name: images in both layouts, the data and the metadata."""
    chosen = check_formats(formats)
    view, _ = chart._made()
    files = {}
    for layout in LAYOUTS:
        fig = chart.figure(layout)
        for fmt_ in chosen:
            suffix = "" if layout == "wide" else f"-{layout}"
            files[f"{chart.name}{suffix}.{fmt_}"] = render(fig, fmt_)
    files[f"{chart.name}.csv"] = to_csv_text(view).encode("utf-8")
    files[f"{chart.name}.json"] = (json.dumps(chart.metadata(), indent=2, ensure_ascii=False) + "\n").encode()
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
    _show(files.get(f"{chart.name}.png"))
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


# ---------------------------------------------------------------------------------------------
# words every chart uses


ARTICLE_NAME = "the article 'Technical Intern Training Program'"


#: The publisher of rows that give official dates as their pages state them (chart 05's events).
AS_THE_SOURCES_SAY = "as the sources say"


def _hosts(rows: pd.DataFrame) -> list[str]:
    return cite.hosts(" ".join(str(s or "") for s in rows["sources"]))


def _singles(rows: pd.DataFrame) -> int:
    flags = rows["single_source"] if "single_source" in rows else rows.get("note", pd.Series(dtype=str))
    return int(sum(bool(f) if isinstance(f, bool) else "single source" in str(f or "") for f in flags))


def _flagged(said: str, rows: pd.DataFrame) -> str:
    n = _singles(rows)
    if not n or "single source" in said:
        return said
    return said + (
        " (a single source)" if len(rows) == 1 else f" ({n} of these {len(rows)} figures from a single source)"
    )


def figure_credit(rows: pd.DataFrame) -> str:
    """Who plotted figures of one publisher, reached one way, come from, as
    :func:`analysis.check.corrections.credit` words it: the primary table; "computed from" a body's
    figures where the project computed them; "as quoted by" the news or trade pages they were seen
    on, where none is the body's own; and "a single source" where the data mark a figure so.

    >>> figure_credit(pd.DataFrame({"publisher": ["Immigration Services Agency"], "basis": ["derived"],
    ...     "sources": ["https://www.asia-creation.org/a https://kizuna2581.org/b"]}))
    "computed from the Immigration Services Agency's figures, as quoted by www.asia-creation.org and kizuna2581.org"
    >>> figure_credit(pd.DataFrame({"publisher": ["Ministry of Health Labour and Welfare"],
    ...     "sources": ["https://www.viet-jo.com/a"]}))
    'Ministry of Health, Labour and Welfare, as quoted by www.viet-jo.com'
    """
    hosts = _hosts(rows)
    quoted = [h for h in hosts if not cite.is_official_host(h)]
    own = len(quoted) < len(hosts)
    publisher = rows["publisher"].iloc[0]
    derived = "basis" in rows and rows["basis"].eq(v.DERIVED).all()
    if publisher == primary.PUBLISHER and own and not quoted:
        return f"{primary.CITATION} ({primary.SOURCE})"
    if publisher[:1].islower():  # a phrase ('as reported by a fisheries trade journal')
        said = f"a share computed from a count {publisher}" if derived else f"a count {publisher}"
        said = _flagged(said, rows)
        if derived and own:
            said += f", over the total stock in {primary.CITATION} ({primary.SOURCE})"
        return said
    basis = v.DERIVED if derived else (v.REPORTED if quoted and not own else v.PUBLISHED)
    sources = " ".join(f"https://{h}" for h in (quoted if not own else hosts))
    return _flagged(cite.credit(publisher, basis, sources), rows)


def source_line(official: pd.DataFrame, credited, dates: bool = False, article: bool = True) -> str:
    """The foot of a chart: who the plotted official figures come from (:func:`figure_credit`, by
    publisher and by the way they reached the project), and what the article credits, figure by
    figure, as the rows say."""
    parts = []
    if dates:
        parts.append("official dates as the pages listed in the chart's data give them")
    given = official[official["publisher"].map(lambda p: isinstance(p, str) and p not in ("", AS_THE_SOURCES_SAY))]
    if len(given):
        hosts = given["sources"].map(lambda s: _hosts(pd.DataFrame({"sources": [s]})))
        way = pd.DataFrame(
            {
                "publisher": given["publisher"],
                "derived": given["basis"].eq(v.DERIVED) if "basis" in given else False,
                "own": hosts.map(lambda hs: any(cite.is_official_host(h) for h in hs)),
                "quoted": hosts.map(lambda hs: any(not cite.is_official_host(h) for h in hs)),
            },
            index=given.index,
        )
        for _, group in way.groupby(list(way.columns), sort=False):
            parts.append(figure_credit(given.loc[group.index]))
    if article:
        credited = list(credited)
        bodies = [c for c in credited if isinstance(c, str) and c]
        total = len(credited)
        if not bodies:
            said = "no body for the figures shown"
        else:
            counts = sorted(Counter(bodies).items(), key=lambda kv: (-kv[1], kv[0]))
            if len(counts) == 1 and counts[0][1] == total:
                said = f"{fmt.body(counts[0][0])} for all {total} figures shown"
            else:
                said = f"{fmt.listing([f'{fmt.body(c)} for {n}' for c, n in counts])} of the {total} figures shown"
                rest = total - len(bodies)
                said += f", and no body for the other {rest}" if rest else ""
        parts.append(f"{ARTICLE_NAME} (CC BY-SA), which credits {said}")
    return f"Sources: {'; '.join(parts)}. Chart: {PROJECT}, {LICENCE}."


def status_phrase(status: str, role: str | None, period: str | None) -> str:
    """A claim's status in words, with the period it belongs to or agrees with."""
    when = fmt.iso_period(period) if period is not None and not pd.isna(period) else None
    if status == v.MISDATED and when:
        return f"{status}: belongs to {when}"
    if status == v.CONSISTENT and when:
        return f"{status} with {when}"
    if role == v.ANOTHER_POPULATION:
        return f"{status}: only another population"
    return status


def official_rows(view: pd.DataFrame) -> pd.DataFrame:
    """The official rows of a chart's rows, by date."""
    return view[view["who"].eq(OFFICIAL)].sort_values("period_end")


def article_rows(view: pd.DataFrame) -> pd.DataFrame:
    """The article's rows of a chart's rows."""
    return view[view["who"].eq(ARTICLE)]


def has_gaps(ends: pd.Series, days: int = GAP_DAYS) -> bool:
    """Whether consecutive dates lie further apart than half a year (the charts dot such gaps)."""
    ends = pd.to_datetime(pd.Series(list(ends))).sort_values()
    return bool(ends.diff().dt.days.gt(days).any())


def two_lines(label: str, written: str, width: int = 46) -> str:
    """A row label: what the figure counts (wrapped, never cut), then the figure as written."""
    return "\n".join([*textwrap.wrap(label, width), *textwrap.wrap(written, width)])
