"""Misuse, round three (issue 21): interrupts as a command ends, odd paths and values given to
make, spreadsheet formulas in text cells, odd encodings and digits, and what a newcomer is told.

Fast where a function proves the behaviour; make itself runs only where the Makefile is what is
tested, and then in a temporary folder with a stand-in for the environment's Python.
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, data, files, paths, revisions
from analysis.build import Inputs, build_all, render
from analysis.errors import RawDataError
from analysis.parse.extract import find_phrases
from analysis.parse.quantity import parse_quantity
from analysis.publish.charts import base as charts
from analysis.sources import official, provenance

#: make's own variables: the make run here is a new make, not a sub-make of a test run by make.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


# --- item 11: the doctests of the safe writes leave nothing in /tmp ----------------------------------


def test_the_doctests_of_the_safe_writes_leave_no_folder_in_the_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = doctest.testmod(files)
    assert result.attempted and not result.failed
    assert list(tmp_path.iterdir()) == []


# --- item 6: Ctrl-C as a command ends; a Ctrl-C caught by a finaliser ------------------------------

#: A stand-in command: ``main`` arranges a Ctrl-C at a chosen moment, as pandera's weak-reference
#: callbacks meet one when the key is pressed while frames are freed.
FAKE_COMMAND = textwrap.dedent(
    """
    import atexit, os, signal, sys, time, weakref

    class Frame:
        pass

    def _ctrl_c(_):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the signal is handled here, inside the callback

    KEPT = Frame()
    weakref.finalize(KEPT, _ctrl_c, None)  # run as Python exits

    def main(args):
        if args == ["inside-an-import"]:
            # as jupyter_client's HBChannel leaves it when a stop lands inside its class body: an exit
            # hook naming a class that was never bound
            atexit.register(lambda: HalfMade._exiting)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        if args == ["inside-a-finaliser"]:
            frame = Frame()
            ref = weakref.ref(frame, _ctrl_c)
            del frame
            time.sleep(5)
            print("carried on as if nothing had been pressed")
        print("done")
        return 0
    """
)


def _run_fake(tmp_path: Path, prefix: list[str], *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "fakecommand.py").write_text(FAKE_COMMAND, encoding="utf-8")
    code = "import sys, fakecommand; from analysis import cli; sys.exit(cli.entry(fakecommand.main, 'fake'))"
    env = {**ENV, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(paths.ROOT / "src")])}
    return subprocess.run(
        [*prefix, sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_ctrl_c_as_a_command_ends_prints_no_traceback(tmp_path, as_from_a_terminal):
    done = _run_fake(tmp_path, as_from_a_terminal)
    assert done.stdout == "done\n"
    assert done.stderr == "", done.stderr
    assert done.returncode == 0


def test_a_stop_that_leaves_a_failing_exit_hook_behind_still_ends_in_one_line(tmp_path, as_from_a_terminal):
    done = _run_fake(tmp_path, as_from_a_terminal, "inside-an-import")
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("make fake: interrupted") and done.stderr.count("\n") == 1
    assert done.returncode == 143


def test_ctrl_c_caught_by_a_finaliser_still_interrupts_the_command_in_one_line(tmp_path, as_from_a_terminal):
    done = _run_fake(tmp_path, as_from_a_terminal, "inside-a-finaliser")
    assert "carried on" not in done.stdout
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("make fake: interrupted") and done.stderr.count("\n") == 1
    assert done.returncode == 130


# --- item 12 and CHECK: make's variables reach the command as written --------------------------------

#: Stands in for .venv/bin/python: prints the arguments and the variables make exported.
FAKE_PYTHON = """#!/usr/bin/env python3
import json, os, sys
print(json.dumps([sys.argv[1:], {k: v for k, v in os.environ.items() if k.startswith("TITP_")}]))
"""


@pytest.fixture
def makefile_only(tmp_path) -> Path:
    """The Makefile in a folder of its own, with an environment that is current and a fake Python."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in ("Makefile", "pyproject.toml", "uv.lock"):
        shutil.copy(paths.ROOT / name, folder / name)
    python = folder / ".venv/bin/python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    for group in ("default", "site", "dev"):
        (folder / f".venv/ready-{group}").touch()  # newer than pyproject.toml and uv.lock: set up
    (folder / ".build").mkdir()
    (folder / ".build/make.mk").write_text("", encoding="utf-8")
    return folder


