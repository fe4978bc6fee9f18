"""Last quarter's forecasts, scored: the previous report's predictions against what happened.

Every report publishes churn probabilities (``churn_prob_<h>d``), BTYD expected purchases
(``expected_purchases_<h>d``, ``clv_btyd``) and a retention priority list. The next report
reads them from the archive (``build/<previous>/artifacts/churn_scores.parquet`` and
``retention_priority.csv``, the published copies of the previous run) and compares them with
this period's clean orders, for the same customers, over the same horizon ``h`` counted from
the previous period's end ``E``:

* **churn** (inactivity window ``W``): a customer active at ``E`` churned within the horizon
  when, from the last purchase on or before ``E`` on, some purchase is followed by more than
  ``W`` days without one, and that gap started early enough to end before ``E + h``
  (the churn date is that purchase + ``W``, as in :mod:`custops.features.features`).
  Calibration by decile of the predicted probability (actual rate with its Wilson 95%
  interval), the Brier score (beside the Brier score of a constant forecast of the observed
  rate) and the AUC (Mann–Whitney, ties counted half);
* **purchases**: expected purchase days in ``(E, E + h]`` against the distinct purchase days
  the customer actually had (the BTYD counting unit, :mod:`custops.survival.btyd.summary`),
  total and by decile of the prediction;
* **revenue**: the predicted revenue of the horizon is the expected purchase days times the
  customer's mean revenue per purchase day up to ``E``; against the actual revenue, total and
  by decile of ``clv_btyd`` (the ranking check);
* **the priority list**: how many of the top ``N`` were retained (not churned in the horizon),
  beside the retention the list predicted for them;
* **the outreach** (:func:`outreach_uplift`): retention of the customers the list assigned to be
  contacted against the seeded random ``holdout`` ("do not contact") — intention to treat, the
  causal comparison — and, where touches of the retention campaign show who was actually
  contacted, as treated (contacted vs not), which is not randomised and so not causal.

When the observation end is before ``E + h`` the check is labelled partial: churn and
purchases are counted up to the observation end only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _stats

from custops.core.config import Period
from custops.core.results import Headline, Headlines, Result
from custops.core.stats import (
    Z95,
    TwoProportions,
    calibration_ici,
    delong,
    top_decile_lift,
    two_proportion_test,
    wilson_ci,
)
from custops.report.text import t

__all__ = [
    "HISTORY_COLUMNS",
    "PreviousReport",
    "ForecastCheck",
    "Uplift",
    "actual_outcomes",
    "brier_score",
    "auc_score",
    "deciles",
    "calibration_table",
    "baseline_comparison",
    "outreach_uplift",
    "score_forecasts",
    "forecast_text",
    "calibration_display",
    "baseline_text",
    "baselines_display",
    "purchases_display",
    "uplift_display",
    "forecast_headlines",
    "history_rows",
    "collect_history",
    "history_table",
    "calibration_scale",
    "plot_calibration",
]

#: columns of ``forecast_checks.csv`` (one row per period, model and metric)
HISTORY_COLUMNS = ("period", "previous", "model", "metric", "value", "low", "high", "n", "partial")


# --------------------------------------------------------------------------- inputs


@dataclass
class PreviousReport:
    """The archived artifacts of the period before: the scores and the priority list."""

    period: Period
    folder: Path
    scores: pd.DataFrame | None = None
    priority: pd.DataFrame | None = None

    @property
    def horizon_days(self) -> int | None:
        """``h`` of the ``churn_prob_<h>d`` column (None without scores)."""
        for column in self.scores.columns if self.scores is not None else []:
            if column.startswith("churn_prob_") and column.endswith("d"):
                return int(column[len("churn_prob_") : -1])
        return None


def actual_outcomes(
    orders: pd.DataFrame,
    customers: pd.Series | list[str],
    *,
    start: date,
    horizon_days: int,
    inactivity_days: int,
    observed_until: date,
) -> pd.DataFrame:
    """What each customer did in ``(start, start + horizon]`` (cut at ``observed_until``).

    Returns one row per customer (index ``customer_id``): ``churned`` (bool; NaN for a
    customer without any purchase up to ``start``), ``purchases`` (distinct purchase days),
    ``revenue`` and ``spend_per_day`` (mean revenue per purchase day up to ``start``), and what
    was known at ``start`` for the naive baselines: ``recency_days`` (days from the last
    purchase day to ``start``) and ``purchase_days_365`` (distinct purchase days in the 365
    days up to ``start``).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 8.0],
    ...     "order_date": pd.to_datetime(["2025-05-01", "2025-10-02", "2025-06-15"])})
    >>> out = actual_outcomes(o, ["a", "b"], start=date(2025, 9, 30), horizon_days=90,
    ...     inactivity_days=180, observed_until=date(2025, 12, 31))
    >>> out["churned"].tolist(), out["purchases"].tolist()
    ([False, True], [1, 0])
    >>> out["recency_days"].tolist(), out["purchase_days_365"].tolist()
    ([152, 107], [1, 1])
    """
    ids = pd.Index(pd.Series(customers, dtype=str).unique(), name="customer_id")
    end = min(pd.Timestamp(start) + pd.Timedelta(days=horizon_days), pd.Timestamp(observed_until))
    start_ts = pd.Timestamp(start)
    day = pd.to_datetime(orders["order_date"]).dt.normalize()
    frame = pd.DataFrame(
        {
            "customer_id": orders["customer_id"].astype(str).to_numpy(),
            "day": day.to_numpy(),
            "amount": orders["amount"].to_numpy(dtype=float),
        }
    )
    frame = frame[frame["customer_id"].isin(ids) & (frame["day"] <= end)]
    before = frame[frame["day"] <= start_ts]
    after = frame[frame["day"] > start_ts]
    out = pd.DataFrame(index=ids)
    out["purchases"] = after.groupby("customer_id")["day"].nunique().reindex(ids, fill_value=0)
    out["revenue"] = after.groupby("customer_id")["amount"].sum().reindex(ids, fill_value=0.0)
    spend = (
        before.groupby("customer_id")["amount"].sum()
        / before.groupby("customer_id")["day"].nunique()
    )
    out["spend_per_day"] = spend.reindex(ids)
    out["recency_days"] = (start_ts - before.groupby("customer_id")["day"].max()).dt.days.reindex(
        ids
    )
    recent = before[before["day"] > start_ts - pd.Timedelta(days=365)]
    out["purchase_days_365"] = (
        recent.groupby("customer_id")["day"].nunique().reindex(ids, fill_value=0).astype(int)
    )
    days = frame[["customer_id", "day"]].drop_duplicates().sort_values(["customer_id", "day"])
    last_before = before.groupby("customer_id")["day"].max()
    days = days[days["day"] >= days["customer_id"].map(last_before)]
    nxt = days.groupby("customer_id")["day"].shift(-1).fillna(end)
    gap = (nxt - days["day"]).dt.days > inactivity_days
    churned = gap.groupby(days["customer_id"]).any()
    out["churned"] = churned.reindex(ids).astype(object)
    out["purchases"] = out["purchases"].astype(int)
    return out


# --------------------------------------------------------------------------- scores


def brier_score(predicted: Any, actual: Any) -> float:
    """Mean squared difference between a probability and the 0/1 outcome.

    Examples
    --------
    >>> brier_score([0.2, 0.9], [0, 1])
    0.025
    """
    p, y = np.asarray(predicted, dtype=float), np.asarray(actual, dtype=float)
    return float(np.mean((p - y) ** 2)) if len(p) else float("nan")


def auc_score(predicted: Any, actual: Any) -> float:
    """Area under the ROC curve (Mann–Whitney U / (n1 n0), ties counted half).

    NaN when either class is absent.

    Examples
    --------
    >>> auc_score([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    0.75
    """
    p, y = np.asarray(predicted, dtype=float), np.asarray(actual, dtype=bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if not n1 or not n0:
        return float("nan")
    ranks = _stats.rankdata(p)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def deciles(values: Any, ids: Any, bins: int = 10) -> np.ndarray:
    """Decile 1 (lowest) .. ``bins`` of ``values``: sorted by value then id, split as evenly as possible.

    Examples
    --------
    >>> deciles([0.5, 0.1, 0.3, 0.9], ["a", "b", "c", "d"], bins=2).tolist()
    [2, 1, 1, 2]
    """
    v = np.asarray(values, dtype=float)
    order = np.lexsort((np.asarray(ids, dtype=str), v))
    out = np.empty(len(v), dtype=int)
    for k, chunk in enumerate(np.array_split(order, min(bins, max(len(v), 1))), start=1):
        out[chunk] = k
    return out


def calibration_table(
    predicted: Any, actual: Any, ids: Any, *, bins: int = 10, value: str = "predicted"
) -> pd.DataFrame:
    """Mean prediction and actual rate per decile, with the Wilson 95% interval of the rate.

    Examples
    --------
    >>> calibration_table([0.1, 0.2, 0.7, 0.9], [0, 0, 1, 0], list("abcd"), bins=2)[
    ...     ["predicted", "actual"]].round(2).values.tolist()
    [[0.15, 0.0], [0.8, 0.5]]
    """
    frame = pd.DataFrame(
        {
            "decile": deciles(predicted, ids, bins),
            value: np.asarray(predicted, dtype=float),
            "y": np.asarray(actual, dtype=float),
        }
    )
    g = frame.groupby("decile")
    out = pd.DataFrame({"n": g.size(), value: g[value].mean(), "events": g["y"].sum().astype(int)})
    out["actual"] = out["events"] / out["n"]
    out["low"], out["high"] = wilson_ci(out["events"], out["n"])
    return out.reset_index()


def baseline_comparison(
    actual: Any,
    risks: dict[str, Any],
    probabilities: dict[str, Any] | None = None,
    *,
    reference: str = "recency",
) -> pd.DataFrame:
    """Each score of the back-test against the naive baselines, on the same customers.

    Parameters
    ----------
    actual : array of bool
        The outcome (churned within the horizon).
    risks : dict
        Score name -> values, higher = more likely to churn (a churn probability,
        ``1 - P(alive)``, the days since the last purchase, minus the purchase days).
    probabilities : dict, optional
        Score name -> the score as a probability of the outcome; those rows get the Brier
        score and the integrated calibration index (:func:`custops.core.stats.calibration_ici`).
    reference : str
        The baseline every other row is compared with (recency alone by default).

    Returns
    -------
    DataFrame
        One row per score: ``score, n, auc, auc_low, auc_high`` (DeLong 95% CI),
        ``lift, lift_low, lift_high`` (top-decile lift, Wilson), ``brier, ici`` (NaN for a
        score that is not a probability), ``auc_diff, diff_low, diff_high`` (the row's AUC
        minus the reference's, DeLong's paired 95% CI; 0 on the reference's own row) and
        ``verdict``: ``better`` / ``worse`` when the difference's interval excludes 0,
        ``no_better`` otherwise, ``reference`` on its own row.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0] * 3, dtype=bool)
    >>> t = baseline_comparison(y, {"cox": np.where(y, 0.8, 0.2), "recency": np.arange(30.0)})
    >>> t[["score", "auc", "verdict"]].round(2).values.tolist()
    [['cox', 1.0, 'better'], ['recency', 0.37, 'reference']]
    """
    y = np.asarray(actual, dtype=bool)
    probabilities = probabilities or {}
    names = [name for name in risks if name]
    if not len(y) or y.all() or not y.any():
        return pd.DataFrame()
    auc, cov = delong(y, {name: np.asarray(risks[name], dtype=float) for name in names})
    rows = []
    for name in names:
        se = float(np.sqrt(max(cov.loc[name, name], 0.0)))
        lift, lift_low, lift_high = top_decile_lift(y, risks[name])
        if reference in names and name != reference:
            diff = float(auc[name] - auc[reference])
            var = cov.loc[name, name] + cov.loc[reference, reference] - 2 * cov.loc[name, reference]
            half = Z95 * float(np.sqrt(max(var, 0.0)))
            low, high = diff - half, diff + half
            verdict = "better" if low > 0 else "worse" if high < 0 else "no_better"
        else:
            diff = low = high = float("nan")
            verdict = "reference" if name == reference else ""
        prob = probabilities.get(name)
        rows.append(
            {
                "score": name,
                "n": len(y),
                "auc": float(auc[name]),
                "auc_low": float(auc[name]) - Z95 * se,
                "auc_high": float(auc[name]) + Z95 * se,
                "lift": lift,
                "lift_low": lift_low,
                "lift_high": lift_high,
                "brier": brier_score(prob, y) if prob is not None else float("nan"),
                "ici": calibration_ici(prob, y) if prob is not None else float("nan"),
                "auc_diff": diff,
                "diff_low": low,
                "diff_high": high,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Uplift:
    """Retention of the contacted against the held-out part of last quarter's list."""

    itt: TwoProportions | None = None
    n_contact: int = 0
    n_holdout: int = 0
    retained_contact: int = 0
    retained_holdout: int = 0
    as_treated: TwoProportions | None = None
    n_touched: int = 0
    n_untouched: int = 0
    touched_among_contact: int = 0
    touched_among_holdout: int = 0
    retained_touched: int = 0
    retained_untouched: int = 0
    reason: str = ""  # why there is no comparison ("no_holdout", "no_list")


def outreach_uplift(
    priority: pd.DataFrame | None,
    outcomes: pd.DataFrame,
    *,
    touches: pd.DataFrame | None = None,
    campaign: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Uplift:
    """Retention (not churned in the horizon) of list customers: contact vs holdout.

    Only customers of the previous list whose outcome is known count. Intention to treat
    compares the random assignment (``holdout`` False vs True): it is causal. As treated
    (with ``touches`` and ``campaign``: a touch whose campaign contains the text, sent in
    ``(start, end]``) compares who was reached with who was not: who is reached is not
    random (reachable customers differ), so it is descriptive only.

    Examples
    --------
    >>> pri = pd.DataFrame({"customer": list("abcd"), "holdout": [False, False, True, True]})
    >>> out = pd.DataFrame({"churned": [False, False, True, False]}, index=list("abcd"))
    >>> u = outreach_uplift(pri, out)
    >>> u.itt.p1, u.itt.p2
    (1.0, 0.5)
    """
    if priority is None or priority.empty:
        return Uplift(reason="no_list")
    if "holdout" not in priority or not priority["holdout"].any():
        return Uplift(reason="no_holdout")
    frame = pd.DataFrame(
        {"holdout": priority["holdout"].astype(bool).to_numpy()},
        index=priority["customer"].astype(str).to_numpy(),
    )
    churned = outcomes["churned"].reindex(frame.index)
    frame = frame[churned.notna()]
    frame["retained"] = ~churned[churned.notna()].astype(bool)
    hold, contact = frame[frame["holdout"]], frame[~frame["holdout"]]
    out = Uplift(
        n_contact=len(contact),
        n_holdout=len(hold),
        retained_contact=int(contact["retained"].sum()),
        retained_holdout=int(hold["retained"].sum()),
    )
    out.itt = two_proportion_test(
        out.retained_contact, out.n_contact, out.retained_holdout, out.n_holdout
    )
    if touches is not None and campaign and "campaign" in touches and len(touches):
        sent = pd.to_datetime(touches["sent_at"])
        keep = touches["campaign"].astype(str).str.contains(campaign, regex=False)
        if start is not None:
            keep &= sent > pd.Timestamp(start)
        if end is not None:
            keep &= sent <= pd.Timestamp(end) + pd.Timedelta(days=1)
        reached = set(touches.loc[keep, "customer_id"].astype(str))
        if reached:
            frame["touched"] = frame.index.isin(reached)
            tt, tu = frame[frame["touched"]], frame[~frame["touched"]]
            out.n_touched, out.n_untouched = len(tt), len(tu)
            out.retained_touched = int(tt["retained"].sum())
            out.retained_untouched = int(tu["retained"].sum())
            out.touched_among_contact = int(frame.loc[~frame["holdout"], "touched"].sum())
            out.touched_among_holdout = int(frame.loc[frame["holdout"], "touched"].sum())
            out.as_treated = two_proportion_test(
                out.retained_touched, out.n_touched, out.retained_untouched, out.n_untouched
            )
    return out


@dataclass
class ForecastCheck(Result):
    """The previous report's forecasts against this period's actuals (see the module docs)."""

    current: Period
    previous: Period | None = None
    horizon_days: int | None = None
    inactivity_days: int | None = None
    observed_until: date | None = None
    partial: bool = False
    n: int = 0
    churned: int = 0
    predicted_churn: float = float("nan")
    brier: float = float("nan")
    brier_constant: float = float("nan")
    auc: float = float("nan")
    calibration: pd.DataFrame | None = None
    ici: float = float("nan")
    baselines: pd.DataFrame | None = None  # :func:`baseline_comparison` on the scored customers
    purchases: pd.DataFrame | None = None  # by decile of expected purchases
    revenue: pd.DataFrame | None = None  # by decile of clv_btyd
    totals: dict[str, float] = field(default_factory=dict)
    top_n: int = 0
    top_retained: int = 0
    top_predicted_retention: float = float("nan")
    uplift: Uplift = field(default_factory=Uplift)
    customers: pd.DataFrame | None = None  # one row per scored customer: prediction, outcome
    reason: str = ""  # "no_previous", "no_scores"

    @property
    def available(self) -> bool:
        """Whether there was a previous report with churn scores to check."""
        return not self.reason

    @property
    def summary(self) -> pd.DataFrame:
        """The ``forecast_checks.csv`` rows of this period (see :func:`history_rows`)."""
        return history_rows(self)

    def headlines(self) -> Headlines:
        """Brier, AUC, retained share of the top list, uplift (:func:`forecast_headlines`)."""
        return forecast_headlines(self)


def _baselines(scored: pd.DataFrame, prob_col: str) -> pd.DataFrame:
    """The Cox probability and BTYD P(alive) against recency and frequency alone.

    All scores on the same customers: the BTYD row is left out unless every scored customer
    has a P(alive), and the table is empty when one lacks a purchase before the start.
    """
    risks: dict[str, Any] = {"cox": scored[prob_col].to_numpy(dtype=float)}
    probabilities: dict[str, Any] = {"cox": risks["cox"]}
    if "p_alive" in scored and scored["p_alive"].notna().all():
        dead = 1.0 - scored["p_alive"].to_numpy(dtype=float)
        risks["btyd"], probabilities["btyd"] = dead, dead
    if scored["recency_days"].isna().any():
        return pd.DataFrame()
    risks["recency"] = scored["recency_days"].to_numpy(dtype=float)
    risks["frequency"] = -scored["purchase_days_365"].to_numpy(dtype=float)
    return baseline_comparison(scored["churned"].to_numpy(dtype=bool), risks, probabilities)


def score_forecasts(
    previous: PreviousReport | None,
    orders: pd.DataFrame | None,
    period: Period | str,
    *,
    inactivity_days: int,
    observation_end: date | None = None,
    top_n: int = 50,
    touches: pd.DataFrame | None = None,
    retention_campaign: str | None = None,
    bins: int = 10,
) -> ForecastCheck:
    """Score the previous report's churn, purchase and revenue forecasts and its list.

    Parameters
    ----------
    previous : PreviousReport or None
        :func:`custops.chapters.review.read_previous`; None gives a check with ``reason="no_previous"``.
    orders : DataFrame
        This period's clean orders (``customer_id, order_date, amount``; the whole history).
    period : Period or str
        This period.
    inactivity_days : int
        The churn window ``W`` (``churn.inactivity_days``).
    observation_end : date, optional
        Last day with data (notebook 01's observation end); the period end by default.
    top_n : int
        The head of the priority list whose retention is reported.
    touches, retention_campaign
        For the as-treated comparison (:func:`outreach_uplift`).

    Examples
    --------
    >>> check = score_forecasts(None, pd.DataFrame(), "2025Q4", inactivity_days=180)
    >>> check.available, check.reason
    (False, 'no_previous')
    """
    current = Period.parse(period)
    out = ForecastCheck(current=current, inactivity_days=inactivity_days)
    if previous is None:
        out.reason = "no_previous"
        return out
    out.previous = previous.period
    if orders is None or "customer_id" not in orders:
        out.reason = "no_orders"
        return out
    h = previous.horizon_days
    if previous.scores is None or h is None:
        out.reason = "no_scores"
        return out
    out.horizon_days = h
    start = previous.period.end
    observed = observation_end or current.end
    out.observed_until = min(observed, start + timedelta(days=h))
    out.partial = observed < start + timedelta(days=h)
    prob_col = f"churn_prob_{h}d"
    scores = previous.scores
    scored = scores[(scores["event"] == 0) & scores[prob_col].notna()].copy()
    outcomes = actual_outcomes(
        orders,
        scores["customer_id"],
        start=start,
        horizon_days=h,
        inactivity_days=inactivity_days,
        observed_until=observed,
    )
    scored = scored.join(outcomes, on="customer_id")
    scored = scored[scored["churned"].notna()].copy()
    scored["churned"] = scored["churned"].astype(bool)
    y, p, ids = scored["churned"].to_numpy(), scored[prob_col].to_numpy(), scored["customer_id"]
    out.n, out.churned = len(scored), int(y.sum())
    if out.n:
        out.predicted_churn = float(p.mean())
        out.brier = brier_score(p, y)
        out.brier_constant = brier_score(np.full(out.n, y.mean()), y)
        out.auc = auc_score(p, y)
        out.ici = calibration_ici(p, y)
        out.calibration = calibration_table(p, y, ids, bins=bins)
        out.baselines = _baselines(scored, prob_col)
    purchases_col = f"expected_purchases_{h}d"
    if purchases_col in scored and scored[purchases_col].notna().any():
        b = scored[scored[purchases_col].notna()].copy()
        b["predicted_revenue"] = b[purchases_col] * b["spend_per_day"].fillna(0.0)
        b["decile"] = deciles(b[purchases_col], b["customer_id"], bins)
        g = b.groupby("decile")
        out.purchases = pd.DataFrame(
            {
                "n": g.size(),
                "expected": g[purchases_col].sum(),
                "actual": g["purchases"].sum(),
                "predicted_revenue": g["predicted_revenue"].sum(),
                "revenue": g["revenue"].sum(),
            }
        ).reset_index()
        out.totals = {
            "customers": float(len(b)),
            "expected_purchases": float(b[purchases_col].sum()),
            "actual_purchases": float(b["purchases"].sum()),
            "predicted_revenue": float(b["predicted_revenue"].sum()),
            "actual_revenue": float(b["revenue"].sum()),
        }
        if "clv_btyd" in b and b["clv_btyd"].notna().any():
            v = b[b["clv_btyd"].notna()].copy()
            v["decile"] = deciles(v["clv_btyd"], v["customer_id"], bins)
            g = v.groupby("decile")
            out.revenue = pd.DataFrame(
                {
                    "n": g.size(),
                    "clv_btyd": g["clv_btyd"].mean(),
                    "predicted_revenue": g["predicted_revenue"].sum(),
                    "revenue": g["revenue"].sum(),
                }
            ).reset_index()
    pri = previous.priority
    if pri is not None and len(pri):
        head = pri.sort_values("rank").head(top_n)
        known = outcomes["churned"].reindex(head["customer"].astype(str))
        known = known[known.notna()].astype(bool)
        out.top_n = len(known)
        out.top_retained = int((~known).sum())
        if prob_col in head:
            prob = head.set_index(head["customer"].astype(str))[prob_col].reindex(known.index)
            out.top_predicted_retention = float(1 - prob.mean())
    out.uplift = outreach_uplift(
        pri,
        outcomes,
        touches=touches,
        campaign=retention_campaign,
        start=start,
        end=out.observed_until,
    )
    out.customers = scored
    return out


# --------------------------------------------------------------------------- words


def _pct(value: float, decimals: int = 1) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.{decimals}%}"


def _pp(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value * 100:+.1f}"


def forecast_text(check: ForecastCheck, lang: str = "en", *, config: str = "FILE") -> str:
    """The section's findings in words (one sentence without a previous report).

    Examples
    --------
    >>> print(forecast_text(score_forecasts(None, pd.DataFrame(), "2025Q4", inactivity_days=180)))
    ... # doctest: +ELLIPSIS
    There is no earlier report to score: 2025Q3 has not been built ...
    """
    if check.reason:
        return t(
            f"forecast.{check.reason}",
            lang,
            previous=check.previous.label if check.previous else check.current.previous().label,
            config=config,
        )
    parts = []
    if check.partial:
        parts.append(
            t(
                "forecast.partial",
                lang,
                until=check.observed_until.isoformat(),
                due=(check.previous.end + timedelta(days=check.horizon_days)).isoformat(),
            )
        )
    parts.append(
        t(
            "forecast.churn",
            lang,
            previous=check.previous.label,
            n=f"{check.n:,}",
            h=check.horizon_days,
            predicted=_pct(check.predicted_churn),
            actual=_pct(check.churned / check.n if check.n else float("nan")),
            brier=f"{check.brier:.3f}",
            brier0=f"{check.brier_constant:.3f}",
            auc=f"{check.auc:.2f}" if math.isfinite(check.auc) else "–",
        )
    )
    parts.append(baseline_text(check, lang))
    if check.totals:
        tot = check.totals
        parts.append(
            t(
                "forecast.purchases",
                lang,
                expected=f"{tot['expected_purchases']:,.0f}",
                actual=f"{tot['actual_purchases']:,.0f}",
                error=_pct(
                    tot["expected_purchases"] / tot["actual_purchases"] - 1
                    if tot["actual_purchases"]
                    else float("nan")
                ),
                rev_pred=f"{tot['predicted_revenue']:,.0f}",
                rev=f"{tot['actual_revenue']:,.0f}",
            )
        )
    if check.top_n:
        parts.append(
            t(
                "forecast.top",
                lang,
                n=check.top_n,
                retained=check.top_retained,
                rate=_pct(check.top_retained / check.top_n),
                predicted=_pct(check.top_predicted_retention),
            )
        )
    parts.append(uplift_text(check.uplift, lang))
    return "\n\n".join(p for p in parts if p)


def baseline_text(check: ForecastCheck, lang: str = "en") -> str:
    """Do the churn probability and P(alive) rank churners better than recency alone?

    One sentence per model score from ``check.baselines`` (empty without them).
    """
    b = check.baselines
    if b is None or b.empty or "recency" not in set(b["score"]):
        return ""
    rows = b.set_index("score")
    rec, freq = rows.loc["recency"], rows.loc["frequency"] if "frequency" in rows.index else None
    parts = [
        t(
            "forecast.baselines",
            lang,
            n=f"{int(rec['n']):,}",
            auc_r=f"{rec['auc']:.2f}",
            low_r=f"{rec['auc_low']:.2f}",
            high_r=f"{rec['auc_high']:.2f}",
            auc_f=f"{freq['auc']:.2f}" if freq is not None else "–",
            low_f=f"{freq['auc_low']:.2f}" if freq is not None else "–",
            high_f=f"{freq['auc_high']:.2f}" if freq is not None else "–",
        )
    ]
    for score in ("cox", "btyd"):
        if score not in rows.index:
            continue
        r = rows.loc[score]
        parts.append(
            t(
                f"forecast.baseline.{r['verdict']}",
                lang,
                model=t(f"forecast.score.{score}", lang),
                auc=f"{r['auc']:.2f}",
                diff=f"{r['auc_diff']:+.3f}",
                low=f"{r['diff_low']:+.3f}",
                high=f"{r['diff_high']:+.3f}",
                ici=f"{r['ici']:.3f}" if np.isfinite(r["ici"]) else "–",
            )
        )
    return " ".join(parts)


def baselines_display(check: ForecastCheck, lang: str = "en") -> pd.DataFrame:
    """One row per score: AUC (95% CI), top-decile lift, Brier, ICI, AUC minus recency alone's."""
    b = check.baselines
    if b is None or b.empty:
        return pd.DataFrame()

    def num(value: float, fmt: str) -> str:
        return format(value, fmt) if np.isfinite(value) else "–"

    rows = []
    for r in b.itertuples(index=False):
        rows.append(
            {
                t("forecast.col.score", lang): t(f"forecast.score.{r.score}", lang),
                t("forecast.col.auc", lang): f"{r.auc:.2f} ({r.auc_low:.2f}–{r.auc_high:.2f})",
                t("forecast.col.lift", lang): f"{r.lift:.1f} ({r.lift_low:.1f}–{r.lift_high:.1f})",
                t("forecast.col.brier", lang): num(r.brier, ".3f"),
                t("forecast.col.ici", lang): num(r.ici, ".3f"),
                t("forecast.col.auc_diff", lang): (
                    f"{r.auc_diff:+.3f} ({r.diff_low:+.3f} to {r.diff_high:+.3f})"
                    if np.isfinite(r.auc_diff)
                    else "–"
                ),
            }
        )
    return pd.DataFrame(rows)


def uplift_text(u: Uplift, lang: str = "en") -> str:
    """The outreach comparison in words (ITT first; as treated labelled descriptive)."""
    if u.reason:
        return t(f"forecast.uplift.{u.reason}", lang)
    r = u.itt
    text = t(
        "forecast.uplift.itt",
        lang,
        n_contact=f"{u.n_contact:,}",
        n_holdout=f"{u.n_holdout:,}",
        p_contact=_pct(r.p1),
        p_holdout=_pct(r.p2),
        diff=_pp(r.diff),
        low=_pp(r.diff_low),
        high=_pp(r.diff_high),
        p=f"{r.p_value:.3f}" if math.isfinite(r.p_value) else "–",
    )
    if u.as_treated is not None:
        a = u.as_treated
        text += "\n\n" + t(
            "forecast.uplift.as_treated",
            lang,
            reached=f"{u.touched_among_contact:,}",
            n_contact=f"{u.n_contact:,}",
            holdout_reached=f"{u.touched_among_holdout:,}",
            p_touched=_pct(a.p1),
            p_untouched=_pct(a.p2),
            diff=_pp(a.diff),
            low=_pp(a.diff_low),
            high=_pp(a.diff_high),
        )
    return text


def _display(
    table: pd.DataFrame | None, lang: str, columns: dict[str, str], fmt: Callable[[float], str]
) -> pd.DataFrame:
    """``columns`` (name -> catalog key) with readable headers; ``fmt`` for the value columns."""
    if table is None or table.empty:
        return pd.DataFrame() if table is None else table
    shown = table[list(columns)].copy()
    for column in list(columns)[2:]:  # decile and n stay numbers
        shown[column] = [fmt(v) for v in shown[column]]
    return shown.rename(columns={c: t(k, lang) for c, k in columns.items()})


def calibration_display(check: ForecastCheck, lang: str = "en") -> pd.DataFrame:
    """The calibration table with readable headers (percentages as fractions)."""
    columns = {
        "decile": "forecast.col.decile",
        "n": "forecast.col.n",
        "predicted": "forecast.col.predicted",
        "actual": "forecast.col.actual",
        "low": "forecast.col.low",
        "high": "forecast.col.high",
    }
    return _display(check.calibration, lang, columns, _pct)


def purchases_display(check: ForecastCheck, lang: str = "en") -> pd.DataFrame:
    """Expected vs actual purchase days and revenue by decile of the expected purchases."""
    columns = {
        "decile": "forecast.col.decile",
        "n": "forecast.col.n",
        "expected": "forecast.col.expected",
        "actual": "forecast.col.actual_purchases",
        "predicted_revenue": "forecast.col.predicted_revenue",
        "revenue": "forecast.col.revenue",
    }
    return _display(check.purchases, lang, columns, lambda v: f"{v:,.0f}")


def uplift_display(check: ForecastCheck, lang: str = "en") -> pd.DataFrame:
    """One row per comparison: groups, retention, difference (pp) with 95% CI, p-value."""
    u = check.uplift
    rows = []
    for key, r, n1, n2, causal in (
        ("itt", u.itt, u.n_contact, u.n_holdout, True),
        ("as_treated", u.as_treated, u.n_touched, u.n_untouched, False),
    ):
        if r is None:
            continue
        rows.append(
            {
                t("forecast.col.comparison", lang): t(f"forecast.row.{key}", lang),
                t("forecast.col.n1", lang): n1,
                t("forecast.col.p1", lang): _pct(r.p1),
                t("forecast.col.n2", lang): n2,
                t("forecast.col.p2", lang): _pct(r.p2),
                t("forecast.col.diff", lang): _pp(r.diff),
                t("forecast.col.diff_ci", lang): f"{_pp(r.diff_low)} – {_pp(r.diff_high)}",
                t("forecast.col.p_value", lang): (
                    f"{r.p_value:.3f}" if math.isfinite(r.p_value) else "–"
                ),
                t("forecast.col.causal", lang): t(
                    "forecast.yes" if causal else "forecast.no", lang
                ),
            }
        )
    return pd.DataFrame(rows)


def forecast_headlines(check: ForecastCheck) -> Headlines:
    """Glue values of the section (empty without a previous report).

    ``forecast_brier``, ``forecast_auc``, ``forecast_top_retained_rate`` and the outreach
    uplift in percentage points with its interval (``forecast_uplift_pp``,
    ``forecast_uplift_pp_low``/``_high``).

    Examples
    --------
    >>> dict(forecast_headlines(score_forecasts(None, pd.DataFrame(), "2025Q4", inactivity_days=180)))
    {}
    """
    if not check.available or not check.n:
        return Headlines()
    out = [
        Headline("forecast_brier", round(check.brier, 4), "probability"),
        Headline("forecast_auc", round(check.auc, 3), "ratio"),
    ]
    if check.top_n:
        retained = round(check.top_retained / check.top_n, 4)
        out.append(Headline("forecast_top_retained_rate", retained, "share"))
    if check.uplift.itt is not None:
        r = check.uplift.itt
        pp = [round(v * 100, 2) for v in (r.diff, r.diff_low, r.diff_high)]
        out.append(Headline("forecast_uplift_pp", pp[0], "points", pp[1], pp[2]))
    return Headlines(out)


# --------------------------------------------------------------------------- history


def history_rows(check: ForecastCheck) -> pd.DataFrame:
    """This period's rows of ``forecast_checks.csv``: one per (model, metric).

    Examples
    --------
    >>> history_rows(score_forecasts(None, pd.DataFrame(), "2025Q4", inactivity_days=180)).empty
    True
    """
    rows: list[dict[str, Any]] = []
    if not check.available or not check.n:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))

    def add(model: str, metric: str, value: float, low=np.nan, high=np.nan, n=np.nan) -> None:
        rows.append(
            {
                "period": check.current.label,
                "previous": check.previous.label,
                "model": model,
                "metric": metric,
                "value": value,
                "low": low,
                "high": high,
                "n": n,
                "partial": check.partial,
            }
        )

    rate = check.churned / check.n
    low, high = wilson_ci(check.churned, check.n)
    add("churn", "predicted_rate", check.predicted_churn, n=check.n)
    add("churn", "actual_rate", rate, float(low), float(high), check.n)
    add("churn", "brier", check.brier, n=check.n)
    add("churn", "brier_constant", check.brier_constant, n=check.n)
    add("churn", "auc", check.auc, n=check.n)
    add("churn", "ici", check.ici, n=check.n)
    if check.baselines is not None:
        for row in check.baselines.itertuples(index=False):
            model = f"score_{row.score}"
            add(model, "auc", row.auc, row.auc_low, row.auc_high, row.n)
            add(model, "top_decile_lift", row.lift, row.lift_low, row.lift_high, row.n)
            if np.isfinite(row.brier):
                add(model, "brier", row.brier, n=row.n)
                add(model, "ici", row.ici, n=row.n)
            if np.isfinite(row.auc_diff):
                add(model, "auc_minus_recency", row.auc_diff, row.diff_low, row.diff_high, row.n)
    if check.totals:
        tot, n = check.totals, check.totals["customers"]
        add("btyd", "expected_purchases", tot["expected_purchases"], n=n)
        add("btyd", "actual_purchases", tot["actual_purchases"], n=n)
        add("btyd", "predicted_revenue", tot["predicted_revenue"], n=n)
        add("btyd", "actual_revenue", tot["actual_revenue"], n=n)
    if check.top_n:
        lo, hi = wilson_ci(check.top_retained, check.top_n)
        add(
            "priority_list",
            "top_retained_rate",
            check.top_retained / check.top_n,
            float(lo),
            float(hi),
            check.top_n,
        )
    u = check.uplift
    for model, r, n in (
        ("outreach_itt", u.itt, u.n_contact + u.n_holdout),
        ("outreach_as_treated", u.as_treated, u.n_touched + u.n_untouched),
    ):
        if r is not None:
            add(model, "retention_diff", r.diff, r.diff_low, r.diff_high, n)
            add(model, "p_value", r.p_value, n=n)
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))


