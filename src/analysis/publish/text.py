"""Every sentence a reader sees that states a fact, written from the tables at run time.

Each function takes processed tables and returns Markdown (or plain text for chart titles). A
unit test holds each factual sentence to the tables (``tests/test_text.py``): a sentence such
as "Vietnam is the largest source at every date" is computed over every date, and the test
fails when one date says otherwise.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import fmt
from analysis import vocabulary as v
from analysis.publish import words
from analysis.sources import primary

# ---------------------------------------------------------------------------------------------
# the official stock


def stock_path(stock: pd.DataFrame) -> pd.DataFrame:
    """The official total stock in date order, every date (year-end and mid-year), one row each."""
    rows = stock[stock["series"].eq("stock")].sort_values("period_end")
    return rows.drop_duplicates("period_end", keep="first").reset_index(drop=True)


def turning_points(path: pd.DataFrame) -> pd.DataFrame:
    """The first and last figures and every figure where the stock turns from rising to falling.

    >>> frame = pd.DataFrame({"value": [1.0, 3.0, 2.0, 2.5, 4.0]})
    >>> turning_points(frame)["value"].tolist()
    [1.0, 3.0, 2.0, 4.0]
    """
    values = path["value"].tolist()
    keep = [0]
    for i in range(1, len(values) - 1):
        if (values[i] - values[i - 1]) * (values[i + 1] - values[i]) < 0:
            keep.append(i)
    if len(values) > 1:
        keep.append(len(values) - 1)
    return path.iloc[keep].reset_index(drop=True)


def stock_trend(stock: pd.DataFrame) -> str:
    """One sentence: how the official stock moved between consecutive official figures."""
    path = stock_path(stock)
    points = turning_points(path)
    first = points.iloc[0]
    steps = []
    for prev, cur in zip(points.iloc[:-1].itertuples(), points.iloc[1:].itertuples()):
        verb = "rose" if cur.value > prev.value else "fell"
        steps.append(f"{verb} to {fmt.value(cur.value, v.COUNT)} at {fmt.day(cur.period_end)}")
    peak = path.loc[path["value"].idxmax()]
    return (
        f"Between consecutive official figures, the stock of technical intern trainees went from "
        f"{fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])}, "
        f"{fmt.listing(steps)}; its highest is {fmt.value(peak['value'], v.COUNT)}, at "
        f"{fmt.day(peak['period_end'])}."
    )


# ---------------------------------------------------------------------------------------------
# the reconciliation


def said(figure: pd.Series) -> str:
    """A figure as the article states it, or as derived (with the hedge of its inputs)."""
    if figure["basis"] == v.DERIVED:
        return f"{fmt.count(figure['value'], figure['qualifier'], v.DERIVED)} (derived)"
    return figure["number_text"] if pd.notna(figure["number_text"]) else ""


def status_counts(reconciliation: pd.DataFrame) -> str:
    """'a consistent, b misdated, ...' in the declared order of statuses."""
    counts = reconciliation["status"].value_counts()
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in v.STATUSES)


def reference_text(row: pd.Series, single_source: bool = False) -> str:
    """The official figure a status rests on, and what it is to the claim (flagged where only one
    page gives it)."""
    if pd.isna(row["reference_role"]):
        return "none"
    role = v.REFERENCE_ROLES[row["reference_role"]] + ("; a single source" if single_source else "")
    when = fmt.iso_period(row["reference_period"])
    if row["unit"] == v.DATE:
        return f"{when} ({role})"
    return f"{fmt.value(row['reference_value'], row['unit'])} at {when} ({role})"


def findings(built: dict[str, pd.DataFrame]) -> str:
    """The docs' "What the data say": the trend, the statuses, every checked claim in a table."""
    figures, rec = built["article_figures"], built["reconciliation"]
    stated = int(figures["basis"].eq(v.STATED).sum())
    checked = rec[rec["series"].notna()]
    unchecked = rec[rec["series"].isna()]
    lines = [
        f"- {stock_trend(built['official_stock'])}",
        f"- Of the {len(rec)} figures and dates the article states or implies ({stated} stated, "
        f"{len(rec) - stated} derived from them): {status_counts(rec)}. The {len(built['stages'])} stages of a "
        "trainee's stay are transcribed too, as the programme's structure, and not checked.",
        f"- The table lists the {len(checked)} with an official counterpart. The other {len(unchecked)} "
        f"({', '.join(f'`{i}`' for i in unchecked['claim_id'])}) have none in the reference set, so they are "
        f"{v.UNVERIFIABLE}.",
        "",
        "| figure | number, as written | date, as written | status | official figure at the stated date "
        "| official figure the status rests on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    texts = figures.set_index("id")
    cited = words.cited_rows(rec, built["official_series"])
    single = set(cited.loc[cited["single_source_official"].astype(bool), "claim_id"])
    for _, row in checked.iterrows():
        fig = texts.loc[row["claim_id"]]
        date_text = (
            fig["date_text"]
            if pd.notna(fig["date_text"])
            else ("—" if fig["basis"] == v.STATED else fmt.period(fig["period_start"], fig["period_end"]))
        )
        at = "none"
        if pd.notna(row["official_period"]):
            at = fmt.iso_period(row["official_period"])
            if row["unit"] != v.DATE:
                at = f"{fmt.value(row['official_value'], row['unit'])} at {at}"
        lines.append(
            f"| `{row['claim_id']}` | {said(fig) or '—'} | {date_text} | **{row['status']}** | {at} | "
            f"{reference_text(row, row['claim_id'] in single)} |"
        )
    lines += [
        "",
        "Each finding in full, with the rule it follows: `data/processed/reconciliation.csv` (column `finding`).",
    ]
    return "\n".join(lines)


def quoted_summary(quoted: pd.DataFrame) -> str:
    """How the quoted figures compare with the primary table, in one sentence."""
    counts = quoted["verdict"].value_counts()
    said = {
        v.AGREES: "agree with the table within their rounding",
        v.DISAGREES: "disagree with it",
        v.NOT_IN_TABLE: "have no counterpart in it",
    }
    return (
        f"Of the {len(quoted)} figures that news and trade pages quoted from the Statistics on Foreign Residents, "
        + fmt.listing([f"{counts.get(verdict, 0)} {said[verdict]}" for verdict in v.QUOTE_VERDICTS])
        + f". The table: {primary.CITATION}."
    )


def quoted_section(quoted: pd.DataFrame) -> str:
    """The README's and the site's quoted figures held to the primary table: the count of each
    verdict, and every quote that disagrees, by how much, with the pages that quoted it."""
    lines = [f"- {quoted_summary(quoted)}"]
    wrong = quoted[quoted["verdict"].eq(v.DISAGREES)]
    if wrong.empty:
        lines.append("- No quoted figure disagrees with the table.")
        return "\n".join(lines)
    lines += [
        "- Where a quote and the table disagree, the table stands:",
        "",
        "| quoted figure | date | as quoted | in the table | table less quote | quoted on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in wrong.iterrows():
        pages = " ".join(f"<{u}>" for u in str(r["sources"]).split())
        lines.append(
            f"| {r['label']} | {fmt.day(r['period_end'])} | {fmt.value(r['quoted_value'], v.COUNT)} | "
            f"{fmt.value(r['table_value'], v.COUNT)} | {r['difference']:+,.0f} | {pages} |"
        )
    return "\n".join(lines)


def count_phrase(counts: pd.Series) -> str:
    """How many claims have each status, in words (\"9 agree, 2 are misdated\")."""
    verbs = {
        v.CONSISTENT: "agree",
        v.MISDATED: v.MISDATED,
        v.INCONSISTENT: "contradict their official figure",
        v.UNVERIFIABLE: "cannot be checked",
    }
    parts = []
    for status in v.STATUSES:
        n = int(counts.get(status, 0))
        if n:
            verb = verbs[status]
            if status == v.MISDATED:
                verb = "is misdated" if n == 1 else "are misdated"
            elif status == v.INCONSISTENT and n == 1:
                verb = "contradicts its official figure"
            elif status == v.CONSISTENT and n == 1:
                verb = "agrees"
            parts.append(f"{n} {verb}")
    return fmt.listing(parts)


# ---------------------------------------------------------------------------------------------
# the site's claim cards: every sentence from the tables, no internal id in what a reader reads

#: What an id looks like in running text: hyphenated lower-case words (a one-word id is also a word).
_ID_IN_TEXT = r"(?<![\w/.-])({ids})(?![\w/-])"


def headline(reconciliation: pd.DataFrame) -> str:
    """The one sentence a reader sees first: how many of the article's figures and dates hold.

    >>> rec = pd.DataFrame({"status": [v.CONSISTENT, v.CONSISTENT, v.MISDATED, v.UNVERIFIABLE],
    ...     "basis": [v.STATED, v.STATED, v.STATED, v.DERIVED]})
    >>> print(headline(rec))
    Of the 4 figures and dates the article states or implies, checked against official statistics, 2 agree, 1 is misdated and 1 cannot be checked.
    """
    what = "the article states or implies" if reconciliation["basis"].eq(v.DERIVED).any() else "the article states"
    return (
        f"Of the {len(reconciliation)} figures and dates {what}, checked against official statistics, "
        f"{count_phrase(reconciliation['status'].value_counts())}."
    )


def as_written(figure: pd.Series) -> str:
    """A claim's own words: the number as the article writes it, else its date ('' for a derived claim)."""
    for column in ("number_text", "date_text"):
        if pd.notna(figure.get(column)) and str(figure[column]).strip():
            return str(figure[column])
    return ""


def claim_name(figure: pd.Series) -> str:
    """How a reader knows a claim: the article's words for it in quotes, or, for a claim the
    article implies, what it counts.

    >>> print(claim_name(pd.Series({"number_text": "46.2%", "measure": "share of interns from China"})))
    '46.2%' (share of interns from China)
    >>> claim_name(pd.Series({"number_text": None, "date_text": None, "measure": "interns a year earlier"}))
    'interns a year earlier (derived)'
    """
    words = as_written(figure)
    return f"'{words}' ({figure['measure']})" if words else f"{figure['measure']} (derived)"


def without_ids(sentence: str, names: dict[str, str]) -> str:
    """``sentence`` with every hyphenated claim id replaced by the claim's name for readers.

    >>> print(without_ids("It is stated with share-vietnam and share-china.", {"share-vietnam": "'29.9%'",
    ...     "share-china": "'46.2%'", "founded": "'1993'"}))
    It is stated with '29.9%' and '46.2%'.
    """
    ids = sorted((i for i in names if "-" in i), key=len, reverse=True)
    if not ids:
        return sentence
    pattern = re.compile(_ID_IN_TEXT.format(ids="|".join(map(re.escape, ids))))
    return pattern.sub(lambda m: names[m.group(1)], sentence)


def first_sentences(text: str, n: int = 2, most: int | None = None) -> str:
    """The first ``n`` sentences of a finding (the card's short form; the rest is on the claim's
    row), fewer where they would be longer than ``most`` characters (never fewer than one).

    >>> first_sentences("A is 1 (at 2.5%). B is 2. C is 3.")
    'A is 1 (at 2.5%). B is 2.'
    >>> first_sentences("A is 1 (at 2.5%). B is 2. C is 3.", most=20)
    'A is 1 (at 2.5%).'
    """
    from analysis.sources.article import sentence_spans

    text = text.strip()
    spans = sentence_spans(text)
    if not spans:
        return text
    ends = [end for _, end in spans[:n]]
    keep = [e for e in ends if most is None or e <= most] or ends[:1]
    return text[: keep[-1]]


def official_figure(row: pd.Series) -> str:
    """The official figure a claim's status rests on, with its date and what it is to the claim
    ('' where there is none)."""
    if pd.isna(row["reference_role"]):
        return ""
    return fmt.sentence_start(reference_text(row))


def marked_sentence(article_text: str, figure: pd.Series) -> tuple[str, str, str]:
    """The article's sentence that states a claim, split around the claim's own words:
    (before, words, after). A derived claim has no sentence: ('', '', '')."""
    from analysis.sources.article import sentence_at

    words = as_written(figure)
    if not words or pd.isna(figure.get("line")):
        return "", "", ""
    phrases = [str(t) for t in (figure.get("number_text"), figure.get("date_text")) if pd.notna(t)]
    sentence = sentence_at(article_text, int(figure["line"]), *phrases)
    at = sentence.find(words)
    return sentence[:at], words, sentence[at + len(words) :]
