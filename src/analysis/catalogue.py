"""Every chart of the project, declared once: its notebook, the tables it reads, its caption.

Captions are hand-written and say what a chart shows and how, never a number; titles,
descriptions (alt text), readings and source lines are written from the data at run time
(:mod:`analysis.publish.text`). The README's figure list, the site's chart pages and each
chart's metadata file take their words from here.

Standard library only, so that ``make`` can read it before the environment exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

#: The licence of every chart and of the data behind it.
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
#: Who makes the charts, for the source line and the citation.
PROJECT = "TITP data project"


@dataclass(frozen=True)
class Chart:
    """One chart: made by one notebook, from declared tables."""

    name: str
    short_title: str
    question: str
    caption: str
    tables: tuple[str, ...]
    units: str

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"


CHARTS = MappingProxyType(
    {
        c.name: c
        for c in [
            Chart(
                "01-intern-counts",
                "Intern counts",
                "How many technical interns were in Japan, and when?",
                "The official stock of trainees over time, with the totals the article states or implies placed at the "
                "dates it gives them; a total the official series places at another date is drawn with an arrow to it.",
                ("intern_counts", "official_stock", "reconciliation"),
                "persons (technical intern trainees resident in Japan on the date)",
            ),
            Chart(
                "02-source-countries",
                "Source countries",
                "Where do technical interns come from?",
                "The article's nationality shares beside the official composition at every date a source itemises "
                "nationalities; what the sources leave unitemised is drawn as such, and a count without a total of its "
                "date is shown as a count, never as a share.",
                ("nationality_shares", "official_stock_by_nationality", "official_stock"),
                "percent of all technical intern trainees resident in Japan; persons where no total exists",
            ),
            Chart(
                "03-seafood-share",
                "Seafood share",
                "How many trainees work in seafood processing?",
                "The article's seafood-processing share, with the interval its wording allows, against the official share "
                "of the whole food-manufacturing category that contains it.",
                ("industry_shares", "official_industry", "reconciliation"),
                "percent of technical intern trainees (or of approved training plans, where marked)",
            ),
            Chart(
                "04-data-quality",
                "Data quality",
                "Which of the article's figures hold?",
                "Every numeric claim of the article against the official figure its status rests on, as a difference in "
                "percent of that figure, with the claim's interval, its date and its status.",
                ("reconciliation",),
                "percent difference from the official figure",
            ),
            Chart(
                "05-timeline",
                "Timeline",
                "When was the programme founded, reformed and replaced?",
                "The programme's history as the article dates it, each date coloured by its check, beside the official "
                "dates of the same events, and the stages of a trainee's stay.",
                ("article_figures", "reconciliation", "official_events", "stages"),
                "dates; years of the programme",
            ),
            Chart(
                "06-skilled-workers",
                "Trainees and skilled workers",
                "Since the Specified Skilled Worker status began, how have the two stocks moved?",
                "Technical intern trainees beside Specified Skilled Workers resident in Japan, from the primary table, "
                "in all and for the leading nationalities of either status.",
                ("official_stock", "official_stock_by_nationality", "official_skilled_workers"),
                "persons (residents holding the status on the date)",
            ),
        ]
    }
)
