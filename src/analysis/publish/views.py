"""The rows each chart plots: tidy tables shaped from the processed tables.

Each view is exactly what its chart draws, and is published beside the chart as its CSV, so a
reader can check every mark against a row. Views take and return DataFrames and draw nothing.
"""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis import vocabulary as v

NOT_ITEMISED = v.NOT_ITEMISED
ARTICLE = "article"
OFFICIAL = "official"


def _date(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


# ---------------------------------------------------------------------------------------------
# 01: intern counts


def intern_counts(counts: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The official total stock at every date, and the article's totals with their checks.

    Columns: who, id, kind, period_start, period_end, value, low, high, rounding, status,
    belongs_to, publisher, sources.
    """
    official = stock[stock["series"].eq("stock")].sort_values("period_end")
    rows = [
        dict(
            who=OFFICIAL,
            id=None,
            kind=r["kind"].replace("_", "-"),
            period_start=r["period_start"],
            period_end=r["period_end"],
            value=r["value"],
            low=r["low"],
            high=r["high"],
            rounding=r["published_as"],
            status=None,
            belongs_to=None,
            publisher=r["publisher"],
            sources=r["sources"],
        )
        for _, r in official.iterrows()
    ]
    checks = reconciliation.set_index("claim_id")
    for _, c in counts.sort_values("period_end").iterrows():
        check = checks.loc[c["id"]] if c["id"] in checks.index else None
        status = None if check is None else check["status"]
        belongs = check["reference_period"] if status == v.MISDATED else None
        rows.append(
            dict(
                who=ARTICLE,
                id=c["id"],
                kind=c["basis"],
                period_start=c["period_start"],
                period_end=c["period_end"],
                value=c["value"],
                low=c["low"],
                high=c["high"],
                rounding=fmt.hedge(c["qualifier"]) or v.EXACT,
                status=status,
                belongs_to=belongs,
                publisher=c["credited_to"],
                sources=None,
            )
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# 02: source countries


def placed_at(shares: pd.DataFrame, reconciliation: pd.DataFrame | None) -> str | None:
    """The one official date the reconciliation places the article's stated shares at (the date
    they agree with, consistent or misdated), or None where it places them at none."""
    if reconciliation is None:
        return None
    rec = reconciliation[
        reconciliation["claim_id"].isin(shares["id"]) & reconciliation["status"].isin([v.CONSISTENT, v.MISDATED])
    ]
    dates = set(rec["reference_period"].dropna())
    stated = shares[shares["basis"].ne(v.REMAINDER)]
    return dates.pop() if len(dates) == 1 and len(rec) == len(stated) else None


def composition(
    shares: pd.DataFrame, by_nationality: pd.DataFrame, stock: pd.DataFrame, reconciliation: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The article's shares and the official composition at every date any nationality is itemised.

    At a date with a total, each itemised nationality has its share and what the sources leave
    is ``not itemised``; at a date without a total, a count stands alone, with no share. The
    article's rows carry ``placed_at``: the official date the reconciliation places them at.
    Columns: who, period_start, period_end, placed_at, nationality, share, share_low, share_high,
    count, total, note, publisher, sources.
    """
    rows = []
    placed = placed_at(shares, reconciliation)
    for _, r in shares.iterrows():
        rows.append(
            dict(
                who=ARTICLE,
                placed_at=placed,
                period_start=r["period_start"],
                period_end=r["period_end"],
                nationality=r["nationality"],
                share=r["share"],
                share_low=r["share_low"],
                share_high=r["share_high"],
                count=None,
                total=None,
                note="the remainder the stated shares leave"
                if r["basis"] == v.REMAINDER
                else "as the article states it",
                publisher=None,
                sources=None,
            )
        )
    counts = by_nationality[by_nationality["series"].str.startswith("stock-nationality:")]
    share_rows = by_nationality[by_nationality["series"].str.startswith("stock-share:")]
    totals = stock[stock["series"].eq("stock")].set_index("period_end")
    for end, group in counts.groupby("period_end", sort=True):
        shares_here = share_rows[share_rows["period_end"].eq(end)].set_index("series")
        total = totals.loc[end] if end in totals.index else None
        for _, c in group.sort_values("value", ascending=False).iterrows():
            name = c["series"].split(":", 1)[1]
            s = shares_here.loc[f"stock-share:{name}"] if f"stock-share:{name}" in shares_here.index else None
            rows.append(
                dict(
                    who=OFFICIAL,
                    period_start=end,
                    period_end=end,
                    placed_at=None,
                    nationality=name,
                    share=None if s is None else s["value"],
                    share_low=None if s is None else s["low"],
                    share_high=None if s is None else s["high"],
                    count=c["value"],
                    total=None if total is None else total["value"],
                    note=c["published_as"]
                    if s is not None
                    else "no official total of this date, so a count and not a share",
                    publisher=c["publisher"],
                    sources=(s if s is not None else c)["sources"],
                )
            )
        rest = 100 - shares_here["value"].sum() if len(shares_here) else 0.0
        if total is not None and len(shares_here) and rest >= 0.05:
            rows.append(
                dict(
                    who=OFFICIAL,
                    period_start=end,
                    period_end=end,
                    placed_at=None,
                    nationality=NOT_ITEMISED,
                    share=rest,
                    share_low=max(0.0, 100 - shares_here["high"].sum()),
                    share_high=100 - shares_here["low"].sum(),
                    count=total["value"] - group["value"].sum(),
                    total=total["value"],
                    note="what the sources do not itemise at this date (the total less the itemised)",
                    publisher=total["publisher"],
                    sources=total["sources"],
                )
            )
    return pd.DataFrame(rows)


def overtakes(view: pd.DataFrame) -> list[tuple]:
    """Where the largest nationality changes from one official date to the next, each known to be
    the largest: (date, new leader, the leader before, its date).

    >>> view = pd.DataFrame({"who": OFFICIAL, "period_end": [1, 1, 2, 2], "nationality": ["A", "B", "A", "B"],
    ...     "share": [60.0, 40.0, 45.0, 55.0]})
    >>> overtakes(view)
    [(2, 'B', 'A', 1)]
    """
    leads = leaders(view)
    known = leads[leads["known_largest"]].reset_index(drop=True)
    return [
        (b.period_end, b.nationality, a.nationality, a.period_end)
        for a, b in zip(known.itertuples(), known.iloc[1:].itertuples())
        if a.nationality != b.nationality
    ]


def leaders(view: pd.DataFrame) -> pd.DataFrame:
    """At each official date with shares: the nationality with the largest share, and whether it
    is known to be the largest (itemised beside others, or over half on its own).

    Columns: period_end, nationality, share, itemised, known_largest.
    """
    official = view[view["who"].eq(OFFICIAL) & view["share"].notna() & view["nationality"].ne(NOT_ITEMISED)]
    rows = []
    for end, group in official.groupby("period_end", sort=True):
        top = group.loc[group["share"].idxmax()]
        rest = view[view["who"].eq(OFFICIAL) & view["period_end"].eq(end) & view["nationality"].eq(NOT_ITEMISED)]
        unknown = float(rest["share"].iloc[0]) if len(rest) else 0.0
        rows.append(
            dict(
                period_end=end,
                nationality=top["nationality"],
                share=top["share"],
                itemised=len(group),
                known_largest=bool(top["share"] > unknown or top["share"] > 50),
            )
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# 03: seafood share


def seafood(industry: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The article's seafood share beside the official shares it can be set against.

    Columns: who, measure, population, period_start, period_end, share, share_low, share_high, basis,
    note, publisher, sources.
    """
    row = industry.set_index("industry").loc["seafood processing"]
    rows = [
        dict(
            who=ARTICLE,
            measure="seafood processing, of all trainees",
            population=v.RESIDENTS,
            period_start=row["period_start"],
            period_end=row["period_end"],
            share=row["share"],
            share_low=row["share_low"],
            share_high=row["share_high"],
            basis=v.STATED,
            note="undated; no body credited",
            publisher=None,
            sources=None,
        )
    ]
    parts = official[
        official["unit"].eq(v.PERCENT)
        & (
            official["series"].str.startswith("industry-share:")
            & official["series"].str.endswith(":food manufacturing")
            | official["series"].str.startswith("industry-share-of-stock:")
        )
    ]
    for _, r in parts.sort_values(["population", "period_end"]).iterrows():
        category = r["series"].rsplit(":", 1)[-1]
        measure = r["series"].split(":")[1]
        scope = measure.split("(", 1)[1].rstrip(")") if "(" in measure else ""
        whole = (
            "of approved training plans"
            if r["population"] == v.PLANS
            else (f"of trainees in {scope}, by job category" if scope else "of trainees, by job category")
        )
        if r["series"].startswith("industry-share-of-stock:"):
            whole = f"{r['series'].split(':')[1]}, over the total stock"
        rows.append(
            dict(
                who=OFFICIAL,
                measure=f"{category}, {whole}",
                population=r["population"],
                period_start=r["period_start"],
                period_end=r["period_end"],
                share=r["value"],
                share_low=r["low"],
                share_high=r["high"],
                basis=r["basis"],
                note=r["note"],
                publisher=r["publisher"],
                sources=r["sources"],
            )
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# 04: data quality


def claims(reconciliation: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every numeric claim with an official figure to set it against, as a difference from it.

    The reference is the official figure the claim's status rests on. Columns: claim_id, label,
    as_written, status, unit, claim_value, claim_low, claim_high, reference_value,
    reference_period, reference_role, difference, difference_low, difference_high, credited_to,
    publisher, sources.
    """
    rec = reconciliation[
        reconciliation["unit"].isin([v.COUNT, v.PERCENT, v.YEARS]) & reconciliation["reference_value"].notna()
    ].copy()
    texts = figures.set_index("id")
    rows = []
    for _, r in rec.iterrows():
        fig = texts.loc[r["claim_id"]]
        written = (
            fmt.count(fig["value"], fig["qualifier"], v.DERIVED) + " (derived)"
            if fig["basis"] == v.DERIVED
            else fig["number_text"] + (f", '{fig['date_text']}'" if pd.notna(fig["date_text"]) else "")
        )
        ref = r["reference_value"]
        rows.append(
            dict(
                claim_id=r["claim_id"],
                label=fmt.sentence_start(fig["measure"]),
                as_written=written,
                status=r["status"],
                unit=r["unit"],
                claim_value=r["claim_value"],
                claim_low=r["claim_low"],
                claim_high=r["claim_high"],
                reference_value=ref,
                reference_period=r["reference_period"],
                reference_role=r["reference_role"],
                difference=100 * (r["claim_value"] / ref - 1),
                difference_low=100 * (r["claim_low"] / ref - 1),
                difference_high=100 * (r["claim_high"] / ref - 1),
                credited_to=fig["credited_to"],
                publisher=r["reference_publisher"],
                sources=r["reference_sources"],
            )
        )
    order = {s: i for i, s in enumerate(v.STATUSES)}
    frame = pd.DataFrame(rows)
    return frame.sort_values(
        ["status", "difference"], key=lambda c: c.map(order) if c.name == "status" else c, kind="stable"
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 05: timeline


def timeline(
    figures: pd.DataFrame, reconciliation: pd.DataFrame, events: pd.DataFrame, other: pd.DataFrame
) -> pd.DataFrame:
    """The article's dates (the period each names) and the official date of the same event.

    Official dates are events and publications; events no article date refers to are listed too.
    Columns: who, id, event, as_written, period_start, period_end, status, official_start,
    official_end, publisher, sources.
    """
    events = pd.concat(
        [events[events["series"].eq("event")], other[other["series"].eq("publication")]], ignore_index=True
    )
    history = figures[figures["topic"].eq(v.HISTORY)].sort_values(["period_start", "id"])
    checks = reconciliation.set_index("claim_id")
    used: set[str] = set()
    rows = []
    for _, h in history.iterrows():
        check = checks.loc[h["id"]]
        start, end = h["period_start"], h["period_end"]
        if start == end and h["period_precision"] == "year":
            start = pd.Timestamp(end.year, 1, 1)
        official = (
            events[events["label"].eq(check["reference_label"])]
            if pd.notna(check["reference_label"])
            else events.iloc[0:0]
        )
        if len(official):
            used.add(official["label"].iloc[0])
        rows.append(
            dict(
                who=ARTICLE,
                id=h["id"],
                event=fmt.sentence_start(h["measure"]),
                as_written=h["date_text"],
                period_start=start,
                period_end=end,
                status=check["status"],
                official_start=_date(official["period_start"].iloc[0]) if len(official) else None,
                official_end=_date(official["period_end"].iloc[0]) if len(official) else None,
                publisher=official["publisher"].iloc[0] if len(official) else None,
                sources=official["sources"].iloc[0] if len(official) else None,
            )
        )
    for _, e in events[events["series"].eq("event")].sort_values("period_start").iterrows():
        if e["label"] in used:
            continue
        rows.append(
            dict(
                who=OFFICIAL,
                id=None,
                event=e["label"],
                as_written=None,
                period_start=None,
                period_end=None,
                status=None,
                official_start=e["period_start"],
                official_end=e["period_end"],
                publisher=e["publisher"],
                sources=e["sources"],
            )
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# 06: trainees and Specified Skilled Workers

#: The statuses chart 06 sets side by side: (series of the total, series prefix by nationality, label).
SKILLED_STATUSES = (
    ("stock", "stock-nationality", "technical intern trainees"),
    ("skilled-workers", "skilled-workers-nationality", "Specified Skilled Workers"),
)


def skilled_workers(stock: pd.DataFrame, by_nationality: pd.DataFrame, skilled: pd.DataFrame) -> pd.DataFrame:
    """Trainees and Specified Skilled Workers at every date both are published, in all and for the
    nationalities that lead either status at the latest date.

    Columns: period_end, status, nationality ('All' or a name), value, publisher, sources.
    """
    rows = pd.concat([stock, by_nationality, skilled], ignore_index=True)
    first = skilled.loc[skilled["series"].eq("skilled-workers"), "period_end"].min()
    rows = rows[rows["period_end"].ge(first)]
    out = []
    for total_id, prefix, label in SKILLED_STATUSES:
        for _, r in rows[rows["series"].eq(total_id)].iterrows():
            out.append((r["period_end"], label, "All", r["value"], r["publisher"], r["sources"]))
        for _, r in rows[rows["series"].str.startswith(prefix + ":")].iterrows():
            out.append((r["period_end"], label, r["series"].split(":", 1)[1], r["value"], r["publisher"], r["sources"]))
    view = pd.DataFrame(out, columns=["period_end", "status", "nationality", "value", "publisher", "sources"])
    latest = view[
        view["period_end"].eq(view["period_end"].max()) & ~view["nationality"].isin(["All", v.OTHER_NATIONALITY])
    ]
    leading = set()
    for _, group in latest.groupby("status"):
        leading |= set(group.nlargest(3, "value")["nationality"])
    keep = view["nationality"].eq("All") | view["nationality"].isin(leading)
    return view[keep].sort_values(["status", "nationality", "period_end"], kind="stable").reset_index(drop=True)
