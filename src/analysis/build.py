"""``make data``: raw files -> checked, typed tables in ``data/processed/``.

Everything is built and validated in memory first. The new files are then written in full to
a staging folder and swapped in together, so a bad raw value, a full disk or a read-only tree
stops the build with one message naming the step, file, row, column and value, and leaves
``data/processed/`` exactly as it was. The generated sections of the README and of docs/ are rewritten last.

Run as ``python -m analysis.build [--out DIR]``.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import datapackage, paths, tables
from analysis.check import corrections, reconcile
from analysis.data import to_csv_text, validate
from analysis.errors import ProjectError, RawDataError
from analysis.files import stop_on_signals, swap_in
from analysis.publish import readme
from analysis.sources import article, derive, primary, provenance

STEP = "make data"


@dataclass(frozen=True)
class Inputs:
    """The raw inputs of a build (the committed ones unless a test or a revision says otherwise)."""

    figures: Path = paths.ARTICLE_FIGURES
    official: Path = paths.RAW_OFFICIAL
    derived: Path = paths.ARTICLE_DERIVED
    counterparts: Path = paths.COUNTERPARTS
    text: Path = paths.ARTICLE_TEXT
    #: The text of a revision of the article, already read (``make check-article``): the corrections quote
    #: it, and ``text`` and its checksum are then not read.
    revision: str | None = None


def build_article(path: Path = paths.ARTICLE_FIGURES, derived: Path = paths.ARTICLE_DERIVED) -> dict[str, pd.DataFrame]:
    """The article's processed tables, not yet validated."""
    raw = article.read_claims(path)
    stated = raw.pipe(article.parse_claims, path)
    claims = article.add_derived(stated, article.read_derived(derived, stated))
    return {
        "article_figures": claims,
        "intern_counts": article.intern_counts(claims),
        "nationality_shares": article.nationality_shares(claims, raw, path),
        "industry_shares": article.industry_shares(claims),
        "stages": article.stages(raw, path),
    }


def official_views(series: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The official series, whole and split by what they measure (as the declaration says)."""

    def pick(patterns: tuple[str, ...]) -> pd.DataFrame:
        keep = series["series"].map(lambda s: any(fnmatch.fnmatchcase(s, p) for p in patterns))
        return series[keep].reset_index(drop=True)

    return {name: pick(patterns) for name, (_, patterns) in tables.OFFICIAL_VIEWS.items()}


def check_official_dates(series: pd.DataFrame, claims: pd.DataFrame, folder: Path) -> None:
    """Official figures are dated within the programme's life, which starts at its founding."""
    first, _ = article.programme_life(claims)
    early = series[series["period_start"].map(pd.Timestamp) < pd.Timestamp(first)]
    if len(early):
        row = early.iloc[0]
        raise RawDataError(
            folder / row["source_file"],
            row["source_row"],
            "period_start",
            str(row["period_start"]),
            f"before the programme was founded ({first})",
        )


#: The tables built from the official set alone.
OFFICIAL_TABLES = (*tables.OFFICIAL_VIEWS, "quoted_figures")


def build_all(inputs: Inputs = Inputs(), official: Mapping[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Every processed table, validated, by name in the declared order.

    ``official``: the :data:`OFFICIAL_TABLES` already built from ``inputs.official`` (a revision
    of the article is checked against the official set the committed build read, read once).
    """
    built = {name: validate(name, frame) for name, frame in build_article(inputs.figures, inputs.derived).items()}
    claims = built["article_figures"]
    if official is None:
        series, quoted = derive.official_and_quotes(inputs.official)
        if inputs.revision is None:  # a revision's dates are claims to check, not bounds on the official data
            check_official_dates(series, claims, Path(inputs.official))
        series = validate("official_series", series)
        official = {name: validate(name, frame) for name, frame in official_views(series).items()}
        official["quoted_figures"] = validate("quoted_figures", quoted)
    built.update({name: official[name] for name in OFFICIAL_TABLES})
    series = built["official_series"]
    mapping = reconcile.read_counterparts(inputs.counterparts, claims, series)
    built["reconciliation"] = validate("reconciliation", reconcile.reconcile(claims, mapping, series))
    text = inputs.revision if inputs.revision is not None else article.read_article_text(inputs.text)
    built["corrections"] = validate(
        "corrections", corrections.corrections(claims, built["reconciliation"], mapping, series, text)
    )
    return {name: built[name] for name in tables.TABLES}


def primary_entry(official: Path = paths.RAW_OFFICIAL) -> tuple[str, dict] | None:
    """The primary table's name in the official folder and its provenance entry (None without one)."""
    path = primary.table_path(official)
    if path is None:
        return None
    name = path.relative_to(official).as_posix()
    return name, provenance.read_record(official)["files"][name]


def render(built: dict[str, pd.DataFrame], official: Path = paths.RAW_OFFICIAL) -> dict[str, str]:
    """The text of every file of ``data/processed/``."""
    texts = {tables.TABLES[name].file: to_csv_text(frame) for name, frame in built.items()}
    texts[tables.DATAPACKAGE] = datapackage.to_json(primary_entry(Path(official)))
    return texts


def main(argv: list[str] | None = None) -> int:
    """Build, check and write ``data/processed/`` and the generated sections of the README and docs/."""
    stop_on_signals()
    parser = argparse.ArgumentParser(prog="python -m analysis.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default data/processed)")
    parser.add_argument("--figures", type=Path, default=paths.ARTICLE_FIGURES, help="the article's transcription")
    parser.add_argument("--derived", type=Path, default=paths.ARTICLE_DERIVED, help="the claims the article implies")
    parser.add_argument("--official", type=Path, default=paths.RAW_OFFICIAL, help="folder of official raw files")
    parser.add_argument(
        "--counterparts",
        type=Path,
        default=paths.COUNTERPARTS,
        help="which official series each article figure is compared with",
    )
    args = parser.parse_args(argv)
    out = paths.relative(args.out)
    try:
        built = build_all(Inputs(args.figures, args.official, args.derived, args.counterparts))
    except ProjectError as err:
        print(f"{STEP}: refused: {err}\n{STEP}: nothing in {out}/ was changed.", file=sys.stderr)
        return 1
    try:
        written = swap_in(args.out, render(built, args.official))
    except OSError as err:
        where = paths.relative(err.filename) if err.filename else out
        print(
            f"{STEP}: could not write {where}: {err.strerror}\n{STEP}: nothing in {out}/ was changed.", file=sys.stderr
        )
        return 1
    if args.out == paths.PROCESSED:
        try:
            written += readme.write(built)
        except OSError as err:
            where = paths.relative(err.filename) if err.filename else "README.md"
            print(
                f"{STEP}: {out}/ was written, but {where} could not be ({err.strerror}); it is unchanged.",
                file=sys.stderr,
            )
            return 1
    print(f"{STEP}: {len(built)} tables checked, {len(written)} files rewritten")
    return 0


if __name__ == "__main__":
    from analysis import cli

    sys.exit(cli.entry(main))
