"""make check-article: revisions of the article, written as small edits of article.txt, compared and re-checked."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths, revisions, tables
from analysis import vocabulary as v
from analysis.build import Inputs, build_all
from analysis.parse.extract import find_phrases


@pytest.fixture(scope="module")
def base(built):
    return revisions.read_base(built)


def edited(text: str, *edits: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced once; every old text must be there."""
    for old, new in edits:
        assert text.count(old) == 1, f"the edit {old!r} must stand once in the article"
        text = text.replace(old, new)
    return text


def compare(base, *edits: tuple[str, str]) -> pd.DataFrame:
    return revisions.compare(edited(base.text, *edits), base)


def row(result: pd.DataFrame, figure_id: str) -> pd.Series:
    rows = result[result["id"].eq(figure_id)]
    assert len(rows) == 1, f"one row for {figure_id}"
    return rows.iloc[0]


def changes(result: pd.DataFrame) -> dict[str, set[str]]:
    """Ids (or, for added figures, phrases) by change, leaving out the unchanged."""
    out: dict[str, set[str]] = {}
    for _, r in result[result["change"].ne(v.UNCHANGED)].iterrows():
        out.setdefault(r["change"], set()).add(r["id"] if isinstance(r["id"], str) else r["phrase"])
    return out


def line_of(text: str, words: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if words in line)


# --- the article itself -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def itself(base):
    return revisions.compare(base.text, base)


def test_the_article_itself_is_unchanged_figure_by_figure(base, itself, built):
    assert list(itself.columns) == tables.RESULTS["check_article"].columns
    assert set(itself["change"]) == {v.UNCHANGED}
    stated = itself[itself["basis"].eq(v.STATED)].set_index("id")
    assert sorted(stated.index) == sorted(base.raw["id"])
    lines = base.raw.set_index("id")["line"].astype(int)
    assert (stated["line"] == lines[stated.index]).all() and (stated["old_line"] == stated["line"]).all()
    assert stated["phrase"].tolist() == stated["old_phrase"].tolist()
    reconciled = built["reconciliation"].set_index("claim_id")["status"]
    assert len(itself) == len(base.raw) + int(built["article_figures"]["basis"].eq(v.DERIVED).sum())
    for _, r in itself.iterrows():
        assert r["status"] == r["old_status"] == reconciled.get(r["id"]) or (
            pd.isna(r["status"]) and pd.isna(r["old_status"]) and r["id"] not in reconciled
        )


def test_its_corrections_are_the_committed_ones(itself, built):
    fixes = itself.dropna(subset=["problem"]).set_index("id")
    committed = revisions.by_claim(built["corrections"])
    assert set(fixes.index) == set(committed)
    assert all(fixes.loc[i, "problem"] == committed[i]["problem"] for i in fixes.index)
    assert all(fixes.loc[i, "suggested_text"] == committed[i]["suggested_text"] for i in fixes.index)


# --- the corrections pasted in, as an editor would -----------------------------------------------


def pasted(base, corrections: pd.DataFrame) -> str:
    """The article with each correction's suggested text in place of its whole sentence."""
    return edited(base.text, *zip(corrections["article_phrase"], corrections["suggested_text"], strict=True))


def assert_taken_in(result: pd.DataFrame, corrections: pd.DataFrame) -> None:
    """Every claim a pasted correction covers comes back changed, checked, neither inconsistent nor
    misdated, with no correction left to make; every figure of the pasted texts is one of those claims."""
    covered = [c for ids in corrections["claim_ids"] for c in ids.split()]
    for claim_id in covered:
        r = row(result, claim_id)
        assert r["change"] == v.CHANGED, (claim_id, r["change"])
        assert r["status"] in v.STATUSES and r["status"] not in (v.INCONSISTENT, v.MISDATED), (claim_id, r["status"])
        assert pd.isna(r["problem"]), (claim_id, r["problem"])
    stated = result[result["basis"].eq(v.STATED)]
    assert set(stated.loc[stated["change"].eq(v.CHANGED), "id"]) == set(covered), "only the corrected claims change"
    assert not result["change"].isin([v.ADDED, v.REMOVED]).any(), result[result["change"].isin([v.ADDED, v.REMOVED])]
    for text in corrections["suggested_text"]:
        numbers = [p.text for p in find_phrases(text) if p.kind != v.DATE_PHRASE]
        changed = stated[stated["id"].isin(covered)]
        assert sorted(numbers) == sorted(n for n in changed["number_text"] if n in numbers), (
            f"every figure of {text!r} is a claim's"
        )


