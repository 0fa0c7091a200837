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

from analysis import data, files, paths, run
from analysis.build import Inputs, build_all, render
from analysis.publish import charts
from analysis.sources import provenance

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
    import os, signal, sys, time, weakref

    class Frame:
        pass

    def _ctrl_c(_):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the signal is handled here, inside the callback

    KEPT = Frame()
    weakref.finalize(KEPT, _ctrl_c, None)  # run as Python exits

    def main(args):
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


def _run_fake(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "fakecommand.py").write_text(FAKE_COMMAND, encoding="utf-8")
    code = (
        "import sys; from analysis import run; run.COMMANDS['fake'] = ('fakecommand', 'make fake'); "
        "sys.exit(run.entry(sys.argv[1:]))"
    )
    env = {**ENV, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(paths.ROOT / "src")])}
    return subprocess.run(
        [sys.executable, "-c", code, "fake", *args], capture_output=True, text=True, env=env, timeout=30
    )


def test_ctrl_c_as_a_command_ends_prints_no_traceback(tmp_path):
    done = _run_fake(tmp_path)
    assert done.stdout == "done\n"
    assert done.stderr == "", done.stderr
    assert done.returncode == 0


def test_ctrl_c_caught_by_a_finaliser_still_interrupts_the_command_in_one_line(tmp_path):
    done = _run_fake(tmp_path, "inside-a-finaliser")
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
    digest = subprocess.run(
        ["bash", "-c", "cat pyproject.toml uv.lock | sha256sum | cut -d' ' -f1"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (folder / ".venv/.ready").write_text(f"{folder}\n{digest}\ndev site\n", encoding="utf-8")
    (folder / ".build").mkdir()
    (folder / ".build/make.mk").write_text("", encoding="utf-8")
    return folder


def _make_sees(folder: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    done = subprocess.run(["make", *args], cwd=folder, env=ENV, capture_output=True, text=True, timeout=60)
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
    assert argv == ["-m", "analysis.run", "check-article", "--from-make"]
    assert (env["TITP_ARTICLE"], env["TITP_OUT"]) == (path, f"{path}.csv")
    assert run.make_arguments("check-article", env) == [f"--out={path}.csv", "--", path]
    argv, env = _make_sees(makefile_only, "update-official", f"FROM={path}")
    assert env["TITP_FROM"] == path and run.make_arguments("update-official", env) == ["--", path]


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
    assert ("--check" in run.make_arguments("update-official", {"TITP_FROM": "x", "TITP_CHECK": check})) is dry


def test_an_unknown_check_value_is_refused_in_one_line(capsys):
    os.environ["TITP_CHECK"] = "maybe"
    try:
        assert run.main(["update-official", run.FROM_MAKE]) == 2
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
        [("stock_by_nationality.csv", "note"), ("vietnamese_in_japan.csv", "note"), ("other_figures.csv", "publisher")],
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
