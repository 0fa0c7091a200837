"""The article's figures: raw rows -> parsed figures -> derived figures -> tidy chart tables.

Every function takes and returns a DataFrame, so the build reads as one ``.pipe()`` chain.
Problems with a raw row raise :class:`~analysis.errors.RawDataError` naming file, row, column
and value.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.parse.period import parse_period
from analysis.parse.quantity import parse_quantity
from analysis.parse.stage import parse_stage_years
from analysis.sources.raw import read_raw_csv
from analysis.tables import TABLES

CLAIM_COLUMNS = TABLES["article_figures"].columns
_ID_RE = re.compile(v.ID_PATTERN)


# ---------------------------------------------------------------------------------------------
# raw rows


def read_claims(path: Path) -> pd.DataFrame:
    """The raw transcription, with every row checked: ids, topics, numbers, dates."""
    return read_raw_csv(path, name=paths.ARTICLE_FIGURES.name).pipe(check_rows, path)


def check_rows(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Refuse a raw row with a bad id, line, topic or a missing number or date (a repeated id is
    refused as the file is read, :func:`analysis.sources.raw.read_raw_csv`)."""
    for rec in raw.itertuples(index=False):
        if not _ID_RE.match(rec.id):
            raise RawDataError(path, rec.row, "id", rec.id, "ids are lower-case words joined by '-'")
        if not rec.line.isdigit() or int(rec.line) < 1:
            raise RawDataError(path, rec.row, "line", rec.line, "expected a positive whole number")
        if rec.topic not in v.TOPICS:
            raise RawDataError(path, rec.row, "topic", rec.topic, f"unknown topic (expected one of {sorted(v.TOPICS)})")
        if rec.population not in v.POPULATIONS:
            raise RawDataError(
                path,
                rec.row,
                "population",
                rec.population,
                f"unknown population (expected one of {list(v.POPULATIONS)})",
            )
        kind = v.TOPICS[rec.topic].kind
        if kind in (v.QUANTITY, v.STAGE_KIND) and not rec.number_text.strip():
            raise RawDataError(path, rec.row, "number_text", rec.number_text, f"a {rec.topic} figure needs a number")
        if kind == v.EVENT_KIND:
            if rec.number_text.strip():
                raise RawDataError(path, rec.row, "number_text", rec.number_text, "a history row is a date only")
            if not rec.date_text.strip():
                raise RawDataError(path, rec.row, "date_text", rec.date_text, "a history row needs a date")
        if not rec.measure.strip():
            raise RawDataError(path, rec.row, "measure", rec.measure, "every figure needs a measure")
    return raw


def _parse_row(rec, path: Path) -> dict:
    kind, units = v.TOPICS[rec.topic].kind, v.TOPICS[rec.topic].units
    out = {
        "id": rec.id,
        "basis": v.STATED,
        "topic": rec.topic,
        "category": rec.category or None,
        "measure": rec.measure,
        "population": rec.population,
        "value": None,
        "low": None,
        "high": None,
        "unit": v.DATE,
        "qualifier": None,
        "period_start": None,
        "period_end": None,
        "period_precision": None,
        "credited_to": rec.credited_to or None,
        "section": rec.section,
        "line": int(rec.line),
        "number_text": rec.number_text or None,
        "date_text": rec.date_text or None,
        "derivation": None,
        "note": rec.note or None,
    }
    if kind == v.QUANTITY:
        try:
            q = parse_quantity(rec.number_text)
        except ValueError as err:
            raise RawDataError(path, rec.row, "number_text", rec.number_text, str(err)) from None
        if q.unit not in units:
            raise RawDataError(
                path,
                rec.row,
                "number_text",
                rec.number_text,
                f"a {rec.topic} figure must be in {' or '.join(units)}, not {q.unit}",
            )
        if q.unit == v.PERCENT and not 0 <= q.low <= q.high <= 100:
            raise RawDataError(path, rec.row, "number_text", rec.number_text, "a share must lie within 0-100%")
        if q.unit != v.PERCENT and q.value <= 0:
            raise RawDataError(path, rec.row, "number_text", rec.number_text, "counts and durations must be positive")
        out.update(value=q.value, low=q.low, high=q.high, unit=q.unit, qualifier=q.qualifier)
    if rec.date_text.strip():
        try:
            p = parse_period(rec.date_text)
        except ValueError as err:
            raise RawDataError(path, rec.row, "date_text", rec.date_text, str(err)) from None
        out.update(period_start=p.start, period_end=p.end, period_precision=p.precision)
    return out


