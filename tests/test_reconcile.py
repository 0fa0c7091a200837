"""The reconciliation rules, each on small synthetic tables, then on the real data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis import paths
from analysis import vocabulary as v
from analysis.build import Inputs, build_all
from analysis.check.reconcile import joint_date, reconcile, reconcile_claim, statement_sets
from analysis.sources import provenance


def _official(rows):
    base = dict(
        label="x",
        population="residents",
        publisher="P",
        source_file="f.csv",
        basis="reported",
        unit="count",
        sources="https://example.org/a",
        note=None,
        period_precision="day",
    )
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["low"] = frame.get("low", frame["value"])
    frame["high"] = frame.get("high", frame["value"])
    frame["low"] = frame["low"].fillna(frame["value"])
    frame["high"] = frame["high"].fillna(frame["value"])
    return frame.assign(period_start=lambda f: f.get("period_start", f["period_end"]).fillna(f["period_end"]))


def _claim(value, low, high, start, end, unit="count", precision="year", population="residents", id="c"):
    return pd.Series(
        dict(
            id=id,
            basis="stated",
            topic="t",
            measure="m",
            unit=unit,
            value=value,
            low=low,
            high=high,
            period_start=start,
            period_end=end,
            period_precision=precision,
            population=population,
        )
    )


SAME = dict(series="s", relation="same")
STOCK = _official(
    [
        dict(series="s", period_end=date(2018, 12, 31), value=328360.0),
        dict(series="s", period_end=date(2019, 12, 31), value=410972.0),
    ]
)
DECEMBER_2019 = (date(2019, 12, 1), date(2019, 12, 31))


def test_consistent_when_the_value_at_the_stated_period_agrees():
    claim = _claim(410972, 410972, 410972, *DECEMBER_2019, precision="month")
    result = reconcile_claim(claim, SAME, STOCK)
    assert result["status"] == v.CONSISTENT and result["reference_period"] == "2019-12-31"
    assert result["reference_role"] == v.AT_STATED_PERIOD


def test_misdated_when_it_agrees_with_another_period_and_the_finding_names_it():
    claim = _claim(328360, 328360, 328360, *DECEMBER_2019, precision="month")
    result = reconcile_claim(claim, SAME, STOCK)
    assert result["status"] == v.MISDATED
    assert result["official_value"] == 410972 and result["reference_period"] == "2018-12-31"
    assert "belongs to the end of 2018" in result["finding"]


def test_inconsistent_when_no_value_agrees_at_any_period():
    claim = _claim(300000, 299000, 301000, date(2019, 12, 31), date(2019, 12, 31))
    assert reconcile_claim(claim, SAME, STOCK)["status"] == v.INCONSISTENT


def test_rounding_of_the_official_value_widens_the_comparison():
    rounded = _official([dict(series="s", period_end=date(2012, 12, 31), value=151000.0, low=150500.0, high=151500.0)])
    claim = _claim(151400, 151400, 151400, date(2012, 12, 31), date(2012, 12, 31))
    assert reconcile_claim(claim, SAME, rounded)["status"] == v.CONSISTENT


def test_unverifiable_without_any_official_figure_or_at_an_uncovered_period():
    claim = _claim(1, 1, 1, date(2019, 12, 31), date(2019, 12, 31))
    assert reconcile_claim(claim, None, STOCK)["status"] == v.UNVERIFIABLE
    assert reconcile_claim(claim, dict(series="nothing", relation="same"), STOCK)["status"] == v.UNVERIFIABLE
    early = _claim(328360, 328360, 328360, date(2014, 12, 31), date(2014, 12, 31))
    result = reconcile_claim(early, SAME, STOCK)
    assert result["status"] == v.UNVERIFIABLE
    assert "would agree with the value 328,360 at the end of 2018" in result["finding"]


# --- rule 2: populations -----------------------------------------------------------------------


def test_a_claim_never_agrees_with_another_population_and_the_finding_gives_both():
    """The figure matches only the other population's value: unverifiable, never consistent."""
    residents = _official([dict(series="s", period_end=date(2019, 6, 30), value=189021.0)])
    workers = _official(
        [
            dict(
                series="w",
                period_end=date(2018, 10, 31),
                value=142883.0,
                population="workers",
                label="workers with the status",
            )
        ]
    )
    official = pd.concat([residents, workers], ignore_index=True)
    claim = _claim(205000, 182250, 207500, date(2019, 1, 1), date(2019, 12, 31), population="workers")
    result = reconcile_claim(claim, dict(series="s", relation="same", related="w"), official)
    assert result["status"] == v.UNVERIFIABLE
    assert result["reference_role"] == v.ANOTHER_POPULATION and result["reference_population"] == "residents"
    assert "189,021" in result["finding"] and "142,883" in result["finding"]
    assert "never held to agree" in result["finding"]


