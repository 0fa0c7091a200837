"""The official series re-based on the primary table, and the quotes held to it."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import vocabulary as v
from analysis.build import Inputs, build_all
from analysis.errors import RawDataError
from analysis.sources import derive, estat, primary, provenance


@pytest.fixture(scope="module")
def real():
    """The committed e-Stat download, read once for the module (the build reads the same file)."""
    return estat.read_estat(primary.table_path())


def test_the_stock_stands_at_every_date_of_the_table(built, real):
    series = built["official_series"]
    stock = series[series["series"].eq("stock")]
    trainees = estat.trainees(real)
    totals = trainees[trainees["area_kind"].eq("total")]
    assert len(stock) == len(totals) == totals["period_end"].nunique()
    assert set(stock["basis"]) == {v.PUBLISHED}
    assert sorted(stock["value"]) == sorted(float(x) for x in totals["value"])


def test_every_date_is_itemised_in_full(built):
    series = built["official_series"]
    stock = series[series["series"].eq("stock")].set_index("period_end")["value"]
    parts = series[series["series"].str.startswith("stock-nationality:")]
    sums = parts.groupby("period_end")["value"].sum()
    assert set(sums.index) == set(stock.index), "every date of the stock has its nationalities"
    for day, total in stock.items():
        assert sums[day] == total, f"named nationalities and Other add up to the stock at {day}"
    shares = series[series["series"].str.startswith("stock-share:")].groupby("period_end")["value"].sum()
    assert shares.round(6).eq(100).all()


def test_all_residents_and_skilled_workers_come_from_the_table(built, real):
    series = built["official_series"]
    residents = series[series["series"].eq("all-residents:Vietnam")]
    table = estat.all_residents(real)
    code = next(c for c, n in v.NATIONALITIES.items() if n == "Vietnam")
    expected = table[table["area_code"].eq(code)]
    assert sorted(residents["value"]) == sorted(float(x) for x in expected["value"])
    skilled = series[series["series"].eq("skilled-workers")]
    assert len(skilled) and skilled["value"].gt(0).all() and set(skilled["population"]) == {v.SKILLED_WORKERS}


def test_a_quote_the_table_covers_leaves_the_series_and_is_held_to_it(built):
    quoted, series = built["quoted_figures"], built["official_series"]
    covered = quoted[quoted["verdict"].ne(v.NOT_IN_TABLE)]
    assert len(covered)
    assert not series["source_file"].isin(["stock.csv", "stock_by_nationality.csv"]).any()
    for r in covered.itertuples():
        within = r.quoted_low <= r.table_value <= r.quoted_high
        assert r.verdict == (v.AGREES if within else v.DISAGREES)
        assert r.difference == pytest.approx(r.table_value - r.quoted_value)


@pytest.mark.slow  # reads the whole official set, the e-Stat table too
def test_a_wrong_quote_is_caught_and_never_used(official_copy):
    path = official_copy / "stock.csv"
    text = path.read_text(encoding="utf-8")
    assert "2015-12-31,year_end,192655," in text
    path.write_text(text.replace("2015-12-31,year_end,192655,", "2015-12-31,year_end,199999,"), encoding="utf-8")
    provenance.record_checksums(official_copy)
    series, quoted = derive.official_and_quotes(official_copy)
    row = quoted[quoted["series"].eq("stock") & quoted["period_end"].map(str).eq("2015-12-31")].iloc[0]
    assert row["verdict"] == v.DISAGREES and row["difference"] == row["table_value"] - 199999
    assert 199999 not in set(series["value"]), "the table stands over the wrong quote"


def test_a_quoted_remainder_is_the_total_less_the_nationalities_quoted_beside_it(built):
    quoted, series = built["quoted_figures"], built["official_series"]
    other = quoted[quoted["series"].eq(f"stock-nationality:{v.OTHER_NATIONALITY}")]
    assert len(other)
    for r in other.itertuples():
        day = series[series["period_end"].eq(r.period_end)]
        beside = quoted[
            quoted["period_end"].eq(r.period_end)
            & quoted["series"].str.startswith("stock-nationality:")
            & quoted["series"].ne(r.series)
        ]
        named = day[day["series"].isin(beside["series"])]["value"].sum()
        total = day[day["series"].eq("stock")]["value"].iloc[0]
        assert r.table_value == total - named


def test_a_large_nationality_without_a_name_is_refused(monkeypatch, real):
    table = real
    trainees = estat.trainees(table)
    code, name = "1140", v.NATIONALITIES["1140"]
    monkeypatch.setattr(v, "NATIONALITIES", {c: n for c, n in v.NATIONALITIES.items() if c != code})
    with pytest.raises(RawDataError) as err:
        primary.check_named(trainees, table.path)
    message = str(err.value)
    assert code in message and "NATIONALITIES" in message and table.path.name in message
    assert name  # the name it had


def test_the_same_table_in_the_other_encoding_changes_no_figure(official_copy, built):
    path = primary.table_path(official_copy)
    path.write_bytes(path.read_bytes().decode("utf-8").encode("cp932"))
    provenance.record_checksums(official_copy)
    again = build_all(Inputs(official=official_copy))
    columns = ["series", "period_end", "value", "low", "high"]
    pd.testing.assert_frame_equal(built["official_series"][columns], again["official_series"][columns])
    pd.testing.assert_frame_equal(built["reconciliation"], again["reconciliation"])


def test_statuses_rest_on_the_table_wherever_it_has_the_figure(built):
    rec = built["reconciliation"]
    on_stock = rec[rec["series"].fillna("").str.match(r"^(stock|stock-share:|stock-nationality:)")]
    assert len(on_stock)
    for r in on_stock.itertuples():
        if pd.notna(r.reference_sources):
            assert primary.SOURCE in r.reference_sources.split(), r.claim_id


def test_the_ranking_of_the_shares_is_checked_at_their_date(built):
    rec = built["reconciliation"].set_index("claim_id")
    sets = rec[rec["stated_with"].notna() & rec["series"].fillna("").str.startswith("stock-share:")]
    assert len(sets)
    for finding in sets["finding"]:
        assert "The sentence ranks" in finding and ("the ranking holds" in finding or "does not hold" in finding)