@pytest.fixture(scope="module")
def all_pasted(base, built):
    return revisions.compare(pasted(base, built["corrections"]), base)


def test_the_article_with_every_correction_pasted_in_comes_back_changed_and_checked(all_pasted, built):
    assert len(built["corrections"]), "there are corrections to paste"
    assert_taken_in(all_pasted, built["corrections"])


@pytest.mark.parametrize("number", range(len(pd.read_csv(paths.PROCESSED / "corrections.csv"))))
def test_each_correction_pasted_alone_comes_back_changed_and_checked(base, built, number):
    one = built["corrections"].iloc[[number]]
    assert_taken_in(revisions.compare(pasted(base, one), base), one)


# --- an editor's revision: every kind of edit at once -----------------------------------------

NEW_SENTENCE = "In 2021, 12,345 interns changed employers."
TIP = (
    "In 2016, the United States Department of State's Trafficking in Persons Report pointed out that the program "
    '"originally designed to foster basic technical skills among foreign workers has effectively become a guest '
    'worker program." The report says many interns are "placed in jobs that do not teach or develop technical '
    'skills." The program was criticized for trying to counteract the lack of low-skilled workers around the '
    "business sector.\n\n"
)
EDITS = (
    # two figures swapped within a sentence
    ("at 46.2% of the total, followed by Vietnam at 29.9%", "at 29.9% of the total, followed by Vietnam at 46.2%"),
    # a value changed
    ("almost half of 410,000", "almost half of 420,000"),
    # a date changed, so that a status moves; and a sentence added after it
    (
        "In December 2019, 328,360 foreign workers were registered as technical trainees.\n",
        f"At the end of 2018, 328,360 foreign workers were registered as technical trainees.\n\n{NEW_SENTENCE}\n",
    ),
    # a line moved: the Trafficking in Persons paragraph now follows the deaths
    (TIP, ""),
    ("Several Japanese organizations", TIP + "Several Japanese organizations"),
    # a hedge changed; a sentence removed
    ("about 171 trainees", "almost 171 trainees"),
    (" The investigation also revealed that 759 cases of suspected abuse had taken place.", ""),
)


@pytest.fixture(scope="module")
def revision(base):
    return edited(base.text, *EDITS)


@pytest.fixture(scope="module")
def result(base, revision):
    return revisions.compare(revision, base)


def test_the_revision_is_reported_change_by_change(result):
    assert changes(result) == {
        v.CHANGED: {
            "share-china",
            "share-vietnam",
            "vn-workers-2019",
            "vn-titp-participants-2019",
            "trainees-2019-12",
            "deaths-2012-2017",
        },
        v.ADDED: {"12,345"},
        v.REMOVED: {"abuse-2012-2017"},
    }


def test_lines_moved_keep_their_figures_unchanged(result, revision):
    for figure_id, words in [
        ("tip-report", "Trafficking in Persons"),
        ("replacement", "April 2027"),
        ("inspect-implementing", "every 3 years"),
    ]:
        r = row(result, figure_id)
        assert r["change"] == v.UNCHANGED
        assert r["line"] == line_of(revision, words) != r["old_line"]
        assert r["status"] == r["old_status"]
    assert row(result, "tip-report")["line"] > row(result, "moj-figures-2019")["line"], "the paragraph moved down"
    assert row(result, "tip-report")["old_line"] < row(result, "moj-figures-2019")["old_line"]


