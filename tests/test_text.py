"""Every factual sentence a reader sees, held to the tables it is written from.

A sentence is computed; these tests compute the fact again, independently, and change the data
to show the sentence changes with it.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import data, fmt, paths, tables
from analysis import vocabulary as v
from analysis.parse.extract import find_phrases
from analysis.publish import readme, text
from analysis.publish.charts import base, data_quality, intern_counts, seafood_share, source_countries, timeline


@pytest.fixture(scope="module")
def tables_read():
    return {name: data.load(name) for name in tables.TABLES}


# --- the official trend ------------------------------------------------------------------------


def test_turning_points_are_the_ends_and_every_change_of_direction():
    path = pd.DataFrame({"value": [1.0, 2.0, 5.0, 4.0, 4.5, 6.0, 3.0], "period_end": pd.date_range("2010", periods=7)})
    assert text.turning_points(path)["value"].tolist() == [1.0, 5.0, 4.0, 6.0, 3.0]


def test_the_stock_trend_names_every_turn_of_the_official_series(tables_read):
    stock = tables_read["official_stock"]
    path = text.stock_path(stock)
    sentence = text.stock_trend(stock)
    values = path["value"].tolist()
    for i in range(1, len(values) - 1):
        turns = (values[i] - values[i - 1]) * (values[i + 1] - values[i]) < 0
        assert (fmt.value(values[i], v.COUNT) in sentence) == turns or values[i] in (values[0], values[-1]), (
            f"{values[i]} is {'a' if turns else 'not a'} turning point"
        )
    peak = path.loc[path["value"].idxmax()]
    assert f"its highest is {fmt.value(peak['value'], v.COUNT)}, at {fmt.day(peak['period_end'])}" in sentence
    assert sentence.count("rose to") + sentence.count("fell to") == len(text.turning_points(path)) - 1


def test_the_trend_is_not_a_smooth_story_when_the_data_are_not():
    """The old reading said 'falls ... and rises again after'; the data dip again and end lower."""
    sentence = text.stock_trend(data.load("official_stock"))
    assert sentence.count("fell to") >= 2


# --- the findings ------------------------------------------------------------------------------


def test_the_findings_count_every_status_and_say_why_some_are_not_in_the_table(tables_read):
    rec = tables_read["reconciliation"]
    findings = text.findings(tables_read)
    counts = rec["status"].value_counts()
    assert f"Of the {len(rec)} figures and dates the article states or implies" in findings
    for status in v.STATUSES:
        assert f"{counts.get(status, 0)} {status}" in findings
    unchecked = rec.loc[rec["series"].isna(), "claim_id"]
    assert f"The other {len(unchecked)} (" in findings
    for claim in unchecked:
        assert f"`{claim}`" in findings.split("|")[0]
    assert findings.count("\n| `") == len(rec) - len(unchecked)


def test_a_derived_figure_keeps_the_hedge_of_its_inputs(tables_read):
    findings = text.findings(tables_read)
    assert "almost 205,000 (derived)" in findings and "about 205,000" not in findings


@pytest.mark.parametrize("file", sorted(readme.FILES))
def test_the_generated_sections_are_current(built, file):
    current = (paths.ROOT / file).read_text(encoding="utf-8")
    assert readme.update(current, built, file) == current, f"{file} is stale: run make data"


def test_every_generated_section_lives_in_one_file(built):
    names = [name for names in readme.FILES.values() for name in names]
    assert sorted(names) == sorted(readme.sections(built)), "every section written has one file"
    assert len(set(names)) == len(names)
    for file, names in {**readme.FILES, readme.BENCHMARK_FILE: ("benchmark",)}.items():
        page = (paths.ROOT / file).read_text(encoding="utf-8")
        for name in names:
            assert page.count(readme.begin(name)) == page.count(readme.end(name)) == 1, (file, name)


#: The hand-written pages: the README, and the pages of the site's source in docs/ (the chart and
#: notebook pages there are generated when the site is built, and ignored by git).
HAND_WRITTEN = ["README.md", *sorted(p.relative_to(paths.ROOT).as_posix() for p in paths.DOCS.rglob("*.md"))]


@pytest.mark.parametrize("file", [f for f in HAND_WRITTEN if not re.search(r"/\d\d-", f)])
def test_the_hand_written_pages_state_no_numbers(file):
    """Outside its generated sections, code and links, a page explains; it states no figure."""
    for line in readme.hand_written((paths.ROOT / file).read_text(encoding="utf-8")):
        assert not re.search(r"\d", line), f"a number typed into {file}: {line!r}"


def test_the_readme_is_short_and_points_to_every_docs_page():
    current = paths.README.read_text(encoding="utf-8")
    for page in ("method", "data", "editors", "updates", "bad-input", "development"):
        assert f"(docs/{page}.md)" in current
    assert "## Bad input" not in current and "| defect |" in (paths.DOCS / "bad-input.md").read_text(encoding="utf-8")


def test_every_row_of_bad_input_names_tests_that_exist():
    table = (paths.DOCS / "bad-input.md").read_text(encoding="utf-8").split("| defect |", 1)[1]
    rows = [line for line in table.splitlines()[2:] if line.startswith("| ")]
    assert rows
    for row in rows:
        named = re.findall(r"`(test_\w+\.py)`", row.rsplit(" | ", 1)[-1])
        assert named and all((paths.ROOT / "tests" / name).is_file() for name in named), row


# --- chart 02: largest source, second source, not itemised ---------------------------------------


def _composition(rows):
    frame = pd.DataFrame(rows, columns=["who", "period_end", "nationality", "share"])
    frame["period_start"] = frame["period_end"]
    for column in ("share_low", "share_high"):
        frame[column] = frame["share"]
    for column in ("count", "total", "note", "publisher", "sources", "placed_at"):
        frame[column] = None
    return frame


ARTICLE_ROWS = [
    ("article", pd.Timestamp("2017-12-31"), "China", 46.2),
    ("article", pd.Timestamp("2017-12-31"), "Vietnam", 29.9),
]


def test_the_largest_source_is_claimed_only_where_the_data_can_tell():
    d1, d2 = pd.Timestamp("2018-12-31"), pd.Timestamp("2024-06-30")
    view = _composition(
        ARTICLE_ROWS
        + [
            ("official", d1, "Vietnam", 50.0),
            ("official", d1, "China", 30.0),
            ("official", d1, "not itemised", 20.0),
            ("official", d2, "Vietnam", 48.0),
            ("official", d2, "not itemised", 52.0),
        ]
    )
    leads = source_countries.leaders(view)
    assert leads["known_largest"].tolist() == [True, False]
    title = source_countries.words(view)["title"]
    assert title.startswith("Wherever the official figures can tell, Vietnam is the largest")
    assert "whether it is the largest cannot be told" in source_countries.description(view)


def test_a_date_where_another_nationality_leads_changes_the_title():
    d1, d2 = pd.Timestamp("2018-12-31"), pd.Timestamp("2019-12-31")
    view = _composition(
        ARTICLE_ROWS
        + [
            ("official", d1, "Vietnam", 50.0),
            ("official", d1, "China", 30.0),
            ("official", d2, "Vietnam", 30.0),
            ("official", d2, "China", 60.0),
        ]
    )
    title = source_countries.words(view)["title"]
    assert title.startswith("China overtook Vietnam as the largest source of trainees between the end of 2018 and")


def test_the_article_shares_are_placed_where_the_reconciliation_places_them(tables_read):
    t = tables_read
    view = source_countries.rows(
        t["nationality_shares"], t["official_stock_by_nationality"], t["official_stock"], t["reconciliation"]
    )
    rec = t["reconciliation"].set_index("claim_id")
    stated = t["nationality_shares"][t["nationality_shares"]["basis"].eq("stated")]
    dates = {rec.loc[i, "reference_period"] for i in stated["id"]}
    placed = view.loc[view["who"].eq(base.ARTICLE), "placed_at"]
    if len(dates) == 1 and set(rec.loc[list(stated["id"]), "status"]) <= {v.CONSISTENT, v.MISDATED}:
        assert set(placed) == dates
        day = pd.Timestamp(dates.pop())
        assert f"are those of {fmt.day(day)}" in source_countries.words(view)["title"]
    else:
        assert placed.isna().all()


def test_the_second_source_is_named_date_by_date_when_it_differs():
    d1, d2 = pd.Timestamp("2018-12-31"), pd.Timestamp("2019-12-31")
    view = _composition(
        ARTICLE_ROWS
        + [
            ("official", d1, "Vietnam", 50.0),
            ("official", d1, "Indonesia", 8.0),
            ("official", d1, "not itemised", 42.0),
            ("official", d2, "Vietnam", 63.0),
            ("official", d2, "China", 20.0),
            ("official", d2, "not itemised", 17.0),
        ]
    )
    reading = source_countries.reading(view)
    # at the end of 2018 what is not itemised (42%) could hide a second larger than Indonesia's 8%
    assert "Indonesia" not in reading
    assert "China at the end of 2019" in reading


def test_on_the_real_data_every_claim_of_the_chart_02_reading_holds(tables_read):
    view = source_countries.rows(
        tables_read["nationality_shares"],
        tables_read["official_stock_by_nationality"],
        tables_read["official_stock"],
        tables_read["reconciliation"],
    )
    moves = source_countries.overtakes(view)
    title = source_countries.words(view)["title"]
    if moves:
        when, new, old, before = moves[-1]
        assert title.startswith(f"{new} overtook {old}")
        top = view[view["who"].eq(base.OFFICIAL) & view["share"].notna()]
        assert top[top["period_end"].eq(before)].set_index("nationality")["share"].idxmax() == old
        assert top[top["period_end"].eq(when)].set_index("nationality")["share"].idxmax() == new
    leads = source_countries.leaders(view)
    official = view[view["who"].eq(base.OFFICIAL) & view["share"].notna()]
    for row in leads.itertuples():
        named = official[
            official["period_end"].eq(row.period_end)
            & ~official["nationality"].isin([base.NOT_ITEMISED, v.OTHER_NATIONALITY])
        ]
        assert named["share"].max() == row.share
    counts_only = view[view["who"].eq(base.OFFICIAL) & view["share"].isna()]
    for r in counts_only.itertuples():
        assert r.total is None or pd.isna(r.total), "a count without a total is never a share"


# --- charts 01, 04 and 05: the titles count what is drawn -------------------------------------------


def test_chart_01_names_a_misdated_total_only_when_there_is_one(tables_read):
    t = tables_read
    view = intern_counts.rows(t["intern_counts"], t["official_stock"], t["reconciliation"])
    words = intern_counts.words(view, t["article_figures"])
    assert "is the figure for the end of 2018" in words["title"]
    view.loc[view["status"].eq(v.MISDATED), "status"] = v.CONSISTENT
    assert "is the figure for" not in intern_counts.words(view, t["article_figures"])["title"]


def test_chart_04_counts_exactly_the_claims_it_plots(tables_read):
    view = data_quality.rows(
        tables_read["reconciliation"], tables_read["article_figures"], tables_read["official_series"]
    )
    rec = tables_read["reconciliation"]
    title = data_quality.words(view, rec)["title"]
    numeric = len(data_quality.numeric_claims(rec))
    assert title.startswith(f"{len(view)} of the {numeric} numeric claims the article states or implies")
    counts = view["status"].value_counts()
    assert f"{counts[v.CONSISTENT]} agree" in title
    assert f"{counts[v.INCONSISTENT]} contradict" in title
    assert sum(counts) == len(view)
    if numeric > len(view):
        assert f"{numeric - len(view)} have no official figure to plot against" in title
    assert "…" not in " ".join(data_quality.words(view, rec)["labels"].rows), "no label is cut"


def test_chart_05_counts_the_dates_with_an_official_counterpart(tables_read):
    t = tables_read
    view = timeline.rows(t["article_figures"], t["reconciliation"], t["official_events"], t["official_other"])
    article = view[view["who"].eq(base.ARTICLE)]
    checked = article[article["official_start"].notna()]
    agree = int(checked["status"].eq(v.CONSISTENT).sum())
    title = timeline.words(view, t["article_figures"], t["stages"])["title"]
    if agree == len(checked):
        assert f"all {agree} of the article's dates that have an official counterpart agree" in title
    else:
        assert f"{agree} of the article's {len(checked)} dates with an official counterpart agree" in title


# --- corrections: every number in a suggestion is an official figure ------------------------------------


def test_every_number_a_correction_suggests_is_an_official_figure(tables_read):
    official = tables_read["official_series"]
    known = {fmt.value(x, v.COUNT) for x in official.loc[official["unit"].eq(v.COUNT), "value"]}
    known |= {fmt.share(x) for x in official.loc[official["unit"].eq(v.PERCENT), "value"]}
    for row in tables_read["corrections"].itertuples():
        phrases = find_phrases(row.suggested_text)  # as the project reads a text: dates and hosts are no figures
        assert not [p.text for p in phrases if p.kind == v.UNREAD_PHRASE], row.suggested_text
        for number in (p.text for p in phrases if p.kind == v.NUMBER_PHRASE):
            assert number in known, f"{row.claim_ids}: {number} in the suggestion is no official figure"
        for url in row.sources.split():
            assert url in " ".join(official["sources"]), f"{row.claim_ids}: {url} is not an official row's page"


def test_every_misdated_or_inconsistent_stated_claim_has_a_correction(tables_read):
    rec = tables_read["reconciliation"]
    wanted = rec[rec["basis"].eq(v.STATED) & rec["status"].isin([v.MISDATED, v.INCONSISTENT])]["claim_id"]
    assert set(wanted) <= set(tables_read["corrections"]["claim_ids"].str.split().explode())


def test_one_correction_per_sentence_in_the_articles_order(tables_read):
    fixes = tables_read["corrections"]
    article = paths.ARTICLE_TEXT.read_text(encoding="utf-8")
    places = [article.index(s) for s in fixes["article_phrase"]]
    assert places == sorted(places) and len(set(places)) == len(places), "one row per sentence, in order"
    for row in fixes.itertuples():
        assert len(row.claim_ids.split()) == len(row.statuses.split())
        assert row.suggested_text.count(".") >= 1 and row.suggested_text != row.article_phrase
        for clause in row.suggested_text.split("; ")[1:]:
            assert not clause.startswith(("At ", "In ", "Between ")), f"a clause after a semicolon: {clause}"


def test_the_december_2019_correction_dates_the_figure_to_the_end_of_2018(tables_read):
    official = tables_read["official_series"].set_index(["series", "period_end"])["value"]
    end_2019 = fmt.value(official.loc[("stock", pd.Timestamp("2019-12-31"))], v.COUNT)
    row = tables_read["corrections"].set_index("claim_ids").loc["trainees-2019-12"]
    assert row["suggested_text"].startswith("At the end of 2018, 328,360 foreign workers were registered")
    assert "Statistics on Foreign Residents, via e-Stat" in row["suggested_text"]
    assert end_2019 in row["problem"] and end_2019 not in row["suggested_text"]
    assert row["article_phrase"] == "In December 2019, 328,360 foreign workers were registered as technical trainees."


def test_a_sentence_with_several_claims_gets_one_text_that_keeps_what_holds(tables_read):
    fixes = tables_read["corrections"].set_index("claim_ids")
    shares = fixes.loc["share-china share-vietnam share-philippines"]
    assert shares["suggested_text"].startswith("At the end of 2015, China was the largest source of interns")
    line16 = fixes.loc["vn-titp-share-2019 vn-workers-2019"]
    assert "410,000" not in line16["suggested_text"] and "almost half" not in line16["suggested_text"]
    assert (
        "No official figure exists" not in line16["problem"] and "was found in the sources checked" in line16["problem"]
    )
    seafood = fixes.loc["seafood-share"]
    assert "as Mazumi finds" in seafood["suggested_text"] and "42%" not in seafood["suggested_text"]


def test_chart_03_says_how_many_times_the_whole_the_part_would_be(tables_read):
    view = seafood_share.rows(tables_read["industry_shares"], tables_read["official_industry"])
    title = seafood_share.words(view, tables_read["reconciliation"])["title"]
    article = view[view["who"].eq(base.ARTICLE)].iloc[0]
    whole = view[view["measure"].str.contains("by job category") & view["population"].eq(v.RESIDENTS)]
    latest = whole.sort_values("period_end").iloc[-1]
    ratio = article["share"] / latest["share"]
    low = article["share_low"] / latest["share_high"]
    assert seafood_share.multiple(ratio, low) in title and 2 <= ratio < 3
    assert f"({fmt.share(latest['share'])} at {fmt.day(latest['period_end'])})" in title


def test_the_unverifiable_cases_of_the_chart_04_reading_add_up(tables_read):
    rec = tables_read["reconciliation"]
    view = data_quality.rows(rec, tables_read["article_figures"], tables_read["official_series"])
    reading = data_quality.reading(rec, view)
    unverifiable = rec[rec["status"].eq(v.UNVERIFIABLE)]
    roles = unverifiable["reference_role"].fillna("").value_counts()
    assert f"covers {len(roles)} kinds of case and {len(unverifiable)} claims" in reading
    for role, n in roles.items():
        assert f"{n} {data_quality.UNVERIFIABLE_CASES[role]}" in reading
    assert roles.sum() == len(unverifiable)


def test_the_chart_05_reading_counts_each_status_of_the_dates_checked(tables_read):
    t = tables_read
    view = timeline.rows(t["article_figures"], t["reconciliation"], t["official_events"], t["official_other"])
    reading = timeline.reading(view, t["stages"], t["article_figures"])
    article = view[view["who"].eq(base.ARTICLE)]
    checked = article[article["official_start"].notna()]
    assert f"Of the article's {len(article)} dates, {len(checked)} have an official counterpart" in reading
    for status, n in checked["status"].value_counts().items():
        assert f"{n} {status}" in reading
    for event in article.loc[article["official_start"].isna(), "event"]:
        assert event in reading
