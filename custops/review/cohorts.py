"""Cohort retention, repurchase timing and follow-up gaps for the quarterly review.

Definitions (all as of the end of the reporting period; later data is ignored):

* **Cohort**: customers by the calendar month of their first order. The share of a cohort
  "active in month k" is the share of its customers with at least one order in calendar
  month ``cohort month + k`` (month 0 is 100% by definition). Months after the period end are
  not observed and stay empty.
* **Repurchase timing**: days from the first to the second distinct order. "Repurchased
  within w days" is computed only over customers whose first order is at least ``w`` days
  before the period end, so that every customer counted had the full ``w`` days.
* **No contact after the first repurchase**: among customers whose first repurchase (second
  order) falls in the period, those with no marketing touch sent and no service ticket opened
  after the repurchase and up to the period end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from custops.core.config import Period
from custops.core.index import OrderIndex, order_index_of
from custops.core.stats import wilson_ci
from custops.features.order_heads import order_heads_of
from custops.report.text import t

__all__ = [
    "cohort_retention",
    "cohort_matrix",
    "cohort_sentence",
    "repurchase_timing",
    "repurchase_sentence",
    "no_contact_after_repurchase",
    "no_contact_sentence",
    "heatmap_scale",
    "plot_cohort_heatmap",
    "heatmap_takeaway",
]


def _month_index(ts: pd.Series) -> pd.Series:
    return ts.dt.year * 12 + ts.dt.month - 1


def _label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def cohort_retention(
    orders: pd.DataFrame,
    period: Period | str,
    *,
    n_cohorts: int = 12,
    max_k: int = 12,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Share of each first-order-month cohort that bought in month k after its first month.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``order_id, customer_id, order_date``).
    period : Period or str
        Orders after the period end are ignored; the last cohort is the period's last month.
    n_cohorts : int
        Number of monthly cohorts shown (the most recent ones).
    max_k : int
        Largest month offset.

    Returns
    -------
    DataFrame
        ``cohort, k, cohort_size, buyers, share, ci_low, ci_high`` (observed months only).

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-10-03", "2025-11-05", "2025-10-20"]), "amount": [1.0] * 3})
    >>> cohort_retention(o, "2025Q4")[["cohort", "k", "buyers", "share"]].to_dict("records")
    [{'cohort': '2025-10', 'k': 0, 'buyers': 2, 'share': 1.0}, {'cohort': '2025-10', 'k': 1, 'buyers': 1, 'share': 0.5}, {'cohort': '2025-10', 'k': 2, 'buyers': 0, 'share': 0.0}]
    """

    p = Period.parse(period)
    ix = order_index_of(orders, index)  # the customer codes shared with the other sections
    codes, labels = ix.codes, ix.labels
    keep = (codes >= 0) & (orders["order_date"] < pd.Timestamp(p.end_exclusive)).to_numpy()
    code = codes[keep]
    # month index year * 12 + month - 1 (datetime64[M] counts months from 1970-01)
    month = orders["order_date"].to_numpy()[keep].astype("datetime64[M]").astype(np.int64)
    month += 1970 * 12
    first_of = np.full(len(labels), np.iinfo(np.int64).max)
    np.minimum.at(first_of, code, month)
    first = first_of[code]
    last_month = p.end.year * 12 + p.end.month - 1
    kept = first > last_month - n_cohorts
    code, first, k = code[kept], first[kept], (month - first)[kept]
    width = int(k.max()) + 1 if len(k) else 1
    pairs = np.unique(code * width + k)  # distinct (customer, month offset)
    pair_code, pair_k = pairs // width, pairs % width
    pair_cohort = first_of[pair_code]
    cohort_ids, size = np.unique(pair_cohort[pair_k == 0], return_counts=True)
    within = pair_k <= max_k
    cells, n_buyers = np.unique(
        np.stack([pair_cohort[within], pair_k[within]]), axis=1, return_counts=True
    )
    buyers = {(int(c), int(j)): int(n) for (c, j), n in zip(cells.T, n_buyers, strict=True)}
    rows = []
    for cohort, size_ in zip(cohort_ids.tolist(), size.tolist(), strict=True):
        for j in range(0, min(max_k, last_month - cohort) + 1):
            rows.append((_label(int(cohort)), j, int(size_), buyers.get((cohort, j), 0)))
    out = pd.DataFrame(rows, columns=["cohort", "k", "cohort_size", "buyers"])
    out["share"] = out["buyers"] / out["cohort_size"]
    out["ci_low"], out["ci_high"] = wilson_ci(out["buyers"], out["cohort_size"])
    return out