def collect_history(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the periods' ``forecast_checks.csv`` rows, one row per (period, model, metric).

    A later frame replaces the rows of the same (period, model, metric); sorted by period.

    Examples
    --------
    >>> a = pd.DataFrame({"period": ["2025Q4"], "model": ["churn"], "metric": ["auc"], "value": [.7]})
    >>> collect_history([a, a.assign(value=.8)])["value"].tolist()
    [0.8]
    """
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    out = out.drop_duplicates(["period", "model", "metric"], keep="last")
    return out.sort_values(["period", "model", "metric"], kind="stable", ignore_index=True)


def history_table(history: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The trend across quarters: one row per period with Brier, AUC, predicted vs actual
    churn, the top-N retention and the outreach uplift (pp, 95% CI).

    Examples
    --------
    >>> h = pd.DataFrame({"period": ["2025Q4"] * 2, "model": ["churn"] * 2,
    ...     "metric": ["brier", "auc"], "value": [0.2, 0.7], "low": [None] * 2,
    ...     "high": [None] * 2, "partial": [False] * 2})
    >>> history_table(h).iloc[0].tolist()[:3]
    ['2025Q4', '0.200', '0.70']
    """
    if history is None or history.empty:
        return pd.DataFrame()
    rows = []
    for period, g in history.groupby("period", sort=True):
        get = g.set_index(["model", "metric"])

        def val(model: str, metric: str, g=get) -> pd.Series | None:
            return g.loc[(model, metric)] if (model, metric) in g.index else None

        def fmt(row: pd.Series | None, kind: str) -> str:
            if row is None or not np.isfinite(float(row["value"])):
                return "–"
            v = float(row["value"])
            if kind == "pp":
                return f"{v * 100:+.1f} ({float(row['low']) * 100:+.1f} – {float(row['high']) * 100:+.1f})"
            return {"brier": f"{v:.3f}", "auc": f"{v:.2f}", "pct": f"{v:.1%}"}[kind]

        partial = bool(g["partial"].astype(str).str.lower().eq("true").any())
        rows.append(
            {
                t("forecast.hist.period", lang): str(period)
                + (f" ({t('forecast.hist.partial', lang)})" if partial else ""),
                t("forecast.hist.brier", lang): fmt(val("churn", "brier"), "brier"),
                t("forecast.hist.auc", lang): fmt(val("churn", "auc"), "auc"),
                t("forecast.hist.predicted", lang): fmt(val("churn", "predicted_rate"), "pct"),
                t("forecast.hist.actual", lang): fmt(val("churn", "actual_rate"), "pct"),
                t("forecast.hist.top", lang): fmt(val("priority_list", "top_retained_rate"), "pct"),
                t("forecast.hist.uplift", lang): fmt(val("outreach_itt", "retention_diff"), "pp"),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- plot


def calibration_scale(table: pd.DataFrame | None) -> float:
    """The end of both axes of :func:`plot_calibration`: 5% above the highest interval bound
    or predicted share (at least 5%).

    Examples
    --------
    >>> round(calibration_scale(pd.DataFrame({"predicted": [0.1, 0.3], "high": [0.2, 0.4]})), 3)
    0.42
    """
    if table is None or table.empty:
        return 1.0
    return float(max(table["high"].max(), table["predicted"].max(), 0.05)) * 1.05


def plot_calibration(
    table: pd.DataFrame | None,
    *,
    previous: str,
    horizon_days: int | None,
    top: float = 1.0,
    ax: Any = None,
    lang: str = "en",
    takeaway: str | None = None,
) -> Any:
    """Predicted vs actual churn by decile (a :attr:`ForecastCheck.calibration` table), with
    the Wilson intervals, on axes from 0 to ``top`` (:func:`calibration_scale`); returns the Axes.

    Examples
    --------
    >>> c = pd.DataFrame({"predicted": [0.1, 0.3], "actual": [0.15, 0.25], "low": [0.1, 0.2],
    ...     "high": [0.2, 0.3]})
    >>> ax = plot_calibration(c, previous="2025Q3", horizon_days=90, top=calibration_scale(c))
    >>> ax.get_xlim() == (0, calibration_scale(c)), len(ax.lines)
    (True, 4)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    from custops.report.plots import set_takeaway

    if table is None or table.empty:
        return set_takeaway(ax, takeaway)
    ax.plot([0, top], [0, top], color="#999", lw=1, ls="--", label=t("forecast.plot.ideal", lang))
    ax.errorbar(
        table["predicted"],
        table["actual"],
        yerr=[table["actual"] - table["low"], table["high"] - table["actual"]],
        fmt="o",
        color="#0b5cad",
        capsize=3,
        label=t("forecast.plot.deciles", lang),
    )
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel(t("forecast.plot.x", lang, previous=previous))
    ax.set_ylabel(t("forecast.plot.y", lang, h=horizon_days))
    ax.legend(loc="upper left", frameon=False)
    return set_takeaway(ax, takeaway)


def calibration_takeaway(table: pd.DataFrame | None, previous: str, lang: str = "en") -> str:
    """One sentence on the scored forecast: the churn it predicted and the churn that happened,
    over the customers of the calibration deciles (weighted by their size ``n``).

    Examples
    --------
    >>> c = pd.DataFrame({"n": [100, 300], "predicted": [0.5, 0.1], "actual": [0.4, 0.2]})
    >>> calibration_takeaway(c, "2025Q3")
    'The 2025Q3 forecast expected 20% of these customers to churn; 25% did.'
    """
    if table is None or table.empty:
        return t("figure.no_data", lang)
    rows = table.dropna(subset=["predicted", "actual"])
    weights = rows["n"].astype(float)
    if rows.empty or weights.sum() <= 0:
        return t("figure.no_data", lang)
    return t(
        "figure.forecast_calibration",
        lang,
        previous=previous,
        predicted=f"{float((rows['predicted'] * weights).sum() / weights.sum()):.0%}",
        actual=f"{float((rows['actual'] * weights).sum() / weights.sum()):.0%}",
    )
