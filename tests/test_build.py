"""make data: known answers, sanity checks, and refusal of bad raw input without losing output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import data, paths, tables
from analysis.build import Inputs, build_all, render
from analysis.errors import RawDataError
from analysis.files import swap_in
from analysis.sources import article

RAW = paths.ARTICLE_FIGURES


def test_committed_processed_data_is_what_the_build_makes(built):
    for name, text in render(built).items():
        committed = (paths.PROCESSED / name).read_text(encoding="utf-8")
        assert text == committed, f"data/processed/{name} is stale: run make data"


def test_every_processed_table_reads_back_typed_and_checked(built):
    for name in tables.TABLES:
        frame = data.read(name)
        assert list(frame.columns) == tables.TABLES[name].columns
        assert len(frame) == len(built[name])


def test_a_table_damaged_on_disk_is_refused_when_read(tmp_path):
    folder = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, folder)
    frame = pd.read_csv(folder / "reconciliation.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "status"] = "probably fine"
    frame.to_csv(folder / "reconciliation.csv", index=False)
    with pytest.raises(data.TableError, match=r"reconciliation\.csv \(as read\).*column 'status'.*probably fine"):
        data.read("reconciliation", folder)


def test_every_raw_row_is_parsed_once(built):
    raw = pd.read_csv(RAW, dtype=str, keep_default_na=False)
    figures, stages = built["article_figures"], built["stages"]
    stated = set(figures.loc[figures["basis"].eq("stated"), "id"]) | set(stages["id"])
    assert stated == set(raw["id"])


def test_derived_2014_total_is_the_2015_total_less_its_growth(built):
    figures = built["article_figures"].set_index("id")
    total, growth, derived = figures.loc["interns-2015"], figures.loc["growth-2015"], figures.loc["interns-2014"]
    assert derived["value"] == pytest.approx(total["value"] / (1 + growth["value"] / 100))
    assert derived["low"] == pytest.approx(total["low"] / (1 + growth["high"] / 100))
    assert derived["high"] == pytest.approx(total["high"] / (1 + growth["low"] / 100))
    assert derived["period_end"] == pd.Timestamp("2014-12-31")
    assert derived["basis"] == "derived" and "growth-2015" in derived["derivation"]


def test_a_derived_figure_carries_the_hedge_and_population_of_its_inputs(built):
    figures = built["article_figures"].set_index("id")
    row = figures.loc["vn-titp-participants-2019"]
    assert (row["value"], row["low"], row["high"]) == (205000, 0.45 * 405000, 0.5 * 415000)
    assert row["qualifier"] == figures.loc["vn-titp-share-2019", "qualifier"] == "near_upper"
    assert row["population"] == figures.loc["vn-workers-2019", "population"] == "workers"


def test_remainder_fills_the_nationality_shares_to_100(built):
    shares = built["nationality_shares"]
    assert shares["share"].sum() == pytest.approx(100)
    other = shares.set_index("nationality").loc["Other"]
    assert other["basis"] == "remainder"
    assert other["share_low"] <= other["share"] <= other["share_high"]


def test_no_count_without_a_total_of_the_same_date_and_the_data_says_why(built):
    for name in ("nationality_shares", "industry_shares"):
        table = built[name]
        assert table["count"].isna().all()
        assert table["count_note"].str.startswith("no count derived").all()


def test_share_counts_uses_a_total_dated_within_the_share_period():
    shares = pd.DataFrame(
        {
            "id": ["s"],
            "period_start": [pd.Timestamp("2017-01-01")],
            "period_end": [pd.Timestamp("2017-12-31")],
            "value": [50.0],
            "low": [49.5],
            "high": [50.5],
        }
    )
    totals = pd.DataFrame(
        {
            "id": ["t"],
            "basis": ["stated"],
            "period_end": [pd.Timestamp("2017-06-30")],
            "value": [1000.0],
            "low": [990.0],
            "high": [1010.0],
        }
    )
    out = article.share_counts(shares, totals, "test")
    assert out.loc[0, "count"] == 500 and out.loc[0, "count_low"] == pytest.approx(490.05)
    assert out.loc[0, "count_note"] == "count = share x t"
    elsewhere = totals.assign(period_end=pd.Timestamp("2018-06-30"))
    assert pd.isna(article.share_counts(shares, elsewhere, "test").loc[0, "count"])


def test_stages_cover_the_programme_to_its_stated_length(built):
    stages, figures = built["stages"], built["article_figures"].set_index("id")
    assert stages["last_year"].max() == figures.loc["length-max", "value"]
    assert stages["years"].sum() == figures.loc["length-max", "value"]


# --- writing: all or nothing ------------------------------------------------------------------


def test_swap_in_leaves_unchanged_files_alone_and_stages_outside_the_folder(built, tmp_path):
    texts = render(built)
    assert len(swap_in(tmp_path / "out", texts)) == len(texts)
    assert swap_in(tmp_path / "out", texts) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_full_disk_half_way_leaves_no_mix_of_old_and_new_tables(built, tmp_path, monkeypatch):
    """The staging folder takes every write; a failure there replaces nothing."""
    out = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    texts = {name: text + "# changed\n" for name, text in render(built).items()}
    real_write = Path.write_bytes  # swap_in writes every file as bytes
    calls = {"n": 0}

    def write_until_full(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", write_until_full)
    with pytest.raises(OSError, match="No space left"):
        swap_in(out, texts)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"], "the staging folder is removed"


@pytest.mark.slow
def test_a_read_only_tree_is_named_and_nothing_changes(tmp_path, monkeypatch, capsys):
    """Read-only (EROFS) at the moment of writing: one message, and the folder as it was."""
    import analysis.files
    from analysis import build

    out = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, out)
    (out / "article_figures.csv").write_text("stale\n", encoding="utf-8")
    before = _snapshot(out)

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(out / "x"))

    monkeypatch.setattr(analysis.files.tempfile, "mkdtemp", read_only)
    assert build.main(["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "make data: could not write" in err and "Read-only file system" in err and "nothing in" in err
    assert _snapshot(out) == before


# --- bad input -----------------------------------------------------------------------------


def _replace(text: str, row_id: str, column: str, value: str) -> str:
    frame = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
    frame.loc[frame["id"].eq(row_id), column] = value
    return frame.to_csv(index=False, lineterminator="\n")


def _row_of(row_id: str) -> int:
    ids = pd.read_csv(RAW, dtype=str, keep_default_na=False)["id"].tolist()
    return ids.index(row_id) + 1


#: case -> (row id, column, bad value) written into a copy of the raw file.
BAD_INPUTS = {
    "letter O for zero": ("share-china", "number_text", "4O%"),
    "bad thousands separators": ("interns-2015", "number_text", "12,34,5"),
    "empty number": ("abuse-2012-2017", "number_text", ""),
    "unknown topic": ("workplaces-2015", "topic", "workforce"),
    "unknown population": ("workplaces-2015", "population", "visitors"),
    "duplicate id": ("share-vietnam", "id", "share-china"),
    "shares past 100": ("share-philippines", "number_text", "29.2%"),
    "bad date": ("trainees-2019-12", "date_text", "In Decembre 2019"),
    "date outside the programme": ("deaths-2012-2017", "date_text", "between 1980 and 1990"),
    "percent where a count belongs": ("interns-2015", "number_text", "19%"),
}


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the raw file and of data/processed/, to break and to guard."""
    raw = tmp_path / "figures.csv"
    shutil.copy(RAW, raw)
    out = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, out)
    return raw, out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_raw_value_is_refused_with_file_row_column_value(case, project_copy):
    raw, _ = project_copy
    row_id, column, value = BAD_INPUTS[case]
    raw.write_text(_replace(raw.read_text(encoding="utf-8"), row_id, column, value), encoding="utf-8")
    with pytest.raises(RawDataError) as err:
        build_all(Inputs(figures=raw))
    message = str(err.value)
    assert str(raw) in message
    assert f"row {_row_of(row_id)} " in message
    assert f"column '{column}'" in message
    assert f"value '{value}'" in message


