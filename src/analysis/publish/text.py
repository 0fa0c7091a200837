"""Every sentence a reader sees that states a fact, written from the tables at run time.

Each function takes processed tables and returns Markdown (or plain text for chart titles). A
unit test holds each factual sentence to the tables (``tests/test_text.py``): a sentence such
as "Vietnam is the largest source at every date" is computed over every date, and the test
fails when one date says otherwise.
"""

from __future__ import annotations

import pandas as pd

from analysis import catalogue, fmt
from analysis import vocabulary as v

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
    return (f"Between consecutive official figures, the stock of technical intern trainees went from "
            f"{fmt.value(first['value'], v.COUNT)} at {fmt.day(first['period_end'])}, "
            f"{fmt.listing(steps)}; its highest is {fmt.value(peak['value'], v.COUNT)}, at "
            f"{fmt.day(peak['period_end'])}.")


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


def reference_text(row: pd.Series) -> str:
    """The official figure a status rests on, and what it is to the claim."""
    if pd.isna(row["reference_role"]):
        return "none"
    role = v.REFERENCE_ROLES[row["reference_role"]]
    when = fmt.iso_period(row["reference_period"])
    if row["unit"] == v.DATE:
        return f"{when} ({role})"
    return f"{fmt.value(row['reference_value'], row['unit'])} at {when} ({role})"


def findings(built: dict[str, pd.DataFrame]) -> str:
    """The README's and the site's "What the data say": the trend, the statuses, every checked claim."""
    figures, rec = built["article_figures"], built["reconciliation"]
    stated = int(figures["basis"].eq(v.STATED).sum())
    checked = rec[rec["series"].notna()]
    unchecked = rec[rec["series"].isna()]
    lines = [
        f"- {stock_trend(built['official_stock'])}",
        f"- Of the article's {len(rec)} figures and dates ({stated} stated, {len(rec) - stated} derived): "
        f"{status_counts(rec)}.",
        f"- The table lists the {len(checked)} with an official counterpart. The other {len(unchecked)} "
        f"({', '.join(f'`{i}`' for i in unchecked['claim_id'])}) have none in the reference set, so they are "
        f"{v.UNVERIFIABLE}.",
        "",
        "| figure | number, as written | date, as written | status | official figure at the stated date "
        "| official figure the status rests on |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    texts = figures.set_index("id")
    for _, row in checked.iterrows():
        fig = texts.loc[row["claim_id"]]
        date_text = fig["date_text"] if pd.notna(fig["date_text"]) else ("—" if fig["basis"] == v.STATED else
                                                                         fmt.period(fig["period_start"],
                                                                                    fig["period_end"]))
        at = "none"
        if pd.notna(row["official_period"]):
            at = fmt.iso_period(row["official_period"])
            if row["unit"] != v.DATE:
                at = f"{fmt.value(row['official_value'], row['unit'])} at {at}"
        lines.append(f"| `{row['claim_id']}` | {said(fig) or '—'} | {date_text} | **{row['status']}** | {at} | "
                     f"{reference_text(row)} |")
    lines += ["", "Each finding in full, with the rule it follows: `data/processed/reconciliation.csv` "
                  "(column `finding`)."]
    return "\n".join(lines)


def corrections_section(corrections: pd.DataFrame) -> str:
    """The README's and the site's corrections for the article's editors."""
    if corrections.empty:
        return "The official data give no correction to suggest."
    lines = [f"{len(corrections)} suggestions, one per claim (`data/processed/corrections.csv`):", ""]
    for _, row in corrections.iterrows():
        links = " ".join(f"<{url}>" for url in row["sources"].split())
        lines += [
            f"- **`{row['claim_id']}`** ({row['status']}, line {row['line']}): *{row['article_phrase']}*",
            f"  - Problem: {row['problem']}",
            f"  - Suggested: {row['suggested_text']}",
            f"  - Sources: {links}",
        ]
    return "\n".join(lines)


def figures_section() -> str:
    """The README's list of charts, from the catalogue: each image with its caption."""
    lines = []
    for chart in catalogue.CHARTS.values():
        lines += [f"![{chart.short_title}: {chart.question}](figures/{chart.name}.png)", f"*{chart.caption}*", ""]
    return "\n".join(lines).rstrip("\n")
