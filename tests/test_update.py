"""``make update-official``: a release is diffed by key, re-judged, and taken in whole or not at all.

Every test works on a copy of ``data/raw/official/`` in a temporary folder (``--target``), so
nothing here writes into the work tree.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest

from analysis import paths, tables, update
from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.publish.readme import FILES as GENERATED_PAGES
from analysis.sources import official, provenance, raw

UNCHANGED, CHANGED, ADDED, REMOVED = v.CHANGES
#: The date the tests run on, whatever the clock says (a release may not be dated after it).
TODAY = date(2026, 12, 1)

pytestmark = pytest.mark.slow  # every test here builds the project


def _bytes_of(path):
    """What a build reads of an input: each file's name and checksum under a folder, or one file's."""
    path = Path(path)
    if path.is_dir():
        return tuple((p.relative_to(path).as_posix(), raw.sha256(p)) for p in sorted(path.rglob("*")) if p.is_file())
    return raw.sha256(path)


@pytest.fixture(autouse=True, scope="module")
def builds_kept_by_their_inputs_bytes():
    """The update's builds, kept for this module by the bytes of their inputs.

    Many tests here build the same folder (the committed set before a release, the same synthetic
    release after it), and a build is a function of its inputs' bytes alone. A build of other bytes
    runs, a build that fails is not kept, and every call gets its own copy of the tables.
    """
    from analysis import build

    real, kept = build.build_all, {}

    def build_all(inputs=None, official=None):
        inputs = inputs or build.Inputs()
        if official is not None or inputs.revision is not None:
            return real(inputs, official)
        key = tuple(_bytes_of(getattr(inputs, f.name)) for f in dataclasses.fields(inputs) if f.name != "revision")
        if key not in kept:
            kept[key] = real(inputs)
        return {name: frame.copy(deep=True) for name, frame in kept[key].items()}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "build_all", build_all)
        yield


def copy_of_official(folder):
    """A copy of data/raw/official/, the folder a release is taken into."""
    shutil.copytree(paths.RAW_OFFICIAL, folder)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


@pytest.fixture
def official_copy(tmp_path):
    return copy_of_official(tmp_path / "official")


def release_of(folder, into):
    """A release laid out like the reference set, made from a folder of the project."""
    into.mkdir()
    for name in files_of(folder):
        if name != provenance.RECORD:
            target = into / ("README.md" if name == "REFERENCE-README.md" else name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, target)
    return into


def files_of(folder):
    """Every file of a folder, subfolders included, by its name relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder):
    return {name: (folder / name).read_bytes() for name in files_of(folder)}


#: The changes of the synthetic release: one row changed, one added, one removed.
#: A survey figure the primary table does not cover, so that a status moves (the table stands over
#: any quote of the stock).
CHANGED_TOTAL = ("2019-10-31,workers,all Vietnamese workers,401326", "2019-10-31,workers,all Vietnamese workers,410000")
CHANGED_FILE = "vietnamese_in_japan.csv"
ADDED_ROW = (
    "2024-12-31,2024-12-31,licensed supervising organizations,3700,organizations,"
    "Organization for Technical Intern Training,https://example.org/synthetic,synthetic row for a test\n"
)
REMOVED_EVENT = "2030-03-31"


def synthetic_release(official, folder):
    """A release with one row changed, one added and one removed."""
    release_of(official, folder)
    edit(folder / CHANGED_FILE, *CHANGED_TOTAL)
    with open(folder / "other_figures.csv", "a", encoding="utf-8") as handle:
        handle.write(ADDED_ROW)
    events = folder / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(line for line in lines if not line.startswith(REMOVED_EVENT)), encoding="utf-8")
    return folder


@pytest.fixture
def release(official_copy, tmp_path):
    return synthetic_release(official_copy, tmp_path / "release")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, built):
    """The synthetic release compared with a copy of the committed folder (built once for the module)."""
    folder = tmp_path_factory.mktemp("update")
    official = copy_of_official(folder / "official")
    return update.prepare(synthetic_release(official, folder / "release"), official, before=built, today=TODAY)


def test_rows_are_diffed_by_their_key_not_by_line(prepared):
    survey = prepared.file(CHANGED_FILE)
    assert survey.kind == CHANGED and survey.key == ("period_end", "population", "measure")
    assert [(r.kind, r.key, r.columns) for r in survey.rows] == [
        (CHANGED, ("2019-10-31", "workers", "all Vietnamese workers"), {"value": ("401326", "410000")})
    ]
    other = prepared.file("other_figures.csv")
    assert [(r.kind, r.key) for r in other.rows] == [
        (ADDED, ("2024-12-31", "2024-12-31", "licensed supervising organizations"))
    ]
    assert other.rows[0].after["value"] == "3700"
    events = prepared.file("events.csv")
    assert [(r.kind, r.key[0]) for r in events.rows] == [(REMOVED, REMOVED_EVENT)]
    assert prepared.file("industry.csv").kind == UNCHANGED and prepared.file("industry.csv").rows == ()
    assert prepared.file("REFERENCE-README.md").source == "README.md"