@pytest.mark.slow
def test_the_command_prints_one_line_and_changes_nothing(project_copy):
    raw, out = project_copy
    raw.write_text(_replace(raw.read_text(encoding="utf-8"), "share-china", "number_text", "4O%"), encoding="utf-8")
    before = _snapshot(out)
    result = subprocess.run(
        [sys.executable, "-m", "analysis.build", "--figures", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.count("make data: refused:") == 1 and "Traceback" not in result.stderr
    assert _snapshot(out) == before


#: case -> (row of derived.csv, column, value written there, the reason the refusal gives).
BAD_DERIVED = {
    "unknown claim": (1, "base_id", "interns-2051", "no stated claim has this id"),
    "unknown rule": (2, "rule", "share_of_total", "unknown rule"),
    "a stated claim's id": (2, "id", "vn-workers-2019", "a stated claim has this id already"),
    "no measure": (2, "measure", "", "say what the derived count counts"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD_DERIVED))
def test_a_bad_derived_claim_is_refused_with_file_row_column_value(case, tmp_path):
    row, column, value, reason = BAD_DERIVED[case]
    derived = tmp_path / "derived.csv"
    frame = pd.read_csv(paths.ARTICLE_DERIVED, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(derived, index=False)
    with pytest.raises(RawDataError) as err:
        build_all(Inputs(derived=derived))
    assert str(err.value).startswith(
        f"{derived}, row {row} (line {row + 1}), column '{column}', value '{value}': {reason}"
    )


@pytest.mark.slow
def test_a_claim_renamed_in_the_transcription_is_refused_where_a_derived_claim_needs_it(project_copy):
    raw, _ = project_copy
    needed = pd.read_csv(paths.ARTICLE_DERIVED, dtype=str, keep_default_na=False).iloc[0]
    raw.write_text(_replace(raw.read_text(encoding="utf-8"), needed["other_id"], "id", "renamed"), encoding="utf-8")
    with pytest.raises(RawDataError, match=f"derived.csv, row 1 .*column 'other_id', value '{needed['other_id']}'"):
        build_all(Inputs(figures=raw))


#: option of ``python -m analysis.build`` -> the words a refusal of another file's name says.
CANONICAL = {
    "--figures": "(expected figures.csv)",
    "--derived": "(expected derived.csv)",
    "--counterparts": "(expected counterparts.csv)",
    "--official": "not a folder (expected a folder of raw files with their provenance.json)",
}


@pytest.mark.slow
@pytest.mark.parametrize("option", sorted(CANONICAL))
def test_an_input_under_another_name_is_refused_in_one_line(option, project_copy):
    raw, out = project_copy
    other = raw.with_name("other.csv")
    shutil.copy(raw, other)
    before = _snapshot(out)
    result = subprocess.run(
        [sys.executable, "-m", "analysis.build", option, str(other), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    refusal = result.stderr.splitlines()[0]
    assert refusal.startswith(f"make data: refused: {other}, value 'other.csv': ")
    assert refusal.endswith(CANONICAL[option])
    assert _snapshot(out) == before


def test_a_row_with_a_stray_comma_is_named(project_copy):
    raw, _ = project_copy
    lines = raw.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",extra"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"row 3 \(line 4\).*12 fields where the header has 11"):
        article.read_claims(raw)


@pytest.mark.parametrize(
    "column, change", [("note", lambda f: f.drop(columns="note")), ("extra", lambda f: f.assign(extra="x"))]
)
def test_missing_or_extra_columns_are_refused(project_copy, column, change):
    raw, _ = project_copy
    frame = pd.read_csv(raw, dtype=str, keep_default_na=False)
    change(frame).to_csv(raw, index=False)
    with pytest.raises(RawDataError, match=f"column '{column}'"):
        article.read_claims(raw)


def test_a_file_not_in_utf8_is_refused(project_copy):
    raw, _ = project_copy
    raw.write_bytes(raw.read_bytes().replace(b"Introduction", "Introducti\u00f3n".encode("latin-1"), 1))
    with pytest.raises(RawDataError, match="not UTF-8"):
        article.read_claims(raw)


def test_a_file_far_larger_than_any_raw_file_is_refused_before_it_is_read(project_copy):
    raw, _ = project_copy
    with open(raw, "ab") as handle:
        handle.truncate(60 * 1024 * 1024)
    with pytest.raises(RawDataError, match=r"larger than any raw file should be .* not read"):
        article.read_claims(raw)


def test_a_bom_and_crlf_line_ends_are_read_as_the_same_file(project_copy):
    raw, _ = project_copy
    plain = article.read_claims(raw)
    raw.write_bytes(b"\xef\xbb\xbf" + raw.read_bytes().replace(b"\n", b"\r\n"))
    assert article.read_claims(raw).equals(plain)