def cohort_matrix(retention: pd.DataFrame) -> pd.DataFrame:
    """The heatmap table: cohorts as rows (with their size), month offsets as columns.

    Examples
    --------
    >>> r = pd.DataFrame({"cohort": ["2025-10", "2025-10"], "k": [0, 1], "cohort_size": [2, 2], "share": [1.0, 0.5]})
    >>> cohort_matrix(r).to_dict("index")
    {'2025-10 (n=2)': {0: 1.0, 1: 0.5}}
    """
    if retention.empty:
        return pd.DataFrame()
    labelled = retention.assign(
        row=retention["cohort"] + " (n=" + retention["cohort_size"].map("{:,}".format) + ")"
    )
    matrix = labelled.pivot(index="row", columns="k", values="share")
    matrix.index.name = None
    matrix.columns.name = None
    return matrix


def cohort_sentence(retention: pd.DataFrame, lang: str = "en", k: int = 1) -> str:
    """Average month-k retention of the cohorts observed that long, and the latest such cohort.

    Examples
    --------
    >>> r = pd.DataFrame({"cohort": ["2025-09", "2025-10"], "k": [1, 1], "cohort_size": [10, 30],
    ...     "buyers": [5, 12], "share": [0.5, 0.4]})
    >>> cohort_sentence(r)
    'On average 42.5% of a cohort bought again in month 1 after its first order (2 cohorts, weighted by size); the latest cohort observed that long, 2025-10, reached 40.0%.'
    """
    rows = retention[retention["k"] == k]
    if rows.empty:
        return t("review.cohorts.none", lang)
    mean = rows["buyers"].sum() / rows["cohort_size"].sum()
    latest = rows.sort_values("cohort").iloc[-1]
    return t(
        "review.cohorts.sentence",
        lang,
        mean=f"{mean:.1%}",
        k=k,
        n=len(rows),
        latest=latest["cohort"],
        share=f"{latest['share']:.1%}",
    )


