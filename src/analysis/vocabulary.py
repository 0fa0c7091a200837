"""Every controlled word of the project, declared once.

Each word is a key of an ordered mapping whose value says what it means; schemas, the data
package, readers, checks, charts and prose all take their words from here. No other module
spells a status, unit, topic, population, relation or basis as a literal.

This module uses the standard library only, so that ``make`` can read it before the project's
environment exists.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


def _words(**meanings: str) -> MappingProxyType:
    return MappingProxyType(dict(meanings))


# --- reconciliation --------------------------------------------------------------------------

#: The result of checking a claim against official statistics (rules in analysis.check.reconcile).
STATUSES = _words(
    consistent="an official value of the same measure and population, at the stated date, agrees",
    misdated="it agrees with an official value of another date, not the one stated",
    inconsistent="no official value of the same measure and population agrees, at any date",
    unverifiable="the data cannot decide: no counterpart, no value at the stated date, or only another population",
)
CONSISTENT, MISDATED, INCONSISTENT, UNVERIFIABLE = STATUSES

#: How a claim relates to the official series it is compared with.
RELATIONS = _words(
    same="the same measure as the official series",
    subset_of="a part of the broader category the official series measures",
)
SAME, SUBSET_OF = RELATIONS

#: What the official figure a status rests on is to the claim (reconciliation.reference_role).
REFERENCE_ROLES = _words(
    at_stated_period="agrees, at the stated period",
    other_period="agrees, at another period",
    nearest="the nearest official value, over every date; does not agree",
    at_set_date="the official value at the one date chosen for its whole sentence; does not agree",
    whole="the share of the whole category, which a part cannot exceed",
    other_population="another population; never held to agree",
)
AT_STATED_PERIOD, OTHER_PERIOD, NEAREST, AT_SET_DATE, WHOLE, ANOTHER_POPULATION = REFERENCE_ROLES

# --- populations -----------------------------------------------------------------------------


class Population(NamedTuple):
    """A population: what it means, and how a sentence names what it counts."""

    meaning: str
    #: What a figure of this population counts, as a noun phrase in a sentence.
    noun: str


#: Who a figure counts. Figures of different populations are never held to agree.
POPULATIONS = MappingProxyType(
    {
        "residents": Population(
            "technical intern trainees resident in Japan on a date (a stock; Ministry of Justice, "
            "Immigration Services Agency)",
            "trainees resident in Japan",
        ),
        "workers": Population(
            "workers counted by the employment survey of the Ministry of Health, Labour and Welfare (end of October)",
            "workers in the labour ministry's survey",
        ),
        "plans": Population(
            "training plans approved by the Organization for Technical Intern Training in a fiscal year",
            "approved training plans",
        ),
        "all_residents": Population(
            "foreign residents of every status of residence on a date, trainees among them (Immigration "
            "Services Agency, Statistics on Foreign Residents)",
            "residents of every status of residence",
        ),
        "skilled_workers": Population(
            "Specified Skilled Workers (特定技能, i and ii) resident in Japan on a date (Immigration Services Agency)",
            "Specified Skilled Workers resident in Japan",
        ),
        "unstated": Population(
            "the source does not say which population it counts", "a population the source does not state"
        ),
        "other": Population(
            "not a population of trainees: a date, a duration, or deaths, cases or organisations as the measure says",
            "what the measure names",
        ),
    }
)
RESIDENTS, WORKERS, PLANS, ALL_RESIDENTS, SKILLED_WORKERS, UNSTATED, OTHER_POPULATION = POPULATIONS

# --- units, hedges and dates -----------------------------------------------------------------

#: Units of a parsed figure.
UNITS = _words(
    count="persons, cases, workplaces or organisations",
    percent="a share, in percent",
    years="a duration, in years",
    date="a date-only figure: its period is the value",
)
COUNT, PERCENT, YEARS, DATE = UNITS

#: Units as the official files write them, and the unit each stands for.
RAW_UNITS = MappingProxyType({"persons": COUNT, "cases": COUNT, "organizations": COUNT, "percent": PERCENT})


class Hedge(NamedTuple):
    """A hedge: what it allows, and the word a reader sees."""

    meaning: str
    #: The word a reader sees before a figure with this hedge ('' for none).
    word: str


#: Hedges read from the words before a figure (rules in analysis.parse.quantity).
QUALIFIERS = MappingProxyType(
    {
        "none": Hedge("no hedge: the figure stands for the interval its precision implies", ""),
        "approximate": Hedge("about, approximately, around, roughly, some, circa", "about"),
        "near_upper": Hedge("almost, nearly, just under: up to 10% below the figure", "almost"),
        "upper": Hedge("fewer than, less than, up to, under: at most the figure", "up to"),
        "near_lower": Hedge("just over: up to 10% above the figure", "just over"),
        "lower": Hedge("over, more than, at least: at least the figure", "over"),
    }
)
NO_HEDGE = "none"

#: How finely a period is named.
PRECISIONS = _words(
    day="a single day",
    month="a calendar month",
    year="a calendar year",
    fiscal_year="Japan's fiscal year, 1 April to 31 March",
)

# --- the article -----------------------------------------------------------------------------


#: What kind of row a topic's rows are.
TOPIC_KINDS = _words(
    quantity="a figure with a number",
    stage="years of the programme a stage covers",
    event="a date only",
)
QUANTITY, STAGE_KIND, EVENT_KIND = TOPIC_KINDS


class Topic(NamedTuple):
    """A topic of the article's figures: what it is about, its kind of row and its units."""

    meaning: str
    #: quantity (a number), stage (years of the programme) or event (a date only).
    kind: str
    #: Units a figure of this topic may have.
    units: tuple[str, ...]


