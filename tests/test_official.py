"""Official statistics: strict reading, checksums and derived series."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis import paths
from analysis.build import Inputs, build_all
from analysis.errors import RawDataError
from analysis.sources import derive, provenance


@pytest.fixture(scope="module")
def committed():
    """The official series built from the committed files, once for the tests that only read it."""
    return derive.read_official()


def _append(path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_checksums_of_the_committed_files_verify():
    provenance.verify_checksums()


def test_a_changed_file_fails_its_checksum(official_copy):
    _append(official_copy / "stock.csv", "2014-12-31,year_end,167000,exact,reported,Ministry of Justice,x,")
    with pytest.raises(RawDataError, match=r"stock\.csv, column 'sha256', value '[0-9a-f]{64}': checksum mismatch"):
        derive.read_official(official_copy)


def test_a_file_without_provenance_is_refused(official_copy):
    (official_copy / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="without a provenance record"):
        provenance.verify_checksums(official_copy)


@pytest.mark.parametrize(
    "file, old, new, column",
    [
        ("stock.csv", "2015-12-31,year_end,192655", "2015-12-31,year_end,192.655.0", "value"),
        ("stock.csv", "2016-12-31,year_end", "2016-13-31,year_end", "period_end"),
        ("stock.csv", "2018-06-30,mid_year", "2018-06-30,midyear", "kind"),
        ("stock.csv", "151000,rounded to the thousand", "151000,roughly", "published_as"),
        ("stock_by_nationality.csv", "2019-12-31,China,82370,exact,", "2019-12-31,China,82370,exact,,", None),
        ("vietnamese_in_japan.csv", "2019-12-31,residents", "2019-12-31,visitors", "population"),
        ("industry.csv", "20.8,percent", "120.8,percent", "value"),
        ("other_figures.csv", "2012-01-01,2017-12-31,deaths", "2018-01-01,2017-12-31,deaths", "period_end"),
        ("events.csv", "2017-01-01,month", "2017-01-01,season", "precision"),
    ],
)
def test_bad_official_values_name_file_row_column_and_value(official_copy, file, old, new, column):
    path = official_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    provenance.record_checksums(official_copy)
    with pytest.raises(RawDataError) as err:
        derive.read_official(official_copy)
    message = str(err.value)
    assert file in message and "row " in message
    if column:
        assert f"column '{column}'" in message


@pytest.mark.parametrize("basis", ["reported", "derived"])
def test_a_second_total_of_one_date_is_refused_by_the_declared_key(official_copy, basis):
    _append(official_copy / "stock.csv", f"2015-12-31,year_end,192655,exact,{basis},Ministry of Justice,x,")
    provenance.record_checksums(official_copy)
    with pytest.raises(
        RawDataError,
        match=r"stock\.csv, row 20 .*column 'period_end', value '2015-12-31': "
        r"duplicate period_end \(first on row 2\)",
    ):
        derive.read_official(official_copy)


def test_an_event_of_one_month_dated_on_two_days_is_refused_as_one_figure(official_copy):
    # Two keys (date, event) that the month's precision makes one figure: the one check after
    # the declared key that a file can still fail.
    event = "Organization for Technical Intern Training (OTIT) established (January 2017; day not verified)"
    _append(official_copy / "events.csv", f"2017-01-20,month,{event},https://example.org/")
    provenance.record_checksums(official_copy)
    with pytest.raises(
        RawDataError,
        match=r"events\.csv, row 9 .*column 'period_end', value '2017-01-31': "
        r"duplicate figure for event \(first on row 4\)",
    ):
        derive.read_official(official_copy)


def test_a_rounded_quote_carries_its_interval_and_is_held_to_the_table(built):
    quoted = built["quoted_figures"]
    rounded = quoted[
        quoted["series"].eq("stock-nationality:China") & quoted["period_end"].map(str).str.startswith("2017-12-31")
    ].iloc[0]
    assert (rounded["quoted_low"], rounded["quoted_high"]) == (77500, 78500)
    series = built["official_series"]
    table = series[
        series["series"].eq("stock-nationality:China") & series["period_end"].map(str).str.startswith("2017-12-31")
    ].iloc[0]
    assert table["basis"] == "published" and rounded["table_value"] == table["value"]
    assert rounded["verdict"] == ("agrees" if 77500 <= table["value"] <= 78500 else "disagrees")


def test_growth_is_computed_wherever_two_dates_a_year_apart_exist_and_never_read_from_a_note(committed):
    growth = committed.query("series == 'stock-growth'")
    assert set(growth["basis"]) == {"derived"}
    stock = set(committed.query("series == 'stock'")["period_end"])
    expected = {d for d in stock if d.replace(year=d.year - 1) in stock}
    assert set(growth["period_end"]) == expected


@pytest.mark.slow  # reads the whole official set, the e-Stat table too, twice
def test_a_free_text_note_changes_no_figure(official_copy):
    before = derive.read_official(official_copy)
    path = official_copy / "stock.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reported as up 14.9% on the previous year", "see the release"),
        encoding="utf-8",
    )
    provenance.record_checksums(official_copy)
    after = derive.read_official(official_copy)
    columns = ["series", "period_end", "value", "low", "high", "basis"]
    pd.testing.assert_frame_equal(before[columns], after[columns])


def test_workers_and_residents_stay_apart(committed):
    workers = committed[committed["series"].str.startswith("workers:")]
    assert set(workers["population"]) == {"workers"}
    residents = committed[committed["series"].str.startswith("all-residents:")]
    assert set(residents["population"]) == {"all_residents"} and set(residents["basis"]) == {"published"}
    share = committed[committed["series"].eq("trainee-share-of-residents:Vietnam")]
    assert set(share["population"]) == {"all_residents"}, "a share of all residents counts all residents"


def test_derived_figures_carry_the_pages_of_every_input(committed):
    series = committed.set_index(["series", "period_end"])
    share = series.loc[("stock-share:Vietnam", date(2019, 12, 31))]
    nationality = series.loc[("stock-nationality:Vietnam", date(2019, 12, 31))]
    total = series.loc[("stock", date(2019, 12, 31))]
    assert share["sources"].split() == list(dict.fromkeys(nationality["sources"].split() + total["sources"].split()))


def test_a_duration_an_event_states_becomes_a_figure_dated_from_the_event(committed):
    figures = committed.query("series == 'event-figure:years'")
    assert len(figures) == 1
    row = figures.iloc[0]
    assert (row["value"], row["unit"], str(row["period_end"])) == (5.0, "years", "2017-11-01")


def test_a_publisher_naming_its_date_becomes_a_publication(committed):
    pubs = committed.query("series == 'publication'").set_index("label")
    team = pubs.loc["Ministry of Justice project team (March 2019)"]
    assert (str(team["period_start"]), str(team["period_end"]), team["period_precision"]) == (
        "2019-03-01",
        "2019-03-31",
        "month",
    )
    assert "deaths" in team["note"] and "suspected" in team["note"]


def test_a_count_without_a_total_of_its_own_is_set_against_the_nearest_stock_with_its_caveat(committed):
    row = committed.query(
        "series.str.startswith('industry-share-of-stock:') and series.str.endswith('seafood processing')"
    ).iloc[0]
    assert row["value"] == pytest.approx(100 * 18459 / 228588)
    assert row["population"] == "unstated" and "the bases differ" in row["note"] and "18,459" in row["note"]


def test_an_official_file_not_in_utf8_is_refused(official_copy):
    path = official_copy / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"agree", "agr\u00e9e".encode("latin-1"), 1))
    provenance.record_checksums(official_copy)
    with pytest.raises(RawDataError, match=r"events\.csv, value .*not UTF-8"):
        derive.read_official(official_copy)


@pytest.mark.parametrize(
    "change, column",
    [(lambda f: f.drop(columns="publisher"), "publisher"), (lambda f: f.assign(comment="x"), "comment")],
)
def test_an_official_file_with_missing_or_extra_columns_is_refused(official_copy, change, column):
    path = official_copy / "stock.csv"
    change(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    provenance.record_checksums(official_copy)
    with pytest.raises(RawDataError, match=rf"stock\.csv, column '{column}'"):
        derive.read_official(official_copy)


@pytest.mark.slow
def test_a_counterpart_naming_no_figure_or_a_wrong_unit_is_refused(tmp_path):
    mapping = tmp_path / "counterparts.csv"
    text = paths.COUNTERPARTS.read_text(encoding="utf-8")
    mapping.write_text(text.replace("interns-2015,stock", "interns-2051,stock", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"row 2 .*column 'claim_id', value 'interns-2051': no article figure"):
        build_all(Inputs(counterparts=mapping))
    mapping.write_text(text.replace("interns-2015,stock,", "interns-2015,stock-growth,", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="column 'series', value 'stock-growth': series in \\['percent'\\]"):
        build_all(Inputs(counterparts=mapping))


def _stated(tmp_path, row: str):
    path = tmp_path / paths.EVENT_PRECISION.name
    path.write_text("date,event,precision,reason\n" + row + "\n", encoding="utf-8")
    return path


def test_the_reference_set_keeps_its_day_and_the_project_states_the_month_its_sources_agree_on():
    """events.csv stays as the reference set publishes it (5 April 1993, at day precision); the
    project's event_precision.csv states the month the sources agree on, and the build takes it."""
    from analysis.sources import official
    from analysis.sources.raw import read_raw_csv

    events = read_raw_csv(paths.RAW_OFFICIAL / "events.csv")
    stated = official.read_stated_precision(paths.EVENT_PRECISION, events)
    assert stated, "the project states a precision of its own"
    for (day, event), precision in stated.items():
        given = events[events["date"].eq(day) & events["event"].eq(event)]["precision"].iloc[0]
        assert given == "day" and precision == "month", (event, given, precision)
        row = next(r for r in official.READERS["events.csv"](paths.RAW_OFFICIAL / "events.csv") if r["label"] == event)
        assert row["period_precision"] == "month" and row["period_start"].day == 1 and row["period_end"].day > 27


@pytest.mark.parametrize(
    ("row", "column", "why"),
    [
        ("1993-04-05,No such event,month,x", "event", "no row of events.csv"),
        (
            "2016-11-28,Technical Intern Training Act promulgated,hour,x",
            "precision",
            "",
        ),
    ],
)
def test_a_stated_precision_that_names_no_event_or_is_unknown_is_refused(tmp_path, row, column, why):
    from analysis.sources import official

    with pytest.raises(RawDataError) as err:
        official.read_events(paths.RAW_OFFICIAL / "events.csv", _stated(tmp_path, row))
    assert err.value.column == column and why in str(err.value)


def test_a_date_is_never_stated_more_precisely_than_the_reference_set_gives_it(tmp_path):
    from analysis.sources import official
    from analysis.sources.raw import read_raw_csv

    events = read_raw_csv(paths.RAW_OFFICIAL / "events.csv")
    coarse = events[events["precision"].ne("day")].iloc[0]
    path = _stated(tmp_path, f'{coarse["date"]},"{coarse["event"]}",day,x')
    with pytest.raises(RawDataError, match="never sharpened"):
        official.read_events(paths.RAW_OFFICIAL / "events.csv", path)
