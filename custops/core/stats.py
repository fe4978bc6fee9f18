"""Small statistical helpers shared by the analyses (one implementation each)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _stats

__all__ = [
    "Z95",
    "z_for",
    "wilson_ci",
    "holm",
    "median_ci",
    "TwoProportions",
    "two_proportion_test",
    "holdout_flags",
    "delong",
    "top_decile_lift",
    "calibration_ici",
    "strongest_ratio",
]

Z95 = float(_stats.norm.ppf(0.975))


def z_for(conf: float) -> float:
    """Two-sided normal quantile for a confidence level.

    Examples
    --------
    >>> round(z_for(0.95), 4)
    1.96
    """
    return float(_stats.norm.ppf(0.5 + conf / 2))


def wilson_ci(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion (vectorised).

    The bounds are exactly 0 when there are no successes and exactly 1 when every trial
    succeeded; both are NaN where ``trials`` is 0.

    Parameters
    ----------
    successes, trials : array-like
        Counts.
    z : float
        Normal quantile (1.96 for 95%; see :func:`z_for`).

    Returns
    -------
    (low, high) : tuple of ndarray

    Examples
    --------
    >>> low, high = wilson_ci(20, 100)
    >>> round(float(low), 4), round(float(high), 4)
    (0.1334, 0.2888)
    >>> [float(v) for v in wilson_ci([0, 5], [5, 5])[0]][0], float(wilson_ci(5, 5)[1])
    (0.0, 1.0)
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low = np.where(x == 0, 0.0, np.clip(centre - half, 0, 1))
        high = np.where(x == n, 1.0, np.clip(centre + half, 0, 1))
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


@dataclass(frozen=True)
class TwoProportions:
    """Comparison of two proportions ``p1 = x1/n1`` (e.g. treatment) and ``p2 = x2/n2``."""

    p1: float
    p2: float
    diff: float
    diff_low: float
    diff_high: float
    ratio: float
    ratio_low: float
    ratio_high: float
    z: float
    p_value: float


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> TwoProportions:
    """Pooled two-proportion z-test with Newcombe (difference) and Katz log (ratio) intervals.

    Parameters
    ----------
    x1, n1 : float
        Successes and trials of the first group (the one compared: this period, treatment).
    x2, n2 : float
        Successes and trials of the reference group (previous period, control).

    Returns
    -------
    TwoProportions
        ``diff = p1 - p2`` and ``ratio = p1 / p2`` with 95% intervals, ``z`` and the two-sided
        ``p_value`` (NaN when a group is empty or the pooled rate is 0 or 1).

    Examples
    --------
    >>> r = two_proportion_test(60, 1000, 40, 1000)
    >>> round(r.diff, 3), round(r.ratio, 2), round(r.p_value, 4)
    (0.02, 1.5, 0.0402)
    """
    p1 = x1 / n1 if n1 else np.nan
    p2 = x2 / n2 if n2 else np.nan
    pooled = (x1 + x2) / (n1 + n2) if (n1 + n2) else np.nan
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)) if n1 and n2 else np.nan
    if not np.isfinite(se0) or se0 == 0:
        z = p_value = np.nan
    else:
        z = (p1 - p2) / se0
        p_value = float(2 * _stats.norm.sf(abs(z)))
    (l1, l2), (u1, u2) = wilson_ci([x1, x2], [n1, n2])
    diff = p1 - p2
    diff_low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    diff_high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    if x1 > 0 and x2 > 0:
        ratio = p1 / p2
        se_log = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        ratio_low, ratio_high = ratio * np.exp(-Z95 * se_log), ratio * np.exp(Z95 * se_log)
    else:
        ratio = p1 / p2 if p2 else np.nan
        ratio_low = ratio_high = np.nan
    return TwoProportions(
        *(
            float(v)
            for v in (p1, p2, diff, diff_low, diff_high, ratio, ratio_low, ratio_high, z, p_value)
        )
    )


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN and does not count as a test).

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(p))
    if not len(valid):
        return out
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = adjusted
    return out


def median_ci(values, conf: float = 0.95) -> tuple[float, float, float]:
    """Median with its distribution-free (order-statistic, binomial) interval.

    Missing values are dropped. The interval is ``[x_(k), x_(n-k+1)]`` with the largest ``k``
    such that P(B <= k - 1) <= (1 - conf) / 2 for B ~ Binomial(n, 1/2); NaN bounds when there
    are too few values for the level (fewer than 6 at 95%); all NaN without values.

    Examples
    --------
    >>> median_ci(range(1, 101))
    (50.5, 40.0, 61.0)
    >>> median_ci([1.0, 2.0, float("nan")])
    (1.5, nan, nan)
    """
    x = np.sort(pd.Series(values, dtype="float64").dropna().to_numpy())
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    med = float(np.median(x))
    alpha = 1 - conf
    j = int(_stats.binom.ppf(alpha / 2, n, 0.5))
    if _stats.binom.cdf(j, n, 0.5) > alpha / 2:
        j -= 1
    k = j + 1
    if k < 1:
        return med, float("nan"), float("nan")
    return med, float(x[k - 1]), float(x[n - k])


def holdout_flags(ids: Iterable[object], share: float, *, seed: int, salt: str = "") -> np.ndarray:
    """Seeded random holdout assignment: True for about ``share`` of the ids.

    Each id is assigned on its own, from the SHA-256 of ``"<seed>:<salt>:<id>"`` read as a
    uniform number in [0, 1): the flag of a customer does not depend on which other customers
    are listed or in which order, so anyone holding the seed (the demo company, an audit) can
    recompute the control group. ``salt`` is the period of the list, so every quarter draws a
    new group.

    Parameters
    ----------
    ids : iterable
        Customer ids (compared as strings).
    share : float
        Expected share held out, in [0, 1].
    seed : int
        The config's seed.
    salt : str
        Separates assignments (the list's period label).

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> flags = holdout_flags([f"C{i}" for i in range(10000)], 0.1, seed=42, salt="2025Q3")
    >>> bool(0.09 < flags.mean() < 0.11)
    True
    >>> bool(holdout_flags(["C1"], 0.0, seed=42)[0]), bool(holdout_flags(["C1"], 1.0, seed=42)[0])
    (False, True)
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"the holdout share must be between 0 and 1, not {share}")
    values = [
        int.from_bytes(hashlib.sha256(f"{seed}:{salt}:{i}".encode()).digest()[:8], "big") / 2**64
        for i in ids
    ]
    return np.asarray(values, dtype=float) < share


