"""Customer segments: RFM scores and named segments, value tiers, lifecycle stages, clusters,
concentration and migration between periods.

Everything here takes the unified customer view (:func:`custops.features.features.customer_features`)
and returns DataFrames; plotting functions take finished tables and only draw.

Definitions
-----------
* **RFM scores** are quantile scores ``1..bins`` among customers who have bought:
  R from ``recency_days`` (days from the last purchase to the period end; fewer days score
  higher), F from ``n_orders`` and M from ``revenue_total`` (both up to the period end).
  The score of a value is ``floor(bins * (rank - 0.5) / n) + 1`` with the *average* rank, so
  tied values always share a score (one customer, or all customers tied, get the middle
  score) and untied values fill the bins as evenly as possible. RFM recency is not the
  BG/NBD ``recency`` (first to last purchase).
* **Named RFM segments** come from :data:`RFM_SEGMENTS`, an ordered dict of rules on a 1-5
  scale (``r``, ``f``, ``m`` and ``fm`` = the rounded-up mean of F and M); the first rule
  that matches names the customer. Pass your own dict to replace it. With ``bins`` other
  than 5 the scores are put on the 1-5 scale as ``1 + round(4 (score - 1) / (bins - 1))``.
* **Value tiers** by annual spend (``revenue_365d``): the highest tier whose minimum is reached,
  else the lowest tier (``D``).
* **Lifecycle stages**, first match wins: *never bought*; *new* (first purchase fewer than
  ``new_days`` days before the period end); *reactivated* (bought in the period after a gap of
  more than ``sleeping_days`` days since the previous purchase); *active* (last purchase at most
  ``sleeping_days`` ago); *sleeping* (at most ``churned_days`` ago); *churned*.
* **Clusters**: ``log1p`` + ``StandardScaler`` + ``KMeans`` on purchase behaviour, ``k`` chosen by
  the silhouette on a seeded sample; above ``max_cluster_rows`` the model is fitted on a
  proportional sample stratified by RFM segment and every customer is assigned to the nearest
  centroid. Names come from the centroid's relative levels (:data:`CLUSTER_NAME_RULES`).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from custops.core.config import Period, ReportConfig, SegmentConfig
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import wilson_ci
from custops.features.purchases import purchase_view
from custops.report import text as catalog
from custops.report.labels import value_label
from custops.report.text import LANGUAGES

__all__ = [
    "RFM_SEGMENTS",
    "SEGMENT_ORDER",
    "SEGMENT_ACTIONS",
    "LIFECYCLE_STAGES",
    "CLUSTER_FEATURES",
    "CLUSTER_DESCRIBE",
    "cluster_profile",
    "CLUSTER_NAME_RULES",
    "NEVER_BOUGHT",
    "NEW_CUSTOMER",
    "quantile_scores",
    "rfm_scores",
    "rfm_segments",
    "score_rfm",
    "segment_rules_table",
    "value_tiers",
    "reactivated_customers",
    "lifecycle_stages",
    "CustomerClusters",
    "name_cluster",
    "Segmentation",
    "segment_customers",
    "segment_contribution",
    "pareto_curve",
    "top_share",
    "transition_matrix",
    "top_movements",
    "crm_export",
    "migration",
    "previous_segmentation",
    "display_contribution",
    "display_profile",
    "DISPLAY_PERCENT",
    "DISPLAY_MONEY",
    "tier_order",
    "headlines",
    "label",
    "t",
    "concentration_sentence",
    "segment_findings",
    "cluster_findings",
    "migration_sentences",
    "high_value_cluster",
    "share_vs_revenue_table",
    "share_takeaway",
    "plot_share_vs_revenue",
    "pareto_takeaway",
    "plot_pareto",
    "transition_shares",
    "transition_takeaway",
    "plot_transition",
    "silhouette_takeaway",
    "plot_silhouette",
    "cluster_levels_table",
    "levels_takeaway",
    "plot_cluster_levels",
]

NEVER_BOUGHT = "Never bought"
NEW_CUSTOMER = "(not yet a customer)"
OTHER = "Other"

#: Ordered segment rules on a 1-5 scale; inclusive (low, high) ranges on ``r``, ``f``, ``m``
#: or ``fm`` (rounded-up mean of F and M). The first matching rule names the customer.
#: The default covers every (R, FM) cell exactly once. Replace it with your own dict.
RFM_SEGMENTS: dict[str, dict[str, tuple[int, int]]] = {
    "Champions": {"r": (5, 5), "fm": (4, 5)},
    "Loyal": {"r": (3, 4), "fm": (4, 5)},
    "Potential loyalist": {"r": (4, 5), "fm": (2, 3)},
    "New": {"r": (5, 5), "fm": (1, 1)},
    "Promising": {"r": (4, 4), "fm": (1, 1)},
    "Need attention": {"r": (3, 3), "fm": (3, 3)},
    "About to sleep": {"r": (3, 3), "fm": (1, 2)},
    "Cannot lose them": {"r": (1, 2), "fm": (5, 5)},
    "At risk": {"r": (1, 2), "fm": (3, 4)},
    "Hibernating": {"r": (2, 2), "fm": (1, 2)},
    "Lost": {"r": (1, 1), "fm": (1, 2)},
}
SEGMENT_ORDER: list[str] = [*RFM_SEGMENTS, NEVER_BOUGHT]

#: Names with a one-line description in the catalog (``segments.segmentation.description.<slug>``);
#: their display names are the report's labels (:data:`custops.report.labels.SEGMENT_LABELS`,
#: also used wherever a segment is shown).
_DESCRIBED: tuple[str, ...] = (*RFM_SEGMENTS, NEVER_BOUGHT, OTHER, NEW_CUSTOMER)
#: Names with a suggested action in the catalog (``segments.segmentation.action.<slug>``).
_ACTIONED: tuple[str, ...] = (*RFM_SEGMENTS, NEVER_BOUGHT, OTHER)
#: Catalog key prefix of this module's texts (:mod:`custops.report.catalog.segments`).
_TEXT = "segments.segmentation."


def _slug(name: object) -> str:
    """The catalog key part of a name: ``"Cannot lose them"`` -> ``cannot_lose_them``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


def _description(name: object, lang: str) -> str:
    """One-line description of a segment ("" for a name without one)."""
    return catalog.t(f"{_TEXT}description.{_slug(name)}", lang) if name in _DESCRIBED else ""


def _action(name: object, lang: str) -> str:
    """Suggested action of a segment ("" for a name without one)."""
    return catalog.t(f"{_TEXT}action.{_slug(name)}", lang) if name in _ACTIONED else ""


#: Suggested action per segment and language (the catalog's), written into ``segments_crm.csv``.
SEGMENT_ACTIONS: dict[str, dict[str, str]] = {
    segment: {lang: _action(segment, lang) for lang in LANGUAGES} for segment in _ACTIONED
}

#: Lifecycle stages in their order (labels: ``segments.segmentation.lifecycle.<slug>``).
LIFECYCLE_STAGES: tuple[str, ...] = (
    "new",
    "active",
    "reactivated",
    "sleeping",
    "churned",
    "never bought",
)

#: Behaviour columns the clustering uses (all non-negative; ``log1p`` is applied first):
#: recency, frequency, monetary (total) and spend per order.
CLUSTER_FEATURES: tuple[str, ...] = ("recency_days", "n_orders", "revenue_total", "avg_order_value")
#: Columns described per cluster (and used by the names) without taking part in the fit.
CLUSTER_DESCRIBE: tuple[str, ...] = ("tenure_days",)

#: Centroid levels are in standard deviations of ``log1p(feature)`` from the customer mean;
#: ``high`` / ``low`` are the thresholds the naming rules use.
CLUSTER_NAME_RULES: dict[str, float] = {"high": 0.75, "very_high": 1.5, "low": -0.75}

#: Names :func:`name_cluster` gives (labels: ``segments.segmentation.cluster.<slug>``).
CLUSTER_NAMES: tuple[str, ...] = (
    "high-value loyal",
    "high-value occasional",
    "lapsed high-value",
    "lapsed",
    "lapsed regular",
    "lapsed low-spend",
    "occasional low-spend",
    "new low-spend",
    "new",
    "price-sensitive impulsive",
    "loyal regular",
    "price-sensitive occasional",
    "occasional",
    "steady mid-value",
    "never bought",
)

# --------------------------------------------------------------------------- text


def t(key: str, lang: str = "en", **kwargs: Any) -> str:
    """A text of this module (catalog key ``segments.segmentation.<key>``) in ``lang``.

    Examples
    --------
    >>> t("what.tier", "zh")
    '价值等级'
    """
    return catalog.t(_TEXT + key, lang, **kwargs)


def label(name: str, lang: str = "en") -> str:
    """Display name of a segment, lifecycle stage or cluster name in ``lang``.

    Unknown names are returned unchanged.

    Examples
    --------
    >>> label("At risk", "zh"), label("sleeping", "zh"), label("A", "zh")
    ('流失风险', '沉睡', 'A')
    """
    if name in _DESCRIBED:
        return value_label(name, lang)
    if name in LIFECYCLE_STAGES:
        return t(f"lifecycle.{_slug(name)}", lang)
    if name in CLUSTER_NAMES:
        return t(f"cluster.{_slug(name)}", lang)
    base, _, suffix = str(name).rpartition(" ")
    if suffix.isdigit() and base in CLUSTER_NAMES:
        return f"{label(base, lang)} {suffix}"
    return name


# --------------------------------------------------------------------------- RFM


