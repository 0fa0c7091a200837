"""Rules for words: each published sentence true as written (issue 19).

Every rule is a pure function over one sentence (and, where the rule needs them, the facts from
the tables), returning what breaks it: an empty list (or ``True``) when the sentence keeps the
rule. ``tests/test_words.py`` runs each rule over every generated sentence: the processed tables'
text columns, the README's and the docs pages' generated sections, the site's claim cards, the
charts' metadata and the notebooks' readings.

Rules that need data (a scope, an interval, a population, a basis) take their facts from the
tables; a rule that can only be checked on the words says so in its docstring.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import fmt
from analysis import vocabulary as v
from analysis.cite import quoting_hosts

# ---------------------------------------------------------------------------------------------
# sentences


#: A quotation (the article's words, an official label): not the project's own words.
_QUOTED = re.compile(r"(?<![\w])'[^']*'(?![\w])|(?<!\*)\*(?![*\s])[^*\n]+(?<![*\s])\*(?!\*)")
#: A web address or a code span: names, not words.
_NAMES = re.compile(r"<?https?://[^\s>]*>?|`[^`]*`")


def without_quotes(text: str) -> str:
    """The project's own words: quoted phrases (in single quotes, or in italics) left out.

    >>> without_quotes("The official record dates it 1 July 2010 ('Residence status ... Act'), within.")
    'The official record dates it 1 July 2010 (), within.'
    >>> without_quotes("- **`a`** (line 14): *In 2017, China ...* <https://x.org/ranks-second>")
    '- **** (line 14):  '
    """
    return _QUOTED.sub("", _NAMES.sub("", text))


def sentences(text: str) -> list[str]:
    """The sentences of a text: split at a full stop, question or exclamation mark followed by a
    capital, and at line breaks (list items, table rows).

    >>> sentences("One 1.5% rise. Two at 3,000; three.\\n- Four")
    ['One 1.5% rise.', 'Two at 3,000; three.', '- Four']
    """
    out = []
    for line in text.splitlines():
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(`*-])", line) if s.strip()]
    return out


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: the parts between semicolons.

    >>> clauses("a 1; b 2")
    ['a 1', 'b 2']
    """
    return [c.strip() for c in sentence.split(";")]


def number_text(value: float, unit: str) -> list[str]:
    """How a figure can be written in prose, as the project writes it: a count with thousands
    commas, a share with two decimals and rounded to one.

    >>> number_text(411968.0, "count"), number_text(53.0868, "percent")
    (['411,968'], ['53.09%', '53.1%'])
    """
    if unit == v.PERCENT:
        return [fmt.share(value, 2), fmt.share(value, 1)]
    return [fmt.value(value, unit)]


def mentions(sentence: str, written: str) -> bool:
    """Whether a sentence states the figure ``written``, not merely a longer number that holds it.

    >>> mentions("was 45.1% at", "45.1%"), mentions("was 145.1% at", "45.1%"), mentions("1,2345", "1,234")
    (True, False, False)
    """
    return re.search(rf"(?<![\d.,]){re.escape(written)}(?![\d])(?!,\d)", sentence) is not None


# ---------------------------------------------------------------------------------------------
# 1. superlatives and ranks hold over the scope they name


