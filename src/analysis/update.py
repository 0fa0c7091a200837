"""``make update-official FROM=<folder> [CHECK=1]``: take in a new release of the official statistics.

A release is a folder laid out like the project's reference set (``shared/reference/``): the CSV
files, ``README.md`` (kept in ``data/raw/official/`` as ``REFERENCE-README.md``),
``article_history.md``, and ``estat/`` holding one download of the e-Stat table
(``FEH_00250012_<yymmddhhmmss>.csv``, :data:`analysis.tables.ESTAT`). Taking it in:

0. **Lock and recover.** One update of a folder runs at a time (:func:`locked`); a second is
   refused. Whatever an interrupted update left is finished or rolled back first (:func:`recover`).
1. **Stage.** The project's folder is copied to a staging folder and the release's files are
   copied over it unchanged, byte for byte (a new download replacing the old one). The
   provenance record is brought up to date there: checksum, size, row count, publishers and
   pages seen of every file, the download's declared source, terms and citation, and the release
   date from the last ``Changes: YYYY-MM-DD`` line of the release's README (never today's date,
   so that the record is reproducible). Nothing else in the record changes.
2. **Validate.** Every file is read by the project's readers and the whole build runs in memory
   on the staged folder (:func:`analysis.build.build_all`), every table checked against its
   schema. A release is refused, with one line naming file, row, column and value, when a value
   is bad, when a file of the set is missing from it, when it brings any other file, a link, or
   a name with a space or a newline, when a row's key repeats, when it is undated, dated after
   today or before the release already taken in. A refused release changes nothing.
3. **Report.** File by file: rows added, removed and changed, matched by the file's key columns
   (:data:`analysis.tables.RAW_TABLES`), never by line; for a changed row, each column that
   changed, from what to what; for a file that is not a CSV, whether it changed; for the
   download, :func:`diff_download`. Then every reconciliation status that moved between the build
   before and the build after, with the claim, the article's words and the new finding, and how
   many statuses did not move.
4. **Take in** (unless ``--check``): the changed files and the record are swapped into the folder
   together, through a journal that survives a kill (:func:`swap_raw`), and ``data/processed/``
   and the generated sections of the README and docs/ are rewritten from the build of step 2. When the release
   changes nothing, they are still checked against the raw files and rebuilt if an interrupted
   update left them behind.

This is a runner, like :mod:`analysis.build`, which it calls.

Run as ``python -m analysis.update FROM [--check] [--target DIR [--out DIR --readme FILE]]``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import build, paths, tables
from analysis import vocabulary as v
from analysis.errors import ProjectError, RawDataError
from analysis.files import exit_cleanly_on_sigterm, holds, signals_held, swap_in
from analysis.publish import readme
from analysis.sources import official, provenance
from analysis.sources.raw import check_size, read_bytes, read_raw_csv, read_text, size_limit

STEP = "make update-official"
#: Files the project keeps under another name than the release's: release name -> project name.
RENAMED = {"README.md": "REFERENCE-README.md"}
#: The folders a release may hold, each one download of a declared table: folder -> declaration.
DOWNLOADS = {d.folder: d for d in (tables.ESTAT,)}
#: A name a release's file or folder may have: make splits names on spaces, a shell on newlines.
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
#: The README line that dates a release: "Changes: 2026-11-25, ..." (the last one counts).
CHANGES_LINE = re.compile(r"^Changes: (?P<date>[^,\s]*)", re.MULTILINE)
#: In a swap's staging folder: the journal (its commit point) and the folder of staged files.
JOURNAL, STAGED = "journal.json", "files"
#: The prefix of the folders a release is staged and validated in (in .build/tmp/).
PREPARE_PREFIX = ".update-official."
UNCHANGED, CHANGED, ADDED, REMOVED = v.CHANGES
RELEASE_NOTE = (
    "the date of the last 'Changes:' line of the reference set's README (REFERENCE-README.md), "
    "recorded by make update-official when the release was taken in"
)


class Refused(ProjectError):
    """A release that cannot be taken in, with the reason in one line."""


# ---------------------------------------------------------------------------------------------
# what changed


@dataclass(frozen=True)
class RowChange:
    """One row of a CSV added, removed or changed, named by its key."""

    kind: str
    key: tuple[str, ...]
    before: dict[str, str] | None
    after: dict[str, str] | None

    @property
    def columns(self) -> dict[str, tuple[str, str]]:
        """For a changed row, each column that changed: (before, after)."""
        if self.before is None or self.after is None:
            return {}
        return {c: (self.before[c], self.after[c]) for c in self.after if self.before.get(c) != self.after[c]}


@dataclass(frozen=True)
class FileChange:
    """One file of the set: added, changed or unchanged, with its rows when it is a CSV."""

    name: str
    source: str
    kind: str
    key: tuple[str, ...] = ()
    rows: tuple[RowChange, ...] = ()
    #: What changed, in words, for a file not diffed by rows (a download).
    notes: tuple[str, ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)


@dataclass(frozen=True)
class StatusMove:
    """A reconciliation status that moved: the claim, the article's words, and the new finding."""

    claim_id: str
    number_text: str | None
    date_text: str | None
    before: str | None
    after: str | None
    finding: str | None