def quantile_scores(
    values: pd.Series, bins: int = 5, *, higher_is_better: bool = True
) -> pd.Series:
    """Quantile scores ``1..bins``; tied values share a score, missing values stay missing.

    The score is ``floor(bins * (r - 0.5) / n) + 1`` with ``r`` the average rank among the
    ``n`` non-missing values: without ties the bins are as even as possible; one value or
    all values tied get the middle score.

    Parameters
    ----------
    values : Series
        Numbers (missing values get a missing score).
    bins : int
        Number of scores (2-10).
    higher_is_better : bool
        ``False`` gives the highest score to the smallest values (recency).

    Returns
    -------
    Series
        ``Int64`` scores with the index of ``values``.

    Examples
    --------
    >>> quantile_scores(pd.Series([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).tolist()
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    >>> quantile_scores(pd.Series([7.0, 7.0, 7.0])).tolist(), quantile_scores(pd.Series([3])).tolist()
    ([3, 3, 3], [3])
    >>> quantile_scores(pd.Series([1, 50, None]), higher_is_better=False).tolist()
    [4, 2, <NA>]
    """
    if not 2 <= int(bins) <= 10:
        raise ValueError(f"bins must be between 2 and 10, not {bins!r}")
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    out = pd.Series(pd.NA, index=values.index, dtype="Int64", name=values.name)
    known = numbers.notna().to_numpy()
    n = int(known.sum())
    if n == 0:
        return out
    x = numbers.to_numpy()[known]
    ranks = pd.Series(x if higher_is_better else -x).rank(method="average").to_numpy()
    scores = np.clip(np.floor(bins * (ranks - 0.5) / n).astype("int64") + 1, 1, bins)
    out.iloc[np.flatnonzero(known)] = scores
    return out


def _grade(scores: pd.Series | np.ndarray, bins: int) -> np.ndarray:
    """Scores ``1..bins`` on the 1-5 scale of the segment rules (missing -> 0)."""
    s = pd.Series(scores).astype("Float64").fillna(0).to_numpy(dtype="float64")
    graded = s if bins == 5 else np.floor(1 + 4 * (s - 1) / (bins - 1) + 0.5)
    return np.where(s > 0, graded, 0).astype("int64")


def rfm_scores(
    features: pd.DataFrame,
    *,
    bins: int = 5,
    customer_id: str = "customer_id",
    recency: str = "recency_days",
    frequency: str = "n_orders",
    monetary: str = "revenue_total",
) -> pd.DataFrame:
    """R, F and M quantile scores among customers who have bought.

    Parameters
    ----------
    features : DataFrame
        The customer view; rows with a missing ``recency`` (never bought) get missing scores.
    bins : int
        Number of scores per dimension (``cfg.segments.rfm_bins``).
    customer_id, recency, frequency, monetary : str
        Column names. ``recency`` is days since the last purchase (fewer is better).

    Returns
    -------
    DataFrame
        ``customer_id, r_score, f_score, m_score, rfm_score`` (``rfm_score`` is the code
        ``"545"``; with 10 bins the scores are joined by dots, ``"10.5.4"``).

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "recency_days": [5, 300, None],
    ...                   "n_orders": [9, 1, 0], "revenue_total": [900.0, 20.0, 0.0]})
    >>> rfm_scores(f, bins=5).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'customer_id': 'a', 'r_score': 4, 'f_score': 4, 'm_score': 4, 'rfm_score': '444'},
     {'customer_id': 'b', 'r_score': 2, 'f_score': 2, 'm_score': 2, 'rfm_score': '222'},
     {'customer_id': 'c', 'r_score': None, 'f_score': None, 'm_score': None, 'rfm_score': None}]
    """
    missing = [c for c in (customer_id, recency, frequency, monetary) if c not in features]
    if missing:
        raise KeyError(
            f"rfm_scores needs the column(s) {missing}; the frame has {list(features.columns)}. "
            "Pass the right names with recency=/frequency=/monetary=."
        )
    bought = features[recency].notna()
    out = pd.DataFrame({"customer_id": features[customer_id].to_numpy()}, index=features.index)
    for name, column, better in (
        ("r_score", recency, False),
        ("f_score", frequency, True),
        ("m_score", monetary, True),
    ):
        values = features[column].where(bought)
        out[name] = quantile_scores(values, bins, higher_is_better=better)
    sep = "" if bins <= 9 else "."
    parts = out[["r_score", "f_score", "m_score"]].astype("string")
    code = parts["r_score"] + sep + parts["f_score"] + sep + parts["m_score"]
    out["rfm_score"] = code.astype(object).where(bought, None)
    return out.reset_index(drop=True)


