"""Official statistics (``data/raw/official/``) read into one long, typed table of series.

Every row of every reference file becomes a row of ``official_series``: a ``series`` id, the
``population`` it counts, its period, value and the interval its rounding implies, and the
publisher and pages it was seen on. One reader per file; every cell is checked, and a bad one
raises :class:`~analysis.errors.RawDataError` naming file, row, column and value. The figures
these files imply are added by :mod:`analysis.sources.derive`.
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
from analysis.sources.provenance import verify_checksums
from analysis.sources.raw import read_raw_csv
from analysis.tables import TABLES

SERIES_COLUMNS = TABLES["official_series"].columns
EVENT = "event"
STOCK = "stock"

# ---------------------------------------------------------------------------------------------
# typed cells


def read_date(path: Path, row: int, column: str, text: str) -> date:
    """A cell holding a date YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RawDataError(path, row, column, text, "expected a date YYYY-MM-DD") from None


def read_number(path: Path, row: int, column: str, text: str) -> float:
    """A cell holding a plain number: the digits 0-9, optional decimals, nothing around them.

    (``\\d`` would also take full-width and other scripts' digits, which ``float`` reads.)

    >>> read_number(Path("x.csv"), 1, "value", "192655"), read_number(Path("x.csv"), 2, "value", "-1.5")
    (192655.0, -1.5)
    >>> read_number(Path("x.csv"), 3, "value", "\uff11\uff19\uff12")
    Traceback (most recent call last):
    analysis.errors.RawDataError: x.csv, row 3 (line 4), column 'value', value '\uff11\uff19\uff12': expected a plain number (the digits 0-9, optional decimals, no spaces)
    """
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
        raise RawDataError(
            path, row, column, text, "expected a plain number (the digits 0-9, optional decimals, no spaces)"
        )
    return float(text)


def read_choice(path: Path, row: int, column: str, text: str, allowed) -> str:
    """A cell holding one of the ``allowed`` words."""
    if text not in allowed:
        raise RawDataError(path, row, column, text, f"unknown value (expected one of {sorted(allowed)})")
    return text


def read_required(path: Path, row: int, column: str, text: str) -> str:
    """A cell that must not be empty."""
    if not text.strip():
        raise RawDataError(path, row, column, text, "a value is required")
    return text


def half_width(number_text: str) -> float:
    """Half the last decimal place a published percentage shows.

    >>> half_width("18.8"), half_width("42")
    (0.05, 0.5)
    """
    return 0.5 * 10.0 ** -len(number_text.split(".")[1]) if "." in number_text else 0.5


def series_row(**values) -> dict:
    """A row of ``official_series``; unset columns are empty."""
    row = dict.fromkeys(SERIES_COLUMNS)
    row.update(values)
    row["single_source"] = "single source" in (row.get("note") or "")
    return row


def _sourced(path: Path, r, **values) -> dict:
    """A row of a reported figure: where it came from, who published it, where it was seen."""
    return series_row(
        basis=v.REPORTED,
        publisher=v.BODY_NAMES.get(r.publisher, read_required(path, r.row, "publisher", r.publisher)),
        sources=read_required(path, r.row, "sources", r.sources),
        note=r.note or None,
        source_file=path.name,
        source_row=r.row,
        **values,
    )


def _point(path: Path, r) -> dict:
    """The period of a figure dated by its ``period_end`` alone: a point in time."""
    end = read_date(path, r.row, "period_end", r.period_end)
    return dict(period_start=end, period_end=end, period_precision="day")


def _count(path: Path, r) -> dict:
    """A count and the interval its stated rounding implies."""
    value = read_number(path, r.row, "value", r.value)
    half = v.ROUNDINGS[read_choice(path, r.row, "published_as", r.published_as, v.ROUNDINGS)]
    return dict(value=value, low=value - half, high=value + half, unit=v.COUNT, published_as=r.published_as)


def check_unique(rows: list[dict], path: Path) -> list[dict]:
    """Refuse two rows of one file that state the same figure.

    Only where two rows of different keys (:data:`analysis.tables.RAW_TABLES`, refused when
    repeated as the file is read) can still state one figure: events of one year dated on two
    days, and industry measures and categories whose words run into each other. Every other
    reader makes a figure's series, label and period from its key's cells one to one.
    """
    seen: dict[tuple, int] = {}
    for row in rows:
        key = (row["series"], row["label"], row["period_start"], row["period_end"], row["basis"])
        if key in seen:
            raise RawDataError(
                path,
                row["source_row"],
                "period_end",
                str(row["period_end"]),
                f"duplicate figure for {row['series']} (first on row {seen[key]})",
            )
        seen[key] = row["source_row"]
    return rows


