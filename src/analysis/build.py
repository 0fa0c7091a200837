"""``make data``: raw files -> checked, typed tables in ``data/processed/``.

Everything is built and validated in memory first; only then is each table written to a
temporary file and renamed into place. A bad raw value stops the build with one message naming
file, row, column and value, and leaves ``data/processed/`` exactly as it was.

Run as ``python -m analysis.build [--out DIR] [--article FILE]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import article, paths
from analysis.errors import RawDataError
from analysis.io import atomic_path
from analysis.schemas import ARTICLE_TABLES


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


def build_all(article_path: Path = paths.ARTICLE_FIGURES) -> dict[str, pd.DataFrame]:
    """Every processed table, validated."""
    tables = build_article(article_path)
    return {name: validate(name, frame, ARTICLE_TABLES[name]) for name, frame in tables.items()}


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
    parser = argparse.ArgumentParser(prog="python -m analysis.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default data/processed)")
    parser.add_argument("--article", type=Path, default=paths.ARTICLE_FIGURES, help="raw article figures CSV")
    args = parser.parse_args(argv)
    try:
        tables = build_all(args.article)
    except (RawDataError, BuildError) as err:
        print(f"make data: refused: {err}\nmake data: nothing in {paths.relative(args.out)}/ was changed.",
              file=sys.stderr)
        return 1
    written = write_tables(tables, args.out)
    print(f"make data: {len(tables)} tables checked, {len(written)} rewritten in {paths.relative(args.out)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