@dataclass
class Update:
    """A release compared with the folder it would replace, validated."""

    release: Path
    target: Path
    release_date: str
    files: list[FileChange]
    contents: dict[str, bytes]
    record_before: dict
    record_after: dict
    moved: list[StatusMove] = field(default_factory=list)
    unchanged_statuses: int = 0
    new_findings: int = 0
    built: dict[str, pd.DataFrame] = field(default_factory=dict)
    before_failed: str | None = None
    #: The downloads of the record that the release's replace (removed when it is taken in).
    replaced: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(f.kind != UNCHANGED for f in self.files) or self.record_after != self.record_before

    def file(self, name: str) -> FileChange:
        return next(f for f in self.files if f.name == name)


def key_of(name: str) -> tuple[str, ...]:
    """The key columns of a raw CSV, as declared."""
    return tuple(tables.RAW_TABLES[name].key)


def keyed_rows(path: Path, name: str, shown: Path) -> dict[tuple[str, ...], dict[str, str]]:
    """The rows of a raw CSV by their key, each as written; a repeated key is refused.

    ``shown`` is the path a refusal names (the release's file rather than the staged copy).
    """
    key = key_of(name)
    frame = read_raw_csv(path, tables.RAW_TABLES[name].columns)
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    first: dict[tuple[str, ...], int] = {}
    for record in frame.to_dict("records"):
        row = record.pop("row")
        k = tuple(record[c] for c in key)
        if k in rows:
            raise RawDataError(
                shown,
                row,
                ", ".join(key),
                ", ".join(k),
                f"the same key as row {first[k]}: one row per key, so that releases can be compared "
                "row by row (key declared in analysis.tables.RAW_TABLES)",
            )
        rows[k], first[k] = record, row
    return rows


def diff_rows(before: dict, after: dict) -> tuple[RowChange, ...]:
    """Rows added, removed and changed between two keyed versions of a file, in key order.

    >>> old = {("2019",): {"year": "2019", "value": "1"}, ("2020",): {"year": "2020", "value": "2"}}
    >>> new = {("2020",): {"year": "2020", "value": "3"}, ("2021",): {"year": "2021", "value": "4"}}
    >>> [(c.kind, c.key, c.columns) for c in diff_rows(old, new)]
    [('removed', ('2019',), {}), ('changed', ('2020',), {'value': ('2', '3')}), ('added', ('2021',), {})]
    """
    out = []
    for k in sorted(set(before) | set(after)):
        if k not in after:
            out.append(RowChange(REMOVED, k, before[k], None))
        elif k not in before:
            out.append(RowChange(ADDED, k, None, after[k]))
        elif before[k] != after[k]:
            out.append(RowChange(CHANGED, k, before[k], after[k]))
    return tuple(out)


def diff_statuses(before: dict[str, pd.DataFrame] | None, after: dict[str, pd.DataFrame]):
    """Statuses that moved (claim by claim), how many did not, and how many of those got a new finding."""
    new = after["reconciliation"].set_index("claim_id")
    old = before["reconciliation"].set_index("claim_id") if before else new.iloc[0:0]
    words = after["article_figures"].set_index("id")
    moved, unchanged, refreshed = [], 0, 0
    for claim in list(old.index) + [c for c in new.index if c not in old.index]:
        was = old.at[claim, "status"] if claim in old.index else None
        now = new.at[claim, "status"] if claim in new.index else None
        if was == now:
            unchanged += 1
            refreshed += old.at[claim, "finding"] != new.at[claim, "finding"]
            continue
        text = words.loc[claim] if claim in words.index else None
        moved.append(
            StatusMove(
                claim,
                _text(text, "number_text"),
                _text(text, "date_text"),
                was,
                now,
                new.at[claim, "finding"] if now is not None else None,
            )
        )
    return moved, unchanged, int(refreshed)


def _text(row: pd.Series | None, column: str) -> str | None:
    if row is None or pd.isna(row[column]):
        return None
    return str(row[column])


# ---------------------------------------------------------------------------------------------
# the release and its provenance


def _refuse_entry(path: Path, release: Path) -> None:
    """Refuse a link, a name that make or a shell would split or mangle, and anything not a file or folder."""
    shown = path.relative_to(release).as_posix()
    if path.is_symlink():
        raise Refused(
            f"{release}: {shown!r} is a symbolic link (to {os.readlink(path)!r}); a release holds files, never "
            "links, so nothing outside it is taken in"
        )
    if not SAFE_NAME.fullmatch(path.name):
        raise RawDataError(
            release,
            None,
            "file name",
            shown,
            "a release's file names use letters, digits, '.', '_' and '-' only, and do not start with '-' (no "
            "space, newline or other character that make or a shell would split); rename it or leave it out",
        )
    if not (path.is_file() or path.is_dir()):
        raise Refused(f"{release}: {shown!r} is neither a file nor a folder; a release is a folder of files")


def _download(folder: Path, release: Path, declared: tables.Download) -> dict[str, Path]:
    """The one download a release's download folder holds, by its name in the set."""
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    for path in entries:
        _refuse_entry(path, release)
    files = [p for p in entries if p.is_file()]
    wrong = [p for p in entries if not p.is_file() or not declared.matches(p.name)]
    if wrong:
        raise Refused(
            f"{wrong[0]}: not a download of the table; {declared.folder}/ holds exactly one file, named "
            f"{declared.name_shown} as the portal names it"
        )
    if len(files) != 1:
        what = "no file" if not files else f"{len(files)} downloads ({', '.join(p.name for p in files)})"
        raise Refused(
            f"{folder}: holds {what}; {declared.folder}/ holds exactly one download of the table "
            f"({declared.name_shown}), which replaces the one taken in before"
        )
    if declared.downloaded(files[0].name) is None:
        raise RawDataError(
            files[0], None, "file name", files[0].name, f"the name gives no download date ({declared.name_shown})"
        )
    return {f"{declared.folder}/{files[0].name}": files[0]}