def test_the_same_figure_in_the_same_population_is_consistent():
    residents = _official([dict(series="s", period_end=date(2019, 6, 30), value=189021.0)])
    claim = _claim(205000, 182250, 207500, date(2019, 1, 1), date(2019, 12, 31), population="residents")
    assert reconcile_claim(claim, SAME, residents)["status"] == v.CONSISTENT


# --- rule 3: undated claims describe the present -----------------------------------------------


def test_an_undated_claim_is_checked_against_the_latest_official_figure():
    rules = _official(
        [
            dict(series="r", period_end=date(2010, 7, 1), value=3.0, unit="years", population="other"),
            dict(series="r", period_end=date(2017, 11, 1), value=5.0, unit="years", population="other"),
        ]
    )
    now = _claim(5, 0, 5, None, None, unit="years", population="other")
    result = reconcile_claim(now, dict(series="r", relation="same"), rules)
    assert result["status"] == v.CONSISTENT and result["reference_period"] == "2017-11-01"
    then = _claim(3, 3, 3, None, None, unit="years", population="other")
    result = reconcile_claim(then, dict(series="r", relation="same"), rules)
    assert result["status"] == v.MISDATED and result["reference_period"] == "2010-07-01"


# --- rule 5: sets stated together -------------------------------------------------------------


SHARES = _official(
    [
        dict(series="share:A", period_end=date(2017, 6, 30), value=32.0, unit="percent"),
        dict(series="share:B", period_end=date(2017, 6, 30), value=42.0, unit="percent"),
        dict(series="share:A", period_end=date(2019, 6, 30), value=22.0, unit="percent"),
        dict(series="share:B", period_end=date(2019, 6, 30), value=51.0, unit="percent"),
        dict(series="share:C", period_end=date(2017, 6, 30), value=10.2, unit="percent"),
        dict(series="share:C", period_end=date(2019, 6, 30), value=9.2, unit="percent"),
    ]
)


def _set_figures(values):
    rows = [
        dict(
            id=i,
            basis="stated",
            topic="nationality",
            measure="m",
            unit="percent",
            value=val,
            low=val - 0.05,
            high=val + 0.05,
            period_start=date(2017, 1, 1),
            period_end=date(2017, 12, 31),
            period_precision="year",
            population="residents",
            line=14,
            date_text="In 2017",
        )
        for i, val in values.items()
    ]
    return pd.DataFrame(rows)


def _counterparts(ids):
    return pd.DataFrame(
        [
            dict(
                claim_id=i,
                series=f"share:{i[-1].upper()}",
                match="",
                relation="same",
                related="",
                history="",
                history_date="",
                reason="",
                row=n,
            )
            for n, i in enumerate(ids, 1)
        ]
    )


def test_claims_stated_together_form_one_set():
    figures = _set_figures({"s-a": 46.2, "s-b": 29.9, "s-c": 9.2})
    assert statement_sets(figures, {i: {"relation": "same"} for i in figures["id"]}) == [("s-a", "s-b", "s-c")]


def test_a_set_gets_one_date_chosen_jointly_not_each_member_its_own():
    """Alone, C (9.2%) would be nearest to, and even agree with, mid-2019; the set is nearest mid-2017."""
    figures = _set_figures({"s-a": 46.2, "s-b": 29.9, "s-c": 9.2})
    mappings = {r["claim_id"]: r for r in _counterparts(figures["id"]).drop(columns="row").to_dict("records")}
    assert joint_date([r for _, r in figures.iterrows()], mappings, SHARES) == date(2017, 6, 30)
    result = reconcile(figures, _counterparts(figures["id"]), SHARES).set_index("claim_id")
    assert set(result["reference_period"]) == {"2017-06-30"}
    assert result.loc["s-c", "status"] == v.INCONSISTENT, "agreeing alone at another date is not misdated"
    assert "the statement fits no single date" in result.loc["s-c", "finding"]
    assert result.loc["s-a", "stated_with"] == "s-b s-c"