#: Superlatives whose scope a sentence must name: a value is "nearest" over some set of values.
SUPERLATIVES = ("nearest", "closest", "largest", "biggest", "smallest")
#: A rank among several ("second largest", "ranks China first").
_RANK = re.compile(r"\b(?:second|third|fourth|fifth)[ -](?:largest|biggest|highest)\b|\branks?\b", re.IGNORECASE)
#: The words that name a superlative's scope, in the project's controlled phrasing.
SCOPES = (
    "over every date",
    "at any date",
    "at the date chosen",
    "at the set's date",
    "in time",
    "among every nationality named",
    "among the nationalities named",
    "at the dates where",
)
_SCOPE_OF_DATES = re.compile(r"\bof the \d+ dates\b")
#: One stated date ("at the end of 2015", "in the second half of 2016", "at the end of June 2025").
_AT_A_DATE = re.compile(
    r"\b(?:at the end of|in the (?:first|second) half of|in)\s+(?:(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\s+)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def unscoped_superlatives(sentence: str) -> list[str]:
    """The superlatives and ranks of a sentence that name no scope (:data:`SCOPES`).

    On the words only: whether the superlative then holds over the scope named is a rule on the
    data (:func:`nearest_holds`, :func:`extreme_holds`).

    >>> unscoped_superlatives("The nearest official value is 10.23% at the end of June 2017.")
    ['nearest']
    >>> unscoped_superlatives("The nearest, over every date, is 9.11% at the end of June 2019.")
    []
    >>> unscoped_superlatives("It ranks Indonesia second.")
    ['ranks']
    >>> unscoped_superlatives("At the end of 2015, China was the largest source of interns.")
    []
    >>> unscoped_superlatives("The nearest official value is at the end of 2015.")
    ['nearest']
    """
    found = [w for w in SUPERLATIVES if re.search(rf"\b{w}\b", sentence, re.IGNORECASE)]
    found += [m.group(0) for m in _RANK.finditer(sentence)]
    if not found:
        return []
    scoped = any(s in sentence for s in SCOPES) or _SCOPE_OF_DATES.search(sentence)
    if not scoped and _AT_A_DATE.search(sentence):
        # a size or rank among the nationalities at one stated date names its scope: that date (the
        # primary table itemises every nationality; chart 02's and the findings' tests hold the
        # ranks to it); "nearest" still needs its own scope, as a date does not say nearest of what
        found = [w for w in found if w.lower() in ("nearest", "closest")]
    return [] if scoped else found


def nearest_holds(chosen: float, values: pd.Series, low: float, high: float) -> bool:
    """Whether ``chosen`` lies nearest to the interval ``low``-``high`` of all ``values`` (a rule on
    the data: the sentence says "nearest, over every date", so no other date's value may be nearer).

    >>> values = pd.Series([10.23, 9.11, 8.0])
    >>> nearest_holds(10.23, values, 9.15, 9.25), nearest_holds(9.11, values, 9.15, 9.25)
    (False, True)
    """
    gap = (values - high).clip(lower=0) + (low - values).clip(lower=0)
    own = max(chosen - high, 0) + max(low - chosen, 0)
    return bool(own <= gap.min() + 1e-12)


def extreme_holds(sentence: str, word: str, values: pd.Series, unit: str = v.COUNT) -> bool:
    """Whether the figure a sentence calls ``word`` ("highest", "lowest") is the series' extreme
    (a rule on the data: the sentence names its scope as "its", the series it describes).

    >>> s = "its highest is 456,595, at the end of 2024"
    >>> extreme_holds(s, "highest", pd.Series([1.0, 456595.0])), extreme_holds(s, "highest", pd.Series([5e5]))
    (True, False)
    """
    if word not in sentence:
        return True
    extreme = values.max() if word == "highest" else values.min()
    return any(mentions(sentence.split(word, 1)[1], w) for w in number_text(extreme, unit))


# ---------------------------------------------------------------------------------------------
# 2. every share and count names its population as the data declare it


def _negated(clause: str, at: int) -> bool:
    return bool(re.search(r"\bnot (?:of )?$", clause[max(0, at - 8) : at]))


def misnamed_population(sentence: str, written: str, population: str) -> list[str]:
    """The populations other than its own (:data:`analysis.vocabulary.POPULATIONS`) that a clause
    stating the figure ``written`` names, unless it names them to deny them ("not of ...").

    The figure's population comes from the tables; the clause is read on the words.

    >>> s = "411,968 Vietnamese trainees resident in Japan at the end of 2019"
    >>> misnamed_population(s, "411,968", "all_residents")
    ['trainees resident in Japan']
    >>> misnamed_population("18.8% is a share of approved training plans, not of trainees resident in Japan",
    ...     "18.8%", "plans")
    []
    """
    wrong = []
    for clause in clauses(sentence):
        if not mentions(clause, written):
            continue
        for name in v.POPULATIONS:
            if name in (population, v.OTHER_POPULATION, v.UNSTATED):
                continue
            noun = v.POPULATIONS[name].noun
            wrong += [noun for m in re.finditer(re.escape(noun), clause) if not _negated(clause, m.start())]
    return wrong


# ---------------------------------------------------------------------------------------------
# 3. a comparison holds over the claim's whole interval, or is hedged


#: Multiples that must carry a hedge or a bound.
_MULTIPLE = re.compile(r"\b(twice|three times|four times|five times)\b")
#: Words that hedge or bound a multiple.
HEDGES = ("about", "almost", "nearly", "more than", "less than", "at least", "over", "under", "roughly")


def unhedged_multiples(sentence: str) -> list[str]:
    """Multiples ("twice") stated flat: the claim is an interval, so a multiple is hedged ("about
    twice") or bounded ("more than twice", which :func:`analysis.publish.text.multiple` gives only
    where the low end allows it). On the words only.

    >>> unhedged_multiples("42% is twice 20.3%"), unhedged_multiples("42% is about twice 20.3%")
    (['twice'], [])
    """
    out = []
    for m in _MULTIPLE.finditer(sentence):
        before = sentence[: m.start()].rstrip()
        if not before.endswith(HEDGES):
            out.append(m.group(1))
    return out


def exceeds_holds(sentence: str) -> bool:
    """A part said to exceed its whole "at every date compared" does so from the low end of its
    interval: every share listed after "compared:" lies below the claim's low end. On the words,
    which state both the interval and the values.

    >>> exceeds_holds("the claim (39.9% to 44.1%) exceeds ... at every date compared: 20.03%; 20.29%.")
    True
    >>> exceeds_holds("the claim (39.9% to 44.1%) exceeds ... at every date compared: 40.5%.")
    False
    """
    m = re.search(r"\(([\d.]+)% to [\d.]+%\) exceeds .*? at every date compared: (.*?)\.(?:\s|$)", sentence)
    if not m:
        return True
    low = float(m.group(1))
    shares = [float(x) for x in re.findall(r"([\d.]+)%", m.group(2))]
    return bool(shares) and all(x < low for x in shares)


# ---------------------------------------------------------------------------------------------
# 4. a flow over a fiscal year is written as a fiscal year


def fiscal_written(sentence: str, written: str, end) -> list[str]:
    """What is wrong with a sentence stating ``written``, a flow over the fiscal year ending at
    ``end``: written as a point date ("the end of March 2020") or with no "fiscal" in its clause.
    The figure's period comes from the tables.

    >>> fiscal_written("18.8% at the end of March 2020", "18.8%", "2020-03-31")
    ['the end of March 2020', 'no fiscal year']
    >>> fiscal_written("18.8% in fiscal 2019", "18.8%", "2020-03-31")
    []
    """
    year = pd.Timestamp(end).year
    wrong = []
    for clause in clauses(sentence):
        if not mentions(clause, written):
            continue
        point = f"the end of March {year}"
        if point in clause:
            wrong.append(point)
        if "fiscal" not in clause:
            wrong.append("no fiscal year")
    return wrong


def called_official(sentence: str, written: str) -> bool:
    """Whether a sentence presents the figure ``written`` as "Official" (for a count whose
    publisher is not an official body, which the tables say). On the words.

    >>> called_official("Official: seafood processing, 8.1% in fiscal 2016.", "8.1%")
    True
    """
    return sentence.startswith("Official") and mentions(sentence, written)


# ---------------------------------------------------------------------------------------------
# 5./6. a figure is credited to its publisher, "computed from" where computed; a quote says so


def credit_holds(said: str, basis: str, sources=None, single_source: bool = False, publisher: str = "") -> list[str]:
    """What a credit (the words after a figure naming where it comes from) leaves out: "computed
    from" for a figure the project computed from a body's figures, "as quoted by" for one seen on
    quoting pages, "single source" where the tables flag one. The basis, pages, flag and publisher
    come from the tables; a figure no body published (the publisher is a phrase such as "as the
    sources say", the figure read off the sources' words) is credited to its page.

    >>> credit_holds("Ministry of Justice", "derived", publisher="Ministry of Justice")
    ['computed from']
    >>> credit_holds("computed from the Ministry of Justice's figures", "derived", publisher="Ministry of Justice")
    []
    """
    wrong = []
    named = publisher[:1].isupper()
    if basis == v.DERIVED and named and "computed from" not in said:
        wrong.append("computed from")
    if quoting_hosts(sources) and not said[:1].islower() and "as quoted by" not in said:
        wrong.append("as quoted by")
    if single_source and "single source" not in said:
        wrong.append("single source")
    return wrong


# ---------------------------------------------------------------------------------------------
# 7. a derived figure is always marked derived


def derived_unmarked(sentence: str, written: str) -> list[str]:
    """What is wrong with a sentence giving ``written``, a figure the project derived from the
    article's (the tables say which): it must say "derived" or "computed" and must not give it as
    "the article's".

    >>> derived_unmarked("The article's about 167,500 for the end of 2014 is consistent.", "about 167,500")
    ['not marked derived', "called the article's"]
    >>> derived_unmarked("about 167,500 (derived): consistent", "about 167,500")
    []
    """
    if written not in sentence:
        return []
    wrong = []
    if not re.search(r"\bderived\b|\bcomputed\b|\bimplie[sd]\b", sentence):
        wrong.append("not marked derived")
    if f"article's {written}" in sentence:
        wrong.append("called the article's")
    return wrong


def article_count_holds(sentence: str, stated: int, every: int) -> bool:
    """A count of "the article's N" figures or claims is the number it states (``stated``), or,
    said as what it "states or implies", every one including the derived (``every``). The counts
    come from the tables.

    >>> article_count_holds("the article's 14 numeric claims", 12, 14)
    False
    >>> article_count_holds("the 14 numeric claims the article states or implies", 12, 14)
    True
    """
    ok = True
    for m in re.finditer(r"\barticle's (\d+) (?:numeric )?(?:claims|figures)\b", sentence):
        ok &= int(m.group(1)) == stated
    return ok


# ---------------------------------------------------------------------------------------------
# 8. counts add up to the total a sentence states


_PART = re.compile(
    r"(?<![\w.,(-])(\d+) (?=(?:are |have |with |cannot |agree|disagree|contradict|" + "|".join(v.STATUSES) + "))"
)


def counts_add_up(sentence: str) -> bool:
    """Whether the parts a sentence counts ("15 consistent, 4 misdated ...") add up to the total
    it states ("Of the 27 figures ...", "covers 3 cases: ..."). The total is the last number before
    a colon, or the number after a leading "Of"; parentheses are left out. On the words only.

    >>> counts_add_up("Of the 27 figures (25 stated, 2 derived): 15 consistent, 4 misdated, 2 inconsistent, 6 unverifiable.")
    True
    >>> counts_add_up("The last status covers 3 cases: 4 with no figure, 1 with another date and 1 with another population.")
    False
    >>> counts_add_up("14 of the 17 claims: 6 agree, 4 are misdated, 2 contradict and 2 cannot be checked")
    True
    >>> counts_add_up("Of the 49 figures, 47 agree with the table, 2 disagree with it and 0 have no counterpart.")
    True
    """
    for clause in clauses(re.sub(r"\([^)]*\)", "", sentence)):
        head, colon, tail = clause.partition(":")
        if colon:
            of = re.search(r"(?<![\w.,-])(\d+) of the \d+\b", head)
            totals = [of.group(1)] if of else re.findall(r"(?<![\w.,-])(\d+)(?![\w.,-])", head)
            if not totals:
                continue
            total, parts = int(totals[-1]), [int(x) for x in _PART.findall(tail)]
        else:
            m = re.match(r"(?:Of|of) (?:the |all |the article's )?(\d+)\b", clause)
            if not m:
                continue
            total, parts = int(m.group(1)), [int(x) for x in _PART.findall(clause[m.end() :])]
        if parts and sum(parts) != total:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# 9. relative differences and percentage points are never written alike


def ambiguous_differences(sentence: str) -> list[str]:
    """Differences written so that a relative difference reads like percentage points: a signed
    percentage set against another ("-28.2% from 41.63%"). A relative difference is written
    "28% below 41.63%" and a difference in points "12 percentage points". On the words only.

    >>> ambiguous_differences("-28.2% from 41.63%"), ambiguous_differences("28% below 41.63%")
    (['-28.2% from 41.63%'], [])
    """
    pattern = r"[-+−]\d[\d.,]*% (?:from|than|on|of|against) [\d.,]+%"
    return re.findall(pattern, sentence) + re.findall(r"\d[\d.,]* percent points?\b", sentence)


# ---------------------------------------------------------------------------------------------
# the facts the rules read


def cited_rows(reconciliation: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The reconciliation's rows that rest on an official figure, each with that figure's row of
    the official table (its ``basis``, ``sources`` and ``single_source`` as ``*_official``), by
    label, population, period and value. A reference the table does not hold is an error.

    >>> rec = pd.DataFrame({"claim_id": ["a"], "reference_label": ["x"], "reference_population": ["p"],
    ...     "reference_period": ["2019-12-31"], "reference_value": [1.0]})
    >>> official = pd.DataFrame({"label": ["x"], "population": ["p"], "period_start": ["2019-12-31"],
    ...     "period_end": ["2019-12-31"], "value": [1.0], "basis": ["derived"], "sources": ["u"],
    ...     "single_source": [False]})
    >>> cited_rows(rec, official)[["claim_id", "basis_official"]].values.tolist()
    [['a', 'derived']]
    """
    rec = reconciliation.dropna(subset=["reference_value"])
    start, end = official["period_start"].map(fmt_date), official["period_end"].map(fmt_date)
    keyed = official.assign(period=start.where(start.eq(end), start + " to " + end))
    keyed = keyed[["label", "population", "period", "value", "basis", "sources", "single_source"]]
    merged = rec.merge(
        keyed.add_suffix("_official"),
        left_on=["reference_label", "reference_population", "reference_period", "reference_value"],
        right_on=["label_official", "population_official", "period_official", "value_official"],
        how="left",
        validate="many_to_one",
    )
    missing = merged[merged["basis_official"].isna()]
    if len(missing):
        raise ValueError(f"publish: reconciliation, claim {missing['claim_id'].iloc[0]}: no official row cited")
    return merged


def fmt_date(value) -> str:
    """A date as the reconciliation writes it (ISO).

    >>> fmt_date("2019-12-31T00:00:00")
    '2019-12-31'
    """
    return str(pd.Timestamp(value).date())