def download_of(name: str) -> tables.Download | None:
    """The declared download a file of the set is (by its folder), or None for any other file.

    >>> download_of("estat/FEH_00250012_260610061045.csv").table_id, download_of("stock.csv")
    ('0004019020', None)
    """
    folder, _, _ = name.rpartition("/")
    return DOWNLOADS.get(folder)


def release_files(release: Path, record: dict) -> dict[str, Path]:
    """The release's files by the name the project keeps them under; refuses what cannot be taken in.

    A release holds the files of the set (those of the record, and a CSV whose reader is
    declared) and one folder per declared download (``estat/``, holding one download). Refused:
    a link, a name with a space, a newline or another character outside letters, digits, ``.``,
    ``_`` and ``-``; any other file or folder; a file above its source's size limit (before it is
    read); and a release missing a file of the set. Hidden names (``.DS_Store``) are left out.
    """
    release = Path(release)
    if not release.is_dir():
        raise Refused(f"{release}: not a folder (FROM must name the folder of a release)")
    found: dict[str, Path] = {}
    for path in sorted(release.iterdir()):
        if path.name.startswith("."):
            continue
        _refuse_entry(path, release)
        if path.is_dir():
            declared = DOWNLOADS.get(path.name)
            if declared is None:
                raise Refused(
                    f"{path}: a folder that is not part of the set; a release holds its files and "
                    f"{', '.join(f'{d}/' for d in DOWNLOADS)} only"
                )
            found.update(_download(path, release, declared))
            continue
        if path.name == provenance.RECORD:
            raise Refused(f"{path}: a release cannot bring {provenance.RECORD}, which is the project's own record")
        name = RENAMED.get(path.name, path.name)
        if name.endswith(".csv") and (name not in official.READERS or name not in tables.RAW_TABLES):
            raise Refused(
                f"{path}: a CSV no reader knows; add its reader to analysis.sources.official.READERS "
                "and its columns and key to analysis.tables.RAW_TABLES before taking it in"
            )
        if not name.endswith(".csv") and "sha256" not in record["files"].get(name, {}):
            raise Refused(
                f"{path}: not a file of the set, so not taken in (the set: {', '.join(_set_names(record))}); "
                "leave it out of the release"
            )
        found[name] = path
    for name, path in found.items():
        check_size(path, size_limit(name))
    for name, entry in record["files"].items():
        declared = download_of(name)
        if (
            "sha256" in entry
            and name not in found
            and not (declared and any(download_of(n) is declared for n in found))
        ):
            given = next((r for r, n in RENAMED.items() if n == name), declared.folder if declared else name)
            raise Refused(
                f"{release / given}{'/' if declared else ''}: missing from the release; a release carries every file of the set "
                f"(data/raw/official/{name} is read or cited)"
            )
    return found


def _set_names(record: dict) -> list[str]:
    """The files a release may hold, as the release names them."""
    release_name = {n: r for r, n in RENAMED.items()}
    names = {release_name.get(n, n) for n, e in record["files"].items() if "sha256" in e and not download_of(n)}
    names |= set(official.READERS) & set(tables.RAW_TABLES)
    return sorted(names) + [f"{d.folder}/{d.name_shown}" for d in DOWNLOADS.values()]


def release_date(readme_path: Path, today: date) -> str:
    """The date of the README's last ``Changes: YYYY-MM-DD`` line, required and not after ``today``."""
    lines = CHANGES_LINE.findall(read_text(readme_path))
    if not lines:
        raise RawDataError(
            readme_path,
            None,
            "Changes:",
            "",
            "no 'Changes: YYYY-MM-DD' line; a release is dated by its README's last one, so that an older "
            "release cannot replace a newer one",
        )
    text = lines[-1]
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise RawDataError(
            readme_path, None, "Changes:", text, "the last 'Changes:' line must start with a date YYYY-MM-DD"
        ) from None
    if when > today:
        raise RawDataError(
            readme_path,
            None,
            "Changes:",
            text,
            f"after today ({today.isoformat()}, by this machine's clock); a release cannot be dated in the future",
        )
    return when.isoformat()


def csv_facts(path: Path, name: str) -> dict:
    """The publishers and pages seen of a raw CSV, as its provenance entry lists them."""
    frame = read_raw_csv(path, tables.RAW_TABLES[name].columns)
    publishers = sorted(set(frame["publisher"])) if "publisher" in frame else []
    pages = sorted({url for cell in frame["sources"] for url in cell.split()}) if "sources" in frame else []
    return {"publishers": publishers, "pages_seen": pages}


def updated_record(
    record: dict, folder: Path, copied: list[str], when: str | None, replaced: list[str] | tuple[str, ...] = ()
) -> dict:
    """The provenance record with the ``copied`` files of ``folder`` measured, and the release dated.

    Hand-written fields (title, population, notes) are kept, and so is their order; a file new
    to the record gets a title (the declared one for a CSV) and the measured fields. A download
    (``estat/``) is recorded from its declaration (:func:`analysis.sources.provenance.download_entry`),
    and the entry of the download it ``replaced`` goes.
    """
    out: dict = {}
    for k, val in json.loads(json.dumps(record)).items():
        if k == "files" and "release" not in out:
            out["release"], out["release_note"] = when, RELEASE_NOTE
        out[k] = val
        if k == "copied":
            out["release"], out["release_note"] = when, record.get("release_note", RELEASE_NOTE)
    out["release"] = when
    for name in replaced:
        out["files"].pop(name, None)
    for name in copied:
        declared = download_of(name)
        if declared is not None:
            out["files"][name] = provenance.download_entry(folder / name, declared)
            continue
        entry = out["files"].setdefault(name, {"title": _declared_title(name)})
        entry.update(provenance.file_entry(folder / name))
        if name.endswith(".csv"):
            entry.update(csv_facts(folder / name, name))
    return out


