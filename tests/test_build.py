"""make data: known answers, sanity checks, and refusal of bad raw input without losing output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import article, paths
from analysis.build import build_all, to_csv_text, write_tables
from analysis.errors import RawDataError

RAW = paths.ARTICLE_FIGURES


def test_committed_processed_data_is_what_the_build_makes():
    for name, frame in build_all().items():
        committed = (paths.PROCESSED / name).read_text(encoding="utf-8")
        assert to_csv_text(frame) == committed, f"data/processed/{name} is stale: run make data"


def test_every_raw_row_is_parsed_once():
    raw = pd.read_csv(RAW, dtype=str, keep_default_na=False)
    tables = build_all()
    figures, stages = tables["article_figures.csv"], tables["stages.csv"]
    stated = set(figures.loc[figures["basis"].eq("stated"), "id"]) | set(stages["id"])
    assert stated == set(raw["id"])


def test_derived_2014_total_is_the_2015_total_less_its_growth():
    figures = build_all()["article_figures.csv"].set_index("id")
    total, growth, derived = figures.loc["interns-2015"], figures.loc["growth-2015"], figures.loc["interns-2014"]
    assert derived["value"] == pytest.approx(total["value"] / (1 + growth["value"] / 100))
    assert derived["low"] == pytest.approx(total["low"] / (1 + growth["high"] / 100))
    assert derived["high"] == pytest.approx(total["high"] / (1 + growth["low"] / 100))
    assert derived["period_end"] == pd.Timestamp("2014-12-31")
    assert derived["basis"] == "derived" and "growth-2015" in derived["derivation"]


def test_vietnamese_participants_are_almost_half_of_410000():
    figures = build_all()["article_figures.csv"].set_index("id")
    row = figures.loc["vn-titp-participants-2019"]
    assert (row["value"], row["low"], row["high"]) == (205000, 0.45 * 405000, 0.5 * 415000)


def test_remainder_fills_the_nationality_shares_to_100():
    shares = build_all()["nationality_shares.csv"]
    assert shares["share"].sum() == pytest.approx(100)
    other = shares.set_index("nationality").loc["Other"]
    assert other["basis"] == "remainder"
    assert other["share_low"] <= other["share"] <= other["share_high"]


def test_no_count_without_a_total_of_the_same_date_and_the_data_says_why():
    tables = build_all()
    for name in ("nationality_shares.csv", "industry_shares.csv"):
        table = tables[name]
        assert table["count"].isna().all()
        assert table["count_note"].str.startswith("no count derived").all()


def test_share_counts_uses_a_total_dated_within_the_share_period():
    shares = pd.DataFrame({"id": ["s"], "period_start": [pd.Timestamp("2017-01-01")],
                           "period_end": [pd.Timestamp("2017-12-31")], "value": [50.0], "low": [49.5],
                           "high": [50.5]})
    totals = pd.DataFrame({"id": ["t"], "basis": ["stated"], "period_end": [pd.Timestamp("2017-06-30")],
                           "value": [1000.0], "low": [990.0], "high": [1010.0]})
    out = article.share_counts(shares, totals, "test")
    assert out.loc[0, "count"] == 500 and out.loc[0, "count_low"] == pytest.approx(490.05)
    assert out.loc[0, "count_note"] == "count = share x t"
    elsewhere = totals.assign(period_end=pd.Timestamp("2018-06-30"))
    assert pd.isna(article.share_counts(shares, elsewhere, "test").loc[0, "count"])


def test_stages_cover_the_programme_to_its_stated_length():
    tables = build_all()
    stages, figures = tables["stages.csv"], tables["article_figures.csv"].set_index("id")
    assert stages["last_year"].max() == figures.loc["length-max", "value"]
    assert stages["years"].sum() == figures.loc["length-max", "value"]


def test_write_tables_leaves_unchanged_files_alone(tmp_path):
    tables = build_all()
    assert len(write_tables(tables, tmp_path)) == len(tables)
    assert write_tables(tables, tmp_path) == []


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


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_raw_value_is_refused_with_file_row_column_value(case, project_copy):
    raw, out = project_copy
    row_id, column, value = BAD_INPUTS[case]
    raw.write_text(_replace(raw.read_text(encoding="utf-8"), row_id, column, value), encoding="utf-8")
    before = _snapshot(out)

    result = subprocess.run([sys.executable, "-m", "analysis.build", "--article", str(raw), "--out", str(out)],
                            capture_output=True, text=True)

    assert result.returncode == 1
    message = result.stderr
    assert str(raw) in message
    assert f"row {_row_of(row_id)} " in message
    assert f"column '{column}'" in message
    assert f"value '{value}'" in message
    assert message.count("make data: refused:") == 1, "one message, not a traceback"
    assert "Traceback" not in message
    assert _snapshot(out) == before


def test_a_row_with_a_stray_comma_is_named(project_copy):
    raw, out = project_copy
    lines = raw.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",extra"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"row 3 \(line 4\).*11 fields where the header has 10"):
        article.read_article_figures(raw)


@pytest.mark.parametrize("column, change", [("note", lambda f: f.drop(columns="note")),
                                            ("extra", lambda f: f.assign(extra="x"))])
def test_missing_or_extra_columns_are_refused(project_copy, column, change):
    raw, _ = project_copy
    frame = pd.read_csv(raw, dtype=str, keep_default_na=False)
    change(frame).to_csv(raw, index=False)
    with pytest.raises(RawDataError, match=f"column '{column}'"):
        article.read_article_figures(raw)


def test_a_file_not_in_utf8_is_refused(project_copy):
    raw, _ = project_copy
    raw.write_bytes(raw.read_bytes().replace(b"Introduction", "Introducti\u00f3n".encode("latin-1"), 1))
    with pytest.raises(RawDataError, match="not UTF-8"):
        article.read_article_figures(raw)
