"""Gamma-Gamma spend model (Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).

Each transaction of a customer is ``Gamma(p, nu)``, with ``nu ~ Gamma(q, v)`` across
customers; the mean ``m`` of ``x`` repeat transactions has density

``f(m | x) = Gamma(px + q) / (Gamma(px) Gamma(q)) * v^q m^(px - 1) x^(px) / (v + m x)^(px + q)``

fitted on the customers with ``x > 0`` (the first purchase is excluded from the mean). The
model assumes spend independent of purchase frequency: :func:`independence_check`.
Conditional expected spend: ``p (v + x m) / (p x + q - 1)`` (the population mean
``p v / (q - 1)`` for ``x = 0``; finite only for ``q > 1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from custops.survival.btyd.base import BTYDModel, check_summary, check_whole

__all__ = ["GammaGammaFitter", "independence_check"]


class GammaGammaFitter(BTYDModel):
    """Gamma-Gamma model of average spend, fitted on repeat customers by maximum likelihood.

    Attributes
    ----------
    params_ : Series
        ``p, q, v``.

    Examples
    --------
    >>> GammaGammaFitter().fit(summary).params_.round(2)  # doctest: +SKIP
    """

    _param_names = ("p", "q", "v")

    def _prepare(self, summary: pd.DataFrame, columns: dict[str, str]) -> dict[str, Any]:
        cols = check_summary(summary, list(columns.values()), what="GammaGammaFitter")
        x = cols[columns["frequency"]]
        m = cols[columns["monetary_value"]]
        check_whole("GammaGammaFitter", x, summary.index)
        keep = (x > 0) & (m > 0)
        return {"n": int(keep.sum()), "x": x[keep], "m": m[keep]}

    def _start(self, data: dict[str, Any]) -> np.ndarray:
        m = data["m"]
        mean = float(m.mean()) if len(m) else 1.0
        return np.array([2.0, 3.0, mean])

    def _neg_ll(self, log_theta: np.ndarray, data: dict[str, Any]) -> float:
        p, q, v = np.exp(log_theta)
        x, m = data["x"], data["m"]
        px = p * x
        ll = (
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(v)
            + (px - 1.0) * np.log(m)
            + px * np.log(x)
            - (px + q) * np.log(x * m + v)
        ).sum()
        return -float(ll) if np.isfinite(ll) else np.inf

    def fit(
        self,
        summary: pd.DataFrame,
        *,
        frequency_col: str = "frequency",
        monetary_value_col: str = "monetary_value",
    ) -> GammaGammaFitter:
        """Fit on the rows with ``frequency > 0`` and ``monetary_value > 0``; returns ``self``."""
        self._fit(summary, {"frequency": frequency_col, "monetary_value": monetary_value_col})
        return self

    def expected_spend(
        self,
        summary: pd.DataFrame | None = None,
        *,
        frequency: Any = None,
        monetary_value: Any = None,
        params: Sequence[float] | None = None,
    ) -> np.ndarray:
        """Expected average spend per future transaction of each customer.

        Examples
        --------
        >>> m = GammaGammaFitter()
        >>> m.params_ = pd.Series([6.25, 3.74, 15.44], index=["p", "q", "v"])
        >>> m.expected_spend(frequency=[0, 2], monetary_value=[0.0, 30.0]).round(2).tolist()
        [35.22, 30.94]
        """
        if summary is not None:
            frequency, monetary_value = summary["frequency"], summary["monetary_value"]
        x = np.asarray(frequency, dtype=float)
        m = np.asarray(monetary_value, dtype=float)
        p, q, v = self._theta(params)
        m = np.where(x > 0, m, 0.0)
        return p * (v + x * m) / (p * x + q - 1.0)

    def spend_fit(self, summary: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
        """Repeat customers' mean spend, and the fitted population density of it on a grid up
        to the 99th percentile (columns ``spend``, ``density``)."""
        rep = (summary["frequency"] > 0) & (summary["monetary_value"] > 0)
        m = summary.loc[rep, "monetary_value"].to_numpy(dtype=float)
        x = summary.loc[rep, "frequency"].to_numpy(dtype=float)
        grid = np.linspace(max(m.min(), 1e-9), np.quantile(m, 0.99), 200)
        p, q, v = self.params_.to_numpy()
        # mixture over the customers' x of the density of their mean
        lx = np.log(x)[:, None]
        px = p * x[:, None]
        dens = np.exp(
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(v)
            + (px - 1) * np.log(grid)
            + px * lx
            - (px + q) * np.log(x[:, None] * grid + v)
        ).mean(axis=0)
        return m, pd.DataFrame({"spend": grid, "density": dens})

    @staticmethod
    def plot_spend_fit(spend: np.ndarray, density: pd.DataFrame, *, ax: Any = None) -> Any:
        """Histogram (density) of repeat customers' mean spend beside the fitted density, from
        :meth:`spend_fit`; returns the Axes."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(6, 3.5))[1]
        ax.hist(spend, bins=40, density=True, alpha=0.5, label="actual")
        ax.plot(density["spend"], density["density"], label="Gamma-Gamma")
        ax.set_xlabel("mean spend of repeat purchases")
        ax.legend()
        return ax


def independence_check(
    summary: pd.DataFrame, *, threshold: float = 0.3, alpha: float = 0.05
) -> dict[str, float | bool]:
    """Correlation of repeat frequency and mean spend among repeat customers.

    The Gamma-Gamma model assumes none. The check fails when Pearson's |r| reaches
    ``threshold`` *and* is significant at ``alpha`` (with a million customers a trivial
    correlation is significant, so significance alone is no verdict).

    Returns
    -------
    dict
        ``n, pearson, p_value, spearman, passed``.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [1, 2, 3, 4, 5] * 4, "monetary_value": [10, 20, 30, 40, 50] * 4})
    >>> independence_check(s)["passed"]
    False
    """
    rep = (summary["frequency"] > 0) & (summary["monetary_value"] > 0)
    x = summary.loc[rep, "frequency"].to_numpy(dtype=float)
    m = summary.loc[rep, "monetary_value"].to_numpy(dtype=float)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(m) == 0:
        return {
            "n": len(x),
            "pearson": float("nan"),
            "p_value": float("nan"),
            "spearman": float("nan"),
            "passed": True,
        }
    pearson, p_value = stats.pearsonr(x, m)
    spearman = stats.spearmanr(x, m).statistic
    passed = not (abs(pearson) >= threshold and p_value < alpha)
    return {
        "n": len(x),
        "pearson": float(pearson),
        "p_value": float(p_value),
        "spearman": float(spearman),
        "passed": bool(passed),
    }