def _declared_title(name: str) -> str:
    if name in tables.RAW_TABLES:
        return tables.RAW_TABLES[name].description
    return "not yet described (new in a release; describe it here by hand)"


def record_changes(before: dict, after: dict) -> list[str]:
    """What the update changes in the provenance record, in words, one item per entry."""
    out = []
    if before.get("release") != after.get("release"):
        out.append(f"release: {before.get('release') or 'none recorded'} -> {after.get('release') or 'unknown'}")
    for name in before["files"]:
        if name not in after["files"]:
            out.append(f"{name}: entry removed")
    for name, entry in after["files"].items():
        old = before["files"].get(name)
        if old is None:
            out.append(f"{name}: new entry")
            continue
        moved = [k for k in entry if old.get(k) != entry[k]]
        if not moved:
            continue
        words = []
        for k in moved:
            if k in ("rows", "bytes"):
                words.append(f"{k} {old.get(k)} -> {entry[k]}")
            elif isinstance(entry[k], list):
                added = len(set(entry[k]) - set(old.get(k) or []))
                gone = len(set(old.get(k) or []) - set(entry[k]))
                words.append(f"{k} +{added} -{gone}")
            else:
                words.append(k)
        out.append(f"{name}: {', '.join(words)}")
    return out


# ---------------------------------------------------------------------------------------------
# the diff of a download


#: The key of a cell of the e-Stat table, as its reader gives them (``EstatTable.cells``).
CELL_KEY = ("period_end", "area_code", "status_code")
#: How many changed cells the report lists one by one; the rest are counted.
CELLS_LISTED = 40


def _cell_text(value: object, mark: object) -> str:
    """A cell as the report shows it: the count, or the mark written for no figure."""
    if value is None or pd.isna(value):
        return str(mark) if mark else "no figure"
    return f"{int(value):,}"


def diff_cells(old: pd.DataFrame, new: pd.DataFrame, listed: int = CELLS_LISTED) -> list[str]:
    """The e-Stat table's changes by (date, nationality, status), summarised for readers.

    ``old`` and ``new`` are the cells of two downloads, as the table's reader gives them (one row
    per ``period_end``, ``area_code`` and ``status_code``, with the labels ``area`` and
    ``status``, the count ``value`` and the ``mark`` written where there is none). A date that is
    new or gone is summarised in one line, never listed cell by cell; at the dates both have, an
    area or a status that is new or gone is summarised too, and every cell whose value changed is
    listed (up to ``listed``, then counted), from what to what.

    >>> cells = lambda rows: pd.DataFrame(rows, columns=[*CELL_KEY, "area", "status", "value", "mark"])
    >>> old = cells([("2025-06-30", "0000", "1010", "総数", "総数", 10, ""), ("2025-06-30", "2000", "1010", "X", "総数", 4, "")])
    >>> new = cells([("2025-06-30", "0000", "1010", "総数", "総数", 10, ""), ("2025-06-30", "2000", "1010", "X", "総数", 5, ""),
    ...              ("2025-12-31", "0000", "1010", "総数", "総数", 12, "")])
    >>> print("\\n".join(diff_cells(old, new)))
    date added: 2025-12-31, 1 area (nationalities, regions, sub-rows) x 1 status, all residents 12 (not listed cell by cell)
    1 cell changed at the dates both have:
      ~ 2025-06-30, X (2000), 総数: 4 -> 5
    """
    lines = []
    old_dates, new_dates = set(old["period_end"]), set(new["period_end"])
    for label, dates, frame in (("added", new_dates - old_dates, new), ("removed", old_dates - new_dates, old)):
        for when in sorted(dates, key=str):
            at = frame[frame["period_end"] == when]
            total = at[(at["area_code"] == at["area_code"].min()) & (at["status_code"] == at["status_code"].min())]
            everyone = _cell_text(total["value"].iloc[0], total["mark"].iloc[0]) if len(total) else "no figure"
            lines.append(
                f"date {label}: {when}, {at['area_code'].nunique()} area{'s' * (at['area_code'].nunique() != 1)} "
                f"(nationalities, regions, sub-rows) x {at['status_code'].nunique()} "
                f"status{'es' * (at['status_code'].nunique() != 1)}, all residents {everyone} (not listed cell by cell)"
            )
    both = old_dates & new_dates
    merged = old[old["period_end"].isin(both)].merge(
        new[new["period_end"].isin(both)], on=list(CELL_KEY), how="outer", suffixes=("_old", "_new"), indicator=True
    )
    for side, word, suffix, other in (("right_only", "added", "_new", old), ("left_only", "removed", "_old", new)):
        part = merged[merged["_merge"] == side]
        other = other[other["period_end"].isin(both)]
        explained = pd.Series(False, index=part.index)
        for what, code, name in (("area", "area_code", "area"), ("status", "status_code", "status")):
            fresh = part[~part[code].isin(set(other[code]))]
            explained |= part.index.isin(fresh.index)
            for value, rows in fresh.groupby(code, sort=True):
                dates = rows["period_end"].nunique()
                lines.append(
                    f"{what} {word}: {rows[name + suffix].iloc[0]} ({value}), {len(rows)} cells at {dates} "
                    f"date{'s' * (dates != 1)}"
                )
        if (~explained).any():
            lines.append(f"{int((~explained).sum())} other cells {word} at the dates both have")
    matched = merged[merged["_merge"] == "both"]
    old_text = [_cell_text(v, m) for v, m in zip(matched["value_old"], matched["mark_old"], strict=True)]
    new_text = [_cell_text(v, m) for v, m in zip(matched["value_new"], matched["mark_new"], strict=True)]
    changed = matched.assign(before=old_text, after=new_text).query("before != after")
    if len(changed):
        lines.append(f"{len(changed):,} cell{'s' * (len(changed) != 1)} changed at the dates both have:")
        for row in changed.sort_values(list(CELL_KEY), key=lambda c: c.astype(str)).head(listed).itertuples():
            lines.append(
                f"  ~ {row.period_end}, {row.area_new} ({row.area_code}), {row.status_new}: {row.before} -> {row.after}"
            )
        if len(changed) > listed:
            lines.append(f"  ... and {len(changed) - listed:,} more")
    return lines