def test_a_changed_value_is_parsed_and_reconciled_again_against_the_same_counterpart(result, tmp_path):
    r = row(result, "vn-workers-2019")
    assert (r["change"], r["old_number_text"], r["number_text"]) == (v.CHANGED, "410,000", "420,000")
    assert r["line"] == r["old_line"] and r["date_text"] == r["old_date_text"]
    # the same figure edited by hand in a copy of the transcription, built the ordinary way
    figures = pd.read_csv(paths.ARTICLE_FIGURES, dtype=str, keep_default_na=False)
    figures.loc[figures["id"].eq("vn-workers-2019"), "number_text"] = "420,000"
    figures.to_csv(tmp_path / "figures.csv", index=False)
    text = edited(paths.ARTICLE_TEXT.read_text(encoding="utf-8"), ("almost half of 410,000", "almost half of 420,000"))
    by_hand = build_all(Inputs(figures=tmp_path / "figures.csv", revision=text))
    statuses = by_hand["reconciliation"].set_index("claim_id")["status"]
    assert r["status"] == statuses["vn-workers-2019"]
    assert row(result, "vn-titp-participants-2019")["status"] == statuses["vn-titp-participants-2019"]
    assert row(result, "vn-titp-participants-2019")["basis"] == v.DERIVED


def test_a_figure_only_re_dated_becomes_consistent(result):
    r = row(result, "trainees-2019-12")
    assert (r["change"], r["old_date_text"], r["date_text"]) == (v.CHANGED, "In December 2019", "At the end of 2018")
    assert r["number_text"] == r["old_number_text"] == "328,360"
    assert (r["old_status"], r["status"]) == (v.MISDATED, v.CONSISTENT)
    assert pd.isna(r["problem"]), "the revision needs no correction of it any more"


def test_a_sentence_added_is_a_new_figure_without_an_id(result, revision):
    r = result[result["change"].eq(v.ADDED)].iloc[0]
    assert pd.isna(r["id"]) and pd.isna(r["status"]) and pd.isna(r["old_line"])
    assert (r["phrase"], r["date_text"], r["line"]) == ("12,345", "In 2021", line_of(revision, NEW_SENTENCE))


def test_a_sentence_removed_is_reported_with_its_old_phrase(result):
    r = row(result, "abuse-2012-2017")
    assert r["change"] == v.REMOVED and pd.isna(r["line"]) and pd.isna(r["status"])
    assert (r["phrase"], r["old_line"], r["old_status"]) == ("759", 43, v.CONSISTENT)


def test_a_hedge_changed_is_a_changed_figure(result):
    r = row(result, "deaths-2012-2017")
    assert (r["change"], r["old_number_text"], r["number_text"]) == (v.CHANGED, "about 171", "almost 171")
    assert r["date_text"] == r["old_date_text"] == "between 2012 and 2017"


def test_two_figures_swapped_within_a_sentence_are_two_changed_figures(result):
    china, vietnam = row(result, "share-china"), row(result, "share-vietnam")
    assert (china["old_number_text"], china["number_text"]) == ("46.2%", "29.9%")
    assert (vietnam["old_number_text"], vietnam["number_text"]) == ("29.9%", "46.2%")
    assert row(result, "share-philippines")["change"] == v.UNCHANGED


def test_the_summary_counts_changes_and_names_each_one(result):
    lines = revisions.summary(result)
    unchanged = int(result["change"].eq(v.UNCHANGED).sum())
    assert lines[0].startswith(f"{v.UNCHANGED} {unchanged} (") and f"{v.REMOVED} 1" in lines[0]
    trainees = next(line for line in lines if "trainees-2019-12" in line)
    assert "'In December 2019' -> 'At the end of 2018'" in trainees
    assert f"{v.MISDATED} -> {v.CONSISTENT}" in trainees
    assert any(line.startswith(v.ADDED) and "'12,345'" in line for line in lines)
    assert any(line.startswith(v.REMOVED) and "abuse-2012-2017" in line and "was line 43" in line for line in lines)
    assert not any("tip-report" in line for line in lines), "an unchanged figure on a moved line is only counted"


# --- single edits -----------------------------------------------------------------------------


def test_clauses_reordered_in_a_sentence_keep_their_figures(base):
    result = compare(
        base,
        (
            "followed by Vietnam at 29.9% and the Philippines at 9.2%",
            "followed by the Philippines at 9.2% and Vietnam at 29.9%",
        ),
    )
    assert set(result["change"]) == {v.UNCHANGED}