def parse_claims(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """One parsed row per quantity or date (stages go to :func:`stages`)."""
    rows = [_parse_row(rec, path) for rec in raw.itertuples(index=False) if rec.topic in v.FIGURE_TOPICS]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).pipe(check_dates, raw, path)


def check_dates(claims: pd.DataFrame, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Every period lies within the programme's life: from its founding to its replacement."""
    first, last = programme_life(claims)
    rows = dict(zip(raw["id"], raw["row"]))
    for rec in claims.itertuples(index=False):
        if rec.period_start is not None and not (first <= rec.period_start and rec.period_end <= last):
            raise RawDataError(
                path,
                rows[rec.id],
                "date_text",
                rec.date_text,
                f"outside the programme's life ({first} to {last}, rows 'founded' and 'replacement')",
            )
    return claims


def programme_life(claims: pd.DataFrame) -> tuple[date, date]:
    """From the start of the founding year to the end of the planned replacement's period."""
    by_id = claims.set_index("id")
    try:
        return by_id.at["founded", "period_start"], by_id.at["replacement", "period_end"]
    except KeyError as err:
        raise RawDataError(
            paths.ARTICLE_FIGURES,
            None,
            "id",
            err.args[0],
            "the rows dating the programme's founding and replacement are required",
        ) from None


# ---------------------------------------------------------------------------------------------
# derived figures


def carried_population(*inputs: pd.Series) -> str:
    """A derived figure counts the population of its inputs; inputs that differ leave it unstated.

    >>> carried_population(pd.Series({"population": "workers"}), pd.Series({"population": "workers"}))
    'workers'
    >>> carried_population(pd.Series({"population": "workers"}), pd.Series({"population": "residents"}))
    'unstated'
    """
    populations = {row["population"] for row in inputs}
    return populations.pop() if len(populations) == 1 else v.UNSTATED


def _derived(base: pd.Series, *inputs: pd.Series, **changes) -> dict:
    row = base.to_dict()
    row.update(
        basis=v.DERIVED,
        number_text=None,
        date_text=None,
        note=None,
        section=None,
        line=None,
        population=carried_population(base, *inputs),
    )
    row.update(changes)
    return row


def previous_total(claims: pd.DataFrame, total_id: str, growth_id: str, new_id: str, measure: str = "") -> dict:
    """The total a year before ``total_id`` implied by the growth rate ``growth_id`` (its measure
    ``measure``, else the total's measure 'a year earlier').

    total / (1 + growth): the low end uses the highest growth, the high end the lowest.
    """
    by_id = claims.set_index("id", drop=False)
    total, growth = by_id.loc[total_id], by_id.loc[growth_id]
    end = total["period_end"]
    year_before = end.replace(year=end.year - 1)
    return _derived(
        total,
        growth,
        id=new_id,
        qualifier=growth["qualifier"],
        value=total["value"] / (1 + growth["value"] / 100),
        low=total["low"] / (1 + growth["high"] / 100),
        high=total["high"] / (1 + growth["low"] / 100),
        period_start=year_before,
        period_end=year_before,
        period_precision=total["period_precision"],
        measure=measure or f"{total['measure']}, a year earlier",
        derivation=f"{total_id} / (1 + {growth_id}); interval from the two intervals",
    )


def share_of_count(claims: pd.DataFrame, share_id: str, count_id: str, new_id: str, measure: str) -> dict:
    """The count a share of a stated count implies (``almost half of 410,000``)."""
    by_id = claims.set_index("id", drop=False)
    share, count = by_id.loc[share_id], by_id.loc[count_id]
    return _derived(
        count,
        share,
        id=new_id,
        measure=measure,
        qualifier=share["qualifier"],
        value=share["value"] / 100 * count["value"],
        low=share["low"] / 100 * count["low"],
        high=share["high"] / 100 * count["high"],
        derivation=f"{share_id} x {count_id}; interval from the two intervals",
    )


def read_derived(path: Path, claims: pd.DataFrame) -> pd.DataFrame:
    """The claims the article implies (``derived.csv``), each refused unless both claims it is
    computed from are stated (``figures``, parsed) and its rule is known."""
    table = read_raw_csv(path, name=paths.ARTICLE_DERIVED.name)
    dated = dict(zip(claims["id"], claims["period_end"].notna()))
    for r in table.itertuples(index=False):
        if not _ID_RE.match(r.id):
            raise RawDataError(path, r.row, "id", r.id, "ids are lower-case words joined by '-'")
        if r.id in dated:
            raise RawDataError(path, r.row, "id", r.id, "a stated claim has this id already")
        if r.rule not in v.DERIVATIONS:
            raise RawDataError(path, r.row, "rule", r.rule, f"unknown rule (expected one of {list(v.DERIVATIONS)})")
        for column in ("base_id", "other_id"):
            if getattr(r, column) not in dated:
                raise RawDataError(path, r.row, column, getattr(r, column), "no stated claim has this id")
        if r.rule == v.PREVIOUS_TOTAL and not dated[r.base_id]:
            raise RawDataError(path, r.row, "base_id", r.base_id, "the total is undated: no year before it")
        if r.rule == v.SHARE_OF_COUNT and not r.measure.strip():
            raise RawDataError(path, r.row, "measure", r.measure, "say what the derived count counts")
    return table


def add_derived(claims: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """The claims the article implies but does not state, as :func:`read_derived` lists them.

    (A revision of the article may drop a claim one of them needs: ``make check-article`` then
    leaves that one out of its copy of the list.)
    """
    rows = [
        previous_total(claims, r.base_id, r.other_id, r.id, r.measure)
        if r.rule == v.PREVIOUS_TOTAL
        else share_of_count(claims, r.other_id, r.base_id, r.id, r.measure)
        for r in derived.itertuples(index=False)
    ]
    if not rows:
        return claims
    return pd.concat([claims, pd.DataFrame(rows, columns=CLAIM_COLUMNS)], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# tidy tables for the charts


def intern_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Technical interns in Japan by date: stated and derived totals."""
    return (
        claims.loc[claims["topic"].eq(v.PARTICIPATION)]
        .loc[:, TABLES["intern_counts"].columns]
        .sort_values(["period_end", "id"])
        .reset_index(drop=True)
    )


def totals_for(share: pd.Series, totals: pd.DataFrame) -> pd.DataFrame:
    """Stated totals dated within the share's own period (none for an undated share)."""
    if share["period_start"] is None or pd.isna(share["period_start"]):
        return totals.iloc[0:0]
    within = totals["period_end"].ge(share["period_start"]) & totals["period_end"].le(share["period_end"])
    return totals.loc[within & totals["basis"].eq(v.STATED)]


def share_counts(shares: pd.DataFrame, totals: pd.DataFrame, label: str) -> pd.DataFrame:
    """Add the count each share implies where a total of the same date exists; say why not where not."""
    counts, notes = [], []
    for _, share in shares.iterrows():
        match = totals_for(share, totals)
        if share["period_start"] is None or pd.isna(share["period_start"]):
            counts.append((None, None, None))
            notes.append(f"no count derived: the {label} share is undated")
        elif len(match) != 1:
            counts.append((None, None, None))
            notes.append(
                f"no count derived: the article states no single intern total dated within "
                f"{share['period_start']} to {share['period_end']}"
            )
        else:
            total = match.iloc[0]
            counts.append(
                (
                    share["value"] / 100 * total["value"],
                    share["low"] / 100 * total["low"],
                    share["high"] / 100 * total["high"],
                )
            )
            notes.append(f"count = share x {total['id']}")
    count_frame = pd.DataFrame(counts, columns=["count", "count_low", "count_high"], index=shares.index)
    return shares.join(count_frame.astype("Float64")).assign(count_note=notes)


def with_remainder(shares: pd.DataFrame, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Add an 'Other' row per period for what the stated shares leave; refuse sums over 100%."""
    rows = dict(zip(raw["id"], raw["row"]))
    others = []
    for (start, end), group in shares.groupby(["period_start", "period_end"], sort=True, dropna=False):
        total = group["value"].sum()
        if total > 100:
            ids = ", ".join(group["id"])
            raise RawDataError(
                path,
                rows[group["id"].iloc[-1]],
                "number_text",
                group["number_text"].iloc[-1],
                f"nationality shares for {start} to {end} ({ids}) sum to {total:g}%, over 100%",
            )
        others.append(
            {
                "id": "share-other-" + "-".join(group["id"].str.removeprefix("share-")),
                "basis": v.REMAINDER,
                "period_start": start,
                "period_end": end,
                "category": v.OTHER_NATIONALITY,
                "value": 100 - total,
                "low": max(0.0, 100 - group["high"].sum()),
                "high": 100 - group["low"].sum(),
                "qualifier": v.NO_HEDGE,
                "number_text": None,
            }
        )
    return pd.concat([shares, pd.DataFrame(others)], ignore_index=True)


def nationality_shares(claims: pd.DataFrame, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Share of interns by nationality with the remainder as 'Other', and counts where possible."""
    shares = claims.loc[
        claims["topic"].eq(v.NATIONALITY),
        ["id", "basis", "period_start", "period_end", "category", "value", "low", "high", "qualifier", "number_text"],
    ]
    return (
        shares.pipe(with_remainder, raw, path)
        .pipe(share_counts, intern_counts(claims), "nationality")
        .rename(
            columns={"category": "nationality", "value": "share", "low": "share_low", "high": "share_high"},
            errors="raise",
        )
        .drop(columns=["number_text"])
    )


def industry_shares(claims: pd.DataFrame) -> pd.DataFrame:
    """Share of trainees by industry, with counts where a total of the same date exists."""
    shares = claims.loc[
        claims["topic"].eq(v.INDUSTRY),
        [
            "id",
            "basis",
            "period_start",
            "period_end",
            "category",
            "value",
            "low",
            "high",
            "qualifier",
            "measure",
            "credited_to",
            "note",
        ],
    ]
    return shares.pipe(share_counts, intern_counts(claims), "industry").rename(
        columns={"category": "industry", "value": "share", "low": "share_low", "high": "share_high"}, errors="raise"
    )


def stages(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The programme's stages: which years of the programme each level covers."""
    rows = []
    for rec in raw.loc[raw["topic"].eq(v.STAGE)].itertuples(index=False):
        try:
            first, last = parse_stage_years(rec.number_text)
        except ValueError as err:
            raise RawDataError(path, rec.row, "number_text", rec.number_text, str(err)) from None
        rows.append(
            {
                "id": rec.id,
                "level": rec.category,
                "first_year": first,
                "last_year": last,
                "years": last - first + 1,
                "number_text": rec.number_text,
            }
        )
    columns = ["id", "level", "first_year", "last_year", "years", "number_text"]
    table = pd.DataFrame(rows, columns=columns).sort_values("first_year").reset_index(drop=True)
    return table.assign(stage=range(1, len(table) + 1))[TABLES["stages"].columns]


# ---------------------------------------------------------------------------------------------
# the article's text


def read_article_text(path: Path) -> str:
    """The article's text, after its checksum is verified against the folder's provenance record."""
    from analysis.sources.provenance import verify_checksums
    from analysis.sources.raw import read_text

    verify_checksums(Path(path).parent)
    return read_text(path)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def sentence_spans(line: str) -> list[tuple[int, int]]:
    """Where each sentence of a line starts and ends (columns from 0, end excluded).

    >>> sentence_spans("In 2019, X. In 2020, Y rose.")
    [(0, 11), (12, 28)]
    """
    spans, start = [], 0
    for gap in _SENTENCE_END.finditer(line):
        spans.append((start, gap.start()))
        start = gap.end()
    return [*spans, (start, len(line))]


def sentence_at(text: str, line: int, *phrases: str) -> str:
    """The sentence on ``line`` (from 1) holding every phrase given, as written; where no one sentence
    holds them all (a figure dated by the sentence before it), the fewest sentences in a row that do.

    >>> sentence_at("Title\\nIn 2019, X. In 2020, Y rose.", 2, "Y")
    'In 2020, Y rose.'
    >>> sentence_at("- July 2010 – Revision of the Act.", 1, "July 2010")
    '- July 2010 – Revision of the Act.'
    >>> sentence_at("A. In 2019, X died. Also 7 cases. B.", 1, "7", "In 2019")
    'In 2019, X died. Also 7 cases.'
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        raise ValueError(f"the article has no line {line}")
    wanted = [p for p in phrases if p]
    stripped = lines[line - 1].strip()
    spans = sentence_spans(stripped)
    for size in range(1, len(spans) + 1):
        for first in range(len(spans) - size + 1):
            run = stripped[spans[first][0] : spans[first + size - 1][1]]
            if all(p in run for p in wanted):
                return run
    raise ValueError(f"no sentence on line {line} holds {wanted}")