def _rule_lookup(mapping: Mapping[str, Mapping[str, tuple[int, int]]]) -> np.ndarray:
    """Segment index for every (r, f, m) grade triple (index 0..124), -1 where no rule matches."""
    allowed = {"r", "f", "m", "fm"}
    for name, rule in mapping.items():
        unknown = set(rule) - allowed
        if unknown:
            raise ValueError(
                f"segment rule {name!r} uses {sorted(unknown)}; rules may use {sorted(allowed)} "
                "with inclusive (low, high) ranges on the 1-5 scale"
            )
        for key, bounds in rule.items():
            lo, hi = bounds
            if not 1 <= lo <= hi <= 5:
                raise ValueError(
                    f"segment rule {name!r}: {key}={bounds!r} must be (low, high) with "
                    "1 <= low <= high <= 5"
                )
    grid = np.full(125, -1, dtype="int64")
    names = list(mapping)
    for r in range(1, 6):
        for f in range(1, 6):
            for m in range(1, 6):
                levels = {"r": r, "f": f, "m": m, "fm": (f + m + 1) // 2}
                for i, name in enumerate(names):
                    rule = mapping[name]
                    if all(lo <= levels[k] <= hi for k, (lo, hi) in rule.items()):
                        grid[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] = i
                        break
    return grid


def rfm_segments(
    scores: pd.DataFrame,
    mapping: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    *,
    bins: int = 5,
) -> pd.Series:
    """Named segments from R/F/M scores with an ordered rule dict (first match wins).

    Parameters
    ----------
    scores : DataFrame
        ``r_score, f_score, m_score`` as from :func:`rfm_scores` (missing = never bought).
    mapping : dict, optional
        ``{segment: {"r": (lo, hi), "fm": (lo, hi), ...}}`` on the 1-5 scale; keys ``r``,
        ``f``, ``m`` and ``fm`` (rounded-up mean of F and M). Defaults to :data:`RFM_SEGMENTS`.
        Scores no rule matches are named ``"Other"``.
    bins : int
        Number of scores the scores were made with.

    Returns
    -------
    Series
        Segment names; customers without scores are ``"Never bought"``.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [5, 1, 3, None], "f_score": [5, 5, 3, None],
    ...                   "m_score": [4, 5, 3, None]})
    >>> rfm_segments(s).tolist()
    ['Champions', 'Cannot lose them', 'Need attention', 'Never bought']
    >>> rfm_segments(s, {"Big": {"m": (4, 5)}}).tolist()
    ['Big', 'Big', 'Other', 'Never bought']
    """
    mapping = RFM_SEGMENTS if mapping is None else mapping
    grid = _rule_lookup(mapping)
    names = np.array([*mapping, OTHER, NEVER_BOUGHT], dtype=object)
    r = _grade(scores["r_score"], bins)
    f = _grade(scores["f_score"], bins)
    m = _grade(scores["m_score"], bins)
    known = (r > 0) & (f > 0) & (m > 0)
    code = np.where(known, (r - 1) * 25 + (f - 1) * 5 + (m - 1), 0)
    idx = grid[code]
    idx = np.where(idx < 0, len(mapping), idx)
    idx = np.where(known, idx, len(mapping) + 1)
    return pd.Series(names[idx], index=scores.index, name="rfm_segment")


def score_rfm(
    features: pd.DataFrame,
    *,
    bins: int = 5,
    mapping: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    **columns: str,
) -> pd.DataFrame:
    """:func:`rfm_scores` plus the named segment in ``rfm_segment``.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a"], "recency_days": [3], "n_orders": [1],
    ...                   "revenue_total": [0.0]})
    >>> score_rfm(f)[["rfm_score", "rfm_segment"]].to_dict("records")
    [{'rfm_score': '333', 'rfm_segment': 'Need attention'}]
    """
    scores = rfm_scores(features, bins=bins, **columns)
    scores["rfm_segment"] = rfm_segments(scores, mapping, bins=bins).to_numpy()
    return scores


def _range_text(bounds: tuple[int, int] | None) -> str:
    if bounds is None:
        return "1–5"
    lo, hi = bounds
    return str(lo) if lo == hi else f"{lo}–{hi}"


def segment_rules_table(
    mapping: Mapping[str, Mapping[str, tuple[int, int]]] | None = None, lang: str = "en"
) -> pd.DataFrame:
    """The published segment mapping as a table for people (rules, meaning, suggested action).

    Examples
    --------
    >>> segment_rules_table().iloc[0].tolist()[:3]
    ['Champions', '5', '4–5']
    """
    mapping = RFM_SEGMENTS if mapping is None else mapping
    rows = []
    for name, rule in mapping.items():
        if {"f", "m"} & set(rule):
            fm = f"F {_range_text(rule.get('f'))} / M {_range_text(rule.get('m'))}"
        else:
            fm = _range_text(rule.get("fm"))
        rows.append(
            {
                "segment": label(name, lang),
                "R": _range_text(rule.get("r")),
                "FM": fm,
                "meaning": _description(name, lang),
                "suggested action": _action(name, lang),
            }
        )
    return pd.DataFrame(rows).rename(
        columns={
            "segment": t("rules.segment", lang),
            "meaning": t("rules.meaning", lang),
            "suggested action": t("rules.suggested_action", lang),
        }
    )


# --------------------------------------------------------------------------- tiers, lifecycle


def value_tiers(
    features: pd.DataFrame,
    tiers: Mapping[str, float],
    *,
    spend: str = "revenue_365d",
    lowest: str = "D",
) -> pd.Series:
    """Value tier by annual spend: the highest tier whose minimum is reached, else ``lowest``.

    Parameters
    ----------
    features : DataFrame
        Has the annual-spend column (missing spend counts as 0).
    tiers : dict
        Tier -> minimum annual spend (``cfg.segments.tiers``), e.g. ``{"A": 20000, "B": 6000}``.
    spend : str
        Annual spend column.
    lowest : str
        Tier of customers below every minimum.

    Returns
    -------
    Series
        Tier labels, index of ``features``.

    Examples
    --------
    >>> f = pd.DataFrame({"revenue_365d": [25000.0, 6000.0, 5999.99, 0.0, None]})
    >>> value_tiers(f, {"A": 20000, "B": 6000, "C": 1500}).tolist()
    ['A', 'B', 'C', 'D', 'D']
    """
    if not tiers:
        raise ValueError("tiers is empty: give at least one tier with its minimum annual spend")
    bad = {k: v for k, v in tiers.items() if not (np.isfinite(float(v)) and float(v) > 0)}
    if bad:
        raise ValueError(f"tier minimums must be positive numbers; got {bad}")
    if len(set(map(float, tiers.values()))) != len(tiers):
        raise ValueError(f"two tiers have the same minimum annual spend: {dict(tiers)}")
    if lowest in tiers:
        raise ValueError(f"the lowest tier {lowest!r} must not have a minimum in tiers")
    ordered = sorted(tiers.items(), key=lambda kv: float(kv[1]), reverse=True)
    value = pd.to_numeric(features[spend], errors="coerce").fillna(0.0).to_numpy()
    conditions = [value >= float(minimum) for _, minimum in ordered]
    choices = np.array([name for name, _ in ordered], dtype=object)
    result = np.select(conditions, list(choices), default=lowest)
    return pd.Series(result, index=features.index, name="tier", dtype=object)


def reactivated_customers(
    orders: pd.DataFrame,
    period: Period | str,
    sleeping_days: int,
    *,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    index: OrderIndex | None = None,
) -> pd.Index:
    """Customers who bought in ``period`` after more than ``sleeping_days`` without a purchase.

    Purchases are counted by calendar day; the gap is the number of days between a purchase
    day in the period and the customer's previous purchase day.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``customer_id``, ``order_date``).
    period : Period or str
    sleeping_days : int
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``orders`` (built here when omitted).

    Returns
    -------
    Index
        Customer ids, sorted.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...     "order_date": pd.to_datetime(["2025-03-01", "2025-11-15", "2025-09-01", "2025-10-20",
    ...                                   "2025-12-01"])})
    >>> reactivated_customers(o, "2025Q4", 90).tolist()
    ['a']
    """
    period = Period.parse(period)
    if (customer_id, order_date) != ("customer_id", "order_date"):
        orders = orders.rename(columns={customer_id: "customer_id", order_date: "order_date"})
        index = None  # the index of the renamed frame is built here
    # distinct (customer, day) pairs as integers, one numpy sort, kept by the orders' index
    # (20M orders at 1M customers: drop_duplicates + sort_values on text ids took ~60 s; the
    # previous period's segments reuse the pairs of the current one through the same index)
    ix = order_index_of(orders, index)
    labels = ix.labels
    pair_code, pair_day = ix.code_days
    seen = pair_day < np.datetime64(pd.Timestamp(period.end_exclusive).date())
    pair_code, pair_day = pair_code[seen], pair_day[seen]
    same = np.r_[False, pair_code[1:] == pair_code[:-1]]
    gap = np.r_[0, np.diff(pair_day).astype(np.int64)]
    start = np.datetime64(pd.Timestamp(period.start).date())
    hit = same & (gap > sleeping_days) & (pair_day >= start)
    found = labels[np.unique(pair_code[hit])]
    return pd.Index(sorted(found), name=customer_id)


def lifecycle_stages(
    features: pd.DataFrame,
    period: Period | str,
    *,
    new_days: int = 90,
    sleeping_days: int = 90,
    churned_days: int = 180,
    reactivated: Iterable[Any] = (),
    customer_id: str = "customer_id",
) -> pd.Series:
    """Lifecycle stage per customer: never bought, new, reactivated, active, sleeping, churned.

    Parameters
    ----------
    features : DataFrame
        The customer view (``first_purchase``, ``recency_days``; missing = never bought).
    period : Period or str
        Stages are as of the period end.
    new_days : int
        First purchase fewer than this many days before the period end: *new*.
    sleeping_days : int
        Last purchase more than this many days ago: *sleeping*.
    churned_days : int
        Last purchase more than this many days ago: *churned* (>= ``sleeping_days``).
    reactivated : iterable
        Customer ids from :func:`reactivated_customers`.

    Returns
    -------
    Series
        Stage names (keys of :data:`LIFECYCLE_STAGES`), index of ``features``.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": list("abcdef"),
    ...     "first_purchase": pd.to_datetime(["2025-12-01", "2024-01-01", "2024-01-01",
    ...                                       "2024-01-01", "2024-01-01", None]),
    ...     "recency_days": [30, 10, 120, 400, 20, None]})
    >>> lifecycle_stages(f, "2025Q4", reactivated=["e"]).tolist()
    ['new', 'active', 'sleeping', 'churned', 'reactivated', 'never bought']
    """
    if churned_days < sleeping_days:
        raise ValueError(
            f"churned_days ({churned_days}) must be at least sleeping_days ({sleeping_days}): "
            "a customer sleeps before churning"
        )
    period = Period.parse(period)
    end = pd.Timestamp(period.end)
    recency = pd.to_numeric(features["recency_days"], errors="coerce")
    first = pd.to_datetime(features["first_purchase"])
    since_first = (end - first).dt.days
    bought = recency.notna()
    back = features[customer_id].isin(pd.Index(list(reactivated)))
    stage = np.select(
        [
            ~bought,
            since_first < new_days,
            back,
            recency <= sleeping_days,
            recency <= churned_days,
        ],
        ["never bought", "new", "reactivated", "active", "sleeping"],
        default="churned",
    )
    return pd.Series(stage, index=features.index, name="lifecycle", dtype=object)


# --------------------------------------------------------------------------- clusters


def name_cluster(levels: Mapping[str, float], rules: Mapping[str, float] | None = None) -> str:
    """A readable name from a centroid's levels (standard deviations from the mean customer).

    Levels are read from ``recency_days``, ``n_orders`` (frequency), ``revenue_total``
    (spend), ``avg_order_value`` and ``tenure_days`` (missing levels count as average).
    Rules, first match wins (``high`` = ``rules["high"]`` etc.):

    * order value very high, or spend very high with order value high: *lapsed high-value*
      (recency high), *high-value loyal* (frequency at least average) or *high-value occasional*;
    * recency high: *lapsed regular* (frequency at least average) or *lapsed low-spend*;
    * tenure low: *new low-spend* (spend below average) or *new*;
    * order value low: *price-sensitive impulsive* (frequency at least average) or
      *price-sensitive occasional*;
    * frequency high: *loyal regular*; frequency low: *occasional low-spend* (spend below
      average) or *occasional*;
    * otherwise *steady mid-value*.

    Examples
    --------
    >>> name_cluster({"recency_days": -0.4, "n_orders": 0.6, "avg_order_value": 2.8})
    'high-value loyal'
    >>> name_cluster({"recency_days": 1.2, "n_orders": -1.1, "revenue_total": -1.2})
    'lapsed low-spend'
    >>> name_cluster({"recency_days": -0.8, "n_orders": -0.6, "tenure_days": -1.3})
    'new low-spend'
    """
    rules = {**CLUSTER_NAME_RULES, **(rules or {})}
    rec = levels.get("recency_days", 0.0)
    freq = levels.get("n_orders", 0.0)
    spend = levels.get("revenue_total", freq)
    aov = levels.get("avg_order_value", 0.0)
    tenure = levels.get("tenure_days", 0.0)
    if aov >= rules["very_high"] or (spend >= rules["very_high"] and aov >= rules["high"]):
        if rec >= rules["high"]:
            return "lapsed high-value"
        return "high-value loyal" if freq >= 0 else "high-value occasional"
    if rec >= rules["high"]:
        return "lapsed regular" if freq >= 0 else "lapsed low-spend"
    if tenure <= rules["low"]:
        return "new low-spend" if spend < 0 else "new"
    if aov <= rules["low"]:
        return "price-sensitive impulsive" if freq >= 0 else "price-sensitive occasional"
    if freq >= rules["high"]:
        return "loyal regular"
    if freq <= rules["low"]:
        return "occasional low-spend" if spend < 0 else "occasional"
    return "steady mid-value"


class CustomerClusters:
    """K-means clusters of customers' purchase behaviour, ``k`` chosen by the silhouette.

    The pipeline is ``log1p`` -> ``StandardScaler`` -> ``KMeans``. Above ``max_rows`` the
    model is fitted on a proportional sample stratified by ``strata`` and then assigns every
    customer to the nearest centre.

    Parameters
    ----------
    features : sequence of str
        Non-negative behaviour columns (default :data:`CLUSTER_FEATURES`).
    describe : sequence of str
        Non-negative columns whose cluster levels are reported (and used for the names)
        without taking part in the fit, when the frame has them (default: tenure).
    k_range : (int, int)
        Smallest and largest ``k`` tried (inclusive).
    max_rows : int
        Fit on a sample above this many rows.
    silhouette_rows : int
        Size of the seeded sample the silhouette is computed on.
    n_init : int
        K-means restarts per ``k``.
    random_state : int
        The one seed (``cfg.seed``).
    single_thread_rows : int
        Fits on at most this many rows run on one thread (faster on small data).

    Attributes
    ----------
    pipeline_ : sklearn Pipeline
        The fitted pipeline for the chosen ``k``.
    k_ : int
    silhouette_ : DataFrame
        ``k, silhouette`` for every ``k`` tried.
    levels_ : DataFrame
        Cluster centres in standard deviations of ``log1p(column)`` from the mean customer,
        one row per cluster: the centroids for the fitted features, the cluster means for the
        ``describe`` columns.
    names_ : dict
        Cluster number -> name.
    n_fit_ : int
        Rows the model was fitted on; ``n_rows_`` rows were given.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"recency_days": rng.integers(0, 400, 300),
    ...     "n_orders": rng.integers(1, 30, 300), "avg_order_value": rng.gamma(3, 100, 300),
    ...     "tenure_days": rng.integers(10, 900, 300)})
    >>> X["revenue_total"] = X["n_orders"] * X["avg_order_value"]
    >>> model = CustomerClusters(k_range=(2, 4), random_state=0).fit(X)
    >>> model.k_ in (2, 3, 4), len(model.predict(X)) == 300
    (True, True)
    """

    def __init__(
        self,
        features: Sequence[str] = CLUSTER_FEATURES,
        *,
        describe: Sequence[str] = CLUSTER_DESCRIBE,
        k_range: tuple[int, int] = (3, 8),
        max_rows: int = 200_000,
        silhouette_rows: int = 4_000,
        n_init: int = 4,
        random_state: int = 42,
        single_thread_rows: int = 50_000,
    ) -> None:
        self.features = features
        self.describe = describe
        self.k_range = k_range
        self.max_rows = max_rows
        self.silhouette_rows = silhouette_rows
        self.n_init = n_init
        self.random_state = random_state
        self.single_thread_rows = single_thread_rows

    @classmethod
    def from_config(cls, cfg: ReportConfig, **kwargs: Any) -> CustomerClusters:
        """The model with ``k_range``, ``max_cluster_rows`` and the seed from the config."""
        return cls(
            k_range=tuple(cfg.segments.k_range),
            max_rows=cfg.segments.max_cluster_rows,
            random_state=cfg.seed,
            **kwargs,
        )

    def _matrix(self, frame: pd.DataFrame, columns: Sequence[str] | None = None) -> np.ndarray:
        columns = list(self.features if columns is None else columns)
        missing = [c for c in columns if c not in frame]
        if missing:
            raise KeyError(f"clustering needs the column(s) {missing}")
        X = frame[columns].astype("float64").to_numpy()
        if np.isnan(X).any():
            bad = [c for c, col in zip(columns, X.T, strict=True) if np.isnan(col).any()]
            raise ValueError(
                f"clustering columns {bad} have missing values; cluster only customers who "
                "have bought (has_ordered) or fill the gaps first"
            )
        if (X < 0).any():
            bad = [c for c, col in zip(columns, X.T, strict=True) if (col < 0).any()]
            raise ValueError(f"clustering columns {bad} have negative values; log1p needs >= 0")
        return X

    def fit(self, frame: pd.DataFrame, strata: pd.Series | None = None) -> CustomerClusters:
        """Choose ``k`` by the silhouette and fit the pipeline.

        Parameters
        ----------
        frame : DataFrame
            One row per customer with the ``features`` columns.
        strata : Series, optional
            Labels (index of ``frame``) for the stratified sample above ``max_rows``.

        Returns
        -------
        self
        """
        k_lo, k_hi = (int(v) for v in self.k_range)
        if not 2 <= k_lo <= k_hi:
            raise ValueError(
                f"k_range must be (low, high) with 2 <= low <= high, not {self.k_range}"
            )
        X = self._matrix(frame)
        n = len(X)
        if n <= k_hi:
            raise ValueError(
                f"{n} customers are too few to try up to {k_hi} clusters; lower k_range"
            )
        rng = np.random.default_rng(self.random_state)
        self.n_rows_ = n
        if n > self.max_rows:
            if strata is None:
                fit_idx = np.sort(rng.choice(n, self.max_rows, replace=False))
            else:
                labels = pd.Series(np.asarray(strata), name="s").reset_index(drop=True)
                frac = self.max_rows / n
                fit_idx = np.sort(
                    labels.groupby(labels, sort=True)
                    .sample(frac=frac, random_state=self.random_state)
                    .index.to_numpy()
                )
            self.stratified_ = strata is not None
        else:
            fit_idx = np.arange(n)
            self.stratified_ = False
        X_fit = X[fit_idx]
        self.n_fit_ = len(X_fit)
        sil_idx = (
            np.sort(rng.choice(len(X_fit), self.silhouette_rows, replace=False))
            if len(X_fit) > self.silhouette_rows
            else np.arange(len(X_fit))
        )
        self.n_silhouette_ = len(sil_idx)
        # small fits run faster on one thread (OpenMP threads only contend on small data)
        threads = 1 if len(X_fit) <= self.single_thread_rows else None
        with threadpool_limits(limits=threads):
            self._fit_k(X_fit, sil_idx, k_lo, k_hi)
        extra = [c for c in self.describe if c in frame and c not in self.features]
        described = None
        if extra:
            D = np.log1p(self._matrix(frame, extra)[fit_idx])
            Z = (D - D.mean(axis=0)) / np.where(D.std(axis=0) > 0, D.std(axis=0), 1.0)
            described = pd.DataFrame(Z, columns=extra).groupby(self.pipeline_[-1].labels_).mean()
        return self._name(described)

    def _fit_k(self, X_fit: np.ndarray, sil_idx: np.ndarray, k_lo: int, k_hi: int) -> None:
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer, StandardScaler

        scores, fitted = [], {}
        for k in range(k_lo, k_hi + 1):
            pipe = make_pipeline(
                FunctionTransformer(np.log1p, feature_names_out="one-to-one"),
                StandardScaler(),
                KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state),
            )
            pipe.fit(X_fit)
            Z = pipe[:-1].transform(X_fit[sil_idx])
            lab = pipe[-1].labels_[sil_idx]
            score = float(silhouette_score(Z, lab)) if len(np.unique(lab)) > 1 else float("nan")
            scores.append((k, score))
            fitted[k] = pipe
        self.silhouette_ = pd.DataFrame(scores, columns=["k", "silhouette"])
        self.k_ = int(self.silhouette_.loc[self.silhouette_["silhouette"].idxmax(), "k"])
        self.pipeline_ = fitted[self.k_]

    def _name(self, described: pd.DataFrame | None) -> CustomerClusters:
        # number clusters by spend per order: cluster 0 spends most per order
        centers = self.pipeline_[-1].cluster_centers_
        levels = pd.DataFrame(centers, columns=list(self.features))
        if described is not None:
            levels = levels.join(described.reindex(levels.index))
        order_key = levels["avg_order_value"] if "avg_order_value" in levels else levels.iloc[:, 0]
        self._relabel = np.argsort(np.argsort(-order_key.to_numpy()))
        levels.index = self._relabel
        self.levels_ = levels.sort_index().rename_axis("cluster")
        names: dict[int, str] = {}
        bases: list[str] = []
        for cluster, row in self.levels_.iterrows():
            base = name_cluster(row.to_dict())
            taken = bases.count(base)
            bases.append(base)
            names[int(cluster)] = base if not taken else f"{base} {taken + 1}"
        self.names_ = names
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Cluster number of every row (0 = the cluster with the highest order value)."""
        X = self._matrix(frame)
        threads = 1 if len(X) <= self.single_thread_rows else None
        with threadpool_limits(limits=threads):
            raw = self.pipeline_.predict(X)
        return self._relabel[raw]

    def note(self, lang: str = "en") -> str:
        """How ``k`` was chosen and what the model was fitted on, in words."""
        if self.n_fit_ < self.n_rows_:
            fit = t("fit_sample", lang, m=self.n_fit_, n=self.n_rows_, seed=self.random_state)
        else:
            fit = t("fit_all", lang, n=self.n_rows_)
        best = float(self.silhouette_["silhouette"].max())
        return t(
            "cluster_choice",
            lang,
            k=self.k_,
            sil=best,
            k_lo=int(self.silhouette_["k"].min()),
            k_hi=int(self.silhouette_["k"].max()),
            n_sil=self.n_silhouette_,
            fit=fit,
        )


def cluster_profile(
    view: pd.DataFrame,
    *,
    cluster: str = "cluster",
    name: str = "cluster_name",
    features: Sequence[str] = (*CLUSTER_FEATURES, *CLUSTER_DESCRIBE),
    lang: str = "en",
) -> pd.DataFrame:
    """Per cluster: size, share of customers and of revenue, and the median behaviour.

    Only customers who have bought (cluster >= 0) are counted.

    Examples
    --------
    >>> v = pd.DataFrame({"cluster": [0, 1, 1, -1], "cluster_name": ["hv", "lo", "lo", "never bought"],
    ...     "revenue_total": [90.0, 5.0, 5.0, 0.0], "revenue_365d": [50.0, 5.0, 0.0, 0.0],
    ...     "recency_days": [1, 9, 30, None], "n_orders": [5, 1, 1, 0],
    ...     "avg_order_value": [18.0, 5.0, 5.0, None], "tenure_days": [400, 10, 50, None]})
    >>> cluster_profile(v)[["cluster_name", "customers", "share_customers", "share_revenue"]].to_dict("records")
    [{'cluster_name': 'hv', 'customers': 1, 'share_customers': 0.3333333333333333, 'share_revenue': 0.9}, {'cluster_name': 'lo', 'customers': 2, 'share_customers': 0.6666666666666666, 'share_revenue': 0.1}]
    """
    bought = view[view[cluster] >= 0]
    g = bought.groupby([cluster, name], sort=True)
    prof = g.size().rename("customers").to_frame()
    prof["share_customers"] = prof["customers"] / prof["customers"].sum()
    prof["share_revenue"] = g["revenue_total"].sum() / bought["revenue_total"].sum()
    total365 = bought["revenue_365d"].sum()
    prof["share_revenue_365d"] = g["revenue_365d"].sum() / total365 if total365 else np.nan
    for column in features:
        prof[f"median_{column}"] = g[column].median()
    prof["mean_revenue_365d"] = g["revenue_365d"].mean()
    out = prof.reset_index()
    out[name] = out[name].map(lambda v: label(v, lang))
    return out


def high_value_cluster(profile: pd.DataFrame) -> pd.Series:
    """The row of the cluster with the highest revenue per customer (all time).

    Examples
    --------
    >>> p = pd.DataFrame({"cluster": [0, 1], "customers": [10, 90], "share_revenue": [0.4, 0.6]})
    >>> int(high_value_cluster(p)["cluster"])
    0
    """
    per_customer = profile["share_revenue"] / profile["customers"]
    return profile.loc[per_customer.idxmax()]


# --------------------------------------------------------------------------- all at once


@dataclass
class Segmentation:
    """Every segment assignment of one period.

    Attributes
    ----------
    table : DataFrame
        The ``segments.parquet`` artifact: ``customer_id, r_score, f_score, m_score,
        rfm_score, rfm_segment, tier, lifecycle, cluster, cluster_name``.
    view : DataFrame
        The customer view joined with ``table`` (for the summaries).
    clusters : CustomerClusters or None
        The fitted cluster model (None when clustering was skipped).
    period : Period
    """

    table: pd.DataFrame
    view: pd.DataFrame
    clusters: CustomerClusters | None
    period: Period
    settings: SegmentConfig = field(default_factory=SegmentConfig)

    ARTIFACT_COLUMNS = (
        "customer_id",
        "r_score",
        "f_score",
        "m_score",
        "rfm_score",
        "rfm_segment",
        "tier",
        "lifecycle",
        "cluster",
        "cluster_name",
    )


def segment_customers(
    features: pd.DataFrame,
    orders: pd.DataFrame,
    period: Period | str,
    settings: SegmentConfig | ReportConfig | None = None,
    *,
    seed: int = 42,
    mapping: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    clusters: bool = True,
    index: OrderIndex | None = None,
) -> Segmentation:
    """RFM segments, value tiers, lifecycle stages and clusters of every customer.

    Parameters
    ----------
    features : DataFrame
        The customer view of ``period`` (``customer_features.parquet``).
    orders : DataFrame
        Clean order lines (for the reactivated stage).
    period : Period or str
    settings : SegmentConfig or ReportConfig, optional
        ``cfg.segments`` (a whole config also gives the seed).
    seed : int
        Seed when ``settings`` is not a ``ReportConfig``.
    mapping : dict, optional
        Segment rules (default :data:`RFM_SEGMENTS`).
    clusters : bool
        Fit the clusters (skip for the previous period's migration).
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``orders`` (built here when omitted).

    Returns
    -------
    Segmentation

    Examples
    --------
    >>> s = segment_customers(features, tables["orders"], "2025Q4", cfg)  # doctest: +SKIP
    >>> s.table.columns.tolist()  # doctest: +SKIP
    ['customer_id', 'r_score', ..., 'cluster_name']
    """
    period = Period.parse(period)
    if isinstance(settings, ReportConfig):
        seed = settings.seed
        settings = settings.segments
    settings = settings or SegmentConfig()
    view = features.drop(
        columns=[c for c in Segmentation.ARTIFACT_COLUMNS[1:] if c in features]
    ).reset_index(drop=True)
    table = score_rfm(view, bins=settings.rfm_bins, mapping=mapping)
    table["tier"] = value_tiers(view, settings.tiers).to_numpy()
    back = reactivated_customers(orders, period, settings.sleeping_days, index=index)
    table["lifecycle"] = lifecycle_stages(
        view,
        period,
        new_days=settings.new_days,
        sleeping_days=settings.sleeping_days,
        churned_days=settings.churned_days,
        reactivated=back,
    ).to_numpy()
    model = None
    table["cluster"] = np.int64(-1)
    table["cluster_name"] = "never bought"
    if clusters:
        bought = view["recency_days"].notna().to_numpy()
        model = CustomerClusters(
            k_range=tuple(settings.k_range), max_rows=settings.max_cluster_rows, random_state=seed
        ).fit(view.loc[bought], strata=table.loc[bought, "rfm_segment"])
        labels = model.predict(view.loc[bought])
        table.loc[bought, "cluster"] = labels
        table.loc[bought, "cluster_name"] = [model.names_[int(c)] for c in labels]
    table = table[list(Segmentation.ARTIFACT_COLUMNS)]
    joined = pd.concat([view, table.drop(columns="customer_id")], axis=1)
    return Segmentation(table=table, view=joined, clusters=model, period=period, settings=settings)


# --------------------------------------------------------------------------- summaries


def segment_contribution(
    view: pd.DataFrame,
    by: str = "rfm_segment",
    *,
    revenue: str = "revenue_365d",
    orders: str = "orders_365d",
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """What each segment is worth: customers, revenue, orders, AOV, repurchase and churn rates.

    Repurchase rate = share of the segment's buyers with two or more orders (all time);
    churn rate = share of its buyers with ``event == 1`` (inactivity churn of the customer
    view); both with Wilson 95% intervals. Revenue and orders are the last 12 months by
    default; ``share_revenue_total`` is the share of all revenue to date.

    Parameters
    ----------
    view : DataFrame
        Customer view with the segment column ``by``.
    by : str
        Segment column (``rfm_segment``, ``tier``, ``lifecycle``, ``cluster_name``).
    revenue, orders : str
        Revenue and order-count columns.
    order : sequence of str, optional
        Row order (segments not present are left out); default: largest revenue first.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> v = pd.DataFrame({"rfm_segment": ["A", "A", "B"], "revenue_365d": [30.0, 10.0, 60.0],
    ...     "orders_365d": [2, 2, 1], "revenue_total": [30.0, 10.0, 60.0], "n_orders": [2, 3, 1],
    ...     "event": [0, 1, 1]})
    >>> c = segment_contribution(v, order=["A", "B"])
    >>> c[["rfm_segment", "customers", "share_revenue", "aov", "repurchase_rate", "churn_rate"]].to_dict("records")
    [{'rfm_segment': 'A', 'customers': 2, 'share_revenue': 0.4, 'aov': 10.0, 'repurchase_rate': 1.0, 'churn_rate': 0.5}, {'rfm_segment': 'B', 'customers': 1, 'share_revenue': 0.6, 'aov': 60.0, 'repurchase_rate': 0.0, 'churn_rate': 1.0}]
    """
    frame = view.assign(
        _buyer=view["n_orders"] > 0,
        _repeat=view["n_orders"] >= 2,
        _churned=pd.to_numeric(view["event"], errors="coerce").fillna(0) == 1,
    )
    g = frame.groupby(by, sort=False, observed=True)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue": g[revenue].sum(),
            "orders": g[orders].sum(),
            "buyers": g["_buyer"].sum(),
            "repeaters": g["_repeat"].sum(),
            "churned": g["_churned"].sum(),
            "revenue_total": g["revenue_total"].sum(),
        }
    )
    out["share_customers"] = out["customers"] / out["customers"].sum()
    total = out["revenue"].sum()
    out["share_revenue"] = out["revenue"] / total if total else np.nan
    out["share_revenue_total"] = out["revenue_total"] / out["revenue_total"].sum()
    out["aov"] = out["revenue"] / out["orders"].where(out["orders"] > 0)
    buyers = out["buyers"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["repurchase_rate"] = np.where(
            buyers > 0, out["repeaters"] / np.maximum(buyers, 1), np.nan
        )
        out["churn_rate"] = np.where(buyers > 0, out["churned"] / np.maximum(buyers, 1), np.nan)
    lo, hi = wilson_ci(out["repeaters"].to_numpy(), buyers)
    out["repurchase_low"], out["repurchase_high"] = lo, hi
    lo, hi = wilson_ci(out["churned"].to_numpy(), buyers)
    out["churn_low"], out["churn_high"] = lo, hi
    if order is not None:
        out = out.reindex([s for s in order if s in out.index])
    else:
        out = out.sort_values("revenue", ascending=False)
    for column in ("customers", "orders", "buyers", "repeaters", "churned"):
        out[column] = out[column].astype("int64")
    columns = [
        "customers",
        "share_customers",
        "revenue",
        "share_revenue",
        "share_revenue_total",
        "orders",
        "aov",
        "repurchase_rate",
        "repurchase_low",
        "repurchase_high",
        "churn_rate",
        "churn_low",
        "churn_high",
        "buyers",
    ]
    return out[columns].rename_axis(by).reset_index()


def pareto_curve(values: pd.Series | np.ndarray, points: int = 201) -> pd.DataFrame:
    """Cumulative share of revenue against the share of customers, largest first.

    Customers with zero or missing revenue are left out.

    Examples
    --------
    >>> curve = pareto_curve(pd.Series([50.0, 30.0, 10.0, 10.0, 0.0]), points=5)
    >>> curve.round(3).to_dict("list")
    {'customer_share': [0.0, 0.25, 0.5, 0.75, 1.0], 'revenue_share': [0.0, 0.5, 0.8, 0.9, 1.0]}
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    v = np.sort(v[np.isfinite(v) & (v > 0)])[::-1]
    if len(v) == 0:
        return pd.DataFrame({"customer_share": [0.0, 1.0], "revenue_share": [0.0, 0.0]})
    x = np.arange(len(v) + 1) / len(v)
    y = np.concatenate([[0.0], np.cumsum(v)]) / v.sum()
    grid = np.linspace(0, 1, points)
    return pd.DataFrame({"customer_share": grid, "revenue_share": np.interp(grid, x, y)})


def top_share(values: pd.Series | np.ndarray, top: float = 0.2) -> float:
    """Share of revenue of the top ``top`` share of customers (``ceil(top * n)`` customers).

    Customers with zero or missing revenue are left out.

    Examples
    --------
    >>> top_share(pd.Series([50.0, 30.0, 10.0, 10.0, 0.0]), 0.25)
    0.5
    """
    if not 0 < top <= 1:
        raise ValueError(f"top must be a share in (0, 1], not {top!r}")
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    v = np.sort(v[np.isfinite(v) & (v > 0)])[::-1]
    if len(v) == 0:
        return float("nan")
    k = max(1, math.ceil(top * len(v) - 1e-9))
    return float(v[:k].sum() / v.sum())


def transition_matrix(
    previous: pd.Series,
    current: pd.Series,
    *,
    order: Sequence[str] | None = None,
    new_label: str = NEW_CUSTOMER,
) -> pd.DataFrame:
    """Customers counted by previous-period segment (rows) and current segment (columns).

    Both series are indexed by customer id. Current customers absent from the previous
    period are counted in the row ``new_label``; previous customers absent now are ignored.

    Examples
    --------
    >>> prev = pd.Series({"a": "Loyal", "b": "Loyal", "c": "At risk"})
    >>> cur = pd.Series({"a": "Loyal", "b": "At risk", "c": "At risk", "d": "New"})
    >>> transition_matrix(prev, cur, order=["Loyal", "At risk", "New"]).to_dict("index")
    {'Loyal': {'Loyal': 1, 'At risk': 1, 'New': 0}, 'At risk': {'Loyal': 0, 'At risk': 1, 'New': 0}, '(not yet a customer)': {'Loyal': 0, 'At risk': 0, 'New': 1}}
    """
    if previous.index.has_duplicates or current.index.has_duplicates:
        raise ValueError("previous and current must be indexed by unique customer ids")
    before = previous.reindex(current.index).astype(object).fillna(new_label)
    codes_from = pd.Categorical(before.to_numpy())
    codes_to = pd.Categorical(current.astype(object).to_numpy())
    counts = (
        pd.Series(1, index=pd.MultiIndex.from_arrays([codes_from, codes_to]))
        .groupby(level=[0, 1], observed=True)
        .sum()
    )
    matrix = counts.unstack(fill_value=0)
    seen = [*pd.unique(before.to_numpy()), *pd.unique(current.to_numpy())]
    labels = list(order) if order is not None else []
    labels += [s for s in sorted(set(seen), key=str) if s not in labels and s != new_label]
    rows = [s for s in labels if s in set(before)] + (
        [new_label] if new_label in set(before) else []
    )
    cols = [s for s in labels if s in set(current)]
    matrix = matrix.reindex(index=rows, columns=cols, fill_value=0).astype("int64")
    matrix.index.name, matrix.columns.name = "previous", "current"
    return matrix


def top_movements(
    matrix: pd.DataFrame, n: int = 5, *, include_new: bool = False, new_label: str = NEW_CUSTOMER
) -> pd.DataFrame:
    """The largest off-diagonal cells of a transition matrix: ``from, to, customers``.

    Examples
    --------
    >>> m = pd.DataFrame([[5, 3], [1, 7]], index=["Loyal", "At risk"], columns=["Loyal", "At risk"])
    >>> top_movements(m, 1).to_dict("records")
    [{'from': 'Loyal', 'to': 'At risk', 'customers': 3}]
    """
    cells = matrix.stack().rename("customers").reset_index()
    cells.columns = ["from", "to", "customers"]
    moved = cells[(cells["from"] != cells["to"]) & (cells["customers"] > 0)]
    if not include_new:
        moved = moved[moved["from"] != new_label]
    moved = moved.sort_values(["customers", "from", "to"], ascending=[False, True, True])
    return moved.head(n).reset_index(drop=True)


def crm_export(segmentation: Segmentation | pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The CRM list: ``customer_id, segment, tier, lifecycle, suggested_action`` (no personal data).

    Examples
    --------
    >>> table = pd.DataFrame({"customer_id": ["a"], "rfm_segment": ["At risk"], "tier": ["B"],
    ...                       "lifecycle": ["sleeping"]})
    >>> crm_export(table).iloc[0]["suggested_action"]
    'Win-back campaign with a personal message and a strong offer'
    """
    table = segmentation.table if isinstance(segmentation, Segmentation) else segmentation
    actions = {name: _action(name, lang) for name in _ACTIONED}
    return pd.DataFrame(
        {
            "customer_id": table["customer_id"].to_numpy(),
            "segment": table["rfm_segment"].to_numpy(),
            "tier": table["tier"].to_numpy(),
            "lifecycle": table["lifecycle"].to_numpy(),
            "suggested_action": table["rfm_segment"].map(actions).fillna("").to_numpy(),
        }
    )


def migration(
    previous: Segmentation, current: Segmentation, by: str = "rfm_segment"
) -> pd.DataFrame:
    """Transition matrix of ``by`` (``rfm_segment``, ``tier``, ``lifecycle``) between two periods.

    Examples
    --------
    >>> m = migration(previous_segmentation, current_segmentation, "tier")  # doctest: +SKIP
    """
    order: list[str]
    if by == "rfm_segment":
        order = list(SEGMENT_ORDER)
    elif by == "tier":
        order = tier_order(current.settings.tiers)
    elif by == "lifecycle":
        order = list(LIFECYCLE_STAGES)
    else:
        order = []
    matrix = transition_matrix(
        previous.table.set_index("customer_id")[by],
        current.table.set_index("customer_id")[by],
        order=order,
    )
    matrix.attrs.update(
        previous=previous.period.label,
        current=current.period.label,
        what="tier" if by == "tier" else "segment",
    )
    return matrix


def previous_segmentation(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    cfg: ReportConfig,
    *,
    index: OrderIndex | None = None,
) -> Segmentation:
    """Segments of the period before ``period`` (no clusters), from the clean tables.

    The segments read only the purchase columns of the previous period's customer view;
    they are computed from the orders with :func:`custops.features.purchases.purchase_view` (the same
    values as :func:`custops.features.features.customer_features`, without its engine pass and its
    service, survey and touch joins), so ``view`` holds only :data:`PURCHASE_COLUMNS` and the
    segment columns. Orders with a missing customer id take the full customer view.
    ``index``: the :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built
    here when omitted), shared with the current period's :func:`segment_customers`.

    Examples
    --------
    >>> before = previous_segmentation(tables, "2025Q4", cfg)  # doctest: +SKIP
    >>> before.period.label  # doctest: +SKIP
    '2025Q3'
    """
    previous = Period.parse(period).previous()
    orders = tables["orders"]
    if orders["customer_id"].notna().all():
        index = order_index_of(orders, index)
        view = purchase_view(orders, tables.get("customers"), previous, index=index)
    else:
        from custops.features.features import customer_features

        view = customer_features(
            dict(tables),
            previous,
            inactivity_days=cfg.churn.inactivity_days,
            slow_response_hours=cfg.nps.slow_response_hours,
        )
    return segment_customers(view, orders, previous, cfg, clusters=False, index=index)


def _pct(value: float) -> str:
    """``12%``; shares below 10% keep one decimal (``0.4%``) so small bounds do not read as 0."""
    return f"{value:.0%}" if value == 0 or abs(value) >= 0.1 else f"{value:.1%}"


def _rate_text(rate: float, lo: float, hi: float) -> str:
    if pd.isna(rate):
        return "–"
    return f"{_pct(rate)} ({_pct(lo)}–{_pct(hi)})"


#: column titles of the display tables (catalog keys ``segments.segmentation.display.<key>``)
_DISPLAY_KEYS: tuple[str, ...] = (
    "customers",
    "share_customers",
    "revenue",
    "share_revenue",
    "share_revenue_total",
    "orders",
    "aov",
    "repurchase",
    "churn",
    "cluster",
    "name",
    "median_recency_days",
    "median_n_orders",
    "median_revenue_total",
    "median_avg_order_value",
    "median_tenure_days",
    "share_revenue_365d",
)
#: groupings with a column title (``segments.segmentation.group.<by>``)
_GROUP_KEYS: tuple[str, ...] = ("rfm_segment", "tier", "lifecycle", "cluster_name")


def _display_names(lang: str) -> dict[str, str]:
    """Column key -> title of the display tables in ``lang``."""
    return {key: t(f"display.{key}", lang) for key in _DISPLAY_KEYS}


#: share columns of the display tables (for ``nb.table(percent=...)``)
DISPLAY_PERCENT = tuple(
    sorted(
        {v for lang in LANGUAGES for k, v in _display_names(lang).items() if k.startswith("share")}
    )
)
#: money columns of the display tables (for ``nb.table(money=...)``)
DISPLAY_MONEY = tuple(
    sorted(
        {
            v
            for lang in LANGUAGES
            for k, v in _display_names(lang).items()
            if k in ("revenue", "median_revenue_total")
        }
    )
)


def tier_order(tiers: Mapping[str, float], lowest: str = "D") -> list[str]:
    """Tier labels from the highest minimum down, then ``lowest``.

    Examples
    --------
    >>> tier_order({"B": 6000, "A": 20000, "C": 1500})
    ['A', 'B', 'C', 'D']
    """
    return [*sorted(tiers, key=lambda k: -float(tiers[k])), lowest]


def display_contribution(
    contribution: pd.DataFrame, by: str = "rfm_segment", lang: str = "en"
) -> pd.DataFrame:
    """The contribution table for people: translated labels and rates with their 95% CI.

    Examples
    --------
    >>> c = pd.DataFrame({"tier": ["A"], "customers": [10], "share_customers": [0.1],
    ...     "revenue": [5.0], "share_revenue": [0.5], "share_revenue_total": [0.4], "orders": [3],
    ...     "aov": [1.7], "repurchase_rate": [0.5], "repurchase_low": [0.2], "repurchase_high": [0.8],
    ...     "churn_rate": [0.1], "churn_low": [0.02], "churn_high": [0.4]})
    >>> display_contribution(c, "tier").iloc[0]["churn rate (95% CI)"]
    '10% (2.0%–40%)'
    """
    names = _display_names(lang)
    title = t(f"group.{by}", lang) if by in _GROUP_KEYS else by
    out = pd.DataFrame({title: contribution[by].map(lambda v: label(str(v), lang))})
    for column in (
        "customers",
        "share_customers",
        "revenue",
        "share_revenue",
        "share_revenue_total",
        "orders",
        "aov",
    ):
        out[names[column]] = contribution[column].to_numpy()
    out[names["repurchase"]] = [
        _rate_text(r, lo, hi)
        for r, lo, hi in contribution[["repurchase_rate", "repurchase_low", "repurchase_high"]]
        .to_numpy()
        .tolist()
    ]
    out[names["churn"]] = [
        _rate_text(r, lo, hi)
        for r, lo, hi in contribution[["churn_rate", "churn_low", "churn_high"]].to_numpy().tolist()
    ]
    return out


def display_profile(profile: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The cluster profile for people (translated names and column titles).

    Examples
    --------
    >>> p = pd.DataFrame({"cluster": [0], "cluster_name": ["lapsed regular"], "customers": [5],
    ...                   "share_customers": [1.0]})
    >>> display_profile(p, "zh").columns.tolist()
    ['聚类', '名称', '客户数', '客户占比']
    """
    names = _display_names(lang)
    out = profile.drop(columns=[c for c in ("mean_revenue_365d",) if c in profile])
    out = out.assign(cluster_name=out["cluster_name"].map(lambda v: label(str(v), lang)))
    for column in ("median_recency_days", "median_n_orders", "median_tenure_days"):
        if column in out:
            out[column] = out[column].round().astype("int64")
    return out.rename(columns={**names, "cluster_name": names["name"]})


def headlines(
    segmentation: Segmentation, profile: pd.DataFrame | None = None, *, top: float = 0.2
) -> Headlines:
    """Headline numbers to glue: ``seg_top_share``, ``seg_n_champions``, ``seg_n_at_risk``,
    ``seg_n_cannot_lose``, ``seg_n_tier_a``, ``seg_n_reactivated``, ``seg_n_clusters``,
    ``seg_high_value_cluster_share`` and ``seg_high_value_cluster_revenue_share``.

    Examples
    --------
    >>> out = headlines(segmentation)  # doctest: +SKIP
    >>> sorted(out)[:2]  # doctest: +SKIP
    ['seg_high_value_cluster_revenue_share', 'seg_high_value_cluster_share']
    """
    table = segmentation.table
    tiers = segmentation.settings.tiers
    best_tier = max(tiers, key=lambda k: float(tiers[k]))

    def n(mask: pd.Series) -> int:
        return int(mask.sum())

    out = [
        Headline("seg_top_share", top_share(segmentation.view["revenue_365d"], top), "share"),
        Headline("seg_n_champions", n(table["rfm_segment"] == "Champions"), "count"),
        Headline("seg_n_at_risk", n(table["rfm_segment"] == "At risk"), "count"),
        Headline("seg_n_cannot_lose", n(table["rfm_segment"] == "Cannot lose them"), "count"),
        Headline("seg_n_tier_a", n(table["tier"] == best_tier), "count"),
        Headline("seg_n_reactivated", n(table["lifecycle"] == "reactivated"), "count"),
    ]
    if segmentation.clusters is not None:
        profile = cluster_profile(segmentation.view) if profile is None else profile
        best = high_value_cluster(profile)
        out += [
            Headline("seg_n_clusters", int(segmentation.clusters.k_), "count"),
            Headline("seg_high_value_cluster_share", float(best["share_customers"]), "share"),
            Headline("seg_high_value_cluster_revenue_share", float(best["share_revenue"]), "share"),
        ]
    return Headlines(out)


# --------------------------------------------------------------------------- sentences


def concentration_sentence(
    values: pd.Series | np.ndarray, top: float = 0.2, lang: str = "en"
) -> str:
    """ "The top X% of customers bring Y% of revenue" (and who brings half of it).

    Examples
    --------
    >>> concentration_sentence(pd.Series([50.0, 30.0, 10.0, 10.0]), 0.25)
    'Among the 4 customers who bought in the last 12 months, the **top 25% of customers bring 50.0% of revenue**, and half of the revenue comes from 25.0% of them.'
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce")
    v = v[v > 0].sort_values(ascending=False).to_numpy()
    cum = np.cumsum(v) / v.sum()
    half = (np.searchsorted(cum, 0.5 - 1e-12) + 1) / len(v)
    return t("concentration", lang, n=len(v), top=top, share=top_share(v, top), half=half)


def segment_findings(
    contribution: pd.DataFrame, lang: str = "en", *, by: str = "rfm_segment"
) -> str:
    """One Markdown bullet per segment: what it is, how big, what it is worth, what to do.

    Examples
    --------
    >>> c = pd.DataFrame({"rfm_segment": ["At risk"], "customers": [120], "share_customers": [0.1],
    ...     "share_revenue": [0.05], "churn_rate": [0.5], "churn_low": [0.41], "churn_high": [0.59],
    ...     "buyers": [120]})
    >>> print(segment_findings(c))  # doctest: +NORMALIZE_WHITESPACE
    - **At risk** (bought often and well, but long ago): 120 customers (10.0%), 5.0% of 12-month
      revenue; churned 50% (95% CI 41%–59%). *Do:* Win-back campaign with a personal message and a
      strong offer.
    """
    lines = []
    for row in contribution.itertuples(index=False):
        name = getattr(row, by)
        display = value_label(name, lang) if name in _DESCRIBED else name
        what = _description(name, lang)
        churn = ""
        if getattr(row, "buyers", 0) and not pd.isna(row.churn_rate):
            churn = t(
                "segment_churn",
                lang,
                rate=_pct(row.churn_rate),
                lo=_pct(row.churn_low),
                hi=_pct(row.churn_high),
            )
        action = _action(name, lang)
        lines.append(
            t(
                "segment_line",
                lang,
                name=display,
                what=what,
                n=int(row.customers),
                share=row.share_customers,
                rev_share=0.0 if pd.isna(row.share_revenue) else row.share_revenue,
                churn=churn,
                action=action.rstrip("."),
            )
        )
    return "\n".join(lines)


def cluster_findings(profile: pd.DataFrame, lang: str = "en", currency: str = "") -> str:
    """The sentence about the highest-spending cluster.

    Examples
    --------
    >>> p = pd.DataFrame({"cluster": [0, 1], "cluster_name": ["high-value loyal", "lapsed"],
    ...     "customers": [40, 960], "share_customers": [0.04, 0.96], "share_revenue": [0.43, 0.57],
    ...     "share_revenue_365d": [0.45, 0.55], "median_avg_order_value": [2100.0, 250.0]})
    >>> cluster_findings(p, currency="CNY")[:60]
    'The **high-value loyal** cluster is 4.0% of the customers wh'
    """
    from custops.report.notebook import fmt_money

    top = high_value_cluster(profile)
    overall = float(np.average(profile["median_avg_order_value"], weights=profile["customers"]))
    return t(
        "cluster_high",
        lang,
        name=label(str(top["cluster_name"]), lang),
        share=float(top["share_customers"]),
        rev=float(top["share_revenue"]),
        rev365=float(top.get("share_revenue_365d", np.nan)),
        aov=fmt_money(float(top["median_avg_order_value"]), currency),
        aov_all=fmt_money(overall, currency),
    )


def migration_sentences(
    matrix: pd.DataFrame,
    n: int = 5,
    lang: str = "en",
    *,
    what: str | None = None,
    previous: str | None = None,
    current: str | None = None,
    new_label: str = NEW_CUSTOMER,
) -> str:
    """Markdown: share who stayed, then "N customers moved from X to Y" for the top moves.

    ``what`` (``segment`` or ``tier``), ``previous`` and ``current`` default to the labels
    :func:`migration` stores on the matrix.

    Examples
    --------
    >>> m = pd.DataFrame([[5, 3], [1, 7]], index=["Loyal", "At risk"], columns=["Loyal", "At risk"])
    >>> print(migration_sentences(m, 1, previous="2025Q3", current="2025Q4"))
    75.0% of the customers who were already customers in 2025Q3 are in the same RFM segment in 2025Q4; 0 customers are new since 2025Q3.
    <BLANKLINE>
    - 3 customers moved from **Loyal** to **At risk**.
    """
    what = what or matrix.attrs.get("what", "segment")
    previous = previous if previous is not None else matrix.attrs.get("previous", "")
    current = current if current is not None else matrix.attrs.get("current", "")
    existing = matrix.drop(index=[new_label], errors="ignore")
    diag = sum(existing.at[s, s] for s in existing.index if s in existing.columns)
    total = int(existing.to_numpy().sum())
    new = int(matrix.loc[new_label].sum()) if new_label in matrix.index else 0
    head = t(
        "stay",
        lang,
        stay=diag / total if total else float("nan"),
        prev=previous,
        cur=current,
        what=t(f"what.{what}", lang),
        new=new,
    )
    moves = top_movements(matrix, n, new_label=new_label)
    lines = [
        t("move", lang, n=int(r.customers), src=label(r[0], lang), dst=label(r[1], lang))
        for r in moves.itertuples(index=False)
    ]
    return head + "\n\n" + "\n".join(lines)


# --------------------------------------------------------------------------- plots


def share_vs_revenue_table(
    contribution: pd.DataFrame, by: str = "rfm_segment", lang: str = "en"
) -> pd.DataFrame:
    """The table :func:`plot_share_vs_revenue` draws: per group (``label``, in the contribution's
    order) its share of customers, then its share of 12-month revenue (``measure``, ``share``).

    Examples
    --------
    >>> c = pd.DataFrame({"rfm_segment": ["Loyal", "Lost"], "share_customers": [0.2, 0.8],
    ...                   "share_revenue": [0.7, 0.3]})
    >>> share_vs_revenue_table(c, lang="zh").values.tolist()
    [['忠诚客户', '客户占比', 0.2], ['已流失', '客户占比', 0.8], ['忠诚客户', '销售额占比', 0.7], ['已流失', '销售额占比', 0.3]]
    """
    long = contribution.assign(label=contribution[by].map(lambda v: label(str(v), lang))).melt(
        id_vars="label",
        value_vars=["share_customers", "share_revenue"],
        var_name="measure",
        value_name="share",
    )
    long["measure"] = long["measure"].map(
        {
            "share_customers": t("col.share_customers", lang),
            "share_revenue": t("col.share_revenue", lang),
        }
    )
    return long


def plot_share_vs_revenue(
    table: pd.DataFrame, lang: str = "en", *, ax: Any = None, takeaway: str | None = None
) -> Any:  # -> Axes
    """Horizontal bars: share of customers next to share of 12-month revenue per group.

    ``table`` is :func:`share_vs_revenue_table`'s; ``takeaway`` (:func:`share_takeaway`) is
    recorded for the caption. Draws into ``ax`` (a new figure when omitted); returns the Axes.

    Examples
    --------
    >>> c = pd.DataFrame({"rfm_segment": ["Loyal", "Lost"], "share_customers": [0.2, 0.8],
    ...                   "share_revenue": [0.7, 0.3]})
    >>> ax = plot_share_vs_revenue(share_vs_revenue_table(c))
    >>> len(ax.figure.axes)
    1
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    own = ax is None
    if own:
        height = max(3.0, 0.42 * (len(table) // 2) + 1.2)
        _, ax = plt.subplots(figsize=(8, height))
    sns.barplot(
        data=table, y="label", x="share", hue="measure", orient="h", ax=ax, palette=PALETTE[:2]
    )
    ax.set_title(t("plot.share_title", lang))
    ax.set_xlabel("")
    ax.set_ylabel("")
    percent_axis(ax, "x")
    ax.legend(title="", loc="lower right")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def share_takeaway(contribution: pd.DataFrame, by: str = "rfm_segment", lang: str = "en") -> str:
    """One sentence: the group with the largest share of revenue, and its share of customers.

    Examples
    --------
    >>> c = pd.DataFrame({"rfm_segment": ["Champions", "Lost"], "share_customers": [0.12, 0.88],
    ...                   "share_revenue": [0.41, 0.59]})
    >>> share_takeaway(c.iloc[:1])
    'Champions carry 41% of 12-month revenue with 12% of customers.'
    """
    rows = contribution.dropna(subset=["share_revenue"])
    if rows.empty:
        return catalog.t("figure.no_data", lang)
    top = rows.loc[rows["share_revenue"].astype(float).idxmax()]
    return catalog.t(
        "figure.share_vs_revenue",
        lang,
        group=label(str(top[by]), lang),
        revenue=f"{float(top['share_revenue']):.0%}",
        customers=f"{float(top['share_customers']):.0%}",
    )


def pareto_takeaway(top: float, share: float, lang: str = "en") -> str:
    """One sentence: the share of revenue the top ``top`` of customers bring.

    Examples
    --------
    >>> pareto_takeaway(0.2, 0.61)
    'The top 20% of customers bring in 61% of 12-month revenue.'
    """
    return catalog.t("figure.pareto", lang, top=f"{top:.0%}", share=f"{share:.0%}")


def plot_pareto(
    curve: pd.DataFrame,
    top: float,
    share: float,
    lang: str = "en",
    *,
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:  # -> Axes
    """The Pareto curve (:func:`pareto_curve`) with the ``top`` point (``share``) marked.

    ``takeaway`` (:func:`pareto_takeaway`) is recorded for the caption. Draws into ``ax`` (a
    new figure when omitted); returns the Axes.

    Examples
    --------
    >>> ax = plot_pareto(pareto_curve(pd.Series([5.0, 3.0, 1.0, 1.0])), 0.25, 0.5)
    >>> bool(ax.get_xlim()[1] >= 1)
    True
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(6.5, 4.2))
    ax.plot(curve["customer_share"], curve["revenue_share"], color=PALETTE[0], lw=2)
    ax.plot([0, 1], [0, 1], color="#999999", lw=1, ls="--")
    ax.axvline(top, color=PALETTE[1], lw=1, ls=":")
    ax.scatter([top], [share], color=PALETTE[1], zorder=3)
    ax.annotate(
        f"{top:.0%} → {share:.0%}", (top, share), textcoords="offset points", xytext=(8, -14)
    )
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 1.02)
    ax.set_title(t("plot.pareto_title", lang))
    ax.set_xlabel(t("plot.pareto_x", lang))
    ax.set_ylabel(t("plot.pareto_y", lang))
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def transition_takeaway(matrix: pd.DataFrame, lang: str = "en", what: str | None = None) -> str:
    """One sentence on a transition matrix: the share of customers who kept their group, and
    the largest move between two different groups.

    Examples
    --------
    >>> m = pd.DataFrame([[5, 3], [1, 11]], index=["Loyal", "Lost"], columns=["Loyal", "Lost"])
    >>> transition_takeaway(m, what="segment")
    '80% of customers kept their RFM segment; the largest move was 3 customers from Loyal to Lost.'
    """
    what = what or matrix.attrs.get("what", "segment")
    name = t(f"what.{what}", lang)
    total = float(matrix.to_numpy().sum())
    if total <= 0:
        return catalog.t("figure.no_data", lang)
    same = sum(float(matrix.loc[k, k]) for k in matrix.index if k in matrix.columns)
    moves = matrix.stack()
    moves = moves[[a != b for a, b in moves.index]]
    moves = moves[moves > 0]
    if moves.empty:
        return catalog.t("figure.transition.none", lang, what=name)
    source, target = moves.idxmax()
    return catalog.t(
        "figure.transition",
        lang,
        stay=f"{same / total:.0%}",
        what=name,
        n=f"{int(moves.max()):,}",
        source=label(str(source), lang),
        target=label(str(target), lang),
    )


def transition_shares(matrix: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The colours of :func:`plot_transition`: each row of a transition matrix as shares of
    its total (0 for an empty row), rows and columns labelled in ``lang``.

    Examples
    --------
    >>> m = pd.DataFrame([[1, 3], [0, 0]], index=["Loyal", "At risk"], columns=["Loyal", "At risk"])
    >>> transition_shares(m, "zh").to_dict("index")
    {'忠诚客户': {'忠诚客户': 0.25, '流失风险': 0.75}, '流失风险': {'忠诚客户': 0.0, '流失风险': 0.0}}
    """
    shares = matrix.div(matrix.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    return shares.rename(index=lambda v: label(str(v), lang), columns=lambda v: label(str(v), lang))


def plot_transition(
    shares: pd.DataFrame,
    counts: pd.DataFrame,
    lang: str = "en",
    *,
    what: str | None = None,
    previous: str | None = None,
    current: str | None = None,
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:  # -> Axes
    """Heatmap of a transition matrix: colour = share of the row (:func:`transition_shares`),
    annotated with the ``counts`` (the matrix of :func:`migration`).

    Labels default to those :func:`migration` stores on ``counts``; ``takeaway``
    (:func:`transition_takeaway`) is recorded for the caption. Draws into ``ax`` (a new
    figure when omitted); returns the Axes.

    Examples
    --------
    >>> m = pd.DataFrame([[5, 3], [1, 7]], index=["Loyal", "At risk"], columns=["Loyal", "At risk"])
    >>> plot_transition(transition_shares(m), m).get_ylabel()
    'previous period'
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import set_takeaway

    what = what or counts.attrs.get("what", "segment")
    previous = previous if previous is not None else counts.attrs.get("previous", "")
    current = current if current is not None else counts.attrs.get("current", "")
    own = ax is None
    if own:
        size = (max(6.0, 0.62 * counts.shape[1] + 2.5), max(3.5, 0.45 * counts.shape[0] + 1.8))
        _, ax = plt.subplots(figsize=size)
    with warnings.catch_warnings():  # seaborn calls a soon-deprecated matplotlib method
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(
            shares,
            annot=counts.to_numpy(),
            fmt=",d",
            cmap="Blues",
            vmin=0,
            vmax=1,
            cbar=False,
            linewidths=0.5,
            annot_kws={"fontsize": 8},
            ax=ax,
        )
    ax.set_title(
        t("plot.transition_title", lang, what=t(f"what.{what}", lang), prev=previous, cur=current)
    )
    ax.set_ylabel(t("plot.from", lang))
    ax.set_xlabel(t("plot.to", lang))
    ax.tick_params(axis="x", rotation=40)
    plt.setp(ax.get_xticklabels(), ha="right")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def silhouette_takeaway(silhouette: pd.DataFrame, chosen: int, lang: str = "en") -> str | None:
    """One sentence: the chosen number of clusters and its silhouette (``None`` when the
    table has no row for ``chosen``).

    Examples
    --------
    >>> silhouette_takeaway(pd.DataFrame({"k": [3, 4], "silhouette": [0.25, 0.31]}), 4)
    '4 clusters separate the customers best (silhouette 0.31).'
    """
    best = silhouette.loc[silhouette["k"] == chosen, "silhouette"]
    if best.empty:
        return None
    return catalog.t("figure.silhouette", lang, k=int(chosen), score=float(best.iloc[0]))


def plot_silhouette(
    silhouette: pd.DataFrame,
    chosen: int,
    lang: str = "en",
    *,
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:  # -> Axes
    """Silhouette by ``k`` with the chosen ``k`` marked.

    ``takeaway`` (:func:`silhouette_takeaway`) is recorded for the caption. Draws into ``ax``
    (a new figure when omitted); returns the Axes.

    Examples
    --------
    >>> s = pd.DataFrame({"k": [3, 4], "silhouette": [0.25, 0.31]})
    >>> plot_silhouette(s, 4).get_title()
    'Silhouette by number of clusters'
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(5.5, 3.2))
    ax.plot(silhouette["k"], silhouette["silhouette"], marker="o", color=PALETTE[0])
    best = silhouette.loc[silhouette["k"] == chosen, "silhouette"]
    ax.scatter([chosen], best, s=120, facecolors="none", edgecolors=PALETTE[1], lw=2, zorder=3)
    ax.set_xticks(silhouette["k"].tolist())
    ax.set_xlabel("k")
    ax.set_ylabel("silhouette")
    ax.set_title(t("plot.silhouette_title", lang))
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


#: the measures of the cluster levels with a title (``segments.segmentation.level.<column>``)
_LEVEL_KEYS: tuple[str, ...] = (
    "recency_days",
    "n_orders",
    "revenue_total",
    "avg_order_value",
    "tenure_days",
)


def _level_title(column: object, lang: str) -> str:
    """Column title of a cluster level (may hold a line break); other columns as they are."""
    return t(f"level.{column}", lang) if column in _LEVEL_KEYS else column


def cluster_levels_table(
    levels: pd.DataFrame, names: Mapping[int, str], lang: str = "en"
) -> pd.DataFrame:
    """The table :func:`plot_cluster_levels` draws: the cluster centres with rows named
    ``"<cluster>: <name>"`` and columns titled in ``lang``.

    Examples
    --------
    >>> lv = pd.DataFrame({"recency_days": [-0.5, 1.2], "avg_order_value": [2.5, -0.1]})
    >>> cluster_levels_table(lv, {0: "high-value loyal", 1: "lapsed"}, "zh").index.tolist()
    ['0: 高价值忠诚', '1: 已流失']
    """
    return levels.rename(
        index=lambda c: f"{c}: {label(names[int(c)], lang)}",
        columns=lambda c: _level_title(c, lang),
    )


def plot_cluster_levels(
    table: pd.DataFrame, lang: str = "en", *, ax: Any = None, takeaway: str | None = None
) -> Any:  # -> Axes
    """Heatmap of cluster centres in standard deviations (:func:`cluster_levels_table`).

    ``takeaway`` (:func:`levels_takeaway`) is recorded for the caption. Draws into ``ax`` (a
    new figure when omitted); returns the Axes.

    Examples
    --------
    >>> lv = pd.DataFrame({"recency_days": [-0.5, 1.2], "avg_order_value": [2.5, -0.1]})
    >>> ax = plot_cluster_levels(cluster_levels_table(lv, {0: "high-value loyal", 1: "lapsed"}))
    >>> ax.get_title()
    'Cluster centres (standard deviations from the average customer)'
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(7.5, max(2.8, 0.5 * len(table) + 1.5)))
    with warnings.catch_warnings():  # seaborn calls a soon-deprecated matplotlib method
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(
            table,
            annot=True,
            fmt=".1f",
            cmap="RdBu_r",
            center=0,
            vmin=-2.5,
            vmax=2.5,
            cbar=False,
            ax=ax,
        )
    ax.set_title(t("plot.levels_title", lang))
    ax.set_ylabel("")
    ax.set_xlabel("")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def levels_takeaway(levels: pd.DataFrame, names: Mapping[int, str], lang: str = "en") -> str:
    """One sentence: the cluster centre furthest from the average customer, and on which measure.

    Examples
    --------
    >>> lv = pd.DataFrame({"recency_days": [-0.5, 1.2], "avg_order_value": [2.5, -0.1]})
    >>> levels_takeaway(lv, {0: "high-value loyal", 1: "lapsed"})
    'The cluster furthest from the average customer is high-value loyal: average order +2.5 standard deviations.'
    """
    values = levels.astype(float)
    if values.empty or not np.isfinite(values.to_numpy()).any():
        return catalog.t("figure.no_data", lang)
    stacked = values.stack().dropna()
    row, column = stacked.abs().idxmax()
    measure = str(_level_title(column, lang)).replace("\n", " ")  # no line break in a sentence
    return catalog.t(
        "figure.cluster_levels",
        lang,
        name=label(names[int(row)], lang),
        measure=measure,
        sd=float(stacked[(row, column)]),
    )
