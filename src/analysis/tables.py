"""Every table of the project, declared once: its file, columns, types, keys and checks.

The shape follows Catalyst Cooperative's PUDL metadata: :data:`FIELDS` declares each column
once (type, description, unit, constraints), and each :class:`Table` lists its fields, primary
key and the checks it must pass. From this one declaration come the pandera schemas
(:mod:`analysis.schema`), the typed reading of processed tables (:mod:`analysis.data`), the
Frictionless ``datapackage.json`` (:mod:`analysis.datapackage`), the columns the raw readers
insist on, and the list of outputs the Makefile builds (:mod:`analysis.makefile`).

Standard library only, so that ``make`` can read it before the environment exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from analysis import vocabulary as v

#: Field types, as Frictionless Table Schema names them.
TYPES = ("string", "number", "integer", "date", "boolean")


@dataclass(frozen=True)
class Field:
    """One column: its type, what it holds, its unit and constraints."""

    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    unique: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name!r}: unknown type {self.type!r} (expected one of {TYPES})")


@dataclass(frozen=True)
class Check:
    """A check on a whole table, by name (the functions are in :mod:`analysis.schema`)."""

    name: str
    description: str
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A processed table: ``data/processed/<name>.csv``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sources: tuple[str, ...]
    checks: tuple[Check, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class RawTable:
    """A raw CSV: the columns it must have, exactly, in this order.

    ``key``: the columns that name one figure of the file, so that a row of a new release is
    matched with the same row of the old one (``make update-official`` diffs by it, and refuses a
    release in which a key repeats). A key holds what the file's reader counts as one figure and
    nothing a correction may change: a publisher, or a kind the date implies, is not part of it.
    """

    file: str
    description: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = field(default=())


def _enum(words) -> tuple[str, ...]:
    return tuple(words)


def _spaced(one: str) -> str:
    """The pattern of one or more items separated by single spaces, each matching ``one`` (anchored).

    >>> import re; bool(re.match(_spaced(r"^[a-z]+$"), "ab cd")), bool(re.match(_spaced(r"^[a-z]+$"), "ab  cd"))
    (True, False)
    """
    item = one.removeprefix("^").removesuffix("$")
    return f"^(?:{item})(?: (?:{item}))*$"


# ---------------------------------------------------------------------------------------------
# every field, once

_F = [
    # identity and wording
    Field("id", "string", "stable identifier of the figure", unique=True, pattern=v.ID_PATTERN),
    Field("claim_id", "string", "figure id in article_figures", pattern=v.ID_PATTERN),
    Field("basis", "string", "stated in the article, or derived from figures it states", enum=_enum(v.FIGURE_BASES)),
    Field("topic", "string", "what the figure is about", enum=v.FIGURE_TOPICS),
    Field("category", "string", "nationality, industry or kind of event within the topic", required=False),
    Field("measure", "string", "what the figure counts, in the project's words"),
    Field(
        "population",
        "string",
        "who the figure counts (figures of different populations never agree)",
        enum=_enum(v.POPULATIONS),
    ),
    Field("unit", "string", "unit of value, low and high; 'date' for a date-only figure", enum=_enum(v.UNITS)),
    Field(
        "value",
        "number",
        "the figure as stated (as computed, for a derived figure)",
        "unit column",
        required=False,
        minimum=0,
    ),
    Field(
        "low",
        "number",
        "lowest value the figure allows (precision and hedge)",
        "unit column",
        required=False,
        minimum=0,
    ),
    Field(
        "high",
        "number",
        "highest value the figure allows (precision and hedge)",
        "unit column",
        required=False,
        minimum=0,
    ),
    Field(
        "qualifier", "string", "hedge read from the words before the figure", required=False, enum=_enum(v.QUALIFIERS)
    ),
    Field("period_start", "date", "first day of the period the figure is dated to", "date", required=False),
    Field(
        "period_end", "date", "last day of that period (equal to the start for a point in time)", "date", required=False
    ),
    Field("period_precision", "string", "how finely the figure is dated", required=False, enum=_enum(v.PRECISIONS)),
    Field("credited_to", "string", "body the article credits for the figure", required=False),
    Field("section", "string", "article section the figure stands in", required=False),
    Field("line", "integer", "line of the article the figure stands on", required=False, minimum=1),
    Field("number_text", "string", "the phrase stating the number, as written", required=False),
    Field("date_text", "string", "the phrase dating the figure, as written", required=False),
    Field("derivation", "string", "how a derived figure was computed", required=False),
    Field("note", "string", "what the transcriber noticed", required=False),
    # share tables
    Field("nationality", "string", "nationality of the interns ('Other' for the remainder)"),
    Field("industry", "string", "industry the interns work in"),
    Field("share", "number", "share of all technical interns", "percent", minimum=0, maximum=100),
    Field("share_low", "number", "lowest share the figure allows", "percent", minimum=0, maximum=100),
    Field("share_high", "number", "highest share the figure allows", "percent", minimum=0, maximum=100),
    Field(
        "count",
        "number",
        "interns the share implies, where a total of the same date exists",
        "persons",
        required=False,
        minimum=0,
    ),
    Field("count_low", "number", "lowest count the share implies", "persons", required=False, minimum=0),
    Field("count_high", "number", "highest count the share implies", "persons", required=False, minimum=0),
    Field("count_note", "string", "how the count was derived, or why it was not"),
    # stages
    Field("stage", "integer", "stage number, in order", minimum=1),
    Field("level", "string", "the level's name as the article gives it"),
    Field("first_year", "integer", "first year of the programme in this stage", "year of programme", minimum=1),
    Field("last_year", "integer", "last year of the programme in this stage", "year of programme", minimum=1),
    Field("years", "integer", "length of the stage", "years", minimum=1),
    # official series
    Field("series", "string", "series id: what is measured (e.g. 'stock', 'stock-share:China', 'event')"),
    Field("label", "string", "what the figure counts, in the source's words"),
    Field(
        "kind",
        "string",
        "year_end or mid_year for the total stock; otherwise the kind of figure",
        enum=_enum(v.OFFICIAL_KINDS),
    ),
    Field("published_as", "string", "exact, rounded (and to what), or computed"),
    Field("publisher", "string", "body that produced the statistic"),
    Field("single_source", "boolean", "seen on one source page only: weaker evidence"),
    Field(
        "sources",
        "string",
        "public pages where the figure (or each figure it is derived from) was seen, separated by spaces",
    ),
    Field("source_file", "string", "file in data/raw/official/ the figure comes from"),
    Field(
        "source_row",
        "integer",
        "row of that file (data rows from 1; for the primary table, the line of the file); empty when computed "
        "from several",
        required=False,
        minimum=1,
    ),
    # quoted figures held to the primary table
    Field(
        "table_series",
        "string",
        "the primary table's series for the same measure (empty if it has none)",
        required=False,
    ),
    Field("quoted_value", "number", "the figure as the page quoted it", "persons"),
    Field("quoted_low", "number", "lowest value the quote's rounding allows", "persons"),
    Field("quoted_high", "number", "highest value the quote's rounding allows", "persons"),
    Field(
        "quoted_basis", "string", "reported by the page, or derived from what it reported", enum=_enum(v.OFFICIAL_BASES)
    ),
    Field(
        "table_value",
        "number",
        "the primary table's figure for the same date and population",
        "persons",
        required=False,
    ),
    Field("difference", "number", "the table's figure less the quoted one", "persons", required=False),
    Field("verdict", "string", "whether the quote agrees with the table", enum=_enum(v.QUOTE_VERDICTS)),
    # reconciliation
    Field("claim_value", "number", "the figure as the article states it", "unit column", required=False),
    Field("claim_low", "number", "lowest value the article's wording allows", "unit column", required=False),
    Field("claim_high", "number", "highest value the article's wording allows", "unit column", required=False),
    Field("claim_period_start", "date", "start of the period the article gives", "date", required=False),
    Field("claim_period_end", "date", "end of the period the article gives", "date", required=False),
    Field(
        "stated_with",
        "string",
        "ids of the claims stated in the same sentence with the same date, checked as one set (one best date for all)",
        required=False,
    ),
    Field(
        "relation",
        "string",
        "same measure, or a part of a broader official category",
        required=False,
        enum=_enum(v.RELATIONS),
    ),
    Field("status", "string", "result of the check (rules in analysis.check.reconcile)", enum=_enum(v.STATUSES)),
    Field(
        "official_value",
        "number",
        "official value of the same population at the period the article states (the one nearest the claim)",
        "unit column",
        required=False,
    ),
    Field("official_period", "string", "date or period of that official value", required=False),
    Field(
        "reference_role",
        "string",
        "what the reference figure is to the claim",
        required=False,
        enum=_enum(v.REFERENCE_ROLES),
    ),
    Field(
        "reference_value",
        "number",
        "the official figure the status rests on (see reference_role)",
        "unit column",
        required=False,
    ),
    Field("reference_low", "number", "its low end (rounding)", "unit column", required=False),
    Field("reference_high", "number", "its high end (rounding)", "unit column", required=False),
    Field("reference_period", "string", "date or period of the reference figure", required=False),
    Field(
        "reference_population", "string", "who the reference figure counts", required=False, enum=_enum(v.POPULATIONS)
    ),
    Field("reference_label", "string", "what the reference figure counts, in the source's words", required=False),
    Field("reference_publisher", "string", "body that produced the reference figure", required=False),
    Field("reference_sources", "string", "public pages where the reference figure was seen", required=False),
    Field("finding", "string", "the finding in plain words"),
    # corrections
    Field(
        "claim_ids",
        "string",
        "the claims the correction covers, in the sentence's order, separated by spaces",
        unique=True,
        pattern=_spaced(v.ID_PATTERN),
    ),
    Field(
        "statuses",
        "string",
        "the status of each claim the correction covers, in the order of claim_ids",
        pattern=_spaced("|".join(v.STATUSES)),
    ),
    Field("article_phrase", "string", "the sentence of the article that states the claims, as written"),
    Field("problem", "string", "what is wrong, one sentence per claim"),
    Field(
        "suggested_text",
        "string",
        "the text an editor could paste in place of the whole sentence: the official figures, their dates "
        "and who published them",
    ),
    # revisions of the article
    Field("change", "string", "how the figure compares with the transcribed article", enum=_enum(v.CHANGES)),
    Field(
        "phrase",
        "string",
        "the figure's phrase as the revision writes it (as the transcribed text wrote it, "
        "for a removed figure): its number, or its date for a date-only figure",
    ),
    Field("old_line", "integer", "line of the transcribed article the figure stood on", required=False, minimum=1),
    Field("old_phrase", "string", "the figure's phrase as the transcribed article wrote it", required=False),
    Field(
        "old_status",
        "string",
        "reconciliation status of the transcribed article's figure",
        required=False,
        enum=_enum(v.STATUSES),
    ),
    Field("old_number_text", "string", "the phrase stating the number in the transcribed article", required=False),
    Field("old_date_text", "string", "the phrase dating the figure in the transcribed article", required=False),
]
FIELDS: MappingProxyType = MappingProxyType({f.name: f for f in _F})
if len(FIELDS) != len(_F):  # pragma: no cover - guards the declaration
    raise ValueError("a field is declared twice")


def _fields(*names: str, **overrides: dict) -> tuple[Field, ...]:
    """The declared fields by name; ``overrides`` change a field for this table only."""
    return tuple(replace(FIELDS[n], **overrides.get(n, {})) for n in names)


def _shares(category: str, *more: str) -> tuple[Field, ...]:
    """The fields of a share table: what the share is of, the share and its interval, the counts it
    implies where a total of the same date exists."""
    return _fields(
        "id",
        "basis",
        "period_start",
        "period_end",
        category,
        "share",
        "share_low",
        "share_high",
        "qualifier",
        *more,
        "count",
        "count_low",
        "count_high",
        "count_note",
        basis={"enum": _enum(v.SHARE_BASES)},
        qualifier={"required": True},
    )


_INTERVAL = Check("ordered", "low <= value <= high", ("low", "value", "high"))
_SHARE_INTERVAL = Check("ordered", "share_low <= share <= share_high", ("share_low", "share", "share_high"))
_PERIOD = Check("period_ordered", "periods end on or after they start", ("period_start", "period_end"))

ARTICLE = "data/raw/article/"
COUNTERPARTS = "data/raw/article/counterparts.csv"
OFFICIAL = "data/raw/official/"

_TABLES = [
    Table(
        "article_figures",
        "Every figure and date in the article, parsed",
        "Every figure and date in the article, parsed into a value with the interval its wording allows, with "
        "the figures it implies (basis 'derived').",
        _fields(
            "id",
            "basis",
            "topic",
            "category",
            "measure",
            "population",
            "value",
            "low",
            "high",
            "unit",
            "qualifier",
            "period_start",
            "period_end",
            "period_precision",
            "credited_to",
            "section",
            "line",
            "number_text",
            "date_text",
            "derivation",
            "note",
        ),
        ("id",),
        (ARTICLE,),
        (
            _INTERVAL,
            _PERIOD,
            Check("shares_in_range", "shares lie within 0-100"),
            Check("value_iff_quantity", "a figure has a value unless it is a date-only row"),
            Check("counts_positive", "counts and durations are positive"),
            Check("derived_explained", "derived figures say how they were computed"),
        ),
    ),
    Table(
        "intern_counts",
        "Technical interns in Japan by date, as the article states or implies them",
        "Technical interns in Japan by date, as the article states them or implies them.",
        _fields(
            "id",
            "basis",
            "period_start",
            "period_end",
            "period_precision",
            "value",
            "low",
            "high",
            "qualifier",
            "measure",
            "credited_to",
            "derivation",
            period_start={"required": True},
            period_end={"required": True},
            period_precision={"required": True},
            qualifier={"required": True},
            value={"description": "number of technical interns", "unit": "persons", "required": True, "minimum": 1},
            low={"description": "lowest number the figure allows", "unit": "persons", "required": True, "minimum": 1},
            high={"description": "highest number the figure allows", "unit": "persons", "required": True, "minimum": 1},
        ),
        ("id",),
        (ARTICLE,),
        (_INTERVAL,),
    ),
    Table(
        "nationality_shares",
        "Share of technical interns by nationality, as the article states it",
        "Share of technical interns by nationality, with the remainder as 'Other'.",
        _shares("nationality"),
        ("id",),
        (ARTICLE,),
        (_SHARE_INTERVAL, Check("shares_sum", "shares of one period sum to 100 at most (100 with the remainder)")),
    ),
    Table(
        "industry_shares",
        "Share of technical interns by industry, as the article states it",
        "Share of technical interns by industry.",
        _shares("industry", "measure", "credited_to", "note"),
        ("id",),
        (ARTICLE,),
        (_SHARE_INTERVAL,),
    ),
    Table(
        "stages",
        "The programme's stages",
        "The programme's stages and the years of the programme each covers.",
        _fields(
            "id",
            "stage",
            "level",
            "first_year",
            "last_year",
            "years",
            "number_text",
            id={"description": "figure id in the raw transcription"},
            number_text={"required": True},
        ),
        ("id",),
        (ARTICLE,),
        (Check("contiguous", "stages follow each other without gaps, from year 1"),),
    ),
]

_OFFICIAL_FIELDS = _fields(
    "series",
    "label",
    "population",
    "kind",
    "period_start",
    "period_end",
    "period_precision",
    "value",
    "low",
    "high",
    "unit",
    "published_as",
    "basis",
    "publisher",
    "single_source",
    "sources",
    "note",
    "source_file",
    "source_row",
    period_start={"required": True},
    period_end={"required": True},
    period_precision={"required": True, "enum": v.EVENT_PRECISIONS},
    value={"description": "the figure", "minimum": None},
    low={"description": "lowest value its rounding allows", "minimum": None},
    high={"description": "highest value its rounding allows", "minimum": None},
    basis={
        "enum": _enum(v.OFFICIAL_BASES),
        "description": "published in the primary table, reported by a page quoting a release, or derived by this project",
    },
    note={"description": "the reference set's note, or how a derived figure was computed"},
)
_OFFICIAL_CHECKS = (
    _INTERVAL,
    _PERIOD,
    Check("official_counts_positive", "counts are positive; a part of a total (a nationality) may be zero"),
    Check("official_shares_in_range", "shares of a whole lie within 0-100"),
    Check("value_iff_quantity", "a figure has a value unless it is an event"),
)
_OFFICIAL_KEY = ("series", "label", "period_start", "period_end", "basis")

#: Official views: table name -> (title, the series ids it holds as globs).
OFFICIAL_VIEWS = MappingProxyType(
    {
        "official_series": ("Every official figure in one long table", ("*",)),
        "official_stock": (
            "Official stock of technical intern trainees, year-end and mid-year",
            ("stock", "stock-growth"),
        ),
        "official_stock_by_nationality": (
            "Official stock of technical intern trainees by nationality, and shares",
            ("stock-nationality:*", "stock-share:*"),
        ),
        "official_vietnamese": (
            "Vietnamese workers (MHLW survey) and residents (ISA)",
            ("workers:*", "all-residents:Vietnam", "trainee-share-of-residents:Vietnam"),
        ),
        "official_residents_by_nationality": (
            "All foreign residents of each nationality, whatever their status (primary table)",
            ("all-residents:*",),
        ),
        "official_skilled_workers": (
            "Specified Skilled Workers, in all and by nationality (primary table)",
            ("skilled-workers", "skilled-workers-nationality:*", "skilled-workers-share:*"),
        ),
        "official_industry": (
            "Technical intern trainees by job category, and shares",
            ("industry:*", "industry-share:*", "industry-share-of-stock:*"),
        ),
        "official_other": ("Deaths, suspected abuse, supervising organisations", ("other:*", "publication")),
        "official_events": (
            "Dates in the programme's history, and rules stated with them",
            ("event", "event-figure:*"),
        ),
    }
)
for _name, (_title, _) in OFFICIAL_VIEWS.items():
    _TABLES.append(
        Table(
            _name,
            _title,
            f"{_title}: official statistics, one row per figure, reported or derived, with their sources.",
            _OFFICIAL_FIELDS,
            _OFFICIAL_KEY,
            (OFFICIAL,),
            _OFFICIAL_CHECKS,
        )
    )

_TABLES += [
    Table(
        "quoted_figures",
        "Figures quoted from the official releases, held to the primary table",
        "Every figure that a news or trade page quoted from the Statistics on Foreign Residents, beside the "
        "primary table's figure for the same date and population: whether it agrees (within its rounding) "
        "and by how much it differs. Where the table has the figure, it stands over the quote.",
        _fields(
            "series",
            "table_series",
            "label",
            "population",
            "period_end",
            "quoted_value",
            "quoted_low",
            "quoted_high",
            "published_as",
            "quoted_basis",
            "table_value",
            "difference",
            "verdict",
            "publisher",
            "sources",
            "note",
            "source_file",
            "source_row",
            period_end={"required": True},
            source_row={"required": True},
        ),
        ("source_file", "source_row"),
        (OFFICIAL,),
        (
            Check(
                "ordered", "quoted_low <= quoted_value <= quoted_high", ("quoted_low", "quoted_value", "quoted_high")
            ),
            Check("quote_verdicts", "the verdict follows from the table's figure and the quote's interval"),
        ),
    ),
    Table(
        "reconciliation",
        "Every article figure checked against its official counterpart",
        "Every article figure (stated and derived) checked against its official counterpart: its status, the "
        "official figure the status rests on, and the finding in plain words.",
        _fields(
            "claim_id",
            "basis",
            "topic",
            "measure",
            "population",
            "unit",
            "claim_value",
            "claim_low",
            "claim_high",
            "claim_period_start",
            "claim_period_end",
            "stated_with",
            "series",
            "relation",
            "status",
            "official_value",
            "official_period",
            "reference_role",
            "reference_value",
            "reference_low",
            "reference_high",
            "reference_period",
            "reference_population",
            "reference_label",
            "reference_publisher",
            "reference_sources",
            "finding",
            claim_id={"unique": True},
            topic={"enum": None},
            series={
                "required": False,
                "description": "official series compared with (a pattern over official_series.series)",
            },
        ),
        ("claim_id",),
        (ARTICLE, COUNTERPARTS, OFFICIAL),
        (
            Check("checked_has_series", "a checked claim names its series"),
            Check("agreeing_has_reference", "consistent and misdated claims name the official figure they agree with"),
        ),
    ),
    Table(
        "corrections",
        "Corrections for the article's editors",
        "One row per sentence of the article that states a claim that is misdated or inconsistent, or "
        "unverifiable where the official data give a better statement, in the article's order: the claims it "
        "covers, the sentence as written, what is wrong, one text to paste in place of the whole sentence, "
        "and the pages to cite.",
        _fields(
            "line",
            "claim_ids",
            "statuses",
            "article_phrase",
            "problem",
            "suggested_text",
            "sources",
            line={"required": True, "description": "line of the article the sentence stands on"},
            sources={
                "description": "the pages to cite, from the official rows the suggestion uses, separated by spaces"
            },
        ),
        ("claim_ids",),
        (ARTICLE, COUNTERPARTS, OFFICIAL),
        (Check("sources_are_urls", "every source is a web address"),),
    ),
]

#: Every processed table, by name, in the order the build writes them.
TABLES: MappingProxyType = MappingProxyType({t.name: t for t in _TABLES})

#: Results of commands that are not processed tables (never written to data/processed/).
RESULTS: MappingProxyType = MappingProxyType(
    {
        t.name: t
        for t in [
            Table(
                "check_article",
                "A revision of the article compared with the transcribed one",
                "One row per figure of the transcribed article (stated and derived) and per figure the revision adds: "
                "whether it is unchanged, changed, added or removed, its phrase and line in the revision and in the "
                "transcribed text, and its reconciliation status as the revision states it, with the correction the "
                "data suggest for the revision.",
                _fields(
                    "change",
                    "id",
                    "basis",
                    "line",
                    "phrase",
                    "status",
                    "old_line",
                    "old_phrase",
                    "old_status",
                    "number_text",
                    "date_text",
                    "old_number_text",
                    "old_date_text",
                    "problem",
                    "suggested_text",
                    "note",
                    id={
                        "required": False,
                        "unique": False,
                        "description": "id of the figure in the transcription (empty for an added figure)",
                    },
                    line={"description": "line of the revision the figure stands on (empty for a removed figure)"},
                    phrase={"required": False},
                    status={
                        "required": False,
                        "description": "reconciliation status as the revision states the figure (empty where it "
                        "has no counterpart: added, removed, or a stage)",
                    },
                    problem={
                        "required": False,
                        "description": "what the data say is wrong with the figure as the revision states it",
                    },
                    suggested_text={"required": False},
                    note={"description": "what the comparison noticed"},
                ),
                ("change", "id", "line", "phrase"),
                ("data/raw/article/", "the revision"),
            ),
        ]
    }
)

#: Processed files besides the tables.
DATAPACKAGE = "datapackage.json"

# ---------------------------------------------------------------------------------------------
# raw files

RAW_TABLES = MappingProxyType(
    {
        t.file: t
        for t in [
            RawTable(
                "figures.csv",
                "every figure and date in the article, transcribed",
                (
                    "id",
                    "section",
                    "line",
                    "topic",
                    "category",
                    "measure",
                    "population",
                    "number_text",
                    "date_text",
                    "credited_to",
                    "note",
                ),
                ("id",),
            ),
            RawTable(
                "exclusions.csv",
                "number and date phrases of the article that are not figures, and why",
                ("line", "phrase", "reason"),
                ("line", "phrase"),
            ),
            RawTable(
                "derived.csv",
                "claims the article implies but does not state, each from two it states",
                ("id", "rule", "base_id", "other_id", "measure"),
                ("id",),
            ),
            RawTable(
                "event_precision.csv",
                "dates of the programme's history stated less precisely than one source gives them",
                ("date", "event", "precision", "reason"),
                ("date", "event"),
            ),
            RawTable(
                "counterparts.csv",
                "which official series each article figure is compared with",
                ("claim_id", "series", "match", "relation", "related", "history", "history_date", "reason"),
                ("claim_id",),
            ),
            RawTable(
                "stock.csv",
                "total stock of technical intern trainees",
                ("period_end", "kind", "value", "published_as", "basis", "publisher", "sources", "note"),
                ("period_end",),
            ),
            RawTable(
                "stock_by_nationality.csv",
                "stock of technical intern trainees by nationality",
                ("period_end", "nationality", "value", "published_as", "publisher", "sources", "note"),
                ("period_end", "nationality"),
            ),
            RawTable(
                "vietnamese_in_japan.csv",
                "Vietnamese workers (MHLW) and residents (ISA)",
                ("period_end", "population", "measure", "value", "publisher", "sources", "note"),
                ("period_end", "population", "measure"),
            ),
            RawTable(
                "industry.csv",
                "technical intern trainees by job category",
                ("period_end", "measure", "category", "value", "unit", "publisher", "sources", "note"),
                ("period_end", "measure", "category"),
            ),
            RawTable(
                "other_figures.csv",
                "deaths, suspected abuse cases, supervising organisations",
                ("period_start", "period_end", "measure", "value", "unit", "publisher", "sources", "note"),
                ("period_start", "period_end", "measure"),
            ),
            RawTable(
                "events.csv",
                "dates in the programme's history",
                ("date", "precision", "event", "sources"),
                ("date", "event"),
            ),
        ]
    }
)


#: Every raw file is refused above this size before it is read (the largest quoted CSV is a few
#: kilobytes); a source that grows gives its own limit (:attr:`Download.max_bytes`).
MAX_RAW_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Download:
    """A table kept exactly as a statistics portal serves it for download, with what to cite.

    Every word here is the reference set's own (its README, "The primary table"); the provenance
    record (:mod:`analysis.sources.provenance`), ``make update-official`` and the reader of the
    table take them from here. The portal names each download ``FEH_<statistics code>_<yymmddhhmmss
    of the download>.csv``; the file name gives the download date and nothing else (the table is
    recognised by its contents).

    >>> ESTAT.downloaded("FEH_00250012_260610061045.csv"), ESTAT.downloaded("FEH_00250012_261310061045.csv")
    ('2026-06-10', None)
    >>> ESTAT.matches("FEH_00250012_260610061045.csv"), ESTAT.matches("FEH_00250011_260610061045.csv")
    (True, False)
    """

    folder: str
    statistics: str
    statistics_ja: str
    table_number: str
    title: str
    title_ja: str
    table_id: str
    statistics_code: str
    publisher: str
    portal: str
    terms: str
    cite: str
    encodings: tuple[str, ...]
    max_bytes: int

    @property
    def name_pattern(self) -> str:
        """The download's file name, as a regular expression (the timestamp is group 1)."""
        return rf"FEH_{self.statistics_code}_([0-9]{{12}})\.csv"

    @property
    def name_shown(self) -> str:
        """The download's file name, as a reader is told it."""
        return f"FEH_{self.statistics_code}_<yymmddhhmmss>.csv"

    @property
    def full_title(self) -> str:
        """Statistics, table number and title, in English and as published."""
        return (
            f'"{self.statistics}" ({self.statistics_ja}), table {self.table_number}: "{self.title}" ({self.title_ja})'
        )

    def matches(self, name: str) -> bool:
        """Whether ``name`` is a download of this table by its file name."""
        return re.fullmatch(self.name_pattern, name) is not None

    def downloaded(self, name: str) -> str | None:
        """The download date a file name gives (``YYYY-MM-DD``), or None when it gives none."""
        found = re.fullmatch(self.name_pattern, name)
        if found is None:
            return None
        try:
            return datetime.strptime("20" + found.group(1), "%Y%m%d%H%M%S").date().isoformat()
        except ValueError:
            return None