TOPICS = MappingProxyType(
    {
        "participation": Topic("technical interns in Japan", QUANTITY, (COUNT,)),
        "growth": Topic("growth in the number of interns", QUANTITY, (PERCENT,)),
        "nationality": Topic("interns by nationality", QUANTITY, (PERCENT,)),
        "vietnamese": Topic("Vietnamese workers and trainees", QUANTITY, (COUNT, PERCENT)),
        "workplaces": Topic("workplaces hosting interns", QUANTITY, (COUNT,)),
        "industry": Topic("interns by industry", QUANTITY, (PERCENT,)),
        "deaths": Topic("deaths of trainees", QUANTITY, (COUNT,)),
        "abuse": Topic("cases of suspected abuse", QUANTITY, (COUNT,)),
        "programme": Topic("the programme's rules", QUANTITY, (YEARS,)),
        "inspection": Topic("inspections by the supervising body", QUANTITY, (YEARS,)),
        "stage": Topic("the programme's stages", STAGE_KIND, ()),
        "history": Topic("dates in the programme's history", EVENT_KIND, ()),
    }
)
(
    PARTICIPATION,
    GROWTH,
    NATIONALITY,
    VIETNAMESE,
    WORKPLACES,
    INDUSTRY,
    DEATHS,
    ABUSE,
    PROGRAMME,
    INSPECTION,
    STAGE,
    HISTORY,
) = TOPICS
#: Topics whose rows become parsed figures (stages go to their own table).
FIGURE_TOPICS = tuple(t for t, topic in TOPICS.items() if topic.kind != STAGE_KIND)

#: Where an article figure comes from.
FIGURE_BASES = _words(
    stated="stated in the article",
    derived="computed from figures the article states",
)
STATED, DERIVED = FIGURE_BASES
#: How a derived claim (``data/raw/article/derived.csv``) is computed from its two stated claims.
DERIVATIONS = _words(
    previous_total="the total a year before base_id, at the growth rate other_id: base / (1 + growth)",
    share_of_count="the count the share other_id makes of the count base_id: share x count",
)
PREVIOUS_TOTAL, SHARE_OF_COUNT = DERIVATIONS
#: Rows of a share table: stated shares and the remainder they leave.
SHARE_BASES = _words(
    stated="stated in the article",
    remainder="100% less the stated shares of the same date, computed",
)
REMAINDER = "remainder"
#: The name of the remainder in a nationality table.
OTHER_NATIONALITY = "Other"
#: What the official sources leave unitemised at a date (drawn as such, never as if known).
NOT_ITEMISED = "not itemised"

# --- official statistics ---------------------------------------------------------------------