def test_a_set_that_agrees_together_at_another_date_is_misdated_to_it():
    figures = _set_figures({"s-a": 22.0, "s-b": 51.0, "s-c": 9.2})
    result = reconcile(figures, _counterparts(figures["id"]), SHARES).set_index("claim_id")
    assert set(result["status"]) == {v.MISDATED} and set(result["reference_period"]) == {"2019-06-30"}


# --- rule 6: parts -----------------------------------------------------------------------------


def test_a_part_exceeding_its_whole_is_inconsistent_and_one_within_is_unverifiable():
    whole = _official(
        [
            dict(series="share:food", period_end=date(2022, 12, 31), value=20.0, low=19.95, high=20.05, unit="percent"),
            dict(
                series="share:food",
                period_end=date(2020, 3, 31),
                value=45.0,
                unit="percent",
                population="plans",
                label="share of approved training plans",
            ),
        ]
    )
    mapping = dict(series="share:*", relation="subset_of")
    big = _claim(42, 39.9, 44.1, None, None, unit="percent")
    small = _claim(5, 4.5, 5.5, None, None, unit="percent")
    result = reconcile_claim(big, mapping, whole)
    assert result["status"] == v.INCONSISTENT, "another population's larger share does not save it"
    assert "is a share of approved training plans, not of trainees resident in Japan" in result["finding"]
    assert reconcile_claim(small, mapping, whole)["status"] == v.UNVERIFIABLE


# --- dates and evidence ------------------------------------------------------------------------


def test_dates_are_consistent_within_the_named_period_and_misdated_outside_it():
    events = _official(
        [
            dict(
                series="event",
                label="Act comes into force",
                period_end=date(2017, 11, 1),
                value=None,
                unit="date",
                population="other",
            )
        ]
    )
    in_month = _claim(
        None, None, None, date(2017, 11, 1), date(2017, 11, 30), unit="date", precision="month", population="other"
    )
    wrong = _claim(
        None, None, None, date(2016, 11, 1), date(2016, 11, 30), unit="date", precision="month", population="other"
    )
    mapping = dict(series="event", match="into force", relation="same")
    assert reconcile_claim(in_month, mapping, events)["status"] == v.CONSISTENT
    result = reconcile_claim(wrong, mapping, events)
    assert result["status"] == v.MISDATED and "1 November 2017" in result["finding"]


def test_history_evidence_is_quoted_but_never_changes_the_status():
    claim = _claim(328360, 328360, 328360, *DECEMBER_2019, precision="month")
    plain = reconcile_claim(claim, SAME, STOCK)
    cited = reconcile_claim(claim, dict(SAME, history="added later"), STOCK)
    assert plain["status"] == cited["status"]
    assert "Article history (article_history.md): added later." in cited["finding"]


def test_a_date_the_history_implies_is_checked_when_the_data_cover_it():
    claim = _claim(328360, 328360, 328360, *DECEMBER_2019, precision="month")
    covered = reconcile_claim(claim, dict(SAME, history_date="2018-12-31"), STOCK)
    assert (
        "At the end of 2018, the date the earlier versions imply, the official value is 328,360" in covered["finding"]
        and "which the claim fits" in covered["finding"]
    )
    missing = reconcile_claim(claim, dict(SAME, history_date="2015-12-31"), STOCK)
    assert "has no value of this series at the end of 2015" in missing["finding"]
    assert covered["status"] == missing["status"] == v.MISDATED


# --- the real data -----------------------------------------------------------------------------


def test_every_article_figure_has_a_status_and_mapped_ones_name_their_series(built):
    rec, figures = built["reconciliation"], built["article_figures"]
    assert set(rec["claim_id"]) == set(figures["id"])
    mapped = set(pd.read_csv(paths.COUNTERPARTS)["claim_id"])
    assert rec.loc[rec["claim_id"].isin(mapped), "series"].notna().all()