# ---------------------------------------------------------------------------------------------
# one reader per file


def read_stock(path: Path) -> list[dict]:
    """``stock.csv``: the total stock of trainees, year-end and mid-year."""
    raw = read_raw_csv(path)
    rows = [
        {
            **_sourced(
                path,
                r,
                series=STOCK,
                label="technical intern trainees",
                population=v.RESIDENTS,
                kind=read_choice(path, r.row, "kind", r.kind, {v.YEAR_END, v.MID_YEAR}),
                **_point(path, r),
                **_count(path, r),
            ),
            "basis": read_choice(path, r.row, "basis", r.basis, (v.REPORTED, v.DERIVED)),
        }
        for r in raw.itertuples(index=False)
    ]
    return rows


def read_stock_by_nationality(path: Path) -> list[dict]:
    """``stock_by_nationality.csv``: the stock by nationality, where a source itemises it."""
    raw = read_raw_csv(path)
    rows = []
    for r in raw.itertuples(index=False):
        nationality = read_required(path, r.row, "nationality", r.nationality)
        rows.append(
            _sourced(
                path,
                r,
                series=f"stock-nationality:{nationality}",
                label=f"technical intern trainees from {nationality}",
                population=v.RESIDENTS,
                kind="stock",
                **_point(path, r),
                **_count(path, r),
            )
        )
    return rows


def read_vietnamese(path: Path) -> list[dict]:
    """``vietnamese_in_japan.csv``: Vietnamese workers (MHLW survey) and residents (ISA)."""
    raw = read_raw_csv(path)
    rows = []
    for r in raw.itertuples(index=False):
        value = read_number(path, r.row, "value", r.value)
        population = read_choice(path, r.row, "population", r.population, (v.WORKERS, v.RESIDENTS))
        measure = read_required(path, r.row, "measure", r.measure)
        rows.append(
            _sourced(
                path,
                r,
                series=f"{population}:{measure}",
                label=measure,
                population=population,
                kind="survey" if population == v.WORKERS else "stock",
                **_point(path, r),
                value=value,
                low=value,
                high=value,
                unit=v.COUNT,
                published_as=v.EXACT,
            )
        )
    return rows


def industry_population(measure: str) -> str:
    """Who an industry figure counts, from its measure's words.

    >>> industry_population("stock by job category"), industry_population("share of approved training plans")
    ('residents', 'plans')
    >>> industry_population("trainees in the four seafood-processing job types")
    'unstated'
    """
    if "stock" in measure:
        return v.RESIDENTS
    if "plans" in measure:
        return v.PLANS
    return v.UNSTATED


def fiscal_or_point(path: Path, r) -> dict:
    """The period of an ``industry.csv`` figure: a figure dated 31 March counts Japan's fiscal year
    that ends then (1 April to 31 March: approved plans, and counts by fiscal year), a flow over
    the year and not a stock on the day; any other date is a point in time.

    >>> from types import SimpleNamespace
    >>> fiscal_or_point(Path("industry.csv"), SimpleNamespace(row=1, period_end="2020-03-31"))["period_start"]
    datetime.date(2019, 4, 1)
    """
    end = read_date(path, r.row, "period_end", r.period_end)
    if (end.month, end.day) == (3, 31):
        return dict(period_start=date(end.year - 1, 4, 1), period_end=end, period_precision="fiscal_year")
    return dict(period_start=end, period_end=end, period_precision="day")


def read_industry(path: Path) -> list[dict]:
    """``industry.csv``: trainees by job category, as counts or shares (:func:`fiscal_or_point`)."""
    raw = read_raw_csv(path)
    rows = []
    for r in raw.itertuples(index=False):
        value = read_number(path, r.row, "value", r.value)
        unit = v.RAW_UNITS[read_choice(path, r.row, "unit", r.unit, v.RAW_UNITS)]
        measure = read_required(path, r.row, "measure", r.measure)
        category = read_required(path, r.row, "category", r.category)
        half = half_width(r.value) if unit == v.PERCENT else 0.0
        if unit == v.PERCENT and not 0 <= value <= 100:
            raise RawDataError(path, r.row, "value", r.value, "a share must lie within 0-100")
        prefix = "industry-share" if unit == v.PERCENT else "industry"
        rows.append(
            _sourced(
                path,
                r,
                series=f"{prefix}:{measure}:{category}",
                label=f"{category} ({measure})",
                population=industry_population(measure),
                kind="stock" if "stock" in measure else "other",
                **fiscal_or_point(path, r),
                value=value,
                low=value - half,
                high=value + half,
                unit=unit,
                published_as=v.EXACT if unit == v.COUNT else "rounded to the decimal shown",
            )
        )
    return check_unique(rows, path)


