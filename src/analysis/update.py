"""``make update-official FROM=<folder> [CHECK=1]``: take in a new release of the official statistics.

A release is a folder laid out like the project's reference set (``shared/reference/``): the CSV
files, ``README.md`` (kept in ``data/raw/official/`` as ``REFERENCE-README.md``) and
``article_history.md``. Taking it in:

1. **Stage.** The project's folder is copied to a staging folder and the release's files are
   copied over it unchanged, byte for byte. The provenance record is brought up to date there:
   checksum, size, row count, publishers and pages seen of every file, and the release date from
   the last ``Changes: YYYY-MM-DD`` line of the release's README (never today's date, so that the
   record is reproducible). Nothing else in the record changes.
2. **Validate.** Every file is read by the project's readers and the whole build runs in memory
   on the staged folder (:func:`analysis.build.build_all`), every table checked against its
   schema. A release is refused, with one line naming file, row, column and value, when a value
   is bad, when a file of the set is missing from it, when it brings a CSV no reader knows
   (:data:`analysis.sources.official.READERS`), when a row's key repeats, or when it is dated
   before the release already taken in. A refused release changes nothing.
3. **Report.** File by file: rows added, removed and changed, matched by the file's key columns
   (:data:`analysis.tables.RAW_TABLES`), never by line; for a changed row, each column that
   changed, from what to what; for a file that is not a CSV, whether it changed. Then every
   reconciliation status that moved between the build before and the build after, with the claim,
   the article's words and the new finding, and how many statuses did not move.
4. **Take in** (unless ``--check``): the changed files and the record are swapped into the folder
   together (:func:`analysis.files.swap_in`), and, for the project's own folder,
   ``data/processed/`` and the README's generated sections are rewritten from the build of step 2.

This is a runner, like :mod:`analysis.build`, which it calls.

Run as ``python -m analysis.update FROM [--check] [--target DIR]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import build, paths, tables
from analysis import vocabulary as v
from analysis.errors import ProjectError, RawDataError
from analysis.files import exit_cleanly_on_sigterm, swap_in, write_text
from analysis.publish import readme
from analysis.sources import official, provenance
from analysis.sources.raw import read_raw_csv, read_text

STEP = "make update-official"
#: Files the project keeps under another name than the release's: release name -> project name.
RENAMED = {"README.md": "REFERENCE-README.md"}
#: The README line that dates a release: "Changes: 2026-11-25, ..." (the last one counts).
CHANGES_LINE = re.compile(r"^Changes: (?P<date>[^,\s]*)", re.MULTILINE)
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
    release_date: str | None
    files: list[FileChange]
    contents: dict[str, bytes]
    record_before: dict
    record_after: dict
    moved: list[StatusMove] = field(default_factory=list)
    unchanged_statuses: int = 0
    new_findings: int = 0
    built: dict[str, pd.DataFrame] = field(default_factory=dict)
    before_failed: str | None = None

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


def release_files(release: Path, record: dict) -> dict[str, Path]:
    """The release's files by the name the project keeps them under; refuses what cannot be taken in."""
    if not release.is_dir():
        raise Refused(f"{release}: not a folder (FROM must name the folder of a release)")
    found: dict[str, Path] = {}
    for path in sorted(release.iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_file():
            raise Refused(f"{path}: not a file (a release is one folder of files)")
        if path.name == provenance.RECORD:
            raise Refused(f"{path}: a release cannot bring {provenance.RECORD}, which is the project's own record")
        name = RENAMED.get(path.name, path.name)
        if name.endswith(".csv") and (name not in official.READERS or name not in tables.RAW_TABLES):
            raise Refused(
                f"{path}: a CSV no reader knows; add its reader to analysis.sources.official.READERS "
                "and its columns and key to analysis.tables.RAW_TABLES before taking it in"
            )
        found[name] = path
    for name, entry in record["files"].items():
        if "sha256" in entry and name not in found:
            given = next((r for r, n in RENAMED.items() if n == name), name)
            raise Refused(
                f"{release / given}: missing from the release; a release carries every file of the set "
                f"(data/raw/official/{name} is read or cited)"
            )
    return found


def release_date(readme_path: Path | None) -> str | None:
    """The date of the README's last ``Changes: YYYY-MM-DD`` line (None when it has none)."""
    if readme_path is None:
        return None
    lines = CHANGES_LINE.findall(read_text(readme_path))
    if not lines:
        return None
    text = lines[-1]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise RawDataError(
            readme_path, None, None, text, "the last 'Changes:' line must start with a date YYYY-MM-DD"
        ) from None


def csv_facts(path: Path, name: str) -> dict:
    """The publishers and pages seen of a raw CSV, as its provenance entry lists them."""
    frame = read_raw_csv(path, tables.RAW_TABLES[name].columns)
    publishers = sorted(set(frame["publisher"])) if "publisher" in frame else []
    pages = sorted({url for cell in frame["sources"] for url in cell.split()}) if "sources" in frame else []
    return {"publishers": publishers, "pages_seen": pages}


def updated_record(record: dict, folder: Path, copied: list[str], when: str | None) -> dict:
    """The provenance record with the ``copied`` files of ``folder`` measured, and the release dated.

    Hand-written fields (title, population, notes) are kept, and so is their order; a file new
    to the record gets a title (the declared one for a CSV) and the measured fields.
    """
    out: dict = {}
    for k, val in json.loads(json.dumps(record)).items():
        if k == "files" and "release" not in out:
            out["release"], out["release_note"] = when, RELEASE_NOTE
        out[k] = val
        if k == "copied":
            out["release"], out["release_note"] = when, record.get("release_note", RELEASE_NOTE)
    out["release"] = when
    for name in copied:
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
# staging, validating, taking in


def _copy_bytes(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


def _named_in_release(err: RawDataError, staging: Path, sources: dict[str, Path]) -> RawDataError:
    """The same refusal, naming the release's file instead of its staged copy."""
    where = paths.under_root(err.file)
    if where.parent.resolve() == staging.resolve() and where.name in sources:
        return RawDataError(sources[where.name], err.row, err.column, err.value, err.reason)
    return err


def prepare(
    release: Path, target: Path = paths.RAW_OFFICIAL, tmp: Path | None = None, before: dict | None = None
) -> Update:
    """Stage the release over a copy of ``target``, validate it and compare it; write nothing in ``target``.

    ``tmp`` is where the staging folder is made (default: ``.build/tmp`` for the project's own
    folder, beside ``target`` otherwise); it is removed before this returns. ``before`` is the
    build of ``target`` when the caller has it already (else it is built here). A release that
    holds the folder's files byte for byte is not built: nothing in it can move.
    """
    release, target = Path(release), Path(target)
    record = provenance.read_record(target)
    sources = release_files(release, record)
    when = release_date(sources.get(RENAMED["README.md"]))
    if when and record.get("release") and when < record["release"]:
        raise Refused(
            f"{sources[RENAMED['README.md']]}: dated {when}, before the release already taken in "
            f"({record['release']}); an older release is not taken in"
        )
    if tmp is None:
        tmp = paths.TMP if target.resolve() == paths.RAW_OFFICIAL.resolve() else target.parent
    tmp.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".update-official.", dir=tmp))
    try:
        for name in record["files"]:
            _copy_bytes(target / name, staging / name)
        for name, path in sources.items():
            _copy_bytes(path, staging / name)
        try:
            new_record = updated_record(record, staging, list(sources), when)
            (staging / provenance.RECORD).write_text(
                json.dumps(new_record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            files = compare_files(target, staging, record, sources)
            update = Update(release, target, when, files, {}, record, new_record)
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


def compare_files(target: Path, staging: Path, record: dict, sources: dict[str, Path]) -> list[FileChange]:
    """Every file of the staged release against the project's copy, in the record's order, new files last."""
    names = [n for n in record["files"] if n in sources] + sorted(n for n in sources if n not in record["files"])
    out = []
    for name in names:
        source = sources[name].name
        old, new = target / name, staging / name
        if not old.exists():
            rows = diff_rows({}, keyed_rows(new, name, sources[name])) if name.endswith(".csv") else ()
            out.append(FileChange(name, source, ADDED, key_of(name) if rows else (), rows))
        elif not name.endswith(".csv"):
            out.append(FileChange(name, source, UNCHANGED if old.read_bytes() == new.read_bytes() else CHANGED))
        else:
            rows = diff_rows(keyed_rows(old, name, old), keyed_rows(new, name, sources[name]))
            same = old.read_bytes() == new.read_bytes()
            out.append(FileChange(name, source, UNCHANGED if same else CHANGED, key_of(name), rows))
    return out


def take_in(update: Update) -> list[Path]:
    """Swap the release's changed files and the record into the target folder, together."""
    texts: dict[str, str | bytes] = dict(update.contents)
    texts[provenance.RECORD] = json.dumps(update.record_after, indent=2, ensure_ascii=False) + "\n"
    return swap_in(update.target, texts)


def rebuild(built: dict[str, pd.DataFrame]) -> list[Path]:
    """Rewrite ``data/processed/`` and the README's generated sections from the validated build."""
    written = swap_in(paths.PROCESSED, build.render(built))
    if write_text(paths.README, readme.update(paths.README.read_text(encoding="utf-8"), built)):
        written.append(paths.README)
    return written


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
        shown = f.name if f.source == f.name else f"{f.name} ({f.source} in the release)"
        if not f.name.endswith(".csv"):
            lines.append(f"  {shown}: {f.kind}")
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
    dated = f"dated {update.release_date}" if update.release_date else "undated (its README has no 'Changes:' line)"
    lines = [f"{STEP}: release {update.release} ({dated}) against {target}/"]
    lines.append("files:")
    lines += report_files(update)
    lines.append(f"{provenance.RECORD}:")
    lines += [f"  {item}" for item in record_changes(update.record_before, update.record_after)] or ["  unchanged"]
    lines.append("reconciliation statuses:")
    lines += report_statuses(update)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Compare a release with ``data/raw/official/``, and take it in unless ``--check``."""
    exit_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(prog="python -m analysis.update", description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path, nargs="?", help="folder of the new release (make: FROM=)")
    parser.add_argument("--check", action="store_true", help="dry run: report, write nothing (make: CHECK=1)")
    parser.add_argument(
        "--target",
        type=Path,
        default=paths.RAW_OFFICIAL,
        help="folder to update (default data/raw/official; data/processed/ is rebuilt only then)",
    )
    args = parser.parse_args(argv)
    target = paths.relative(args.target)
    if args.release is None:
        print(
            f"{STEP}: refused, {target}/ unchanged: name the release's folder: make update-official FROM=<folder>",
            file=sys.stderr,
        )
        return 2
    try:
        update = prepare(args.release, args.target)
    except ProjectError as err:
        print(f"{STEP}: refused, {target}/ unchanged: {err}", file=sys.stderr)
        return 1
    if not update.changed:
        print(f"{STEP}: nothing changed: {args.release} holds the files of {target}/ byte for byte")
        return 0
    print("\n".join(report(update)))
    if args.check:
        print(
            f"{STEP}: dry run: the release can be taken in; nothing was written "
            f"(take it in with: make update-official FROM={args.release})"
        )
        return 0
    try:
        written = take_in(update)
    except OSError as err:
        print(
            f"{STEP}: refused, {target}/ unchanged: could not write {err.filename or target}: {err.strerror}",
            file=sys.stderr,
        )
        return 1
    print(f"{STEP}: took in the release: rewrote {', '.join(paths.relative(p) for p in written)}")
    if args.target.resolve() != paths.RAW_OFFICIAL.resolve():
        print(f"{STEP}: data/processed/ not rebuilt ({target}/ is not data/raw/official/)")
        return 0
    try:
        rebuilt = rebuild(update.built)
    except OSError as err:
        print(
            f"{STEP}: {target}/ was updated, but data/processed/ could not be rebuilt ({err.strerror}); run: make data",
            file=sys.stderr,
        )
        return 1
    shown = ", ".join(paths.relative(p) for p in rebuilt) or "nothing (already up to date)"
    print(f"{STEP}: rebuilt from it: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