def repurchase_timing(
    orders: pd.DataFrame,
    period: Period | str,
    *,
    windows: Sequence[int] = (30, 60, 90, 180),
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Share of first-time buyers who placed a second order within ``w`` days.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines.
    period : Period or str
        Everything is observed up to the period end.
    windows : sequence of int
        Windows in days.

    Returns
    -------
    DataFrame
        ``window_days, eligible, repurchased, share, ci_low, ci_high, median_days`` where
        ``median_days`` is the median time to the second order among those who repurchased
        within the window.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-01-21", "2025-02-01"]), "amount": [1.0] * 3})
    >>> repurchase_timing(o, "2025Q4", windows=[30])[["eligible", "repurchased", "median_days"]].to_dict("records")
    [{'eligible': 2, 'repurchased': 1, 'median_days': 20.0}]
    """
    p = Period.parse(period)
    end = pd.Timestamp(p.end_exclusive)
    h = order_heads_of(orders, index)
    stop = h.stamp(end)
    seen = h.first < stop
    first, second = h.first[seen], h.second[seen]
    gap_days = pd.Series(np.where(second < stop, h.seconds(second - first), np.nan)) / 86400
    observed_days = pd.Series(h.seconds(stop - first)) / 86400
    rows = []
    for w in windows:
        eligible = observed_days >= w
        within = eligible & (gap_days <= w)
        median = float(gap_days[within].median()) if within.any() else np.nan
        rows.append((int(w), int(eligible.sum()), int(within.sum()), median))
    out = pd.DataFrame(rows, columns=["window_days", "eligible", "repurchased", "median_days"])
    out["share"] = np.where(
        out["eligible"] > 0, out["repurchased"] / out["eligible"].clip(lower=1), np.nan
    )
    out["ci_low"], out["ci_high"] = wilson_ci(out["repurchased"], out["eligible"])
    return out[
        ["window_days", "eligible", "repurchased", "share", "ci_low", "ci_high", "median_days"]
    ]


def repurchase_sentence(timing: pd.DataFrame, lang: str = "en") -> str:
    """The repurchase shares by window in one sentence.

    Examples
    --------
    >>> t = pd.DataFrame({"window_days": [30, 90], "eligible": [100, 80], "repurchased": [40, 50],
    ...     "share": [0.4, 0.625], "ci_low": [.31, .52], "ci_high": [.5, .72], "median_days": [12.0, 20.0]})
    >>> repurchase_sentence(t)
    'Of first-time buyers observed long enough, 40.0% bought again within 30 days (95% CI 31.0%–50.0%) and 62.5% within 90 days (95% CI 52.0%–72.0%).'
    """
    rows = timing.dropna(subset=["share"])
    if rows.empty:
        return t("review.cohorts.repurchase.none", lang)
    parts = [
        t(
            "review.cohorts.repurchase.first" if i == 0 else "review.cohorts.repurchase.next",
            lang,
            share=f"{r.share:.1%}",
            days=r.window_days,
            low=f"{r.ci_low:.1%}",
            high=f"{r.ci_high:.1%}",
        )
        for i, r in enumerate(rows.itertuples())
    ]
    joined = (
        parts[0]
        if len(parts) == 1
        else t("review.cohorts.repurchase.sep", lang).join(parts[:-1])
        + t("review.cohorts.repurchase.last_sep", lang)
        + parts[-1]
    )
    return t("review.cohorts.repurchase.sentence", lang, joined=joined)


def no_contact_after_repurchase(
    orders: pd.DataFrame,
    period: Period | str,
    *,
    touches: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    index: OrderIndex | None = None,
) -> dict:
    """Customers whose first repurchase fell in the period and who heard nothing from us since.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines.
    period : Period or str
    touches, tickets : DataFrame, optional
        Clean touches (``sent_at``) and tickets (``created_at``); at least one is needed.

    Returns
    -------
    dict
        ``repurchasers, no_contact, share, ci_low, ci_high, median_days_since`` (days from the
        repurchase to the period end for the customers without contact); empty when there is
        neither a touch nor a ticket table.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "customer_id": ["a", "a", "b", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-10-05", "2025-02-01", "2025-11-01"]), "amount": [1.0] * 4})
    >>> t = pd.DataFrame({"customer_id": ["a"], "sent_at": pd.to_datetime(["2025-10-20"])})
    >>> r = no_contact_after_repurchase(o, "2025Q4", touches=t)
    >>> r["repurchasers"], r["no_contact"], r["share"]
    (2, 1, 0.5)
    """
    if touches is None and tickets is None:
        return {}
    p = Period.parse(period)
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    h = order_heads_of(orders, index)
    first_at, stop = h.stamp(start), h.stamp(end)
    repeat = np.flatnonzero((h.second >= first_at) & (h.second < stop))  # customer codes
    second = h.second[repeat]
    # contacts compared in nanoseconds, whatever the units of the three tables
    second_ns = second.astype(f"datetime64[{h.unit}]").astype("datetime64[ns]").astype(np.int64)
    end_ns = pd.Timestamp(end).as_unit("ns").value
    last_contact = np.full(len(h.labels), np.iinfo(np.int64).min)
    for frame, column in ((touches, "sent_at"), (tickets, "created_at")):
        if frame is not None and len(frame):
            code = h.codes_of(frame["customer_id"])
            at = frame[column].to_numpy().astype("datetime64[ns]").astype(np.int64)
            keep = (code >= 0) & (at < end_ns)  # NaT is the smallest int64: never a contact
            np.maximum.at(last_contact, code[keep], at[keep])
    no_contact = ~(last_contact[repeat] > second_ns)
    n, k = len(second), int(no_contact.sum())
    low, high = wilson_ci(k, n)
    days = pd.Series(h.seconds(stop - second[no_contact])) / 86400
    return {
        "repurchasers": n,
        "no_contact": k,
        "share": k / n if n else np.nan,
        "ci_low": float(low),
        "ci_high": float(high),
        "median_days_since": float(days.median()) if k else np.nan,
    }


def no_contact_sentence(result: dict, lang: str = "en") -> str:
    """The follow-up gap in one sentence.

    Examples
    --------
    >>> no_contact_sentence({"repurchasers": 200, "no_contact": 50, "share": 0.25, "ci_low": 0.19,
    ...     "ci_high": 0.31, "median_days_since": 40.0})
    '50 of the 200 customers who made their first repurchase this period (25.0%, 95% CI 19.0%–31.0%) received no touch and opened no ticket afterwards (median 40 days without contact by the period end).'
    """
    if not result:
        return t("review.cohorts.no_contact.no_data", lang)
    if not result["repurchasers"]:
        return t("review.cohorts.no_contact.none", lang)
    r = result
    days = f"{r['median_days_since']:.0f}" if np.isfinite(r["median_days_since"]) else "–"
    return t(
        "review.cohorts.no_contact.sentence",
        lang,
        no_contact=f"{r['no_contact']:,}",
        repurchasers=f"{r['repurchasers']:,}",
        share=f"{r['share']:.1%}",
        low=f"{r['ci_low']:.1%}",
        high=f"{r['ci_high']:.1%}",
        days=days,
    )


def heatmap_scale(matrix: pd.DataFrame) -> float:
    """The top of the heatmap's colour scale: the largest share after month 0 (at least 1%;
    1 when there is only month 0).

    Examples
    --------
    >>> heatmap_scale(pd.DataFrame({0: [1.0, 1.0], 1: [0.3, None]})), heatmap_scale(pd.DataFrame({0: [1.0]}))
    (0.3, 1)
    """
    if matrix.shape[1] > 1:
        return max(float(np.nanmax(matrix.iloc[:, 1:].to_numpy())), 0.01)
    return 1


def plot_cohort_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    vmax: float = 1,
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:
    """Heatmap of a finished :func:`cohort_matrix` (shares as percentages), coloured from 0 to
    ``vmax`` (:func:`heatmap_scale`); returns the Axes.

    Examples
    --------
    >>> m = pd.DataFrame({0: [1.0], 1: [0.5]}, index=["2025-10 (n=2)"])
    >>> plot_cohort_heatmap(m, title="t").get_title()
    't'
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import set_takeaway

    if title is None:
        title = t("review.cohorts.plot.title", lang)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(9, 0.35 * max(len(matrix), 4) + 1.2))
    sns.heatmap(
        matrix,
        annot=True,
        fmt=".0%",
        cmap="Blues",
        vmin=0,
        vmax=vmax,
        cbar=False,
        annot_kws={"fontsize": 7},
        ax=ax,
    )
    ax.grid(False)
    ax.set_xlabel(t("review.cohorts.plot.xlabel", lang))
    ax.set_ylabel("")
    ax.set_title(title)
    if own:
        fig.tight_layout()
        plt.close(fig)  # shown once, as the cell's result
    return set_takeaway(ax, takeaway)


def heatmap_takeaway(matrix: pd.DataFrame, lang: str = "en", k: int = 1) -> str:
    """One sentence on the cohort heatmap: the mean share of a cohort buying in month ``k``
    (over the cohorts observed that long, unweighted, as the heatmap shows them).

    Examples
    --------
    >>> m = pd.DataFrame({0: [1.0, 1.0, 1.0], 1: [0.2, 0.3, None]}, index=["a", "b", "c"])
    >>> heatmap_takeaway(m)
    'In month 1 after their first order, 25% of a cohort bought again on average (2 cohorts).'
    """
    if k not in matrix.columns or matrix[k].notna().sum() == 0:
        return t("figure.no_data", lang)
    column = matrix[k].dropna().astype(float)
    return t("figure.cohorts", lang, k=k, share=f"{column.mean():.0%}", n=len(column))