def read_other(path: Path) -> list[dict]:
    """``other_figures.csv``: deaths, suspected abuse, supervising organisations, over periods."""
    raw = read_raw_csv(path)
    rows = []
    for r in raw.itertuples(index=False):
        start = read_date(path, r.row, "period_start", r.period_start)
        end = read_date(path, r.row, "period_end", r.period_end)
        if end < start:
            raise RawDataError(path, r.row, "period_end", r.period_end, "the period ends before it starts")
        value = read_number(path, r.row, "value", r.value)
        measure = read_required(path, r.row, "measure", r.measure)
        rows.append(
            _sourced(
                path,
                r,
                series=f"other:{measure}",
                label=measure,
                population=v.OTHER_POPULATION,
                kind="period",
                period_start=start,
                period_end=end,
                period_precision="day",
                value=value,
                low=value,
                high=value,
                unit=v.RAW_UNITS[read_choice(path, r.row, "unit", r.unit, v.RAW_UNITS)],
                published_as=v.EXACT,
            )
        )
    return rows


#: Precisions from the finest; a date may be stated less precisely than a source gives it, never more.
_FINEST_FIRST = ("day", "month", "year")


def read_stated_precision(path: Path, events: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The project's own precision for events that one source dates more finely than the others
    agree on (``event_precision.csv``), by the (date, event) of ``events.csv`` it names.

    A row that names no event of ``events.csv``, or states a finer precision than the reference
    set's, is refused with its file, row, column and value.
    """
    raw = read_raw_csv(path, name=paths.EVENT_PRECISION.name)
    given = {(r.date, r.event): r.precision for r in events.itertuples(index=False)}
    out = {}
    for r in raw.itertuples(index=False):
        precision = read_choice(path, r.row, "precision", r.precision, _FINEST_FIRST)
        read_required(path, r.row, "reason", r.reason)
        if (r.date, r.event) not in given:
            raise RawDataError(path, r.row, "event", r.event, f"no row of events.csv has this event on {r.date}")
        theirs = given[(r.date, r.event)]
        if theirs in _FINEST_FIRST and _FINEST_FIRST.index(precision) < _FINEST_FIRST.index(theirs):
            raise RawDataError(
                path,
                r.row,
                "precision",
                precision,
                f"finer than the {theirs} events.csv gives; a date is never sharpened",
            )
        out[(r.date, r.event)] = precision
    return out


def read_events(path: Path, stated: Path | None = None) -> list[dict]:
    """``events.csv``: dates in the programme's history, each with the precision it is known to (the
    precision the sources agree on, where the project states one in ``stated``:
    :func:`read_stated_precision`)."""
    raw = read_raw_csv(path)
    precisions = read_stated_precision(stated, raw) if stated is not None else {}
    rows = []
    for r in raw.itertuples(index=False):
        day = read_date(path, r.row, "date", r.date)
        precision = read_choice(path, r.row, "precision", r.precision, v.EVENT_PRECISIONS)
        precision = precisions.get((r.date, r.event), precision)
        if precision == "day":
            start = end = day
        else:
            named = parse_period(day.strftime("%B %Y") if precision == "month" else str(day.year))
            start, end = named.start, named.end
        rows.append(
            series_row(
                series=EVENT,
                label=read_required(path, r.row, "event", r.event),
                population=v.OTHER_POPULATION,
                kind="event",
                period_start=start,
                period_end=end,
                period_precision=precision,
                unit=v.DATE,
                published_as=precision,
                basis=v.REPORTED,
                publisher="as the sources say",
                sources=read_required(path, r.row, "sources", r.sources),
                note=None,
                source_file=path.name,
                source_row=r.row,
            )
        )
    return check_unique(rows, path)


#: The reader of each official file.
READERS = {
    "stock.csv": read_stock,
    "stock_by_nationality.csv": read_stock_by_nationality,
    "vietnamese_in_japan.csv": read_vietnamese,
    "industry.csv": read_industry,
    "other_figures.csv": read_other,
    "events.csv": lambda path: read_events(path, paths.EVENT_PRECISION),
}


def read_reported(folder: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Every reported official figure, after the folder's checksums are verified."""
    folder = Path(folder)
    verify_checksums(folder)
    rows = [row for name, reader in READERS.items() for row in reader(folder / name)]
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)
