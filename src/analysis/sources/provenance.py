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

from analysis import paths, tables
from analysis.errors import RawDataError
from analysis.sources.raw import check_size, read_bytes, sha256, size_limit

RECORD = "provenance.json"


def read_record(folder: Path) -> dict:
    """The provenance record of a folder of raw files."""
    path = Path(folder) / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RawDataError(path, None, None, RECORD, "the provenance record is missing") from None
    except NotADirectoryError:
        why = f"not a folder (expected a folder of raw files with their {RECORD})"
        raise RawDataError(Path(folder), None, None, Path(folder).name, why) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RawDataError(path, None, None, RECORD, f"not a readable JSON record ({err})") from None


def raw_files(folder: Path) -> list[str]:
    """Every file of a folder of raw files, by its name in the record (``estat/FEH_...csv`` for a
    file in a subfolder), the record itself and hidden names left out.

    A link is refused: a raw file is the file itself, never a pointer to one elsewhere.
    """
    folder = Path(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in name.split("/")) or name == RECORD:
            continue
        if path.is_symlink():
            shown = path if name.isprintable() else folder
            raise RawDataError(shown, None, None, name, "a symbolic link; a raw file must be the file itself")
        if path.is_file():
            out.append(name)
    return out


def verify_checksums(folder: Path = paths.RAW_OFFICIAL) -> None:
    """Refuse to build from a file whose bytes differ from its provenance record, or that has none.

    Every file of the folder, subfolders included, must be listed in the record; every entry with
    a ``sha256`` is verified, after its size is checked against its source's limit (the project's
    own hand-written files are listed without one).
    """
    folder = Path(folder)
    record = read_record(folder)
    for name, entry in record["files"].items():
        path = folder / name
        if not path.exists():
            raise RawDataError(path, None, None, name, f"listed in {RECORD} but missing{_interrupted(folder)}")
        if "sha256" not in entry:
            continue
        check_size(path, size_limit(name))
        found = sha256(path)
        if found != entry["sha256"]:
            raise RawDataError(
                path,
                None,
                "sha256",
                found,
                f"checksum mismatch: {RECORD} records {entry['sha256'][:12]}...; {_hint(path, folder)}",
            )
    listed = set(record["files"])
    for name in raw_files(folder):
        if name not in listed:
            shown = folder / name if name.isprintable() else folder  # a newline in a name stays in the value
            raise RawDataError(shown, None, None, name, f"a raw file without a provenance record{_interrupted(folder)}")


def staging_folders(folder: Path) -> list[Path]:
    """Folders that ``make update-official`` stages a swap into ``folder`` in (beside it, hidden)."""
    folder = Path(folder)
    return sorted(folder.parent.glob(f".{folder.name}.*.staging"))


def _interrupted(folder: Path) -> str:
    """A hint, when an update of ``folder`` was interrupted and left its staging folder."""
    left = staging_folders(folder)
    if not left:
        return ""
    return (
        f" (an interrupted update left {paths.relative(left[0])}/: run `make update-official FROM=<folder>` "
        "again, which finishes or rolls back what it left)"
    )


def _hint(path: Path, folder: Path) -> str:
    """What to do about a file that changed."""
    if path.name == paths.ARTICLE_TEXT.name:
        return (
            "the article's text is no longer the one figures.csv was transcribed from; compare a revision "
            "with `make check-article ARTICLE=<file>` instead, and take one in only with figures.csv updated "
            "and its checksum recorded (`python -m analysis.sources.provenance --record-checksums "
            "data/raw/article`)"
        )
    interrupted = _interrupted(folder)
    if interrupted:
        return interrupted.strip(" ()")
    return (
        "if the change is intended, take it in with `make update-official FROM=<folder>` (or run "
        "`python -m analysis.sources.provenance --record-checksums`) and commit both"
    )


def file_entry(path: Path, rows: bool = True) -> dict:
    """Checksum, size and (for a CSV, unless ``rows`` is false) row count of one file."""
    entry = {"sha256": sha256(path), "bytes": path.stat().st_size}
    if rows and path.suffix == ".csv":
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            entry["rows"] = sum(1 for _ in csv.reader(handle)) - 1
    return entry


def encoding_of(path: Path, declared: tables.Download = tables.ESTAT) -> str:
    """The encoding of a download, among those its portal serves: the first that decodes it whole.

    UTF-8 is tried first (a cp932 file of Japanese text is almost never valid UTF-8); a file that
    neither decodes is refused, naming the first bytes that do not decode.
    """
    data = read_bytes(path, declared.max_bytes)
    first = None
    for encoding in declared.encodings:
        try:
            data.decode(encoding)
        except UnicodeDecodeError as err:
            first = first or err
            continue
        return encoding
    assert first is not None
    raise RawDataError(
        path,
        None,
        None,
        first.object[first.start : first.start + 8],
        f"neither {' nor '.join(declared.encodings)}, the encodings the portal serves (byte {first.start:,} "
        "does not decode); the encoding is never guessed",
    )


def download_entry(path: Path, declared: tables.Download = tables.ESTAT) -> dict:
    """The record of a download kept as served: checksum and size like every raw file, the
    download date from its file name, its encoding, and the declared source, terms and citation."""
    path = Path(path)
    when = declared.downloaded(path.name)
    if when is None:
        raise RawDataError(
            path, None, None, path.name, f"not a download's name: the portal names it {declared.name_shown}"
        )
    return {
        "title": declared.full_title,
        **file_entry(path, rows=False),
        "encoding": encoding_of(path, declared),
        "downloaded": when,
        "downloaded_note": "the date in the file name, which the portal gives every download",
        "publisher": declared.publisher,
        "statistics_code": declared.statistics_code,
        "table_id": declared.table_id,
        "table_number": declared.table_number,
        "portal": declared.portal,
        "terms": declared.terms,
        "cite": declared.cite,
    }


def record_checksums(folder: Path = paths.RAW_OFFICIAL) -> None:
    """Update the checksums (and sizes and row counts) in the record after an intended change."""
    folder = Path(folder)
    record = read_record(folder)
    for name, entry in record["files"].items():
        if "sha256" in entry:
            entry.update(file_entry(folder / name, rows="rows" in entry))
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