def _reader() -> Callable[[Path], pd.DataFrame] | None:
    """The e-Stat table's cells by path, when its reader (``analysis.sources.estat.read_estat``) exists."""
    try:
        from analysis.sources import estat  # written beside this module; absent until it lands
    except ImportError:
        return None
    read = getattr(estat, "read_estat", None)
    return None if read is None else (lambda path: read(path).cells)


def diff_download(old: Path | None, new: Path) -> list[str]:
    """What changed between two downloads of the e-Stat table, summarised for readers: the hook
    for the table's diff by (date, nationality, status).

    ``old`` is the download taken in before (None for the first one), ``new`` the release's. It
    names both downloads (dates, encodings) and says whether the text is the same cell for cell;
    when the table's reader, ``analysis.sources.estat.read_estat(path)``, is there, it reads both
    (a new download that fails its validation is refused) and adds :func:`diff_cells`.
    """
    declared = tables.ESTAT
    new_enc = provenance.encoding_of(new, declared)
    first = f"downloaded {declared.downloaded(new.name)}, {new_enc}, {new.stat().st_size:,} bytes"
    read = _reader()
    new_cells = read(new) if read is not None else None
    if old is None:
        return ["the first download of the table taken in; " + first]
    lines = [first]
    old_enc = provenance.encoding_of(old, declared)
    if old.name != new.name:
        lines.append(f"replaces {old.name} (downloaded {declared.downloaded(old.name)}, {old_enc})")
    old_text = read_bytes(old, declared.max_bytes).decode(old_enc).removeprefix("\ufeff")
    new_text = read_bytes(new, declared.max_bytes).decode(new_enc).removeprefix("\ufeff")
    if old_text.splitlines() == new_text.splitlines():
        lines.append("the same table, cell for cell (only the encoding, line endings or name differ)")
    elif new_cells is None:
        lines.append(
            "the table's cells changed; the diff by date, nationality and status comes with the table's "
            "reader (analysis.sources.estat.read_estat), which is not here yet"
        )
    else:
        try:
            old_cells = read(old)
        except RawDataError as err:
            return [*lines, f"the download taken in before does not pass today's reader ({err}); no cell diff"]
        lines += diff_cells(old_cells, new_cells) or ["the same cells, written differently"]
    return lines


# ---------------------------------------------------------------------------------------------
# staging, validating, taking in


def _copy_bytes(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())


def _named_in_release(err: RawDataError, staging: Path, sources: dict[str, Path]) -> RawDataError:
    """The same refusal, naming the release's file instead of its staged copy."""
    where = paths.under_root(err.file)
    try:
        name = where.resolve().relative_to(staging.resolve()).as_posix()
    except ValueError:
        return err
    if name in sources:
        return RawDataError(sources[name], err.row, err.column, err.value, err.reason)
    return err


def _replaced(record: dict, sources: dict[str, Path], today: date) -> list[str]:
    """The downloads of the record that the release's downloads replace; an older download, or one
    dated after today, is refused."""
    out = []
    for name, path in sources.items():
        declared = download_of(name)
        if declared is None:
            continue
        when = declared.downloaded(path.name) or ""
        if when > today.isoformat():
            raise RawDataError(
                path, None, "file name", path.name, f"downloaded {when} by its name, after today ({today.isoformat()})"
            )
        for old in record["files"]:
            if old != name and download_of(old) is declared:
                before = declared.downloaded(old.rpartition("/")[2]) or ""
                if path.name < old.rpartition("/")[2]:  # yymmddhhmmss: the name's order is the time's
                    raise RawDataError(
                        path,
                        None,
                        "file name",
                        path.name,
                        f"downloaded {when}, before the download already taken in ({old}, {before}); "
                        "an older download is not taken in",
                    )
                out.append(old)
    return out


