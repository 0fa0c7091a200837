"""Words true as written: each rule checked over every generated sentence it governs."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import data, fmt, paths, tables
from analysis import vocabulary as v
from analysis.check import reconcile
from analysis.publish.charts import seafood_share


@pytest.fixture(scope="module")
def built():
    return {name: data.load(name) for name in tables.TABLES}


@given(st.floats(0.1, 10), st.floats(0.5, 1.0))
def test_a_comparison_holds_over_the_whole_interval_or_is_hedged(ratio, shrink):
    low = ratio * shrink
    said = seafood_share.multiple(ratio, low)
    if said == "more than three times":
        assert low >= 3
    if said == "more than twice":
        assert low >= 2
    if said == "more than":
        assert low > 1


def test_chart_03_says_more_than_only_where_the_low_end_of_the_claim_allows_it():
    meta = json.loads((paths.FIGURES / "03-seafood-share.json").read_text(encoding="utf-8"))
    view = pd.read_csv(paths.FIGURES / "03-seafood-share.csv")
    article = view[view["who"].eq("article")].iloc[0]
    whole = view[view["who"].eq("official") & view["measure"].str.contains("by job category")]
    latest = whole.sort_values("period_end").iloc[-1]
    low = article["share_low"] / latest["share_high"]
    for word, bound in (("more than three times", 3), ("more than twice", 2)):
        if word in meta["title"]:
            assert low >= bound, meta["title"]


def test_a_nearest_value_is_the_nearest_over_every_date(built):
    rec, official = built["reconciliation"], built["official_series"]
    for r in rec[rec["reference_role"].eq(v.NEAREST)].itertuples():
        rows = reconcile.series_rows(official, r.series)
        rows = rows[rows["population"].eq(r.population)]
        claim = pd.Series({"low": r.claim_low, "high": r.claim_high, "value": r.claim_value})
        gaps = reconcile.gap(rows, claim)
        chosen = reconcile.gap(rows[rows["value"].eq(r.reference_value)], claim).min()
        assert chosen == gaps.min(), r.claim_id


def test_the_claims_of_one_sentence_are_described_at_one_stated_date(built):
    rec = built["reconciliation"].set_index("claim_id")
    for claim_id, row in rec[rec["stated_with"].notna()].iterrows():
        dates = {rec.loc[m, "official_period"] for m in [claim_id, *row["stated_with"].split()]}
        assert len(dates) == 1, (claim_id, dates)


def test_a_computed_figure_says_computed_from_and_a_quote_names_its_page(built):
    official = built["official_series"]
    for text_ in built["corrections"]["suggested_text"]:
        credits = [c for c in re.findall(r"\(([^()]*)\)", text_) if " " in c]  # not "(non-seasonal)"
        assert credits, text_
        for credit in credits:
            assert credit.startswith(("computed from", "Immigration Services Agency", "as reported")) or (
                ", as quoted by " in credit
            ), credit
            if credit.startswith(("computed from", "Immigration Services Agency")) and ", as quoted by " not in credit:
                assert "via e-Stat" in credit, "a figure of the primary table names it"
    derived = official[official["basis"].eq(v.DERIVED)]
    assert len(derived), "there are computed figures to credit"


def test_bodies_are_spelt_as_readers_expect_everywhere(built):
    for wrong, right in v.BODY_NAMES.items():
        outputs = [
            paths.README.read_text(encoding="utf-8"),
            (paths.PROCESSED / "corrections.csv").read_text(encoding="utf-8"),
            (paths.PROCESSED / "reconciliation.csv").read_text(encoding="utf-8"),
            *(p.read_text(encoding="utf-8") for p in paths.FIGURES.glob("*.json")),
            *(p.read_text(encoding="utf-8") for p in paths.FIGURES.glob("*.svg")),
        ]
        for output in outputs:
            assert wrong not in output.replace(right, "")


def test_a_flow_over_a_fiscal_year_is_written_as_a_fiscal_year(built):
    official = built["official_series"]
    fiscal = official[official["period_precision"].eq("fiscal_year")]
    assert len(fiscal)
    outputs = [
        paths.README.read_text(encoding="utf-8"),
        (paths.PROCESSED / "corrections.csv").read_text(encoding="utf-8"),
        (paths.PROCESSED / "reconciliation.csv").read_text(encoding="utf-8"),
        *(p.read_text(encoding="utf-8") for p in paths.FIGURES.glob("*.json")),
    ]
    for end in fiscal["period_end"]:
        point = f"the end of March {pd.Timestamp(end).year}"
        assert not any(point in output for output in outputs), point


def test_the_programmes_creation_is_dated_only_as_precisely_as_its_sources_agree(built):
    events = built["official_events"]
    created = events[events["label"].str.contains("created")]
    assert len(created) == 1 and created["period_precision"].iloc[0] == "month"
    month = fmt.period(created["period_start"].iloc[0], created["period_end"].iloc[0])
    day_of_it = re.compile(rf"\b\d{{1,2}} {month}\b")
    outputs = [
        paths.README.read_text(encoding="utf-8"),
        *(p.read_text(encoding="utf-8") for p in (paths.ROOT / "docs").glob("*.md")),
        *(p.read_text(encoding="utf-8") for p in paths.PROCESSED.glob("*.csv") if p.name != "official_series.csv"),
        *(p.read_text(encoding="utf-8") for p in paths.FIGURES.glob("*.json")),
    ]
    assert not [m[0] for output in outputs for m in day_of_it.finditer(output)]


def test_a_promulgation_is_never_called_an_enactment(built):
    rec = built["reconciliation"]
    promulgated = rec[rec["reference_label"].fillna("").str.contains("promulgated")]
    assert len(promulgated), "the article dates a promulgation"
    for _, row in promulgated.iterrows():
        assert "promulgat" in row["finding"], row["finding"]
    official = built["official_series"]
    assert not official["label"].str.contains("enact", case=False).any(), "the sources give promulgations"
