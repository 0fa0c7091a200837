"""The official series read from the primary table, and the quoted figures held to it.

The primary table is the Immigration Services Agency's "Statistics on Foreign Residents", table
01 (nationality x status of residence), as e-Stat serves it for download
(``data/raw/official/estat/``, read by :mod:`analysis.sources.estat`). From it come, at every date
it covers:

* ``stock``: all technical intern trainees (the six 技能実習 columns of the 総数 row);
* ``stock-nationality:<name>``: the trainees of each nationality the project names
  (:data:`analysis.vocabulary.NATIONALITIES`), and of every other nationality together
  (``Other``), so that no date is left "not itemised";
* ``all-residents:<name>``: every resident of that nationality, whatever the status (総数);
* ``skilled-workers`` and ``skilled-workers-nationality:<name>``: Specified Skilled Workers
  (特定技能 i and ii), from the first date the table gives them.

The figures that news and trade pages quoted from the same releases (``stock.csv``,
``stock_by_nationality.csv``, ``vietnamese_in_japan.csv``) are held to the table: each is listed
in ``quoted_figures`` beside the table's figure for the same date and population, and where the
table has that figure the quote leaves the official series, since the table stands over it.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis import paths
from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.sources import estat
from analysis.tables import ESTAT, TABLES

#: The folder of the official set that holds the download of the primary table, and its names.
FOLDER = ESTAT.folder
PATTERN = f"FEH_{ESTAT.statistics_code}_*.csv"
#: How rows of the primary table credit it: the body, the portal, and the citation.
PUBLISHER = ESTAT.publisher.split(" (")[0]
SOURCE = re.search(r"https://[^)\s]+", ESTAT.portal)[0]
CITATION = (
    f"{PUBLISHER}, '{ESTAT.statistics}', table {ESTAT.table_number}, via e-Stat; figures processed by this project"
)
#: The series a quoted figure stands for in the table (a glob over quoted series -> the table's id;
#: ``*`` keeps the quoted id).
QUOTED_AS = (
    ("stock", "stock"),
    ("stock-nationality:*", "*"),
    ("residents:all Vietnamese residents", "all-residents:Vietnam"),
)
QUOTED_COLUMNS = TABLES["quoted_figures"].columns


def table_path(folder: Path = paths.RAW_OFFICIAL) -> Path | None:
    """The one download of the primary table in the official folder (None if the set has none)."""
    found = sorted((Path(folder) / FOLDER).glob(PATTERN))
    if len(found) > 1:
        raise RawDataError(
            found[1], None, None, found[1].name, f"a second download of the primary table beside {found[0].name}"
        )
    return found[0] if found else None


def _row(frame_row, *, series: str, label: str, population: str, path: Path, note: str) -> dict:
    end = frame_row.period_end
    return dict(
        series=series,
        label=label,
        population=population,
        kind=(v.YEAR_END if end.month == 12 else v.MID_YEAR) if series == "stock" else "stock",
        period_start=end,
        period_end=end,
        period_precision="day",
        value=float(frame_row.value),
        low=float(frame_row.value),
        high=float(frame_row.value),
        unit=v.COUNT,
        published_as=v.EXACT,
        basis=v.PUBLISHED,
        publisher=PUBLISHER,
        single_source=False,
        sources=SOURCE,
        note=note,
        source_file=f"{FOLDER}/{path.name}",
        source_row=int(frame_row.line),
    )


def check_named(trainees: pd.DataFrame, path: Path) -> None:
    """Refuse a table in which a nationality reaches :data:`~analysis.vocabulary.NAMED_SHARE` of the
    trainees at some date but has no declared name."""
    totals = trainees[trainees["area_kind"].eq("total")].set_index("period_end")["value"]
    leaves = trainees[trainees["area_kind"].eq("nationality") & ~trainees["area_code"].isin(list(v.NATIONALITIES))]
    share = 100 * leaves["value"].astype("Float64") / leaves["period_end"].map(totals).astype("Float64")
    over = leaves[share.fillna(0).ge(v.NAMED_SHARE)]
    if len(over):
        r = over.iloc[0]
        raise RawDataError(
            path,
            int(r.line),
            "国籍・地域",
            f"{r.area_code} {r.area}",
            f"holds {v.NAMED_SHARE}% or more of the trainees at {r.period_end}, but has no English name in "
            "analysis.vocabulary.NATIONALITIES",
        )


def by_nationality(counts: pd.DataFrame, prefix: str, population: str, path: Path, what: str) -> list[dict]:
    """The named nationalities' rows, and every other nationality summed into ``Other``, at every date."""
    out = []
    totals = counts[counts["area_kind"].eq("total")].set_index("period_end")
    leaves = counts[counts["area_kind"].eq("nationality")]
    named = leaves["area_code"].isin(list(v.NATIONALITIES))
    given = {code: rows for code, rows in leaves[named].dropna(subset=["value"]).groupby("area_code", sort=False)}
    for code, name in v.NATIONALITIES.items():
        for r in given[code].itertuples(index=False) if code in given else ():
            out.append(
                _row(
                    r,
                    series=f"{prefix}:{name}",
                    label=f"{what} from {name}",
                    population=population,
                    path=path,
                    note=f"e-Stat table 01, row {r.area_code} {r.area}",
                )
            )
    rest = leaves[~named]
    summed = rest.groupby("period_end", sort=True)["value"].sum(min_count=1).dropna()
    rows_at = rest["period_end"].value_counts()
    for end, value in summed.items():
        out.append(
            _row(
                SimpleNamespace(period_end=end, value=value, line=totals.loc[end, "line"]),
                series=f"{prefix}:{v.OTHER_NATIONALITY}",
                label=f"{what} of every other nationality",
                population=population,
                path=path,
                note=f"every nationality not named, summed (the 総数 row less the named ones: {rows_at[end]} rows)",
            )
        )
    return out