def test_the_statuses_that_move_are_reported_with_the_claim_and_the_new_finding(prepared, built):
    before = built["reconciliation"].set_index("claim_id")
    assert before.at["vn-workers-2019", "status"] == v.INCONSISTENT
    assert [(m.claim_id, m.before, m.after) for m in prepared.moved] == [
        ("vn-workers-2019", v.INCONSISTENT, v.CONSISTENT)
    ]
    move = prepared.moved[0]
    assert (move.number_text, move.date_text) == ("410,000", "In 2019")
    assert move.finding.startswith("The official value, 410,000 at the end of October 2019, agrees")
    assert prepared.unchanged_statuses == len(before) - 1


def test_the_provenance_record_is_measured_and_dated_by_the_release(prepared):
    before, after = prepared.record_before, prepared.record_after
    entry = after["files"]["other_figures.csv"]
    assert entry["rows"] == before["files"]["other_figures.csv"]["rows"] + 1
    assert "https://example.org/synthetic" in entry["pages_seen"]
    assert entry["title"] == before["files"]["other_figures.csv"]["title"]
    assert after["files"]["events.csv"]["rows"] == before["files"]["events.csv"]["rows"] - 1
    assert after["release"] == update.release_date(prepared.release / "README.md", TODAY)
    assert {k for k in after if k not in before} <= {"release", "release_note"}
    assert all(after[k] == before[k] for k in before if k not in ("files", "release"))


def test_a_dry_run_writes_nothing_then_the_release_is_taken_in_byte_for_byte_and_nothing_changes_after(
    release, official_copy, capsys
):
    before = snapshot(official_copy)
    assert update.main([str(release), "--target", str(official_copy), "--check"], TODAY) == 0
    dry = capsys.readouterr().out
    assert "value '401326' -> '410000'" in dry
    assert "vn-workers-2019 ('410,000', 'In 2019'): inconsistent -> consistent" in dry
    assert "dry run" in dry
    assert snapshot(official_copy) == before
    assert sorted(p.name for p in official_copy.parent.iterdir()) == ["official", "release"]

    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 0
    out = capsys.readouterr().out
    report = dry.splitlines()[:-1]
    assert out.splitlines()[: len(report)] == report, "the real run reports what the dry run did"
    assert "data/processed/ not rebuilt" in out
    for name in files_of(release):
        assert (official_copy / update.RENAMED.get(name, name)).read_bytes() == (release / name).read_bytes()
    provenance.verify_checksums(official_copy)
    assert sorted(p.name for p in official_copy.parent.iterdir()) == ["official", "release"]

    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_a_release_with_a_bad_value_is_refused_and_nothing_changes(release, official_copy, capsys):
    edit(release / "stock_by_nationality.csv", "2019-12-31,China,82370,", "2019-12-31,China,8237O,")
    before = snapshot(official_copy)
    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("make update-official: refused")
    assert f"{release / 'stock_by_nationality.csv'}, row " in lines[0]
    assert "column 'value', value '8237O'" in lines[0]
    assert snapshot(official_copy) == before
    assert sorted(p.name for p in official_copy.parent.iterdir()) == ["official", "release"]


def test_a_csv_no_reader_knows_is_refused_by_name(release, official_copy):
    (release / "stock_by_prefecture.csv").write_text("period_end,prefecture,value\n", encoding="utf-8")
    with pytest.raises(update.Refused, match=r"stock_by_prefecture\.csv: a CSV no reader knows"):
        update.prepare(release, official_copy, today=TODAY)