def test_a_consistent_date_re_dated_stops_being_consistent(base, itself):
    result = compare(base, ("first established in 1993", "first established in 1995"))
    r = row(result, "founded")
    assert (r["old_date_text"], r["date_text"], r["old_status"], r["status"]) == (
        "1993",
        "1995",
        v.CONSISTENT,
        v.MISDATED,
    )
    assert isinstance(r["problem"], str) and "'1995'" in r["problem"], "the revision now needs a correction"
    assert pd.isna(row(itself, "founded")["problem"]), "the article did not"
    assert changes(result) == {v.CHANGED: {"founded"}}


def test_removing_a_figure_removes_what_is_derived_from_it_and_keeps_what_the_build_needs(base):
    result = compare(
        base,
        (" an increase of about 15% from the previous year.", "."),
        ("international cooperation program and was first established in 1993.", "international cooperation program."),
    )
    assert changes(result) == {v.REMOVED: {"growth-2015", "interns-2014", "founded"}}
    assert row(result, "interns-2015")["status"] == row(result, "interns-2015")["old_status"]
    assert "kept in the re-check" in row(result, "founded")["note"]


def test_a_new_phrase_the_build_refuses_is_reported_not_re_checked(base):
    result = compare(base, ("In 2016, the United States", "In 1980, the United States"))
    r = row(result, "tip-report")
    assert (r["change"], r["date_text"]) == (v.CHANGED, "In 1980") and pd.isna(r["status"])
    assert "not re-checked" in r["note"] and "outside the programme's life" in r["note"]
    assert set(result.loc[result["id"].ne("tip-report"), "change"]) == {v.UNCHANGED}


def test_when_the_build_refuses_the_revision_the_comparison_still_stands(base, monkeypatch):
    from analysis import build
    from analysis.errors import RawDataError

    def refuse(inputs, official=None):
        raise RawDataError("data/raw/official/stock.csv", 1, "value", "x", "a refusal")

    monkeypatch.setattr(build, "build_all", refuse)
    result = compare(base, ("about 171 trainees", "almost 171 trainees"))
    assert changes(result) == {v.CHANGED: {"deaths-2012-2017"}}
    assert result["status"].isna().all() and result["note"].str.contains("a refusal").all()
    assert revisions.summary(result)[-1].startswith("not re-checked")


# --- the command ------------------------------------------------------------------------------


def _tracked() -> dict[str, str]:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    return {
        name: hashlib.sha256((paths.ROOT / name).read_bytes()).hexdigest()
        for name in files.decode().split("\0")
        if name and (paths.ROOT / name).is_file()
    }


def _status() -> str:
    """git's view of the work tree: changed tracked files and untracked files that are not ignored."""
    return subprocess.run(["git", "status", "--porcelain"], cwd=paths.ROOT, capture_output=True, check=True).stdout


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The comparison's temporary folder (.build/tmp/) moved to a folder of this test's own, to watch it."""
    folder = tmp_path / "build-tmp"
    monkeypatch.setattr(paths, "TMP", folder)
    return folder


def _untracked_state(own_tmp) -> set[str]:
    """data/processed/ (tracked, and any leftovers in it) and the comparison's temporary folder."""
    return {str(p) for p in [*paths.PROCESSED.rglob("*"), *own_tmp.rglob("*")]}


def test_the_command_writes_its_result_and_changes_nothing_tracked(base, revision, tmp_path, own_tmp, capsys):
    (tmp_path / "revision.txt").write_text(revision, encoding="utf-8")
    out = tmp_path / "result.csv"
    tracked, status, state = _tracked(), _status(), _untracked_state(own_tmp)
    assert revisions.main([str(tmp_path / "revision.txt"), "--out", str(out)]) == 0
    assert _tracked() == tracked and _status() == status and _untracked_state(own_tmp) == state
    assert own_tmp.is_dir() and not any(own_tmp.iterdir()), "the temporary transcription is removed"
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written.columns) == revisions.COLUMNS
    assert set(written["change"]) == {v.UNCHANGED, v.CHANGED, v.ADDED, v.REMOVED}
    printed = capsys.readouterr().out
    assert "trainees-2019-12" in printed and f"{v.MISDATED} -> {v.CONSISTENT}" in printed
    assert f"wrote {out}" in printed
    # an earlier result may be overwritten
    assert revisions.main([str(tmp_path / "revision.txt"), "--out", str(out)]) == 0