def totals(counts: pd.DataFrame, series: str, label: str, population: str, path: Path, columns: str) -> list[dict]:
    """The 総数 row of a status at every date the table gives it, as rows of ``series``."""
    rows = counts[counts["area_kind"].eq("total")].dropna(subset=["value"])
    note = f"the {columns} columns of the 総数 row, summed"
    return [
        _row(r, series=series, label=label, population=population, path=path, note=note)
        for r in rows.itertuples(index=False)
    ]


def read_primary(folder: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Every series the primary table gives, as rows of ``official_series`` (empty if the set has no table)."""
    path = table_path(folder)
    columns = TABLES["official_series"].columns
    if path is None:
        return pd.DataFrame(columns=columns)
    table = estat.read_estat(path)
    trainees = estat.trainees(table)
    check_named(trainees, path)
    skilled = estat.specified_skilled(table)
    residents = estat.all_residents(table)
    rows = totals(trainees, "stock", "technical intern trainees", v.RESIDENTS, path, "six 技能実習")
    rows += by_nationality(trainees, "stock-nationality", v.RESIDENTS, path, "technical intern trainees")
    rows += by_nationality(residents, "all-residents", v.ALL_RESIDENTS, path, "all residents")
    started = skilled[skilled["area_kind"].eq("total") & skilled["value"].fillna(0).gt(0)]["period_end"]
    if len(started):
        skilled = skilled[skilled["period_end"].ge(started.min())]
        rows += totals(
            skilled, "skilled-workers", "Specified Skilled Workers", v.SKILLED_WORKERS, path, "特定技能 i and ii"
        )
        rows += by_nationality(
            skilled, "skilled-workers-nationality", v.SKILLED_WORKERS, path, "Specified Skilled Workers"
        )
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------------
# the quotes held to the table


def table_series(quoted: str) -> str | None:
    """The table's series id for a quoted series id (None where the table has no such series).

    >>> table_series("stock-nationality:China"), table_series("workers:all Vietnamese workers")
    ('stock-nationality:China', None)
    """
    for pattern, target in QUOTED_AS:
        if fnmatch.fnmatchcase(quoted, pattern):
            return quoted if target == "*" else target
    return None


def table_value(
    quote: pd.Series, published: dict[tuple, list[float]], quoted_that_day: list[str]
) -> tuple[str, float | None]:
    """The table's series and figure for a quote: the same series and date. A quoted ``Other`` is the
    total less the nationalities quoted beside it that day, as the page that quoted it meant.

    ``published``: the table's figures by series and date; ``quoted_that_day``: the nationalities'
    series quoted at the quote's date.

    >>> table = {("stock", 1): [100.0], ("stock-nationality:China", 1): [60.0]}
    >>> quote = pd.Series({"series": "stock-nationality:Other", "period_end": 1})
    >>> table_value(quote, table, ["stock-nationality:China", "stock-nationality:Other"])
    ('stock-nationality:Other', 40.0)
    >>> table_value(pd.Series({"series": "stock", "period_end": 2}), table, [])
    ('stock', None)
    """
    target = table_series(quote["series"])
    if target is None:
        return "", None
    end = quote["period_end"]
    if target.endswith(f":{v.OTHER_NATIONALITY}"):
        named = [s for s in quoted_that_day if s != quote["series"]]
        total = published.get(("stock", end), [])
        parts = [x for s in dict.fromkeys(named) for x in published.get((s, end), [])]
        if len(total) != 1 or len(parts) != len(named):
            return target, None
        return target, float(total[0] - sum(parts))
    found = published.get((target, end), [])
    return target, (float(found[0]) if len(found) == 1 else None)


def hold_quotes(reported: pd.DataFrame, published: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The quoted rows the table does not supersede, and every quote beside the table's figure.

    A quote agrees when the table's figure lies within the interval the quote's rounding allows.
    """
    table = published.groupby(["series", "period_end"], sort=False)["value"].agg(list).to_dict()
    nationalities = reported[reported["series"].str.startswith("stock-nationality:")]
    quoted_on = nationalities.groupby("period_end", sort=False)["series"].agg(list).to_dict()
    keep, listed = [], []
    for _, quote in reported.iterrows():
        if table_series(quote["series"]) is None:
            keep.append(quote.name)
            continue
        target, value = table_value(quote, table, quoted_on.get(quote["period_end"], []))
        if value is None:
            keep.append(quote.name)
            verdict, difference = v.NOT_IN_TABLE, None
        else:
            verdict = v.AGREES if quote["low"] <= value <= quote["high"] else v.DISAGREES
            difference = value - quote["value"]
        listed.append(
            {c: quote[c] for c in QUOTED_COLUMNS if c in quote.index}
            | {f"quoted_{c}": quote[c] for c in ("value", "low", "high", "basis")}
            | dict(table_series=target, table_value=value, difference=difference, verdict=verdict)
        )
    quoted = pd.DataFrame(listed, columns=QUOTED_COLUMNS)
    return reported.loc[keep], quoted