def test_a_new_csv_with_a_reader_is_taken_in_with_a_provenance_entry(release, official_copy, monkeypatch, built):
    name = "events_extra.csv"
    declared = tables.RawTable(
        name, "more dates in the programme's history", tables.RAW_TABLES["events.csv"].columns, ("date", "event")
    )
    for module in (tables, raw):
        monkeypatch.setattr(module, "RAW_TABLES", MappingProxyType({**tables.RAW_TABLES, name: declared}))
    monkeypatch.setitem(official.READERS, name, official.read_events)
    (release / name).write_text(
        "date,precision,event,sources\n2019-04-01,day,a synthetic event for a test,https://example.org/event\n",
        encoding="utf-8",
    )
    prepared = update.prepare(release, official_copy, before=built, today=TODAY)
    added = prepared.file(name)
    assert added.kind == ADDED and [(r.kind, r.key) for r in added.rows] == [
        (ADDED, ("2019-04-01", "a synthetic event for a test"))
    ]
    entry = prepared.record_after["files"][name]
    assert entry["title"] == declared.description
    assert (entry["rows"], entry["pages_seen"], entry["publishers"]) == (1, ["https://example.org/event"], [])
    update.take_in(prepared)
    provenance.verify_checksums(official_copy)


def test_a_release_missing_a_file_of_the_set_is_refused(release, official_copy):
    (release / "industry.csv").unlink()
    with pytest.raises(update.Refused, match=r"industry\.csv: missing from the release"):
        update.prepare(release, official_copy, today=TODAY)


def test_a_repeated_key_is_refused_with_its_row(release, official_copy):
    # a second total of one date, with another basis: the reader takes it, the key does not
    with open(release / "stock.csv", "a", encoding="utf-8") as handle:
        handle.write("2019-12-31,year_end,410000,exact,derived,Immigration Services Agency,https://example.org/x,\n")
    rows = len((release / "stock.csv").read_text(encoding="utf-8").splitlines()) - 1
    with pytest.raises(RawDataError) as err:
        update.prepare(release, official_copy, today=TODAY)
    message = str(err.value)
    assert f"{release / 'stock.csv'}, row {rows} " in message
    assert "column 'period_end', value '2019-12-31': the same key as row" in message


def test_a_release_older_than_the_one_taken_in_is_refused(release, official_copy):
    record = json.loads((official_copy / provenance.RECORD).read_text(encoding="utf-8"))
    record["release"] = "2099-01-01"
    (official_copy / provenance.RECORD).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(update.Refused, match="before the release already taken in"):
        update.prepare(release, official_copy, today=TODAY)


def test_rows_in_another_order_change_the_file_but_no_row(official_copy, tmp_path, built):
    folder = release_of(official_copy, tmp_path / "release")
    path = folder / "industry.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + "".join(reversed(rows)), encoding="utf-8")
    prepared = update.prepare(folder, official_copy, before=built, today=TODAY)
    assert prepared.file("industry.csv").kind == CHANGED and prepared.file("industry.csv").rows == ()
    assert prepared.moved == []
    assert "only the order of rows" in "\n".join(update.report(prepared))


