"""Official statistics: strict reading, checksums, derived series, and the reconciliation rules."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from analysis import official, paths, summary
from analysis.build import build_all, readme_section
from analysis.errors import RawDataError
from analysis.reconcile import STATUSES, reconcile_claim


@pytest.fixture
def official_copy(tmp_path):
    folder = tmp_path / "official"
    shutil.copytree(paths.RAW_OFFICIAL, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def _append(path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_checksums_of_the_committed_files_verify():
    official.verify_checksums()


def test_a_changed_file_fails_its_checksum(official_copy):
    _append(official_copy / "stock.csv", "2014-12-31,year_end,167000,exact,reported,Ministry of Justice,x,")
    with pytest.raises(RawDataError, match=r"stock\.csv, column 'sha256', value '[0-9a-f]{64}': checksum mismatch"):
        official.read_official(official_copy)


def test_a_file_without_provenance_is_refused(official_copy):
    (official_copy / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="without a provenance record"):
        official.verify_checksums(official_copy)


@pytest.mark.parametrize("file, old, new, column", [
    ("stock.csv", "2015-12-31,year_end,192655", "2015-12-31,year_end,192.655.0", "value"),
    ("stock.csv", "2016-12-31,year_end", "2016-13-31,year_end", "period_end"),
    ("stock.csv", "2018-06-30,mid_year", "2018-06-30,midyear", "kind"),
    ("stock.csv", "151000,rounded to the thousand", "151000,roughly", "published_as"),
    ("stock_by_nationality.csv", "2019-12-31,China,82370,exact,", "2019-12-31,China,82370,exact,,", None),
    ("vietnamese_in_japan.csv", "2019-12-31,residents", "2019-12-31,visitors", "population"),
    ("industry.csv", "20.8,percent", "120.8,percent", "value"),
    ("other_figures.csv", "2012-01-01,2017-12-31,deaths", "2018-01-01,2017-12-31,deaths", "period_end"),
    ("events.csv", "2017-01-01,month", "2017-01-01,season", "precision"),
])
def test_bad_official_values_name_file_row_column_and_value(official_copy, file, old, new, column):
    path = official_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    official.record_checksums(official_copy)
    with pytest.raises(RawDataError) as err:
        official.read_official(official_copy)
    message = str(err.value)
    assert file in message and "row " in message
    if column:
        assert f"column '{column}'" in message


def test_a_duplicate_official_figure_is_refused(official_copy):
    _append(official_copy / "stock.csv", "2015-12-31,year_end,192655,exact,reported,Ministry of Justice,x,")
    official.record_checksums(official_copy)
    with pytest.raises(RawDataError, match="duplicate figure for stock"):
        official.read_official(official_copy)


def test_rounded_figures_carry_their_interval_and_shares_widen_with_it():
    series = official.read_official().set_index(["series", "period_end"])
    rounded = series.loc[("stock-nationality:China", date(2017, 12, 31))]
    assert (rounded["low"], rounded["high"]) == (77500, 78500)
    share = series.loc[("stock-share:China", date(2017, 12, 31))]
    assert share["low"] == pytest.approx(100 * 77500 / 274233)
    assert share["high"] == pytest.approx(100 * 78500 / 274233)
    assert share["basis"] == "derived"


def test_only_annual_reported_growth_is_taken_as_growth_on_a_year_earlier():
    growth = official.read_official().query("series == 'stock-growth' and basis == 'reported'")
    assert {str(d) for d in growth["period_end"]} == {"2015-12-31", "2016-12-31", "2018-12-31", "2019-12-31",
                                                        "2024-12-31"}


def test_workers_and_residents_stay_apart():
    series = official.read_official()
    vn = series[series["source_file"].eq("vietnamese_in_japan.csv")]
    assert set(vn["population"]) == {"workers", "residents"}
    assert all(s.startswith(p + ":") for s, p in zip(vn["series"], vn["population"]))


# --- reconciliation rules on small synthetic tables ------------------------------------------------


def _official(rows):
    base = dict(label="x", population="residents", publisher="P", source_file="f.csv", basis="reported",
                unit="count")
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["low"] = frame.get("low", frame["value"])
    frame["high"] = frame.get("high", frame["value"])
    return frame.assign(period_start=lambda f: f.get("period_start", f["period_end"]))


def _claim(value, low, high, start, end, unit="count", precision="year"):
    return pd.Series(dict(id="c", basis="stated", topic="t", measure="m", unit=unit, value=value, low=low,
                          high=high, period_start=start, period_end=end, period_precision=precision))


STOCK = _official([
    dict(series="s", period_end=date(2018, 12, 31), value=328360.0),
    dict(series="s", period_end=date(2019, 12, 31), value=410972.0),
])


def test_consistent_when_the_value_at_the_stated_period_agrees():
    claim = _claim(410972, 410972, 410972, date(2019, 12, 1), date(2019, 12, 31), precision="month")
    result = reconcile_claim(claim, dict(series="s", relation="same"), STOCK)
    assert result["status"] == "consistent" and result["best_period"] == "2019-12-31"


def test_misdated_when_it_agrees_with_another_period_and_the_note_names_it():
    claim = _claim(328360, 328360, 328360, date(2019, 12, 1), date(2019, 12, 31), precision="month")
    result = reconcile_claim(claim, dict(series="s", relation="same"), STOCK)
    assert result["status"] == "misdated"
    assert result["official_value"] == 410972 and result["best_period"] == "2018-12-31"
    assert "belongs to 2018-12-31" in result["note"]


def test_inconsistent_when_no_value_agrees_at_any_period():
    claim = _claim(300000, 299000, 301000, date(2019, 12, 31), date(2019, 12, 31))
    assert reconcile_claim(claim, dict(series="s", relation="same"), STOCK)["status"] == "inconsistent"


def test_rounding_of_the_official_value_widens_the_comparison():
    rounded = _official([dict(series="s", period_end=date(2012, 12, 31), value=151000.0, low=150500.0,
                              high=151500.0)])
    claim = _claim(151400, 151400, 151400, date(2012, 12, 31), date(2012, 12, 31))
    assert reconcile_claim(claim, dict(series="s", relation="same"), rounded)["status"] == "consistent"


def test_unverifiable_without_any_official_figure_or_at_an_uncovered_period():
    claim = _claim(1, 1, 1, date(2019, 12, 31), date(2019, 12, 31))
    assert reconcile_claim(claim, None, STOCK)["status"] == "unverifiable"
    assert reconcile_claim(claim, dict(series="nothing", relation="same"), STOCK)["status"] == "unverifiable"
    early = _claim(328360, 328360, 328360, date(2014, 12, 31), date(2014, 12, 31))
    result = reconcile_claim(early, dict(series="s", relation="same"), STOCK)
    assert result["status"] == "unverifiable" and "would agree with the value 328,360 at 2018-12-31" in result["note"]


def test_a_part_exceeding_its_whole_is_inconsistent_and_one_within_is_unverifiable():
    whole = _official([dict(series="share:food", period_end=date(2022, 12, 31), value=20.0, low=19.95, high=20.05,
                            unit="percent")])
    mapping = dict(series="share:*", relation="subset_of")
    big = _claim(42, 39.9, 44.1, None, None, unit="percent")
    small = _claim(5, 4.5, 5.5, None, None, unit="percent")
    assert reconcile_claim(big, mapping, whole)["status"] == "inconsistent"
    assert reconcile_claim(small, mapping, whole)["status"] == "unverifiable"


def test_dates_are_consistent_within_the_named_period_and_misdated_outside_it():
    events = _official([dict(series="event", label="Act comes into force", period_end=date(2017, 11, 1),
                             value=None, unit="date")])
    in_month = _claim(None, None, None, date(2017, 11, 1), date(2017, 11, 30), unit="date", precision="month")
    wrong = _claim(None, None, None, date(2016, 11, 1), date(2016, 11, 30), unit="date", precision="month")
    mapping = dict(series="event", match="into force", relation="same")
    assert reconcile_claim(in_month, mapping, events)["status"] == "consistent"
    result = reconcile_claim(wrong, mapping, events)
    assert result["status"] == "misdated" and "2017-11-01" in result["note"]


def test_history_evidence_is_quoted_but_never_changes_the_status():
    claim = _claim(328360, 328360, 328360, date(2019, 12, 1), date(2019, 12, 31), precision="month")
    plain = reconcile_claim(claim, dict(series="s", relation="same"), STOCK)
    cited = reconcile_claim(claim, dict(series="s", relation="same", history="added later"), STOCK)
    assert plain["status"] == cited["status"]
    assert cited["note"].endswith("Article history (article_history.md): added later.")


# --- the real data ---------------------------------------------------------------------------------


def test_every_article_figure_has_a_status_and_mapped_ones_name_their_series():
    tables = build_all()
    rec, figures = tables["reconciliation.csv"], tables["article_figures.csv"]
    assert set(rec["claim_id"]) == set(figures["id"])
    assert set(rec["status"]) <= set(STATUSES)
    mapped = set(pd.read_csv(paths.COUNTERPARTS)["claim_id"])
    assert rec.loc[rec["claim_id"].isin(mapped), "series"].notna().all()


def test_the_december_2019_total_is_found_misdated_to_the_end_of_2018():
    rec = build_all()["reconciliation.csv"].set_index("claim_id")
    row = rec.loc["trainees-2019-12"]
    assert row["status"] == "misdated" and row["best_period"] == "2018-12-31"


def test_adding_an_official_row_changes_the_reconciliation_without_code(official_copy):
    before = build_all(official_dir=official_copy)["reconciliation.csv"].set_index("claim_id")
    assert before.loc["interns-2014", "status"] == "unverifiable"
    _append(official_copy / "stock.csv", "2014-12-31,year_end,167000,rounded to the thousand,reported,Test,x,test row")
    official.record_checksums(official_copy)
    after = build_all(official_dir=official_copy)["reconciliation.csv"].set_index("claim_id")
    assert after.loc["interns-2014", "status"] == "consistent"
    assert after.loc["interns-2014", "best_period"] == "2014-12-31"


def test_readme_section_is_the_generated_one():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert summary.splice(readme, readme_section(build_all())) == readme, "README is stale: run make data"


def test_an_official_file_not_in_utf8_is_refused(official_copy):
    path = official_copy / "events.csv"
    path.write_bytes(path.read_bytes().replace("agree".encode(), "agr\u00e9e".encode("latin-1"), 1))
    official.record_checksums(official_copy)
    with pytest.raises(RawDataError, match=r"events\.csv, value .*not UTF-8"):
        official.read_official(official_copy)


@pytest.mark.parametrize("change, column", [(lambda f: f.drop(columns="publisher"), "publisher"),
                                            (lambda f: f.assign(comment="x"), "comment")])
def test_an_official_file_with_missing_or_extra_columns_is_refused(official_copy, change, column):
    path = official_copy / "stock.csv"
    change(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    official.record_checksums(official_copy)
    with pytest.raises(RawDataError, match=rf"stock\.csv, column '{column}'"):
        official.read_official(official_copy)


def test_a_counterpart_naming_no_figure_or_a_wrong_unit_is_refused(tmp_path):
    mapping = tmp_path / "counterparts.csv"
    text = paths.COUNTERPARTS.read_text(encoding="utf-8")
    mapping.write_text(text.replace("interns-2015,stock", "interns-2051,stock", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="row 1 .*column 'claim_id', value 'interns-2051': no article figure"):
        build_all(counterparts_path=mapping)
    mapping.write_text(text.replace("interns-2015,stock,", "interns-2015,stock-growth,", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="column 'series', value 'stock-growth': series in \\['percent'\\]"):
        build_all(counterparts_path=mapping)