def prepare(
    release: Path,
    target: Path = paths.RAW_OFFICIAL,
    tmp: Path | None = None,
    before: dict | None = None,
    today: date | None = None,
) -> Update:
    """Stage the release over a copy of ``target``, validate it and compare it; write nothing in ``target``.

    ``tmp`` is where the staging folder is made (default: ``.build/tmp`` for the project's own
    folder, beside ``target`` otherwise); it is removed before this returns. ``before`` is the
    build of ``target`` when the caller has it already (else it is built here). ``today`` is the
    date a release may not be dated after (default: the machine's clock). A release that holds
    the folder's files byte for byte is not built: nothing in it can move.
    """
    release, target = Path(release), Path(target)
    today = today or date.today()
    record = provenance.read_record(target)
    sources = release_files(release, record)
    readme_path = sources.get(RENAMED["README.md"])
    if readme_path is None:
        raise Refused(f"{release / 'README.md'}: missing; a release is dated by its README's last 'Changes:' line")
    when = release_date(readme_path, today)
    if record.get("release") and when < record["release"]:
        raise Refused(
            f"{readme_path}: dated {when}, before the release already taken in "
            f"({record['release']}); an older release is not taken in"
        )
    replaced = _replaced(record, sources, today)
    if tmp is None:
        tmp = paths.TMP if target.resolve() == paths.RAW_OFFICIAL.resolve() else target.parent
    tmp.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{PREPARE_PREFIX}{target.name}.", dir=tmp))
    try:
        for name in record["files"]:
            if name not in replaced:
                _copy_bytes(target / name, staging / name)
        for name, path in sources.items():
            _copy_bytes(path, staging / name)
        try:
            new_record = updated_record(record, staging, list(sources), when, replaced)
            (staging / provenance.RECORD).write_text(
                json.dumps(new_record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            files = compare_files(target, staging, record, sources, replaced)
            update = Update(release, target, when, files, {}, record, new_record, replaced=replaced)
            if not update.changed:
                return update
            update.built = build.build_all(build.Inputs(official=staging))
        except RawDataError as err:
            raise _named_in_release(err, staging, sources) from None
        update.contents = {name: (staging / name).read_bytes() for name in sources}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if before is None:
        try:
            before = build.build_all(build.Inputs(official=target))
        except ProjectError as err:
            update.before_failed = str(err)
    update.moved, update.unchanged_statuses, update.new_findings = diff_statuses(before, update.built)
    return update


def compare_files(
    target: Path, staging: Path, record: dict, sources: dict[str, Path], replaced: list[str] | tuple[str, ...] = ()
) -> list[FileChange]:
    """Every file of the staged release against the project's copy, in the record's order, new files
    last, then the downloads the release's replace."""
    names = [n for n in record["files"] if n in sources] + sorted(n for n in sources if n not in record["files"])
    out = []
    for name in names:
        source = (Path(name).parent / sources[name].name).as_posix()
        old, new = target / name, staging / name
        if download_of(name) is not None:
            previous = old if old.exists() else next((target / r for r in replaced), None)
            same = old.exists() and old.read_bytes() == new.read_bytes()
            kind = UNCHANGED if same else (CHANGED if old.exists() else ADDED)
            notes = () if same else tuple(diff_download(previous, new))
            out.append(FileChange(name, source, kind, notes=notes))
        elif not old.exists():
            rows = diff_rows({}, keyed_rows(new, name, sources[name])) if name.endswith(".csv") else ()
            out.append(FileChange(name, source, ADDED, key_of(name) if rows else (), rows))
        elif not name.endswith(".csv"):
            out.append(FileChange(name, source, UNCHANGED if old.read_bytes() == new.read_bytes() else CHANGED))
        else:
            rows = diff_rows(keyed_rows(old, name, old), keyed_rows(new, name, sources[name]))
            same = old.read_bytes() == new.read_bytes()
            out.append(FileChange(name, source, UNCHANGED if same else CHANGED, key_of(name), rows))
    out += [FileChange(name, "", REMOVED, notes=("replaced by the release's download",)) for name in replaced]
    return out


# ---------------------------------------------------------------------------------------------
# taking in: a journaled swap, one update at a time


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's update lock (an exclusive ``flock`` on the folder itself) while the body runs.

    A second update of the same folder is refused at once rather than interleaved, so a release
    is always judged against the one taken in just before it. The lock goes with the process, even
    one killed with SIGKILL.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise Refused(f"{folder}: not a folder of raw files")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Refused(
                "another make update-official is taking a release into this folder; "
                "run this one again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_raw(folder: Path, texts: dict[str, str | bytes], remove: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """Write files into ``folder`` (and remove others) so that, even if the process is killed, the
    next update finishes the change whole or finds nothing changed (:func:`recover`).

    Every new file is first written in full to a staging folder beside ``folder``
    (``.<folder>.*.staging/files/``), then a journal naming what to write and remove is written
    there, atomically: that is the commit point. The files are then renamed into place, the
    removed ones removed, with Ctrl-C and SIGTERM held, and the journal removed last. Unchanged
    files keep their time stamp. Returns the files written and removed.
    """
    folder = Path(folder)
    changed = {n: t for n, t in texts.items() if not holds(folder / n, t)}
    gone = [n for n in remove if (folder / n).exists()]
    if not changed and not gone:
        return []
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".staging", dir=folder.parent))
    try:
        for name, text in changed.items():
            path = staging / STAGED / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            os.chmod(path, 0o644)
            _fsync(path)
        journal = staging / JOURNAL
        pending = journal.with_suffix(".tmp")
        pending.write_text(json.dumps({"write": sorted(changed), "remove": gone}, indent=1), encoding="utf-8")
        _fsync(pending)
        os.replace(pending, journal)
        _fsync(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return finish_swap(folder, staging)


def finish_swap(folder: Path, staging: Path) -> list[Path]:
    """Carry out a committed swap's journal: rename what is still staged into ``folder``, remove what
    it names, then remove the journal and the staging folder. Safe to run again after a kill."""
    journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    with signals_held():
        for name in journal["write"]:
            source = staging / STAGED / name
            if source.exists():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, folder / name)
        for name in journal["remove"]:
            (folder / name).unlink(missing_ok=True)
        _fsync(folder)
        (staging / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return [folder / n for n in journal["write"] + journal["remove"]]


def recover(folder: Path, tmp: Path | None = None) -> list[str]:
    """Finish or roll back whatever an interrupted update of ``folder`` left; what was done, in words.

    A staging folder with its journal was committed: its swap is finished. One without was
    interrupted before anything in ``folder`` changed: it is removed. Validation folders left in
    ``tmp`` (the process was killed) are removed too. Run only with the folder's lock held.
    """
    folder = Path(folder)
    done = []
    for staging in provenance.staging_folders(folder):
        if (staging / JOURNAL).exists():
            changed = finish_swap(folder, staging)
            names = ", ".join(paths.relative(p) for p in changed) or "nothing left to move"
            done.append(f"finished the update that was interrupted while swapping files in: {names}")
        else:
            shutil.rmtree(staging, ignore_errors=True)
            done.append(
                f"rolled back an update interrupted before it changed anything (removed {paths.relative(staging)}/)"
            )
    if tmp is not None:
        for left in Path(tmp).glob(f"{PREPARE_PREFIX}{folder.name}.*"):
            shutil.rmtree(left, ignore_errors=True)
    return done


def take_in(update: Update) -> list[Path]:
    """Swap the release's changed files and the record into the target folder, together; the
    downloads the release replaces go in the same swap."""
    texts: dict[str, str | bytes] = dict(update.contents)
    texts[provenance.RECORD] = json.dumps(update.record_after, indent=2, ensure_ascii=False) + "\n"
    return swap_raw(update.target, texts, update.replaced)


def stale_outputs(built: dict[str, pd.DataFrame], out: Path, readme_path: Path) -> list[Path]:
    """The files built from the raw files (``out``'s tables, the generated sections of the README and docs/) that
    do not hold what ``built`` gives."""
    stale = [Path(out) / name for name, text in build.render(built).items() if not holds(Path(out) / name, text)]
    return stale + readme.stale(built, Path(readme_path).parent)


def rebuild(
    built: dict[str, pd.DataFrame], out: Path = paths.PROCESSED, readme_path: Path = paths.README
) -> list[Path]:
    """Rewrite ``data/processed/`` and the generated sections (README and docs/) from the validated build."""
    return swap_in(out, build.render(built)) + readme.write(built, Path(readme_path).parent)


# ---------------------------------------------------------------------------------------------
# the report


def _key_text(change: FileChange, row: RowChange) -> str:
    return ", ".join(f"{c} {k}" for c, k in zip(change.key, row.key, strict=True))


def _values(values: dict[str, str], key: tuple[str, ...]) -> str:
    return "; ".join(f"{c} {val!r}" for c, val in values.items() if c not in key and val != "")


def report_files(update: Update) -> list[str]:
    """The file-by-file diff, one line per file and per row."""
    lines = []
    for f in update.files:
        shown = f.name if f.source in (f.name, "") else f"{f.name} ({f.source} in the release)"
        if not f.name.endswith(".csv") or download_of(f.name) is not None:
            lines.append(f"  {shown}: {f.kind}")
            lines += [f"    {note}" for note in f.notes]
            continue
        if f.kind == UNCHANGED:
            lines.append(f"  {shown}: {UNCHANGED}")
            continue
        counts = ", ".join(f"{f.count(k)} {k}" for k in (ADDED, REMOVED, CHANGED))
        what = "new file" if f.kind == ADDED else "rows"
        lines.append(f"  {shown}: {what}: {counts} (rows keyed by {', '.join(f.key)})")
        if not f.rows:
            lines.append("    no row added, removed or changed: only the order of rows or the file's formatting")
        for row in f.rows:
            if row.kind == ADDED:
                lines.append(f"    + {_key_text(f, row)}: {_values(row.after, f.key)}")
            elif row.kind == REMOVED:
                lines.append(f"    - {_key_text(f, row)}: {_values(row.before, f.key)}")
            else:
                changes = "; ".join(f"{c} {old!r} -> {new!r}" for c, (old, new) in row.columns.items())
                lines.append(f"    ~ {_key_text(f, row)}: {changes}")
    return lines


def report_statuses(update: Update) -> list[str]:
    """Every status that moved, with the claim, the article's words and the new finding."""
    lines = []
    if update.before_failed:
        lines.append(f"  the current folder does not build ({update.before_failed}); every status is new")
    for m in update.moved:
        words = ", ".join(repr(w) for w in (m.number_text, m.date_text) if w) or "no words"
        lines.append(f"  {m.claim_id} ({words}): {m.before or 'none'} -> {m.after or 'none'}")
        if m.finding:
            lines.append(f"    finding: {m.finding}")
    refreshed = f", {update.new_findings} of them with a new finding" if update.new_findings else ""
    lines.append(f"  {len(update.moved)} moved; {update.unchanged_statuses} unchanged{refreshed}")
    return lines


def report(update: Update) -> list[str]:
    """What the release changes: files, provenance, statuses."""
    target = paths.relative(update.target)
    lines = [f"{STEP}: release {update.release} (dated {update.release_date}) against {target}/"]
    lines.append("files:")
    lines += report_files(update)
    lines.append(f"{provenance.RECORD}:")
    lines += [f"  {item}" for item in record_changes(update.record_before, update.record_after)] or ["  unchanged"]
    lines.append("reconciliation statuses:")
    lines += report_statuses(update)
    return lines


def main(argv: list[str] | None = None, today: date | None = None) -> int:
    """Compare a release with ``data/raw/official/``, and take it in unless ``--check``.

    ``today`` is the date a release may not be dated after (default: the machine's clock).
    """
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.update", description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path, nargs="?", help="folder of the new release (make: FROM=)")
    parser.add_argument("--check", action="store_true", help="dry run: report, write nothing (make: CHECK=1)")
    parser.add_argument(
        "--target",
        type=Path,
        default=paths.RAW_OFFICIAL,
        help="folder to update (default data/raw/official; data/processed/ is rebuilt only then, or with --out)",
    )
    parser.add_argument("--out", type=Path, help="folder of the processed tables built from it (with --target)")
    parser.add_argument(
        "--readme",
        type=Path,
        help="README whose generated sections, and those of the docs/ pages beside it, are built from it (with --out)",
    )
    args = parser.parse_args(argv)
    if (args.out is None) != (args.readme is None):
        parser.error("--out and --readme go together")
    target = paths.relative(args.target)
    if args.release is None:
        print(
            f"{STEP}: refused, {target}/ unchanged: name the release's folder: make update-official FROM=<folder>",
            file=sys.stderr,
        )
        return 2
    if args.out is None and args.target.resolve() == paths.RAW_OFFICIAL.resolve():
        args.out, args.readme = paths.PROCESSED, paths.README
    try:
        with locked(args.target):
            return _run(args, today or date.today())
    except ProjectError as err:
        print(f"{STEP}: refused, {target}/ unchanged: {err}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, today: date) -> int:
    """The update, with the folder's lock held."""
    target = paths.relative(args.target)
    tmp = paths.TMP if args.target.resolve() == paths.RAW_OFFICIAL.resolve() else args.target.parent
    left = provenance.staging_folders(args.target)
    if left and args.check:
        raise Refused(
            f"an interrupted update left {paths.relative(left[0])}/; a dry run writes nothing, so run "
            f"make update-official FROM={args.release} without CHECK to finish or roll it back first"
        )
    for line in recover(args.target, tmp):
        print(f"{STEP}: {line}")
    update = prepare(args.release, args.target, today=today)
    if not update.changed:
        return _unchanged(args, update)
    print("\n".join(report(update)))
    if args.check:
        print(
            f"{STEP}: dry run: the release can be taken in; nothing was written "
            f"(take it in with: make update-official FROM={args.release})"
        )
        return 0
    try:
        written = take_in(update)
        print(f"{STEP}: took in the release: rewrote {', '.join(paths.relative(p) for p in written)}")
        if args.out is None:
            print(f"{STEP}: data/processed/ not rebuilt ({target}/ is not data/raw/official/)")
            return 0
        try:
            rebuilt = rebuild(update.built, args.out, args.readme)
        except OSError as err:
            print(
                f"{STEP}: {target}/ was updated, but {paths.relative(args.out)}/ could not be rebuilt "
                f"({err.strerror}); run: make data",
                file=sys.stderr,
            )
            return 1
    except OSError as err:
        print(
            f"{STEP}: refused, {target}/ unchanged: could not write {err.filename or target}: {err.strerror}",
            file=sys.stderr,
        )
        return 1
    except (KeyboardInterrupt, SystemExit) as err:
        swapped = provenance.read_record(args.target) == update.record_after
        if not swapped:
            print(f"{STEP}: interrupted; {target}/ unchanged, nothing taken in", file=sys.stderr)
        else:
            built_from = f"{paths.relative(args.out)}/ and the README were" if args.out else "nothing else was"
            print(
                f"{STEP}: interrupted after {target}/ took in the release; {built_from} not yet rebuilt from it: "
                f"run the same command again to finish (it rebuilds what is not current)",
                file=sys.stderr,
            )
        return err.code if isinstance(err, SystemExit) and isinstance(err.code, int) else 130
    shown = ", ".join(paths.relative(p) for p in rebuilt) or "nothing (already up to date)"
    print(f"{STEP}: rebuilt from it: {shown}")
    return 0


def _unchanged(args: argparse.Namespace, update: Update) -> int:
    """A release the folder already holds: say so, once what is built from the folder is current too."""
    target = paths.relative(args.target)
    same = f"{args.release} holds the files of {target}/ byte for byte"
    if args.out is None:
        print(f"{STEP}: nothing changed: {same}")
        return 0
    built = build.build_all(build.Inputs(official=args.target))
    stale = stale_outputs(built, args.out, args.readme)
    if not stale:
        print(f"{STEP}: nothing changed: {same}, and what is built from it is current")
        return 0
    names = ", ".join(paths.relative(p) for p in stale)
    if args.check:
        print(
            f"{STEP}: nothing to take in ({same}), but {names} are not current with it (an interrupted update?); "
            "dry run: nothing was written; a run without CHECK=1, or make data, rebuilds them"
        )
        return 0
    try:
        rebuilt = rebuild(built, args.out, args.readme)
    except KeyboardInterrupt:
        print(f"{STEP}: interrupted while rebuilding; run the same command again to finish", file=sys.stderr)
        return 130
    print(
        f"{STEP}: nothing to take in ({same}), but what is built from it was not current (an interrupted "
        f"update?): rebuilt {', '.join(paths.relative(p) for p in rebuilt)}"
    )
    return 0


if __name__ == "__main__":
    from analysis import cli

    sys.exit(cli.entry(main))