def test_the_default_result_is_untracked_build_state():
    assert paths.is_inside(paths.CHECK_ARTICLE, paths.BUILD) and not paths.is_inside(paths.CHECK_ARTICLE, paths.DATA)
    ignored = (paths.ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"{paths.BUILD.name}/" in ignored
    assert "check_article" not in tables.TABLES, "the result is no processed table"


UNRELATED = (
    "The recipe calls for flour, sugar and butter, creamed together until pale. Fold in the eggs one at a "
    "time, then bake in a moderate oven until golden. Leave the cake to cool on a rack before icing it.\n"
)

#: case -> the bytes of the revision (None: no file at all).
BAD_REVISIONS = {
    "not UTF-8": edited(UNRELATED, ("flour", "fl\u00f6ur")).encode("latin-1"),
    "empty": b"",
    "only blank lines": b"\n \n\t\n",
    "not text": b"\x00\x01\x02" * 100,
    "shares almost nothing with the article": UNRELATED.encode("utf-8"),
    "missing": None,
}


@pytest.mark.parametrize("case", BAD_REVISIONS)
def test_bad_input_is_refused_in_one_line_with_status_2_and_nothing_written(case, tmp_path, own_tmp, capsys):
    path = tmp_path / "revision.txt"
    if BAD_REVISIONS[case] is not None:
        path.write_bytes(BAD_REVISIONS[case])
    out = tmp_path / "result.csv"
    state = _untracked_state(own_tmp)
    assert revisions.main([str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("make check-article: refused: ") and str(path) in err
    assert "Traceback" not in err and "nothing was written" in err
    assert not out.exists() and _untracked_state(own_tmp) == state and not own_tmp.exists()


def test_the_refusals_say_what_is_wrong(tmp_path, capsys):
    expected = {
        "not UTF-8": "not UTF-8",
        "empty": "the file is empty",
        "only blank lines": "the file is empty",
        "not text": "not text (control character U+0000 on line 1)",
        "shares almost nothing with the article": "shares almost nothing with the article",
        "missing": "no such file",
    }
    for i, (case, content) in enumerate(BAD_REVISIONS.items()):
        path = tmp_path / f"revision-{i}.txt"
        if content is not None:
            path.write_bytes(content)
        revisions.main([str(path), "--out", str(tmp_path / "out.csv")])
        assert expected[case] in capsys.readouterr().err, case


def test_a_revision_keeping_a_few_paragraphs_is_compared_not_refused(base, tmp_path):
    kept = "\n\n".join(base.text.split("\n\n")[5:9])
    result = revisions.compare(kept, base)
    assert v.REMOVED in set(result["change"]) and v.UNCHANGED in set(result["change"])


@pytest.mark.parametrize(
    "out, reason",
    [
        ("data/processed/result.csv", "inside data/"),
        ("data/raw/article/figures.csv", "inside data/"),
        ("README.md", "not an earlier result"),
    ],
)
def test_an_output_path_that_would_change_project_files_is_refused(out, reason, base, tmp_path, capsys):
    path = tmp_path / "revision.txt"
    path.write_text(base.text, encoding="utf-8")
    tracked = _tracked()
    assert revisions.main([str(path), "--out", str(paths.ROOT / out)]) == 2
    assert reason in capsys.readouterr().err
    assert _tracked() == tracked


def test_no_revision_given_is_a_usage_error(capsys):
    assert revisions.main([]) == 2
    assert "make check-article ARTICLE=" in capsys.readouterr().err


@pytest.mark.slow
def test_make_check_article_reports_every_figure_of_the_article_unchanged(tmp_path):
    out = tmp_path / "result.csv"
    result = subprocess.run(
        ["make", "--no-print-directory", "check-article", "ARTICLE=data/raw/article/article.txt", f"OUT={out}"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert f"{v.CHANGED} 0, {v.ADDED} 0, {v.REMOVED} 0" in result.stdout
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(written["change"]) == {v.UNCHANGED}


@pytest.mark.slow
def test_the_command_runs_as_make_runs_it(tmp_path):
    missing = tmp_path / "nothing.txt"
    result = subprocess.run(
        [sys.executable, "-m", "analysis.revisions", str(missing)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no such file" in result.stderr
