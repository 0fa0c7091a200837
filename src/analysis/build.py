"""``make data``: raw files -> checked, typed tables in ``data/processed/``.

Everything is built and validated in memory first; only then is each table written to a
temporary file and renamed into place. A bad raw value stops the build with one message naming
file, row, column and value, and leaves ``data/processed/`` exactly as it was.

Run as ``python -m analysis.build [--out DIR] [--article FILE]``.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import article, datapackage, official, paths, reconcile, summary
from analysis.errors import RawDataError
from analysis.io import atomic_path, exit_cleanly_on_sigterm
from analysis.schemas import OFFICIAL_VIEWS, TABLES


class BuildError(ValueError):
    """A processed table failed its schema: names the table, column and value."""


def build_article(path: Path = paths.ARTICLE_FIGURES) -> dict[str, pd.DataFrame]:
    """The article's processed tables, unvalidated."""
    raw = article.read_article_figures(path)
    figures = raw.pipe(article.parse_figures, path).pipe(article.add_derived)
    return {
        "article_figures.csv": figures,
        "intern_counts.csv": article.intern_counts(figures),
        "nationality_shares.csv": article.nationality_shares(figures, raw, path),
        "industry_shares.csv": article.industry_shares(figures),
        "stages.csv": article.stages(raw, path),
    }


def validate(name: str, frame: pd.DataFrame, schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Check a table against its schema, coercing types; raise one readable error."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0]
        more = f" (and {len(cases) - 1} more failures)" if len(cases) > 1 else ""
        raise BuildError(
            f"data/processed/{name} (not written), column {first['column']!r}, value {first['failure_case']!r}: "
            f"fails check {first['check']!r}{more}"
        ) from None


def official_views(series: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The official series, whole and split by what they measure."""
    def pick(patterns: tuple[str, ...]) -> pd.DataFrame:
        keep = series["series"].map(lambda s: any(fnmatch.fnmatchcase(s, p) for p in patterns))
        return series[keep].reset_index(drop=True)

    return {name: pick(patterns) for name, patterns in OFFICIAL_VIEWS.items()}


def check_official_dates(series: pd.DataFrame, figures: pd.DataFrame) -> None:
    """Official figures are dated within the programme's life, which starts at its founding."""
    first, _ = article.programme_life(figures)
    early = series[series["period_start"].map(pd.Timestamp) < pd.Timestamp(first)]
    if len(early):
        row = early.iloc[0]
        raise RawDataError(paths.RAW / "official" / row["source_file"], row["source_row"], "period_start",
                           str(row["period_start"]), f"before the programme was founded ({first})")


def build_all(article_path: Path = paths.ARTICLE_FIGURES, official_dir: Path = official.OFFICIAL,
              counterparts_path: Path = paths.COUNTERPARTS) -> dict[str, pd.DataFrame]:
    """Every processed table, validated."""
    tables = {name: validate(name, frame, TABLES[name]) for name, frame in build_article(article_path).items()}
    figures = tables["article_figures.csv"]
    series = official.read_official(official_dir)
    check_official_dates(series, figures)
    series = validate("official_series.csv", series, TABLES["official_series.csv"])
    tables.update(official_views(series))
    mapping = reconcile.read_counterparts(counterparts_path, figures, series)
    tables["reconciliation.csv"] = validate("reconciliation.csv", reconcile.reconcile(figures, mapping, series),
                                            TABLES["reconciliation.csv"])
    return tables


def readme_section(tables: dict[str, pd.DataFrame]) -> str:
    return summary.what_the_data_say(tables["article_figures.csv"], tables["reconciliation.csv"],
                                     tables["official_series.csv"])


def to_csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV: dates as YYYY-MM-DD, floats with up to 12 significant digits."""
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.12g")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every table; files whose bytes would not change are left untouched (mtime kept)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = out_dir / name
        text = to_csv_text(frame)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        with atomic_path(target) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="\n")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default data/processed)")
    parser.add_argument("--article", type=Path, default=paths.ARTICLE_FIGURES, help="raw article figures CSV")
    parser.add_argument("--official", type=Path, default=official.OFFICIAL, help="folder of official raw files")
    parser.add_argument("--counterparts", type=Path, default=paths.COUNTERPARTS,
                        help="which official series each article figure is compared with")
    args = parser.parse_args(argv)
    try:
        tables = build_all(args.article, args.official, args.counterparts)
    except (RawDataError, BuildError) as err:
        print(f"make data: refused: {err}\nmake data: nothing in {paths.relative(args.out)}/ was changed.",
              file=sys.stderr)
        return 1
    written = write_tables(tables, args.out)
    package = args.out / "datapackage.json"
    text = datapackage.to_json()
    if not package.exists() or package.read_text(encoding="utf-8") != text:
        with atomic_path(package) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="\n")
        written.append(package)
    readme = paths.ROOT / "README.md"
    if args.out == paths.PROCESSED and readme.exists():
        text = readme.read_text(encoding="utf-8")
        new = summary.splice(text, readme_section(tables))
        if new != text:
            with atomic_path(readme) as tmp:
                tmp.write_text(new, encoding="utf-8", newline="\n")
            written.append(readme)
    print(f"make data: {len(tables)} tables checked, {len(written)} files rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