#: The statuses the issues on truth and on the primary table moved, and the December 2019 total that must stay.
EXPECTED = {
    "length-max": v.CONSISTENT,
    "moj-figures-2019": v.CONSISTENT,
    "system-changes": v.CONSISTENT,
    "vn-titp-participants-2019": v.UNVERIFIABLE,
    "trainees-2019-12": v.MISDATED,
    # the primary table has the nationality split at the end of 2015, the date earlier versions imply
    "share-china": v.MISDATED,
    "share-vietnam": v.MISDATED,
    "share-philippines": v.MISDATED,
    # and the total at the end of 2014, which the derived figure fits
    "interns-2014": v.CONSISTENT,
    "seafood-share": v.INCONSISTENT,
}


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_statuses_on_the_real_data(built, claim_id):
    rec = built["reconciliation"].set_index("claim_id")
    assert rec.loc[claim_id, "status"] == EXPECTED[claim_id], rec.loc[claim_id, "finding"]


def test_the_findings_the_issue_asked_for(built):
    rec = built["reconciliation"].set_index("claim_id")
    assert rec.loc["trainees-2019-12", "reference_period"] == "2018-12-31"
    assert set(rec.loc[["share-china", "share-vietnam", "share-philippines"], "reference_period"]) == {"2015-12-31"}
    assert "At the end of 2015, the date the earlier versions imply" in rec.loc["share-china", "finding"]
    assert "which the claim fits" in rec.loc["share-china", "finding"]
    share = rec.loc["vn-titp-share-2019", "finding"]
    assert "53.09% at the end of 2019" in share and "does not fit them either" in share
    assert "residents of every status of residence" in share
    seafood = rec.loc["seafood-share", "finding"]
    assert "18,459" in seafood and "bases differ" in seafood
    assert "share of approved training plans, not of trainees" in seafood
    participants = rec.loc["vn-titp-participants-2019", "finding"]
    assert "189,021" in participants and "142,883" in participants


@pytest.mark.slow
def test_adding_an_official_row_changes_the_reconciliation_without_code(official_copy, built):
    folder = official_copy  # before the row is added, the committed files: what ``built`` was built from
    before = built["reconciliation"].set_index("claim_id")
    assert before.loc["vn-titp-share-2019", "status"] == v.UNVERIFIABLE
    survey = folder / "vietnamese_in_japan.csv"
    survey.write_text(
        survey.read_text(encoding="utf-8")
        + "2019-10-31,workers,Vietnamese workers with technical intern status,190000,Test,https://example.org,test\n",
        encoding="utf-8",
    )
    provenance.record_checksums(folder)
    after = build_all(Inputs(official=folder))["reconciliation"].set_index("claim_id")
    assert after.loc["vn-titp-share-2019", "status"] == v.CONSISTENT
    assert after.loc["vn-titp-share-2019", "reference_period"] == "2019-10-31"


@pytest.mark.slow
def test_a_misdated_date_gets_a_correction_in_words(tmp_path):
    """A revision that re-dates the founding: the correction names the official date, not a 'figure'."""
    from analysis.build import Inputs, build_all

    figures = tmp_path / "figures.csv"
    figures.write_text(
        paths.ARTICLE_FIGURES.read_text(encoding="utf-8").replace(
            "act-enacted,History of institutional reform,24,history,act,Technical Intern Training Act enacted,other,,"
            "November 2016",
            "act-enacted,History of institutional reform,24,history,act,Technical Intern Training "
            "Act enacted,other,,November 2015",
        ),
        encoding="utf-8",
    )
    text = paths.ARTICLE_TEXT.read_text(encoding="utf-8").replace(
        "November 2016 – Technical", "November 2015 – Technical"
    )
    built = build_all(Inputs(figures=figures, revision=text))
    row = built["corrections"].set_index("claim_ids").loc["act-enacted"]
    assert row["problem"] == "The official record dates it 28 November 2016, not 'November 2015'."
    assert row["suggested_text"] == "Technical Intern Training Act promulgated: 28 November 2016."
    assert "nan" not in row["suggested_text"]