def _midrank(x: np.ndarray) -> np.ndarray:
    return pd.Series(x).rank(method="average").to_numpy()


def delong(y: Any, scores: Mapping[str, Any]) -> tuple[pd.Series, pd.DataFrame]:
    """AUCs of several scores on the same outcome and DeLong's covariance matrix of them.

    Higher score = more likely ``y`` (flip the sign of a health score first). The fast
    midrank form (Sun & Xu 2014) of DeLong, DeLong & Clarke-Pearson (1988); the standard
    error of an AUC is the square root of its diagonal entry, and the variance of the
    difference of two AUCs on the same customers is ``cov[a, a] + cov[b, b] - 2 cov[a, b]``.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0, 1, 0])
    >>> auc, cov = delong(y, {"a": np.array([0.9, 0.8, 0.3, 0.1, 0.4, 0.5])})
    >>> round(float(auc["a"]), 3)
    0.889
    """
    y = np.asarray(y, dtype=bool)
    m, n = int(y.sum()), int((~y).sum())
    names = list(scores)
    aucs, v10, v01 = [], [], []
    for name in names:
        x = np.asarray(scores[name], dtype=float)
        pos, neg = x[y], x[~y]
        tx, ty, tz = _midrank(pos), _midrank(neg), _midrank(np.r_[pos, neg])
        aucs.append((tz[:m].sum() - m * (m + 1) / 2) / (m * n))
        v10.append((tz[:m] - tx) / n)
        v01.append(1.0 - (tz[m:] - ty) / m)
    s10 = np.atleast_2d(np.cov(np.asarray(v10)))
    s01 = np.atleast_2d(np.cov(np.asarray(v01)))
    cov = s10 / m + s01 / n
    return pd.Series(aucs, index=names), pd.DataFrame(cov, index=names, columns=names)


