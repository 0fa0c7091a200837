"""The article's text in data/raw/article/: checksummed, and held together with its transcription.

Extraction (analysis.parse.extract) finds every number and date phrase; every one is transcribed in
figures.csv or excluded with a reason in exclusions.csv, and every transcribed phrase stands on its
line. Changing the text, the transcription or the exclusions alone fails here.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import paths, tables
from analysis import vocabulary as v
from analysis.build import Inputs, build_all
from analysis.errors import RawDataError
from analysis.parse.extract import find_phrases
from analysis.parse.quantity import HEDGE_WORDS, parse_quantity
from analysis.sources import article, provenance, transcription

TEXT = paths.ARTICLE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def raw():
    return article.read_claims(paths.ARTICLE_FIGURES)


@pytest.fixture(scope="module")
def exclusions():
    return transcription.read_exclusions()


def _edit(frame: pd.DataFrame, row_id: str, column: str, value: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[frame["id"].eq(row_id), column] = value
    return frame


# --- the text itself --------------------------------------------------------------------------


def test_the_text_is_recorded_with_its_checksum_licence_and_attribution():
    record = provenance.read_record(paths.RAW_ARTICLE)["files"]
    entry = record["article.txt"]
    assert entry["sha256"] == provenance.sha256(paths.ARTICLE_TEXT)
    assert entry["bytes"] == paths.ARTICLE_TEXT.stat().st_size
    assert "CC BY-SA" in entry["licence"] and "CC BY-SA" in entry["attribution"]
    assert "sha256" not in record["exclusions.csv"], "exclusions.csv is the project's own file, like figures.csv"
    provenance.verify_checksums(paths.RAW_ARTICLE)


def test_the_readme_states_the_articles_licence_and_attribution():
    readme = paths.README.read_text(encoding="utf-8")
    attribution = provenance.read_record(paths.RAW_ARTICLE)["files"]["article.txt"]["attribution"]
    assert attribution in readme


@pytest.fixture
def article_copy(tmp_path):
    folder = tmp_path / "article"
    shutil.copytree(paths.RAW_ARTICLE, folder)
    return folder


@pytest.mark.slow
def test_a_changed_article_text_fails_the_build_with_a_clear_message(article_copy):
    text = article_copy / "article.txt"
    text.write_text(TEXT.replace("192,655", "192,656"), encoding="utf-8")
    with pytest.raises(RawDataError) as err:
        build_all(Inputs(text=text))
    message = str(err.value)
    assert "article.txt" in message and "checksum mismatch" in message
    assert "make check-article" in message, "the message says how to compare a revision instead"


def test_an_article_file_without_a_record_fails_the_build(article_copy):
    record = json.loads((article_copy / "provenance.json").read_text(encoding="utf-8"))
    del record["files"]["exclusions.csv"]
    (article_copy / "provenance.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"exclusions\.csv.*without a provenance record"):
        article.read_article_text(article_copy / "article.txt")


def test_exclusions_are_declared_as_a_raw_table():
    assert tables.RAW_TABLES["exclusions.csv"].columns == ("line", "phrase", "reason")
    assert list(transcription.read_exclusions().columns) == ["line", "phrase", "reason", "row"]


# --- completeness -----------------------------------------------------------------------------


def test_every_phrase_found_is_transcribed_or_excluded_and_every_transcribed_phrase_is_found(raw, exclusions):
    anchors = transcription.check(TEXT, raw, exclusions)
    assert set(anchors) == set(raw["id"])
    assert transcription.uncovered(find_phrases(TEXT), raw, exclusions) == []
    lines = TEXT.splitlines()
    for rec in raw.itertuples(index=False):
        a = anchors[rec.id]
        for phrase, written in ((a.number, rec.number_text), (a.date, rec.date_text)):
            assert (phrase is None) == (not written)
            if phrase is not None:
                assert phrase.line == int(rec.line) and written in phrase.forms
                assert lines[phrase.line - 1][phrase.start : phrase.end] == phrase.text


def test_a_number_in_the_text_that_nobody_transcribed_fails(raw, exclusions):
    text = TEXT.replace("hosted interns as of the end of 2015.", "hosted 1,200 interns as of the end of 2015.")
    with pytest.raises(
        RawDataError, match=r"article\.txt, line 20, value '1,200': a number phrase neither transcribed"
    ):
        transcription.check(text, raw, exclusions)


def test_a_number_changed_in_the_text_alone_fails(raw, exclusions):
    text = TEXT.replace("328,360 foreign", "328,361 foreign")
    with pytest.raises(
        RawDataError,
        match=r"figures\.csv, row \d+ .*'number_text', value '328,360': not a phrase found "
        r"on line 18 of the article \(found there: '328,361'\)",
    ):
        transcription.check(text, raw, exclusions)


def test_a_transcribed_phrase_not_on_its_line_fails(raw, exclusions):
    moved = _edit(raw, "abuse-2012-2017", "line", "41")
    with pytest.raises(RawDataError, match=r"column 'number_text', value '759': not a phrase found on line 41"):
        transcription.check(TEXT, moved, exclusions)
    redated = _edit(raw, "tip-report", "date_text", "In 2015")
    with pytest.raises(RawDataError, match=r"column 'date_text', value 'In 2015': not a phrase found on line 41"):
        transcription.check(TEXT, redated, exclusions)


def test_a_transcribed_phrase_must_be_the_whole_phrase_found(raw, exclusions):
    """'15%' stands in 'about 15%', but the hedge belongs to the phrase: quoting part of it fails."""
    cut = _edit(raw, "growth-2015", "number_text", "15%")
    with pytest.raises(RawDataError, match=r"value '15%': not a phrase found on line 14"):
        transcription.check(TEXT, cut, exclusions)


def test_an_excluded_phrase_needs_a_reason_and_must_be_found_on_its_line(raw, tmp_path):
    text = TEXT.replace("under the terms of the program", "under the terms of the 1993 Act program", 1)
    path = tmp_path / "exclusions.csv"

    def exclusions(rows: str) -> pd.DataFrame:
        path.write_text("line,phrase,reason\n" + rows, encoding="utf-8")
        return transcription.read_exclusions(path)

    assert transcription.check(text, raw, exclusions("14,1993,part of a name\n"))
    with pytest.raises(RawDataError, match=r"column 'reason'.*say why"):
        exclusions("14,1993,\n")
    with pytest.raises(RawDataError, match=r"value '1993': not a phrase found on line 15"):
        transcription.check(text, raw, exclusions("15,1993,part of a name\n"))
    with pytest.raises(RawDataError, match=r"article\.txt, line 14, value '1993': a date phrase neither transcribed"):
        transcription.check(text, raw, exclusions(""))
    with pytest.raises(RawDataError, match=r"transcribed in figures\.csv too"):
        transcription.check(
            text, raw, exclusions("14,1993,part of a name\n14,192,655,a count\n".replace("192,655", '"192,655"'))
        )


# --- extraction rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, phrases",
    [
        ("there were about 15% more", [("about 15%", v.NUMBER_PHRASE)]),
        ("almost half of 410,000 workers", [("almost half", v.NUMBER_PHRASE), ("410,000", v.NUMBER_PHRASE)]),
        ("Approximately 42% of trainees", [("Approximately 42%", v.NUMBER_PHRASE)]),
        ("can work for up to five years", [("up to five years", v.NUMBER_PHRASE)]),
        ("every 3 years for each", [("every 3 years", v.NUMBER_PHRASE)]),
        ("At the end of 2018, 328,360", [("At the end of 2018", v.DATE_PHRASE), ("328,360", v.NUMBER_PHRASE)]),
        ("between 2012 and 2017 about 171", [("between 2012 and 2017", v.DATE_PHRASE), ("about 171", v.NUMBER_PHRASE)]),
        ("the 2017 system changes", [("2017", v.DATE_PHRASE)]),
        ("(4th and 5th year – Advanced)", [("4th and 5th year", v.STAGE_PHRASE)]),
        ("a 1,950 count, not a year; 19.5%", [("1,950", v.NUMBER_PHRASE), ("19.5%", v.NUMBER_PHRASE)]),
        ("COVID-19 and G7 states", [("COVID-19", v.UNREAD_PHRASE), ("G7", v.UNREAD_PHRASE)]),
        ("the first year, some workplaces", []),
    ],
)
def test_phrases_are_found_with_their_hedges_and_lead_words(sentence, phrases):
    found = find_phrases(sentence)
    assert [(p.text, p.kind) for p in found] == phrases
    for p in found:
        assert sentence[p.start : p.end] == p.text and p.line == 1


def test_share_of_count_is_two_figures_read_whole_as_a_compound():
    share, count = find_phrases("In 2019, almost half of 410,000 workers")[1:]
    assert share.compound == count.compound == "almost half of 410,000"
    assert parse_quantity(share.compound).value == pytest.approx(205000)


def test_lines_count_from_one_as_the_transcription_does():
    found = find_phrases("= Title =\n\nIn 2016, the report.\n")
    assert [(p.text, p.line, p.start, p.end) for p in found] == [("In 2016", 3, 0, 7)]


@given(n=st.integers(min_value=1, max_value=10**9), hedge=st.sampled_from(("", *HEDGE_WORDS)), percent=st.booleans())
def test_any_hedged_number_is_found_whole_and_reads_as_written(n, hedge, percent):
    written = (f"{hedge} " if hedge else "") + (f"{n % 100}%" if percent else f"{n:,}")
    found = find_phrases(f"The report counted {written} cases in all.")
    assert [p.text for p in found] == [written]
    assert found[0].kind == v.NUMBER_PHRASE
    assert parse_quantity(found[0].text).value == parse_quantity(written).value
