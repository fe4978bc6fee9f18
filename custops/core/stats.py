"""Small statistical helpers shared by the analyses (one implementation each)."""

from __future__ import annotations

import numpy as np
from scipy import stats as _stats

__all__ = ["Z95", "z_for", "wilson_ci"]

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