def top_decile_lift(y: Any, risk: Any) -> tuple[float, float, float]:
    """Event rate of the riskiest 10% over the overall rate, with Wilson 95% bounds.

    ``risk``: higher = more likely ``y``; ties are broken by position (the first listed is
    the riskier). The riskiest ``ceil(0.1 n)`` customers form the top decile.

    Examples
    --------
    >>> y = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    >>> lift, low, high = top_decile_lift(y, np.arange(10.0)[::-1])
    >>> lift
    5.0
    """
    y = np.asarray(y, dtype=float)
    rank = pd.Series(-np.asarray(risk, dtype=float)).rank(method="first").to_numpy()
    top = rank <= np.ceil(0.1 * len(y))
    base = y.mean()
    k, n = int(y[top].sum()), int(top.sum())
    lo, hi = wilson_ci(k, n)
    return float(k / n / base), float(lo) / base, float(hi) / base


def calibration_ici(predicted: Any, actual: Any, *, frac: float = 2 / 3) -> float:
    """Integrated calibration index: mean ``|p - smoothed observed rate at p|``.

    The observed rate as a function of the prediction is a lowess fit of the 0/1 outcome on
    the predicted probability (statsmodels, no robustness iterations); the ICI is the mean
    absolute distance between that curve and the diagonal, weighted by the predictions'
    distribution (Austin & Steyerberg 2019, "The Integrated Calibration Index (ICI) and
    related metrics for quantifying the calibration of logistic regression models"; the
    survival form is ``lifelines.calibration.survival_probability_calibration``). 0 is
    perfect; it reads in the units of the probability. NaN with fewer than 10 predictions.
    The smoother is fitted at points 1% of the predictions' range apart and interpolated
    between them (lowess ``delta``): a fit at every point grows with n² (4 s at 30,000
    customers, an hour at a million), the interpolated curve differs by about 1e-6.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(0.05, 0.6, 4000)
    >>> y = rng.uniform(size=p.size) < p
    >>> calibration_ici(p, y) < 0.02, calibration_ici(p / 2, y) > 0.1
    (True, True)
    """
    from statsmodels.nonparametric.smoothers_lowess import lowess

    p = np.asarray(predicted, dtype=float)
    y = np.asarray(actual, dtype=float)
    keep = np.isfinite(p) & np.isfinite(y)
    p, y = p[keep], y[keep]
    if len(p) < 10:
        return float("nan")
    delta = 0.01 * float(p.max() - p.min())
    smoothed = lowess(y, p, frac=frac, it=0, delta=delta, return_sorted=False)
    return float(np.mean(np.abs(p - np.clip(smoothed, 0.0, 1.0))))


def strongest_ratio(table: pd.DataFrame, ratio: str, low: str, high: str) -> pd.Series | None:
    """The row whose ratio (hazard or odds ratio) is furthest from 1 on the log scale among
    those whose 95% interval ``[low, high]`` excludes 1; None when no interval does.

    Examples
    --------
    >>> t = pd.DataFrame({"x": ["a", "b", "c"], "r": [0.5, 1.8, 3.0],
    ...     "lo": [0.4, 1.2, 0.9], "hi": [0.6, 2.6, 9.0]})
    >>> strongest_ratio(t, "r", "lo", "hi")["x"]  # c's interval holds 1; |log 0.5| > |log 1.8|
    'a'
    >>> strongest_ratio(t.iloc[2:], "r", "lo", "hi") is None
    True
    """
    clear = table[(table[low] > 1) | (table[high] < 1)]
    if clear.empty:
        return None
    return clear.loc[np.log(clear[ratio].astype(float)).abs().idxmax()]