def test_the_release_date_is_the_last_changes_line(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("Files.\n\nChanges: 2026-01-02, a.\nChanges: 2026-03-04, b.\n", encoding="utf-8")
    assert update.release_date(readme, TODAY) == "2026-03-04"
    readme.write_text("Changes: soon, a.\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="value 'soon'"):
        update.release_date(readme, TODAY)


def test_the_declared_keys_are_unique_in_every_committed_file():
    for name in official.READERS:
        rows = update.keyed_rows(paths.RAW_OFFICIAL / name, name, paths.RAW_OFFICIAL / name)
        assert len(rows) == provenance.read_record(paths.RAW_OFFICIAL)["files"][name]["rows"]


@pytest.mark.slow
def test_the_make_target_refuses_in_one_line_and_says_nothing_changed_for_the_same_files(tmp_path):
    same = release_of(paths.RAW_OFFICIAL, tmp_path / "same")
    result = subprocess.run(
        ["make", "--no-print-directory", "update-official", f"FROM={same}", "CHECK=1"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in result.stdout
    edit(same / "events.csv", "2017-01-01,month", "2017-01-01,season")
    result = subprocess.run(
        [sys.executable, "-m", "analysis.update", str(same), "--check"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert "events.csv, row 4 (line 5), column 'precision', value 'season'" in result.stderr


# ---------------------------------------------------------------------------------------------
# only the declared set: names, links, unknown files (issue 21, items 1 and 2)


def refusal(release, official_copy, capsys):
    """Run the command on the release; its one line of refusal, once nothing changed."""
    before = snapshot(official_copy)
    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("make update-official: refused"), captured.err
    assert snapshot(official_copy) == before
    return lines[0]


@pytest.mark.parametrize("name", ["my notes.md", "stock\n.csv", "tab\there.md", "café.md", "$(rm).md", "-rf.md"])
def test_a_file_name_with_a_space_a_newline_or_another_odd_character_is_refused(name, release, official_copy, capsys):
    (release / name).write_text("A note.\n", encoding="utf-8")
    line = refusal(release, official_copy, capsys)
    assert f"value {name!r}" in line and "letters, digits, '.', '_' and '-' only" in line


def test_the_makefile_lists_raw_files_without_splitting_a_name(tmp_path):
    """A name make would split is left out of RAW (the build refuses the file by name), and make runs."""
    raw_line = next(line for line in (paths.ROOT / "Makefile").read_text().splitlines() if line.startswith("RAW :="))
    (tmp_path / "Makefile").write_text(f"SHELL := bash\n{raw_line}\nall: $(RAW)\n\t@printf '%s\\n' $(RAW)\n")
    official_dir = tmp_path / "data" / "raw" / "official"
    (official_dir / "estat").mkdir(parents=True)
    for name in ("stock.csv", "my notes.md", "a\nb.md", "estat/FEH_00250012_260610061045.csv", ".hidden"):
        (official_dir / name).write_text("x\n", encoding="utf-8")
    (tmp_path / "data" / "raw" / ".official.x.staging").mkdir()
    (tmp_path / "data" / "raw" / ".official.x.staging" / "stock.csv").write_text("x\n", encoding="utf-8")
    result = subprocess.run(["make", "-s"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "data/raw",
        "data/raw/official",
        "data/raw/official/estat",
        "data/raw/official/estat/FEH_00250012_260610061045.csv",
        "data/raw/official/stock.csv",
    ]


@pytest.mark.parametrize(
    "where, points_to",
    [("passwd.txt", "/etc/passwd"), ("stock.csv", "outside/stock.csv"), ("estat", "outside/estat")],
)
def test_every_symbolic_link_is_refused(where, points_to, release, official_copy, tmp_path, capsys):
    outside = tmp_path / "outside"
    (outside / "estat").mkdir(parents=True)
    shutil.copyfile(release / "stock.csv", outside / "stock.csv")
    for path in (release / "estat").iterdir():
        shutil.copyfile(path, outside / "estat" / path.name)
    link = release / where
    if link.is_dir():
        shutil.rmtree(link)
    link.unlink(missing_ok=True)
    link.symlink_to(points_to if points_to.startswith("/") else tmp_path / points_to)
    line = refusal(release, official_copy, capsys)
    assert f"{where!r} is a symbolic link" in line and "never links" in line


def test_a_link_inside_the_download_folder_is_refused(release, official_copy, tmp_path, capsys):
    download = next((release / "estat").iterdir())
    shutil.move(download, tmp_path / download.name)
    download.symlink_to(tmp_path / download.name)
    assert "is a symbolic link" in refusal(release, official_copy, capsys)


@pytest.mark.parametrize("name", ["notes.txt", "notes.md", "extra/notes.md", "estat.md"])
def test_a_file_or_folder_not_in_the_set_is_refused(name, release, official_copy, capsys):
    (release / name).parent.mkdir(exist_ok=True)
    (release / name).write_text("A note that came with the release.\n", encoding="utf-8")
    line = refusal(release, official_copy, capsys)
    assert "not part of the set" in line or "not a file of the set" in line
    assert "estat/FEH_00250012_<yymmddhhmmss>.csv" in line or "extra" in line


# ---------------------------------------------------------------------------------------------
# the release date (issue 21, item 3)


def set_changes_lines(release, *dates):
    readme = release / "README.md"
    kept = [line for line in readme.read_text(encoding="utf-8").splitlines() if not line.startswith("Changes:")]
    readme.write_text("\n".join(kept + [f"Changes: {d}, a change." for d in dates]) + "\n", encoding="utf-8")


def test_an_undated_release_is_refused(release, official_copy, capsys):
    set_changes_lines(release)
    line = refusal(release, official_copy, capsys)
    assert "README.md, column 'Changes:', value '': no 'Changes: YYYY-MM-DD' line" in line


def test_a_release_dated_after_today_is_refused_and_today_comes_from_the_clock(release, official_copy, capsys):
    set_changes_lines(release, "2026-11-30", "2999-01-01")
    line = refusal(release, official_copy, capsys)
    assert "value '2999-01-01': after today (2026-12-01, by this machine's clock)" in line
    set_changes_lines(release, "2026-12-02")
    with pytest.raises(RawDataError, match="after today"):
        update.prepare(release, official_copy, today=TODAY)
    assert update.prepare(release, official_copy, today=date(2026, 12, 2)).release_date == "2026-12-02"
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    set_changes_lines(release, tomorrow.isoformat())
    assert update.main([str(release), "--target", str(official_copy)]) == 1, "without a date given: the clock's"
    assert f"after today ({date.today().isoformat()}, by this machine's clock)" in capsys.readouterr().err


def test_an_older_release_is_refused_after_an_undated_one_was_refused(release, official_copy, capsys):
    """The older-release guard always holds: an undated release can no longer clear the date."""
    set_changes_lines(release)
    refusal(release, official_copy, capsys)
    set_changes_lines(release, "2020-01-01")
    assert "before the release already taken in" in refusal(release, official_copy, capsys)


# ---------------------------------------------------------------------------------------------
# interrupted updates and two at once (issue 21, items 4 and 5)


@pytest.fixture
def built_copy(tmp_path):
    """Copies of data/processed/, the README and the docs pages with generated sections, built from
    the committed raw files."""
    shutil.copytree(paths.PROCESSED, tmp_path / "processed")
    for file in GENERATED_PAGES:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.ROOT / file, tmp_path / file)
    return tmp_path / "processed", tmp_path / "README.md"


def test_sigint_right_after_the_raw_swap_is_finished_by_the_next_run(
    release, official_copy, built_copy, monkeypatch, capsys, ctrl_c_raises
):
    out, readme_copy = built_copy
    args = [str(release), "--target", str(official_copy), "--out", str(out), "--readme", str(readme_copy)]
    processed_before = snapshot(out)
    swap = update.swap_raw

    def swap_then_sigint(*a, **k):
        written = swap(*a, **k)
        os.kill(os.getpid(), signal.SIGINT)
        return written

    monkeypatch.setattr(update, "swap_raw", swap_then_sigint)
    assert update.main(args, TODAY) == 130
    err = capsys.readouterr().err
    assert "interrupted after" in err and "not yet rebuilt from it: run the same command again" in err
    assert "every file is as it was" not in err
    provenance.verify_checksums(official_copy)
    assert snapshot(out) == processed_before, "the raw files are new, the processed ones are not yet"

    monkeypatch.setattr(update, "swap_raw", swap)
    assert update.main(args, TODAY) == 0
    out_text = capsys.readouterr().out
    assert "nothing to take in" in out_text and "was not current (an interrupted update?): rebuilt" in out_text
    assert "official_series.csv" in out_text
    assert snapshot(out) != processed_before
    assert update.main(args, TODAY) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert update.main([*args, "--check"], TODAY) == 0
    assert "and what is built from it is current" in capsys.readouterr().out


def test_a_dry_run_says_when_what_is_built_is_not_current_and_writes_nothing(
    official_copy, built_copy, tmp_path, capsys
):
    out, readme_copy = built_copy
    (out / "official_series.csv").write_text("stale\n", encoding="utf-8")
    same = release_of(official_copy, tmp_path / "same")
    args = [str(same), "--target", str(official_copy), "--out", str(out), "--readme", str(readme_copy), "--check"]
    assert update.main(args, TODAY) == 0
    assert "are not current with it" in capsys.readouterr().out
    assert (out / "official_series.csv").read_text(encoding="utf-8") == "stale\n"


#: Run in a process of its own: the update, killed with SIGKILL at one rename (see the test).
KILLED_AT = """
import os, signal, sys
from datetime import date
from pathlib import Path
from analysis import update

target, where = Path(sys.argv[2]), sys.argv[3]
real = os.replace

def replace(source, dest):
    if where == "journal" and Path(dest).name == update.JOURNAL:
        os.kill(os.getpid(), signal.SIGKILL)  # before the commit point
    real(source, dest)
    if where == "swap" and Path(dest).parent == target:
        os.kill(os.getpid(), signal.SIGKILL)  # one file swapped in, the others not

os.replace = replace
sys.exit(update.main([sys.argv[1], "--target", str(target)], date(2026, 12, 1)))
"""


@pytest.mark.parametrize("where", ["swap", "journal"])
def test_sigkill_inside_the_raw_swap_is_finished_or_rolled_back_by_the_next_run(where, release, official_copy, capsys):
    before = snapshot(official_copy)
    result = subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(release), str(official_copy), where], capture_output=True, text=True
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    left = provenance.staging_folders(official_copy)
    assert len(left) == 1
    if where == "swap":
        changed = [n for n in before if (official_copy / n).read_bytes() != before[n]]
        assert changed == ["events.csv"], "half swapped: one file new, the record old"
        with pytest.raises(RawDataError, match=r"checksum mismatch.*an interrupted update left .*staging"):
            provenance.verify_checksums(official_copy)
        with pytest.raises(RawDataError, match="interrupted update left"):
            provenance.verify_checksums(official_copy)
        assert update.main([str(release), "--target", str(official_copy), "--check"], TODAY) == 1
        assert "a dry run writes nothing" in capsys.readouterr().err
    else:
        assert snapshot(official_copy) == before, "killed before the commit point: nothing changed"

    code = update.main([str(release), "--target", str(official_copy)], TODAY)
    out = capsys.readouterr().out
    assert code == 0
    if where == "swap":
        assert "finished the update that was interrupted while swapping files in" in out
        assert "nothing changed" in out
    else:
        assert "rolled back an update interrupted before it changed anything" in out
        assert "took in the release" in out
    provenance.verify_checksums(official_copy)
    assert provenance.staging_folders(official_copy) == []
    assert not list(official_copy.parent.glob(".update-official.*"))
    for name in files_of(release):
        assert (official_copy / update.RENAMED.get(name, name)).read_bytes() == (release / name).read_bytes()


def test_a_second_update_of_the_same_folder_is_refused_while_one_runs(release, official_copy, capsys):
    with update.locked(official_copy):
        line = refusal(release, official_copy, capsys)
    assert "another make update-official is taking a release into this folder" in line
    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 0


#: The command, run in a process of its own on the date given first.
AS_OF = "import sys; from datetime import date; from analysis import update; "
AS_OF += "sys.exit(update.main(sys.argv[2:], date.fromisoformat(sys.argv[1])))"


def test_two_updates_at_once_never_leave_the_older_release_over_the_newer(official_copy, tmp_path):
    newer = synthetic_release(official_copy, tmp_path / "newer")
    set_changes_lines(newer, "2027-01-01")
    older = release_of(official_copy, tmp_path / "older")
    set_changes_lines(older, "2026-12-15")
    run = [sys.executable, "-c", AS_OF, "2027-01-02"]
    procs = {
        name: subprocess.Popen(
            [*run, str(folder), "--target", str(official_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=paths.ROOT,
        )
        for name, folder in (("newer", newer), ("older", older))
    }
    results = {name: p.communicate(timeout=1200) for name, p in procs.items()}  # a hang, not a slow machine
    taken = {name for name, (out, _) in results.items() if "took in the release" in out}
    record = provenance.read_record(official_copy)
    if "newer" in taken:
        assert record["release"] == "2027-01-01", results
    for name, (_out, err) in results.items():
        assert "Traceback" not in err, err
        if name not in taken:
            assert err.count("\n") == 1 and "refused" in err, err
    provenance.verify_checksums(official_copy)


# ---------------------------------------------------------------------------------------------
# the e-Stat download (issue 17, item 6)

DOWNLOAD = "FEH_00250012_260610061045.csv"


def test_the_committed_download_is_recorded_with_its_declared_source_terms_and_citation():
    record = provenance.read_record(paths.RAW_OFFICIAL)
    entry = record["files"][f"estat/{DOWNLOAD}"]
    path = paths.RAW_OFFICIAL / "estat" / DOWNLOAD
    assert entry["sha256"] == raw.sha256(path) and entry["bytes"] == path.stat().st_size
    assert entry == provenance.download_entry(path), "every word comes from the declaration"
    assert (entry["downloaded"], entry["encoding"]) == ("2026-06-10", "utf-8")
    declared = tables.ESTAT
    assert (entry["statistics_code"], entry["table_id"], entry["table_number"]) == ("00250012", "0004019020", "01")
    assert entry["publisher"] == "Immigration Services Agency (Ministry of Justice)"
    assert "Government of Japan Standard Terms of Use (2.0)" in entry["terms"] and "CC BY 4.0" in entry["terms"]
    # the words are the reference set's own (its README, "The primary table"), declared once
    section = (paths.RAW_OFFICIAL / "REFERENCE-README.md").read_text(encoding="utf-8").split("## The primary table")[1]
    prose = " ".join(section.split())
    for words in (declared.statistics, declared.statistics_ja, declared.title, declared.table_id, declared.terms):
        assert words in prose, words
    assert declared.cite.replace(" ", "") in prose.replace(" ", "").replace("Citeitas:", "")
    assert " ".join(declared.title_ja.split()) in " ".join(section.replace("\u3000", " ").split())
    reference = paths.ROOT.parent / "shared" / "reference" / "estat" / DOWNLOAD
    if reference.exists():
        assert reference.read_bytes() == path.read_bytes(), "byte for byte the reference set's"


def renamed_download(release, new_name, data=None):
    """The release's download under another name (and, given ``data``, with other bytes)."""
    old = release / "estat" / DOWNLOAD
    data = old.read_bytes() if data is None else data
    old.unlink()
    (release / "estat" / new_name).write_bytes(data)
    return release / "estat" / new_name


def test_a_new_download_replaces_the_previous_one_in_the_folder_and_the_record(official_copy, tmp_path, capsys, built):
    release = release_of(official_copy, tmp_path / "release")
    renamed_download(release, "FEH_00250012_261101093000.csv")
    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 0
    out = capsys.readouterr().out
    assert "estat/FEH_00250012_261101093000.csv: added" in out
    assert f"replaces {DOWNLOAD} (downloaded 2026-06-10, utf-8)" in out
    assert "the same table, cell for cell" in out
    assert f"estat/{DOWNLOAD}: removed" in out and f"estat/{DOWNLOAD}: entry removed" in out
    assert sorted(p.name for p in (official_copy / "estat").iterdir()) == ["FEH_00250012_261101093000.csv"]
    record = provenance.read_record(official_copy)
    assert f"estat/{DOWNLOAD}" not in record["files"]
    assert record["files"]["estat/FEH_00250012_261101093000.csv"]["downloaded"] == "2026-11-01"
    provenance.verify_checksums(official_copy)
    assert update.main([str(release), "--target", str(official_copy)], TODAY) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_the_same_table_in_cp932_is_taken_in_and_changes_no_processed_figure(official_copy, tmp_path, built):
    release = release_of(official_copy, tmp_path / "release")
    text = (release / "estat" / DOWNLOAD).read_bytes().decode("utf-8")
    renamed_download(release, "FEH_00250012_261101093000.csv", text.encode("cp932"))
    prepared = update.prepare(release, official_copy, before=built, today=TODAY)
    change = prepared.file("estat/FEH_00250012_261101093000.csv")
    assert "the same table, cell for cell" in " ".join(change.notes) and "cp932" in change.notes[0]
    assert prepared.record_after["files"]["estat/FEH_00250012_261101093000.csv"]["encoding"] == "cp932"
    assert prepared.moved == []
    # the figures are the same; only the name of the file they come from changed with the download
    for name in built:
        renamed = prepared.built[name].replace("FEH_00250012_261101093000.csv", DOWNLOAD, regex=True)
        pd.testing.assert_frame_equal(renamed, built[name])


@pytest.mark.parametrize(
    "arrange, words",
    [
        (lambda r: (r / "estat" / "FEH_00250012_261101093000.csv").write_bytes(b"x"), "2 downloads"),
        (lambda r: (r / "estat" / DOWNLOAD).rename(r / "estat" / "table.csv"), "estat/table.csv: not a download"),
        (lambda r: (r / "estat" / DOWNLOAD).rename(r / "estat" / "FEH_00250011_260610061045.csv"), "not a download"),
        (lambda r: (r / "estat" / DOWNLOAD).unlink(), "holds no file"),
        (lambda r: shutil.rmtree(r / "estat"), "estat/: missing from the release"),
        (lambda r: (r / "estat" / "old").mkdir(), "not a download of the table"),
        (lambda r: renamed_download(r, "FEH_00250012_250101000000.csv"), "an older download is not taken in"),
        (lambda r: renamed_download(r, "FEH_00250012_270101000000.csv"), "downloaded 2027-01-01 by its name, after"),
        (lambda r: renamed_download(r, "FEH_00250012_261340000000.csv"), "gives no download date"),
        (
            lambda r: (r / "estat" / DOWNLOAD).write_bytes((r / "estat" / DOWNLOAD).read_bytes() + b"\x81 "),
            "neither utf-8 nor cp932",
        ),
    ],
    ids=["two", "other-name", "other-code", "empty", "no-folder", "subfolder", "older", "future", "bad-date", "enc"],
)
def test_a_download_that_cannot_be_taken_in_is_refused_with_nothing_changed(
    arrange, words, official_copy, tmp_path, capsys
):
    release = release_of(official_copy, tmp_path / "release")
    arrange(release)
    assert words in refusal(release, official_copy, capsys)


def test_raw_size_limits_are_per_source_and_checked_before_reading(official_copy, tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    assert raw.check_size(big, raw.size_limit(f"estat/{DOWNLOAD}")) == 3 * 1024 * 1024
    with pytest.raises(RawDataError, match="larger than any raw file should be"):
        raw.check_size(big, raw.size_limit("stock.csv"))
    release = release_of(official_copy, tmp_path / "release")
    runaway = release / "estat" / DOWNLOAD
    with open(runaway, "r+b") as handle:
        handle.truncate(tables.ESTAT.max_bytes + 1)  # sparse: nothing is read, or it would take a while
    read_bytes = raw.Path.read_bytes
    monkeypatch.setattr(
        raw.Path, "read_bytes", lambda self: pytest.fail("read") if self == runaway else read_bytes(self)
    )
    line = refusal(release, official_copy, capsys)
    assert f"value '{tables.ESTAT.max_bytes + 1:,} bytes': larger than any raw file should be" in line
    assert f"limit {tables.ESTAT.max_bytes:,} bytes" in line


def test_checksums_are_verified_in_the_download_folder_too(official_copy):
    provenance.verify_checksums(official_copy)
    (official_copy / "estat" / "FEH_00250012_261101093000.csv").write_bytes(b"x")
    with pytest.raises(RawDataError, match=r"estat/FEH_00250012_261101093000\.csv.*without a provenance record"):
        provenance.verify_checksums(official_copy)
    (official_copy / "estat" / "FEH_00250012_261101093000.csv").unlink()
    with open(official_copy / "estat" / DOWNLOAD, "ab") as handle:
        handle.write(b"\r\n")
    with pytest.raises(RawDataError, match=rf"estat/{DOWNLOAD}, column 'sha256'.*checksum mismatch"):
        provenance.verify_checksums(official_copy)


def cells(rows):
    """Cells of the e-Stat table as its reader gives them: date, area, status, labels, value, mark."""
    frame = pd.DataFrame(rows, columns=[*update.CELL_KEY, "area", "status", "value", "mark"])
    return frame.astype({"value": "Int64"})


def test_the_download_diff_is_by_date_nationality_and_status_and_summarises_a_new_date():
    june = [
        ("2025-06-30", "0000", "1010", "総数", "総数", 100, ""),
        ("2025-06-30", "0000", "1350", "総数", "技能実習１号ロ", 9, ""),
    ]
    june += [
        ("2025-06-30", "2000", "1010", "ベトナム", "総数", 60, ""),
        ("2025-06-30", "2000", "1350", "ベトナム", "技能実習１号ロ", None, "-"),
    ]
    old = cells(june)
    new = cells(
        [r if r[1:3] != ("2000", "1350") else (*r[:5], 7, "") for r in june]
        + [
            ("2025-06-30", "0000", "1470", "総数", "特定技能２号", 3, ""),
            ("2025-06-30", "3000", "1010", "X", "総数", 1, ""),
        ]
        + [("2025-12-31", area, status, "a", "b", 1, "") for area in ("0000", "2000") for status in ("1010", "1350")]
    )
    lines = update.diff_cells(old, new)
    assert lines[0].startswith("date added: 2025-12-31, 2 areas") and "(not listed cell by cell)" in lines[0]
    assert "area added: X (3000), 1 cells at 1 date" in lines
    assert "status added: 特定技能２号 (1470), 1 cells at 1 date" in lines
    assert "  ~ 2025-06-30, ベトナム (2000), 技能実習１号ロ: - -> 7" in lines
    assert not any("2025-12-31, " in line and "~" in line for line in lines), "a new date is never listed by cell"
    assert update.diff_cells(old, old) == []
    many = cells([("2025-06-30", f"{a:04d}", "1010", "x", "総数", a, "") for a in range(1, 60)])
    more = many.assign(value=many["value"] + 1)
    listed = update.diff_cells(many, more, listed=5)
    assert listed[0] == "59 cells changed at the dates both have:" and listed[-1] == "  ... and 54 more"


def test_the_download_diff_uses_the_tables_reader_when_there_is_one(official_copy, tmp_path, monkeypatch, built):
    release = release_of(official_copy, tmp_path / "release")
    new = renamed_download(release, "FEH_00250012_261101093000.csv")
    new.write_bytes(new.read_bytes() + b"\r\n")  # other bytes, so the text differs
    seen = []

    def read(path):
        seen.append(path.name)
        date_ = "2025-06-30" if path.name == DOWNLOAD else "2025-12-31"
        return cells([(date_, "0000", "1010", "総数", "総数", 1, "")])

    monkeypatch.setattr(update, "_reader", lambda: read)
    prepared = update.prepare(release, official_copy, before=built, today=TODAY)
    notes = prepared.file("estat/FEH_00250012_261101093000.csv").notes
    assert sorted(seen) == sorted([DOWNLOAD, "FEH_00250012_261101093000.csv"])
    assert any(n.startswith("date added: 2025-12-31") for n in notes) and any("date removed" in n for n in notes)
    monkeypatch.setattr(update, "_reader", lambda: None)
    notes = update.diff_download(official_copy / "estat" / DOWNLOAD, new)
    assert "comes with the table's reader (analysis.sources.estat.read_estat), which is not here yet" in notes[-1]