def _make_sees(folder: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    done = subprocess.run(["make", *args], cwd=folder, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    argv, env = json.loads(done.stdout)
    return argv, env


ODD_PATHS = [
    "/tmp/my draft.txt",
    "/tmp/editor's.txt",
    '/tmp/say "hi".txt',
    "/tmp/a$HOME.txt",
    "/tmp/a$$b.txt",
    "/tmp/article.txt; echo INJECTED",
    "/tmp/`id`.txt",
    "-h",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_article_out_and_from_reach_the_command_exactly_as_written(makefile_only, path):
    argv, env = _make_sees(makefile_only, "check-article", f"ARTICLE={path}", f"OUT={path}.csv")
    assert argv == ["-m", "analysis.revisions", "--from-make"]
    assert (env["TITP_ARTICLE"], env["TITP_OUT"]) == (path, f"{path}.csv")
    assert cli.make_arguments("check-article", env) == [f"--out={path}.csv", "--", path]
    argv, env = _make_sees(makefile_only, "update-official", f"FROM={path}")
    assert env["TITP_FROM"] == path and cli.make_arguments("update-official", env) == ["--", path]


def test_variables_from_the_environment_reach_the_command_as_written_too(makefile_only):
    done = subprocess.run(
        ["make", "check-article"],
        cwd=makefile_only,
        env={**ENV, "ARTICLE": "/tmp/a$HOME b.txt"},
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout)[1]["TITP_ARTICLE"] == "/tmp/a$HOME b.txt"


@pytest.mark.parametrize(("check", "dry"), [("1", True), ("yes", True), ("0", False), ("no", False), ("", False)])
def test_check_0_and_check_no_are_not_a_dry_run(check, dry):
    assert ("--check" in cli.make_arguments("update-official", {"TITP_FROM": "x", "TITP_CHECK": check})) is dry


def test_an_unknown_check_value_is_refused_in_one_line(capsys):
    os.environ["TITP_CHECK"] = "maybe"
    try:
        assert cli.entry(lambda args: pytest.fail("must not run"), "update-official", [cli.FROM_MAKE]) == 2
    finally:
        del os.environ["TITP_CHECK"]
    err = capsys.readouterr().err
    assert (
        err
        == "make update-official: refused: CHECK=maybe: say CHECK=1 for a dry run, or leave CHECK out; nothing was changed.\n"
    )


# --- item 7: spreadsheet formulas in text cells -------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.invalid","click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"]


def _formula_cells(text: str) -> list[str]:
    """The cells of a CSV a spreadsheet would run as a formula (a plain number is not one)."""
    cells = [cell for record in csv.reader(io.StringIO(text)) for cell in record]
    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]?[0-9.,]+%?", c)]


@pytest.mark.slow
def test_formulas_in_raw_text_cells_reach_no_csv_as_formulas_and_read_back_as_written(tmp_path):
    official = tmp_path / "official"
    shutil.copytree(paths.RAW_OFFICIAL, official)
    for (name, column), payload in zip(
        [("industry.csv", "note"), ("vietnamese_in_japan.csv", "note"), ("other_figures.csv", "publisher")],
        PAYLOADS,
    ):
        frame = pd.read_csv(official / name, dtype=str, keep_default_na=False)
        frame.loc[0, column] = payload
        frame.to_csv(official / name, index=False, lineterminator="\n")
    provenance.record_checksums(official)
    built = build_all(Inputs(official=official))
    texts = render(built)
    series = texts["official_series.csv"]
    assert {f"'{p}" for p in PAYLOADS} <= {cell for record in csv.reader(io.StringIO(series)) for cell in record}
    for name, text in texts.items():
        if name.endswith(".csv"):
            assert _formula_cells(text) == [], name
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "official_series.csv").write_text(series, encoding="utf-8")
    back = data.read("official_series", processed)
    assert set(PAYLOADS) <= set(back["note"]) | set(back["publisher"]), "read back as written"
    assert charts.to_csv_text is data.to_csv_text, "the chart CSVs (and the site's copies of them) are written so too"


def test_numbers_stay_numbers_negative_ones_too():
    frame = pd.DataFrame({"text": ["-12", "-1.5%", "+3", "-x"], "value": [-1.5, -2.0, 3.0, -1e6]})
    assert data.to_csv_text(frame) == "text,value\n-12,-1.5\n-1.5%,-2\n+3,3\n'-x,-1000000\n"


def test_the_check_article_result_is_written_safe_for_spreadsheets():
    frame = pd.DataFrame({"phrase": ["=1+1", "192,655"], "line": [1, -2]})
    assert data.safe_for_spreadsheets(frame)["phrase"].tolist() == ["'=1+1", "192,655"]


# --- item 13: other inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("out", [".git/result.csv", ".git/hooks/post-checkout", "sub/.git/x.csv"])
def test_an_output_inside_git_s_own_folder_is_refused(out):
    with pytest.raises(revisions.BadRevision, match=r"inside a \.git folder"):
        revisions.check_out(paths.ROOT / out)
    assert not (paths.ROOT / ".git/result.csv").exists()


@pytest.mark.slow  # starts a command
def test_a_terminal_that_cannot_show_a_character_gets_it_escaped_not_a_traceback(tmp_path):
    missing = tmp_path / "révision “draft”.txt"
    done = subprocess.run(
        [sys.executable, "-m", "analysis.revisions", "--from-make"],
        env={**ENV, "PYTHONIOENCODING": "ascii", "TITP_ARTICLE": str(missing)},
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "r\\xe9vision \\u201cdraft\\u201d.txt: no such file" in done.stderr


@pytest.mark.slow
def test_check_article_with_an_ascii_terminal_writes_and_reports_without_a_traceback(tmp_path):
    revision = tmp_path / "révision.txt"
    revision.write_text(paths.ARTICLE_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "analysis.revisions", "--from-make"],
        env={**ENV, "PYTHONIOENCODING": "ascii", "TITP_ARTICLE": str(revision), "TITP_OUT": str(tmp_path / "out.csv")},
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "r\\xe9vision.txt compared with" in done.stdout and (tmp_path / "out.csv").exists()


@pytest.mark.slow  # starts git
def test_after_make_clean_git_says_how_to_restore_the_notebook_filter(tmp_path):
    from test_notebooks import notebook_filter

    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(paths.ROOT / ".gitattributes", repo / ".gitattributes")
    (repo / "notebooks/a.ipynb").write_text('{"cells": []}\n', encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    for key, value in notebook_filter().items():  # as make's set-up does; no .venv, as after make clean
        subprocess.run([*git, "config", key, value], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=repo, check=True, capture_output=True)
    os.utime(repo / "notebooks/a.ipynb", (1, 1))  # touched: git must look at its content
    done = subprocess.run([*git, "status", "--porcelain"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == ""
    assert "run make setup to restore it" in done.stderr and "error" not in done.stderr, done.stderr


@pytest.mark.parametrize("space", ["\u202f", "\u00a0"])
def test_a_no_break_space_between_thousands_is_one_number(space):
    text = f"As of 2015, there were 192{space}655 trainees."
    assert [(p.text, p.kind) for p in find_phrases(text)] == [("As of 2015", "date"), (f"192{space}655", "number")]
    assert parse_quantity(f"192{space}655").value == 192655
    assert parse_quantity(f"about 410{space}000").value == 410000


@pytest.mark.slow
def test_a_revision_with_a_narrow_no_break_space_in_a_number_reads_it_as_one_figure():
    text = paths.ARTICLE_TEXT.read_text(encoding="utf-8").replace("192,655", "192\u202f655")
    assert "192\u202f655" in text
    result = revisions.compare(text, revisions.read_base())
    assert "655" not in set(result.loc[result["change"].eq("added"), "phrase"])
    row = result.set_index("id").loc["interns-2015"]
    assert row["phrase"] == "192\u202f655" and row["status"] == "consistent"


@pytest.mark.parametrize("cell", ["\uff11\uff19\uff12\uff16\uff15\uff15", " 192655", "192655 ", "192655\u00a0", "١٩٢"])
def test_official_numbers_are_plain_digits_only(cell):
    with pytest.raises(RawDataError, match="the digits 0-9"):
        official.read_number(Path("stock.csv"), 1, "value", cell)


def test_a_revision_in_utf16_or_cp1252_is_refused_with_what_it_looks_like(tmp_path):
    text = "In 2015, the programme\u2019s trainees numbered 192,655.\n"
    for encoding, looks in [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("cp1252", "Windows-1252 (cp1252)")]:
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        with pytest.raises(revisions.BadRevision, match=rf"looks like {re.escape(looks)}.*save it as UTF-8"):
            revisions.read_revision(path)


# --- item 15: make figures says where the charts are -------------------------------------------------


def test_make_figures_ends_saying_where_the_charts_are_and_what_to_run_next(makefile_only):
    done = subprocess.run(["make", "figures"], cwd=makefile_only, env=ENV, capture_output=True, text=True)
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("make figures: the charts are in figures/") and "make report" in last


# --- item 16: what set-up and make test need, said up front -------------------------------------------


def test_the_readme_says_make_test_needs_chromium_beside_the_two_commands():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("\n## ", 1)[0]
    assert "make figures" in first and "make test" in first
    assert "chromium" in first.lower()


@pytest.mark.parametrize(("value", "ci"), [("true", True), ("1", True), ("yes", True), ("", False), ("false", False)])
def test_a_missing_browser_fails_under_any_ci(value, ci):
    from test_site import under_ci

    assert under_ci({"CI": value}) is ci


@pytest.mark.slow  # starts pytest
def test_the_fast_tier_warns_of_no_unknown_marker():
    """Collected as make test-unit runs it: both halves, no installed plugin but hypothesis's."""
    done = subprocess.run(
        ["make", "test-unit"],
        cwd=paths.ROOT,
        env={**ENV, "PYTEST_ADDOPTS": "--collect-only"},
        capture_output=True,
        text=True,
    )
    assert done.stdout.count("tests collected") == 2, done.stdout[-2000:]
    assert done.returncode == 0 and "PytestUnknownMarkWarning" not in done.stdout + done.stderr, done.stdout[-2000:]