#: Where an official figure comes from.
OFFICIAL_BASES = _words(
    published="read from the publisher's own table (the primary source)",
    reported="reported by a page that quotes an official release (a second-hand source)",
    derived="derived by this project from published or reported figures (the note says how)",
)
PUBLISHED, REPORTED = "published", "reported"

#: How a quoted figure compares with the primary table's figure for the same date and population
#: (processed table ``quoted_figures``).
QUOTE_VERDICTS = _words(
    agrees="the table's figure lies within the interval the quote's rounding allows",
    disagrees="the table's figure lies outside it: the quote is wrong, and the table stands",
    not_in_table="the table has no figure of this measure and date; the quote stands alone",
)
AGREES, DISAGREES, NOT_IN_TABLE = QUOTE_VERDICTS

#: Bodies as the raw files spell them, where a reader must see them spelt otherwise (the raw files
#: are kept as the reference set wrote them).
BODY_NAMES = MappingProxyType({"Ministry of Health Labour and Welfare": "Ministry of Health, Labour and Welfare"})

#: The nationalities the project names, by their code in the primary table (e-Stat's
#: 国籍・地域 code), with the English name used everywhere else. Every nationality whose share
#: of the trainees reaches :data:`NAMED_SHARE` at some date must be here (the build refuses a
#: table in which one is missing); the rest are summed into :data:`OTHER_NATIONALITY`.
NATIONALITIES = MappingProxyType(
    {
        "1360": "Vietnam",
        "1230": "China",
        "1080": "Indonesia",
        "1330": "Philippines",
        "1380": "Myanmar",
        "1140": "Cambodia",
        "1210": "Thailand",
    }
)
#: The share of all trainees (percent) at which a nationality must be named.
NAMED_SHARE = 1.0

#: What kind of official figure a row is.
OFFICIAL_KINDS = _words(
    year_end="total stock at the end of December",
    mid_year="total stock at the end of June",
    stock="a stock on a date, other than the total",
    survey="a survey count on a date",
    other="a figure of a fiscal year or an unstated kind",
    period="a count over a period",
    event="a dated event",
    publication="the date a body published figures",
)
YEAR_END, MID_YEAR = "year_end", "mid_year"

#: How the official files say a figure was published, and the half-width that rounding implies.
ROUNDINGS = MappingProxyType(
    {
        "exact": 0,
        "rounded to the ten": 5,
        "rounded to the hundred": 50,
        "rounded to the thousand": 500,
        "rounded to the ten thousand": 5000,
    }
)
EXACT = "exact"

#: Precisions an official event date may have.
EVENT_PRECISIONS = ("day", "month", "year", "fiscal_year")

#: What a row of the e-Stat table of residents by nationality is (analysis.sources.estat).
AREA_KINDS = _words(
    total="all foreign residents (area code 0000)",
    region="a region's total (アジア, ヨーロッパ, …): the sum of its nationalities",
    nationality="a nationality, or stateless (無国籍): the rows that add up to the total",
    sub="a part already counted in its parent nationality (a 'うち' row, such as うち中国〔香港〕)",
)
AREA_TOTAL, AREA_REGION, AREA_NATIONALITY, AREA_SUB = AREA_KINDS

# --- revisions of the article ----------------------------------------------------------------

#: How a figure of a revised article compares with the transcribed one.
CHANGES = _words(
    unchanged="the same phrase, number and date",
    changed="the same figure, with its number, hedge or date changed",
    added="a figure the transcribed article does not have",
    removed="a transcribed figure the revision no longer has",
)
UNCHANGED, CHANGED, ADDED, REMOVED = CHANGES

#: What a phrase found in a text is (rules in analysis.parse.extract).
PHRASE_KINDS = _words(
    number="a figure analysis.parse.quantity reads: a count, a share or a duration, with its hedge",
    date="a date or period analysis.parse.period reads, with its lead words ('As of', 'In', 'between')",
    stage="years of the programme a stage covers ('2nd and 3rd year')",
    unread="digits neither parser reads: a name, a code or a number that is not a figure",
)
NUMBER_PHRASE, DATE_PHRASE, STAGE_PHRASE, UNREAD_PHRASE = PHRASE_KINDS

# --- identifiers -----------------------------------------------------------------------------

#: Ids of figures: lower-case words joined by '-'.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