#: The primary table: the Immigration Services Agency's "Statistics on Foreign Residents", table 01,
#: as e-Stat serves it (``data/raw/official/estat/``).
ESTAT = Download(
    folder="estat",
    statistics="Statistics on Foreign Residents",
    statistics_ja="在留外国人統計",
    table_number="01",
    title="Foreign residents by nationality/region and status of residence",
    title_ja="国籍・地域別 在留資格別 在留外国人",
    table_id="0004019020",
    statistics_code="00250012",
    publisher="Immigration Services Agency (Ministry of Justice)",
    portal="e-Stat (https://www.e-stat.go.jp/)",
    terms=(
        "e-Stat content is published under the Government of Japan Standard Terms of Use (2.0), "
        "compatible with CC BY 4.0; numerical data and simple tables are not subject to copyright."
    ),
    cite=(
        'Immigration Services Agency, "Statistics on Foreign Residents", table 01, via e-Stat '
        "(https://www.e-stat.go.jp/), and say that the figures were processed."
    ),
    encodings=("utf-8", "cp932"),
    # about 60 KB a date, two dates a year: room for decades, and still refused before it is read
    max_bytes=32 * 1024 * 1024,
)


def processed_files() -> list[str]:
    """Every file ``make data`` writes into ``data/processed/``, in order.

    >>> processed_files()[0], processed_files()[-1]
    ('article_figures.csv', 'datapackage.json')
    """
    return [t.file for t in TABLES.values()] + [DATAPACKAGE]
