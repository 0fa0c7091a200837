"""pandera schemas generated from the one declaration in :mod:`analysis.tables`.

Every processed table is checked with its schema when the build writes it and again when
:mod:`analysis.data` reads it back, so a table on disk is always what its declaration says.
The table-wide checks named in the declaration are defined here, one function each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pandas as pd
import pandera.pandas as pa

from analysis import tables
from analysis import vocabulary as v

#: pandas dtypes of the declared field types (nullable integers stay integers).
DTYPES = {"string": str, "number": float, "date": "datetime64[ns]", "boolean": bool}


def _dtype(f: tables.Field):
    if f.type == "integer":
        return int if f.required else pd.Int64Dtype()
    return DTYPES[f.type]


def _column_checks(f: tables.Field) -> list[pa.Check]:
    checks = []
    if f.enum is not None:
        checks.append(pa.Check.isin(list(f.enum)))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(f.pattern))
    return checks


def column(f: tables.Field) -> pa.Column:
    """The pandera column of a declared field."""
    return pa.Column(
        _dtype(f),
        checks=_column_checks(f),
        nullable=not f.required,
        unique=f.unique,
        description=f.description,
        title=f.name,
        metadata={"unit": f.unit} if f.unit else None,
    )


# ---------------------------------------------------------------------------------------------
# table-wide checks, by the name the declaration uses


def _ordered(df: pd.DataFrame, low: str, value: str, high: str) -> pd.Series:
    known = df[value].notna()
    return ~known | (df[low].le(df[value]) & df[value].le(df[high]))


def _period_ordered(df: pd.DataFrame, start: str, end: str) -> pd.Series:
    return df[start].isna() | df[start].le(df[end])


def _shares_in_range(df: pd.DataFrame) -> pd.Series:
    return df["unit"].ne(v.PERCENT) | (df["low"].ge(0) & df["high"].le(100))


def _value_iff_quantity(df: pd.DataFrame) -> pd.Series:
    return df["value"].notna() == df["unit"].ne(v.DATE)


def _counts_positive(df: pd.DataFrame) -> pd.Series:
    return ~df["unit"].isin([v.COUNT, v.YEARS]) | df["value"].gt(0)


def _derived_explained(df: pd.DataFrame) -> pd.Series:
    return df["basis"].ne(v.DERIVED) | df["derivation"].notna()


def _shares_sum(df: pd.DataFrame) -> pd.Series:
    sums = df.groupby(df["period_end"].astype(str))["share"].transform("sum")
    return sums.le(100 + 1e-9)


def _contiguous(df: pd.DataFrame) -> pd.Series:
    return df["first_year"].eq(df["last_year"].shift(1, fill_value=0) + 1)


def _official_counts_positive(df: pd.DataFrame) -> pd.Series:
    # a nationality may count no one at a date (the table writes 0); a total never does
    total = ~df["series"].str.contains(":", regex=False)
    return df["unit"].ne(v.COUNT) | df["value"].gt(0) | (~total & df["value"].eq(0))


def _official_shares_in_range(df: pd.DataFrame) -> pd.Series:
    share = df["unit"].eq(v.PERCENT) & df["series"].ne("stock-growth")
    return ~share | (df["low"].ge(0) & df["high"].le(100))


def _checked_has_series(df: pd.DataFrame) -> pd.Series:
    return df["status"].eq(v.UNVERIFIABLE) | df["series"].notna()


def _agreeing_has_reference(df: pd.DataFrame) -> pd.Series:
    return ~df["status"].isin([v.CONSISTENT, v.MISDATED]) | df["reference_period"].notna()


def _sources_are_urls(df: pd.DataFrame) -> pd.Series:
    return df["sources"].map(
        lambda s: bool(s.split()) and all(u.startswith(("http://", "https://")) for u in s.split())
    )


def _quote_verdicts(df: pd.DataFrame) -> pd.Series:
    within = df["table_value"].ge(df["quoted_low"]) & df["table_value"].le(df["quoted_high"])
    expected = within.map({True: v.AGREES, False: v.DISAGREES}).where(df["table_value"].notna(), v.NOT_IN_TABLE)
    return df["verdict"].eq(expected)


CHECKS: dict[str, Callable[..., pd.Series]] = {
    "ordered": _ordered,
    "period_ordered": _period_ordered,
    "shares_in_range": _shares_in_range,
    "value_iff_quantity": _value_iff_quantity,
    "counts_positive": _counts_positive,
    "derived_explained": _derived_explained,
    "shares_sum": _shares_sum,
    "contiguous": _contiguous,
    "official_counts_positive": _official_counts_positive,
    "official_shares_in_range": _official_shares_in_range,
    "checked_has_series": _checked_has_series,
    "agreeing_has_reference": _agreeing_has_reference,
    "sources_are_urls": _sources_are_urls,
    "quote_verdicts": _quote_verdicts,
}


def _check(c: tables.Check) -> pa.Check:
    fn = CHECKS[c.name]
    return pa.Check(lambda df, fn=fn, columns=c.columns: fn(df, *columns), name=c.name, description=c.description)


@cache
def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of the processed table ``name`` (e.g. ``"intern_counts"``).

    >>> list(schema("stages").columns)[:3]
    ['id', 'stage', 'level']
    """
    table = tables.TABLES[name]
    return pa.DataFrameSchema(
        {f.name: column(f) for f in table.fields},
        checks=[_check(c) for c in table.checks],
        unique=list(table.primary_key) if len(table.primary_key) > 1 else None,
        strict=True,
        ordered=True,
        coerce=True,
        name=table.file,
        description=table.description,
    )
