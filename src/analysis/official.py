"""Official statistics (``data/raw/official/``) as one long, typed table of series.

Every row of every reference file becomes a row of ``official_series``: a ``series`` id, the
``population`` it counts, its period, value and the interval its rounding implies, and the
publisher and pages it was seen on. Figures the files imply are added and marked:

* ``stock-share:<nationality>``: a nationality's stock over the total stock of the same date;
* ``stock-growth``: the stock on a year earlier, computed from two dates exactly a year apart
  (``basis = computed``) or as the sources report it in the note (``basis = reported``);
* ``<population>:share of ...``: Vietnamese workers with technical intern status over all
  Vietnamese workers of the same survey;
* ``industry-share:<measure>:<category>``: a job category over all job categories of the same
  measure and date.

Before anything is read, every file's checksum is checked against ``provenance.json``.
Run ``python -m analysis.official --record-checksums`` after changing a file on purpose.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import RawDataError
from analysis.period import parse_period
from analysis.raw import read_raw_csv, sha256

OFFICIAL = paths.RAW_OFFICIAL
PROVENANCE = OFFICIAL / "provenance.json"

SERIES_COLUMNS = [
    "series", "label", "population", "kind", "period_start", "period_end", "period_precision",
    "value", "low", "high", "unit", "published_as", "basis", "publisher", "single_source",
    "sources", "note", "source_file", "source_row",
]

POPULATIONS = {
    "residents": "residents with technical intern status (stock, ISA/MoJ)",
    "workers": "workers in the MHLW employment survey (end of October)",
}
UNITS = {"persons": "count", "cases": "count", "organizations": "count", "percent": "percent"}
_ROUNDING = {"exact": 0, "rounded to the ten": 10, "rounded to the hundred": 100,
             "rounded to the thousand": 1000, "rounded to the ten thousand": 10000}
#: Only growth "on the previous year" is annual; mid-year notes report growth on the half-year before.
_REPORTED_GROWTH = re.compile(
    r"reported as (?P<sign>up|down) (?P<pct>\d+(?:\.\d+)?)%(?: \(\d+\))? on the previous year"
)


# ---------------------------------------------------------------------------------------------
# checksums


def verify_checksums(folder: Path = OFFICIAL) -> None:
    """Refuse to build from a file whose bytes differ from its provenance record."""
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    for name, entry in record["files"].items():
        path = folder / name
        if not path.exists():
            raise RawDataError(path, None, None, name, "listed in provenance.json but missing")
        found = sha256(path)
        if found != entry["sha256"]:
            raise RawDataError(
                path, None, "sha256", found,
                f"checksum mismatch: provenance.json records {entry['sha256'][:12]}...; if the change is "
                "intended, run `python -m analysis.official --record-checksums` and commit both",
            )
    listed = set(record["files"])
    for path in sorted(folder.iterdir()):
        if path.name != "provenance.json" and not path.name.startswith(".") and path.name not in listed:
            raise RawDataError(path, None, None, path.name, "a raw file without a provenance record")


def record_checksums(folder: Path = OFFICIAL) -> None:
    """Update the checksums (and row counts) in provenance.json after an intended change."""
    record_path = folder / "provenance.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    for name, entry in record["files"].items():
        path = folder / name
        entry["sha256"], entry["bytes"] = sha256(path), path.stat().st_size
        if name.endswith(".csv"):
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                entry["rows"] = sum(1 for _ in csv.reader(handle)) - 1
    record_path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# typed cells, with errors that name file, row, column and value


def _date(path: Path, row: int, column: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RawDataError(path, row, column, text, "expected a date YYYY-MM-DD") from None


def _number(path: Path, row: int, column: str, text: str) -> float:
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text.strip()):
        raise RawDataError(path, row, column, text, "expected a plain number (digits, optional decimals)")
    return float(text)


def _choice(path: Path, row: int, column: str, text: str, allowed) -> str:
    if text not in allowed:
        raise RawDataError(path, row, column, text, f"unknown value (expected one of {sorted(allowed)})")
    return text


def _required(path: Path, row: int, column: str, text: str) -> str:
    if not text.strip():
        raise RawDataError(path, row, column, text, "a value is required")
    return text


def _half_width(decimals_text: str) -> float:
    return 0.5 * 10.0 ** -len(decimals_text.split(".")[1]) if "." in decimals_text else 0.5


def _row(**values) -> dict:
    row = dict.fromkeys(SERIES_COLUMNS)
    row.update(values)
    row["single_source"] = "single source" in (row.get("note") or "")
    return row


def _sourced(path: Path, r, **values) -> dict:
    """A row of a reported figure: where it came from, who published it, where it was seen."""
    return _row(basis="reported", publisher=_required(path, r.row, "publisher", r.publisher),
                sources=_required(path, r.row, "sources", r.sources), note=r.note or None,
                source_file=path.name, source_row=r.row, **values)


def _point(path: Path, r) -> dict:
    """The period of a figure dated by its ``period_end`` alone: a point in time."""
    end = _date(path, r.row, "period_end", r.period_end)
    return dict(period_start=end, period_end=end, period_precision="day")


def _count(path: Path, r) -> dict:
    """A count and the interval its stated rounding implies."""
    value = _number(path, r.row, "value", r.value)
    half = _ROUNDING[_choice(path, r.row, "published_as", r.published_as, _ROUNDING)] / 2
    return dict(value=value, low=value - half, high=value + half, unit="count", published_as=r.published_as)


def _check_unique(rows: list[dict], path: Path) -> list[dict]:
    seen: dict[tuple, int] = {}
    for row in rows:
        key = (row["series"], row["label"], row["period_start"], row["period_end"], row["basis"])
        if key in seen:
            raise RawDataError(path, row["source_row"], "period_end", str(row["period_end"]),
                               f"duplicate figure for {row['series']} (first on row {seen[key]})")
        seen[key] = row["source_row"]
    return rows


# ---------------------------------------------------------------------------------------------
# one reader per file


def read_stock(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["period_end", "kind", "value", "published_as", "basis", "publisher", "sources", "note"])
    rows = [
        {**_sourced(path, r, series="stock", label="technical intern trainees", population="residents",
                    kind=_choice(path, r.row, "kind", r.kind, {"year_end", "mid_year"}),
                    **_point(path, r), **_count(path, r)),
         "basis": _choice(path, r.row, "basis", r.basis, {"reported", "derived"})}
        for r in raw.itertuples(index=False)
    ]
    return _check_unique(rows, path)


def read_stock_by_nationality(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["period_end", "nationality", "value", "published_as", "publisher", "sources", "note"])
    rows = []
    for r in raw.itertuples(index=False):
        nationality = _required(path, r.row, "nationality", r.nationality)
        rows.append(_sourced(path, r, series=f"stock-nationality:{nationality}",
                             label=f"technical intern trainees from {nationality}", population="residents",
                             kind="stock", **_point(path, r), **_count(path, r)))
    return _check_unique(rows, path)


def read_vietnamese(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["period_end", "population", "measure", "value", "publisher", "sources", "note"])
    rows = []
    for r in raw.itertuples(index=False):
        value = _number(path, r.row, "value", r.value)
        population = _choice(path, r.row, "population", r.population, POPULATIONS)
        measure = _required(path, r.row, "measure", r.measure)
        rows.append(_sourced(path, r, series=f"{population}:{measure}", label=measure, population=population,
                             kind="survey" if population == "workers" else "stock", **_point(path, r),
                             value=value, low=value, high=value, unit="count", published_as="exact"))
    return _check_unique(rows, path)


def read_industry(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["period_end", "measure", "category", "value", "unit", "publisher", "sources", "note"])
    rows = []
    for r in raw.itertuples(index=False):
        value = _number(path, r.row, "value", r.value)
        unit = UNITS[_choice(path, r.row, "unit", r.unit, UNITS)]
        measure, category = _required(path, r.row, "measure", r.measure), _required(path, r.row, "category", r.category)
        half = _half_width(r.value) if unit == "percent" else 0.0
        if unit == "percent" and not 0 <= value <= 100:
            raise RawDataError(path, r.row, "value", r.value, "a share must lie within 0-100")
        prefix = "industry-share" if unit == "percent" else "industry"
        rows.append(_sourced(
            path, r, series=f"{prefix}:{measure}:{category}", label=f"{category} ({measure})",
            population="plans" if "plans" in measure else "residents", kind="stock" if "stock" in measure else "other",
            **_point(path, r), value=value, low=value - half, high=value + half, unit=unit,
            published_as="exact" if unit == "count" else "rounded to the decimal shown",
        ))
    return _check_unique(rows, path)


def read_other(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["period_start", "period_end", "measure", "value", "unit", "publisher", "sources", "note"])
    rows = []
    for r in raw.itertuples(index=False):
        start, end = _date(path, r.row, "period_start", r.period_start), _date(path, r.row, "period_end", r.period_end)
        if end < start:
            raise RawDataError(path, r.row, "period_end", r.period_end, "the period ends before it starts")
        value = _number(path, r.row, "value", r.value)
        measure = _required(path, r.row, "measure", r.measure)
        rows.append(_sourced(
            path, r, series=f"other:{measure}", label=measure, population="as the measure says", kind="period",
            period_start=start, period_end=end, period_precision="day", value=value, low=value, high=value,
            unit=UNITS[_choice(path, r.row, "unit", r.unit, UNITS)], published_as="exact",
        ))
    return _check_unique(rows, path)


def read_events(path: Path) -> list[dict]:
    raw = read_raw_csv(path, ["date", "precision", "event", "sources"])
    rows = []
    for r in raw.itertuples(index=False):
        day = _date(path, r.row, "date", r.date)
        precision = _choice(path, r.row, "precision", r.precision, {"day", "month", "year"})
        if precision == "day":
            start = end = day
        else:
            named = parse_period(day.strftime("%B %Y") if precision == "month" else str(day.year))
            start, end = named.start, named.end
        rows.append(_row(
            series="event", label=_required(path, r.row, "event", r.event), population="events", kind="event",
            period_start=start, period_end=end, period_precision=precision, unit="date", published_as=precision,
            basis="reported", publisher="as the sources say", sources=_required(path, r.row, "sources", r.sources),
            note=None, source_file=path.name, source_row=r.row,
        ))
    return rows


READERS = {
    "stock.csv": read_stock,
    "stock_by_nationality.csv": read_stock_by_nationality,
    "vietnamese_in_japan.csv": read_vietnamese,
    "industry.csv": read_industry,
    "other_figures.csv": read_other,
    "events.csv": read_events,
}


# ---------------------------------------------------------------------------------------------
# figures the files imply


def _ratio(num: pd.Series, den: pd.Series) -> tuple[float, float, float]:
    return (100 * num["value"] / den["value"], 100 * num["low"] / den["high"], 100 * num["high"] / den["low"])


def _derived(base: pd.Series, **changes) -> dict:
    row = base.to_dict()
    row.update(basis="derived", published_as="computed", single_source=False, source_row=None)
    row.update(changes)
    return row


def nationality_shares(series: pd.DataFrame) -> list[dict]:
    totals = series[series["series"].eq("stock")].set_index("period_end")
    out = []
    for _, row in series[series["series"].str.startswith("stock-nationality:")].iterrows():
        if row["period_end"] not in totals.index:
            continue
        total = totals.loc[row["period_end"]]
        value, low, high = _ratio(row, total)
        nationality = row["series"].split(":", 1)[1]
        out.append(_derived(row, series=f"stock-share:{nationality}", unit="percent", value=value, low=low,
                            high=high, label=f"share of trainees from {nationality}",
                            note=f"{nationality} stock / total stock of the same date (stock.csv row {total['source_row']})"))
    return out


def growth(series: pd.DataFrame) -> list[dict]:
    stock = series[series["series"].eq("stock")]
    by_date = stock.set_index("period_end")
    out = []
    for _, row in stock.iterrows():
        end = row["period_end"]
        before = end.replace(year=end.year - 1)
        common = dict(series="stock-growth", label="growth of the stock on a year earlier", unit="percent")
        if before in by_date.index:
            prev = by_date.loc[before]
            value, low, high = _ratio(row, prev)
            out.append(_derived(row, **common, value=value - 100, low=low - 100, high=high - 100,
                                note=f"stock at {end} / stock at {before}, less 100%"))
        if isinstance(row["note"], str) and (m := _REPORTED_GROWTH.search(row["note"])):
            sign = 1 if m["sign"] == "up" else -1
            value, half = sign * float(m["pct"]), _half_width(m["pct"])
            out.append(_derived(row, **common, basis="reported", published_as="as reported in the sources",
                                value=value, low=value - half, high=value + half, source_row=row["source_row"],
                                note=f"growth on a year earlier as the sources report it ('{m.group(0)}')"))
    return out


def worker_shares(series: pd.DataFrame) -> list[dict]:
    part = series[series["series"].eq("workers:Vietnamese workers with technical intern status")]
    whole = series[series["series"].eq("workers:all Vietnamese workers")].set_index("period_end")
    out = []
    for _, row in part.iterrows():
        if row["period_end"] in whole.index:
            value, low, high = _ratio(row, whole.loc[row["period_end"]])
            out.append(_derived(row, series="workers:share of Vietnamese workers with technical intern status",
                                label="share of Vietnamese workers with technical intern status", unit="percent",
                                value=value, low=low, high=high,
                                note="Vietnamese workers with technical intern status / all Vietnamese workers, same survey"))
    return out


def industry_shares(series: pd.DataFrame) -> list[dict]:
    counts = series[series["series"].str.startswith("industry:")]
    out = []
    for _, row in counts.iterrows():
        _, measure, category = row["series"].split(":", 2)
        if category == "all job categories":
            continue
        total = counts[counts["series"].eq(f"industry:{measure}:all job categories")
                       & counts["period_end"].eq(row["period_end"])]
        if len(total) == 1:
            value, low, high = _ratio(row, total.iloc[0])
            out.append(_derived(row, series=f"industry-share:{measure}:{category}", unit="percent", value=value,
                                low=low, high=high, label=f"share in {category} ({measure})",
                                note=f"{category} / all job categories, same measure and date"))
    return out


def read_official(folder: Path = OFFICIAL) -> pd.DataFrame:
    """Every official figure, reported and derived, as one long table."""
    verify_checksums(folder)
    rows = [row for name, reader in READERS.items() for row in reader(folder / name)]
    series = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    derived = nationality_shares(series) + growth(series) + worker_shares(series) + industry_shares(series)
    return (
        pd.concat([series, pd.DataFrame(derived, columns=SERIES_COLUMNS)], ignore_index=True)
        .assign(source_row=lambda f: f["source_row"].astype("Int64"))
        .sort_values(["series", "period_end", "basis", "label"], kind="stable")
        .reset_index(drop=True)
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--record-checksums"]:
        record_checksums()
        print(f"recorded checksums in {paths.relative(PROVENANCE)}")
        return 0
    print("usage: python -m analysis.official --record-checksums", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
