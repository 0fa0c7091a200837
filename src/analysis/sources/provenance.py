"""Provenance of the raw files: a record beside them with a SHA-256 checksum per file.

Every build verifies the checksums before anything is read, so a raw file cannot change
without its record changing too. ``python -m analysis.sources.provenance --record-checksums``
records them after an intended change (``make update-official`` does it for a new release).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import RawDataError
from analysis.sources.raw import sha256

RECORD = "provenance.json"


def read_record(folder: Path) -> dict:
    """The provenance record of a folder of raw files."""
    path = Path(folder) / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RawDataError(path, None, None, RECORD, "the provenance record is missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RawDataError(path, None, None, RECORD, f"not a readable JSON record ({err})") from None


def verify_checksums(folder: Path = paths.RAW_OFFICIAL) -> None:
    """Refuse to build from a file whose bytes differ from its provenance record, or that has none.

    Every file of the folder must be listed in the record; every entry with a ``sha256`` is
    verified (the project's own hand-written files are listed without one).
    """
    folder = Path(folder)
    record = read_record(folder)
    for name, entry in record["files"].items():
        path = folder / name
        if not path.exists():
            raise RawDataError(path, None, None, name, f"listed in {RECORD} but missing")
        if "sha256" not in entry:
            continue
        found = sha256(path)
        if found != entry["sha256"]:
            raise RawDataError(
                path,
                None,
                "sha256",
                found,
                f"checksum mismatch: {RECORD} records {entry['sha256'][:12]}...; {_hint(path)}",
            )
    listed = set(record["files"])
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if (
            name != RECORD
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
            and name not in listed
        ):
            raise RawDataError(path, None, None, name, "a raw file without a provenance record")


def _hint(path: Path) -> str:
    """What to do about a file that changed."""
    if path.name == paths.ARTICLE_TEXT.name:
        return (
            "the article's text is no longer the one figures.csv was transcribed from; compare a revision "
            "with `make check-article ARTICLE=<file>` instead, and take one in only with figures.csv updated "
            "and its checksum recorded (`python -m analysis.sources.provenance --record-checksums "
            "data/raw/article`)"
        )
    return (
        "if the change is intended, take it in with `make update-official FROM=<folder>` (or run "
        "`python -m analysis.sources.provenance --record-checksums`) and commit both"
    )


def file_entry(path: Path) -> dict:
    """Checksum, size and (for a CSV) row count of one file."""
    entry = {"sha256": sha256(path), "bytes": path.stat().st_size}
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            entry["rows"] = sum(1 for _ in csv.reader(handle)) - 1
    return entry


def record_checksums(folder: Path = paths.RAW_OFFICIAL) -> None:
    """Update the checksums (and sizes and row counts) in the record after an intended change."""
    folder = Path(folder)
    record = read_record(folder)
    for name, entry in record["files"].items():
        if "sha256" in entry:
            entry.update(file_entry(folder / name))
    (folder / RECORD).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``--record-checksums [FOLDER]``: update FOLDER's provenance.json (default data/raw/official)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--record-checksums"] and len(args) <= 2:
        folder = paths.under_root(args[1]) if len(args) == 2 else paths.RAW_OFFICIAL
        record_checksums(folder)
        print(f"recorded checksums in {paths.relative(folder / RECORD)}")
        return 0
    print("usage: python -m analysis.sources.provenance --record-checksums [FOLDER]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
