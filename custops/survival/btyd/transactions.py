"""Shared face of the two purchase-count models (BG/NBD and Pareto/NBD).

Both are fitted on ``frequency`` (repeat purchase periods), ``recency`` (first to last
purchase) and ``T`` (first purchase to the calibration end), all in one time unit. Both
factor the conditional expectation as ``E[X(t) | x, t_x, T] = P(alive) * G(t; x, T)`` with
``G`` the expected purchases of a customer known to be alive at ``T``; ``G`` does not depend
on ``t_x``, so :meth:`expected_purchases` evaluates it once per distinct ``(x, T)`` (on
daily data a million customers have a few ten thousand of those).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from custops.survival.btyd.base import BTYDModel, check_recency, check_summary, check_whole

__all__ = ["TransactionModel", "unique_pairs"]


def unique_pairs(x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(x, T)`` pairs and the code of every row: ``(ux, uT, codes)``.

    Examples
    --------
    >>> ux, uT, codes = unique_pairs(np.array([1.0, 1.0, 2.0]), np.array([5.0, 5.0, 5.0]))
    >>> ux.tolist(), uT.tolist(), codes.tolist()
    ([1.0, 2.0], [5.0, 5.0], [0, 0, 1])
    """
    # each column coded alone, then the pair as one integer (a MultiIndex would build a
    # Python tuple per row); pairs numbered in order of first appearance
    x_codes, x_values = pd.factorize(np.asarray(x, dtype=float))
    t_codes, t_values = pd.factorize(np.asarray(T, dtype=float))
    width = max(len(t_values), 1)
    codes, pairs = pd.factorize(x_codes.astype(np.int64) * width + t_codes)
    return (
        np.asarray(x_values, dtype=float)[pairs // width],
        np.asarray(t_values, dtype=float)[pairs % width],
        codes.astype(np.int64),
    )


class TransactionModel(BTYDModel):
    """Base of :class:`BetaGeoFitter` and :class:`ParetoNBDFitter` (see the module docs).

    Parameters
    ----------
    penalizer : float
        Ridge weight on the log-parameters (0: maximum likelihood).

    Attributes
    ----------
    params_ : Series
        The fitted parameters (``_param_names`` of the model).
    log_likelihood_ : float
    converged_ : bool
    summary : DataFrame
        Estimates, standard errors, 95% intervals.
    """

    @staticmethod
    def _purchase_start(data: dict[str, Any]) -> tuple[float, float]:
        """Start values ``(r, alpha)`` of the purchase-rate Gamma: shape 1, mean the pooled
        rate (repeat purchases over observed time)."""
        rate = max(data["sum_x"], 1.0) / max(data["sum_T"], 1e-9)
        return 1.0, 1.0 / rate

    def _prepare(self, summary: pd.DataFrame, columns: dict[str, str]) -> dict[str, Any]:
        cols = check_summary(summary, list(columns.values()), what=type(self).__name__)
        x = cols[columns["frequency"]]
        tx = cols[columns["recency"]]
        T = cols[columns["T"]]
        check_whole(type(self).__name__, x, summary.index)
        check_recency(type(self).__name__, tx, T, summary.index)
        zero = (x == 0) & (tx > 0)
        if zero.any():
            raise ValueError(
                f"{type(self).__name__}: {int(zero.sum())} customers have frequency 0 but "
                f"recency > 0 (first rows: {summary.index[zero][:5].tolist()}); recency is the "
                "time from the first to the last purchase, 0 without repeats."
            )
        ux, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
        rep = x > 0
        return {
            "n": len(x),
            "x": x,
            "tx": tx,
            "T": T,
            "ux": ux,
            "ucount": counts.astype(float),
            "rep": rep,
            "xp": x[rep],
            "txp": tx[rep],
            "Tp": T[rep],
            "sum_x": float(x.sum()),
            "sum_T": float(T.sum()),
        }

    def fit(
        self,
        summary: pd.DataFrame,
        *,
        frequency_col: str = "frequency",
        recency_col: str = "recency",
        T_col: str = "T",
    ) -> TransactionModel:
        """Fit by maximum likelihood on a customer summary; returns ``self``.

        Parameters
        ----------
        summary : DataFrame
            One row per customer with repeat ``frequency``, ``recency`` and ``T`` in one
            time unit (:func:`custops.survival.btyd.btyd_summary`).
        frequency_col, recency_col, T_col : str
            Column names.

        Returns
        -------
        self
            With ``params_``, ``log_likelihood_``, ``converged_``, ``convergence_``,
            ``log_covariance_``, ``summary``.
        """
        return self._fit(summary, {"frequency": frequency_col, "recency": recency_col, "T": T_col})  # type: ignore[return-value]

    # ---------------------------------------------------------------- model pieces

    def _alive_expected(
        self, t: float, x: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        """Expected purchases in ``(T, T + t]`` of a customer alive at ``T``."""
        raise NotImplementedError

    def _p_alive(
        self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        raise NotImplementedError

    def _new_expected(self, t: np.ndarray, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    # ---------------------------------------------------------------- predictions

    @staticmethod
    def _arrays(
        summary: pd.DataFrame | None,
        frequency: Any,
        recency: Any,
        T: Any,
        columns: Sequence[str] = ("frequency", "recency", "T"),
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if summary is not None:
            frequency, recency, T = (summary[c] for c in columns)
        return (
            np.asarray(frequency, dtype=float),
            np.asarray(recency, dtype=float),
            np.asarray(T, dtype=float),
        )

    def p_alive(
        self,
        summary: pd.DataFrame | None = None,
        *,
        frequency: Any = None,
        recency: Any = None,
        T: Any = None,
        params: Sequence[float] | None = None,
    ) -> np.ndarray:
        """Probability that each customer is still alive at ``T`` (the calibration end).

        Pass a summary frame or the three arrays; ``params`` overrides the fitted values.
        """
        x, tx, TT = self._arrays(summary, frequency, recency, T)
        return self._p_alive(x, tx, TT, self._theta(params))

    def expected_purchases(
        self,
        t: float,
        summary: pd.DataFrame | None = None,
        *,
        frequency: Any = None,
        recency: Any = None,
        T: Any = None,
        params: Sequence[float] | None = None,
    ) -> np.ndarray:
        """``E[X(t) | x, t_x, T]``: expected purchases in the next ``t`` time units.

        Examples
        --------
        >>> m = BetaGeoFitter().fit(summary)  # doctest: +SKIP
        >>> m.expected_purchases(39, frequency=[2], recency=[30.43], T=[38.86])  # doctest: +SKIP
        array([1.226])
        """
        x, tx, TT = self._arrays(summary, frequency, recency, T)
        theta = self._theta(params)
        return self._p_alive(x, tx, TT, theta) * self.alive_expected(t, x, TT, theta)

    def alive_expected(
        self,
        t: float,
        x: np.ndarray,
        T: np.ndarray,
        theta: np.ndarray | None = None,
        *,
        distinct: bool = False,
    ) -> np.ndarray:
        """Expected purchases in the next ``t`` if alive, evaluated once per distinct (x, T).

        ``distinct=True``: the pairs are already distinct (:func:`unique_pairs`), so they are
        not looked for again (a caller evaluating many ``t`` or draws codes them once).
        """
        theta = self._theta(theta)
        x = np.asarray(x, dtype=float)
        T = np.asarray(T, dtype=float)
        if len(x) > 1000 and not distinct:
            ux, uT, codes = unique_pairs(x, T)
            if len(ux) < 0.8 * len(x):
                return self._alive_expected(t, ux, uT, theta)[codes]
        return self._alive_expected(t, x, T, theta)

    def expected_purchases_new(self, t: Any, params: Sequence[float] | None = None) -> np.ndarray:
        """``E[X(t)]``: expected repeat purchases in the ``t`` time units after a first purchase."""
        return self._new_expected(np.asarray(t, dtype=float), self._theta(params))

    # ---------------------------------------------------------------- plots

    def frequency_fit(self, summary: pd.DataFrame, *, max_frequency: int = 7) -> pd.DataFrame:
        """Customers by calibration frequency 0..max+ : actual and expected from the fit.

        The expected counts come from a seeded simulation of every customer's ``T`` (a
        closed form exists only for BG/NBD). Columns ``frequency`` (0..max, the last bin is
        max and more), ``actual``, ``expected``.
        """
        x = np.minimum(summary["frequency"].to_numpy(dtype=float), max_frequency)
        actual = np.bincount(x.astype(int), minlength=max_frequency + 1)
        probs = self.frequency_probabilities(summary["T"].to_numpy(dtype=float), max_frequency)
        return pd.DataFrame(
            {
                "frequency": np.arange(max_frequency + 1),
                "actual": actual,
                "expected": probs.sum(axis=0),
            }
        )

    @staticmethod
    def plot_frequency_fit(table: pd.DataFrame, *, ax: Any = None) -> Any:
        """Bars of customers by calibration frequency, actual beside the model, from
        :meth:`frequency_fit` (the last bin labelled max+); returns the Axes.
        """
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(6, 3.5))[1]
        bins = table["frequency"].to_numpy()
        ax.bar(bins - 0.2, table["actual"].to_numpy(), width=0.4, label="actual")
        ax.bar(bins + 0.2, table["expected"].to_numpy(), width=0.4, label="model")
        ax.set_xticks(bins, [*map(str, bins[:-1]), f"{bins[-1]}+"])
        ax.set_xlabel("repeat purchases in calibration")
        ax.set_ylabel("customers")
        ax.legend()
        return ax

    def frequency_probabilities(self, T: np.ndarray, max_frequency: int) -> np.ndarray:
        """P(X(T) = x) for x = 0..max-1 and P(X(T) >= max), one row per customer."""
        raise NotImplementedError
